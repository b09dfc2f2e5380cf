//! Where full validation spends its time: builds a synthetic plan and times the context, each
//! rule, the sort and the verdicts separately. `cargo run --release --example rule_times -- 100000`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use drplan::synth::{SynthSpec, enterprise_plan};
use drplan::validate::{self, Context};

fn main() {
    let prefixes = std::env::args().nth(1).and_then(|arg| arg.parse().ok()).unwrap_or(100_000);
    let plan = enterprise_plan(SynthSpec { prefixes, seed: 7, faults: 30 }).plan;
    let rounds = 10;
    let mut times: Vec<(String, f64)> = Vec::new();
    let mut add = |name: &str, seconds: f64| match times.iter_mut().find(|(n, _)| n == name) {
        Some((_, total)) => *total += seconds,
        None => times.push((name.to_owned(), seconds)),
    };
    for _ in 0..rounds {
        let start = Instant::now();
        let plan_index = drplan::model::PlanIndex::new(&plan);
        let context = Context::new(&plan_index);
        add("context (with its index)", start.elapsed().as_secs_f64());
        let mut findings = Vec::new();
        for rule in validate::rules() {
            let start = Instant::now();
            findings.extend(rule.run(&context));
            add(rule.id, start.elapsed().as_secs_f64());
        }
        let start = Instant::now();
        let index = drplan::model::PlanIndex::new(&plan);
        add("  of which PlanIndex::new", start.elapsed().as_secs_f64());
        let start = Instant::now();
        for scenario in &plan.scenarios {
            std::hint::black_box(drplan::scenario::moves(&index, scenario));
        }
        add("  of which scenario moves", start.elapsed().as_secs_f64());
        let start = Instant::now();
        let verdicts = validate::retention_verdicts(&context, &findings);
        add("verdicts", start.elapsed().as_secs_f64());
        std::hint::black_box(verdicts);
        let start = Instant::now();
        drop(context);
        add("drop context", start.elapsed().as_secs_f64());
        let count = findings.len();
        let start = Instant::now();
        drop(findings);
        add(&format!("drop {count} findings"), start.elapsed().as_secs_f64());
        let start = Instant::now();
        let copy = plan.clone();
        add("clone the plan (the app's undo snapshot)", start.elapsed().as_secs_f64());
        let start = Instant::now();
        drop(copy);
        add("drop a copy of the plan", start.elapsed().as_secs_f64());
        let start = Instant::now();
        let report = validate::validate(&plan);
        add("whole validate()", start.elapsed().as_secs_f64());
        let start = Instant::now();
        std::hint::black_box(drplan::io::check(&plan, std::path::Path::new("plan")).is_ok());
        add("the invariant check (io::check)", start.elapsed().as_secs_f64());
        let start = Instant::now();
        let copy = report.clone();
        add("clone the report", start.elapsed().as_secs_f64());
        drop(copy);
        std::hint::black_box(report);
    }
    times.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (name, total) in times {
        println!("{:>9.3} ms  {name}", total * 1000.0 / f64::from(rounds));
    }
}
