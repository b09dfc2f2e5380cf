//! The inspector: edits every property of the selected element. It works on a copy and emits an
//! `Edit` when something changed; prefix and address fields keep what the user typed and show
//! why it does not parse, without letting garbage into the model.

use std::collections::HashMap;
use std::net::IpAddr;

use egui::RichText;

use crate::edit::{Edit, Element, ElementKey, fresh_id};
use crate::model::*;
use crate::validate::{ElementKind, Report, RetentionVerdict};

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
fn parsed_row<T>(
    ui: &mut egui::Ui,
    drafts: &mut Drafts,
    field: &str,
    label: &str,
    current: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    let draft = drafts.text.entry(field.to_owned()).or_insert_with(|| current.to_owned());
    ui.label(label);
    let response = ui.add(egui::TextEdit::singleline(draft).desired_width(f32::INFINITY));
    ui.end_row();
    let parsed = parse(draft.trim());
    if let Err(error) = &parsed {
        ui.label("");
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color).small());
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

fn parse_range(text: &str) -> Result<Option<IpRange>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let (start, end) = text.split_once('-').ok_or_else(|| format!("`{text}` is not a range: write first-last, such as 10.1.1.10-10.1.1.200"))?;
    Ok(Some(IpRange { start: parse_ip(start.trim())?, end: parse_ip(end.trim())? }))
}

