//! Look-ups over a plan by id, built once in linear time, so that rules and simulations over
//! plans of 100,000 prefixes never search a list inside a loop.

use rustc_hash::FxHashMap as HashMap;

use super::*;

/// A plan with hash indexes by id and by relation.
pub struct PlanIndex<'a> {
    pub plan: &'a Plan,
    sites: HashMap<&'a SiteId, &'a Site>,
    networks: HashMap<&'a NetworkId, &'a Network>,
    subnets: HashMap<&'a SubnetId, &'a Subnet>,
    circuits: HashMap<&'a CircuitId, &'a Circuit>,
    subnets_by_network: HashMap<&'a NetworkId, Vec<&'a Subnet>>,
    machines_by_subnet: HashMap<&'a SubnetId, Vec<&'a Machine>>,
    machines_by_target_subnet: HashMap<&'a SubnetId, Vec<&'a Machine>>,
    /// Every connection under each network it touches (links between two networks under both
    /// ends, ExpressRoute connections under their network).
    connections_by_network: HashMap<&'a NetworkId, Vec<&'a Connection>>,
    /// Source network → the recovery network it fails over into.
    mapping: HashMap<&'a NetworkId, &'a NetworkId>,
}

impl<'a> PlanIndex<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        let mut subnets_by_network: HashMap<&NetworkId, Vec<&Subnet>> = HashMap::default();
        subnets_by_network.reserve(plan.networks.len());
        for subnet in &plan.subnets {
            subnets_by_network.entry(&subnet.network).or_default().push(subnet);
        }
        let mut machines_by_subnet: HashMap<&SubnetId, Vec<&Machine>> = HashMap::default();
        let mut machines_by_target_subnet: HashMap<&SubnetId, Vec<&Machine>> = HashMap::default();
        machines_by_subnet.reserve(plan.subnets.len());
        machines_by_target_subnet.reserve(plan.subnets.len());
        for machine in &plan.machines {
            machines_by_subnet.entry(&machine.subnet).or_default().push(machine);
            if let Some(target) = &machine.target {
                machines_by_target_subnet.entry(&target.subnet).or_default().push(machine);
            }
        }
        let mut connections_by_network: HashMap<&NetworkId, Vec<&Connection>> = HashMap::default();
        connections_by_network.reserve(plan.networks.len());
        for connection in &plan.connections {
            connections_by_network.entry(&connection.from).or_default().push(connection);
            if let Some(to) = connection.to_network().filter(|to| *to != &connection.from) {
                connections_by_network.entry(to).or_default().push(connection);
            }
        }
        Self {
            plan,
            sites: plan.sites.iter().map(|site| (&site.id, site)).collect(),
            networks: plan.networks.iter().map(|network| (&network.id, network)).collect(),
            subnets: plan.subnets.iter().map(|subnet| (&subnet.id, subnet)).collect(),
            circuits: plan.circuits.iter().map(|circuit| (&circuit.id, circuit)).collect(),
            subnets_by_network,
            machines_by_subnet,
            machines_by_target_subnet,
            connections_by_network,
            mapping: plan.network_mappings.iter().map(|mapping| (&mapping.source, &mapping.target)).collect(),
        }
    }

    pub fn site(&self, id: &SiteId) -> Option<&'a Site> {
        self.sites.get(id).copied()
    }

    pub fn network(&self, id: &NetworkId) -> Option<&'a Network> {
        self.networks.get(id).copied()
    }

    pub fn subnet(&self, id: &SubnetId) -> Option<&'a Subnet> {
        self.subnets.get(id).copied()
    }

    pub fn circuit(&self, id: &CircuitId) -> Option<&'a Circuit> {
        self.circuits.get(id).copied()
    }

    /// The subnets of a network, in plan order.
    pub fn subnets_of(&self, network: &NetworkId) -> &[&'a Subnet] {
        self.subnets_by_network.get(network).map_or(&[], Vec::as_slice)
    }

    /// The machines whose NIC is in a subnet, in plan order.
    pub fn machines_in(&self, subnet: &SubnetId) -> &[&'a Machine] {
        self.machines_by_subnet.get(subnet).map_or(&[], Vec::as_slice)
    }

    /// The machines that fail over into a subnet, in plan order.
    pub fn machines_targeting(&self, subnet: &SubnetId) -> &[&'a Machine] {
        self.machines_by_target_subnet.get(subnet).map_or(&[], Vec::as_slice)
    }

    /// The connections that touch a network, in plan order.
    pub fn links_of(&self, network: &NetworkId) -> &[&'a Connection] {
        self.connections_by_network.get(network).map_or(&[], Vec::as_slice)
    }

    /// The connections that join two networks, in either direction, in plan order.
    pub fn connections_between<'s>(
        &'s self,
        a: &'s NetworkId,
        b: &'s NetworkId,
    ) -> impl Iterator<Item = &'a Connection> + 's {
        self.links_of(a).iter().copied().filter(move |connection| {
            connection.network_pair().is_some_and(|(x, y)| (x == a && y == b) || (x == b && y == a))
        })
    }

    /// The recovery network a source network is mapped to.
    pub fn mapped_target(&self, source: &NetworkId) -> Option<&'a NetworkId> {
        self.mapping.get(source).copied()
    }

    pub fn site_of(&self, network: &Network) -> Option<&'a Site> {
        self.site(&network.site)
    }

    /// The network a subnet belongs to.
    pub fn network_of_subnet(&self, subnet: &SubnetId) -> Option<&'a Network> {
        self.subnet(subnet).and_then(|subnet| self.network(&subnet.network))
    }
}
