//! The desktop planner (eframe). The window is a canvas of the plan with an outline on the left,
//! an inspector on the right and the findings below; a before/after view rehearses a failover.
//!
//! Panels record what the user asked for as [`Command`]s and edits; the app carries them out
//! after the frame is drawn (`actions.rs`). Each panel has its file; `canvas/` draws the plan as
//! the exported diagrams draw it and turns pointer input into edits; `state.rs` holds what is
//! remembered between runs, apart from the caches rebuilt from the model.

mod actions;
mod autosave;
mod canvas;
mod commands;
pub(crate) mod connect;
mod design;
pub mod document;
pub mod export_dialog;
pub mod file_dialog;
mod findings;
pub mod import;
mod inspector;
mod menu;
mod modals;
mod outline;
mod placing;
mod present;
mod rehearsal;
pub mod state;
mod worker;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use canvas::{CanvasCache, MIN_TEXT_PX, View};
pub use commands::Command;
pub use document::Document;
pub use state::Prefs;

use crate::edit::{Edit, ElementKey};
use crate::model::ElementKind;
use crate::model::*;

/// An action that would lose unsaved changes, waiting for the user's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Replace(Option<PathBuf>),
    /// Replace the plan with an import of these Azure JSON files.
    ImportAzure(Vec<PathBuf>),
    Quit,
}

/// The drplan desktop application.
pub struct DrPlanApp {
    pub document: Document,
    /// The selected elements, in the order they were selected.
    pub selection: Vec<ElementKey>,
    pub status: String,
    pub prefs: Prefs,
    pub before_after: bool,
    pub scenario: Option<ScenarioId>,
    /// Where the working plan is autosaved; None turns autosave off.
    pub recovery_path: Option<PathBuf>,
    /// A recovery copy newer than the plan was found and is offered.
    pub recovery_offer: Option<PathBuf>,
    /// A save found that another program changed this file since it was opened: the app asks
    /// whether to reload it or save elsewhere.
    pub changed_on_disk: Option<PathBuf>,
    pub quit_confirmed: bool,
    /// The design canvas: its cache, view and gesture.
    pub canvas: canvas::CanvasState,
    rehearsal: rehearsal::RehearsalView,
    drafts: inspector::Drafts,
    pending: Option<Pending>,
    connect_popup: Option<connect::ConnectPopup>,
    find: design::FindBar,
    /// What drplan copied last, for Edit → Paste (the system clipboard is read on Ctrl+V).
    copied: Option<String>,
    frame_target: Option<ElementKey>,
    /// The window title last sent to the platform.
    window_title: Option<String>,
    /// Use the platform's file dialog (false once it could not be shown, or when
    /// `DRPLAN_FILE_DIALOG=builtin`): drplan's own is shown instead.
    pub native_dialogs: bool,
    /// The scenario presented step by step, while it is.
    pub presentation: Option<present::Presentation>,
    /// A large plan's presentation while it is prepared on workers.
    pub presentation_start: Option<present::PresentationStart>,
    /// The Export dialog, while it is open.
    pub export_dialog: Option<export_dialog::ExportDialog>,
    /// drplan's own file dialog, while it is open.
    pub path_dialog: Option<file_dialog::PathDialog>,
    /// Propose recovery side, while it is open.
    pub mirror_dialog: Option<import::MirrorDialog>,
    /// What an import or a proposal made, until the user closes it.
    pub report: Option<import::Report>,
    autosave: autosave::Autosave,
}

/// The recovery copy of a plan file (or of an untitled plan), in the user's state directory.
pub fn recovery_path_for(plan_path: Option<&Path>) -> Option<PathBuf> {
    let directory = std::env::var_os("DRPLAN_RECOVERY_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_STATE_HOME").map(|state| PathBuf::from(state).join("drplan")))
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state/drplan")))?;
    recovery_path_in(&directory, plan_path)
}

