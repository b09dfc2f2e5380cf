//! Edits of a plan: the one place every change passes through, so the desktop app can record
//! it for undo and check it. Deleting an element removes what cannot exist without it (a
//! network's subnets, a subnet's machines, connections to a deleted network) and clears
//! references that may dangle (a machine's failover target).

use rustc_hash::FxHashSet;

use crate::model::ElementKind;
use crate::model::*;

/// Which element an edit or a selection concerns.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementKey {
    pub kind: ElementKind,
    pub id: String,
}

impl ElementKey {
    pub fn new(kind: ElementKind, id: impl Into<String>) -> Self {
        Self { kind, id: id.into() }
    }
}

/// A whole element, as added or replaced.
#[derive(Clone, Debug, PartialEq)]
pub enum Element {
    Site(Site),
    Network(Network),
    Subnet(Subnet),
    Machine(Machine),
    Circuit(Circuit),
    Connection(Connection),
    Scenario(Scenario),
}

impl Element {
    pub fn key(&self) -> ElementKey {
        match self {
            Self::Site(site) => ElementKey::new(ElementKind::Site, site.id.as_str()),
            Self::Network(network) => ElementKey::new(ElementKind::Network, network.id.as_str()),
            Self::Subnet(subnet) => ElementKey::new(ElementKind::Subnet, subnet.id.as_str()),
            Self::Machine(machine) => ElementKey::new(ElementKind::Machine, machine.id.as_str()),
            Self::Circuit(circuit) => ElementKey::new(ElementKind::Circuit, circuit.id.as_str()),
            Self::Connection(connection) => ElementKey::new(ElementKind::Connection, connection.id.as_str()),
            Self::Scenario(scenario) => ElementKey::new(ElementKind::Scenario, scenario.id.as_str()),
        }
    }
}

/// One change to a plan.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Add(Element),
    /// Replace the element with the same key by this value.
    Replace(Element),
    Delete(ElementKey),
    /// Delete several elements as one step; one already removed with another (a subnet of a
    /// deleted network) is skipped.
    DeleteAll(Vec<ElementKey>),
    /// Several edits as one undo step (the document keeps none of them when one is refused).
    Batch(Vec<Edit>),
    /// Move elements on the canvas, as one step: each gets its new top-left corner, and what is
    /// drawn inside it moves by the same distance (a site's networks and circuits, a network's
    /// subnets and machines), so their stored positions keep their place in it.
    Move(Vec<Placement>),
    Rename {
        name: String,
    },
    /// Set (or with None remove) the recovery network a source network fails over into.
    SetMapping {
        source: NetworkId,
        target: Option<NetworkId>,
    },
    /// Replace the plan's recovery group actions.
    SetGroupActions(Vec<GroupAction>),
}

/// Where an element goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub key: ElementKey,
    pub position: Point,
}

/// Why an edit could not be applied.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("no {kind:?} `{id}` in the plan")]
    Missing { kind: ElementKind, id: String },
    #[error("the id `{0}` is already used")]
    DuplicateId(String),
    /// The edit would leave a plan that does not load (the loader's check, `io::check`).
    #[error("the plan would not load afterwards: {0}")]
    Invariant(String),
}

fn position_mut<'a, T>(list: &'a mut [T], id: &str, id_of: impl Fn(&T) -> &str) -> Option<&'a mut T> {
    list.iter_mut().find(|element| id_of(element) == id)
}

/// True when some element of the plan has this id.
pub fn id_in_use(plan: &Plan, id: &str) -> bool {
    ids(plan).any(|used| used == id)
}

/// Every id the plan uses, of every kind of element.
pub fn ids(plan: &Plan) -> impl Iterator<Item = &str> {
    let nested = plan.networks.iter().flat_map(|network| {
        std::iter::once(network.id.as_str())
            .chain(network.gateways.iter().map(|gateway| gateway.id.as_str()))
            .chain(network.nvas.iter().map(|nva| nva.id.as_str()))
            .chain(network.route_tables.iter().map(|table| table.id.as_str()))
    });
    plan.sites
        .iter()
        .map(|site| site.id.as_str())
        .chain(nested)
        .chain(plan.subnets.iter().map(|subnet| subnet.id.as_str()))
        .chain(plan.machines.iter().map(|machine| machine.id.as_str()))
        .chain(plan.circuits.iter().map(|circuit| circuit.id.as_str()))
        .chain(plan.connections.iter().map(|connection| connection.id.as_str()))
        .chain(plan.scenarios.iter().map(|scenario| scenario.id.as_str()))
}

