//! The recovery-side infrastructure and failover-type rules of DOMAIN.md's catalog (gateways,
//! appliances, test failover networks, supported failover types), each made to fire by a small
//! variation of a seed scenario and checked against a near miss.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use drplan::model::*;
use drplan::validate::{self, Report};

// GW-NOT-READY

#[test]
fn gw_not_ready_warns_that_the_target_hub_gateway_is_created_during_failover() {
    let report = validate::validate(&sample(HUB_SPOKE));
    let finding = report.of_rule("GW-NOT-READY").next().expect("fires");
    assert!(finding.concerns("net-target-hub") && finding.concerns("gw-target-hub-er"));
    assert!(finding.message.contains("adds to the recovery time"));
}

#[test]
fn gw_not_ready_fires_when_the_recovery_network_has_no_gateway_at_all() {
    let report = validate_edited(AZURE, |plan| network_mut(plan, "net-recovery-vnet").gateways.clear());
    let finding = report.of_rule("GW-NOT-READY").next().expect("fires");
    assert!(finding.message.contains("does not create gateways"), "{}", finding.message);
}

#[test]
fn gw_not_ready_near_miss_gateways_provisioned_before_failover() {
    assert_eq!(validate::validate(&sample(ISOLATED)).of_rule("GW-NOT-READY").count(), 0);
    let report = validate_edited(HUB_SPOKE, |plan| {
        for gateway in &mut network_mut(plan, "net-target-hub").gateways {
            gateway.provisioned_before_failover = true;
        }
    });
    assert_eq!(report.of_rule("GW-NOT-READY").count(), 0);
}

// NVA-REPLICATION

#[test]
fn nva_replication_fires_without_a_storage_service_endpoint() {
    let report = validate_edited(HUB_SPOKE, |plan| network_mut(plan, "net-source-vnet1").service_endpoints.clear());
    let finding = report.of_rule("NVA-REPLICATION").next().expect("fires");
    assert!(finding.concerns("net-source-vnet1") && finding.concerns("nva-source-hub"));
}

#[test]
fn nva_replication_near_miss_the_seed_003_storage_endpoint() {
    assert_eq!(validate::validate(&sample(HUB_SPOKE)).of_rule("NVA-REPLICATION").count(), 0);
}

// TEST-NOT-ISOLATED

#[test]
fn test_not_isolated_fires_for_a_drill_run_in_a_production_network() {
    let report = validate_edited(AZURE, |plan| scenario_mut(plan, "scn-test-drill").test_network = Some("net-recovery-vnet".into()));
    let finding = report.of_rule("TEST-NOT-ISOLATED").next().expect("fires");
    assert_eq!(finding.scenario.as_ref().unwrap().id, "scn-test-drill");
}

#[test]
fn test_not_isolated_fires_for_a_test_network_on_a_circuit() {
    let report = validate_edited(HYBRID, |plan| {
        let mut test = plan.network(&"net-recovery-vnet".into()).unwrap().clone();
        test.id = "net-test".into();
        test.name = "Test VNet".into();
        test.purpose = NetworkPurpose::TestFailover;
        test.address_space = vec![prefix("10.101.0.0/16")];
        test.gateways.clear();
        plan.networks.push(test);
        plan.connections.push(Connection {
            azure: Default::default(),
            id: "conn-test-er".into(),
            name: "Test VNet to circuit".into(),
            from: "net-test".into(),
            link: Link::ExpressRoute { circuit: "circuit-hong-kong".into() },
            state: ConnectionState::Prepared,
        });
    });
    assert!(fires_on(&report, "TEST-NOT-ISOLATED", "net-test"));
}

#[test]
fn test_not_isolated_near_miss_an_unconnected_test_network() {
    assert_eq!(validate::validate(&sample(AZURE)).of_rule("TEST-NOT-ISOLATED").count(), 0);
}

// TEST-OVERLAP-SINGLE-CIRCUIT

fn hybrid_with_test_network(space: &str) -> Report {
    validate_edited(HYBRID, |plan| {
        plan.networks.push(Network {
            azure: Default::default(),
            id: "net-test".into(),
            name: "Test VNet".into(),
            site: "site-southeast-asia".into(),
            kind: NetworkKind::Vnet,
            address_space: vec![prefix(space)],
            purpose: NetworkPurpose::TestFailover,
            isolation: Isolation::None,
            gateways: vec![],
            route_tables: vec![],
            service_endpoints: vec![],
            nvas: vec![],
            position: None,
        });
    })
}

