//! How drplan keeps up with big estates, as ratios whose two sides are measured in the same run,
//! in turn (A B A B …), so a machine whose speed drifts moves both alike. Whole processes are run
//! for what a user runs (`drplan validate`, `simulate`, `plan`, `diagram`, and Python's
//! `json.load` of the same file as the yardstick for loading); in-process figures for what has no
//! process of its own (validation after one edit, an edit in the app).
//!
//! `cargo bench --bench scale` (release build; generates its plans with `drplan generate` into a
//! temporary folder; about three minutes on two cores). Each figure is the median of the runs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use drplan::edit::{Edit, Element};
use drplan::model::Plan;

const DRPLAN: &str = env!("CARGO_BIN_EXE_drplan");
const RUNS: usize = 5;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Wall seconds of a whole process, and its peak resident memory in MiB when GNU time is there
/// to say it.
fn run(program: &str, args: &[&str]) -> (f64, Option<f64>) {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut command = if gnu_time {
        let mut command = Command::new("/usr/bin/time");
        command.args(["-f", "%M", "-o"]).arg(report.path()).arg(program);
        command
    } else {
        Command::new(program)
    };
    let start = Instant::now();
    let status = command.args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap();
    let seconds = start.elapsed().as_secs_f64();
    assert!(status.code().is_some_and(|code| code <= 1), "{program} {args:?}: {status}");
    let peak = std::fs::read_to_string(report.path()).ok().and_then(|text| text.trim().lines().last()?.parse::<f64>().ok()).map(|kib| kib / 1024.0);
    (seconds, peak)
}

/// A and B in turn, RUNS times after one warm-up of each: the medians of A, of B, and of A/B
/// taken pair by pair.
fn paired(a: &mut dyn FnMut() -> f64, b: &mut dyn FnMut() -> f64) -> (f64, f64, f64) {
    a();
    b();
    let (mut a_times, mut b_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (a_time, b_time) = (a(), b());
        a_times.push(a_time);
        b_times.push(b_time);
        ratios.push(a_time / b_time);
    }
    (median(a_times), median(b_times), median(ratios))
}

fn generate(directory: &Path, prefixes: usize) -> PathBuf {
    let path = directory.join(format!("plan-{prefixes}.drplan.json"));
    let status = Command::new(DRPLAN).args(["generate", "--prefixes", &prefixes.to_string(), "--seed", "1"]).arg(&path).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
    path
}

fn row(what: &str, a: f64, b_what: &str, b: f64, ratio: f64, goal: &str) {
    println!("| {what} | {:.3} s | {b_what} | {:.3} s | {ratio:.2} | {goal} |", a, b);
}

fn in_process(work: impl FnOnce()) -> f64 {
    let start = Instant::now();
    work();
    start.elapsed().as_secs_f64()
}

/// One subnet of the plan with its prefix changed to a free one, as the inspector would.
fn edited_subnet(plan: &Plan, round: usize) -> Edit {
    let mut subnet = plan.subnets[plan.subnets.len() / 2].clone();
    subnet.name = format!("edited {round}");
    Edit::Replace(Element::Subnet(subnet))
}

fn main() {
    if std::env::args().any(|argument| argument == "--list") {
        return;
    }
    let directory = tempfile::tempdir().unwrap();
    let python = Command::new("python3").arg("--version").output().is_ok_and(|output| output.status.success());
    println!("| measured (A) | A | yardstick (B) | B | A/B (median of {RUNS} pairs) | goal |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut simulate_at = Vec::new();
    let mut validate_at = Vec::new();
    for prefixes in [10_000, 100_000] {
        let plan_path = generate(directory.path(), prefixes);
        let file = plan_path.to_str().unwrap();
        let size_mib = std::fs::metadata(&plan_path).unwrap().len() as f64 / 1024.0 / 1024.0;
        let out = directory.path().join("out");
        let out = out.to_str().unwrap();

        let mut validate = || run(DRPLAN, &["validate", file]).0;
        if python {
            let load = format!("import json; json.load(open({file:?}))");
            let (a, b, ratio) = paired(&mut validate, &mut || run("python3", &["-c", &load]).0);
            row(&format!("drplan validate, {prefixes} prefixes ({size_mib:.0} MiB)"), a, "python3 json.load of the file", b, ratio, "≤ 0.35 at 100k");
        }
        let peak = run(DRPLAN, &["validate", file]).1;
        if let Some(peak) = peak {
            println!("| drplan validate peak memory, {prefixes} prefixes | {peak:.0} MiB | file size | {size_mib:.0} MiB | {:.2} | ≤ 1.5 |", peak / size_mib);
        }
        let mut simulate = || run(DRPLAN, &["simulate", file, "--scenario", "scn-full-region", "--format", "json"]).0;
        let (a, b, ratio) = paired(&mut simulate, &mut validate);
        row(&format!("drplan simulate, {prefixes}"), a, "drplan validate", b, ratio, "≤ 1.5");
        simulate_at.push(a);
        validate_at.push(b);
        let (a, b, ratio) = paired(&mut || run(DRPLAN, &["plan", file, "--scenario", "scn-full-region", "--out", out]).0, &mut validate);
        row(&format!("drplan plan, {prefixes}"), a, "drplan validate", b, ratio, "≤ 1.5");
        let (a, b, ratio) = paired(&mut || run(DRPLAN, &["diagram", file, "--format", "svg", "--out", out]).0, &mut validate);
        row(&format!("drplan diagram --format svg, {prefixes}"), a, "drplan validate", b, ratio, "≤ 1.5");

        // In process: validation after one edit against a full validation of the same plan.
        let plan = drplan::io::load(&plan_path).unwrap();
        let mut edited = plan.clone();
        let mut round = 0;
        let (a, b, ratio) = paired(
            &mut || {
                round += 1;
                drplan::edit::apply(&mut edited, edited_subnet(&plan, round)).unwrap();
                in_process(|| drop(std::hint::black_box(drplan::validate::validate(&edited))))
            },
            &mut || in_process(|| drop(std::hint::black_box(drplan::validate::validate(&plan)))),
        );
        row(
            &format!("validation after one edit, {prefixes} (no incremental validation yet: a full one)"),
            a,
            "full validation",
            b,
            ratio,
            "≤ 0.1 at 10k, ≤ 0.05 at 100k",
        );

        // An edit in the app: the document applies it (and keeps the previous plan for undo),
        // then the findings are brought up to date.
        let mut document = drplan::app::Document::new(plan.clone(), None);
        let mut round = 0;
        let mut edit_in_app = || {
            round += 1;
            let edit = edited_subnet(&plan, round);
            in_process(|| {
                document.apply(edit).unwrap();
                while document.poll_validation() {
                    std::thread::sleep(Duration::from_micros(200));
                }
            })
        };
        let (a, b, ratio) = paired(&mut edit_in_app, &mut || 1.0 / 60.0);
        row(&format!("an edit and its findings in the app, {prefixes}"), a, "a frame at 60 Hz", b, ratio, "≤ 1 at 100k");
    }
    let growth = |times: &[f64]| times[1] / times[0];
    println!(
        "\n100k/10k growth: simulate {:.1}×, validate {:.1}× (ratio {:.2}; goal: within 1.3)",
        growth(&simulate_at),
        growth(&validate_at),
        growth(&simulate_at) / growth(&validate_at)
    );
}
