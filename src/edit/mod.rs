//! Edits of a plan: the one place every change passes through, so the desktop app can record
//! it for undo and check it. Deleting an element removes what cannot exist without it (a
//! network's subnets, a subnet's machines, connections to a deleted network) and clears
//! references that may dangle (a machine's failover target).
//!
//! Every edit records what it changed in a [`Journal`] (`journal.rs`): the app's undo history
//! holds those journals, not copies of the plan, and a refused edit is taken back from its own.

mod journal;
mod moving;

use rustc_hash::FxHashSet;

pub use journal::Journal;
use journal::{Listed, Recorder};

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

/// The position of the element of this kind with this id.
fn position_of<T: Listed>(plan: &mut Plan, id: &str) -> Option<usize> {
    T::list(plan).iter().position(|element| element.id() == id)
}

/// True when some element of the plan has this id.
pub fn id_in_use(plan: &Plan, id: &str) -> bool {
    plan.ids().any(|used| used == id)
}

/// A fresh id with this prefix: `net-1`, `net-2`, ...
pub fn fresh_id(plan: &Plan, prefix: &str) -> String {
    (1..).map(|number| format!("{prefix}-{number}")).find(|id| !id_in_use(plan, id)).unwrap_or_default()
}

/// Applies an edit, then checks the invariant every loaded plan meets (`io::check`: unique ids,
/// references to elements of the right kind, no connection to itself); an edit that would break
/// it is refused. Returns the journal that undoes the edit; after an error the plan is as it was.
///
/// An edit that changes only where elements are drawn or what they are called cannot break the
/// invariant, which reads neither, and is not checked again; one that adds or changes elements
/// and removes none has only those elements checked (`io::still_holds`). The whole check runs
/// otherwise, and for the message whenever the elements' check fails.
pub fn apply(plan: &mut Plan, edit: Edit) -> Result<Journal, EditError> {
    let mut recorder = Recorder::new(plan);
    let applied = apply_to(&mut recorder, edit);
    let journal = recorder.finish();
    let checked = applied.and_then(|()| {
        let only_changed_elements =
            journal.change().content.is_empty() || journal.changed_elements(plan).is_some_and(|changed| crate::io::still_holds(plan, &changed));
        if only_changed_elements { Ok(()) } else { check_invariant(plan) }
    });
    match checked {
        Ok(()) => Ok(journal),
        Err(error) => {
            journal.undo(plan);
            Err(error)
        }
    }
}

/// The invariant every loaded plan meets (`io::check`), as an edit's refusal: for a change that
/// replaces the whole plan (a proposed recovery side, a restored copy) as for an edit.
pub fn check_invariant(plan: &Plan) -> Result<(), EditError> {
    crate::io::check(plan, std::path::Path::new("plan")).map_err(|error| {
        let at = error.field.as_ref().map(|field| format!("{field}: ")).unwrap_or_default();
        EditError::Invariant(format!("{at}{}", error.kind))
    })
}

/// Replaces the element with this id in its list.
fn replace<T: Listed>(recorder: &mut Recorder, element: T, key: &ElementKey) -> Result<(), EditError> {
    let position = position_of::<T>(recorder.plan, &key.id).ok_or_else(|| EditError::Missing { kind: key.kind, id: key.id.clone() })?;
    recorder.set(position, element);
    Ok(())
}

