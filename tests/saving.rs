//! Saving against a hostile filesystem: a read-only file is kept unless forced, a link out of the
//! output folder is not followed, modes are as documented, another program's save is not lost,
//! a set of outputs is whole or the previous one, and stale temporary files are cleaned up.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use drplan::io::{self, OnDisk, Replace};

fn drplan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_drplan")).args(args).output().unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A sample written out of canonical layout (compact), so `fmt` has something to rewrite.
fn compact_sample(directory: &Path) -> std::path::PathBuf {
    let path = directory.join("plan.drplan.json");
    fs::write(&path, serde_json::to_string(&sample("vmm-change-ip.drplan.json")).unwrap()).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn fmt_keeps_a_read_only_file_unless_forced() {
    use std::os::unix::fs::PermissionsExt;
    let directory = tempfile::tempdir().unwrap();
    let path = compact_sample(directory.path());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(&path).unwrap();
    let output = drplan(&["fmt", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("the file is read-only, so drplan does not replace it"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(fs::read(&path).unwrap(), before, "the read-only file is kept");

    let output = drplan(&["fmt", "--force", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_ne!(fs::read(&path).unwrap(), before, "rewritten when forced");
    assert_eq!(mode(&path), 0o444, "and still read-only");
}

#[cfg(unix)]
#[test]
fn plan_does_not_follow_a_scripts_link_out_of_its_output_folder() {
    let directory = tempfile::tempdir().unwrap();
    let elsewhere = directory.path().join("elsewhere");
    let out = directory.path().join("out");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("scripts")).unwrap();
    let sample = sample_path("azure-full-region.drplan.json");
    let output = drplan(&["plan", sample.to_str().unwrap(), "--scenario", "scn-full-region", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("a symbolic link"), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0, "nothing was written through the link");
}

#[cfg(unix)]
#[test]
fn a_new_file_gets_the_usual_mode_and_a_replaced_one_keeps_its_own() {
    use std::os::unix::fs::PermissionsExt;
    let umask = u32::from_str_radix(String::from_utf8(Command::new("sh").args(["-c", "umask"]).output().unwrap().stdout).unwrap().trim(), 8).unwrap();
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("new.drplan.json");
    io::save(&sample("vmm-change-ip.drplan.json"), &path).unwrap();
    assert_eq!(mode(&path), 0o666 & !umask, "as any editor creates a file (docs/plan-format.md)");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    io::save(&sample("hybrid-full-region.drplan.json"), &path).unwrap();
    assert_eq!(mode(&path), 0o640);
}

#[test]
fn a_save_over_a_file_another_program_changed_is_refused_and_keeps_its_changes() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.drplan.json");
    io::save(&sample("vmm-change-ip.drplan.json"), &path).unwrap();
    let (plan, text) = io::load_with_text(&path).unwrap();
    let loaded = OnDisk::of(&path, &text).unwrap();
    // Another writer saves its version, of the same size, in the same second.
    let theirs = text.replacen("\"name\": \"", "\"name\": \"X", 1).replacen("  \"version\"", " \"version\"", 1);
    assert_eq!(theirs.len(), text.len());
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    fs::write(&path, &theirs).unwrap();
    fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();

    let error = io::save_over(&plan, &path, Replace::Writable, Some(&loaded)).unwrap_err();
    assert!(error.changed_on_disk(), "{error}");
    assert!(error.to_string().contains("changed on disk since drplan read it"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs, "their save is kept");
    // Unchanged since it was read: the save goes through.
    let loaded = OnDisk::of(&path, &theirs).unwrap();
    io::save_over(&plan, &path, Replace::Writable, Some(&loaded)).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn a_set_of_outputs_is_whole_or_the_previous_one() {
    let directory = tempfile::tempdir().unwrap();
    let (first, second) = (directory.path().join("runbook.md"), directory.path().join("recovery-plan.json"));
    io::write_all_atomically(&[(first.clone(), b"old runbook".as_slice()), (second.clone(), b"old plan".as_slice())]).unwrap();
    // The third file cannot be written (its folder does not exist): nothing is replaced.
    let missing = directory.path().join("no-such-folder").join("network-changes.sh");
    let failed =
        io::write_all_atomically(&[(first.clone(), b"new runbook".as_slice()), (second.clone(), b"new plan".as_slice()), (missing, b"script".as_slice())]);
    assert!(failed.is_err());
    assert_eq!(fs::read_to_string(&first).unwrap(), "old runbook");
    assert_eq!(fs::read_to_string(&second).unwrap(), "old plan");
    let left: Vec<_> = fs::read_dir(directory.path()).unwrap().map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!left.iter().any(|name| name.ends_with(".tmp")), "no temporary file is left: {left:?}");
}

#[test]
fn a_save_removes_the_temporary_files_an_interrupted_save_of_the_same_file_left() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.drplan.json");
    let stale = directory.path().join(".plan.drplan.json.a1B2c3.tmp");
    let not_ours = [directory.path().join(".plan.drplan.json.notours.tmp"), directory.path().join(".other.drplan.json.a1B2c3.tmp")];
    fs::write(&stale, "half a plan").unwrap();
    for path in &not_ours {
        fs::write(path, "someone else's").unwrap();
    }
    io::save(&sample("vmm-change-ip.drplan.json"), &path).unwrap();
    assert!(!stale.exists(), "drplan's own stale temporary file is removed");
    assert!(not_ours.iter().all(|path| path.exists()), "other names are left alone");
}
