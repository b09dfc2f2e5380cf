//! Presents a rehearsal in the real window (xdotool under Xvfb): F5 from the real keyboard
//! replaces the menu and toolbar with the step's heading, End moves to another heading (the last
//! step's), and Esc brings back the design view as it was. What egui_kittest cannot see: the keys
//! through the X server, and what the real renderer puts on the screen, read back from it.
//!
//! It needs Xvfb, xdotool and ImageMagick, which `cargo test` cannot install, so it is ignored
//! there and run by `.ci/run` after it installs them: `cargo test --test app_present -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod window;

use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::Duration;

use window::{App, VirtualDisplay, wait_for};

/// A sample whose first scenario (chosen when the window opens) has a dozen steps.
const SAMPLE: &str = "samples/hybrid-full-region.drplan.json";
/// The top of the 1400-pixel-wide screen: the menu bar and the toolbar in the design view, the
/// step's heading while presenting.
const TOP: &str = "1400x70+0+0";

/// A signature of the pixels in `region` of the screen (ImageMagick's hash of the image's pixels).
fn signature(display: &VirtualDisplay, region: &str, file: &Path) -> String {
    let captured = Command::new("import").args(["-window", "root", "-crop", region, "+repage"]).arg(file).env("DISPLAY", &display.name).status();
    assert!(captured.expect("ImageMagick's import is installed (.ci/run installs it)").success(), "a screenshot");
    let output = Command::new("identify").args(["-format", "%#"]).arg(file).output().expect("ImageMagick's identify");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// The top of the screen once it has stopped changing (two looks a moment apart agree), and
/// different from `not` when given: what the window shows after a key, drawn to the end.
fn settled_top(display: &VirtualDisplay, file: &Path, not: Option<&str>) -> String {
    wait_for("settled screen", Duration::from_secs(60), || {
        let first = signature(display, TOP, file);
        sleep(Duration::from_millis(400));
        let second = signature(display, TOP, file);
        (first == second && Some(first.as_str()) != not).then_some(first)
    })
}

#[test]
#[ignore = "needs Xvfb, xdotool and ImageMagick; .ci/run installs them and runs it"]
fn f5_presents_the_rehearsal_end_goes_to_the_last_step_and_esc_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("top.png");
    let display = VirtualDisplay::start();
    let app = App::open(&display, Path::new(SAMPLE), &dir.path().join("recovery"));
    sleep(Duration::from_secs(2));
    let design = settled_top(&display, &shot, None);

    app.press(&display, "F5");
    let first_step = settled_top(&display, &shot, Some(&design));
    app.press(&display, "End");
    let last_step = settled_top(&display, &shot, Some(&first_step));
    app.press(&display, "Escape");
    let back = wait_for("the design view again", Duration::from_secs(60), || {
        let now = signature(&display, TOP, &shot);
        (now == design).then_some(now)
    });
    app.kill();

    assert_ne!(first_step, design, "presenting hides the menu and toolbar");
    assert_ne!(last_step, design, "still presenting at the last step");
    assert_eq!(back, design, "Esc leaves the presentation");
}
