//! The desktop app driven through its real UI with egui_kittest: opening and saving through
//! drplan's own file dialog, the Scenario menu, the before/after view, presenting a failover step
//! by step, and the Export dialog.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod kit;

use common::*;
use drplan::app::DrPlanApp;
use drplan::edit::ElementKey;
use drplan::model::ElementKind;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kit::*;

/// drplan's own file dialog, as the app shows it where the platform has none: opens with a path
/// in the documents or home folder (never the working directory), takes a typed path.
fn untitled_app_with_drplans_dialog(directory: &std::path::Path) -> Harness<'static, DrPlanApp> {
    let mut app = DrPlanApp::new(None);
    app.use_recovery_path(Some(directory.join("untitled.recovery")));
    app.native_dialogs = false;
    let mut harness = harness(app);
    harness.run_steps(STEPS);
    click(&mut harness, "+ Primary site");
    harness
}

fn answer_path_dialog(harness: &mut Harness<DrPlanApp>, path: &std::path::Path) {
    let offered = harness.state().path_dialog.as_ref().expect("drplan's own dialog is open").text.clone();
    let working = std::env::current_dir().unwrap();
    assert!(!offered.starts_with(&*working.to_string_lossy()), "the dialog starts in {offered}, not the working directory");
    replace_text(harness, &offered, &path.display().to_string());
    harness.key_press(Key::Enter);
    harness.run_steps(STEPS);
}

#[test]
fn without_a_platform_dialog_ctrl_s_opens_drplans_own_and_writes_the_typed_path() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = untitled_app_with_drplans_dialog(directory.path());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(STEPS);
    assert!(harness.query_all_by_label("Save the plan as").next().is_some(), "the dialog is shown");
    answer_path_dialog(&mut harness, &directory.path().join("drawn"));

    let saved = directory.path().join("drawn.drplan.json");
    let plan = drplan::io::load(&saved).expect("the plan was written whole, with its extension added");
    assert_eq!(plan.sites.len(), 1);
    assert!(harness.state().path_dialog.is_none());
    assert!(!harness.state().document.is_modified());
    assert_eq!(harness.state().prefs.recent.first(), Some(&std::fs::canonicalize(&saved).unwrap()), "Save As adds the file to Open recent");
}

#[test]
fn save_from_the_unsaved_changes_prompt_of_an_untitled_plan_saves_then_starts_the_new_plan() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = untitled_app_with_drplans_dialog(directory.path());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(STEPS);
    click(&mut harness, "Save");
    let saved = directory.path().join("first.drplan.json");
    answer_path_dialog(&mut harness, &saved);

    assert_eq!(drplan::io::load(&saved).expect("saved").sites.len(), 1);
    assert!(harness.state().document.path.is_none() && harness.state().document.plan.sites.is_empty(), "then the new plan");
}

#[test]
fn open_through_drplans_own_dialog_refuses_a_missing_file_and_opens_a_typed_one() {
    let directory = tempfile::tempdir().unwrap();
    let mut app = DrPlanApp::new(None);
    app.use_recovery_path(Some(directory.path().join("untitled.recovery")));
    app.native_dialogs = false;
    let mut harness = harness(app);
    harness.run_steps(STEPS);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(STEPS);
    answer_path_dialog(&mut harness, &directory.path().join("missing.drplan.json"));
    assert!(harness.query_all_by_label_contains("There is no file").next().is_some(), "says why");
    assert!(harness.state().path_dialog.is_some(), "and stays open");

    let current = harness.state().path_dialog.as_ref().unwrap().text.clone();
    replace_text(&mut harness, &current, &sample_path("hybrid-full-region.drplan.json").display().to_string());
    harness.key_press(Key::Enter);
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan.name, sample("hybrid-full-region.drplan.json").name);
}

