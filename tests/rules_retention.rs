//! The IP retention rules of DOMAIN.md's catalog, each made to fire by a small variation of a
//! seed scenario and checked against a near miss; the seed variants of each reference sample; the
//! catalog itself; and the IP retention verdicts. (The recovery-side and failover-type rules are
//! in `rules_recovery_side.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::*;
use drplan::model::*;
use drplan::validate::{self, Report, Severity};

fn target_mut<'a>(plan: &'a mut Plan, machine: &str) -> &'a mut FailoverTarget {
    machine_mut(plan, machine).target.as_mut().expect("protected machine")
}

fn peering(from: &str, to: &str, id: &str) -> Connection {
    let settings =
        PeeringSettings { allow_virtual_network_access: true, allow_forwarded_traffic: true, allow_gateway_transit: false, use_remote_gateways: false };
    Connection {
        azure: Default::default(),
        id: id.into(),
        name: id.into(),
        from: from.into(),
        link: Link::VnetPeering { to: to.into(), from_side: settings, to_side: settings },
        state: ConnectionState::Active,
    }
}

/// Rules with findings of at least `severity` in `after` that `before` did not have.
fn new_rules(before: &Report, after: &Report, severity: Severity) -> BTreeSet<&'static str> {
    let had: BTreeSet<_> = before.findings.iter().map(|finding| finding.rule.id).collect();
    after.findings.iter().filter(|finding| finding.severity <= severity && !had.contains(finding.rule.id)).map(|finding| finding.rule.id).collect()
}

fn assert_variant_reports_exactly(name: &str, rule: &str, edit: impl FnOnce(&mut Plan)) {
    let before = validate::validate(&sample(name));
    let after = validate_edited(name, edit);
    let severity = validate::rule(rule).unwrap().severity;
    assert_eq!(new_rules(&before, &after, severity), BTreeSet::from([rule]), "{name}: {:#?}", after.findings);
}

// The seed variants: each breaks one statement of the seed its sample comes from.

#[test]
fn variant_vmm_subnet_failover_leaving_one_machine_behind_splits_the_subnet() {
    // Seed 002: if you fail over a partial subnet you can't retain the IP address.
    assert_variant_reports_exactly(VMM_SUBNET, "RET-PARTIAL-SUBNET", |plan| machine_mut(plan, "vm-db-1").target = None);
}

#[test]
fn variant_vmm_change_ip_without_a_vpn_from_the_branch_to_the_recovery_site() {
    // Seed 000: VPN connections have been configured so all three sites can access each other.
    assert_variant_reports_exactly(VMM_CHANGE_IP, "CHANGE-REACH", |plan| {
        plan.connections.retain(|connection| connection.id.as_str() != "conn-recovery-branch-vpn");
    });
}

#[test]
fn variant_azure_full_region_with_a_test_network_peered_with_production() {
    // Seed 003: run drills on a separate network; seed 002: isolated from production.
    assert_variant_reports_exactly(AZURE, "TEST-NOT-ISOLATED", |plan| {
        plan.connections.push(peering("net-test-vnet", "net-azure-vnet", "conn-test-peering"));
    });
}

#[test]
fn variant_azure_isolated_app_with_a_vpn_between_source_and_recovery_vnet2() {
    // Seed 001: the same address space at both ends makes a site-to-site VPN impossible.
    assert_variant_reports_exactly(ISOLATED, "CONN-OVERLAP", |plan| {
        plan.connections.push(Connection {
            azure: Default::default(),
            id: "conn-bad".into(),
            name: "VNet2 to Recovery VNet2".into(),
            from: "net-source-vnet2".into(),
            link: Link::SiteToSiteVpn { to: "net-recovery-vnet2".into() },
            state: ConnectionState::Prepared,
        });
    });
}

#[test]
fn variant_hybrid_failing_over_one_subnet() {
    // Seed 001, Company B: a subnet-level failover is not possible.
    assert_variant_reports_exactly(HYBRID, "RET-SUBNET-WITH-ACTIVE-SOURCE", |plan| {
        scenario_mut(plan, "scn-full-region").scope = Scope::Subnets(vec!["sub-source-1".into()]);
    });
}