fn apply_to(recorder: &mut Recorder, edit: Edit) -> Result<(), EditError> {
    match edit {
        Edit::Add(element) => {
            let key = element.key();
            if id_in_use(recorder.plan, &key.id) {
                return Err(EditError::DuplicateId(key.id));
            }
            match element {
                Element::Site(site) => recorder.push(site),
                Element::Network(network) => recorder.push(network),
                Element::Subnet(subnet) => recorder.push(subnet),
                Element::Machine(machine) => recorder.push(machine),
                Element::Circuit(circuit) => recorder.push(circuit),
                Element::Connection(connection) => recorder.push(connection),
                Element::Scenario(scenario) => recorder.push(scenario),
            }
            Ok(())
        }
        Edit::Replace(element) => {
            let key = element.key();
            match element {
                Element::Site(site) => replace(recorder, site, &key),
                Element::Network(network) => replace(recorder, network, &key),
                Element::Subnet(subnet) => replace(recorder, subnet, &key),
                Element::Machine(machine) => replace(recorder, machine, &key),
                Element::Circuit(circuit) => replace(recorder, circuit, &key),
                Element::Connection(connection) => replace(recorder, connection, &key),
                Element::Scenario(scenario) => replace(recorder, scenario, &key),
            }
        }
        Edit::Delete(key) => delete(recorder, &key),
        Edit::DeleteAll(keys) => {
            let mut deleted = false;
            let mut first_error = None;
            for key in &keys {
                match delete(recorder, key) {
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
                apply_to(recorder, edit)?;
            }
            Ok(())
        }
        Edit::Move(placements) => moving::apply(recorder, &placements),
        Edit::Rename { name } => {
            recorder.set_name(name);
            Ok(())
        }
        Edit::SetGroupActions(actions) => {
            recorder.set_group_actions(actions);
            Ok(())
        }
        Edit::SetMapping { source, target } => {
            if recorder.plan.network(&source).is_none() {
                return Err(EditError::Missing { kind: ElementKind::Network, id: source.to_string() });
            }
            if let Some(target) = &target
                && recorder.plan.network(target).is_none()
            {
                return Err(EditError::Missing { kind: ElementKind::Network, id: target.to_string() });
            }
            recorder.retain::<NetworkMapping>(|mapping| mapping.source != source);
            if let Some(target) = target {
                recorder.push(NetworkMapping { source, target });
            }
            Ok(())
        }
    }
}

fn delete(recorder: &mut Recorder, key: &ElementKey) -> Result<(), EditError> {
    let missing = EditError::Missing { kind: key.kind, id: key.id.clone() };
    let plan = &*recorder.plan;
    match key.kind {
        ElementKind::Site => {
            let Some(site) = plan.sites.iter().find(|site| site.id.as_str() == key.id).map(|site| site.id.clone()) else {
                return Err(missing);
            };
            let networks: FxHashSet<NetworkId> = plan.networks.iter().filter(|network| network.site == site).map(|network| network.id.clone()).collect();
            let circuits: FxHashSet<CircuitId> = plan.circuits.iter().filter(|circuit| circuit.site == site).map(|circuit| circuit.id.clone()).collect();
            delete_networks(recorder, &networks);
            delete_circuits(recorder, &circuits);
            recorder.retain::<Scenario>(|scenario| scenario.from_site != site && scenario.to_site != site);
            recorder.retain::<Site>(|candidate| candidate.id != site);
        }
        ElementKind::Network => {
            if !plan.networks.iter().any(|network| network.id.as_str() == key.id) {
                return Err(missing);
            }
            delete_networks(recorder, &FxHashSet::from_iter([NetworkId::new(&key.id)]));
        }
        ElementKind::Subnet => {
            if !plan.subnets.iter().any(|subnet| subnet.id.as_str() == key.id) {
                return Err(missing);
            }
            delete_subnets(recorder, &FxHashSet::from_iter([SubnetId::new(&key.id)]));
        }
        ElementKind::Machine => {
            if recorder.retain::<Machine>(|machine| machine.id.as_str() != key.id) == 0 {
                return Err(missing);
            }
        }
        ElementKind::Circuit => {
            if !plan.circuits.iter().any(|circuit| circuit.id.as_str() == key.id) {
                return Err(missing);
            }
            delete_circuits(recorder, &FxHashSet::from_iter([CircuitId::new(&key.id)]));
        }
        ElementKind::Connection => {
            if recorder.retain::<Connection>(|connection| connection.id.as_str() != key.id) == 0 {
                return Err(missing);
            }
        }
        ElementKind::Scenario => {
            if recorder.retain::<Scenario>(|scenario| scenario.id.as_str() != key.id) == 0 {
                return Err(missing);
            }
        }
        ElementKind::Gateway => {
            let Some(index) = plan.networks.iter().position(|network| network.gateways.iter().any(|gateway| gateway.id.as_str() == key.id)) else {
                return Err(missing);
            };
            recorder.modify::<Network>(index, |network| network.gateways.retain(|gateway| gateway.id.as_str() != key.id));
        }
        ElementKind::Nva => {
            let Some(index) = plan.networks.iter().position(|network| network.nvas.iter().any(|nva| nva.id.as_str() == key.id)) else {
                return Err(missing);
            };
            recorder.modify::<Network>(index, |network| network.nvas.retain(|nva| nva.id.as_str() != key.id));
        }
    }
    Ok(())
}

/// Positions in `list` of the elements `select` picks.
fn positions<T>(list: &[T], select: impl Fn(&T) -> bool) -> Vec<usize> {
    list.iter().enumerate().filter(|(_, element)| select(element)).map(|(index, _)| index).collect()
}

/// Deletes networks with their subnets (and what is in them) and the links, mappings and test
/// network choices that name them; one pass over each list, however many networks go.
fn delete_networks(recorder: &mut Recorder, networks: &FxHashSet<NetworkId>) {
    let subnets: FxHashSet<SubnetId> =
        recorder.plan.subnets.iter().filter(|subnet| networks.contains(&subnet.network)).map(|subnet| subnet.id.clone()).collect();
    delete_subnets(recorder, &subnets);
    recorder.retain::<Connection>(|connection| !networks.contains(&connection.from) && !connection.to_network().is_some_and(|to| networks.contains(to)));
    recorder.retain::<NetworkMapping>(|mapping| !networks.contains(&mapping.source) && !networks.contains(&mapping.target));
    let testing_in = |scenario: &Scenario| scenario.test_network.as_ref().is_some_and(|network| networks.contains(network));
    for index in positions(&recorder.plan.scenarios, testing_in) {
        recorder.modify::<Scenario>(index, |scenario| scenario.test_network = None);
    }
    recorder.retain::<Network>(|candidate| !networks.contains(&candidate.id));
}

/// Deletes subnets with their machines and NVAs, and clears what names them: failover targets,
/// route table associations, subnet scopes.
fn delete_subnets(recorder: &mut Recorder, subnets: &FxHashSet<SubnetId>) {
    recorder.retain::<Machine>(|machine| !subnets.contains(&machine.subnet));
    let targets_gone = |machine: &Machine| machine.target.as_ref().is_some_and(|target| subnets.contains(&target.subnet));
    for index in positions(&recorder.plan.machines, targets_gone) {
        recorder.modify::<Machine>(index, |machine| machine.target = None);
    }
    let names_gone = |network: &Network| {
        network.nvas.iter().any(|nva| subnets.contains(&nva.subnet))
            || network.route_tables.iter().any(|table| table.subnets.iter().any(|subnet| subnets.contains(subnet)))
    };
    for index in positions(&recorder.plan.networks, names_gone) {
        recorder.modify::<Network>(index, |network| {
            network.nvas.retain(|nva| !subnets.contains(&nva.subnet));
            for table in &mut network.route_tables {
                table.subnets.retain(|candidate| !subnets.contains(candidate));
            }
        });
    }
    let scopes_gone = |scenario: &Scenario| matches!(&scenario.scope, Scope::Subnets(scoped) if scoped.iter().any(|subnet| subnets.contains(subnet)));
    for index in positions(&recorder.plan.scenarios, scopes_gone) {
        recorder.modify::<Scenario>(index, |scenario| {
            if let Scope::Subnets(scoped) = &mut scenario.scope {
                scoped.retain(|candidate| !subnets.contains(candidate));
            }
        });
    }
    recorder.retain::<Subnet>(|candidate| !subnets.contains(&candidate.id));
}

fn delete_circuits(recorder: &mut Recorder, circuits: &FxHashSet<CircuitId>) {
    recorder.retain::<Connection>(|connection| !connection.circuit().is_some_and(|circuit| circuits.contains(circuit)));
    recorder.retain::<Circuit>(|candidate| !circuits.contains(&candidate.id));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let text = include_str!("../../samples/azure-full-region.drplan.json");
        crate::io::parse_str(text, std::path::Path::new("sample")).unwrap()
    }

    #[test]
    fn only_elements_whose_ids_or_references_changed_are_checked_again() {
        let mut plan = plan();
        let mut machine = plan.machines[0].clone();
        machine.ip = std::net::IpAddr::from([10, 1, 1, 77]);
        let journal = apply(&mut plan, Edit::Replace(Element::Machine(machine.clone()))).unwrap();
        assert!(journal.changed_elements(&plan).is_some_and(|changed| changed.is_empty()), "a new address keeps ids and references");

        machine.subnet = plan.subnets.iter().find(|subnet| subnet.id != machine.subnet).map(|subnet| subnet.id.clone()).unwrap();
        let journal = apply(&mut plan, Edit::Replace(Element::Machine(machine.clone()))).unwrap();
        assert_eq!(journal.changed_elements(&plan).map(|changed| changed.machines), Some(vec![0]), "another subnet is a new reference");

        machine.subnet = SubnetId::new("sub-nowhere");
        let refused = apply(&mut plan, Edit::Replace(Element::Machine(machine)));
        assert!(refused.is_err(), "a reference to nothing is still refused");
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
