//! Driving the desktop app through its real UI with egui_kittest: the helpers the app tests
//! share (a harness on a sample, clicks by label, typing, menus, drags on the canvas).
#![allow(dead_code)]

use std::path::Path;

use drplan::app::DrPlanApp;
use drplan::edit::ElementKey;
use drplan::model::ElementKind;
use egui::accesskit::Role;
use egui::{Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::common::sample_path;

/// Steps run after each action: the first frames install the diagram fonts, and a validation
/// off the UI thread may take a frame to arrive.
pub const STEPS: usize = 4;

pub fn harness(app: DrPlanApp) -> Harness<'static, DrPlanApp> {
    Harness::builder().with_size((1500.0, 950.0)).build_ui_state(|ui, app: &mut DrPlanApp| app.ui(ui), app)
}

/// A harness on a sample, its first frames run, and the folder its recovery file goes to (the
/// folder is removed when dropped: keep it for as long as the harness).
pub fn opened(sample_name: &str) -> (tempfile::TempDir, Harness<'static, DrPlanApp>) {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on(sample_name, directory.path()));
    harness.run_steps(STEPS);
    (directory, harness)
}

pub fn app_on(sample_name: &str, recovery: &Path) -> DrPlanApp {
    let mut app = DrPlanApp::new(Some(&sample_path(sample_name)));
    app.use_recovery_path(Some(recovery.join("plan.recovery")));
    app
}

pub fn has_finding(harness: &Harness<DrPlanApp>, rule: &str) -> bool {
    harness.state().document.report.of_rule(rule).next().is_some() && harness.query_all_by_label_contains(rule).next().is_some()
}

/// The text field showing `value` (labels may show the same text).
pub fn text_field<'h>(harness: &'h Harness<DrPlanApp>, value: &'h str) -> egui_kittest::Node<'h> {
    harness.get_by(move |node| node.role() == Role::TextInput && node.value().as_deref() == Some(value))
}

pub fn replace_text(harness: &mut Harness<DrPlanApp>, current: &str, new: &str) {
    text_field(harness, current).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    text_field(harness, current).type_text(new);
    harness.run_steps(STEPS);
}

/// Opens a menu and clicks an entry (entries show their shortcut beside the label).
pub fn click_menu(harness: &mut Harness<DrPlanApp>, menu: &str, entry: &str) {
    harness.get_by(move |node| node.role() == Role::Button && node.label().as_deref() == Some(menu)).click();
    harness.run_steps(STEPS);
    let is_entry = move |label: &str| label == entry || label.strip_prefix(entry).is_some_and(|rest| rest.trim_start().starts_with("Ctrl"));
    harness.get_by(move |node| node.role() == Role::Button && node.label().is_some_and(|label| is_entry(&label))).click();
    harness.run_steps(STEPS);
}

pub fn click(harness: &mut Harness<DrPlanApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(STEPS);
}

pub fn network(id: &str) -> ElementKey {
    ElementKey::new(ElementKind::Network, id)
}

/// Where an element is on screen now.
pub fn on_screen(harness: &Harness<DrPlanApp>, key: &ElementKey) -> egui::Rect {
    harness.state().canvas_rect_of(key).unwrap_or_else(|| panic!("{key:?} is on the canvas"))
}

/// Presses at `from`, moves to `to` in steps as a hand does, and releases there.
pub fn drag(harness: &mut Harness<DrPlanApp>, from: Pos2, to: Pos2) {
    drag_to_the_drop(harness, from, to);
    harness.run_steps(STEPS);
}

/// `drag` up to the release and the frame that takes it, without the frames after.
pub fn drag_to_the_drop(harness: &mut Harness<DrPlanApp>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.run_steps(1);
    harness.drag_at(from);
    harness.run_steps(1);
    for step in 1..=6 {
        harness.hover_at(from + (to - from) * (step as f32 / 6.0));
        harness.run_steps(1);
    }
    harness.drop_at(to);
    harness.run_steps(1);
}

/// A point on an element's title bar.
pub fn title_of(harness: &Harness<DrPlanApp>, key: &ElementKey) -> Pos2 {
    on_screen(harness, key).center_top() + Vec2::new(0.0, 8.0)
}

pub fn click_element(harness: &mut Harness<DrPlanApp>, key: &ElementKey) {
    let at = title_of(harness, key);
    click_at(harness, at);
}

pub fn click_at(harness: &mut Harness<DrPlanApp>, at: Pos2) {
    harness.hover_at(at);
    harness.run_steps(1);
    harness.drag_at(at);
    harness.run_steps(1);
    harness.drop_at(at);
    harness.run_steps(STEPS);
}

/// Runs frames while `busy` says a worker is making `what`, then one more.
pub fn frames_while(harness: &mut Harness<DrPlanApp>, what: &str, busy: impl Fn(&DrPlanApp) -> bool) {
    let started = std::time::Instant::now();
    while busy(harness.state()) {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "{what} is made");
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.run_steps(1);
    }
    harness.run_steps(1);
}

/// Runs frames while a large plan's presentation is prepared (F5 simulates and makes the steps
/// on workers).
pub fn until_prepared(harness: &mut Harness<DrPlanApp>) {
    frames_while(harness, "the presentation", |app| app.presentation_start.is_some());
}
