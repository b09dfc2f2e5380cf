//! Plan files: every sample round-trips byte for byte, malformed files name the line, column
//! and field at fault, and an interrupted save leaves the previous file intact.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;

use common::*;
use drplan::io::{self, LoadError, LoadErrorKind};

fn load_text(text: &str) -> Result<drplan::model::Plan, LoadError> {
    io::parse_str(text, Path::new("plan.drplan.json"))
}

#[test]
fn every_sample_round_trips_to_the_same_plan_and_the_same_bytes() {
    let directory = tempfile::tempdir().unwrap();
    for name in SAMPLES {
        let original = sample_text(name);
        let plan = sample(name);
        assert_eq!(io::to_canonical_json(&plan), original, "{name} is not in canonical layout: run `drplan fmt`");
        let copy = directory.path().join(name);
        io::save(&plan, &copy).unwrap();
        assert_eq!(fs::read_to_string(&copy).unwrap(), original, "{name}: saved bytes differ");
        assert_eq!(io::load(&copy).unwrap(), plan, "{name}: reloaded plan differs");
    }
}

#[test]
fn truncated_json_names_the_line_and_column_where_it_ends() {
    let text = sample_text("azure-full-region.drplan.json");
    let cut = &text[..text.len() / 2];
    let error = load_text(cut).unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::Syntax(_)), "{error}");
    let last_line = cut.lines().count();
    assert_eq!(error.position.map(|(line, _)| line), Some(last_line), "{error}");
    let message = error.to_string();
    assert!(message.starts_with(&format!("plan.drplan.json:{last_line}:")), "{message}");
    assert!(message.contains("EOF"), "{message}");
}

#[test]
fn a_prefix_that_does_not_parse_names_its_field_and_position() {
    let text = replace_once(&sample_text("azure-full-region.drplan.json"), "\"10.1.0.0/16\"", "\"10.1.0.0/33\"");
    let error = load_text(&text).unwrap_err();
    assert!(matches!(&error.kind, LoadErrorKind::InvalidValue(message) if message.contains("10.1.0.0/33")), "{error}");
    assert_eq!(error.field.as_ref().unwrap().to_string(), "networks[0].address_space[0]");
    assert_eq!(error.position, Some(position_of(&text, "\"10.1.0.0/33\"")));
    assert!(error.to_string().contains("field `networks[0].address_space[0]`"), "{error}");
}

#[test]
fn a_machine_address_that_does_not_parse_names_its_field() {
    let text = replace_once(&sample_text("vmm-change-ip.drplan.json"), "\"ip\": \"192.168.1.", "\"ip\": \"192.168.1.x");
    let error = load_text(&text).unwrap_err();
    let field = error.field.as_ref().unwrap().to_string();
    assert!(field.starts_with("machines[") && field.ends_with("].ip"), "{field}");
    assert_eq!(error.position, Some(position_of(&text, "\"192.168.1.x")));
}

#[test]
fn a_position_too_large_for_the_canvas_is_refused_with_its_field() {
    // Found with the fuzz pipeline (tests/fuzz-regressions/position-overflows-f32.json): 1e39 is
    // a valid JSON number but infinity as an f32, which saved as `null`, so the plan loaded and
    // could then not be reopened.
    let text = replace_once(&sample_text("vmm-change-ip.drplan.json"), "\"x\": 0.0", "\"x\": 1e39");
    let error = load_text(&text).unwrap_err();
    assert!(matches!(&error.kind, LoadErrorKind::InvalidValue(message) if message.starts_with("1e39 is out of range for a canvas position")), "{error}");
    assert_eq!(error.field.as_ref().unwrap().to_string(), "sites[0].position.x");
    assert_eq!(error.position, Some(position_of(&text, "1e39")));
    assert!(error.to_string().starts_with("plan.drplan.json:"), "{error}");
}

#[test]
fn the_largest_position_an_f32_holds_loads_and_saves_back_unchanged() {
    let text = replace_once(&sample_text("vmm-change-ip.drplan.json"), "\"x\": 0.0", "\"x\": -3.4e38");
    let plan = load_text(&text).unwrap();
    assert_eq!(plan.sites[0].position.map(|point| point.x), Some(-3.4e38));
    let saved = io::to_canonical_json(&plan);
    assert_eq!(load_text(&saved).unwrap(), plan);
}

#[test]
fn a_reference_to_a_missing_id_names_the_referring_field() {
    let text = replace_once(&sample_text("azure-full-region.drplan.json"), "\"subnet\": \"sub-source-1\"", "\"subnet\": \"sub-nowhere\"");
    let error = load_text(&text).unwrap_err();
    assert!(matches!(&error.kind, LoadErrorKind::DanglingReference { id, expected } if id == "sub-nowhere" && *expected == "subnet"), "{error}");
    assert_eq!(error.field.as_ref().unwrap().to_string(), "machines[0].subnet");
    assert_eq!(error.position, Some(position_of(&text, "\"sub-nowhere\"")));
}

#[test]
fn a_reference_to_an_element_of_the_wrong_kind_is_refused() {
    let text = replace_once(&sample_text("azure-full-region.drplan.json"), "\"subnet\": \"sub-source-1\"", "\"subnet\": \"net-source-vnet\"");
    let error = load_text(&text).unwrap_err();
    assert!(matches!(&error.kind, LoadErrorKind::WrongKind { found: "network", .. }), "{error}");
}

