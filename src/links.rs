//! Which connections can join two elements of a plan, and the new connection that joins them:
//! the canvas offers only these when the user drags from one network to another, and the
//! inspector lists the same. A pair that cannot be joined gets the reason.
//!
//! The pairs follow the domain's connection kinds (DOMAIN.md, "Connection"): a site-to-site VPN
//! joins any two networks; a VNet peering joins two Azure VNets; an ExpressRoute connection joins
//! an Azure VNet's gateway to a circuit (private peering); a stretched VLAN joins two on-premises
//! networks at different sites (layer 2 cannot be stretched into Azure).

use crate::edit::fresh_id;
use crate::model::*;

/// The far end of a new connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LinkEnd {
    Network(NetworkId),
    Circuit(CircuitId),
}

/// One way to join two elements.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkOption {
    pub from: NetworkId,
    pub to: LinkEnd,
    pub kind: LinkKind,
}

fn is_vnet(plan: &Plan, network: &Network) -> bool {
    network.kind == NetworkKind::Vnet && plan.site(&network.site).is_some_and(|site| !site.kind.is_on_premises())
}

fn is_on_premises(plan: &Plan, network: &Network) -> bool {
    plan.site(&network.site).is_some_and(|site| site.kind.is_on_premises())
}

/// True when a connection of this kind already joins the two ends (in either direction).
fn already_joined(plan: &Plan, from: &NetworkId, to: &LinkEnd, kind: LinkKind) -> bool {
    plan.connections.iter().any(|connection| joins(connection, from, to, kind))
}

/// True when `connection` is of this kind and joins network `from` to `to` (in either
/// direction).
fn joins(connection: &Connection, from: &NetworkId, to: &LinkEnd, kind: LinkKind) -> bool {
    connection.link.kind() == kind
        && match to {
            LinkEnd::Circuit(circuit) => &connection.from == from && connection.circuit() == Some(circuit),
            LinkEnd::Network(to) => connection.network_pair().is_some_and(|(a, b)| (a == from && b == to) || (a == to && b == from)),
        }
}

/// The kinds that can join network `from` to network `to`, or why none can; `joined` says
/// whether a connection of a kind already joins them.
fn between_networks(plan: &Plan, from: &Network, to: &Network, joined: impl Fn(LinkKind) -> bool) -> Result<Vec<LinkKind>, String> {
    if from.id == to.id {
        return Err(format!("\"{}\" cannot be connected to itself", from.name));
    }
    let mut kinds = vec![LinkKind::SiteToSiteVpn];
    if is_vnet(plan, from) && is_vnet(plan, to) {
        kinds.push(LinkKind::VnetPeering);
    }
    if is_on_premises(plan, from) && is_on_premises(plan, to) && from.site != to.site {
        kinds.push(LinkKind::StretchedVlan);
    }
    let open: Vec<LinkKind> = kinds.into_iter().filter(|kind| !joined(*kind)).collect();
    if open.is_empty() {
        return Err(format!("\"{}\" and \"{}\" are already joined by every kind of connection they allow", from.name, to.name));
    }
    Ok(open)
}

/// Whether an ExpressRoute connection can join `network` to `circuit`, or why not; `joined` says
/// whether one already does.
fn to_circuit(plan: &Plan, network: &Network, circuit: &Circuit, joined: bool) -> Result<Vec<LinkKind>, String> {
    if !is_vnet(plan, network) {
        return Err(format!(
            "an ExpressRoute connection joins an Azure VNet's gateway to a circuit; \"{}\" is not an Azure VNet (on-premises networks reach the circuit through their site's provider)",
            network.name
        ));
    }
    if joined {
        return Err(format!("\"{}\" is already connected to circuit \"{}\"", network.name, circuit.name));
    }
    Ok(vec![LinkKind::ExpressRoute])
}

/// Every connection that can join `network` to another network or a circuit of the plan, in
/// plan order: what the inspector offers. The same as `link_options` from `network` to each of
/// them, in one pass over the connections rather than one per element (at 100k prefixes, twenty
/// thousand networks times as many connections at every frame the inspector shows a network).
pub fn options_from(plan: &Plan, network: &Network) -> Vec<LinkOption> {
    let joined: rustc_hash::FxHashSet<(LinkKind, LinkEnd)> = plan
        .connections
        .iter()
        .filter_map(|connection| {
            let kind = connection.link.kind();
            match (connection.circuit(), connection.network_pair()) {
                (Some(circuit), _) if connection.from == network.id => Some((kind, LinkEnd::Circuit(circuit.clone()))),
                (_, Some((a, b))) if a == &network.id => Some((kind, LinkEnd::Network(b.clone()))),
                (_, Some((a, b))) if b == &network.id => Some((kind, LinkEnd::Network(a.clone()))),
                _ => None,
            }
        })
        .collect();
    let mut options = Vec::new();
    for other in &plan.networks {
        let end = LinkEnd::Network(other.id.clone());
        let kinds = between_networks(plan, network, other, |kind| joined.contains(&(kind, end.clone()))).unwrap_or_default();
        options.extend(kinds.into_iter().map(|kind| LinkOption { from: network.id.clone(), to: end.clone(), kind }));
    }
    for circuit in &plan.circuits {
        let end = LinkEnd::Circuit(circuit.id.clone());
        let kinds = to_circuit(plan, network, circuit, joined.contains(&(LinkKind::ExpressRoute, end.clone()))).unwrap_or_default();
        options.extend(kinds.into_iter().map(|kind| LinkOption { from: network.id.clone(), to: end.clone(), kind }));
    }
    options
}

