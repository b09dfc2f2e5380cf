//! The Rust sort-and-sweep and the Python reference (`benches/overlap_reference.py`, which
//! also checks its own sweep against every pair) report the same overlapping pairs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use drplan::model::overlap;
use drplan::synth::{FAULT_RULES, SynthSpec, enterprise_plan};
use drplan::validate;

fn python_pairs(plan: &drplan::model::Plan) -> Vec<String> {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.drplan.json");
    let pairs = directory.path().join("pairs.txt");
    drplan::io::save(plan, &path).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/overlap_reference.py");
    let output = Command::new("python3")
        .args([script, path.to_str().unwrap(), "--repeat", "1", "--every-pair-limit", "3100"])
        .args(["--pairs-out", pairs.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    std::fs::read_to_string(pairs).unwrap().lines().map(str::to_owned).collect()
}

#[test]
fn rust_and_python_report_the_same_pairs_on_a_3k_synthetic_plan() {
    let plan = enterprise_plan(SynthSpec { prefixes: 3_000, seed: 11, faults: 12 }).plan;
    let rust = overlap::plan_overlap_lines(&plan);
    assert!(rust.len() > 3_000, "subnets overlap their networks: {}", rust.len());
    assert_eq!(rust, python_pairs(&plan));
}

#[test]
fn rust_and_python_report_the_same_pairs_on_every_sample() {
    for name in common::SAMPLES {
        let plan = common::sample(name);
        assert_eq!(overlap::plan_overlap_lines(&plan), python_pairs(&plan), "{name}");
    }
}

#[test]
fn the_generator_is_deterministic_and_its_faults_are_exactly_what_validation_finds() {
    let spec = SynthSpec { prefixes: 2_000, seed: 3, faults: 9 };
    let synth = enterprise_plan(spec);
    assert_eq!(synth.plan, enterprise_plan(spec).plan);
    let report = validate::validate(&synth.plan);
    for rule in FAULT_RULES {
        assert_eq!(report.of_rule(rule).count(), 3, "{rule}");
    }
    let errors = report.findings.iter().filter(|finding| finding.severity == validate::Severity::Error).count();
    assert_eq!(errors, 9, "{:#?}", report.findings);
}
