//! What a network holds besides its subnets: gateways, route tables with their routes, and
//! network virtual appliances.

use std::net::IpAddr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Azure, GatewayId, NvaId, Prefix, RouteTableId, SubnetId, address};

/// A virtual network gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    pub id: GatewayId,
    pub name: String,
    pub kind: GatewayKind,
    /// Deployed before failover (true), or to be created during failover (false), which adds
    /// to the recovery time.
    pub provisioned_before_failover: bool,
    /// Azure resource name, resource group and subscription, where known.
    #[serde(default, skip_serializing_if = "Azure::is_empty")]
    pub azure: Azure,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GatewayKind {
    Vpn,
    ExpressRoute,
}

impl GatewayKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Vpn => "VPN",
            Self::ExpressRoute => "ExpressRoute",
        }
    }
}

/// A route table (UDR) of a network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    pub id: RouteTableId,
    pub name: String,
    /// Subnets the table is associated with.
    #[serde(default)]
    pub subnets: Vec<SubnetId>,
    pub routes: Vec<Route>,
    /// Created and associated during failover (seed 003 step d), not before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub created_at_failover: bool,
    /// Azure resource name, resource group and subscription, where known.
    #[serde(default, skip_serializing_if = "Azure::is_empty")]
    pub azure: Azure,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub name: String,
    pub prefix: Prefix,
    pub next_hop: NextHop,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NextHop {
    /// A network virtual appliance at this address.
    #[serde(deserialize_with = "address::deserialize")]
    VirtualAppliance(IpAddr),
    VirtualNetworkGateway,
    VnetLocal,
    Internet,
    /// Drop the traffic.
    None,
}

/// A network virtual appliance (firewall, router) that forwards traffic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Nva {
    pub id: NvaId,
    pub name: String,
    pub subnet: SubnetId,
    #[serde(deserialize_with = "address::deserialize")]
    pub ip: IpAddr,
}
