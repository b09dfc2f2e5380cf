//! The validator: rules from the catalog in DOMAIN.md, each a small unit named by its stable id,
//! that turn a plan into findings tied to the elements they concern, with a reason and a fix.
//!
//! A rule never fails: it appends findings. Findings come out sorted (severity, rule, elements),
//! so two runs over one plan print the same report.

mod addresses;
mod addressing;
mod connectivity;
mod consistency;
mod context;
mod explanations;
mod failover_types;
mod ip_change;
mod recovery_side;
mod renames;
mod retention;
mod verdicts;

use std::fmt;

use compact_str::CompactString;
use rayon::prelude::*;
use serde::Serialize;

pub use addresses::AddressScope;
pub use addressing::address_problem;
pub use context::{Context, Passes};
pub use verdicts::{Reason, RetentionVerdict, retention_verdicts};

use crate::model::{Change, ElementKind, KeptIndex, Parts, Plan, PlanIndex};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The plan cannot work.
    Error,
    /// It works with a risk or a cost.
    Warning,
    /// A step the recovery plan must contain.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        })
    }
}

/// The article a rule rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    pub title: &'static str,
    /// The seed file it comes from, or None for general IP or Azure facts.
    pub seed: Option<&'static str>,
}

pub mod sources {
    use super::Source;

    pub const GENERAL_IP: Source = Source { title: "General IP addressing (RFC 4632 CIDR)", seed: None };
    pub const AZURE_VNET: Source = Source { title: "Azure virtual network documentation (Azure fact)", seed: None };
    pub const CONNECTIVITY_SECONDARY_SITE: Source = Source { title: "VM connectivity after failover to a secondary site", seed: Some("000") };
    pub const RETAIN_IP_AZURE: Source =
        Source { title: "Retain IP addresses when failing over Azure virtual machines to another Azure region", seed: Some("001") };
    pub const FAILOVER_IN_SITE_RECOVERY: Source = Source { title: "Failover in Site Recovery", seed: Some("002") };
    pub const EXPRESSROUTE: Source = Source { title: "Integrate Azure ExpressRoute with disaster recovery for Azure VMs", seed: Some("003") };
    pub const FAILBACK_HYPER_V: Source = Source { title: "Fail over and fail back Hyper-V VMs replicated to Azure", seed: Some("004") };
}

/// One rule of the catalog.
pub struct Rule {
    /// Stable id, as in DOMAIN.md (`CONN-OVERLAP`).
    pub id: &'static str,
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    pub sources: &'static [Source],
    /// Appends the rule's findings for the plan; each is built from this rule.
    pub check: fn(&Context, &mut Findings),
    /// What the rule checks, why it matters, what its source says and how to fix or accept it
    /// (`drplan rules ID`).
    pub explanation: &'static str,
    /// An error of this rule stops a machine set to keep its address from keeping it (the
    /// retention verdicts name it as the blocker).
    pub blocks_retention: bool,
    /// The parts of a plan whose content or names the rule reads, directly or through the
    /// context's look-ups and shared passes: after an edit that changed none of them, the rule's
    /// findings stay as they were (`revalidate`). Too much is safe; too little is a wrong report,
    /// which `tests/incremental_validation.rs` is there to catch.
    pub reads: Parts,
    /// The shared passes of the context the rule uses (`Context::protected`, `addressed`,
    /// `scenario_moves`): after an edit only those the rules that run again use are made.
    pub uses: Passes,
    /// How its findings depend on machines' addresses: after an edit that changed one
    /// machine's addresses alone, the findings of the rules that read them are made again for
    /// that machine, its network or its target only (`addresses`).
    pub addresses: AddressScope,
}

/// What rules read, named once for the rules that read the same.
pub mod reads {
    use crate::model::Parts;

    /// Machines and appliances with their addresses and subnets, in their networks: the
    /// context's addressed elements and protected machines.
    pub const ADDRESSED: Parts = Parts::MACHINES.union(Parts::SUBNETS).union(Parts::NETWORKS);
    /// Networks with their sites, connections, circuits and recovery mappings.
    pub const LINKS: Parts = Parts::NETWORKS.union(Parts::SITES).union(Parts::CONNECTIONS).union(Parts::CIRCUITS).union(Parts::MAPPINGS);
    /// What the machines a scenario moves are made from (`scenario::moves`): the machines with
    /// their subnets, targets and applications, the subnets (a test failover finds its subnet by
    /// name), the networks with their sites, and the scenarios. The retention verdicts read these
    /// and the findings that block retention.
    pub const MOVES: Parts = ADDRESSED.union(Parts::SCENARIOS).union(Parts::SITES);
}

