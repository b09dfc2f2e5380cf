//! A seeded generator of synthetic enterprise plans, for benchmarks and scale tests: hub and
//! spoke VNets in a primary region mirrored in a recovery region, workload subnets, machines,
//! peerings, ExpressRoute circuits, and a known number of injected faults.
//!
//! The same size and seed always give the same plan, so benchmark runs and the Python
//! reference compare like with like. Ids are short handles, as authors write them
//! (`sub-primary-12-3`); those of the spokes fit in 24 bytes, those of the hubs do not.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};

use crate::model::*;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct SynthSpec {
    /// Approximate number of prefixes (network address prefixes plus subnet prefixes).
    pub prefixes: usize,
    pub seed: u64,
    /// Faults to inject, spread over the kinds in [`FAULT_RULES`].
    pub faults: usize,
}

/// The rules the injected faults trigger, one finding per fault, in injection order.
pub const FAULT_RULES: [&str; 3] = ["ADDR-SUBNET-OVERLAP", "CONN-OVERLAP", "ADDR-IP-OUTSIDE-SUBNET"];

/// A generated plan and how many faults of each rule were injected.
pub struct Synth {
    pub plan: Plan,
    pub injected: BTreeMap<&'static str, usize>,
}

const SUBNETS_PER_SPOKE: usize = 4;
const SPOKES_PER_HUB: usize = 50;

/// The id of workload subnet `index` of spoke `spoke` in `region` ("sub-primary-12-3").
pub fn spoke_subnet_id(region: &str, spoke: usize, index: usize) -> SubnetId {
    SubnetId::new(format!("sub-{region}-{spoke}-{index}"))
}

fn point(x: usize, y: usize) -> Option<Point> {
    Some(Point::new(x as f32, y as f32))
}

/// Spokes in 10.0.0.0/8 to 12.0.0.0/8 (about 2 million prefixes), with no more hubs than
/// 172.16.0.0/12 holds.
const MAX_SPOKES: usize = 3 * 65_536;

fn v4(net: Ipv4Net) -> Prefix {
    Prefix(IpNet::V4(net))
}

/// The /24 of spoke `index`: 10.A.B.0/24 for the first 65,536 spokes, then 11.A.B.0/24 and on
/// (synthetic plans only: past 663,000 prefixes a plan needs more than 10.0.0.0/8).
fn spoke_space(index: usize) -> Ipv4Net {
    let address = Ipv4Addr::new(10 + (index / 65_536) as u8, (index / 256 % 256) as u8, (index % 256) as u8, 0);
    Ipv4Net::new(address, 24).unwrap_or_default()
}

/// The /24 of hub `index`, in 172.16.0.0/12.
fn hub_space(index: usize) -> Ipv4Net {
    let address = Ipv4Addr::new(172, 16 + (index / 256 % 16) as u8, (index % 256) as u8, 0);
    Ipv4Net::new(address, 24).unwrap_or_default()
}

fn hub_and_spoke_settings() -> (PeeringSettings, PeeringSettings) {
    let spoke_to_hub =
        PeeringSettings { allow_virtual_network_access: true, allow_forwarded_traffic: true, allow_gateway_transit: false, use_remote_gateways: true };
    let hub_to_spoke =
        PeeringSettings { allow_virtual_network_access: true, allow_forwarded_traffic: true, allow_gateway_transit: true, use_remote_gateways: false };
    (spoke_to_hub, hub_to_spoke)
}

