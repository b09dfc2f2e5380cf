//! An IPv4 or IPv6 prefix as written in a plan file ("10.1.0.0/16").
//!
//! A prefix with host bits set ("192.168.0.1/24") loads: it is a design mistake the validator
//! reports (`ADDR-CIDR-INVALID`) with the network address to use instead, not a broken file.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use ipnet::IpNet;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefix(pub IpNet);

impl Prefix {
    pub fn net(&self) -> IpNet {
        self.0
    }

    /// True when the address part has bits set beyond the prefix length.
    pub fn has_host_bits(&self) -> bool {
        self.0.addr() != self.0.network()
    }

    /// The same prefix with host bits cleared.
    pub fn network_prefix(&self) -> Prefix {
        Prefix(self.0.trunc())
    }

    /// True when the two prefixes share at least one address (host bits ignored, as
    /// `IpNet::contains` compares network and broadcast addresses).
    pub fn overlaps(&self, other: &Prefix) -> bool {
        self.0.contains(&other.0) || other.0.contains(&self.0)
    }

    /// True when `other` lies wholly inside this prefix (host bits ignored).
    pub fn contains_prefix(&self, other: &Prefix) -> bool {
        self.0.contains(&other.0)
    }

    pub fn contains_ip(&self, ip: &std::net::IpAddr) -> bool {
        self.0.contains(ip)
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why text is not a prefix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrefixParseError {
    #[error("`{text}` is not an IP prefix: write an address and a length, such as 10.1.0.0/16 or fd00::/48")]
    NotAPrefix { text: String },
    /// The same message as for an address with a leading zero (`model::address`).
    #[error("{0}")]
    LeadingZero(String),
}

impl FromStr for Prefix {
    type Err = PrefixParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(message) = super::address::leading_zero(text.trim()) {
            return Err(PrefixParseError::LeadingZero(message));
        }
        IpNet::from_str(text.trim()).map(Prefix).map_err(|_| PrefixParseError::NotAPrefix { text: text.to_owned() })
    }
}

impl From<IpNet> for Prefix {
    fn from(net: IpNet) -> Self {
        Self(net)
    }
}

impl Serialize for Prefix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Prefix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(super::address::Parsed(Prefix::from_str))
    }
}

impl JsonSchema for Prefix {
    fn schema_name() -> Cow<'static, str> {
        "Prefix".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "An IPv4 or IPv6 prefix in CIDR notation, such as 10.1.0.0/16 or fd00::/48.",
            "pattern": "^[0-9A-Fa-f:.]+/[0-9]{1,3}$"
        })
    }
}
