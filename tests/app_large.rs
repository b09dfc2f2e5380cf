//! The app on a large plan (above `LARGE_PLAN_PREFIXES`), where the window must not wait: the
//! validation after an edit, the canvas of the edited plan and the recovery copy are made on
//! worker threads, and what the window shows meanwhile stays usable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod kit;

use drplan::app::DrPlanApp;
use drplan::edit::ElementKey;
use drplan::model::{ElementKind, Point};
use egui::Vec2;
use egui_kittest::kittest::Queryable;
use kit::*;

/// A synthetic plan of 6,000 prefixes saved in `directory`, opened in the app with its recovery
/// copy there too.
fn large_app(directory: &std::path::Path) -> DrPlanApp {
    let plan = drplan::synth::enterprise_plan(drplan::synth::SynthSpec { prefixes: 6_000, seed: 5, faults: 0 }).plan;
    assert!(plan.prefix_count() >= drplan::app::document::LARGE_PLAN_PREFIXES);
    let path = directory.join("large.drplan.json");
    drplan::io::save(&plan, &path).unwrap();
    let mut app = DrPlanApp::new(Some(&path));
    app.use_recovery_path(Some(directory.join("large.recovery")));
    app
}

fn position_of_network(harness: &egui_kittest::Harness<DrPlanApp>, id: &str) -> Point {
    harness.state().document.plan.network(&id.into()).and_then(|network| network.position).expect("a stored position")
}

#[test]
fn large_plans_are_validated_off_the_ui_thread_and_the_report_arrives() {
    use drplan::app::Document;
    use drplan::edit::{Edit, Element};
    let plan = drplan::synth::enterprise_plan(drplan::synth::SynthSpec { prefixes: 6_000, seed: 5, faults: 0 }).plan;
    assert!(plan.prefix_count() >= drplan::app::document::LARGE_PLAN_PREFIXES);
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

/// At 100k prefixes the canvas's scene takes a tenth of a second to build: a report that
/// arrives from the worker after an edit marks the elements it finds without building it again.
#[test]
fn a_report_that_arrives_after_an_edit_marks_the_canvas_without_building_it_again() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(large_app(directory.path()));
    harness.run_steps(STEPS);
    let overlapping = drplan::synth::spoke_subnet_id("primary", 7, 1);
    let mut subnet = harness.state().document.plan.subnet(&overlapping).unwrap().clone();
    subnet.prefix = harness.state().document.plan.subnet(&drplan::synth::spoke_subnet_id("primary", 7, 0)).unwrap().prefix;
    harness.state_mut().document.apply(drplan::edit::Edit::Replace(drplan::edit::Element::Subnet(subnet))).unwrap();
    harness.run_steps(1);
    let cache = &harness.state().canvas.cache;
    let (built_for, boxes, marks_before) = (cache.built_for, cache.scene.boxes.as_ptr(), cache.findings.clone());
    assert!(harness.state().document.is_validating(), "the report has not arrived yet");
    let started = std::time::Instant::now();
    while harness.state().document.is_validating() {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "validation finishes");
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.run_steps(1);
    }
    harness.run_steps(1);
    let app = harness.state();
    assert!(app.document.report.of_rule("ADDR-SUBNET-OVERLAP").next().is_some());
    let mut fresh = drplan::app::CanvasCache::build(&app.document.plan, None, app.prefs.show_machines);
    fresh.mark_findings(&app.document.report);
    let cache = &app.canvas.cache;
    assert_ne!(cache.findings, marks_before, "the overlapping subnets are marked once the report arrives");
    assert_eq!(cache.findings, fresh.findings, "as a canvas built with that report marks them");
    assert_eq!((cache.built_for, cache.scene.boxes.as_ptr()), (built_for, boxes), "the scene is the one built after the edit");
}

