//! New elements: where they go (inside the selected container, where the user clicked or in the
//! middle of the view) and their defaults from context: a network's kind from its site, a
//! machine's address the next free one of its subnet's static pool, its failover target from
//! the network mapping.

use std::collections::HashSet;
use std::net::IpAddr;

use crate::edit::{Edit, Element, ElementKey, Placement, fresh_id};
use crate::model::ElementKind;
use crate::model::*;

/// Room between a site's last network and a new one below it, in canvas units.
const BELOW_GAP: f32 = 30.0;

/// The addresses of a subnet a new machine may take: its static pool when it has one; else its
/// hosts without the first three (Azure keeps .1 to .3 of every subnet; on-premises the first
/// addresses are usually the gateway's).
fn candidates(subnet: &Subnet) -> Box<dyn Iterator<Item = IpAddr> + '_> {
    let hosts = subnet.prefix.net().trunc().hosts();
    match subnet.static_pool.as_deref().copied() {
        Some(pool) => Box::new(hosts.filter(move |ip| *ip >= pool.start && *ip <= pool.end)),
        None => Box::new(hosts.skip(3)),
    }
}

/// The next address of `subnet` no machine, NVA or gateway of the plan uses.
pub fn next_free_address(plan: &Plan, subnet: &Subnet) -> Option<IpAddr> {
    let mut used: HashSet<IpAddr> = plan.machines.iter().map(|machine| machine.ip).collect();
    for network in &plan.networks {
        used.extend(network.nvas.iter().map(|nva| nva.ip));
    }
    candidates(subnet).find(|ip| !used.contains(ip))
}

/// Where a machine of `subnet` fails over to by the network mapping: the subnet with the same
/// prefix in the mapped network (keeping the address), else its first subnet with a new address.
pub fn mapped_target(plan: &Plan, subnet: &Subnet) -> Option<FailoverTarget> {
    let mapping = plan.network_mappings.iter().find(|mapping| mapping.source == subnet.network)?;
    let mut subnets = plan.subnets_of(&mapping.target).filter(|candidate| !candidate.is_gateway_subnet());
    let subnets: Vec<&Subnet> = subnets.by_ref().collect();
    if let Some(same) = subnets.iter().find(|candidate| candidate.prefix == subnet.prefix) {
        return Some(FailoverTarget { subnet: same.id.clone(), ip: TargetIp::Keep, keep_public_ip: false });
    }
    let first = subnets.first()?;
    Some(FailoverTarget { subnet: first.id.clone(), ip: TargetIp::New(next_free_address(plan, first)?), keep_public_ip: false })
}

/// A new machine in `subnet`.
pub fn new_machine(plan: &Plan, subnet: &Subnet) -> Result<Machine, String> {
    let ip = next_free_address(plan, subnet).ok_or_else(|| format!("\"{}\" has no free address left in its static pool", subnet.name))?;
    Ok(Machine {
        azure: Default::default(),
        id: MachineId::new(fresh_id(plan, "vm")),
        name: format!("VM{:02}", plan.machines.len() + 1),
        subnet: subnet.id.clone(),
        ip,
        ip_allocation: Allocation::Static,
        public_ip: None,
        application: String::new(),
        tier: String::new(),
        roles: Vec::new(),
        recovery_group: std::num::NonZeroU32::MIN,
        target: mapped_target(plan, subnet),
        dns: None,
        position: None,
    })
}

/// A new network in `site`, with the first free 10.x.0.0/16 of the plan.
pub fn new_network(plan: &Plan, site: &Site, position: Point) -> Result<Network, String> {
    let used: Vec<Prefix> = plan.networks.iter().flat_map(|network| network.address_space.clone()).collect();
    let space = (1..=250)
        .filter_map(|octet| format!("10.{octet}.0.0/16").parse::<Prefix>().ok())
        .find(|candidate| !used.iter().any(|prefix| prefix.overlaps(candidate)))
        .ok_or("No free 10.x.0.0/16 address space left")?;
    Ok(Network {
        azure: Default::default(),
        id: NetworkId::new(fresh_id(plan, "net")),
        name: format!("Network {}", plan.networks.len() + 1),
        site: site.id.clone(),
        kind: site.kind.network_kind(),
        address_space: vec![space],
        purpose: NetworkPurpose::Production,
        isolation: Isolation::None,
        gateways: Vec::new(),
        route_tables: Vec::new(),
        service_endpoints: Vec::new(),
        nvas: Vec::new(),
        position: Some(position),
    })
}

