//! `drplan import azure` and `drplan mirror` (issue: start from what exists) on one hub-and-spoke
//! estate in East Asia, written as the Azure CLI prints it and as Azure Resource Graph pages print
//! it (`tests/fixtures/azure/`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use drplan::import::{self, AzureOptions, Imported};
use drplan::mirror::{self, AddressSpace, MirrorOptions};
use drplan::model::*;
use drplan::validate::{self, Severity};

fn fixtures(shape: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/azure").join(shape);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("fixtures")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    files.sort();
    files
}

fn options() -> AzureOptions {
    AzureOptions { name: "Imported estate".to_owned(), primary: None, recovery: Some("Southeast Asia".to_owned()) }
}

fn imported(shape: &str) -> Imported {
    let inputs = import::read_inputs(&fixtures(shape)).expect("readable fixtures");
    import::azure(&inputs, &options()).expect("imports")
}

fn network<'a>(plan: &'a Plan, name: &str) -> &'a Network {
    plan.networks.iter().find(|network| network.name == name).unwrap_or_else(|| panic!("network {name}"))
}

fn machine<'a>(plan: &'a Plan, name: &str) -> &'a Machine {
    plan.machines.iter().find(|machine| machine.name == name).unwrap_or_else(|| panic!("machine {name}"))
}

fn subnet_of<'a>(plan: &'a Plan, machine: &Machine) -> &'a Subnet {
    plan.subnet(&machine.subnet).expect("subnet")
}

#[test]
fn the_cli_lists_and_the_resource_graph_pages_import_to_the_same_plan() {
    let (cli, graph) = (imported("cli"), imported("graph"));
    assert_eq!(cli.plan, graph.plan);
    assert_eq!(cli.summary.created, graph.summary.created);
    assert_eq!(cli.summary.skipped.len(), graph.summary.skipped.len());
}

