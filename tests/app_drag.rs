//! Drags a network across the canvas of the real window with the real pointer (xdotool under
//! Xvfb), saves with Ctrl+S, and reads the saved file: the network's stored position moved by the
//! distance dragged (within the snapping grid) and its subnets kept their place inside it.
//!
//! It needs Xvfb and xdotool, which `cargo test` cannot install, so it is ignored there and run
//! by `.ci/run` after it installs them: `cargo test --test app_drag -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod window;

use std::path::Path;
use std::thread::sleep;
use std::time::Duration;

use drplan::app::DrPlanApp;
use drplan::edit::ElementKey;
use drplan::model::ElementKind;
use drplan::model::{NetworkId, Plan, Point};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use window::{App, VirtualDisplay, wait_for};

const SAMPLE: &str = "samples/azure-full-region.drplan.json";
/// A network that is in view at 100 %, with room for the drag.
const NETWORK: &str = "net-azure-vnet";
/// The window's size on the Xvfb screen (the app opens at 1400 × 900; there is no window
/// manager to move or decorate it, so window points are screen pixels).
const WINDOW: (f32, f32) = (1400.0, 900.0);
/// How far the test drags, in screen pixels.
const DRAG: (f32, f32) = (-150.0, 90.0);
/// Half a cell of the grid a moved element's corner snaps to.
const HALF_GRID: f32 = 5.0;

/// Where the network's title is in the window at 100 % (Ctrl+1), as the same app lays it out in a
/// window of the same size: the drag needs screen coordinates, and the layout is egui's, the same
/// headless as on screen. At 100 % a screen pixel is a canvas unit, so the distance dragged is
/// the distance the network moves whatever the zoom Fit chose (which can differ by a few per
/// cent between the two windows).
fn title_at_actual_size(plan: &Path) -> (f32, f32) {
    let mut harness = Harness::builder().with_size(WINDOW).build_ui_state(|ui, app: &mut DrPlanApp| app.ui(ui), DrPlanApp::new(Some(plan)));
    harness.run_steps(6);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run_steps(6);
    let (_, zoom) = harness.state().canvas_viewport();
    assert_eq!(zoom, 1.0, "Ctrl+1 zooms to 100 %");
    let rect = harness.state().canvas_rect_of(&ElementKey::new(ElementKind::Network, NETWORK)).expect("the network is on the canvas");
    let (viewport, _) = harness.state().canvas_viewport();
    let title = rect.left_top() + egui::vec2(40.0, 8.0);
    assert!(viewport.contains(title) && viewport.contains(title + egui::vec2(DRAG.0, DRAG.1)), "{title:?} and the drag stay in {viewport:?}");
    (title.x, title.y)
}

fn network_position(plan: &Plan) -> Point {
    plan.network(&NetworkId::new(NETWORK)).and_then(|network| network.position).expect("the network's stored position")
}

fn subnets_inside(plan: &Plan) -> Vec<(String, f32, f32)> {
    let origin = network_position(plan);
    plan.subnets
        .iter()
        .filter(|subnet| subnet.network.as_str() == NETWORK)
        .map(|subnet| {
            let at = subnet.position.expect("a stored subnet position");
            (subnet.id.to_string(), at.x - origin.x, at.y - origin.y)
        })
        .collect()
}

#[test]
#[ignore = "needs Xvfb and xdotool; .ci/run installs them and runs it"]
fn dragging_a_network_with_the_real_pointer_moves_it_in_the_saved_plan_with_its_subnets() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.drplan.json");
    std::fs::copy(SAMPLE, &plan_path).unwrap();
    let original = drplan::io::load(&plan_path).unwrap();
    let (x, y) = title_at_actual_size(&plan_path);

    let display = VirtualDisplay::start();
    let app = App::open(&display, &plan_path, &dir.path().join("recovery"));
    app.press(&display, "ctrl+1");
    sleep(Duration::from_millis(500));
    let (dx, dy) = DRAG;
    // The pointer moves in steps, a frame or more apart, as a hand moves it.
    let at = |fraction: f32| {
        let (px, py) = ((x + dx * fraction).round().to_string(), (y + dy * fraction).round().to_string());
        display.xdotool(&["mousemove", "--sync", &px, &py]);
        sleep(Duration::from_millis(60));
    };
    at(0.0);
    display.xdotool(&["mousedown", "1"]);
    sleep(Duration::from_millis(100));
    for step in 1..=10 {
        at(step as f32 / 10.0);
    }
    sleep(Duration::from_millis(200));
    display.xdotool(&["mouseup", "1"]);
    sleep(Duration::from_millis(300));
    app.press(&display, "ctrl+s");

    let saved = wait_for("the saved plan with the network moved", Duration::from_secs(20), || {
        drplan::io::load(&plan_path).ok().filter(|plan| network_position(plan) != network_position(&original))
    });
    app.kill();

    let (before, after) = (network_position(&original), network_position(&saved));
    assert!(
        (after.x - before.x - dx).abs() <= HALF_GRID && (after.y - before.y - dy).abs() <= HALF_GRID,
        "dragged ({dx}, {dy}) at 100 %: {before:?} → {after:?}"
    );
    assert_eq!(subnets_inside(&saved), subnets_inside(&original), "the subnets kept their place in the network");
    assert_eq!(saved.networks.len(), original.networks.len());
}
