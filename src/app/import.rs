//! Starting from what exists, in the window: File → Import Azure… builds a new plan from Azure
//! JSON (files, or a folder of them) and shows what it made, skipped and guessed; Scenario →
//! Propose recovery side… runs `mirror` on the plan as one undo step and shows what it could not
//! decide. The work is the core's (`import`, `mirror`); this is only the window around it.

use std::path::{Path, PathBuf};

use super::{DrPlanApp, Pending};
use crate::app::document::Document;
use crate::import::{self, AzureOptions};
use crate::mirror::{self, AddressSpace, MirrorOptions};
use crate::model::{SiteId, SiteRole};

/// A window of text the user reads and closes: what an import or a proposal made.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub title: String,
    pub text: String,
}

/// The choices of Propose recovery side.
#[derive(Clone, Debug, PartialEq)]
pub struct MirrorDialog {
    pub from: Option<SiteId>,
    pub to: Option<SiteId>,
    /// None keeps the address space; Some(n) adds n to the second octet.
    pub offset: Option<u8>,
}

/// The JSON files a chosen path stands for: the file, or the `.json` files of a folder.
pub fn files_of(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_owned()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|entries| {
            entries.filter_map(Result::ok).map(|entry| entry.path()).filter(|file| file.extension().is_some_and(|extension| extension == "json")).collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The findings of the document's plan as it stands, from the validation the document already
/// ran (a large plan's may still be running).
fn findings_line(document: &Document) -> String {
    if document.is_validating() {
        return "Findings: being checked (see the findings panel).".to_owned();
    }
    let report = &document.report;
    let count = |severity| report.findings.iter().filter(|finding| finding.severity == severity).count();
    format!(
        "Findings: {} errors, {} warnings, {} info (see the findings panel).",
        count(crate::validate::Severity::Error),
        count(crate::validate::Severity::Warning),
        count(crate::validate::Severity::Info)
    )
}

impl DrPlanApp {
    /// Asks (about unsaved changes first) to replace the plan with an import of `files`.
    pub(super) fn import_files(&mut self, files: Vec<PathBuf>) {
        if files.is_empty() {
            self.status = "The folder holds no .json file to import.".to_owned();
            return;
        }
        self.ask_then(Pending::ImportAzure(files));
    }

    /// Builds a new, unsaved plan from Azure JSON, and shows what the import made of it.
    pub(super) fn import_azure(&mut self, files: &[PathBuf]) {
        let options = AzureOptions { name: "Imported Azure estate".to_owned(), primary: None, recovery: None };
        match import::read_inputs(files).and_then(|inputs| import::azure(&inputs, &options)) {
            Ok(imported) => {
                self.discard_recovery();
                self.document = Document::unsaved(imported.plan);
                let findings = findings_line(&self.document);
                self.after_replacing();
                self.status = format!("Imported {} file{}; the plan is not saved yet", files.len(), if files.len() == 1 { "" } else { "s" });
                self.report = Some(Report { title: "Import summary".to_owned(), text: format!("{}{findings}", imported.summary.text()) });
            }
            Err(error) => {
                self.status = format!("Nothing imported: {error}");
                self.report = Some(Report { title: "Import failed".to_owned(), text: error.to_string() });
            }
        }
    }

    /// Opens Propose recovery side, from the primary site to the recovery site.
    pub(super) fn open_mirror_dialog(&mut self) {
        let site = |role: SiteRole| self.document.plan.sites.iter().find(|site| site.role == role).map(|site| site.id.clone());
        self.mirror_dialog = Some(MirrorDialog { from: site(SiteRole::Primary), to: site(SiteRole::Recovery), offset: None });
    }

    /// Proposes the recovery side as one undo step, and shows what it made and left undecided.
    fn propose(&mut self, dialog: &MirrorDialog) {
        let (Some(from), Some(to)) = (&dialog.from, &dialog.to) else { return };
        let address_space = dialog.offset.map_or(AddressSpace::Same, AddressSpace::Offset);
        match mirror::mirror(&self.document.plan, &MirrorOptions { from: from.to_string(), to: to.to_string(), address_space }) {
            Ok(mirrored) => {
                let created: Vec<String> = mirrored.created.iter().map(|(what, count)| format!("{count} {what}")).collect();
                let mut text = format!("Created: {}\n", created.join(", "));
                if !mirrored.findings.is_empty() {
                    text.push_str("Not decided:\n");
                    for finding in &mirrored.findings {
                        text.push_str(&format!("  {finding}\n"));
                    }
                }
                if let Err(error) = self.document.restore(mirrored.plan) {
                    self.status = format!("Propose recovery side made a plan drplan could not reopen, so it was not applied: {error}");
                    return;
                }
                text.push_str(&findings_line(&self.document));
                self.scenario = self.document.plan.scenarios.last().map(|scenario| scenario.id.clone());
                self.canvas.fit_pending = true;
                self.status = "Proposed the recovery side (Ctrl+Z takes it back)".to_owned();
                self.report = Some(Report { title: "Recovery side proposed".to_owned(), text });
            }
            Err(error) => self.status = error.to_string(),
        }
    }

    /// Propose recovery side: the two sites and the address space.
    pub(super) fn mirror_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(mut dialog) = self.mirror_dialog.clone() else { return };
        let (mut propose, mut close) = (false, false);
        egui::Window::new("Propose recovery side").collapsible(false).resizable(false).anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO).show(ctx, |ui| {
            ui.label("For every network of the source site without a recovery network: a network with the same subnets, gateways to deploy at failover, route tables, the mapping, the machines' targets by Site Recovery's rules, the recovery side's connections (prepared) and a full-region scenario.");
            let sites: Vec<(SiteId, String)> = self.document.plan.sites.iter().map(|site| (site.id.clone(), site.name.clone())).collect();
            let combo = |ui: &mut egui::Ui, label: &str, value: &mut Option<SiteId>| {
                ui.label(label);
                let shown = value.as_ref().and_then(|id| sites.iter().find(|(site, _)| site == id)).map_or("(choose)", |(_, name)| name.as_str());
                egui::ComboBox::from_id_salt(("mirror", label)).selected_text(shown).show_ui(ui, |ui| {
                    for (id, name) in &sites {
                        ui.selectable_value(value, Some(id.clone()), name);
                    }
                });
                ui.end_row();
            };
            egui::Grid::new("mirror-grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
                combo(ui, "From site", &mut dialog.from);
                combo(ui, "To site", &mut dialog.to);
                ui.label("Address space");
                ui.horizontal(|ui| {
                    let mut same = dialog.offset.is_none();
                    if ui.radio_value(&mut same, true, "the same").clicked() {
                        dialog.offset = None;
                    }
                    if ui.radio_value(&mut same, false, "offset").clicked() && dialog.offset.is_none() {
                        dialog.offset = Some(100);
                    }
                    if let Some(offset) = &mut dialog.offset {
                        ui.add(egui::DragValue::new(offset).range(1..=255)).on_hover_text("Added to the second octet: 10.1.0.0/24 with 100 becomes 10.101.0.0/24");
                    }
                });
                ui.end_row();
            });
            let ready = dialog.from.is_some() && dialog.to.is_some() && dialog.from != dialog.to;
            ui.horizontal(|ui| {
                propose = ui.add_enabled(ready, egui::Button::new("Propose")).clicked();
                close = ui.button("Cancel").clicked() || ui.input(|input| input.key_pressed(egui::Key::Escape));
            });
        });
        if propose {
            self.mirror_dialog = None;
            self.propose(&dialog);
        } else if close {
            self.mirror_dialog = None;
        } else {
            self.mirror_dialog = Some(dialog);
        }
    }

    /// The window of an import's or a proposal's report, until closed.
    pub(super) fn report_ui(&mut self, ctx: &egui::Context) {
        let Some(report) = &self.report else { return };
        let mut close = false;
        egui::Window::new(report.title.clone()).collapsible(false).default_width(560.0).anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO).show(ctx, |ui| {
            egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                ui.add(egui::Label::new(egui::RichText::new(&report.text).monospace()).wrap());
            });
            close = ui.button("Close").clicked() || ui.input(|input| input.key_pressed(egui::Key::Escape));
        });
        if close {
            self.report = None;
        }
    }
}
