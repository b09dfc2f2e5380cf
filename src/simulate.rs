//! Failover simulation: a plan and one of its scenarios give the network after failover (a plan
//! of its own, for the canvas, the validator and the diagrams) and the typed differences between
//! before and after, from which the recovery plan is derived. Pure: no I/O, no UI.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::model::overlap::PrefixLookup;
use crate::model::*;
use crate::scenario::{self, Move};

/// What a scenario does to the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The network before the scenario: the plan itself, or for a failback the network after
    /// the failover it reverses. Shared, not copied: with the caller's plan (`simulate_shared`)
    /// and with every step of a replay.
    pub before: Arc<Plan>,
    /// The network after the scenario.
    pub after: Plan,
    pub differences: Vec<Difference>,
}

/// One change between before and after, in the order the recovery plan needs them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Difference {
    /// A machine comes up in another subnet (for a test failover: a test copy does).
    MachineMoved {
        machine: MachineId,
        name: String,
        from_subnet: SubnetId,
        to_subnet: Option<SubnetId>,
        ip_before: IpAddr,
        /// None when the replication service allocates an address.
        ip_after: Option<IpAddr>,
        ip_kept: bool,
        recovery_group: NonZeroU32,
        test_copy: bool,
    },
    /// A subnet that failed over whole is now active at the recovery site (at both sites when
    /// it is stretched).
    SubnetActivated {
        subnet: SubnetId,
        prefix: Prefix,
        at_site: SiteId,
        stretched: bool,
    },
    ConnectionDisconnected {
        connection: ConnectionId,
        name: String,
        link: LinkKind,
    },
    ConnectionEstablished {
        connection: ConnectionId,
        name: String,
        link: LinkKind,
    },
    /// A gateway that was planned but not provisioned before failover is created.
    GatewayCreated {
        network: NetworkId,
        gateway: GatewayId,
        name: String,
        kind: GatewayKind,
    },
    /// A VNet peering is created, with its settings on both sides.
    PeeringCreated {
        connection: ConnectionId,
        name: String,
        from: NetworkId,
        to: NetworkId,
        from_side: PeeringSettings,
        to_side: PeeringSettings,
    },
    /// Routing at a site now sends a prefix elsewhere.
    RoutesChanged {
        at_site: SiteId,
        prefix: Prefix,
        old_next_hop: String,
        new_next_hop: String,
    },
    /// A machine's DNS record must point at its new address.
    DnsRecordUpdated {
        machine: MachineId,
        zone: String,
        record: String,
        old_ip: IpAddr,
        new_ip: IpAddr,
        ttl_secs: u32,
        /// The machine registers itself: no scripted update is needed.
        dynamic_registration: bool,
    },
}

/// Why a scenario cannot be simulated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SimulateError {
    #[error("the plan has no failover scenario named or numbered `{0}`")]
    UnknownScenario(String),
    #[error("scenario `{0}` names a site that is not in the plan")]
    UnknownSite(ScenarioId),
}

/// Simulates one scenario of the plan, which the outcome keeps a copy of as `before`.
pub fn simulate(plan: &Plan, scenario: &Scenario) -> Result<Outcome, SimulateError> {
    let copy = Arc::new(plan.clone());
    simulate_shared(&copy, &PlanIndex::new(&copy), scenario)
}

/// Simulates one scenario of a shared plan, which the outcome shares as `before`: no copy of
/// the plan is made but the network after. `index` is the plan's index, built once by the
/// caller for all it does with the plan (its recovery plan and validation read it too); an
/// index of another plan is not used.
pub fn simulate_shared(plan: &Arc<Plan>, index: &PlanIndex, scenario: &Scenario) -> Result<Outcome, SimulateError> {
    let index = index.reused_for(plan);
    if index.site(&scenario.from_site).is_none() || index.site(&scenario.to_site).is_none() {
        return Err(SimulateError::UnknownSite(scenario.id.clone()));
    }
    match scenario.direction {
        Direction::Failover => Ok(apply(plan, &index, scenario, false)),
        Direction::Failback => {
            // A failback reverses an earlier failover: simulate that failover first, then move
            // the machines back from the network it leaves.
            let failover = Scenario {
                direction: Direction::Failover,
                from_site: scenario.to_site.clone(),
                to_site: scenario.from_site.clone(),
                failover_type: FailoverType::Unplanned,
                ..scenario.clone()
            };
            // Failback starts once the machines are reprotected (seed 002).
            let failed_over = Arc::new(apply(plan, &index, &failover, true).after);
            let back = Scenario { direction: Direction::Failover, ..scenario.clone() };
            Ok(apply(&failed_over, &PlanIndex::new(&failed_over), &back, false))
        }
    }
}

