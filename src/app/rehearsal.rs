//! The before/after view of a failover scenario: the network before and after it drawn as the
//! exported diagrams draw them, side by side with one zoom and pan; the scenario's properties,
//! its differences and recovery plan in the side panel; and the exports of the recovery plan.

use std::path::{Path, PathBuf};

use egui::RichText;

use super::*;
use crate::edit::Element;
use crate::export::diagram::Marks;
use crate::plan::RecoveryPlan;
use crate::simulate::Outcome;

/// A simulation of the chosen scenario, for the revision of the plan it was made from.
pub struct Rehearsal {
    revision: u64,
    scenario: ScenarioId,
    pub outcome: Outcome,
    pub recovery: RecoveryPlan,
}

/// The before/after view as the app keeps it between frames.
#[derive(Default)]
pub struct RehearsalView {
    pub current: Option<Rehearsal>,
    before: CanvasCache,
    after: CanvasCache,
    /// One view for both panes, so they zoom and pan together.
    pub view: View,
    pub fit_pending: bool,
    pub pane_size: egui::Vec2,
}

impl DrPlanApp {
    pub(super) fn refresh_rehearsal(&mut self) {
        let Some(id) = self.scenario.clone() else {
            self.rehearsal.current = None;
            return;
        };
        let current = self.rehearsal.current.as_ref().is_some_and(|rehearsal| rehearsal.revision == self.document.revision && rehearsal.scenario == id);
        if current {
            return;
        }
        let plan = &self.document.plan;
        let Some(scenario) = plan.scenario(&id) else {
            self.rehearsal.current = None;
            return;
        };
        match crate::simulate::simulate(plan, scenario) {
            Ok(outcome) => {
                let recovery = crate::plan::recovery_plan(plan, scenario, &outcome);
                self.rehearsal.current = Some(Rehearsal { revision: self.document.revision, scenario: id, outcome, recovery });
                self.rehearsal.before.built_for = None;
                self.rehearsal.after.built_for = None;
            }
            Err(error) => {
                self.status = error.to_string();
                self.rehearsal.current = None;
            }
        }
    }

    pub(super) fn before_after_ui(&mut self, ui: &mut egui::Ui) {
        self.refresh_rehearsal();
        let machines = self.prefs.show_machines;
        let view = &mut self.rehearsal;
        let Some(rehearsal) = &view.current else {
            ui.label("Choose a failover scenario to see the network before and after it.");
            return;
        };
        let wanted = Some((rehearsal.revision, machines));
        if view.before.built_for != wanted {
            // Before: the plan as it is. After: what the failover changed, marked and numbered.
            view.before = CanvasCache::build(&rehearsal.outcome.before, None, None, machines);
            view.before.built_for = wanted;
            let marks = Marks::from_outcome(&rehearsal.outcome);
            view.after = CanvasCache::build(&rehearsal.outcome.after, None, Some(&marks), machines);
            view.after.built_for = wanted;
            view.fit_pending = true;
        }
        let shared = &mut view.view;
        let (before, after) = (&view.before, &view.after);
        let fit_pending = &mut view.fit_pending;
        let pane_size = &mut view.pane_size;
        ui.columns(2, |columns| {
            for (column, (heading, cache)) in columns.iter_mut().zip([("Before", before), ("After", after)]) {
                column.label(RichText::new(heading).strong());
                *pane_size = column.available_size();
                if *fit_pending {
                    let content = before.bounds().union(after.bounds());
                    shared.fit(content, *pane_size);
                }
                canvas::pane_ui(column, cache, shared, MIN_TEXT_PX);
            }
        });
        *fit_pending = false;
    }

    /// The chosen scenario's properties, and a button for a new scenario.
    pub(super) fn scenario_editor_ui(&mut self, ui: &mut egui::Ui) -> Option<Edit> {
        ui.heading("Scenario");
        let mut edit = None;
        if ui.button("+ Scenario").clicked() {
            edit = self.new_scenario();
        }
        let plan = &self.document.plan;
        if let Some(scenario) = self.scenario.as_ref().and_then(|id| plan.scenario(id)).cloned() {
            edit = edit.or_else(|| inspector::scenario_ui(ui, plan, scenario));
        }
        ui.separator();
        edit
    }

    /// A new full-site failover from the primary site to the recovery site, chosen; none (and
    /// why in the status line) when the plan has no sites.
    pub(super) fn new_scenario(&mut self) -> Option<Edit> {
        let plan = &self.document.plan;
        let from = plan.sites.iter().find(|site| site.role == SiteRole::Primary).or(plan.sites.first());
        let to = plan.sites.iter().find(|site| site.role == SiteRole::Recovery).or(plan.sites.last());
        let (Some(from), Some(to)) = (from, to) else {
            self.status = "Add sites first".to_owned();
            return None;
        };
        let id = ScenarioId::new(crate::edit::fresh_id(plan, "scn"));
        let scenario = Scenario {
            id: id.clone(),
            name: format!("Scenario {}", plan.scenarios.len() + 1),
            description: String::new(),
            scope: Scope::FullSite,
            failover_type: FailoverType::Unplanned,
            direction: Direction::Failover,
            from_site: from.id.clone(),
            to_site: to.id.clone(),
            test_network: None,
            recovery_point: None,
            data_sync: None,
        };
        self.scenario = Some(id);
        Some(Edit::Add(Element::Scenario(scenario)))
    }