fn range_text(range: &Option<IpRange>) -> String {
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
pub fn inspector_ui(ui: &mut egui::Ui, plan: &Plan, report: &Report, selection: &ElementKey, drafts: &mut Drafts) -> Option<Edit> {
    let findings: Vec<_> = report.findings.iter().filter(|finding| finding.concerns(&selection.id)).collect();
    let edit = match selection.kind {
        ElementKind::Site => plan.site(&SiteId::new(&selection.id)).cloned().and_then(|site| site_ui(ui, site)),
        ElementKind::Network => plan.network(&NetworkId::new(&selection.id)).cloned().and_then(|network| network_ui(ui, plan, network, drafts)),
        ElementKind::Subnet => plan.subnet(&SubnetId::new(&selection.id)).cloned().and_then(|subnet| subnet_ui(ui, subnet, drafts)),
        ElementKind::Machine => plan.machine(&MachineId::new(&selection.id)).cloned().and_then(|machine| {
            let verdicts: Vec<&RetentionVerdict> = report.verdicts.iter().filter(|verdict| verdict.machine.id == machine.id.as_str()).collect();
            machine_ui(ui, plan, machine, drafts, &verdicts)
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
    changed.then(|| Edit::Replace(Element::Site(site)))
}

fn network_ui(ui: &mut egui::Ui, plan: &Plan, mut network: Network, drafts: &mut Drafts) -> Option<Edit> {
    ui.heading("Network");
    let mut changed = false;
    let field = |name: &str| format!("{}/{name}", network.id);
    grid(ui, "network-grid", |ui| {
        changed |= text_row(ui, "Name", &mut network.name);
        changed |= combo(ui, "network-kind", "Kind", &mut network.kind, &NetworkKind::ALL.map(|kind| (kind, kind.label())));
        changed |= combo(ui, "network-purpose", "Purpose", &mut network.purpose, &NetworkPurpose::ALL.map(|purpose| (purpose, purpose.label())));
        changed |= combo(ui, "network-isolation", "VMM isolation", &mut network.isolation, &[
            (Isolation::None, "none"),
            (Isolation::Vlan, "VLAN"),
            (Isolation::Wnv, "WNV"),
        ]);
        let current = network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        if let Some(space) = parsed_row(ui, drafts, &field("space"), "Address space", &current, parse_prefixes) {
            network.address_space = space;
            changed = true;
        }
        let mut endpoints = network.service_endpoints.join(", ");
        if text_row(ui, "Service endpoints", &mut endpoints) {
            network.service_endpoints = endpoints.split(',').map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned).collect();
            changed = true;
        }
    });
    ui.separator();
    ui.label(RichText::new("Gateways").strong());
    let mut remove = None;
    for (index, gateway) in network.gateways.iter_mut().enumerate() {
        grid(ui, &format!("gateway-{}", gateway.id), |ui| {
            changed |= text_row(ui, "Gateway", &mut gateway.name);
            changed |= combo(ui, &format!("gateway-kind-{}", gateway.id), "Kind", &mut gateway.kind, &[
                (GatewayKind::Vpn, "VPN"),
                (GatewayKind::ExpressRoute, "ExpressRoute"),
            ]);
            changed |= check_row(ui, "provisioned before failover", &mut gateway.provisioned_before_failover);
        });
        if ui.small_button(format!("Remove {}", gateway.name)).clicked() {
            remove = Some(index);
        }
    }
    if let Some(index) = remove {
        network.gateways.remove(index);
        changed = true;
    }
    ui.horizontal(|ui| {
        for (kind, label) in [(GatewayKind::Vpn, "Add VPN gateway"), (GatewayKind::ExpressRoute, "Add ExpressRoute gateway")] {
            if ui.button(label).clicked() {
                network.gateways.push(Gateway {
                    id: GatewayId::new(fresh_id(plan, "gw")),
                    name: format!("{} {} gateway", network.name, kind.label()),
                    kind,
                    provisioned_before_failover: true,
                });
                changed = true;
            }
        }
    });
    ui.label(RichText::new("Network virtual appliances").strong());
    let subnets: Vec<(SubnetId, String)> =
        plan.subnets_of(&network.id).map(|subnet| (subnet.id.clone(), format!("{} {}", subnet.name, subnet.prefix))).collect();
    let mut remove = None;
    for (index, nva) in network.nvas.iter_mut().enumerate() {
        grid(ui, &format!("nva-{}", nva.id), |ui| {
            changed |= text_row(ui, "Appliance", &mut nva.name);
            if let Some(ip) = parsed_row(ui, drafts, &format!("{}/ip", nva.id), "IP address", &nva.ip.to_string(), parse_ip) {
                nva.ip = ip;
                changed = true;
            }
            ui.label("Subnet");
            let selected = subnets.iter().find(|(id, _)| id == &nva.subnet).map_or(nva.subnet.to_string(), |(_, name)| name.clone());
            egui::ComboBox::from_id_salt(("nva-subnet", nva.id.as_str())).selected_text(selected).show_ui(ui, |ui| {
                for (id, name) in &subnets {
                    changed |= ui.selectable_value(&mut nva.subnet, id.clone(), name).changed();
                }
            });
            ui.end_row();
        });
        if ui.small_button(format!("Remove {}", nva.name)).clicked() {
            remove = Some(index);
        }
    }
    if let Some(index) = remove {
        network.nvas.remove(index);
        changed = true;
    }
    if let Some(subnet) = plan.subnets_of(&network.id).next() {
        if ui.button("Add NVA").clicked() {
            let ip = subnet.prefix.net().trunc().hosts().nth(9).unwrap_or(subnet.prefix.net().addr());
            network.nvas.push(Nva { id: NvaId::new(fresh_id(plan, "nva")), name: "NVA".to_owned(), subnet: subnet.id.clone(), ip });
            changed = true;
        }
    }
    changed |= route_tables_ui(ui, plan, &mut network, &subnets, drafts);
    if changed {
        return Some(Edit::Replace(Element::Network(network)));
    }
    if let Some(edit) = mapping_ui(ui, plan, &network) {
        return Some(edit);
    }
    ui.separator();
    connect_ui(ui, plan, &network)
}

/// Route tables (UDRs): their routes and the subnets they are associated with.
fn route_tables_ui(ui: &mut egui::Ui, plan: &Plan, network: &mut Network, subnets: &[(SubnetId, String)], drafts: &mut Drafts) -> bool {
    ui.label(RichText::new("Route tables").strong());
    let mut changed = false;
    let mut remove_table = None;
    for (table_index, table) in network.route_tables.iter_mut().enumerate() {
        changed |= ui.add(egui::TextEdit::singleline(&mut table.name).desired_width(f32::INFINITY)).changed();
        let mut remove_route = None;
        for (route_index, route) in table.routes.iter_mut().enumerate() {
            let field = format!("{}/route{route_index}", table.id);
            grid(ui, &field, |ui| {
                changed |= text_row(ui, "Route", &mut route.name);
                if let Some(prefix) = parsed_row(ui, drafts, &format!("{field}/prefix"), "Prefix", &route.prefix.to_string(), parse_prefix) {
                    route.prefix = prefix;
                    changed = true;
                }
                ui.label("Next hop");
                let kinds = ["virtual appliance", "network gateway", "VNet local", "Internet", "none"];
                let mut kind = match route.next_hop {
                    NextHop::VirtualAppliance(_) => 0,
                    NextHop::VirtualNetworkGateway => 1,
                    NextHop::VnetLocal => 2,
                    NextHop::Internet => 3,
                    NextHop::None => 4,
                };
                let before = kind;
                egui::ComboBox::from_id_salt((field.as_str(), "hop")).selected_text(kinds[kind]).show_ui(ui, |ui| {
                    for (index, label) in kinds.iter().enumerate() {
                        ui.selectable_value(&mut kind, index, *label);
                    }
                });
                ui.end_row();
                if kind != before {
                    route.next_hop = match kind {
                        0 => NextHop::VirtualAppliance(std::net::IpAddr::from([0, 0, 0, 0])),
                        1 => NextHop::VirtualNetworkGateway,
                        2 => NextHop::VnetLocal,
                        3 => NextHop::Internet,
                        _ => NextHop::None,
                    };
                    changed = true;
                }
                if let NextHop::VirtualAppliance(ip) = route.next_hop {
                    if let Some(ip) = parsed_row(ui, drafts, &format!("{field}/hop-ip"), "Appliance IP", &ip.to_string(), parse_ip) {
                        route.next_hop = NextHop::VirtualAppliance(ip);
                        changed = true;
                    }
                }
            });
            if ui.small_button(format!("Remove route {}", route.name)).clicked() {
                remove_route = Some(route_index);
            }
        }
        if let Some(index) = remove_route {
            table.routes.remove(index);
            changed = true;
        }
        if ui.small_button("Add route").clicked() {
            table.routes.push(Route {
                name: format!("Route {}", table.routes.len() + 1),
                prefix: Prefix(ipnet::IpNet::V4(ipnet::Ipv4Net::default())),
                next_hop: NextHop::Internet,
            });
            changed = true;
        }
        ui.label("Associated subnets");
        for (id, name) in subnets {
            let mut associated = table.subnets.contains(id);
            if ui.checkbox(&mut associated, name).changed() {
                if associated { table.subnets.push(id.clone()) } else { table.subnets.retain(|subnet| subnet != id) }
                changed = true;
            }
        }
        if ui.small_button(format!("Remove route table {}", table.name)).clicked() {
            remove_table = Some(table_index);
        }
        ui.separator();
    }
    if let Some(index) = remove_table {
        network.route_tables.remove(index);
        changed = true;
    }
    if ui.button("Add route table").clicked() {
        network.route_tables.push(RouteTable {
            id: RouteTableId::new(fresh_id(plan, "rt")),
            name: format!("{} routes", network.name),
            subnets: Vec::new(),
            routes: Vec::new(),
        });
        changed = true;
    }
    changed
}

/// The network mapping: which recovery network this network fails over into.
fn mapping_ui(ui: &mut egui::Ui, plan: &Plan, network: &Network) -> Option<Edit> {
    let current = plan.network_mappings.iter().find(|mapping| mapping.source == network.id).map(|mapping| mapping.target.clone());
    let mut chosen = current.clone();
    let name_of = |id: &Option<NetworkId>| id.as_ref().and_then(|id| plan.network(id)).map_or("(not mapped)".to_owned(), |target| target.name.clone());
    egui::ComboBox::from_label("Fails over into").selected_text(name_of(&current)).show_ui(ui, |ui| {
        ui.selectable_value(&mut chosen, None, "(not mapped)");
        for other in plan.networks.iter().filter(|other| other.id != network.id) {
            ui.selectable_value(&mut chosen, Some(other.id.clone()), &other.name);
        }
    });
    (chosen != current).then(|| Edit::SetMapping { source: network.id.clone(), target: chosen })
}

/// Edits a failover scenario: what fails over, how, from where to where.
pub fn scenario_ui(ui: &mut egui::Ui, plan: &Plan, mut scenario: Scenario) -> Option<Edit> {
    let mut changed = false;
    let site_options: Vec<(SiteId, String)> = plan.sites.iter().map(|site| (site.id.clone(), site.name.clone())).collect();
    grid(ui, "scenario-grid", |ui| {
        changed |= text_row(ui, "Name", &mut scenario.name);
        changed |= combo(ui, "scenario-type", "Failover type", &mut scenario.failover_type, &[
            (FailoverType::Planned, "planned"),
            (FailoverType::Unplanned, "unplanned"),
            (FailoverType::Test, "test"),
        ]);
        changed |= combo(ui, "scenario-direction", "Direction", &mut scenario.direction, &[
            (Direction::Failover, "failover"),
            (Direction::Failback, "failback"),
        ]);
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
            if ui.checkbox(&mut included, format!("{} {}", subnet.name, subnet.prefix)).changed() {
                if included { subnets.push(subnet.id.clone()) } else { subnets.retain(|id| id != &subnet.id) }
                changed = true;
            }
        }
    }
    changed.then(|| Edit::Replace(Element::Scenario(scenario)))
}

/// Joins the network to another network or a circuit.
fn connect_ui(ui: &mut egui::Ui, plan: &Plan, network: &Network) -> Option<Edit> {
    ui.label(RichText::new("New connection").strong());
    let id = egui::Id::new("connect-choice");
    let (mut target, mut kind, mut prepared): (String, usize, bool) = ui.data(|data| data.get_temp(id)).unwrap_or_default();
    let kinds = ["Site-to-site VPN", "VNet peering", "ExpressRoute", "Stretched VLAN"];
    let mut edit = None;
    egui::ComboBox::from_label("Connection type").selected_text(kinds[kind.min(3)]).show_ui(ui, |ui| {
        for (index, label) in kinds.iter().enumerate() {
            ui.selectable_value(&mut kind, index, *label);
        }
    });
    let options: Vec<(String, String)> = if kind == 2 {
        plan.circuits.iter().map(|circuit| (circuit.id.to_string(), circuit.name.clone())).collect()
    } else {
        plan.networks.iter().filter(|other| other.id != network.id).map(|other| (other.id.to_string(), other.name.clone())).collect()
    };
    let selected = options.iter().find(|(option, _)| option == &target).map_or("(choose)", |(_, name)| name.as_str());
    egui::ComboBox::from_label("Connect to").selected_text(selected).show_ui(ui, |ui| {
        for (option, name) in &options {
            ui.selectable_value(&mut target, option.clone(), name);
        }
    });
    ui.checkbox(&mut prepared, "prepared for failover (not active now)");
    let ready = !target.is_empty();
    if ui.add_enabled(ready, egui::Button::new("Connect")).clicked() {
        let settings = PeeringSettings {
            allow_virtual_network_access: true,
            allow_forwarded_traffic: false,
            allow_gateway_transit: false,
            use_remote_gateways: false,
        };
        let to = NetworkId::new(&target);
        let link = match kind {
            0 => Link::SiteToSiteVpn { to },
            1 => Link::VnetPeering { to, from_side: settings, to_side: settings },
            2 => Link::ExpressRoute { circuit: CircuitId::new(&target) },
            _ => Link::StretchedVlan { to },
        };
        let other = plan.network(&NetworkId::new(&target)).map(|other| other.name.clone())
            .or_else(|| plan.circuit(&CircuitId::new(&target)).map(|circuit| circuit.name.clone()))
            .unwrap_or_default();
        edit = Some(Edit::Add(Element::Connection(Connection {
            id: ConnectionId::new(fresh_id(plan, "conn")),
            name: format!("{} to {other}", network.name),
            from: network.id.clone(),
            link,
            state: if prepared { ConnectionState::Prepared } else { ConnectionState::Active },
        })));
        target.clear();
    }
    ui.data_mut(|data| data.insert_temp(id, (target, kind, prepared)));
    edit
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
        if let Some(range) = parsed_row(ui, drafts, &field("pool"), "Static pool", &range_text(&subnet.static_pool), parse_range) {
            subnet.static_pool = range;
            changed = true;
        }
        if let Some(range) = parsed_row(ui, drafts, &field("dhcp"), "DHCP range", &range_text(&subnet.dhcp_range), parse_range) {
            subnet.dhcp_range = range;
            changed = true;
        }
    });
    changed.then(|| Edit::Replace(Element::Subnet(subnet)))
}

fn machine_ui(ui: &mut egui::Ui, plan: &Plan, mut machine: Machine, drafts: &mut Drafts, verdicts: &[&RetentionVerdict]) -> Option<Edit> {
    ui.heading("Machine");
    let mut changed = false;
    let field = |name: &str| format!("{}/{name}", machine.id);
    let subnet_options: Vec<(SubnetId, String)> = plan
        .subnets
        .iter()
        .map(|subnet| {
            let network = plan.network(&subnet.network).map_or("", |network| network.name.as_str());
            (subnet.id.clone(), format!("{network} / {} {}", subnet.name, subnet.prefix))
        })
        .collect();
    let subnet_combo = |ui: &mut egui::Ui, id: &str, label: &str, value: &mut SubnetId| -> bool {
        ui.label(label);
        let mut changed = false;
        let selected = subnet_options.iter().find(|(option, _)| option == value).map_or(value.to_string(), |(_, text)| text.clone());
        egui::ComboBox::from_id_salt(id).selected_text(selected).width(220.0).show_ui(ui, |ui| {
            for (option, text) in &subnet_options {
                changed |= ui.selectable_value(value, option.clone(), text).changed();
            }
        });
        ui.end_row();
        changed
    };
    grid(ui, "machine-grid", |ui| {
        changed |= text_row(ui, "Name", &mut machine.name);
        changed |= subnet_combo(ui, "machine-subnet", "Subnet", &mut machine.subnet);
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
                if has { machine.roles.push(role) } else { machine.roles.retain(|other| *other != role) }
                changed = true;
            }
        }
        let mut protected = machine.target.is_some();
        if check_row(ui, "protected (fails over)", &mut protected) {
            machine.target = protected.then(|| FailoverTarget { subnet: machine.subnet.clone(), ip: TargetIp::Keep, keep_public_ip: false });
            changed = true;
        }
        if let Some(target) = &mut machine.target {
            changed |= subnet_combo(ui, "machine-target", "Target subnet", &mut target.subnet);
            let mut keep = target.ip == TargetIp::Keep;
            if check_row(ui, "keep its IP address", &mut keep) {
                target.ip = if keep { TargetIp::Keep } else { TargetIp::New(machine.ip) };
                changed = true;
            }
            if let TargetIp::New(new_ip) = target.ip {
                if let Some(ip) = parsed_row(ui, drafts, &field("new-ip"), "New IP", &new_ip.to_string(), parse_ip) {
                    target.ip = TargetIp::New(ip);
                    changed = true;
                }
            }
            changed |= check_row(ui, "keep its public IP", &mut target.keep_public_ip);
        }
        let mut has_dns = machine.dns.is_some();
        if check_row(ui, "has a DNS record", &mut has_dns) {
            machine.dns = has_dns.then(|| DnsRecord { zone: "example.local".into(), name: machine.name.to_lowercase(), ttl_secs: 300, dynamic_registration: false });
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
        changed |= combo(ui, "connection-state", "State", &mut connection.state, &[
            (ConnectionState::Active, "active now"),
            (ConnectionState::Prepared, "prepared for failover"),
        ]);
    });
    if let Link::VnetPeering { from_side, to_side, .. } = &mut connection.link {
        changed |= settings_ui(ui, "From side", from_side);
        changed |= settings_ui(ui, "To side", to_side);
    }
    changed.then(|| Edit::Replace(Element::Connection(connection)))
}
