//! The Azure names and resource groups the scripts use. A name the plan gives is used as is;
//! otherwise one is derived deterministically from the display name: Azure names allow letters,
//! digits, `_`, `.` and `-`, start with a letter or digit and do not end with `.` or `-`, and
//! two display names that would give one name are told apart by a number. A resource group the
//! plan does not give is a parameter of the script, one per site.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::export::quote::{powershell, shell};
use crate::recovery::AzurePlace;

/// The Azure names a plan's scripts use, with the display names they stand for.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct AzureNames {
    /// (display name, Azure name), in the order first used.
    pub mapping: Vec<(String, String)>,
    /// Names the plan gives, by display name.
    given: BTreeMap<String, String>,
    /// The position in `mapping` of each display name asked for.
    known: FxHashMap<String, usize>,
    /// Every Azure name used: given, or derived so far.
    used: FxHashSet<String>,
}

/// An Azure resource name for a display name (see [`AzureNames`]), at most 64 characters.
pub fn azure_name(display: &str) -> String {
    let mut name = String::with_capacity(display.len());
    for character in display.chars() {
        let kept = if character.is_ascii_alphanumeric() || matches!(character, '_' | '.' | '-') { character } else { '-' };
        if !(kept == '-' && name.ends_with('-')) {
            name.push(kept);
        }
    }
    let name: String = name.trim_start_matches(|character: char| !character.is_ascii_alphanumeric()).chars().take(64).collect();
    let name = name.trim_end_matches(['.', '-']).to_owned();
    if name.is_empty() { "resource".to_owned() } else { name }
}

impl AzureNames {
    /// Names that use the plan's own names where it gives them.
    pub fn with_given(places: &BTreeMap<String, AzurePlace>) -> Self {
        let given: BTreeMap<String, String> = places.iter().filter_map(|(display, place)| place.name.clone().map(|name| (display.clone(), name))).collect();
        let used = given.values().cloned().collect();
        Self { mapping: Vec::new(), given, known: FxHashMap::default(), used }
    }

    /// Whether the plan gives this display name's Azure name.
    pub fn is_given(&self, display: &str) -> bool {
        self.given.contains_key(display)
    }

    /// The Azure name of a display name, the same every time it is asked for.
    pub fn of(&mut self, display: &str) -> String {
        if let Some(&position) = self.known.get(display) {
            return self.mapping[position].1.clone();
        }
        let name = match self.given.get(display) {
            Some(given) => given.clone(),
            None => {
                let base = azure_name(display);
                (1..)
                    .map(|number| if number == 1 { base.clone() } else { format!("{base}-{number}") })
                    .find(|candidate| !self.used.contains(candidate))
                    .unwrap_or(base)
            }
        };
        self.known.insert(display.to_owned(), self.mapping.len());
        self.used.insert(name.clone());
        self.mapping.push((display.to_owned(), name.clone()));
        name
    }
}

/// Where a resource's resource group comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceGroup {
    /// The plan names it.
    Named(String),
    /// A parameter of the script stands for this site's resource group.
    OfSite(String),
}

impl ResourceGroup {
    pub fn of(places: &BTreeMap<String, AzurePlace>, display: &str) -> Self {
        match places.get(display) {
            Some(AzurePlace { resource_group: Some(group), .. }) => Self::Named(group.clone()),
            Some(place) => Self::OfSite(place.site.clone()),
            None => Self::OfSite("recovery site".to_owned()),
        }
    }

    /// The site's parameter name, in words: "Azure Southeast Asia" gives `AzureSoutheastAsia`.
    fn words(site: &str) -> Vec<String> {
        let words: Vec<String> = site.split(|character: char| !character.is_ascii_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_owned).collect();
        if words.is_empty() { vec!["Site".to_owned()] } else { words }
    }

    /// The PowerShell parameter for a site's resource group, without `$`.
    pub fn powershell_parameter(site: &str) -> String {
        let camel: String = Self::words(site).iter().map(|word| word[..1].to_ascii_uppercase() + &word[1..]).collect();
        format!("ResourceGroup{camel}")
    }

    /// The environment variable for a site's resource group.
    pub fn shell_variable(site: &str) -> String {
        format!("RESOURCE_GROUP_{}", Self::words(site).join("_").to_ascii_uppercase())
    }

    pub fn powershell(&self) -> String {
        match self {
            Self::Named(group) => powershell(group),
            Self::OfSite(site) => format!("${}", Self::powershell_parameter(site)),
        }
    }

    pub fn shell(&self) -> String {
        match self {
            Self::Named(group) => shell(group),
            Self::OfSite(site) => format!("\"${}\"", Self::shell_variable(site)),
        }
    }

    /// How the runbook's name table shows it.
    pub fn describe(&self) -> String {
        match self {
            Self::Named(group) => format!("`{}`", group.replace('`', "'")),
            Self::OfSite(site) => format!("parameter `{}` / `{}`", Self::powershell_parameter(site), Self::shell_variable(site)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_names_keep_what_azure_allows_and_tell_apart_names_that_would_collide() {
        assert_eq!(azure_name("Target vNet1 to Target Hub vNet (return)"), "Target-vNet1-to-Target-Hub-vNet-return");
        assert_eq!(azure_name("  -Hub.vnet_1 -- "), "Hub.vnet_1");
        assert_eq!(azure_name("***"), "resource");
        assert_eq!(azure_name(&"x".repeat(100)).len(), 64);
        let mut names = AzureNames::default();
        assert_eq!(names.of("a b"), "a-b");
        assert_eq!(names.of("a-b"), "a-b-2", "another display name that gives the same name");
        assert_eq!(names.of("a b"), "a-b", "the same display name, the same name");
    }

    #[test]
    fn a_name_the_plan_gives_is_used_and_a_derived_name_steers_clear_of_it() {
        let mut places = BTreeMap::new();
        places.insert("Hub".to_owned(), AzurePlace { name: Some("vnet-hub-prod".to_owned()), ..AzurePlace::default() });
        let mut names = AzureNames::with_given(&places);
        assert_eq!(names.of("vnet hub prod"), "vnet-hub-prod-2", "a derived name never takes a given one");
        assert_eq!(names.of("Hub"), "vnet-hub-prod");
        assert!(names.is_given("Hub") && !names.is_given("vnet hub prod"));
    }

    #[test]
    fn a_resource_group_is_the_plans_or_a_parameter_per_site() {
        let mut places = BTreeMap::new();
        places.insert("A".to_owned(), AzurePlace { resource_group: Some("rg-dr".to_owned()), site: "x".to_owned(), ..AzurePlace::default() });
        places.insert("B".to_owned(), AzurePlace { site: "Azure Southeast Asia".to_owned(), ..AzurePlace::default() });
        assert_eq!(ResourceGroup::of(&places, "A").shell(), "'rg-dr'");
        assert_eq!(ResourceGroup::of(&places, "B").powershell(), "$ResourceGroupAzureSoutheastAsia");
        assert_eq!(ResourceGroup::of(&places, "B").shell(), "\"$RESOURCE_GROUP_AZURE_SOUTHEAST_ASIA\"");
    }
}
