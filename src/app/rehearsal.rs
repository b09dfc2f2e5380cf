//! The before/after view of a failover scenario: the network before and after it drawn as the
//! exported diagrams draw them, side by side with one zoom and pan; the scenario's properties,
//! its differences and recovery plan in the side panel; and the exports of the recovery plan.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::RichText;

use super::document::LARGE_PLAN_PREFIXES;
use super::worker::{Polled, Worker, drop_elsewhere};
use super::*;
use crate::edit::Element;
use crate::export::diagram::{DifferenceElements, Marks, difference_elements};
use crate::recovery::RecoveryPlan;
use crate::simulate::Outcome;

/// A simulation of the chosen scenario, for the revision of the plan it was made from.
pub struct Rehearsal {
    revision: u64,
    scenario: ScenarioId,
    pub outcome: Outcome,
    pub recovery: RecoveryPlan,
    /// For each difference, the position of the recovery plan step that makes it.
    pub making: Vec<usize>,
    /// Each difference in words, made once with the rehearsal (the list is drawn every frame).
    pub descriptions: Vec<String>,
    /// The elements of each difference, outlined when it is chosen.
    pub elements: Vec<DifferenceElements>,
}

/// The before/after view as the app keeps it between frames.
pub struct RehearsalView {
    /// Shared, so that a presentation can make its steps from it on a worker.
    pub current: Option<Arc<Rehearsal>>,
    before: CanvasCache,
    after: CanvasCache,
    /// The view of both panes while they are linked (they zoom and pan together), else of the
    /// before pane.
    pub view: View,
    /// The after pane's own view while the panes are not linked.
    pub after_view: View,
    pub linked: bool,
    pub fit_pending: bool,
    pub pane_size: egui::Vec2,
    /// The difference clicked in the list (its index): its elements are outlined in both panes.
    pub chosen_difference: Option<usize>,
    /// Frame the chosen difference's elements at the next frame.
    frame_chosen: bool,
    /// Where the before and the after pane were on screen, with their views, in the last frame.
    panes: [(egui::Rect, View); 2],
    /// A large plan's rehearsal and its two panes being made on a worker (at 100k prefixes they
    /// take more than two seconds); `current` shows the older one meanwhile.
    making: Option<Worker<Made>>,
}

/// What the worker sends: a rehearsal with its before and after panes, or why there is none.
type Made = Result<(Rehearsal, CanvasCache, CanvasCache), String>;

impl RehearsalView {
    /// True while a rehearsal is being made on a worker.
    pub fn is_making(&self) -> bool {
        self.making.is_some()
    }

    /// Takes what the worker made, if it has sent it; `wait` waits for it.
    fn take_made(&mut self, wait: bool) -> Option<Made> {
        if wait {
            return self.making.take()?.wait();
        }
        match self.making.as_ref()?.poll() {
            Polled::Running => None,
            Polled::Done(made) => {
                self.making = None;
                Some(made)
            }
            Polled::Stopped => {
                self.making = None;
                None
            }
        }
    }
}

/// The rehearsal of scenario `id` of `plan` (at `revision`), or why it cannot be made.
fn rehearsal_of(plan: &Arc<Plan>, index: &PlanIndex, id: ScenarioId, revision: u64) -> Result<Rehearsal, String> {
    let scenario = plan.scenario(&id).ok_or_else(|| format!("scenario {id} is no longer in the plan"))?;
    // The outcome shares the document's plan as the network before, rather than a copy: an edit
    // copies it (`Arc::make_mut`) only while this rehearsal still holds it.
    let outcome = crate::simulate::simulate_shared(plan, index, scenario).map_err(|error| error.to_string())?;
    let recovery = crate::recovery::recovery_plan(index, scenario, &outcome);
    let making = crate::replay::steps_making(&outcome, &recovery);
    let descriptions = crate::simulate::describe_all(index, &outcome);
    let elements = difference_elements(&outcome);
    Ok(Rehearsal { revision, scenario: id, outcome, recovery, making, descriptions, elements })
}