#[test]
fn present_steps_through_the_recovery_plan_with_the_running_recovery_time() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = Harness::builder()
        .with_size((1920.0, 1080.0))
        .build_ui_state(|ui, app: &mut DrPlanApp| app.ui(ui), app_on("hybrid-full-region.drplan.json", directory.path()));
    harness.run_steps(STEPS);
    let plan = sample("hybrid-full-region.drplan.json");
    let scenario = plan.scenario_by_id_or_name("scn-full-region").expect("scenario");
    let outcome = drplan::simulate::simulate(&plan, scenario).expect("simulates");
    let recovery = drplan::recovery::recovery_plan(&drplan::model::PlanIndex::new(&plan), scenario, &outcome);
    let steps: Vec<_> = recovery.steps().cloned().collect();
    let count = steps.len();
    let elapsed = |shown: usize| steps[..shown].iter().filter(|step| step.counts_toward_rto).map(|step| step.duration_secs).sum::<u32>();
    let shows = |harness: &Harness<DrPlanApp>, text: &str| harness.query_all_by_label_contains(text).next().is_some();

    harness.key_press(Key::F5);
    harness.run_steps(STEPS);
    assert!(shows(&harness, &format!("Step 0 of {count}")), "Present opens on the network before");
    assert!(!shows(&harness, "Outline") && !shows(&harness, "Findings"), "the side panels are hidden");
    for _ in 0..3 {
        harness.key_press(Key::ArrowRight);
        harness.run_steps(1);
    }
    harness.run_steps(STEPS);
    assert!(shows(&harness, &format!("Step 3 of {count}: {}", steps[2].title)), "three steps on");
    let so_far =
        format!("recovery time so far {} of {}", drplan::export::duration_text(elapsed(3)), drplan::export::duration_text(recovery.estimated_rto_secs));
    assert!(shows(&harness, &so_far), "{so_far}");
    harness.key_press(Key::ArrowLeft);
    harness.run_steps(STEPS);
    assert!(shows(&harness, &format!("Step 2 of {count}: {}", steps[1].title)), "one step back");
    harness.key_press(Key::End);
    harness.run_steps(STEPS);
    assert!(shows(&harness, &format!("Step {count} of {count}")));
    let whole = drplan::export::duration_text(recovery.estimated_rto_secs);
    assert!(shows(&harness, &format!("recovery time so far {whole} of {whole}")), "the whole RTO at the last step");
    harness.key_press(Key::Space);
    harness.run_steps(STEPS);
    assert!(shows(&harness, &format!("Step {count} of {count}")), "stays at the last step");
    harness.key_press(Key::Escape);
    harness.run_steps(STEPS);
    assert!(harness.state().presentation.is_none() && shows(&harness, "Outline"), "Esc leaves");
}

#[test]
fn the_scenario_menu_adds_duplicates_picks_and_deletes_scenarios_outside_the_before_after_view() {
    let (_directory, mut harness) = opened("vmm-subnet-failover.drplan.json");
    let scenarios = |harness: &Harness<DrPlanApp>| harness.state().document.plan.scenarios.iter().map(|scenario| scenario.name.clone()).collect::<Vec<_>>();
    let original = scenarios(&harness);

    click_menu(&mut harness, "Scenario", "Duplicate scenario");
    let copy = format!("{} (copy)", original[0]);
    assert_eq!(scenarios(&harness), [original.clone(), vec![copy.clone()]].concat());
    assert!(harness.state().before_after, "the copy is shown in the scenario editor");
    let chosen = harness.state().scenario.clone().expect("the copy is chosen");
    assert_eq!(harness.state().document.plan.scenario(&chosen).map(|scenario| scenario.name.clone()), Some(copy));
    // The subnet list of a subnet-scope scenario names each subnet's network and site.
    let named = |label: &str| label.contains("192.168.1.0/24 (") && label.contains(", Primary VMM site)");
    assert!(harness.query_by(move |node| node.label().is_some_and(|label| named(&label))).is_some(), "the subnet names its network and site");

    click_menu(&mut harness, "Scenario", "Delete scenario");
    assert_eq!(scenarios(&harness), original);
    click_menu(&mut harness, "Scenario", "New scenario");
    assert_eq!(scenarios(&harness).len(), original.len() + 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    assert_eq!(scenarios(&harness), original, "each is one undo step");
}

#[test]
fn clicking_a_difference_outlines_its_elements_in_both_panes_and_frames_them() {
    let (_directory, mut harness) = opened("azure-isolated-app.drplan.json");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::B);
    harness.run_steps(STEPS);
    let outcome = drplan::simulate::simulate_named(&sample("azure-isolated-app.drplan.json"), "scn-app2-failover").expect("simulates");
    let drplan::simulate::Difference::ConnectionDisconnected { connection, .. } = &outcome.differences[0] else {
        panic!("the first difference of the isolated failover is a disconnection: {:?}", outcome.differences[0])
    };
    let key = ElementKey::new(ElementKind::Connection, connection.as_str());
    // Zoomed in far, the connection is out of view until its difference is clicked.
    for _ in 0..10 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
        harness.run_steps(1);
    }
    harness.run_steps(STEPS);
    let (pane, drawn) = harness.state().pane_and_element(true, &key);
    assert!(!drawn.is_some_and(|drawn| pane.contains_rect(drawn)), "not in view yet: {drawn:?} in {pane:?}");

    harness.get_by(|node| node.role() == Role::Button && node.label().is_some_and(|label| label.starts_with("1. "))).click();
    harness.run_steps(STEPS);
    assert_eq!(harness.state().outlined_in_panes(), vec![key.clone()]);
    for after in [false, true] {
        let (pane, drawn) = harness.state().pane_and_element(after, &key);
        let drawn = drawn.unwrap_or_else(|| panic!("the connection is drawn in the {} pane", if after { "after" } else { "before" }));
        assert!(pane.contains_rect(drawn), "framed in view: {drawn:?} in {pane:?}");
    }
    // Both panes show the same part of the network: linked.
    let (before_pane, before_drawn) = harness.state().pane_and_element(false, &key);
    let (after_pane, after_drawn) = harness.state().pane_and_element(true, &key);
    let offset = |pane: egui::Rect, drawn: Option<egui::Rect>| drawn.expect("drawn").center() - pane.min;
    assert!((offset(before_pane, before_drawn) - offset(after_pane, after_drawn)).length() < 1.0, "linked panes frame alike");
}