    /// A copy of the chosen scenario under a new id, chosen.
    pub(super) fn duplicate_scenario(&mut self) -> Option<Edit> {
        let plan = &self.document.plan;
        let mut copy = self.scenario.as_ref().and_then(|id| plan.scenario(id))?.clone();
        copy.id = ScenarioId::new(crate::edit::fresh_id(plan, "scn"));
        copy.name = format!("{} (copy)", copy.name);
        self.scenario = Some(copy.id.clone());
        Some(Edit::Add(Element::Scenario(copy)))
    }

    /// Differences and recovery plan steps of the chosen scenario.
    pub(super) fn rehearsal_ui(&mut self, ui: &mut egui::Ui) {
        self.refresh_rehearsal();
        let Some(rehearsal) = &self.rehearsal.current else {
            ui.label("Choose a failover scenario.");
            return;
        };
        ui.heading("Differences");
        for (index, difference) in rehearsal.outcome.differences.iter().enumerate() {
            ui.label(format!("{}. {}", index + 1, crate::simulate::describe(difference, &rehearsal.outcome.before)));
        }
        ui.separator();
        ui.heading("Recovery plan");
        ui.label(format!("Estimated RTO: {}", crate::export::duration_text(rehearsal.recovery.estimated_rto_secs)));
        for group in &rehearsal.recovery.groups {
            if group.number > 0 {
                let names = group.machines.iter().map(|machine| machine.name.as_str()).collect::<Vec<_>>().join(", ");
                ui.label(RichText::new(format!("Group {}: {names}", group.number)).strong());
            }
            for step in group.before.iter().chain(&group.after) {
                ui.label(format!("{}. {} ({})", step.number, step.title, crate::export::duration_text(step.duration_secs)));
            }
        }
    }

    /// Writes the recovery plan into `directory` (made if missing) and says so.
    pub(super) fn export_runbook_into(&mut self, directory: &Path) {
        self.status = match std::fs::create_dir_all(directory).map_err(|error| format!("Cannot make {}: {error}", directory.display())) {
            Ok(()) => match self.export_recovery_plan(directory) {
                Ok(count) => format!("Wrote {count} files to {}", directory.display()),
                Err(error) => error,
            },
            Err(error) => error,
        };
    }

    /// Writes the before and after diagrams into `directory` (made if missing), naming each file.
    pub(super) fn export_diagrams_into(&mut self, directory: &Path) {
        self.status = match std::fs::create_dir_all(directory).map_err(|error| format!("Cannot make {}: {error}", directory.display())) {
            Ok(()) => match self.export_diagrams(directory) {
                Ok(files) => {
                    let names: Vec<String> = files.iter().filter_map(|file| file.file_name()).map(|name| name.to_string_lossy().into_owned()).collect();
                    format!("Wrote {} to {}", names.join(", "), directory.display())
                }
                Err(error) => error,
            },
            Err(error) => error,
        };
    }

    /// Writes the chosen scenario's recovery plan with its before/after diagrams; returns how
    /// many files were written.
    pub fn export_recovery_plan(&mut self, directory: &Path) -> Result<usize, String> {
        let diagrams = self.export_diagrams(directory)?;
        let names: Vec<String> = diagrams.iter().filter_map(|path| path.file_name()).map(|name| name.to_string_lossy().into_owned()).collect();
        let Some(rehearsal) = &self.rehearsal.current else { return Err("Choose a failover scenario first".to_owned()) };
        let files = crate::export::write_plan(&rehearsal.recovery, directory, &names).map_err(|error| error.to_string())?;
        Ok(files.len() + diagrams.len())
    }

    /// Writes the before and after diagrams of the chosen scenario as SVG and PNG, the same
    /// files `drplan diagram` writes.
    pub fn export_diagrams(&mut self, directory: &Path) -> Result<Vec<PathBuf>, String> {
        use crate::export::diagram;
        self.refresh_rehearsal();
        let rehearsal = self.rehearsal.current.as_ref().ok_or("Choose a failover scenario first")?;
        let plan = &self.document.plan;
        let scenario = plan.scenario(&rehearsal.scenario).ok_or("Choose a failover scenario first")?;
        let stem = self.document.path.as_deref().map_or_else(|| "untitled".to_owned(), diagram::plan_stem);
        let options = diagram::Options { machines: self.prefs.show_machines, date: diagram::Date::today_utc() };
        let mut written = Vec::new();
        for view in [diagram::View::Before, diagram::View::After] {
            let svg = diagram::svg(plan, Some(diagram::Rehearsal { scenario, outcome: &rehearsal.outcome }), view, &options)
                .map_err(|error| error.to_string())?;
            let files = diagram::write(&svg, &[diagram::Format::Svg, diagram::Format::Png], 1.0, directory, &stem, view)
                .map_err(|error| error.to_string())?;
            written.extend(files.into_iter().map(|file| file.path));
        }
        Ok(written)
    }
}
