//! Every `az` line of every sample's generated network scripts goes through the real Azure CLI
//! (issue: runnable recovery plans). The scripts run under bash with `az` standing in for a
//! wrapper that calls the real CLI logged out: each command must fail only for want of a login,
//! never with "unrecognized arguments" or a missing required argument. The wrapper prints a
//! placeholder so that `$(az ... --query id)` lines give the next line something to pass on.
//!
//! The CLI is `$DRPLAN_AZ`, else `az` on the PATH. Without it the test says it was skipped;
//! `.ci/run` installs azure-cli from PyPI in a virtual environment and sets
//! `DRPLAN_REQUIRE_AZ=1`, so there a missing CLI fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use drplan::{export, recovery, simulate};

fn azure_cli() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DRPLAN_AZ") {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|dir| dir.join("az")).find(|candidate| candidate.is_file()))
}

const WRAPPER: &str = r#"#!/usr/bin/env bash
out=$("$DRPLAN_REAL_AZ" "$@" 2>&1); rc=$?
if [[ $rc -ne 0 && "$out" == *"az login"* ]]; then
    printf 'login-only: az %s\n' "$*" >> "$DRPLAN_AZ_LOG"
else
    printf 'REJECTED (exit %s): az %s\n%s\n' "$rc" "$*" "$out" >> "$DRPLAN_AZ_LOG"
fi
echo placeholder
"#;

/// The environment variables a script demands with `: "${NAME:?...}"`.
fn demanded_variables(script: &str) -> Vec<String> {
    script.lines().filter_map(|line| line.strip_prefix(": \"${")).filter_map(|rest| rest.split(":?").next()).map(str::to_owned).collect()
}

#[test]
fn every_az_line_of_every_sample_script_parses_in_the_real_azure_cli() {
    let Some(az) = azure_cli() else {
        assert!(std::env::var_os("DRPLAN_REQUIRE_AZ").is_none(), "DRPLAN_REQUIRE_AZ is set but no Azure CLI was found (set DRPLAN_AZ)");
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED every_az_line_of_every_sample_script_parses_in_the_real_azure_cli: no Azure CLI (set DRPLAN_AZ or put az on the PATH)"
        );
        return;
    };
    let work = tempfile::tempdir().expect("temporary directory");
    let bin = work.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin directory");
    std::fs::write(bin.join("az"), WRAPPER).expect("wrapper");
    Command::new("chmod").arg("+x").arg(bin.join("az")).status().expect("chmod");
    let config = work.path().join("azure-config");
    std::fs::create_dir_all(&config).expect("config directory");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());

    let mut scripts_run = 0;
    let mut commands = 0;
    let samples = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")).expect("samples");
    let mut names: Vec<String> = samples.filter_map(|entry| entry.ok()).map(|entry| entry.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for name in names.iter().filter(|name| name.ends_with(".drplan.json")) {
        let plan = sample(name);
        for scenario in &plan.scenarios {
            let outcome = simulate::simulate(&plan, scenario).expect("simulates");
            let recovery = recovery::recovery_plan(&drplan::model::PlanIndex::new(&plan), scenario, &outcome);
            for script in export::scripts(&recovery).into_iter().filter(|script| script.file_name.ends_with(".sh")) {
                let file = work.path().join(format!("{name}-{}-{}", scenario.id, script.file_name));
                std::fs::write(&file, &script.text).expect("script");
                let log = work.path().join(format!("{name}-{}.log", scenario.id));
                let mut command = Command::new("bash");
                command
                    .arg(&file)
                    .env("PATH", &path)
                    .env("DRPLAN_REAL_AZ", &az)
                    .env("DRPLAN_AZ_LOG", &log)
                    .env("AZURE_CONFIG_DIR", &config)
                    .env("AZURE_CORE_COLLECT_TELEMETRY", "false")
                    .env("AZURE_CORE_ONLY_SHOW_ERRORS", "true");
                for variable in demanded_variables(&script.text) {
                    command.env(variable, "drplan-test");
                }
                let output = command.output().expect("bash runs");
                assert!(output.status.success(), "{} stopped:\n{}", file.display(), String::from_utf8_lossy(&output.stderr));
                let logged = std::fs::read_to_string(&log).unwrap_or_default();
                let expected = script.text.lines().filter(|line| line.trim_start().starts_with("az ") || line.contains("$(az ")).count();
                let ran = logged.lines().filter(|line| line.starts_with("login-only: ") || line.starts_with("REJECTED")).count();
                assert!(!logged.contains("REJECTED"), "{name}, scenario {}: the Azure CLI rejected a command:\n{logged}", scenario.id);
                assert_eq!(ran, expected, "{name}, scenario {}: every az line ran once:\n{logged}", scenario.id);
                scripts_run += 1;
                commands += ran;
            }
        }
    }
    assert!(scripts_run >= 4 && commands >= 30, "the samples' scripts hold az commands ({scripts_run} scripts, {commands} commands)");
    let _ = writeln!(std::io::stderr().lock(), "azure CLI: {commands} commands of {scripts_run} scripts parsed, each failing only for want of a login");
}
