//! Crash safety: a save killed at any moment leaves the previous file intact (or the new one
//! whole), never a half-written plan. The app's recovery copy is written the same way.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn killing_a_save_midway_leaves_the_previous_plan_intact() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.drplan.json");
    let previous = common::sample("hybrid-full-region.drplan.json");
    drplan::io::save(&previous, &path).unwrap();
    let mut outcomes = Vec::new();
    for delay_ms in [5, 20, 60, 120, 250, 400] {
        // `generate` builds a 200k-prefix plan and saves it atomically over the file.
        let mut child = Command::new(env!("CARGO_BIN_EXE_drplan"))
            .args(["generate", "--prefixes", "200000", "--seed", "1"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let plan = drplan::io::load(&path).expect("the plan file is whole after a kill");
        let replaced = plan != previous;
        if replaced {
            assert!(plan.name.starts_with("Synthetic enterprise"), "either the old plan or the whole new one");
            drplan::io::save(&previous, &path).unwrap();
        }
        outcomes.push(replaced);
    }
    assert!(outcomes.iter().any(|replaced| !replaced), "at least one kill landed before the rename: {outcomes:?}");
}

#[test]
fn the_recovery_copy_is_an_atomic_save_that_loads() {
    let directory = tempfile::tempdir().unwrap();
    let mut app = drplan::app::DrPlanApp::new(Some(&common::sample_path("vmm-change-ip.drplan.json")));
    let recovery = directory.path().join("recovery").join("plan.recovery");
    app.use_recovery_path(Some(recovery.clone()));
    assert!(app.recovery_offer.is_none());
    app.apply(drplan::edit::Edit::Rename { name: "Edited".to_owned() });
    app.autosave();
    let copy = drplan::io::load(&recovery).expect("the recovery copy loads");
    assert_eq!(copy.name, "Edited");
    assert_eq!(copy, *app.document.plan);
    // A fresh app on the same file finds the copy and offers it.
    let mut reopened = drplan::app::DrPlanApp::new(Some(&common::sample_path("vmm-change-ip.drplan.json")));
    reopened.use_recovery_path(Some(recovery.clone()));
    assert_eq!(reopened.recovery_offer.as_deref(), Some(recovery.as_path()), "drplan offers to restore it");
    // Restoring brings the edit back as an unsaved change of the same file.
    let context = egui::Context::default();
    reopened.run(drplan::app::Command::RestoreRecovery, &context);
    assert_eq!(reopened.document.plan.name, "Edited");
    assert!(reopened.document.is_modified());
    assert_eq!(reopened.document.path.as_deref(), Some(common::sample_path("vmm-change-ip.drplan.json").as_path()));
}
