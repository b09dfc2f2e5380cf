//! The network steps of a recovery plan, before any machine fails over: disconnections first (a
//! connection to the same address space is never made while the old one is up), then gateways
//! and route tables, then the connections and peerings that need the gateways, then the NVAs the
//! routes lead to. Steps of one batch do not depend on each other and run at the same time.
//! A link with an on-premises end is a manual step for the network team: its changes are made on
//! devices drplan cannot script (seed 001, seed 003). Route tables come after the gateways: Azure
//! refuses changes to a GatewaySubnet while its gateway deploys.

use std::collections::BTreeSet;

use super::timing::*;
use super::{Action, Execution, RouteEntry, Step, Steps, network_name};
use crate::model::*;
use crate::simulate::{Difference, Outcome};

/// The networks at the recovery side that take over: machines move into them, or connections,
/// peerings or gateways are made for them.
pub(super) fn activated_networks<'a>(plan: &PlanIndex<'a>, scenario: &Scenario, outcome: &Outcome) -> Vec<&'a Network> {
    let mut ids: BTreeSet<&NetworkId> = BTreeSet::new();
    for difference in &outcome.differences {
        match difference {
            Difference::MachineMoved { to_subnet: Some(subnet), test_copy: false, .. } => ids.extend(plan.subnet(subnet).map(|subnet| &subnet.network)),
            Difference::ConnectionEstablished { connection, .. } | Difference::PeeringCreated { connection, .. } => {
                if let Some(connection) = plan.connection(connection) {
                    ids.insert(&connection.from);
                    ids.extend(connection.to_network());
                }
            }
            Difference::GatewayCreated { network, .. } => {
                ids.insert(network);
            }
            _ => {}
        }
    }
    plan.plan.networks.iter().filter(|network| ids.contains(&network.id) && network.site == scenario.to_site).collect()
}

fn other_end(plan: &PlanIndex, connection: &Connection) -> String {
    match &connection.link {
        Link::ExpressRoute { circuit } => plan.circuit(circuit).map_or_else(|| circuit.to_string(), |circuit| circuit.name.clone()),
        Link::SiteToSiteVpn { to } | Link::StretchedVlan { to } | Link::VnetPeering { to, .. } => network_name(plan, to),
    }
}

/// Whether either end of a link is a network on premises.
fn has_on_premises_end(plan: &PlanIndex, connection: &Connection) -> bool {
    let on_premises = |id: &NetworkId| plan.network(id).and_then(|network| plan.site_of(network)).is_some_and(|site| site.kind.is_on_premises());
    on_premises(&connection.from) || connection.to_network().is_some_and(on_premises)
}

/// The title of a step that connects or disconnects a link, and who does it: a script, or for a
/// link with an on-premises end the network team.
fn link_step(plan: &PlanIndex, connection: &Connection, verb: &str, link: &str) -> (String, Execution) {
    if has_on_premises_end(plan, connection) {
        (on_premises_title(plan, connection, verb, link), Execution::Manual)
    } else {
        (format!("{verb} {link} \"{}\"", connection.name), Execution::Scripted)
    }
}

