//! Recovery-side infrastructure rules (seeds 001, 002, 003): gateways ready before failover,
//! replication traffic and NVAs, and test-failover networks that are isolated and complete.

use std::collections::BTreeSet;

use super::AddressScope;
use super::connectivity::{overlapping_networks, single_circuit_reuse};
use super::{Context, ElementRef, Findings, Passes, Rule, Severity, explanations, reads, sources};
use crate::model::*;

pub(super) static RULES: [Rule; 6] = [
    Rule {
        id: "GW-NOT-READY",
        severity: Severity::Warning,
        summary: "A recovery network needs a gateway after failover, but none is provisioned before failover.",
        sources: &[sources::EXPRESSROUTE, sources::RETAIN_IP_AZURE],
        check: gateway_not_ready,
        explanation: explanations::GW_NOT_READY,
        blocks_retention: false,
        reads: Parts::MAPPINGS.union(Parts::NETWORKS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "NVA-REPLICATION",
        severity: Severity::Warning,
        summary: "A default route to an NVA on a replicated network without a Storage service endpoint.",
        sources: &[sources::EXPRESSROUTE],
        check: nva_replication,
        explanation: explanations::NVA_REPLICATION,
        blocks_retention: false,
        reads: reads::ADDRESSED.union(Parts::MAPPINGS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "TEST-NOT-ISOLATED",
        severity: Severity::Error,
        summary: "A test-failover network is connected to a production network.",
        sources: &[sources::FAILOVER_IN_SITE_RECOVERY, sources::EXPRESSROUTE],
        check: test_not_isolated,
        explanation: explanations::TEST_NOT_ISOLATED,
        blocks_retention: false,
        reads: Parts::CONNECTIONS.union(Parts::NETWORKS).union(Parts::CIRCUITS).union(Parts::SCENARIOS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "TEST-OVERLAP-SINGLE-CIRCUIT",
        severity: Severity::Error,
        summary: "With one circuit and a reused recovery address space, a test network reuses it too.",
        sources: &[sources::EXPRESSROUTE],
        check: test_overlap_single_circuit,
        explanation: explanations::TEST_OVERLAP_SINGLE_CIRCUIT,
        blocks_retention: false,
        reads: reads::LINKS.union(Parts::SCENARIOS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "TEST-INFRA",
        severity: Severity::Warning,
        summary: "A test network has no copy of the domain controller, DNS or DHCP (per scenario).",
        sources: &[sources::FAILOVER_IN_SITE_RECOVERY],
        check: test_infrastructure,
        explanation: explanations::TEST_INFRA,
        blocks_retention: false,
        reads: reads::MOVES,
        uses: Passes::MOVES,
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "TEST-NET-TYPE",
        severity: Severity::Error,
        summary: "A combination of replica and test network types that cannot work (per scenario).",
        sources: &[sources::FAILOVER_IN_SITE_RECOVERY],
        check: test_network_type,
        explanation: explanations::TEST_NET_TYPE,
        blocks_retention: false,
        reads: reads::MOVES,
        uses: Passes::MOVES,
        addresses: AddressScope::Unread,
    },
];

/// GW-NOT-READY: each gateway kind of a source network should exist, provisioned, on the
/// network it is mapped to.
fn gateway_not_ready(context: &Context, findings: &mut Findings) {
    for mapping in &context.plan.network_mappings {
        let (Some(source), Some(recovery)) = (context.network(&mapping.source), context.network(&mapping.target)) else {
            continue;
        };
        let kinds: BTreeSet<_> = source.gateways.iter().map(|gateway| gateway.kind as u8).collect();
        for kind in [GatewayKind::Vpn, GatewayKind::ExpressRoute].into_iter().filter(|kind| kinds.contains(&(*kind as u8))) {
            let label = kind.label();
            let planned: Vec<&Gateway> = recovery.gateways.iter().filter(|gateway| gateway.kind == kind).collect();
            if planned.iter().any(|gateway| gateway.provisioned_before_failover) {
                continue;
            }
            let mut elements = vec![Context::network_ref(recovery)];
            elements.extend(planned.iter().map(|gateway| Context::gateway_ref(gateway)));
            elements.push(Context::network_ref(source));
            let message = if planned.is_empty() {
                format!(
                    "\"{}\" has a {label} gateway, but its recovery network \"{}\" has none: the replication service does not create gateways, connections, peerings or route tables.",
                    source.name, recovery.name
                )
            } else {
                format!(
                    "The {label} gateway of recovery network \"{}\" is only created during failover: deploying a gateway takes time and adds to the recovery time.",
                    recovery.name
                )
            };
            findings.add(elements, message, format!("Provision the {label} gateway on \"{}\" before failover.", recovery.name));
        }
    }
}

fn is_default_route(prefix: &Prefix) -> bool {
    prefix.net().prefix_len() == 0
}

fn has_storage_endpoint(network: &Network) -> bool {
    network.service_endpoints.iter().any(|endpoint| endpoint.trim().eq_ignore_ascii_case("Microsoft.Storage"))
}

/// NVA-REPLICATION: replicated networks whose default route points at an NVA.
fn nva_replication(context: &Context, findings: &mut Findings) {
    let plan = context.plan;
    for network in &plan.networks {
        let appliance = network.route_tables.iter().flat_map(|table| &table.routes).find_map(|route| match route.next_hop {
            NextHop::VirtualAppliance(ip) if is_default_route(&route.prefix) => Some(ip),
            _ => None,
        });
        let Some(appliance) = appliance else { continue };
        let replicated = context.mapped_target(&network.id).is_some()
            || context.subnets_of(network).iter().any(|subnet| context.machines_in(subnet).iter().any(|machine| machine.target.is_some()));
        if !replicated || has_storage_endpoint(network) {
            continue;
        }
        let mut elements = vec![Context::network_ref(network)];
        elements.extend(plan.networks.iter().flat_map(|network| &network.nvas).filter(|nva| nva.ip == appliance).map(Context::nva_ref));
        findings.add(
            elements,
            format!(
                "\"{}\" is replicated and sends 0.0.0.0/0 to the appliance at {appliance}: replication traffic would flow through the NVA and may overload it.",
                network.name
            ),
            format!("Add a Microsoft.Storage service endpoint to \"{}\" so replication traffic stays inside Azure.", network.name),
        );
    }
}

fn is_test_network(network: &Network) -> bool {
    network.purpose == NetworkPurpose::TestFailover
}

/// TEST-NOT-ISOLATED: test networks linked to live networks or circuits, and test failovers
/// run into a production network.
fn test_not_isolated(context: &Context, findings: &mut Findings) {
    let fix = "Remove the connection: a test failover network must be isolated from production (give it its own copies of infrastructure instead).";
    // Only a connection with a test network at an end is found. Most plans have none, and a look
    // at the networks costs a tenth of a pass over the connections with their ends looked up
    // (which the validation after every edit of a circuit or a connection makes).
    let connections: &[Connection] = if context.plan.networks.iter().any(is_test_network) { &context.plan.connections } else { &[] };
    for connection in connections {
        let (Some(from), to) = context.ends_of(connection) else { continue };
        match to {
            Some(to) if is_test_network(from) != is_test_network(to) => {
                let (test, live) = if is_test_network(from) { (from, to) } else { (to, from) };
                findings.add(
                    vec![Context::network_ref(test), Context::connection_ref(connection), Context::network_ref(live)],
                    format!(
                        "Test failover network \"{}\" is connected to {} network \"{}\" by \"{}\": a drill could reach, and disturb, production.",
                        test.name,
                        live.purpose.label(),
                        live.name,
                        connection.name
                    ),
                    fix.to_owned(),
                );
            }
            None if is_test_network(from) => {
                let circuit = connection.circuit().and_then(|id| context.circuit(id));
                let mut elements = vec![Context::network_ref(from), Context::connection_ref(connection)];
                elements.extend(circuit.map(Context::circuit_ref));
                findings.add(
                    elements,
                    format!(
                        "Test failover network \"{}\" is connected to ExpressRoute circuit \"{}\", and through it to the production on-premises network.",
                        from.name,
                        circuit.map_or(String::new(), |circuit| circuit.name.clone())
                    ),
                    fix.to_owned(),
                );
            }
            _ => {}
        }
    }
    for scenario in context.plan.scenarios.iter().filter(|scenario| scenario.failover_type == FailoverType::Test) {
        let Some(network) = scenario.test_network.as_ref().and_then(|id| context.network(id)) else { continue };
        if is_test_network(network) {
            continue;
        }
        findings
            .add(
                vec![Context::network_ref(network), Context::scenario_ref(scenario)],
                format!(
                    "Test failover \"{}\" runs in \"{}\", a {} network: test machines would come up beside production.",
                    scenario.name,
                    network.name,
                    network.purpose.label()
                ),
                "Run the test failover in a separate network isolated from production, marked with the test failover purpose.".to_owned(),
            )
            .in_scenario(scenario);
    }
}

/// Test networks of the plan: networks marked for test failover and those test scenarios use.
fn test_networks<'a>(context: &Context<'a>) -> Vec<&'a Network> {
    let plan = context.plan;
    let mut networks: Vec<&Network> = plan.networks.iter().filter(|network| is_test_network(network)).collect();
    for scenario in plan.scenarios.iter().filter(|scenario| scenario.failover_type == FailoverType::Test) {
        if let Some(network) = scenario.test_network.as_ref().and_then(|id| context.network(id))
            && !networks.iter().any(|known| known.id == network.id)
        {
            networks.push(network);
        }
    }
    networks
}

/// TEST-OVERLAP-SINGLE-CIRCUIT: with a single circuit and a reused address space, the drill
/// must run on different addresses.
fn test_overlap_single_circuit(context: &Context, findings: &mut Findings) {
    let reuses = single_circuit_reuse(context);
    for test in test_networks(context) {
        for (circuit, source, _) in &reuses {
            if overlapping_networks(&[test, source]).is_empty() {
                continue;
            }
            findings.add(vec![Context::network_ref(test), Context::circuit_ref(circuit), Context::network_ref(source)],
                format!(
                    "\"{}\" is the only circuit and the recovery side reuses the address space of \"{}\"; test network \"{}\" reuses it too. Two networks with overlapping address spaces cannot be connected to one circuit.",
                    circuit.name, source.name, test.name
                ),
                format!("Run the drill on a separate test network with different addresses from \"{}\".", source.name),
            );
        }
    }
}

/// Test failover scenarios with their test network.
fn test_scenarios<'a>(context: &Context<'a>) -> impl Iterator<Item = (&'a Scenario, &'a Network)> + 'a {
    let plan = context.plan;
    plan.scenarios.iter().filter(|scenario| scenario.failover_type == FailoverType::Test).filter_map(move |scenario| {
        let network = plan.network(scenario.test_network.as_ref()?)?;
        Some((scenario, network))
    })
}

