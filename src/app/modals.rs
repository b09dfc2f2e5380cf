//! The dialogs that wait for an answer: unsaved changes, and a recovery copy to restore.

use super::*;

impl DrPlanApp {
    pub(super) fn modals_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(action) = self.pending.clone() {
            let mut answer = None;
            egui::Modal::new(egui::Id::new("unsaved")).show(ctx, |ui| {
                ui.heading("Unsaved changes");
                ui.label(format!("\"{}\" has changes that are not saved.", self.document.plan.name));
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        answer = Some(1);
                    }
                    if ui.button("Discard").clicked() {
                        answer = Some(2);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(0);
                    }
                });
            });
            match answer {
                Some(1) => {
                    self.pending = None;
                    self.save_then(Some(action));
                }
                Some(2) => {
                    self.pending = None;
                    self.carry_out(action);
                }
                Some(_) => self.pending = None,
                None => {}
            }
            if self.quit_confirmed {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        if self.recovery_offer.is_some() && self.pending.is_none() {
            egui::Modal::new(egui::Id::new("recovery")).show(ctx, |ui| {
                ui.heading("Restore unsaved changes?");
                ui.label("drplan found a recovery copy with changes that were not saved, probably because it closed unexpectedly.");
                ui.horizontal(|ui| {
                    for command in [Command::RestoreRecovery, Command::DiscardRecovery] {
                        if ui.button(command.text()).clicked() {
                            commands.push(command);
                        }
                    }
                });
            });
        }
    }
}
