//! Where an element lives in Azure: its resource name, resource group and subscription. Every
//! part is optional; a site's (or a circuit's) resource group and subscription are the defaults of
//! what it holds, and scripts derive a valid name from the display name when none is given.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An element's Azure identity, as far as the architect knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AzureIdentity {
    /// The Azure resource name (letters, digits, `_`, `.`, `-`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    /// Subscription id or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
}

impl AzureIdentity {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.resource_group.is_none() && self.subscription.is_none()
    }

    /// This identity with the resource group and subscription of `defaults` where it has none.
    pub fn or_defaults(&self, defaults: &AzureIdentity) -> AzureIdentity {
        AzureIdentity {
            name: self.name.clone(),
            resource_group: self.resource_group.clone().or_else(|| defaults.resource_group.clone()),
            subscription: self.subscription.clone().or_else(|| defaults.subscription.clone()),
        }
    }
}

/// An element's Azure identity, boxed when given and nothing when not: most elements of a large
/// plan give none, and held inline the identity's 72 bytes made every machine, network and
/// connection that much larger (5 MB at 100k prefixes). It reads as an `AzureIdentity`, empty
/// when none is given, and is written and described (JSON schema) as one.
#[derive(Clone, Debug, Default)]
pub struct Azure(Option<Box<AzureIdentity>>);

/// The identity of an element that gives none.
static NO_IDENTITY: AzureIdentity = AzureIdentity { name: None, resource_group: None, subscription: None };

impl Azure {
    /// True when no part of the identity is given.
    pub fn is_empty(&self) -> bool {
        self.0.as_deref().is_none_or(AzureIdentity::is_empty)
    }

    /// The identity to change, made (empty) if none was given.
    pub fn to_mut(&mut self) -> &mut AzureIdentity {
        self.0.get_or_insert_with(Box::default)
    }
}

impl std::ops::Deref for Azure {
    type Target = AzureIdentity;

    fn deref(&self) -> &AzureIdentity {
        self.0.as_deref().unwrap_or(&NO_IDENTITY)
    }
}

impl From<AzureIdentity> for Azure {
    fn from(identity: AzureIdentity) -> Self {
        Self((!identity.is_empty()).then(|| Box::new(identity)))
    }
}

/// Equal when they read the same: an identity emptied in the inspector is none given.
impl PartialEq for Azure {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Azure {}

impl Serialize for Azure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Azure {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        AzureIdentity::deserialize(deserializer).map(Self::from)
    }
}

impl JsonSchema for Azure {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        AzureIdentity::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        AzureIdentity::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        AzureIdentity::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> AzureIdentity {
        AzureIdentity { name: Some(name.to_owned()), ..AzureIdentity::default() }
    }

    /// None given and an empty one read, compare and are written alike (skipped by the elements,
    /// `{}` alone); a given one reads as itself.
    #[test]
    fn an_identity_reads_as_itself_and_an_empty_one_as_none_given() {
        let none = Azure::default();
        let emptied = Azure::from(AzureIdentity::default());
        assert!(none.is_empty() && emptied.is_empty());
        assert_eq!(none, emptied);
        assert_eq!(serde_json::to_string(&emptied).unwrap(), "{}");
        let given = Azure::from(named("vm-db01"));
        assert_eq!(given.name.as_deref(), Some("vm-db01"));
        assert_ne!(given, none);
        assert_eq!(serde_json::to_string(&given).unwrap(), r#"{"name":"vm-db01"}"#);
        let read: Azure = serde_json::from_str(r#"{"resource_group":"rg-dr"}"#).unwrap();
        assert_eq!(read.resource_group.as_deref(), Some("rg-dr"));
        assert!(serde_json::from_str::<Azure>(r#"{"group":"rg-dr"}"#).is_err(), "unknown fields are refused as before");
    }
}
