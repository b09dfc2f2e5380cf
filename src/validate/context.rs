//! What the rules share: the plan, look-ups by id built once per run, and element references.

use ipnet::IpNet;

use super::{ElementKind, ElementRef};
use crate::model::*;

/// A plan prepared for the rules: the plan's index, and element references for findings.
pub struct Context<'a> {
    index: PlanIndex<'a>,
}

impl<'a> std::ops::Deref for Context<'a> {
    type Target = PlanIndex<'a>;

    fn deref(&self) -> &PlanIndex<'a> {
        &self.index
    }
}

impl<'a> Context<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        Self { index: PlanIndex::new(plan) }
    }

    pub fn index(&self) -> &PlanIndex<'a> {
        &self.index
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
