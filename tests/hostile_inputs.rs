//! Broken and hostile plan files: each gives a clear error naming the file (and where it can,
//! the line, column and field), or a correct result, within bounded memory; never a panic, never
//! a hang. Plus property tests of the overlap logic against a naive every-pair reference.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use drplan::io::{self, LoadErrorKind};
use drplan::model::overlap;
use drplan::validate;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use proptest::prelude::*;

fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(name)
}

/// Loads a corpus file, expecting an error; returns its message.
fn refused(name: &str) -> (String, LoadErrorKind) {
    let error = io::load(&corpus(name)).expect_err(name);
    let message = error.to_string();
    assert!(message.contains(name), "{name}: the message names the file: {message}");
    (message, error.kind)
}

#[test]
fn every_corpus_file_loads_or_is_refused_without_panicking() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")).unwrap() {
        let path = entry.unwrap().path();
        match io::load(&path) {
            Ok(plan) => {
                let report = validate::validate(&plan);
                for scenario in &plan.scenarios {
                    let _ = drplan::simulate::simulate(&plan, scenario);
                }
                assert!(report.findings.iter().all(|finding| !finding.message.is_empty()));
            }
            Err(error) => assert!(error.to_string().contains(&*path.file_name().unwrap().to_string_lossy())),
        }
    }
}

#[test]
fn truncated_and_empty_files_are_syntax_errors_with_a_position() {
    for name in ["truncated.drplan.json", "empty.drplan.json", "deep-nesting-unclosed.drplan.json"] {
        let (message, kind) = refused(name);
        assert!(matches!(kind, LoadErrorKind::Syntax(_) | LoadErrorKind::InvalidValue(_)), "{name}: {message}");
        assert!(message.contains(&format!("{name}:1:")) || message.matches(':').count() >= 3, "{name}: {message}");
    }
}

#[test]
fn a_file_that_is_not_an_object_is_refused() {
    let (message, _) = refused("not-an-object.drplan.json");
    assert!(message.contains("not-an-object.drplan.json:1:1: a plan file holds one JSON object"), "{message}");
}

#[test]
fn wrong_types_unknown_fields_and_bad_values_name_their_field() {
    for (name, field, words) in [
        ("wrong-type.drplan.json", "circuits[0].bandwidth_mbps", "invalid type"),
        ("unknown-field.drplan.json", "circuits[0].colour", "unknown field"),
        ("invalid-prefix.drplan.json", "networks[0].address_space[0]", "is not an IP prefix"),
        ("prefix-not-an-address.drplan.json", "networks[0].address_space[0]", "is not an IP prefix"),
        ("huge-number.drplan.json", "circuits[0].bandwidth_mbps", ""),
        // Group 0 would share its number with the recovery plan's preparation group.
        ("recovery-group-zero.drplan.json", "machines[4].recovery_group", "invalid value: integer `0`, expected a nonzero"),
    ] {
        let (message, _) = refused(name);
        assert!(message.contains(&format!("field `{field}`")), "{name}: {message}");
        assert!(message.contains(words), "{name}: {message}");
    }
}

#[test]
fn duplicate_ids_dangling_references_and_newer_versions_are_refused() {
    let (_, kind) = refused("duplicate-id.drplan.json");
    assert!(matches!(kind, LoadErrorKind::DuplicateId { .. }));
    let (_, kind) = refused("dangling-reference.drplan.json");
    assert!(matches!(kind, LoadErrorKind::DanglingReference { .. }));
    let (_, kind) = refused("newer-version.drplan.json");
    assert!(matches!(kind, LoadErrorKind::NewerVersion { found: 99, .. }));
    let (message, _) = refused("negative-version.drplan.json");
    assert!(message.contains("whole number"), "{message}");
    let (message, _) = refused("trailing-garbage.drplan.json");
    assert!(message.contains("trailing characters"), "{message}");
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let (message, _) = refused("deep-nesting.drplan.json");
    assert!(message.contains("recursion limit") || message.contains("invalid type"), "{message}");
}

#[test]
fn design_mistakes_load_and_are_reported_by_the_validator() {
    let plan = io::load(&corpus("host-bit-prefix.drplan.json")).unwrap();
    assert!(validate::validate(&plan).of_rule("ADDR-CIDR-INVALID").next().is_some());
    let plan = io::load(&corpus("ipv6-address-in-ipv4-subnet.drplan.json")).unwrap();
    assert!(validate::validate(&plan).of_rule("ADDR-IP-OUTSIDE-SUBNET").next().is_some());
    let plan = io::load(&corpus("control-characters.drplan.json")).unwrap();
    assert!(plan.circuits[0].name.contains('\u{1b}'), "names keep what was written; exports quote them");
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("huge.drplan.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(io::MAX_PLAN_BYTES + 1).unwrap(); // sparse: no disk space, no memory
    let error = io::load(&path).unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::TooLarge { .. }), "{error}");
}

