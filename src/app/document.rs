//! The plan open in the window: the model, its file, undo and redo over edits, and the
//! validator's report, refreshed after every edit.
//!
//! The undo history holds each edit's journal (`edit::Journal`): what the edit changed, element
//! by element, never a copy of the plan. The plan is shared (`Arc`) with a validation running on
//! a worker thread; an edit made while one runs is the only one that copies it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::worker::{Polled, Worker};
use crate::edit::{self, Edit, EditError, ElementKey};
use crate::io::{self, SaveError};
use crate::model::{Change, KeptIndex, Plan, PlanIndex};
use crate::validate::{self, Report};

/// Edits of one element's properties this close together make one undo step (typing a name).
const COALESCE_WINDOW: Duration = Duration::from_millis(1500);
/// Undo steps kept: up to 200, and fewer when the steps hold more than about two million
/// elements between them (old values and removed elements; deleting a site holds all it had).
const UNDO_LIMIT: usize = 200;
const UNDO_BUDGET_ELEMENTS: usize = 2_000_000;
/// Plans with at least this many prefixes are validated, and their canvas built, on worker
/// threads after an edit, so the frames that follow the edit never wait for the validator (about
/// 0.4 ms per 1,000 prefixes; see docs/performance.md) or the canvas (about 1.3 ms per 1,000).
pub const LARGE_PLAN_PREFIXES: usize = 4_000;

/// What a validation on a worker sends back: its report, and the index's tables it read.
type Validated = (Arc<Report>, KeptIndex);

/// One step of the undo (or redo) history: the journal that leads to the state it names.
struct Step {
    journal: edit::Journal,
    state: u64,
}

pub struct Document {
    pub plan: Arc<Plan>,
    pub path: Option<PathBuf>,
    /// The validator's report on the plan (shared with a validation running on a worker).
    pub report: Arc<Report>,
    /// Increases with every change of `plan`; caches compare it to know when to rebuild.
    pub revision: u64,
    /// Increases with every new `report`, which can come a while after the change it reports
    /// on: what shows findings compares it, and only that is made again (not the canvas's shapes,
    /// nor the rehearsal's simulation, which read the plan).
    pub report_revision: u64,
    /// Which state of the plan this is: each edit makes a new one, undo and redo go back to the
    /// one they lead to. The plan is modified when its state is not the one last saved.
    state: u64,
    last_state: u64,
    saved_state: Option<u64>,
    /// A validation running on a worker thread, for the revision it was started at; it sends
    /// the report and the tables of the index it read.
    validating: Option<(u64, Worker<Validated>)>,
    /// The tables of the plan's index, kept across edits that add or remove no element and
    /// change no id or reference (`Change::structure`): the validation after an address, a
    /// setting or a name changed reuses them instead of indexing the plan again. None after an
    /// edit that changed the structure, until a validation builds them again.
    kept_index: KeptIndex,
    /// What changed in the plan since the report was made (while a worker validates).
    unreported: Change,
    undo: Vec<Step>,
    redo: Vec<Step>,
    last_replace: Option<(ElementKey, Instant)>,
    /// The file as it was loaded or last saved, to notice another program's save before
    /// replacing it.
    on_disk: Option<io::OnDisk>,
}

impl Document {
    pub fn new(plan: Plan, path: Option<PathBuf>) -> Self {
        let built = PlanIndex::new(&plan);
        let report = Arc::new(validate::validate_indexed(&built));
        let mut kept_index = KeptIndex::default();
        kept_index.keep(built.into_tables());
        let plan = Arc::new(plan);
        Self {
            plan,
            path,
            report,
            revision: 0,
            report_revision: 0,
            state: 0,
            last_state: 0,
            saved_state: Some(0),
            validating: None,
            kept_index,
            unreported: Change::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            last_replace: None,
            on_disk: None,
        }
    }

    /// A plan made by an import: untitled, and unsaved until the user saves it.
    pub fn unsaved(plan: Plan) -> Self {
        let mut document = Self::new(plan, None);
        document.saved_state = None;
        document
    }

    /// A new, empty plan.
    pub fn untitled() -> Self {
        Self::new(Plan::new("Untitled plan"), None)
    }

    pub fn open(path: &Path) -> Result<Self, io::LoadError> {
        let (plan, text) = io::load_with_text(path)?;
        let mut document = Self::new(plan, Some(path.to_owned()));
        document.on_disk = io::OnDisk::of(path, &text);
        Ok(document)
    }