/// TEST-INFRA (per scenario): the test network needs copies of the domain controller and DNS,
/// and of DHCP when machines use it.
fn test_infrastructure(context: &Context, findings: &mut Findings) {
    for (scenario, network) in test_scenarios(context) {
        let Some(moves) = context.moves_of(scenario) else { continue };
        if moves.all.is_empty() {
            continue;
        }
        let present: BTreeSet<InfraRole> =
            context.subnets_of(network).iter().flat_map(|subnet| context.machines_in(subnet)).flat_map(|machine| machine.roles.iter().copied()).collect();
        let needs_dhcp = moves.all.iter().any(|moved| moved.machine.ip_allocation == Allocation::Dhcp);
        let missing: Vec<&str> =
            [(InfraRole::DomainController, "domain controller", true), (InfraRole::Dns, "DNS server", true), (InfraRole::Dhcp, "DHCP server", needs_dhcp)]
                .into_iter()
                .filter(|(role, _, needed)| *needed && !present.contains(role))
                .map(|(_, label, _)| label)
                .collect();
        if missing.is_empty() {
            continue;
        }
        findings
            .add(
                vec![Context::network_ref(network), Context::scenario_ref(scenario)],
                format!(
                    "Test network \"{}\" of \"{}\" has no {}: the test machines will not find the services they depend on.",
                    network.name,
                    scenario.name,
                    missing.join(", no ")
                ),
                "Place copies of the domain controller and DNS (and a test DHCP server for DHCP machines) in the test network before the drill.".to_owned(),
            )
            .in_scenario(scenario);
    }
}