/// A fresh id with this prefix: `net-1`, `net-2`, ...
pub fn fresh_id(plan: &Plan, prefix: &str) -> String {
    (1..).map(|number| format!("{prefix}-{number}")).find(|id| !id_in_use(plan, id)).unwrap_or_default()
}

/// Applies an edit, then checks the invariant every loaded plan meets (`io::check`: unique ids,
/// references to elements of the right kind, no connection to itself); an edit that would break
/// it is refused. After an error the plan may be partly changed: callers keep the plan from
/// before the edit, as the app's document does, and put it back.
pub fn apply(plan: &mut Plan, edit: Edit) -> Result<(), EditError> {
    apply_unchecked(plan, edit)?;
    check_invariant(plan)
}

/// The invariant every loaded plan meets (`io::check`), as an edit's refusal: for a change that
/// replaces the whole plan (a proposed recovery side, a restored copy) as for an edit.
pub fn check_invariant(plan: &Plan) -> Result<(), EditError> {
    crate::io::check(plan, std::path::Path::new("plan")).map_err(|error| {
        let at = error.field.as_ref().map(|field| format!("{field}: ")).unwrap_or_default();
        EditError::Invariant(format!("{at}{}", error.kind))
    })
}

fn apply_unchecked(plan: &mut Plan, edit: Edit) -> Result<(), EditError> {
    match edit {
        Edit::Add(element) => {
            let key = element.key();
            if id_in_use(plan, &key.id) {
                return Err(EditError::DuplicateId(key.id));
            }
            match element {
                Element::Site(site) => plan.sites.push(site),
                Element::Network(network) => plan.networks.push(network),
                Element::Subnet(subnet) => plan.subnets.push(subnet),
                Element::Machine(machine) => plan.machines.push(machine),
                Element::Circuit(circuit) => plan.circuits.push(circuit),
                Element::Connection(connection) => plan.connections.push(connection),
                Element::Scenario(scenario) => plan.scenarios.push(scenario),
            }
            Ok(())
        }
        Edit::Replace(element) => {
            let key = element.key();
            let missing = || EditError::Missing { kind: key.kind, id: key.id.clone() };
            match element {
                Element::Site(site) => *position_mut(&mut plan.sites, &key.id, |e| e.id.as_str()).ok_or_else(missing)? = site,
                Element::Network(network) => *position_mut(&mut plan.networks, &key.id, |e| e.id.as_str()).ok_or_else(missing)? = network,
                Element::Subnet(subnet) => *position_mut(&mut plan.subnets, &key.id, |e| e.id.as_str()).ok_or_else(missing)? = subnet,
                Element::Machine(machine) => *position_mut(&mut plan.machines, &key.id, |e| e.id.as_str()).ok_or_else(missing)? = machine,
                Element::Circuit(circuit) => *position_mut(&mut plan.circuits, &key.id, |e| e.id.as_str()).ok_or_else(missing)? = circuit,
                Element::Connection(connection) => *position_mut(&mut plan.connections, &key.id, |e| e.id.as_str()).ok_or_else(missing)? = connection,
                Element::Scenario(scenario) => *position_mut(&mut plan.scenarios, &key.id, |e| e.id.as_str()).ok_or_else(missing)? = scenario,
            }
            Ok(())
        }
        Edit::Delete(key) => delete(plan, &key),
        Edit::DeleteAll(keys) => {
            let mut deleted = false;
            let mut first_error = None;
            for key in &keys {
                match delete(plan, key) {
                    Ok(()) => deleted = true,
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            match first_error {
                Some(error) if !deleted => Err(error),
                _ => Ok(()),
            }
        }
        Edit::Batch(edits) => {
            for edit in edits {
                apply_unchecked(plan, edit)?;
            }
            Ok(())
        }
        Edit::Move(placements) => {
            for placement in &placements {
                move_element(plan, &placement.key, placement.position)?;
            }
            Ok(())
        }
        Edit::Rename { name } => {
            plan.name = name;
            Ok(())
        }
        Edit::SetGroupActions(actions) => {
            plan.group_actions = actions;
            Ok(())
        }
        Edit::SetMapping { source, target } => {
            if plan.network(&source).is_none() {
                return Err(EditError::Missing { kind: ElementKind::Network, id: source.to_string() });
            }
            plan.network_mappings.retain(|mapping| mapping.source != source);
            if let Some(target) = target {
                if plan.network(&target).is_none() {
                    return Err(EditError::Missing { kind: ElementKind::Network, id: target.to_string() });
                }
                plan.network_mappings.push(NetworkMapping { source, target });
            }
            Ok(())
        }
    }
}

fn move_element(plan: &mut Plan, key: &ElementKey, position: Point) -> Result<(), EditError> {
    let missing = || EditError::Missing { kind: key.kind, id: key.id.clone() };
    let shift = |point: &mut Option<Point>, (dx, dy): (f32, f32)| {
        if let Some(point) = point {
            point.x += dx;
            point.y += dy;
        }
    };
    let place = |stored: &mut Option<Point>| {
        let old = stored.unwrap_or(position);
        *stored = Some(position);
        (position.x - old.x, position.y - old.y)
    };
    let (networks, delta): (Vec<NetworkId>, (f32, f32)) = match key.kind {
        ElementKind::Site => {
            let site = position_mut(&mut plan.sites, &key.id, |e| e.id.as_str()).ok_or_else(missing)?;
            let delta = place(&mut site.position);
            let site_id = site.id.clone();
            let mut networks = Vec::new();
            for network in plan.networks.iter_mut().filter(|network| network.site == site_id) {
                shift(&mut network.position, delta);
                networks.push(network.id.clone());
            }
            for circuit in plan.circuits.iter_mut().filter(|circuit| circuit.site == site_id) {
                shift(&mut circuit.position, delta);
            }
            (networks, delta)
        }
        ElementKind::Network => {
            let network = position_mut(&mut plan.networks, &key.id, |e| e.id.as_str()).ok_or_else(missing)?;
            let delta = place(&mut network.position);
            (vec![network.id.clone()], delta)
        }
        ElementKind::Subnet => {
            let subnet = position_mut(&mut plan.subnets, &key.id, |e| e.id.as_str()).ok_or_else(missing)?;
            subnet.position = Some(position);
            return Ok(());
        }
        ElementKind::Machine => {
            position_mut(&mut plan.machines, &key.id, |e| e.id.as_str()).ok_or_else(missing)?.position = Some(position);
            return Ok(());
        }
        ElementKind::Circuit => {
            position_mut(&mut plan.circuits, &key.id, |e| e.id.as_str()).ok_or_else(missing)?.position = Some(position);
            return Ok(());
        }
        _ => return Err(missing()),
    };
    if delta == (0.0, 0.0) {
        return Ok(());
    }
    // What is drawn inside the moved networks moves with them (sets: a site holds thousands).
    let networks: FxHashSet<NetworkId> = networks.into_iter().collect();
    let mut subnets = FxHashSet::default();
    for subnet in plan.subnets.iter_mut().filter(|subnet| networks.contains(&subnet.network)) {
        shift(&mut subnet.position, delta);
        subnets.insert(subnet.id.clone());
    }
    for machine in plan.machines.iter_mut().filter(|machine| subnets.contains(&machine.subnet)) {
        shift(&mut machine.position, delta);
    }
    Ok(())
}

fn delete(plan: &mut Plan, key: &ElementKey) -> Result<(), EditError> {
    let missing = EditError::Missing { kind: key.kind, id: key.id.clone() };
    match key.kind {
        ElementKind::Site => {
            let Some(site) = plan.sites.iter().find(|site| site.id.as_str() == key.id).map(|site| site.id.clone()) else {
                return Err(missing);
            };
            let networks: FxHashSet<NetworkId> = plan.networks.iter().filter(|network| network.site == site).map(|network| network.id.clone()).collect();
            delete_networks(plan, &networks);
            let circuits: FxHashSet<CircuitId> = plan.circuits.iter().filter(|circuit| circuit.site == site).map(|circuit| circuit.id.clone()).collect();
            delete_circuits(plan, &circuits);
            plan.scenarios.retain(|scenario| scenario.from_site != site && scenario.to_site != site);
            plan.sites.retain(|candidate| candidate.id != site);
        }
        ElementKind::Network => {
            if !plan.networks.iter().any(|network| network.id.as_str() == key.id) {
                return Err(missing);
            }
            delete_networks(plan, &FxHashSet::from_iter([NetworkId::new(&key.id)]));
        }
        ElementKind::Subnet => {
            if !plan.subnets.iter().any(|subnet| subnet.id.as_str() == key.id) {
                return Err(missing);
            }
            delete_subnets(plan, &FxHashSet::from_iter([SubnetId::new(&key.id)]));
        }
        ElementKind::Machine => {
            let before = plan.machines.len();
            plan.machines.retain(|machine| machine.id.as_str() != key.id);
            if plan.machines.len() == before {
                return Err(missing);
            }
        }
        ElementKind::Circuit => {
            if !plan.circuits.iter().any(|circuit| circuit.id.as_str() == key.id) {
                return Err(missing);
            }
            delete_circuits(plan, &FxHashSet::from_iter([CircuitId::new(&key.id)]));
        }
        ElementKind::Connection => {
            let before = plan.connections.len();
            plan.connections.retain(|connection| connection.id.as_str() != key.id);
            if plan.connections.len() == before {
                return Err(missing);
            }
        }
        ElementKind::Scenario => {
            let before = plan.scenarios.len();
            plan.scenarios.retain(|scenario| scenario.id.as_str() != key.id);
            if plan.scenarios.len() == before {
                return Err(missing);
            }
        }
        ElementKind::Gateway => {
            let found = plan.networks.iter_mut().any(|network| {
                let before = network.gateways.len();
                network.gateways.retain(|gateway| gateway.id.as_str() != key.id);
                network.gateways.len() != before
            });
            if !found {
                return Err(missing);
            }
        }
        ElementKind::Nva => {
            let found = plan.networks.iter_mut().any(|network| {
                let before = network.nvas.len();
                network.nvas.retain(|nva| nva.id.as_str() != key.id);
                network.nvas.len() != before
            });
            if !found {
                return Err(missing);
            }
        }
    }
    Ok(())
}

/// Deletes networks with their subnets (and what is in them) and the links, mappings and test
/// network choices that name them; one pass over each list, however many networks go.
fn delete_networks(plan: &mut Plan, networks: &FxHashSet<NetworkId>) {
    let subnets: FxHashSet<SubnetId> = plan.subnets.iter().filter(|subnet| networks.contains(&subnet.network)).map(|subnet| subnet.id.clone()).collect();
    delete_subnets(plan, &subnets);
    plan.connections.retain(|connection| !networks.contains(&connection.from) && !connection.to_network().is_some_and(|to| networks.contains(to)));
    plan.network_mappings.retain(|mapping| !networks.contains(&mapping.source) && !networks.contains(&mapping.target));
    for scenario in &mut plan.scenarios {
        if scenario.test_network.as_ref().is_some_and(|network| networks.contains(network)) {
            scenario.test_network = None;
        }
    }
    plan.networks.retain(|candidate| !networks.contains(&candidate.id));
}

/// Deletes subnets with their machines and NVAs, and clears what names them: failover targets,
/// route table associations, subnet scopes.
fn delete_subnets(plan: &mut Plan, subnets: &FxHashSet<SubnetId>) {
    plan.machines.retain(|machine| !subnets.contains(&machine.subnet));
    for machine in &mut plan.machines {
        if machine.target.as_ref().is_some_and(|target| subnets.contains(&target.subnet)) {
            machine.target = None;
        }
    }
    for network in &mut plan.networks {
        network.nvas.retain(|nva| !subnets.contains(&nva.subnet));
        for table in &mut network.route_tables {
            table.subnets.retain(|candidate| !subnets.contains(candidate));
        }
    }
    for scenario in &mut plan.scenarios {
        if let Scope::Subnets(scoped) = &mut scenario.scope {
            scoped.retain(|candidate| !subnets.contains(candidate));
        }
    }
    plan.subnets.retain(|candidate| !subnets.contains(&candidate.id));
}

fn delete_circuits(plan: &mut Plan, circuits: &FxHashSet<CircuitId>) {
    plan.connections.retain(|connection| !connection.circuit().is_some_and(|circuit| circuits.contains(circuit)));
    plan.circuits.retain(|candidate| !circuits.contains(&candidate.id));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let text = include_str!("../samples/azure-full-region.drplan.json");
        crate::io::parse_str(text, std::path::Path::new("sample")).unwrap()
    }

    #[test]
    fn deleting_a_network_removes_its_subnets_machines_and_connections_and_the_result_still_loads() {
        let mut plan = plan();
        apply(&mut plan, Edit::Delete(ElementKey::new(ElementKind::Network, "net-recovery-vnet"))).unwrap();
        assert!(plan.subnets.iter().all(|subnet| subnet.network.as_str() != "net-recovery-vnet"));
        assert!(plan.machines.iter().all(|machine| machine.target.is_none()), "targets in it are cleared");
        assert!(plan.connection(&"conn-recovery-azure-vpn".into()).is_none());
        let text = crate::io::to_canonical_json(&plan);
        crate::io::parse_str(&text, std::path::Path::new("after delete")).unwrap();
    }

    #[test]
    fn moving_a_site_moves_its_networks_by_the_same_delta() {
        let mut plan = plan();
        let before = plan.network(&"net-source-vnet".into()).unwrap().position.unwrap();
        let site = plan.site(&"site-east-asia".into()).unwrap().position.unwrap();
        let target = Point::new(site.x + 100.0, site.y + 50.0);
        let key = ElementKey::new(ElementKind::Site, "site-east-asia");
        apply(&mut plan, Edit::Move(vec![Placement { key, position: target }])).unwrap();
        let after = plan.network(&"net-source-vnet".into()).unwrap().position.unwrap();
        assert_eq!((after.x - before.x, after.y - before.y), (100.0, 50.0));
    }

    #[test]
    fn moving_a_network_moves_its_subnets_and_machines_and_nothing_else() {
        let mut plan = plan();
        let network = plan.network(&"net-source-vnet".into()).unwrap().clone();
        let old = network.position.unwrap();
        let subnets_before: Vec<(SubnetId, Option<Point>)> = plan.subnets.iter().map(|s| (s.id.clone(), s.position)).collect();
        let key = ElementKey::new(ElementKind::Network, "net-source-vnet");
        apply(&mut plan, Edit::Move(vec![Placement { key, position: Point::new(old.x + 40.0, old.y - 20.0) }])).unwrap();
        for (id, before) in subnets_before {
            let subnet = plan.subnet(&id).unwrap();
            let expected = match before {
                Some(point) if subnet.network == network.id => Some(Point::new(point.x + 40.0, point.y - 20.0)),
                other => other,
            };
            assert_eq!(subnet.position, expected, "{id}");
        }
    }

    #[test]
    fn an_edit_that_would_leave_a_dangling_reference_or_a_self_connection_is_refused() {
        let mut connection = plan().connections[0].clone();
        connection.id = ConnectionId::new("conn-new");
        connection.link = Link::SiteToSiteVpn { to: NetworkId::new("net-gone") };
        let refused = apply(&mut plan(), Edit::Add(Element::Connection(connection.clone())));
        assert!(matches!(&refused, Err(EditError::Invariant(reason)) if reason.contains("link.to") && reason.contains("net-gone")), "{refused:?}");
        connection.link = Link::SiteToSiteVpn { to: connection.from.clone() };
        let refused = apply(&mut plan(), Edit::Add(Element::Connection(connection)));
        assert!(matches!(&refused, Err(EditError::Invariant(reason)) if reason.contains("itself")), "{refused:?}");
    }

    #[test]
    fn adding_an_element_with_a_used_id_is_refused() {
        let mut plan = plan();
        let copy = plan.sites[0].clone();
        assert_eq!(apply(&mut plan, Edit::Add(Element::Site(copy))), Err(EditError::DuplicateId("site-east-asia".into())));
        assert_eq!(fresh_id(&plan, "site"), "site-1");
    }
}
