//! Time of the app's first frames on a plan file: the design view, then the before/after view of
//! its first scenario (which simulates it and builds both panes) until it is shown.
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
    let frame = |app: &mut drplan::app::DrPlanApp| {
        let start = Instant::now();
        let output = context.run_ui(input(), |ui| app.ui(ui));
        std::hint::black_box(context.tessellate(output.shapes, output.pixels_per_point));
        start.elapsed().as_secs_f64() * 1000.0
    };
    for number in 0..3 {
        println!("design frame {number}: {:.0} ms", frame(&mut app));
    }
    // A large plan's rehearsal and panes are made on a worker: frames run (at 60 Hz) until they
    // are shown.
    app.before_after = true;
    let start = Instant::now();
    let mut times = Vec::new();
    while times.len() < 3 || app.rehearsing() || app.rehearsal_revision().is_none() {
        times.push(frame(&mut app));
        std::thread::sleep(std::time::Duration::from_millis(16));
    }
    let longest = times.iter().copied().fold(0.0, f64::max);
    println!(
        "before/after: shown after {:.0} ms and {} frames, the longest {longest:.0} ms; then a frame {:.0} ms",
        start.elapsed().as_secs_f64() * 1000.0,
        times.len(),
        frame(&mut app)
    );
}
