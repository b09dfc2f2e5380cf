//! Azure region names and ExpressRoute peering locations, with their geopolitical areas (as the
//! ExpressRoute locations article groups them). A location missing here keeps its own name and
//! no geography, and the import says so.

use crate::model::{Azure, Site, SiteId, SiteKind, SiteRole};

/// (location as the API writes it, display name, geography).
const REGIONS: &[(&str, &str, &str)] = &[
    ("eastasia", "East Asia", "Asia Pacific"),
    ("southeastasia", "Southeast Asia", "Asia Pacific"),
    ("australiaeast", "Australia East", "Australia"),
    ("australiasoutheast", "Australia Southeast", "Australia"),
    ("australiacentral", "Australia Central", "Australia"),
    ("japaneast", "Japan East", "Japan"),
    ("japanwest", "Japan West", "Japan"),
    ("koreacentral", "Korea Central", "Korea"),
    ("koreasouth", "Korea South", "Korea"),
    ("centralindia", "Central India", "India"),
    ("southindia", "South India", "India"),
    ("westindia", "West India", "India"),
    ("northeurope", "North Europe", "Europe"),
    ("westeurope", "West Europe", "Europe"),
    ("francecentral", "France Central", "Europe"),
    ("germanywestcentral", "Germany West Central", "Europe"),
    ("swedencentral", "Sweden Central", "Europe"),
    ("switzerlandnorth", "Switzerland North", "Europe"),
    ("norwayeast", "Norway East", "Europe"),
    ("italynorth", "Italy North", "Europe"),
    ("polandcentral", "Poland Central", "Europe"),
    ("spaincentral", "Spain Central", "Europe"),
    ("uksouth", "UK South", "Europe"),
    ("ukwest", "UK West", "Europe"),
    ("eastus", "East US", "North America"),
    ("eastus2", "East US 2", "North America"),
    ("centralus", "Central US", "North America"),
    ("northcentralus", "North Central US", "North America"),
    ("southcentralus", "South Central US", "North America"),
    ("westcentralus", "West Central US", "North America"),
    ("westus", "West US", "North America"),
    ("westus2", "West US 2", "North America"),
    ("westus3", "West US 3", "North America"),
    ("canadacentral", "Canada Central", "North America"),
    ("canadaeast", "Canada East", "North America"),
    ("brazilsouth", "Brazil South", "South America"),
    ("southafricanorth", "South Africa North", "Africa"),
    ("uaenorth", "UAE North", "Middle East"),
    ("qatarcentral", "Qatar Central", "Middle East"),
    ("israelcentral", "Israel Central", "Middle East"),
];

/// (peering location, geography).
const PEERING_LOCATIONS: &[(&str, &str)] = &[
    ("Hong Kong", "Asia Pacific"),
    ("Hong Kong2", "Asia Pacific"),
    ("Singapore", "Asia Pacific"),
    ("Singapore2", "Asia Pacific"),
    ("Taipei", "Asia Pacific"),
    ("Jakarta", "Asia Pacific"),
    ("Kuala Lumpur", "Asia Pacific"),
    ("Bangkok", "Asia Pacific"),
    ("Sydney", "Australia"),
    ("Melbourne", "Australia"),
    ("Canberra", "Australia"),
    ("Tokyo", "Japan"),
    ("Tokyo2", "Japan"),
    ("Osaka", "Japan"),
    ("Seoul", "Korea"),
    ("Busan", "Korea"),
    ("Mumbai", "India"),
    ("Chennai", "India"),
    ("Pune", "India"),
    ("Amsterdam", "Europe"),
    ("Amsterdam2", "Europe"),
    ("Dublin", "Europe"),
    ("Frankfurt", "Europe"),
    ("London", "Europe"),
    ("London2", "Europe"),
    ("Paris", "Europe"),
    ("Stockholm", "Europe"),
    ("Zurich", "Europe"),
    ("Madrid", "Europe"),
    ("Milan", "Europe"),
    ("Oslo", "Europe"),
    ("Washington DC", "North America"),
    ("Chicago", "North America"),
    ("Dallas", "North America"),
    ("Silicon Valley", "North America"),
    ("Seattle", "North America"),
    ("New York", "North America"),
    ("Toronto", "North America"),
    ("Sao Paulo", "South America"),
    ("Johannesburg", "Africa"),
    ("Dubai", "Middle East"),
];

fn squeeze(text: &str) -> String {
    text.chars().filter(|character| !character.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

/// The display name and geography of a region given as `eastasia` or `East Asia`.
pub fn region(location: &str) -> Option<(&'static str, &'static str)> {
    let wanted = squeeze(location);
    REGIONS.iter().find(|(name, _, _)| *name == wanted).map(|(_, display, geography)| (*display, *geography))
}

/// The site of an Azure region given as `eastasia` or `East Asia`: named "Azure East Asia", with
/// its geography when drplan knows the region (else its own name and no geography).
pub fn region_site(id: SiteId, location: &str, role: SiteRole) -> Site {
    let (region, geography) = match region(location) {
        Some((display, geography)) => (display.to_owned(), Some(geography.to_owned())),
        None => (location.to_owned(), None),
    };
    Site { id, name: format!("Azure {region}"), kind: SiteKind::CloudRegion, role, region: Some(region), geography, azure: Azure::default(), position: None }
}

/// The API name of a region given either way (`East Asia` gives `eastasia`).
pub fn location_key(location: &str) -> String {
    squeeze(location)
}

/// The geography of an ExpressRoute peering location.
pub fn peering_geography(location: &str) -> Option<&'static str> {
    let wanted = squeeze(location);
    PEERING_LOCATIONS.iter().find(|(name, _)| squeeze(name) == wanted).map(|(_, geography)| *geography)
}