/// Simulates the scenario with this id or name.
pub fn simulate_named(plan: &Plan, key: &str) -> Result<Outcome, SimulateError> {
    simulate(plan, scenario_named(plan, key)?)
}

/// The scenario of the plan with this id or name.
pub fn scenario_named<'p>(plan: &'p Plan, key: &str) -> Result<&'p Scenario, SimulateError> {
    plan.scenario_by_id_or_name(key).ok_or_else(|| SimulateError::UnknownScenario(key.to_owned()))
}

/// One failover-direction step: moves, connections, gateways, routes and DNS; `reprotected`
/// says the machines are protected back towards the source afterwards whatever the type.
/// `index` indexes `before`.
fn apply(before: &Arc<Plan>, index: &PlanIndex, scenario: &Scenario, reprotected: bool) -> Outcome {
    let plan: &Plan = before;
    let moves = scenario::moves(index, scenario);
    let mut after = copy_without_scenarios(plan);
    // About what a failover of these moves changes (a move and its name record, a connection);
    // room not used is never touched. Growing the list copied it at each doubling.
    let mut differences = Vec::with_capacity(2 * moves.all.len() + plan.connections.len());

    if scenario.failover_type == FailoverType::Test {
        add_test_copies(&mut after, &moves.all, &mut differences);
        return Outcome { before: Arc::clone(before), after, differences };
    }

    let vacated = vacated_networks(index, scenario, &moves);
    let activated = activated_networks(index, &moves.all, &vacated);

    // Connections: those of vacated networks that would clash with the recovery side go down
    // first; prepared ones on the recovery side come up after gateways exist.
    let activated_prefixes = PrefixLookup::new(
        activated.iter().filter_map(|id| index.network(id)).flat_map(|network| network.address_space.iter().map(move |prefix| (prefix.net(), network))),
    );
    for (position, connection) in plan.connections.iter().enumerate() {
        if connection.is_active() && clashes_after_failover(index, connection, &vacated, &activated_prefixes) {
            after.connections[position].state = ConnectionState::Prepared;
            differences.push(Difference::ConnectionDisconnected {
                connection: connection.id.clone(),
                name: connection.name.clone(),
                link: connection.link.kind(),
            });
        }
    }
    for network in plan.networks.iter().filter(|network| activated.contains(&network.id)) {
        for gateway in network.gateways.iter().filter(|gateway| !gateway.provisioned_before_failover) {
            differences.push(Difference::GatewayCreated {
                network: network.id.clone(),
                gateway: gateway.id.clone(),
                name: gateway.name.clone(),
                kind: gateway.kind,
            });
        }
    }
    for network in after.networks.iter_mut().filter(|network| activated.contains(&network.id)) {
        for gateway in &mut network.gateways {
            gateway.provisioned_before_failover = true;
        }
    }
    for (position, connection) in plan.connections.iter().enumerate() {
        let ends: Vec<&NetworkId> = std::iter::once(&connection.from).chain(connection.to_network()).collect();
        let comes_up =
            connection.state == ConnectionState::Prepared && ends.iter().any(|end| activated.contains(end)) && !ends.iter().any(|end| vacated.contains(end));
        if !comes_up {
            continue;
        }
        after.connections[position].state = ConnectionState::Active;
        differences.push(match &connection.link {
            Link::VnetPeering { to, from_side, to_side } => Difference::PeeringCreated {
                connection: connection.id.clone(),
                name: connection.name.clone(),
                from: connection.from.clone(),
                to: to.clone(),
                from_side: *from_side,
                to_side: *to_side,
            },
            link => Difference::ConnectionEstablished { connection: connection.id.clone(), name: connection.name.clone(), link: link.kind() },
        });
    }

    // Seed 002: after a planned failover between two on-premises sites the machines are protected
    // (back towards the source); after an unplanned failover, or any failover to or from Azure,
    // they are not until they are reprotected (reverse replication).
    let on_premises = |id: &SiteId| index.site(id).is_some_and(|site| site.kind.is_on_premises());
    let protected_after =
        reprotected || (scenario.failover_type == FailoverType::Planned && on_premises(&scenario.from_site) && on_premises(&scenario.to_site));
    move_machines(plan, &mut after, &moves.all, protected_after, &mut differences);
    activate_subnets(index, scenario, &moves, &mut differences);
    change_routes(index, scenario, &moves, &vacated, &mut differences);
    update_dns(&moves.all, &mut differences);
    Outcome { before: Arc::clone(before), after, differences }
}

