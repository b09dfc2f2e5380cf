//! The desktop app driven through its real UI with egui_kittest: widgets are found by their
//! labels, clicked and typed into; the assertions look at the model, the findings and the file.

mod common;

use common::*;
use drplan::app::DrPlanApp;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

/// egui_graphs asks for a repaint every frame, so the harness runs a fixed number of steps.
const STEPS: usize = 4;

fn harness(app: DrPlanApp) -> Harness<'static, DrPlanApp> {
    Harness::builder().with_size((1500.0, 950.0)).build_ui_state(|ui, app: &mut DrPlanApp| app.ui(ui), app)
}

fn app_on(sample_name: &str, recovery: &std::path::Path) -> DrPlanApp {
    let mut app = DrPlanApp::new(Some(&sample_path(sample_name)));
    app.use_recovery_path(Some(recovery.join("plan.recovery")));
    app
}

fn has_finding(harness: &Harness<DrPlanApp>, rule: &str) -> bool {
    harness.state().document.report.of_rule(rule).next().is_some()
        && harness.query_all_by_label_contains(rule).next().is_some()
}

/// The text field showing `value` (labels may show the same text).
fn text_field<'h>(harness: &'h Harness<DrPlanApp>, value: &'h str) -> egui_kittest::Node<'h> {
    harness.get_by(move |node| node.role() == Role::TextInput && node.value().as_deref() == Some(value))
}

fn replace_text(harness: &mut Harness<DrPlanApp>, current: &str, new: &str) {
    text_field(harness, current).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    text_field(harness, current).type_text(new);
    harness.run_steps(STEPS);
}

/// Opens a menu and clicks an entry (entries show their shortcut beside the label).
fn click_menu(harness: &mut Harness<DrPlanApp>, menu: &str, entry: &str) {
    click(harness, menu);
    let is_entry = move |label: &str| {
        label == entry || label.strip_prefix(entry).is_some_and(|rest| rest.trim_start().starts_with("Ctrl"))
    };
    harness.get_by(move |node| node.role() == Role::Button && node.label().is_some_and(|label| is_entry(&label))).click();
    harness.run_steps(STEPS);
}

fn click(harness: &mut Harness<DrPlanApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(STEPS);
}

#[test]
fn add_a_network_peer_it_with_an_overlapping_one_fix_it_undo_redo_rehearse_and_save() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on("azure-full-region.drplan.json", directory.path()));
    harness.run_steps(STEPS);
    assert!(!has_finding(&harness, "CONN-OVERLAP"));

    // Add a network: it gets a free address space and is selected for the inspector.
    click(&mut harness, "+ Network");
    let added = harness.state().selected().cloned().expect("the new network is selected");
    assert_eq!(harness.state().document.plan.networks.len(), 5);

    // Give it Azure VNet's address space, then peer the two.
    replace_text(&mut harness, "10.3.0.0/16", "10.2.0.0/16");
    let network = harness.state().document.plan.network(&added.id.as_str().into()).unwrap().clone();
    assert_eq!(network.address_space[0].to_string(), "10.2.0.0/16");
    click(&mut harness, "Connection type");
    click(&mut harness, "VNet peering");
    click(&mut harness, "Connect to");
    click(&mut harness, "Azure VNet (Azure Southeast Asia)");
    click(&mut harness, "Connect");
    assert!(has_finding(&harness, "CONN-OVERLAP"), "{:#?}", harness.state().document.report.findings);

    // Fix the prefix in the inspector: the finding goes.
    click(&mut harness, &format!("{} (10.2.0.0/16)", network.name));
    replace_text(&mut harness, "10.2.0.0/16", "10.9.0.0/16");
    assert!(!has_finding(&harness, "CONN-OVERLAP"));

    // Undo brings the overlap back, redo fixes it again.
    click_menu(&mut harness, "Edit", "Undo");
    assert!(has_finding(&harness, "CONN-OVERLAP"));
    click_menu(&mut harness, "Edit", "Redo");
    assert!(!has_finding(&harness, "CONN-OVERLAP"));

    // Rehearse the full region failover: the after view lists its differences.
    click(&mut harness, "Before / after");
    assert!(harness.state().before_after);
    assert!(harness.query_all_by_label_contains("site-to-site VPN \"Recovery VNet to Azure VNet VPN\" is established").next().is_some());
    assert!(harness.query_all_by_label_contains("Estimated RTO").next().is_some());

    // Save and reload: the file holds exactly the plan on screen.
    let saved = directory.path().join("edited.drplan.json");
    harness.state_mut().document.path = Some(saved.clone());
    click_menu(&mut harness, "File", "Save");
    assert!(!harness.state().document.is_modified());
    let reloaded = drplan::io::load(&saved).unwrap();
    assert_eq!(reloaded, *harness.state().document.plan);
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), drplan::io::to_canonical_json(&reloaded));
}

