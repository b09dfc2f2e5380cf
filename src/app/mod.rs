//! The desktop window (eframe): shows a plan's sites, networks and findings. It reads the core's
//! model and report; panels record what the user asked for and the app applies it after drawing.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::io::{self, LoadError};
use crate::model::Plan;
use crate::validate::{self, Report, Severity};

/// A plan open in the window, with the validator's report on it.
pub struct Document {
    pub plan: Plan,
    pub path: Option<PathBuf>,
    pub report: Report,
}

impl Document {
    pub fn new(plan: Plan, path: Option<PathBuf>) -> Self {
        let report = validate::validate(&plan);
        Self { plan, path, report }
    }
}

/// What a panel asked for during a frame; applied once the frame is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Command {
    Open,
    Quit,
}

/// The drplan desktop application.
pub struct DrPlanApp {
    pub document: Option<Document>,
    /// The last file that failed to load, shown until another plan opens.
    pub load_error: Option<String>,
}

impl DrPlanApp {
    /// The app, with `file` open if given (a file that fails to load leaves an empty window that
    /// says why).
    pub fn new(file: Option<&Path>) -> Self {
        let mut app = Self { document: None, load_error: None };
        if let Some(file) = file {
            app.open(file);
        }
        app
    }

    pub fn open(&mut self, file: &Path) {
        match io::load(file) {
            Ok(plan) => {
                self.document = Some(Document::new(plan, Some(file.to_owned())));
                self.load_error = None;
            }
            Err(error) => self.load_error = Some(error_text(&error)),
        }
    }

    fn title(&self) -> String {
        match &self.document {
            Some(document) => format!("{} — drplan", document.plan.name),
            None => "drplan".to_owned(),
        }
    }

    fn apply(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Open => {
                let picked = rfd::FileDialog::new().add_filter("drplan plan", &["json"]).pick_file();
                if let Some(file) = picked {
                    self.open(&file);
                }
            }
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn menu_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open…").clicked() {
                    commands.push(Command::Open);
                }
                if ui.button("Quit").clicked() {
                    commands.push(Command::Quit);
                }
            });
        });
    }

    fn outline_ui(ui: &mut egui::Ui, plan: &Plan) {
        ui.heading("Sites");
        egui::ScrollArea::vertical().id_salt("outline").show(ui, |ui| {
            for site in &plan.sites {
                egui::CollapsingHeader::new(format!("{} ({})", site.name, site.role.label()))
                    .id_salt(&site.id)
                    .default_open(true)
                    .show(ui, |ui| {
                        ui.label(RichText::new(site.kind.label()).weak());
                        for network in plan.networks_of(&site.id) {
                            let space =
                                network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                            egui::CollapsingHeader::new(format!("{} {space}", network.name))
                                .id_salt(&network.id)
                                .show(ui, |ui| {
                                    ui.label(RichText::new(format!(
                                        "{}, {}",
                                        network.kind.label(),
                                        network.purpose.label()
                                    ))
                                    .weak());
                                    for subnet in plan.subnets_of(&network.id) {
                                        ui.label(format!("{} {}", subnet.name, subnet.prefix));
                                    }
                                });
                        }
                    });
            }
        });
    }

    fn findings_ui(ui: &mut egui::Ui, report: &Report) {
        ui.heading("Findings");
        ui.label(format!(
            "{} errors, {} warnings, {} info",
            report.count(Severity::Error),
            report.count(Severity::Warning),
            report.count(Severity::Info)
        ));
        ui.separator();
        egui::ScrollArea::vertical().id_salt("findings").show(ui, |ui| {
            for finding in &report.findings {
                let color = severity_color(ui, finding.severity);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("{} {}", finding.severity, finding.rule)).color(color).strong());
                    ui.label(&finding.message);
                });
                ui.label(RichText::new(format!("Fix: {}", finding.fix)).weak());
                ui.add_space(6.0);
            }
        });
    }
}

fn severity_color(ui: &egui::Ui, severity: Severity) -> egui::Color32 {
    match severity {
        Severity::Error => ui.visuals().error_fg_color,
        Severity::Warning => ui.visuals().warn_fg_color,
        Severity::Info => ui.visuals().hyperlink_color,
    }
}

fn error_text(error: &LoadError) -> String {
    error.to_string()
}

impl eframe::App for DrPlanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let mut commands = Vec::new();
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(self.title()));
        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, &mut commands));
        if let Some(document) = &self.document {
            egui::Panel::left("outline").default_size(320.0).show(ui, |ui| Self::outline_ui(ui, &document.plan));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = &self.load_error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            match &self.document {
                Some(document) => Self::findings_ui(ui, &document.report),
                None => {
                    ui.label("Open a plan with File → Open.");
                }
            }
        });
        let ctx = ui.ctx().clone();
        for command in commands {
            self.apply(command, &ctx);
        }
    }
}

/// Opens the desktop window, with `file` loaded if given; returns when the window closes.
pub fn run(file: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]).with_title("drplan"),
        ..Default::default()
    };
    eframe::run_native(
        "drplan",
        options,
        Box::new(move |_creation| Ok(Box::new(DrPlanApp::new(file.as_deref())))),
    )
    .map_err(|error| anyhow::anyhow!("cannot open the window: {error}"))
}
