//! A failover step by step: the network as it stands after each step of the recovery plan, with
//! the changes made so far, for presenting a rehearsal (the app's Present mode) and for decks
//! (`drplan diagram --view steps`). Pure: no I/O, no UI.
//!
//! Frame 0 is the network before the event; frame n follows step n of the recovery plan. A
//! frame holds an [`Outcome`] whose `after` is the network at that point and whose `differences`
//! are the changes made so far, in the simulation's order, so the last frame is the after view
//! exactly. Each difference is made by the step that carries it out: a disconnection by its
//! Disconnect step, a gateway by its Create step, a connection or peering by its Connect or
//! Create step, a machine (and a DNS record it registers itself) by its group's failover, a
//! subnet by the failover of the last group with machines in it, a route change and a scripted
//! DNS update by their own steps. A difference no step makes appears with the last step.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::*;
use crate::recovery::{Action, RecoveryPlan, Step};
use crate::simulate::{Difference, Outcome};

/// The network after one step of a rehearsed failover.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// The step just carried out; none for frame 0, the network before.
    pub step: Option<Step>,
    /// The recovery time used so far: the RTO of the steps so far (see `recovery::RtoClock`).
    pub elapsed_rto_secs: u32,
    /// Before, the network at this point, and the changes made so far.
    pub outcome: Outcome,
}

/// For each difference of `outcome`, the position (from 0) of the step of `recovery` that makes
/// it: one pass over the steps and one over the differences, whatever their numbers.
pub fn steps_making(outcome: &Outcome, recovery: &RecoveryPlan) -> Vec<usize> {
    let steps: Vec<&Step> = recovery.steps().collect();
    let makers = Makers::of(outcome, &steps);
    outcome.differences.iter().map(|difference| makers.step_making(difference)).collect()
}

/// A rehearsal step by step, each frame made when it is asked for: a failover of 100,000
/// prefixes has 20,000 steps, and every frame at once would be as many copies of the network.
#[derive(Clone, Debug)]
pub struct Replay {
    outcome: Outcome,
    steps: Vec<Step>,
    /// For each difference, the position of the step that makes it.
    made_by: Vec<usize>,
    /// For each difference, how a frame before its step takes it back.
    take_backs: Vec<TakeBack>,
    /// The recovery time used after each number of steps (from 0).
    elapsed_rto_secs: Vec<u32>,
}

impl Replay {
    pub fn new(outcome: &Outcome, recovery: &RecoveryPlan) -> Self {
        let steps: Vec<Step> = recovery.steps().cloned().collect();
        let mut clock = crate::recovery::RtoClock::default();
        let mut elapsed_rto_secs = vec![clock.rto()];
        for step in &steps {
            clock.add(step);
            elapsed_rto_secs.push(clock.rto());
        }
        Self { made_by: steps_making(outcome, recovery), take_backs: take_backs(outcome), outcome: outcome.clone(), steps, elapsed_rto_secs }
    }

    /// How many frames: the network before, then one per step.
    pub fn len(&self) -> usize {
        self.steps.len() + 1
    }

    /// Never: there is always the network before.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The step frame `count` shows carried out: none for frame 0, the network before, or past
    /// the last frame.
    pub fn step(&self, count: usize) -> Option<&Step> {
        self.steps.get(count.checked_sub(1)?)
    }

    /// The recovery time used after the first `count` steps.
    pub fn elapsed_rto_secs(&self, count: usize) -> u32 {
        self.elapsed_rto_secs.get(count).copied().unwrap_or_default()
    }

    /// Frame `count`: the network after the first `count` steps.
    pub fn frame(&self, count: usize) -> Option<Frame> {
        if count >= self.len() {
            return None;
        }
        let made: Vec<bool> = self.made_by.iter().map(|&position| position < count).collect();
        Some(Frame {
            step: self.step(count).cloned(),
            elapsed_rto_secs: self.elapsed_rto_secs(count),
            outcome: partial(&self.outcome, &self.take_backs, &made),
        })
    }
}

