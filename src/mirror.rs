//! Proposing the recovery side of a plan, by Site Recovery's own mapping rules (DOMAIN.md,
//! "Site Recovery's own mapping rules"): for every network of the source site without a mapping,
//! a recovery network with the same address space (seed 001's Company A) or one offset, its
//! subnets with the same names, its gateways not provisioned before failover, its route tables
//! made at failover and its NVAs, and the mapping; each machine's target (the subnet with the
//! source subnet's name, else the first by name; the same address when the target subnet holds
//! it and it is free, else the next free one); the recovery side's connections like the
//! source's, prepared for failover (ExpressRoute to a circuit at another peering location when
//! there is one); and a full-region scenario. What it cannot decide is reported, not guessed.

use std::net::{IpAddr, Ipv4Addr};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::*;

/// The address space of the recovery networks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressSpace {
    /// The source's (seed 001: keep the IP addresses).
    Same,
    /// The source's with this added to the second octet of every IPv4 address (10.1.0.0/24 with
    /// offset 100 gives 10.101.0.0/24).
    Offset(u8),
}

/// What the user asks for.
#[derive(Clone, Debug)]
pub struct MirrorOptions {
    /// The source site, by id or name.
    pub from: String,
    /// The recovery site, by id or name; an Azure region not yet in the plan is added.
    pub to: String,
    pub address_space: AddressSpace,
}

/// The plan with its recovery side, and what the mirror could not decide.
pub struct Mirrored {
    pub plan: Plan,
    pub created: Vec<(&'static str, usize)>,
    pub findings: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MirrorError {
    #[error("--from {0}: the plan has no site with that id or name")]
    UnknownSource(String),
    #[error("--to {0}: the plan has no site with that id or name, and it is not an Azure region")]
    UnknownTarget(String),
    #[error("--from and --to name the same site")]
    SameSite,
}

fn find_site<'a>(plan: &'a Plan, key: &str) -> Option<&'a Site> {
    plan.sites.iter().find(|site| site.id.as_str() == key).or_else(|| plan.sites.iter().find(|site| site.name.eq_ignore_ascii_case(key)))
}

/// A prefix moved into the recovery address space; none when the offset leaves IPv4's range or
/// the prefix is IPv6.
fn moved_prefix(prefix: Prefix, space: AddressSpace) -> Option<Prefix> {
    match space {
        AddressSpace::Same => Some(prefix),
        AddressSpace::Offset(offset) => {
            let ipnet::IpNet::V4(net) = prefix.net() else { return None };
            let moved = moved_v4(net.network(), offset)?;
            format!("{moved}/{}", net.prefix_len()).parse().ok()
        }
    }
}

fn moved_v4(address: Ipv4Addr, offset: u8) -> Option<Ipv4Addr> {
    let [a, b, c, d] = address.octets();
    Some(Ipv4Addr::new(a, b.checked_add(offset)?, c, d))
}

fn moved_ip(ip: IpAddr, space: AddressSpace) -> Option<IpAddr> {
    match (space, ip) {
        (AddressSpace::Same, ip) => Some(ip),
        (AddressSpace::Offset(offset), IpAddr::V4(v4)) => moved_v4(v4, offset).map(IpAddr::V4),
        (AddressSpace::Offset(_), IpAddr::V6(_)) => None,
    }
}

/// A recovery name for a source name: "Source" becomes "Target", else " (recovery)" is added.
fn recovery_name(name: &str) -> String {
    if let Some(at) = name.find("Source") {
        format!("{}Target{}", &name[..at], &name[at + "Source".len()..])
    } else if let Some(at) = name.find("source") {
        format!("{}target{}", &name[..at], &name[at + "source".len()..])
    } else {
        format!("{name} (recovery)")
    }
}

