//! CPU time of one frame of the desktop app (layout, canvas drawing and tessellation, no GPU)
//! on synthetic plans of 200, 2,000 and 100,000 prefixes (up to about 140,000 canvas nodes), in
//! the design view and in the before/after view of a full-region failover. Run with
//! `cargo bench --bench frame`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use drplan::app::DrPlanApp;
use drplan::synth::{SynthSpec, enterprise_plan};

fn raw_input() -> egui::RawInput {
    egui::RawInput { screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1600.0, 1000.0))), ..Default::default() }
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("app frame");
    group.sample_size(20);
    for prefixes in [200, 2_000, 100_000] {
        let plan = enterprise_plan(SynthSpec { prefixes, seed: 7, faults: 3 }).plan;
        let nodes = plan.sites.len() + plan.networks.len() + plan.subnets.len() + plan.circuits.len();
        let directory = std::env::temp_dir().join("drplan-bench-frame");
        let _ = std::fs::create_dir_all(&directory);
        let path = directory.join(format!("synthetic-{prefixes}.drplan.json"));
        if drplan::io::save(&plan, &path).is_err() {
            continue;
        }
        let mut app = DrPlanApp::new(Some(&path));
        app.use_recovery_path(None);
        let context = egui::Context::default();
        for before_after in [false, true] {
            app.before_after = before_after;
            // The first frames of a view build its caches (and simulate the failover).
            for _ in 0..3 {
                let _ = context.run_ui(raw_input(), |ui| app.ui(ui));
            }
            let view = if before_after { "before/after" } else { "design" };
            group.bench_function(format!("{view}, {prefixes} prefixes, {nodes} canvas nodes"), |b| {
                b.iter(|| {
                    let output = context.run_ui(raw_input(), |ui| app.ui(ui));
                    black_box(context.tessellate(output.shapes, output.pixels_per_point))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
