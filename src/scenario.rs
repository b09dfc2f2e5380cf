//! What a failover scenario moves: which machines are in its scope, where each one comes from
//! and goes to, and with which address. Shared by the validator's scenario rules, the IP
//! retention verdicts and the simulation.

use std::net::IpAddr;

use rustc_hash::FxHashMap as HashMap;

use crate::model::*;

/// One machine's move in a scenario.
#[derive(Clone, Debug)]
pub struct Move<'a> {
    pub machine: &'a Machine,
    /// The subnet the machine runs in before the scenario.
    pub from_subnet: &'a Subnet,
    /// The subnet it runs in afterwards; None when no subnet of the destination network fits
    /// (a test network without a matching subnet).
    pub to_subnet: Option<&'a Subnet>,
    /// Its address before the scenario.
    pub ip_before: IpAddr,
    /// Its address afterwards; None when the replication service allocates one.
    pub ip_after: Option<IpAddr>,
}

impl Move<'_> {
    /// True when the machine comes up with the address it had.
    pub fn keeps_ip(&self) -> bool {
        self.ip_after == Some(self.ip_before)
    }
}

/// The machines a scenario moves, grouped for the questions rules ask of them.
pub struct Moves<'a> {
    /// Every move, in plan order.
    pub all: Vec<Move<'a>>,
    /// The plan's machines, and for each one whether the scenario moves it.
    machines: &'a [Machine],
    moved: Vec<bool>,
    /// Source subnets in order of first appearance, and under each one's slot the indexes of
    /// its moves.
    subnets: Vec<&'a Subnet>,
    by_subnet: Groups<usize>,
}

impl<'a> Moves<'a> {
    fn new(machines: &'a [Machine], subnets_of_plan: &'a [Subnet], all: Vec<Move<'a>>) -> Self {
        let mut moved = vec![false; machines.len()];
        for one in &all {
            if let Some(position) = position_in(machines, one.machine) {
                moved[position] = true;
            }
        }
        // Each move's subnet slot, in order of first appearance, then the moves grouped by slot
        // in plan order. A subnet of the plan finds its slot by its position; one from
        // elsewhere (a copy) by its address.
        let mut subnets: Vec<&Subnet> = Vec::new();
        let mut slot_by_position: Vec<Option<usize>> = vec![None; subnets_of_plan.len()];
        let mut slot_of_other: HashMap<*const Subnet, usize> = HashMap::default();
        let entries: Vec<(usize, usize)> = all
            .iter()
            .enumerate()
            .map(|(index, moved)| {
                let subnet = moved.from_subnet;
                let new_slot = || {
                    subnets.push(subnet);
                    subnets.len() - 1
                };
                let slot = match position_in(subnets_of_plan, subnet) {
                    Some(position) => *slot_by_position[position].get_or_insert_with(new_slot),
                    None => *slot_of_other.entry(std::ptr::from_ref(subnet)).or_insert_with(new_slot),
                };
                (slot, index)
            })
            .collect();
        let by_subnet = Groups::new(subnets.len(), entries.iter().copied());
        Self { all, machines, moved, subnets, by_subnet }
    }

    /// True when the scenario moves this machine.
    pub fn contains(&self, machine: &Machine) -> bool {
        match position_in(self.machines, machine) {
            Some(position) => self.moved[position],
            None => self.all.iter().any(|moved| moved.machine.id == machine.id),
        }
    }

    /// The source subnets the scenario moves machines out of, each with those moves.
    pub fn by_subnet(&self) -> impl Iterator<Item = (&'a Subnet, Vec<&Move<'a>>)> + '_ {
        self.subnets.iter().enumerate().map(|(slot, subnet)| (*subnet, self.by_subnet.get(slot).iter().map(|index| &self.all[*index]).collect()))
    }

    /// The networks the scenario moves machines out of, in order of first appearance, each with
    /// its subnets that machines leave.
    pub fn networks_left(&self, plan: &PlanIndex<'a>) -> Vec<(&'a Network, Vec<&'a Subnet>)> {
        let mut left: Vec<(&Network, Vec<&Subnet>)> = Vec::new();
        let mut position: HashMap<*const Network, usize> = HashMap::default();
        for subnet in &self.subnets {
            let Some(network) = plan.network_of(subnet) else { continue };
            let slot = *position.entry(std::ptr::from_ref(network)).or_insert_with(|| {
                left.push((network, Vec::new()));
                left.len() - 1
            });
            left[slot].1.push(subnet);
        }
        left
    }
}

