//! Choosing a file or a folder so that it never fails silently: the platform's dialog (rfd: the
//! desktop portal, else zenity) where there is one, and drplan's own dialog inside the window where
//! there is none, with a path field that completes, the plan's folder and the recent folders.
//!
//! rfd answers "nothing chosen" both when the user cancels and when no dialog could be shown; it
//! tells them apart only in its log, so the app keeps a logger that notes rfd's errors
//! ([`DialogLog`]). `DRPLAN_FILE_DIALOG=builtin` always uses drplan's own dialog.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::Pending;

/// What a file or folder is chosen for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    Open,
    /// Save the plan under a new name, then carry out what waited for the save.
    SaveAs {
        then: Option<Pending>,
    },
    ExportRunbook,
    /// The folder of the Export dialog.
    ExportFolder,
    /// Azure JSON to import: files, or a folder of them.
    ImportAzure,
}

impl Purpose {
    pub fn title(&self) -> &'static str {
        match self {
            Self::Open => "Open a plan",
            Self::SaveAs { .. } => "Save the plan as",
            Self::ExportRunbook => "Export the recovery plan into a folder",
            Self::ExportFolder => "Choose the folder to export into",
            Self::ImportAzure => "Import Azure JSON (files, or a folder of them)",
        }
    }

    pub fn wants_folder(&self) -> bool {
        matches!(self, Self::ExportRunbook | Self::ExportFolder)
    }
}

/// What the platform's dialog did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Native {
    Picked(PathBuf),
    /// Several files (Import Azure takes one per `az` command).
    PickedFiles(Vec<PathBuf>),
    Cancelled,
    /// No dialog could be shown (no desktop portal and no zenity, or drplan's own was asked for).
    Unavailable,
}

/// Notes that rfd logged an error: its way of saying that no dialog could be shown.
struct DialogLog;

static DIALOG_FAILED: AtomicBool = AtomicBool::new(false);
static DIALOG_LOG: DialogLog = DialogLog;

impl log::Log for DialogLog {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Error && metadata.target().starts_with("rfd")
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            DIALOG_FAILED.store(true, Ordering::SeqCst);
        }
    }

    fn flush(&self) {}
}

/// True unless the environment asks for drplan's own dialog.
pub fn native_dialogs_wanted() -> bool {
    std::env::var("DRPLAN_FILE_DIALOG").map_or(true, |value| value != "builtin")
}

/// Shows the platform's dialog for `purpose`, starting in `folder`.
pub fn native(purpose: &Purpose, folder: &Path, file_name: &str) -> Native {
    // Where another logger is already installed, rfd's errors cannot be seen: a dialog that did
    // not open then reads as cancelled, as it did before this logger.
    let watching = log::set_logger(&DIALOG_LOG).is_ok() || log::max_level() == log::LevelFilter::Error;
    if watching {
        log::set_max_level(log::LevelFilter::Error);
    }
    DIALOG_FAILED.store(false, Ordering::SeqCst);
    let dialog = rfd::FileDialog::new().set_title(purpose.title()).set_directory(folder);
    if *purpose == Purpose::ImportAzure {
        return match dialog.add_filter("Azure JSON", &["json"]).pick_files() {
            Some(files) => Native::PickedFiles(files),
            None if watching && DIALOG_FAILED.load(Ordering::SeqCst) => Native::Unavailable,
            None => Native::Cancelled,
        };
    }
    let picked = match purpose {
        Purpose::Open => dialog.add_filter("drplan plan", &["json"]).pick_file(),
        Purpose::SaveAs { .. } => dialog.add_filter("drplan plan", &["json"]).set_file_name(file_name).save_file(),
        Purpose::ExportRunbook | Purpose::ExportFolder | Purpose::ImportAzure => dialog.pick_folder(),
    };
    match picked {
        Some(path) => Native::Picked(path),
        None if watching && DIALOG_FAILED.load(Ordering::SeqCst) => Native::Unavailable,
        None => Native::Cancelled,
    }
}

/// Where a dialog starts when the plan has no folder: the user's documents folder, else their
/// home; never the process's working directory.
pub fn default_folder() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).filter(|home| home.is_dir());
    let documents =
        std::env::var_os("XDG_DOCUMENTS_DIR").map(PathBuf::from).or_else(|| home.as_ref().map(|home| home.join("Documents"))).filter(|folder| folder.is_dir());
    documents.or(home).unwrap_or_else(std::env::temp_dir)
}

/// drplan's own dialog, open in the window.
#[derive(Clone, Debug, PartialEq)]
pub struct PathDialog {
    pub purpose: Purpose,
    /// The path as typed.
    pub text: String,
    /// Why this dialog and not the platform's, shown at its top.
    pub reason: String,
    /// Why the last answer was refused, or the question before replacing a file.
    pub problem: Option<String>,
    /// The existing file the user was told about: saving to it again replaces it.
    pub replace_confirmed: Option<PathBuf>,
    /// The entries that complete the text as it was last typed: the folder is read when the
    /// text changes, not every frame.
    listed: Option<(String, Vec<String>)>,
}

