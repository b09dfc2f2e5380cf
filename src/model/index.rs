//! Look-ups over a plan, built once in linear time, so that rules and simulations over plans of
//! 100,000 prefixes never search a list inside a loop.
//!
//! Every reference is resolved once, to the position of the element it names, and relations
//! (the subnets of a network, the machines of a subnet) are stored as dense groups by position.
//! Asking about an element the caller holds (`subnets_of(network)`) then costs no hashing at all:
//! the element's position comes from its address in the plan's list.

use std::borrow::Cow;
use std::hash::BuildHasher;
use std::sync::Arc;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rustc_hash::FxBuildHasher;

use super::groups::{Groups, Members, Position, stored};
use super::*;

/// A plan with its references resolved and its relations grouped: the plan, and the index's
/// tables, built for it or kept from before an edit that changed no id and no reference
/// ([`KeptIndex`]).
pub struct PlanIndex<'a> {
    pub plan: &'a Plan,
    tables: Cow<'a, IndexTables>,
}

/// The tables of a plan's index: positions only, no borrowed references, so a document can keep
/// them with its plan across edits. They stay true while no element is added or removed and no
/// id or reference changes (`Change::structure` is empty), which is most edits: an address, a
/// setting, a name.
#[derive(Clone)]
pub struct IndexTables {
    /// The lengths of the plan's lists when the tables were built: tables of lists of other
    /// lengths are never read.
    lengths: [usize; 7],
    network_side: NetworkSide,
    subnet_side: SubnetSide,
}

/// Positions of elements by id (the first element, should an id repeat). The table holds
/// positions only, hashed by the id of the element there: 4 bytes a slot instead of a string
/// slice and a position, so the table of 81,000 subnets stays in the cache.
struct Positions<T> {
    id: fn(&T) -> &str,
    by_id: HashTable<Position>,
    unique: bool,
}

impl<T> Clone for Positions<T> {
    fn clone(&self) -> Self {
        Self { id: self.id, by_id: self.by_id.clone(), unique: self.unique }
    }
}

fn hash_id(id: &str) -> u64 {
    FxBuildHasher.hash_one(id)
}

impl<T> Positions<T> {
    fn new(items: &[T], id: fn(&T) -> &str) -> Self {
        let mut by_id = HashTable::with_capacity(items.len());
        let mut unique = true;
        for (position, item) in items.iter().enumerate() {
            let key = id(item);
            let same_id = |&other: &Position| id(&items[other as usize]) == key;
            match by_id.entry(hash_id(key), same_id, |&other| hash_id(id(&items[other as usize]))) {
                Entry::Occupied(_) => unique = false,
                Entry::Vacant(slot) => {
                    slot.insert(stored(position));
                }
            }
        }
        Self { id, by_id, unique }
    }

    /// True when no id repeats (plans that load, and edits, never repeat one).
    fn ids_are_unique(&self) -> bool {
        self.unique
    }

    /// The position in `items` (the list the table was built from) of the element with this id.
    fn get(&self, items: &[T], id: &str) -> Option<usize> {
        let found = self.by_id.find(hash_id(id), |&position| items.get(position as usize).is_some_and(|item| (self.id)(item) == id))?;
        Some(*found as usize)
    }

    /// True when this table finds every element of `items` where `other` does.
    fn same_as(&self, other: &Self, items: &[T]) -> bool {
        items.iter().all(|item| {
            let id = (self.id)(item);
            self.get(items, id) == other.get(items, id)
        })
    }

    fn item<'a>(&self, items: &'a [T], id: &str) -> Option<&'a T> {
        self.get(items, id).map(|position| &items[position])
    }
}

/// Resolves ids to positions. Plans list elements near what they refer to (the subnets of a
/// network one after another, machines in the order of their subnets), so the position resolved
/// last, and the one after it, are tried before the hash map: a string comparison on memory
/// just read instead of a hash look-up that misses the cache.
/// With repeated ids a guess could find another element than the hash map, so it guesses only
/// when ids are unique.
struct Resolver<'p, T> {
    positions: &'p Positions<T>,
    items: &'p [T],
    guess: bool,
    last: usize,
}

