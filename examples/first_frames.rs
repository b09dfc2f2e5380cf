//! Time of the app's first frames on a plan file: the design view, then the before/after view of
//! its first scenario (which simulates it and builds both panes).
//! `cargo run --release --example first_frames -- FILE`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).expect("a plan file"));
    let input = || egui::RawInput { screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1600.0, 1000.0))), ..Default::default() };
    let start = Instant::now();
    let mut app = drplan::app::DrPlanApp::new(Some(&path));
    app.use_recovery_path(None);
    println!("open: {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
    let context = egui::Context::default();
    for before_after in [false, true] {
        app.before_after = before_after;
        for frame in 0..3 {
            let start = Instant::now();
            let output = context.run_ui(input(), |ui| app.ui(ui));
            std::hint::black_box(context.tessellate(output.shapes, output.pixels_per_point));
            let view = if before_after { "before/after" } else { "design" };
            println!("{view} frame {frame}: {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
        }
    }
}
