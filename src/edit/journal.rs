//! What an edit changed, element by element: the old value of each element it changed, the
//! elements it removed with their positions, where it inserted. Undoing an edit puts exactly
//! those back, so the undo history holds what edits changed instead of a copy of the plan for
//! each step, and a refused edit is taken back without a copy made beforehand.
//!
//! Every change an edit makes goes through a [`Recorder`]; it also notes which parts of the
//! plan changed and how (`model::Change`), for the invariant check and incremental validation.

use crate::model::*;

/// The changes of one edit, in the order they were made, to be put back in reverse.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Journal {
    entries: Vec<Entry>,
    change: Change,
}

/// One recorded change.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Entry {
    /// The plan's name was this.
    Name(String),
    GroupActions(Vec<GroupAction>),
    /// The whole plan was this one (a restored copy, a proposed recovery side).
    Whole(Box<Plan>),
    Sites(Slots<Site>),
    Networks(Slots<Network>),
    Subnets(Slots<Subnet>),
    Machines(Slots<Machine>),
    Circuits(Slots<Circuit>),
    Connections(Slots<Connection>),
    Mappings(Slots<NetworkMapping>),
    Scenarios(Slots<Scenario>),
}

/// A change to one list of the plan.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Slots<T> {
    /// The element at this position had this value.
    Value(usize, T),
    /// The element at this position was drawn here.
    Position(usize, Option<Point>),
    /// These elements were at these positions (ascending) and were removed.
    Removed(Vec<(usize, T)>),
    /// Elements were inserted at these positions (ascending).
    Inserted(Vec<usize>),
}

/// A list of the plan whose changes a journal records.
pub(super) trait Listed: Clone + PartialEq + Sized + crate::io::InvariantInputs {
    const PART: Parts;
    fn list(plan: &mut Plan) -> &mut Vec<Self>;
    fn entry(slots: Slots<Self>) -> Entry;
    /// The element's id; none for a mapping, which is never looked up by id.
    fn id(&self) -> &str {
        ""
    }
    fn position(&mut self) -> Option<&mut Option<Point>> {
        None
    }
    fn name(&mut self) -> Option<&mut String> {
        None
    }
    /// The change of `old` into `new` at `position`, when it changed a machine's addresses only.
    fn address_change(_position: usize, _old: &Self, _new: &Self) -> Option<AddressChange> {
        None
    }
    /// The change of `old` into `new` at `position`, when it changed a subnet's name only.
    fn renamed(_position: usize, _old: &Self, _new: &Self) -> Option<Renamed> {
        None
    }
}

macro_rules! listed {
    ($($type:ty => $field:ident, $variant:ident, $part:ident, id: $id:tt, placed: $placed:tt, named: $named:tt, addressed: $addressed:tt, renamed: $renamed:tt;)*) => {$(
        impl Listed for $type {
            const PART: Parts = Parts::$part;
            fn list(plan: &mut Plan) -> &mut Vec<Self> {
                &mut plan.$field
            }
            fn entry(slots: Slots<Self>) -> Entry {
                Entry::$variant(slots)
            }
            listed!(@id $id);
            listed!(@position $placed);
            listed!(@name $named);
            listed!(@addresses $addressed);
            listed!(@renamed $renamed);
        }
    )*};
    (@id true) => {
        fn id(&self) -> &str {
            self.id.as_str()
        }
    };
    (@id false) => {};
    (@position true) => {
        fn position(&mut self) -> Option<&mut Option<Point>> {
            Some(&mut self.position)
        }
    };
    (@position false) => {};
    (@name true) => {
        fn name(&mut self) -> Option<&mut String> {
            Some(&mut self.name)
        }
    };
    (@name false) => {};
    (@addresses true) => {
        fn address_change(position: usize, old: &Self, new: &Self) -> Option<AddressChange> {
            AddressChange::between(position, old, new)
        }
    };
    (@addresses false) => {};
    (@renamed true) => {
        fn renamed(position: usize, old: &Self, new: &Self) -> Option<Renamed> {
            Renamed::between(position, old, new)
        }
    };
    (@renamed false) => {};
}

