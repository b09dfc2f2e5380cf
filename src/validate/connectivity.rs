//! Connectivity rules: which networks can be joined, ExpressRoute circuit design (seed 003),
//! peering settings, and like-for-like connectivity on the recovery side (seeds 001 and 003).

use std::collections::{BTreeMap, BTreeSet};

use ipnet::IpNet;

use super::AddressScope;
use super::context::list_prefixes;
use super::{Context, Findings, Passes, Rule, Severity, explanations, reads, sources};
use crate::model::overlap::{overlapping_pairs, overlaps_between};
use crate::model::*;

pub(super) static RULES: [Rule; 9] = [
    Rule {
        id: "CONN-OVERLAP",
        severity: Severity::Error,
        summary: "Two networks joined by VPN or peering have overlapping address spaces.",
        sources: &[sources::RETAIN_IP_AZURE],
        check: connection_overlap,
        explanation: explanations::CONN_OVERLAP,
        blocks_retention: false,
        reads: Parts::CONNECTIONS.union(Parts::NETWORKS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "CIRCUIT-OVERLAP",
        severity: Severity::Error,
        summary: "Two networks with overlapping address spaces are connected to one ExpressRoute circuit at the same time.",
        sources: &[sources::EXPRESSROUTE],
        check: circuit_overlap,
        explanation: explanations::CIRCUIT_OVERLAP,
        blocks_retention: false,
        reads: Parts::CONNECTIONS.union(Parts::NETWORKS).union(Parts::CIRCUITS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "CIRCUIT-SAME-LOCATION-SAME-VNET",
        severity: Severity::Error,
        summary: "Two circuits created at the same peering location are connected to the same network.",
        sources: &[sources::EXPRESSROUTE],
        check: circuit_same_location_same_network,
        explanation: explanations::CIRCUIT_SAME_LOCATION_SAME_VNET,
        blocks_retention: false,
        reads: Parts::CONNECTIONS.union(Parts::NETWORKS).union(Parts::CIRCUITS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "CIRCUIT-SINGLE-LOCATION",
        severity: Severity::Warning,
        summary: "All circuits of a site are at one peering location: no protection if that location goes down.",
        sources: &[sources::EXPRESSROUTE],
        check: circuit_single_location,
        explanation: explanations::CIRCUIT_SINGLE_LOCATION,
        blocks_retention: false,
        reads: Parts::CIRCUITS.union(Parts::SITES),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "CIRCUIT-SINGLE",
        severity: Severity::Warning,
        summary: "One circuit, and the recovery network reuses the source address space.",
        sources: &[sources::EXPRESSROUTE],
        check: circuit_single,
        explanation: explanations::CIRCUIT_SINGLE,
        blocks_retention: false,
        reads: reads::LINKS,
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "CIRCUIT-PREMIUM",
        severity: Severity::Error,
        summary: "A single circuit whose peering location is in another geography than the recovery region, without Premium.",
        sources: &[sources::EXPRESSROUTE],
        check: circuit_premium,
        explanation: explanations::CIRCUIT_PREMIUM,
        blocks_retention: false,
        reads: reads::LINKS,
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "CIRCUIT-ROUTING",
        severity: Severity::Info,
        summary: "With connections to source and target, on-premises routing must use only the secondary circuit after failover.",
        sources: &[sources::EXPRESSROUTE],
        check: circuit_routing,
        explanation: explanations::CIRCUIT_ROUTING,
        blocks_retention: false,
        reads: reads::LINKS,
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "PEERING-GATEWAY-TRANSIT",
        severity: Severity::Error,
        summary: "A peering uses remote gateways the other side does not offer.",
        sources: &[sources::EXPRESSROUTE, sources::AZURE_VNET],
        check: peering_gateway_transit,
        explanation: explanations::PEERING_GATEWAY_TRANSIT,
        blocks_retention: false,
        reads: Parts::CONNECTIONS.union(Parts::NETWORKS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "LIKE-FOR-LIKE",
        severity: Severity::Warning,
        summary: "The recovery side joins a pair of networks differently from the source side.",
        sources: &[sources::RETAIN_IP_AZURE, sources::EXPRESSROUTE],
        check: like_for_like,
        explanation: explanations::LIKE_FOR_LIKE,
        blocks_retention: false,
        reads: Parts::NETWORKS.union(Parts::CONNECTIONS).union(Parts::MAPPINGS).union(Parts::SITES),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
];

/// CONN-OVERLAP: a VPN or peering (now or prepared) between overlapping address spaces.
fn connection_overlap(context: &Context, findings: &mut Findings) {
    for connection in &context.plan.connections {
        if !matches!(connection.link, Link::SiteToSiteVpn { .. } | Link::VnetPeering { .. }) {
            continue;
        }
        let (Some(from), Some(to)) = context.ends_of(connection) else { continue };
        let overlaps = overlaps_between(&from.address_space, &to.address_space);
        if overlaps.is_empty() {
            continue;
        }
        let (a, b) = overlaps[0];
        findings.add(
            vec![Context::connection_ref(connection), Context::network_ref(from), Context::network_ref(to)],
            format!(
                "The {} \"{}\" joins \"{}\" and \"{}\", whose address spaces overlap ({a} and {b}): such a connection cannot be made.",
                connection.link.label(),
                connection.name,
                from.name,
                to.name
            ),
            "Give one of the networks a different address space (for example, put replica infrastructure in its own range), or remove the connection."
                .to_owned(),
        );
    }
}

/// Connections to each circuit, by circuit id, in plan order.
fn connections_by_circuit<'a>(context: &Context<'a>) -> BTreeMap<&'a CircuitId, Vec<&'a Connection>> {
    let mut by_circuit: BTreeMap<&CircuitId, Vec<&Connection>> = BTreeMap::new();
    for connection in &context.plan.connections {
        if let Some(circuit) = connection.circuit() {
            by_circuit.entry(circuit).or_default().push(connection);
        }
    }
    by_circuit
}

/// Circuits of each on-premises site, by site id.
fn circuits_by_site<'a>(context: &Context<'a>) -> BTreeMap<&'a SiteId, Vec<&'a Circuit>> {
    let mut by_site: BTreeMap<&SiteId, Vec<&Circuit>> = BTreeMap::new();
    for circuit in &context.plan.circuits {
        by_site.entry(&circuit.site).or_default().push(circuit);
    }
    by_site
}

/// Pairs of distinct networks among `networks` whose address spaces overlap (sort and sweep).
pub(super) fn overlapping_networks<'a>(networks: &[&'a Network]) -> Vec<(&'a Network, &'a Network)> {
    let prefixes: Vec<(IpNet, usize)> =
        networks.iter().enumerate().flat_map(|(index, network)| network.address_space.iter().map(move |prefix| (prefix.net(), index))).collect();
    let pairs: BTreeSet<(usize, usize)> = overlapping_pairs(&prefixes).into_iter().filter(|(a, b)| a != b).map(|(a, b)| (a.min(b), a.max(b))).collect();
    pairs.into_iter().map(|(a, b)| (networks[a], networks[b])).collect()
}

fn distinct_networks<'a>(context: &Context<'a>, connections: &[&'a Connection]) -> Vec<&'a Network> {
    let mut seen = BTreeSet::new();
    connections.iter().filter(|connection| seen.insert(&connection.from)).filter_map(|connection| context.network(&connection.from)).collect()
}

/// CIRCUIT-OVERLAP: overlapping networks actively connected to one circuit.
fn circuit_overlap(context: &Context, findings: &mut Findings) {
    for (circuit_id, connections) in connections_by_circuit(context) {
        let Some(circuit) = context.circuit(circuit_id) else { continue };
        let active: Vec<&Connection> = connections.into_iter().filter(|connection| connection.is_active()).collect();
        for (a, b) in overlapping_networks(&distinct_networks(context, &active)) {
            findings.add(vec![Context::circuit_ref(circuit), Context::network_ref(a), Context::network_ref(b)],
                format!(
                    "Networks \"{}\" ({}) and \"{}\" ({}) have overlapping address spaces and are both connected to ExpressRoute circuit \"{}\" now.",
                    a.name,
                    list_prefixes(&Context::address_space(a)),
                    b.name,
                    list_prefixes(&Context::address_space(b)),
                    circuit.name
                ),
                "Connect only one of them at a time: mark the recovery connection as prepared (made during failover, after the source one is disconnected), or give the recovery network a different address space.".to_owned(),
            );
        }
    }
}

/// CIRCUIT-SAME-LOCATION-SAME-VNET: two circuits of one peering location on one network.
fn circuit_same_location_same_network(context: &Context, findings: &mut Findings) {
    // Only circuits that share a peering location with another can be found; a plan has a few
    // circuits and thousands of connections (which the validation after each edit of a circuit
    // or a connection reads again).
    let circuits = &context.plan.circuits;
    let sharing: Vec<&CircuitId> = circuits
        .iter()
        .filter(|circuit| circuits.iter().any(|other| other.id != circuit.id && same_location(circuit, other)))
        .map(|circuit| &circuit.id)
        .collect();
    if sharing.is_empty() {
        return;
    }
    let mut circuits_of_network: BTreeMap<&NetworkId, BTreeSet<&CircuitId>> = BTreeMap::new();
    for connection in &context.plan.connections {
        if let Some(circuit) = connection.circuit().filter(|circuit| sharing.contains(circuit)) {
            circuits_of_network.entry(&connection.from).or_default().insert(circuit);
        }
    }
    for (network_id, circuit_ids) in circuits_of_network {
        let Some(network) = context.network(network_id) else { continue };
        let circuits: Vec<&Circuit> = circuit_ids.into_iter().filter_map(|id| context.circuit(id)).collect();
        for (index, a) in circuits.iter().enumerate() {
            for b in &circuits[index + 1..] {
                if !same_location(a, b) {
                    continue;
                }
                findings.add(vec![Context::network_ref(network), Context::circuit_ref(a), Context::circuit_ref(b)],
                    format!(
                        "Circuits \"{}\" and \"{}\" are both at peering location {} and both connected to network \"{}\": two circuits created at the same peering location cannot connect to the same network.",
                        a.name, b.name, a.peering_location, network.name
                    ),
                    "Connect the second circuit to the recovery network instead, or use a circuit at another peering location.".to_owned(),
                );
            }
        }
    }
}

fn same_location(a: &Circuit, b: &Circuit) -> bool {
    a.peering_location.trim().eq_ignore_ascii_case(b.peering_location.trim())
}

/// CIRCUIT-SINGLE-LOCATION: a site whose several circuits all sit at one peering location.
fn circuit_single_location(context: &Context, findings: &mut Findings) {
    for (site_id, circuits) in circuits_by_site(context) {
        if circuits.len() < 2 || !circuits.iter().all(|circuit| same_location(circuit, circuits[0])) {
            continue;
        }
        let mut elements: Vec<_> = circuits.iter().map(|circuit| Context::circuit_ref(circuit)).collect();
        let site_name = context.site(site_id).map_or(site_id.as_str(), |site| site.name.as_str());
        elements.extend(context.site(site_id).map(Context::site_ref));
        findings.add(elements,
            format!(
                "All {} ExpressRoute circuits of \"{site_name}\" are at peering location {}: they protect against a circuit failure, but not against the loss of that location.",
                circuits.len(),
                circuits[0].peering_location
            ),
            "Put the secondary circuit at another peering location (for example, primary in Hong Kong and secondary in Singapore).".to_owned(),
        );
    }
}

/// Networks a circuit serves now or after failover: those connected to it and, for each, the
/// recovery network it is mapped to.
fn networks_served<'a>(context: &Context<'a>, connections: &[&'a Connection]) -> Vec<&'a Network> {
    let mut ids: Vec<&NetworkId> = Vec::new();
    for connection in connections {
        for id in std::iter::once(&connection.from).chain(context.mapped_target(&connection.from)) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids.into_iter().filter_map(|id| context.network(id)).collect()
}

fn site_role(context: &Context, network: &Network) -> Option<SiteRole> {
    context.site_of(network).map(|site| site.role)
}

/// Single circuits whose source and recovery networks share an address space: (circuit,
/// source network, recovery network). Shared by CIRCUIT-SINGLE and TEST-OVERLAP-SINGLE-CIRCUIT.
pub(super) fn single_circuit_reuse<'a>(context: &Context<'a>) -> Vec<(&'a Circuit, &'a Network, &'a Network)> {
    let by_site = circuits_by_site(context);
    let mut found = Vec::new();
    for (circuit_id, connections) in connections_by_circuit(context) {
        let Some(circuit) = context.circuit(circuit_id) else { continue };
        if by_site.get(&circuit.site).map_or(0, Vec::len) != 1 {
            continue;
        }
        let networks = networks_served(context, &connections);
        for (a, b) in overlapping_networks(&networks) {
            let (Some(role_a), Some(role_b)) = (site_role(context, a), site_role(context, b)) else { continue };
            match (role_a, role_b) {
                (SiteRole::Primary, SiteRole::Recovery) => found.push((circuit, a, b)),
                (SiteRole::Recovery, SiteRole::Primary) => found.push((circuit, b, a)),
                _ => {}
            }
        }
    }
    found
}

/// CIRCUIT-SINGLE: the only circuit of a site serves a source and a recovery network that share
/// an address space.
fn circuit_single(context: &Context, findings: &mut Findings) {
    for (circuit, source, recovery) in single_circuit_reuse(context) {
        findings.add(vec![Context::circuit_ref(circuit), Context::network_ref(source), Context::network_ref(recovery)],
            format!(
                "\"{}\" is the only circuit, and recovery network \"{}\" reuses the address space of \"{}\": the source connection must be disconnected before the recovery one is made. In a regional outage that disconnect can fail, and if the primary region comes back, two connections to one address space drop packets.",
                circuit.name, recovery.name, source.name
            ),
            "Add a second circuit at another peering location, or give the recovery network a different address space. If neither is possible, script the disconnect-then-connect in the recovery plan and terminate the primary connection immediately.".to_owned(),
        );
    }
}

/// CIRCUIT-PREMIUM: the only circuit of a site reaching a recovery region in another geography.
fn circuit_premium(context: &Context, findings: &mut Findings) {
    let by_site = circuits_by_site(context);
    for (circuit_id, connections) in connections_by_circuit(context) {
        let Some(circuit) = context.circuit(circuit_id) else { continue };
        if circuit.premium || by_site.get(&circuit.site).map_or(0, Vec::len) != 1 {
            continue;
        }
        for network in networks_served(context, &connections) {
            let Some(site) = context.site_of(network) else { continue };
            let Some(geography) = &site.geography else { continue };
            if site.role != SiteRole::Recovery || geography.trim().eq_ignore_ascii_case(circuit.geography.trim()) {
                continue;
            }
            findings.add(vec![Context::circuit_ref(circuit), Context::network_ref(network), Context::site_ref(site)],
                format!(
                    "\"{}\" is the only circuit; its peering location {} is in {}, but recovery network \"{}\" is in \"{}\" ({}). A Standard circuit cannot reach a region in another geopolitical area.",
                    circuit.name, circuit.peering_location, circuit.geography, network.name, site.name, geography
                ),
                "Enable the ExpressRoute Premium add-on on the circuit, or recover to a region in the circuit's geography.".to_owned(),
            );
        }
    }
}

/// CIRCUIT-ROUTING: one site reaches a source network and a recovery network over different
/// circuits, so after failover both connections exist at once.
fn circuit_routing(context: &Context, findings: &mut Findings) {
    for (site_id, circuits) in circuits_by_site(context) {
        let mut primary_circuits = BTreeSet::new();
        let mut recovery_circuits = BTreeSet::new();
        for connection in &context.plan.connections {
            let Some(circuit) = connection.circuit() else { continue };
            if !circuits.iter().any(|candidate| &candidate.id == circuit) {
                continue;
            }
            match context.network(&connection.from).and_then(|network| site_role(context, network)) {
                Some(SiteRole::Primary) => primary_circuits.insert(circuit),
                Some(SiteRole::Recovery) => recovery_circuits.insert(circuit),
                _ => false,
            };
        }
        let Some(secondary) = recovery_circuits.iter().find(|circuit| !primary_circuits.contains(*circuit)) else {
            continue;
        };
        let Some(secondary) = context.circuit(secondary) else { continue };
        let mut elements = vec![Context::circuit_ref(secondary)];
        elements.extend(primary_circuits.iter().filter_map(|id| context.circuit(id)).map(Context::circuit_ref));
        elements.extend(context.site(site_id).map(Context::site_ref));
        findings.add(elements,
            format!(
                "The on-premises site reaches the source networks and the recovery networks over different circuits; after failover both connections exist at once, so on-premises routing must send traffic only over \"{}\".",
                secondary.name
            ),
            "Add a recovery plan step that makes on-premises routing prefer the secondary circuit and its connection after failover.".to_owned(),
        );
    }
}

/// PEERING-GATEWAY-TRANSIT: "use remote gateways" needs the other side to allow gateway
/// transit and to have a gateway.
fn peering_gateway_transit(context: &Context, findings: &mut Findings) {
    for connection in &context.plan.connections {
        let Link::VnetPeering { from_side, to_side, .. } = &connection.link else { continue };
        let (Some(from), Some(to)) = context.ends_of(connection) else { continue };
        for (user, user_side, remote, remote_side) in [(from, from_side, to, to_side), (to, to_side, from, from_side)] {
            if !user_side.use_remote_gateways {
                continue;
            }
            let gateway_ready = remote.gateways.iter().any(|gateway| gateway.provisioned_before_failover || connection.state == ConnectionState::Prepared);
            let problem = if !remote_side.allow_gateway_transit {
                format!("\"{}\" does not allow gateway transit", remote.name)
            } else if remote.gateways.is_empty() {
                format!("\"{}\" has no gateway", remote.name)
            } else if !gateway_ready {
                format!("the gateway of \"{}\" is only created during failover, but the peering is active now", remote.name)
            } else {
                continue;
            };
            findings.add(vec![Context::connection_ref(connection), Context::network_ref(user), Context::network_ref(remote)],
                format!(
                    "In peering \"{}\", \"{}\" uses remote gateways, but {problem}.",
                    connection.name, user.name
                ),
                format!(
                    "On the \"{}\" side, allow gateway transit and give it a gateway (hub and spoke: the hub allows transit, the spokes use remote gateways), or turn off \"use remote gateways\" on the \"{}\" side.",
                    remote.name, user.name
                ),
            );
        }
    }
}

/// The settings of a peering seen from `from`: (settings on `from`'s side, on the other side).
fn settings_from(connection: &Connection, from: &NetworkId) -> Option<(PeeringSettings, PeeringSettings)> {
    let Link::VnetPeering { from_side, to_side, .. } = &connection.link else { return None };
    Some(if &connection.from == from { (*from_side, *to_side) } else { (*to_side, *from_side) })
}

/// How a network reaches on-premises: by ExpressRoute (a circuit) and by site-to-site VPN (to a
/// network of an on-premises site), active or prepared.
fn on_premises_links<'a>(context: &Context<'a>, network: &Network) -> (Vec<&'a Connection>, Vec<&'a Connection>) {
    let on_premises = |other: &Network| context.site_of(other).is_some_and(|site| site.kind != SiteKind::CloudRegion);
    let mut by_circuit = Vec::new();
    let mut by_vpn = Vec::new();
    for connection in context.links_of(network) {
        match &connection.link {
            Link::ExpressRoute { .. } if connection.from == network.id => by_circuit.push(connection),
            Link::SiteToSiteVpn { .. } => {
                let (from, to) = context.ends_of(connection);
                let other = if from.is_some_and(|from| from.id == network.id) { to } else { from };
                if other.is_some_and(on_premises) {
                    by_vpn.push(connection);
                }
            }
            _ => {}
        }
    }
    (by_circuit, by_vpn)
}

/// LIKE-FOR-LIKE, on-premises side: a recovery network should reach on-premises the way its
/// source does (seed 001 mimics source connectivity including the connection type): ExpressRoute
/// on one side and only a VPN on the other behave differently after failover.
fn like_for_like_on_premises(context: &Context, findings: &mut Findings) {
    for source in &context.plan.networks {
        let Some(recovery) = context.recovery_network_of(source) else { continue };
        let (source_circuit, source_vpn) = on_premises_links(context, source);
        let (recovery_circuit, recovery_vpn) = on_premises_links(context, recovery);
        let way = |circuit: &[&Connection], vpn: &[&Connection]| match (circuit.is_empty(), vpn.is_empty()) {
            (false, _) => Some("ExpressRoute"),
            (true, false) => Some("site-to-site VPN"),
            (true, true) => None,
        };
        let (Some(source_way), Some(recovery_way)) = (way(&source_circuit, &source_vpn), way(&recovery_circuit, &recovery_vpn)) else { continue };
        if source_way == recovery_way {
            continue;
        }
        let mut elements = vec![Context::network_ref(recovery), Context::network_ref(source)];
        elements.extend(
            recovery_circuit.iter().chain(&recovery_vpn).chain(&source_circuit).chain(&source_vpn).map(|connection| Context::connection_ref(connection)),
        );
        findings.add(elements,
            format!(
                "Recovery network \"{}\" reaches on-premises by {recovery_way} where its source \"{}\" uses {source_way}: connectivity after failover will not behave as before.",
                recovery.name, source.name
            ),
            format!("Connect \"{}\" to on-premises by {source_way} as the source is, or accept the difference knowingly (bandwidth, latency and routing differ).", recovery.name),
        );
    }
}

/// LIKE-FOR-LIKE: for every connection between two networks, the connections that join their
/// recovery counterparts should be of the same type, with the same peering settings; and each
/// recovery network should reach on-premises the way its source does.
fn like_for_like(context: &Context, findings: &mut Findings) {
    like_for_like_on_premises(context, findings);
    let plan = context.plan;
    for source in &plan.connections {
        let (Some(a), Some(b)) = context.ends_of(source) else { continue };
        let (a_target, b_target) = (context.recovery_network_of(a), context.recovery_network_of(b));
        let candidate_pairs = [(a_target, Some(b)), (Some(a), b_target), (a_target, b_target)];
        for (x, y) in candidate_pairs {
            let (Some(network_x), Some(network_y)) = (x, y) else { continue };
            if (network_x.id == a.id && network_y.id == b.id) || network_x.id == network_y.id {
                continue;
            }
            for recovery in context.connections_between(network_x, network_y) {
                let same_type = std::mem::discriminant(&recovery.link) == std::mem::discriminant(&source.link);
                let same_settings = settings_from(source, &a.id) == settings_from(recovery, &network_x.id);
                if same_type && same_settings {
                    continue;
                }
                let difference = if same_type {
                    "with different peering settings".to_owned()
                } else {
                    format!("by {} where the source side uses {}", recovery.link.label(), source.link.label())
                };
                findings.add(
                    vec![Context::connection_ref(recovery), Context::connection_ref(source), Context::network_ref(network_x), Context::network_ref(network_y)],
                    format!(
                        "\"{}\" joins \"{}\" and \"{}\" {difference} (\"{}\"): connectivity after failover will not behave as before.",
                        recovery.name, network_x.name, network_y.name, source.name
                    ),
                    "Mimic the source connectivity on the recovery side: the same connection type and, for peerings, the same four settings.".to_owned(),
                );
            }
        }
    }
}