/// The recovery copy of a plan file (or of an untitled plan) in `directory`.
fn recovery_path_in(directory: &Path, plan_path: Option<&Path>) -> Option<PathBuf> {
    let name = match plan_path {
        Some(path) => {
            let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in absolute.to_string_lossy().bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
            let stem = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
            format!("{hash:016x}-{stem}.recovery")
        }
        None => "untitled.recovery".to_owned(),
    };
    Some(directory.join(name))
}

impl DrPlanApp {
    /// The app, with `file` open if given (a file that fails to load leaves an empty plan and
    /// says why in the status line).
    pub fn new(file: Option<&Path>) -> Self {
        let mut app = Self {
            document: Document::untitled(),
            selection: Vec::new(),
            status: String::new(),
            prefs: Prefs::default(),
            before_after: false,
            scenario: None,
            recovery_path: None,
            recovery_offer: None,
            changed_on_disk: None,
            quit_confirmed: false,
            canvas: canvas::CanvasState::default(),
            rehearsal: rehearsal::RehearsalView::default(),
            drafts: inspector::Drafts::default(),
            pending: None,
            connect_popup: None,
            find: design::FindBar::default(),
            copied: None,
            frame_target: None,
            window_title: None,
            native_dialogs: file_dialog::native_dialogs_wanted(),
            path_dialog: None,
            export_dialog: None,
            mirror_dialog: None,
            report: None,
            presentation: None,
            presentation_start: None,
            autosave: autosave::Autosave::default(),
        };
        match file {
            Some(file) => app.open(file),
            None => app.set_recovery_path(),
        }
        app
    }

    /// Opens a plan file (without asking about unsaved changes: see `Command::OpenPath`).
    pub fn open(&mut self, file: &Path) {
        match Document::open(file) {
            Ok(document) => {
                self.document = document;
                self.after_replacing();
                self.status = format!("Opened {}", file.display());
                self.prefs.remember(file);
            }
            Err(error) => self.status = error.to_string(),
        }
    }

    /// Resets the view for a document just put in place. Only an opened file (and the app's
    /// start) offers a recovery copy: after New or an import, an older untitled copy would
    /// offer to replace what the user just asked for.
    fn after_replacing(&mut self) {
        self.selection.clear();
        self.presentation = None;
        self.presentation_start = None;
        self.rehearsal = rehearsal::RehearsalView::default();
        self.scenario = self.document.plan.scenarios.first().map(|scenario| scenario.id.clone());
        self.drafts.clear();
        self.connect_popup = None;
        self.canvas.cache.built_for = None;
        self.canvas.building = None;
        self.canvas.fit_pending = true;
        self.set_recovery_path();
        if self.document.path.is_none() {
            self.recovery_offer = None;
        }
    }

    /// The recovery copy of the document: in the folder autosave already uses (the one a test or
    /// `DRPLAN_RECOVERY_DIR` chose), else the default folder.
    fn set_recovery_path(&mut self) {
        let folder = self.recovery_path.as_deref().and_then(Path::parent).map(Path::to_path_buf);
        let path = match folder {
            Some(folder) => recovery_path_in(&folder, self.document.path.as_deref()),
            None => recovery_path_for(self.document.path.as_deref()),
        };
        self.use_recovery_path(path);
    }

    /// Autosaves to `path` from now on, and offers the copy found there if it holds changes.
    pub fn use_recovery_path(&mut self, path: Option<PathBuf>) {
        self.recovery_path = path;
        self.autosave.last = (Instant::now(), self.document.revision);
        self.recovery_offer = self.recovery_path.clone().filter(|path| crate::io::load(path).is_ok_and(|plan| plan != *self.document.plan));
    }

