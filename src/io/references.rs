//! The invariant of a plan, checked when it loads and after every edit (`edit::apply`): ids are
//! unique across the plan, every reference names an element of the kind the field expects, and
//! no connection joins a network to itself. A plan that fails it is not loaded; an edit that
//! would break it is refused.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap as HashMap;

use super::{FieldPath, LoadErrorKind};
use crate::model::*;

/// The lists ids are declared in, the plan's own and those nested in a network. A declaration
/// stores one of these (a byte) rather than the list's name, so the table of every id stays
/// small: at 100,000 prefixes it holds 182,000 ids, and its size is most of what a load's check
/// of them costs.
#[derive(Clone, Copy)]
enum List {
    Sites,
    Networks,
    Gateways,
    RouteTables,
    Nvas,
    Subnets,
    Machines,
    Circuits,
    Connections,
    Scenarios,
}

impl List {
    /// The list's field in the plan file.
    fn name(self) -> &'static str {
        match self {
            List::Sites => "sites",
            List::Networks => "networks",
            List::Gateways => "gateways",
            List::RouteTables => "route_tables",
            List::Nvas => "nvas",
            List::Subnets => "subnets",
            List::Machines => "machines",
            List::Circuits => "circuits",
            List::Connections => "connections",
            List::Scenarios => "scenarios",
        }
    }

    /// What an element of the list is ("subnet").
    fn kind(self) -> &'static str {
        match self {
            List::Sites => SiteId::KIND,
            List::Networks => NetworkId::KIND,
            List::Gateways => GatewayId::KIND,
            List::RouteTables => RouteTableId::KIND,
            List::Nvas => NvaId::KIND,
            List::Subnets => SubnetId::KIND,
            List::Machines => MachineId::KIND,
            List::Circuits => CircuitId::KIND,
            List::Connections => ConnectionId::KIND,
            List::Scenarios => ScenarioId::KIND,
        }
    }
}

/// Where an id is declared: a list of the plan and the position in it, and for an element
/// nested in a network, the nested list and position; the innermost list says what the id names.
/// Made into a [`FieldPath`] only for an error, so a check of a plan that passes allocates no
/// path (edits run it on every change).
#[derive(Clone, Copy)]
struct Location {
    list: List,
    nested: Option<List>,
    index: u32,
    nested_index: u32,
}

impl Location {
    fn top(list: List, index: usize) -> Self {
        Self { list, nested: None, index: position(index), nested_index: 0 }
    }

    fn in_network(network: usize, nested: List, index: usize) -> Self {
        Self { list: List::Networks, nested: Some(nested), index: position(network), nested_index: position(index) }
    }

    /// What the id declared here names ("subnet").
    fn kind(self) -> &'static str {
        self.nested.unwrap_or(self.list).kind()
    }

    fn path(self) -> FieldPath {
        let at = FieldPath::root().key(self.list.name()).index(self.index as usize);
        match self.nested {
            Some(nested) => at.key(nested.name()).index(self.nested_index as usize),
            None => at,
        }
    }
}

/// A position in a list as stored: a plan file of at most 1 GiB holds fewer than 2^32 elements.
fn position(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Every id of the plan with what it names and where it is declared.
struct Declarations<'a> {
    by_id: HashMap<&'a str, Location>,
}

type Problem = (FieldPath, LoadErrorKind);

impl<'a> Declarations<'a> {
    fn declare(&mut self, id: &'a str, at: Location) -> Result<(), Problem> {
        match self.by_id.entry(id) {
            Entry::Occupied(first) => {
                let first = *first.get();
                Err((at.path().key("id"), LoadErrorKind::DuplicateId { id: id.to_owned(), first_kind: first.kind(), first: first.path().key("id") }))
            }
            Entry::Vacant(slot) => {
                slot.insert(at);
                Ok(())
            }
        }
    }

    fn require(&self, id: &str, expected: &'static str, at: impl FnOnce() -> FieldPath) -> Result<(), Problem> {
        match self.by_id.get(id).map(|declared| declared.kind()) {
            Some(found) if found == expected => Ok(()),
            Some(found) => Err((at(), LoadErrorKind::WrongKind { id: id.to_owned(), expected, found })),
            None => Err((at(), LoadErrorKind::DanglingReference { id: id.to_owned(), expected })),
        }
    }
}

/// Where a reference sits inside its element, made into a path only for an error.
type Within<'w> = &'w dyn Fn(FieldPath) -> FieldPath;

/// What is done with each reference: the id, the kind it must name, and where it sits.
type Require<'r> = dyn FnMut(&str, &'static str, Within) -> Result<(), Problem> + 'r;