/// `plan` without its scenarios, for the network after a failover; its long lists are copied on
/// every core (at 100,000 prefixes the copy was a quarter of a simulation).
fn copy_without_scenarios(plan: &Plan) -> Plan {
    let Plan { version, name, description, sites, networks, subnets, machines, circuits, connections, network_mappings, scenarios: _, group_actions } = plan;
    let ((networks, connections), (subnets, machines)) =
        rayon::join(|| rayon::join(|| networks.clone(), || connections.clone()), || rayon::join(|| subnets.clone(), || machines.clone()));
    Plan {
        version: *version,
        name: name.clone(),
        description: description.clone(),
        sites: sites.clone(),
        networks,
        subnets,
        machines,
        circuits: circuits.clone(),
        connections,
        network_mappings: network_mappings.clone(),
        scenarios: Vec::new(),
        group_actions: group_actions.clone(),
    }
}

/// A set of networks, asked for each network and connection of the plan (at 100,000 prefixes a
/// sorted set's comparisons of ids were a fifth of a simulation); what is written in its order
/// sorts it first.
type NetworkSet<'a> = FxHashSet<&'a NetworkId>;

/// Networks every machine of which leaves (and, in a full site failover, every network of the
/// failed site): their connections go down.
fn vacated_networks<'a>(index: &PlanIndex<'a>, scenario: &Scenario, moves: &scenario::Moves<'a>) -> NetworkSet<'a> {
    if scenario.scope == Scope::FullSite {
        let site = &scenario.from_site;
        return index.plan.networks.iter().filter(|network| &network.site == site).map(|network| &network.id).collect();
    }
    moves
        .networks_left(index)
        .into_iter()
        .filter(|(network, _)| {
            index.subnets_of(network).iter().all(|subnet| scenario::machines_before(index, scenario, subnet).iter().all(|machine| moves.contains(machine)))
        })
        .map(|(network, _)| &network.id)
        .collect()
}

/// True when an active connection of a vacated network would clash with the recovery side: a
/// recovery network that reuses the vacated network's addresses is, after failover, connected to
/// the same far end (network or circuit) or sits at the far end's site. Connections that do not
/// clash stay as they are (seed 000: with new addresses no VPN changes).
///
/// `activated` holds the address prefixes of the networks that take over, so the recovery
/// networks that reuse a vacated network's addresses are found by prefix, not by a pass over every
/// activated network for each connection (which grew with the square of the plan).
fn clashes_after_failover(index: &PlanIndex, connection: &Connection, vacated: &NetworkSet, activated: &PrefixLookup<&Network>) -> bool {
    let (vacated_end, far_end) = match connection.to_network() {
        Some(to) if vacated.contains(&connection.from) && !vacated.contains(to) => (&connection.from, Some(to)),
        Some(to) if vacated.contains(to) && !vacated.contains(&connection.from) => (to, Some(&connection.from)),
        None if vacated.contains(&connection.from) => (&connection.from, None),
        _ => return false,
    };
    let Some(vacated_network) = index.network(vacated_end) else { return false };
    let far_site = far_end.and_then(|id| index.network(id)).map(|network| &network.site);
    let mut reusing = vacated_network.address_space.iter().flat_map(|prefix| activated.overlapping(prefix.net()));
    reusing.any(|recovery| {
        let same_far_end = index.links_of(recovery).iter().any(|link| match (far_end, link.circuit()) {
            (Some(far), _) => link.to_network() == Some(far) || &link.from == far,
            (None, Some(circuit)) => connection.circuit() == Some(circuit),
            (None, None) => false,
        });
        same_far_end || far_site == Some(&recovery.site)
    })
}