/// What the user answered in drplan's dialog this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Chosen(PathBuf),
    Cancelled,
}

impl PathDialog {
    pub fn new(purpose: Purpose, folder: &Path, file_name: &str, reason: impl Into<String>) -> Self {
        let mut text = folder.join(file_name).to_string_lossy().into_owned();
        if file_name.is_empty() && !text.ends_with('/') {
            text.push('/');
        }
        Self { purpose, text, reason: reason.into(), problem: None, replace_confirmed: None, listed: None }
    }

    /// Checks the typed path for the purpose; the path to use, or why not.
    pub fn check(&mut self) -> Result<PathBuf, String> {
        let typed = self.text.trim();
        if typed.is_empty() {
            return Err("Type a path.".to_owned());
        }
        let mut path = expand_home(typed);
        if path.is_relative() {
            return Err("Type a whole path, from / or ~.".to_owned());
        }
        match &self.purpose {
            Purpose::Open if !path.is_file() => Err(format!("There is no file {}.", path.display())),
            Purpose::Open => Ok(path),
            Purpose::SaveAs { .. } => {
                path = plan_file_name(path);
                let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
                if typed.ends_with('/') || path.is_dir() {
                    Err(format!("{} is a folder: add a file name.", path.display()))
                } else if !folder.is_dir() {
                    Err(format!("There is no folder {}.", folder.display()))
                } else if path.exists() && self.replace_confirmed.as_ref() != Some(&path) {
                    self.replace_confirmed = Some(path.clone());
                    Err(format!("{} exists. Save again to replace it.", path.display()))
                } else {
                    Ok(path)
                }
            }
            Purpose::ExportRunbook | Purpose::ExportFolder if path.is_file() => Err(format!("{} is a file, not a folder.", path.display())),
            Purpose::ExportRunbook | Purpose::ExportFolder => Ok(path),
            Purpose::ImportAzure if path.exists() => Ok(path),
            Purpose::ImportAzure => Err(format!("There is no file or folder {}.", path.display())),
        }
    }

    /// The entries that complete what is typed (see [`completions`]), read again only when the
    /// text has changed.
    fn matches(&mut self) -> Vec<String> {
        match &self.listed {
            Some((typed, matches)) if *typed == self.text => matches.clone(),
            _ => {
                let matches = completions(&self.text);
                self.listed = Some((self.text.clone(), matches.clone()));
                matches
            }
        }
    }

    /// Fills in the longest name shared by every entry that completes what is typed.
    pub fn complete(&mut self) {
        let matches = self.matches();
        let Some(first) = matches.first() else { return };
        let mut common = first.clone();
        for other in &matches[1..] {
            let shared = common.chars().zip(other.chars()).take_while(|(a, b)| a == b).count();
            common = common.chars().take(shared).collect();
        }
        if common.len() > self.text.len() {
            self.text = common;
        }
    }

    /// Draws the dialog; returns the user's answer once there is one.
    pub fn ui(&mut self, ctx: &egui::Context, places: &[(String, PathBuf)]) -> Option<Answer> {
        let mut answer = None;
        egui::Modal::new(egui::Id::new("path-dialog")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(self.purpose.title());
            ui.add(egui::Label::new(egui::RichText::new(&self.reason).weak()).wrap());
            ui.horizontal_wrapped(|ui| {
                for (label, folder) in places {
                    if ui.button(label).on_hover_text(folder.display().to_string()).clicked() {
                        self.text = format!("{}/", folder.display());
                        self.problem = None;
                    }
                }
            });
            // Enter in the field answers: taken before the field would take it as the end of
            // editing (a frame later, when the key is gone).
            let field_id = egui::Id::new("path-dialog-field");
            let entered = ui.memory(|memory| memory.has_focus(field_id)) && ui.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
            // Tab stays in the field, where it completes the path.
            let field = ui.add(egui::TextEdit::singleline(&mut self.text).desired_width(f32::INFINITY).id(field_id).lock_focus(true));
            if !field.has_focus() && ui.memory(|memory| memory.focused().is_none()) {
                field.request_focus();
            }
            if field.changed() {
                self.problem = None;
                self.replace_confirmed = None;
            }
            if field.has_focus() && ui.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Tab)) {
                self.complete();
                if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), field.id) {
                    let end = egui::text::CCursor::new(self.text.chars().count());
                    state.cursor.set_char_range(Some(egui::text::CCursorRange::one(end)));
                    state.store(ui.ctx(), field.id);
                }
            }
            let matches = self.matches();
            if !matches.is_empty() {
                egui::ScrollArea::vertical().max_height(160.0).show(ui, |ui| {
                    for candidate in matches.iter().take(50) {
                        let name = candidate.rsplit_terminator('/').next().unwrap_or(candidate);
                        let shown = if candidate.ends_with('/') { format!("{name}/") } else { name.to_owned() };
                        if ui.selectable_label(false, shown).clicked() {
                            self.text = candidate.clone();
                            self.problem = None;
                        }
                    }
                });
            }
            if let Some(problem) = &self.problem {
                ui.add(egui::Label::new(egui::RichText::new(problem).color(ui.visuals().warn_fg_color)).wrap());
            }
            ui.horizontal(|ui| {
                let confirm = match self.purpose {
                    Purpose::Open => "Open",
                    Purpose::SaveAs { .. } if self.replace_confirmed.is_some() => "Replace",
                    Purpose::SaveAs { .. } => "Save",
                    Purpose::ExportRunbook | Purpose::ExportFolder => "Export here",
                    Purpose::ImportAzure => "Import",
                };
                if ui.button(confirm).clicked() || entered {
                    match self.check() {
                        Ok(path) => answer = Some(Answer::Chosen(path)),
                        Err(problem) => self.problem = Some(problem),
                    }
                }
                if ui.button("Cancel").clicked() || ui.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
                    answer = Some(Answer::Cancelled);
                }
            });
        });
        answer
    }
}

