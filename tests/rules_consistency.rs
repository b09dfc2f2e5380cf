//! Designs that load but cannot mean anything (general facts): each rule on a sample made wrong,
//! and its counter-example, the near miss it must not report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use drplan::model::*;
use drplan::validate::{self, Severity};

const VMM: &str = "vmm-subnet-failover.drplan.json";

fn range(start: &str, end: &str) -> Option<Box<IpRange>> {
    Some(Box::new(IpRange { start: start.parse().unwrap(), end: end.parse().unwrap() }))
}

#[test]
fn a_range_that_starts_after_it_ends_is_reported_and_a_one_address_range_is_not() {
    let report = validate_edited(VMM, |plan| subnet_mut(plan, "sub-primary-apps").static_pool = range("192.168.1.200", "192.168.1.10"));
    assert!(fires_on(&report, "ADDR-RANGE-ORDER", "sub-primary-apps"));
    assert!(report.of_rule("ADDR-RANGE-ORDER").next().unwrap().fix.contains("192.168.1.10 to 192.168.1.200"));
    let report = validate_edited(VMM, |plan| subnet_mut(plan, "sub-branch-clients").dhcp_range = range("10.50.1.250", "10.50.1.100"));
    assert!(fires_on(&report, "ADDR-RANGE-ORDER", "sub-branch-clients"), "DHCP ranges too");
    let report = validate_edited(VMM, |plan| subnet_mut(plan, "sub-primary-apps").static_pool = range("192.168.1.10", "192.168.1.10"));
    assert_eq!(report.of_rule("ADDR-RANGE-ORDER").count(), 0, "one address is a range");
}

#[test]
fn a_range_of_two_families_or_of_the_other_family_than_its_subnet_is_reported() {
    let report = validate_edited(VMM, |plan| subnet_mut(plan, "sub-primary-apps").static_pool = range("192.168.1.10", "fd00::10"));
    assert!(fires_on(&report, "ADDR-RANGE-FAMILY", "sub-primary-apps"));
    assert_eq!(report.of_rule("ADDR-RANGE-ORDER").count(), 0, "a mixed range is one finding, not two");
    let report = validate_edited(VMM, |plan| subnet_mut(plan, "sub-primary-apps").static_pool = range("fd00::10", "fd00::20"));
    assert!(report.of_rule("ADDR-RANGE-FAMILY").next().unwrap().message.contains("is IPv6 (fd00::10 to fd00::20), but the subnet is IPv4"));
    assert_eq!(validate::validate(&sample(VMM)).of_rule("ADDR-RANGE-FAMILY").count(), 0, "the sample's IPv4 pools");
}

#[test]
fn a_network_of_every_address_is_reported_and_a_default_route_is_not() {
    let report = validate_edited(VMM, |plan| network_mut(plan, "net-branch-lan").address_space.push("0.0.0.0/0".parse().unwrap()));
    assert!(fires_on(&report, "ADDR-WHOLE-SPACE", "net-branch-lan"));
    assert_eq!(report.of_rule("ADDR-WHOLE-SPACE").next().unwrap().severity, Severity::Error);
    let report = validate_edited(VMM, |plan| network_mut(plan, "net-branch-lan").address_space = vec!["::/0".parse().unwrap()]);
    assert!(fires_on(&report, "ADDR-WHOLE-SPACE", "net-branch-lan"), "IPv6 too");
    // Seed 003's hub routes 0.0.0.0/0 to its NVA: a route, not an address space.
    let hub = validate::validate(&sample("expressroute-hub-spoke.drplan.json"));
    assert!(
        sample("expressroute-hub-spoke.drplan.json")
            .networks
            .iter()
            .any(|network| network.route_tables.iter().any(|table| table.routes.iter().any(|route| route.prefix.0.prefix_len() == 0)))
    );
    assert_eq!(hub.of_rule("ADDR-WHOLE-SPACE").count(), 0);
}

#[test]
fn a_network_mapped_to_itself_is_reported_and_mappings_in_both_directions_are_not() {
    let report = validate_edited(VMM, |plan| {
        plan.network_mappings.push(NetworkMapping { source: NetworkId::new("net-primary-infra"), target: NetworkId::new("net-primary-infra") })
    });
    assert!(fires_on(&report, "MAP-SELF", "net-primary-infra"));
    // Site Recovery wants a mapping per direction, for failback.
    let report = validate_edited(VMM, |plan| {
        plan.network_mappings.push(NetworkMapping { source: NetworkId::new("net-recovery-apps"), target: NetworkId::new("net-primary-apps") })
    });
    assert_eq!(report.of_rule("MAP-SELF").count(), 0);
}

#[test]
fn a_scenario_within_one_site_is_reported_and_a_failback_is_not() {
    let report = validate_edited(VMM, |plan| plan.scenarios[0].to_site = plan.scenarios[0].from_site.clone());
    let scenario = sample(VMM).scenarios[0].id.to_string();
    assert!(fires_on(&report, "SCENARIO-SAME-SITE", &scenario));
    let report = validate_edited(VMM, |plan| {
        let scenario = &mut plan.scenarios[0];
        std::mem::swap(&mut scenario.from_site, &mut scenario.to_site);
        scenario.direction = Direction::Failback;
    });
    assert_eq!(report.of_rule("SCENARIO-SAME-SITE").count(), 0);
}

#[test]
fn a_target_in_the_machines_own_subnet_is_a_warning_unless_the_subnet_is_stretched() {
    let own = |plan: &mut Plan| {
        let machine = &mut plan.machines[0];
        machine.target = Some(FailoverTarget { subnet: machine.subnet.clone(), ip: TargetIp::Keep, keep_public_ip: false });
    };
    let plan = sample(VMM);
    let (machine, subnet) = (plan.machines[0].id.to_string(), plan.machines[0].subnet.to_string());
    let report = validate_edited(VMM, own);
    assert!(fires_on(&report, "RET-TARGET-OWN-SUBNET", &machine) && fires_on(&report, "RET-TARGET-OWN-SUBNET", &subnet));
    assert_eq!(report.of_rule("RET-TARGET-OWN-SUBNET").next().unwrap().severity, Severity::Warning);
    // Seed 000's stretched subnet: one segment across both sites.
    let report = validate_edited(VMM, |plan| {
        own(plan);
        let network = plan.subnets.iter().find(|candidate| candidate.id.as_str() == subnet).unwrap().network.clone();
        plan.connections.retain(|connection| connection.from != network && connection.to_network() != Some(&network));
        plan.connections.push(Connection {
            id: ConnectionId::new("conn-stretch"),
            name: "Stretched apps VLAN".to_owned(),
            from: network,
            link: Link::StretchedVlan { to: NetworkId::new("net-recovery-apps") },
            state: ConnectionState::Active,
            azure: Default::default(),
        });
    });
    assert_eq!(report.of_rule("RET-TARGET-OWN-SUBNET").count(), 0);
}
