//! Saves an untitled plan in the real window where no file dialog can be shown: no desktop portal
//! (no D-Bus session) and no zenity on PATH. Ctrl+S opens drplan's own dialog inside the window,
//! the path typed there (Ctrl+A, then the keys, then Enter) is where the plan is written. This is
//! what egui_kittest cannot see: rfd's real attempt at the platform's dialogs, and its failure.
//!
//! It needs Xvfb and xdotool, which `cargo test` cannot install, so it is ignored there and run
//! by `.ci/run` after it installs them: `cargo test --test app_dialog -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod window;

use std::thread::sleep;
use std::time::Duration;

use window::{App, VirtualDisplay, wait_for};

/// Where the "+ Primary site" button of the toolbar is in a 1400 × 900 window.
const ADD_PRIMARY_SITE: (u32, u32) = (84, 34);

#[test]
#[ignore = "needs Xvfb and xdotool; .ci/run installs them and runs it"]
fn without_a_portal_or_zenity_ctrl_s_opens_drplans_own_dialog_and_saves_where_typed() {
    let dir = tempfile::tempdir().unwrap();
    let empty_path = dir.path().join("bin");
    std::fs::create_dir(&empty_path).unwrap();
    let display = VirtualDisplay::start();
    let app = App::start(&display, None, &dir.path().join("recovery"), |command| {
        command.env("PATH", &empty_path).env_remove("DBUS_SESSION_BUS_ADDRESS").env_remove("DRPLAN_FILE_DIALOG");
    });
    app.click(&display, ADD_PRIMARY_SITE);
    sleep(Duration::from_millis(500));
    app.press(&display, "ctrl+s");
    sleep(Duration::from_secs(2));
    let target = dir.path().join("typed.drplan.json");
    app.press(&display, "ctrl+a");
    app.type_text(&display, &target.display().to_string());
    app.press(&display, "Return");

    let saved = wait_for("the plan saved where the path was typed", Duration::from_secs(20), || drplan::io::load(&target).ok());
    app.kill();
    assert_eq!(saved.sites.len(), 1, "the plan as drawn: one primary site");
}
