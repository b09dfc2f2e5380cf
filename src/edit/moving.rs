//! Moving elements on the canvas (`Edit::Move`): each placement gives an element its new
//! top-left corner, and what is drawn inside it moves by the same distance (a site's networks
//! and circuits, a network's subnets and machines).
//!
//! A drag pins every site, network and circuit where it is drawn, so one move at 100k prefixes
//! holds twenty thousand placements. The look-ups by id, and of what each network and subnet
//! holds, are made once per edit ([`Lookups`]), not once per placement (which searched the whole
//! plan for each and took seconds). Placements are applied in order, as before.

use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHashSet};

use super::journal::{Listed, Recorder};
use super::{EditError, ElementKey, Placement, position_of};
use crate::model::*;

/// Applies the placements in order.
pub(super) fn apply(recorder: &mut Recorder, placements: &[Placement]) -> Result<(), EditError> {
    // One network (or a subnet, a machine, a circuit) is found, with what it holds, by a scan of
    // each list; more, or a site's networks, by look-ups made once.
    let many = placements.len() > 1 || placements.iter().any(|placement| placement.key.kind == ElementKind::Site);
    let mut lookups = Lookups { by_id: None, many, subnets_of: None, machines_of: None };
    for placement in placements {
        move_element(recorder, &mut lookups, &placement.key, placement.position)?;
    }
    Ok(())
}

/// What a move looks up, each made on first use and kept for the edit's other placements. Ids
/// and what holds what do not change while elements move.
struct Lookups {
    /// Every site's, network's, subnet's, machine's and circuit's kind and position in its list,
    /// by id.
    by_id: Option<FxHashMap<CompactString, (ElementKind, usize)>>,
    /// Whether the look-ups are worth making: a move of several elements, or of a site.
    many: bool,
    /// The positions of each network's subnets.
    subnets_of: Option<FxHashMap<NetworkId, Vec<usize>>>,
    /// The positions of each subnet's machines.
    machines_of: Option<FxHashMap<SubnetId, Vec<usize>>>,
}

impl Lookups {
    /// The position of the element of kind `T` with this id in its list.
    fn position<T: Listed>(&mut self, plan: &mut Plan, kind: ElementKind, id: &str) -> Option<usize> {
        if !self.many {
            return position_of::<T>(plan, id);
        }
        let by_id = self.by_id.get_or_insert_with(|| {
            let mut by_id = FxHashMap::default();
            // Ids are copied as they are stored (inline up to 24 bytes): no allocation each.
            let mut add = |kind: ElementKind, ids: &mut dyn Iterator<Item = &CompactString>| {
                for (index, id) in ids.enumerate() {
                    by_id.insert(id.clone(), (kind, index));
                }
            };
            add(ElementKind::Site, &mut plan.sites.iter().map(|site| &site.id.0));
            add(ElementKind::Network, &mut plan.networks.iter().map(|network| &network.id.0));
            add(ElementKind::Subnet, &mut plan.subnets.iter().map(|subnet| &subnet.id.0));
            add(ElementKind::Machine, &mut plan.machines.iter().map(|machine| &machine.id.0));
            add(ElementKind::Circuit, &mut plan.circuits.iter().map(|circuit| &circuit.id.0));
            by_id
        });
        by_id.get(id).filter(|(found, _)| *found == kind).map(|(_, index)| *index)
    }

    /// The positions of the network's subnets.
    fn subnets_of(&mut self, plan: &Plan, network: &NetworkId) -> Vec<usize> {
        held_by(self.many, &mut self.subnets_of, &plan.subnets, |subnet| &subnet.network, network)
    }

    /// The positions of the subnet's machines.
    fn machines_of(&mut self, plan: &Plan, subnet: &SubnetId) -> Vec<usize> {
        held_by(self.many, &mut self.machines_of, &plan.machines, |machine| &machine.subnet, subnet)
    }
}