/// Networks that take over: those machines move into, and the recovery networks the vacated
/// networks are mapped to.
fn activated_networks<'a>(index: &PlanIndex<'a>, moves: &[Move<'a>], vacated: &NetworkSet<'a>) -> NetworkSet<'a> {
    let into = moves.iter().filter_map(|moved| moved.to_subnet).map(|subnet| &subnet.network);
    let mapped = vacated.iter().filter_map(|network| index.mapped_target(network));
    into.chain(mapped).collect()
}

/// Moves each machine in `after`, a copy of `plan` (a move refers to `plan`'s machine, at the
/// same position in `after`).
fn move_machines(plan: &Plan, after: &mut Plan, moves: &[Move], protected_after: bool, differences: &mut Vec<Difference>) {
    for moved in moves {
        let Some(to_subnet) = moved.to_subnet else { continue };
        if let Some(machine) = crate::model::position_in(&plan.machines, moved.machine).and_then(|position| after.machines.get_mut(position)) {
            machine.subnet = to_subnet.id.clone();
            if let Some(ip) = moved.ip_after {
                machine.ip = ip;
            }
            // Protected back towards where it came from, or not protected until reprotected.
            machine.target = protected_after.then(|| FailoverTarget {
                subnet: moved.from_subnet.id.clone(),
                ip: if moved.keeps_ip() { TargetIp::Keep } else { TargetIp::New(moved.ip_before) },
                keep_public_ip: false,
            });
        }
        differences.push(machine_moved(moved, false));
    }
}

fn machine_moved(moved: &Move, test_copy: bool) -> Difference {
    Difference::MachineMoved {
        machine: moved.machine.id.clone(),
        name: moved.machine.name.clone(),
        from_subnet: moved.from_subnet.id.clone(),
        to_subnet: moved.to_subnet.map(|subnet| subnet.id.clone()),
        ip_before: moved.ip_before,
        ip_after: moved.ip_after,
        ip_kept: moved.keeps_ip(),
        recovery_group: moved.machine.recovery_group,
        test_copy,
    }
}

/// A test failover leaves production untouched: test copies come up in the test network. A copy
/// whose address the test subnet does not hold gets the next free one (after the four addresses
/// Azure reserves), as the replication service would allocate it.
fn add_test_copies(after: &mut Plan, moves: &[Move], differences: &mut Vec<Difference>) {
    let mut used: BTreeSet<IpAddr> = after.machines.iter().map(|machine| machine.ip).collect();
    for moved in moves {
        let Some(to_subnet) = moved.to_subnet else {
            differences.push(machine_moved(moved, true));
            continue;
        };
        let address = moved.ip_after.or_else(|| to_subnet.prefix.net().trunc().hosts().skip(3).find(|candidate| !used.contains(candidate)));
        let mut difference = machine_moved(moved, true);
        if let Difference::MachineMoved { ip_after, .. } = &mut difference {
            *ip_after = address;
        }
        differences.push(difference);
        let Some(address) = address else { continue };
        used.insert(address);
        let mut copy = moved.machine.clone();
        copy.id = test_copy_id(&moved.machine.id);
        copy.name = format!("{} (test)", moved.machine.name);
        copy.subnet = to_subnet.id.clone();
        copy.ip = address;
        copy.target = None;
        copy.position = None;
        after.machines.push(copy);
    }
}

/// The id of the copy a test failover starts of a machine.
pub fn test_copy_id(machine: &MachineId) -> MachineId {
    MachineId::new(format!("{machine}-test"))
}

/// Subnets whose machines all fail over keeping their addresses are active at the recovery
/// site now; a subnet joined to its twin by a stretched VLAN is active at both.
fn activate_subnets(index: &PlanIndex, scenario: &Scenario, moves: &scenario::Moves, differences: &mut Vec<Difference>) {
    for (subnet, subnet_moves) in moves.by_subnet() {
        let whole = scenario::machines_before(index, scenario, subnet).iter().all(|machine| moves.contains(machine));
        let Some(target) = subnet_moves.first().and_then(|moved| moved.to_subnet) else { continue };
        if !whole || !subnet_moves.iter().all(|moved| moved.keeps_ip()) || target.prefix != subnet.prefix {
            continue;
        }
        let (Some(source_network), Some(target_network)) = (index.network_of(subnet), index.network_of(target)) else {
            continue;
        };
        let stretched = index.connections_between(source_network, target_network).any(|connection| matches!(connection.link, Link::StretchedVlan { .. }));
        differences.push(Difference::SubnetActivated { subnet: subnet.id.clone(), prefix: subnet.prefix, at_site: target_network.site.clone(), stretched });
    }
}