listed! {
    Site => sites, Sites, SITES, id: true, placed: true, named: true, addressed: false, renamed: false;
    Network => networks, Networks, NETWORKS, id: true, placed: true, named: true, addressed: false, renamed: false;
    Subnet => subnets, Subnets, SUBNETS, id: true, placed: true, named: true, addressed: false, renamed: true;
    Machine => machines, Machines, MACHINES, id: true, placed: true, named: true, addressed: true, renamed: false;
    Circuit => circuits, Circuits, CIRCUITS, id: true, placed: true, named: true, addressed: false, renamed: false;
    Connection => connections, Connections, CONNECTIONS, id: true, placed: false, named: true, addressed: false, renamed: false;
    NetworkMapping => network_mappings, Mappings, MAPPINGS, id: false, placed: false, named: false, addressed: false, renamed: false;
    Scenario => scenarios, Scenarios, SCENARIOS, id: true, placed: false, named: true, addressed: false, renamed: false;
}

/// How an element's new value differs from its old one: in where it is drawn, in its name, in
/// anything else.
fn difference<T: Listed>(old: &T, new: &T) -> Change {
    let mut change = Change::default();
    if old == new {
        return change;
    }
    let mut aligned = old.clone();
    let mut new_copy = new.clone();
    if let (Some(position), Some(new_position)) = (aligned.position(), new_copy.position())
        && position != new_position
    {
        *position = *new_position;
        change.layout = T::PART;
    }
    if let (Some(name), Some(new_name)) = (aligned.name(), new_copy.name())
        && name != new_name
    {
        name.clone_from(new_name);
        change.names = T::PART;
    }
    if aligned != *new {
        change.content = T::PART;
        if old.invariant_inputs() != new.invariant_inputs() {
            change.structure = T::PART;
        }
    }
    change
}

impl Journal {
    /// Which parts of the plan the edit changed, and how.
    pub fn change(&self) -> Change {
        self.change
    }

    /// True when the edit changed nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many elements the journal holds (old values and removed elements; a whole plan
    /// counts as its elements): what an undo step costs in memory.
    pub fn held_elements(&self) -> usize {
        self.entries
            .iter()
            .map(|entry| match entry {
                Entry::Whole(plan) => plan.sites.len() + plan.networks.len() + plan.subnets.len() + plan.machines.len() + plan.connections.len(),
                Entry::Sites(slots) => slots.held(),
                Entry::Networks(slots) => slots.held(),
                Entry::Subnets(slots) => slots.held(),
                Entry::Machines(slots) => slots.held(),
                Entry::Circuits(slots) => slots.held(),
                Entry::Connections(slots) => slots.held(),
                Entry::Mappings(slots) => slots.held(),
                Entry::Scenarios(slots) => slots.held(),
                Entry::Name(_) | Entry::GroupActions(_) => 1,
            })
            .sum()
    }

    /// The positions of the elements the edit added, or changed in their ids or references, in
    /// `plan` as the edit left it, when it removed none and did not replace the whole plan (for
    /// the invariant check of those elements only, `io::still_holds`). An element changed in
    /// place with the same ids and references (a new address, a peering location) is left out:
    /// the plan met the invariant with it as it was.
    pub fn changed_elements(&self, plan: &Plan) -> Option<crate::io::ChangedElements> {
        let mut changed = crate::io::ChangedElements::default();
        for entry in &self.entries {
            let (list, slots): (&mut Vec<usize>, Option<Vec<usize>>) = match entry {
                Entry::Whole(_) => return None,
                Entry::Name(_) | Entry::GroupActions(_) => continue,
                Entry::Sites(slots) => (&mut changed.sites, slots.changed(&plan.sites)?),
                Entry::Networks(slots) => (&mut changed.networks, slots.changed(&plan.networks)?),
                Entry::Subnets(slots) => (&mut changed.subnets, slots.changed(&plan.subnets)?),
                Entry::Machines(slots) => (&mut changed.machines, slots.changed(&plan.machines)?),
                Entry::Circuits(slots) => (&mut changed.circuits, slots.changed(&plan.circuits)?),
                Entry::Connections(slots) => (&mut changed.connections, slots.changed(&plan.connections)?),
                Entry::Mappings(slots) => (&mut changed.mappings, slots.changed(&plan.network_mappings)?),
                Entry::Scenarios(slots) => (&mut changed.scenarios, slots.changed(&plan.scenarios)?),
            };
            list.extend(slots.into_iter().flatten());
        }
        Some(changed)
    }