/// TEST-NET-TYPE (per scenario): VMM replica and test network types that cannot be combined.
fn test_network_type(context: &Context, findings: &mut Findings) {
    for (scenario, test) in test_scenarios(context) {
        if test.isolation != Isolation::Wnv {
            continue;
        }
        let mut reported: BTreeSet<&NetworkId> = BTreeSet::new();
        for moved in context.moves_of(scenario).into_iter().flat_map(|moves| &moves.all) {
            let Some(replica_subnet) = context.target_subnet_of(moved.machine) else { continue };
            let Some(replica) = context.network_of(replica_subnet) else { continue };
            if replica.kind != NetworkKind::VmmVmNetwork || reported.contains(&replica.id) {
                continue;
            }
            let why = match replica.isolation {
                Isolation::None => "a no-isolation network does not have the subnets a Windows Network Virtualization network needs",
                Isolation::Vlan if replica_subnet.allocation == Allocation::Dhcp => {
                    "a DHCP replica network with VLAN isolation has no static address pool, which Windows Network Virtualization needs"
                }
                _ => continue,
            };
            reported.insert(&replica.id);
            let elements: Vec<ElementRef> = vec![Context::network_ref(test), Context::network_ref(replica), Context::scenario_ref(scenario)];
            findings
                .add(
                    elements,
                    format!("Test failover \"{}\" uses WNV test network \"{}\" for replica network \"{}\": {why}.", scenario.name, test.name, replica.name),
                    "Use a VLAN-isolated test network on a separate logical network, or give the replica network a static IP address pool.".to_owned(),
                )
                .in_scenario(scenario);
        }
    }
}
