//! The desktop planner (eframe): a canvas of the plan, a palette to add elements, an inspector,
//! live findings, and a before/after view of a failover scenario. Panels record what the user
//! asked for as commands and edits; the app applies them after the frame is drawn.

mod canvas;
pub mod document;
mod inspector;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Key, KeyboardShortcut, Modifiers, RichText};

pub use canvas::{CanvasGraph, Marks, Theme};
pub use document::Document;

use crate::edit::{Edit, Element, ElementKey, fresh_id};
use crate::model::*;
use crate::plan::RecoveryPlan;
use crate::simulate::{Difference, Outcome};
use crate::validate::{ElementKind, Severity};

/// Autosave a recovery copy at least this often while there are unsaved changes.
const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(30);

/// Everything the user can ask for from a menu, a button or a shortcut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    New,
    Open,
    OpenPath(PathBuf),
    Save,
    SaveAs,
    Undo,
    Redo,
    Delete,
    FitView,
    ToggleMachines,
    ToggleBeforeAfter,
    ExportRunbook,
    ExportDiagrams,
    Quit,
    RestoreRecovery,
    DiscardRecovery,
}

impl Command {
    /// The keyboard shortcut of a command, shown in its menu entry.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let command = Modifiers::COMMAND;
        let command_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        Some(match self {
            Self::New => KeyboardShortcut::new(command, Key::N),
            Self::Open => KeyboardShortcut::new(command, Key::O),
            Self::Save => KeyboardShortcut::new(command, Key::S),
            Self::SaveAs => KeyboardShortcut::new(command_shift, Key::S),
            Self::Undo => KeyboardShortcut::new(command, Key::Z),
            Self::Redo => KeyboardShortcut::new(command_shift, Key::Z),
            Self::Delete => KeyboardShortcut::new(Modifiers::NONE, Key::Delete),
            Self::FitView => KeyboardShortcut::new(command, Key::Num0),
            Self::ToggleMachines => KeyboardShortcut::new(command, Key::M),
            Self::ToggleBeforeAfter => KeyboardShortcut::new(command, Key::B),
            Self::Quit => KeyboardShortcut::new(command, Key::Q),
            _ => return None,
        })
    }

    /// Commands that have shortcuts, checked every frame (Redo's second shortcut is Ctrl+Y).
    const WITH_SHORTCUTS: [Command; 11] = [
        Command::SaveAs,
        Command::Save,
        Command::New,
        Command::Open,
        Command::Redo,
        Command::Undo,
        Command::Delete,
        Command::FitView,
        Command::ToggleMachines,
        Command::ToggleBeforeAfter,
        Command::Quit,
    ];
}

/// An action that would lose unsaved changes, waiting for the user's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Replace(Option<PathBuf>),
    Quit,
}

/// The before/after view's cached simulation.
struct Rehearsal {
    revision: u64,
    scenario: ScenarioId,
    outcome: Outcome,
    recovery: RecoveryPlan,
}

/// The drplan desktop application.
pub struct DrPlanApp {
    pub document: Document,
    pub selection: Option<ElementKey>,
    pub status: String,
    pub show_machines: bool,
    pub before_after: bool,
    pub scenario: Option<ScenarioId>,
    pub recent: Vec<PathBuf>,
    /// Where the working plan is autosaved; None turns autosave off.
    pub recovery_path: Option<PathBuf>,
    /// A recovery copy newer than the plan was found and is offered.
    pub recovery_offer: Option<PathBuf>,
    pub quit_confirmed: bool,
    canvas: CanvasGraph,
    before_canvas: CanvasGraph,
    after_canvas: CanvasGraph,
    rehearsal: Option<Rehearsal>,
    drafts: inspector::Drafts,
    pending: Option<Pending>,
    fit_views: u8,
    frame_target: Option<ElementKey>,
    last_autosave: (Instant, u64),
}