#[test]
fn variant_hybrid_recovering_to_another_geography_without_premium() {
    // Seed 003: a single circuit to a region in another geography needs Premium.
    assert_variant_reports_exactly(HYBRID, "CIRCUIT-PREMIUM", |plan| {
        let site = site_mut(plan, "site-southeast-asia");
        site.region = Some("West Europe".into());
        site.geography = Some("Europe".into());
    });
}

#[test]
fn variant_hub_and_spoke_with_both_circuits_at_one_peering_location() {
    // Seed 003: two circuits at one location do not protect against the loss of that location.
    assert_variant_reports_exactly(HUB_SPOKE, "CIRCUIT-SINGLE-LOCATION", |plan| {
        circuit_mut(plan, "circuit-singapore").peering_location = "Hong Kong".into();
    });
}

// RET-TARGET-MISMATCH

#[test]
fn ret_target_mismatch_fires_when_the_target_subnet_does_not_hold_the_kept_address() {
    let report = validate_edited(AZURE, |plan| target_mut(plan, "vm-web-1").subnet = "sub-recovery-2".into());
    assert!(fires_on(&report, "RET-TARGET-MISMATCH", "vm-web-1"));
}

#[test]
fn ret_target_mismatch_fires_for_a_new_address_outside_the_target_subnet() {
    let report = validate_edited(VMM_CHANGE_IP, |plan| target_mut(plan, "vm-web-1").ip = TargetIp::New(ip("172.16.9.10")));
    assert!(fires_on(&report, "RET-TARGET-MISMATCH", "vm-web-1"));
}

#[test]
fn ret_target_mismatch_near_miss_mirrored_subnets() {
    assert_eq!(validate::validate(&sample(AZURE)).of_rule("RET-TARGET-MISMATCH").count(), 0);
}

// RET-TARGET-TAKEN

fn add_resource_in_recovery_subnet(plan: &mut Plan, address: &str) {
    let mut resource = plan.machine(&"vm-web-1".into()).unwrap().clone();
    resource.id = "vm-already-there".into();
    resource.name = "Already there".into();
    resource.subnet = "sub-recovery-1".into();
    resource.ip = ip(address);
    resource.target = None;
    plan.machines.push(resource);
}

#[test]
fn ret_target_taken_fires_when_a_resource_already_holds_the_target_address() {
    let taken = sample(AZURE).machine(&"vm-web-1".into()).unwrap().ip.to_string();
    let report = validate_edited(AZURE, |plan| add_resource_in_recovery_subnet(plan, &taken));
    let finding = report.of_rule("RET-TARGET-TAKEN").next().expect("fires");
    assert_eq!(finding.elements[0].id, "vm-web-1");
    assert!(finding.concerns("vm-already-there"));
}

#[test]
fn ret_target_taken_fires_when_two_machines_target_one_address() {
    let report = validate_edited(VMM_CHANGE_IP, |plan| {
        let address = target_mut(plan, "vm-web-1").ip;
        target_mut(plan, "vm-db-1").ip = address;
    });
    assert!(fires_on(&report, "RET-TARGET-TAKEN", "vm-web-1"));
    assert!(fires_on(&report, "RET-TARGET-TAKEN", "vm-db-1"));
}

