//! Look-ups over a plan, built once in linear time, so that rules and simulations over plans of
//! 100,000 prefixes never search a list inside a loop.
//!
//! Every reference is resolved once, to the position of the element it names, and relations
//! (the subnets of a network, the machines of a subnet) are stored as dense groups by position.
//! Asking about an element the caller holds (`subnets_of(network)`) then costs no hashing at all:
//! the element's position comes from its address in the plan's list.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rustc_hash::FxBuildHasher;

use super::*;

/// A plan with its references resolved and its relations grouped.
pub struct PlanIndex<'a> {
    pub plan: &'a Plan,
    network_side: NetworkSide<'a>,
    subnet_side: SubnetSide<'a>,
}

/// Positions of elements by id (the first element, should an id repeat). The table holds
/// positions only, hashed by the id of the element there: 8 bytes a slot instead of a string
/// slice and a position, so the table of 81,000 subnets stays in the cache.
struct Positions<'a, T> {
    items: &'a [T],
    id: fn(&T) -> &str,
    by_id: HashTable<usize>,
    unique: bool,
}

fn hash_id(id: &str) -> u64 {
    FxBuildHasher.hash_one(id)
}

impl<'a, T> Positions<'a, T> {
    fn new(items: &'a [T], id: fn(&T) -> &str) -> Self {
        let mut by_id = HashTable::with_capacity(items.len());
        let mut unique = true;
        for (position, item) in items.iter().enumerate() {
            let key = id(item);
            let same_id = |&other: &usize| id(&items[other]) == key;
            match by_id.entry(hash_id(key), same_id, |&other| hash_id(id(&items[other]))) {
                Entry::Occupied(_) => unique = false,
                Entry::Vacant(slot) => {
                    slot.insert(position);
                }
            }
        }
        Self { items, id, by_id, unique }
    }

    /// True when no id repeats (plans that load, and edits, never repeat one).
    fn ids_are_unique(&self) -> bool {
        self.unique
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.by_id.find(hash_id(id), |&position| (self.id)(&self.items[position]) == id).copied()
    }

    fn item(&self, id: &str) -> Option<&'a T> {
        self.get(id).map(|position| &self.items[position])
    }
}

/// Resolves ids to positions. Plans list elements near what they refer to (the subnets of a
/// network one after another, machines in the order of their subnets), so the position resolved
/// last, and the one after it, are tried before the hash map: a string comparison on memory
/// just read instead of a hash look-up that misses the cache.
/// With repeated ids a guess could find another element than the hash map, so it guesses only
/// when ids are unique.
struct Resolver<'p, 'a, T> {
    positions: &'p Positions<'a, T>,
    guess: bool,
    last: usize,
}

impl<'p, 'a, T> Resolver<'p, 'a, T> {
    fn new(positions: &'p Positions<'a, T>) -> Self {
        Self { positions, guess: positions.ids_are_unique(), last: 0 }
    }