/// Every frame of a rehearsal: the network before, then after each step of `recovery`.
pub fn frames(outcome: &Outcome, recovery: &RecoveryPlan) -> Vec<Frame> {
    let replay = Replay::new(outcome, recovery);
    (0..replay.len()).filter_map(|count| replay.frame(count)).collect()
}

/// Where the steps that make differences are, and what the differences say of one another,
/// looked up by key: each the first found, as a search from the start would find it.
struct Makers<'a> {
    last: usize,
    disconnects: FxHashMap<&'a ConnectionId, usize>,
    connects: FxHashMap<&'a ConnectionId, usize>,
    peerings: FxHashMap<&'a ConnectionId, usize>,
    gateways: FxHashMap<&'a GatewayId, usize>,
    group_failovers: FxHashMap<u32, usize>,
    route_changes: FxHashMap<(&'a str, &'a Prefix), usize>,
    dns_updates: FxHashMap<(&'a str, &'a str), usize>,
    /// The recovery group of each machine's move (its first).
    group_of_machine: FxHashMap<&'a MachineId, u32>,
    /// The last recovery group to move machines out of each subnet.
    last_group_leaving: FxHashMap<&'a SubnetId, u32>,
    site_names: FxHashMap<&'a SiteId, &'a str>,
}

impl<'a> Makers<'a> {
    fn of(outcome: &'a Outcome, steps: &[&'a Step]) -> Self {
        let mut makers = Self {
            last: steps.len().saturating_sub(1),
            disconnects: FxHashMap::default(),
            connects: FxHashMap::default(),
            peerings: FxHashMap::default(),
            gateways: FxHashMap::default(),
            group_failovers: FxHashMap::default(),
            route_changes: FxHashMap::default(),
            dns_updates: FxHashMap::default(),
            group_of_machine: FxHashMap::default(),
            last_group_leaving: FxHashMap::default(),
            site_names: outcome.before.sites.iter().rev().map(|site| (&site.id, site.name.as_str())).collect(),
        };
        for (position, step) in steps.iter().enumerate() {
            match &step.action {
                Action::Disconnect { connection, .. } => makers.disconnects.entry(connection).or_insert(position),
                Action::Connect { connection, .. } => makers.connects.entry(connection).or_insert(position),
                Action::CreatePeering { connection, .. } => makers.peerings.entry(connection).or_insert(position),
                Action::CreateGateway { gateway, prepared: false, .. } => makers.gateways.entry(gateway).or_insert(position),
                Action::FailOverGroup { group } => makers.group_failovers.entry(*group).or_insert(position),
                Action::ChangeRoutes { site, prefix, .. } => makers.route_changes.entry((site.as_str(), prefix)).or_insert(position),
                Action::UpdateDns { zone, record, .. } => makers.dns_updates.entry((zone.as_str(), record.as_str())).or_insert(position),
                _ => continue,
            };
        }
        for difference in &outcome.differences {
            if let Difference::MachineMoved { machine, from_subnet, recovery_group, .. } = difference {
                makers.group_of_machine.entry(machine).or_insert(recovery_group.get());
                let group = makers.last_group_leaving.entry(from_subnet).or_insert(recovery_group.get());
                *group = (*group).max(recovery_group.get());
            }
        }
        makers
    }

    /// The position (from 0) of the step that makes a difference; the last step when none does.
    fn step_making(&self, difference: &Difference) -> usize {
        let failover_of = |group: u32| self.group_failovers.get(&group).copied();
        let found = match difference {
            Difference::ConnectionDisconnected { connection, .. } => self.disconnects.get(connection).copied(),
            Difference::ConnectionEstablished { connection, .. } => self.connects.get(connection).copied(),
            Difference::PeeringCreated { connection, .. } => self.peerings.get(connection).copied(),
            Difference::GatewayCreated { gateway, .. } => self.gateways.get(gateway).copied(),
            Difference::MachineMoved { recovery_group, .. } => failover_of(recovery_group.get()),
            Difference::SubnetActivated { subnet, .. } => self.last_group_leaving.get(subnet).copied().and_then(failover_of),
            Difference::RoutesChanged { at_site, prefix, .. } => {
                self.site_names.get(at_site).and_then(|site| self.route_changes.get(&(*site, prefix))).copied()
            }
            Difference::DnsRecordUpdated { machine, zone, record, dynamic_registration, .. } => {
                if *dynamic_registration {
                    self.group_of_machine.get(machine).copied().and_then(failover_of)
                } else {
                    self.dns_updates.get(&(zone.as_str(), record.as_str())).copied()
                }
            }
        };
        found.unwrap_or(self.last)
    }
}