/// Prefixes that keep their addresses but change site need routing to follow: between the
/// primary and recovery sites and at every other site that reaches them (seed 000's three-site
/// subnet failover; seed 001's on-premises routing pointed at the target region).
fn change_routes(index: &PlanIndex, scenario: &Scenario, moves: &scenario::Moves, vacated: &NetworkSet, differences: &mut Vec<Difference>) {
    let (Some(from), Some(to)) = (index.site(&scenario.from_site), index.site(&scenario.to_site)) else { return };
    // The prefixes in the order found, each once.
    let mut prefixes: Vec<Prefix> = Vec::new();
    let mut seen: FxHashSet<Prefix> = FxHashSet::default();
    for (subnet, subnet_moves) in moves.by_subnet() {
        if !subnet_moves.iter().all(|moved| moved.keeps_ip()) {
            continue;
        }
        let network_vacated = vacated.contains(&subnet.network) && !from.kind.is_on_premises();
        let prefix = match index.network(&subnet.network) {
            // A whole cloud network fails over: routes follow its address space.
            Some(network) if network_vacated => network.address_space.clone(),
            _ => vec![subnet.prefix],
        };
        for prefix in prefix {
            if seen.insert(prefix) {
                prefixes.push(prefix);
            }
        }
    }
    // A vacated cloud network with no machine of its own (a hub with its NVA and gateway) moves
    // too when its recovery network keeps its address space (seed 003: the hub 10.10.10.0/24).
    if !from.kind.is_on_premises() {
        let mut vacated: Vec<&&NetworkId> = vacated.iter().collect();
        vacated.sort_unstable();
        for network in vacated.into_iter().filter_map(|id| index.network(id)) {
            let Some(recovery) = index.recovery_network_of(network) else { continue };
            if recovery.address_space == network.address_space {
                for prefix in &network.address_space {
                    if seen.insert(*prefix) {
                        prefixes.push(*prefix);
                    }
                }
            }
        }
    }
    let others: Vec<&Site> = index.plan.sites.iter().filter(|site| site.id != from.id && site.id != to.id && site.kind.is_on_premises()).collect();
    // How each site reaches the two regions, worked out once (each is a pass over the connections).
    let (from_to, to_from) = (via_circuit(index, from, to), via_circuit(index, to, from));
    let others: Vec<(&Site, String, String)> = others.into_iter().map(|site| (site, via_circuit(index, site, from), via_circuit(index, site, to))).collect();
    for prefix in prefixes {
        if from.kind.is_on_premises() {
            differences.push(Difference::RoutesChanged { at_site: from.id.clone(), prefix, old_next_hop: "local".to_owned(), new_next_hop: from_to.clone() });
        }
        if to.kind.is_on_premises() {
            differences.push(Difference::RoutesChanged { at_site: to.id.clone(), prefix, old_next_hop: to_from.clone(), new_next_hop: "local".to_owned() });
        }
        for (site, to_from_site, to_recovery) in &others {
            differences.push(Difference::RoutesChanged {
                at_site: site.id.clone(),
                prefix,
                old_next_hop: to_from_site.clone(),
                new_next_hop: to_recovery.clone(),
            });
        }
    }
}

/// How `at` reaches `region`: through the region, and through the ExpressRoute circuit of `at`
/// that a network of the region connects to (seed 003: on-premises routing must use the
/// secondary circuit after failover), when there is one.
fn via_circuit(index: &PlanIndex, at: &Site, region: &Site) -> String {
    let circuit = index.plan.connections.iter().filter_map(|connection| {
        let circuit = index.circuit(connection.circuit()?)?;
        let network = index.network(&connection.from)?;
        (circuit.site == at.id && network.site == region.id).then_some(circuit)
    });
    match circuit.into_iter().next() {
        Some(circuit) => format!("via {} over ExpressRoute circuit \"{}\" ({})", region.name, circuit.name, circuit.peering_location),
        None => format!("via {}", region.name),
    }
}