/// Generates a plan of about `spec.prefixes` prefixes.
pub fn enterprise_plan(spec: SynthSpec) -> Synth {
    let mut rng = fastrand::Rng::with_seed(spec.seed);
    let mut plan = Plan::new(format!("Synthetic enterprise, {} prefixes, seed {}", spec.prefixes, spec.seed));
    let regions = [("primary", SiteRole::Primary, 0usize), ("recovery", SiteRole::Recovery, 1usize)];
    for (name, role, column) in regions {
        plan.sites.push(Site {
            azure: Default::default(),
            id: SiteId::new(format!("site-{name}")),
            name: format!("Azure {name} region"),
            kind: SiteKind::CloudRegion,
            role,
            region: Some(format!("{name} region")),
            geography: Some("Asia Pacific".into()),
            position: point(column * 4000, 0),
        });
    }
    plan.sites.push(Site {
        azure: Default::default(),
        id: "site-onprem".into(),
        name: "On-premises datacenter".into(),
        kind: SiteKind::HyperVVmm,
        role: SiteRole::Third,
        region: None,
        geography: None,
        position: point(0, 4000),
    });
    for (index, location) in ["Hong Kong", "Singapore"].into_iter().enumerate() {
        plan.circuits.push(Circuit {
            azure: Default::default(),
            id: CircuitId::new(format!("circuit-{index}")),
            name: format!("Circuit {location}"),
            site: "site-onprem".into(),
            peering_location: location.into(),
            geography: "Asia Pacific".into(),
            bandwidth_mbps: 1000,
            premium: false,
            position: point(index * 400, 4200),
        });
    }

    // Each spoke mirrored: 2 × (1 + SUBNETS_PER_SPOKE) prefixes; hubs add a few more.
    let per_spoke_pair = 2 * (1 + SUBNETS_PER_SPOKE);
    let spokes = (spec.prefixes / per_spoke_pair).clamp(1, MAX_SPOKES);
    let hubs = spokes.div_ceil(SPOKES_PER_HUB);
    let (spoke_to_hub, hub_to_spoke) = hub_and_spoke_settings();

    for (region, _, column) in regions {
        let site = SiteId::new(format!("site-{region}"));
        for hub in 0..hubs {
            let id = NetworkId::new(format!("net-{region}-hub-{hub}"));
            let space = hub_space(hub);
            let mut halves = space.subnets(25).into_iter().flatten();
            let (nva_half, gateway_half) = (halves.next().unwrap_or(space), halves.next().unwrap_or(space));
            plan.networks.push(Network {
                azure: Default::default(),
                id: id.clone(),
                name: format!("{region} hub {hub}"),
                site: site.clone(),
                kind: NetworkKind::Vnet,
                address_space: vec![v4(space)],
                purpose: NetworkPurpose::Production,
                isolation: Isolation::None,
                gateways: vec![Gateway {
                    azure: Default::default(),
                    id: GatewayId::new(format!("gw-{region}-hub-{hub}")),
                    name: format!("{region} hub {hub} ExpressRoute gateway"),
                    kind: GatewayKind::ExpressRoute,
                    provisioned_before_failover: true,
                }],
                route_tables: Vec::new(),
                service_endpoints: vec!["Microsoft.Storage".into()],
                nvas: Vec::new(),
                position: point(column * 4000, hub * 300),
            });
            plan.subnets.push(Subnet {
                id: SubnetId::new(format!("sub-{region}-hub-{hub}-nva")),
                name: "NVA subnet".into(),
                network: id.clone(),
                prefix: v4(nva_half),
                allocation: Allocation::Static,
                static_pool: None,
                dhcp_range: None,
                position: None,
            });
            plan.subnets.push(Subnet {
                id: SubnetId::new(format!("sub-{region}-hub-{hub}-gateway")),
                name: Subnet::GATEWAY_SUBNET_NAME.into(),
                network: id.clone(),
                prefix: v4(gateway_half),
                allocation: Allocation::Dhcp,
                static_pool: None,
                dhcp_range: None,
                position: None,
            });
            plan.connections.push(Connection {
                azure: Default::default(),
                id: ConnectionId::new(format!("conn-{region}-hub-{hub}-er")),
                name: format!("{region} hub {hub} to circuit"),
                from: id,
                link: Link::ExpressRoute { circuit: CircuitId::new(format!("circuit-{column}")) },
                state: if column == 0 { ConnectionState::Active } else { ConnectionState::Prepared },
            });
        }
        for spoke in 0..spokes {
            let id = NetworkId::new(format!("net-{region}-spoke-{spoke}"));
            let space = spoke_space(spoke);
            plan.networks.push(Network {
                azure: Default::default(),
                id: id.clone(),
                name: format!("{region} spoke {spoke}"),
                site: site.clone(),
                kind: NetworkKind::Vnet,
                address_space: vec![v4(space)],
                purpose: NetworkPurpose::Production,
                isolation: Isolation::None,
                gateways: Vec::new(),
                route_tables: Vec::new(),
                service_endpoints: vec!["Microsoft.Storage".into()],
                nvas: Vec::new(),
                position: point(column * 4000 + 400 + (spoke % 10) * 300, (spoke / 10) * 200),
            });
            for (index, subnet_space) in space.subnets(26).into_iter().flatten().take(SUBNETS_PER_SPOKE).enumerate() {
                let subnet = spoke_subnet_id(region, spoke, index);
                plan.subnets.push(Subnet {
                    id: subnet.clone(),
                    name: format!("Subnet {index}"),
                    network: id.clone(),
                    prefix: v4(subnet_space),
                    allocation: Allocation::Static,
                    static_pool: None,
                    dhcp_range: None,
                    position: None,
                });
                if column == 0 {
                    let host = 4 + rng.u32(0..50);
                    let address = IpAddr::V4(Ipv4Addr::from(u32::from(subnet_space.network()) + host));
                    plan.machines.push(Machine {
                        azure: Default::default(),
                        id: MachineId::new(format!("vm-{spoke}-{index}")),
                        name: format!("VM {spoke}-{index}"),
                        subnet,
                        ip: address,
                        ip_allocation: Allocation::Static,
                        public_ip: None,
                        application: format!("App {spoke}"),
                        tier: String::new(),
                        roles: Vec::new(),
                        recovery_group: NonZeroU32::MIN.saturating_add(index as u32),
                        target: Some(FailoverTarget { subnet: spoke_subnet_id("recovery", spoke, index), ip: TargetIp::Keep, keep_public_ip: false }),
                        dns: None,
                        position: None,
                    });
                }
            }
            plan.connections.push(Connection {
                azure: Default::default(),
                id: ConnectionId::new(format!("peer-{region}-{spoke}")),
                name: format!("{region} spoke {spoke} to hub"),
                from: id,
                link: Link::VnetPeering {
                    to: NetworkId::new(format!("net-{region}-hub-{}", spoke / SPOKES_PER_HUB)),
                    from_side: spoke_to_hub,
                    to_side: hub_to_spoke,
                },
                state: if column == 0 { ConnectionState::Active } else { ConnectionState::Prepared },
            });
        }
    }
    for spoke in 0..spokes {
        plan.network_mappings.push(NetworkMapping {
            source: NetworkId::new(format!("net-primary-spoke-{spoke}")),
            target: NetworkId::new(format!("net-recovery-spoke-{spoke}")),
        });
    }
    for hub in 0..hubs {
        plan.network_mappings
            .push(NetworkMapping { source: NetworkId::new(format!("net-primary-hub-{hub}")), target: NetworkId::new(format!("net-recovery-hub-{hub}")) });
    }
    plan.scenarios.push(Scenario {
        id: "scn-full-region".into(),
        name: "Full region failover".into(),
        description: String::new(),
        scope: Scope::FullSite,
        failover_type: FailoverType::Unplanned,
        direction: Direction::Failover,
        from_site: "site-primary".into(),
        to_site: "site-recovery".into(),
        test_network: None,
        recovery_point: Some(RecoveryPoint::LatestProcessed),
        data_sync: None,
    });
    let injected = inject_faults(&mut plan, &mut rng, spokes, spec.faults);
    Synth { plan, injected }
}