/// The recovery copy of a plan file (or of an untitled plan), in the user's state directory.
pub fn recovery_path_for(plan_path: Option<&Path>) -> Option<PathBuf> {
    let directory = std::env::var_os("DRPLAN_RECOVERY_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_STATE_HOME").map(|state| PathBuf::from(state).join("drplan")))
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state/drplan")))?;
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
            selection: None,
            status: String::new(),
            show_machines: false,
            before_after: false,
            scenario: None,
            recent: Vec::new(),
            recovery_path: None,
            recovery_offer: None,
            quit_confirmed: false,
            canvas: CanvasGraph::default(),
            before_canvas: CanvasGraph::default(),
            after_canvas: CanvasGraph::default(),
            rehearsal: None,
            drafts: inspector::Drafts::default(),
            pending: None,
            fit_views: 2,
            frame_target: None,
            last_autosave: (Instant::now(), 0),
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
                self.recent.retain(|known| known != file);
                self.recent.insert(0, file.to_owned());
                self.recent.truncate(10);
            }
            Err(error) => self.status = error.to_string(),
        }
    }

    fn after_replacing(&mut self) {
        self.selection = None;
        self.rehearsal = None;
        self.scenario = self.document.plan.scenarios.first().map(|scenario| scenario.id.clone());
        self.drafts.clear();
        self.canvas.built_for = None;
        self.fit_views = 2;
        self.set_recovery_path();
    }

    fn set_recovery_path(&mut self) {
        self.use_recovery_path(recovery_path_for(self.document.path.as_deref()));
    }

    /// Autosaves to `path` from now on, and offers the copy found there if it holds changes.
    pub fn use_recovery_path(&mut self, path: Option<PathBuf>) {
        self.recovery_path = path;
        self.last_autosave = (Instant::now(), self.document.revision);
        self.recovery_offer = self.recovery_path.clone().filter(|path| {
            let Ok(text) = std::fs::read_to_string(path) else { return false };
            crate::io::parse_str(&text, path).is_ok_and(|plan| plan != *self.document.plan)
        });
    }

    /// Applies an edit and reports a refusal in the status line.
    pub fn apply(&mut self, edit: Edit) {
        let structural = matches!(edit, Edit::Add(_) | Edit::Delete(_));
        let added = match &edit {
            Edit::Add(element) => Some(element.key()),
            _ => None,
        };
        let deleted = matches!(edit, Edit::Delete(_));
        match self.document.apply(edit) {
            Ok(()) => {
                if let Some(key) = added.filter(|key| key.kind != ElementKind::Scenario) {
                    self.selection = Some(key);
                    self.drafts.clear();
                }
                if deleted {
                    self.selection = None;
                    self.drafts.clear();
                }
                if structural {
                    self.autosave();
                }
            }
            Err(error) => self.status = error.to_string(),
        }
    }

    /// Writes the recovery copy now.
    pub fn autosave(&mut self) {
        let Some(path) = self.recovery_path.clone() else { return };
        self.last_autosave = (Instant::now(), self.document.revision);
        if !self.document.is_modified() {
            let _ = std::fs::remove_file(&path);
            return;
        }
        if let Some(directory) = path.parent() {
            let _ = std::fs::create_dir_all(directory);
        }
        if let Err(error) = crate::io::save(&self.document.plan, &path) {
            self.status = format!("Autosave failed: {error}");
        }
    }

    fn autosave_if_due(&mut self) {
        let (at, revision) = self.last_autosave;
        if revision != self.document.revision && at.elapsed() >= AUTOSAVE_INTERVAL {
            self.autosave();
        }
    }

    fn discard_recovery(&mut self) {
        if let Some(path) = &self.recovery_path {
            let _ = std::fs::remove_file(path);
        }
        self.recovery_offer = None;
    }

    /// Saves to the document's file, or asks where when it has none.
    pub fn save(&mut self) -> bool {
        match self.document.path.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    fn save_as(&mut self) -> bool {
        let picked = rfd::FileDialog::new().add_filter("drplan plan", &["json"]).set_file_name("plan.drplan.json").save_file();
        picked.is_some_and(|path| self.save_to(&path))
    }

    pub fn save_to(&mut self, path: &Path) -> bool {
        let old_recovery = self.recovery_path.clone();
        match self.document.save_to(path) {
            Ok(()) => {
                if let Some(old) = old_recovery {
                    let _ = std::fs::remove_file(old);
                }
                self.recovery_path = recovery_path_for(Some(path));
                self.status = format!("Saved {}", path.display());
                true
            }
            Err(error) => {
                self.status = error.to_string();
                false
            }
        }
    }

    /// Runs a command, asking first when it would lose unsaved changes.
    pub fn run(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::New => self.ask_then(Pending::Replace(None)),
            Command::Open => {
                if let Some(path) = rfd::FileDialog::new().add_filter("drplan plan", &["json"]).pick_file() {
                    self.ask_then(Pending::Replace(Some(path)));
                }
            }
            Command::OpenPath(path) => self.ask_then(Pending::Replace(Some(path))),
            Command::Save => {
                self.save();
            }
            Command::SaveAs => {
                self.save_as();
            }
            Command::Undo => {
                if self.document.undo() {
                    self.drafts.clear();
                }
            }
            Command::Redo => {
                if self.document.redo() {
                    self.drafts.clear();
                }
            }
            Command::Delete => {
                if let Some(selection) = self.selection.clone() {
                    self.apply(Edit::Delete(selection));
                }
            }
            Command::FitView => self.fit_views = 2,
            Command::ToggleMachines => self.show_machines = !self.show_machines,
            Command::ToggleBeforeAfter => {
                self.before_after = !self.before_after;
                self.fit_views = 2;
            }
            Command::ExportRunbook => self.export_runbook(),
            Command::ExportDiagrams => {
                if let Some(directory) = rfd::FileDialog::new().set_title("Export the diagrams into a folder").pick_folder() {
                    match self.export_diagrams(&directory) {
                        Ok(files) => self.status = format!("Wrote {} diagrams to {}", files.len(), directory.display()),
                        Err(error) => self.status = error,
                    }
                }
            }
            Command::Quit => self.ask_then(Pending::Quit),
            Command::RestoreRecovery => {
                if let Some(path) = self.recovery_offer.take() {
                    match crate::io::load(&path) {
                        Ok(plan) => {
                            self.document.restore(plan);
                            self.drafts.clear();
                            self.status = "Restored the unsaved changes from the recovery copy".to_owned();
                        }
                        Err(error) => self.status = error.to_string(),
                    }
                }
            }
            Command::DiscardRecovery => self.discard_recovery(),
        }
        if let Some(Pending::Quit) = &self.pending {
            // Nothing else to do until the user answers.
        } else if self.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
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
            }
            Pending::Replace(Some(path)) => {
                self.discard_recovery();
                self.open(&path);
            }
            Pending::Quit => {
                self.discard_recovery();
                self.quit_confirmed = true;
            }
        }
    }

    fn export_runbook(&mut self) {
        let Some(directory) = rfd::FileDialog::new().set_title("Export the recovery plan into a folder").pick_folder() else { return };
        match self.export_recovery_plan(&directory) {
            Ok(count) => self.status = format!("Wrote {count} files to {}", directory.display()),
            Err(error) => self.status = error,
        }
    }

    /// Writes the chosen scenario's recovery plan with its before/after diagrams; returns how
    /// many files were written.
    pub fn export_recovery_plan(&mut self, directory: &Path) -> Result<usize, String> {
        let diagrams = self.export_diagrams(directory)?;
        let names: Vec<String> = diagrams.iter().filter_map(|path| path.file_name()).map(|name| name.to_string_lossy().into_owned()).collect();
        let Some(rehearsal) = &self.rehearsal else { return Err("Choose a failover scenario first".to_owned()) };
        let files = crate::export::write_plan(&rehearsal.recovery, directory, &names).map_err(|error| error.to_string())?;
        Ok(files.len() + diagrams.len())
    }

    /// Writes the before and after diagrams of the chosen scenario as SVG and PNG, the same
    /// files `drplan diagram` writes.
    pub fn export_diagrams(&mut self, directory: &Path) -> Result<Vec<PathBuf>, String> {
        use crate::export::diagram;
        self.refresh_rehearsal();
        let rehearsal = self.rehearsal.as_ref().ok_or("Choose a failover scenario first")?;
        let plan = &self.document.plan;
        let scenario = plan.scenario(&rehearsal.scenario).ok_or("Choose a failover scenario first")?;
        let stem = self.document.path.as_deref().map_or_else(|| "untitled".to_owned(), diagram::plan_stem);
        let options = diagram::Options { machines: self.show_machines, date: diagram::Date::today_utc() };
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

    fn refresh_rehearsal(&mut self) {
        let Some(id) = self.scenario.clone() else {
            self.rehearsal = None;
            return;
        };
        let current = self.rehearsal.as_ref().is_some_and(|rehearsal| rehearsal.revision == self.document.revision && rehearsal.scenario == id);
        if current {
            return;
        }
        let plan = &self.document.plan;
        let Some(scenario) = plan.scenario(&id) else {
            self.rehearsal = None;
            return;
        };
        match crate::simulate::simulate(plan, scenario) {
            Ok(outcome) => {
                let recovery = crate::plan::recovery_plan(plan, scenario, &outcome);
                self.rehearsal = Some(Rehearsal { revision: self.document.revision, scenario: id, outcome, recovery });
                self.before_canvas.built_for = None;
                self.after_canvas.built_for = None;
            }
            Err(error) => {
                self.status = error.to_string();
                self.rehearsal = None;
            }
        }
    }

    /// Draws the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut commands: Vec<Command> = Vec::new();
        let mut edits: Vec<Edit> = Vec::new();
        if self.document.poll_validation() {
            self.status = "Validating…".to_owned();
            ctx.request_repaint_after(Duration::from_millis(30));
        } else if self.status == "Validating…" {
            self.status.clear();
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(self.document.title()));
        if ctx.input(|input| input.viewport().close_requested()) && !self.quit_confirmed {
            if self.document.is_modified() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Pending::Quit);
            } else {
                self.discard_recovery();
            }
        }
        let typing = ctx.egui_wants_keyboard_input();
        ui.input_mut(|input| {
            if !typing {
                for command in Command::WITH_SHORTCUTS {
                    if let Some(shortcut) = command.shortcut() {
                        if input.consume_shortcut(&shortcut) {
                            commands.push(command);
                        }
                    }
                }
                if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)) {
                    commands.push(Command::Redo);
                }
            }
        });

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, &mut commands));
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui, &mut commands, &mut edits));
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.label(&self.status);
        });
        egui::Panel::bottom("findings").resizable(true).default_size(170.0).show(ui, |ui| self.findings_ui(ui));
        egui::Panel::left("outline").resizable(true).default_size(220.0).show(ui, |ui| self.outline_ui(ui));
        egui::Panel::right("inspector").resizable(true).default_size(340.0).show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("inspector-scroll").show(ui, |ui| {
                if self.before_after {
                    if let Some(edit) = self.scenario_editor_ui(ui) {
                        edits.push(edit);
                    }
                    self.rehearsal_ui(ui);
                } else {
                    match self.selection.clone() {
                        Some(selection) => {
                            if let Some(edit) = inspector::inspector_ui(ui, &self.document.plan, &self.document.report, &selection, &mut self.drafts) {
                                edits.push(edit);
                            }
                        }
                        None => {
                            ui.heading("Plan");
                            let mut name = self.document.plan.name.clone();
                            ui.label("Name");
                            if ui.text_edit_singleline(&mut name).changed() {
                                edits.push(Edit::Rename { name });
                            }
                            ui.label(RichText::new("Select an element on the canvas to edit it.").weak());
                        }
                    }
                }
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if self.before_after {
                self.before_after_ui(ui);
            } else {
                self.design_canvas_ui(ui, &mut edits);
            }
        });
        self.modals_ui(&ctx, &mut commands);

        for edit in edits {
            self.apply(edit);
        }
        for command in commands {
            self.run(command, &ctx);
        }
        self.autosave_if_due();
    }

    fn menu_item(ui: &mut egui::Ui, label: &str, command: Command, commands: &mut Vec<Command>, enabled: bool) {
        let mut button = egui::Button::new(label);
        if let Some(shortcut) = command.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        if ui.add_enabled(enabled, button).clicked() {
            commands.push(command);
        }
    }

    fn menu_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                Self::menu_item(ui, "New", Command::New, commands, true);
                Self::menu_item(ui, "Open…", Command::Open, commands, true);
                ui.menu_button("Open recent", |ui| {
                    if self.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in &self.recent {
                        if ui.button(path.display().to_string()).clicked() {
                            commands.push(Command::OpenPath(path.clone()));
                        }
                    }
                });
                Self::menu_item(ui, "Save", Command::Save, commands, true);
                Self::menu_item(ui, "Save As…", Command::SaveAs, commands, true);
                ui.separator();
                Self::menu_item(ui, "Export recovery plan…", Command::ExportRunbook, commands, self.scenario.is_some());
                Self::menu_item(ui, "Export diagrams…", Command::ExportDiagrams, commands, self.scenario.is_some());
                ui.separator();
                Self::menu_item(ui, "Quit", Command::Quit, commands, true);
            });
            ui.menu_button("Edit", |ui| {
                Self::menu_item(ui, "Undo", Command::Undo, commands, self.document.can_undo());
                Self::menu_item(ui, "Redo", Command::Redo, commands, self.document.can_redo());
                Self::menu_item(ui, "Delete", Command::Delete, commands, self.selection.is_some());
            });
            ui.menu_button("View", |ui| {
                Self::menu_item(ui, "Fit to view", Command::FitView, commands, true);
                Self::menu_item(ui, "Show machines", Command::ToggleMachines, commands, true);
                Self::menu_item(ui, "Before / after", Command::ToggleBeforeAfter, commands, true);
                ui.separator();
                let dark = ui.visuals().dark_mode;
                if ui.button(if dark { "Light theme" } else { "Dark theme" }).clicked() {
                    ui.ctx().set_theme(if dark { egui::Theme::Light } else { egui::Theme::Dark });
                }
            });
        });
    }

    /// The palette and the scenario picker.
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>, edits: &mut Vec<Edit>) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Add").strong());
            for (role, label) in [(SiteRole::Primary, "+ Primary site"), (SiteRole::Recovery, "+ Recovery site"), (SiteRole::Third, "+ Third site")] {
                if ui.button(label).clicked() {
                    edits.push(self.new_site(role));
                }
            }
            for (kind, label) in [
                (ElementKind::Network, "+ Network"),
                (ElementKind::Subnet, "+ Subnet"),
                (ElementKind::Machine, "+ Machine"),
                (ElementKind::Circuit, "+ Circuit"),
            ] {
                if ui.button(label).clicked() {
                    match self.new_element(kind) {
                        Ok(edit) => edits.push(edit),
                        Err(reason) => self.status = reason,
                    }
                }
            }
            ui.separator();
            let mut machines = self.show_machines;
            if ui.checkbox(&mut machines, "Machines").changed() {
                commands.push(Command::ToggleMachines);
            }
            if ui.button("Fit").on_hover_text("Fit the plan to the view").clicked() {
                commands.push(Command::FitView);
            }
            ui.separator();
            ui.label("Scenario");
            let plan = &self.document.plan;
            let selected = self.scenario.as_ref().and_then(|id| plan.scenario(id)).map_or("(none)".to_owned(), |scenario| scenario.name.clone());
            egui::ComboBox::from_id_salt("scenario").selected_text(selected).show_ui(ui, |ui| {
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

    /// The site an added element should go into: the selection's site, else the first.
    fn selected_site(&self) -> Option<SiteId> {
        let plan = &self.document.plan;
        let from_selection = self.selection.as_ref().and_then(|key| match key.kind {
            ElementKind::Site => Some(SiteId::new(&key.id)),
            ElementKind::Network => plan.network(&NetworkId::new(&key.id)).map(|network| network.site.clone()),
            ElementKind::Subnet => plan.network_of_subnet(&SubnetId::new(&key.id)).map(|network| network.site.clone()),
            ElementKind::Machine => plan
                .machine(&MachineId::new(&key.id))
                .and_then(|machine| plan.network_of_subnet(&machine.subnet))
                .map(|network| network.site.clone()),
            ElementKind::Circuit => plan.circuit(&CircuitId::new(&key.id)).map(|circuit| circuit.site.clone()),
            _ => None,
        });
        from_selection.or_else(|| plan.sites.first().map(|site| site.id.clone()))
    }

    fn new_site(&self, role: SiteRole) -> Edit {
        let plan = &self.document.plan;
        let right = self.canvas.layout.sites.values().map(|rect| rect.max.x).fold(0.0_f32, f32::max);
        let (kind, name) = match role {
            SiteRole::Third => (SiteKind::HyperVVmm, "Third site"),
            _ => (SiteKind::CloudRegion, if role == SiteRole::Primary { "Primary region" } else { "Recovery region" }),
        };
        Edit::Add(Element::Site(Site {
            id: SiteId::new(fresh_id(plan, "site")),
            name: name.to_owned(),
            kind,
            role,
            region: None,
            geography: None,
            position: Some(Point::new(if plan.sites.is_empty() { 0.0 } else { right + 80.0 }, 0.0)),
        }))
    }

    fn new_element(&self, kind: ElementKind) -> Result<Edit, String> {
        let plan = &self.document.plan;
        match kind {
            ElementKind::Network => {
                let site = self.selected_site().ok_or("Add a site first")?;
                let used: Vec<Prefix> = plan.networks.iter().flat_map(|network| network.address_space.clone()).collect();
                let space = (1..=250)
                    .filter_map(|octet| format!("10.{octet}.0.0/16").parse::<Prefix>().ok())
                    .find(|candidate| !used.iter().any(|prefix| prefix.overlaps(candidate)))
                    .ok_or("No free 10.x.0.0/16 address space left")?;
                let below = self.canvas.layout.sites.get(&site).map(|rect| Point::new(rect.min.x + 24.0, rect.max.y + 16.0));
                let is_cloud = plan.site(&site).is_some_and(|site| !site.kind.is_on_premises());
                Ok(Edit::Add(Element::Network(Network {
                    id: NetworkId::new(fresh_id(plan, "net")),
                    name: format!("Network {}", plan.networks.len() + 1),
                    site,
                    kind: if is_cloud { NetworkKind::Vnet } else { NetworkKind::Lan },
                    address_space: vec![space],
                    purpose: NetworkPurpose::Production,
                    isolation: Isolation::None,
                    gateways: Vec::new(),
                    route_tables: Vec::new(),
                    service_endpoints: Vec::new(),
                    nvas: Vec::new(),
                    position: below,
                })))
            }
            ElementKind::Subnet => {
                let network = self.selected_network().ok_or("Select a network to add a subnet to")?;
                let network = plan.network(&network).ok_or("Select a network to add a subnet to")?;
                let used: Vec<Prefix> = plan.subnets_of(&network.id).map(|subnet| subnet.prefix).collect();
                let prefix = network
                    .address_space
                    .iter()
                    .filter_map(|space| space.net().trunc().subnets(24.max(space.net().prefix_len())).ok())
                    .flatten()
                    .map(Prefix)
                    .find(|candidate| !used.iter().any(|prefix| prefix.overlaps(candidate)))
                    .ok_or("The network has no free /24 left")?;
                Ok(Edit::Add(Element::Subnet(Subnet {
                    id: SubnetId::new(fresh_id(plan, "sub")),
                    name: format!("Subnet {}", used.len() + 1),
                    network: network.id.clone(),
                    prefix,
                    allocation: Allocation::Static,
                    static_pool: None,
                    dhcp_range: None,
                    position: None,
                })))
            }
            ElementKind::Machine => {
                let subnet = self.selected_subnet().ok_or("Select a subnet to add a machine to")?;
                let subnet = plan.subnet(&subnet).ok_or("Select a subnet to add a machine to")?;
                let used: HashSet<std::net::IpAddr> = plan.machines.iter().map(|machine| machine.ip).collect();
                let ip = subnet.prefix.net().trunc().hosts().skip(3).find(|ip| !used.contains(ip)).ok_or("The subnet is full")?;
                Ok(Edit::Add(Element::Machine(Machine {
                    id: MachineId::new(fresh_id(plan, "vm")),
                    name: format!("VM{:02}", plan.machines.len() + 1),
                    subnet: subnet.id.clone(),
                    ip,
                    ip_allocation: Allocation::Static,
                    public_ip: None,
                    application: String::new(),
                    tier: String::new(),
                    roles: Vec::new(),
                    recovery_group: std::num::NonZeroU32::MIN,
                    target: None,
                    dns: None,
                    position: None,
                })))
            }
            ElementKind::Circuit => {
                let site = self
                    .selected_site()
                    .filter(|site| plan.site(site).is_some_and(|site| site.kind.is_on_premises()))
                    .or_else(|| plan.sites.iter().find(|site| site.kind.is_on_premises()).map(|site| site.id.clone()))
                    .ok_or("Add an on-premises site for the circuit first")?;
                let below = self.canvas.layout.sites.get(&site).map(|rect| Point::new(rect.min.x + 24.0, rect.max.y + 16.0));
                Ok(Edit::Add(Element::Circuit(Circuit {
                    id: CircuitId::new(fresh_id(plan, "circuit")),
                    name: format!("Circuit {}", plan.circuits.len() + 1),
                    site,
                    peering_location: "Hong Kong".to_owned(),
                    geography: "Asia Pacific".to_owned(),
                    bandwidth_mbps: 1000,
                    premium: false,
                    position: below,
                })))
            }
            _ => Err("That element is added from the inspector".to_owned()),
        }
    }

    fn selected_network(&self) -> Option<NetworkId> {
        let plan = &self.document.plan;
        self.selection.as_ref().and_then(|key| match key.kind {
            ElementKind::Network => Some(NetworkId::new(&key.id)),
            ElementKind::Subnet => plan.subnet(&SubnetId::new(&key.id)).map(|subnet| subnet.network.clone()),
            ElementKind::Machine => plan.machine(&MachineId::new(&key.id)).and_then(|machine| plan.network_of_subnet(&machine.subnet)).map(|network| network.id.clone()),
            _ => None,
        })
    }

    fn selected_subnet(&self) -> Option<SubnetId> {
        let plan = &self.document.plan;
        self.selection.as_ref().and_then(|key| match key.kind {
            ElementKind::Subnet => Some(SubnetId::new(&key.id)),
            ElementKind::Machine => plan.machine(&MachineId::new(&key.id)).map(|machine| machine.subnet.clone()),
            ElementKind::Network => plan.subnets_of(&NetworkId::new(&key.id)).next().map(|subnet| subnet.id.clone()),
            _ => None,
        })
    }

    fn design_canvas_ui(&mut self, ui: &mut egui::Ui, edits: &mut Vec<Edit>) {
        let theme = Theme::for_visuals(ui.visuals());
        let wanted = (self.document.revision, self.show_machines, ui.visuals().dark_mode);
        if self.canvas.built_for != Some(wanted) {
            self.canvas = CanvasGraph::build(&self.document.plan, &self.document.report, self.show_machines, &Marks::default(), &theme);
            self.canvas.built_for = Some(wanted);
        }
        self.canvas.select(self.selection.as_ref());
        legend_ui(ui, &theme);
        if let Some(target) = self.frame_target.take() {
            if let Some(rect) = self.canvas.layout.rect_of(&target) {
                canvas::frame_rect(ui, "design", rect, ui.available_size());
            }
        }
        let fit = self.fit_views > 0;
        self.fit_views = self.fit_views.saturating_sub(1);
        let response = canvas::canvas_ui(ui, &mut self.canvas, &self.document.plan, "design", fit, true);
        if let Some((key, position)) = response.moved {
            edits.push(Edit::Move { key, position });
        }
        if let Some(clicked) = response.clicked {
            if self.selection.as_ref() != Some(&clicked) {
                self.drafts.clear();
            }
            self.selection = Some(clicked);
        } else if response.clicked_empty {
            self.selection = None;
            self.drafts.clear();
        }
    }

    fn before_after_ui(&mut self, ui: &mut egui::Ui) {
        self.refresh_rehearsal();
        let theme = Theme::for_visuals(ui.visuals());
        let Some(rehearsal) = &self.rehearsal else {
            ui.label("Choose a failover scenario to see the network before and after it.");
            return;
        };
        let marks = marks_of(&rehearsal.outcome.differences);
        let dark = ui.visuals().dark_mode;
        if self.before_canvas.built_for != Some((rehearsal.revision, self.show_machines, dark)) {
            let before_report = crate::validate::validate(&rehearsal.outcome.before);
            self.before_canvas = CanvasGraph::build(&rehearsal.outcome.before, &before_report, self.show_machines, &Marks { disconnected: marks.disconnected.clone(), ..Marks::default() }, &theme);
            self.before_canvas.built_for = Some((rehearsal.revision, self.show_machines, dark));
            let after_report = crate::validate::validate(&rehearsal.outcome.after);
            self.after_canvas = CanvasGraph::build(&rehearsal.outcome.after, &after_report, self.show_machines, &marks, &theme);
            self.after_canvas.built_for = Some((rehearsal.revision, self.show_machines, dark));
        }
        legend_ui(ui, &theme);
        let fit = self.fit_views > 0;
        self.fit_views = self.fit_views.saturating_sub(1);
        let before_plan = rehearsal.outcome.before.clone();
        let after_plan = rehearsal.outcome.after.clone();
        ui.columns(2, |columns| {
            columns[0].label(RichText::new("Before").strong());
            canvas::canvas_ui(&mut columns[0], &mut self.before_canvas, &before_plan, "before", fit, false);
            columns[1].label(RichText::new("After").strong());
            canvas::canvas_ui(&mut columns[1], &mut self.after_canvas, &after_plan, "after", fit, false);
        });
    }

    /// The chosen scenario's properties, and a button for a new scenario.
    fn scenario_editor_ui(&mut self, ui: &mut egui::Ui) -> Option<Edit> {
        let plan = &self.document.plan;
        ui.heading("Scenario");
        let mut edit = None;
        if ui.button("+ Scenario").clicked() {
            let from = plan.sites.iter().find(|site| site.role == SiteRole::Primary).or(plan.sites.first());
            let to = plan.sites.iter().find(|site| site.role == SiteRole::Recovery).or(plan.sites.last());
            if let (Some(from), Some(to)) = (from, to) {
                let id = ScenarioId::new(fresh_id(plan, "scn"));
                self.scenario = Some(id.clone());
                edit = Some(Edit::Add(Element::Scenario(Scenario {
                    id,
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
                })));
            } else {
                self.status = "Add sites first".to_owned();
            }
        }
        if let Some(scenario) = self.scenario.as_ref().and_then(|id| plan.scenario(id)).cloned() {
            edit = edit.or_else(|| inspector::scenario_ui(ui, plan, scenario));
        }
        ui.separator();
        edit
    }

    /// Differences and recovery plan steps of the chosen scenario.
    fn rehearsal_ui(&mut self, ui: &mut egui::Ui) {
        self.refresh_rehearsal();
        let Some(rehearsal) = &self.rehearsal else {
            ui.label("Choose a failover scenario.");
            return;
        };
        ui.heading("Differences");
        for difference in &rehearsal.outcome.differences {
            ui.label(crate::simulate::describe(difference, &rehearsal.outcome.before));
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

    /// Sites, their networks and circuits, and the scenarios, as a selectable tree.
    fn outline_ui(&mut self, ui: &mut egui::Ui) {
        let plan = &self.document.plan;
        let mut clicked = None;
        egui::ScrollArea::vertical().id_salt("outline-scroll").show(ui, |ui| {
            ui.heading("Outline");
            // Large plans start with their sites folded, so the outline costs little per frame.
            let open = plan.networks.len() <= 60;
            for site in &plan.sites {
                let key = ElementKey::new(ElementKind::Site, site.id.as_str());
                if ui.selectable_label(self.selection.as_ref() == Some(&key), RichText::new(format!("{} ({})", site.name, site.role.label())).strong()).clicked() {
                    clicked = Some(key);
                }
                let count = plan.networks_of(&site.id).count();
                egui::CollapsingHeader::new(if count == 1 { "1 network".to_owned() } else { format!("{count} networks") })
                    .id_salt(("outline", site.id.as_str()))
                    .default_open(open)
                    .show(ui, |ui| {
                        for network in plan.networks_of(&site.id) {
                            let key = ElementKey::new(ElementKind::Network, network.id.as_str());
                            let space = network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                            if ui.selectable_label(self.selection.as_ref() == Some(&key), format!("{} ({space})", network.name)).clicked() {
                                clicked = Some(key);
                            }
                        }
                        for circuit in plan.circuits.iter().filter(|circuit| circuit.site == site.id) {
                            let key = ElementKey::new(ElementKind::Circuit, circuit.id.as_str());
                            if ui.selectable_label(self.selection.as_ref() == Some(&key), format!("{} (circuit)", circuit.name)).clicked() {
                                clicked = Some(key);
                            }
                        }
                    });
            }
        });
        if let Some(key) = clicked {
            self.drafts.clear();
            self.frame_target = Some(key.clone());
            self.selection = Some(key);
        }
    }

    fn findings_ui(&mut self, ui: &mut egui::Ui) {
        let report = &self.document.report;
        ui.horizontal(|ui| {
            ui.heading("Findings");
            ui.label(format!(
                "{} errors, {} warnings, {} info",
                report.count(Severity::Error),
                report.count(Severity::Warning),
                report.count(Severity::Info)
            ));
        });
        let mut clicked = None;
        egui::ScrollArea::vertical().id_salt("findings-scroll").show(ui, |ui| {
            for finding in &report.findings {
                let color = match finding.severity {
                    Severity::Error => ui.visuals().error_fg_color,
                    Severity::Warning => ui.visuals().warn_fg_color,
                    Severity::Info => ui.visuals().hyperlink_color,
                };
                ui.horizontal_wrapped(|ui| {
                    let label = ui.add(egui::Label::new(RichText::new(format!("{} {}", finding.severity, finding.rule)).color(color).strong()).sense(egui::Sense::click()));
                    let message = ui.add(egui::Label::new(&finding.message).sense(egui::Sense::click()));
                    if label.clicked() || message.clicked() {
                        clicked = finding.elements.first().map(|element| ElementKey::new(element.kind, element.id.clone()));
                    }
                    label.on_hover_text(format!("Fix: {}\nSource: {}", finding.fix, finding.source));
                });
            }
        });
        if let Some(key) = clicked {
            self.before_after = false;
            self.drafts.clear();
            self.frame_target = Some(key.clone());
            self.selection = Some(key);
        }
    }

    fn modals_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(action) = self.pending.clone() {
            let mut answer = None;
            egui::Modal::new(egui::Id::new("unsaved")).show(ctx, |ui| {
                ui.heading("Unsaved changes");
                ui.label(format!("\"{}\" has changes that are not saved.", self.document.plan.name));
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        answer = Some(1);
                    }
                    if ui.button("Discard").clicked() {
                        answer = Some(2);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(0);
                    }
                });
            });
            match answer {
                Some(1) => {
                    self.pending = None;
                    if self.save() {
                        self.carry_out(action);
                    }
                }
                Some(2) => {
                    self.pending = None;
                    self.carry_out(action);
                }
                Some(_) => self.pending = None,
                None => {}
            }
            if self.quit_confirmed {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        if self.recovery_offer.is_some() && self.pending.is_none() {
            egui::Modal::new(egui::Id::new("recovery")).show(ctx, |ui| {
                ui.heading("Restore unsaved changes?");
                ui.label("drplan found a recovery copy with changes that were not saved, probably because it closed unexpectedly.");
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        commands.push(Command::RestoreRecovery);
                    }
                    if ui.button("Discard recovery copy").clicked() {
                        commands.push(Command::DiscardRecovery);
                    }
                });
            });
        }
    }
}

