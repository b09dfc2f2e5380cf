//! The invariant of a plan, checked when it loads and after every edit (`edit::apply`): ids are
//! unique across the plan, every reference names an element of the kind the field expects, and
//! no connection joins a network to itself. A plan that fails it is not loaded; an edit that
//! would break it is refused.

use rustc_hash::FxHashMap as HashMap;

use super::{FieldPath, LoadErrorKind};
use crate::model::*;

/// Where an id is declared: a list of the plan and the position in it, and for an element
/// nested in a network, the nested list and position. Made into a [`FieldPath`] only for an
/// error, so a check of a plan that passes allocates no path (edits run it on every change).
#[derive(Clone, Copy)]
struct Location {
    list: &'static str,
    index: usize,
    nested: Option<(&'static str, usize)>,
}

impl Location {
    fn path(self) -> FieldPath {
        let at = FieldPath::root().key(self.list).index(self.index);
        match self.nested {
            Some((list, index)) => at.key(list).index(index),
            None => at,
        }
    }
}

/// Every id of the plan with what it names and where it is declared.
struct Declarations<'a> {
    by_id: HashMap<&'a str, (&'static str, Location)>,
}

type Problem = (FieldPath, LoadErrorKind);

impl<'a> Declarations<'a> {
    fn declare(&mut self, id: &'a str, kind: &'static str, at: Location) -> Result<(), Problem> {
        if let Some((first_kind, first)) = self.by_id.get(id) {
            return Err((at.path().key("id"), LoadErrorKind::DuplicateId { id: id.to_owned(), first_kind, first: first.path().key("id") }));
        }
        self.by_id.insert(id, (kind, at));
        Ok(())
    }

    fn require(&self, id: &str, expected: &'static str, at: impl FnOnce() -> FieldPath) -> Result<(), Problem> {
        match self.by_id.get(id) {
            Some((found, _)) if *found == expected => Ok(()),
            Some((found, _)) => Err((at(), LoadErrorKind::WrongKind { id: id.to_owned(), expected, found })),
            None => Err((at(), LoadErrorKind::DanglingReference { id: id.to_owned(), expected })),
        }
    }
}

/// Checks ids, references and that no connection joins a network to itself; returns the first
/// problem in file order.
pub(super) fn check(plan: &Plan) -> Result<(), Problem> {
    let declarations = declare_all(plan)?;
    let root = FieldPath::root;
    let require = |id: &str, expected, at: &dyn Fn() -> FieldPath| declarations.require(id, expected, at);

    for (index, network) in plan.networks.iter().enumerate() {
        let at = || root().key("networks").index(index);
        require(network.site.as_str(), SiteId::KIND, &|| at().key("site"))?;
        for (table_index, table) in network.route_tables.iter().enumerate() {
            for (subnet_index, subnet) in table.subnets.iter().enumerate() {
                require(subnet.as_str(), SubnetId::KIND, &|| at().key("route_tables").index(table_index).key("subnets").index(subnet_index))?;
            }
        }
        for (nva_index, nva) in network.nvas.iter().enumerate() {
            require(nva.subnet.as_str(), SubnetId::KIND, &|| at().key("nvas").index(nva_index).key("subnet"))?;
        }
    }
    for (index, subnet) in plan.subnets.iter().enumerate() {
        require(subnet.network.as_str(), NetworkId::KIND, &|| root().key("subnets").index(index).key("network"))?;
    }
    for (index, machine) in plan.machines.iter().enumerate() {
        let at = || root().key("machines").index(index);
        require(machine.subnet.as_str(), SubnetId::KIND, &|| at().key("subnet"))?;
        if let Some(target) = &machine.target {
            require(target.subnet.as_str(), SubnetId::KIND, &|| at().key("target").key("subnet"))?;
        }
    }
    for (index, circuit) in plan.circuits.iter().enumerate() {
        require(circuit.site.as_str(), SiteId::KIND, &|| root().key("circuits").index(index).key("site"))?;
    }
    for (index, connection) in plan.connections.iter().enumerate() {
        let at = || root().key("connections").index(index);
        require(connection.from.as_str(), NetworkId::KIND, &|| at().key("from"))?;
        if let Some(to) = connection.to_network() {
            require(to.as_str(), NetworkId::KIND, &|| at().key("link").key("to"))?;
            if to == &connection.from {
                return Err((at().key("link").key("to"), LoadErrorKind::SelfConnection { id: to.to_string() }));
            }
        }
        if let Some(circuit) = connection.circuit() {
            require(circuit.as_str(), CircuitId::KIND, &|| at().key("link").key("circuit"))?;
        }
    }
    let mut mapped: HashMap<&str, (&str, usize)> = HashMap::default();
    for (index, mapping) in plan.network_mappings.iter().enumerate() {
        let at = || root().key("network_mappings").index(index);
        require(mapping.source.as_str(), NetworkId::KIND, &|| at().key("source"))?;
        require(mapping.target.as_str(), NetworkId::KIND, &|| at().key("target"))?;
        if let Some((first_target, first)) = mapped.get(mapping.source.as_str()) {
            return Err((
                at().key("source"),
                LoadErrorKind::DuplicateMapping {
                    source_network: mapping.source.to_string(),
                    first_target: (*first_target).to_owned(),
                    first: root().key("network_mappings").index(*first).key("source"),
                },
            ));
        }
        mapped.insert(mapping.source.as_str(), (mapping.target.as_str(), index));
    }
    for (index, scenario) in plan.scenarios.iter().enumerate() {
        let at = || root().key("scenarios").index(index);
        require(scenario.from_site.as_str(), SiteId::KIND, &|| at().key("from_site"))?;
        require(scenario.to_site.as_str(), SiteId::KIND, &|| at().key("to_site"))?;
        if let Some(network) = &scenario.test_network {
            require(network.as_str(), NetworkId::KIND, &|| at().key("test_network"))?;
        }
        if let Scope::Subnets(subnets) = &scenario.scope {
            for (subnet_index, subnet) in subnets.iter().enumerate() {
                require(subnet.as_str(), SubnetId::KIND, &|| at().key("scope").key("subnets").index(subnet_index))?;
            }
        }
    }
    Ok(())
}

