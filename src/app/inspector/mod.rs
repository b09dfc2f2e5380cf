//! The inspector: edits every property of the selected element. It works on a copy and emits an
//! `Edit` when something changed; prefix and address fields keep what the user typed and show
//! why it does not parse, without letting garbage into the model.

mod azure;
mod group_actions;
mod network;
mod scenario;
mod subnet_list;

use std::collections::HashMap;
use std::net::IpAddr;

use egui::RichText;

use crate::edit::{Edit, Element, ElementKey, fresh_id};

use crate::model::ElementKind;
use crate::model::*;
use crate::validate::{Report, RetentionVerdict};

use azure::azure_ui;
pub use group_actions::group_actions_ui;
use network::network_ui;
pub use scenario::scenario_ui;
use subnet_list::subnet_choice_ui;

/// Text the user is typing into parsed fields, by field id, kept across frames.
#[derive(Default)]
pub struct Drafts {
    text: HashMap<String, String>,
}

impl Drafts {
    pub fn clear(&mut self) {
        self.text.clear();
    }
}

fn text_row(ui: &mut egui::Ui, label: &str, value: &mut String) -> bool {
    ui.label(label);
    let changed = ui.add(egui::TextEdit::singleline(value).desired_width(f32::INFINITY)).changed();
    ui.end_row();
    changed
}

/// A field that parses what is typed; returns the new value when it parses and changed.
fn parsed_row<T>(ui: &mut egui::Ui, drafts: &mut Drafts, field: &str, label: &str, current: &str, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
    let draft = drafts.text.entry(field.to_owned()).or_insert_with(|| current.to_owned());
    ui.label(label);
    let response = ui.add(egui::TextEdit::singleline(draft).desired_width(f32::INFINITY));
    ui.end_row();
    let parsed = parse(draft.trim());
    if let Err(error) = &parsed {
        ui.label("");
        // Wrapped: a long reason would otherwise widen the inspector and squeeze the canvas.
        ui.add(egui::Label::new(RichText::new(error).color(ui.visuals().error_fg_color).small()).wrap());
        ui.end_row();
    }
    if response.changed() && draft.trim() != current { parsed.ok() } else { None }
}

fn parse_ip(text: &str) -> Result<IpAddr, String> {
    text.parse().map_err(|_| format!("`{text}` is not an IP address, such as 10.1.1.4"))
}

fn parse_optional_ip(text: &str) -> Result<Option<IpAddr>, String> {
    if text.is_empty() { Ok(None) } else { parse_ip(text).map(Some) }
}

fn parse_prefix(text: &str) -> Result<Prefix, String> {
    text.parse::<Prefix>().map_err(|error| error.to_string())
}

fn parse_prefixes(text: &str) -> Result<Vec<Prefix>, String> {
    text.split(',').map(str::trim).filter(|part| !part.is_empty()).map(parse_prefix).collect()
}

fn parse_range(text: &str) -> Result<Option<Box<IpRange>>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let (start, end) = text.split_once('-').ok_or_else(|| format!("`{text}` is not a range: write first-last, such as 10.1.1.10-10.1.1.200"))?;
    Ok(Some(Box::new(IpRange { start: parse_ip(start.trim())?, end: parse_ip(end.trim())? })))
}

fn range_text(range: Option<&IpRange>) -> String {
    range.map(|range| format!("{}-{}", range.start, range.end)).unwrap_or_default()
}

fn combo<T: PartialEq + Copy>(ui: &mut egui::Ui, id: &str, label: &str, value: &mut T, options: &[(T, &str)]) -> bool {
    ui.label(label);
    let selected = options.iter().find(|(option, _)| option == value).map_or("", |(_, text)| *text);
    let mut changed = false;
    egui::ComboBox::from_id_salt(id).selected_text(selected).show_ui(ui, |ui| {
        for (option, text) in options {
            changed |= ui.selectable_value(value, *option, *text).changed();
        }
    });
    ui.end_row();
    changed
}

fn check_row(ui: &mut egui::Ui, label: &str, value: &mut bool) -> bool {
    ui.label("");
    let changed = ui.checkbox(value, label).changed();
    ui.end_row();
    changed
}