/// The positions of the `elements` that `holder` says `held_by` holds, in list order: for a move
/// of several elements from `grouped` (all the elements grouped by holder, made on first use),
/// for a move of one by a scan (one pass, as grouping them would be).
fn held_by<T, K: Clone + Eq + std::hash::Hash>(
    many: bool,
    grouped: &mut Option<FxHashMap<K, Vec<usize>>>,
    elements: &[T],
    holder: impl Fn(&T) -> &K,
    held_by: &K,
) -> Vec<usize> {
    if !many {
        return elements.iter().enumerate().filter(|(_, element)| holder(element) == held_by).map(|(index, _)| index).collect();
    }
    let grouped = grouped.get_or_insert_with(|| {
        let mut grouped: FxHashMap<K, Vec<usize>> = FxHashMap::default();
        for (index, element) in elements.iter().enumerate() {
            grouped.entry(holder(element).clone()).or_default().push(index);
        }
        grouped
    });
    grouped.get(held_by).cloned().unwrap_or_default()
}

/// A stored position moved by a distance (an element never placed stays unplaced).
fn shifted(point: Option<Point>, (dx, dy): (f32, f32)) -> Option<Point> {
    point.map(|point| Point::new(point.x + dx, point.y + dy))
}

/// Places an element with its new top-left corner; returns its position in its list and how far
/// it moved.
fn place<T: Listed>(recorder: &mut Recorder, lookups: &mut Lookups, key: &ElementKey, position: Point) -> Result<(usize, (f32, f32)), EditError> {
    let index = lookups.position::<T>(recorder.plan, key.kind, &key.id).ok_or_else(|| EditError::Missing { kind: key.kind, id: key.id.clone() })?;
    let old = T::list(recorder.plan).get_mut(index).and_then(Listed::position).and_then(|stored| *stored).unwrap_or(position);
    recorder.place::<T>(index, Some(position));
    Ok((index, (position.x - old.x, position.y - old.y)))
}

