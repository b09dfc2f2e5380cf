//! Designs that load but cannot mean anything (general facts; the seeds say nothing of them):
//! an address range that runs backwards or mixes IPv4 and IPv6, a network that claims every
//! address, a network mapped to itself, a scenario that fails over within one site, and a
//! machine whose failover target is the subnet it already runs in.

use std::net::IpAddr;

use super::AddressScope;
use super::{Context, Findings, Passes, Rule, Severity, Source, explanations, reads, sources};
use crate::model::*;

/// Where the facts of this family come from.
const FAILOVER_GOES_ELSEWHERE: Source = Source { title: "Disaster recovery fails over to another site (general fact)", seed: None };

pub(super) static RULES: [Rule; 6] = [
    Rule {
        id: "ADDR-RANGE-ORDER",
        severity: Severity::Error,
        summary: "A subnet's DHCP range or static address pool starts after it ends.",
        sources: &[sources::GENERAL_IP],
        check: range_order,
        explanation: explanations::ADDR_RANGE_ORDER,
        blocks_retention: false,
        reads: Parts::SUBNETS,
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "ADDR-RANGE-FAMILY",
        severity: Severity::Error,
        summary: "A subnet's DHCP range or static address pool mixes IPv4 and IPv6, or is of another family than the subnet.",
        sources: &[sources::GENERAL_IP],
        check: range_family,
        explanation: explanations::ADDR_RANGE_FAMILY,
        blocks_retention: false,
        reads: Parts::SUBNETS,
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "ADDR-WHOLE-SPACE",
        severity: Severity::Error,
        summary: "A network's address space is every address (0.0.0.0/0 or ::/0).",
        sources: &[sources::GENERAL_IP, sources::AZURE_VNET],
        check: whole_space,
        explanation: explanations::ADDR_WHOLE_SPACE,
        blocks_retention: false,
        reads: Parts::NETWORKS,
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "MAP-SELF",
        severity: Severity::Error,
        summary: "A network is mapped to itself as its own recovery network.",
        sources: &[FAILOVER_GOES_ELSEWHERE],
        check: self_mapping,
        explanation: explanations::MAP_SELF,
        blocks_retention: false,
        reads: Parts::MAPPINGS.union(Parts::NETWORKS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "SCENARIO-SAME-SITE",
        severity: Severity::Error,
        summary: "A failover scenario goes from a site to the same site.",
        sources: &[FAILOVER_GOES_ELSEWHERE],
        check: same_site_scenario,
        explanation: explanations::SCENARIO_SAME_SITE,
        blocks_retention: false,
        reads: Parts::SCENARIOS.union(Parts::SITES),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "RET-TARGET-OWN-SUBNET",
        severity: Severity::Warning,
        summary: "A machine's failover target is the subnet it runs in (unless that subnet is stretched).",
        sources: &[FAILOVER_GOES_ELSEWHERE, sources::CONNECTIVITY_SECONDARY_SITE],
        check: target_own_subnet,
        explanation: explanations::RET_TARGET_OWN_SUBNET,
        blocks_retention: false,
        reads: reads::ADDRESSED.union(Parts::CONNECTIONS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
];

/// The subnet's ranges, named as the architect knows them.
fn ranges(subnet: &Subnet) -> impl Iterator<Item = (&'static str, IpRange)> {
    [("DHCP range", subnet.dhcp_range.as_deref()), ("static address pool", subnet.static_pool.as_deref())]
        .into_iter()
        .filter_map(|(name, range)| Some((name, *range?)))
}

/// ADDR-RANGE-ORDER: an inclusive range from its start to its end holds nothing when the start is
/// after the end (ranges of one family; mixed ones are ADDR-RANGE-FAMILY's).
fn range_order(context: &Context, findings: &mut Findings) {
    for subnet in &context.plan.subnets {
        for (name, range) in ranges(subnet) {
            if range.start.is_ipv4() == range.end.is_ipv4() && range.start > range.end {
                findings.add(
                    vec![Context::subnet_ref(subnet)],
                    format!("The {name} of \"{}\" runs from {} to {}: it starts after it ends, so it holds no address.", subnet.name, range.start, range.end),
                    format!("Swap the two addresses: {} to {}.", range.end, range.start),
                );
            }
        }
    }
}

/// ADDR-RANGE-FAMILY: a range is of one address family, the subnet's.
fn range_family(context: &Context, findings: &mut Findings) {
    let family = |address: &IpAddr| if address.is_ipv4() { "IPv4" } else { "IPv6" };
    for subnet in &context.plan.subnets {
        let subnet_family = if subnet.prefix.0.addr().is_ipv4() { "IPv4" } else { "IPv6" };
        for (name, range) in ranges(subnet) {
            let (start, end) = (family(&range.start), family(&range.end));
            if start != end {
                findings.add(
                    vec![Context::subnet_ref(subnet)],
                    format!(
                        "The {name} of \"{}\" runs from the {start} address {} to the {end} address {}: a range is of one address family.",
                        subnet.name, range.start, range.end
                    ),
                    format!("Give both ends as {subnet_family} addresses inside {}.", subnet.prefix),
                );
            } else if start != subnet_family {
                findings.add(
                    vec![Context::subnet_ref(subnet)],
                    format!(
                        "The {name} of \"{}\" is {start} ({} to {}), but the subnet is {subnet_family} ({}).",
                        subnet.name, range.start, range.end, subnet.prefix
                    ),
                    format!("Give the range as {subnet_family} addresses inside {}.", subnet.prefix),
                );
            }
        }
    }
}

/// ADDR-WHOLE-SPACE: a network of every address overlaps every other network and leaves no
/// route to anything outside it; Azure refuses it as a virtual network's address space.
fn whole_space(context: &Context, findings: &mut Findings) {
    for network in &context.plan.networks {
        for prefix in network.address_space.iter().filter(|prefix| prefix.0.prefix_len() == 0) {
            findings.add(
                vec![Context::network_ref(network)],
                format!("\"{}\" claims {prefix}, every address: it would overlap every other network and leave no route to anything outside it.", network.name),
                format!("Give \"{}\" the prefixes it really uses, such as 10.1.0.0/16.", network.name),
            );
        }
    }
}

/// MAP-SELF: a network fails over into another network. (Two mappings A→B and B→A are normal:
/// Site Recovery wants one per direction, for failback.)
fn self_mapping(context: &Context, findings: &mut Findings) {
    for mapping in context.plan.network_mappings.iter().filter(|mapping| mapping.source == mapping.target) {
        let Some(network) = context.network(&mapping.source) else { continue };
        findings.add(
            vec![Context::network_ref(network)],
            format!("\"{}\" is mapped to itself: its machines would fail over into the network they are leaving.", network.name),
            format!("Map \"{}\" to its recovery network at the recovery site, or remove the mapping.", network.name),
        );
    }
}

/// SCENARIO-SAME-SITE: a failover leaves one site for another.
fn same_site_scenario(context: &Context, findings: &mut Findings) {
    for scenario in context.plan.scenarios.iter().filter(|scenario| scenario.from_site == scenario.to_site) {
        let mut elements = vec![Context::scenario_ref(scenario)];
        elements.extend(context.site(&scenario.from_site).map(Context::site_ref));
        findings.add(
            elements,
            format!(
                "\"{}\" fails over from \"{}\" to the same site: nothing would move.",
                scenario.name,
                context.site(&scenario.from_site).map_or(scenario.from_site.as_str(), |site| site.name.as_str())
            ),
            "Choose the recovery site as the scenario's destination (or the primary site, for a failback).".to_owned(),
        );
    }
}

/// RET-TARGET-OWN-SUBNET: a failover target is a subnet at the recovery side; the subnet the
/// machine runs in is one only when it is stretched across both sites.
fn target_own_subnet(context: &Context, findings: &mut Findings) {
    for machine in &context.plan.machines {
        let Some(target) = machine.target.as_ref().filter(|target| target.subnet == machine.subnet) else { continue };
        let Some(subnet) = context.subnet(&target.subnet) else { continue };
        let stretched =
            context.network_of(subnet).is_some_and(|network| context.links_of(network).iter().any(|link| matches!(link.link, Link::StretchedVlan { .. })));
        if stretched {
            continue;
        }
        findings.add(
            vec![Context::machine_ref(machine), Context::subnet_ref(subnet)],
            format!("\"{}\" is set to fail over into \"{}\", the subnet it already runs in: a failover would not move it.", machine.name, subnet.name),
            format!(
                "Choose a subnet of the recovery network as the target of \"{}\", or stretch the subnet across both sites if that is the design.",
                machine.name
            ),
        );
    }
}
