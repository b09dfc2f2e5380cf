//! The dialogs that wait for an answer: unsaved changes, a recovery copy to restore, and a file
//! another program changed since it was opened.

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
        if let Some(path) = self.changed_on_disk.clone() {
            let mut answer = None;
            egui::Modal::new(egui::Id::new("changed on disk")).show(ctx, |ui| {
                ui.heading("The file changed on disk");
                ui.label(format!(
                    "Another program saved \"{}\" after drplan opened it, so drplan did not replace it: that would lose the other changes.",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Reload from disk").on_hover_text("Open the file as it is now; your unsaved changes are discarded").clicked() {
                        answer = Some(1);
                    }
                    if ui.button("Save As…").on_hover_text("Keep both: save your version under another name").clicked() {
                        answer = Some(2);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(0);
                    }
                });
            });
            match answer {
                Some(1) => {
                    // The user chose the file on disk over their changes: their recovery copy goes too.
                    self.changed_on_disk = None;
                    self.discard_recovery();
                    self.open(&path);
                }
                Some(2) => {
                    self.changed_on_disk = None;
                    commands.push(Command::SaveAs);
                }
                Some(_) => self.changed_on_disk = None,
                None => {}
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
