//! Random edits of every kind for property tests (`edit_invariant.rs`,
//! `incremental_validation.rs`): built from the plan as it is, with ids that exist, ids of the
//! wrong kind and ids that do not exist.

use drplan::edit::{Edit, Element, ElementKey, Placement};
use drplan::model::ElementKind;
use drplan::model::*;

/// Every id of the plan and a few that name nothing, to pick references from.
pub fn id_pool(plan: &Plan) -> Vec<String> {
    let mut pool: Vec<String> = plan.ids().map(str::to_owned).collect();
    pool.extend(["stale-id".to_owned(), "net-gone".to_owned(), String::new()]);
    pool
}

pub fn pick<T: Clone>(items: &[T], index: u16) -> Option<T> {
    (!items.is_empty()).then(|| items[usize::from(index) % items.len()].clone())
}

/// An edit of kind `kind` built from the plan as it is, with references taken from the pool.
pub fn edit_of(plan: &Plan, kind: u8, a: u16, b: u16) -> Option<Edit> {
    let pool = id_pool(plan);
    let any_id = |index: u16| pick(&pool, index).unwrap_or_default();
    Some(match kind % 25 {
        0 => {
            let kinds = [
                ElementKind::Site,
                ElementKind::Network,
                ElementKind::Subnet,
                ElementKind::Machine,
                ElementKind::Circuit,
                ElementKind::Connection,
                ElementKind::Scenario,
            ];
            Edit::Delete(ElementKey::new(kinds[usize::from(a) % kinds.len()], any_id(b)))
        }
        1 => {
            let mut subnet = pick(&plan.subnets, a)?;
            subnet.network = NetworkId::new(any_id(b));
            Edit::Replace(Element::Subnet(subnet))
        }
        2 => {
            let mut machine = pick(&plan.machines, a)?;
            machine.target = Some(FailoverTarget { subnet: SubnetId::new(any_id(b)), ip: TargetIp::Keep, keep_public_ip: false });
            Edit::Replace(Element::Machine(machine))
        }
        3 => {
            let from = pick(&plan.networks, a)?.id;
            let to = if b.is_multiple_of(3) { from.clone() } else { NetworkId::new(any_id(b)) };
            Edit::Add(Element::Connection(Connection {
                id: ConnectionId::new(format!("conn-random-{a}-{b}")),
                name: "random".to_owned(),
                from,
                link: Link::SiteToSiteVpn { to },
                state: ConnectionState::Prepared,
                azure: Azure::default(),
            }))
        }
        4 => Edit::SetMapping { source: NetworkId::new(any_id(a)), target: (!b.is_multiple_of(4)).then(|| NetworkId::new(any_id(b))) },
        5 => {
            // A network whose route table and NVA name a subnet that may not exist.
            let mut network = pick(&plan.networks, a)?;
            network.nvas.push(Nva {
                // Now and then with an id the plan already uses.
                id: NvaId::new(if b.is_multiple_of(3) { any_id(a) } else { format!("nva-random-{b}") }),
                name: "random".to_owned(),
                subnet: SubnetId::new(any_id(b)),
                ip: "10.0.0.4".parse().ok()?,
            });
            Edit::Replace(Element::Network(network))
        }
        6 => {
            let mut scenario = pick(&plan.scenarios, a)?;
            scenario.to_site = SiteId::new(any_id(b));
            Edit::Replace(Element::Scenario(scenario))
        }
        7 => Edit::Batch(vec![edit_of(plan, 0, a, b)?, edit_of(plan, 3, b, a)?]),
        8 => {
            let key = pick(&plan.networks, a).map(|network| ElementKey::new(ElementKind::Network, network.id.as_str()))?;
            Edit::Move(vec![Placement { key, position: Point::new(f32::from(b % 2000), 40.0) }])
        }
        9 => {
            // A new name, another subnet's (a test failover finds subnets by name) or the gateway
            // subnet's (which makes a subnet one).
            let name = match b % 4 {
                0 => pick(&plan.subnets, b / 4)?.name,
                1 => Subnet::GATEWAY_SUBNET_NAME.to_owned(),
                _ => format!("renamed {b}"),
            };
            rename(plan, a, name)?
        }
        10 => {
            // A machine given an address of some subnet: outside its own, or taken, or free.
            let mut machine = pick(&plan.machines, a)?;
            let subnet = pick(&plan.subnets, b)?;
            machine.ip = subnet.prefix.net().hosts().nth(usize::from(b % 6))?;
            Edit::Replace(Element::Machine(machine))
        }
        11 => {
            // A subnet given the prefix of another subnet, or of a network: overlaps, outside.
            let mut subnet = pick(&plan.subnets, a)?;
            subnet.prefix = match b % 3 {
                0 => pick(&plan.subnets, b)?.prefix,
                1 => *pick(&plan.networks, b)?.address_space.first()?,
                // The same prefix written with host bits set.
                _ => Prefix(ipnet::IpNet::new(subnet.prefix.net().hosts().next()?, subnet.prefix.0.prefix_len()).ok()?),
            };
            Edit::Replace(Element::Subnet(subnet))
        }
        12 => {
            let mut connection = pick(&plan.connections, a)?;
            connection.state = if connection.state == ConnectionState::Active { ConnectionState::Prepared } else { ConnectionState::Active };
            Edit::Replace(Element::Connection(connection))
        }
        13 => {
            let mut circuit = pick(&plan.circuits, a)?;
            circuit.peering_location = pick(&plan.circuits, b)?.peering_location;
            circuit.premium = !circuit.premium;
            Edit::Replace(Element::Circuit(circuit))
        }
        14 => {
            if a.is_multiple_of(2) {
                Edit::Rename { name: format!("Plan {b}") }
            } else {
                let machine = pick(&plan.machines, b)?;
                Edit::Move(vec![Placement { key: ElementKey::new(ElementKind::Machine, machine.id.as_str()), position: Point::new(f32::from(a % 900), 12.5) }])
            }
        }
        15 => Edit::Batch(vec![edit_of(plan, 9, a, b)?, edit_of(plan, 10, b, a)?]),
        16 => {
            // A scenario of another type, scope, direction or test network.
            let mut scenario = pick(&plan.scenarios, a)?;
            match b % 5 {
                0 => scenario.failover_type = [FailoverType::Test, FailoverType::Planned, FailoverType::Unplanned][usize::from(a % 3)],
                1 => scenario.scope = Scope::Subnets(vec![pick(&plan.subnets, b)?.id]),
                2 => scenario.scope = if a.is_multiple_of(2) { Scope::FullSite } else { Scope::Applications(vec![pick(&plan.machines, b)?.application]) },
                3 => scenario.direction = if scenario.direction == Direction::Failover { Direction::Failback } else { Direction::Failover },
                _ if a.is_multiple_of(2) => scenario.test_network = Some(pick(&plan.networks, b)?.id),
                _ => {
                    scenario.from_site = pick(&plan.sites, b)?.id;
                    scenario.to_site = pick(&plan.sites, a)?.id;
                }
            }
            Edit::Replace(Element::Scenario(scenario))
        }
        17 => {
            // A machine set to fail over into a subnet that exists, keeping or changing its address.
            let mut machine = pick(&plan.machines, a)?;
            let subnet = pick(&plan.subnets, b)?;
            let ip = if b.is_multiple_of(2) { TargetIp::Keep } else { TargetIp::New(subnet.prefix.net().hosts().nth(usize::from(a % 5))?) };
            machine.target = Some(FailoverTarget { subnet: subnet.id, ip, keep_public_ip: a.is_multiple_of(3) });
            Edit::Replace(Element::Machine(machine))
        }
        18 => {
            // A subnet's allocation and ranges.
            let mut subnet = pick(&plan.subnets, a)?;
            let hosts: Vec<std::net::IpAddr> = subnet.prefix.net().hosts().take(8).collect();
            let range = (hosts.len() >= 8)
                .then(|| match a % 3 {
                    0 => IpRange { start: hosts[b as usize % 4], end: hosts[4 + (a as usize % 4)] },
                    // Backwards, or of two families.
                    1 => IpRange { start: hosts[4 + (a as usize % 4)], end: hosts[b as usize % 4] },
                    _ => IpRange { start: hosts[0], end: "fd00::9".parse().unwrap_or(hosts[1]) },
                })
                .map(Box::new);
            match b % 3 {
                0 => subnet.allocation = if subnet.allocation == Allocation::Static { Allocation::Dhcp } else { Allocation::Static },
                1 => subnet.static_pool = if subnet.static_pool.is_some() { None } else { range },
                _ => subnet.dhcp_range = if subnet.dhcp_range.is_some() { None } else { range },
            }
            Edit::Replace(Element::Subnet(subnet))
        }
        19 => {
            // A machine's allocation, public address, DNS record or application.
            let mut machine = pick(&plan.machines, a)?;
            match b % 4 {
                0 => machine.ip_allocation = if machine.ip_allocation == Allocation::Static { Allocation::Dhcp } else { Allocation::Static },
                1 => machine.public_ip = if machine.public_ip.is_some() { None } else { "52.1.2.3".parse().ok() },
                2 => {
                    machine.dns = if machine.dns.is_some() {
                        None
                    } else {
                        Some(Box::new(DnsRecord {
                            zone: "corp.example".to_owned(),
                            name: machine.name.clone(),
                            ttl_secs: 300,
                            dynamic_registration: a.is_multiple_of(2),
                        }))
                    }
                }
                _ => machine.application = pick(&plan.machines, b)?.application,
            }
            Edit::Replace(Element::Machine(machine))
        }
        24 => {
            // A machine's address, or the new address it is to take after failover, changed to
            // one near it: in its own or its target subnet (reserved ones too), or one another
            // machine holds.
            let mut machine = pick(&plan.machines, a)?;
            let own = plan.subnet(&machine.subnet)?;
            match machine.target.as_mut() {
                Some(target) if b.is_multiple_of(2) && matches!(target.ip, TargetIp::New(_)) => {
                    target.ip = TargetIp::New(plan.subnet(&target.subnet)?.prefix.net().hosts().nth(usize::from(a % 8))?);
                }
                _ if a.is_multiple_of(3) => machine.ip = pick(&plan.machines, b)?.ip,
                _ => machine.ip = own.prefix.net().hosts().nth(usize::from(b % 8))?,
            }
            Edit::Replace(Element::Machine(machine))
        }
        21 => Edit::SetMapping { source: pick(&plan.networks, a)?.id, target: Some(pick(&plan.networks, b)?.id) },
        22 => {
            // A connection of any type between networks that exist (or to a circuit).
            let from = pick(&plan.networks, a)?.id;
            let to = pick(&plan.networks, b)?.id;
            let settings = |transit: bool, remote: bool| PeeringSettings {
                allow_virtual_network_access: true,
                allow_forwarded_traffic: true,
                allow_gateway_transit: transit,
                use_remote_gateways: remote,
            };
            let link = match (a / 3) % 4 {
                0 => Link::ExpressRoute { circuit: pick(&plan.circuits, b)?.id },
                1 => Link::VnetPeering { to, from_side: settings(false, b.is_multiple_of(3)), to_side: settings(a.is_multiple_of(2), false) },
                2 => Link::StretchedVlan { to },
                _ => Link::SiteToSiteVpn { to },
            };
            let state = if b.is_multiple_of(2) { ConnectionState::Active } else { ConnectionState::Prepared };
            Edit::Add(Element::Connection(Connection {
                id: ConnectionId::new(format!("conn-added-{a}-{b}")),
                name: format!("added {a}"),
                from,
                link,
                state,
                azure: Azure::default(),
            }))
        }
        23 => {
            // A circuit at another site or location, or a new one.
            let mut circuit = pick(&plan.circuits, a)?;
            circuit.site = pick(&plan.sites, b)?.id;
            if b.is_multiple_of(2) {
                circuit.id = CircuitId::new(format!("er-added-{a}-{b}"));
                circuit.geography = "Europe".to_owned();
                Edit::Add(Element::Circuit(circuit))
            } else {
                Edit::Replace(Element::Circuit(circuit))
            }
        }
        _ => {
            // A site of another kind, or a network of another kind.
            if a.is_multiple_of(2) {
                let mut site = pick(&plan.sites, b)?;
                site.kind = SiteKind::ALL[usize::from(a % 5)];
                Edit::Replace(Element::Site(site))
            } else {
                let mut network = pick(&plan.networks, b)?;
                match a % 4 {
                    // A network of every address.
                    3 => network.address_space.push(Prefix("0.0.0.0/0".parse().ok()?)),
                    _ => network.kind = [NetworkKind::Vnet, NetworkKind::VmmVmNetwork, NetworkKind::Lan][usize::from(a % 4)],
                }
                Edit::Replace(Element::Network(network))
            }
        }
    })
}

/// An element of some kind with a new name (names are in every message, and a test failover
/// matches subnets by name).
fn rename(plan: &Plan, a: u16, name: String) -> Option<Edit> {
    Some(match a % 7 {
        0 => Edit::Replace(Element::Site(Site { name, ..pick(&plan.sites, a / 7)? })),
        1 => Edit::Replace(Element::Network(Network { name, ..pick(&plan.networks, a / 7)? })),
        2 => Edit::Replace(Element::Subnet(Subnet { name, ..pick(&plan.subnets, a / 7)? })),
        3 => Edit::Replace(Element::Machine(Machine { name, ..pick(&plan.machines, a / 7)? })),
        4 => Edit::Replace(Element::Circuit(Circuit { name, ..pick(&plan.circuits, a / 7)? })),
        5 => Edit::Replace(Element::Connection(Connection { name, ..pick(&plan.connections, a / 7)? })),
        _ => Edit::Replace(Element::Scenario(Scenario { name, ..pick(&plan.scenarios, a / 7)? })),
    })
}