impl Rule {
    /// The rule's findings for the plan the context was built from.
    pub fn run(&'static self, context: &Context) -> Vec<Finding> {
        let mut findings = Findings { rule: self, list: Vec::new() };
        (self.check)(context, &mut findings);
        findings.list
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// Rules are one catalog entry each: the same rule is the same id.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rule {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(other.id)
    }
}

/// A rule is written out as its id.
impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id)
    }
}

/// The findings of one rule as it runs: every finding it adds carries that rule, its catalog
/// severity and its first source, so no rule can report under another's id.
pub struct Findings {
    rule: &'static Rule,
    list: Vec<Finding>,
}

impl Findings {
    /// Adds a finding of this rule; the caller may then tie it to a scenario or change its
    /// severity (a rule whose catalog entry has two levels).
    pub fn add(&mut self, elements: Vec<ElementRef>, message: String, fix: String) -> &mut Finding {
        let rule = self.rule;
        self.list.push(Finding {
            rule,
            severity: rule.severity,
            elements,
            message,
            fix,
            source: rule.sources.first().map_or("", |source| source.title),
            scenario: None,
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }
}

/// Every rule, in catalog order.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    addressing::RULES
        .iter()
        .chain(connectivity::RULES.iter())
        .chain(retention::RULES.iter())
        .chain(ip_change::RULES.iter())
        .chain(recovery_side::RULES.iter())
        .chain(failover_types::RULES.iter())
        .chain(consistency::RULES.iter())
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules().find(|rule| rule.id.eq_ignore_ascii_case(id))
}

/// An element a finding concerns, by id and by the name the architect gave it (both stored
/// inline when short, so the 40,000 references of a large report cost no allocation each).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ElementRef {
    pub kind: ElementKind,
    pub id: CompactString,
    pub name: CompactString,
}

impl fmt::Display for ElementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" ({})", self.name, self.id)
    }
}

/// One thing the validator found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// The elements concerned, most specific first.
    pub elements: Vec<ElementRef>,
    /// What is wrong, in the architect's terms.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// Title of the article the rule rests on.
    pub source: &'static str,
    /// The failover scenario the finding concerns, for rules evaluated per scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ElementRef>,
}

impl Finding {
    /// Ties the finding to a failover scenario.
    pub fn in_scenario(&mut self, scenario: &crate::model::Scenario) -> &mut Self {
        self.scenario = Some(Context::scenario_ref(scenario));
        self
    }

    /// Gives the finding another severity (a rule whose catalog entry has two levels).
    pub fn with_severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }

    /// True when the finding names the element with this id.
    pub fn concerns(&self, id: &str) -> bool {
        self.elements.iter().any(|element| element.id == id)
    }
}

/// The validator's verdict on a plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// For each scenario and each machine it moves: will the machine keep its address. Shared
    /// between the reports before and after an edit, but for those it changed (at 100k prefixes
    /// there are 40,000, and making them all again takes a fifth of a full validation).
    pub verdicts: imbl::Vector<RetentionVerdict>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|finding| finding.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Findings of one rule.
    pub fn of_rule<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |finding| finding.rule.id == rule)
    }
}

/// Runs every rule over the plan.
///
/// The whole run happens on rayon's threads: entered once, rather than at each parallel step
/// (the index, the shared passes, the rules, the verdicts), where each entry from outside the
/// pool would wake a worker and put the caller to sleep.
pub fn validate(plan: &Plan) -> Report {
    rayon::scope(|_| validate_indexed(&PlanIndex::new(plan)))
}

/// Runs every rule over the plan `index` indexes, the index the caller built once for all it
/// does with the plan (a simulation and its recovery plan read it too).
pub fn validate_indexed(index: &PlanIndex) -> Report {
    let rules: Vec<&'static Rule> = rules().collect();
    rayon::scope(|_| {
        let mut context = Context::new(index);
        let mut findings = run_rules(&context, &rules);
        sort_findings(&mut findings);
        context.keep_only(Passes::MOVES);
        let verdicts = retention_verdicts(&context, &findings);
        Report { findings, verdicts }
    })
}

