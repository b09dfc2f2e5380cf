//! CPU time of one frame of the desktop app (layout, canvas drawing and tessellation, no GPU)
//! on synthetic plans of about 200 and 2,000 canvas nodes. Run with `cargo bench --bench frame`.

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
    for prefixes in [200, 2_000] {
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
        // The first frames build the canvas cache and fit the view.
        for _ in 0..3 {
            let _ = context.run_ui(raw_input(), |ui| app.ui(ui));
        }
        group.bench_function(format!("{nodes} canvas nodes"), |b| {
            b.iter(|| {
                let output = context.run_ui(raw_input(), |ui| app.ui(ui));
                black_box(context.tessellate(output.shapes, output.pixels_per_point))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