/// A large plan's canvas is built on a worker after an edit (at 100k prefixes a build takes a
/// tenth of a second): the frames in between show the older canvas, the dropped network where it
/// was dropped, and take no move from it; then the new canvas arrives with the network there.
#[test]
fn a_large_plans_canvas_is_built_off_the_ui_thread_and_a_dropped_network_stays_where_it_was_dropped() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(large_app(directory.path()));
    harness.run_steps(STEPS);
    let id = harness.state().document.plan.networks[3].id.to_string();
    let moved = network(&id);
    let before = position_of_network(&harness, &id);
    let from = title_of(&harness, &moved);
    let to = from + Vec2::new(150.0, 90.0);
    drag_to_the_drop(&mut harness, from, to);
    harness.run_steps(1);
    let app = harness.state();
    assert_ne!(position_of_network(&harness, &id), before, "the document has the move");
    assert!(app.canvas.building.is_some(), "the canvas of the moved plan is being built");
    assert_ne!(app.canvas.cache.built_for, Some((app.document.revision, app.prefs.show_machines)), "the canvas shown is the older one");
    let drawn = on_screen(&harness, &moved).center_top() + Vec2::new(0.0, 8.0);
    assert!((drawn - to).length() < 12.0, "drawn where it was dropped ({to:?}), not where it was: {drawn:?}");

    // A drag on the older canvas moves nothing.
    let revision = harness.state().document.revision;
    let other = network(&harness.state().document.plan.networks[5].id.to_string());
    let at = title_of(&harness, &other);
    harness.drag_at(at);
    harness.run_steps(1);
    harness.hover_at(at + Vec2::new(40.0, 40.0));
    harness.run_steps(1);
    let stale = harness.state().canvas.building.is_some();
    harness.drop_at(at + Vec2::new(40.0, 40.0));
    harness.run_steps(1);
    if stale {
        assert_eq!(harness.state().document.revision, revision, "no move taken from the older canvas");
    }

    let started = std::time::Instant::now();
    while harness.state().canvas.building.is_some() {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the canvas arrives");
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.run_steps(1);
    }
    let app = harness.state();
    assert_eq!(app.canvas.cache.built_for.map(|(revision, _)| revision), Some(app.document.revision), "the canvas is the plan's");
    assert!(!app.canvas.cache.is_dragged(), "nothing drawn away from its place");
    let (_, zoom) = app.canvas_viewport();
    let after = position_of_network(&harness, &id);
    let expected = (to - from) / zoom;
    assert!(
        (after.x - before.x - expected.x).abs() <= 5.01 && (after.y - before.y - expected.y).abs() <= 5.01,
        "moved {before:?} → {after:?}, dragged {expected:?}"
    );
}

/// At 100k prefixes a save takes 150 ms or more: the recovery copy of a large plan is written
/// on a worker, one copy at a time, and a copy asked for meanwhile is written after it.
#[test]
fn a_large_plans_recovery_copy_is_written_off_the_ui_thread() {
    let directory = tempfile::tempdir().unwrap();
    let mut app = large_app(directory.path());
    let recovery = directory.path().join("large.recovery");
    let network = |name: &str| drplan::edit::Element::Network(app_network(name));
    // Adding is written at once: on a worker.
    assert!(app.apply(drplan::edit::Edit::Add(network("first added"))));
    assert!(app.is_autosaving(), "the copy is written on a worker");
    // A second addition while it is written: its copy follows.
    assert!(app.apply(drplan::edit::Edit::Add(network("second added"))));
    let started = std::time::Instant::now();
    while app.poll_autosave() {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the copy is written");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let copy = drplan::io::load(&recovery).expect("the recovery copy loads");
    let added = |plan: &drplan::model::Plan| plan.networks.iter().filter(|network| network.name.ends_with(" added")).count();
    assert_eq!(added(&copy), 2, "the copy holds both additions");
    assert!(copy == *app.document.plan, "the copy is the plan");
}

/// A network of the plan's kind with `name`, not yet placed in a site.
fn app_network(name: &str) -> drplan::model::Network {
    let text = format!(
        r#"{{"id": "net-{id}", "name": "{name}", "site": "site-primary", "kind": "vnet", "address_space": ["10.250.0.0/24"], "purpose": "production"}}"#,
        id = name.replace(' ', "-")
    );
    serde_json::from_str(&text).expect("a network")
}

/// A large plan's subnet list, in the machine inspector, makes only the rows in view: naming
/// 81,000 subnets at every frame the list was open took seconds at 100k prefixes.
#[test]
fn the_machine_inspectors_subnet_list_makes_only_the_rows_in_view() {
    use egui_kittest::kittest::Queryable;
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(large_app(directory.path()));
    harness.run_steps(STEPS);
    let plan = harness.state().document.plan.clone();
    let machine = &plan.machines[plan.machines.len() / 2];
    harness.state_mut().select(vec![ElementKey::new(ElementKind::Machine, machine.id.as_str())]);
    harness.run_steps(STEPS);
    let row = |subnet: &drplan::model::Subnet| format!("{} / {} {}", plan.network(&subnet.network).unwrap().name, subnet.name, subnet.prefix);
    harness.get_by_value(&row(plan.subnet(&machine.subnet).unwrap())).click();
    harness.run_steps(STEPS);
    let rows = plan.subnets.iter().filter(|subnet| harness.query_by_label(&row(subnet)).is_some()).count();
    assert!((5..40).contains(&rows), "{rows} rows made for {} subnets", plan.subnets.len());
    harness.get_by_label(&row(&plan.subnets[0])).click();
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan.machine(&machine.id).unwrap().subnet, plan.subnets[0].id, "a row in view is chosen");
}

/// Runs frames until the presentation has no diagram being made on a worker.
fn until_drawn(harness: &mut egui_kittest::Harness<DrPlanApp>) {
    frames_while(harness, "the diagram", |app| app.presentation.as_ref().is_some_and(|presentation| presentation.drawing()));
}