#[test]
fn ret_target_taken_names_every_other_claim_on_one_address() {
    // Two machines set to take one address that a third element already holds: each taker's
    // finding names the holder and the other taker, and nothing else.
    let report = validate_edited(VMM_CHANGE_IP, |plan| {
        let target = target_mut(plan, "vm-web-1").clone();
        target_mut(plan, "vm-db-1").ip = target.ip;
        let TargetIp::New(address) = target.ip else { panic!("seed 000 changes addresses") };
        let mut resource = plan.machine(&"vm-web-1".into()).unwrap().clone();
        resource.id = "vm-already-there".into();
        resource.subnet = target.subnet;
        resource.ip = address;
        resource.target = None;
        plan.machines.push(resource);
    });
    let findings: Vec<_> = report.of_rule("RET-TARGET-TAKEN").collect();
    let takers: BTreeSet<&str> = findings.iter().map(|finding| finding.elements[0].id.as_str()).collect();
    assert_eq!(takers, BTreeSet::from(["vm-db-1", "vm-web-1"]));
    for finding in findings {
        let named: BTreeSet<&str> = finding.elements.iter().map(|element| element.id.as_str()).collect();
        assert!(named.is_superset(&BTreeSet::from(["vm-already-there", "vm-db-1", "vm-web-1"])), "{named:?}");
        assert_eq!(named.len(), 4, "three machines and the network: {named:?}");
    }
}

#[test]
fn ret_target_taken_near_miss_a_resource_on_another_address() {
    let report = validate_edited(AZURE, |plan| add_resource_in_recovery_subnet(plan, "10.1.1.200"));
    assert_eq!(report.of_rule("RET-TARGET-TAKEN").count(), 0);
}

// RET-PARTIAL-SUBNET

#[test]
fn ret_partial_subnet_names_the_scenario_and_the_machines_on_both_sides() {
    let report = validate_edited(VMM_SUBNET, |plan| machine_mut(plan, "vm-db-1").target = None);
    let finding = report.of_rule("RET-PARTIAL-SUBNET").next().expect("fires");
    assert_eq!(finding.scenario.as_ref().unwrap().id, "scn-subnet-failover");
    assert!(finding.concerns("sub-primary-apps") && finding.concerns("vm-web-1") && finding.concerns("vm-db-1"));
}

#[test]
fn ret_partial_subnet_near_miss_the_whole_subnet_or_a_drill() {
    assert_eq!(validate::validate(&sample(VMM_SUBNET)).of_rule("RET-PARTIAL-SUBNET").count(), 0);
    let report = validate_edited(VMM_SUBNET, |plan| {
        machine_mut(plan, "vm-db-1").target = None;
        scenario_mut(plan, "scn-subnet-failover").failover_type = FailoverType::Test;
    });
    assert_eq!(report.of_rule("RET-PARTIAL-SUBNET").count(), 0, "a drill does not move the subnet");
}

// RET-SUBNET-WITH-ACTIVE-SOURCE and RET-SUBNET-IN-SHARED-VNET

fn subnet_one_only(plan: &mut Plan) {
    scenario_mut(plan, "scn-full-region").scope = Scope::Subnets(vec!["sub-source-1".into()]);
}

#[test]
fn ret_subnet_with_active_source_fires_for_company_bs_subnet_failover() {
    let report = validate_edited(HYBRID, subnet_one_only);
    let finding = report.of_rule("RET-SUBNET-WITH-ACTIVE-SOURCE").next().expect("fires");
    assert!(finding.concerns("net-source-vnet") && finding.concerns("conn-source-er"));
    assert_eq!(finding.scenario.as_ref().unwrap().id, "scn-full-region");
}

#[test]
fn ret_subnet_with_active_source_near_miss_company_a_has_no_on_premises_connection() {
    let report = validate_edited(AZURE, subnet_one_only);
    assert_eq!(report.of_rule("RET-SUBNET-WITH-ACTIVE-SOURCE").count(), 0);
}

#[test]
fn ret_subnet_in_shared_vnet_warns_company_a_that_the_other_subnets_are_cut_off() {
    let report = validate_edited(AZURE, subnet_one_only);
    let finding = report.of_rule("RET-SUBNET-IN-SHARED-VNET").next().expect("fires");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding.concerns("sub-source-1"));
}

#[test]
fn ret_subnet_in_shared_vnet_near_miss_a_dedicated_vnet_per_application() {
    assert_eq!(validate::validate(&sample(ISOLATED)).of_rule("RET-SUBNET-IN-SHARED-VNET").count(), 0);
    assert_eq!(validate::validate(&sample(AZURE)).of_rule("RET-SUBNET-IN-SHARED-VNET").count(), 0);
}

