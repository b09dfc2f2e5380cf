//! Importing an Azure estate at enterprise scale (issue: start from what exists): a Resource Graph
//! dump of 5,000 VNets with 20,000 subnets and 20,000 NICs, in pages of 1,000 rows as
//! `az graph query --first 1000` prints them, against the reference measured in the same run:
//! loading and validating the plan the import produces. The target is a ratio of at most 3.
//! Run with `cargo bench --bench import`; `docs/performance.md` records the numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use drplan::import::{self, AzureOptions, Input};
use serde_json::{Value, json};

const VNETS: usize = 5_000;
const SUBNETS_PER_VNET: usize = 4;
/// Spokes peer with one hub each; a hub every this many VNets.
const HUB_EVERY: usize = 100;
const SUBSCRIPTION: &str = "/subscriptions/00000000-0000-0000-0000-000000000000";

fn vnet_id(index: usize) -> String {
    format!("{SUBSCRIPTION}/resourceGroups/rg-net-{}/providers/Microsoft.Network/virtualNetworks/vnet-{index:05}", index / 500)
}

/// The address space of VNet `index`: a /22 of 10.0.0.0/8 or 172.16.0.0/12 for the second half.
fn space(index: usize) -> (String, [String; SUBNETS_PER_VNET]) {
    let block = index * 4;
    let (second, third) = (block / 256, block % 256);
    let subnets = std::array::from_fn(|subnet| format!("10.{second}.{}.0/24", third + subnet));
    (format!("10.{second}.{third}.0/22"), subnets)
}

fn rows() -> Vec<Value> {
    let mut rows = Vec::new();
    for index in 0..VNETS {
        let (address_space, subnets) = space(index);
        let location = if index % 2 == 0 { "eastasia" } else { "southeastasia" };
        let hub = index - index % HUB_EVERY;
        let peering = |from: usize, to: usize, hub_side: bool| {
            json!({"name": format!("peer-{from}-{to}"), "id": format!("{}/virtualNetworkPeerings/peer-{from}-{to}", vnet_id(from)),
                "properties": {"remoteVirtualNetwork": {"id": vnet_id(to)}, "allowVirtualNetworkAccess": true, "allowForwardedTraffic": true,
                    "allowGatewayTransit": hub_side, "useRemoteGateways": false, "peeringState": "Connected"}})
        };
        let peerings: Vec<Value> = if index == hub {
            (hub + 1..(hub + HUB_EVERY).min(VNETS)).filter(|spoke| spoke % 2 == index % 2).map(|spoke| peering(index, spoke, true)).collect()
        } else if index % 2 == hub % 2 {
            vec![peering(index, hub, false)]
        } else {
            Vec::new()
        };
        let subnet_rows: Vec<Value> = subnets
            .iter()
            .enumerate()
            .map(|(number, prefix)| json!({"name": format!("snet-{number}"), "id": format!("{}/subnets/snet-{number}", vnet_id(index)), "properties": {"addressPrefix": prefix, "provisioningState": "Succeeded"}}))
            .collect();
        rows.push(json!({"id": vnet_id(index), "name": format!("vnet-{index:05}"), "type": "microsoft.network/virtualnetworks", "location": location,
            "resourceGroup": format!("rg-net-{}", index / 500), "subscriptionId": "00000000-0000-0000-0000-000000000000",
            "properties": {"addressSpace": {"addressPrefixes": [address_space]}, "subnets": subnet_rows, "virtualNetworkPeerings": peerings}}));
        for (number, prefix) in subnets.iter().enumerate() {
            let host = prefix.trim_end_matches("0/24");
            rows.push(json!({"id": format!("{SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Network/networkInterfaces/nic-{index:05}-{number}"),
                "name": format!("nic-{index:05}-{number}"), "type": "microsoft.network/networkinterfaces", "location": location, "resourceGroup": "rg-app",
                "properties": {"virtualMachine": {"id": format!("{SUBSCRIPTION}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-{index:05}-{number}")},
                    "ipConfigurations": [{"name": "ipconfig1", "properties": {"primary": true, "privateIPAddress": format!("{host}10"), "privateIPAllocationMethod": "Static",
                        "subnet": {"id": format!("{}/subnets/snet-{number}", vnet_id(index))}}}]}}));
        }
    }
    rows
}

/// The dump as Resource Graph pages of 1,000 rows.
fn pages() -> Vec<Input> {
    rows()
        .chunks(1000)
        .enumerate()
        .map(|(number, chunk)| Input {
            file: PathBuf::from(format!("page-{number}.json")),
            text: json!({"count": chunk.len(), "data": chunk, "skip_token": "next"}).to_string(),
        })
        .collect()
}

fn import_against_load_and_validate(c: &mut Criterion) {
    let inputs = pages();
    let options = AzureOptions { name: "Scale".to_owned(), primary: Some("eastasia".to_owned()), recovery: Some("southeastasia".to_owned()) };
    let imported = import::azure(&inputs, &options).expect("the dump imports");
    assert_eq!(
        (imported.plan.networks.len(), imported.plan.subnets.len(), imported.plan.machines.len()),
        (VNETS, VNETS * SUBNETS_PER_VNET, VNETS * SUBNETS_PER_VNET)
    );
    let text = drplan::io::to_canonical_json(&imported.plan);
    let bytes: usize = inputs.iter().map(|input| input.text.len()).sum();
    eprintln!("dump: {} pages, {:.1} MB; plan: {:.1} MB", inputs.len(), bytes as f64 / 1e6, text.len() as f64 / 1e6);

    let mut group = c.benchmark_group("5,000 VNets, 20,000 subnets, 20,000 NICs");
    group.sample_size(10);
    group.bench_function("import the Resource Graph dump", |b| b.iter(|| import::azure(black_box(&inputs), &options)));
    group.bench_function("load and validate the plan it produces (reference)", |b| {
        b.iter(|| {
            let plan = drplan::io::parse_str(black_box(&text), Path::new("scale.drplan.json")).expect("loads");
            drplan::validate::validate(&plan)
        })
    });
    group.finish();
}

criterion_group!(benches, import_against_load_and_validate);
criterion_main!(benches);