#[test]
fn the_export_dialog_writes_the_chosen_view_and_formats_names_each_file_and_remembers() {
    let (directory, mut harness) = opened("azure-isolated-app.drplan.json");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run_steps(STEPS);
    assert!(harness.query_all_by_label("Export diagrams").next().is_some(), "the dialog is open");
    click(&mut harness, "both");
    click(&mut harness, "PNG"); // off
    click(&mut harness, "PDF");
    click(&mut harness, "draw.io");
    let out = directory.path().join("slides");
    let offered = harness.state().export_dialog.as_ref().expect("open").folder_text.clone();
    replace_text(&mut harness, &offered, &out.display().to_string());
    click(&mut harness, "Export");

    for file in ["azure-isolated-app-both.svg", "azure-isolated-app-both.pdf", "azure-isolated-app-both.drawio"] {
        assert!(out.join(file).is_file(), "{file} written");
        assert!(harness.state().status.contains(file), "the status names {file}: {}", harness.state().status);
    }
    assert!(!out.join("azure-isolated-app-both.png").exists(), "PNG was turned off");
    assert!(harness.state().export_dialog.is_none(), "the dialog closed");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run_steps(STEPS);
    let again = harness.state().export_dialog.clone().expect("open again");
    assert_eq!(again.settings.view, drplan::export::diagram::ExportView::Both, "remembered");
    assert_eq!(again.folder_text, out.display().to_string(), "the folder too");
}

#[test]
fn the_before_after_view_says_when_the_design_cannot_work_for_the_scenario() {
    let directory = tempfile::tempdir().unwrap();
    let mut plan = sample("azure-full-region.drplan.json");
    plan.machines[0].ip = "10.99.0.4".parse().expect("an address"); // outside its subnet: ADDR-IP-OUTSIDE-SUBNET
    let file = directory.path().join("broken.drplan.json");
    drplan::io::save(&plan, &file).expect("saved");
    let mut app = DrPlanApp::new(Some(&file));
    app.use_recovery_path(Some(directory.path().join("plan.recovery")));
    let mut harness = harness(app);
    harness.run_steps(STEPS);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::B);
    harness.run_steps(STEPS);
    assert!(harness.query_all_by_label_contains("This plan cannot work as drawn").next().is_some(), "the banner");
    assert!(harness.query_all_by_label_contains("ADDR-IP-OUTSIDE-SUBNET:").next().is_some(), "with the error");

    let mut clean = harness_on_sample(directory.path());
    clean.key_press_modifiers(Modifiers::COMMAND, Key::B);
    clean.run_steps(STEPS);
    assert!(clean.query_all_by_label_contains("cannot work as drawn").next().is_none(), "a correct design has no banner");
}

