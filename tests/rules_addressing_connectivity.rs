//! The Addressing and Connectivity rules of DOMAIN.md's catalog, each made to fire by a small
//! edit of a reference sample (the seeds' own scenarios) and checked against a near miss.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use drplan::model::*;
use drplan::validate::{self, Severity};

#[test]
fn every_reference_sample_validates_without_errors() {
    for name in SAMPLES {
        let report = validate::validate(&sample(name));
        let errors: Vec<_> = report.findings.iter().filter(|finding| finding.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn findings_come_out_in_a_deterministic_order() {
    let report = validate_edited(HUB_SPOKE, |plan| {
        circuit_mut(plan, "circuit-singapore").peering_location = "Hong Kong".into();
        network_mut(plan, "net-source-vnet1").address_space = vec![prefix("10.10.0.0/16")];
    });
    assert!(report.findings.len() > 2);
    let again = validate_edited(HUB_SPOKE, |plan| {
        circuit_mut(plan, "circuit-singapore").peering_location = "Hong Kong".into();
        network_mut(plan, "net-source-vnet1").address_space = vec![prefix("10.10.0.0/16")];
    });
    assert_eq!(report, again);
    let severities: Vec<_> = report.findings.iter().map(|finding| finding.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted, "errors first, then warnings, then info");
}

// ADDR-CIDR-INVALID

#[test]
fn addr_cidr_invalid_fires_on_seed_000s_host_bit_prefix_and_suggests_the_network_address() {
    let report = validate_edited(VMM_CHANGE_IP, |plan| {
        let subnet = plan.subnets.iter_mut().find(|subnet| subnet.prefix == prefix("192.168.1.0/24")).unwrap();
        subnet.prefix = prefix("192.168.1.1/24");
    });
    let finding = report.of_rule("ADDR-CIDR-INVALID").next().expect("fires");
    assert!(finding.message.contains("192.168.1.1/24"), "{}", finding.message);
    assert!(finding.fix.contains("192.168.1.0/24"), "{}", finding.fix);
    assert_eq!(finding.severity, Severity::Error);
}

#[test]
fn addr_cidr_invalid_near_miss_network_prefixes_pass() {
    let report = validate::validate(&sample(VMM_CHANGE_IP));
    assert_eq!(report.of_rule("ADDR-CIDR-INVALID").count(), 0);
}

// ADDR-SUBNET-OUTSIDE

#[test]
fn addr_subnet_outside_fires_for_a_subnet_beyond_the_address_space() {
    let report = validate_edited(AZURE, |plan| subnet_mut(plan, "sub-source-1").prefix = prefix("10.9.1.0/24"));
    assert!(fires_on(&report, "ADDR-SUBNET-OUTSIDE", "sub-source-1"));
}

#[test]
fn addr_subnet_outside_near_miss_a_free_range_inside_the_network() {
    let report = validate_edited(AZURE, |plan| subnet_mut(plan, "sub-source-1").prefix = prefix("10.1.200.0/24"));
    assert!(!fires_on(&report, "ADDR-SUBNET-OUTSIDE", "sub-source-1"));
}

// ADDR-SUBNET-OVERLAP

#[test]
fn addr_subnet_overlap_fires_for_subnets_sharing_addresses() {
    let report = validate_edited(AZURE, |plan| subnet_mut(plan, "sub-source-2").prefix = prefix("10.1.1.128/25"));
    let finding = report.of_rule("ADDR-SUBNET-OVERLAP").next().expect("fires");
    let ids: Vec<_> = finding.elements.iter().map(|element| element.id.as_str()).collect();
    assert_eq!(ids, ["sub-source-1", "sub-source-2", "net-source-vnet"]);
}

#[test]
fn addr_subnet_overlap_near_miss_adjacent_subnets() {
    let report = validate_edited(AZURE, |plan| subnet_mut(plan, "sub-source-2").prefix = prefix("10.1.0.0/24"));
    assert_eq!(report.of_rule("ADDR-SUBNET-OVERLAP").count(), 0);
}

// ADDR-IP-OUTSIDE-SUBNET

#[test]
fn addr_ip_outside_subnet_fires_for_an_address_in_another_subnet() {
    let report = validate_edited(AZURE, |plan| machine_mut(plan, "vm-web-1").ip = ip("10.1.2.10"));
    assert!(fires_on(&report, "ADDR-IP-OUTSIDE-SUBNET", "vm-web-1"));
}

#[test]
fn addr_ip_outside_subnet_fires_for_addresses_azure_reserves() {
    for reserved in ["10.1.1.0", "10.1.1.1", "10.1.1.3", "10.1.1.255"] {
        let report = validate_edited(AZURE, |plan| machine_mut(plan, "vm-web-1").ip = ip(reserved));
        let finding = report.of_rule("ADDR-IP-OUTSIDE-SUBNET").next().unwrap_or_else(|| panic!("{reserved}"));
        assert!(finding.message.contains("Azure reserves"), "{reserved}: {}", finding.message);
    }
}

#[test]
fn addr_ip_outside_subnet_near_miss_the_first_usable_azure_address() {
    let report = validate_edited(AZURE, |plan| machine_mut(plan, "vm-web-1").ip = ip("10.1.1.4"));
    assert_eq!(report.of_rule("ADDR-IP-OUTSIDE-SUBNET").count(), 0);
}

#[test]
fn addr_ip_outside_subnet_on_premises_reserves_only_network_and_broadcast() {
    let machine = |plan: &Plan| plan.machines.iter().find(|m| m.ip.to_string().starts_with("192.168.1.")).unwrap().id.clone();
    let plan = sample(VMM_CHANGE_IP);
    let id = machine(&plan);
    let usable = validate_edited(VMM_CHANGE_IP, |plan| machine_mut(plan, id.as_str()).ip = ip("192.168.1.3"));
    assert_eq!(usable.of_rule("ADDR-IP-OUTSIDE-SUBNET").count(), 0, "not an Azure subnet");
    let broadcast = validate_edited(VMM_CHANGE_IP, |plan| machine_mut(plan, id.as_str()).ip = ip("192.168.1.255"));
    let finding = broadcast.of_rule("ADDR-IP-OUTSIDE-SUBNET").next().expect("fires");
    assert!(finding.message.contains("broadcast"), "{}", finding.message);
}

// ADDR-IP-DUPLICATE

#[test]
fn addr_ip_duplicate_fires_for_two_machines_with_one_address_in_one_network() {
    let report = validate_edited(AZURE, |plan| {
        let taken = plan.machine(&"vm-web-1".into()).unwrap().ip;
        machine_mut(plan, "vm-web-2").ip = taken;
    });
    assert!(fires_on(&report, "ADDR-IP-DUPLICATE", "vm-web-1"));
    assert!(fires_on(&report, "ADDR-IP-DUPLICATE", "vm-web-2"));
}

#[test]
fn addr_ip_duplicate_near_miss_the_same_address_in_another_network() {
    let report = validate_edited(AZURE, |plan| {
        let mut twin = plan.machine(&"vm-web-1".into()).unwrap().clone();
        twin.id = "vm-web-1-twin".into();
        twin.subnet = "sub-recovery-1".into();
        twin.target = None;
        plan.machines.push(twin);
    });
    assert_eq!(report.of_rule("ADDR-IP-DUPLICATE").count(), 0);
}

// ADDR-GATEWAY-SUBNET

#[test]
fn addr_gateway_subnet_fires_for_a_vnet_with_a_gateway_and_no_gateway_subnet() {
    let report = validate_edited(AZURE, |plan| plan.subnets.retain(|subnet| subnet.id.as_str() != "sub-source-gateway"));
    assert!(fires_on(&report, "ADDR-GATEWAY-SUBNET", "net-source-vnet"));
}

#[test]
fn addr_gateway_subnet_near_miss_a_vnet_without_gateways_needs_none() {
    let plan = sample(AZURE);
    let test_vnet = plan.network(&"net-test-vnet".into()).unwrap();
    assert!(test_vnet.gateways.is_empty());
    assert!(plan.subnets_of(&test_vnet.id).all(|subnet| !subnet.is_gateway_subnet()));
    assert_eq!(validate::validate(&plan).of_rule("ADDR-GATEWAY-SUBNET").count(), 0);
}

// CONN-OVERLAP

fn vpn(id: &str, from: &str, to: &str, state: ConnectionState) -> Connection {
    Connection { azure: Default::default(), id: id.into(), name: id.into(), from: from.into(), link: Link::SiteToSiteVpn { to: to.into() }, state }
}

#[test]
fn conn_overlap_fires_for_a_vpn_between_the_source_and_recovery_vnets_of_seed_001() {
    // Seed 001: the same address space at both ends makes a site-to-site VPN impossible.
    let report = validate_edited(AZURE, |plan| {
        plan.connections.push(vpn("conn-bad", "net-source-vnet", "net-recovery-vnet", ConnectionState::Prepared));
    });
    let finding = report.of_rule("CONN-OVERLAP").next().expect("fires");
    assert_eq!(finding.severity, Severity::Error);
    let ids: Vec<_> = finding.elements.iter().map(|element| element.id.as_str()).collect();
    assert_eq!(ids, ["conn-bad", "net-source-vnet", "net-recovery-vnet"]);
    assert!(finding.message.contains("10.1.0.0/16"), "{}", finding.message);
}

#[test]
fn conn_overlap_fires_for_a_peering_between_overlapping_address_spaces() {
    let report = validate_edited(ISOLATED, |plan| {
        let settings =
            PeeringSettings { allow_virtual_network_access: true, allow_forwarded_traffic: false, allow_gateway_transit: false, use_remote_gateways: false };
        plan.connections.push(Connection {
            azure: Default::default(),
            id: "conn-peer".into(),
            name: "peer".into(),
            from: "net-source-vnet2".into(),
            link: Link::VnetPeering { to: "net-recovery-vnet2".into(), from_side: settings, to_side: settings },
            state: ConnectionState::Active,
        });
    });
    assert!(fires_on(&report, "CONN-OVERLAP", "conn-peer"));
}

#[test]
fn conn_overlap_near_miss_replica_infrastructure_in_its_own_range() {
    let report = validate::validate(&sample(AZURE));
    assert!(report.of_rule("CONN-OVERLAP").next().is_none());
    let report = validate_edited(AZURE, |plan| {
        plan.connections.push(Connection {
            azure: Default::default(),
            id: "conn-l2".into(),
            name: "stretched".into(),
            from: "net-source-vnet".into(),
            link: Link::StretchedVlan { to: "net-recovery-vnet".into() },
            state: ConnectionState::Active,
        });
    });
    assert!(!fires_on(&report, "CONN-OVERLAP", "conn-l2"), "a stretched VLAN shares its subnet by design");
}

// CIRCUIT-OVERLAP

#[test]
fn circuit_overlap_fires_when_source_and_recovery_vnets_are_connected_to_one_circuit_at_once() {
    let report = validate_edited(HYBRID, |plan| connection_mut(plan, "conn-recovery-er").state = ConnectionState::Active);
    assert!(fires_on(&report, "CIRCUIT-OVERLAP", "circuit-hong-kong"));
    assert!(fires_on(&report, "CIRCUIT-OVERLAP", "net-recovery-vnet"));
}

#[test]
fn circuit_overlap_near_miss_the_recovery_connection_is_only_prepared() {
    assert_eq!(validate::validate(&sample(HYBRID)).of_rule("CIRCUIT-OVERLAP").count(), 0);
}

// CIRCUIT-SAME-LOCATION-SAME-VNET and CIRCUIT-SINGLE-LOCATION

fn both_circuits_in_hong_kong(plan: &mut Plan) {
    circuit_mut(plan, "circuit-singapore").peering_location = "Hong Kong".into();
}

#[test]
fn circuit_same_location_same_vnet_fires_for_two_hong_kong_circuits_on_the_source_hub() {
    let report = validate_edited(HUB_SPOKE, |plan| {
        both_circuits_in_hong_kong(plan);
        plan.connections.push(Connection {
            azure: Default::default(),
            id: "conn-source-hub-er-2".into(),
            name: "second".into(),
            from: "net-source-hub".into(),
            link: Link::ExpressRoute { circuit: "circuit-singapore".into() },
            state: ConnectionState::Active,
        });
    });
    assert!(fires_on(&report, "CIRCUIT-SAME-LOCATION-SAME-VNET", "net-source-hub"));
}

#[test]
fn circuit_same_location_same_vnet_near_miss_each_circuit_on_its_own_hub() {
    let report = validate_edited(HUB_SPOKE, both_circuits_in_hong_kong);
    assert_eq!(report.of_rule("CIRCUIT-SAME-LOCATION-SAME-VNET").count(), 0);
}

#[test]
fn circuit_single_location_fires_when_both_circuits_are_at_one_peering_location() {
    let report = validate_edited(HUB_SPOKE, both_circuits_in_hong_kong);
    let finding = report.of_rule("CIRCUIT-SINGLE-LOCATION").next().expect("fires");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding.message.contains("Hong Kong"));
}

#[test]
fn circuit_single_location_near_miss_hong_kong_and_singapore() {
    assert_eq!(validate::validate(&sample(HUB_SPOKE)).of_rule("CIRCUIT-SINGLE-LOCATION").count(), 0);
    assert_eq!(validate::validate(&sample(HYBRID)).of_rule("CIRCUIT-SINGLE-LOCATION").count(), 0, "one circuit is CIRCUIT-SINGLE's concern");
}

// CIRCUIT-SINGLE

#[test]
fn circuit_single_fires_for_company_bs_single_circuit_and_reused_address_space() {
    let report = validate::validate(&sample(HYBRID));
    let finding = report.of_rule("CIRCUIT-SINGLE").next().expect("fires");
    assert_eq!(finding.severity, Severity::Warning);
    let ids: Vec<_> = finding.elements.iter().map(|element| element.id.as_str()).collect();
    assert_eq!(ids, ["circuit-hong-kong", "net-source-vnet", "net-recovery-vnet"]);
}

#[test]
fn circuit_single_near_miss_two_circuits_or_a_different_recovery_address_space() {
    assert_eq!(validate::validate(&sample(HUB_SPOKE)).of_rule("CIRCUIT-SINGLE").count(), 0);
    let report = validate_edited(HYBRID, |plan| {
        network_mut(plan, "net-recovery-vnet").address_space = vec![prefix("10.201.0.0/16")];
    });
    assert_eq!(report.of_rule("CIRCUIT-SINGLE").count(), 0);
}

// CIRCUIT-PREMIUM

fn recovery_in_europe(plan: &mut Plan) {
    let site = site_mut(plan, "site-southeast-asia");
    site.region = Some("West Europe".into());
    site.geography = Some("Europe".into());
}

#[test]
fn circuit_premium_fires_for_a_single_standard_circuit_to_a_region_in_another_geography() {
    let report = validate_edited(HYBRID, recovery_in_europe);
    let finding = report.of_rule("CIRCUIT-PREMIUM").next().expect("fires");
    assert_eq!(finding.severity, Severity::Error);
    assert!(finding.fix.contains("Premium"));
}

#[test]
fn circuit_premium_near_miss_premium_enabled_or_same_geography() {
    let report = validate_edited(HYBRID, |plan| {
        recovery_in_europe(plan);
        circuit_mut(plan, "circuit-hong-kong").premium = true;
    });
    assert_eq!(report.of_rule("CIRCUIT-PREMIUM").count(), 0);
    assert_eq!(validate::validate(&sample(HYBRID)).of_rule("CIRCUIT-PREMIUM").count(), 0);
}

// CIRCUIT-ROUTING

#[test]
fn circuit_routing_reminds_that_on_premises_routing_must_use_the_secondary_circuit() {
    let report = validate::validate(&sample(HUB_SPOKE));
    let finding = report.of_rule("CIRCUIT-ROUTING").next().expect("fires");
    assert_eq!(finding.severity, Severity::Info);
    assert_eq!(finding.elements[0].id, "circuit-singapore");
}

#[test]
fn circuit_routing_near_miss_a_single_circuit() {
    assert_eq!(validate::validate(&sample(HYBRID)).of_rule("CIRCUIT-ROUTING").count(), 0);
}

// PEERING-GATEWAY-TRANSIT

fn peering_sides<'a>(plan: &'a mut Plan, id: &str) -> (&'a mut PeeringSettings, &'a mut PeeringSettings) {
    match &mut connection_mut(plan, id).link {
        Link::VnetPeering { from_side, to_side, .. } => (from_side, to_side),
        other => panic!("{id} is {other:?}"),
    }
}

#[test]
fn peering_gateway_transit_fires_when_the_hub_does_not_allow_transit() {
    let report = validate_edited(HUB_SPOKE, |plan| peering_sides(plan, "conn-source-vnet1-hub-peering").1.allow_gateway_transit = false);
    let finding = report.of_rule("PEERING-GATEWAY-TRANSIT").next().expect("fires");
    assert!(finding.message.contains("does not allow gateway transit"), "{}", finding.message);
}

#[test]
fn peering_gateway_transit_fires_when_the_hub_has_no_gateway() {
    let report = validate_edited(HUB_SPOKE, |plan| network_mut(plan, "net-source-hub").gateways.clear());
    let finding = report.of_rule("PEERING-GATEWAY-TRANSIT").next().expect("fires");
    assert!(finding.message.contains("has no gateway"), "{}", finding.message);
}

#[test]
fn peering_gateway_transit_near_miss_seed_003s_hub_and_spoke_settings() {
    assert_eq!(validate::validate(&sample(HUB_SPOKE)).of_rule("PEERING-GATEWAY-TRANSIT").count(), 0);
}

// LIKE-FOR-LIKE

#[test]
fn like_for_like_fires_when_target_peering_settings_differ_from_the_source() {
    let report = validate_edited(HUB_SPOKE, |plan| peering_sides(plan, "conn-target-vnet1-hub-peering").0.allow_forwarded_traffic = false);
    assert!(fires_on(&report, "LIKE-FOR-LIKE", "conn-target-vnet1-hub-peering"));
}

#[test]
fn like_for_like_fires_when_the_recovery_side_uses_another_connection_type() {
    let report = validate_edited(ISOLATED, |plan| {
        let settings =
            PeeringSettings { allow_virtual_network_access: true, allow_forwarded_traffic: true, allow_gateway_transit: false, use_remote_gateways: false };
        let connection = connection_mut(plan, "conn-source1-recovery2-vpn");
        let Link::SiteToSiteVpn { to } = connection.link.clone() else { panic!() };
        connection.link = Link::VnetPeering { to, from_side: settings, to_side: settings };
    });
    let finding = report.of_rule("LIKE-FOR-LIKE").next().expect("fires");
    assert!(finding.message.contains("VNet peering where the source side uses site-to-site VPN"), "{}", finding.message);
}

/// Seed 001: mimic the source connectivity, including the connection type. The hybrid sample's
/// source VNet reaches on-premises by ExpressRoute; a recovery VNet that would reach it by VPN
/// behaves differently after failover.
#[test]
fn like_for_like_fires_when_the_recovery_side_reaches_on_premises_another_way() {
    let report = validate_edited(HYBRID, |plan| {
        connection_mut(plan, "conn-recovery-er").link = Link::SiteToSiteVpn { to: "net-onprem-lan".into() };
    });
    let finding = report
        .of_rule("LIKE-FOR-LIKE")
        .find(|finding| finding.elements.first().is_some_and(|element| element.id == "net-recovery-vnet"))
        .expect("fires for the recovery network");
    assert!(finding.message.contains("by site-to-site VPN where its source \"Source VNet\" uses ExpressRoute"), "{}", finding.message);
}

#[test]
fn like_for_like_near_miss_the_samples_mimic_their_source_connectivity() {
    for name in [HUB_SPOKE, ISOLATED, AZURE, HYBRID, VMM_CHANGE_IP, "vmm-subnet-failover.drplan.json"] {
        assert_eq!(validate::validate(&sample(name)).of_rule("LIKE-FOR-LIKE").count(), 0, "{name}");
    }
}