impl<'p, T> Resolver<'p, T> {
    fn new(positions: &'p Positions<T>, items: &'p [T]) -> Self {
        Self { positions, items, guess: positions.ids_are_unique(), last: 0 }
    }

    fn resolve(&mut self, id: &str) -> Option<Position> {
        let id_of = self.positions.id;
        let items = self.items;
        let guessed = [self.last, self.last + 1].into_iter().filter(|_| self.guess).find(|&guess| items.get(guess).is_some_and(|item| id_of(item) == id));
        let found = guessed.or_else(|| self.positions.get(items, id));
        if let Some(position) = found {
            self.last = position;
        }
        found.map(stored)
    }
}

/// Where an element borrowed from `items` sits in it, from its address; None for an element
/// that does not live in `items` (a copy, or an element of another plan).
pub fn position_in<T>(items: &[T], item: &T) -> Option<usize> {
    let size = std::mem::size_of::<T>();
    let offset = (std::ptr::from_ref(item) as usize).checked_sub(items.as_ptr() as usize)?;
    (size > 0 && offset % size == 0 && offset / size < items.len()).then_some(offset / size)
}

/// The element that `item`'s reference names: through the positions resolved for `items` when
/// `item` lives there, else by its id (`by_id`) for a copy or an element of another plan.
fn follow<'a, T, U>(items: &[T], item: &T, resolved: &[Option<Position>], targets: &'a [U], by_id: impl FnOnce() -> Option<&'a U>) -> Option<&'a U> {
    match position_in(items, item) {
        Some(position) => resolved.get(position).copied().flatten().and_then(|target| targets.get(target as usize)),
        None => by_id(),
    }
}

/// Elements, by their positions, grouped by the position of the element they refer to, in plan
/// order.
fn group_by_position(positions: &[Option<Position>], keys: usize) -> Groups<Position> {
    Groups::new(keys, positions.iter().enumerate().filter_map(|(item, position)| Some(((*position)? as usize, stored(item)))))
}

/// The part of the index that hangs off networks: sites, networks, circuits, the network of
/// each subnet, the ends of each connection, and the mappings.
#[derive(Clone)]
struct NetworkSide {
    sites: Positions<Site>,
    networks: Positions<Network>,
    circuits: Positions<Circuit>,
    connections: Positions<Connection>,
    /// For each network, the position of its site.
    network_site: Vec<Option<Position>>,
    /// For each subnet, the position of its network.
    subnet_network: Vec<Option<Position>>,
    /// For each connection, the positions of the networks at its two ends (no far end for an
    /// ExpressRoute connection).
    connection_ends: Vec<(Option<Position>, Option<Position>)>,
    subnets_by_network: Groups<Position>,
    /// Every connection under each network it touches (links between two networks under both
    /// ends, ExpressRoute connections under their network).
    connections_by_network: Groups<Position>,
    /// For each source network, its first mapping (the mapping's position) and the position of
    /// the recovery network it names, when it names a network of the plan.
    mapping: Vec<Option<(Position, Option<Position>)>>,
}

