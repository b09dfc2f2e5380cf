//! The plan's recovery group actions (ASR recovery plans' pre and post actions), edited under the
//! chosen scenario: each runs before or after one group, for the failover types and directions
//! ticked, as a manual step, a script on the VMM server or an Azure Automation runbook.

use std::num::NonZeroU32;

use super::text_row;
use crate::edit::Edit;
use crate::model::*;

fn kind_label(kind: &GroupActionKind) -> &'static str {
    match kind {
        GroupActionKind::Manual { .. } => "manual",
        GroupActionKind::Script { .. } => "script",
        GroupActionKind::AutomationRunbook { .. } => "automation runbook",
    }
}

/// Ticks for each value of a list where an empty list means all of them.
fn all_or_some_ui<T: Copy + PartialEq>(ui: &mut egui::Ui, label: &str, chosen: &mut Vec<T>, options: &[(T, &str)]) -> bool {
    let mut changed = false;
    ui.label(label);
    ui.horizontal_wrapped(|ui| {
        for (option, text) in options {
            let mut on = chosen.is_empty() || chosen.contains(option);
            if ui.checkbox(&mut on, *text).changed() {
                let mut now: Vec<T> = options.iter().map(|(value, _)| *value).filter(|value| chosen.is_empty() || chosen.contains(value)).collect();
                if on {
                    now.push(*option)
                } else {
                    now.retain(|value| value != option)
                }
                // All ticked is stored as "all"; none ticked keeps the last one, so the action
                // never silently runs nowhere.
                *chosen = if now.len() == options.len() || now.is_empty() {
                    Vec::new()
                } else {
                    options.iter().map(|(value, _)| *value).filter(|value| now.contains(value)).collect()
                };
                changed = true;
            }
        }
    });
    ui.end_row();
    changed
}

/// Lists the plan's group actions to edit; returns the edit when one changed.
pub fn group_actions_ui(ui: &mut egui::Ui, plan: &Plan) -> Option<Edit> {
    let mut actions = plan.group_actions.clone();
    let mut changed = false;
    let mut remove = None;
    egui::CollapsingHeader::new(format!("Group actions ({})", actions.len())).id_salt("group-actions").default_open(false).show(ui, |ui| {
        ui.label(egui::RichText::new("Run before or after a recovery group, in every scenario of the types and directions ticked.").small().weak());
        for (index, action) in actions.iter_mut().enumerate() {
            ui.separator();
            super::grid(ui, &format!("group-action-{index}"), |ui| {
                changed |= text_row(ui, "Action", &mut action.name);
                ui.label("Group");
                let mut group = action.group.get();
                if ui.add(egui::DragValue::new(&mut group).range(1..=u32::MAX)).changed() {
                    action.group = NonZeroU32::new(group).unwrap_or(NonZeroU32::MIN);
                    changed = true;
                }
                ui.end_row();
                changed |= super::combo(
                    ui,
                    &format!("group-action-when-{index}"),
                    "Runs",
                    &mut action.when,
                    &[(ActionTiming::Before, "before the group fails over"), (ActionTiming::After, "after it, before verifying")],
                );
                ui.label("Kind");
                egui::ComboBox::from_id_salt(("group-action-kind", index)).selected_text(kind_label(&action.kind)).show_ui(ui, |ui| {
                    let text = match &action.kind {
                        GroupActionKind::Manual { instructions } => instructions.clone(),
                        GroupActionKind::Script { path } => path.clone(),
                        GroupActionKind::AutomationRunbook { runbook } => runbook.clone(),
                    };
                    for kind in [
                        GroupActionKind::Manual { instructions: text.clone() },
                        GroupActionKind::Script { path: text.clone() },
                        GroupActionKind::AutomationRunbook { runbook: text.clone() },
                    ] {
                        let label = kind_label(&kind);
                        if ui.selectable_label(kind_label(&action.kind) == label, label).clicked() && kind_label(&action.kind) != label {
                            action.kind = kind;
                            changed = true;
                        }
                    }
                });
                ui.end_row();
                changed |= match &mut action.kind {
                    GroupActionKind::Manual { instructions } => text_row(ui, "Instructions", instructions),
                    GroupActionKind::Script { path } => text_row(ui, "Script path", path),
                    GroupActionKind::AutomationRunbook { runbook } => text_row(ui, "Runbook", runbook),
                };
                changed |= all_or_some_ui(
                    ui,
                    "Types",
                    &mut action.failover_types,
                    &[(FailoverType::Planned, "planned"), (FailoverType::Unplanned, "unplanned"), (FailoverType::Test, "test")],
                );
                changed |= all_or_some_ui(ui, "Directions", &mut action.directions, &[(Direction::Failover, "failover"), (Direction::Failback, "failback")]);
            });
            if ui.button("Remove this action").clicked() {
                remove = Some(index);
            }
        }
        if ui.button("+ Group action").clicked() {
            actions.push(GroupAction {
                name: "New action".to_owned(),
                group: NonZeroU32::MIN,
                when: ActionTiming::After,
                kind: GroupActionKind::Manual { instructions: String::new() },
                failover_types: Vec::new(),
                directions: Vec::new(),
            });
            changed = true;
        }
    });
    if let Some(index) = remove {
        actions.remove(index);
        changed = true;
    }
    changed.then_some(Edit::SetGroupActions(actions))
}
