//! The validation after an edit that changed one machine's addresses and nothing else (an
//! address typed in the inspector, the commonest edit of a large plan). Only the findings about
//! that machine's addresses are made again: those about the machine itself, and those about the
//! addresses held in, or claimed after failover in, its network and its target network, each
//! over a context of just the machines concerned. Only the verdicts of the machine, and of those
//! whose blocking findings changed, are made again, in place. The report is the one a full
//! validation gives (`tests/incremental_validation.rs`); when the edit changed how a scenario
//! moves the machine, there is none, and every rule that reads machines runs again.

use super::context::{Addressed, Holder, Protected};
use super::verdicts::{blocks_retention, verdict};
use super::*;
#[cfg(test)]
use crate::model::TargetIp;
use crate::model::{AddressChange, Machine, Network, Subnet};
use crate::scenario::{self, Move};

/// How a rule's findings depend on machines' addresses (`Rule::addresses`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressScope {
    /// They do not while every scenario moves each machine as before (from and to the same
    /// subnets, keeping its address or not): the rule reads no address, or reads them only
    /// through those moves.
    Unread,
    /// Each finding is about one holder of an address, named first.
    Holder,
    /// Each finding is about an address held twice in one network, and names the network.
    Network,
    /// Each finding is about an address held in one network or to be taken there after
    /// failover, and names the network.
    Claims,
    /// Each finding is about the machines failing over into one subnet, and names the subnet.
    TargetSubnet,
}

/// The report after `addresses`, the only change since `previous`; None when the change moved
/// the machine differently in a scenario, or when its subnet or target cannot be found.
pub(super) fn report_after_addresses(index: &PlanIndex, previous: &Report, addresses: AddressChange) -> Option<Report> {
    let plan = index.plan;
    let machine = plan.machines.get(addresses.machine)?;
    let before = addresses.before(machine);
    if !plan.scenarios.iter().all(|scenario| moved_alike(scenario::move_of(index, scenario, &before), scenario::move_of(index, scenario, machine))) {
        return None;
    }
    let network = index.network_of(index.subnet_of(machine)?)?;
    let target = match machine.target {
        None => None,
        Some(_) => {
            let subnet = index.target_subnet_of(machine)?;
            Some((subnet, index.network_of(subnet)?))
        }
    };
    let mut claimed = vec![network];
    claimed.extend(target.map(|(_, network)| network).filter(|target| !std::ptr::eq(*target, network)));

    let is_machine = |element: &ElementRef| element.kind == ElementKind::Machine && element.id == machine.id.as_str();
    let names_claimed = |finding: &Finding| claimed.iter().any(|network| names(finding, ElementKind::Network, network.id.as_str()));
    let mut findings: Vec<Finding> = Vec::with_capacity(previous.findings.len() + 4);
    findings.extend(
        previous
            .findings
            .iter()
            .filter(|finding| match finding.rule.addresses {
                AddressScope::Unread => true,
                AddressScope::Holder => !finding.elements.first().is_some_and(is_machine),
                AddressScope::Network => !names(finding, ElementKind::Network, network.id.as_str()),
                AddressScope::Claims => !names_claimed(finding),
                AddressScope::TargetSubnet => !target.is_some_and(|(subnet, _)| names(finding, ElementKind::Subnet, subnet.id.as_str())),
            })
            .cloned(),
    );
    let near = machines_in(index, &claimed);
    let takers: Vec<usize> = sorted(
        claimed.iter().flat_map(|network| index.subnets_of(network).iter()).flat_map(|subnet| index.machines_targeting(subnet).positions().collect::<Vec<_>>()),
    );
    for rule in rules() {
        let (protected, addressed) = match rule.addresses {
            AddressScope::Unread => continue,
            AddressScope::Holder => (protected_of(index, [addresses.machine]), holders(index, [addresses.machine], &[])),
            AddressScope::Network => (Vec::new(), holders(index, machines_in(index, &[network]), &[network])),
            AddressScope::Claims => (protected_of(index, takers.iter().copied()), holders(index, near.iter().copied(), &claimed)),
            AddressScope::TargetSubnet => match target {
                Some((subnet, _)) => (protected_of(index, index.machines_targeting(subnet).positions()), Vec::new()),
                None => continue,
            },
        };
        findings.extend(rule.run(&Context::of_machines(index, protected, addressed)));
    }
    sort_findings(&mut findings);
    let near: Vec<usize> = sorted(near.into_iter().chain(takers));
    let verdicts = verdicts_after(index, previous, &findings, &[addresses.machine], &near)?;
    Some(Report { findings, verdicts })
}

