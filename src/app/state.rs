//! What the app remembers between runs (eframe's storage), apart from the caches it rebuilds:
//! recent files as absolute paths, newest first, without duplicates; the canvas options.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many recent files the File menu lists.
pub const RECENT_LIMIT: usize = 10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub recent: Vec<PathBuf>,
    /// Moved elements snap their top-left corner to the grid.
    pub snap: bool,
    pub show_machines: bool,
    /// The Export dialog's last choices.
    pub export: super::export_dialog::ExportSettings,
}

impl Default for Prefs {
    fn default() -> Self {
        Self { recent: Vec::new(), snap: true, show_machines: false, export: Default::default() }
    }
}

impl Prefs {
    /// The key the preferences are stored under.
    pub const KEY: &'static str = "drplan-prefs";

    /// Puts a file first in the recent list (as an absolute path, once).
    pub fn remember(&mut self, path: &Path) {
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_owned()));
        self.recent.retain(|known| known != &absolute);
        self.recent.insert(0, absolute);
        self.recent.truncate(RECENT_LIMIT);
    }

    /// Merges preferences read from storage under those of this run.
    pub fn restored(stored: Prefs, current: &Prefs) -> Prefs {
        let mut prefs = Prefs { recent: Vec::new(), ..stored.clone() };
        for path in current.recent.iter().chain(&stored.recent).rev() {
            prefs.remember(path);
        }
        prefs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_absolute_newest_first_and_listed_once() {
        let directory = tempfile::tempdir().expect("a directory");
        let file = directory.path().join("a.drplan.json");
        std::fs::write(&file, "{}").expect("written");
        let mut prefs = Prefs::default();
        prefs.remember(&file);
        prefs.remember(Path::new("relative-not-there.json"));
        prefs.remember(&file);
        assert_eq!(prefs.recent.len(), 2);
        assert!(prefs.recent.iter().all(|path| path.is_absolute()), "{:?}", prefs.recent);
        assert_eq!(prefs.recent[0], std::fs::canonicalize(&file).expect("canonical"));
    }
}