#[test]
fn a_prefix_that_does_not_parse_shows_why_and_stays_out_of_the_model() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on("azure-full-region.drplan.json", directory.path()));
    harness.run_steps(STEPS);
    click(&mut harness, "Source VNet (10.1.0.0/16)");
    replace_text(&mut harness, "10.1.0.0/16", "10.1.0.0/99");
    assert!(harness.query_all_by_label_contains("is not an IP prefix").next().is_some());
    let network = harness.state().document.plan.network(&"net-source-vnet".into()).unwrap();
    assert_eq!(network.address_space[0].to_string(), "10.1.0.0/16", "garbage never reaches the model");
}

#[test]
fn clicking_a_finding_selects_its_element() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on("expressroute-hub-spoke.drplan.json", directory.path()));
    harness.run_steps(STEPS);
    click(&mut harness, "warning GW-NOT-READY");
    let selection = harness.state().selected().cloned().unwrap();
    assert_eq!(selection.id, "net-target-hub");
}

#[test]
fn deleting_the_selection_and_undoing_restores_the_plan() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on("hybrid-full-region.drplan.json", directory.path()));
    harness.run_steps(STEPS);
    let original = harness.state().document.plan.clone();
    click(&mut harness, "Recovery VNet (10.1.0.0/16)");
    harness.key_press(Key::Delete);
    harness.run_steps(STEPS);
    assert!(harness.state().document.plan.network(&"net-recovery-vnet".into()).is_none());
    assert!(harness.state().document.is_modified());
    assert!(harness.state().recovery_path.as_ref().unwrap().exists(), "a structural edit autosaves a recovery copy");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan, original);
}

#[test]
fn a_network_mapping_and_a_new_scenario_are_edited_in_the_app() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on("azure-full-region.drplan.json", directory.path()));
    harness.run_steps(STEPS);
    click(&mut harness, "Azure VNet (10.2.0.0/16)");
    click(&mut harness, "Fails over into");
    click(&mut harness, "Test VNet");
    let mapped = harness.state().document.plan.network_mappings.iter().any(|m| m.source.as_str() == "net-azure-vnet" && m.target.as_str() == "net-test-vnet");
    assert!(mapped);

    click(&mut harness, "Before / after");
    click(&mut harness, "+ Scenario");
    let plan = &harness.state().document.plan;
    assert_eq!(plan.scenarios.len(), 3);
    assert_eq!(harness.state().scenario.as_ref(), Some(&plan.scenarios[2].id), "the new scenario is the one shown");
}

#[test]
fn large_plans_are_validated_off_the_ui_thread_and_the_report_arrives() {
    use drplan::app::Document;
    use drplan::edit::{Edit, Element};
    let plan = drplan::synth::enterprise_plan(drplan::synth::SynthSpec { prefixes: 6_000, seed: 5, faults: 0 }).plan;
    assert!(drplan::cli::prefix_count(&plan) >= drplan::app::document::BACKGROUND_VALIDATION_PREFIXES);
    let mut document = Document::new(plan, None);
    assert!(!document.report.has_errors());
    let mut subnet = document.plan.subnet(&drplan::synth::spoke_subnet_id("primary", 7, 1)).unwrap().clone();
    subnet.prefix = document.plan.subnet(&drplan::synth::spoke_subnet_id("primary", 7, 0)).unwrap().prefix;
    document.apply(Edit::Replace(Element::Subnet(subnet))).unwrap();
    assert!(document.report.of_rule("ADDR-SUBNET-OVERLAP").next().is_none(), "the edit returns before validation ends");
    let started = std::time::Instant::now();
    while document.poll_validation() {
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "validation finishes");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(document.report.of_rule("ADDR-SUBNET-OVERLAP").next().is_some());
}

#[test]
fn the_app_exports_the_recovery_plan_with_its_before_and_after_diagrams() {
    let directory = tempfile::tempdir().unwrap();
    let mut app = app_on("hybrid-full-region.drplan.json", directory.path());
    let out = directory.path().join("export");
    std::fs::create_dir_all(&out).unwrap();
    let count = app.export_recovery_plan(&out).unwrap();
    for file in ["hybrid-full-region-before.svg", "hybrid-full-region-after.png", "runbook.md", "recovery-plan.json"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    assert!(count >= 6);
    let runbook = std::fs::read_to_string(out.join("runbook.md")).unwrap();
    assert!(runbook.contains("`hybrid-full-region-after.svg`"), "the runbook names the diagrams");
}

#[test]
fn appliances_gateways_and_routes_are_edited_in_the_network_inspector() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on("expressroute-hub-spoke.drplan.json", directory.path()));
    harness.run_steps(STEPS);
    click(&mut harness, "Source Hub vNet (10.10.10.0/24)");
    let gateway = harness.state().document.plan.network(&"net-source-hub".into()).unwrap().gateways[0].name.clone();
    replace_text(&mut harness, &gateway, "Hub ER gateway");
    let hub = harness.state().document.plan.network(&"net-source-hub".into()).unwrap().clone();
    assert_eq!(hub.gateways[0].name, "Hub ER gateway");
    harness.get_by_label("Add route table").scroll_to_me();
    harness.run_steps(STEPS);
    click(&mut harness, "Add route table");
    let hub = harness.state().document.plan.network(&"net-source-hub".into()).unwrap().clone();
    assert_eq!(hub.route_tables.len(), 2);
}
