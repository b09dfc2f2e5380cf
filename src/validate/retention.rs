//! IP retention rules and the stretched-versus-failover choice (seeds 000, 001, 002): whether
//! machines can keep their addresses, what a subnet failover costs, and what changing addresses
//! needs (DNS, reachability). Rules marked "per scenario" run once for each failover scenario.

use std::collections::{BTreeMap, HashMap};

use std::net::IpAddr;

use super::AddressScope;
use super::connectivity::overlapping_networks;
use super::context::{AddressKey, Holder, Protected, address_key, address_of_key, network_of_key, same_address};
use super::{Context, ElementRef, Findings, Passes, Rule, Severity, explanations, reads, sources};
use crate::model::*;
use crate::scenario::{self, Move, Moves};

pub(super) static RULES: [Rule; 10] = [
    Rule {
        id: "RET-TARGET-MISMATCH",
        severity: Severity::Error,
        summary: "A machine's target subnet does not contain the address it is set to have after failover.",
        sources: &[sources::RETAIN_IP_AZURE],
        check: target_mismatch,
        explanation: explanations::RET_TARGET_MISMATCH,
        blocks_retention: true,
        reads: reads::ADDRESSED,
        uses: Passes::PROTECTED,
        addresses: AddressScope::Holder,
    },
    Rule {
        id: "RET-TARGET-TAKEN",
        severity: Severity::Error,
        summary: "The target address is already used in the target network.",
        sources: &[sources::RETAIN_IP_AZURE],
        check: target_taken,
        explanation: explanations::RET_TARGET_TAKEN,
        blocks_retention: true,
        reads: reads::ADDRESSED,
        uses: Passes::PROTECTED.union(Passes::ADDRESSED),
        addresses: AddressScope::Claims,
    },
    Rule {
        id: "RET-PARTIAL-SUBNET",
        severity: Severity::Error,
        summary: "A failover keeps addresses while only part of a subnet's machines fail over (per scenario).",
        sources: &[sources::FAILOVER_IN_SITE_RECOVERY],
        check: partial_subnet,
        explanation: explanations::RET_PARTIAL_SUBNET,
        blocks_retention: true,
        reads: reads::MOVES,
        uses: Passes::MOVES,
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "RET-SUBNET-WITH-ACTIVE-SOURCE",
        severity: Severity::Error,
        summary: "Subnet failover into a network that reuses the source address space while the source stays connected on-premises (per scenario).",
        sources: &[sources::RETAIN_IP_AZURE],
        check: subnet_with_active_source,
        explanation: explanations::RET_SUBNET_WITH_ACTIVE_SOURCE,
        blocks_retention: true,
        reads: reads::MOVES.union(Parts::CONNECTIONS),
        uses: Passes::MOVES,
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "RET-SUBNET-IN-SHARED-VNET",
        severity: Severity::Warning,
        summary: "Failing over one subnet of a network with its addresses cuts it off from the other subnets (per scenario).",
        sources: &[sources::RETAIN_IP_AZURE],
        check: subnet_in_shared_network,
        explanation: explanations::RET_SUBNET_IN_SHARED_VNET,
        blocks_retention: false,
        reads: reads::MOVES,
        uses: Passes::MOVES,
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "RET-SUBNET-ROUTES",
        severity: Severity::Info,
        summary: "A subnet that fails over whole moves its routes between primary, recovery and third sites (per scenario).",
        sources: &[sources::CONNECTIVITY_SECONDARY_SITE],
        check: subnet_routes,
        explanation: explanations::RET_SUBNET_ROUTES,
        blocks_retention: false,
        reads: reads::MOVES.union(Parts::CONNECTIONS),
        uses: Passes::MOVES,
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "RET-STRETCHED",
        severity: Severity::Warning,
        summary: "A stretched subnet needs layer-2 equipment and extends the fault domain across both sites.",
        sources: &[sources::CONNECTIVITY_SECONDARY_SITE],
        check: stretched,
        explanation: explanations::RET_STRETCHED,
        blocks_retention: false,
        reads: Parts::CONNECTIONS.union(Parts::NETWORKS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "RET-DHCP",
        severity: Severity::Warning,
        summary: "DHCP machines: the replication service does not manage their addresses.",
        sources: &[sources::CONNECTIVITY_SECONDARY_SITE],
        check: dhcp,
        explanation: explanations::RET_DHCP,
        blocks_retention: false,
        reads: reads::ADDRESSED.union(Parts::SITES),
        uses: Passes::PROTECTED,
        addresses: AddressScope::TargetSubnet,
    },
    Rule {
        id: "RET-STATIC-POOL",
        severity: Severity::Error,
        summary: "A VMM target network with static addressing or WNV has no static IP address pool.",
        sources: &[sources::FAILOVER_IN_SITE_RECOVERY],
        check: static_pool,
        explanation: explanations::RET_STATIC_POOL,
        blocks_retention: true,
        reads: reads::ADDRESSED,
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "RET-PUBLIC-IP",
        severity: Severity::Error,
        summary: "A public address is set to be kept after failover to Azure.",
        sources: &[sources::FAILOVER_IN_SITE_RECOVERY],
        check: public_ip,
        explanation: explanations::RET_PUBLIC_IP,
        blocks_retention: false,
        reads: reads::ADDRESSED.union(Parts::SITES),
        uses: Passes::PROTECTED,
        addresses: AddressScope::Unread,
    },
];

/// RET-TARGET-MISMATCH: the target subnet must hold the address the machine will have, as a
/// usable host address under the target network's rules (seed 001; in an Azure target subnet
/// not the first four nor the last address, an Azure fact): an address that served on premises
/// can be one Azure reserves.
fn target_mismatch(context: &Context, findings: &mut Findings) {
    for Protected { machine, target, target_subnet: subnet } in context.protected() {
        let address = target.ip.address(machine.ip);
        let Some(kind) = context.network_of(subnet).map(|network| network.kind) else { continue };
        let Some(problem) = super::addressing::address_problem(&address, subnet, kind) else { continue };
        let outside = !subnet.prefix.contains_ip(&address);
        let (what, fix) = match target.ip {
            TargetIp::Keep if outside => (
                format!("\"{}\" is set to keep {address}, but its target subnet \"{}\" is {}", machine.name, subnet.name, subnet.prefix),
                format!(
                    "Choose a target subnet that mirrors the source subnet (same prefix), or give \"{}\" a new address inside {}.",
                    machine.name, subnet.prefix
                ),
            ),
            TargetIp::Keep => (
                format!("\"{}\" is set to keep {address}, which {problem}", machine.name),
                format!(
                    "Give \"{}\" a new address after failover that the target subnet does not reserve, or move it off {address} on the source side first.",
                    machine.name
                ),
            ),
            TargetIp::New(_) => (
                format!("\"{}\" is set to take {address} after failover, which {problem}", machine.name),
                format!("Pick a new address inside {} that the subnet does not reserve.", subnet.prefix),
            ),
        };
        findings.add(vec![Context::machine_ref(machine), Context::subnet_ref(subnet)], format!("{what}: the machine cannot come up with that address."), fix);
    }
}

/// RET-TARGET-TAKEN: another machine or appliance already holds, or is set to take, the address
/// in the target network.
fn target_taken(context: &Context, findings: &mut Findings) {
    /// A claim on an address in a network: held now, or to be taken at failover.
    #[derive(Clone, Copy)]
    enum Claim<'a> {
        Uses(Holder<'a>),
        Takes(&'a Machine),
    }
    // The addresses machines are to take, sorted like the addresses in use (the context's), so
    // one pass over both finds every address claimed twice: holders first, then takers, each
    // in plan order.
    let mut takes: Vec<AddressKey> = Vec::with_capacity(context.protected().len());
    takes.extend(
        context
            .protected()
            .iter()
            .enumerate()
            .filter_map(|(position, protected)| Some(address_key(context.network_position_of(protected.target_subnet)?, protected.target_address(), position))),
    );
    takes.sort_unstable();
    let in_use = context.addresses_in_use();
    let mut users = 0;
    for taken in takes.chunk_by(same_address) {
        while in_use.get(users).is_some_and(|used| address_of_key(used) < address_of_key(&taken[0])) {
            users += 1;
        }
        let used = &in_use[users..users + in_use[users..].iter().take_while(|used| same_address(used, &taken[0])).count()];
        if taken.len() + used.len() < 2 {
            continue;
        }
        let network = network_of_key(&taken[0]);
        let address = context.protected()[taken[0].2].target_address();
        let shared: Vec<Claim> = used
            .iter()
            .map(|&(_, _, position)| Claim::Uses(context.addressed()[position].holder))
            .chain(taken.iter().map(|&(_, _, position)| Claim::Takes(context.protected()[position].machine)))
            .collect();
        let network = &context.plan.networks[network];
        for claim in &shared {
            let Claim::Takes(machine) = *claim else { continue };
            let others: Vec<(ElementRef, &str)> = shared
                .iter()
                .filter_map(|other| match *other {
                    Claim::Uses(holder) if holder.id() != machine.id.as_str() => Some((holder.element_ref(), "uses")),
                    Claim::Takes(other) if other.id != machine.id => Some((Context::machine_ref(other), "is set to take")),
                    _ => None,
                })
                .collect();
            if others.is_empty() {
                continue;
            }
            let who = others.iter().map(|(element, how)| format!("\"{}\" {how} it", element.name)).collect::<Vec<_>>().join("; ");
            let mut elements = vec![Context::machine_ref(machine)];
            elements.extend(others.into_iter().map(|(element, _)| element));
            elements.push(Context::network_ref(network));
            findings.add(
                elements,
                format!("\"{}\" is to have {address} in \"{}\" after failover, but that address is taken: {who}.", machine.name, network.name),
                "Free the address in the target network, or set another target address for one of the machines.".to_owned(),
            );
        }
    }
}

/// Scenarios that move production machines (not drills), with their moves.
fn production_moves<'c, 'a>(context: &'c Context<'a>) -> impl Iterator<Item = (&'a Scenario, &'c Moves<'a>)> + 'c {
    context.scenario_moves().iter().filter(|(scenario, _)| scenario.failover_type != FailoverType::Test).map(|(scenario, moves)| (*scenario, moves))
}

/// Scenarios that move only part of a site (an application or some subnets): in a full site
/// failover nothing stays behind to be cut off or split from.
fn partial_scope_moves<'c, 'a>(context: &'c Context<'a>) -> impl Iterator<Item = (&'a Scenario, &'c Moves<'a>)> + 'c {
    production_moves(context).filter(|(scenario, _)| scenario.scope != Scope::FullSite)
}

/// Machines of a subnet that stay where they are in a scenario.
fn staying_in<'a>(context: &Context<'a>, scenario: &Scenario, moves: &Moves, subnet: &Subnet) -> Vec<&'a Machine> {
    scenario::machines_before(context, scenario, subnet).iter().filter(|machine| !moves.contains(machine)).collect()
}

/// RET-PARTIAL-SUBNET (per scenario): a subnet cannot be split between sites.
fn partial_subnet(context: &Context, findings: &mut Findings) {
    for (scenario, moves) in partial_scope_moves(context) {
        for (subnet, subnet_moves) in moves.by_subnet() {
            let keeping: Vec<&Machine> = subnet_moves.iter().filter(|moved| moved.keeps_ip()).map(|moved| moved.machine).collect();
            let staying = staying_in(context, scenario, moves, subnet);
            if keeping.is_empty() || staying.is_empty() {
                continue;
            }
            let mut elements = vec![Context::subnet_ref(subnet)];
            elements.extend(keeping.iter().map(|machine| Context::machine_ref(machine)));
            elements.extend(staying.iter().map(|machine| Context::machine_ref(machine)));
            findings.add(elements,
                    format!(
                        "\"{}\" fails over {} of the machines of subnet \"{}\" ({}) keeping their addresses, while {} stay behind ({}): a subnet cannot be split between sites.",
                        scenario.name,
                        keeping.len(),
                        subnet.name,
                        subnet.prefix,
                        staying.len(),
                        names(&staying)
                    ),
                    "Fail over the whole subnet together (put its machines in the same application or scope), or give the machines that fail over new addresses in another subnet.".to_owned(),
                )
                .in_scenario(scenario);
        }
    }
}

fn names(machines: &[&Machine]) -> String {
    machines.iter().map(|machine| format!("\"{}\"", machine.name)).collect::<Vec<_>>().join(", ")
}

/// A network some of whose machines stay behind in a scenario: (network, subnets that move,
/// machines that move keeping their address, machines that stay).
struct PartialNetwork<'a> {
    network: &'a Network,
    moving_subnets: Vec<&'a Subnet>,
    keeping: Vec<&'a Machine>,
    staying: Vec<&'a Machine>,
    targets: Vec<&'a Network>,
}

fn partial_networks<'a>(context: &Context<'a>, scenario: &Scenario, moves: &Moves<'a>) -> Vec<PartialNetwork<'a>> {
    let moves_by_subnet: HashMap<&SubnetId, Vec<&Move>> = moves.by_subnet().map(|(subnet, subnet_moves)| (&subnet.id, subnet_moves)).collect();
    moves
        .networks_left(context)
        .into_iter()
        .filter_map(|(network, moving_subnets)| {
            let network_moves: Vec<&Move> = moving_subnets.iter().flat_map(|subnet| moves_by_subnet.get(&subnet.id).into_iter().flatten().copied()).collect();
            let keeping: Vec<&Machine> = network_moves.iter().filter(|moved| moved.keeps_ip()).map(|moved| moved.machine).collect();
            let staying: Vec<&Machine> = context
                .subnets_of(network)
                .iter()
                .filter(|subnet| !moving_subnets.iter().any(|moving| moving.id == subnet.id))
                .flat_map(|subnet| staying_in(context, scenario, moves, subnet))
                .collect();
            let mut targets: Vec<&Network> = Vec::new();
            for moved in &network_moves {
                if let Some(target) = moved.to_subnet.and_then(|subnet| context.network_of(subnet))
                    && !targets.iter().any(|known| known.id == target.id)
                {
                    targets.push(target);
                }
            }
            (!keeping.is_empty() && !staying.is_empty()).then_some(PartialNetwork { network, moving_subnets, keeping, staying, targets })
        })
        .collect()
}

/// RET-SUBNET-WITH-ACTIVE-SOURCE (per scenario): Company B's case in seed 001.
fn subnet_with_active_source(context: &Context, findings: &mut Findings) {
    for (scenario, moves) in partial_scope_moves(context) {
        for partial in partial_networks(context, scenario, moves) {
            let on_premises_link = context
                .links_of(partial.network)
                .iter()
                .find(|connection| connection.is_active() && leads_on_premises(context, connection, &partial.network.id));
            let Some(link) = on_premises_link else { continue };
            for target in &partial.targets {
                if overlapping_networks(&[partial.network, target]).is_empty() {
                    continue;
                }
                let mut elements = vec![Context::network_ref(partial.network), Context::network_ref(target), Context::connection_ref(link)];
                elements.extend(partial.keeping.iter().map(|machine| Context::machine_ref(machine)));
                findings.add(elements,
                        format!(
                            "\"{}\" fails over only part of \"{}\" into \"{}\", which reuses its address space, while \"{}\" keeps \"{}\" connected on-premises: the moved addresses would be reachable at both sites, so this subnet failover is not possible.",
                            scenario.name, partial.network.name, target.name, link.name, partial.network.name
                        ),
                        "House each application in its own network and fail over whole networks, moving the on-premises connection to the recovery side; or give the moved machines new addresses.".to_owned(),
                    )
                    .in_scenario(scenario);
            }
        }
    }
}

/// True when `connection` joins `network` to an on-premises site (by ExpressRoute, or by a link
/// to a network at an on-premises site).
fn leads_on_premises(context: &Context, connection: &Connection, network: &NetworkId) -> bool {
    let other = match connection.network_pair() {
        Some((from, to)) if from == network => to,
        Some((from, to)) if to == network => from,
        Some(_) => return false,
        None => return &connection.from == network,
    };
    context.network(other).and_then(|other| context.site_of(other)).is_some_and(|site| site.kind.is_on_premises())
}

/// RET-SUBNET-IN-SHARED-VNET (per scenario): the moved subnets lose the ones that stay.
fn subnet_in_shared_network(context: &Context, findings: &mut Findings) {
    for (scenario, moves) in partial_scope_moves(context) {
        for partial in partial_networks(context, scenario, moves) {
            let moving = partial.moving_subnets.iter().map(|subnet| format!("\"{}\"", subnet.name)).collect::<Vec<_>>().join(", ");
            let mut elements = vec![Context::network_ref(partial.network)];
            elements.extend(partial.moving_subnets.iter().map(|subnet| Context::subnet_ref(subnet)));
            elements.extend(partial.keeping.iter().map(|machine| Context::machine_ref(machine)));
            findings.add(elements,
                    format!(
                        "\"{}\" fails over {moving} of \"{}\" keeping addresses, while {} other machines of the network stay ({}): the moved machines lose connectivity to the subnets left behind.",
                        scenario.name,
                        partial.network.name,
                        partial.staying.len(),
                        names(&partial.staying)
                    ),
                    "Give each application a dedicated network and fail over whole networks, or use new target addresses if the application must reach the other subnets.".to_owned(),
                )
                .in_scenario(scenario);
        }
    }
}

/// RET-SUBNET-ROUTES (per scenario): whole subnets moving between on-premises sites with their
/// addresses; warns when a third site has no path to the recovery site.
fn subnet_routes(context: &Context, findings: &mut Findings) {
    let plan = context.plan;
    for (scenario, moves) in production_moves(context) {
        let source_on_premises = context.site(&scenario.from_site).is_some_and(|site| site.kind.is_on_premises());
        if !source_on_premises {
            continue;
        }
        let moved_subnets: Vec<&Subnet> = moves
            .by_subnet()
            .filter(|(subnet, subnet_moves)| subnet_moves.iter().all(|moved| moved.keeps_ip()) && staying_in(context, scenario, moves, subnet).is_empty())
            .map(|(subnet, _)| subnet)
            .collect();
        if moved_subnets.is_empty() {
            continue;
        }
        let (Some(primary), Some(recovery)) = (context.site(&scenario.from_site), context.site(&scenario.to_site)) else { continue };
        let unreachable: Vec<&Site> = plan.sites.iter().filter(|site| site.role == SiteRole::Third && !sites_joined(context, &site.id, &recovery.id)).collect();
        let prefixes = moved_subnets.iter().map(|subnet| subnet.prefix.to_string()).collect::<Vec<_>>().join(", ");
        let mut elements: Vec<ElementRef> = moved_subnets.iter().map(|subnet| Context::subnet_ref(subnet)).collect();
        elements.push(Context::site_ref(primary));
        elements.push(Context::site_ref(recovery));
        let mut message = format!(
            "\"{}\" moves {prefixes} from \"{}\" to \"{}\" with its addresses: routes between the primary and recovery sites, between third sites and the primary, and between third sites and the recovery site must change to point at the subnet's new location.",
            scenario.name, primary.name, recovery.name
        );
        let mut finding_severity = Severity::Info;
        if !unreachable.is_empty() {
            finding_severity = Severity::Warning;
            elements.extend(unreachable.iter().map(|site| Context::site_ref(site)));
            message.push_str(&format!(
                " Third site {} has no connection to \"{}\", so it cannot reach the subnet after failover.",
                unreachable.iter().map(|site| format!("\"{}\"", site.name)).collect::<Vec<_>>().join(", "),
                recovery.name
            ));
        }
        findings.add(elements,
                message,
                "Script the route changes in the recovery plan (primary–recovery, third–primary, third–recovery), and connect every third site to the recovery site before failover.".to_owned(),
            )
            .with_severity(finding_severity)
            .in_scenario(scenario);
    }
}

/// True when a connection (now or prepared) joins a network of site `a` to a network of site `b`.
fn sites_joined(context: &Context, a: &SiteId, b: &SiteId) -> bool {
    let site_of = |network: &NetworkId| context.network(network).map(|network| &network.site);
    context.plan.connections.iter().any(|connection| {
        connection.network_pair().is_some_and(|(from, to)| {
            let (from, to) = (site_of(from), site_of(to));
            (from == Some(a) && to == Some(b)) || (from == Some(b) && to == Some(a))
        })
    })
}

/// RET-STRETCHED: every stretched VLAN.
fn stretched(context: &Context, findings: &mut Findings) {
    for connection in &context.plan.connections {
        let Link::StretchedVlan { to } = &connection.link else { continue };
        let (Some(from), Some(to)) = (context.network(&connection.from), context.network(to)) else { continue };
        findings.add(vec![Context::connection_ref(connection), Context::network_ref(from), Context::network_ref(to)],
            format!(
                "\"{}\" stretches a VLAN between \"{}\" and \"{}\": it needs networking equipment that can stretch a VLAN, and the fault domain now spans both sites (a broadcast storm at one cannot be isolated from the other).",
                connection.name, from.name, to.name
            ),
            "Accept the shared fault domain knowingly, or fail over the whole subnet and change routes instead (subnet failover).".to_owned(),
        );
    }
}

/// RET-DHCP: DHCP machines whose target subnet will not hand out their addresses.
fn dhcp(context: &Context, findings: &mut Findings) {
    let mut by_target: BTreeMap<&SubnetId, Vec<(&Machine, IpAddr)>> = BTreeMap::new();
    for Protected { machine, target, target_subnet: subnet } in context.protected() {
        if machine.ip_allocation == Allocation::Dhcp {
            by_target.entry(&subnet.id).or_default().push((machine, target.ip.address(machine.ip)));
        }
    }
    for (subnet_id, addressed) in by_target {
        let Some(subnet) = context.subnet(subnet_id) else { continue };
        let Some(network) = context.network_of(subnet) else { continue };
        let in_range = |(_, address): &(&Machine, IpAddr)| subnet.dhcp_range.as_deref().is_some_and(|range| range.start <= *address && *address <= range.end);
        let machines: Vec<&Machine> = addressed.iter().map(|(machine, _)| *machine).collect();
        let to_cloud = context.site_of(network).is_some_and(|site| !site.kind.is_on_premises());
        if !to_cloud && subnet.allocation == Allocation::Dhcp && addressed.iter().all(in_range) {
            continue;
        }
        let mut elements: Vec<ElementRef> = machines.iter().map(|machine| Context::machine_ref(machine)).collect();
        elements.push(Context::subnet_ref(subnet));
        let one = machines.len() == 1;
        let (what, fix) = if to_cloud {
            (
                format!("Azure hands \"{}\" its own dynamic addresses", subnet.name),
                "Give the machines static target addresses if they must keep them.".to_owned(),
            )
        } else {
            (
                format!("the DHCP server of target subnet \"{}\" does not hand out the range {}", subnet.name, if one { "it uses" } else { "they use" }),
                format!("Make the recovery site's DHCP server hand out the same range in \"{}\", and record it as the subnet's DHCP range.", subnet.name),
            )
        };
        findings.add(
            elements,
            format!(
                "{} {} DHCP: the replication service does not manage {} addresses, and {what}.",
                names(&machines),
                if one { "uses" } else { "use" },
                if one { "its" } else { "their" }
            ),
            fix,
        );
    }
}

/// RET-STATIC-POOL: VMM target networks that allocate from a pool they do not have.
fn static_pool(context: &Context, findings: &mut Findings) {
    for network in context.plan.networks.iter().filter(|network| network.kind == NetworkKind::VmmVmNetwork) {
        for subnet in context.subnets_of(network).iter().filter(|subnet| subnet.static_pool.is_none()) {
            let machines = context.machines_targeting(subnet);
            if machines.is_empty() {
                continue;
            }
            let why = if network.isolation == Isolation::Wnv {
                "it uses Windows Network Virtualization, which always allocates from a static pool"
            } else if subnet.allocation == Allocation::Static {
                "it uses static addressing"
            } else {
                continue;
            };
            let mut elements = vec![Context::subnet_ref(subnet), Context::network_ref(network)];
            elements.extend(machines.iter().map(Context::machine_ref));
            findings.add(
                elements,
                format!(
                    "Target subnet \"{}\" of VMM network \"{}\" has no static IP address pool, but {why}: address allocation fails for {}.",
                    subnet.name,
                    network.name,
                    names(&machines.iter().collect::<Vec<_>>())
                ),
                format!("Define a static IP address pool for \"{}\" on the recovery VMM server, matching the source pool.", subnet.name),
            );
        }
    }
}

/// RET-PUBLIC-IP: a public address cannot be kept when failing over to Azure.
fn public_ip(context: &Context, findings: &mut Findings) {
    for Protected { machine, target, target_subnet: subnet } in context.protected() {
        let Some(public) = machine.public_ip else { continue };
        if !target.keep_public_ip {
            continue;
        }
        let to_cloud = context.network(&subnet.network).and_then(|network| context.site_of(network)).is_some_and(|site| site.kind == SiteKind::CloudRegion);
        if !to_cloud {
            continue;
        }
        findings.add(
            vec![Context::machine_ref(machine)],
            format!("\"{}\" is set to keep its public address {public} after failover to Azure, which is not possible.", machine.name),
            "Plan a new public address (and the DNS or Traffic Manager change that goes with it). Non-RFC 1918 addresses used internally can be kept."
                .to_owned(),
        );
    }
}
