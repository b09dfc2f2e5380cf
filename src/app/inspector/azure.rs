//! The Azure identity of an element, in the inspector: name, resource group and subscription,
//! each left empty when unknown (the scripts then derive a name, or ask for the site's group).

use super::text_row;
use crate::model::Azure;

fn optional_row(ui: &mut egui::Ui, label: &str, value: &mut Option<String>) -> bool {
    let mut text = value.clone().unwrap_or_default();
    let changed = text_row(ui, label, &mut text);
    if changed {
        let trimmed = text.trim();
        *value = (!trimmed.is_empty()).then(|| trimmed.to_owned());
    }
    changed
}

/// A collapsed "Azure" section; `what` says what the defaults are, `named` whether the element
/// has a resource name of its own (a site has none).
pub fn azure_ui(ui: &mut egui::Ui, id: &str, azure: &mut Azure, named: bool, what: &str) -> bool {
    let mut identity = (**azure).clone();
    let mut changed = false;
    egui::CollapsingHeader::new("Azure").id_salt(("azure", id)).default_open(!identity.is_empty()).show(ui, |ui| {
        ui.label(egui::RichText::new(what).small().weak());
        super::grid(ui, &format!("azure-grid-{id}"), |ui| {
            if named {
                changed |= optional_row(ui, "Resource name", &mut identity.name);
            }
            changed |= optional_row(ui, "Resource group", &mut identity.resource_group);
            changed |= optional_row(ui, "Subscription", &mut identity.subscription);
        });
    });
    if changed {
        // An identity emptied field by field is none given.
        *azure = Azure::from(identity);
    }
    changed
}
