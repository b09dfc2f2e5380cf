//! Chooses a machine's subnet in the real window (xdotool under Xvfb): the subnet list opens with
//! the real pointer, the real keyboard types into its filter without a click on it (the filter
//! takes the keys as the list opens), the one row left is clicked, Ctrl+S saves, and the saved
//! file has the machine in that subnet. What egui_kittest cannot see: keys that come through the
//! X server to whichever widget has the focus.
//!
//! It needs Xvfb and xdotool, which `cargo test` cannot install, so it is ignored there and run by
//! `.ci/run` after it installs them: `cargo test --test app_subnet_list -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod window;

use std::path::Path;
use std::thread::sleep;
use std::time::Duration;

use drplan::app::DrPlanApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use window::{App, VirtualDisplay, wait_for};

const SAMPLE: &str = "samples/vmm-change-ip.drplan.json";
/// The window's size on the Xvfb screen (the app opens at 1400 × 900, undecorated, so window
/// points are screen pixels).
const WINDOW: (f32, f32) = (1400.0, 900.0);
/// The machine, found through its finding, and what is typed to find its new subnet.
const MACHINE: &str = "DB01";
const FILTER: &str = "branch";
const CURRENT: &str = "Primary VM network / Apps subnet 192.168.1.0/24";
const CHOSEN: &str = "Branch LAN / Branch clients 10.50.1.0/24";

/// Where to click, in screen pixels: the machine's finding, the subnet list, and the one row the
/// filter leaves. Taken from the same app laid out headless in a window of the same size, which
/// also checks that the filter has the focus once the list is open.
fn points(plan: &Path) -> [(u32, u32); 3] {
    let mut harness = Harness::builder().with_size(WINDOW).build_ui_state(|ui, app: &mut DrPlanApp| app.ui(ui), DrPlanApp::new(Some(plan)));
    harness.run_steps(6);
    let at = |rect: egui::Rect| (rect.center().x.round() as u32, rect.center().y.round() as u32);
    let finding = harness.query_all_by_label_contains(&format!("\"{MACHINE}\" changes its address")).next().expect("the machine's finding").rect();
    harness.query_all_by_label_contains(&format!("\"{MACHINE}\" changes its address")).next().unwrap().click();
    harness.run_steps(6);
    let list = harness.get_by_value(CURRENT).rect();
    harness.get_by_value(CURRENT).click();
    harness.run_steps(6);
    let filter = harness.get_by(|node| node.role() == Role::TextInput && node.placeholder().is_some_and(|text| text.starts_with("Filter:")));
    assert!(filter.is_focused(), "the filter has the keyboard as the list opens");
    filter.type_text(FILTER);
    harness.run_steps(6);
    let row = harness.get_by_label(CHOSEN).rect();
    [at(finding), at(list), at(row)]
}

#[test]
#[ignore = "needs Xvfb and xdotool; .ci/run installs them and runs it"]
fn a_subnet_is_found_by_typing_in_the_real_window_and_chosen_with_the_real_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.drplan.json");
    std::fs::copy(SAMPLE, &plan_path).unwrap();
    let original = drplan::io::load(&plan_path).unwrap();
    let machine = original.machines.iter().find(|machine| machine.name == MACHINE).expect("the machine").id.clone();
    let chosen = original.subnets.iter().find(|subnet| subnet.name == "Branch clients").expect("the branch subnet").id.clone();
    assert_ne!(original.machine(&machine).unwrap().subnet, chosen);
    let [finding, list, row] = points(&plan_path);

    let display = VirtualDisplay::start();
    let app = App::open(&display, &plan_path, &dir.path().join("recovery"));
    app.click(&display, finding);
    sleep(Duration::from_millis(500));
    app.click(&display, list);
    sleep(Duration::from_millis(500));
    app.type_text(&display, FILTER);
    sleep(Duration::from_millis(500));
    app.click(&display, row);
    sleep(Duration::from_millis(300));
    app.press(&display, "ctrl+s");

    let saved = wait_for("the saved plan with the machine's new subnet", Duration::from_secs(20), || {
        drplan::io::load(&plan_path).ok().filter(|plan| plan.machine(&machine).is_some_and(|machine| machine.subnet == chosen))
    });
    app.kill();
    assert_eq!(saved.machines.len(), original.machines.len());
}