// RET-SUBNET-ROUTES

#[test]
fn ret_subnet_routes_lists_the_route_changes_of_seed_000s_subnet_failover() {
    let report = validate::validate(&sample(VMM_SUBNET));
    let finding = report.of_rule("RET-SUBNET-ROUTES").next().expect("fires");
    assert_eq!(finding.severity, Severity::Info);
    assert!(finding.message.contains("192.168.1.0/24"), "{}", finding.message);
    assert!(finding.message.contains("third sites and the recovery site"), "{}", finding.message);
}

#[test]
fn ret_subnet_routes_warns_when_the_third_site_has_no_path_to_the_recovery_site() {
    let report = validate_edited(VMM_SUBNET, |plan| {
        plan.connections.retain(|connection| !matches!(connection.id.as_str(), "conn-recovery-infra-branch-vpn" | "conn-recovery-apps-branch-vpn"));
    });
    let finding = report.of_rule("RET-SUBNET-ROUTES").next().expect("fires");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding.concerns("site-third"));
}

#[test]
fn ret_subnet_routes_near_miss_changing_addresses_moves_no_routes() {
    assert_eq!(validate::validate(&sample(VMM_CHANGE_IP)).of_rule("RET-SUBNET-ROUTES").count(), 0);
}

// RET-STRETCHED

#[test]
fn ret_stretched_warns_about_layer_2_equipment_and_the_shared_fault_domain() {
    let report = validate_edited(VMM_SUBNET, |plan| {
        plan.connections.push(Connection {
            azure: Default::default(),
            id: "conn-stretched".into(),
            name: "Stretched apps VLAN".into(),
            from: "net-primary-apps".into(),
            link: Link::StretchedVlan { to: "net-recovery-apps".into() },
            state: ConnectionState::Active,
        });
    });
    let finding = report.of_rule("RET-STRETCHED").next().expect("fires");
    assert!(finding.message.contains("broadcast storm"));
}

#[test]
fn ret_stretched_near_miss_subnet_failover_stretches_nothing() {
    assert_eq!(validate::validate(&sample(VMM_SUBNET)).of_rule("RET-STRETCHED").count(), 0);
}

// RET-DHCP

#[test]
fn ret_dhcp_fires_when_the_recovery_dhcp_server_does_not_hand_out_the_range() {
    let report = validate_edited(VMM_SUBNET, |plan| machine_mut(plan, "vm-web-1").ip_allocation = Allocation::Dhcp);
    assert!(fires_on(&report, "RET-DHCP", "vm-web-1"));
}

#[test]
fn ret_dhcp_near_miss_the_recovery_subnet_hands_out_the_same_range() {
    let report = validate_edited(VMM_SUBNET, |plan| {
        machine_mut(plan, "vm-web-1").ip_allocation = Allocation::Dhcp;
        let subnet = subnet_mut(plan, "sub-recovery-apps");
        subnet.allocation = Allocation::Dhcp;
        subnet.dhcp_range = Some(Box::new(IpRange { start: ip("192.168.1.1"), end: ip("192.168.1.254") }));
    });
    assert_eq!(report.of_rule("RET-DHCP").count(), 0);
}

// RET-STATIC-POOL

#[test]
fn ret_static_pool_fires_for_a_static_vmm_target_without_a_pool() {
    let report = validate_edited(VMM_SUBNET, |plan| subnet_mut(plan, "sub-recovery-apps").static_pool = None);
    assert!(fires_on(&report, "RET-STATIC-POOL", "sub-recovery-apps"));
}

#[test]
fn ret_static_pool_fires_for_wnv_even_with_dhcp() {
    let report = validate_edited(VMM_SUBNET, |plan| {
        network_mut(plan, "net-recovery-apps").isolation = Isolation::Wnv;
        let subnet = subnet_mut(plan, "sub-recovery-apps");
        subnet.static_pool = None;
        subnet.allocation = Allocation::Dhcp;
    });
    assert!(fires_on(&report, "RET-STATIC-POOL", "sub-recovery-apps"));
}