/// Proposes the recovery side of the plan.
pub fn mirror(plan: &Plan, options: &MirrorOptions) -> Result<Mirrored, MirrorError> {
    let mut plan = plan.clone();
    let from = find_site(&plan, &options.from).cloned().ok_or_else(|| MirrorError::UnknownSource(options.from.clone()))?;
    let mut findings = Vec::new();
    let mut ids: FxHashSet<String> = plan.ids().map(str::to_owned).collect();
    let mut fresh = |prefix: &str, name: &str| crate::import::element_id(&mut ids, prefix, name);
    let to = match find_site(&plan, &options.to) {
        Some(site) => site.clone(),
        None => {
            let Some((display, _)) = crate::import::region(&options.to) else { return Err(MirrorError::UnknownTarget(options.to.clone())) };
            let site = crate::import::region_site(SiteId::new(fresh("site", display)), display, SiteRole::Recovery);
            plan.sites.push(site.clone());
            site
        }
    };
    if from.id == to.id {
        return Err(MirrorError::SameSite);
    }
    let space = options.address_space;
    let kind = to.kind.network_kind();

    // Networks, subnets, gateways, route tables, NVAs and mappings.
    let mapped: FxHashSet<NetworkId> = plan.network_mappings.iter().map(|mapping| mapping.source.clone()).collect();
    let sources: Vec<Network> = plan.networks_of(&from.id).filter(|network| !mapped.contains(&network.id)).cloned().collect();
    let mut network_of: FxHashMap<NetworkId, NetworkId> = FxHashMap::default();
    let mut subnet_of: FxHashMap<SubnetId, SubnetId> = FxHashMap::default();
    let (mut networks, mut subnets) = (0, 0);
    for source in &sources {
        let address_space: Vec<Prefix> = source.address_space.iter().filter_map(|prefix| moved_prefix(*prefix, space)).collect();
        if address_space.len() < source.address_space.len() {
            findings.push(format!("\"{}\": some of its address space cannot be offset (IPv6, or past 255); the recovery network leaves it out.", source.name));
        }
        let id = NetworkId::new(fresh("net", &recovery_name(&source.name)));
        network_of.insert(source.id.clone(), id.clone());
        let source_subnets: Vec<Subnet> = plan.subnets_of(&source.id).cloned().collect();
        for subnet in source_subnets {
            let Some(prefix) = moved_prefix(subnet.prefix, space) else {
                findings.push(format!("Subnet \"{}\" of \"{}\" cannot be offset; it has no recovery subnet.", subnet.name, source.name));
                continue;
            };
            let subnet_id = SubnetId::new(fresh("sub", &format!("{} {}", recovery_name(&source.name), subnet.name)));
            subnet_of.insert(subnet.id.clone(), subnet_id.clone());
            let range = |range: Option<&IpRange>| {
                range.and_then(|range| Some(Box::new(IpRange { start: moved_ip(range.start, space)?, end: moved_ip(range.end, space)? })))
            };
            plan.subnets.push(Subnet {
                id: subnet_id,
                name: subnet.name.clone(),
                network: id.clone(),
                prefix,
                allocation: subnet.allocation,
                static_pool: range(subnet.static_pool.as_deref()),
                dhcp_range: range(subnet.dhcp_range.as_deref()),
                position: None,
            });
            subnets += 1;
        }
        let gateways = source
            .gateways
            .iter()
            .map(|gateway| Gateway {
                id: GatewayId::new(fresh("gw", &recovery_name(&gateway.name))),
                name: recovery_name(&gateway.name),
                kind: gateway.kind,
                provisioned_before_failover: false,
                azure: Azure::default(),
            })
            .collect();
        let route_tables = source
            .route_tables
            .iter()
            .map(|table| RouteTable {
                id: RouteTableId::new(fresh("rt", &recovery_name(&table.name))),
                name: recovery_name(&table.name),
                subnets: table.subnets.iter().filter_map(|subnet| subnet_of.get(subnet).cloned()).collect(),
                routes: table
                    .routes
                    .iter()
                    .map(|route| Route {
                        name: route.name.clone(),
                        prefix: moved_prefix(route.prefix, space).unwrap_or(route.prefix),
                        next_hop: match &route.next_hop {
                            NextHop::VirtualAppliance(address) => NextHop::VirtualAppliance(moved_ip(*address, space).unwrap_or(*address)),
                            other => other.clone(),
                        },
                    })
                    .collect(),
                // Seed 003 step d: the recovery side's UDRs are made at failover.
                created_at_failover: true,
                azure: Azure::default(),
            })
            .collect();
        let nvas = source
            .nvas
            .iter()
            .filter_map(|nva| {
                Some(Nva {
                    id: NvaId::new(fresh("nva", &recovery_name(&nva.name))),
                    name: recovery_name(&nva.name),
                    subnet: subnet_of.get(&nva.subnet)?.clone(),
                    ip: moved_ip(nva.ip, space)?,
                })
            })
            .collect();
        plan.networks.push(Network {
            id: id.clone(),
            name: recovery_name(&source.name),
            site: to.id.clone(),
            kind,
            address_space,
            purpose: source.purpose,
            isolation: source.isolation,
            gateways,
            route_tables,
            service_endpoints: source.service_endpoints.clone(),
            nvas,
            azure: Azure::default(),
            position: None,
        });
        plan.network_mappings.push(NetworkMapping { source: source.id.clone(), target: id });
        networks += 1;
    }

    let targets = set_targets(&mut plan, &subnet_of);
    let connections = mirror_connections(&mut plan, &network_of, &mut fresh, &mut findings);

    if networks > 0 {
        plan.scenarios.push(Scenario::full_site(
            ScenarioId::new(fresh("scn", &format!("full region {}", to.name))),
            format!("Full region failover to {}", to.name),
            format!("Proposed by drplan mirror: every protected machine of \"{}\" fails over to \"{}\".", from.name, to.name),
            from.id.clone(),
            to.id.clone(),
        ));
    } else {
        findings.push(format!("Every network of \"{}\" already has a recovery network: nothing to mirror.", from.name));
    }
    crate::export::diagram::store_positions(&mut plan);
    Ok(Mirrored { plan, created: vec![("networks", networks), ("subnets", subnets), ("machine targets", targets), ("connections", connections)], findings })
}