#[test]
fn every_field_of_the_estate_arrives() {
    let plan = imported("graph").plan;
    let site = |role: SiteRole| plan.sites.iter().find(|site| site.role == role).expect("site");
    let primary = site(SiteRole::Primary);
    assert_eq!(
        (primary.name.as_str(), primary.kind, primary.region.as_deref(), primary.geography.as_deref()),
        ("Azure East Asia", SiteKind::CloudRegion, Some("East Asia"), Some("Asia Pacific"))
    );
    assert_eq!(site(SiteRole::Recovery).name, "Azure Southeast Asia", "--recovery");
    assert!(site(SiteRole::Third).kind.is_on_premises(), "local gateways and circuits are on premises");

    let hub = network(&plan, "vnet-hub-eas");
    assert_eq!(hub.address_space, ["10.10.10.0/24".parse::<Prefix>().unwrap()]);
    assert_eq!(
        *hub.azure,
        AzureIdentity {
            name: Some("vnet-hub-eas".into()),
            resource_group: Some("rg-network-eastasia".into()),
            subscription: Some("11111111-2222-3333-4444-555555555555".into())
        }
    );
    let subnets: Vec<(String, String)> = plan.subnets_of(&hub.id).map(|subnet| (subnet.name.clone(), subnet.prefix.to_string())).collect();
    assert_eq!(subnets, [("NVASubnet".into(), "10.10.10.0/25".into()), ("GatewaySubnet".into(), "10.10.10.128/25".into())]);
    let spoke2 = network(&plan, "vnet-spoke2-eas");
    assert_eq!(plan.subnets_of(&spoke2.id).map(|subnet| subnet.prefix.to_string()).collect::<Vec<_>>(), ["10.2.0.0/25"], "the addressPrefixes form");
    assert_eq!(spoke2.service_endpoints, ["Microsoft.Storage"]);
    let kinds: Vec<(String, GatewayKind, bool)> =
        hub.gateways.iter().map(|gateway| (gateway.name.clone(), gateway.kind, gateway.provisioned_before_failover)).collect();
    assert_eq!(kinds, [("vgw-er-hub-eas".into(), GatewayKind::ExpressRoute, true), ("vgw-vpn-hub-eas".into(), GatewayKind::Vpn, true)]);

    // Peerings: one connection per pair, both sides' settings.
    let peerings: Vec<&Connection> = plan.connections.iter().filter(|connection| matches!(connection.link, Link::VnetPeering { .. })).collect();
    assert_eq!(peerings.len(), 2);
    for peering in peerings {
        let Link::VnetPeering { to, from_side, to_side } = &peering.link else { unreachable!() };
        let (hub_side, spoke_side) = if peering.from == hub.id {
            (from_side, to_side)
        } else {
            assert_eq!(to, &hub.id);
            (to_side, from_side)
        };
        assert!(hub_side.allow_gateway_transit && !hub_side.use_remote_gateways && hub_side.allow_forwarded_traffic && hub_side.allow_virtual_network_access);
        assert!(spoke_side.use_remote_gateways && !spoke_side.allow_gateway_transit);
    }
    // Connections by type: ExpressRoute to the circuit (its id written in another case), IPsec to
    // the local network gateway's address space.
    let circuit = |name: &str| plan.circuits.iter().find(|circuit| circuit.name == name).unwrap_or_else(|| panic!("circuit {name}"));
    let hong_kong = circuit("er-hongkong");
    assert_eq!(
        (hong_kong.peering_location.as_str(), hong_kong.bandwidth_mbps, hong_kong.premium, hong_kong.geography.as_str()),
        ("Hong Kong", 1000, false, "Asia Pacific")
    );
    let singapore = circuit("er-singapore");
    assert_eq!((singapore.peering_location.as_str(), singapore.bandwidth_mbps, singapore.premium), ("Singapore", 500, true), "Premium from sku.tier");
    assert_eq!(hong_kong.azure.resource_group.as_deref(), Some("rg-connectivity"));
    let er = plan.connections.iter().find(|connection| connection.name == "cn-hub-er-hongkong").expect("ExpressRoute connection");
    assert_eq!((&er.from, &er.link), (&hub.id, &Link::ExpressRoute { circuit: hong_kong.id.clone() }));
    let vpn = plan.connections.iter().find(|connection| connection.name == "cn-hub-onprem-vpn").expect("VPN connection");
    let Link::SiteToSiteVpn { to } = &vpn.link else { panic!("a site-to-site VPN") };
    let lan = plan.network(to).expect("the local gateway's network");
    assert_eq!(
        (lan.address_space.clone(), plan.site(&lan.site).map(|site| site.kind.is_on_premises())),
        (vec!["192.168.0.0/16".parse::<Prefix>().unwrap()], Some(true))
    );

    // NICs: the primary configuration, allocation, subnet (an id in another case), public IP.
    let web = machine(&plan, "APP1-WEB01");
    assert_eq!(
        (web.ip.to_string(), web.ip_allocation, web.public_ip.map(|ip| ip.to_string())),
        ("10.1.0.4".into(), Allocation::Static, Some("20.205.1.4".into()))
    );
    assert_eq!(web.azure.resource_group.as_deref(), Some("rg-apps-eastasia"));
    assert_eq!(subnet_of(&plan, web).name, "Subnet1");
    assert_eq!(machine(&plan, "JUMP01").ip_allocation, Allocation::Dhcp);
    assert_eq!(subnet_of(&plan, machine(&plan, "APP2-SQL01")).name, "Subnet2", "joined whatever the id's case");
    assert_eq!(plan.machines.len(), 5, "six VMs, one of them the NVA; the orphan NIC is no machine");

    // Route tables in the VNet of their subnets; the NVA at the appliance next hop is the VM there.
    assert_eq!(hub.nvas.iter().map(|nva| (nva.name.as_str(), nva.ip.to_string())).collect::<Vec<_>>(), [("NVA01", "10.10.10.10".to_owned())]);
    let spoke1 = network(&plan, "vnet-spoke1-eas");
    let table = &spoke1.route_tables[0];
    assert_eq!(table.name, "rt-spoke1");
    assert_eq!(table.subnets.len(), 1);
    let routes: Vec<(String, String)> = table.routes.iter().map(|route| (route.prefix.to_string(), format!("{:?}", route.next_hop))).collect();
    assert_eq!(routes[0], ("0.0.0.0/0".to_owned(), "VirtualAppliance(10.10.10.10)".to_owned()));
    assert_eq!(routes.len(), 3);
    assert_eq!(hub.route_tables[0].subnets, [plan.subnets_of(&hub.id).find(|subnet| subnet.is_gateway_subnet()).expect("GatewaySubnet").id.clone()]);

    // Laid out: everything the canvas draws has a position.
    assert!(plan.sites.iter().all(|site| site.position.is_some()) && plan.networks.iter().all(|network| network.position.is_some()));
    assert!(plan.circuits.iter().all(|circuit| circuit.position.is_some()) && plan.subnets.iter().all(|subnet| subnet.position.is_some()));
    assert!(!validate::validate(&plan).has_errors(), "the imported estate is a correct design");
}

