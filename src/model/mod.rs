//! The plan model: sites, networks, subnets, machines, circuits, connections, network mappings
//! and failover scenarios, as they are stored in a plan file. Pure data with serde; no UI.
//!
//! The layout is flat: every element sits in one list of [`Plan`] and refers to its parent by id
//! (a subnet names its network, a network its site). Small parts owned by one element (gateways,
//! route tables, NVAs, peering settings) are nested in it. Field order is the file's order, so a
//! saved plan diffs cleanly.

pub mod address;
mod azure;
mod groups;
mod ids;
mod index;
mod links;
mod network_parts;
pub mod overlap;
mod parts;
mod prefix;
mod scenario;

use std::net::IpAddr;
pub use std::num::NonZeroU32;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use azure::{Azure, AzureIdentity};
pub(crate) use groups::Groups;
pub use groups::{Members, MembersIter};
pub use ids::*;
pub(crate) use index::position_in;
pub use index::{IndexOf, IndexTables, KeptIndex, PlanIndex};
pub use links::*;
pub use network_parts::*;
pub use parts::{AddressChange, Change, Parts, Renamed};
pub use prefix::Prefix;
pub use scenario::*;

/// The plan file format version this build writes. Files with a larger number are refused;
/// older files are migrated on load (`io::migrate`: version 2 numbers recovery groups from 1).
pub const FORMAT_VERSION: u32 = 2;

/// A disaster-recovery network plan: everything one architect draws for one design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// File format version; see `docs/plan-format.md`.
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub sites: Vec<Site>,
    #[serde(default)]
    pub networks: Vec<Network>,
    #[serde(default)]
    pub subnets: Vec<Subnet>,
    #[serde(default)]
    pub machines: Vec<Machine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub circuits: Vec<Circuit>,
    #[serde(default)]
    pub connections: Vec<Connection>,
    #[serde(default)]
    pub network_mappings: Vec<NetworkMapping>,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// Actions the recovery plan runs before or after a recovery group fails over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_actions: Vec<GroupAction>,
}

/// A point on the drawing canvas, in canvas units (not screen pixels).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Point {
    #[serde(deserialize_with = "finite_coordinate")]
    pub x: f32,
    #[serde(deserialize_with = "finite_coordinate")]
    pub y: f32,
}

/// A coordinate that fits an `f32`. JSON numbers such as `1e39` are valid `f64`s but become
/// infinity as an `f32`, which saves as `null` and would make the saved plan unreadable; such a
/// file is refused at load with the field at fault instead.
fn finite_coordinate<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
    let value = f64::deserialize(deserializer)?;
    let coordinate = value as f32;
    if coordinate.is_finite() {
        Ok(coordinate)
    } else {
        Err(serde::de::Error::custom(format_args!("{value:e} is out of range for a canvas position: coordinates lie within ±3.4e38")))
    }
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }
}

/// A location that hosts networks: an on-premises datacenter or a cloud region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    pub kind: SiteKind,
    pub role: SiteRole,
    /// Cloud region name, for example "East Asia".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Geopolitical area of the site, for example "Asia Pacific" (matters for ExpressRoute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geography: Option<String>,
    /// Azure resource name, resource group and subscription, where known.
    #[serde(default, skip_serializing_if = "Azure::is_empty")]
    pub azure: Azure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Point>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// On-premises Hyper-V hosts managed by System Center VMM.
    HyperVVmm,
    /// On-premises Hyper-V hosts without VMM, replicating to Azure (seed 004).
    HyperV,
    /// On-premises VMware vSphere.
    Vmware,
    /// On-premises physical servers.
    Physical,
    /// A cloud region such as Azure East Asia.
    CloudRegion,
}

impl SiteKind {
    pub const ALL: [Self; 5] = [Self::HyperVVmm, Self::HyperV, Self::Vmware, Self::Physical, Self::CloudRegion];