#[test]
fn test_overlap_single_circuit_fires_for_a_drill_network_reusing_the_address_space() {
    let report = hybrid_with_test_network("10.1.0.0/16");
    assert!(fires_on(&report, "TEST-OVERLAP-SINGLE-CIRCUIT", "net-test"));
}

#[test]
fn test_overlap_single_circuit_near_miss_a_drill_network_with_different_addresses() {
    let report = hybrid_with_test_network("10.101.0.0/16");
    assert_eq!(report.of_rule("TEST-OVERLAP-SINGLE-CIRCUIT").count(), 0);
}

// TEST-INFRA

#[test]
fn test_infra_fires_without_a_domain_controller_copy_in_the_test_network() {
    let report = validate_edited(AZURE, |plan| plan.machines.retain(|machine| machine.id.as_str() != "vm-dc-test"));
    let finding = report.of_rule("TEST-INFRA").next().expect("fires");
    assert!(finding.message.contains("domain controller") && finding.message.contains("DNS"), "{}", finding.message);
}

#[test]
fn test_infra_asks_for_dhcp_only_when_machines_use_it() {
    let report = validate_edited(AZURE, |plan| machine_mut(plan, "vm-web-1").ip_allocation = Allocation::Dhcp);
    let finding = report.of_rule("TEST-INFRA").next().expect("fires");
    assert!(finding.message.contains("DHCP") && !finding.message.contains("domain controller"), "{}", finding.message);
}

#[test]
fn test_infra_near_miss_the_test_network_has_its_own_domain_controller_and_dns() {
    assert_eq!(validate::validate(&sample(AZURE)).of_rule("TEST-INFRA").count(), 0);
}

// TEST-NET-TYPE

fn vmm_drill(replica_isolation: Isolation) -> Report {
    validate_edited(VMM_SUBNET, |plan| {
        network_mut(plan, "net-recovery-apps").isolation = replica_isolation;
        let mut test = plan.network(&"net-recovery-apps".into()).unwrap().clone();
        test.id = "net-test".into();
        test.name = "Test VM network".into();
        test.purpose = NetworkPurpose::TestFailover;
        test.isolation = Isolation::Wnv;
        plan.networks.push(test);
        let mut scenario = plan.scenarios[0].clone();
        scenario.id = "scn-drill".into();
        scenario.failover_type = FailoverType::Test;
        scenario.test_network = Some("net-test".into());
        plan.scenarios.push(scenario);
    })
}

#[test]
fn test_net_type_fires_for_a_no_isolation_replica_and_a_wnv_test_network() {
    let report = vmm_drill(Isolation::None);
    let finding = report.of_rule("TEST-NET-TYPE").next().expect("fires");
    assert_eq!(finding.scenario.as_ref().unwrap().id, "scn-drill");
}

#[test]
fn test_net_type_near_miss_a_static_vlan_replica() {
    assert_eq!(vmm_drill(Isolation::Vlan).of_rule("TEST-NET-TYPE").count(), 0);
}

// FAILOVER-UNSUPPORTED

fn vmware_to_azure(failover: FailoverType) -> Report {
    validate_edited(VMM_CHANGE_IP, |plan| {
        site_mut(plan, "site-primary").kind = SiteKind::Vmware;
        site_mut(plan, "site-recovery").kind = SiteKind::CloudRegion;
        plan.scenarios[0].failover_type = failover;
    })
}

#[test]
fn failover_unsupported_fires_for_a_planned_failover_from_vmware_to_azure() {
    let report = vmware_to_azure(FailoverType::Planned);
    let finding = report.of_rule("FAILOVER-UNSUPPORTED").next().expect("fires");
    assert!(finding.fix.contains("test failover or unplanned failover"), "{}", finding.fix);
}

#[test]
fn failover_unsupported_fires_for_a_test_failback_from_azure_to_hyper_v() {
    let report = validate_edited(VMM_CHANGE_IP, |plan| {
        site_mut(plan, "site-recovery").kind = SiteKind::CloudRegion;
        let scenario = &mut plan.scenarios[0];
        scenario.direction = Direction::Failback;
        std::mem::swap(&mut scenario.from_site, &mut scenario.to_site);
        scenario.failover_type = FailoverType::Test;
    });
    assert_eq!(report.of_rule("FAILOVER-UNSUPPORTED").count(), 1);
}

#[test]
fn failover_unsupported_near_miss_an_unplanned_failover_from_vmware_to_azure() {
    assert_eq!(vmware_to_azure(FailoverType::Unplanned).of_rule("FAILOVER-UNSUPPORTED").count(), 0);
}