    /// A journal that replaces the whole plan by `plan` and records the one it replaced.
    pub fn replace_whole(current: &mut Plan, plan: Plan) -> Self {
        let before = std::mem::replace(current, plan);
        Self { entries: vec![Entry::Whole(Box::new(before))], change: Change::ALL }
    }

    /// Puts the plan back as it was before the edit; returns the journal that redoes it. The plan
    /// must be the one the edit left (the history's order guarantees it).
    pub fn undo(self, plan: &mut Plan) -> Journal {
        // Reverted last to first; the journal of those reversions, undone in its turn last to
        // first, replays the edit's changes first to last.
        let entries: Vec<Entry> = self.entries.into_iter().rev().map(|entry| entry.revert(plan)).collect();
        let mut change = self.change;
        // The addresses before the undo are those the edit had set.
        change.addresses = change.addresses.and_then(|addresses| {
            entries.iter().find_map(|entry| match entry {
                Entry::Machines(Slots::Value(position, before)) if *position == addresses.machine => {
                    AddressChange::between(*position, before, plan.machines.get(*position)?)
                }
                _ => None,
            })
        });
        // So is the name.
        change.renamed = change.renamed.and_then(|renamed| {
            entries.iter().find_map(|entry| match entry {
                Entry::Subnets(Slots::Value(position, before)) if *position == renamed.subnet => {
                    Renamed::between(*position, before, plan.subnets.get(*position)?)
                }
                _ => None,
            })
        });
        Journal { entries, change }
    }
}

impl Entry {
    fn revert(self, plan: &mut Plan) -> Entry {
        match self {
            Self::Name(name) => Self::Name(std::mem::replace(&mut plan.name, name)),
            Self::GroupActions(actions) => Self::GroupActions(std::mem::replace(&mut plan.group_actions, actions)),
            Self::Whole(whole) => Self::Whole(Box::new(std::mem::replace(plan, *whole))),
            Self::Sites(slots) => Self::Sites(slots.revert(&mut plan.sites)),
            Self::Networks(slots) => Self::Networks(slots.revert(&mut plan.networks)),
            Self::Subnets(slots) => Self::Subnets(slots.revert(&mut plan.subnets)),
            Self::Machines(slots) => Self::Machines(slots.revert(&mut plan.machines)),
            Self::Circuits(slots) => Self::Circuits(slots.revert(&mut plan.circuits)),
            Self::Connections(slots) => Self::Connections(slots.revert(&mut plan.connections)),
            Self::Mappings(slots) => Self::Mappings(slots.revert(&mut plan.network_mappings)),
            Self::Scenarios(slots) => Self::Scenarios(slots.revert(&mut plan.scenarios)),
        }
    }
}

impl<T: Listed> Slots<T> {
    fn held(&self) -> usize {
        match self {
            Self::Value(..) => 1,
            Self::Position(..) | Self::Inserted(_) => 0,
            Self::Removed(elements) => elements.len(),
        }
    }

    /// Positions in `list` of elements added, or changed in their ids or references (None for a
    /// move, or a change that keeps them); None at the outer level for a removal, after which
    /// positions recorded earlier may have shifted.
    fn changed(&self, list: &[T]) -> Option<Option<Vec<usize>>> {
        match self {
            Self::Value(position, old) => {
                let kept = list.get(*position).is_some_and(|now| now.invariant_inputs() == old.invariant_inputs());
                Some((!kept).then(|| vec![*position]))
            }
            Self::Inserted(positions) => Some(Some(positions.clone())),
            Self::Position(..) => Some(None),
            Self::Removed(_) => None,
        }
    }

