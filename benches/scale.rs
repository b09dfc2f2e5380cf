//! How drplan keeps up with big estates, as ratios whose two sides are measured in the same run,
//! in turn (A B A B …), so a machine whose speed drifts moves both alike. Whole processes are run
//! for what a user runs (`drplan validate`, `simulate`, `plan`, `diagram`, and Python's
//! `json.load` of the same file as the yardstick for loading); in-process figures for what has no
//! process of its own (validation after one edit, an edit in the app and the frames that follow it).
//! Beside the commands whose goal is 1.5 times `validate`, the floors under their ratios: their
//! processor time spread over the cores, and the plan loaded (and simulated) and their bytes
//! written with nothing made.
//!
//! `cargo bench --bench scale` (release build; generates its plans with `drplan generate` into a
//! temporary folder; about ten minutes on two cores). Each figure is the median of the runs.
//! `cargo bench --bench scale -- edits` runs only the in-process rows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use drplan::edit::{Edit, Element, ElementKey, Placement};
use drplan::model::{ElementKind, Plan, Point};

const DRPLAN: &str = env!("CARGO_BIN_EXE_drplan");
const RUNS: usize = 5;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// What a whole process took.
struct Ran {
    /// Wall seconds.
    seconds: f64,
    /// Peak resident memory in MiB, when GNU time is there to say it.
    peak: Option<f64>,
    /// Processor seconds, user and system, on all cores, when GNU time is there to say it.
    processor: Option<f64>,
}