fn harness_on_sample(directory: &std::path::Path) -> Harness<'static, DrPlanApp> {
    let mut harness = harness(app_on("azure-full-region.drplan.json", directory));
    harness.run_steps(STEPS);
    harness
}

/// Issue 13 item 6: the plan's group actions are edited beside the scenario; a new one lands in
/// the recovery plan shown there at once, and undo takes it back in one step.
#[test]
fn group_actions_are_added_renamed_and_undone_in_the_scenario_panel() {
    let (_directory, mut harness) = opened("hyperv-to-azure.drplan.json");
    click(&mut harness, "Before / after");
    let actions = |harness: &Harness<DrPlanApp>| harness.state().document.plan.group_actions.iter().map(|action| action.name.clone()).collect::<Vec<_>>();
    let original = actions(&harness);
    assert_eq!(original.len(), 2);
    click(&mut harness, "Group actions (2)");
    assert!(text_field(&harness, "Add WEB01 to the Azure load balancer").rect().is_positive(), "the sample's actions are listed");
    harness.get_by_label("+ Group action").scroll_to_me();
    harness.run_steps(STEPS);
    click(&mut harness, "+ Group action");
    assert_eq!(actions(&harness), [original.clone(), vec!["New action".to_owned()]].concat());
    replace_text(&mut harness, "New action", "Drain the web farm");
    assert_eq!(actions(&harness).last().map(String::as_str), Some("Drain the web farm"));
    let action = harness.state().document.plan.group_actions.last().cloned().expect("the new action");
    assert_eq!((action.group.get(), action.when), (1, drplan::model::ActionTiming::After), "after group 1 unless changed");
    // Fold the actions away and scroll the panel down to the recovery plan below them.
    click(&mut harness, "Group actions (3)");
    let panel = harness.get_by_label("Recovery plan").rect().center();
    harness.hover_at(panel);
    harness.run_steps(1);
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -2000.0),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
    });
    harness.run_steps(STEPS * 4);
    let step = |harness: &Harness<DrPlanApp>| harness.query_all_by_label_contains("Drain the web farm (manual action)").next().is_some();
    assert!(step(&harness), "the recovery plan beside it has the step");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    assert_eq!(actions(&harness), original, "the rename and the addition are one undo step each");
}

/// The after pane outlines where a change lands, as the exported after view marks it: a subnet
/// failover's subnet is outlined in the recovery network, not only at the source (the app and
/// the drawings take the elements of a difference from one function).
#[test]
fn a_chosen_subnet_activation_is_outlined_where_the_subnet_lands() {
    let (_directory, mut harness) = opened("vmm-subnet-failover.drplan.json");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::B);
    harness.run_steps(STEPS);
    let plan = sample("vmm-subnet-failover.drplan.json");
    let scenario = &plan.scenarios[0];
    let outcome = drplan::simulate::simulate(&plan, scenario).expect("simulates");
    let index = outcome
        .differences
        .iter()
        .position(|difference| matches!(difference, drplan::simulate::Difference::SubnetActivated { .. }))
        .expect("a subnet activation");
    let number = format!("{}. ", index + 1);
    let difference =
        |node: &egui_kittest::kittest::AccessKitNode<'_>| node.role() == Role::Button && node.label().is_some_and(|label| label.starts_with(&number));
    harness.get_by(difference).scroll_to_me();
    harness.run_steps(STEPS);
    harness.get_by(difference).click();
    harness.run_steps(STEPS);

    let (source, landed) = (ElementKey::new(ElementKind::Subnet, "sub-primary-apps"), ElementKey::new(ElementKind::Subnet, "sub-recovery-apps"));
    let outlined = harness.state().outlined_in_panes();
    assert_eq!(outlined, vec![source.clone(), landed.clone()]);
    let (after_pane, landed_drawn) = harness.state().pane_and_element(true, &landed);
    assert!(landed_drawn.is_some_and(|drawn| after_pane.intersects(drawn)), "the recovery subnet is outlined in view in the after pane");
    assert!(harness.state().pane_and_element(false, &source).1.is_some(), "the source subnet in the before pane");
    let marks = drplan::export::diagram::Marks::of_scenario(scenario, &outcome);
    assert!(marks.is_moved(&landed) && !marks.is_moved(&source), "the export marks the same subnet");
}

