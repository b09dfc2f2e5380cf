//! The pipeline the `load_plan` fuzz target and `tests/fuzz_regressions.rs` run over one input:
//! everything drplan does with a plan file someone hands it. One copy of the code, included by
//! both with `#[path]`, so a regression input replays exactly what the fuzzer ran.
//!
//! A load error is an answer, not a failure. Once a plan loads, every step must succeed without
//! panicking, and the checks below (`assert!`) hold the invariants a user relies on: a loaded
//! plan saves and reloads unchanged, every scenario of a loaded plan simulates, the JSON export
//! is JSON, and deleting an element leaves a plan that still loads.

use std::path::Path;

use drplan::edit::{self, Edit, ElementKey};
use drplan::io::{self, LoadError};
use drplan::model::ElementKind;
use drplan::model::Plan;
use drplan::{export, recovery, simulate, validate};

/// What a run did with an input that loaded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ran {
    pub scenarios: usize,
    pub differences: usize,
    pub steps: usize,
}

/// Loads `text` as the plan file `file`, then validates, saves and reloads, simulates every
/// scenario, builds its recovery plan and renders every in-memory export.
pub fn run(text: &str, file: &Path) -> Result<Ran, LoadError> {
    let loaded = io::parse_str(text, file)?;
    let mut ran = Ran::default();
    let _ = validate::validate(&loaded);
    round_trip(&loaded, file);

    let index = drplan::model::PlanIndex::new(&loaded);
    for scenario in &loaded.scenarios {
        let outcome = match simulate::simulate(&loaded, scenario) {
            Ok(outcome) => outcome,
            Err(error) => panic!("scenario `{}` of a plan that loaded does not simulate: {error}", scenario.id),
        };
        ran.scenarios += 1;
        ran.differences += outcome.differences.len();
        // What the desktop app shows for a rehearsal: both sides validated, differences in words.
        let _ = validate::validate(&outcome.before);
        let _ = validate::validate(&outcome.after);
        let _ = simulate::describe_all(&index, &outcome);

        let recovery = recovery::recovery_plan(&index, scenario, &outcome);
        ran.steps += recovery.steps().count();
        exports(&recovery);
    }

    deletions(&loaded, file);
    Ok(ran)
}

/// The plan as saved (the canonical text `drplan fmt` and autosave write) loads back as the
/// same plan: whatever loads once can be saved and opened again.
fn round_trip(loaded: &Plan, file: &Path) {
    let saved = io::to_canonical_json(loaded);
    match io::parse_str(&saved, file) {
        Ok(reloaded) => assert!(reloaded == *loaded, "the saved plan reloads as a different plan:\n{saved}"),
        Err(error) => panic!("a plan that loaded does not reload after saving: {error}\n{saved}"),
    }
}

/// The runbook, the JSON plan and the scripts, built as `export::write_plan` builds them but
/// kept in memory.
fn exports(recovery: &recovery::RecoveryPlan) {
    let scripts = export::scripts(recovery);
    for script in &scripts {
        assert!(!script.text.is_empty(), "script {} is empty", script.file_name);
    }
    let names = export::ScriptNames::of(&scripts);
    let _ = export::asr_plan(recovery, &names);
    let runbook = export::runbook_markdown(recovery, &names, &["diagram.svg".to_owned()]);
    assert!(runbook.starts_with("# Recovery runbook: "), "the runbook has no title:\n{runbook}");
    let json = export::plan_json(recovery);
    if let Err(error) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("the JSON export is not JSON ({error}):\n{json}");
    }
}

/// Deleting an element removes what cannot exist without it, so the plan still loads. One
/// element of each kind is deleted (the first), which keeps a run linear in the input.
fn deletions(loaded: &Plan, file: &Path) {
    let mut keys = Vec::new();
    let first = |kind, id: Option<&str>| id.map(|id| ElementKey::new(kind, id));
    keys.extend(first(ElementKind::Site, loaded.sites.first().map(|e| e.id.as_str())));
    keys.extend(first(ElementKind::Network, loaded.networks.first().map(|e| e.id.as_str())));
    keys.extend(first(ElementKind::Subnet, loaded.subnets.first().map(|e| e.id.as_str())));
    keys.extend(first(ElementKind::Machine, loaded.machines.first().map(|e| e.id.as_str())));
    keys.extend(first(ElementKind::Circuit, loaded.circuits.first().map(|e| e.id.as_str())));
    keys.extend(first(ElementKind::Connection, loaded.connections.first().map(|e| e.id.as_str())));
    keys.extend(first(ElementKind::Scenario, loaded.scenarios.first().map(|e| e.id.as_str())));
    let gateway = loaded.networks.iter().flat_map(|network| &network.gateways).next();
    keys.extend(first(ElementKind::Gateway, gateway.map(|e| e.id.as_str())));
    let nva = loaded.networks.iter().flat_map(|network| &network.nvas).next();
    keys.extend(first(ElementKind::Nva, nva.map(|e| e.id.as_str())));

    for key in keys {
        let mut edited = loaded.clone();
        if let Err(error) = edit::apply(&mut edited, Edit::Delete(key.clone())) {
            panic!("deleting {key:?}, which the plan holds, failed: {error}");
        }
        let saved = io::to_canonical_json(&edited);
        if let Err(error) = io::parse_str(&saved, file) {
            panic!("after deleting {key:?} the plan no longer loads: {error}\n{saved}");
        }
    }
}