/// True when `finding` names the element of this kind and id.
pub(super) fn names(finding: &Finding, kind: ElementKind, id: &str) -> bool {
    finding.elements.iter().any(|element| element.kind == kind && element.id == id)
}

/// True when a scenario moves a machine alike before and after a change of its addresses: both
/// or neither, from and to the same subnets, keeping its address or not.
fn moved_alike(before: Option<Move>, after: Option<Move>) -> bool {
    match (before, after) {
        (None, None) => true,
        (Some(before), Some(after)) => {
            std::ptr::eq(before.from_subnet, after.from_subnet)
                && before.to_subnet.map(std::ptr::from_ref) == after.to_subnet.map(std::ptr::from_ref)
                && before.keeps_ip() == after.keeps_ip()
        }
        _ => false,
    }
}

/// Positions, ascending and each once.
pub(super) fn sorted(positions: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut positions: Vec<usize> = positions.collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

/// The positions of the machines in the subnets of `networks`, in plan order.
fn machines_in(index: &PlanIndex, networks: &[&Network]) -> Vec<usize> {
    sorted(networks.iter().flat_map(|network| index.subnets_of(network).iter()).flat_map(|subnet| index.machines_in(subnet).positions().collect::<Vec<_>>()))
}

/// The protected machines among those at `positions`, as the context lists them.
fn protected_of<'a>(index: &PlanIndex<'a>, positions: impl IntoIterator<Item = usize>) -> Vec<Protected<'a>> {
    let machines: &'a [Machine] = &index.plan.machines;
    positions
        .into_iter()
        .filter_map(|position| {
            let machine = machines.get(position)?;
            Some(Protected { machine, target: machine.target.as_ref()?, target_subnet: index.target_subnet_of(machine)? })
        })
        .collect()
}

/// The machines at `positions`, then the appliances that hold an address in `networks`, as the
/// context lists addressed elements (machines, then appliances, in plan order).
fn holders<'a>(index: &PlanIndex<'a>, positions: impl IntoIterator<Item = usize>, networks: &[&Network]) -> Vec<Addressed<'a>> {
    let plan: &'a Plan = index.plan;
    let mut addressed: Vec<Addressed<'a>> = positions
        .into_iter()
        .filter_map(|position| {
            let machine = plan.machines.get(position)?;
            Some(Addressed { holder: Holder::Machine(machine), ip: machine.ip, subnet: index.subnet_of(machine)? })
        })
        .collect();
    let in_networks = |subnet: &Subnet| index.network_of(subnet).is_some_and(|network| networks.iter().any(|known| std::ptr::eq(*known, network)));
    addressed.extend(plan.networks.iter().flat_map(|network| &network.nvas).filter_map(|nva| {
        let subnet = index.subnet(&nva.subnet).filter(|subnet| in_networks(subnet))?;
        Some(Addressed { holder: Holder::Nva(nva), ip: nva.ip, subnet })
    }));
    addressed
}