    fn resolve(&mut self, id: &str) -> Option<usize> {
        let Positions { items, id: id_of, .. } = self.positions;
        let guessed = [self.last, self.last + 1].into_iter().filter(|_| self.guess).find(|&guess| items.get(guess).is_some_and(|item| id_of(item) == id));
        let found = guessed.or_else(|| self.positions.get(id));
        if let Some(position) = found {
            self.last = position;
        }
        found
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
fn follow<'a, T, U>(items: &[T], item: &T, resolved: &[Option<usize>], targets: &'a [U], by_id: impl FnOnce() -> Option<&'a U>) -> Option<&'a U> {
    match position_in(items, item) {
        Some(position) => resolved[position].map(|target| &targets[target]),
        None => by_id(),
    }
}

/// Items grouped under dense keys `0..keys`, in the order given within each key; one counting
/// sort, two allocations for all the groups together.
pub(crate) struct Groups<T> {
    starts: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy> Groups<T> {
    /// Groups `(key, item)` entries; the entries are walked twice (count, then place), so no
    /// list of them is ever made.
    pub(crate) fn new(keys: usize, entries: impl Iterator<Item = (usize, T)> + Clone) -> Self {
        let mut starts = vec![0; keys + 1];
        let (mut count, mut filler) = (0, None);
        for (key, item) in entries.clone() {
            starts[key + 1] += 1;
            count += 1;
            filler.get_or_insert(item);
        }
        for key in 0..keys {
            starts[key + 1] += starts[key];
        }
        let Some(filler) = filler else { return Self { starts, items: Vec::new() } };
        let mut next = starts.clone();
        let mut items = vec![filler; count];
        for (key, item) in entries {
            items[next[key]] = item;
            next[key] += 1;
        }
        Self { starts, items }
    }

    pub(crate) fn get(&self, key: usize) -> &[T] {
        match (self.starts.get(key), self.starts.get(key + 1)) {
            (Some(&start), Some(&end)) => &self.items[start..end],
            _ => &[],
        }
    }
}

/// Elements grouped by the position of the element they refer to, in plan order.
fn group_by_position<'a, T>(items: &'a [T], positions: &[Option<usize>], keys: usize) -> Groups<&'a T> {
    Groups::new(keys, positions.iter().zip(items).filter_map(|(position, item)| Some(((*position)?, item))))
}

/// The part of the index that hangs off networks: sites, networks, circuits, the network of
/// each subnet, the ends of each connection, and the mappings.
struct NetworkSide<'a> {
    sites: Positions<'a, Site>,
    networks: Positions<'a, Network>,
    circuits: Positions<'a, Circuit>,
    connections: Positions<'a, Connection>,
    /// For each network, the position of its site.
    network_site: Vec<Option<usize>>,
    /// For each subnet, the position of its network.
    subnet_network: Vec<Option<usize>>,
    /// For each connection, the positions of the networks at its two ends (no far end for an
    /// ExpressRoute connection).
    connection_ends: Vec<(Option<usize>, Option<usize>)>,
    subnets_by_network: Groups<&'a Subnet>,
    /// Every connection under each network it touches (links between two networks under both
    /// ends, ExpressRoute connections under their network).
    connections_by_network: Groups<&'a Connection>,
    /// For each source network, the recovery network it fails over into (its id, and its
    /// position when it names a network of the plan).
    mapping: Vec<Option<(&'a NetworkId, Option<usize>)>>,
}

impl<'a> NetworkSide<'a> {
    fn new(plan: &'a Plan) -> Self {
        let sites = Positions::new(&plan.sites, |site| site.id.as_str());
        let networks = Positions::new(&plan.networks, |network| network.id.as_str());
        let circuits = Positions::new(&plan.circuits, |circuit| circuit.id.as_str());
        let connections = Positions::new(&plan.connections, |connection| connection.id.as_str());
        let mut resolver = Resolver::new(&sites);
        let network_site = plan.networks.iter().map(|network| resolver.resolve(network.site.as_str())).collect();
        let mut resolver = Resolver::new(&networks);
        let subnet_network: Vec<Option<usize>> = plan.subnets.iter().map(|subnet| resolver.resolve(subnet.network.as_str())).collect();
        // One resolver per field: the near ends of consecutive connections follow one another,
        // and their far ends repeat (the spokes of one hub).
        let (mut near, mut far) = (Resolver::new(&networks), Resolver::new(&networks));
        let connection_ends: Vec<(Option<usize>, Option<usize>)> = plan
            .connections
            .iter()
            .map(|connection| {
                let from = near.resolve(connection.from.as_str());
                (from, connection.to_network().and_then(|to| far.resolve(to.as_str())))
            })
            .collect();
        let mut connection_entries = Vec::with_capacity(plan.connections.len() * 2);
        for (connection, &(from, to)) in plan.connections.iter().zip(&connection_ends) {
            connection_entries.extend(from.map(|from| (from, connection)));
            connection_entries.extend(to.filter(|to| Some(*to) != from).map(|to| (to, connection)));
        }
        let mut mapping = vec![None; plan.networks.len()];
        let (mut sources, mut targets) = (Resolver::new(&networks), Resolver::new(&networks));
        for network_mapping in &plan.network_mappings {
            if let Some(source) = sources.resolve(network_mapping.source.as_str()) {
                let target = targets.resolve(network_mapping.target.as_str());
                mapping[source].get_or_insert((&network_mapping.target, target));
            }
        }
        Self {
            subnets_by_network: group_by_position(&plan.subnets, &subnet_network, plan.networks.len()),
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
struct SubnetSide<'a> {
    subnets: Positions<'a, Subnet>,
    /// For each machine, the positions of its subnet and of its failover target subnet.
    machine_subnet: Vec<Option<usize>>,
    machine_target_subnet: Vec<Option<usize>>,
    machines_by_subnet: Groups<&'a Machine>,
    machines_by_target_subnet: Groups<&'a Machine>,
}

impl<'a> SubnetSide<'a> {
    fn new(plan: &'a Plan) -> Self {
        let subnets = Positions::new(&plan.subnets, |subnet| subnet.id.as_str());
        // The subnets machines are in, and those they fail over into: independent, so on two
        // cores (this half of the index is the longer one).
        let resolve_all = |subnet_of: fn(&Machine) -> Option<&SubnetId>| {
            let mut resolver = Resolver::new(&subnets);
            let positions: Vec<Option<usize>> = plan.machines.iter().map(|machine| resolver.resolve(subnet_of(machine)?.as_str())).collect();
            let groups = group_by_position(&plan.machines, &positions, plan.subnets.len());
            (positions, groups)
        };
        let ((machine_subnet, machines_by_subnet), (machine_target_subnet, machines_by_target_subnet)) =
            rayon::join(|| resolve_all(|machine| Some(&machine.subnet)), || resolve_all(|machine| machine.target.as_ref().map(|target| &target.subnet)));
        Self { machines_by_subnet, machines_by_target_subnet, subnets, machine_subnet, machine_target_subnet }
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

impl<'a> PlanIndex<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        // Two independent halves, one per core: what hangs off networks, and what hangs off
        // subnets.
        let (network_side, subnet_side) = rayon::join(|| NetworkSide::new(plan), || SubnetSide::new(plan));
        Self { plan, network_side, subnet_side }
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

    pub fn site(&self, id: &SiteId) -> Option<&'a Site> {
        self.network_side.sites.item(id.as_str())
    }

    pub fn network(&self, id: &NetworkId) -> Option<&'a Network> {
        self.network_side.networks.item(id.as_str())
    }

    pub fn subnet(&self, id: &SubnetId) -> Option<&'a Subnet> {
        self.subnet_side.subnets.item(id.as_str())
    }

