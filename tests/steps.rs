//! A failover step by step as a deck (`drplan diagram --view steps`): the PDF has a title page,
//! the network before and a page per step of the recovery plan (counted with a PDF parser), and
//! each page says which step it shows and the recovery time used so far.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::*;

#[test]
fn the_steps_deck_has_a_title_page_the_network_before_and_a_page_per_step() {
    let out = tempfile::tempdir().unwrap();
    let sample_file = sample_path("hybrid-full-region.drplan.json");
    let output = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["diagram", &sample_file.to_string_lossy(), "--scenario", "scn-full-region", "--view", "steps", "--format", "pdf,png,svg"])
        .args(["--date", "2026-12-06", "--out", &out.path().to_string_lossy()])
        .output()
        .expect("drplan runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let plan = sample("hybrid-full-region.drplan.json");
    let scenario = plan.scenario_by_id_or_name("scn-full-region").expect("scenario");
    let outcome = drplan::simulate::simulate(&plan, scenario).expect("simulates");
    let recovery = drplan::recovery::recovery_plan(&drplan::model::PlanIndex::new(&plan), scenario, &outcome);
    let steps = recovery.steps().count();
    assert!(steps > 5, "the hybrid failover has a real plan: {steps} steps");

    let pdf = lopdf::Document::load(out.path().join("hybrid-full-region-steps.pdf")).expect("a PDF that parses");
    assert_eq!(pdf.get_pages().len(), steps + 2, "title page, step 0 (before), then one page per step");
    for number in 0..steps + 2 {
        assert!(out.path().join(format!("hybrid-full-region-steps-{number:02}.png")).is_file(), "PNG page {number}");
    }

    let page = |number: usize| std::fs::read_to_string(out.path().join(format!("hybrid-full-region-steps-{number:02}.svg"))).expect("SVG page");
    assert!(page(0).contains(&format!("estimated RTO {}", drplan::export::duration_text(recovery.estimated_rto_secs))));
    assert!(page(1).contains(&format!("Step 0 of {steps}")) && !page(1).contains("class=\"connection disconnected\""), "before: nothing marked");
    let first = recovery.steps().next().expect("a first step");
    assert!(page(2).contains(&format!("Step 1 of {steps}")) && page(2).contains(&first.title.replace('"', "&quot;")), "step 1 names its step");
    let last = page(steps + 1);
    let whole = drplan::export::duration_text(recovery.estimated_rto_secs);
    assert!(last.contains(&format!("recovery time so far {whole} of {whole}")), "the last page has used the whole RTO");
    let disconnected =
        outcome.differences.iter().filter(|difference| matches!(difference, drplan::simulate::Difference::ConnectionDisconnected { .. })).count();
    assert_eq!(last.matches("class=\"connection disconnected\"").count(), disconnected, "after the last step, every disconnection is drawn");
}

/// `--page 16:9` draws every page on a 1920 × 1080 slide: the PNG is that many pixels at scale
/// 1, and every page of the deck's PDF has that shape.
#[test]
fn the_16_9_page_puts_every_page_on_a_slide() {
    let out = tempfile::tempdir().unwrap();
    let sample_file = sample_path("hybrid-full-region.drplan.json");
    let output = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["diagram", &sample_file.to_string_lossy(), "--scenario", "scn-full-region", "--view", "steps", "--format", "png,pdf", "--page", "16:9"])
        .args(["--out", &out.path().to_string_lossy()])
        .output()
        .expect("drplan runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let png = std::fs::read(out.path().join("hybrid-full-region-steps-03.png")).expect("a PNG page");
    let size = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    assert_eq!((size(16), size(20)), (1920, 1080), "the PNG header's width and height");
    let pdf = lopdf::Document::load(out.path().join("hybrid-full-region-steps.pdf")).expect("a PDF");
    for (number, page) in pdf.get_pages() {
        let media = pdf.get_dictionary(page).and_then(|page| page.get(b"MediaBox")).and_then(|media| media.as_array()).expect("a media box");
        let value = |index: usize| media[index].as_float().or_else(|_| media[index].as_i64().map(|value| value as f32)).expect("a number");
        assert!(((value(2) - value(0)) / (value(3) - value(1)) - 16.0 / 9.0).abs() < 0.001, "page {number} is 16:9");
    }
}

/// Each page of a deck is the whole network, one per step: a failover with more steps than
/// `MAX_DECK_STEPS` (a 100,000-prefix estate has 20,000) is refused with the reason, at once,
/// instead of drawing thousands of pages until memory runs out.
#[test]
fn a_deck_of_more_steps_than_its_limit_is_refused_with_the_reason() {
    let directory = tempfile::tempdir().unwrap();
    let (_, file) = saved_estate(directory.path(), 4_000, 3);
    let out = directory.path().join("deck");
    let output = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["diagram", &file.to_string_lossy(), "--scenario", "scn-full-region", "--view", "steps", "--format", "svg"])
        .args(["--out", &out.to_string_lossy()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let limit = drplan::export::diagram::MAX_DECK_STEPS;
    assert!(stderr.contains(&format!("a deck draws one page per step up to {limit} steps; draw the before and after views instead")), "{stderr}");
    assert!(std::fs::read_dir(&out).map_or(true, |mut entries| entries.next().is_none()), "no page is written");
}