/// The validator's report on `plan`, given the report on the plan before a change and what the
/// change touched: only the rules that read what changed run again, over a context with only the
/// shared passes they use, and the others' findings are kept. The result is the one `validate`
/// gives, finding for finding. None when no rule reads what changed (a move on the canvas, the
/// plan renamed): the previous report stands as it is.
///
/// The retention verdicts are kept (shared) when the change touched nothing the scenarios' moves
/// are made from and the findings that block retention are the same; else they are made again.
pub fn revalidate(plan: &Plan, previous: &Report, change: Change) -> Option<Report> {
    let stale = rules_reading(change);
    (!stale.is_empty()).then(|| rayon::scope(|_| report_after(&PlanIndex::new(plan), previous, change, &stale)))
}

/// `revalidate` over the index's tables `kept` with the plan (as a document keeps them): read
/// when the change left the plan's structure as it was, else built again and kept for the next.
pub fn revalidate_kept(plan: &Plan, previous: &Report, change: Change, kept: &mut KeptIndex) -> Option<Report> {
    kept.changed(change);
    let stale = rules_reading(change);
    if stale.is_empty() {
        return None;
    }
    let index = kept.index(plan);
    let report = rayon::scope(|_| report_after(&index, previous, change, &stale));
    kept.keep(index.into_tables());
    Some(report)
}

/// The rules that read what `change` changed.
fn rules_reading(change: Change) -> Vec<&'static Rule> {
    let changed = change.read_by_rules();
    rules().filter(|rule| rule.reads.intersects(changed)).collect()
}

/// The report after `change`: the findings of the `stale` rules made again, the others kept; the
/// verdicts made again only when what they read changed.
fn report_after(index: &PlanIndex, previous: &Report, change: Change, stale: &[&'static Rule]) -> Report {
    if let Some(report) = change.addresses.and_then(|addresses| addresses::report_after_addresses(index, previous, addresses)) {
        return report;
    }
    if let Some(report) = change.renamed.and_then(|renamed| renames::report_after_rename(index, previous, renamed)) {
        return report;
    }
    let changed = change.read_by_rules();
    let moves_changed = changed.intersects(reads::MOVES);
    let mut passes = passes_of(stale);
    if moves_changed {
        passes |= Passes::MOVES;
    }
    let mut context = Context::with_passes(index, passes);
    let findings = findings_after(&context, previous, |finding| !finding.rule.reads.intersects(changed), stale);
    context.keep_only(Passes::MOVES);
    let verdicts = if !moves_changed && blocking(&findings).eq(blocking(&previous.findings)) {
        previous.verdicts.clone()
    } else if context.made(Passes::MOVES) {
        retention_verdicts(&context, &findings)
    } else {
        retention_verdicts(&Context::with_passes(index, Passes::MOVES), &findings)
    };
    Report { findings, verdicts }
}

/// The shared passes of a context the `stale` rules use.
fn passes_of(stale: &[&'static Rule]) -> Passes {
    stale.iter().fold(Passes::empty(), |passes, rule| passes | rule.uses)
}

/// The findings of `previous` that `kept` keeps (those of the rules not run again), with those
/// the `stale` rules find over `context`, in report order.
fn findings_after(context: &Context, previous: &Report, kept: impl Fn(&Finding) -> bool, stale: &[&'static Rule]) -> Vec<Finding> {
    let mut findings: Vec<Finding> = previous.findings.iter().filter(|finding| kept(finding)).cloned().collect();
    findings.extend(run_rules(context, stale));
    sort_findings(&mut findings);
    findings
}

/// The findings that stop a machine from keeping its address: what the verdicts read of a
/// report.
fn blocking(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    findings.iter().filter(|finding| verdicts::blocks_retention(finding))
}

/// Findings in report order (severity, rule, scenario, elements, message), each once.
fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| (a.severity, a.rule, &a.scenario, &a.elements, &a.message).cmp(&(b.severity, b.rule, &b.scenario, &b.elements, &b.message)));
    findings.dedup();
}

/// The findings of these rules, in their order; the rules run on every core (rayon), and the
/// findings are put back in that order, so the result does not depend on which thread ran what.
fn run_rules(context: &Context, rules: &[&'static Rule]) -> Vec<Finding> {
    let by_rule: Vec<Vec<Finding>> = rules.par_iter().map(|&rule| rule.run(context)).collect();
    by_rule.into_iter().flatten().collect()
}
