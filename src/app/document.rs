//! The plan open in the window: the model, its file, undo and redo over edits, and the
//! validator's report, refreshed after every edit.
//!
//! The plan is shared (`Arc`) between the window, the undo history, the saved state and a
//! validation running on a worker thread, none of which copies it: an edit makes the one copy
//! it needs (the version before it stays in the history), not one copy per holder.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::edit::{self, Edit, EditError, ElementKey};
use crate::io::{self, SaveError};
use crate::model::Plan;
use crate::validate::{self, Report};

/// Edits of one element's properties this close together make one undo step (typing a name).
const COALESCE_WINDOW: Duration = Duration::from_millis(1500);
/// Undo steps kept: up to 200, fewer for large plans, so that the history holds at most about
/// two million elements (each step is a whole plan).
const UNDO_LIMIT: usize = 200;
const UNDO_MIN: usize = 10;
const UNDO_BUDGET_ELEMENTS: usize = 2_000_000;
/// Plans with at least this many prefixes are validated on a worker thread after an edit, so
/// the frame that applies the edit never waits for the validator (about 0.4 ms per 1,000
/// prefixes; see docs/performance.md).
pub const BACKGROUND_VALIDATION_PREFIXES: usize = 4_000;

pub struct Document {
    pub plan: Arc<Plan>,
    pub path: Option<PathBuf>,
    pub report: Report,
    /// Increases with every change of `plan`; caches compare it to know when to rebuild.
    pub revision: u64,
    saved: Arc<Plan>,
    /// `is_modified` as computed at a revision: the title asks every frame, and comparing two
    /// plans of 100,000 prefixes every frame would cost more than the frame.
    modified_at: Cell<Option<(u64, bool)>>,
    /// A validation running on a worker thread, for the revision it was started at.
    validating: Option<(u64, std::sync::mpsc::Receiver<Report>)>,
    undo: Vec<Arc<Plan>>,
    redo: Vec<Arc<Plan>>,
    last_replace: Option<(ElementKey, Instant)>,
    /// The file as it was loaded or last saved, to notice another program's save before
    /// replacing it.
    on_disk: Option<io::OnDisk>,
}

impl Document {
    pub fn new(plan: Plan, path: Option<PathBuf>) -> Self {
        let report = validate::validate(&plan);
        let plan = Arc::new(plan);
        Self {
            saved: Arc::clone(&plan),
            plan,
            path,
            report,
            revision: 0,
            modified_at: Cell::new(None),
            validating: None,
            undo: Vec::new(),
            redo: Vec::new(),
            last_replace: None,
            on_disk: None,
        }
    }

    /// A new, empty plan.
    /// A plan made by an import: untitled, and unsaved until the user saves it.
    pub fn unsaved(plan: Plan) -> Self {
        let mut document = Self::new(plan, None);
        document.saved = Arc::new(Plan::new(String::new()));
        document
    }

    pub fn untitled() -> Self {
        Self::new(Plan::new("Untitled plan"), None)
    }

    pub fn open(path: &Path) -> Result<Self, io::LoadError> {
        let (plan, text) = io::load_with_text(path)?;
        let mut document = Self::new(plan, Some(path.to_owned()));
        document.on_disk = io::OnDisk::of(path, &text);
        Ok(document)
    }

    /// True when the plan differs from the file it was loaded from or last saved to.
    pub fn is_modified(&self) -> bool {
        if let Some((revision, modified)) = self.modified_at.get()
            && revision == self.revision
        {
            return modified;
        }
        let modified = !Arc::ptr_eq(&self.plan, &self.saved) && self.plan != self.saved;
        self.modified_at.set(Some((self.revision, modified)));
        modified
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
        let before = Arc::clone(&self.plan);
        if let Err(error) = edit::apply(Arc::make_mut(&mut self.plan), change) {
            self.plan = before;
            return Err(error);
        }
        if !coalesce {
            self.push_undo(before);
        }
        self.last_replace = replaced.map(|key| (key, Instant::now()));
        self.redo.clear();
        self.changed();
        Ok(())
    }