    pub fn label(self) -> &'static str {
        match self {
            Self::HyperVVmm => "Hyper-V / VMM datacenter",
            Self::HyperV => "Hyper-V site (no VMM)",
            Self::Vmware => "VMware datacenter",
            Self::Physical => "Physical datacenter",
            Self::CloudRegion => "Cloud region",
        }
    }

    pub fn is_on_premises(self) -> bool {
        self != Self::CloudRegion
    }

    /// The kind of network a site of this kind holds: a VNet in a cloud region, a VMM VM network
    /// at a VMM site, a LAN elsewhere.
    pub fn network_kind(self) -> NetworkKind {
        match self {
            Self::CloudRegion => NetworkKind::Vnet,
            Self::HyperVVmm => NetworkKind::VmmVmNetwork,
            Self::HyperV | Self::Vmware | Self::Physical => NetworkKind::Lan,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteRole {
    /// Where the protected machines run today.
    Primary,
    /// Where they fail over to.
    Recovery,
    /// A branch or datacenter that reaches the applications, or holds shared infrastructure.
    Third,
}

impl SiteRole {
    pub const ALL: [Self; 3] = [Self::Primary, Self::Recovery, Self::Third];

    pub fn label(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Recovery => "recovery",
            Self::Third => "third site",
        }
    }
}

/// An address space at one site: an Azure VNet, a VMM VM network or an on-premises LAN.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub id: NetworkId,
    pub name: String,
    pub site: SiteId,
    pub kind: NetworkKind,
    /// IPv4 and IPv6 prefixes of the network.
    pub address_space: Vec<Prefix>,
    pub purpose: NetworkPurpose,
    /// VMM network isolation; `none` for other kinds of network.
    #[serde(default, skip_serializing_if = "Isolation::is_none")]
    pub isolation: Isolation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<Gateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_tables: Vec<RouteTable>,
    /// Service endpoints enabled on the network, for example "Microsoft.Storage".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_endpoints: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nvas: Vec<Nva>,
    /// Azure resource name, resource group and subscription, where known.
    #[serde(default, skip_serializing_if = "Azure::is_empty")]
    pub azure: Azure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Point>,
}

impl Network {
    pub fn has_gateway(&self, kind: GatewayKind) -> bool {
        self.gateways.iter().any(|gateway| gateway.kind == kind)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NetworkKind {
    /// An Azure virtual network.
    Vnet,
    /// A System Center VMM VM network.
    VmmVmNetwork,
    /// An on-premises LAN.
    Lan,
}

impl NetworkKind {
    pub const ALL: [Self; 3] = [Self::Vnet, Self::VmmVmNetwork, Self::Lan];

    pub fn label(self) -> &'static str {
        match self {
            Self::Vnet => "Azure VNet",
            Self::VmmVmNetwork => "VMM VM network",
            Self::Lan => "LAN",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NetworkPurpose {
    Production,
    /// Replica nodes and shared infrastructure (domain controllers, SQL Always On replicas).
    ReplicaInfrastructure,
    /// An isolated network for test failovers (drills).
    TestFailover,
}

impl NetworkPurpose {
    pub const ALL: [Self; 3] = [Self::Production, Self::ReplicaInfrastructure, Self::TestFailover];

    pub fn label(self) -> &'static str {
        match self {
            Self::Production => "production",
            Self::ReplicaInfrastructure => "replica infrastructure",
            Self::TestFailover => "test failover",
        }
    }
}

/// Isolation of a VMM VM network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Isolation {
    #[default]
    None,
    Vlan,
    /// Windows Network Virtualization.
    Wnv,
}

impl Isolation {
    pub const ALL: [Self; 3] = [Self::None, Self::Vlan, Self::Wnv];

    pub fn is_none(&self) -> bool {
        *self == Self::None
    }
}

impl Network {
    /// The addresses of the virtual appliances its route tables send traffic to.
    pub fn appliance_hops(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.route_tables.iter().flat_map(|table| &table.routes).filter_map(|route| match route.next_hop {
            NextHop::VirtualAppliance(address) => Some(address),
            _ => None,
        })
    }
}

/// A prefix inside a network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub id: SubnetId,
    /// `GatewaySubnet` is Azure's subnet for gateways.
    pub name: String,
    pub network: NetworkId,
    pub prefix: Prefix,
    pub allocation: Allocation,
    // The two ranges are boxed: few subnets have them, and held in the subnet they would make
    // each of the 81,000 subnets of a large plan 56 bytes larger.
    /// VMM static IP address pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub static_pool: Option<Box<IpRange>>,
    /// Range the DHCP server hands out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp_range: Option<Box<IpRange>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Point>,
}

impl Subnet {
    pub const GATEWAY_SUBNET_NAME: &'static str = "GatewaySubnet";

