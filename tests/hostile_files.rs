//! What is not a plan file, or not text, is refused quickly and says why: devices, pipes and
//! directories before they are read, a byte-order mark and invalid UTF-8 with their position.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use drplan::io::{self, LoadErrorKind};

/// Runs `drplan validate PATH`, killed if it takes more than `limit`; its exit code and stderr.
fn validate_within(path: &Path, limit: Duration) -> (Option<i32>, String, Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drplan")).arg("validate").arg(path).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("drplan validate {} still ran after {limit:?}", path.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let output = child.wait_with_output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned(), start.elapsed())
}

#[cfg(unix)]
#[test]
fn a_device_is_refused_within_a_second_without_reading_it() {
    let (code, stderr, _) = validate_within(Path::new("/dev/zero"), Duration::from_secs(1));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/dev/zero: not a regular file (a device)"), "{stderr}");
    let error = io::load(Path::new("/dev/urandom")).unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::NotAFile("a device")), "{error}");
}

#[cfg(unix)]
#[test]
fn a_pipe_with_no_writer_is_refused_without_waiting_for_one() {
    let directory = tempfile::tempdir().unwrap();
    let fifo = directory.path().join("plan.drplan.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success(), "mkfifo");
    let (code, stderr, _) = validate_within(&fifo, Duration::from_secs(1));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("not a regular file (a pipe)"), "{stderr}");
}

#[test]
fn a_directory_is_refused_as_not_a_file() {
    let directory = tempfile::tempdir().unwrap();
    let error = io::load(directory.path()).unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::NotAFile("a directory")), "{error}");
    assert!(error.to_string().ends_with("not a regular file (a directory): a plan is read from a file"), "{error}");
}

#[test]
fn a_byte_order_mark_is_named_at_the_start_of_the_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("bom.drplan.json");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(include_bytes!("../samples/vmm-change-ip.drplan.json"));
    std::fs::write(&path, bytes).unwrap();
    let error = io::load(&path).unwrap_err();
    assert_eq!(error.to_string(), format!("{}:1:1: the file starts with a UTF-8 byte-order mark (EF BB BF); save it as UTF-8 without one", path.display()));
}

#[test]
fn invalid_utf8_is_placed_by_byte_offset_line_and_column() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("latin1.drplan.json");
    // "Zürich" written in Latin-1 on line 3: ü is the single byte FC.
    let mut bytes = b"{\n  \"version\": 2,\n  \"name\": \"Z".to_vec();
    bytes.push(0xFC);
    bytes.extend_from_slice(b"rich\"\n}\n");
    std::fs::write(&path, &bytes).unwrap();
    let error = io::load(&path).unwrap_err();
    assert_eq!(error.position, Some((3, 13)));
    assert!(matches!(error.kind, LoadErrorKind::NotUtf8 { offset: 30 }), "{error:?}");
    assert_eq!(error.to_string(), format!("{}:3:13: not UTF-8 text: byte 30 (from 0) is not part of a UTF-8 character", path.display()));
}

/// No byte that a terminal obeys: C0 controls other than newline and tab, DEL, and C1 controls.
fn assert_no_terminal_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let control = text.chars().find(|character| (character.is_control() && !matches!(character, '\n' | '\t')) || ('\u{80}'..='\u{9f}').contains(character));
    assert!(control.is_none(), "{what} holds the raw control {control:?}:\n{text}");
}

#[test]
fn names_and_keys_with_escape_sequences_reach_the_terminal_as_text() {
    let directory = tempfile::tempdir().unwrap();
    let mut plan = io::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/vmm-change-ip.drplan.json"))).unwrap();
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\r\u{9b}31m";
    for site in &mut plan.sites {
        site.name = format!("{}{hostile}", site.name);
    }
    for machine in &mut plan.machines {
        machine.name = format!("{}{hostile}", machine.name);
    }
    for scenario in &mut plan.scenarios {
        scenario.name = format!("{}{hostile}", scenario.name);
    }
    let path = directory.path().join("hostile.drplan.json");
    io::save(&plan, &path).unwrap();
    let scenario = plan.scenarios[0].id.to_string();
    for args in [
        vec!["validate"],
        vec!["simulate", "--scenario", &scenario],
        vec!["plan", "--scenario", &scenario, "--out", directory.path().join("out").to_str().unwrap()],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_drplan")).args(&args).arg(&path).output().unwrap();
        assert_no_terminal_controls(&format!("{args:?} stdout"), &output.stdout);
        assert_no_terminal_controls(&format!("{args:?} stderr"), &output.stderr);
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("\\u{1b}]0;owned\\u{7}") || args[0] == "plan",
            "{args:?}: the name is shown, its controls as text"
        );
    }
    // A key quoted in an error message.
    let text = std::fs::read_to_string(&path).unwrap().replacen("\"name\"", "\"na\\u001b[2Jme\"", 1);
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_drplan")).arg("validate").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_no_terminal_controls("the error message", &output.stderr);
    assert!(String::from_utf8_lossy(&output.stderr).contains("na\\u{1b}[2Jme"), "{}", String::from_utf8_lossy(&output.stderr));
}

