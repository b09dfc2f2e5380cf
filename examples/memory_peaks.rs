//! Where the peak memory of drplan's commands goes: the resident memory and its peak (Linux
//! `/proc/self/status`) after each step of loading, validating and drawing a plan file, and with
//! a scenario, of simulating it and writing its recovery plan.
//! `cargo run --release --example memory_peaks -- FILE [SCENARIO]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

fn status(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 =
        status.lines().find_map(|line| line.strip_prefix(field)).and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0.0);
    kib / 1024.0
}

fn step(name: &str) {
    println!("{:>8.1} MiB resident, {:>8.1} MiB peak  {name}", status("VmRSS:"), status("VmHWM:"));
}

fn main() {
    let file = std::path::PathBuf::from(std::env::args().nth(1).expect("a plan file"));
    let scenario_key = std::env::args().nth(2);
    let size = std::fs::metadata(&file).unwrap().len() as f64;
    println!("file: {:.1} MiB", size / (1024.0 * 1024.0));
    step("start");
    // As the commands load a file: read a piece at a time and parsed as it is read, then checked.
    let plan = std::sync::Arc::new(drplan::io::load(&file).unwrap());
    step("load (read in pieces, parse, check)");
    let report = drplan::validate::validate(&plan);
    step(&format!("validate ({} findings, {} verdicts)", report.findings.len(), report.verdicts.len()));
    drop(report);
    let options = drplan::export::diagram::Options { machines: false, date: "2026-12-06".parse().unwrap() };
    let svg = drplan::export::diagram::svg(&plan, None, drplan::export::diagram::View::Before, &options).unwrap();
    step(&format!("diagram before, SVG ({:.1} MiB)", svg.len() as f64 / (1024.0 * 1024.0)));
    drop(svg);
    let Some(key) = scenario_key else { return };
    let scenario = drplan::simulate::scenario_named(&plan, &key).unwrap();
    let index = drplan::model::PlanIndex::new(&plan);
    step("index");
    let outcome = drplan::simulate::simulate_shared(&plan, &index, scenario).unwrap();
    step(&format!("simulate ({} differences)", outcome.differences.len()));
    let recovery = drplan::recovery::recovery_plan(&index, scenario, &outcome);
    step(&format!("recovery plan ({} steps)", recovery.steps().count()));
    let directory = std::env::temp_dir().join("drplan-memory-peaks");
    drplan::export::write_plan(&recovery, &directory, &[]).unwrap();
    step("write the recovery plan's files");
}