/// Sets the target of every machine of a mirrored subnet that has none: the recovery subnet
/// with its subnet's name, else the first by name (never a GatewaySubnet); the same address when
/// that subnet holds it and it is free, else the next free usable address.
fn set_targets(plan: &mut Plan, subnet_of: &FxHashMap<SubnetId, SubnetId>) -> usize {
    // Addresses held in each subnet: by machines, NVAs and the targets already set.
    let mut taken: FxHashSet<(SubnetId, IpAddr)> = plan.machines.iter().map(|machine| (machine.subnet.clone(), machine.ip)).collect();
    taken.extend(plan.networks.iter().flat_map(|network| network.nvas.iter().map(|nva| (nva.subnet.clone(), nva.ip))));
    for machine in &plan.machines {
        if let Some(target) = &machine.target {
            taken.insert((target.subnet.clone(), target.ip.address(machine.ip)));
        }
    }
    let mut set = 0;
    for index in 0..plan.machines.len() {
        let machine = &plan.machines[index];
        if machine.target.is_some() {
            continue;
        }
        let Some(recovery_network) = subnet_of.get(&machine.subnet).and_then(|subnet| plan.subnet(subnet)).map(|subnet| subnet.network.clone()) else {
            continue;
        };
        let source_name = plan.subnet(&machine.subnet).map(|subnet| subnet.name.clone()).unwrap_or_default();
        let mut candidates: Vec<&Subnet> = plan.subnets_of(&recovery_network).filter(|subnet| !subnet.is_gateway_subnet()).collect();
        candidates.sort_by(|a, b| a.name.cmp(&b.name));
        let Some(target) = candidates.iter().find(|subnet| subnet.name == source_name).or_else(|| candidates.first()).map(|subnet| (*subnet).clone()) else {
            continue;
        };
        let network_kind = plan.network(&target.network).map_or(NetworkKind::Vnet, |network| network.kind);
        let free = |ip: &IpAddr| crate::validate::address_problem(ip, &target, network_kind).is_none() && !taken.contains(&(target.id.clone(), *ip));
        let ip = if free(&machine.ip) {
            TargetIp::Keep
        } else {
            let Some(next) = target.prefix.net().trunc().hosts().find(free) else { continue };
            TargetIp::New(next)
        };
        taken.insert((target.id.clone(), if let TargetIp::New(next) = ip { next } else { machine.ip }));
        plan.machines[index].target = Some(FailoverTarget { subnet: target.id.clone(), ip, keep_public_ip: false });
        set += 1;
    }
    set
}