/// The before and after panes of `rehearsal`: the network as it is, and what the failover
/// changed, marked and numbered. They are independent, so they are built on two cores.
fn panes_of(plan: &Plan, rehearsal: &Rehearsal, machines: bool) -> (CanvasCache, CanvasCache) {
    let marks = || match plan.scenario(&rehearsal.scenario) {
        Some(scenario) => Marks::of_scenario(scenario, &rehearsal.outcome),
        None => Marks::from_outcome(&rehearsal.outcome),
    };
    let (mut before, mut after) = rayon::join(
        || CanvasCache::build(&rehearsal.outcome.before, None, machines),
        || CanvasCache::build(&rehearsal.outcome.after, Some(&marks()), machines),
    );
    before.built_for = Some((rehearsal.revision, machines));
    after.built_for = before.built_for;
    (before, after)
}

impl Default for RehearsalView {
    fn default() -> Self {
        Self {
            current: None,
            before: CanvasCache::default(),
            after: CanvasCache::default(),
            view: View::default(),
            after_view: View::default(),
            linked: true,
            fit_pending: false,
            pane_size: egui::Vec2::ZERO,
            chosen_difference: None,
            frame_chosen: false,
            panes: [(egui::Rect::NOTHING, View::default()); 2],
            making: None,
        }
    }
}

impl DrPlanApp {
    /// Brings the rehearsal to the chosen scenario of the plan as it is. A large plan's is made
    /// with its two panes on a worker, the older one shown meanwhile; returns true while it is,
    /// for the caller to ask for a frame that picks it up. One is made at a time: edits made
    /// meanwhile are rehearsed by the one after it.
    pub(super) fn refresh_rehearsal(&mut self) -> bool {
        if let Some(made) = self.rehearsal.take_made(false) {
            self.adopt(made);
        }
        if self.rehearsal.is_making() {
            return true;
        }
        let Some(wanted) = self.wanted_rehearsal() else { return false };
        if self.document.plan.prefix_count() < LARGE_PLAN_PREFIXES {
            self.rehearse_now(wanted);
            return false;
        }
        let plan = Arc::clone(&self.document.plan);
        let (revision, id) = wanted;
        let machines = self.prefs.show_machines;
        self.rehearsal.making = Some(Worker::start(move || {
            let made = rehearsal_of(&plan, &PlanIndex::new(&plan), id, revision).map(|rehearsal| {
                let (before, after) = panes_of(&plan, &rehearsal, machines);
                (rehearsal, before, after)
            });
            // Let go of the plan first: once the rehearsal arrives, the next edit finds the plan
            // shared only with it.
            drop(plan);
            made
        }));
        true
    }

    /// Brings the rehearsal up to date and waits for it: what an export or a presentation needs.
    pub(super) fn refresh_rehearsal_now(&mut self) {
        if let Some(made) = self.rehearsal.take_made(true) {
            self.adopt(made);
        }
        if let Some(wanted) = self.wanted_rehearsal() {
            self.rehearse_now(wanted);
        }
    }

    /// The revision and scenario a rehearsal is wanted for, or None when the one there is up to
    /// date (or no scenario is chosen: then there is none).
    fn wanted_rehearsal(&mut self) -> Option<(u64, ScenarioId)> {
        let Some(id) = self.scenario.clone().filter(|id| self.document.plan.scenario(id).is_some()) else {
            self.rehearsal.current = None;
            return None;
        };
        let current = self.rehearsal_of_plan_as_it_is(&id).is_some();
        (!current).then_some((self.document.revision, id))
    }

    /// The rehearsal shown, when it is of scenario `id` of the plan as it is now.
    pub(super) fn rehearsal_of_plan_as_it_is(&self, id: &ScenarioId) -> Option<&Arc<Rehearsal>> {
        self.rehearsal.current.as_ref().filter(|rehearsal| rehearsal.revision == self.document.revision && rehearsal.scenario == *id)
    }

    /// Makes the rehearsal `wanted` here; its panes are built when the view draws them.
    fn rehearse_now(&mut self, (revision, id): (u64, ScenarioId)) {
        let index = self.document.index();
        let made = rehearsal_of(&self.document.plan, &index, id, revision).map(|rehearsal| (rehearsal, CanvasCache::default(), CanvasCache::default()));
        self.adopt(made);
    }