fn update_dns(moves: &[Move], differences: &mut Vec<Difference>) {
    for moved in moves {
        let (Some(record), Some(new_ip)) = (&moved.machine.dns, moved.ip_after) else { continue };
        if new_ip == moved.ip_before {
            continue;
        }
        differences.push(Difference::DnsRecordUpdated {
            machine: moved.machine.id.clone(),
            zone: record.zone.clone(),
            record: record.name.clone(),
            old_ip: moved.ip_before,
            new_ip,
            ttl_secs: record.ttl_secs,
            dynamic_registration: record.dynamic_registration,
        });
    }
}

/// Each difference of an outcome in words, with one index of the network before for the names
/// (a failover of 40,000 machines is described in one pass, not one search of the plan each).
/// `plan` is the index of the plan simulated, used when the outcome starts from that plan (a
/// failover does; a failback starts from the network its failover left).
pub fn describe_all(plan: &PlanIndex, outcome: &Outcome) -> Vec<String> {
    let before = plan.reused_for(&outcome.before);
    outcome.differences.iter().map(|difference| describe(difference, &before)).collect()
}

/// One difference in words, naming what it concerns as the network before knew it.
pub fn describe(difference: &Difference, before: &PlanIndex) -> String {
    let site = |id: &SiteId| before.site(id).map_or_else(|| id.to_string(), |site| site.name.clone());
    // A subnet with its site: a subnet and its recovery twin often share name and prefix.
    let subnet = |id: &SubnetId| {
        before.subnet(id).map_or_else(
            || id.to_string(),
            |subnet| match before.network(&subnet.network) {
                Some(network) => format!("{} ({}) at {}", subnet.name, subnet.prefix, site(&network.site)),
                None => format!("{} ({})", subnet.name, subnet.prefix),
            },
        )
    };
    let network = |id: &NetworkId| before.network(id).map_or_else(|| id.to_string(), |network| network.name.clone());
    match difference {
        Difference::MachineMoved { name, from_subnet, to_subnet, ip_before, ip_after, ip_kept, test_copy, .. } => {
            let to = to_subnet.as_ref().map_or_else(|| "no network".to_owned(), subnet);
            let address = match (ip_after, ip_kept) {
                (_, true) => format!("keeps {ip_before}"),
                (Some(ip), false) => format!("{ip_before} becomes {ip}"),
                (None, false) => format!("{ip_before} becomes an allocated address"),
            };
            let what = if *test_copy { "test copy of " } else { "" };
            format!("{what}\"{name}\" moves from {} to {to}: {address}", subnet(from_subnet))
        }
        Difference::SubnetActivated { subnet: id, prefix, at_site, stretched } => {
            let both = if *stretched { " (stretched: active at both sites)" } else { "" };
            let name = before.subnet(id).map_or_else(|| id.to_string(), |subnet| subnet.name.clone());
            format!("subnet \"{name}\" ({prefix}) is now active at {}{both}", site(at_site))
        }
        Difference::ConnectionDisconnected { name, link, .. } => format!("{link} \"{name}\" is disconnected"),
        Difference::ConnectionEstablished { name, link, .. } => format!("{link} \"{name}\" is established"),
        Difference::GatewayCreated { network: id, name, kind, .. } => {
            format!("{} gateway \"{name}\" is created on {}", kind.label(), network(id))
        }
        Difference::PeeringCreated { name, from, to, from_side, to_side, .. } => format!(
            "VNet peering \"{name}\" is created between {} and {} (forwarded traffic {}/{}, gateway transit {}/{}, remote gateways {}/{})",
            network(from),
            network(to),
            from_side.allow_forwarded_traffic,
            to_side.allow_forwarded_traffic,
            from_side.allow_gateway_transit,
            to_side.allow_gateway_transit,
            from_side.use_remote_gateways,
            to_side.use_remote_gateways
        ),
        Difference::RoutesChanged { at_site, prefix, old_next_hop, new_next_hop } => {
            format!("at {}, route {prefix}: {old_next_hop} -> {new_next_hop}", site(at_site))
        }
        Difference::DnsRecordUpdated { zone, record, old_ip, new_ip, ttl_secs, dynamic_registration, .. } => {
            let how = if *dynamic_registration { " (the machine registers itself)" } else { "" };
            format!("DNS {record}.{zone}: {old_ip} -> {new_ip}, TTL {ttl_secs} s{how}")
        }
    }
}
