//! Incremental validation (issue 16, item 2): after each random edit, the report `revalidate`
//! makes from the report before the edit and what the edit changed is the report a full
//! validation makes, finding for finding and verdict for verdict. Reports are chained over a
//! sequence of edits (and of undos), so a finding wrongly kept once is still wrong at the next
//! comparison. The property test revalidates as the app does, over the index's tables kept from
//! edit to edit until one changes the plan's structure; the long walks index the plan anew.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::random_edits::edit_of;
use common::*;
use drplan::edit;
use drplan::model::{Change, KeptIndex, Plan};
use drplan::synth::{SynthSpec, enterprise_plan};
use drplan::validate::{Report, revalidate, revalidate_kept, validate};
use proptest::prelude::*;

/// A plan to edit: a reference sample, or past the samples a generated hub-and-spoke estate with
/// faults injected (overlaps, addresses outside their subnets).
fn plan_to_edit(index: usize) -> Plan {
    match SAMPLES.get(index) {
        Some(name) => sample(name),
        None => enterprise_plan(SynthSpec { prefixes: 240, seed: index as u64, faults: 6 }).plan,
    }
}

/// The findings in one report and not the other, as `rule: message` lines.
fn difference(incremental: &Report, full: &Report) -> String {
    let lines = |report: &Report| -> BTreeSet<String> { report.findings.iter().map(|finding| format!("{}: {}", finding.rule.id, finding.message)).collect() };
    let (kept, found) = (lines(incremental), lines(full));
    let stale: Vec<&String> = kept.difference(&found).collect();
    let missing: Vec<&String> = found.difference(&kept).collect();
    format!("kept but no longer found: {stale:#?}\nfound but missing: {missing:#?}")
}

/// The report after a change as the app makes it (`revalidate_kept`): over the tables of the
/// index kept from before, unless the change added or removed an element or changed an id or a
/// reference (`Change::structure`). Tables kept across the change must agree with new ones.
fn revalidate_keeping(plan: &Plan, report: Report, change: Change, kept: &mut KeptIndex) -> Report {
    kept.changed(change);
    if let Some(tables) = kept.tables() {
        assert!(tables.agree_with(plan), "the index's tables were kept across {change:?}, which changed what they index");
    }
    revalidate_kept(plan, &report, change, kept).unwrap_or(report)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn validation_after_an_edit_gives_what_a_full_validation_gives(
        plan_index in 0usize..SAMPLES.len() + 2,
        steps in prop::collection::vec((any::<u8>(), any::<u16>(), any::<u16>()), 1..20),
    ) {
        let mut plan = plan_to_edit(plan_index);
        let mut report = validate(&plan);
        let mut kept = KeptIndex::default();
        for (kind, a, b) in steps {
            let Some(change) = edit_of(&plan, kind, a, b) else { continue };
            let Ok(journal) = edit::apply(&mut plan, change) else { continue };
            report = revalidate_keeping(&plan, report, journal.change(), &mut kept);
            let full = validate(&plan);
            prop_assert!(report == full, "after {:?}\n{}", journal.change(), difference(&report, &full));
            if a.is_multiple_of(4) {
                let redo = journal.undo(&mut plan);
                report = revalidate_keeping(&plan, report, redo.change(), &mut kept);
                let full = validate(&plan);
                prop_assert!(report == full, "after undoing {:?}\n{}", redo.change(), difference(&report, &full));
            }
        }
    }
}

/// Long random walks of edits over every sample and two generated plans, checked at every step
/// as the property test is, and a check of the test itself: the walks change the findings of
/// nearly every rule of the catalog, so a rule that reads too little would show. (The three they
/// do not reach read everything.)
#[test]
fn long_walks_of_edits_keep_the_incremental_report_exact_and_reach_nearly_every_rule() {
    let mut changed_rules = BTreeSet::new();
    for index in 0..SAMPLES.len() + 2 {
        let mut plan = plan_to_edit(index);
        let mut report = validate(&plan);
        let mut random = fastrand::Rng::with_seed(index as u64);
        for _ in 0..1500 {
            let Some(change) = edit_of(&plan, random.u8(..), random.u16(..), random.u16(..)) else { continue };
            let Ok(journal) = edit::apply(&mut plan, change) else { continue };
            let incremental = revalidate(&plan, &report, journal.change()).unwrap_or_else(|| report.clone());
            let full = validate(&plan);
            assert!(incremental == full, "plan {index}, after {:?}\n{}", journal.change(), difference(&incremental, &full));
            let ids = |report: &Report| report.findings.iter().map(|finding| (finding.rule.id, finding.message.clone())).collect::<BTreeSet<_>>();
            changed_rules.extend(ids(&report).symmetric_difference(&ids(&full)).map(|(rule, _)| *rule));
            report = full;
        }
    }
    let all: BTreeSet<&str> = drplan::validate::rules().map(|rule| rule.id).collect();
    let unreached: Vec<&&str> = all.difference(&changed_rules).collect();
    assert!(changed_rules.len() >= 36, "only {} rules saw their findings change; not: {unreached:?}", changed_rules.len());
}