    /// Shows a rehearsal made here or on the worker.
    fn adopt(&mut self, made: Made) {
        match made {
            Ok((rehearsal, before, after)) => {
                self.rehearsal.current = Some(Arc::new(rehearsal));
                self.rehearsal.chosen_difference = None;
                drop_elsewhere((std::mem::replace(&mut self.rehearsal.before, before), std::mem::replace(&mut self.rehearsal.after, after)));
                self.rehearsal.fit_pending |= self.rehearsal.before.built_for.is_some();
            }
            Err(error) => {
                self.status = error;
                self.rehearsal.current = None;
            }
        }
    }

    pub(super) fn before_after_ui(&mut self, ui: &mut egui::Ui) {
        if self.refresh_rehearsal() {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(30));
        }
        let machines = self.prefs.show_machines;
        let view = &mut self.rehearsal;
        let Some(rehearsal) = &view.current else {
            ui.label(match view.is_making() {
                true => "Simulating the failover…",
                false => "Choose a failover scenario to see the network before and after it.",
            });
            return;
        };
        if view.before.built_for != Some((rehearsal.revision, machines)) {
            (view.before, view.after) = panes_of(&self.document.plan, rehearsal, machines);
            view.fit_pending = true;
        }
        let highlight: Vec<ElementKey> =
            view.chosen_difference.and_then(|index| rehearsal.elements.get(index)).map(|elements| elements.clone().all()).unwrap_or_default();
        let updating = view.is_making();
        ui.horizontal(|ui| {
            ui.checkbox(&mut view.linked, "Link the panes").on_hover_text("Pan and zoom both panes together");
            if updating {
                ui.label(RichText::new("Simulating the plan as edited…").weak());
            }
            if !highlight.is_empty() {
                ui.label(RichText::new("Outlined: the elements of the difference chosen on the right").weak());
            }
        });
        if !view.linked && view.fit_pending {
            view.after_view = view.view;
        }
        let (before, after) = (&view.before, &view.after);
        let (fit_pending, frame_chosen, linked) = (view.fit_pending, view.frame_chosen, view.linked);
        let pane_size = &mut view.pane_size;
        let panes = &mut view.panes;
        let (before_view, after_view) = (&mut view.view, &mut view.after_view);
        ui.columns(2, |columns| {
            let [left, right] = columns else { return };
            for (column, heading, cache) in [(left, "Before", before), (right, "After", after)] {
                column.label(RichText::new(heading).strong());
                *pane_size = column.available_size();
                let pane_view = if linked || heading == "Before" { &mut *before_view } else { &mut *after_view };
                if fit_pending && (heading == "Before" || !linked) {
                    pane_view.fit(before.bounds().union(after.bounds()), *pane_size);
                }
                let target = highlight.iter().filter_map(|key| cache.outline_of(key)).reduce(|all, rect| all.union(rect));
                if let Some(target) = target.filter(|_| frame_chosen && (heading == "After" || !linked)) {
                    pane_view.frame(target, *pane_size);
                }
                let drawn_at = canvas::pane_ui(column, cache, pane_view, MIN_TEXT_PX, &highlight);
                panes[usize::from(heading == "After")] = (drawn_at, *pane_view);
            }
        });
        view.fit_pending = false;
        view.frame_chosen = false;
    }

    /// The elements outlined in the before/after panes: those of the chosen difference.
    pub fn outlined_in_panes(&self) -> Vec<ElementKey> {
        let rehearsal = &self.rehearsal;
        let current = rehearsal.current.as_ref();
        rehearsal.chosen_difference.zip(current).and_then(|(index, current)| Some(current.elements.get(index)?.clone().all())).unwrap_or_default()
    }

    /// True while the chosen scenario's rehearsal is being made on a worker (a large plan).
    pub fn rehearsing(&self) -> bool {
        self.rehearsal.is_making()
    }

    /// The revision of the plan the rehearsal shown was made from, if one is shown.
    pub fn rehearsal_revision(&self) -> Option<u64> {
        self.rehearsal.current.as_ref().map(|rehearsal| rehearsal.revision)
    }

    /// The before (`after` false) or after pane in the last frame, and where an element was
    /// drawn in it, in screen points.
    pub fn pane_and_element(&self, after: bool, key: &ElementKey) -> (egui::Rect, Option<egui::Rect>) {
        let (pane, view) = self.rehearsal.panes[usize::from(after)];
        let cache = if after { &self.rehearsal.after } else { &self.rehearsal.before };
        (pane, cache.outline_of(key).map(|rect| view.to_screen_rect(rect)))
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
        edit = edit.or_else(|| inspector::group_actions_ui(ui, plan));
        ui.separator();
        edit
    }

    /// The errors of the plan's report that stop the chosen scenario from working.
    pub fn blockers(&self) -> Vec<crate::recovery::Blocker> {
        let scenario = self.scenario.as_ref().and_then(|id| self.document.plan.scenario(id));
        scenario.map(|scenario| crate::recovery::blockers(&self.document.report, scenario)).unwrap_or_default()
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
        let scenario = Scenario::full_site(id.clone(), format!("Scenario {}", plan.scenarios.len() + 1), String::new(), from.id.clone(), to.id.clone());
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
            ui.label(if self.rehearsal.is_making() { "Simulating the failover…" } else { "Choose a failover scenario." });
            return;
        };
        let blockers = self.blockers();
        if !blockers.is_empty() {
            let error = ui.visuals().error_fg_color;
            egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.5, error)).show(ui, |ui| {
                let errors = findings::count_text(blockers.len(), "error", "errors");
                ui.label(RichText::new(format!("This plan cannot work as drawn: {errors} for this scenario")).color(error).strong());
                for blocker in &blockers {
                    ui.add(egui::Label::new(format!("{}: {}", blocker.rule, blocker.message)).wrap());
                }
            });
        }
        ui.heading("Differences");
        let steps: Vec<&crate::recovery::Step> = rehearsal.recovery.steps().collect();
        let mut clicked = None;
        let chosen_difference = self.rehearsal.chosen_difference;
        let button_height = ui.spacing().interact_size.y;
        rows_ui(ui, "differences", rehearsal.descriptions.len(), button_height, |ui, index, one_line| {
            let Some(description) = rehearsal.descriptions.get(index) else { return };
            let text = format!("{}. {description}", index + 1);
            let chosen = chosen_difference == Some(index);
            let button = egui::Button::selectable(chosen, text.clone());
            let mut response = ui.add(if one_line { button.truncate() } else { button.wrap() });
            if one_line {
                response = response.on_hover_text(text);
            }
            if let Some(step) = rehearsal.making.get(index).and_then(|position| steps.get(*position)) {
                response = response.on_hover_text(format!("Recovery plan step {}: {}", step.number, step.title));
            }
            if response.clicked() {
                clicked = Some(if chosen { None } else { Some(index) });
            }
        });
        if let Some(choice) = clicked {
            self.rehearsal.chosen_difference = choice;
            self.rehearsal.frame_chosen = choice.is_some();
        }
        ui.separator();
        ui.heading("Recovery plan");
        ui.label(format!("Estimated RTO: {}", crate::export::duration_text(rehearsal.recovery.estimated_rto_secs)));
        // One row per group heading and per step.
        let mut lines: Vec<RichText> = Vec::new();
        for group in &rehearsal.recovery.groups {
            if group.number > 0 {
                lines.push(
                    RichText::new(format!("Group {}: {}", group.number, names_text(group.machines.iter().map(|machine| machine.name.as_str())))).strong(),
                );
            }
            for step in group.before.iter().chain(&group.after) {
                lines.push(RichText::new(format!("{}. {} ({})", step.number, step.title, crate::export::duration_text(step.duration_secs))));
            }
        }
        let line_height = ui.text_style_height(&egui::TextStyle::Body);
        rows_ui(ui, "recovery-steps", lines.len(), line_height, |ui, index, one_line| {
            let Some(line) = lines.get(index) else { return };
            let label = egui::Label::new(line.clone());
            let response = ui.add(if one_line { label.truncate() } else { label.wrap() });
            if one_line {
                response.on_hover_text(line.text());
            }
        });
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

    /// Writes the chosen scenario's recovery plan with its before/after diagrams; returns how
    /// many files were written.
    pub fn export_recovery_plan(&mut self, directory: &Path) -> Result<usize, String> {
        let diagrams = self.export_diagrams(directory)?;
        let names: Vec<String> = diagrams.iter().filter_map(|path| path.file_name()).map(|name| name.to_string_lossy().into_owned()).collect();
        let Some(rehearsal) = &self.rehearsal.current else { return Err("Choose a failover scenario first".to_owned()) };
        // Written all the same, opening on why it cannot work.
        let recovery = crate::recovery::RecoveryPlan { cannot_work_as_drawn: self.blockers(), ..rehearsal.recovery.clone() };
        let files = crate::export::write_plan(&recovery, directory, &names).map_err(|error| error.to_string())?;
        Ok(files.len() + diagrams.len())
    }

    /// Writes the before and after diagrams of the chosen scenario as SVG and PNG, the same
    /// files `drplan diagram` writes.
    pub fn export_diagrams(&mut self, directory: &Path) -> Result<Vec<PathBuf>, String> {
        let mut written = Vec::new();
        for view in [crate::export::diagram::ExportView::Before, crate::export::diagram::ExportView::After] {
            let settings = export_dialog::ExportSettings { view, machines: self.prefs.show_machines, ..Default::default() };
            written.extend(self.export_as_asked(&settings, directory)?);
        }
        Ok(written)
    }
}

