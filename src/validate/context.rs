//! What the rules share: the plan, look-ups by id built once per run, and element references.

use std::collections::HashMap;

use ipnet::IpNet;

use super::{ElementKind, ElementRef};
use crate::model::*;

/// A plan prepared for the rules.
pub struct Context<'a> {
    pub plan: &'a Plan,
    sites: HashMap<&'a SiteId, &'a Site>,
    networks: HashMap<&'a NetworkId, &'a Network>,
    subnets: HashMap<&'a SubnetId, &'a Subnet>,
    circuits: HashMap<&'a CircuitId, &'a Circuit>,
    subnets_by_network: HashMap<&'a NetworkId, Vec<&'a Subnet>>,
    /// Source network → the recovery network it fails over into.
    mapping: HashMap<&'a NetworkId, &'a NetworkId>,
}

impl<'a> Context<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        let mut subnets_by_network: HashMap<&NetworkId, Vec<&Subnet>> = HashMap::new();
        for subnet in &plan.subnets {
            subnets_by_network.entry(&subnet.network).or_default().push(subnet);
        }
        Self {
            plan,
            sites: plan.sites.iter().map(|site| (&site.id, site)).collect(),
            networks: plan.networks.iter().map(|network| (&network.id, network)).collect(),
            subnets: plan.subnets.iter().map(|subnet| (&subnet.id, subnet)).collect(),
            circuits: plan.circuits.iter().map(|circuit| (&circuit.id, circuit)).collect(),
            subnets_by_network,
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

    pub fn subnets_of(&self, network: &NetworkId) -> &[&'a Subnet] {
        self.subnets_by_network.get(network).map_or(&[], Vec::as_slice)
    }

    /// The recovery network a source network is mapped to.
    pub fn mapped_target(&self, source: &NetworkId) -> Option<&'a NetworkId> {
        self.mapping.get(source).copied()
    }

    pub fn site_of(&self, network: &Network) -> Option<&'a Site> {
        self.site(&network.site)
    }

    /// A network's address space as plain prefixes.
    pub fn address_space(network: &Network) -> Vec<IpNet> {
        network.address_space.iter().map(Prefix::net).collect()
    }

    pub fn site_ref(site: &Site) -> ElementRef {
        ElementRef { kind: ElementKind::Site, id: site.id.to_string(), name: site.name.clone() }
    }

    pub fn network_ref(network: &Network) -> ElementRef {
        ElementRef { kind: ElementKind::Network, id: network.id.to_string(), name: network.name.clone() }
    }

    pub fn subnet_ref(subnet: &Subnet) -> ElementRef {
        ElementRef { kind: ElementKind::Subnet, id: subnet.id.to_string(), name: subnet.name.clone() }
    }

    pub fn machine_ref(machine: &Machine) -> ElementRef {
        ElementRef { kind: ElementKind::Machine, id: machine.id.to_string(), name: machine.name.clone() }
    }

    pub fn nva_ref(nva: &Nva) -> ElementRef {
        ElementRef { kind: ElementKind::Nva, id: nva.id.to_string(), name: nva.name.clone() }
    }

    pub fn circuit_ref(circuit: &Circuit) -> ElementRef {
        ElementRef { kind: ElementKind::Circuit, id: circuit.id.to_string(), name: circuit.name.clone() }
    }

    pub fn connection_ref(connection: &Connection) -> ElementRef {
        ElementRef { kind: ElementKind::Connection, id: connection.id.to_string(), name: connection.name.clone() }
    }

    pub fn scenario_ref(scenario: &Scenario) -> ElementRef {
        ElementRef { kind: ElementKind::Scenario, id: scenario.id.to_string(), name: scenario.name.clone() }
    }

    pub fn gateway_ref(gateway: &Gateway) -> ElementRef {
        ElementRef { kind: ElementKind::Gateway, id: gateway.id.to_string(), name: gateway.name.clone() }
    }
}

/// Prefixes joined for a message: "10.1.0.0/16, 10.2.0.0/16".
pub fn list_prefixes<'p>(prefixes: impl IntoIterator<Item = &'p IpNet>) -> String {
    prefixes.into_iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}
