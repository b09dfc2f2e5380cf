//! `drplan validate --format sarif` and `--fail-on`: what a plan repository's CI hands to a
//! code-review tool, and which findings fail the build. `.ci/run` also checks the output against
//! the SARIF 2.1.0 JSON schema (tests/fixtures/sarif-schema-2.1.0.json).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use serde_json::Value;

fn drplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drplan")).args(args).output().expect("drplan runs")
}

fn sarif_of(args: &[&str]) -> (Value, Option<i32>) {
    let output = drplan(args);
    let text = String::from_utf8(output.stdout).unwrap();
    // The typed SARIF model (generated from the 2.1.0 schema) reads it back.
    let _: serde_sarif::sarif::Sarif = serde_json::from_str(&text).expect("the output is a SARIF log");
    (serde_json::from_str(&text).unwrap(), output.status.code())
}

/// The 1-based line and column of `"id": "<id>"`'s value in a plan file.
fn id_position(text: &str, id: &str) -> (i64, i64) {
    let needle = format!("\"id\": \"{id}\"");
    let (index, line) = text.lines().enumerate().find(|(_, line)| line.contains(&needle)).unwrap_or_else(|| panic!("{id} in the file"));
    let column = line.find(&needle).unwrap() + "\"id\": ".len() + 1;
    (index as i64 + 1, column as i64)
}

#[test]
fn the_driver_lists_every_catalog_rule_with_its_descriptions_and_level() {
    let path = sample_path("expressroute-hub-spoke.drplan.json");
    let (sarif, _) = sarif_of(&["validate", "--format", "sarif", path.to_str().unwrap()]);
    assert_eq!(sarif["version"], "2.1.0");
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "drplan");
    let rules = driver["rules"].as_array().unwrap();
    let catalog: Vec<&drplan::validate::Rule> = drplan::validate::rules().collect();
    assert_eq!(rules.len(), catalog.len());
    for (descriptor, rule) in rules.iter().zip(&catalog) {
        assert_eq!(descriptor["id"], rule.id);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert!(rule.explanation.starts_with(descriptor["fullDescription"]["text"].as_str().unwrap()));
        let help = descriptor["help"]["text"].as_str().unwrap();
        assert!(help.contains(rule.explanation) && help.contains(rule.sources[0].title), "{}", rule.id);
        let level = match rule.severity {
            drplan::validate::Severity::Error => "error",
            drplan::validate::Severity::Warning => "warning",
            drplan::validate::Severity::Info => "note",
        };
        assert_eq!(descriptor["defaultConfiguration"]["level"], level, "{}", rule.id);
    }
}

#[test]
fn each_result_names_its_rule_level_and_the_line_and_column_of_each_element() {
    let directory = tempfile::tempdir().unwrap();
    // A machine's address moved outside its subnet: an error on the machine and its subnet.
    let mut plan = sample("vmm-change-ip.drplan.json");
    plan.machines[0].ip = "172.31.255.9".parse().unwrap();
    let path = directory.path().join("broken-address.drplan.json");
    drplan::io::save(&plan, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let report = drplan::validate::validate(&plan);

    let (sarif, code) = sarif_of(&["validate", "--format", "sarif", path.to_str().unwrap()]);
    assert_eq!(code, Some(1), "errors fail the run by default");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for (result, finding) in results.iter().zip(&report.findings) {
        assert_eq!(result["ruleId"], finding.rule.id);
        assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], finding.rule.id, "ruleIndex points at the rule");
        let level = match finding.severity {
            drplan::validate::Severity::Error => "error",
            drplan::validate::Severity::Warning => "warning",
            drplan::validate::Severity::Info => "note",
        };
        assert_eq!(result["level"], level);
        assert!(result["message"]["text"].as_str().unwrap().contains(&finding.message));
        let locations: Vec<&Value> =
            result["locations"].as_array().unwrap().iter().chain(result["relatedLocations"].as_array().into_iter().flatten()).collect();
        let elements: Vec<&drplan::validate::ElementRef> = finding.elements.iter().chain(finding.scenario.as_ref()).collect();
        assert_eq!(locations.len(), elements.len());
        for (location, element) in locations.iter().zip(elements) {
            let physical = &location["physicalLocation"];
            assert_eq!(physical["artifactLocation"]["uri"], path.to_string_lossy().replace('\\', "/"));
            let (line, column) = id_position(&text, &element.id);
            assert_eq!(
                (physical["region"]["startLine"].as_i64().unwrap(), physical["region"]["startColumn"].as_i64().unwrap()),
                (line, column),
                "{}",
                element.id
            );
            assert_eq!(location["logicalLocations"][0]["fullyQualifiedName"], element.id.as_str());
        }
    }
    let machine = &plan.machines[0];
    assert!(
        results
            .iter()
            .any(|result| result["ruleId"] == "ADDR-IP-OUTSIDE-SUBNET"
                && result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == machine.id.as_str()),
        "the broken machine is the primary location of its finding"
    );
}

#[test]
fn an_unreadable_file_is_a_notification_at_its_fault_and_the_run_did_not_succeed() {
    let directory = tempfile::tempdir().unwrap();
    let broken = directory.path().join("broken.drplan.json");
    std::fs::write(&broken, "{\n  \"version\": 2,\n  \"name\": 7\n}\n").unwrap();
    let good = sample_path("vmm-change-ip.drplan.json");
    let (sarif, code) = sarif_of(&["validate", "--format", "sarif", broken.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert!(notification["message"]["text"].as_str().unwrap().contains("name"), "{notification}");
    let region = &notification["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert_eq!(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], broken.to_string_lossy().replace('\\', "/"));
}

#[test]
fn fail_on_sets_the_least_severity_that_fails_the_run() {
    // The ExpressRoute sample has warnings and no errors.
    let path = sample_path("expressroute-hub-spoke.drplan.json");
    let report = drplan::validate::validate(&load(&path));
    assert!(!report.has_errors() && report.count(drplan::validate::Severity::Warning) > 0);
    let code = |args: &[&str]| drplan(&[&["validate"], args, &[path.to_str().unwrap()]].concat()).status.code();
    assert_eq!(code(&[]), Some(0), "errors by default");
    assert_eq!(code(&["--fail-on", "error"]), Some(0));
    assert_eq!(code(&["--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["--fail-on", "warning", "--format", "sarif"]), Some(1));
    assert_eq!(code(&["--fail-on", "note"]), Some(2), "an unknown level is a usage error");
}

fn load(path: &Path) -> drplan::model::Plan {
    drplan::io::load(path).unwrap()
}