    fn revert(self, list: &mut Vec<T>) -> Slots<T> {
        match self {
            Self::Value(index, old) => match list.get_mut(index) {
                Some(slot) => Self::Value(index, std::mem::replace(slot, old)),
                None => Self::Value(index, old),
            },
            Self::Position(index, old) => match list.get_mut(index).and_then(Listed::position) {
                Some(position) => Self::Position(index, std::mem::replace(position, old)),
                None => Self::Position(index, old),
            },
            Self::Removed(elements) => Self::Inserted(insert_at(list, elements)),
            Self::Inserted(positions) => Self::Removed(remove_at(list, &positions)),
        }
    }
}

/// Puts elements back at their positions (ascending, as they will be once all are in); returns
/// the positions. One pass over the list, however many go back.
fn insert_at<T>(list: &mut Vec<T>, elements: Vec<(usize, T)>) -> Vec<usize> {
    let positions: Vec<usize> = elements.iter().map(|(position, _)| *position).collect();
    if let [(position, _)] = elements.as_slice()
        && *position <= list.len()
    {
        let position = *position;
        if let Some((_, element)) = elements.into_iter().next() {
            list.insert(position, element);
        }
        return positions;
    }
    let old = std::mem::take(list);
    list.reserve(old.len() + elements.len());
    let mut old = old.into_iter();
    for (position, element) in elements {
        while list.len() < position {
            match old.next() {
                Some(kept) => list.push(kept),
                None => break,
            }
        }
        list.push(element);
    }
    list.extend(old);
    positions
}

/// Takes out the elements at these positions (ascending); one pass over the list.
fn remove_at<T>(list: &mut Vec<T>, positions: &[usize]) -> Vec<(usize, T)> {
    if let [position] = positions
        && *position < list.len()
    {
        return vec![(*position, list.remove(*position))];
    }
    let old = std::mem::take(list);
    let mut removed = Vec::with_capacity(positions.len());
    let mut next = positions.iter().peekable();
    for (position, element) in old.into_iter().enumerate() {
        if next.peek() == Some(&&position) {
            next.next();
            removed.push((position, element));
        } else {
            list.push(element);
        }
    }
    removed
}

/// The plan an edit is changing, and the journal of what it has changed so far.
pub(super) struct Recorder<'p> {
    pub plan: &'p mut Plan,
    journal: Journal,
}

impl<'p> Recorder<'p> {
    pub fn new(plan: &'p mut Plan) -> Self {
        Self { plan, journal: Journal::default() }
    }

    pub fn finish(self) -> Journal {
        self.journal
    }

    fn record(&mut self, entry: Entry, change: Change) {
        self.journal.entries.push(entry);
        self.journal.change.merge(change);
    }

    /// Adds an element at the end of its list.
    pub fn push<T: Listed>(&mut self, element: T) {
        let list = T::list(self.plan);
        list.push(element);
        let position = list.len() - 1;
        self.record(T::entry(Slots::Inserted(vec![position])), Change { content: T::PART, structure: T::PART, ..Change::default() });
    }

    /// Replaces the element at `position` by `element`.
    pub fn set<T: Listed>(&mut self, position: usize, element: T) {
        let Some(slot) = T::list(self.plan).get_mut(position) else { return };
        let mut change = difference(slot, &element);
        if change.is_empty() {
            return;
        }
        change.addresses = T::address_change(position, slot, &element);
        change.renamed = T::renamed(position, slot, &element);
        let old = std::mem::replace(slot, element);
        self.record(T::entry(Slots::Value(position, old)), change);
    }

    /// Changes the element at `position` in place.
    pub fn modify<T: Listed>(&mut self, position: usize, change: impl FnOnce(&mut T)) {
        let Some(slot) = T::list(self.plan).get(position) else { return };
        let mut element = slot.clone();
        change(&mut element);
        self.set(position, element);
    }