/// Each rule declares the shared passes of the context it uses (`Rule::uses`): after an edit
/// only those of the rules that run again are made. Run alone over a context with only its
/// declared passes, every rule finds what it finds over a context with all of them, on every
/// sample and on generated plans with faults (in a debug build a pass used but not declared
/// also stops the test with its name).
#[test]
fn every_rule_finds_the_same_with_only_the_shared_passes_it_declares() {
    use drplan::model::PlanIndex;
    use drplan::validate::{Context, Passes, rules};
    let mut rules_using_passes = BTreeSet::new();
    for index in 0..SAMPLES.len() + 3 {
        let plan = plan_to_edit(index);
        let plan_index = PlanIndex::new(&plan);
        let full = Context::new(&plan_index);
        for rule in rules() {
            let declared = Context::with_passes(&plan_index, rule.uses);
            assert_eq!(rule.run(&declared), rule.run(&full), "{rule} on plan {index}, with only the passes {:?}", rule.uses);
            if rule.uses != Passes::empty() {
                rules_using_passes.insert(rule.id);
            }
        }
    }
    assert!(rules_using_passes.len() >= 14, "the rules that use the protected machines, the addresses and the scenarios' moves declare them");
}

/// What the validation after a subnet's rename rests on (`validate::renames`): renamed, a subnet
/// that is not a gateway subnet changes no finding but those that name it among their elements
/// (their words and the element's name), on every sample and on two generated plans with faults.
#[test]
fn a_renamed_subnet_changes_only_the_findings_that_name_it() {
    use drplan::edit::{Edit, Element};
    let mut renames = 0;
    for index in 0..SAMPLES.len() + 2 {
        let plan = plan_to_edit(index);
        let before = validate(&plan);
        for subnet in plan.subnets.iter().filter(|subnet| !subnet.is_gateway_subnet()) {
            let mut renamed = plan.clone();
            let edit = Edit::Replace(Element::Subnet(drplan::model::Subnet { name: "Renamed «subnet»".to_owned(), ..subnet.clone() }));
            edit::apply(&mut renamed, edit).expect("a rename applies");
            let after = validate(&renamed);
            let names_it = |finding: &&drplan::validate::Finding| finding.elements.iter().any(|element| element.id == subnet.id.as_str());
            let changed = || {
                before
                    .findings
                    .iter()
                    .filter(|finding| !after.findings.contains(finding))
                    .chain(after.findings.iter().filter(|finding| !before.findings.contains(finding)))
            };
            let elsewhere: Vec<String> =
                changed().filter(|finding| !names_it(finding)).map(|finding| format!("{}: {}", finding.rule.id, finding.message)).collect();
            assert!(elsewhere.is_empty(), "plan {index}, subnet {} renamed: findings changed that do not name it: {elsewhere:#?}", subnet.id);
            renames += usize::from(changed().next().is_some());
        }
    }
    assert!(renames >= 8, "renames changed findings {renames} times: the test sees findings that name a subnet");
}

/// A test failover (seed 002: into an isolated network) finds each machine's subnet in the test
/// network by name. Renaming the subnet the machines fail over into, or the test network's
/// subnet of that name, moves them elsewhere in a test; the validation after the rename sees it.
#[test]
fn renaming_a_subnet_a_test_failover_finds_by_name_changes_its_verdicts_and_the_validation_after_it_sees_it() {
    use drplan::edit::{Edit, Element};
    use drplan::model::{Subnet, SubnetId};
    for id in ["sub-recovery-servers", "sub-test-servers"] {
        let mut plan = sample(HYPERV);
        let report = validate(&plan);
        let subnet = plan.subnet(&SubnetId::new(id)).expect("the sample's subnet").clone();
        let journal = edit::apply(&mut plan, Edit::Replace(Element::Subnet(Subnet { name: "Renamed".to_owned(), ..subnet }))).expect("a rename applies");
        let full = validate(&plan);
        assert_ne!(full.verdicts, report.verdicts, "the test failover no longer finds a subnet named as {id} was");
        assert!(revalidate(&plan, &report, journal.change()) == Some(full), "after renaming {id}");
    }
}
