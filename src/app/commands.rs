//! Everything the user can ask for from a menu, a toolbar button or a shortcut, with the text
//! menus show and the keys that run it.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::ElementKind;
use crate::model::SiteRole;

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
    Copy,
    /// Paste the text the system clipboard gave (with None, what drplan copied last).
    Paste(Option<String>),
    Duplicate,
    SelectAll,
    Deselect,
    Find,
    AddSite(SiteRole),
    Add(ElementKind),
    ZoomIn,
    ZoomOut,
    ActualSize,
    FitView,
    ToggleSnap,
    ToggleMachines,
    ToggleBeforeAfter,
    /// Present the chosen scenario step by step, full window.
    Present,
    NewScenario,
    DuplicateScenario,
    DeleteScenario,
    PickScenario(crate::model::ScenarioId),
    ExportRunbook,
    ExportDiagrams,
    /// Build a new plan from Azure CLI or Resource Graph JSON.
    ImportAzure,
    /// Propose the recovery side of a site (drplan mirror).
    ProposeRecoverySide,
    Quit,
    RestoreRecovery,
    DiscardRecovery,
}

impl Command {
    /// What menus and buttons call the command.
    pub fn text(&self) -> String {
        match self {
            Self::New => "New",
            Self::Open => "Open…",
            Self::OpenPath(path) => return path.display().to_string(),
            Self::Save => "Save",
            Self::SaveAs => "Save As…",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::Delete => "Delete",
            Self::Copy => "Copy",
            Self::Paste(_) => "Paste",
            Self::Duplicate => "Duplicate",
            Self::SelectAll => "Select all",
            Self::Deselect => "Select none",
            Self::Find => "Find…",
            Self::AddSite(SiteRole::Primary) => "+ Primary site",
            Self::AddSite(SiteRole::Recovery) => "+ Recovery site",
            Self::AddSite(SiteRole::Third) => "+ Third site",
            Self::Add(ElementKind::Network) => "+ Network",
            Self::Add(ElementKind::Subnet) => "+ Subnet",
            Self::Add(ElementKind::Machine) => "+ Machine",
            Self::Add(ElementKind::Circuit) => "+ Circuit",
            Self::Add(_) => "+ Element",
            Self::ZoomIn => "Zoom in",
            Self::ZoomOut => "Zoom out",
            Self::ActualSize => "Zoom to 100 %",
            Self::FitView => "Fit to view",
            Self::ToggleSnap => "Snap to grid",
            Self::ToggleMachines => "Show machines",
            Self::ToggleBeforeAfter => "Before / after",
            Self::Present => "Present step by step",
            Self::NewScenario => "New scenario",
            Self::DuplicateScenario => "Duplicate scenario",
            Self::DeleteScenario => "Delete scenario",
            Self::PickScenario(id) => return id.to_string(),
            Self::ExportRunbook => "Export recovery plan…",
            Self::ExportDiagrams => "Export…",
            Self::ImportAzure => "Import Azure…",
            Self::ProposeRecoverySide => "Propose recovery side…",
            Self::Quit => "Quit",
            Self::RestoreRecovery => "Restore",
            Self::DiscardRecovery => "Discard recovery copy",
        }
        .to_owned()
    }

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
            Self::Duplicate => KeyboardShortcut::new(command, Key::D),
            Self::SelectAll => KeyboardShortcut::new(command, Key::A),
            Self::Deselect => KeyboardShortcut::new(Modifiers::NONE, Key::Escape),
            Self::Find => KeyboardShortcut::new(command, Key::F),
            Self::ZoomIn => KeyboardShortcut::new(command, Key::Equals),
            Self::ZoomOut => KeyboardShortcut::new(command, Key::Minus),
            Self::ActualSize => KeyboardShortcut::new(command, Key::Num1),
            Self::FitView => KeyboardShortcut::new(command, Key::Num0),
            Self::ToggleMachines => KeyboardShortcut::new(command, Key::M),
            Self::ToggleBeforeAfter => KeyboardShortcut::new(command, Key::B),
            Self::Present => KeyboardShortcut::new(Modifiers::NONE, Key::F5),
            Self::ExportDiagrams => KeyboardShortcut::new(command, Key::E),
            Self::Quit => KeyboardShortcut::new(command, Key::Q),
            _ => return None,
        })
    }

    /// The text of the shortcut as menus show it (Copy and Paste come as clipboard events).
    pub fn shortcut_text(&self, ctx: &egui::Context) -> Option<String> {
        match self {
            Self::Copy => Some(ctx.format_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::C))),
            Self::Paste(_) => Some(ctx.format_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::V))),
            // egui names these two keys ("Ctrl+Equals"); menus show the symbol on the key.
            other => other.shortcut().map(|shortcut| ctx.format_shortcut(&shortcut).replace("Equals", "=").replace("Minus", "-")),
        }
    }

    /// Commands whose shortcuts work anywhere, checked every frame before the panels (those
    /// with more modifiers first, so Ctrl+Shift+S is not taken for Ctrl+S). Redo's second
    /// shortcut is Ctrl+Y; Ctrl++ zooms in like Ctrl+=.
    pub const GLOBAL: [Command; 10] = [
        Command::SaveAs,
        Command::Save,
        Command::New,
        Command::Open,
        Command::Redo,
        Command::Undo,
        Command::ToggleMachines,
        Command::ToggleBeforeAfter,
        Command::ExportDiagrams,
        Command::Quit,
    ];

    /// Commands of the canvas: not while a text field has the keyboard (Delete, Ctrl+A and Esc
    /// edit text there).
    pub const CANVAS: [Command; 10] = [
        Command::Delete,
        Command::Duplicate,
        Command::SelectAll,
        Command::Deselect,
        Command::Find,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ActualSize,
        Command::FitView,
        Command::Present,
    ];

    /// The commands this frame's keys ask for.
    pub fn from_keys(input: &mut egui::InputState, typing: bool) -> Vec<Command> {
        let mut commands = Vec::new();
        for command in Self::GLOBAL {
            if command.shortcut().is_some_and(|shortcut| input.consume_shortcut(&shortcut)) {
                commands.push(command);
            }
        }
        if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)) {
            commands.push(Command::Redo);
        }
        if !typing {
            for command in Self::CANVAS {
                if command.shortcut().is_some_and(|shortcut| input.consume_shortcut(&shortcut)) {
                    commands.push(command);
                }
            }
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus)) {
                commands.push(Command::ZoomIn);
            }
            let mut clipboard = Vec::new();
            input.events.retain(|event| match event {
                egui::Event::Copy => {
                    clipboard.push(Command::Copy);
                    false
                }
                egui::Event::Paste(text) => {
                    clipboard.push(Command::Paste(Some(text.clone())));
                    false
                }
                _ => true,
            });
            commands.extend(clipboard);
        }
        commands
    }
}
