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