/// The references a network holds: its site, its route tables' subnets, its appliances' subnets.
fn network_references(network: &Network, require: &mut Require) -> Result<(), Problem> {
    require(network.site.as_str(), SiteId::KIND, &|at| at.key("site"))?;
    for (table_index, table) in network.route_tables.iter().enumerate() {
        for (subnet_index, subnet) in table.subnets.iter().enumerate() {
            require(subnet.as_str(), SubnetId::KIND, &|at| at.key("route_tables").index(table_index).key("subnets").index(subnet_index))?;
        }
    }
    for (nva_index, nva) in network.nvas.iter().enumerate() {
        require(nva.subnet.as_str(), SubnetId::KIND, &|at| at.key("nvas").index(nva_index).key("subnet"))?;
    }
    Ok(())
}

fn subnet_references(subnet: &Subnet, require: &mut Require) -> Result<(), Problem> {
    require(subnet.network.as_str(), NetworkId::KIND, &|at| at.key("network"))
}

fn machine_references(machine: &Machine, require: &mut Require) -> Result<(), Problem> {
    require(machine.subnet.as_str(), SubnetId::KIND, &|at| at.key("subnet"))?;
    if let Some(target) = &machine.target {
        require(target.subnet.as_str(), SubnetId::KIND, &|at| at.key("target").key("subnet"))?;
    }
    Ok(())
}

fn circuit_references(circuit: &Circuit, require: &mut Require) -> Result<(), Problem> {
    require(circuit.site.as_str(), SiteId::KIND, &|at| at.key("site"))
}

/// A connection's networks and circuit; it may not join a network to itself.
fn connection_references(connection: &Connection, at: impl Fn() -> FieldPath, require: &mut Require) -> Result<(), Problem> {
    require(connection.from.as_str(), NetworkId::KIND, &|at| at.key("from"))?;
    if let Some(to) = connection.to_network() {
        require(to.as_str(), NetworkId::KIND, &|at| at.key("link").key("to"))?;
        if to == &connection.from {
            return Err((at().key("link").key("to"), LoadErrorKind::SelfConnection { id: to.to_string() }));
        }
    }
    if let Some(circuit) = connection.circuit() {
        require(circuit.as_str(), CircuitId::KIND, &|at| at.key("link").key("circuit"))?;
    }
    Ok(())
}

fn mapping_references(mapping: &NetworkMapping, require: &mut Require) -> Result<(), Problem> {
    require(mapping.source.as_str(), NetworkId::KIND, &|at| at.key("source"))?;
    require(mapping.target.as_str(), NetworkId::KIND, &|at| at.key("target"))
}

fn scenario_references(scenario: &Scenario, require: &mut Require) -> Result<(), Problem> {
    require(scenario.from_site.as_str(), SiteId::KIND, &|at| at.key("from_site"))?;
    require(scenario.to_site.as_str(), SiteId::KIND, &|at| at.key("to_site"))?;
    if let Some(network) = &scenario.test_network {
        require(network.as_str(), NetworkId::KIND, &|at| at.key("test_network"))?;
    }
    if let Scope::Subnets(subnets) = &scenario.scope {
        for (subnet_index, subnet) in subnets.iter().enumerate() {
            require(subnet.as_str(), SubnetId::KIND, &|at| at.key("scope").key("subnets").index(subnet_index))?;
        }
    }
    Ok(())
}

/// Checks ids, references and that no connection joins a network to itself; returns the first
/// problem in file order.
pub(super) fn check(plan: &Plan) -> Result<(), Problem> {
    let declarations = declare_all(plan)?;
    let element = |list: &'static str, index: usize| FieldPath::root().key(list).index(index);
    // Checks every reference of each element of a list, with paths from `list[index]`.
    macro_rules! each {
        ($list:ident, $references:ident) => {
            for (index, item) in plan.$list.iter().enumerate() {
                $references(item, &mut |id, expected, within: Within| declarations.require(id, expected, || within(element(stringify!($list), index))))?;
            }
        };
    }
    each!(networks, network_references);
    each!(subnets, subnet_references);
    each!(machines, machine_references);
    each!(circuits, circuit_references);
    for (index, connection) in plan.connections.iter().enumerate() {
        connection_references(connection, || element("connections", index), &mut |id, expected, within: Within| {
            declarations.require(id, expected, || within(element("connections", index)))
        })?;
    }
    let mut mapped: HashMap<&str, (&str, usize)> = HashMap::default();
    for (index, mapping) in plan.network_mappings.iter().enumerate() {
        let at = || element("network_mappings", index);
        mapping_references(mapping, &mut |id, expected, within: Within| declarations.require(id, expected, || within(at())))?;
        if let Some((first_target, first)) = mapped.get(mapping.source.as_str()) {
            return Err((
                at().key("source"),
                LoadErrorKind::DuplicateMapping {
                    source_network: mapping.source.to_string(),
                    first_target: (*first_target).to_owned(),
                    first: element("network_mappings", *first).key("source"),
                },
            ));
        }
        mapped.insert(mapping.source.as_str(), (mapping.target.as_str(), index));
    }
    each!(scenarios, scenario_references);
    Ok(())
}

