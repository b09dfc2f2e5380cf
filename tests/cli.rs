//! The headless command line, run as a real process: exit codes, text and JSON output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use drplan::model::{Connection, ConnectionState, Link};
use serde_json::Value;

fn drplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drplan")).args(args).output().expect("drplan runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The Azure full-region sample with a VPN between its two 10.1.0.0/16 networks.
fn write_overlapping_plan(directory: &Path) -> String {
    let mut plan = sample("azure-full-region.drplan.json");
    plan.connections.push(Connection {
        azure: Default::default(),
        id: "conn-overlap".into(),
        name: "Source to Recovery VPN".into(),
        from: "net-source-vnet".into(),
        link: Link::SiteToSiteVpn { to: "net-recovery-vnet".into() },
        state: ConnectionState::Active,
    });
    let path = directory.join("overlap.drplan.json");
    drplan::io::save(&plan, &path).unwrap();
    path.to_string_lossy().into_owned()
}

fn write_broken_plan(directory: &Path) -> String {
    let path = directory.join("broken.drplan.json");
    let text = sample_text("hybrid-full-region.drplan.json");
    std::fs::write(&path, &text[..text.len() / 3]).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn validate_all_samples_exits_zero() {
    let paths: Vec<String> = SAMPLES.iter().map(|name| sample_path(name).to_string_lossy().into_owned()).collect();
    let mut args = vec!["validate"];
    args.extend(paths.iter().map(String::as_str));
    let output = drplan(&args);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    for name in SAMPLES {
        assert!(stdout(&output).contains(&format!("{name}: 0 errors")), "{}", stdout(&output));
    }
}

#[test]
fn validate_exits_one_and_explains_an_overlap_for_people() {
    let directory = tempfile::tempdir().unwrap();
    let path = write_overlapping_plan(directory.path());
    let output = drplan(&["validate", &path]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("1 error"), "{text}");
    assert!(
        text.contains(r#"error[CONN-OVERLAP] "Source to Recovery VPN" (conn-overlap), "Source VNet" (net-source-vnet), "Recovery VNet" (net-recovery-vnet)"#),
        "{text}"
    );
    assert!(text.contains("  fix:  "), "{text}");
    assert!(text.contains("  see:  Retain IP addresses when failing over Azure virtual machines"), "{text}");
}

#[test]
fn validate_json_lists_findings_with_rule_elements_and_summary() {
    let directory = tempfile::tempdir().unwrap();
    let path = write_overlapping_plan(directory.path());
    let output = drplan(&["validate", "--format", "json", &path]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let file = &json["files"][0];
    assert_eq!(file["file"], path.as_str());
    assert_eq!(file["summary"]["errors"], 1);
    let finding = file["findings"].as_array().unwrap().iter().find(|finding| finding["rule"] == "CONN-OVERLAP").unwrap();
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["elements"][0]["kind"], "connection");
    assert_eq!(finding["elements"][1]["name"], "Source VNet");
    assert!(finding["fix"].as_str().unwrap().len() > 10);
    assert!(finding["source"].as_str().unwrap().starts_with("Retain IP addresses"));
}

#[test]
fn validate_exits_two_for_an_unreadable_file_and_names_line_and_column() {
    let directory = tempfile::tempdir().unwrap();
    let path = write_broken_plan(directory.path());
    let output = drplan(&["validate", &path]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.starts_with(&format!("error: {path}:")), "{message}");

    let output = drplan(&["validate", "--format", "json", &path]);
    assert_eq!(output.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let error = &json["files"][0]["error"];
    assert!(error["line"].as_u64().unwrap() > 1);
    assert!(error["column"].as_u64().unwrap() >= 1);
    assert!(error["message"].as_str().unwrap().contains("not valid JSON"));
}

#[test]
fn validate_reports_the_worst_exit_code_over_several_files() {
    let directory = tempfile::tempdir().unwrap();
    let overlap = write_overlapping_plan(directory.path());
    let broken = write_broken_plan(directory.path());
    let good = sample_path("vmm-change-ip.drplan.json").to_string_lossy().into_owned();
    assert_eq!(drplan(&["validate", &good, &overlap]).status.code(), Some(1));
    assert_eq!(drplan(&["validate", &overlap, &broken, &good]).status.code(), Some(2));
}

#[test]
fn a_missing_file_exits_two() {
    let output = drplan(&["validate", "/nonexistent/plan.drplan.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/plan.drplan.json: cannot read the file"));
}

#[test]
fn fmt_rewrites_a_plan_in_canonical_layout_and_check_reports_it() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("compact.drplan.json");
    let plan = sample("vmm-change-ip.drplan.json");
    std::fs::write(&path, serde_json::to_string(&plan).unwrap()).unwrap();
    let path_text = path.to_string_lossy().into_owned();

    let check = drplan(&["fmt", "--check", &path_text]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("not in canonical layout"));

    assert_eq!(drplan(&["fmt", &path_text]).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), sample_text("vmm-change-ip.drplan.json"));
    assert_eq!(drplan(&["fmt", "--check", &path_text]).status.code(), Some(0));
}

#[test]
fn the_shipped_json_schema_matches_the_types() {
    let shipped = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/plan.schema.json")).unwrap();
    assert_eq!(shipped.trim_end(), drplan::cli::schema_json(), "run `drplan schema > docs/plan.schema.json`");
}

#[test]
fn the_schema_accepts_the_shape_of_the_samples() {
    let schema: Value = serde_json::from_str(&drplan::cli::schema_json()).unwrap();
    let required: Vec<&str> = schema["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(required.contains(&"version") && required.contains(&"name"), "{required:?}");
    for field in ["sites", "networks", "subnets", "machines", "circuits", "connections", "network_mappings", "scenarios"] {
        assert!(schema["properties"][field].is_object(), "{field}");
    }
}

#[test]
fn simulate_prints_the_differences_as_text_and_json() {
    let path = sample_path("azure-isolated-app.drplan.json").to_string_lossy().into_owned();
    let text = drplan(&["simulate", &path, "--scenario", "scn-app2-failover"]);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    assert!(stdout(&text).contains("site-to-site VPN \"Source VNet1 to Recovery VNet2 VPN\" is established"), "{}", stdout(&text));
    let json = drplan(&["simulate", &path, "--scenario", "Isolated failover of App 2", "--format", "json"]);
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["differences"].as_array().unwrap().iter().any(|d| d["change"] == "connection_disconnected"));
}

#[test]
fn simulate_names_the_scenarios_when_one_is_unknown() {
    let path = sample_path("azure-isolated-app.drplan.json").to_string_lossy().into_owned();
    let output = drplan(&["simulate", &path, "--scenario", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("scn-app2-failover (Isolated failover of App 2)"), "{}", stderr(&output));
}

#[test]
fn plan_writes_the_runbook_json_and_scripts() {
    let directory = tempfile::tempdir().unwrap();
    let out = directory.path().join("out");
    let path = sample_path("vmm-change-ip.drplan.json").to_string_lossy().into_owned();
    let output = drplan(&["plan", &path, "--scenario", "Full site failover with new IPs", "--out", &out.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for file in ["runbook.md", "recovery-plan.json", "scripts/update-dns.ps1"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    assert!(!out.join("scripts/network-changes.ps1").exists(), "seed 000: with new addresses no VPN or route changes");
    let dns = std::fs::read_to_string(out.join("scripts/update-dns.ps1")).unwrap();
    assert!(dns.contains("$Record = Get-DnsServerResourceRecord -ZoneName 'contoso.local' -Name 'web01'"), "{dns}");
}

/// A design that validation rejects still gets its recovery plan written, but `plan` and
/// `simulate` exit 1 and the runbook opens on why it cannot work; a correct design does not.
#[test]
fn plan_and_simulate_of_a_design_with_errors_exit_one_and_the_runbook_says_it_cannot_work() {
    let directory = tempfile::tempdir().unwrap();
    let broken = write_overlapping_plan(directory.path());
    let out = directory.path().join("plan");
    let output = drplan(&["plan", &broken, "--scenario", "scn-full-region", "--out", &out.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1), "{}{}", stdout(&output), stderr(&output));
    assert!(stderr(&output).contains("cannot work as drawn") && stderr(&output).contains("CONN-OVERLAP"), "{}", stderr(&output));
    let runbook = std::fs::read_to_string(out.join("runbook.md")).expect("written all the same");
    let banner = runbook.find("This plan cannot work as drawn").expect("the banner");
    let first_step = runbook.find("## Before any machine fails over").expect("the steps");
    assert!(banner < first_step, "the banner comes before any step");
    assert!(runbook[banner..first_step].contains("CONN-OVERLAP"), "it names the error");
    let json = std::fs::read_to_string(out.join("recovery-plan.json")).unwrap();
    assert!(json.contains("\"cannot_work_as_drawn\""), "the JSON says it too");

    let simulated = drplan(&["simulate", &broken, "--scenario", "scn-full-region"]);
    assert_eq!(simulated.status.code(), Some(1), "{}", stderr(&simulated));
    assert!(stdout(&simulated).contains("changes"), "the simulation is still shown");

    let correct = sample_path("azure-full-region.drplan.json").to_string_lossy().into_owned();
    let clean_out = directory.path().join("clean");
    let output = drplan(&["plan", &correct, "--scenario", "scn-full-region", "--out", &clean_out.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!std::fs::read_to_string(clean_out.join("runbook.md")).unwrap().contains("cannot work"));
}

/// The headless build (`cargo build --no-default-features`) runs every subcommand and says,
/// rather than fails obscurely, that it has no window.
#[cfg(not(feature = "gui"))]
#[test]
fn the_headless_build_says_it_has_no_window_and_runs_subcommands() {
    let output = drplan(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("built without the desktop window"), "{}", stderr(&output));
    let output = drplan(&["validate", sample_path("azure-full-region.drplan.json").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