    pub fn circuit(&self, id: &CircuitId) -> Option<&'a Circuit> {
        self.network_side.circuits.item(id.as_str())
    }

    pub fn connection(&self, id: &ConnectionId) -> Option<&'a Connection> {
        self.network_side.connections.item(id.as_str())
    }

    /// The position of a network of this plan in `plan.networks`.
    pub fn network_position(&self, network: &Network) -> Option<usize> {
        position_in(&self.plan.networks, network).or_else(|| self.network_side.networks.get(network.id.as_str()))
    }

    /// The position of a subnet of this plan in `plan.subnets`.
    pub fn subnet_position(&self, subnet: &Subnet) -> Option<usize> {
        position_in(&self.plan.subnets, subnet).or_else(|| self.subnet_side.subnets.get(subnet.id.as_str()))
    }

    /// The position in `plan.networks` of the network a subnet belongs to.
    pub fn network_position_of(&self, subnet: &Subnet) -> Option<usize> {
        match position_in(&self.plan.subnets, subnet) {
            Some(position) => self.network_side.subnet_network[position],
            None => self.network_side.networks.get(subnet.network.as_str()),
        }
    }

    /// The subnets of a network, in plan order.
    pub fn subnets_of(&self, network: &Network) -> &[&'a Subnet] {
        self.network_position(network).map_or(&[], |position| self.network_side.subnets_by_network.get(position))
    }

    /// The machines whose NIC is in a subnet, in plan order.
    pub fn machines_in(&self, subnet: &Subnet) -> &[&'a Machine] {
        self.subnet_position(subnet).map_or(&[], |position| self.subnet_side.machines_by_subnet.get(position))
    }

    /// The machines that fail over into a subnet, in plan order.
    pub fn machines_targeting(&self, subnet: &Subnet) -> &[&'a Machine] {
        self.subnet_position(subnet).map_or(&[], |position| self.subnet_side.machines_by_target_subnet.get(position))
    }

    /// The connections that touch a network, in plan order.
    pub fn links_of(&self, network: &Network) -> &[&'a Connection] {
        self.network_position(network).map_or(&[], |position| self.network_side.connections_by_network.get(position))
    }

    /// The connections that join two networks, in either direction, in plan order.
    pub fn connections_between<'s>(&'s self, a: &Network, b: &Network) -> impl Iterator<Item = &'a Connection> + 's {
        let ends = self.network_position(a).zip(self.network_position(b));
        let links = ends.map_or(&[][..], |(a, _)| self.network_side.connections_by_network.get(a));
        links.iter().copied().filter(move |connection| {
            let (x, y) = self.ends_at(connection);
            let (a, b) = (ends.map(|(a, _)| a), ends.map(|(_, b)| b));
            y.is_some() && ((x == a && y == b) || (x == b && y == a))
        })
    }

    /// The positions of the networks at the two ends of a connection.
    fn ends_at(&self, connection: &Connection) -> (Option<usize>, Option<usize>) {
        match position_in(&self.plan.connections, connection) {
            Some(position) => self.network_side.connection_ends[position],
            None => {
                (self.network_side.networks.get(connection.from.as_str()), connection.to_network().and_then(|to| self.network_side.networks.get(to.as_str())))
            }
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
        self.network_side.networks.get(source.as_str()).and_then(|position| self.network_side.mapping[position]).map(|(target, _)| target)
    }

    /// The recovery network a source network is mapped to, when the mapping names a network
    /// of the plan.
    pub fn recovery_network_of(&self, source: &Network) -> Option<&'a Network> {
        let (_, target) = self.network_side.mapping[self.network_position(source)?]?;
        target.map(|target| &self.plan.networks[target])
    }

    /// The site a network belongs to.
    pub fn site_of(&self, network: &Network) -> Option<&'a Site> {
        let plan = self.plan;
        follow(&plan.networks, network, &self.network_side.network_site, &plan.sites, || self.site(&network.site))
    }

    /// The network a subnet belongs to.
    pub fn network_of(&self, subnet: &Subnet) -> Option<&'a Network> {
        let plan = self.plan;
        follow(&plan.subnets, subnet, &self.network_side.subnet_network, &plan.networks, || self.network(&subnet.network))
    }

    /// The network of the subnet with this id.
    pub fn network_of_subnet(&self, subnet: &SubnetId) -> Option<&'a Network> {
        self.subnet(subnet).and_then(|subnet| self.network_of(subnet))
    }

    /// The subnet a machine's NIC is in.
    pub fn subnet_of(&self, machine: &Machine) -> Option<&'a Subnet> {
        let plan = self.plan;
        follow(&plan.machines, machine, &self.subnet_side.machine_subnet, &plan.subnets, || self.subnet(&machine.subnet))
    }

    /// The subnet a machine fails over into.
    pub fn target_subnet_of(&self, machine: &Machine) -> Option<&'a Subnet> {
        let plan = self.plan;
        let by_id = || machine.target.as_ref().and_then(|target| self.subnet(&target.subnet));
        follow(&plan.machines, machine, &self.subnet_side.machine_target_subnet, &plan.subnets, by_id)
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
    fn groups_keep_plan_order_within_each_key() {
        let groups = Groups::new(3, [(2, 'a'), (0, 'b'), (2, 'c'), (0, 'd')].into_iter());
        assert_eq!(groups.get(0), &['b', 'd']);
        assert_eq!(groups.get(1), &[] as &[char]);
        assert_eq!(groups.get(2), &['a', 'c']);
        assert_eq!(groups.get(3), &[] as &[char]);
    }
}
