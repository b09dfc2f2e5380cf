//! The inspector of a network: its properties, gateways, appliances, route tables, the network it
//! fails over into and new connections.

use super::*;

pub(super) fn network_ui(ui: &mut egui::Ui, plan: &Plan, revision: u64, mut network: Network, drafts: &mut Drafts) -> Option<Edit> {
    ui.heading("Network");
    let mut changed = false;
    let field = |name: &str| format!("{}/{name}", network.id);
    grid(ui, "network-grid", |ui| {
        changed |= text_row(ui, "Name", &mut network.name);
        changed |= combo(ui, "network-kind", "Kind", &mut network.kind, &NetworkKind::ALL.map(|kind| (kind, kind.label())));
        changed |= combo(ui, "network-purpose", "Purpose", &mut network.purpose, &NetworkPurpose::ALL.map(|purpose| (purpose, purpose.label())));
        changed |= combo(
            ui,
            "network-isolation",
            "VMM isolation",
            &mut network.isolation,
            &[(Isolation::None, "none"), (Isolation::Vlan, "VLAN"), (Isolation::Wnv, "WNV")],
        );
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
            changed |= combo(
                ui,
                &format!("gateway-kind-{}", gateway.id),
                "Kind",
                &mut gateway.kind,
                &[(GatewayKind::Vpn, "VPN"), (GatewayKind::ExpressRoute, "ExpressRoute")],
            );
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
                    azure: Default::default(),
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
    if let Some(subnet) = plan.subnets_of(&network.id).next()
        && ui.button("Add NVA").clicked()
    {
        let ip = subnet.prefix.net().trunc().hosts().nth(9).unwrap_or(subnet.prefix.net().addr());
        network.nvas.push(Nva { id: NvaId::new(fresh_id(plan, "nva")), name: "NVA".to_owned(), subnet: subnet.id.clone(), ip });
        changed = true;
    }
    changed |= route_tables_ui(ui, plan, &mut network, &subnets, drafts);
    changed |= super::azure_ui(ui, network.id.as_str(), &mut network.azure, true, "Group and subscription default to the site's.");
    if changed {
        return Some(Edit::Replace(Element::Network(network)));
    }
    if let Some(edit) = mapping_ui(ui, plan, &network) {
        return Some(edit);
    }
    ui.separator();
    crate::app::connect::connect_ui(ui, plan, revision, &network)
}

/// Route tables (UDRs): their routes and the subnets they are associated with.
fn route_tables_ui(ui: &mut egui::Ui, plan: &Plan, network: &mut Network, subnets: &[(SubnetId, String)], drafts: &mut Drafts) -> bool {
    ui.label(RichText::new("Route tables").strong());
    let mut changed = false;
    let mut remove_table = None;
    for (table_index, table) in network.route_tables.iter_mut().enumerate() {
        changed |= ui.add(egui::TextEdit::singleline(&mut table.name).desired_width(f32::INFINITY)).changed();
        changed |= ui
            .checkbox(&mut table.created_at_failover, "created at failover")
            .on_hover_text("The recovery plan creates the table and associates it with its subnets during failover (seed 003 step d)")
            .changed();
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
                if let NextHop::VirtualAppliance(ip) = route.next_hop
                    && let Some(ip) = parsed_row(ui, drafts, &format!("{field}/hop-ip"), "Appliance IP", &ip.to_string(), parse_ip)
                {
                    route.next_hop = NextHop::VirtualAppliance(ip);
                    changed = true;
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
                if associated {
                    table.subnets.push(id.clone())
                } else {
                    table.subnets.retain(|subnet| subnet != id)
                }
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
            azure: Default::default(),
            created_at_failover: false,
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