/// What the network team does for a link with an on-premises end, naming both address spaces.
fn on_premises_title(plan: &PlanIndex, connection: &Connection, verb: &str, link: &str) -> String {
    let space = |id: &NetworkId| {
        plan.network(id).map_or_else(String::new, |network| network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
    };
    let far = connection.to_network().map(|to| format!(" and \"{}\" ({})", network_name(plan, to), space(to))).unwrap_or_default();
    format!(
        "{verb} {link} \"{}\" between \"{}\" ({}){far}: the network team changes the on-premises device and firewall for these prefixes",
        connection.name,
        network_name(plan, &connection.from),
        space(&connection.from)
    )
}

/// The kind of gateway a link needs.
fn gateway_kind_of(link: &Link) -> GatewayKind {
    match link {
        Link::ExpressRoute { .. } => GatewayKind::ExpressRoute,
        _ => GatewayKind::Vpn,
    }
}

/// The name of a network's gateway of a kind, or a name derived from the network's.
fn gateway_name(plan: &PlanIndex, network: &NetworkId, kind: GatewayKind) -> String {
    let network_found = plan.network(network);
    network_found
        .and_then(|network| network.gateways.iter().find(|gateway| gateway.kind == kind))
        .map(|gateway| gateway.name.clone())
        .unwrap_or_else(|| format!("{} gateway", network_found.map_or(network.as_str(), |network| network.name.as_str())))
}

pub(super) fn gateway_secs(kind: GatewayKind) -> u32 {
    match kind {
        GatewayKind::Vpn => CREATE_VPN_GATEWAY_SECS,
        GatewayKind::ExpressRoute => CREATE_EXPRESSROUTE_GATEWAY_SECS,
    }
}

/// The network steps before group 1, each batch's later steps running alongside its first.
/// `before` indexes the network before the scenario (`outcome.before`).
pub(super) fn network_steps(before: &PlanIndex, scenario: &Scenario, outcome: &Outcome, steps: &mut Steps) -> Vec<Step> {
    let test = scenario.failover_type == FailoverType::Test;
    let activated = activated_networks(before, scenario, outcome);
    let mut batches: [Vec<(String, Execution, u32, Action)>; 3] = Default::default();
    for difference in &outcome.differences {
        match difference {
            Difference::ConnectionDisconnected { connection, name, link } => {
                let Some(found) = before.connection(connection) else { continue };
                let action = Action::Disconnect {
                    connection: connection.clone(),
                    name: name.clone(),
                    link: *link,
                    network: network_name(before, &found.from),
                    other_end: other_end(before, found),
                };
                let (title, execution) = link_step(before, found, "Disconnect", link.label());
                batches[0].push((title, execution, DISCONNECT_SECS, action));
            }
            Difference::GatewayCreated { network, gateway, name, kind } => batches[1].push((
                format!("Create {} gateway \"{name}\" on \"{}\"", kind.label(), network_name(before, network)),
                Execution::Scripted,
                gateway_secs(*kind),
                Action::CreateGateway { gateway: gateway.clone(), name: name.clone(), kind: *kind, network: network_name(before, network), prepared: false },
            )),
            Difference::ConnectionEstablished { connection, name, link } => {
                let Some(found) = before.connection(connection) else { continue };
                let action = Action::Connect {
                    connection: connection.clone(),
                    name: name.clone(),
                    link: *link,
                    network: network_name(before, &found.from),
                    other_end: other_end(before, found),
                    gateway: gateway_name(before, &found.from, gateway_kind_of(&found.link)),
                    other_gateway: found.to_network().map(|to| gateway_name(before, to, GatewayKind::Vpn)),
                };
                let (title, execution) = link_step(before, found, "Connect", link.label());
                batches[2].push((title, execution, CONNECT_SECS, action));
            }
            Difference::PeeringCreated { connection, name, from, to, from_side, to_side } => batches[2].push((
                format!("Create VNet peering \"{name}\" with the same settings as the source side"),
                Execution::Scripted,
                PEERING_SECS,
                Action::CreatePeering {
                    connection: connection.clone(),
                    name: name.clone(),
                    from: network_name(before, from),
                    to: network_name(before, to),
                    from_side: *from_side,
                    to_side: *to_side,
                },
            )),
            _ => {}
        }
    }
    // Seed 003 step d: the UDRs of the recovery hub and spokes, when they are made at failover.
    if !test {
        for network in &activated {
            for table in network.route_tables.iter().filter(|table| table.created_at_failover) {
                let subnets: Vec<(String, Prefix)> =
                    table.subnets.iter().filter_map(|id| before.subnet(id)).map(|subnet| (subnet.name.clone(), subnet.prefix)).collect();
                let routes: Vec<RouteEntry> =
                    table.routes.iter().map(|route| RouteEntry { name: route.name.clone(), prefix: route.prefix, next_hop: route.next_hop.clone() }).collect();
                batches[2].push((
                    format!(
                        "Create route table \"{}\" on \"{}\" ({} routes, as on the source side) and associate it with {}",
                        table.name,
                        network.name,
                        routes.len(),
                        if subnets.is_empty() {
                            "no subnet".to_owned()
                        } else {
                            subnets.iter().map(|(name, _)| format!("\"{name}\"")).collect::<Vec<_>>().join(", ")
                        }
                    ),
                    Execution::Scripted,
                    ROUTE_TABLE_SECS,
                    Action::CreateRouteTable { name: table.name.clone(), network: network.name.clone(), routes, subnets },
                ));
            }
        }
    }
    let mut made = Vec::new();
    for batch in batches {
        let mut first = None;
        for (title, execution, duration, action) in batch {
            let mut step = steps.step(title, execution, duration, true, action);
            step.alongside = first;
            first = first.or(Some(step.number));
            made.push(step);
        }
    }
    // The NVAs the recovery side's routes lead to run before any group that routes through them.
    if !test {
        let hops: BTreeSet<std::net::IpAddr> = activated.iter().flat_map(|network| network.appliance_hops()).collect();
        for network in &activated {
            for nva in network.nvas.iter().filter(|nva| hops.contains(&nva.ip)) {
                made.push(steps.step(
                    format!(
                        "Check that NVA \"{}\" ({}) on \"{}\" runs and forwards: the recovery side's routes lead through it",
                        nva.name, nva.ip, network.name
                    ),
                    Execution::Manual,
                    START_NVA_SECS,
                    true,
                    Action::CheckNva { name: nva.name.clone(), ip: nva.ip, network: network.name.clone() },
                ));
            }
        }
    }
    made
}