/// The message `drplan` gives for a file holding `text`, the file's path replaced by `FILE`.
fn message_for(text: &str) -> String {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.drplan.json");
    std::fs::write(&path, text).unwrap();
    io::load(&path).unwrap_err().to_string().replace(&path.display().to_string(), "FILE")
}

#[test]
fn messages_name_the_right_position_and_cause() {
    assert_eq!(message_for(""), "FILE:1:1: the file is empty: a plan file holds one JSON object, starting with `{`");
    assert_eq!(message_for("  \n \t\n"), "FILE:1:1: the file is empty: a plan file holds one JSON object, starting with `{`");
    assert_eq!(
        message_for(r#"{"version": 2, "name": "x", "sites": [{"id": "s", "name": "S", "kind": 0, "role": "primary"}]}"#),
        "FILE:1:72: field `sites[0].kind`: expected a string (one of the names this field takes), found the number 0"
    );
    assert_eq!(
        message_for(r#"{"version": 2, "name": "x", "sites": [{"id": "s", "name": "S", "kind": "cloud_region", "role": true}]}"#),
        "FILE:1:96: field `sites[0].role`: expected a string (one of the names this field takes), found the boolean true"
    );
    assert_eq!(
        message_for(r#"{"version": 4294967296, "name": "x"}"#),
        "FILE:1:13: field `version`: the plan was saved by a newer drplan (file format version 4294967296); this build reads versions up to 2: update drplan to open it"
    );
    assert_eq!(message_for("{\"version\": 2,\n"), "FILE:2:1: the file is not valid JSON: EOF while parsing a value", "columns count from 1");
}

#[test]
fn leading_zeros_are_refused_in_prefixes_and_addresses_with_one_message() {
    let sample = include_str!("../samples/vmm-change-ip.drplan.json");
    let plan = io::parse_str(sample, Path::new("sample")).unwrap();
    let (prefix, ip) = (plan.subnets[0].prefix.to_string(), plan.machines[0].ip.to_string());
    let zero_led = |dotted: &str| {
        let mut parts: Vec<String> = dotted.split('.').map(str::to_owned).collect();
        parts[0] = format!("0{}", parts[0]);
        parts.join(".")
    };
    let bad_prefix = zero_led(&prefix);
    let error = io::parse_str(&sample.replacen(&format!("\"{prefix}\""), &format!("\"{bad_prefix}\""), 1), Path::new("plan")).unwrap_err();
    assert!(
        error.to_string().ends_with(&format!("`{bad_prefix}` has a part with a leading zero, which some tools read as octal: write `{prefix}`")),
        "{error}"
    );
    let bad_ip = zero_led(&ip);
    let error = io::parse_str(&sample.replacen(&format!("\"{ip}\""), &format!("\"{bad_ip}\""), 1), Path::new("plan")).unwrap_err();
    assert!(error.to_string().ends_with(&format!("`{bad_ip}` has a part with a leading zero, which some tools read as octal: write `{ip}`")), "{error}");
    assert!(error.field.is_some_and(|field| field.to_string().ends_with("ip")), "the field is named");
}

#[test]
fn an_object_written_as_an_array_is_refused() {
    let sample = include_str!("../samples/vmm-change-ip.drplan.json");
    let plan = io::parse_str(sample, Path::new("sample")).unwrap();
    let position = plan.networks[0].position.unwrap();
    let written = format!("\"position\": {{\n        \"x\": {:.1},\n        \"y\": {:.1}\n      }}", position.x, position.y);
    assert!(sample.contains(&written), "the sample writes positions as objects: {written}");
    let as_array = sample.replacen(&written, &format!("\"position\": [{:.1}, {:.1}]", position.x, position.y), 1);
    let error = io::parse_str(&as_array, Path::new("plan")).unwrap_err();
    assert!(
        error.to_string().contains("field `networks[0].position`: invalid type: sequence, expected a JSON object (an array is not read as one)"),
        "{error}"
    );
}