/// The verdicts after the change: those of the machines at `positions`, and of the machines
/// named by blocking findings found or gone (looked for among `near` first: the machines whose
/// findings the change can touch), made again in place; the others shared with the report
/// before. None when one of them no longer moves (the moves were checked alike).
pub(super) fn verdicts_after(
    index: &PlanIndex,
    previous: &Report,
    findings: &[Finding],
    positions: &[usize],
    near: &[usize],
) -> Option<imbl::Vector<RetentionVerdict>> {
    let plan = index.plan;
    let blocking_before: Vec<&Finding> = previous.findings.iter().filter(|finding| blocks_retention(finding)).collect();
    let blocking_after: Vec<&Finding> = findings.iter().filter(|finding| blocks_retention(finding)).collect();
    let changed = blocking_before
        .iter()
        .filter(|finding| !blocking_after.contains(finding))
        .chain(blocking_after.iter().filter(|finding| !blocking_before.contains(finding)));
    // As `retention_verdicts` finds a machine's blockers: by the ids they name.
    let mut named: Vec<&str> = changed.flat_map(|finding| finding.elements.iter().map(|element| element.id.as_str())).collect();
    named.sort_unstable();
    named.dedup();
    let mut affected = positions.to_vec();
    let found_near = near.iter().copied().filter(|&near| plan.machines.get(near).is_some_and(|machine| named.binary_search(&machine.id.as_str()).is_ok()));
    affected.extend(found_near);
    if named.iter().any(|id| !affected.iter().any(|&position| plan.machines.get(position).is_some_and(|machine| machine.id.as_str() == *id))) {
        // An id not near: a machine elsewhere, or not a machine at all.
        affected
            .extend(plan.machines.iter().enumerate().filter(|(_, machine)| named.binary_search(&machine.id.as_str()).is_ok()).map(|(position, _)| position));
    }
    affected.sort_unstable();
    affected.dedup();
    let mut verdicts = previous.verdicts.clone();
    for (scenario_position, scenario) in plan.scenarios.iter().enumerate() {
        let scenario_ref = std::sync::Arc::new(Context::scenario_ref(scenario));
        for &machine_position in &affected {
            let Ok(at) = verdicts.binary_search_by(|verdict| verdict.place.cmp(&(scenario_position, machine_position))) else { continue };
            let machine = plan.machines.get(machine_position)?;
            let moved = scenario::move_of(index, scenario, machine)?;
            let blockers = blocking_after.iter().copied().filter(|finding| finding.concerns(machine.id.as_str()));
            verdicts.set(at, verdict(&scenario_ref, &moved, blockers, (scenario_position, machine_position)));
        }
    }
    Some(verdicts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, Element, apply};
    use crate::synth::{SynthSpec, enterprise_plan};

    /// Applies `edit` to `plan` and validates after it from `report` over the address path
    /// alone: None when it declined (or the edit was not of addresses alone).
    fn after_addresses(plan: &mut Plan, report: &Report, machine: Machine) -> Option<Report> {
        let change = apply(plan, Edit::Replace(Element::Machine(machine))).expect("the edit applies").change();
        report_after_addresses(&PlanIndex::new(plan), report, change.addresses?)
    }

    /// A machine given the address of its neighbour, then one its subnet reserves, then its own
    /// again: each time the address path gives the full validation's report, duplicate, reserved
    /// address, retention blocked and unblocked included.
    #[test]
    fn an_address_edit_is_validated_over_the_machine_s_neighbourhood_exactly() {
        let mut plan = enterprise_plan(SynthSpec { prefixes: 400, seed: 4, faults: 0 }).plan;
        let mut report = validate(&plan);
        let position = plan.machines.iter().position(|machine| machine.target.is_some()).expect("a protected machine");
        let original = plan.machines[position].clone();
        let neighbour = plan.machines.iter().find(|other| other.subnet == original.subnet && other.id != original.id).map(|other| other.ip);
        let subnet = plan.subnet(&original.subnet).expect("its subnet").prefix;
        let reserved = subnet.net().hosts().next().expect("a first address");
        for (ip, rule) in [(neighbour, "ADDR-IP-DUPLICATE"), (Some(reserved), "ADDR-IP-OUTSIDE-SUBNET"), (Some(original.ip), "")] {
            let Some(ip) = ip else { continue };
            let machine = Machine { ip, ..original.clone() };
            let after = after_addresses(&mut plan, &report, machine).expect("the address path");
            assert_eq!(after, validate(&plan), "after {ip}");
            assert_eq!(after.findings.iter().any(|finding| finding.rule.id == rule && finding.concerns(original.id.as_str())), !rule.is_empty());
            report = after;
        }
    }

    /// A machine set to take a new address after failover, given that address as its own,
    /// keeps its address from then on: the scenarios' moves changed, so the address path
    /// declines and every rule that reads machines runs again.
    #[test]
    fn an_address_edit_that_changes_a_move_is_left_to_the_full_revalidation() {
        let mut plan = enterprise_plan(SynthSpec { prefixes: 400, seed: 4, faults: 0 }).plan;
        let mut machine = plan.machines.iter().find(|machine| machine.target.is_some()).expect("a protected machine").clone();
        let target = machine.target.as_mut().expect("its target");
        let new_ip = plan.subnet(&target.subnet).expect("its target subnet").prefix.net().hosts().nth(20).expect("an address");
        target.ip = TargetIp::New(new_ip);
        apply(&mut plan, Edit::Replace(Element::Machine(machine.clone()))).expect("the target is set");
        let report = validate(&plan);
        machine.ip = new_ip;
        let change = apply(&mut plan, Edit::Replace(Element::Machine(machine))).expect("the edit applies").change();
        let addresses = change.addresses.expect("an edit of addresses alone");
        assert!(report_after_addresses(&PlanIndex::new(&plan), &report, addresses).is_none());
        assert_eq!(revalidate(&plan, &report, change), Some(validate(&plan)), "validated again as any other edit");
    }
}
