//! The inspector of a failover scenario: scope, direction, sites and what fails over.

use super::*;

/// Edits a failover scenario: what fails over, how, from where to where.
pub fn scenario_ui(ui: &mut egui::Ui, plan: &Plan, mut scenario: Scenario) -> Option<Edit> {
    let mut changed = false;
    let site_options: Vec<(SiteId, String)> = plan.sites.iter().map(|site| (site.id.clone(), site.name.clone())).collect();
    grid(ui, "scenario-grid", |ui| {
        changed |= text_row(ui, "Name", &mut scenario.name);
        changed |= combo(
            ui,
            "scenario-type",
            "Failover type",
            &mut scenario.failover_type,
            &[(FailoverType::Planned, "planned"), (FailoverType::Unplanned, "unplanned"), (FailoverType::Test, "test")],
        );
        changed |=
            combo(ui, "scenario-direction", "Direction", &mut scenario.direction, &[(Direction::Failover, "failover"), (Direction::Failback, "failback")]);
        for (label, value) in [("From site", &mut scenario.from_site), ("To site", &mut scenario.to_site)] {
            ui.label(label);
            let selected = site_options.iter().find(|(id, _)| id == value).map_or(value.to_string(), |(_, name)| name.clone());
            egui::ComboBox::from_id_salt(("scenario-site", label)).selected_text(selected).show_ui(ui, |ui| {
                for (id, name) in &site_options {
                    changed |= ui.selectable_value(value, id.clone(), name).changed();
                }
            });
            ui.end_row();
        }
        ui.label("Scope");
        let mut kind = match scenario.scope {
            Scope::FullSite => 0,
            Scope::Applications(_) => 1,
            Scope::Subnets(_) => 2,
        };
        let before = kind;
        egui::ComboBox::from_id_salt("scenario-scope").selected_text(["full site", "applications", "subnets"][kind]).show_ui(ui, |ui| {
            ui.selectable_value(&mut kind, 0, "full site");
            ui.selectable_value(&mut kind, 1, "applications");
            ui.selectable_value(&mut kind, 2, "subnets");
        });
        ui.end_row();
        if kind != before {
            scenario.scope = match kind {
                0 => Scope::FullSite,
                1 => Scope::Applications(Vec::new()),
                _ => Scope::Subnets(Vec::new()),
            };
            changed = true;
        }
        if let Scope::Applications(applications) = &mut scenario.scope {
            let mut text = applications.join(", ");
            if text_row(ui, "Applications", &mut text) {
                *applications = text.split(',').map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned).collect();
                changed = true;
            }
        }
        let networks: Vec<(NetworkId, String)> = plan.networks.iter().map(|network| (network.id.clone(), network.name.clone())).collect();
        ui.label("Test network");
        let selected = scenario.test_network.as_ref().and_then(|id| plan.network(id)).map_or("(none)".to_owned(), |network| network.name.clone());
        egui::ComboBox::from_id_salt("scenario-test-network").selected_text(selected).show_ui(ui, |ui| {
            changed |= ui.selectable_value(&mut scenario.test_network, None, "(none)").changed();
            for (id, name) in &networks {
                changed |= ui.selectable_value(&mut scenario.test_network, Some(id.clone()), name).changed();
            }
        });
        ui.end_row();
        ui.label("Recovery point");
        let labels = ["(default: latest)", "latest", "latest processed", "latest app-consistent"];
        let mut point = match scenario.recovery_point {
            None => 0,
            Some(RecoveryPoint::Latest) => 1,
            Some(RecoveryPoint::LatestProcessed) => 2,
            Some(RecoveryPoint::LatestAppConsistent) => 3,
            Some(RecoveryPoint::Custom(_)) => 4,
        };
        let before = point;
        egui::ComboBox::from_id_salt("scenario-point").selected_text(labels.get(point).copied().unwrap_or("custom")).show_ui(ui, |ui| {
            for (index, label) in labels.iter().enumerate() {
                ui.selectable_value(&mut point, index, *label);
            }
        });
        ui.end_row();
        if point != before {
            scenario.recovery_point = match point {
                1 => Some(RecoveryPoint::Latest),
                2 => Some(RecoveryPoint::LatestProcessed),
                3 => Some(RecoveryPoint::LatestAppConsistent),
                _ => None,
            };
            changed = true;
        }
        let mut data_sync = scenario.data_sync;
        ui.label("Failback data sync");
        let label = |sync: Option<DataSync>| match sync {
            None => "(default)",
            Some(DataSync::DeltaBeforeFailover) => "delta before failover",
            Some(DataSync::FullDownloadDuringFailover) => "full download",
        };
        egui::ComboBox::from_id_salt("scenario-sync").selected_text(label(data_sync)).show_ui(ui, |ui| {
            for option in [None, Some(DataSync::DeltaBeforeFailover), Some(DataSync::FullDownloadDuringFailover)] {
                ui.selectable_value(&mut data_sync, option, label(option));
            }
        });
        ui.end_row();
        if data_sync != scenario.data_sync {
            scenario.data_sync = data_sync;
            changed = true;
        }
    });
    if let Scope::Subnets(subnets) = &mut scenario.scope {
        ui.label("Subnets that fail over");
        for subnet in &plan.subnets {
            let mut included = subnets.contains(&subnet.id);
            // With its network and site: a subnet and its recovery twin often share name and prefix.
            let network = plan.network(&subnet.network);
            let site = network.and_then(|network| plan.site(&network.site)).map_or("", |site| site.name.as_str());
            let label = format!("{} {} ({}, {site})", subnet.name, subnet.prefix, network.map_or("", |network| network.name.as_str()));
            if ui.checkbox(&mut included, label).changed() {
                if included {
                    subnets.push(subnet.id.clone())
                } else {
                    subnets.retain(|id| id != &subnet.id)
                }
                changed = true;
            }
        }
    }
    changed.then(|| Edit::Replace(Element::Scenario(scenario)))
}