/// Positions of the elements an edit added or changed, list by list, when it removed nothing.
#[derive(Debug, Default)]
pub struct ChangedElements {
    pub sites: Vec<usize>,
    pub networks: Vec<usize>,
    pub subnets: Vec<usize>,
    pub machines: Vec<usize>,
    pub circuits: Vec<usize>,
    pub connections: Vec<usize>,
    pub mappings: Vec<usize>,
    pub scenarios: Vec<usize>,
}

impl ChangedElements {
    /// True when the edit added nothing and changed no element's ids or references.
    pub fn is_empty(&self) -> bool {
        let lists = [&self.sites, &self.networks, &self.subnets, &self.machines, &self.circuits, &self.connections, &self.mappings, &self.scenarios];
        lists.iter().all(|list| list.is_empty())
    }
}

/// What of an element the invariant reads: the ids it declares (its own, and a network's
/// gateways', appliances' and route tables') and the references it makes, each with the kind it
/// must name. An element changed in place that reads the same as before cannot change whether
/// the plan meets the invariant (`edit::Journal::changed_elements` leaves it out).
pub trait InvariantInputs {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)>;
}

/// The ids and references of an element, from its own id list and its reference visitor.
fn inputs<'e>(ids: impl IntoIterator<Item = &'e str>, references: impl FnOnce(&mut Require) -> Result<(), Problem>) -> Vec<(String, &'static str)> {
    let mut inputs: Vec<(String, &'static str)> = ids.into_iter().map(|id| (id.to_owned(), "")).collect();
    // The visitor records every reference; it fails only when told to, which this one never is.
    let _ = references(&mut |id, kind, _| {
        inputs.push((id.to_owned(), kind));
        Ok(())
    });
    inputs
}

impl InvariantInputs for Site {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)> {
        inputs([self.id.as_str()], |_| Ok(()))
    }
}

impl InvariantInputs for Network {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)> {
        let nested = self.gateways.iter().map(|gateway| gateway.id.as_str()).chain(self.nvas.iter().map(|nva| nva.id.as_str()));
        let ids = std::iter::once(self.id.as_str()).chain(nested).chain(self.route_tables.iter().map(|table| table.id.as_str()));
        inputs(ids, |require| network_references(self, require))
    }
}

impl InvariantInputs for Subnet {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)> {
        inputs([self.id.as_str()], |require| subnet_references(self, require))
    }
}

impl InvariantInputs for Machine {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)> {
        inputs([self.id.as_str()], |require| machine_references(self, require))
    }
}

impl InvariantInputs for Circuit {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)> {
        inputs([self.id.as_str()], |require| circuit_references(self, require))
    }
}

impl InvariantInputs for Connection {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)> {
        inputs([self.id.as_str()], |require| connection_references(self, FieldPath::root, require))
    }
}

impl InvariantInputs for NetworkMapping {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)> {
        inputs([], |require| mapping_references(self, require))
    }
}

impl InvariantInputs for Scenario {
    fn invariant_inputs(&self) -> Vec<(String, &'static str)> {
        inputs([self.id.as_str()], |require| scenario_references(self, require))
    }
}