#[test]
fn ret_static_pool_near_miss_a_dhcp_vlan_network_needs_no_pool() {
    let report = validate_edited(VMM_SUBNET, |plan| {
        let subnet = subnet_mut(plan, "sub-recovery-apps");
        subnet.static_pool = None;
        subnet.allocation = Allocation::Dhcp;
    });
    assert_eq!(report.of_rule("RET-STATIC-POOL").count(), 0);
}

// RET-PUBLIC-IP

#[test]
fn ret_public_ip_fires_for_a_public_address_kept_after_failover_to_azure() {
    let report = validate_edited(AZURE, |plan| {
        machine_mut(plan, "vm-web-1").public_ip = Some(ip("20.44.1.10"));
        target_mut(plan, "vm-web-1").keep_public_ip = true;
    });
    assert!(fires_on(&report, "RET-PUBLIC-IP", "vm-web-1"));
}

#[test]
fn ret_public_ip_near_miss_a_new_public_address_or_an_on_premises_target() {
    let report = validate_edited(AZURE, |plan| machine_mut(plan, "vm-web-1").public_ip = Some(ip("20.44.1.10")));
    assert_eq!(report.of_rule("RET-PUBLIC-IP").count(), 0);
    let report = validate_edited(VMM_SUBNET, |plan| {
        machine_mut(plan, "vm-web-1").public_ip = Some(ip("20.44.1.10"));
        target_mut(plan, "vm-web-1").keep_public_ip = true;
    });
    assert_eq!(report.of_rule("RET-PUBLIC-IP").count(), 0, "an ISP can keep it between datacenters");
}

// CHANGE-DNS

#[test]
fn change_dns_plans_an_update_for_machines_without_dynamic_registration() {
    let report = validate::validate(&sample(VMM_CHANGE_IP));
    assert!(fires_on(&report, "CHANGE-DNS", "vm-web-1"));
    assert!(!fires_on(&report, "CHANGE-DNS", "vm-app-1"), "APP01 registers itself (dynamic DNS, short TTL)");
    assert!(report.of_rule("CHANGE-DNS").all(|finding| finding.severity == Severity::Info));
}

#[test]
fn change_dns_warns_about_a_long_ttl() {
    let report = validate_edited(VMM_CHANGE_IP, |plan| machine_mut(plan, "vm-app-1").dns.as_mut().unwrap().ttl_secs = 3600);
    let finding = report.of_rule("CHANGE-DNS").find(|finding| finding.concerns("vm-app-1")).expect("fires");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding.message.contains("3600"));
}

#[test]
fn change_dns_near_miss_machines_that_keep_their_address() {
    assert_eq!(validate::validate(&sample(AZURE)).of_rule("CHANGE-DNS").count(), 0);
}

// CHANGE-REACH

#[test]
fn change_reach_names_the_site_that_cannot_reach_the_recovery_network() {
    let report = validate_edited(VMM_CHANGE_IP, |plan| {
        plan.connections.retain(|connection| connection.id.as_str() != "conn-recovery-branch-vpn");
    });
    let finding = report.of_rule("CHANGE-REACH").next().expect("fires");
    assert!(finding.concerns("net-recovery") && finding.concerns("site-third"), "{:?}", finding.elements);
}

#[test]
fn change_reach_near_miss_all_three_sites_joined_by_vpn() {
    assert_eq!(validate::validate(&sample(VMM_CHANGE_IP)).of_rule("CHANGE-REACH").count(), 0);
}

// The catalog and the verdicts.

/// DOMAIN.md's rule catalog, copied into the repository so this test runs on any checkout.
const DOMAIN_RULE_CATALOG: &str = include_str!("fixtures/domain-rule-catalog.md");

