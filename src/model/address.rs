//! IP addresses as a plan file writes them: one canonical form. A dotted IPv4 part with a
//! leading zero (`010.1.1.4`, `10.001.1.0/24`) is refused in addresses and prefixes alike, with
//! one message: some tools read such a part as octal (010 is 8), so the same text would name
//! different addresses in different tools.

use std::fmt;
use std::net::IpAddr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

/// The message for an address or prefix with a leading zero in a dotted part, or None.
pub fn leading_zero(text: &str) -> Option<String> {
    let address = text.split('/').next().unwrap_or(text);
    // What every address of a plan file passes first: no part of the address starts with a zero
    // followed by a digit, so no dotted part is zero-led (a load reads 160,000 of them at
    // 100,000 prefixes).
    let bytes = address.as_bytes();
    let part_starts_zero_led =
        |at: usize| bytes[at] == b'0' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) && (at == 0 || matches!(bytes[at - 1], b'.' | b':'));
    if !(0..bytes.len()).any(part_starts_zero_led) {
        return None;
    }
    let dotted = address.rsplit(':').next().unwrap_or(address);
    let zero_led = |part: &str| part.len() > 1 && part.starts_with('0') && part.bytes().all(|byte| byte.is_ascii_digit());
    if !dotted.contains('.') || !dotted.split('.').any(zero_led) {
        return None;
    }
    let canonical: Vec<String> = dotted
        .split('.')
        .map(|part| if zero_led(part) { part.trim_start_matches('0').to_owned() } else { part.to_owned() })
        .map(|part| if part.is_empty() { "0".to_owned() } else { part })
        .collect();
    let suggestion = text.replacen(dotted, &canonical.join("."), 1);
    Some(format!("`{text}` has a part with a leading zero, which some tools read as octal: write `{suggestion}`"))
}

/// An address in its canonical form: no leading zeros in dotted parts.
pub fn parse(text: &str) -> Result<IpAddr, String> {
    if let Some(message) = leading_zero(text) {
        return Err(message);
    }
    text.parse().map_err(|_| format!("`{text}` is not an IP address: write one such as 10.1.1.4 or fd00::4"))
}

/// `#[serde(deserialize_with = "address::deserialize")]` for an address field.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<IpAddr, D::Error> {
    deserializer.deserialize_str(Parsed(parse))
}

/// The same for an optional address field.
pub fn deserialize_option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<IpAddr>, D::Error> {
    Option::<Address>::deserialize(deserializer).map(|address| address.map(|Address(address)| address))
}

/// An address field's value, for `deserialize_option`.
struct Address(IpAddr);

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer).map(Address)
    }
}

/// A string value read by `parse` where it lies, without a copy of its text (serde's `Cow<str>`
/// is always a copy): what addresses and prefixes are read with.
pub struct Parsed<F>(pub F);

impl<'de, T, E: fmt::Display, F: FnOnce(&str) -> Result<T, E>> Visitor<'de> for Parsed<F> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<Error: de::Error>(self, text: &str) -> Result<T, Error> {
        (self.0)(text).map_err(Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_zeros_are_refused_with_the_canonical_form() {
        assert_eq!(parse("010.1.1.4").unwrap_err(), "`010.1.1.4` has a part with a leading zero, which some tools read as octal: write `10.1.1.4`");
        assert_eq!(
            leading_zero("010.001.001.000/24").unwrap(),
            "`010.001.001.000/24` has a part with a leading zero, which some tools read as octal: write `10.1.1.0/24`"
        );
        assert!(leading_zero("::ffff:10.01.1.1").is_some(), "an IPv4 tail of an IPv6 address too");
        for fine in ["10.1.1.4", "0.0.0.0/0", "10.0.0.0/8", "fd00:0db8::1", "192.168.100.0/24"] {
            assert_eq!(leading_zero(fine), None, "{fine}");
        }
        assert_eq!(parse("10.1.1.300").unwrap_err(), "`10.1.1.300` is not an IP address: write one such as 10.1.1.4 or fd00::4");
    }
}