    pub fn is_gateway_subnet(&self) -> bool {
        self.name == Self::GATEWAY_SUBNET_NAME
    }
}

/// How addresses are handed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Allocation {
    Static,
    Dhcp,
}

/// An inclusive range of addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IpRange {
    #[serde(deserialize_with = "address::deserialize")]
    pub start: IpAddr,
    #[serde(deserialize_with = "address::deserialize")]
    pub end: IpAddr,
}

/// A protected VM or physical server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Machine {
    pub id: MachineId,
    pub name: String,
    pub subnet: SubnetId,
    /// The NIC's private address.
    #[serde(deserialize_with = "address::deserialize")]
    pub ip: IpAddr,
    pub ip_allocation: Allocation,
    /// A public address the machine answers on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "address::deserialize_option")]
    pub public_ip: Option<IpAddr>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub application: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tier: String,
    /// Infrastructure services the machine provides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<InfraRole>,
    /// Recovery plan group: group 1 fails over first. Groups are numbered from 1 (the recovery
    /// plan keeps 0 for the steps before any machine fails over), so 0 is refused at load.
    pub recovery_group: NonZeroU32,
    /// Where the machine fails over to; none means it is not protected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<FailoverTarget>,
    // Boxed: a record held in the machine would make each machine 48 bytes larger, with or
    // without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<Box<DnsRecord>>,
    /// Azure resource name, resource group and subscription, where known.
    #[serde(default, skip_serializing_if = "Azure::is_empty")]
    pub azure: Azure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Point>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InfraRole {
    DomainController,
    Dns,
    Dhcp,
}

/// Where a machine fails over to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailoverTarget {
    pub subnet: SubnetId,
    pub ip: TargetIp,
    /// Keep the machine's public address too (possible with some ISPs on-premises, never in
    /// Azure).
    #[serde(default, skip_serializing_if = "is_false")]
    pub keep_public_ip: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// The machine's address after failover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetIp {
    /// Keep the source address.
    Keep,
    /// Take this new address.
    #[serde(deserialize_with = "address::deserialize")]
    New(IpAddr),
}

impl TargetIp {
    /// The address a machine that has `current` now is to have after failover.
    pub fn address(&self, current: IpAddr) -> IpAddr {
        match self {
            Self::Keep => current,
            Self::New(ip) => *ip,
        }
    }
}

/// The machine's DNS record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsRecord {
    pub zone: String,
    pub name: String,
    pub ttl_secs: u32,
    /// The machine registers its own address (dynamic DNS), so no update step is needed.
    pub dynamic_registration: bool,
}