/// How one difference is taken back in a copy of the network after, found once per replay: the
/// positions of what it changed, so a frame takes back thousands of differences without a search
/// of the network for each (which made the first frames of a 100,000-prefix failover take 12 s).
#[derive(Clone, Debug, PartialEq)]
enum TakeBack {
    /// Nothing in the network: the difference only marks it, or names nothing found there.
    Nothing,
    /// A connection's state goes back to what it was.
    Connection { position: usize, state: ConnectionState },
    /// These gateways (network, gateway) are again not provisioned.
    Gateways(Vec<(usize, usize)>),
    /// A test copy is not started yet.
    TestCopy(MachineId),
    /// A machine is back as it was (its position after, its position before).
    Machine { after: usize, before: usize },
}

/// The take-back of each difference of the outcome, in order. Each element is the first with its
/// id, as a search from the start would find it.
fn take_backs(outcome: &Outcome) -> Vec<TakeBack> {
    fn first_positions<'a, K: Eq + std::hash::Hash + 'a>(keys: impl Iterator<Item = &'a K>) -> FxHashMap<&'a K, usize> {
        let mut positions = FxHashMap::default();
        for (position, key) in keys.enumerate() {
            positions.entry(key).or_insert(position);
        }
        positions
    }
    let (before, after) = (&*outcome.before, &outcome.after);
    let connections_before = first_positions(before.connections.iter().map(|connection| &connection.id));
    let connections_after = first_positions(after.connections.iter().map(|connection| &connection.id));
    let machines_before = first_positions(before.machines.iter().map(|machine| &machine.id));
    let machines_after = first_positions(after.machines.iter().map(|machine| &machine.id));
    let mut gateways_after: FxHashMap<&GatewayId, Vec<(usize, usize)>> = FxHashMap::default();
    for (network_position, network) in after.networks.iter().enumerate() {
        for (gateway_position, gateway) in network.gateways.iter().enumerate() {
            gateways_after.entry(&gateway.id).or_default().push((network_position, gateway_position));
        }
    }
    let connection = |id: &ConnectionId| match (connections_before.get(id), connections_after.get(id)) {
        (Some(&before_position), Some(&position)) => TakeBack::Connection { position, state: before.connections[before_position].state },
        _ => TakeBack::Nothing,
    };
    outcome
        .differences
        .iter()
        .map(|difference| match difference {
            Difference::ConnectionDisconnected { connection: id, .. }
            | Difference::ConnectionEstablished { connection: id, .. }
            | Difference::PeeringCreated { connection: id, .. } => connection(id),
            Difference::GatewayCreated { gateway, .. } => TakeBack::Gateways(gateways_after.get(gateway).cloned().unwrap_or_default()),
            Difference::MachineMoved { machine, test_copy: true, .. } => TakeBack::TestCopy(crate::simulate::test_copy_id(machine)),
            Difference::MachineMoved { machine, .. } => match (machines_after.get(machine), machines_before.get(machine)) {
                (Some(&after), Some(&before)) => TakeBack::Machine { after, before },
                _ => TakeBack::Nothing,
            },
            // Marks only: the networks themselves do not change.
            Difference::SubnetActivated { .. } | Difference::RoutesChanged { .. } | Difference::DnsRecordUpdated { .. } => TakeBack::Nothing,
        })
        .collect()
}

/// The outcome with only the differences marked `made`: the after network with every change not
/// yet made taken back to how it was before.
fn partial(outcome: &Outcome, take_backs: &[TakeBack], made: &[bool]) -> Outcome {
    let mut after = outcome.after.clone();
    let mut differences = Vec::new();
    // Removed last, so the positions found beforehand hold while the others are taken back.
    let mut copies_not_started: rustc_hash::FxHashSet<&MachineId> = rustc_hash::FxHashSet::default();
    for ((difference, take_back), &done) in outcome.differences.iter().zip(take_backs).zip(made) {
        if done {
            differences.push(difference.clone());
            continue;
        }
        match take_back {
            TakeBack::Nothing => {}
            TakeBack::Connection { position, state } => after.connections[*position].state = *state,
            TakeBack::Gateways(gateways) => {
                for &(network, gateway) in gateways {
                    after.networks[network].gateways[gateway].provisioned_before_failover = false;
                }
            }
            TakeBack::TestCopy(copy) => {
                copies_not_started.insert(copy);
            }
            TakeBack::Machine { after: position, before } => after.machines[*position] = outcome.before.machines[*before].clone(),
        }
    }
    if !copies_not_started.is_empty() {
        after.machines.retain(|machine| !copies_not_started.contains(&machine.id));
    }
    Outcome { before: Arc::clone(&outcome.before), after, differences }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rehearsal(sample: &str, scenario: &str) -> (Outcome, RecoveryPlan) {
        let plan = crate::io::load(std::path::Path::new(&format!("samples/{sample}"))).expect("sample");
        let scenario = plan.scenario_by_id_or_name(scenario).expect("scenario").clone();
        let outcome = crate::simulate::simulate(&plan, &scenario).expect("simulates");
        let recovery = crate::recovery::recovery_plan(&crate::model::PlanIndex::new(&plan), &scenario, &outcome);
        (outcome, recovery)
    }

    #[test]
    fn the_first_frame_is_the_network_before_and_the_last_the_network_after() {
        for (sample, scenario) in [
            ("hybrid-full-region.drplan.json", "scn-full-region"),
            ("azure-isolated-app.drplan.json", "scn-app2-failover"),
            ("vmm-subnet-failover.drplan.json", "scn-subnet-failover"),
            ("vmm-change-ip.drplan.json", "scn-full-site"),
            ("azure-full-region.drplan.json", "scn-test-drill"),
            ("expressroute-hub-spoke.drplan.json", "scn-full-region"),
        ] {
            let (outcome, recovery) = rehearsal(sample, scenario);
            let frames = frames(&outcome, &recovery);
            assert_eq!(frames.len(), recovery.steps().count() + 1, "{sample}");
            let first = &frames[0];
            assert!(first.step.is_none() && first.outcome.differences.is_empty() && first.elapsed_rto_secs == 0, "{sample}");
            let mut before_as_after = Plan::clone(&outcome.before);
            before_as_after.scenarios.clear();
            assert_eq!(first.outcome.after, before_as_after, "{sample}: nothing has changed before the first step");
            let last = frames.last().expect("frames");
            assert_eq!(last.outcome, outcome, "{sample}: after the last step, the network after");
            assert_eq!(last.elapsed_rto_secs, recovery.estimated_rto_secs, "{sample}");
            // Changes only accumulate.
            for pair in frames.windows(2) {
                assert!(pair[0].outcome.differences.iter().all(|made| pair[1].outcome.differences.contains(made)), "{sample}");
            }
        }
    }

    #[test]
    fn each_change_appears_with_the_step_that_makes_it() {
        let (outcome, recovery) = rehearsal("hybrid-full-region.drplan.json", "scn-full-region");
        let frames = frames(&outcome, &recovery);
        for (position, frame) in frames.iter().enumerate().skip(1) {
            let made_now: Vec<&Difference> =
                frame.outcome.differences.iter().filter(|difference| !frames[position - 1].outcome.differences.contains(difference)).collect();
            let step = frame.step.as_ref().expect("a step");
            match &step.action {
                Action::Disconnect { connection, .. } => {
                    assert!(matches!(made_now.as_slice(), [Difference::ConnectionDisconnected { connection: id, .. }] if id == connection), "{made_now:?}");
                    let drawn = frame.outcome.after.connection(connection).expect("still drawn");
                    assert_eq!(drawn.state, ConnectionState::Prepared, "down from this step on");
                }
                Action::Connect { connection, .. } => {
                    assert!(matches!(made_now.as_slice(), [Difference::ConnectionEstablished { connection: id, .. }] if id == connection), "{made_now:?}");
                    assert_eq!(frame.outcome.after.connection(connection).expect("drawn").state, ConnectionState::Active);
                }
                Action::FailOverGroup { group } => {
                    assert!(!made_now.is_empty());
                    for difference in &made_now {
                        if let Difference::MachineMoved { recovery_group, machine, to_subnet, .. } = difference {
                            assert_eq!(recovery_group.get(), *group);
                            assert_eq!(frame.outcome.after.machine(machine).map(|moved| Some(&moved.subnet)), Some(to_subnet.as_ref()));
                        }
                    }
                }
                Action::ShutDownSourceMachines | Action::ChooseRecoveryPoint { .. } | Action::Verify { .. } | Action::Commit | Action::ReverseReplicate => {
                    assert!(made_now.is_empty(), "step {} changes nothing in the network: {made_now:?}", step.title);
                }
                _ => {}
            }
        }
    }

    /// A frame as it was made before the take-backs were found once: each difference not yet
    /// made undone by searching the network for what it changed.
    fn partial_by_search(outcome: &Outcome, made: &[bool]) -> Outcome {
        let (before, mut after) = (&*outcome.before, outcome.after.clone());
        let mut differences = Vec::new();
        for (difference, &done) in outcome.differences.iter().zip(made) {
            if done {
                differences.push(difference.clone());
                continue;
            }
            match difference {
                Difference::ConnectionDisconnected { connection: id, .. }
                | Difference::ConnectionEstablished { connection: id, .. }
                | Difference::PeeringCreated { connection: id, .. } => {
                    let state = before.connection(id).map(|connection| connection.state);
                    if let (Some(state), Some(connection)) = (state, after.connections.iter_mut().find(|connection| &connection.id == id)) {
                        connection.state = state;
                    }
                }
                Difference::GatewayCreated { gateway, .. } => {
                    for found in after.networks.iter_mut().flat_map(|network| network.gateways.iter_mut()).filter(|found| &found.id == gateway) {
                        found.provisioned_before_failover = false;
                    }
                }
                Difference::MachineMoved { machine, test_copy: true, .. } => {
                    let copy = crate::simulate::test_copy_id(machine);
                    after.machines.retain(|found| found.id != copy);
                }
                Difference::MachineMoved { machine, .. } => {
                    if let (Some(original), Some(found)) = (before.machine(machine).cloned(), after.machines.iter_mut().find(|found| &found.id == machine)) {
                        *found = original;
                    }
                }
                _ => {}
            }
        }
        Outcome { before: Arc::clone(&outcome.before), after, differences }
    }

    #[test]
    fn every_frame_is_the_one_a_search_of_the_network_makes() {
        for sample in std::fs::read_dir("samples").expect("samples").flatten() {
            let plan = crate::io::load(&sample.path()).expect("sample");
            for scenario in &plan.scenarios {
                let Ok(outcome) = crate::simulate::simulate(&plan, scenario) else { continue };
                let recovery = crate::recovery::recovery_plan(&crate::model::PlanIndex::new(&plan), scenario, &outcome);
                let replay = Replay::new(&outcome, &recovery);
                for count in 0..replay.len() {
                    let made: Vec<bool> = replay.made_by.iter().map(|&position| position < count).collect();
                    let frame = replay.frame(count).expect("a frame");
                    assert_eq!(frame.outcome, partial_by_search(&outcome, &made), "{}, {}, frame {count}", sample.path().display(), scenario.id);
                }
            }
        }
    }
}
