//! The machine inspector's subnet lists (the subnet a machine is in, the one it fails over
//! into): every subnet of the plan, named with its network and prefix, and a filter to find one
//! among tens of thousands.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::*;

/// How many rows the list shows at once.
const ROWS_IN_VIEW: f32 = 16.0;

/// A row of the list: "network / subnet prefix".
pub(super) fn subnet_text(plan: &Plan, subnet: &Subnet) -> String {
    let network = plan.network(&subnet.network).map_or("", |network| network.name.as_str());
    format!("{network} / {} {}", subnet.name, subnet.prefix)
}

/// The subnet `value` as a grid row with a list to choose another; true when one was chosen.
pub(super) fn subnet_choice_ui(ui: &mut egui::Ui, plan: &Plan, revision: u64, id: &str, label: &str, value: &mut SubnetId) -> bool {
    ui.label(label);
    let mut changed = false;
    let selected = plan.subnet(value).map_or(value.to_string(), |subnet| subnet_text(plan, subnet));
    let row_height = ui.spacing().interact_size.y;
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .width(220.0)
        // Room for the filter and the rows in view (the list scrolls within them).
        .height(row_height * (ROWS_IN_VIEW + 2.0))
        // A click in the filter must not close the list; choosing a row closes it.
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            let filter_id = egui::Id::new(("subnet-filter", id));
            let mut filter: String = ui.data(|data| data.get_temp(filter_id)).unwrap_or_default();
            let field = ui.add(egui::TextEdit::singleline(&mut filter).hint_text("Filter: network, subnet or prefix").desired_width(f32::INFINITY));
            if field.changed() {
                ui.data_mut(|data| data.insert_temp(filter_id, filter.clone()));
            }
            // Typing goes to the filter as soon as the list opens (it was not shown the pass
            // before), as in a quick pick.
            let (shown_id, pass) = (filter_id.with("shown at"), ui.ctx().cumulative_pass_nr());
            let last_shown: Option<u64> = ui.data(|data| data.get_temp(shown_id));
            ui.data_mut(|data| data.insert_temp(shown_id, pass));
            if last_shown.is_none_or(|last| last + 1 < pass) {
                field.request_focus();
            }
            let matching = matching_subnets(ui, plan, revision, filter_id, &filter);
            let count = matching.as_ref().map_or(plan.subnets.len(), |matching| matching.len());
            if count == 0 {
                ui.label(egui::RichText::new("No subnet matches.").weak());
            }
            // Only the rows in view are made: a large plan has tens of thousands of subnets,
            // and a frame that named them all took seconds.
            egui::ScrollArea::vertical().max_height(row_height * ROWS_IN_VIEW).show_rows(ui, row_height, count, |ui, rows| {
                for row in rows {
                    let position = matching.as_ref().map_or(Some(row), |matching| matching.get(row).copied());
                    let Some(subnet) = position.and_then(|position| plan.subnets.get(position)) else { continue };
                    changed |= ui.selectable_value(value, subnet.id.clone(), subnet_text(plan, subnet)).changed();
                }
            });
            if changed {
                ui.data_mut(|data| data.remove::<String>(filter_id));
                ui.close();
            }
        });
    ui.end_row();
    changed
}

/// The positions of the subnets whose network, name or prefix contains `filter` (in any case),
/// or None for no filter. Made once per filter and revision of the plan and kept with the list:
/// at 100k prefixes going through 81,000 subnets takes tens of milliseconds.
fn matching_subnets(ui: &egui::Ui, plan: &Plan, revision: u64, filter_id: egui::Id, filter: &str) -> Option<Arc<Vec<usize>>> {
    let filter = filter.trim().to_lowercase();
    if filter.is_empty() {
        return None;
    }
    let kept_id = filter_id.with("matching");
    if let Some((made_at, made_for, matching)) = ui.data(|data| data.get_temp::<(u64, String, Arc<Vec<usize>>)>(kept_id))
        && made_at == revision
        && made_for == filter
    {
        return Some(matching);
    }
    let network_names: HashMap<&str, String> = plan.networks.iter().map(|network| (network.id.as_str(), network.name.to_lowercase())).collect();
    let matching: Vec<usize> = plan
        .subnets
        .iter()
        .enumerate()
        .filter(|(_, subnet)| {
            subnet.name.to_lowercase().contains(&filter)
                || subnet.prefix.to_string().contains(&filter)
                || network_names.get(subnet.network.as_str()).is_some_and(|name| name.contains(&filter))
        })
        .map(|(position, _)| position)
        .collect();
    let matching = Arc::new(matching);
    ui.data_mut(|data| data.insert_temp(kept_id, (revision, filter, Arc::clone(&matching))));
    Some(matching)
}