    /// True when the plan is not in the state it was loaded or last saved in (an edit undone
    /// back to that state is not a modification).
    pub fn is_modified(&self) -> bool {
        self.saved_state != Some(self.state)
    }

    /// Applies an edit as one undo step (consecutive property edits of one element coalesce).
    pub fn apply(&mut self, change: Edit) -> Result<(), EditError> {
        let replaced = match &change {
            Edit::Replace(element) => Some(element.key()),
            _ => None,
        };
        let coalesce = match (&replaced, &self.last_replace) {
            (Some(key), Some((last, at))) => key == last && at.elapsed() < COALESCE_WINDOW,
            _ => false,
        };
        let journal = edit::apply(Arc::make_mut(&mut self.plan), change)?;
        let change = journal.change();
        if journal.is_empty() {
            return Ok(());
        }
        // Coalesced property edits of one element keep the first step's journal, which puts
        // back the element as it was before all of them.
        if !coalesce || self.undo.is_empty() {
            self.push_undo(journal);
        }
        self.last_replace = replaced.map(|key| (key, Instant::now()));
        self.changed_anew(change);
        Ok(())
    }

    /// Replaces the whole plan (restoring a recovery copy, a proposed recovery side) as one undoable change; the file it
    /// belongs to stays the same, so the restored plan shows as unsaved. A plan that breaks the
    /// invariant of loading is refused, as an edit would be.
    pub fn restore(&mut self, plan: Plan) -> Result<(), EditError> {
        edit::check_invariant(&plan)?;
        let journal = edit::Journal::replace_whole(Arc::make_mut(&mut self.plan), plan);
        self.push_undo(journal);
        self.last_replace = None;
        self.changed_anew(Change::ALL);
        Ok(())
    }

    /// After a new change (not an undo or a redo): the plan is in a state it was never in, and
    /// what was undone can no longer be redone.
    fn changed_anew(&mut self, change: Change) {
        self.redo.clear();
        self.last_state += 1;
        self.state = self.last_state;
        self.changed(change);
    }

    /// Records the journal of a change, keeping the history within its limits: at most
    /// `UNDO_LIMIT` steps, and the oldest dropped while the steps hold more than
    /// `UNDO_BUDGET_ELEMENTS` elements.
    fn push_undo(&mut self, journal: edit::Journal) {
        self.undo.push(Step { journal, state: self.state });
        if self.undo.len() > UNDO_LIMIT {
            self.undo.drain(..self.undo.len() - UNDO_LIMIT);
        }
        let mut held: usize = self.undo.iter().map(|step| step.journal.held_elements()).sum();
        while held > UNDO_BUDGET_ELEMENTS && self.undo.len() > 1 {
            held -= self.undo.remove(0).journal.held_elements();
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        self.go_back(false)
    }

    pub fn redo(&mut self) -> bool {
        self.go_back(true)
    }

    /// Takes the last step of the undo history (of the redo history when `redoing`) back to the
    /// state it leads to; the journal that takes it forward again goes on the other history.
    fn go_back(&mut self, redoing: bool) -> bool {
        let (from, to) = if redoing { (&mut self.redo, &mut self.undo) } else { (&mut self.undo, &mut self.redo) };
        let Some(step) = from.pop() else { return false };
        let journal = step.journal.undo(Arc::make_mut(&mut self.plan));
        let change = journal.change();
        to.push(Step { journal, state: std::mem::replace(&mut self.state, step.state) });
        self.last_replace = None;
        self.changed(change);
        true
    }

    /// Saves to `path` (atomically) and remembers it as the document's file; over the file it was
    /// opened from, only if no other program changed it meanwhile (`SaveError::changed_on_disk`).
    pub fn save_to(&mut self, path: &Path) -> Result<(), SaveError> {
        self.on_disk = io::save_over(&self.plan, path, io::Replace::Writable, self.on_disk.as_ref())?;
        self.path = Some(path.to_owned());
        self.saved_state = Some(self.state);
        Ok(())
    }

    /// Brings the report up to date after a change: only the rules that read what changed since
    /// the report was made run again (`validate::revalidate`), and none after a move.
    fn changed(&mut self, change: Change) {
        self.revision += 1;
        self.kept_index.changed(change);
        self.unreported.merge(change);
        let unreported = std::mem::take(&mut self.unreported);
        if unreported.read_by_rules().is_empty() {
            self.validating = None;
            return;
        }
        if self.plan.prefix_count() < LARGE_PLAN_PREFIXES {
            if let Some(report) = validate::revalidate_kept(&self.plan, &self.report, unreported, &mut self.kept_index) {
                self.report = Arc::new(report);
                self.report_revision += 1;
            }
            self.validating = None;
            return;
        }
        // Until the worker's report arrives, the one shown is older than the plan by all of these.
        self.unreported = unreported;
        let plan = Arc::clone(&self.plan);
        let previous = Arc::clone(&self.report);
        let mut kept_index = self.kept_index.clone();
        let worker = Worker::start(move || {
            let report = validate::revalidate_kept(&plan, &previous, unreported, &mut kept_index).map_or(previous, Arc::new);
            // The plan is let go before the report is sent: once the report arrives the document
            // holds the plan alone, and the next edit changes it in place instead of copying it
            // (`Arc::make_mut`).
            drop(plan);
            (report, kept_index)
        });
        self.validating = Some((self.revision, worker));
    }

    /// Whether a validation of the current plan still runs on a worker thread.
    pub fn is_validating(&self) -> bool {
        self.validating.is_some()
    }

    /// Takes the report of a background validation when it is ready; true while one runs.
    pub fn poll_validation(&mut self) -> bool {
        let Some((revision, worker)) = &self.validating else { return false };
        match worker.poll() {
            Polled::Done((report, kept_index)) => {
                if *revision == self.revision {
                    self.report = report;
                    self.kept_index = kept_index;
                    self.unreported = Change::default();
                    self.report_revision += 1;
                }
                self.validating = None;
                false
            }
            Polled::Running => true,
            Polled::Stopped => {
                self.validating = None;
                false
            }
        }
    }

    /// The plan's index, from the tables kept with it when it has them (what a rehearsal's
    /// simulation reads, as the validation does).
    pub fn index(&self) -> PlanIndex<'_> {
        self.kept_index.index(&self.plan)
    }