    /// Replaces the whole plan (restoring a recovery copy, a proposed recovery side) as one undoable change; the file it
    /// belongs to stays the same, so the restored plan shows as unsaved. A plan that breaks the
    /// invariant of loading is refused, as an edit would be.
    pub fn restore(&mut self, plan: Plan) -> Result<(), EditError> {
        edit::check_invariant(&plan)?;
        let before = std::mem::replace(&mut self.plan, Arc::new(plan));
        self.push_undo(before);
        self.redo.clear();
        self.last_replace = None;
        self.changed();
        Ok(())
    }

    /// Records the plan before a change, keeping the history within its limit.
    fn push_undo(&mut self, before: Arc<Plan>) {
        self.undo.push(before);
        let limit = undo_limit(&self.plan);
        if self.undo.len() > limit {
            self.undo.drain(..self.undo.len() - limit);
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.undo.pop() else { return false };
        self.redo.push(std::mem::replace(&mut self.plan, previous));
        self.last_replace = None;
        self.changed();
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else { return false };
        self.undo.push(std::mem::replace(&mut self.plan, next));
        self.last_replace = None;
        self.changed();
        true
    }

    /// Saves to `path` (atomically) and remembers it as the document's file.
    /// Saves to `path`; over the file it was opened from, only if no other program changed it
    /// meanwhile (`SaveError::changed_on_disk`).
    pub fn save_to(&mut self, path: &Path) -> Result<(), SaveError> {
        self.on_disk = io::save_over(&self.plan, path, io::Replace::Writable, self.on_disk.as_ref())?;
        self.path = Some(path.to_owned());
        self.saved = Arc::clone(&self.plan);
        self.modified_at.set(None);
        Ok(())
    }

    fn changed(&mut self) {
        self.revision += 1;
        if self.plan.prefix_count() < BACKGROUND_VALIDATION_PREFIXES {
            self.report = validate::validate(&self.plan);
            self.validating = None;
            return;
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        let plan = Arc::clone(&self.plan);
        std::thread::spawn(move || {
            let _ = sender.send(validate::validate(&plan));
        });
        self.validating = Some((self.revision, receiver));
    }

    /// Whether a validation of the current plan still runs on a worker thread.
    pub fn is_validating(&self) -> bool {
        self.validating.is_some()
    }

    /// Takes the report of a background validation when it is ready; true while one runs.
    pub fn poll_validation(&mut self) -> bool {
        let Some((revision, receiver)) = &self.validating else { return false };
        match receiver.try_recv() {
            Ok(report) => {
                if *revision == self.revision {
                    self.report = report;
                    self.revision += 1; // caches built from the old report rebuild
                }
                self.validating = None;
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.validating = None;
                false
            }
        }
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

/// How many undo steps to keep for a plan of this size.
fn undo_limit(plan: &Plan) -> usize {
    let elements = plan.sites.len() + plan.networks.len() + plan.subnets.len() + plan.machines.len() + plan.connections.len();
    (UNDO_BUDGET_ELEMENTS / elements.max(1)).clamp(UNDO_MIN, UNDO_LIMIT)
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
    fn the_undo_history_keeps_fewer_steps_of_larger_plans() {
        let mut document = Document::untitled();
        for step in 0..UNDO_LIMIT + 5 {
            document.apply(Edit::Rename { name: format!("Plan {step}") }).expect("rename");
        }
        assert_eq!(document.undo.len(), UNDO_LIMIT, "a small plan keeps the full history");

        let large = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 100_000, seed: 1, faults: 0 }).plan;
        let limit = undo_limit(&large);
        assert!((UNDO_MIN..UNDO_LIMIT).contains(&limit) && limit <= 20, "{limit} steps of a 100k-prefix plan");
    }

    #[test]
    fn an_edit_shares_the_previous_plan_with_the_history_instead_of_copying_it_again() {
        let mut document = Document::untitled();
        let before = Arc::clone(&document.plan);
        document.apply(Edit::Rename { name: "Renamed".to_owned() }).expect("rename");
        assert!(Arc::ptr_eq(&document.undo[0], &before), "the undo step is the previous plan itself");
        let failed = document.apply(Edit::Delete(ElementKey::new(crate::model::ElementKind::Site, "no-such-site")));
        assert!(failed.is_err());
        assert_eq!(document.plan.name, "Renamed", "a refused edit leaves the plan as it was");
        assert_eq!(document.undo.len(), 1, "and adds no undo step");
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