fn declare_all(plan: &Plan) -> Result<Declarations<'_>, Problem> {
    let mut declarations =
        Declarations { by_id: HashMap::with_capacity_and_hasher(plan.subnets.len() + plan.machines.len() + plan.networks.len() * 2, Default::default()) };
    let top = |list: &'static str, index: usize| Location { list, index, nested: None };
    for (index, site) in plan.sites.iter().enumerate() {
        declarations.declare(site.id.as_str(), SiteId::KIND, top("sites", index))?;
    }
    for (index, network) in plan.networks.iter().enumerate() {
        declarations.declare(network.id.as_str(), NetworkId::KIND, top("networks", index))?;
        let nested = |list: &'static str, nested_index: usize| Location { list: "networks", index, nested: Some((list, nested_index)) };
        for (gateway_index, gateway) in network.gateways.iter().enumerate() {
            declarations.declare(gateway.id.as_str(), GatewayId::KIND, nested("gateways", gateway_index))?;
        }
        for (table_index, table) in network.route_tables.iter().enumerate() {
            declarations.declare(table.id.as_str(), RouteTableId::KIND, nested("route_tables", table_index))?;
        }
        for (nva_index, nva) in network.nvas.iter().enumerate() {
            declarations.declare(nva.id.as_str(), NvaId::KIND, nested("nvas", nva_index))?;
        }
    }
    for (index, subnet) in plan.subnets.iter().enumerate() {
        declarations.declare(subnet.id.as_str(), SubnetId::KIND, top("subnets", index))?;
    }
    for (index, machine) in plan.machines.iter().enumerate() {
        declarations.declare(machine.id.as_str(), MachineId::KIND, top("machines", index))?;
    }
    for (index, circuit) in plan.circuits.iter().enumerate() {
        declarations.declare(circuit.id.as_str(), CircuitId::KIND, top("circuits", index))?;
    }
    for (index, connection) in plan.connections.iter().enumerate() {
        declarations.declare(connection.id.as_str(), ConnectionId::KIND, top("connections", index))?;
    }
    for (index, scenario) in plan.scenarios.iter().enumerate() {
        declarations.declare(scenario.id.as_str(), ScenarioId::KIND, top("scenarios", index))?;
    }
    Ok(declarations)
}
