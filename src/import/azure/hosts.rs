//! The machines and appliances of an imported estate: a VM's primary NIC as a machine, route
//! tables in the VNet of their subnets, and an NVA at every appliance next hop.

use std::collections::BTreeMap;
use std::net::IpAddr;

use rustc_hash::FxHashSet;

use super::{Builder, flag, identity, prefix_of, skip};
use crate::import::resources::{self, Kind, Resource, field, id_name, items, parent_key, reference, text};
use crate::import::{Skip, element_id};
use crate::model::*;

impl Builder {
    /// A VM's primary NIC is the machine; a NIC of no VM is skipped.
    pub(super) fn machines(&mut self, resources: &[Resource]) {
        for address in Self::of_kind(resources, Kind::PublicIpAddress) {
            if let Some(ip) = text(&address.body, "ipAddress").and_then(|text| text.parse().ok()) {
                self.public_ips.insert(address.key.clone(), ip);
            }
        }
        let mut vms: FxHashSet<String> = FxHashSet::default();
        for nic in Self::of_kind(resources, Kind::NetworkInterface) {
            let Some(vm) = reference(&nic.body, "virtualMachine") else {
                skip(&mut self.summary, nic, "NIC", "it is attached to no VM");
                continue;
            };
            let configurations = items(&nic.body, "ipConfigurations");
            let Some(configuration) = configurations.iter().find(|configuration| flag(configuration, "primary")).or_else(|| configurations.first()) else {
                skip(&mut self.summary, nic, "NIC", "it has no IP configuration");
                continue;
            };
            let Some(ip) = text(configuration, "privateIPAddress").and_then(|text| text.parse::<IpAddr>().ok()) else {
                skip(&mut self.summary, nic, "NIC", "its primary IP configuration has no private address drplan reads");
                continue;
            };
            let Some(subnet) = reference(configuration, "subnet").and_then(|key| self.subnets.get(&key).cloned()) else {
                skip(&mut self.summary, nic, "NIC", "its subnet is in no VNet of the input");
                continue;
            };
            if !vms.insert(vm.clone()) {
                skip(&mut self.summary, nic, "NIC", "another NIC of the same VM is its machine");
                continue;
            }
            let vm_name = field(&nic.body, "virtualMachine").and_then(|vm| text(vm, "id")).and_then(id_name).unwrap_or(&nic.name).to_owned();
            let allocation = if text(configuration, "privateIPAllocationMethod").is_some_and(|method| method.eq_ignore_ascii_case("dynamic")) {
                Allocation::Dhcp
            } else {
                Allocation::Static
            };
            let public_ip = match reference(configuration, "publicIPAddress") {
                Some(key) => {
                    let found = self.public_ips.get(&key).copied();
                    if found.is_none() {
                        self.summary.check.push(format!("\"{vm_name}\" has a public IP that is not in the input (add `az network public-ip list`)."));
                    }
                    found
                }
                None => None,
            };
            let vm_id = field(&nic.body, "virtualMachine").and_then(|vm| text(vm, "id")).unwrap_or_default();
            let azure = Azure::from(AzureIdentity {
                name: Some(vm_name.clone()),
                resource_group: resources::id_segment(vm_id, "resourceGroups").or_else(|| nic.resource_group.clone()),
                subscription: resources::id_segment(vm_id, "subscriptions").or_else(|| nic.subscription.clone()),
            });
            self.plan.machines.push(Machine {
                id: MachineId::new(element_id(&mut self.ids, "vm", &vm_name)),
                name: vm_name,
                subnet,
                ip,
                ip_allocation: allocation,
                public_ip,
                application: String::new(),
                tier: String::new(),
                roles: Vec::new(),
                recovery_group: NonZeroU32::MIN,
                target: None,
                dns: None,
                azure,
                position: None,
            });
        }
    }

    /// Route tables go in the VNet of their subnets; every appliance next hop becomes an NVA (the
    /// VM at that address, if the input has it, is the NVA rather than a machine).
    pub(super) fn route_tables(&mut self, resources: &[Resource]) {
        for table in Self::of_kind(resources, Kind::RouteTable) {
            let mut by_network: BTreeMap<NetworkId, Vec<SubnetId>> = BTreeMap::new();
            for subnet in items(&table.body, "subnets") {
                let Some(key) = text(subnet, "id").map(str::to_ascii_lowercase) else { continue };
                let (Some(subnet_id), Some(network)) =
                    (self.subnets.get(&key).cloned(), parent_key(&key, "subnets").and_then(|vnet| self.networks.get(&vnet).cloned()))
                else {
                    continue;
                };
                by_network.entry(network).or_default().push(subnet_id);
            }
            if by_network.is_empty() {
                skip(&mut self.summary, table, "route table", "it is associated with no subnet of the input's VNets");
                continue;
            }
            let mut routes = Vec::new();
            for route in items(&table.body, "routes") {
                let name = text(route, "name").unwrap_or_default().to_owned();
                let Some(prefix) = field(route, "addressPrefix").and_then(prefix_of) else {
                    self.summary.skipped.push(Skip {
                        what: format!("route \"{name}\" of \"{}\"", table.name),
                        origin: table.origin.clone(),
                        why: "its address prefix is not one drplan reads (a service tag?)".to_owned(),
                    });
                    continue;
                };
                let next_hop = match text(route, "nextHopType").map(str::to_ascii_lowercase).as_deref() {
                    Some("virtualappliance") => match text(route, "nextHopIpAddress").and_then(|text| text.parse().ok()) {
                        Some(address) => NextHop::VirtualAppliance(address),
                        None => {
                            self.summary.skipped.push(Skip {
                                what: format!("route \"{name}\" of \"{}\"", table.name),
                                origin: table.origin.clone(),
                                why: "a virtual appliance next hop with no address".to_owned(),
                            });
                            continue;
                        }
                    },
                    Some("virtualnetworkgateway") => NextHop::VirtualNetworkGateway,
                    Some("vnetlocal") => NextHop::VnetLocal,
                    Some("internet") => NextHop::Internet,
                    _ => NextHop::None,
                };
                routes.push(Route { name, prefix, next_hop });
            }
            for (network, subnets) in by_network {
                let id = RouteTableId::new(element_id(&mut self.ids, "rt", &table.name));
                let azure = identity(table);
                if let Some(found) = self.network_mut(&network) {
                    found.route_tables.push(RouteTable { id, name: table.name.clone(), subnets, routes: routes.clone(), created_at_failover: false, azure });
                }
            }
        }
        self.appliances();
    }

    /// An NVA at every virtual appliance next hop, in the subnet that holds its address.
    fn appliances(&mut self) {
        let hops: std::collections::BTreeSet<IpAddr> = self.plan.networks.iter().flat_map(Network::appliance_hops).collect();
        for address in hops {
            let Some(subnet) = self.plan.subnets.iter().find(|subnet| subnet.prefix.contains_ip(&address)).cloned() else {
                self.summary.check.push(format!("Routes lead to an appliance at {address}, which is in no subnet of the input: no NVA is drawn for it."));
                continue;
            };
            let machine = self.plan.machines.iter().position(|machine| machine.ip == address && machine.subnet == subnet.id);
            let name = match machine {
                Some(position) => self.plan.machines.remove(position).name,
                None => format!("NVA {address}"),
            };
            let id = NvaId::new(element_id(&mut self.ids, "nva", &name));
            if let Some(network) = self.network_mut(&subnet.network) {
                network.nvas.push(Nva { id, name, subnet: subnet.id.clone(), ip: address });
            }
        }
    }
}