/// Breaks distinct primary spokes, one fault each, cycling through [`FAULT_RULES`].
fn inject_faults(plan: &mut Plan, rng: &mut fastrand::Rng, spokes: usize, faults: usize) -> BTreeMap<&'static str, usize> {
    let mut injected = BTreeMap::new();
    let mut victims: Vec<usize> = (0..spokes).collect();
    rng.shuffle(&mut victims);
    for (fault, spoke) in victims.into_iter().take(faults).enumerate() {
        let rule = FAULT_RULES[fault % FAULT_RULES.len()];
        match rule {
            "ADDR-SUBNET-OVERLAP" => {
                let first = spoke_subnet_id("primary", spoke, 0);
                let second = spoke_subnet_id("primary", spoke, 1);
                let prefix = plan.subnet(&first).map(|subnet| subnet.prefix);
                if let (Some(prefix), Some(subnet)) = (prefix, plan.subnets.iter_mut().find(|subnet| subnet.id == second)) {
                    subnet.prefix = prefix;
                }
                // The machine of the second subnet would now sit outside it; move it along.
                let machine_id = MachineId::new(format!("vm-{spoke}-1"));
                if let (Some(prefix), Some(machine)) = (prefix, plan.machines.iter_mut().find(|machine| machine.id == machine_id)) {
                    if let IpNet::V4(net) = prefix.0 {
                        machine.ip = IpAddr::V4(Ipv4Addr::from(u32::from(net.network()) + 60));
                    }
                    machine.target = None;
                }
            }
            "CONN-OVERLAP" => plan.connections.push(Connection {
                azure: Default::default(),
                id: ConnectionId::new(format!("conn-fault-{spoke}")),
                name: format!("VPN primary spoke {spoke} to its recovery mirror"),
                from: NetworkId::new(format!("net-primary-spoke-{spoke}")),
                link: Link::SiteToSiteVpn { to: NetworkId::new(format!("net-recovery-spoke-{spoke}")) },
                state: ConnectionState::Prepared,
            }),
            _ => {
                let machine_id = MachineId::new(format!("vm-{spoke}-2"));
                if let Some(machine) = plan.machines.iter_mut().find(|machine| machine.id == machine_id) {
                    machine.ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, (fault % 250) as u8 + 1));
                    machine.target = None;
                }
            }
        }
        *injected.entry(rule).or_insert(0) += 1;
    }
    injected
}