    /// Applies an edit and reports a refusal in the status line; returns whether it applied.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let structural = matches!(edit, Edit::Add(_) | Edit::Delete(_) | Edit::DeleteAll(_) | Edit::Batch(_));
        let added = added_keys(&edit);
        let deleted = matches!(edit, Edit::Delete(_) | Edit::DeleteAll(_));
        match self.document.apply(edit) {
            Ok(()) => {
                if !added.is_empty() {
                    self.select(added);
                }
                if deleted {
                    self.select(Vec::new());
                }
                if structural {
                    self.autosave();
                }
                true
            }
            Err(error) => {
                self.status = error.to_string();
                false
            }
        }
    }

    /// Replaces the selection (the inspector's drafts belong to the old one).
    pub fn select(&mut self, keys: Vec<ElementKey>) {
        if keys != self.selection {
            self.drafts.clear();
        }
        self.selection = keys;
    }

    /// The one selected element, when exactly one is.
    pub fn selected(&self) -> Option<&ElementKey> {
        match self.selection.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Where an element was drawn on the design canvas in the last frame, in screen points.
    pub fn canvas_rect_of(&self, key: &ElementKey) -> Option<egui::Rect> {
        self.canvas.cache.drawn_rect_of(key).map(|rect| self.canvas.view.to_screen_rect(rect))
    }

    /// Where the design canvas was on screen in the last frame, and its zoom (1.0 is 100 %).
    pub fn canvas_viewport(&self) -> (egui::Rect, f32) {
        (self.canvas.viewport, self.canvas.view.zoom)
    }

    fn discard_recovery(&mut self) {
        if let Some(path) = &self.recovery_path {
            let _ = std::fs::remove_file(path);
        }
        self.recovery_offer = None;
        // A copy still being written would bring the file back: it is looked at again when that
        // ends, and removed if the plan has no unsaved changes.
        self.autosave.discard_after_writing();
    }

    /// Saves to the document's file, or asks where when it has none (then `then` is carried out
    /// once the plan is saved). Returns true when the plan was saved now.
    pub fn save_then(&mut self, then: Option<Pending>) -> bool {
        match self.document.path.clone() {
            Some(path) => {
                let saved = self.save_to(&path);
                if saved && let Some(action) = then {
                    self.carry_out(action);
                }
                saved
            }
            None => {
                self.choose(file_dialog::Purpose::SaveAs { then });
                false
            }
        }
    }

    /// Asks for a file or folder for `purpose`: the platform's dialog, else drplan's own.
    pub fn choose(&mut self, purpose: file_dialog::Purpose) {
        let folder = self.document_folder().unwrap_or_else(file_dialog::default_folder);
        let file_name = match purpose {
            file_dialog::Purpose::SaveAs { .. } => self
                .document
                .path
                .as_deref()
                .and_then(Path::file_name)
                .map_or_else(|| "plan.drplan.json".to_owned(), |name| name.to_string_lossy().into_owned()),
            _ => String::new(),
        };
        let reason = if self.native_dialogs {
            match file_dialog::native(&purpose, &folder, &file_name) {
                file_dialog::Native::Picked(path) => return self.chosen(purpose, path),
                file_dialog::Native::PickedFiles(files) => return self.import_files(files),
                file_dialog::Native::Cancelled => return,
                file_dialog::Native::Unavailable => {
                    self.native_dialogs = false;
                    let missing = "No file dialog could be opened (no desktop portal and no zenity): drplan shows its own";
                    self.status = missing.to_owned();
                    format!("{missing}. Type a path (Tab completes), or pick a place.")
                }
            }
        } else {
            "Type a path (Tab completes), or pick a place.".to_owned()
        };
        self.path_dialog = Some(file_dialog::PathDialog::new(purpose, &folder, &file_name, reason));
    }

    /// Carries out what a file or folder was chosen for.
    fn chosen(&mut self, purpose: file_dialog::Purpose, path: PathBuf) {
        match purpose {
            file_dialog::Purpose::Open => self.ask_then(Pending::Replace(Some(path))),
            file_dialog::Purpose::SaveAs { then } => {
                let path = file_dialog::plan_file_name(path);
                if self.save_to(&path)
                    && let Some(action) = then
                {
                    self.carry_out(action);
                }
            }
            file_dialog::Purpose::ExportRunbook => self.export_runbook_into(&path),
            file_dialog::Purpose::ImportAzure => self.import_files(import::files_of(&path)),
            file_dialog::Purpose::ExportFolder => {
                if let Some(dialog) = &mut self.export_dialog {
                    dialog.folder_text = path.display().to_string();
                }
            }
        }
    }

    /// The folder of the plan's file, as a whole path.
    fn document_folder(&self) -> Option<PathBuf> {
        let path = self.document.path.as_deref()?;
        let absolute = std::fs::canonicalize(path).or_else(|_| std::path::absolute(path)).ok()?;
        absolute.parent().map(Path::to_path_buf)
    }

    /// The places drplan's own dialog offers: the plan's folder, home, documents and the
    /// folders of recent files.
    fn dialog_places(&self) -> Vec<(String, PathBuf)> {
        let mut places: Vec<(String, PathBuf)> = Vec::new();
        let mut add = |label: String, folder: PathBuf| {
            if folder.is_dir() && !places.iter().any(|(_, known)| *known == folder) {
                places.push((label, folder));
            }
        };
        if let Some(folder) = self.document_folder() {
            add("Plan's folder".to_owned(), folder);
        }
        if let Some(home) = std::env::var_os("HOME") {
            add("Home".to_owned(), PathBuf::from(home));
        }
        add("Documents".to_owned(), file_dialog::default_folder());
        for recent in self.prefs.recent.iter().filter_map(|path| path.parent()).take(5) {
            let label = recent.file_name().map_or_else(|| recent.display().to_string(), |name| name.to_string_lossy().into_owned());
            add(label, recent.to_path_buf());
        }
        places
    }

    fn path_dialog_ui(&mut self, ctx: &egui::Context) {
        let places = self.dialog_places();
        let Some(dialog) = &mut self.path_dialog else { return };
        match dialog.ui(ctx, &places) {
            Some(file_dialog::Answer::Chosen(path)) => {
                let purpose = dialog.purpose.clone();
                self.path_dialog = None;
                self.chosen(purpose, path);
            }
            Some(file_dialog::Answer::Cancelled) => self.path_dialog = None,
            None => {}
        }
    }

    pub fn save_to(&mut self, path: &Path) -> bool {
        let old_recovery = self.recovery_path.clone();
        match self.document.save_to(path) {
            Ok(()) => {
                if let Some(old) = old_recovery {
                    let _ = std::fs::remove_file(old);
                }
                self.recovery_path = recovery_path_for(Some(path));
                self.prefs.remember(path);
                self.status = format!("Saved {}", path.display());
                true
            }
            Err(error) => {
                if error.changed_on_disk() {
                    self.changed_on_disk = Some(path.to_owned());
                }
                self.status = error.to_string();
                false
            }
        }
    }

    fn ask_then(&mut self, action: Pending) {
        if self.document.is_modified() {
            self.pending = Some(action);
        } else {
            self.carry_out(action);
        }
    }

    fn carry_out(&mut self, action: Pending) {
        match action {
            Pending::Replace(None) => {
                self.discard_recovery();
                self.document = Document::untitled();
                self.after_replacing();
                self.status = "New plan".to_owned();
            }
            Pending::Replace(Some(path)) => {
                self.discard_recovery();
                self.open(&path);
            }
            Pending::ImportAzure(files) => self.import_azure(&files),
            Pending::Quit => {
                self.discard_recovery();
                self.quit_confirmed = true;
            }
        }
    }

    /// Draws the whole window, then carries out what the user asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !canvas::fonts_ready(&ctx) {
            canvas::install_fonts(&ctx);
            // Ctrl+= and Ctrl+- zoom the canvas, not the whole window.
            ctx.options_mut(|options| options.zoom_with_keyboard = false);
            ctx.request_repaint();
        }
        let mut commands: Vec<Command> = Vec::new();
        let mut edits: Vec<Edit> = Vec::new();
        if self.poll_autosave() {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        if self.document.poll_validation() {
            self.status = "Validating…".to_owned();
            ctx.request_repaint_after(Duration::from_millis(30));
        } else if self.status == "Validating…" {
            self.status.clear();
        }
        // The title is sent when it changes, not compared with the viewport's: some platforms
        // (X11 without a window manager) never report a title back, and every command sent
        // asks for another frame, so comparing with it redrew the window forever.
        let title = self.document.title();
        if self.window_title.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = Some(title);
        }
        if ctx.input(|input| input.viewport().close_requested()) && !self.quit_confirmed {
            if self.document.is_modified() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Pending::Quit);
            } else {
                self.discard_recovery();
            }
        }
        if (self.presentation.is_some() || self.presentation_start.is_some()) && self.pending.is_none() && self.present_ui(ui) {
            return;
        }
        // A close asked for while presenting: leave the presentation to answer it.
        self.presentation = None;
        self.presentation_start = None;
        let typing = ctx.egui_wants_keyboard_input() || self.pending.is_some();
        if self.path_dialog.is_none() && self.export_dialog.is_none() && self.mirror_dialog.is_none() {
            commands.extend(ui.input_mut(|input| Command::from_keys(input, typing)));
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, &mut commands));
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.add(egui::Label::new(&self.status).truncate());
        });
        egui::Panel::bottom("findings").resizable(true).default_size(140.0).show(ui, |ui| self.findings_ui(ui));
        egui::Panel::left("outline").resizable(true).default_size(200.0).min_size(150.0).max_size(420.0).show(ui, |ui| self.outline_ui(ui));
        egui::Panel::right("inspector").resizable(true).default_size(300.0).min_size(250.0).max_size(560.0).show(ui, |ui| {
            self.inspector_panel_ui(ui, &mut edits, &mut commands);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if self.before_after {
                self.before_after_ui(ui);
            } else {
                self.design_ui(ui, &mut edits);
            }
        });
        if let Some(edit) = connect::popup_ui(&ctx, &mut self.connect_popup, &self.document.plan) {
            edits.push(edit);
        }
        self.modals_ui(&ctx, &mut commands);
        // The file dialog first: it takes Escape before the Export dialog under it.
        self.path_dialog_ui(&ctx);
        self.export_dialog_ui(&ctx);
        self.mirror_dialog_ui(&ctx);
        self.report_ui(&ctx);

        for edit in edits {
            self.apply(edit);
        }
        for command in commands {
            self.run(command, &ctx);
        }
        self.autosave_if_due(&ctx);
        // A quit confirmed by a save that finished in drplan's own dialog closes the window now.
        if self.quit_confirmed && self.pending.is_none() && self.path_dialog.is_none() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

