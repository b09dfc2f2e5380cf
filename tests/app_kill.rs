//! Kills the real desktop app, under Xvfb, while it edits and while it saves, and checks that
//! the last saved plan and the recovery copy are whole and load.
//!
//! It needs Xvfb and xdotool, which `cargo test` cannot install, so it is ignored there and run
//! by `.ci/run` after it installs them: `cargo test --test app_kill -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod window;

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::Duration;

use window::{App, VirtualDisplay, wait_for};

use drplan::io;

const SAMPLE: &str = "samples/azure-full-region.drplan.json";
/// Where the "+ Primary site" button of the toolbar is in a 1400 × 900 window.
const ADD_PRIMARY_SITE: (u32, u32) = (84, 34);

/// The one recovery copy in `dir`, once it holds a plan with `sites` sites.
fn recovery_copy_with(dir: &Path, sites: usize) -> PathBuf {
    wait_for(&format!("recovery copy with {sites} sites"), Duration::from_secs(20), || {
        let copy = std::fs::read_dir(dir)
            .ok()?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| path.extension().is_some_and(|extension| extension == "recovery"))?;
        io::load(&copy).ok().filter(|plan| plan.sites.len() == sites).map(|_| copy)
    })
}

fn sites_in(path: &Path) -> usize {
    io::load(path).unwrap_or_else(|error| panic!("{} must load after the kill: {error}", path.display())).sites.len()
}

#[test]
#[ignore = "needs Xvfb and xdotool; .ci/run installs them and runs it"]
fn killing_the_app_while_editing_keeps_the_saved_plan_and_a_recovery_copy_with_the_edits() {
    let display = VirtualDisplay::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.drplan.json");
    std::fs::copy(SAMPLE, &plan).unwrap();
    let original = std::fs::read(&plan).unwrap();
    let original_sites = sites_in(&plan);
    let recovery_dir = dir.path().join("recovery");

    let app = App::open(&display, &plan, &recovery_dir);
    app.click(&display, ADD_PRIMARY_SITE);
    recovery_copy_with(&recovery_dir, original_sites + 1);
    app.click(&display, ADD_PRIMARY_SITE);
    let copy = recovery_copy_with(&recovery_dir, original_sites + 2);
    app.kill();

    assert_eq!(std::fs::read(&plan).unwrap(), original, "the plan file was never saved, so it must be untouched");
    assert_eq!(sites_in(&copy), original_sites + 2, "the recovery copy holds both edits");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(Result::ok).map(|entry| entry.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "only the plan and the recovery folder: {leftovers:?}");
}

#[test]
#[ignore = "needs Xvfb and xdotool; .ci/run installs them and runs it"]
fn killing_the_app_during_a_save_leaves_the_old_or_the_new_plan_whole() {
    let display = VirtualDisplay::start();
    let mut outcomes = Vec::new();
    for delay_ms in [0, 2, 5, 10, 20, 40, 80, 400] {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.drplan.json");
        std::fs::copy(SAMPLE, &plan).unwrap();
        let original_sites = sites_in(&plan);
        let recovery_dir = dir.path().join("recovery");

        let app = App::open(&display, &plan, &recovery_dir);
        app.click(&display, ADD_PRIMARY_SITE);
        recovery_copy_with(&recovery_dir, original_sites + 1);
        app.press(&display, "ctrl+s");
        sleep(Duration::from_millis(delay_ms));
        app.kill();

        let sites = sites_in(&plan);
        assert!(
            sites == original_sites || sites == original_sites + 1,
            "killed {delay_ms} ms into a save: the plan has {sites} sites, neither the old {original_sites} nor the new"
        );
        // A recovery copy left behind (the save had not finished) must load too.
        for entry in std::fs::read_dir(&recovery_dir).into_iter().flatten().filter_map(Result::ok) {
            sites_in(&entry.path());
        }
        outcomes.push((delay_ms, if sites == original_sites { "old plan" } else { "new plan" }));
    }
    eprintln!("kill during save, by delay: {outcomes:?}");
    assert!(outcomes.iter().any(|(_, outcome)| *outcome == "new plan"), "the save never happened: {outcomes:?}");
}
