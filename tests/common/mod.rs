//! Helpers shared by the integration tests: the reference samples and small edits to them.
#![allow(dead_code)]

pub mod random_edits;

use std::path::PathBuf;

use drplan::model::Plan;

/// The reference samples, by file name, each named for what it shows.
pub const VMM_SUBNET: &str = "vmm-subnet-failover.drplan.json";
pub const VMM_CHANGE_IP: &str = "vmm-change-ip.drplan.json";
pub const AZURE: &str = "azure-full-region.drplan.json";
pub const ISOLATED: &str = "azure-isolated-app.drplan.json";
pub const HYBRID: &str = "hybrid-full-region.drplan.json";
pub const HUB_SPOKE: &str = "expressroute-hub-spoke.drplan.json";
pub const HYPERV: &str = "hyperv-to-azure.drplan.json";

/// The seven reference samples.
pub const SAMPLES: [&str; 7] = [VMM_SUBNET, VMM_CHANGE_IP, AZURE, ISOLATED, HYBRID, HUB_SPOKE, HYPERV];

pub fn sample_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples").join(name)
}

pub fn sample_text(name: &str) -> String {
    std::fs::read_to_string(sample_path(name)).expect("sample exists")
}

pub fn sample(name: &str) -> Plan {
    drplan::io::load(&sample_path(name)).expect("sample loads")
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
pub fn position_of(text: &str, needle: &str) -> (usize, usize) {
    line_column(text, text.find(needle).expect("needle is in the text"))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |newline| newline + 1)..].chars().count() + 1;
    (line, column)
}

/// Replaces the first occurrence of `from`, failing the test if there is none.
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the text should contain {from:?}");
    text.replacen(from, to, 1)
}

use drplan::model::{Circuit, Connection, Machine, Network, Prefix, Scenario, Site, Subnet};
use drplan::validate::{self, Report};

/// Validates a sample after an edit.
pub fn validate_edited(name: &str, edit: impl FnOnce(&mut Plan)) -> Report {
    let mut plan = sample(name);
    edit(&mut plan);
    validate::validate(&plan)
}

/// The rule ids a report contains, sorted and without repeats.
pub fn rule_ids(report: &Report) -> Vec<&'static str> {
    let mut ids: Vec<_> = report.findings.iter().map(|finding| finding.rule.id).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// True when a finding of `rule` concerns the element with id `element`.
pub fn fires_on(report: &Report, rule: &str, element: &str) -> bool {
    report.of_rule(rule).any(|finding| finding.elements.iter().any(|concerned| concerned.id == element))
}

macro_rules! element_mut {
    ($name:ident, $list:ident, $type:ty) => {
        pub fn $name<'a>(plan: &'a mut Plan, id: &str) -> &'a mut $type {
            plan.$list.iter_mut().find(|element| element.id.as_str() == id).expect(id)
        }
    };
}

element_mut!(site_mut, sites, Site);
element_mut!(network_mut, networks, Network);
element_mut!(subnet_mut, subnets, Subnet);
element_mut!(machine_mut, machines, Machine);
element_mut!(circuit_mut, circuits, Circuit);
element_mut!(connection_mut, connections, Connection);
element_mut!(scenario_mut, scenarios, Scenario);

pub fn prefix(text: &str) -> Prefix {
    text.parse().unwrap()
}

pub fn ip(text: &str) -> std::net::IpAddr {
    text.parse().unwrap()
}

/// A generated hub-and-spoke estate of about `prefixes` prefixes (no faults), saved in
/// `directory` as `estate.drplan.json`: the plan and its file.
pub fn saved_estate(directory: &std::path::Path, prefixes: usize, seed: u64) -> (Plan, PathBuf) {
    let plan = drplan::synth::enterprise_plan(drplan::synth::SynthSpec { prefixes, seed, faults: 0 }).plan;
    let path = directory.join("estate.drplan.json");
    drplan::io::save(&plan, &path).expect("the estate saves");
    (plan, path)
}