#[test]
fn the_summary_says_what_it_made_skipped_and_guessed() {
    let inputs = import::read_inputs(&fixtures("cli")).expect("readable");
    let summary = import::azure(&inputs, &AzureOptions { name: "x".into(), primary: None, recovery: None }).expect("imports").summary;
    let orphan = summary.skipped.iter().find(|skip| skip.what.contains("nic-orphan")).expect("the orphan NIC is listed");
    assert!(orphan.why.contains("no VM") && orphan.origin.file.ends_with("nic-list.json") && orphan.origin.path == "$[6]", "{orphan:?}");
    assert!(summary.check.iter().any(|item| item.contains("primary region is East Asia")), "a guessed role is flagged: {:?}", summary.check);
    assert!(summary.check.iter().any(|item| item.contains("one region only")), "{:?}", summary.check);
    assert!(summary.created.contains(&("machines", 5)) && summary.created.contains(&("NVAs", 1)));
    let text = summary.text();
    assert!(text.starts_with("Created: ") && text.contains("Skipped (1):") && text.contains("nic-list.json $[6]"), "{text}");
}

#[test]
fn the_shared_key_appears_in_no_output() {
    let secret = "Sup3rS3cretKey-DoNotLeak";
    for shape in ["cli", "graph"] {
        assert!(fixtures(shape).iter().any(|file| std::fs::read_to_string(file).unwrap().contains(secret)), "the input holds it");
        let Imported { plan, summary } = imported(shape);
        assert!(!drplan::io::to_canonical_json(&plan).contains(secret));
        assert!(!summary.text().contains(secret));
        let mirrored =
            mirror::mirror(&plan, &MirrorOptions { from: "Azure East Asia".into(), to: "Azure Southeast Asia".into(), address_space: AddressSpace::Same })
                .expect("mirrors")
                .plan;
        let scenario = mirrored.scenarios.last().expect("a scenario");
        let outcome = drplan::simulate::simulate(&mirrored, scenario).expect("simulates");
        let recovery = drplan::recovery::recovery_plan(&drplan::model::PlanIndex::new(&mirrored), scenario, &outcome);
        let directory = tempfile::tempdir().unwrap();
        drplan::export::write_plan(&recovery, directory.path(), &[]).expect("writes");
        for entry in walk(directory.path()) {
            assert!(!std::fs::read_to_string(&entry).unwrap().contains(secret), "{}", entry.display());
        }
    }
}