fn grid(ui: &mut egui::Ui, id: &str, add: impl FnOnce(&mut egui::Ui)) {
    egui::Grid::new(id).num_columns(2).striped(false).spacing([8.0, 6.0]).show(ui, add);
}

/// Shows the inspector for `selection`; returns the edit the user made, if any.
pub fn inspector_ui(ui: &mut egui::Ui, plan: &Plan, revision: u64, report: &Report, selection: &ElementKey, drafts: &mut Drafts) -> Option<Edit> {
    let findings: Vec<_> = report.findings.iter().filter(|finding| finding.concerns(&selection.id)).collect();
    let edit = match selection.kind {
        ElementKind::Site => plan.site(&SiteId::new(&selection.id)).cloned().and_then(|site| site_ui(ui, site)),
        ElementKind::Network => plan.network(&NetworkId::new(&selection.id)).cloned().and_then(|network| network_ui(ui, plan, revision, network, drafts)),
        ElementKind::Subnet => plan.subnet(&SubnetId::new(&selection.id)).cloned().and_then(|subnet| subnet_ui(ui, subnet, drafts)),
        ElementKind::Machine => plan.machine(&MachineId::new(&selection.id)).cloned().and_then(|machine| {
            let verdicts: Vec<&RetentionVerdict> = report.verdicts.iter().filter(|verdict| verdict.machine.id == machine.id.as_str()).collect();
            machine_ui(ui, plan, revision, machine, drafts, &verdicts)
        }),
        ElementKind::Circuit => plan.circuit(&CircuitId::new(&selection.id)).cloned().and_then(|circuit| circuit_ui(ui, plan, circuit)),
        ElementKind::Connection => plan.connection(&ConnectionId::new(&selection.id)).cloned().and_then(|connection| connection_ui(ui, connection)),
        _ => {
            ui.label("This element is edited through its network.");
            None
        }
    };
    if !findings.is_empty() {
        ui.separator();
        ui.label(RichText::new("Findings").strong());
        for finding in findings {
            ui.label(RichText::new(format!("{} {}", finding.severity, finding.rule)).strong());
            ui.label(&finding.message);
        }
    }
    ui.separator();
    if ui.button("Delete").on_hover_text("Delete this element (Del)").clicked() {
        return Some(Edit::Delete(selection.clone()));
    }
    edit
}

fn site_ui(ui: &mut egui::Ui, mut site: Site) -> Option<Edit> {
    ui.heading("Site");
    let mut changed = false;
    grid(ui, "site-grid", |ui| {
        changed |= text_row(ui, "Name", &mut site.name);
        changed |= combo(ui, "site-kind", "Kind", &mut site.kind, &SiteKind::ALL.map(|kind| (kind, kind.label())));
        changed |= combo(ui, "site-role", "Role", &mut site.role, &SiteRole::ALL.map(|role| (role, role.label())));
        let mut region = site.region.clone().unwrap_or_default();
        if text_row(ui, "Region", &mut region) {
            site.region = (!region.is_empty()).then_some(region);
            changed = true;
        }
        let mut geography = site.geography.clone().unwrap_or_default();
        if text_row(ui, "Geography", &mut geography) {
            site.geography = (!geography.is_empty()).then_some(geography);
            changed = true;
        }
    });
    changed |= azure_ui(ui, site.id.as_str(), &mut site.azure, false, "Defaults for the site's networks, gateways and machines.");
    changed.then(|| Edit::Replace(Element::Site(site)))
}

fn subnet_ui(ui: &mut egui::Ui, mut subnet: Subnet, drafts: &mut Drafts) -> Option<Edit> {
    ui.heading("Subnet");
    let mut changed = false;
    let field = |name: &str| format!("{}/{name}", subnet.id);
    grid(ui, "subnet-grid", |ui| {
        changed |= text_row(ui, "Name", &mut subnet.name);
        let current = subnet.prefix.to_string();
        if let Some(prefix) = parsed_row(ui, drafts, &field("prefix"), "Prefix", &current, parse_prefix) {
            subnet.prefix = prefix;
            changed = true;
        }
        changed |= combo(ui, "subnet-allocation", "Allocation", &mut subnet.allocation, &[(Allocation::Static, "static"), (Allocation::Dhcp, "DHCP")]);
        if let Some(range) = parsed_row(ui, drafts, &field("pool"), "Static pool", &range_text(subnet.static_pool.as_deref()), parse_range) {
            subnet.static_pool = range;
            changed = true;
        }
        if let Some(range) = parsed_row(ui, drafts, &field("dhcp"), "DHCP range", &range_text(subnet.dhcp_range.as_deref()), parse_range) {
            subnet.dhcp_range = range;
            changed = true;
        }
    });
    changed.then(|| Edit::Replace(Element::Subnet(subnet)))
}