impl NetworkSide {
    fn new(plan: &Plan) -> Self {
        let sites = Positions::new(&plan.sites, |site| site.id.as_str());
        let networks = Positions::new(&plan.networks, |network| network.id.as_str());
        let circuits = Positions::new(&plan.circuits, |circuit| circuit.id.as_str());
        let connections = Positions::new(&plan.connections, |connection| connection.id.as_str());
        let mut resolver = Resolver::new(&sites, &plan.sites);
        let network_site = plan.networks.iter().map(|network| resolver.resolve(network.site.as_str())).collect();
        let mut resolver = Resolver::new(&networks, &plan.networks);
        let subnet_network: Vec<Option<Position>> = plan.subnets.iter().map(|subnet| resolver.resolve(subnet.network.as_str())).collect();
        // One resolver per field: the near ends of consecutive connections follow one another,
        // and their far ends repeat (the spokes of one hub).
        let (mut near, mut far) = (Resolver::new(&networks, &plan.networks), Resolver::new(&networks, &plan.networks));
        let connection_ends: Vec<(Option<Position>, Option<Position>)> = plan
            .connections
            .iter()
            .map(|connection| {
                let from = near.resolve(connection.from.as_str());
                (from, connection.to_network().and_then(|to| far.resolve(to.as_str())))
            })
            .collect();
        let mut connection_entries = Vec::with_capacity(plan.connections.len() * 2);
        for (connection, &(from, to)) in connection_ends.iter().enumerate() {
            let connection = stored(connection);
            connection_entries.extend(from.map(|from| (from as usize, connection)));
            connection_entries.extend(to.filter(|to| Some(*to) != from).map(|to| (to as usize, connection)));
        }
        let mut mapping = vec![None; plan.networks.len()];
        let (mut sources, mut targets) = (Resolver::new(&networks, &plan.networks), Resolver::new(&networks, &plan.networks));
        for (position, network_mapping) in plan.network_mappings.iter().enumerate() {
            if let Some(source) = sources.resolve(network_mapping.source.as_str()) {
                let target = targets.resolve(network_mapping.target.as_str());
                mapping[source as usize].get_or_insert((stored(position), target));
            }
        }
        Self {
            subnets_by_network: group_by_position(&subnet_network, plan.networks.len()),
            connections_by_network: Groups::new(plan.networks.len(), connection_entries.iter().copied()),
            sites,
            networks,
            circuits,
            connections,
            network_site,
            subnet_network,
            connection_ends,
            mapping,
        }
    }
}

/// The part of the index that hangs off subnets: subnets, and the subnets of each machine.
#[derive(Clone)]
struct SubnetSide {
    subnets: Positions<Subnet>,
    /// For each machine, the positions of its subnet and of its failover target subnet.
    machine_subnet: Vec<Option<Position>>,
    machine_target_subnet: Vec<Option<Position>>,
    machines_by_subnet: Groups<Position>,
    machines_by_target_subnet: Groups<Position>,
}

impl SubnetSide {
    fn new(plan: &Plan) -> Self {
        let subnets = Positions::new(&plan.subnets, |subnet| subnet.id.as_str());
        // The subnets machines are in, and those they fail over into: independent, so on two
        // cores (this half of the index is the longer one).
        let resolve_all = |subnet_of: fn(&Machine) -> Option<&SubnetId>| {
            let mut resolver = Resolver::new(&subnets, &plan.subnets);
            let positions: Vec<Option<Position>> = plan.machines.iter().map(|machine| resolver.resolve(subnet_of(machine)?.as_str())).collect();
            let groups = group_by_position(&positions, plan.subnets.len());
            (positions, groups)
        };
        let ((machine_subnet, machines_by_subnet), (machine_target_subnet, machines_by_target_subnet)) =
            rayon::join(|| resolve_all(|machine| Some(&machine.subnet)), || resolve_all(|machine| machine.target.as_ref().map(|target| &target.subnet)));
        Self { machines_by_subnet, machines_by_target_subnet, subnets, machine_subnet, machine_target_subnet }
    }
}

/// The tables of a plan's index kept with the plan from edit to edit (by a document): read while
/// no change since they were built added or removed an element or changed an id or a reference,
/// built again after one that did.
#[derive(Clone, Default)]
pub struct KeptIndex(Option<Arc<IndexTables>>);

impl KeptIndex {
    /// Notes a change of the plan: one that changed its structure (`Change::structure`) leaves
    /// no tables to keep.
    pub fn changed(&mut self, change: Change) {
        if !change.structure.is_empty() {
            self.0 = None;
        }
    }

    /// The index of `plan`: over the kept tables when there are some, else built.
    pub fn index<'a>(&'a self, plan: &'a Plan) -> PlanIndex<'a> {
        match &self.0 {
            Some(tables) => PlanIndex::with_tables(plan, tables),
            None => PlanIndex::new(plan),
        }
    }