/// A plan file's path with the plan extension when it has none, so Open's filter shows it.
pub fn plan_file_name(path: PathBuf) -> PathBuf {
    let named = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    if named.is_empty() || named.ends_with(".json") {
        return path;
    }
    let mut path = path;
    path.set_file_name(format!("{named}.drplan.json"));
    path
}

/// `~/plans` as the user's home folder joined with `plans`.
fn expand_home(typed: &str) -> PathBuf {
    match typed.strip_prefix("~") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
            home.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(typed),
    }
}

/// The entries of the typed path's folder whose names start with its last part, as whole
/// paths written as typed (folders end in `/`), folders first, then by name.
pub fn completions(typed: &str) -> Vec<String> {
    let (folder_text, prefix) = match typed.rfind('/') {
        Some(slash) => typed.split_at(slash + 1),
        None => return Vec::new(),
    };
    let Ok(entries) = std::fs::read_dir(expand_home(folder_text)) else { return Vec::new() };
    let mut found: Vec<(bool, String)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let hidden = name.starts_with('.') && !prefix.starts_with('.');
            (name.starts_with(prefix) && !hidden && name != prefix).then(|| {
                let folder = entry.file_type().is_ok_and(|kind| kind.is_dir());
                (!folder, format!("{folder_text}{name}{}", if folder { "/" } else { "" }))
            })
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, path)| path).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_lists_folders_first_and_fills_in_what_all_matches_share() {
        let root = tempfile::tempdir().expect("a folder");
        std::fs::create_dir(root.path().join("plans")).expect("a folder");
        std::fs::write(root.path().join("plan-a.drplan.json"), "{}").expect("a file");
        std::fs::write(root.path().join("plan-b.drplan.json"), "{}").expect("a file");
        std::fs::write(root.path().join(".hidden"), "").expect("a file");
        let base = format!("{}/", root.path().display());
        assert_eq!(completions(&format!("{base}pl")), vec![format!("{base}plans/"), format!("{base}plan-a.drplan.json"), format!("{base}plan-b.drplan.json")]);
        assert!(completions(&base).iter().all(|path| !path.contains(".hidden")), "hidden entries only when asked for");
        let mut dialog = PathDialog::new(Purpose::Open, root.path(), "", "test");
        dialog.text = format!("{base}plan-");
        dialog.complete();
        assert_eq!(dialog.text, format!("{base}plan-"), "two files share only what is typed");
        dialog.text = format!("{base}plan-a");
        dialog.complete();
        assert_eq!(dialog.text, format!("{base}plan-a.drplan.json"));
    }

    #[test]
    fn save_as_adds_the_extension_refuses_missing_folders_and_asks_before_replacing() {
        let root = tempfile::tempdir().expect("a folder");
        let mut dialog = PathDialog::new(Purpose::SaveAs { then: None }, root.path(), "design", "test");
        assert_eq!(dialog.check(), Ok(root.path().join("design.drplan.json")));
        dialog.text = format!("{}/missing/plan.drplan.json", root.path().display());
        assert!(dialog.check().is_err_and(|problem| problem.contains("no folder")));
        let existing = root.path().join("plan.drplan.json");
        std::fs::write(&existing, "{}").expect("a file");
        dialog.text = existing.display().to_string();
        assert!(dialog.check().is_err_and(|problem| problem.contains("replace")), "asks first");
        let other = root.path().join("other.drplan.json");
        std::fs::write(&other, "{}").expect("a file");
        dialog.text = other.display().to_string();
        assert!(dialog.check().is_err_and(|problem| problem.contains("replace")), "another existing file is asked about too");
        dialog.text = existing.display().to_string();
        assert!(dialog.check().is_err(), "and the first again, once the answer was about another file");
        assert_eq!(dialog.check(), Ok(existing), "then replaces");
        dialog.text = "relative.drplan.json".to_owned();
        assert!(dialog.check().is_err());
    }

    #[test]
    fn dialogs_start_in_the_documents_or_home_folder_never_the_working_directory() {
        let folder = default_folder();
        assert!(folder.is_absolute() && folder.is_dir(), "{folder:?}");
    }
}