fn machine_ui(ui: &mut egui::Ui, plan: &Plan, revision: u64, mut machine: Machine, drafts: &mut Drafts, verdicts: &[&RetentionVerdict]) -> Option<Edit> {
    ui.heading("Machine");
    let mut changed = false;
    let field = |name: &str| format!("{}/{name}", machine.id);
    grid(ui, "machine-grid", |ui| {
        changed |= text_row(ui, "Name", &mut machine.name);
        changed |= subnet_choice_ui(ui, plan, revision, "machine-subnet", "Subnet", &mut machine.subnet);
        if let Some(ip) = parsed_row(ui, drafts, &field("ip"), "IP address", &machine.ip.to_string(), parse_ip) {
            machine.ip = ip;
            changed = true;
        }
        changed |= combo(ui, "machine-allocation", "Allocation", &mut machine.ip_allocation, &[(Allocation::Static, "static"), (Allocation::Dhcp, "DHCP")]);
        let public = machine.public_ip.map(|ip| ip.to_string()).unwrap_or_default();
        if let Some(ip) = parsed_row(ui, drafts, &field("public"), "Public IP", &public, parse_optional_ip) {
            machine.public_ip = ip;
            changed = true;
        }
        changed |= text_row(ui, "Application", &mut machine.application);
        changed |= text_row(ui, "Tier", &mut machine.tier);
        ui.label("Recovery group");
        let mut group = machine.recovery_group.get();
        if ui.add(egui::DragValue::new(&mut group).range(1..=u32::MAX)).changed() {
            machine.recovery_group = NonZeroU32::new(group).unwrap_or(NonZeroU32::MIN);
            changed = true;
        }
        ui.end_row();
        for (role, label) in [(InfraRole::DomainController, "domain controller"), (InfraRole::Dns, "DNS server"), (InfraRole::Dhcp, "DHCP server")] {
            let mut has = machine.roles.contains(&role);
            if check_row(ui, label, &mut has) {
                if has {
                    machine.roles.push(role)
                } else {
                    machine.roles.retain(|other| *other != role)
                }
                changed = true;
            }
        }
        let mut protected = machine.target.is_some();
        if check_row(ui, "protected (fails over)", &mut protected) {
            machine.target = protected.then(|| FailoverTarget { subnet: machine.subnet.clone(), ip: TargetIp::Keep, keep_public_ip: false });
            changed = true;
        }
        if let Some(target) = &mut machine.target {
            changed |= subnet_choice_ui(ui, plan, revision, "machine-target", "Target subnet", &mut target.subnet);
            let mut keep = target.ip == TargetIp::Keep;
            if check_row(ui, "keep its IP address", &mut keep) {
                target.ip = if keep { TargetIp::Keep } else { TargetIp::New(machine.ip) };
                changed = true;
            }
            if let TargetIp::New(new_ip) = target.ip
                && let Some(ip) = parsed_row(ui, drafts, &field("new-ip"), "New IP", &new_ip.to_string(), parse_ip)
            {
                target.ip = TargetIp::New(ip);
                changed = true;
            }
            changed |= check_row(ui, "keep its public IP", &mut target.keep_public_ip);
        }
        let mut has_dns = machine.dns.is_some();
        if check_row(ui, "has a DNS record", &mut has_dns) {
            machine.dns = has_dns
                .then(|| Box::new(DnsRecord { zone: "example.local".into(), name: machine.name.to_lowercase(), ttl_secs: 300, dynamic_registration: false }));
            changed = true;
        }
        if let Some(dns) = &mut machine.dns {
            changed |= text_row(ui, "DNS zone", &mut dns.zone);
            changed |= text_row(ui, "DNS name", &mut dns.name);
            ui.label("TTL (s)");
            changed |= ui.add(egui::DragValue::new(&mut dns.ttl_secs).range(0..=86_400)).changed();
            ui.end_row();
            changed |= check_row(ui, "dynamic DNS registration", &mut dns.dynamic_registration);
        }
    });
    changed |=
        azure_ui(ui, machine.id.as_str(), &mut machine.azure, true, "The VM's name is its protected item's; group and subscription default to its network's.");
    if !verdicts.is_empty() {
        ui.separator();
        ui.label(RichText::new("IP retention").strong());
        for verdict in verdicts {
            let color = if verdict.keeps_ip {
                ui.visuals().text_color()
            } else if verdict.blocked_by.is_some() {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().warn_fg_color
            };
            ui.label(RichText::new(format!("{}: {}", verdict.scenario.name, verdict.reason)).color(color));
        }
    }
    changed.then(|| Edit::Replace(Element::Machine(machine)))
}