/// What an after view highlights, from the differences.
fn marks_of(differences: &[Difference]) -> Marks {
    let mut marks = Marks::default();
    for difference in differences {
        match difference {
            Difference::MachineMoved { machine, to_subnet, .. } => {
                marks.moved.insert(ElementKey::new(ElementKind::Machine, machine.as_str()));
                if let Some(subnet) = to_subnet {
                    marks.moved.insert(ElementKey::new(ElementKind::Subnet, subnet.as_str()));
                }
            }
            Difference::ConnectionEstablished { connection, .. } | Difference::PeeringCreated { connection, .. } => {
                marks.established.insert(connection.to_string());
            }
            Difference::ConnectionDisconnected { connection, .. } => {
                marks.disconnected.insert(connection.to_string());
            }
            _ => {}
        }
    }
    marks
}

fn legend_ui(ui: &mut egui::Ui, theme: &Theme) {
    ui.horizontal_wrapped(|ui| {
        for (label, color) in [
            ("VPN", theme.vpn),
            ("peering", theme.peering),
            ("ExpressRoute", theme.expressroute),
            ("stretched VLAN", theme.stretched),
            ("established", theme.established),
            ("disconnected", theme.disconnected),
            ("moved", theme.moved),
        ] {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 10.0), egui::Sense::hover());
            ui.painter().line_segment([rect.left_center(), rect.right_center()], egui::Stroke::new(3.0, color));
            ui.label(RichText::new(label).small());
        }
        ui.label(RichText::new("dashed: prepared for failover").small().weak());
    });
}

impl eframe::App for DrPlanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        DrPlanApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let recent: Vec<String> = self.recent.iter().map(|path| path.display().to_string()).collect();
        eframe::set_value(storage, "recent-files", &recent);
    }
}

/// Opens the desktop window, with `file` loaded if given; returns when the window closes.
pub fn run(file: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1400.0, 900.0]).with_title("drplan"),
        ..Default::default()
    };
    eframe::run_native(
        "drplan",
        options,
        Box::new(move |creation| {
            let mut app = DrPlanApp::new(file.as_deref());
            if let Some(storage) = creation.storage {
                let recent: Vec<String> = eframe::get_value(storage, "recent-files").unwrap_or_default();
                for path in recent.into_iter().map(PathBuf::from) {
                    if !app.recent.contains(&path) {
                        app.recent.push(path);
                    }
                }
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|error| anyhow::anyhow!("cannot open the window: {error}"))
}
