//! File → Export… (Ctrl+E): one dialog for every diagram export, as `drplan diagram` writes them:
//! the view (before, after, both, or the steps), the formats (SVG, PNG, PDF, draw.io), the PNG
//! scale or a 16:9 slide, the machines, and the folder. The choices are remembered between uses
//! and runs, and the status line names every file written.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::*;
use crate::export::diagram::{self, ExportFormat, ExportView};

/// The export choices, as remembered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportSettings {
    pub view: ExportView,
    pub formats: Vec<ExportFormat>,
    /// PNG pixels per diagram unit.
    pub scale: f32,
    /// Every page on a 16:9 slide instead of the drawing's own size.
    pub slide: bool,
    pub machines: bool,
    /// The folder last exported into.
    pub folder: Option<PathBuf>,
}

impl Default for ExportSettings {
    fn default() -> Self {
        Self { view: ExportView::After, formats: vec![ExportFormat::Svg, ExportFormat::Png], scale: 1.0, slide: false, machines: false, folder: None }
    }
}

/// The Export dialog while it is open.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportDialog {
    pub settings: ExportSettings,
    pub folder_text: String,
    pub problem: Option<String>,
}

impl DrPlanApp {
    pub(super) fn open_export_dialog(&mut self) {
        let settings = self.prefs.export.clone();
        let folder = settings
            .folder
            .clone()
            .or_else(|| self.document_folder().map(|folder| folder.join("diagrams")))
            .unwrap_or_else(|| file_dialog::default_folder().join("diagrams"));
        self.export_dialog = Some(ExportDialog { settings, folder_text: folder.display().to_string(), problem: None });
    }

    /// Writes what the dialog asks for; the files written, or why not.
    pub fn export_as_asked(&mut self, settings: &ExportSettings, folder: &Path) -> Result<Vec<PathBuf>, String> {
        if settings.formats.is_empty() {
            return Err("Choose at least one format.".to_owned());
        }
        self.refresh_rehearsal_now();
        let plan = &self.document.plan;
        let rehearsal = self.rehearsal.current.as_ref();
        let scenario = rehearsal.and_then(|rehearsal| plan.scenario(&rehearsal.recovery.scenario));
        // Indexed for a rehearsal only, as the command line does, from the tables the document
        // keeps.
        let index = rehearsal.map(|_| self.document.index());
        let rehearsal = scenario.zip(rehearsal).zip(index.as_ref()).map(|((scenario, rehearsal), index)| diagram::ScenarioOutcome {
            scenario,
            outcome: &rehearsal.outcome,
            index,
        });
        if rehearsal.is_none() && settings.view != ExportView::Before {
            return Err("Choose a failover scenario for this view.".to_owned());
        }
        let request = diagram::ExportRequest {
            view: settings.view,
            formats: settings.formats.clone(),
            scale: settings.scale,
            page: settings.slide.then_some(diagram::SLIDE_16_9),
            options: diagram::Options { machines: settings.machines, date: diagram::Date::today_utc() },
        };
        let plan_file = self.document.path.clone().unwrap_or_else(|| PathBuf::from("untitled.drplan.json"));
        let written = diagram::export(plan, &plan_file, rehearsal, &request, folder).map_err(|error| error.to_string())?;
        Ok(written.into_iter().map(|file| file.path).collect())
    }

    pub(super) fn export_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(mut dialog) = self.export_dialog.take() else { return };
        let has_scenario = self.scenario.is_some();
        let path_dialog_open = self.path_dialog.is_some();
        let (mut export, mut cancel, mut choose) = (false, false, false);
        egui::Modal::new(egui::Id::new("export-dialog")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Export diagrams");
            let settings = &mut dialog.settings;
            egui::Grid::new("export-grid").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                ui.label("View");
                ui.horizontal(|ui| {
                    for view in ExportView::ALL {
                        let enabled = has_scenario || view == ExportView::Before;
                        ui.add_enabled_ui(enabled, |ui| ui.radio_value(&mut settings.view, view, view.name()));
                    }
                });
                ui.end_row();
                ui.label("Formats");
                ui.horizontal(|ui| {
                    for format in ExportFormat::ALL {
                        let mut on = settings.formats.contains(&format);
                        if ui.checkbox(&mut on, format.label()).changed() {
                            settings.formats.retain(|known| *known != format);
                            if on {
                                settings.formats.push(format);
                            }
                        }
                    }
                });
                ui.end_row();
                ui.label("Size");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut settings.slide, false, "The drawing's own, PNG scale");
                    ui.add_enabled(!settings.slide, egui::DragValue::new(&mut settings.scale).range(0.25..=4.0).speed(0.05));
                    ui.radio_value(&mut settings.slide, true, "16:9 slide");
                });
                ui.end_row();
                ui.label("Machines");
                ui.checkbox(&mut settings.machines, "Draw each machine in its subnet");
                ui.end_row();
                ui.label("Folder");
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut dialog.folder_text).desired_width(300.0));
                    choose = ui.button("Choose…").clicked();
                });
                ui.end_row();
            });
            if !has_scenario {
                ui.label(egui::RichText::new("Choose a failover scenario (Scenario menu) for the after, both and steps views.").weak());
            }
            if let Some(problem) = &dialog.problem {
                ui.add(egui::Label::new(egui::RichText::new(problem).color(ui.visuals().warn_fg_color)).wrap());
            }
            ui.horizontal(|ui| {
                export = ui.button("Export").clicked();
                // Escape is the folder dialog's while it is open over this one.
                let escape = !path_dialog_open && ui.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
                cancel = ui.button("Cancel").clicked() || escape;
            });
        });
        if cancel {
            return;
        }
        if choose {
            self.export_dialog = Some(dialog);
            self.choose(file_dialog::Purpose::ExportFolder);
            return;
        }
        if export {
            let folder = PathBuf::from(dialog.folder_text.trim());
            let result = if folder.is_absolute() { self.export_as_asked(&dialog.settings, &folder) } else { Err("Type a whole folder path.".to_owned()) };
            match result {
                Ok(files) => {
                    let names: Vec<String> = files.iter().filter_map(|file| file.file_name()).map(|name| name.to_string_lossy().into_owned()).collect();
                    self.status = format!("Wrote {} in {}", names.join(", "), folder.display());
                    self.prefs.export = ExportSettings { folder: Some(folder), ..dialog.settings };
                    return;
                }
                Err(problem) => dialog.problem = Some(problem),
            }
        }
        self.export_dialog = Some(dialog);
    }
}
