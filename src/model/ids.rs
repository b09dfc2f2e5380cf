//! Typed element ids: a reference to a site cannot be passed where a network is meant.
//!
//! Ids are short strings chosen by the author (`net-source-vnet`), unique across the whole plan,
//! so that plan files stay readable and diff cleanly. An id of up to 24 bytes is stored inside
//! the element (`CompactString`), so comparing or hashing ids, and copying a plan, touches no
//! other memory.

use std::fmt;

use compact_str::CompactString;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What kind of element an id names: what a finding points at, what an edit adds or deletes,
/// what the canvas selects and frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    Site,
    Network,
    Subnet,
    Machine,
    Circuit,
    Connection,
    Gateway,
    Nva,
    Scenario,
}

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident => $kind:literal),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(#[schemars(with = "String")] pub CompactString);

        impl $name {
            /// What this id refers to, in words, for messages ("network").
            pub const KIND: &'static str = $kind;

            pub fn new(id: impl Into<CompactString>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.into())
            }
        }
    )*};
}

id_type! {
    /// Id of a [`super::Site`].
    SiteId => "site",
    /// Id of a [`super::Network`].
    NetworkId => "network",
    /// Id of a [`super::Subnet`].
    SubnetId => "subnet",
    /// Id of a [`super::Machine`].
    MachineId => "machine",
    /// Id of a [`super::Circuit`].
    CircuitId => "ExpressRoute circuit",
    /// Id of a [`super::Connection`].
    ConnectionId => "connection",
    /// Id of a [`super::Gateway`].
    GatewayId => "gateway",
    /// Id of a [`super::Nva`].
    NvaId => "network virtual appliance",
    /// Id of a [`super::RouteTable`].
    RouteTableId => "route table",
    /// Id of a [`super::Scenario`].
    ScenarioId => "failover scenario",
}