#[test]
fn a_duplicate_id_names_the_second_declaration_and_the_first() {
    let text = replace_once(&sample_text("azure-full-region.drplan.json"), "\"id\": \"vm-web-2\"", "\"id\": \"vm-web-1\"");
    let error = load_text(&text).unwrap_err();
    let LoadErrorKind::DuplicateId { id, first, .. } = &error.kind else { panic!("{error}") };
    assert_eq!(id, "vm-web-1");
    assert_eq!(first.to_string(), "machines[0].id");
    assert_eq!(error.field.as_ref().unwrap().to_string(), "machines[1].id");
    let second_declaration = text.match_indices("\"id\": \"vm-web-1\"").nth(1).expect("two declarations").0;
    let value_offset = second_declaration + "\"id\": ".len();
    assert_eq!(error.position, Some(line_column(&text, value_offset)));
}

#[test]
fn a_plan_from_a_newer_drplan_is_refused_with_the_version_position() {
    let text = replace_once(&sample_text("hybrid-full-region.drplan.json"), "\"version\": 2", "\"version\": 7");
    let error = load_text(&text).unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::NewerVersion { found: 7, supported: 2 }), "{error}");
    assert_eq!(error.position, Some(position_of(&text, "7")));
    assert!(error.to_string().contains("newer drplan"), "{error}");
}

#[test]
fn a_version_1_plan_with_recovery_group_0_is_migrated_keeping_the_order_of_groups() {
    // Version 1 allowed group 0, which the recovery plan also uses for its preparation steps.
    let text = sample_text("hybrid-full-region.drplan.json");
    let current = load_text(&text).unwrap();
    let groups_of = |plan: &drplan::model::Plan| plan.machines.iter().map(|machine| machine.recovery_group.get()).collect::<Vec<_>>();
    let mut old = replace_once(&text, "\"version\": 2", "\"version\": 1");
    let first_group = format!("\"recovery_group\": {}", current.machines[0].recovery_group);
    old = replace_once(&old, &first_group, "\"recovery_group\": 0");
    let migrated = load_text(&old).unwrap();
    assert_eq!(migrated.version, drplan::model::FORMAT_VERSION, "a migrated plan saves as the current version");
    let mut expected: Vec<u32> = groups_of(&current).iter().map(|group| group + 1).collect();
    expected[0] = 1;
    assert_eq!(groups_of(&migrated), expected, "every group moved up by one, group 0 now 1");

    // Version 2 refuses group 0, naming the field and its position.
    let refused = load_text(&replace_once(&text, &first_group, "\"recovery_group\": 0")).unwrap_err();
    assert_eq!(refused.field.as_ref().unwrap().to_string(), "machines[0].recovery_group");
    assert!(refused.to_string().contains("expected a nonzero"), "{refused}");

    // A version-1 plan without group 0 loads unchanged.
    let unchanged = load_text(&replace_once(&text, "\"version\": 2", "\"version\": 1")).unwrap();
    assert_eq!(groups_of(&unchanged), groups_of(&current));
}

#[test]
fn a_network_mapped_twice_is_refused_naming_both_mappings() {
    let text = sample_text("hybrid-full-region.drplan.json");
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mappings = json["network_mappings"].as_array_mut().unwrap();
    let mut second = mappings[0].clone();
    second["target"] = json["networks"][0]["id"].clone();
    let mappings = json["network_mappings"].as_array_mut().unwrap();
    let count = mappings.len();
    mappings.push(second);
    let error = load_text(&serde_json::to_string_pretty(&json).unwrap()).unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::DuplicateMapping { .. }), "{error}");
    assert_eq!(error.field.as_ref().unwrap().to_string(), format!("network_mappings[{count}].source"));
    assert!(error.to_string().contains("(at network_mappings[0].source)"), "{error}");
    assert!(error.position.is_some());
}

#[test]
fn a_plan_without_a_version_is_refused() {
    let text = replace_once(&sample_text("hybrid-full-region.drplan.json"), "\"version\": 2,", "");
    let error = load_text(&text).unwrap_err();
    assert!(error.to_string().contains("missing field `version`"), "{error}");
}

#[test]
fn an_unknown_field_is_named() {
    let text = replace_once(&sample_text("hybrid-full-region.drplan.json"), "\"premium\": false", "\"premium\": false, \"premum\": true");
    let error = load_text(&text).unwrap_err();
    assert!(error.to_string().contains("unknown field `premum`"), "{error}");
    assert_eq!(error.field.as_ref().unwrap().to_string(), "circuits[0].premum");
}

#[test]
fn an_unreadable_file_names_the_file() {
    let error = io::load(Path::new("/nonexistent/plan.drplan.json")).unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::Io(_)));
    assert!(error.to_string().starts_with("/nonexistent/plan.drplan.json: cannot read the file"), "{error}");
}

#[test]
fn an_interrupted_save_leaves_the_previous_file_intact_and_no_temporary_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("plan.drplan.json");
    let original = sample_text("vmm-change-ip.drplan.json");
    fs::write(&path, &original).unwrap();

    let result = io::write_atomically(&path, |file| {
        file.write_all(b"{\"version\": 1, \"name\": \"half")?;
        Err(std::io::Error::other("disk full"))
    });

    let error = result.unwrap_err();
    assert!(error.to_string().contains("disk full"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
    let leftovers: Vec<_> = fs::read_dir(directory.path()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("plan.drplan.json")]);
    io::load(&path).expect("the previous plan still loads");
}

#[test]
fn a_save_into_a_missing_directory_fails_cleanly() {
    let plan = sample("vmm-change-ip.drplan.json");
    let error = io::save(&plan, Path::new("/nonexistent-directory/plan.drplan.json")).unwrap_err();
    assert!(error.to_string().starts_with("cannot save /nonexistent-directory/plan.drplan.json"), "{error}");
}
