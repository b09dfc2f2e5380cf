//! Where each Azure resource a recovery plan's scripts touch lives: its name when the plan gives
//! one, its resource group and subscription (its own, else those of its network, circuit or
//! site), and the site whose resource group stands in when none is known.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{AzureIdentity, Link, Network, PlanIndex};

/// An Azure resource of the plan, by the display name the recovery plan's steps use.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AzurePlace {
    /// The resource name the plan gives; none means the scripts derive one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
    /// The site whose resource group the scripts ask for when none is known.
    pub site: String,
}

/// Every resource of the plan by display name; the first element to use a display name keeps it.
pub fn azure_places(index: &PlanIndex) -> BTreeMap<String, AzurePlace> {
    let plan = index.plan;
    let mut places = BTreeMap::new();
    let mut add = |display: String, identity: AzureIdentity, site: &str| {
        places.entry(display).or_insert(AzurePlace {
            name: identity.name,
            resource_group: identity.resource_group,
            subscription: identity.subscription,
            site: site.to_owned(),
        });
    };
    let site_of = |network: &Network| index.site(&network.site);
    let network_identity = |network: &Network| {
        let site = site_of(network).map(|site| site.azure.clone()).unwrap_or_default();
        network.azure.or_defaults(&site)
    };
    let site_name = |network: &Network| site_of(network).map_or_else(|| network.site.to_string(), |site| site.name.clone());
    let unnamed = |identity: &AzureIdentity| AzureIdentity { name: None, ..identity.clone() };
    for network in &plan.networks {
        let identity = network_identity(network);
        let site = site_name(network);
        add(network.name.clone(), identity.clone(), &site);
        for gateway in &network.gateways {
            let gateway_identity = gateway.azure.or_defaults(&identity);
            add(format!("{} ip", gateway.name), unnamed(&gateway_identity), &site);
            add(gateway.name.clone(), gateway_identity, &site);
        }
        for table in &network.route_tables {
            add(table.name.clone(), table.azure.or_defaults(&identity), &site);
        }
    }
    for circuit in &plan.circuits {
        let site = index.site(&circuit.site);
        let defaults = site.map(|site| site.azure.clone()).unwrap_or_default();
        add(circuit.name.clone(), circuit.azure.or_defaults(&defaults), &site.map_or_else(|| circuit.site.to_string(), |site| site.name.clone()));
    }
    for connection in &plan.connections {
        let Some(from) = index.network(&connection.from) else { continue };
        add(connection.name.clone(), connection.azure.or_defaults(&network_identity(from)), &site_name(from));
        // The other half of a VNet-to-VNet connection or a peering lives with the other network.
        if let Link::SiteToSiteVpn { to } | Link::VnetPeering { to, .. } = &connection.link
            && let Some(to) = index.network(to)
        {
            add(format!("{} (return)", connection.name), unnamed(&network_identity(to)), &site_name(to));
        }
    }
    for machine in &plan.machines {
        let network = index.network_of_subnet(&machine.subnet);
        let defaults = network.map(network_identity).unwrap_or_default();
        add(machine.name.clone(), machine.azure.or_defaults(&defaults), &network.map(site_name).unwrap_or_default());
    }
    places
}
