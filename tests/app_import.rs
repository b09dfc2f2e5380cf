//! Starting from what exists, in the window (issue: import an Azure estate): File → Import Azure…
//! through drplan's own dialog, the summary it shows, and Scenario → Propose recovery side… as
//! one undo step.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod kit;

use std::path::Path;

use drplan::app::DrPlanApp;
use drplan::model::SiteRole;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kit::*;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/azure/graph")
}

fn untitled(directory: &Path) -> Harness<'static, DrPlanApp> {
    let mut app = DrPlanApp::new(None);
    app.use_recovery_path(Some(directory.join("untitled.recovery")));
    app.native_dialogs = false;
    let mut harness = harness(app);
    harness.run_steps(STEPS);
    harness
}

fn import_through_the_dialog(harness: &mut Harness<DrPlanApp>, path: &Path) {
    click_menu(harness, "File", "Import Azure…");
    let offered = harness.state().path_dialog.as_ref().expect("drplan's own dialog is open").text.clone();
    replace_text(harness, &offered, &path.display().to_string());
    harness.key_press(Key::Enter);
    harness.run_steps(STEPS);
}

#[test]
fn import_azure_builds_an_unsaved_plan_from_a_folder_and_shows_what_it_made() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = untitled(directory.path());
    import_through_the_dialog(&mut harness, &fixtures());
    let state = harness.state();
    assert_eq!(state.document.plan.networks.len(), 4, "both pages of the folder");
    assert!(state.document.path.is_none() && state.document.is_modified(), "a new plan that asks to be saved");
    let report = state.report.as_ref().expect("the summary is shown");
    assert_eq!(report.title, "Import summary");
    assert!(report.text.starts_with("Created: ") && report.text.contains("nic-orphan") && report.text.contains("Findings: 0 errors"), "{}", report.text);
    assert!(harness.query_all_by_label_contains("Skipped (1):").next().is_some(), "the window shows it");
    click(&mut harness, "Close");
    assert!(harness.state().report.is_none());
    assert!(harness.state().recovery_offer.is_none(), "an older untitled recovery copy is not offered over the import");
    assert_eq!(harness.state().recovery_path.as_deref().and_then(Path::parent), Some(directory.path()), "autosave stays in the folder it was given");
}

#[test]
fn an_import_of_a_file_that_is_not_azure_json_says_why_and_keeps_the_plan() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = untitled(directory.path());
    click(&mut harness, "+ Primary site");
    let before = harness.state().document.plan.clone();
    let other = directory.path().join("notes.json");
    std::fs::write(&other, r#"{"todo": ["buy milk"]}"#).unwrap();
    import_through_the_dialog(&mut harness, &other);
    // The plan had unsaved changes: the app asks first; Discard goes on with the import.
    click(&mut harness, "Discard");
    let state = harness.state();
    let report = state.report.as_ref().expect("the failure is shown");
    assert_eq!(report.title, "Import failed");
    assert!(report.text.contains("notes.json $: an object with fields todo"), "{}", report.text);
    assert_eq!(*state.document.plan, *before, "nothing replaced");
}

#[test]
fn propose_recovery_side_adds_it_as_one_undo_step() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = untitled(directory.path());
    import_through_the_dialog(&mut harness, &fixtures());
    click(&mut harness, "Close");
    // The import found one region: add the recovery site, then propose its side.
    click(&mut harness, "+ Recovery site");
    let networks = harness.state().document.plan.networks.len();
    click_menu(&mut harness, "Scenario", "Propose recovery side…");
    let dialog = harness.state().mirror_dialog.clone().expect("the dialog is open");
    let site = |role: SiteRole| harness.state().document.plan.sites.iter().find(|site| site.role == role).map(|site| site.id.clone());
    assert_eq!((dialog.from, dialog.to), (site(SiteRole::Primary), site(SiteRole::Recovery)), "primary to recovery by default");
    click(&mut harness, "Propose");
    let plan = harness.state().document.plan.clone();
    assert_eq!(plan.networks.len(), networks + 3, "a recovery network for each of the three VNets");
    assert_eq!(plan.network_mappings.len(), 3);
    assert_eq!(harness.state().scenario.as_ref(), plan.scenarios.last().map(|scenario| &scenario.id), "the proposed scenario is chosen");
    assert_eq!(harness.state().report.as_ref().map(|report| report.title.as_str()), Some("Recovery side proposed"));
    click(&mut harness, "Close");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan.networks.len(), networks, "one undo step takes it back");
}