/// What the user dragged from or dropped onto.
#[derive(Clone, Copy, Debug)]
pub enum Endpoint<'a> {
    Network(&'a NetworkId),
    Circuit(&'a CircuitId),
    Site(&'a SiteId),
}

/// Every connection that can join `from` and `to` (a site stands for each of its networks), or
/// the reason none can.
pub fn link_options<'a>(plan: &'a Plan, from: Endpoint, to: Endpoint) -> Result<Vec<LinkOption>, String> {
    let networks_of = |endpoint: Endpoint| -> Vec<&'a Network> {
        match endpoint {
            Endpoint::Network(id) => plan.network(id).into_iter().collect(),
            Endpoint::Site(site) => plan.networks.iter().filter(|network| &network.site == site).collect(),
            Endpoint::Circuit(_) => Vec::new(),
        }
    };
    let mut options = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    let mut collect = |result: Result<Vec<LinkKind>, String>, from: &NetworkId, to: LinkEnd| match result {
        Ok(kinds) => options.extend(kinds.into_iter().map(|kind| LinkOption { from: from.clone(), to: to.clone(), kind })),
        Err(reason) => reasons.push(reason),
    };
    match (from, to) {
        (Endpoint::Circuit(_), Endpoint::Circuit(_)) => return Err("two circuits are not connected to each other; connect each to a VNet".to_owned()),
        (Endpoint::Circuit(circuit), other) | (other, Endpoint::Circuit(circuit)) => {
            let circuit = plan.circuit(circuit).ok_or("that circuit is no longer in the plan")?;
            for network in networks_of(other) {
                let end = LinkEnd::Circuit(circuit.id.clone());
                collect(to_circuit(plan, network, circuit, already_joined(plan, &network.id, &end, LinkKind::ExpressRoute)), &network.id, end);
            }
        }
        (from, to) => {
            if let (Endpoint::Site(a), Endpoint::Site(b)) = (from, to)
                && a == b
            {
                return Err("drop onto another site, or onto a network".to_owned());
            }
            for source in networks_of(from) {
                for target in networks_of(to) {
                    let end = LinkEnd::Network(target.id.clone());
                    collect(between_networks(plan, source, target, |kind| already_joined(plan, &source.id, &end, kind)), &source.id, end);
                }
            }
        }
    }
    if options.is_empty() {
        return Err(reasons.into_iter().next().unwrap_or_else(|| "there is no network there to connect".to_owned()));
    }
    Ok(options)
}

/// The name shown for a link end: the element's name and its site's.
pub fn end_name(plan: &Plan, end: &LinkEnd) -> String {
    match end {
        LinkEnd::Network(id) => network_name(plan, id),
        LinkEnd::Circuit(id) => plan.circuit(id).map_or_else(|| id.to_string(), |circuit| format!("circuit {}", circuit.name)),
    }
}

/// "Azure VNet (Azure Southeast Asia)": a network with its site, as lists show it.
pub fn network_name(plan: &Plan, id: &NetworkId) -> String {
    let Some(network) = plan.network(id) else { return id.to_string() };
    match plan.site(&network.site) {
        Some(site) => format!("{} ({})", network.name, site.name),
        None => network.name.clone(),
    }
}