fn circuit_ui(ui: &mut egui::Ui, plan: &Plan, mut circuit: Circuit) -> Option<Edit> {
    ui.heading("ExpressRoute circuit");
    let mut changed = false;
    grid(ui, "circuit-grid", |ui| {
        changed |= text_row(ui, "Name", &mut circuit.name);
        ui.label("On-premises site");
        let selected = plan.site(&circuit.site).map_or(circuit.site.to_string(), |site| site.name.clone());
        egui::ComboBox::from_id_salt("circuit-site").selected_text(selected).show_ui(ui, |ui| {
            for site in plan.sites.iter().filter(|site| site.kind.is_on_premises()) {
                changed |= ui.selectable_value(&mut circuit.site, site.id.clone(), &site.name).changed();
            }
        });
        ui.end_row();
        changed |= text_row(ui, "Peering location", &mut circuit.peering_location);
        changed |= text_row(ui, "Geography", &mut circuit.geography);
        ui.label("Bandwidth (Mbps)");
        changed |= ui.add(egui::DragValue::new(&mut circuit.bandwidth_mbps).range(50..=100_000)).changed();
        ui.end_row();
        changed |= check_row(ui, "Premium add-on", &mut circuit.premium);
    });
    changed |= azure_ui(ui, circuit.id.as_str(), &mut circuit.azure, true, "Group and subscription default to the on-premises site's.");
    changed.then(|| Edit::Replace(Element::Circuit(circuit)))
}

fn settings_ui(ui: &mut egui::Ui, label: &str, settings: &mut PeeringSettings) -> bool {
    ui.label(RichText::new(label).strong());
    let mut changed = false;
    changed |= ui.checkbox(&mut settings.allow_virtual_network_access, "allow virtual network access").changed();
    changed |= ui.checkbox(&mut settings.allow_forwarded_traffic, "allow forwarded traffic").changed();
    changed |= ui.checkbox(&mut settings.allow_gateway_transit, "allow gateway transit").changed();
    changed |= ui.checkbox(&mut settings.use_remote_gateways, "use remote gateways").changed();
    changed
}

fn connection_ui(ui: &mut egui::Ui, mut connection: Connection) -> Option<Edit> {
    ui.heading("Connection");
    let mut changed = false;
    grid(ui, "connection-grid", |ui| {
        changed |= text_row(ui, "Name", &mut connection.name);
        ui.label("Type");
        ui.label(connection.link.label());
        ui.end_row();
        changed |= combo(
            ui,
            "connection-state",
            "State",
            &mut connection.state,
            &[(ConnectionState::Active, "active now"), (ConnectionState::Prepared, "prepared for failover")],
        );
    });
    if let Link::VnetPeering { from_side, to_side, .. } = &mut connection.link {
        changed |= settings_ui(ui, "From side", from_side);
        changed |= settings_ui(ui, "To side", to_side);
    }
    changed |= azure_ui(ui, connection.id.as_str(), &mut connection.azure, true, "Group and subscription default to the network it starts from.");
    changed.then(|| Edit::Replace(Element::Connection(connection)))
}
