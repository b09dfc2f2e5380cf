//! Addressing rules (general IP and Azure facts): prefixes that are well formed, subnets inside
//! their network and apart from each other, machine addresses that fit their subnet.

use std::net::IpAddr;

use ipnet::IpNet;
use smallvec::SmallVec;

use super::context::list_prefixes;
use crate::model::overlap::overlapping_pairs;

use super::AddressScope;
use super::context::{Holder, same_address};
use super::{Context, ElementRef, Findings, Passes, Rule, Severity, explanations, reads, sources};
use crate::model::*;

pub(super) static RULES: [Rule; 6] = [
    Rule {
        id: "ADDR-CIDR-INVALID",
        severity: Severity::Error,
        summary: "A prefix has host bits set (192.168.0.1/24 where 192.168.0.0/24 is meant).",
        sources: &[sources::GENERAL_IP, sources::CONNECTIVITY_SECONDARY_SITE],
        check: cidr_invalid,
        explanation: explanations::ADDR_CIDR_INVALID,
        blocks_retention: false,
        reads: Parts::NETWORKS.union(Parts::SUBNETS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "ADDR-SUBNET-OUTSIDE",
        severity: Severity::Error,
        summary: "A subnet is not inside its network's address space.",
        sources: &[sources::GENERAL_IP],
        check: subnet_outside,
        explanation: explanations::ADDR_SUBNET_OUTSIDE,
        blocks_retention: false,
        reads: Parts::NETWORKS.union(Parts::SUBNETS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "ADDR-SUBNET-OVERLAP",
        severity: Severity::Error,
        summary: "Two subnets of one network overlap.",
        sources: &[sources::GENERAL_IP],
        check: subnet_overlap,
        explanation: explanations::ADDR_SUBNET_OVERLAP,
        blocks_retention: false,
        reads: Parts::NETWORKS.union(Parts::SUBNETS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
    Rule {
        id: "ADDR-IP-OUTSIDE-SUBNET",
        severity: Severity::Error,
        summary: "A machine's address is outside its subnet, or is an address the subnet reserves.",
        sources: &[sources::GENERAL_IP, sources::AZURE_VNET],
        check: ip_outside_subnet,
        explanation: explanations::ADDR_IP_OUTSIDE_SUBNET,
        blocks_retention: true,
        reads: reads::ADDRESSED,
        uses: Passes::ADDRESSED,
        addresses: AddressScope::Holder,
    },
    Rule {
        id: "ADDR-IP-DUPLICATE",
        severity: Severity::Error,
        summary: "Two machines have one address in one network.",
        sources: &[sources::GENERAL_IP],
        check: ip_duplicate,
        explanation: explanations::ADDR_IP_DUPLICATE,
        blocks_retention: true,
        reads: reads::ADDRESSED,
        uses: Passes::ADDRESSED,
        addresses: AddressScope::Network,
    },
    Rule {
        id: "ADDR-GATEWAY-SUBNET",
        severity: Severity::Error,
        summary: "An Azure network with a gateway has no GatewaySubnet.",
        sources: &[sources::AZURE_VNET],
        check: gateway_subnet,
        explanation: explanations::ADDR_GATEWAY_SUBNET,
        blocks_retention: false,
        reads: Parts::NETWORKS.union(Parts::SUBNETS),
        uses: Passes::empty(),
        addresses: AddressScope::Unread,
    },
];

/// ADDR-CIDR-INVALID: every prefix of the plan, with the network address to write instead.
fn cidr_invalid(context: &Context, findings: &mut Findings) {
    let mut report = |element: ElementRef, what: String, prefix: &Prefix| {
        findings.add(
            vec![element],
            format!("{what} {prefix} has host bits set: it is not a network prefix."),
            format!("Write {}, the network address of that prefix.", prefix.network_prefix()),
        );
    };
    for network in &context.plan.networks {
        for prefix in network.address_space.iter().filter(|prefix| prefix.has_host_bits()) {
            report(Context::network_ref(network), format!("Network \"{}\" has address prefix", network.name), prefix);
        }
        for table in &network.route_tables {
            for route in table.routes.iter().filter(|route| route.prefix.has_host_bits()) {
                report(
                    Context::network_ref(network),
                    format!("Route \"{}\" in route table \"{}\" of network \"{}\" has prefix", route.name, table.name, network.name),
                    &route.prefix,
                );
            }
        }
    }
    for subnet in context.plan.subnets.iter().filter(|subnet| subnet.prefix.has_host_bits()) {
        report(Context::subnet_ref(subnet), format!("Subnet \"{}\" has prefix", subnet.name), &subnet.prefix);
    }
}

/// ADDR-SUBNET-OUTSIDE: a subnet must lie inside one prefix of its network.
fn subnet_outside(context: &Context, findings: &mut Findings) {
    for network in &context.plan.networks {
        for subnet in context.subnets_of(network) {
            if network.address_space.iter().any(|space| space.contains_prefix(&subnet.prefix)) {
                continue;
            }
            let space = Context::address_space(network);
            findings.add(
                vec![Context::subnet_ref(subnet), Context::network_ref(network)],
                format!(
                    "Subnet \"{}\" ({}) is not inside the address space of network \"{}\" ({}).",
                    subnet.name,
                    subnet.prefix,
                    network.name,
                    if space.is_empty() { "empty".to_owned() } else { list_prefixes(&space) }
                ),
                format!("Change the subnet prefix to one inside the network, or add a prefix that holds {} to the network's address space.", subnet.prefix),
            );
        }
    }
}

/// ADDR-SUBNET-OVERLAP: the subnets of each network, swept for overlaps.
fn subnet_overlap(context: &Context, findings: &mut Findings) {
    for network in &context.plan.networks {
        let subnets = context.subnets_of(network);
        if subnets.len() < 2 {
            continue;
        }
        let prefixes: SmallVec<[(IpNet, usize); 8]> = subnets.iter().enumerate().map(|(index, subnet)| (subnet.prefix.net(), index)).collect();
        for (a, b) in overlapping_pairs(&prefixes) {
            let (Some(a), Some(b)) = (subnets.get(a.min(b)), subnets.get(a.max(b))) else { continue };
            findings.add(
                vec![Context::subnet_ref(a), Context::subnet_ref(b), Context::network_ref(network)],
                format!("Subnets \"{}\" ({}) and \"{}\" ({}) of network \"{}\" overlap.", a.name, a.prefix, b.name, b.prefix, network.name),
                "Give each subnet its own range inside the network's address space.".to_owned(),
            );
        }
    }
}

/// Why an address cannot be used in a subnet, if it cannot: outside it, its network or
/// broadcast address, or in an Azure subnet one of the addresses Azure reserves.
pub fn address_problem(ip: &IpAddr, subnet: &Subnet, network_kind: NetworkKind) -> Option<String> {
    let net = subnet.prefix.net().trunc();
    if !net.contains(ip) {
        return Some(format!("is outside subnet \"{}\" ({})", subnet.name, subnet.prefix));
    }
    let (IpNet::V4(net4), IpAddr::V4(ip4)) = (net, ip) else { return None };
    let (first, last, address) = (u32::from(net4.network()), u32::from(net4.broadcast()), u32::from(*ip4));
    if network_kind == NetworkKind::Vnet && net4.prefix_len() <= 29 {
        if address < first + 4 {
            return Some(format!("is one of the first four addresses of subnet \"{}\" ({}), which Azure reserves", subnet.name, subnet.prefix));
        }
        if address == last {
            return Some(format!("is the last address of subnet \"{}\" ({}), which Azure reserves", subnet.name, subnet.prefix));
        }
    }
    if net4.prefix_len() <= 30 {
        if address == first {
            return Some(format!("is the network address of subnet \"{}\" ({})", subnet.name, subnet.prefix));
        }
        if address == last {
            return Some(format!("is the broadcast address of subnet \"{}\" ({})", subnet.name, subnet.prefix));
        }
    }
    None
}

/// ADDR-IP-OUTSIDE-SUBNET: addresses outside their subnet, or reserved in it.
fn ip_outside_subnet(context: &Context, findings: &mut Findings) {
    for addressed in context.addressed() {
        let subnet = addressed.subnet;
        let Some(network) = context.network_of(subnet) else { continue };
        let Some(problem) = address_problem(&addressed.ip, subnet, network.kind) else { continue };
        let element = addressed.holder.element_ref();
        findings.add(
            vec![element.clone(), Context::subnet_ref(subnet)],
            format!("The address {} of \"{}\" {problem}.", addressed.ip, element.name),
            format!("Give \"{}\" a free address inside {} that the subnet does not reserve.", element.name, subnet.prefix),
        );
    }
}

/// ADDR-IP-DUPLICATE: one address used twice in one network.
fn ip_duplicate(context: &Context, findings: &mut Findings) {
    for shared in context.addresses_in_use().chunk_by(same_address).filter(|shared| shared.len() > 1) {
        let addressed = &context.addressed()[shared[0].2];
        let holders: Vec<Holder> = shared.iter().map(|&(_, _, position)| context.addressed()[position].holder).collect();
        let Some(network) = context.network_of(addressed.subnet) else { continue };
        let names = holders.iter().map(|holder| format!("\"{}\"", holder.element_ref().name)).collect::<Vec<_>>().join(", ");
        let mut concerned: Vec<ElementRef> = holders.iter().map(Holder::element_ref).collect();
        concerned.push(Context::network_ref(network));
        findings.add(
            concerned,
            format!("{names} all use the address {} in network \"{}\".", addressed.ip, network.name),
            "Give each machine its own address.".to_owned(),
        );
    }
}

/// ADDR-GATEWAY-SUBNET: an Azure VNet with a gateway needs a subnet named GatewaySubnet.
fn gateway_subnet(context: &Context, findings: &mut Findings) {
    for network in &context.plan.networks {
        if network.kind != NetworkKind::Vnet || network.gateways.is_empty() {
            continue;
        }
        if context.subnets_of(network).iter().any(|subnet| subnet.is_gateway_subnet()) {
            continue;
        }
        let mut elements = vec![Context::network_ref(network)];
        elements.extend(network.gateways.iter().map(Context::gateway_ref));
        findings.add(
            elements,
            format!("Azure network \"{}\" has a gateway but no subnet named GatewaySubnet to hold it.", network.name),
            "Add a subnet named exactly GatewaySubnet (a /27 or larger) inside the network's address space.".to_owned(),
        );
    }
}