    /// Keeps the tables of an index made by `index`, when it built them.
    pub fn keep(&mut self, built: Option<IndexTables>) {
        if let Some(built) = built {
            self.0 = Some(Arc::new(built));
        }
    }

    /// The tables kept, if any.
    pub fn tables(&self) -> Option<&Arc<IndexTables>> {
        self.0.as_ref()
    }
}

/// An index of a plan: one the caller had, or one built for it (`PlanIndex::reused_for`).
pub enum IndexOf<'i, 'a> {
    Reused(&'i PlanIndex<'a>),
    Built(Box<PlanIndex<'a>>),
}

impl<'a> std::ops::Deref for IndexOf<'_, 'a> {
    type Target = PlanIndex<'a>;

    fn deref(&self) -> &PlanIndex<'a> {
        match self {
            Self::Reused(index) => index,
            Self::Built(index) => index,
        }
    }
}

fn lengths(plan: &Plan) -> [usize; 7] {
    [plan.sites.len(), plan.networks.len(), plan.subnets.len(), plan.machines.len(), plan.circuits.len(), plan.connections.len(), plan.network_mappings.len()]
}

impl IndexTables {
    /// The tables of `plan`'s index.
    pub fn new(plan: &Plan) -> Self {
        // Two independent halves, one per core: what hangs off networks, and what hangs off
        // subnets.
        let (network_side, subnet_side) = rayon::join(|| NetworkSide::new(plan), || SubnetSide::new(plan));
        Self { lengths: lengths(plan), network_side, subnet_side }
    }

    /// True when every look-up of these tables gives, for `plan`, what tables built for it would
    /// give: what a kept index must do, checked against a new one (tests, debug builds).
    pub fn agree_with(&self, plan: &Plan) -> bool {
        let new = Self::new(plan);
        let (kept, built) = ((&self.network_side, &self.subnet_side), (&new.network_side, &new.subnet_side));
        self.lengths == new.lengths
            && kept.0.network_site == built.0.network_site
            && kept.0.subnet_network == built.0.subnet_network
            && kept.0.connection_ends == built.0.connection_ends
            && kept.0.mapping == built.0.mapping
            && kept.0.subnets_by_network == built.0.subnets_by_network
            && kept.0.connections_by_network == built.0.connections_by_network
            && kept.1.machine_subnet == built.1.machine_subnet
            && kept.1.machine_target_subnet == built.1.machine_target_subnet
            && kept.1.machines_by_subnet == built.1.machines_by_subnet
            && kept.1.machines_by_target_subnet == built.1.machines_by_target_subnet
            && kept.0.sites.same_as(&built.0.sites, &plan.sites)
            && kept.0.networks.same_as(&built.0.networks, &plan.networks)
            && kept.0.circuits.same_as(&built.0.circuits, &plan.circuits)
            && kept.0.connections.same_as(&built.0.connections, &plan.connections)
            && kept.1.subnets.same_as(&built.1.subnets, &plan.subnets)
    }
}

