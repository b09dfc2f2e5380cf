//! The menu bar and the toolbar. Every entry is a [`Command`] with its text and shortcut; the
//! toolbar fits a 1000-pixel window and puts what does not fit in its "More" menu.

use egui::RichText;

use super::*;

/// Toolbar buttons that make room in a narrow window: below this width they move into "More".
const WIDE_TOOLBAR: f32 = 1180.0;

impl DrPlanApp {
    fn menu_item(ui: &mut egui::Ui, command: Command, commands: &mut Vec<Command>, enabled: bool) {
        let mut button = egui::Button::new(command.text());
        if let Some(shortcut) = command.shortcut_text(ui.ctx()) {
            button = button.shortcut_text(shortcut);
        }
        if ui.add_enabled(enabled, button).clicked() {
            commands.push(command);
        }
    }

    fn check_item(ui: &mut egui::Ui, command: Command, checked: bool, commands: &mut Vec<Command>) {
        let mut button = egui::Button::new(command.text()).selected(checked);
        if let Some(shortcut) = command.shortcut_text(ui.ctx()) {
            button = button.shortcut_text(shortcut);
        }
        if ui.add(button).clicked() {
            commands.push(command);
        }
    }

    pub(super) fn menu_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let selected = !self.selection.is_empty();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                Self::menu_item(ui, Command::New, commands, true);
                Self::menu_item(ui, Command::Open, commands, true);
                ui.menu_button("Open recent", |ui| {
                    if self.prefs.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in &self.prefs.recent {
                        if ui.button(path.display().to_string()).clicked() {
                            commands.push(Command::OpenPath(path.clone()));
                        }
                    }
                });
                Self::menu_item(ui, Command::Save, commands, true);
                Self::menu_item(ui, Command::SaveAs, commands, true);
                ui.separator();
                Self::menu_item(ui, Command::ImportAzure, commands, true);
                ui.separator();
                Self::menu_item(ui, Command::ExportRunbook, commands, self.scenario.is_some());
                Self::menu_item(ui, Command::ExportDiagrams, commands, true);
                ui.separator();
                Self::menu_item(ui, Command::Quit, commands, true);
            });
            ui.menu_button("Edit", |ui| {
                Self::menu_item(ui, Command::Undo, commands, self.document.can_undo());
                Self::menu_item(ui, Command::Redo, commands, self.document.can_redo());
                ui.separator();
                Self::menu_item(ui, Command::Copy, commands, selected);
                Self::menu_item(ui, Command::Paste(None), commands, self.copied.is_some());
                Self::menu_item(ui, Command::Duplicate, commands, selected);
                Self::menu_item(ui, Command::Delete, commands, selected);
                ui.separator();
                Self::menu_item(ui, Command::SelectAll, commands, true);
                Self::menu_item(ui, Command::Deselect, commands, selected);
                Self::menu_item(ui, Command::Find, commands, true);
            });
            ui.menu_button("Add", |ui| self.add_items_ui(ui, commands));
            ui.menu_button("Scenario", |ui| self.scenario_menu_ui(ui, commands));
            ui.menu_button("View", |ui| {
                Self::menu_item(ui, Command::ZoomIn, commands, true);
                Self::menu_item(ui, Command::ZoomOut, commands, true);
                Self::menu_item(ui, Command::ActualSize, commands, true);
                Self::menu_item(ui, Command::FitView, commands, true);
                ui.separator();
                Self::check_item(ui, Command::ToggleSnap, self.prefs.snap, commands);
                Self::check_item(ui, Command::ToggleMachines, self.prefs.show_machines, commands);
                Self::check_item(ui, Command::ToggleBeforeAfter, self.before_after, commands);
                Self::menu_item(ui, Command::Present, commands, self.scenario.is_some());
                ui.separator();
                let dark = ui.visuals().dark_mode;
                if ui.button(if dark { "Light theme" } else { "Dark theme" }).clicked() {
                    ui.ctx().set_theme(if dark { egui::Theme::Light } else { egui::Theme::Dark });
                }
            });
        });
    }

    /// New, duplicate, delete and pick a failover scenario, and rehearse the one picked.
    fn scenario_menu_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let chosen = self.scenario.is_some();
        Self::menu_item(ui, Command::NewScenario, commands, !self.document.plan.sites.is_empty());
        Self::menu_item(ui, Command::DuplicateScenario, commands, chosen);
        Self::menu_item(ui, Command::DeleteScenario, commands, chosen);
        Self::menu_item(ui, Command::ProposeRecoverySide, commands, self.document.plan.sites.len() >= 2);
        ui.separator();
        if self.document.plan.scenarios.is_empty() {
            ui.label("No scenario yet");
        }
        for scenario in &self.document.plan.scenarios {
            if ui.radio(self.scenario.as_ref() == Some(&scenario.id), &scenario.name).clicked() {
                commands.push(Command::PickScenario(scenario.id.clone()));
            }
        }
        ui.separator();
        Self::check_item(ui, Command::ToggleBeforeAfter, self.before_after, commands);
        Self::menu_item(ui, Command::Present, commands, chosen);
    }

    fn add_items_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        for command in [
            Command::AddSite(SiteRole::Primary),
            Command::AddSite(SiteRole::Recovery),
            Command::AddSite(SiteRole::Third),
            Command::Add(ElementKind::Network),
            Command::Add(ElementKind::Subnet),
            Command::Add(ElementKind::Machine),
            Command::Add(ElementKind::Circuit),
        ] {
            if ui.button(command.text()).clicked() {
                commands.push(command);
            }
        }
    }

    /// The elements to add, the view's zoom, and the scenario to rehearse.
    pub(super) fn toolbar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let wide = ui.available_width() >= WIDE_TOOLBAR;
        ui.horizontal(|ui| {
            ui.label(RichText::new("Add").strong());
            let sites = [Command::AddSite(SiteRole::Primary), Command::AddSite(SiteRole::Recovery), Command::AddSite(SiteRole::Third)];
            let contents =
                [Command::Add(ElementKind::Network), Command::Add(ElementKind::Subnet), Command::Add(ElementKind::Machine), Command::Add(ElementKind::Circuit)];
            let shown: Vec<Command> =
                if wide { sites.iter().chain(&contents).cloned().collect() } else { sites[..1].iter().chain(&contents[..3]).cloned().collect() };
            for command in &shown {
                if ui.button(command.text()).clicked() {
                    commands.push(command.clone());
                }
            }
            if !wide {
                ui.menu_button("More ▾", |ui| {
                    for command in sites[1..].iter().chain(&contents[3..]) {
                        if ui.button(command.text()).clicked() {
                            commands.push(command.clone());
                        }
                    }
                });
            }
            ui.separator();
            let view = if self.before_after { self.rehearsal.view } else { self.canvas.view };
            if ui.button("−").on_hover_text("Zoom out (Ctrl+-)").clicked() {
                commands.push(Command::ZoomOut);
            }
            ui.label(view.percent()).on_hover_text("Canvas zoom");
            if ui.button("+").on_hover_text("Zoom in (Ctrl+=)").clicked() {
                commands.push(Command::ZoomIn);
            }
            if ui.button("Fit").on_hover_text("Fit the plan to the view (Ctrl+0)").clicked() {
                commands.push(Command::FitView);
            }
            let mut machines = self.prefs.show_machines;
            if ui.checkbox(&mut machines, "Machines").changed() {
                commands.push(Command::ToggleMachines);
            }
            ui.separator();
            let plan = &self.document.plan;
            let selected = self.scenario.as_ref().and_then(|id| plan.scenario(id)).map_or("(no scenario)".to_owned(), |scenario| scenario.name.clone());
            egui::ComboBox::from_id_salt("scenario").selected_text(selected).width(160.0).truncate().show_ui(ui, |ui| {
                for scenario in &plan.scenarios {
                    ui.selectable_value(&mut self.scenario, Some(scenario.id.clone()), &scenario.name);
                }
            });
            let mut before_after = self.before_after;
            if ui.toggle_value(&mut before_after, "Before / after").clicked() {
                commands.push(Command::ToggleBeforeAfter);
            }
        });
    }
}
