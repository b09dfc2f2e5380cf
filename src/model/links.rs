//! What joins networks: ExpressRoute circuits, connections between networks or to a circuit, and
//! the mappings of source networks to their recovery networks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Azure, CircuitId, ConnectionId, NetworkId, Point, SiteId};

/// A private ExpressRoute circuit from an on-premises site through a provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Circuit {
    pub id: CircuitId,
    pub name: String,
    /// The on-premises site the circuit serves.
    pub site: SiteId,
    /// Peering location, for example "Hong Kong".
    pub peering_location: String,
    /// Geopolitical area of the peering location, for example "Asia Pacific".
    pub geography: String,
    pub bandwidth_mbps: u32,
    /// The Premium add-on reaches regions in other geopolitical areas.
    pub premium: bool,
    /// Azure resource name, resource group and subscription, where known.
    #[serde(default, skip_serializing_if = "Azure::is_empty")]
    pub azure: Azure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Point>,
}

/// A link from a network to another network or to an ExpressRoute circuit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub id: ConnectionId,
    pub name: String,
    pub from: NetworkId,
    pub link: Link,
    pub state: ConnectionState,
    /// Azure resource name, resource group and subscription, where known.
    #[serde(default, skip_serializing_if = "Azure::is_empty")]
    pub azure: Azure,
}

impl Connection {
    /// The network at the far end, for links between two networks.
    pub fn to_network(&self) -> Option<&NetworkId> {
        match &self.link {
            Link::SiteToSiteVpn { to } | Link::StretchedVlan { to } => Some(to),
            Link::VnetPeering { to, .. } => Some(to),
            Link::ExpressRoute { .. } => None,
        }
    }

    /// Both networks, for links between two networks.
    pub fn network_pair(&self) -> Option<(&NetworkId, &NetworkId)> {
        self.to_network().map(|to| (&self.from, to))
    }

    pub fn circuit(&self) -> Option<&CircuitId> {
        match &self.link {
            Link::ExpressRoute { circuit } => Some(circuit),
            _ => None,
        }
    }

    pub fn is_active(&self) -> bool {
        self.state == ConnectionState::Active
    }
}

/// What kind of link a connection is, and what it joins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Link {
    SiteToSiteVpn {
        to: NetworkId,
    },
    /// A VNet peering: two peering links, each with its own settings.
    VnetPeering {
        to: NetworkId,
        /// Settings of the peering from `from` to `to`.
        from_side: PeeringSettings,
        /// Settings of the peering from `to` back to `from`.
        to_side: PeeringSettings,
    },
    /// The network's ExpressRoute gateway connected to a circuit (private peering).
    ExpressRoute {
        circuit: CircuitId,
    },
    /// A VLAN stretched at layer 2 across both sites.
    StretchedVlan {
        to: NetworkId,
    },
}

impl Link {
    pub fn kind(&self) -> LinkKind {
        match self {
            Self::SiteToSiteVpn { .. } => LinkKind::SiteToSiteVpn,
            Self::VnetPeering { .. } => LinkKind::VnetPeering,
            Self::ExpressRoute { .. } => LinkKind::ExpressRoute,
            Self::StretchedVlan { .. } => LinkKind::StretchedVlan,
        }
    }

    /// The connection type in a sentence ("site-to-site VPN").
    pub fn label(&self) -> &'static str {
        self.kind().label()
    }
}

/// A connection type without its ends: what the recovery plan and its scripts decide by, and
/// what the canvas offers when the user joins two elements. Written out as its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum LinkKind {
    #[serde(rename = "site-to-site VPN")]
    SiteToSiteVpn,
    #[serde(rename = "VNet peering")]
    VnetPeering,
    #[serde(rename = "ExpressRoute")]
    ExpressRoute,
    #[serde(rename = "stretched VLAN")]
    StretchedVlan,
}

impl std::fmt::Display for LinkKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl LinkKind {
    pub const ALL: [LinkKind; 4] = [Self::SiteToSiteVpn, Self::VnetPeering, Self::ExpressRoute, Self::StretchedVlan];

    /// In a sentence: "site-to-site VPN".
    pub fn label(self) -> &'static str {
        match self {
            Self::SiteToSiteVpn => "site-to-site VPN",
            Self::VnetPeering => "VNet peering",
            Self::ExpressRoute => "ExpressRoute",
            Self::StretchedVlan => "stretched VLAN",
        }
    }

    /// As a list entry or a title: "Site-to-site VPN".
    pub fn title(self) -> &'static str {
        match self {
            Self::SiteToSiteVpn => "Site-to-site VPN",
            Self::StretchedVlan => "Stretched VLAN",
            other => other.label(),
        }
    }
}

/// The four settings of one side of a VNet peering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeeringSettings {
    pub allow_virtual_network_access: bool,
    pub allow_forwarded_traffic: bool,
    pub allow_gateway_transit: bool,
    pub use_remote_gateways: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// Connected now.
    Active,
    /// Planned: to be established during failover.
    Prepared,
}

/// Which source network fails over into which recovery network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkMapping {
    pub source: NetworkId,
    pub target: NetworkId,
}