/// The machines a scenario moves, with where they go.
///
/// Failover moves protected machines that run at `from_site` into their target subnets; a test
/// failover moves them into the test network instead (into the subnet with the target subnet's
/// name, else the one holding the address); failback moves machines running at `from_site`
/// after an earlier failover back into their source subnets.
pub fn moves<'a>(plan: &PlanIndex<'a>, scenario: &Scenario) -> Moves<'a> {
    let machines = &plan.plan.machines;
    let all = crate::memory::par_filter_map(machines, |machine| move_of(plan, scenario, machine));
    Moves::new(machines, &plan.plan.subnets, all)
}

/// The machines that run in a subnet before a scenario: those whose NIC is there (failover),
/// or those whose target is there (failback).
pub fn machines_before<'s, 'a>(plan: &'s PlanIndex<'a>, scenario: &Scenario, subnet: &Subnet) -> Members<'s, 'a, Machine> {
    match scenario.direction {
        Direction::Failover => plan.machines_in(subnet),
        Direction::Failback => plan.machines_targeting(subnet),
    }
}

/// Where `scenario` moves `machine` (one of the plan's, or a copy of one as it was), if it does.
pub fn move_of<'a>(plan: &PlanIndex<'a>, scenario: &Scenario, machine: &'a Machine) -> Option<Move<'a>> {
    let target = machine.target.as_ref()?;
    let source_subnet = plan.subnet_of(machine)?;
    let target_subnet = plan.target_subnet_of(machine)?;
    let target_ip = target.ip.address(machine.ip);
    let (from_subnet, to_subnet, ip_before, ip_after) = match scenario.direction {
        Direction::Failover => (source_subnet, Some(target_subnet), machine.ip, Some(target_ip)),
        Direction::Failback => (target_subnet, Some(source_subnet), target_ip, Some(machine.ip)),
    };
    let from_site = &plan.network_of(from_subnet)?.site;
    if from_site != &scenario.from_site || !in_scope(&scenario.scope, machine, source_subnet, target_subnet) {
        return None;
    }
    if scenario.failover_type == FailoverType::Test {
        let Some(test_network) = scenario.test_network.as_ref().and_then(|id| plan.network(id)) else {
            return Some(Move { machine, from_subnet, to_subnet: None, ip_before, ip_after: None });
        };
        let wanted_name = to_subnet.map(|subnet| subnet.name.as_str()).unwrap_or_default();
        let candidates = plan.subnets_of(test_network);
        let test_subnet = candidates
            .iter()
            .find(|subnet| subnet.name == wanted_name)
            .or_else(|| candidates.iter().find(|subnet| ip_after.is_some_and(|ip| subnet.prefix.contains_ip(&ip))));
        let test_ip = ip_after.filter(|ip| test_subnet.is_some_and(|subnet| subnet.prefix.contains_ip(ip)));
        return Some(Move { machine, from_subnet, to_subnet: test_subnet, ip_before, ip_after: test_ip });
    }
    Some(Move { machine, from_subnet, to_subnet, ip_before, ip_after })
}

fn in_scope(scope: &Scope, machine: &Machine, source_subnet: &Subnet, target_subnet: &Subnet) -> bool {
    match scope {
        Scope::FullSite => true,
        Scope::Applications(applications) => applications.iter().any(|application| application == &machine.application),
        Scope::Subnets(subnets) => subnets.iter().any(|id| id == &source_subnet.id || id == &target_subnet.id),
    }
}