/// F5 on a large plan does not wait for the rehearsal and its steps (at 100k prefixes more than
/// a second): the window says it prepares the presentation, Esc leaves meanwhile, and it starts
/// at the network before once they are made.
#[test]
fn presenting_a_large_plan_is_prepared_off_the_window_s_thread() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(large_app(directory.path()));
    harness.run_steps(STEPS);
    let name = harness.state().document.plan.scenarios[0].name.clone();
    let shows = |harness: &egui_kittest::Harness<DrPlanApp>, text: &str| harness.query_all_by_label_contains(text).next().is_some();

    harness.key_press(egui::Key::F5);
    harness.run_steps(1);
    assert!(harness.state().presentation.is_none(), "F5 does not wait for the rehearsal");
    assert!(harness.state().presentation_start.is_some());
    assert!(shows(&harness, &format!("Preparing “{name}”")));
    assert!(shows(&harness, "Simulating the failover…"));
    harness.key_press(egui::Key::Escape);
    harness.run_steps(1);
    assert!(harness.state().presentation_start.is_none() && harness.state().presentation.is_none(), "Esc leaves while it is prepared");
    assert!(shows(&harness, "Before / after"), "the window is back");

    harness.key_press(egui::Key::F5);
    harness.run_steps(1);
    until_prepared(&mut harness);
    let presentation = harness.state().presentation.as_ref().expect("presenting once prepared");
    assert_eq!(presentation.index, 0);
    assert!(presentation.replay.len() > 1, "the steps of the recovery plan");
    assert!(shows(&harness, &format!("Step 0 of {}: the network before “{name}”", presentation.position().1)));
    until_drawn(&mut harness);
    assert_eq!(harness.state().presentation.as_ref().and_then(|presentation| presentation.diagram_shown()), Some(0));
}

/// Presenting a large plan, each frame and its diagram are made on a worker (at 100k prefixes
/// they take up to three quarters of a second): a key shows the next step's heading at once and
/// the diagram of the step before stays, said to be drawing, until the new one arrives.
#[test]
fn presenting_a_large_plan_makes_each_step_s_diagram_off_the_window_s_thread() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(large_app(directory.path()));
    harness.run_steps(STEPS);
    harness.key_press(egui::Key::F5);
    harness.run_steps(1);
    until_prepared(&mut harness);
    until_drawn(&mut harness);
    let shows = |harness: &egui_kittest::Harness<DrPlanApp>, text: &str| harness.query_all_by_label_contains(text).next().is_some();
    let presentation = harness.state().presentation.as_ref().expect("presenting");
    assert_eq!(presentation.diagram_shown(), Some(0), "the network before");
    let first = presentation.replay.step(1).expect("a first step").title.clone();

    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(1);
    let presentation = harness.state().presentation.as_ref().expect("presenting");
    assert_eq!(presentation.index, 1);
    assert!(presentation.drawing(), "the frame after the key does not wait for the step's diagram");
    assert_eq!(presentation.diagram_shown(), Some(0), "the diagram before stays meanwhile");
    assert!(shows(&harness, &format!("1 of {}: {first}", presentation.position().1)), "the step's heading at once");
    assert!(shows(&harness, "Drawing step 1…"));

    until_drawn(&mut harness);
    assert_eq!(harness.state().presentation.as_ref().and_then(|presentation| presentation.diagram_shown()), Some(1));
    assert!(!shows(&harness, "Drawing step"), "said no more once it is shown");
}

/// Runs frames until no rehearsal is being made on a worker.
fn until_rehearsed(harness: &mut egui_kittest::Harness<DrPlanApp>) {
    frames_while(harness, "the rehearsal", DrPlanApp::rehearsing);
}

/// A large plan's before/after view: the failover's simulation, its recovery plan and the two
/// panes are made on a worker (at 100k prefixes they took more than two seconds of the window's
/// time), and after an edit the older rehearsal stays shown until the new one arrives.
#[test]
fn a_large_plans_before_after_view_is_made_off_the_window_s_thread() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(large_app(directory.path()));
    harness.run_steps(STEPS);
    assert!(harness.state().scenario.is_some(), "a scenario is chosen");
    harness.state_mut().before_after = true;
    harness.run_steps(1);
    let shows = |harness: &egui_kittest::Harness<DrPlanApp>, text: &str| harness.query_all_by_label_contains(text).next().is_some();
    assert!(harness.state().rehearsing() && harness.state().rehearsal_revision().is_none(), "the frame does not wait for the simulation");
    assert!(shows(&harness, "Simulating the failover…"));

    until_rehearsed(&mut harness);
    let revision = harness.state().document.revision;
    assert_eq!(harness.state().rehearsal_revision(), Some(revision));
    let mut network = harness.state().document.plan.networks[0].clone();
    let key = ElementKey::new(ElementKind::Network, network.id.as_str());
    assert!(harness.state().pane_and_element(false, &key).1.is_some(), "the before pane came with it");
    assert!(!shows(&harness, "Simulating"));

    network.name = "renamed hub".to_owned();
    harness.state_mut().document.apply(drplan::edit::Edit::Replace(drplan::edit::Element::Network(network))).unwrap();
    harness.run_steps(1);
    assert!(harness.state().rehearsing(), "the edited plan is rehearsed on the worker");
    assert_eq!(harness.state().rehearsal_revision(), Some(revision), "the older rehearsal is shown meanwhile");
    assert!(shows(&harness, "Simulating the plan as edited…"));
    until_rehearsed(&mut harness);
    assert_eq!(harness.state().rehearsal_revision(), Some(harness.state().document.revision));
}
