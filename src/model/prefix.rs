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

/// As `IpNet` writes it (`10.1.0.0/24`, `fd00::/64`). An IPv4 prefix is written without the
/// standard library's address formatter, which pads each octet: a large plan's diagram writes
/// 100,000 prefixes, and that formatter was about a twentieth of its export.
impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let IpNet::V4(net) = self.0 else { return self.0.fmt(f) };
        for (position, octet) in net.addr().octets().into_iter().enumerate() {
            if position > 0 {
                f.write_str(".")?;
            }
            f.write_str(itoa::Buffer::new().format(octet))?;
        }
        f.write_str("/")?;
        f.write_str(itoa::Buffer::new().format(net.prefix_len()))
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
        serializer.collect_str(self)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_written_as_ipnet_writes_it() {
        let mut written =
            vec!["0.0.0.0/0", "255.255.255.255/32", "10.1.0.0/16", "192.168.0.1/24", "fd00::/64", "2001:db8::1/128", "::/0", "::ffff:10.0.0.0/104"];
        // Every octet value in every place and every length, by a walk through the addresses.
        let mut state = 7u32;
        let generated: Vec<String> = (0..20_000)
            .map(|step| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let address = std::net::Ipv4Addr::from(if step < 256 { u32::from_be_bytes([step as u8; 4]) } else { state });
                format!("{address}/{}", step % 33)
            })
            .collect();
        written.extend(generated.iter().map(String::as_str));
        for text in written {
            let net: IpNet = text.parse().expect("a prefix");
            assert_eq!(Prefix(net).to_string(), net.to_string());
            assert_eq!(Prefix(net).to_string(), text);
        }
    }
}