/// Whether a plan that met the invariant still meets it after the elements of `changed` were
/// added or changed in place and nothing was removed. Nothing refers to a gateway, a route table
/// or an appliance, and a changed element keeps its id, so only the changed elements' own ids
/// and references can break it: each id must be declared once in the plan, and each reference
/// must name an element of its kind (found by a scan of that one list; at 100,000 prefixes the
/// scans and the count of ids take a few milliseconds, the whole check tens). An edit that added
/// nothing and changed no ids or references (`ChangedElements::is_empty`) needs none of that.
///
/// False means "not shown to hold": the caller runs the whole check, for its verdict and for the
/// message that names the first problem in file order.
pub fn still_holds(plan: &Plan, changed: &ChangedElements) -> bool {
    if changed.is_empty() {
        return true;
    }
    if !changed.mappings.is_empty() {
        return false;
    }
    let present = |id: &str, kind: &'static str| match kind {
        SiteId::KIND => plan.sites.iter().any(|site| site.id.as_str() == id),
        NetworkId::KIND => plan.networks.iter().any(|network| network.id.as_str() == id),
        SubnetId::KIND => plan.subnets.iter().any(|subnet| subnet.id.as_str() == id),
        CircuitId::KIND => plan.circuits.iter().any(|circuit| circuit.id.as_str() == id),
        _ => false,
    };
    let absent = || (FieldPath::root(), LoadErrorKind::DanglingReference { id: String::new(), expected: "" });
    let mut require = |id: &str, kind: &'static str, _: Within| if present(id, kind) { Ok(()) } else { Err(absent()) };
    let mut own_ids: Vec<&str> = Vec::new();
    let references = (|| {
        for &index in &changed.sites {
            own_ids.extend(plan.sites.get(index).map(|site| site.id.as_str()));
        }
        for network in changed.networks.iter().filter_map(|&index| plan.networks.get(index)) {
            own_ids.push(network.id.as_str());
            own_ids.extend(network.gateways.iter().map(|gateway| gateway.id.as_str()));
            own_ids.extend(network.nvas.iter().map(|nva| nva.id.as_str()));
            own_ids.extend(network.route_tables.iter().map(|table| table.id.as_str()));
            network_references(network, &mut require)?;
        }
        // The id and the references of each changed element of a list.
        macro_rules! each_changed {
            ($list:ident, $references:ident) => {
                for item in changed.$list.iter().filter_map(|&index| plan.$list.get(index)) {
                    own_ids.push(item.id.as_str());
                    $references(item, &mut require)?;
                }
            };
        }
        each_changed!(subnets, subnet_references);
        each_changed!(machines, machine_references);
        each_changed!(circuits, circuit_references);
        for connection in changed.connections.iter().filter_map(|&index| plan.connections.get(index)) {
            own_ids.push(connection.id.as_str());
            connection_references(connection, FieldPath::root, &mut require)?;
        }
        each_changed!(scenarios, scenario_references);
        Ok::<(), Problem>(())
    })();
    if references.is_err() {
        return false;
    }
    // Each of the changed elements' ids once in the whole plan (an element changed twice by one
    // edit counts once).
    own_ids.sort_unstable();
    own_ids.dedup();
    let mut seen = vec![0u32; own_ids.len()];
    for id in plan.ids() {
        if let Ok(position) = own_ids.binary_search(&id) {
            seen[position] += 1;
        }
    }
    seen.iter().all(|&count| count == 1)
}

fn declare_all(plan: &Plan) -> Result<Declarations<'_>, Problem> {
    let nested: usize = plan.networks.iter().map(|network| network.gateways.len() + network.route_tables.len() + network.nvas.len()).sum();
    let count = plan.sites.len()
        + plan.networks.len()
        + nested
        + plan.subnets.len()
        + plan.machines.len()
        + plan.circuits.len()
        + plan.connections.len()
        + plan.scenarios.len();
    let mut declarations = Declarations { by_id: HashMap::with_capacity_and_hasher(count, Default::default()) };
    for (index, site) in plan.sites.iter().enumerate() {
        declarations.declare(site.id.as_str(), Location::top(List::Sites, index))?;
    }
    for (index, network) in plan.networks.iter().enumerate() {
        declarations.declare(network.id.as_str(), Location::top(List::Networks, index))?;
        for (gateway_index, gateway) in network.gateways.iter().enumerate() {
            declarations.declare(gateway.id.as_str(), Location::in_network(index, List::Gateways, gateway_index))?;
        }
        for (table_index, table) in network.route_tables.iter().enumerate() {
            declarations.declare(table.id.as_str(), Location::in_network(index, List::RouteTables, table_index))?;
        }
        for (nva_index, nva) in network.nvas.iter().enumerate() {
            declarations.declare(nva.id.as_str(), Location::in_network(index, List::Nvas, nva_index))?;
        }
    }
    for (index, subnet) in plan.subnets.iter().enumerate() {
        declarations.declare(subnet.id.as_str(), Location::top(List::Subnets, index))?;
    }
    for (index, machine) in plan.machines.iter().enumerate() {
        declarations.declare(machine.id.as_str(), Location::top(List::Machines, index))?;
    }
    for (index, circuit) in plan.circuits.iter().enumerate() {
        declarations.declare(circuit.id.as_str(), Location::top(List::Circuits, index))?;
    }
    for (index, connection) in plan.connections.iter().enumerate() {
        declarations.declare(connection.id.as_str(), Location::top(List::Connections, index))?;
    }
    for (index, scenario) in plan.scenarios.iter().enumerate() {
        declarations.declare(scenario.id.as_str(), Location::top(List::Scenarios, index))?;
    }
    Ok(declarations)
}