    /// The name shown in the title bar.
    pub fn title(&self) -> String {
        let file = self.path.as_ref().and_then(|path| path.file_name()).map(|name| name.to_string_lossy().into_owned());
        let modified = if self.is_modified() { " •" } else { "" };
        match file {
            Some(file) => format!("{}{modified} — {file} — drplan", self.plan.name),
            None => format!("{}{modified} — drplan", self.plan.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modified_mark_follows_edits_undo_redo_and_saves() {
        let directory = tempfile::tempdir().expect("a temporary folder");
        let mut document = Document::untitled();
        assert!(!document.is_modified());
        document.apply(Edit::Rename { name: "Renamed".to_owned() }).expect("rename");
        assert!(document.is_modified());
        assert!(document.is_modified(), "asked again at the same revision");
        document.undo();
        assert!(!document.is_modified(), "back to the saved plan");
        document.redo();
        assert!(document.is_modified());
        document.save_to(&directory.path().join("plan.drplan.json")).expect("save");
        assert!(!document.is_modified(), "saved at the same revision");
    }

    #[test]
    fn the_undo_history_keeps_at_most_its_limit_of_steps() {
        let mut document = Document::untitled();
        for step in 0..UNDO_LIMIT + 5 {
            document.apply(Edit::Rename { name: format!("Plan {step}") }).expect("rename");
        }
        assert_eq!(document.undo.len(), UNDO_LIMIT);
    }

    /// The tables of the index are kept across an edit that changes no id and no reference,
    /// and built again after one that does, for plans validated on the window's thread and on
    /// a worker; the report is the full validation's either way.
    #[test]
    fn the_index_is_kept_across_edits_of_properties_and_built_again_after_a_reference_changes() {
        for prefixes in [200, LARGE_PLAN_PREFIXES + 1_000] {
            let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes, seed: 2, faults: 4 }).plan;
            let mut document = Document::new(plan, None);
            let settle = |document: &mut Document| {
                while document.poll_validation() {
                    std::thread::sleep(Duration::from_millis(2));
                }
            };
            let first = document.kept_index.tables().cloned().expect("tables from the first validation");
            let mut machine = document.plan.machines[1].clone();
            machine.name = "renamed".to_owned();
            machine.ip = "10.250.0.9".parse().expect("an address");
            document.apply(Edit::Replace(crate::edit::Element::Machine(machine.clone()))).expect("an address and a name change");
            settle(&mut document);
            let kept = document.kept_index.tables().cloned().expect("tables");
            assert!(Arc::ptr_eq(&first, &kept), "{prefixes} prefixes: the tables are kept");
            assert!(*document.report == validate::validate(&document.plan));

            machine.subnet = document.plan.subnets.iter().find(|subnet| subnet.id != machine.subnet).expect("another subnet").id.clone();
            document.apply(Edit::Replace(crate::edit::Element::Machine(machine))).expect("the machine moves to another subnet");
            settle(&mut document);
            let rebuilt = document.kept_index.tables().cloned().expect("tables built by the validation");
            assert!(!Arc::ptr_eq(&first, &rebuilt), "{prefixes} prefixes: new tables after a reference changed");
            assert!(rebuilt.agree_with(&document.plan));
            assert!(*document.report == validate::validate(&document.plan));
        }
    }

    #[test]
    fn an_edit_of_a_large_plan_keeps_what_it_changed_not_a_copy_and_undo_puts_it_back() {
        let large = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 10_000, seed: 1, faults: 0 }).plan;
        let mut document = Document::new(large.clone(), None);
        let mut subnet = large.subnets[large.subnets.len() / 2].clone();
        subnet.name = "edited".to_owned();
        document.apply(Edit::Replace(crate::edit::Element::Subnet(subnet))).expect("replace");
        assert_eq!(document.undo[0].journal.held_elements(), 1, "the step holds the one old subnet");
        let site = ElementKey::new(crate::model::ElementKind::Site, large.sites[0].id.as_str());
        document.apply(Edit::Delete(site)).expect("delete a site");
        assert!(document.plan.subnets.len() < large.subnets.len() / 2 + 10);
        document.undo();
        document.undo();
        assert!(*document.plan == large, "undo gives back the very plan");
        assert!(!document.is_modified());
        document.redo();
        document.redo();
        assert!(document.is_modified());
        assert!(document.plan.sites.len() == large.sites.len() - 1);
    }

    #[test]
    fn an_edit_keeps_what_it_changed_and_a_refused_edit_leaves_no_step() {
        let mut document = Document::untitled();
        document.apply(Edit::Rename { name: "Renamed".to_owned() }).expect("rename");
        assert_eq!(document.undo[0].journal.held_elements(), 1, "the undo step holds the old name only");
        let failed = document.apply(Edit::Delete(ElementKey::new(crate::model::ElementKind::Site, "no-such-site")));
        assert!(failed.is_err());
        assert_eq!(document.plan.name, "Renamed", "a refused edit leaves the plan as it was");
        assert_eq!(document.undo.len(), 1, "and adds no undo step");
    }

    #[test]
    fn the_report_follows_edits_moves_and_undo_as_a_full_validation_would() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: LARGE_PLAN_PREFIXES + 500, seed: 2, faults: 9 }).plan;
        let mut document = Document::new(plan, None);
        let wait = |document: &mut Document| while document.poll_validation() {};
        let mut subnet = document.plan.subnets[7].clone();
        subnet.prefix = document.plan.subnets[8].prefix;
        document.apply(Edit::Replace(crate::edit::Element::Subnet(subnet))).expect("an overlap");
        // A second edit while the first is validated on the worker: the report must cover both.
        let mut machine = document.plan.machines[3].clone();
        machine.name = "renamed".to_owned();
        document.apply(Edit::Replace(crate::edit::Element::Machine(machine))).expect("a rename");
        wait(&mut document);
        assert!(*document.report == validate::validate(&document.plan), "after an overlap and a rename");
        let key = ElementKey::new(crate::model::ElementKind::Network, document.plan.networks[2].id.as_str());
        document.apply(Edit::Move(vec![crate::edit::Placement { key, position: crate::model::Point::new(5.0, 6.0) }])).expect("a move");
        assert!(!document.is_validating(), "a move runs no rule");
        document.undo();
        document.undo();
        wait(&mut document);
        assert!(*document.report == validate::validate(&document.plan), "after undoing");
    }

    #[test]
    fn restoring_a_plan_that_would_not_load_is_refused_and_keeps_the_plan() {
        let mut document = Document::untitled();
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/vmm-change-ip.drplan.json")).expect("the sample");
        let mut broken: Plan = serde_json::from_str(&text).expect("the sample's types");
        broken.networks[0].site = crate::model::SiteId::new("site-gone");
        let refused = document.restore(broken);
        assert!(matches!(&refused, Err(EditError::Invariant(reason)) if reason.contains("site-gone")), "{refused:?}");
        assert_eq!(document.plan.name, Document::untitled().plan.name, "the plan is the one before");
        assert!(!document.is_modified());
    }
}
