//! Validation speed on synthetic enterprise plans: full validation at 1k, 10k and 100k
//! prefixes, the overlap sweep alone, and validation after one small edit at 10k prefixes (the
//! edited copy is made and dropped outside the measurement: freeing a plan is not validation).
//! Run with `cargo bench --bench validation`; `docs/performance.md` records the numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use drplan::model::overlap;
use drplan::model::{Connection, ConnectionState, Link, PeeringSettings, Plan};
use drplan::synth::{SynthSpec, enterprise_plan, spoke_subnet_id};
use drplan::validate;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn plan_of(prefixes: usize) -> Plan {
    enterprise_plan(SynthSpec { prefixes, seed: 7, faults: 30 }).plan
}

fn full_validation(c: &mut Criterion) {
    let mut group = c.benchmark_group("full validation");
    group.sample_size(20);
    for size in SIZES {
        let plan = plan_of(size);
        group.bench_function(format!("{size} prefixes"), |b| b.iter(|| validate::validate(black_box(&plan))));
    }
    group.finish();
}

/// The invariant every edit now passes (`io::check`), beside the full validation it precedes.
fn invariant_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("invariant check (every edit)");
    group.sample_size(20);
    for size in SIZES {
        let plan = plan_of(size);
        group.bench_function(format!("{size} prefixes"), |b| b.iter(|| drplan::io::check(black_box(&plan), std::path::Path::new("plan"))));
    }
    group.finish();
}

fn overlap_sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("overlap sweep");
    group.sample_size(20);
    for size in SIZES {
        let plan = plan_of(size);
        let prefixes: Vec<_> = overlap::plan_prefixes(&plan).into_iter().enumerate().map(|(i, (net, _))| (net, i)).collect();
        group.bench_function(format!("{size} prefixes"), |b| b.iter(|| overlap::overlapping_pairs(black_box(&prefixes))));
    }
    group.finish();
}

fn after_one_edit(c: &mut Criterion) {
    let mut group = c.benchmark_group("validation after one edit, 10k prefixes");
    let plan = plan_of(10_000);
    group.bench_function("change a subnet prefix", |b| {
        b.iter_batched_ref(
            || {
                let mut edited = plan.clone();
                let id = spoke_subnet_id("primary", 3, 2);
                if let Some(subnet) = edited.subnets.iter_mut().find(|subnet| subnet.id == id) {
                    subnet.prefix = "10.0.3.0/25".parse().unwrap_or(subnet.prefix);
                }
                edited
            },
            |edited| validate::validate(edited),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("add a peering joining two hubs", |b| {
        let settings =
            PeeringSettings { allow_virtual_network_access: true, allow_forwarded_traffic: true, allow_gateway_transit: false, use_remote_gateways: false };
        b.iter_batched_ref(
            || {
                let mut edited = plan.clone();
                edited.connections.push(Connection {
                    azure: Default::default(),
                    id: "conn-hub-0-hub-1".into(),
                    name: "hub 0 to hub 1".into(),
                    from: "net-primary-hub-0".into(),
                    link: Link::VnetPeering { to: "net-primary-hub-1".into(), from_side: settings, to_side: settings },
                    state: ConnectionState::Active,
                });
                edited
            },
            |edited| validate::validate(edited),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, invariant_check, full_validation, overlap_sweep, after_one_edit);
criterion_main!(benches);