impl<'a> PlanIndex<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        Self { plan, tables: Cow::Owned(IndexTables::new(plan)) }
    }

    /// The index of `plan` with tables kept from before its latest edits: the caller vouches that
    /// none of them added or removed an element or changed an id or a reference
    /// (`Change::structure`; `KeptIndex` does). Tables of lists of other lengths are not used:
    /// new ones are built.
    fn with_tables(plan: &'a Plan, tables: &'a IndexTables) -> Self {
        if tables.lengths != lengths(plan) {
            return Self::new(plan);
        }
        debug_assert!(tables.agree_with(plan), "tables kept across an edit that changed the plan's structure");
        Self { plan, tables: Cow::Borrowed(tables) }
    }

    /// The tables this index built, to keep with the plan for the next edits (`KeptIndex`);
    /// None when it was given them.
    pub fn into_tables(self) -> Option<IndexTables> {
        match self.tables {
            Cow::Owned(tables) => Some(tables),
            Cow::Borrowed(_) => None,
        }
    }

    /// True when this indexes `plan` itself, not a copy of it or another plan: what lets work
    /// on the plan's simulation, recovery plan and validation share one index.
    pub fn indexes(&self, plan: &Plan) -> bool {
        std::ptr::eq(self.plan, plan)
    }

    /// This index when it indexes `plan` itself, else a new index of `plan`: work handed the
    /// plan's index and a network that may be another (a failback's outcome starts from the
    /// network its failover left) reads one index either way.
    pub fn reused_for<'i>(&'i self, plan: &'a Plan) -> IndexOf<'i, 'a> {
        if self.indexes(plan) { IndexOf::Reused(self) } else { IndexOf::Built(Box::new(PlanIndex::new(plan))) }
    }

    fn networks(&self) -> &NetworkSide {
        &self.tables.network_side
    }

    fn subnets(&self) -> &SubnetSide {
        &self.tables.subnet_side
    }

    pub fn site(&self, id: &SiteId) -> Option<&'a Site> {
        self.networks().sites.item(&self.plan.sites, id.as_str())
    }

    pub fn network(&self, id: &NetworkId) -> Option<&'a Network> {
        self.networks().networks.item(&self.plan.networks, id.as_str())
    }

    pub fn subnet(&self, id: &SubnetId) -> Option<&'a Subnet> {
        self.subnets().subnets.item(&self.plan.subnets, id.as_str())
    }

    pub fn circuit(&self, id: &CircuitId) -> Option<&'a Circuit> {
        self.networks().circuits.item(&self.plan.circuits, id.as_str())
    }

    pub fn connection(&self, id: &ConnectionId) -> Option<&'a Connection> {
        self.networks().connections.item(&self.plan.connections, id.as_str())
    }

    /// The position of a network of this plan in `plan.networks`.
    pub fn network_position(&self, network: &Network) -> Option<usize> {
        position_in(&self.plan.networks, network).or_else(|| self.networks().networks.get(&self.plan.networks, network.id.as_str()))
    }

    /// The position of a subnet of this plan in `plan.subnets`.
    pub fn subnet_position(&self, subnet: &Subnet) -> Option<usize> {
        position_in(&self.plan.subnets, subnet).or_else(|| self.subnets().subnets.get(&self.plan.subnets, subnet.id.as_str()))
    }

    /// The position in `plan.networks` of the network a subnet belongs to.
    pub fn network_position_of(&self, subnet: &Subnet) -> Option<usize> {
        match position_in(&self.plan.subnets, subnet) {
            Some(position) => self.networks().subnet_network[position].map(|network| network as usize),
            None => self.networks().networks.get(&self.plan.networks, subnet.network.as_str()),
        }
    }

    /// The subnets of a network, in plan order.
    pub fn subnets_of(&self, network: &Network) -> Members<'_, 'a, Subnet> {
        self.network_position(network)
            .map_or(Members::NONE, |position| Members { items: &self.plan.subnets, positions: self.networks().subnets_by_network.get(position) })
    }

    /// The machines whose NIC is in a subnet, in plan order.
    pub fn machines_in(&self, subnet: &Subnet) -> Members<'_, 'a, Machine> {
        self.subnet_position(subnet)
            .map_or(Members::NONE, |position| Members { items: &self.plan.machines, positions: self.subnets().machines_by_subnet.get(position) })
    }

    /// The machines that fail over into a subnet, in plan order.
    pub fn machines_targeting(&self, subnet: &Subnet) -> Members<'_, 'a, Machine> {
        self.subnet_position(subnet)
            .map_or(Members::NONE, |position| Members { items: &self.plan.machines, positions: self.subnets().machines_by_target_subnet.get(position) })
    }

    /// The connections that touch a network, in plan order.
    pub fn links_of(&self, network: &Network) -> Members<'_, 'a, Connection> {
        self.network_position(network)
            .map_or(Members::NONE, |position| Members { items: &self.plan.connections, positions: self.networks().connections_by_network.get(position) })
    }

    /// The connections that join two networks, in either direction, in plan order.
    pub fn connections_between<'s>(&'s self, a: &Network, b: &Network) -> impl Iterator<Item = &'a Connection> + 's {
        let ends = self.network_position(a).zip(self.network_position(b));
        let links = ends.map_or(Members::NONE, |(a, _)| Members { items: &self.plan.connections, positions: self.networks().connections_by_network.get(a) });
        links.into_iter().filter(move |connection| {
            let (x, y) = self.ends_at(connection);
            let (a, b) = (ends.map(|(a, _)| a), ends.map(|(_, b)| b));
            y.is_some() && ((x == a && y == b) || (x == b && y == a))
        })
    }

    /// The positions of the networks at the two ends of a connection.
    fn ends_at(&self, connection: &Connection) -> (Option<usize>, Option<usize>) {
        let networks = self.networks();
        match position_in(&self.plan.connections, connection) {
            Some(position) => {
                let (from, to) = networks.connection_ends[position];
                (from.map(|from| from as usize), to.map(|to| to as usize))
            }
            None => (
                networks.networks.get(&self.plan.networks, connection.from.as_str()),
                connection.to_network().and_then(|to| networks.networks.get(&self.plan.networks, to.as_str())),
            ),
        }
    }

    /// The networks at the two ends of a connection: where it starts, and the network at its far
    /// end (None for an ExpressRoute connection, or an end that names no network).
    pub fn ends_of(&self, connection: &Connection) -> (Option<&'a Network>, Option<&'a Network>) {
        let (from, to) = self.ends_at(connection);
        (from.map(|from| &self.plan.networks[from]), to.map(|to| &self.plan.networks[to]))
    }

    /// The id of the recovery network a source network is mapped to.
    pub fn mapped_target(&self, source: &NetworkId) -> Option<&'a NetworkId> {
        let networks = self.networks();
        let (mapping, _) = networks.mapping[networks.networks.get(&self.plan.networks, source.as_str())?]?;
        self.plan.network_mappings.get(mapping as usize).map(|mapping| &mapping.target)
    }

    /// The recovery network a source network is mapped to, when the mapping names a network
    /// of the plan.
    pub fn recovery_network_of(&self, source: &Network) -> Option<&'a Network> {
        let (_, target) = self.networks().mapping[self.network_position(source)?]?;
        self.plan.networks.get(target? as usize)
    }

    /// The site a network belongs to.
    pub fn site_of(&self, network: &Network) -> Option<&'a Site> {
        let plan = self.plan;
        follow(&plan.networks, network, &self.networks().network_site, &plan.sites, || self.site(&network.site))
    }

    /// The network a subnet belongs to.
    pub fn network_of(&self, subnet: &Subnet) -> Option<&'a Network> {
        let plan = self.plan;
        follow(&plan.subnets, subnet, &self.networks().subnet_network, &plan.networks, || self.network(&subnet.network))
    }

    /// The network of the subnet with this id.
    pub fn network_of_subnet(&self, subnet: &SubnetId) -> Option<&'a Network> {
        self.subnet(subnet).and_then(|subnet| self.network_of(subnet))
    }

    /// The subnet a machine's NIC is in.
    pub fn subnet_of(&self, machine: &Machine) -> Option<&'a Subnet> {
        let plan = self.plan;
        follow(&plan.machines, machine, &self.subnets().machine_subnet, &plan.subnets, || self.subnet(&machine.subnet))
    }

    /// The subnet a machine fails over into.
    pub fn target_subnet_of(&self, machine: &Machine) -> Option<&'a Subnet> {
        let plan = self.plan;
        let by_id = || machine.target.as_ref().and_then(|target| self.subnet(&target.subnet));
        follow(&plan.machines, machine, &self.subnets().machine_target_subnet, &plan.subnets, by_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_come_from_the_plan_itself_and_copies_fall_back_to_ids() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 200, seed: 3, faults: 0 }).plan;
        let index = PlanIndex::new(&plan);
        let subnet = &plan.subnets[17];
        assert_eq!(index.subnet_position(subnet), Some(17));
        let copy = subnet.clone();
        assert_eq!(index.subnet_position(&copy), Some(17), "a copy is found by its id");
        let network = index.network_of(subnet).expect("the subnet's network");
        assert_eq!(network.id, subnet.network);
        assert_eq!(index.network_of(&copy).map(|network| &network.id), Some(&subnet.network));
        assert!(index.subnets_of(network).iter().any(|other| other.id == subnet.id));
        let stranger = Subnet { id: "not-in-the-plan".into(), ..copy };
        assert_eq!(index.subnet_position(&stranger), None);
        assert!(index.machines_in(&stranger).is_empty());
    }

    #[test]
    fn a_repeated_id_resolves_to_the_first_element_as_a_look_up_by_id_does() {
        // Loading and editing refuse repeated ids; the index must still agree with itself.
        let mut plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 200, seed: 3, faults: 0 }).plan;
        let first = plan.networks[0].clone();
        plan.networks.push(first.clone());
        let mut subnet = plan.subnets[0].clone();
        subnet.id = "sub-late".into();
        subnet.network = first.id.clone();
        plan.subnets.push(subnet);
        let index = PlanIndex::new(&plan);
        let late = plan.subnets.last().expect("the late subnet");
        assert!(std::ptr::eq(index.network_of(late).expect("its network"), &plan.networks[0]));
        assert!(index.subnets_of(&plan.networks[0]).iter().any(|subnet| subnet.id == late.id));
    }

    #[test]
    fn connections_between_a_network_and_one_outside_the_plan_are_none() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 200, seed: 3, faults: 0 }).plan;
        let index = PlanIndex::new(&plan);
        let connection = plan.connections.iter().find(|connection| connection.to_network().is_some()).expect("a peering");
        let (from, to) = index.ends_of(connection);
        let (from, to) = (from.expect("from"), to.expect("to"));
        assert_eq!(index.connections_between(from, to).count(), 1);
        assert_eq!(index.connections_between(to, from).count(), 1);
        let stranger = Network { id: "net-elsewhere".into(), ..from.clone() };
        assert_eq!(index.connections_between(from, &stranger).count(), 0);
        assert_eq!(index.connections_between(&stranger, to).count(), 0);
    }

    #[test]
    fn tables_kept_across_an_edit_of_properties_index_the_edited_plan_and_no_others() {
        let mut plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 200, seed: 3, faults: 0 }).plan;
        let tables = PlanIndex::new(&plan).into_tables().expect("a new index builds its tables");
        plan.machines[3].ip = "10.250.0.9".parse().expect("an address");
        plan.subnets[5].name = "renamed".to_owned();
        assert!(tables.agree_with(&plan), "an address and a name are not indexed");
        let index = PlanIndex::with_tables(&plan, &tables);
        assert_eq!(index.subnet(&plan.subnets[5].id).map(|subnet| subnet.name.as_str()), Some("renamed"));
        assert!(index.into_tables().is_none(), "the kept tables are read, none built");

        let mut moved = plan.clone();
        let elsewhere = moved.networks.iter().find(|network| network.id != moved.subnets[5].network).expect("another network").id.clone();
        moved.subnets[5].network = elsewhere;
        assert!(!tables.agree_with(&moved), "a subnet that changed networks is seen");
        let mut renamed_id = plan.clone();
        renamed_id.sites[0].id = "site-renamed".into();
        assert!(!tables.agree_with(&renamed_id), "an id that changed is seen");

        let mut longer = plan.clone();
        let mut added = plan.subnets[5].clone();
        added.id = "sub-added".into();
        longer.subnets.push(added);
        let index = PlanIndex::with_tables(&longer, &tables);
        assert!(index.subnet(&"sub-added".into()).is_some());
        assert!(index.into_tables().is_some(), "tables of shorter lists are not read: new ones are built");
    }
}
