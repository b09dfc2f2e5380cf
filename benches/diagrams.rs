//! Diagram export speed on the synthetic enterprise plan of 10k prefixes (about 2,000 VNets and
//! 8,000 subnets, all networks placed): the SVG document, and the PNG rendered from it (scaled
//! down to the 16-megapixel limit, where the labels are too small to read and left out, as
//! `drplan diagram` would).
//! Run with `cargo bench --bench diagrams`; `docs/performance.md` records the numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use drplan::export::diagram::{self, Date, Options, View};
use drplan::synth::{SynthSpec, enterprise_plan};

fn options() -> Options {
    Options { machines: false, date: Date::new(2026, 11, 22).unwrap_or_else(|| Date::from_days_since_unix_epoch(0)) }
}

fn diagrams(c: &mut Criterion) {
    let plan = enterprise_plan(SynthSpec { prefixes: 10_000, seed: 7, faults: 0 }).plan;
    let mut group = c.benchmark_group("diagram, 10k prefixes");
    group.sample_size(10);
    group.bench_function("SVG", |b| b.iter(|| diagram::svg(black_box(&plan), None, View::Before, &options())));
    let svg = diagram::svg(&plan, None, View::Before, &options()).unwrap_or_default().text().into_owned();
    group.bench_function("PNG from the SVG", |b| b.iter(|| diagram::png(black_box(&svg), 1.0).map(|png| png.bytes.len())));
    group.bench_function("PNG, plan to file bytes", |b| {
        b.iter(|| diagram::svg(black_box(&plan), None, View::Before, &options()).and_then(|svg| diagram::png(&svg.text(), 1.0)).map(|png| png.bytes.len()))
    });
    group.finish();
}

criterion_group!(benches, diagrams);
criterion_main!(benches);
