//! The recovery copy: the working plan written aside at least every 30 seconds while it has
//! unsaved changes, and at once after an edit that adds or deletes, so a crash loses little.
//!
//! A large plan's copy is written on a worker thread, as its validation runs: at 100k prefixes
//! a save takes 150 ms or more, which would stop the window. One write runs at a time (a save
//! removes the temporary files an interrupted save of the same file left); a copy asked for
//! meanwhile is written when it ends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::DrPlanApp;
use super::document::LARGE_PLAN_PREFIXES;
use super::worker::{Polled, Worker};

/// Autosave a recovery copy at least this often while there are unsaved changes.
const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(30);

/// When the recovery copy was last written, and a write under way.
pub struct Autosave {
    /// When the last copy was started, and the document's revision then.
    pub last: (Instant, u64),
    /// A copy being written on a worker thread; it sends back its error, if any.
    writing: Option<Worker<Option<String>>>,
    /// A copy was asked for while one was being written.
    again: bool,
}

impl Default for Autosave {
    fn default() -> Self {
        Self { last: (Instant::now(), 0), writing: None, again: false }
    }
}

impl Autosave {
    /// After the copy being written, if one is, the copy is made again (or removed).
    pub fn discard_after_writing(&mut self) {
        self.again |= self.writing.is_some();
    }
}

impl DrPlanApp {
    /// Writes the recovery copy now (a large plan's on a worker thread), or removes it when
    /// the plan has no unsaved changes.
    pub fn autosave(&mut self) {
        let Some(path) = self.recovery_path.clone() else { return };
        if self.autosave.writing.is_some() {
            self.autosave.again = true;
            return;
        }
        self.autosave.last = (Instant::now(), self.document.revision);
        if !self.document.is_modified() {
            let _ = std::fs::remove_file(&path);
            return;
        }
        if let Some(directory) = path.parent() {
            let _ = std::fs::create_dir_all(directory);
        }
        if self.document.plan.prefix_count() < LARGE_PLAN_PREFIXES {
            if let Err(error) = crate::io::save(&self.document.plan, &path) {
                self.status = format!("Autosave failed: {error}");
            }
            return;
        }
        let plan = Arc::clone(&self.document.plan);
        self.autosave.writing = Some(Worker::start(move || {
            let failed = crate::io::save(&plan, &path).err().map(|error| error.to_string());
            // Let go of the plan first, so the next edit need not copy it (`Arc::make_mut`).
            drop(plan);
            failed
        }));
    }

    /// Whether a recovery copy is being written on a worker thread.
    pub fn is_autosaving(&self) -> bool {
        self.autosave.writing.is_some()
    }

    /// Takes the end of a copy written on a worker (its error goes to the status line, and a
    /// copy asked for meanwhile starts); true while one is being written.
    pub fn poll_autosave(&mut self) -> bool {
        let Some(worker) = &self.autosave.writing else { return false };
        let failed = match worker.poll() {
            Polled::Done(failed) => failed,
            Polled::Running => return true,
            Polled::Stopped => Some("the writer stopped".to_owned()),
        };
        self.autosave.writing = None;
        if let Some(error) = failed {
            self.status = format!("Autosave failed: {error}");
        }
        if std::mem::take(&mut self.autosave.again) {
            self.autosave();
        }
        self.is_autosaving()
    }

    pub(super) fn autosave_if_due(&mut self, ctx: &egui::Context) {
        let (at, revision) = self.autosave.last;
        if revision != self.document.revision {
            let elapsed = at.elapsed();
            if elapsed >= AUTOSAVE_INTERVAL {
                self.autosave();
            } else {
                // Wake up for the autosave even if nothing else happens.
                ctx.request_repaint_after(AUTOSAVE_INTERVAL - elapsed);
            }
        }
    }
}