/// A new subnet of `network`: its first free /24 (or its whole space when smaller).
pub fn new_subnet(plan: &Plan, network: &Network) -> Result<Subnet, String> {
    let used: Vec<Prefix> = plan.subnets_of(&network.id).map(|subnet| subnet.prefix).collect();
    let prefix = network
        .address_space
        .iter()
        .filter_map(|space| space.net().trunc().subnets(24.max(space.net().prefix_len())).ok())
        .flatten()
        .map(Prefix)
        .find(|candidate| !used.iter().any(|prefix| prefix.overlaps(candidate)))
        .ok_or("The network has no free /24 left")?;
    Ok(Subnet {
        id: SubnetId::new(fresh_id(plan, "sub")),
        name: format!("Subnet {}", used.len() + 1),
        network: network.id.clone(),
        prefix,
        allocation: Allocation::Static,
        static_pool: None,
        dhcp_range: None,
        position: None,
    })
}

/// The place of a new element: a point of the plan's canvas and the container chosen.
pub struct Spot {
    /// Where the user clicked, when it was inside the container (or on empty canvas for a site).
    pub clicked: Option<Point>,
    /// The middle of the visible canvas.
    pub centre: Point,
    /// The rectangle of the site a network or circuit goes into (plan coordinates: x, y,
    /// right, bottom).
    pub site_rect: Option<(f32, f32, f32, f32)>,
}

impl Spot {
    /// A site's top-left corner: where the user clicked, else the middle of the view.
    pub fn for_site(&self) -> Point {
        self.clicked.unwrap_or(self.centre)
    }

    /// A network's or circuit's top-left corner inside its site: where the user clicked in the
    /// site, else below what the site holds.
    pub fn in_site(&self) -> Point {
        match (self.clicked, self.site_rect) {
            (Some(point), Some((x, y, right, bottom))) if point.x >= x && point.x <= right && point.y >= y && point.y <= bottom => point,
            (_, Some((x, _, _, bottom))) => Point::new(x + 24.0, bottom + BELOW_GAP),
            (_, None) => self.centre,
        }
    }
}

/// A new site with this role at `position`.
pub fn new_site(plan: &Plan, role: SiteRole, position: Point) -> Site {
    let (kind, name) = match role {
        SiteRole::Third => (SiteKind::HyperVVmm, "Third site"),
        SiteRole::Primary => (SiteKind::CloudRegion, "Primary region"),
        SiteRole::Recovery => (SiteKind::CloudRegion, "Recovery region"),
    };
    Site {
        azure: Default::default(),
        id: SiteId::new(fresh_id(plan, "site")),
        name: name.to_owned(),
        kind,
        role,
        region: None,
        geography: None,
        position: Some(position),
    }
}

/// A new circuit at an on-premises site.
pub fn new_circuit(plan: &Plan, site: &SiteId, position: Point) -> Circuit {
    Circuit {
        azure: Default::default(),
        id: CircuitId::new(fresh_id(plan, "circuit")),
        name: format!("Circuit {}", plan.circuits.len() + 1),
        site: site.clone(),
        peering_location: "Hong Kong".to_owned(),
        geography: "Asia Pacific".to_owned(),
        bandwidth_mbps: 1000,
        premium: false,
        position: Some(position),
    }
}

/// The edit that adds `element`: the sites, networks and circuits drawn where the layout put
/// them are pinned there first (`pins`), so adding a placed element moves nothing else.
pub fn add_in_place(pins: Vec<Placement>, element: Element) -> Edit {
    if pins.is_empty() { Edit::Add(element) } else { Edit::Batch(vec![Edit::Move(pins), Edit::Add(element)]) }
}