/// The recovery side's connections, like the source's and prepared for failover.
fn mirror_connections(
    plan: &mut Plan,
    network_of: &FxHashMap<NetworkId, NetworkId>,
    fresh: &mut dyn FnMut(&str, &str) -> String,
    findings: &mut Vec<String>,
) -> usize {
    let mut made = 0;
    let sources: Vec<Connection> = plan
        .connections
        .iter()
        .filter(|connection| network_of.contains_key(&connection.from) || connection.to_network().is_some_and(|to| network_of.contains_key(to)))
        .cloned()
        .collect();
    for connection in sources {
        let end = |id: &NetworkId| network_of.get(id).cloned().unwrap_or_else(|| id.clone());
        let from = end(&connection.from);
        let link = match &connection.link {
            Link::VnetPeering { to, from_side, to_side } => Link::VnetPeering { to: end(to), from_side: *from_side, to_side: *to_side },
            Link::SiteToSiteVpn { to } => Link::SiteToSiteVpn { to: end(to) },
            Link::StretchedVlan { .. } => {
                findings
                    .push(format!("\"{}\" is a stretched VLAN: how it extends to the recovery site is a design choice drplan leaves to you.", connection.name));
                continue;
            }
            Link::ExpressRoute { circuit } => {
                let Some(used) = plan.circuit(circuit).cloned() else { continue };
                // Seed 003: a second circuit at another peering location survives the loss of the
                // first's; with one circuit only, the recovery network connects to it at failover.
                let other = plan.circuits.iter().find(|candidate| candidate.site == used.site && candidate.peering_location != used.peering_location).cloned();
                match other {
                    Some(other) => Link::ExpressRoute { circuit: other.id },
                    None => {
                        findings.push(format!(
                            "\"{}\": \"{}\" is the only circuit of its site; the recovery network connects to it at failover (give it a second circuit at another peering location to survive the loss of {}).",
                            connection.name, used.name, used.peering_location
                        ));
                        Link::ExpressRoute { circuit: used.id }
                    }
                }
            }
        };
        let far = |link: &Link| match link {
            Link::ExpressRoute { circuit } => plan.circuit(circuit).map(|circuit| circuit.name.clone()),
            Link::SiteToSiteVpn { to } | Link::VnetPeering { to, .. } | Link::StretchedVlan { to } => plan.network(to).map(|network| network.name.clone()),
        };
        let name = format!("{} to {}", plan.network(&from).map_or_else(|| from.to_string(), |network| network.name.clone()), far(&link).unwrap_or_default());
        if plan.connections.iter().any(|existing| existing.from == from && existing.link == link) {
            continue;
        }
        plan.connections.push(Connection {
            id: ConnectionId::new(fresh("conn", &name)),
            name,
            from,
            link,
            state: ConnectionState::Prepared,
            azure: Azure::default(),
        });
        made += 1;
    }
    made
}