impl Plan {
    /// Every id the plan declares, of every kind of element (a network's gateways, route tables
    /// and appliances after it).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        let nested = self.networks.iter().flat_map(|network| {
            std::iter::once(network.id.as_str())
                .chain(network.gateways.iter().map(|gateway| gateway.id.as_str()))
                .chain(network.nvas.iter().map(|nva| nva.id.as_str()))
                .chain(network.route_tables.iter().map(|table| table.id.as_str()))
        });
        self.sites
            .iter()
            .map(|site| site.id.as_str())
            .chain(nested)
            .chain(self.subnets.iter().map(|subnet| subnet.id.as_str()))
            .chain(self.machines.iter().map(|machine| machine.id.as_str()))
            .chain(self.circuits.iter().map(|circuit| circuit.id.as_str()))
            .chain(self.connections.iter().map(|connection| connection.id.as_str()))
            .chain(self.scenarios.iter().map(|scenario| scenario.id.as_str()))
    }

    /// Network address prefixes plus subnet prefixes: the size measure of the benchmarks, and
    /// what decides whether the app validates off the UI thread.
    pub fn prefix_count(&self) -> usize {
        self.networks.iter().map(|network| network.address_space.len()).sum::<usize>() + self.subnets.len()
    }

    /// An empty plan with the current format version.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            version: FORMAT_VERSION,
            name: name.into(),
            description: String::new(),
            sites: Vec::new(),
            networks: Vec::new(),
            subnets: Vec::new(),
            machines: Vec::new(),
            circuits: Vec::new(),
            connections: Vec::new(),
            network_mappings: Vec::new(),
            scenarios: Vec::new(),
            group_actions: Vec::new(),
        }
    }

    pub fn site(&self, id: &SiteId) -> Option<&Site> {
        self.sites.iter().find(|site| &site.id == id)
    }

    pub fn network(&self, id: &NetworkId) -> Option<&Network> {
        self.networks.iter().find(|network| &network.id == id)
    }

    pub fn subnet(&self, id: &SubnetId) -> Option<&Subnet> {
        self.subnets.iter().find(|subnet| &subnet.id == id)
    }

    pub fn machine(&self, id: &MachineId) -> Option<&Machine> {
        self.machines.iter().find(|machine| &machine.id == id)
    }

    pub fn circuit(&self, id: &CircuitId) -> Option<&Circuit> {
        self.circuits.iter().find(|circuit| &circuit.id == id)
    }

    pub fn connection(&self, id: &ConnectionId) -> Option<&Connection> {
        self.connections.iter().find(|connection| &connection.id == id)
    }

    pub fn scenario(&self, id: &ScenarioId) -> Option<&Scenario> {
        self.scenarios.iter().find(|scenario| &scenario.id == id)
    }

    /// A scenario by id or by name, as a user types it on the command line.
    pub fn scenario_by_id_or_name(&self, key: &str) -> Option<&Scenario> {
        self.scenarios
            .iter()
            .find(|scenario| scenario.id.as_str() == key)
            .or_else(|| self.scenarios.iter().find(|scenario| scenario.name.eq_ignore_ascii_case(key)))
    }

    /// The subnets of a network, in plan order.
    pub fn subnets_of<'a>(&'a self, network: &'a NetworkId) -> impl Iterator<Item = &'a Subnet> + 'a {
        self.subnets.iter().filter(move |subnet| &subnet.network == network)
    }

    /// The networks of a site, in plan order.
    pub fn networks_of<'a>(&'a self, site: &'a SiteId) -> impl Iterator<Item = &'a Network> + 'a {
        self.networks.iter().filter(move |network| &network.site == site)
    }

    /// The machines whose NIC is in a subnet, in plan order.
    pub fn machines_in<'a>(&'a self, subnet: &'a SubnetId) -> impl Iterator<Item = &'a Machine> + 'a {
        self.machines.iter().filter(move |machine| &machine.subnet == subnet)
    }

    /// The site a network belongs to.
    pub fn site_of_network(&self, network: &NetworkId) -> Option<&Site> {
        self.network(network).and_then(|network| self.site(&network.site))
    }

    /// The network a subnet belongs to.
    pub fn network_of_subnet(&self, subnet: &SubnetId) -> Option<&Network> {
        self.subnet(subnet).and_then(|subnet| self.network(&subnet.network))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large plan holds 81,000 subnets, 40,000 machines, 20,000 networks and 20,000
    /// connections per 100,000 prefixes: what is rarely given (a subnet's ranges, a machine's DNS
    /// record, an element's Azure identity) is boxed, so it costs a pointer where it is not. A
    /// field that grows them shows here first.
    #[test]
    fn large_plans_elements_keep_their_size() {
        let sizes = [
            ("subnet", std::mem::size_of::<Subnet>(), 120),
            ("machine", std::mem::size_of::<Machine>(), 264),
            ("network", std::mem::size_of::<Network>(), 216),
            ("connection", std::mem::size_of::<Connection>(), 120),
        ];
        for (element, size, most) in sizes {
            assert!(size <= most, "a {element} is {size} bytes, more than {most}");
        }
    }
}