#[test]
fn a_large_file_is_read_exactly_and_bad_utf8_in_its_second_half_is_placed() {
    // Large files are read in two halves at once; the split falls inside multi-byte characters
    // here, whichever byte it is.
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("large.drplan.json");
    let text = common::sample_text("hybrid-full-region.drplan.json");
    let description: String = "é漢x".repeat(1024 * 1024);
    let text = text.replacen("\"description\": \"", &format!("\"description\": \"{description}"), 1);
    std::fs::write(&path, &text).unwrap();
    assert_eq!(io::read_text(&path, io::MAX_PLAN_BYTES).unwrap(), text);
    assert_eq!(io::load(&path).unwrap().description.chars().filter(|&c| c == '漢').count(), 1024 * 1024);

    let mut bytes = text.into_bytes();
    let bad = bytes.len() * 3 / 4;
    let bad = (bad..).find(|&at| bytes[at] == b'x').unwrap();
    bytes[bad] = 0xFF;
    std::fs::write(&path, &bytes).unwrap();
    let error = io::read_text(&path, io::MAX_PLAN_BYTES).unwrap_err();
    assert!(matches!(error.kind, LoadErrorKind::NotUtf8 { offset } if offset == bad), "{error}");
}

#[test]
fn a_100_mb_plan_loads() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("padded.drplan.json");
    let mut text = common::sample_text("hybrid-full-region.drplan.json");
    let description = "x".repeat(100 * 1024 * 1024);
    text = text.replacen("\"description\": \"", &format!("\"description\": \"{description}"), 1);
    std::fs::write(&path, &text).unwrap();
    let plan = io::load(&path).unwrap();
    assert!(plan.description.len() > 100 * 1024 * 1024);
    assert!(!validate::validate(&plan).has_errors());
}

#[test]
fn a_plan_with_a_million_prefixes_loads_and_validates() {
    let mut plan = common::sample("hybrid-full-region.drplan.json");
    let others = plan.networks.iter().filter(|network| network.id.as_str() != "net-onprem-lan").count();
    let lan = plan.networks.iter_mut().find(|network| network.id.as_str() == "net-onprem-lan").unwrap();
    lan.address_space =
        (0..1_000_000u32).map(|index| drplan::model::Prefix(IpNet::V4(Ipv4Net::new(std::net::Ipv4Addr::from(0x6400_0000 + index * 4), 30).unwrap()))).collect();
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("million.drplan.json");
    io::save(&plan, &path).unwrap();
    let loaded = io::load(&path).unwrap();
    assert_eq!(loaded.networks.iter().map(|network| network.address_space.len()).sum::<usize>(), 1_000_000 + others);
    let report = validate::validate(&loaded);
    assert!(report.of_rule("ADDR-SUBNET-OUTSIDE").count() > 0, "the LAN's subnets are no longer inside its space");
}

fn arbitrary_net() -> impl Strategy<Value = IpNet> {
    prop_oneof![
        (any::<u32>(), 0u8..=32).prop_map(|(address, length)| IpNet::V4(Ipv4Net::new(address.into(), length).unwrap().trunc())),
        // Few distinct high bits so IPv6 prefixes do overlap.
        (0u128..8, any::<u64>(), 0u8..=128).prop_map(|(high, low, length)| {
            let address = (high << 125) | u128::from(low);
            IpNet::V6(Ipv6Net::new(address.into(), length).unwrap().trunc())
        }),
    ]
}

fn naive_pairs(prefixes: &[(IpNet, usize)]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, (a, _)) in prefixes.iter().enumerate() {
        for (j, (b, _)) in prefixes.iter().enumerate().skip(i + 1) {
            if a.contains(b) || b.contains(a) {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

proptest! {
    #[test]
    fn the_sweep_finds_exactly_the_overlapping_pairs(nets in prop::collection::vec(arbitrary_net(), 0..120)) {
        let tagged: Vec<(IpNet, usize)> = nets.iter().enumerate().map(|(index, net)| (*net, index)).collect();
        let mut swept: Vec<(usize, usize)> =
            overlap::overlapping_pairs(&tagged).into_iter().map(|(a, b)| (a.min(b), a.max(b))).collect();
        swept.sort();
        prop_assert_eq!(swept, naive_pairs(&tagged));
    }

    #[test]
    fn overlap_and_containment_agree_with_the_address_ranges(a in arbitrary_net(), b in arbitrary_net()) {
        let (pa, pb) = (drplan::model::Prefix(a), drplan::model::Prefix(b));
        let shares_an_address = match (a, b) {
            (IpNet::V4(x), IpNet::V4(y)) => u32::from(x.network()) <= u32::from(y.broadcast()) && u32::from(y.network()) <= u32::from(x.broadcast()),
            (IpNet::V6(x), IpNet::V6(y)) => u128::from(x.network()) <= u128::from(y.broadcast()) && u128::from(y.network()) <= u128::from(x.broadcast()),
            _ => false,
        };
        prop_assert_eq!(pa.overlaps(&pb), shares_an_address);
        prop_assert_eq!(pa.contains_prefix(&pb), a.contains(&b));
        prop_assert_eq!(overlap::overlaps_between(&[drplan::model::Prefix(a)], &[drplan::model::Prefix(b)]).is_empty(), !shares_an_address);
    }
}