fn move_element(recorder: &mut Recorder, lookups: &mut Lookups, key: &ElementKey, position: Point) -> Result<(), EditError> {
    let (networks, delta): (Vec<NetworkId>, (f32, f32)) = match key.kind {
        ElementKind::Site => {
            let (index, delta) = place::<Site>(recorder, lookups, key, position)?;
            let plan = &*recorder.plan;
            let Some(site) = plan.sites.get(index).map(|site| site.id.clone()) else { return Ok(()) };
            let networks: Vec<(usize, NetworkId, Option<Point>)> = plan
                .networks
                .iter()
                .enumerate()
                .filter(|(_, network)| network.site == site)
                .map(|(index, network)| (index, network.id.clone(), network.position))
                .collect();
            let circuits: Vec<(usize, Option<Point>)> =
                plan.circuits.iter().enumerate().filter(|(_, circuit)| circuit.site == site).map(|(index, circuit)| (index, circuit.position)).collect();
            for (index, _, stored) in &networks {
                recorder.place::<Network>(*index, shifted(*stored, delta));
            }
            for (index, stored) in circuits {
                recorder.place::<Circuit>(index, shifted(stored, delta));
            }
            (networks.into_iter().map(|(_, id, _)| id).collect(), delta)
        }
        ElementKind::Network => {
            let (index, delta) = place::<Network>(recorder, lookups, key, position)?;
            (recorder.plan.networks.get(index).map(|network| network.id.clone()).into_iter().collect(), delta)
        }
        ElementKind::Subnet => return place::<Subnet>(recorder, lookups, key, position).map(drop),
        ElementKind::Machine => return place::<Machine>(recorder, lookups, key, position).map(drop),
        ElementKind::Circuit => return place::<Circuit>(recorder, lookups, key, position).map(drop),
        _ => return Err(EditError::Missing { kind: key.kind, id: key.id.clone() }),
    };
    if delta == (0.0, 0.0) {
        return Ok(());
    }
    // What is drawn inside the moved networks moves with them, in plan order.
    let mut subnets: Vec<usize> = networks.iter().flat_map(|network| lookups.subnets_of(recorder.plan, network)).collect();
    subnets.sort_unstable();
    let subnet_ids: FxHashSet<SubnetId> = subnets.iter().filter_map(|&index| recorder.plan.subnets.get(index)).map(|subnet| subnet.id.clone()).collect();
    let mut machines: Vec<usize> = subnet_ids.iter().flat_map(|subnet| lookups.machines_of(recorder.plan, subnet)).collect();
    machines.sort_unstable();
    for index in subnets {
        let stored = recorder.plan.subnets.get(index).and_then(|subnet| subnet.position);
        recorder.place::<Subnet>(index, shifted(stored, delta));
    }
    for index in machines {
        let stored = recorder.plan.machines.get(index).and_then(|machine| machine.position);
        recorder.place::<Machine>(index, shifted(stored, delta));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Edit, apply};
    use super::*;

    /// A move of many elements (made with the look-ups) leaves the plan as the same placements
    /// made one move at a time (each found by a scan), whatever they hold and in any order.
    #[test]
    fn many_placements_in_one_move_place_as_one_move_each() {
        let mut plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 1_000, seed: 11, faults: 0 }).plan;
        // Stored positions inside the networks too, for them to move with their network.
        for (step, subnet) in plan.subnets.iter_mut().enumerate() {
            subnet.position = Some(Point::new(step as f32, 3.0));
        }
        for (step, machine) in plan.machines.iter_mut().enumerate() {
            machine.position = Some(Point::new(5.0, step as f32));
        }
        let mut placements: Vec<Placement> = Vec::new();
        let mut add = |kind: ElementKind, id: &str, step: usize| {
            let position = Point::new((step * 37 % 500) as f32, (step * 53 % 700) as f32);
            placements.push(Placement { key: ElementKey::new(kind, id), position });
        };
        for (step, network) in plan.networks.iter().enumerate().step_by(3) {
            add(ElementKind::Network, network.id.as_str(), step);
        }
        add(ElementKind::Site, plan.sites[0].id.as_str(), 1);
        for (step, subnet) in plan.subnets.iter().enumerate().step_by(7) {
            add(ElementKind::Subnet, subnet.id.as_str(), step);
        }
        for (step, network) in plan.networks.iter().enumerate().skip(1).step_by(5) {
            add(ElementKind::Network, network.id.as_str(), step + 2);
        }
        add(ElementKind::Machine, plan.machines[5].id.as_str(), 9);
        add(ElementKind::Site, plan.sites[1].id.as_str(), 4);
        assert!(placements.len() > 40, "{} placements", placements.len());
        let mut at_once = plan.clone();
        apply(&mut at_once, Edit::Move(placements.clone())).unwrap();
        let mut one_by_one = plan.clone();
        for placement in placements {
            apply(&mut one_by_one, Edit::Move(vec![placement])).unwrap();
        }
        assert!(at_once == one_by_one, "the same plan either way");
        assert!(at_once != plan, "and a moved one");
        // Sites and networks alone (a drag's pins): what each network holds keeps its place in it.
        let pins: Vec<Placement> = plan
            .networks
            .iter()
            .enumerate()
            .map(|(step, network)| Placement { key: ElementKey::new(ElementKind::Network, network.id.as_str()), position: Point::new(step as f32 * 3.0, 7.0) })
            .collect();
        let mut pinned = plan.clone();
        apply(&mut pinned, Edit::Move(pins)).unwrap();
        let offsets = |plan: &Plan| -> Vec<(f32, f32)> {
            let corner = |network: &NetworkId| plan.network(network).and_then(|network| network.position).unwrap_or(Point::new(0.0, 0.0));
            let subnet_network = |subnet: &SubnetId| plan.subnet(subnet).map(|subnet| subnet.network.clone());
            let subnets = plan.subnets.iter().map(|subnet| (subnet.position, corner(&subnet.network)));
            let machines = plan.machines.iter().filter_map(|machine| Some((machine.position, corner(&subnet_network(&machine.subnet)?))));
            subnets.chain(machines).filter_map(|(position, corner)| position.map(|position| (position.x - corner.x, position.y - corner.y))).collect()
        };
        let (after, before) = (offsets(&pinned), offsets(&plan));
        let moved_apart = after.iter().zip(&before).filter(|(after, before)| after != before).count();
        assert_eq!((after.len(), moved_apart), (before.len(), 0), "subnets and machines moved with their networks");
        assert!(pinned != plan);
        let mut wrong_kind = plan.clone();
        let subnet_as_network = Placement { key: ElementKey::new(ElementKind::Network, plan.subnets[0].id.as_str()), position: Point::new(1.0, 1.0) };
        let two = vec![subnet_as_network.clone(), subnet_as_network];
        assert!(matches!(apply(&mut wrong_kind, Edit::Move(two)), Err(EditError::Missing { .. })), "a subnet's id does not name a network");
    }
}