#[test]
fn every_catalog_rule_is_implemented_with_its_severity_and_an_explanation() {
    let entries: Vec<(&str, &str)> = DOMAIN_RULE_CATALOG
        .lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .map(|entry| {
            let (id, rest) = entry.split_once('`').unwrap();
            let severity = rest.trim_start().strip_prefix('(').and_then(|rest| rest.split_once(')')).unwrap().0;
            (id, severity)
        })
        .collect();
    assert_eq!(entries.len(), 34, "the copied catalog lost entries");
    for (id, severity) in entries {
        let rule = validate::rule(id).unwrap_or_else(|| panic!("{id} is in DOMAIN.md but not implemented"));
        // "info / warning": the catalog severity is the first, the rule raises it case by case.
        assert_eq!(rule.severity.to_string(), severity.split(" / ").next().unwrap(), "{id}");
    }
    for rule in validate::rules() {
        assert!(rule.explanation.len() > 200, "{}", rule.id);
    }
}

#[test]
fn verdicts_say_every_machine_keeps_its_address_in_company_as_region_failover() {
    let report = validate::validate(&sample(AZURE));
    let full: Vec<_> = report.verdicts.iter().filter(|verdict| verdict.scenario.id == "scn-full-region").collect();
    assert_eq!(full.len(), 5);
    assert!(full.iter().all(|verdict| verdict.keeps_ip && verdict.ip_after == Some(verdict.ip_before)));
}

#[test]
fn verdicts_in_a_drill_on_other_addresses_say_the_address_is_allocated() {
    let report = validate::validate(&sample(AZURE));
    let drill: Vec<_> = report.verdicts.iter().filter(|verdict| verdict.scenario.id == "scn-test-drill").collect();
    assert_eq!(drill.len(), 5);
    assert!(drill.iter().all(|verdict| !verdict.keeps_ip && verdict.ip_after.is_none() && verdict.blocked_by.is_none()));
    assert!(drill[0].reason.to_string().contains("allocated"), "{}", drill[0].reason);
}

#[test]
fn verdicts_name_the_rule_that_blocks_retention() {
    let report = validate_edited(VMM_SUBNET, |plan| machine_mut(plan, "vm-db-1").target = None);
    let web = report.verdicts.iter().find(|verdict| verdict.machine.id == "vm-web-1").unwrap();
    assert!(!web.keeps_ip);
    assert_eq!(web.blocked_by, Some("RET-PARTIAL-SUBNET"));
    assert!(report.verdicts.iter().all(|verdict| verdict.machine.id != "vm-db-1"), "DB01 no longer fails over");
}

#[test]
fn verdicts_for_new_addresses_say_the_address_changes() {
    let report = validate::validate(&sample(VMM_CHANGE_IP));
    let web = report.verdicts.iter().find(|verdict| verdict.machine.id == "vm-web-1").unwrap();
    assert!(!web.keeps_ip && web.blocked_by.is_none());
    assert!(web.ip_after.unwrap().to_string().starts_with("172.16.1."));
}

/// Seed 001 keeps the address; in an Azure target subnet the first four and the last addresses
/// are Azure's (an Azure fact): an address that served on premises cannot come up there.
#[test]
fn ret_target_mismatch_fires_for_a_kept_address_that_the_azure_target_subnet_reserves() {
    let report = validate_edited(VMM_SUBNET, |plan| {
        network_mut(plan, "net-recovery-apps").kind = NetworkKind::Vnet;
        machine_mut(plan, "vm-db-1").ip = "192.168.1.2".parse().expect("an address");
    });
    let finding =
        report.of_rule("RET-TARGET-MISMATCH").find(|finding| finding.elements.iter().any(|element| element.id == "vm-db-1")).expect("fires for the machine");
    assert!(finding.message.contains("Azure reserves"), "{}", finding.message);
    assert!(!fires_on(&report, "ADDR-IP-OUTSIDE-SUBNET", "vm-db-1"), "on the VMM source side the address is a usable host");
}

#[test]
fn ret_target_mismatch_near_miss_a_kept_host_address_of_the_azure_target_subnet() {
    let report = validate_edited(VMM_SUBNET, |plan| network_mut(plan, "net-recovery-apps").kind = NetworkKind::Vnet);
    assert!(!fires_on(&report, "RET-TARGET-MISMATCH", "vm-db-1"), "192.168.1.30 is a usable Azure address");
}