/// The elements an edit adds that the user should see selected.
fn added_keys(edit: &Edit) -> Vec<ElementKey> {
    match edit {
        Edit::Add(element) if element.key().kind != ElementKind::Scenario && element.key().kind != ElementKind::Connection => vec![element.key()],
        Edit::Batch(edits) => edits.iter().flat_map(added_keys).take(1).collect(),
        _ => Vec::new(),
    }
}

impl eframe::App for DrPlanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        DrPlanApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Prefs::KEY, &self.prefs);
    }
}

/// Opens the desktop window, with `file` loaded if given; returns when the window closes.
pub fn run(file: Option<PathBuf>) -> anyhow::Result<()> {
    let options =
        eframe::NativeOptions { viewport: egui::ViewportBuilder::default().with_inner_size([1400.0, 900.0]).with_title("drplan"), ..Default::default() };
    eframe::run_native(
        "drplan",
        options,
        Box::new(move |creation| {
            // DRPLAN_THEME=light or dark starts in that theme (View switches it); else the
            // system's.
            match std::env::var("DRPLAN_THEME").as_deref() {
                Ok("light") => creation.egui_ctx.set_theme(egui::Theme::Light),
                Ok("dark") => creation.egui_ctx.set_theme(egui::Theme::Dark),
                _ => {}
            }
            let mut app = DrPlanApp::new(file.as_deref());
            if let Some(stored) = creation.storage.and_then(|storage| eframe::get_value::<Prefs>(storage, Prefs::KEY)) {
                app.prefs = Prefs::restored(stored, &app.prefs);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|error| anyhow::anyhow!("cannot open the window: {error}"))
}