    /// Moves the element at `position` on the canvas.
    pub fn place<T: Listed>(&mut self, position: usize, point: Option<Point>) {
        let Some(stored) = T::list(self.plan).get_mut(position).and_then(Listed::position) else { return };
        if *stored == point {
            return;
        }
        let old = std::mem::replace(stored, point);
        self.record(T::entry(Slots::Position(position, old)), Change { layout: T::PART, ..Change::default() });
    }

    /// Removes the elements `keep` refuses, in one pass; returns how many went.
    pub fn retain<T: Listed>(&mut self, mut keep: impl FnMut(&T) -> bool) -> usize {
        let list = T::list(self.plan);
        if list.iter().all(&mut keep) {
            return 0;
        }
        let old = std::mem::take(list);
        let mut removed = Vec::new();
        for (position, element) in old.into_iter().enumerate() {
            if keep(&element) {
                list.push(element);
            } else {
                removed.push((position, element));
            }
        }
        let count = removed.len();
        self.record(T::entry(Slots::Removed(removed)), Change { content: T::PART, structure: T::PART, ..Change::default() });
        count
    }

    pub fn set_name(&mut self, name: String) {
        if self.plan.name != name {
            let old = std::mem::replace(&mut self.plan.name, name);
            self.record(Entry::Name(old), Change { names: Parts::PLAN, ..Change::default() });
        }
    }

    pub fn set_group_actions(&mut self, actions: Vec<GroupAction>) {
        if self.plan.group_actions != actions {
            let old = std::mem::replace(&mut self.plan.group_actions, actions);
            self.record(Entry::GroupActions(old), Change { content: Parts::GROUP_ACTIONS, ..Change::default() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_removed_and_put_back_in_one_pass_keep_their_order() {
        let mut list: Vec<u32> = (0..10).collect();
        let removed = remove_at(&mut list, &[0, 3, 4, 9]);
        assert_eq!(list, vec![1, 2, 5, 6, 7, 8]);
        assert_eq!(removed, vec![(0, 0), (3, 3), (4, 4), (9, 9)]);
        assert_eq!(insert_at(&mut list, removed), vec![0, 3, 4, 9]);
        assert_eq!(list, (0..10).collect::<Vec<_>>());
        let one = remove_at(&mut list, &[5]);
        assert_eq!(insert_at(&mut list, one), vec![5]);
        assert_eq!(list, (0..10).collect::<Vec<_>>());
    }

    /// A subnet's rename alone is told apart with the name before it; the undo carries the name
    /// the rename set; two renames of one subnet are one, from the first name; a rename with any
    /// other change is not one.
    #[test]
    fn a_rename_of_one_subnet_is_told_apart_with_its_name_before() {
        use crate::edit::{Edit, Element, apply};
        let mut plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 60, seed: 1, faults: 0 }).plan;
        let original = plan.subnets[2].clone();
        let renamed = |name: &str| Edit::Replace(Element::Subnet(Subnet { name: name.to_owned(), ..original.clone() }));
        let journal = apply(&mut plan, renamed("first")).expect("a rename");
        assert_eq!(journal.change().renamed, Some(Renamed { subnet: 2, old_name: Renamed::name_key(&original.name) }));
        assert_eq!(journal.undo(&mut plan).change().renamed, Some(Renamed { subnet: 2, old_name: Renamed::name_key("first") }));
        let twice = apply(&mut plan, Edit::Batch(vec![renamed("first"), renamed("second")])).expect("two renames");
        assert_eq!(twice.change().renamed.map(|renamed| renamed.old_name), Some(Renamed::name_key(&original.name)));
        let with_prefix = Subnet { name: "third".to_owned(), prefix: plan.subnets[3].prefix, ..original.clone() };
        assert_eq!(apply(&mut plan, Edit::Replace(Element::Subnet(with_prefix))).expect("an edit").change().renamed, None);
        let other = Subnet { name: "fourth".to_owned(), ..plan.subnets[3].clone() };
        let both = apply(&mut plan, Edit::Batch(vec![renamed("fifth"), Edit::Replace(Element::Subnet(other))])).expect("two subnets renamed");
        assert_eq!(both.change().renamed, None);
    }
}