/// Another program saves the open file; drplan's save does not overwrite it, and asks whether to
/// reload the file or save elsewhere.
#[test]
fn saving_over_a_file_another_program_changed_asks_to_reload_or_save_elsewhere() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.drplan.json");
    drplan::io::save(&sample("vmm-change-ip.drplan.json"), &path).unwrap();
    let mut app = DrPlanApp::new(Some(&path));
    app.use_recovery_path(Some(directory.path().join("plan.recovery")));
    let mut harness = harness(app);
    harness.run_steps(STEPS);

    let mut theirs = sample("vmm-change-ip.drplan.json");
    theirs.name = "Saved by a colleague".to_owned();
    drplan::io::save(&theirs, &path).unwrap();
    assert!(harness.state_mut().apply(drplan::edit::Edit::Rename { name: "Mine".to_owned() }));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(STEPS);

    assert_eq!(drplan::io::load(&path).unwrap().name, "Saved by a colleague", "their save is kept");
    assert!(harness.query_by_label("The file changed on disk").is_some(), "drplan asks what to do");
    assert!(harness.state().document.is_modified(), "my change is still there, unsaved");
    harness.state_mut().autosave();
    assert!(directory.path().join("plan.recovery").exists(), "a recovery copy of my change");
    harness.get_by_label("Reload from disk").click();
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan.name, "Saved by a colleague");
    assert!(!harness.state().document.is_modified());
    assert!(harness.state().recovery_offer.is_none(), "choosing the file on disk discards my recovery copy: nothing to restore");
    assert!(harness.query_by_label("The file changed on disk").is_none());
}

/// A failover of hundreds of machines (issue 16): the before/after view lists every difference in
/// a scrolling list whose rows off screen are not laid out, each row on one line with its whole
/// text on hover.
#[test]
fn a_long_list_of_differences_lays_out_only_the_rows_in_view() {
    let directory = tempfile::tempdir().unwrap();
    let (plan, path) = saved_estate(directory.path(), 2_000, 5);
    let mut app = DrPlanApp::new(Some(&path));
    app.use_recovery_path(None);
    let mut harness = harness(app);
    harness.run_steps(STEPS);
    click(&mut harness, "Before / after");
    harness.run_steps(STEPS);
    let count = drplan::simulate::simulate_named(&plan, "scn-full-region").unwrap().differences.len();
    assert!(count > 400, "{count} differences");
    let rows = harness
        .query_all_by(|node| {
            node.role() == Role::Button && node.label().is_some_and(|label| label.starts_with(|c: char| c.is_ascii_digit()) && label.contains(". "))
        })
        .count();
    assert!(rows > 5 && rows < 60, "{rows} difference rows laid out of {count}");
    assert!(harness.query_all_by_label_contains("1. ").next().is_some(), "the first difference is in view");
}

/// Presenting a failover of hundreds of steps (issue 16): each frame is made when it is shown,
/// so Present opens at once and End jumps to the last step, where making every frame first held
/// a copy of the network per step.
#[test]
fn present_makes_only_the_frame_it_shows() {
    let directory = tempfile::tempdir().unwrap();
    let (plan, path) = saved_estate(directory.path(), 4_000, 3);
    let scenario = plan.scenario_by_id_or_name("scn-full-region").unwrap();
    let outcome = drplan::simulate::simulate(&plan, scenario).unwrap();
    let count = drplan::recovery::recovery_plan(&drplan::model::PlanIndex::new(&plan), scenario, &outcome).steps().count();
    assert!(count > 400, "{count} steps");
    let mut app = DrPlanApp::new(Some(&path));
    app.use_recovery_path(None);
    let mut harness = harness(app);
    harness.run_steps(STEPS);
    harness.key_press(Key::F5);
    harness.run_steps(STEPS);
    until_prepared(&mut harness);
    let shows = |harness: &Harness<DrPlanApp>, text: &str| harness.query_all_by_label_contains(text).next().is_some();
    assert!(shows(&harness, &format!("Step 0 of {count}")), "Present opens on the network before");
    harness.key_press(Key::End);
    harness.run_steps(STEPS);
    assert!(shows(&harness, &format!("Step {count} of {count}")), "End shows the last step");
}
