//! drplan's overlap sweep and full validation beside the Python reference
//! (`benches/overlap_reference.py`) on the same synthetic plans, with a check that both report
//! the same overlapping pairs. Run with `cargo bench --bench overlap_vs_python`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use drplan::model::overlap;
use drplan::synth::{SynthSpec, enterprise_plan};
use drplan::validate;

const SIZES: [usize; 4] = [1_000, 3_000, 10_000, 100_000];
const REPEAT: usize = 15;
/// Short runs repeat until this much time has passed, so that a 50 µs sweep is not judged on 15
/// runs made before the machine has warmed up to it.
const AT_LEAST: Duration = Duration::from_millis(300);

/// The best of at least `REPEAT` runs and `AT_LEAST` of running: the least disturbed by the rest
/// of the machine.
fn best_of(mut run: impl FnMut()) -> Duration {
    let began = Instant::now();
    let mut best = Duration::MAX;
    let mut runs = 0;
    while runs < REPEAT || began.elapsed() < AT_LEAST {
        let start = Instant::now();
        run();
        best = best.min(start.elapsed());
        runs += 1;
    }
    best
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let directory = std::env::temp_dir().join("drplan-bench");
    if let Err(error) = std::fs::create_dir_all(&directory) {
        eprintln!("cannot create {}: {error}", directory.display());
        std::process::exit(1);
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/overlap_reference.py");
    println!(
        "{:>9} {:>7} {:>12} {:>14} {:>12} {:>12} {:>10} {:>10}",
        "prefixes", "pairs", "rust sweep", "rust validate", "py sweep", "py pairs", "sweep ×", "validate ×"
    );
    for size in SIZES {
        let plan = enterprise_plan(SynthSpec { prefixes: size, seed: 7, faults: 30 }).plan;
        let path = directory.join(format!("synthetic-{size}.drplan.json"));
        let pairs_path = directory.join(format!("synthetic-{size}.pairs"));
        if let Err(error) = drplan::io::save(&plan, &path) {
            eprintln!("{error}");
            std::process::exit(1);
        }
        let prefixes: Vec<_> = overlap::plan_prefixes(&plan).into_iter().enumerate().map(|(i, (net, _))| (net, i)).collect();
        let sweep = best_of(|| {
            std::hint::black_box(overlap::overlapping_pairs(&prefixes));
        });
        let full = best_of(|| {
            std::hint::black_box(validate::validate(&plan));
        });
        let output = Command::new("python3")
            .args([script, &path.to_string_lossy(), "--repeat", "5", "--every-pair-limit", "3100"])
            .args(["--pairs-out", &pairs_path.to_string_lossy()])
            .output();
        let python: serde_json::Value = match output {
            Ok(output) if output.status.success() => serde_json::from_slice(&output.stdout).unwrap_or_default(),
            Ok(output) => {
                eprintln!("python reference failed: {}", String::from_utf8_lossy(&output.stderr));
                std::process::exit(1);
            }
            Err(error) => {
                eprintln!("cannot run python3: {error}");
                std::process::exit(1);
            }
        };
        let rust_lines = overlap::plan_overlap_lines(&plan);
        let python_lines: Vec<String> = std::fs::read_to_string(&pairs_path).unwrap_or_default().lines().map(str::to_owned).collect();
        if rust_lines != python_lines {
            eprintln!("{size}: Rust and Python disagree ({} and {} pairs)", rust_lines.len(), python_lines.len());
            std::process::exit(1);
        }
        let python_sweep = python["sort_and_sweep_ms"].as_f64().unwrap_or(f64::NAN);
        let every_pair = python["every_pair_ms"].as_f64().map_or("-".to_owned(), |ms| format!("{ms:.1} ms"));
        println!(
            "{:>9} {:>7} {:>9.3} ms {:>11.3} ms {:>9.1} ms {:>12} {:>9.0}× {:>9.1}×",
            python["prefixes"],
            rust_lines.len(),
            milliseconds(sweep),
            milliseconds(full),
            python_sweep,
            every_pair,
            python_sweep / milliseconds(sweep),
            python_sweep / milliseconds(full)
        );
    }
}
