//! Crash safety: a save killed at any moment leaves the previous file intact (or the new one
//! whole), never a half-written plan. The app's recovery copy is written the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn killing_a_save_midway_leaves_the_previous_plan_intact() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.drplan.json");
    let previous = common::sample("hybrid-full-region.drplan.json");
    drplan::io::save(&previous, &path).unwrap();
    // A save writes `.plan.drplan.json.XXXXXX.tmp` beside the file and renames it over the file.
    let temporary_files = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(directory.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.file_name().unwrap().to_string_lossy().starts_with(".plan.drplan.json.") && path.extension().is_some_and(|extension| extension == "tmp")
            })
            .collect()
    };
    let mut killed_mid_save = 0;
    for extra_delay_ms in [0, 0, 5, 20, 60] {
        // `generate` builds a 200k-prefix plan (about 100 MB of JSON) and saves it atomically
        // over the file; the kill comes once its temporary file exists, while it is written.
        let mut child = Command::new(env!("CARGO_BIN_EXE_drplan"))
            .args(["generate", "--prefixes", "200000", "--seed", "1"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while temporary_files().is_empty() && child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_micros(200));
        }
        let saving = !temporary_files().is_empty();
        std::thread::sleep(Duration::from_millis(extra_delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let plan = drplan::io::load(&path).expect("the plan file is whole after a kill");
        let replaced = plan != previous;
        if replaced {
            assert!(plan.name.starts_with("Synthetic enterprise"), "either the old plan or the whole new one");
            drplan::io::save(&previous, &path).unwrap();
        } else if saving {
            killed_mid_save += 1;
        }
        for leftover in temporary_files() {
            std::fs::remove_file(leftover).unwrap();
        }
    }
    assert!(killed_mid_save > 0, "at least one kill landed while the new plan was being written, and the previous plan survived it");
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