fn run(program: &str, args: &[&str]) -> Ran {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut command = if gnu_time {
        let mut command = Command::new("/usr/bin/time");
        command.args(["-f", "%M %U %S", "-o"]).arg(report.path()).arg(program);
        command
    } else {
        Command::new(program)
    };
    let start = Instant::now();
    let status = command.args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap();
    let seconds = start.elapsed().as_secs_f64();
    assert!(status.code().is_some_and(|code| code <= 1), "{program} {args:?}: {status}");
    let figures: Vec<f64> = std::fs::read_to_string(report.path())
        .ok()
        .and_then(|text| Some(text.trim().lines().last()?.split(' ').filter_map(|figure| figure.parse().ok()).collect()))
        .unwrap_or_default();
    match figures[..] {
        [kib, user, system] => Ran { seconds, peak: Some(kib / 1024.0), processor: Some(user + system) },
        _ => Ran { seconds, peak: None, processor: None },
    }
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

/// The bytes in a file, or in the files of a folder.
fn bytes_in(path: &Path) -> u64 {
    match std::fs::read_dir(path) {
        Ok(entries) => entries.map(|entry| bytes_in(&entry.unwrap().path())).sum(),
        Err(_) => std::fs::metadata(path).unwrap().len(),
    }
}

fn in_process(work: impl FnOnce()) -> f64 {
    let start = Instant::now();
    work();
    start.elapsed().as_secs_f64()
}

/// The edits measured after loading: one of each kind of change, made different each round.
const EDITS: [&str; 4] = ["a network moved", "a subnet renamed", "a machine's address changed", "a circuit's peering location changed"];

/// Edit `which` of `EDITS` for round `round`, made to the plan as it is.
fn edit_for(plan: &Plan, which: usize, round: usize) -> Edit {
    match which {
        0 => {
            let network = &plan.networks[plan.networks.len() / 2];
            let key = ElementKey::new(ElementKind::Network, network.id.as_str());
            Edit::Move(vec![Placement { key, position: Point::new(100.0 + round as f32, 200.0) }])
        }
        1 => {
            let mut subnet = plan.subnets[plan.subnets.len() / 2].clone();
            subnet.name = format!("edited {round}");
            Edit::Replace(Element::Subnet(subnet))
        }
        2 => {
            let mut machine = plan.machines[plan.machines.len() / 2].clone();
            let subnet = plan.subnets.iter().find(|subnet| subnet.id == machine.subnet).unwrap();
            machine.ip = subnet.prefix.net().hosts().nth(10 + round % 2).unwrap();
            Edit::Replace(Element::Machine(machine))
        }
        _ => {
            let mut circuit = plan.circuits[0].clone();
            circuit.peering_location = format!("Location {}", round % 2);
            Edit::Replace(Element::Circuit(circuit))
        }
    }
}

fn main() {
    if std::env::args().any(|argument| argument == "--list") {
        return;
    }
    let directory = tempfile::tempdir().unwrap();
    // `cargo bench --bench scale -- edits`: only the in-process rows (edits and validation).
    let edits_only = std::env::args().any(|argument| argument == "edits");
    let python = Command::new("python3").arg("--version").output().is_ok_and(|output| output.status.success());
    println!("| measured (A) | A | yardstick (B) | B | A/B (median of {RUNS} pairs) | goal |");
    println!("| --- | --- | --- | --- | --- | --- |");
    // For each command: its times at each size, and validate's in the same pairs.
    let mut growth_of: Vec<(String, Vec<f64>, Vec<f64>)> = Vec::new();
    for prefixes in [10_000, 100_000] {
        let plan_path = generate(directory.path(), prefixes);
        let file = plan_path.to_str().unwrap();
        let size_mib = std::fs::metadata(&plan_path).unwrap().len() as f64 / 1024.0 / 1024.0;
        let out = directory.path().join("out");
        let out = out.to_str().unwrap();

        if !edits_only {
            let mut validate = || run(DRPLAN, &["validate", file]).seconds;
            if python {
                let load = format!("import json; json.load(open({file:?}))");
                let (a, b, ratio) = paired(&mut validate, &mut || run("python3", &["-c", &load]).seconds);
                row(&format!("drplan validate, {prefixes} prefixes ({size_mib:.0} MiB)"), a, "python3 json.load of the file", b, ratio, "≤ 0.35 at 100k");
            }
            let peak = run(DRPLAN, &["validate", file]).peak;
            if let Some(peak) = peak {
                println!(
                    "| drplan validate peak memory, {prefixes} prefixes | {peak:.0} MiB | file size | {size_mib:.0} MiB | {:.2} | ≤ 1.5 |",
                    peak / size_mib
                );
            }
            // Each command beside validate at the same size; the goal is 1.5 for the first
            // four. The last three have no goal of their own: they are here so a path that grows
            // with the square of the plan shows in its growth (each was one, on 2026-12-06).
            let commands: [(&str, Vec<&str>, &str); 7] = [
                ("drplan simulate", vec!["simulate", file, "--scenario", "scn-full-region", "--format", "json"], "≤ 1.5"),
                ("drplan plan", vec!["plan", file, "--scenario", "scn-full-region", "--out", out], "≤ 1.5"),
                ("drplan diagram --format svg", vec!["diagram", file, "--format", "svg", "--out", out], "≤ 1.5"),
                ("drplan simulate --format text", vec!["simulate", file, "--scenario", "scn-full-region", "--format", "text"], "linear"),
                (
                    "drplan diagram --format svg --view after",
                    vec!["diagram", file, "--format", "svg", "--scenario", "scn-full-region", "--view", "after", "--out", out],
                    "linear",
                ),
                (
                    "drplan diagram --format drawio --view both",
                    vec!["diagram", file, "--format", "drawio", "--scenario", "scn-full-region", "--view", "both", "--out", out],
                    "linear",
                ),
                ("drplan validate --format sarif", vec!["validate", file, "--format", "sarif"], "linear"),
            ];
            for (position, (name, arguments, goal)) in commands.iter().enumerate() {
                let (a, b, ratio) = paired(&mut || run(DRPLAN, arguments).seconds, &mut validate);
                row(&format!("{name}, {prefixes}"), a, "drplan validate", b, ratio, goal);
                if growth_of.len() <= position {
                    growth_of.push((name.to_string(), Vec::new(), Vec::new()));
                }
                growth_of[position].1.push(a);
                growth_of[position].2.push(b);
            }
            // Another floor under the first three: a command's processor time (user and system) spread
            // evenly over the machine's cores, beside validate's wall time. No scheduling of its
            // work makes its ratio above less than this one.
            let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
            for (name, arguments, _) in &commands[..3] {
                let mut spread = || run(DRPLAN, arguments).processor.unwrap_or(f64::NAN) / cores as f64;
                let (a, b, ratio) = paired(&mut spread, &mut validate);
                if ratio.is_finite() {
                    row(&format!("{name}, processor time over {cores} cores, {prefixes}"), a, "drplan validate", b, ratio, "the least its ratio can be");
                }
            }
            // The floor under the plan's and the SVG's ratios: writing as many bytes as they write,
            // flushed to disk as they flush them, beside validate. Neither can take less than its
            // load (validate less its validation) plus this.
            let svg = format!("plan-{prefixes}-before.svg");
            // The recovery plan is made from a simulation; the SVG of the plan as drawn needs none.
            let outputs = [
                ("the recovery plan's", vec!["recovery-plan.json", "recovery-plan.asr.json", "runbook.md", "scripts"], true),
                ("the SVG's", vec![&svg], false),
            ];
            for (what, names, simulated) in outputs {
                let mebibytes = names.iter().map(|name| bytes_in(&Path::new(out).join(name))).sum::<u64>().div_ceil(1024 * 1024);
                let floor = Path::new(out).join("floor");
                let arguments = [format!("of={}", floor.display()), format!("count={mebibytes}")];
                let mut write = || run("dd", &["if=/dev/zero", &arguments[0], "bs=1M", &arguments[1], "conv=fsync"]).seconds;
                let (a, b, ratio) = paired(&mut write, &mut validate);
                row(&format!("writing {what} {mebibytes} MiB (dd, flushed), {prefixes}"), a, "drplan validate", b, ratio, "its floor is about 1 + this");
                // That floor in one go, in process: the plan loaded as every command loads it (and
                // for the recovery plan, simulated as `drplan plan` simulates it), then as many
                // bytes written and flushed, with nothing made from it.
                let mut load_and_write = || {
                    in_process(|| {
                        let plan = std::sync::Arc::new(drplan::io::load(&plan_path).unwrap());
                        if simulated {
                            let index = drplan::model::PlanIndex::new(&plan);
                            let scenario = drplan::simulate::scenario_named(&plan, "scn-full-region").unwrap();
                            drop(std::hint::black_box(drplan::simulate::simulate_shared(&plan, &index, scenario).unwrap()));
                        }
                        let mut file = std::fs::File::create(&floor).unwrap();
                        let mebibyte = vec![b' '; 1024 * 1024];
                        for _ in 0..mebibytes {
                            std::io::Write::write_all(&mut file, &mebibyte).unwrap();
                        }
                        file.sync_all().unwrap();
                        drop(plan);
                    })
                };
                let (a, b, ratio) = paired(&mut load_and_write, &mut validate);
                row(
                    &format!(
                        "loading{} the plan and writing {what} {mebibytes} MiB (in process, flushed), {prefixes}",
                        if simulated { " and simulating" } else { "" }
                    ),
                    a,
                    "drplan validate",
                    b,
                    ratio,
                    "the least its ratio can be",
                );
            }
        }

        // In process: validation after one edit (`revalidate_kept`, from the report before it,
        // over the index's tables kept from the edit before as the app keeps them) against a
        // full validation of the same plan, for each kind of edit.
        let plan = drplan::io::load(&plan_path).unwrap();
        for (which, what) in EDITS.iter().enumerate() {
            let mut edited = plan.clone();
            let mut report = drplan::validate::validate(&edited);
            let mut kept = drplan::model::KeptIndex::default();
            kept.keep(drplan::model::PlanIndex::new(&edited).into_tables());
            let mut round = 0;
            let (a, b, ratio) = paired(
                &mut || {
                    round += 1;
                    let edit = edit_for(&edited, which, round);
                    let change = drplan::edit::apply(&mut edited, edit).unwrap().change();
                    let start = Instant::now();
                    if let Some(new) = drplan::validate::revalidate_kept(&edited, &report, change, &mut kept) {
                        report = new;
                    }
                    start.elapsed().as_secs_f64()
                },
                &mut || in_process(|| drop(std::hint::black_box(drplan::validate::validate(&plan)))),
            );
            row(&format!("validation after one edit ({what}), {prefixes}"), a, "full validation", b, ratio, "≤ 0.1 at 10k, ≤ 0.05 at 100k");
        }

        // An edit in the app: the document applies it (recording its journal for undo), then
        // the findings are brought up to date.
        let mut document = drplan::app::Document::new(plan.clone(), None);
        for (which, what) in EDITS.iter().enumerate() {
            let mut round = 0;
            let mut edit_in_app = || {
                round += 1;
                let edit = edit_for(&document.plan, which, round);
                in_process(|| {
                    document.apply(edit).unwrap();
                    while document.poll_validation() {
                        std::thread::sleep(Duration::from_micros(200));
                    }
                })
            };
            let (a, b, ratio) = paired(&mut edit_in_app, &mut || 1.0 / 60.0);
            row(&format!("an edit and its findings in the app ({what}), {prefixes}"), a, "a frame at 60 Hz", b, ratio, "≤ 1 at 100k");
        }

        // What the window does meanwhile: the app's frames (design view at Fit, no GPU) from an
        // edit until its findings and its canvas are up to date; the longest of them, the edit
        // included, against a frame of the same view with nothing changed.
        let mut app = drplan::app::DrPlanApp::new(Some(&plan_path));
        app.use_recovery_path(None);
        let context = egui::Context::default();
        let input = || egui::RawInput { screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1600.0, 1000.0))), ..Default::default() };
        let frame = |app: &mut drplan::app::DrPlanApp| in_process(|| drop(context.run_ui(input(), |ui| app.ui(ui))));
        for _ in 0..3 {
            frame(&mut app);
        }
        let app = std::cell::RefCell::new(app);
        let mut round = 0;
        let (which, what) = (2, EDITS[2]);
        let (a, b, ratio) = paired(
            &mut || {
                let mut app = app.borrow_mut();
                round += 1;
                let edit = edit_for(&app.document.plan, which, round);
                let mut longest = in_process(|| assert!(app.apply(edit)));
                loop {
                    longest = longest.max(frame(&mut app));
                    let canvas_current =
                        app.canvas.building.is_none() && app.canvas.cache.built_for.map(|(revision, _)| revision) == Some(app.document.revision);
                    if !app.document.is_validating() && canvas_current {
                        return longest;
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            },
            &mut || frame(&mut app.borrow_mut()),
        );
        row(&format!("the app's longest frame after an edit ({what}), {prefixes}"), a, "a frame with nothing changed", b, ratio, "near 1 (60 Hz: 0.017 s)");
    }
    if edits_only {
        return;
    }
    let growth = |times: &[f64]| times[1] / times[0];
    println!("\n| 100k/10k growth | command | validate | ratio (goal for simulate: ≤ 1.3) |\n| --- | --- | --- | --- |");
    for (name, times, validate_times) in &growth_of {
        println!("| {name} | {:.1}× | {:.1}× | {:.2} |", growth(times), growth(validate_times), growth(times) / growth(validate_times));
    }
}
