//! The dialogs that wait for an answer: unsaved changes, a recovery copy to restore, and a file
//! another program changed since it was opened.

use super::*;

impl DrPlanApp {
    pub(super) fn modals_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(action) = self.pending.clone() {
            let text = format!("\"{}\" has changes that are not saved.", self.document.plan.name);
            let answer = question_ui(ctx, "Unsaved changes", &text, &[("Cancel", ""), ("Save", ""), ("Discard", "")]);
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
            let text = format!(
                "Another program saved \"{}\" after drplan opened it, so drplan did not replace it: that would lose the other changes.",
                path.display()
            );
            let answer = question_ui(
                ctx,
                "The file changed on disk",
                &text,
                &[
                    ("Cancel", ""),
                    ("Reload from disk", "Open the file as it is now; your unsaved changes are discarded"),
                    ("Save As…", "Keep both: save your version under another name"),
                ],
            );
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

/// A modal question: its heading, its text and a row of buttons (label, tooltip or ""); the
/// index of the button clicked this frame. The first button is the one that changes nothing.
fn question_ui(ctx: &egui::Context, heading: &str, text: &str, buttons: &[(&str, &str)]) -> Option<usize> {
    let mut answer = None;
    egui::Modal::new(egui::Id::new(heading)).show(ctx, |ui| {
        ui.heading(heading);
        ui.label(text);
        ui.horizontal(|ui| {
            // The choices that act first, the one that changes nothing last.
            for (index, (label, tooltip)) in buttons.iter().enumerate().skip(1).chain(buttons.iter().enumerate().take(1)) {
                let button = ui.button(*label);
                let button = if tooltip.is_empty() { button } else { button.on_hover_text(*tooltip) };
                if button.clicked() {
                    answer = Some(index);
                }
            }
        });
    });
    answer
}