/// The new connection for an option; a peering allows virtual network access both ways.
pub fn new_connection(plan: &Plan, option: &LinkOption, state: ConnectionState) -> Connection {
    let settings =
        PeeringSettings { allow_virtual_network_access: true, allow_forwarded_traffic: false, allow_gateway_transit: false, use_remote_gateways: false };
    let link = match (&option.to, option.kind) {
        (LinkEnd::Circuit(circuit), _) => Link::ExpressRoute { circuit: circuit.clone() },
        (LinkEnd::Network(to), LinkKind::VnetPeering) => Link::VnetPeering { to: to.clone(), from_side: settings, to_side: settings },
        (LinkEnd::Network(to), LinkKind::StretchedVlan) => Link::StretchedVlan { to: to.clone() },
        (LinkEnd::Network(to), _) => Link::SiteToSiteVpn { to: to.clone() },
    };
    let from_name = plan.network(&option.from).map_or_else(|| option.from.to_string(), |network| network.name.clone());
    let to_name = match &option.to {
        LinkEnd::Network(id) => plan.network(id).map_or_else(|| id.to_string(), |network| network.name.clone()),
        LinkEnd::Circuit(id) => plan.circuit(id).map_or_else(|| id.to_string(), |circuit| circuit.name.clone()),
    };
    Connection {
        azure: Default::default(),
        id: ConnectionId::new(fresh_id(plan, "conn")),
        name: format!("{from_name} to {to_name}"),
        from: option.from.clone(),
        link,
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Plan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(name);
        crate::io::load(&path).unwrap()
    }

    #[test]
    fn two_vnets_offer_vpn_and_peering_and_nothing_already_there() {
        let plan = sample("azure-isolated-app.drplan.json");
        // Source VNet1 and Source VNet2 are joined by a VPN already: only peering is left.
        let options = link_options(&plan, Endpoint::Network(&"net-source-vnet1".into()), Endpoint::Network(&"net-source-vnet2".into()));
        let kinds: Vec<LinkKind> = options.unwrap().into_iter().map(|option| option.kind).collect();
        assert_eq!(kinds, vec![LinkKind::VnetPeering]);
    }

    #[test]
    fn a_network_to_itself_and_an_on_premises_network_to_a_circuit_are_refused_with_a_reason() {
        let plan = sample("expressroute-hub-spoke.drplan.json");
        let lan = plan.networks.iter().find(|network| network.kind == NetworkKind::Lan).unwrap();
        let itself = link_options(&plan, Endpoint::Network(&lan.id), Endpoint::Network(&lan.id)).unwrap_err();
        assert!(itself.contains("itself"), "{itself}");
        let circuit = &plan.circuits[0].id;
        let refused = link_options(&plan, Endpoint::Network(&lan.id), Endpoint::Circuit(circuit)).unwrap_err();
        assert!(refused.contains("not an Azure VNet"), "{refused}");
    }

    #[test]
    fn stretched_vlans_join_on_premises_networks_of_two_sites_only() {
        let plan = sample("vmm-subnet-failover.drplan.json");
        let on_premises: Vec<&Network> = plan.networks.iter().filter(|network| is_on_premises(&plan, network)).collect();
        let pair = on_premises.iter().flat_map(|a| on_premises.iter().map(move |b| (*a, *b))).find(|(a, b)| a.site != b.site).unwrap();
        let kinds: Vec<LinkKind> = link_options(&plan, Endpoint::Network(&pair.0.id), Endpoint::Network(&pair.1.id))
            .map(|options| options.into_iter().map(|option| option.kind).collect())
            .unwrap_or_default();
        assert!(!kinds.contains(&LinkKind::VnetPeering), "{kinds:?}");
        let vlan_joined = plan.connections.iter().any(|c| c.link.kind() == LinkKind::StretchedVlan && c.network_pair() == Some((&pair.0.id, &pair.1.id)));
        assert_eq!(kinds.contains(&LinkKind::StretchedVlan), !vlan_joined, "{kinds:?}");
    }

    /// `options_from` is `link_options` from the network to each other element, in one pass.
    #[test]
    fn the_options_from_a_network_are_those_of_each_pair() {
        let samples = std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")).unwrap();
        let mut plans: Vec<Plan> = samples.map(|entry| crate::io::load(&entry.unwrap().path()).unwrap()).collect();
        plans.push(crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 300, seed: 3, faults: 4 }).plan);
        let mut compared = 0;
        for plan in &plans {
            for network in &plan.networks {
                let from = Endpoint::Network(&network.id);
                let mut pairwise: Vec<LinkOption> = Vec::new();
                for other in &plan.networks {
                    pairwise.extend(link_options(plan, from, Endpoint::Network(&other.id)).unwrap_or_default());
                }
                for circuit in &plan.circuits {
                    pairwise.extend(link_options(plan, from, Endpoint::Circuit(&circuit.id)).unwrap_or_default());
                }
                assert_eq!(options_from(plan, network), pairwise, "from {} in {}", network.id, plan.name);
                compared += pairwise.len();
            }
        }
        assert!(compared > 1000, "{compared} options compared");
    }

    #[test]
    fn a_new_connection_joins_what_was_chosen_and_the_plan_still_loads() {
        let mut plan = sample("azure-isolated-app.drplan.json");
        let option = link_options(&plan, Endpoint::Network(&"net-source-vnet1".into()), Endpoint::Network(&"net-source-vnet2".into())).unwrap().remove(0);
        let connection = new_connection(&plan, &option, ConnectionState::Prepared);
        assert!(matches!(&connection.link, Link::VnetPeering { to, .. } if to.as_str() == "net-source-vnet2"));
        crate::edit::apply(&mut plan, crate::edit::Edit::Add(crate::edit::Element::Connection(connection))).unwrap();
        crate::io::parse_str(&crate::io::to_canonical_json(&plan), std::path::Path::new("after connect")).unwrap();
    }
}