fn walk(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

#[test]
fn ids_that_differ_only_in_case_join() {
    let directory = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for file in fixtures("cli") {
        // Every id of the NIC list in upper case, every other file as printed.
        let text = std::fs::read_to_string(&file).unwrap();
        let changed = if file.ends_with("nic-list.json") {
            let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
            upper_ids(&mut value);
            value.to_string()
        } else {
            text
        };
        let copy = directory.path().join(file.file_name().unwrap());
        std::fs::write(&copy, changed).unwrap();
        files.push(copy);
    }
    let shouted = import::azure(&import::read_inputs(&files).unwrap(), &options()).expect("imports").plan;
    let printed = imported("cli").plan;
    assert_eq!(
        shouted.machines.iter().map(|machine| (&machine.name, &machine.subnet)).collect::<Vec<_>>(),
        printed.machines.iter().map(|machine| (&machine.name, &machine.subnet)).collect::<Vec<_>>()
    );
}

fn upper_ids(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, inner) in object.iter_mut() {
                match inner {
                    serde_json::Value::String(text) if key == "id" => *text = text.to_ascii_uppercase(),
                    other => upper_ids(other),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(upper_ids),
        _ => {}
    }
}

/// `mirror` of the imported estate reproduces the structure of the hub-and-spoke sample (seed
/// 003): the same networks, subnets, peering settings and mappings, the gateways not provisioned
/// before failover, the UDRs made at failover, and machine targets by Site Recovery's rules.
#[test]
fn mirror_of_the_import_reproduces_the_hub_and_spoke_samples_structure() {
    let plan = imported("cli").plan;
    let mirrored = mirror::mirror(&plan, &MirrorOptions { from: "site-eastasia".into(), to: "Azure Southeast Asia".into(), address_space: AddressSpace::Same })
        .expect("mirrors");
    let sample = sample("expressroute-hub-spoke.drplan.json");
    let shape = |plan: &Plan, site_role: SiteRole| {
        let site = plan.sites.iter().find(|site| site.role == site_role).expect("site").id.clone();
        let mut networks: Vec<(String, Vec<String>, usize)> = plan
            .networks_of(&site)
            .map(|network| {
                let mut prefixes: Vec<String> = plan.subnets_of(&network.id).map(|subnet| subnet.prefix.to_string()).collect();
                prefixes.sort();
                (network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(","), prefixes, network.route_tables.len())
            })
            .collect();
        networks.sort();
        networks
    };
    assert_eq!(shape(&mirrored.plan, SiteRole::Recovery), shape(&sample, SiteRole::Recovery), "networks, subnets and route tables");
    assert_eq!(shape(&mirrored.plan, SiteRole::Primary), shape(&sample, SiteRole::Primary));

    let peering_settings = |plan: &Plan| {
        let mut settings: Vec<(bool, [bool; 4], [bool; 4])> = plan
            .connections
            .iter()
            .filter_map(|connection| match &connection.link {
                Link::VnetPeering { from_side, to_side, .. } => {
                    let flags = |side: &PeeringSettings| {
                        [side.allow_virtual_network_access, side.allow_forwarded_traffic, side.allow_gateway_transit, side.use_remote_gateways]
                    };
                    // The side that uses remote gateways first, whichever end the connection starts from.
                    let (spoke, hub) = if from_side.use_remote_gateways { (from_side, to_side) } else { (to_side, from_side) };
                    Some((connection.state == ConnectionState::Prepared, flags(spoke), flags(hub)))
                }
                _ => None,
            })
            .collect();
        settings.sort();
        settings
    };
    assert_eq!(peering_settings(&mirrored.plan), peering_settings(&sample), "two active and two prepared peerings with seed 003's settings");

    let address_of = |plan: &Plan, id: &NetworkId| plan.network(id).map(|network| network.address_space.clone()).unwrap_or_default();
    let mut mappings: Vec<_> = mirrored
        .plan
        .network_mappings
        .iter()
        .map(|mapping| (address_of(&mirrored.plan, &mapping.source), address_of(&mirrored.plan, &mapping.target)))
        .collect();
    let mut expected: Vec<_> =
        sample.network_mappings.iter().map(|mapping| (address_of(&sample, &mapping.source), address_of(&sample, &mapping.target))).collect();
    mappings.sort();
    expected.sort();
    assert_eq!(mappings, expected);

    let recovery_hub = mirrored.plan.networks.iter().find(|network| network.name == "vnet-hub-eas (recovery)").expect("the recovery hub");
    assert!(recovery_hub.gateways.iter().all(|gateway| !gateway.provisioned_before_failover));
    assert!(recovery_hub.route_tables.iter().all(|table| table.created_at_failover));
    assert_eq!(recovery_hub.nvas.iter().map(|nva| nva.ip.to_string()).collect::<Vec<_>>(), ["10.10.10.10"]);
    let er = mirrored
        .plan
        .connections
        .iter()
        .find(|connection| connection.from == recovery_hub.id && matches!(connection.link, Link::ExpressRoute { .. }))
        .expect("a recovery ExpressRoute");
    let Link::ExpressRoute { circuit } = &er.link else { unreachable!() };
    assert_eq!(mirrored.plan.circuit(circuit).map(|circuit| circuit.peering_location.as_str()), Some("Singapore"), "the circuit at another peering location");
    assert_eq!(er.state, ConnectionState::Prepared);

    // Targets: the subnet of the same name, the same address (same address space, free).
    for name in ["APP1-WEB01", "APP1-SQL01", "APP2-WEB01", "APP2-SQL01", "JUMP01"] {
        let machine = machine(&mirrored.plan, name);
        let target = machine.target.as_ref().unwrap_or_else(|| panic!("{name} has a target"));
        let target_subnet = mirrored.plan.subnet(&target.subnet).expect("target subnet");
        assert_eq!((target_subnet.name.as_str(), target.ip), (subnet_of(&mirrored.plan, machine).name.as_str(), TargetIp::Keep), "{name}");
    }
    let errors: Vec<_> = validate::validate(&mirrored.plan).findings.into_iter().filter(|finding| finding.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "the proposed recovery side validates: {errors:#?}");
}

/// With the address space offset, no address can be kept: each machine takes the next free
/// usable address of the recovery subnet (Azure keeps the first four), and routes follow.
#[test]
fn mirror_with_an_offset_gives_each_machine_the_next_free_address() {
    let plan = imported("cli").plan;
    let mirrored =
        mirror::mirror(&plan, &MirrorOptions { from: "Azure East Asia".into(), to: "southeastasia".into(), address_space: AddressSpace::Offset(100) })
            .expect("mirrors")
            .plan;
    let spoke = mirrored.networks.iter().find(|network| network.name == "vnet-spoke1-eas (recovery)").expect("spoke");
    assert_eq!(spoke.address_space, ["10.101.0.0/24".parse::<Prefix>().unwrap()]);
    let mut targets: Vec<String> = ["APP1-WEB01", "APP1-SQL01", "JUMP01"]
        .iter()
        .map(|name| match &machine(&mirrored, name).target.as_ref().expect("target").ip {
            TargetIp::New(ip) => ip.to_string(),
            TargetIp::Keep => panic!("{name} cannot keep its address"),
        })
        .collect();
    targets.sort();
    assert_eq!(targets, ["10.101.0.4", "10.101.0.5", "10.101.0.6"]);
    assert_eq!(spoke.route_tables[0].routes[0].next_hop, NextHop::VirtualAppliance("10.110.10.10".parse().unwrap()), "the NVA's address moves too");
    let mirrored_again =
        mirror::mirror(&mirrored, &MirrorOptions { from: "Azure East Asia".into(), to: "southeastasia".into(), address_space: AddressSpace::Same })
            .expect("mirrors");
    assert!(mirrored_again.findings.iter().any(|finding| finding.contains("nothing to mirror")), "networks with a mapping are not mirrored twice");
}

/// The command line: `import azure` writes the plan and prints the summary and the findings;
/// `mirror` adds the recovery side; bad input exits 2 naming the file.
#[test]
fn the_command_line_imports_mirrors_and_refuses_bad_input() {
    let directory = tempfile::tempdir().unwrap();
    let out = directory.path().join("estate.drplan.json");
    let drplan = env!("CARGO_BIN_EXE_drplan");
    let run = |arguments: &[&std::ffi::OsStr]| std::process::Command::new(drplan).args(arguments).output().expect("runs");
    let mut arguments: Vec<&std::ffi::OsStr> = vec!["import".as_ref(), "azure".as_ref()];
    let files = fixtures("graph");
    arguments.extend(files.iter().map(|file| file.as_os_str()));
    arguments.extend(["--out".as_ref(), out.as_os_str(), "--primary".as_ref(), "eastasia".as_ref()]);
    let output = run(&arguments);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("Created: 2 sites, 4 networks, 4 subnets") && stdout.contains("Skipped (1):") && stdout.contains("0 errors"), "{stdout}");
    assert_eq!(drplan::io::load(&out).expect("loads").name, "estate");

    let output = run(&[
        "mirror".as_ref(),
        out.as_os_str(),
        "--from".as_ref(),
        "Azure East Asia".as_ref(),
        "--to".as_ref(),
        "southeastasia".as_ref(),
        "--address-space".as_ref(),
        "offset".as_ref(),
        "100".as_ref(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("Created: 3 networks, 4 subnets, 5 machine targets, 4 connections"),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mirrored = drplan::io::load(&out).expect("loads");
    assert!(mirrored.networks.iter().any(|network| network.address_space.iter().any(|prefix| prefix.to_string() == "10.101.0.0/24")));

    let broken = directory.path().join("broken.json");
    std::fs::write(&broken, "[{").unwrap();
    let output = run(&["import".as_ref(), "azure".as_ref(), broken.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with(&format!("error: {}:1:", broken.display())));
    assert!(drplan::io::load(&out).is_ok(), "a failed import leaves the plan it would have replaced");
}
