//! The validation after an edit that renamed one subnet and nothing else. A subnet's name is
//! read by the rules' messages alone, with two exceptions: a subnet named `GatewaySubnet` is a
//! gateway subnet (ADDR-GATEWAY-SUBNET), and a test failover finds each machine's subnet in the
//! test network by name. Away from those, a rename changes no finding but the words of those that
//! name the subnet (a finding that names it in its words names it among its elements:
//! `tests/incremental_validation.rs`, `a_renamed_subnet_changes_only_the_findings_that_name_it`),
//! so only the rules with such a finding run again, and only the verdicts of the machines moved
//! from or into the subnet, or named by blocking findings whose words changed, are made again.
//! When the old or the new name may carry a meaning, there is no report here and every rule that
//! reads subnets runs again.

use super::addresses::{names, sorted, verdicts_after};
use super::*;
use crate::model::{FailoverType, Renamed, Subnet};

/// The report after `renamed`, the only change since `previous`; None when a name the subnet
/// had or has may mean something to a rule or to a test failover.
pub(super) fn report_after_rename(index: &PlanIndex, previous: &Report, renamed: Renamed) -> Option<Report> {
    let plan = index.plan;
    let subnet = plan.subnets.get(renamed.subnet)?;
    if name_has_meaning(index, subnet, renamed) {
        return None;
    }
    let mut stale: Vec<&'static Rule> = Vec::new();
    for finding in previous.findings.iter().filter(|finding| names(finding, ElementKind::Subnet, subnet.id.as_str())) {
        if !stale.iter().any(|rule| std::ptr::eq(*rule, finding.rule)) {
            stale.push(finding.rule);
        }
    }
    let findings = if stale.is_empty() {
        previous.findings.clone()
    } else {
        let is_stale = |finding: &Finding| stale.iter().any(|rule| std::ptr::eq(*rule, finding.rule));
        findings_after(&Context::with_passes(index, passes_of(&stale)), previous, |finding| !is_stale(finding), &stale)
    };
    // A verdict says which subnet a machine moves into: those of the machines moved out of the
    // subnet (failing back) or into it (failing over) are made again.
    let moved = sorted(index.machines_in(subnet).positions().chain(index.machines_targeting(subnet).positions()));
    let verdicts = verdicts_after(index, previous, &findings, &moved, &moved)?;
    Some(Report { findings, verdicts })
}

/// True when the subnet's name before or after the edit may mean something: it is or was
/// `GatewaySubnet`, or a test failover looks subnets up by name in a test network that holds
/// the subnet or a subnet with either name.
fn name_has_meaning(index: &PlanIndex, subnet: &Subnet, renamed: Renamed) -> bool {
    let gateway = Renamed::name_key(Subnet::GATEWAY_SUBNET_NAME);
    if subnet.is_gateway_subnet() || renamed.old_name == gateway {
        return true;
    }
    index.plan.scenarios.iter().filter(|scenario| scenario.failover_type == FailoverType::Test).any(|scenario| {
        let Some(test_network) = scenario.test_network.as_ref().and_then(|id| index.network(id)) else { return false };
        index
            .subnets_of(test_network)
            .iter()
            .any(|candidate| std::ptr::eq(candidate, subnet) || candidate.name == subnet.name || Renamed::name_key(&candidate.name) == renamed.old_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, Element, apply};
    use crate::synth::{SynthSpec, enterprise_plan};

    /// Renames the subnet at `position` to `name` and validates after it from `report` over the
    /// rename path alone: None when it declined.
    fn after_rename(plan: &mut Plan, report: &Report, position: usize, name: &str) -> Option<Report> {
        let subnet = Subnet { name: name.to_owned(), ..plan.subnets[position].clone() };
        let change = apply(plan, Edit::Replace(Element::Subnet(subnet))).expect("the edit applies").change();
        report_after_rename(&PlanIndex::new(plan), report, change.renamed.expect("a rename alone"))
    }

    /// A subnet with a finding (an injected overlap) renamed twice: each time the rename path
    /// gives the full validation's report, the finding's words and element carrying the new name.
    #[test]
    fn a_rename_is_validated_over_the_findings_that_name_the_subnet_exactly() {
        let mut plan = enterprise_plan(SynthSpec { prefixes: 400, seed: 4, faults: 6 }).plan;
        let mut report = validate(&plan);
        let finding = report.findings.iter().find(|finding| finding.rule.id == "ADDR-SUBNET-OVERLAP").expect("an injected overlap");
        let id = finding.elements.iter().find(|element| element.kind == ElementKind::Subnet).expect("a subnet").id.clone();
        let position = plan.subnets.iter().position(|subnet| subnet.id.as_str() == id).expect("the subnet");
        for name in ["Renamed «one»", "renamed-two"] {
            let after = after_rename(&mut plan, &report, position, name).expect("the rename path");
            assert_eq!(after, validate(&plan), "after {name}");
            assert!(after.findings.iter().any(|finding| finding.rule.id == "ADDR-SUBNET-OVERLAP" && finding.message.contains(name)));
            report = after;
        }
    }

    /// A subnet renamed to `GatewaySubnet` becomes a gateway subnet; renamed back, it is none:
    /// the rename path declines both, and the general path finds what changed.
    #[test]
    fn a_rename_to_or_from_the_gateway_subnet_s_name_is_left_to_the_full_revalidation() {
        let mut plan = enterprise_plan(SynthSpec { prefixes: 400, seed: 4, faults: 0 }).plan;
        let position = plan.subnets.iter().position(|subnet| !subnet.is_gateway_subnet()).expect("a subnet");
        let report = validate(&plan);
        let old_name = plan.subnets[position].name.clone();
        assert!(after_rename(&mut plan, &report, position, Subnet::GATEWAY_SUBNET_NAME).is_none());
        let report = validate(&plan);
        assert!(after_rename(&mut plan, &report, position, &old_name).is_none());
    }
}