/// The site of a selected element.
pub fn site_of(plan: &Plan, key: &ElementKey) -> Option<SiteId> {
    match key.kind {
        ElementKind::Site => Some(SiteId::new(&key.id)),
        ElementKind::Network => plan.network(&NetworkId::new(&key.id)).map(|network| network.site.clone()),
        ElementKind::Subnet => plan.network_of_subnet(&SubnetId::new(&key.id)).map(|network| network.site.clone()),
        ElementKind::Machine => {
            plan.machine(&MachineId::new(&key.id)).and_then(|machine| plan.network_of_subnet(&machine.subnet)).map(|network| network.site.clone())
        }
        ElementKind::Circuit => plan.circuit(&CircuitId::new(&key.id)).map(|circuit| circuit.site.clone()),
        _ => None,
    }
}

/// The network of a selected element.
pub fn network_of(plan: &Plan, key: &ElementKey) -> Option<NetworkId> {
    match key.kind {
        ElementKind::Network => Some(NetworkId::new(&key.id)),
        ElementKind::Subnet => plan.subnet(&SubnetId::new(&key.id)).map(|subnet| subnet.network.clone()),
        ElementKind::Machine => {
            plan.machine(&MachineId::new(&key.id)).and_then(|machine| plan.network_of_subnet(&machine.subnet)).map(|network| network.id.clone())
        }
        _ => None,
    }
}

/// The subnet of a selected element (a network's first that is not its gateway subnet).
pub fn subnet_of(plan: &Plan, key: &ElementKey) -> Option<SubnetId> {
    match key.kind {
        ElementKind::Subnet => Some(SubnetId::new(&key.id)),
        ElementKind::Machine => plan.machine(&MachineId::new(&key.id)).map(|machine| machine.subnet.clone()),
        ElementKind::Network => plan.subnets_of(&NetworkId::new(&key.id)).find(|subnet| !subnet.is_gateway_subnet()).map(|subnet| subnet.id.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Plan {
        crate::io::load(std::path::Path::new(&format!("samples/{name}"))).expect("sample loads")
    }

    #[test]
    fn a_new_machine_takes_the_next_free_address_of_the_static_pool() {
        let mut plan = sample("vmm-change-ip.drplan.json");
        let subnet = plan.subnets.iter().find(|subnet| subnet.static_pool.is_some()).expect("a subnet with a pool").clone();
        let pool = subnet.static_pool.as_deref().copied().expect("pool");
        let machine = new_machine(&plan, &subnet).expect("an address");
        assert!(machine.ip >= pool.start && machine.ip <= pool.end, "{} outside {pool:?}", machine.ip);
        assert!(plan.machines.iter().all(|other| other.ip != machine.ip));
        let first = machine.ip;
        plan.machines.push(machine);
        let second = new_machine(&plan, &subnet).expect("another address");
        assert_ne!(second.ip, first);
    }

    #[test]
    fn a_network_takes_its_kind_from_its_site() {
        let plan = sample("vmm-change-ip.drplan.json");
        for site in &plan.sites {
            let network = new_network(&plan, site, Point::new(0.0, 0.0)).expect("space");
            let expected = match site.kind {
                SiteKind::HyperVVmm => NetworkKind::VmmVmNetwork,
                SiteKind::CloudRegion => NetworkKind::Vnet,
                _ => NetworkKind::Lan,
            };
            assert_eq!(network.kind, expected, "{}", site.name);
        }
    }

    #[test]
    fn a_new_machine_fails_over_by_the_network_mapping() {
        let plan = sample("azure-full-region.drplan.json");
        let mapping = plan.network_mappings.first().expect("a mapping");
        let subnet = plan.subnets_of(&mapping.source).find(|subnet| !subnet.is_gateway_subnet()).expect("a subnet").clone();
        let machine = new_machine(&plan, &subnet).expect("an address");
        let target = machine.target.expect("a target from the mapping");
        assert_eq!(plan.subnet(&target.subnet).expect("in the plan").network, mapping.target);
    }
}