/// Lists longer than this are drawn as a scrolling list of one line each, of which only the
/// rows in view are laid out: a failover of 40,000 machines has as many differences, and
/// laying out every row each frame took most of a second.
const LONG_LIST: usize = 200;
/// The height of such a list.
const LONG_LIST_HEIGHT: f32 = 360.0;

/// Draws `count` rows with `row(ui, index, one_line)`: all of them, wrapped, for a short list;
/// only those in view, on one line of `row_height` each, for a long one.
fn rows_ui(ui: &mut egui::Ui, id: &str, count: usize, row_height: f32, mut row: impl FnMut(&mut egui::Ui, usize, bool)) {
    if count <= LONG_LIST {
        for index in 0..count {
            row(ui, index, false);
        }
        return;
    }
    egui::ScrollArea::vertical().id_salt(id).max_height(LONG_LIST_HEIGHT).auto_shrink([false, true]).show_rows(ui, row_height, count, |ui, range| {
        for index in range {
            row(ui, index, true);
        }
    });
}

/// Names joined for a heading, the first few and how many more.
fn names_text<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> String {
    const SHOWN: usize = 8;
    let count = names.len();
    let mut text = names.take(SHOWN).collect::<Vec<_>>().join(", ");
    if count > SHOWN {
        text.push_str(&format!(" and {} more", count - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::names_text;
    use crate::app::DrPlanApp;
    use crate::edit::{Edit, Element};

    #[test]
    fn a_rehearsal_shares_the_documents_plan_and_an_edit_leaves_its_network_before_as_it_was() {
        let mut app = DrPlanApp::new(Some(std::path::Path::new("samples/hybrid-full-region.drplan.json")));
        app.use_recovery_path(None);
        app.scenario = app.document.plan.scenarios.first().map(|scenario| scenario.id.clone());
        app.refresh_rehearsal();
        let before = Arc::clone(&app.rehearsal.current.as_ref().expect("a rehearsal").outcome.before);
        assert!(Arc::ptr_eq(&before, &app.document.plan), "the network before is the document's plan, not a copy");

        let mut subnet = app.document.plan.subnets[0].clone();
        let old_name = std::mem::replace(&mut subnet.name, "Renamed".to_owned());
        app.document.apply(Edit::Replace(Element::Subnet(subnet))).expect("the edit applies");
        assert_eq!(app.document.plan.subnets[0].name, "Renamed");
        assert_eq!(before.subnets[0].name, old_name, "the rehearsal's network before is the plan it simulated");
        app.refresh_rehearsal();
        let again = &app.rehearsal.current.as_ref().expect("a rehearsal").outcome.before;
        assert!(Arc::ptr_eq(again, &app.document.plan), "the new rehearsal shares the edited plan");
    }

    #[test]
    fn a_group_of_many_machines_names_the_first_few_and_counts_the_rest() {
        let names: Vec<String> = (1..=40_000).map(|number| format!("vm-{number}")).collect();
        assert_eq!(names_text(names.iter().map(String::as_str)), "vm-1, vm-2, vm-3, vm-4, vm-5, vm-6, vm-7, vm-8 and 39992 more");
        assert_eq!(names_text(["web", "db"].into_iter()), "web, db");
    }
}
