//! The headless command line: `drplan validate`, `drplan fmt`, `drplan schema`, `drplan
//! simulate`, `drplan plan`, `drplan diagram`, `drplan import`, `drplan mirror`, `drplan
//! generate`, `drplan rules`. With no subcommand, `main` opens the desktop window instead.

mod import;
mod rules;
mod terminal;
mod validate_files;

pub use rules::{rule_text, rules_table};
pub use validate_files::{FailOn, ValidateFormat, report_text};
use validate_files::{plural, validate_files};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::export::diagram::{self, Date};
use crate::io;
use crate::model::{Plan, PlanIndex};
use crate::simulate::Outcome;
use crate::validate;
use std::sync::Arc;

/// drplan: plan how machines are reached after a disaster-recovery failover.
#[derive(Debug, Parser)]
#[command(name = "drplan", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Plan file to open in the desktop window.
    pub file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Check plan files against the rule catalog. Exit code 0: no finding at or above the
    /// --fail-on severity; 1: such findings; 2: a file could not be read.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// text for people, json for scripts, sarif (SARIF 2.1.0) for code-review tools.
        #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
        format: ValidateFormat,
        /// The least severity that makes the exit code 1.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
    },
    /// Rewrite plan files in the canonical layout (stable order, two-space indent).
    Fmt {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Only report files that are not in the canonical layout (exit code 1 if any).
        #[arg(long)]
        check: bool,
        /// Rewrite read-only files too (they are refused otherwise).
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of the plan file format.
    Schema,
    /// Rehearse a failover scenario: print what changes in the network.
    Simulate {
        file: PathBuf,
        /// Scenario id or name.
        #[arg(long)]
        scenario: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Also write the network after the scenario as a plan file.
        #[arg(long)]
        write_after: Option<PathBuf>,
    },
    /// Write the recovery plan of a scenario: runbook.md, recovery-plan.json and scripts/.
    Plan {
        file: PathBuf,
        /// Scenario id or name.
        #[arg(long)]
        scenario: String,
        /// Directory to write into (created if needed).
        #[arg(long)]
        out: PathBuf,
    },
    /// Draw the network as a diagram to present: before a scenario, after it (changes marked and
    /// listed), or both side by side, as SVG, PNG and/or PDF. Files are named after the plan file
    /// and the view: OUT/NAME-before.svg, OUT/NAME-after.png, OUT/NAME-both.pdf, where NAME is the
    /// plan file name without `.drplan.json`. Exit code 2: unreadable plan, unknown scenario, or
    /// a view that needs a scenario without one.
    Diagram(DiagramArgs),
    /// Write a synthetic enterprise plan (for benchmarks and scale tests).
    Generate {
        /// Approximate number of prefixes.
        #[arg(long, default_value_t = 1000)]
        prefixes: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Faults to inject (overlapping subnets, overlapping VPNs, addresses outside subnets).
        #[arg(long, default_value_t = 0)]
        faults: usize,
        /// Where to write the plan.
        out: PathBuf,
    },
    /// Start a plan from what already runs: an Azure estate, or an on-premises inventory.
    Import {
        #[command(subcommand)]
        source: import::ImportSource,
    },
    /// Propose the recovery side of a plan by Site Recovery's mapping rules: a recovery network
    /// for every network of the source site without one (same address space, or offset), its
    /// subnets, gateways (not provisioned before failover), route tables and NVAs, the machines'
    /// targets, the recovery side's connections (prepared) and a full-region scenario.
    Mirror {
        file: PathBuf,
        /// The source site, by id or name.
        #[arg(long)]
        from: String,
        /// The recovery site, by id or name (an Azure region not in the plan is added).
        #[arg(long)]
        to: String,
        /// `same` (default), or `offset N` to add N to the second octet of every IPv4 address.
        #[arg(long, num_args = 1..=2, default_value = "same")]
        address_space: Vec<String>,
        /// Where to write the result (default: the plan itself).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List every validation rule, or explain one at length.
    Rules {
        /// A rule id such as CONN-OVERLAP.
        id: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct DiagramArgs {
    pub file: PathBuf,
    /// Scenario id or name; the after and both views need one.
    #[arg(long)]
    pub scenario: Option<String>,
    #[arg(long, value_enum, default_value_t = DiagramView::Before)]
    pub view: DiagramView,
    /// Formats to write, comma-separated: svg, png, pdf, drawio.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "svg")]
    pub format: Vec<DiagramFormat>,
    /// Directory to write into (created if needed).
    #[arg(long)]
    pub out: PathBuf,
    /// Draw every page on a page of this size instead of the drawing's own: 16:9 gives a slide
    /// of 1920 × 1080 units, the drawing scaled to fit inside with a margin.
    #[arg(long)]
    pub page: Option<DiagramPage>,
    /// PNG pixels per diagram unit: 2 gives crisp slides. Very large diagrams are scaled down to
    /// stay within 16,384 pixels a side and 16 megapixels, leaving out labels too small to read.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f32,
    /// Draw the machines inside their subnets.
    #[arg(long)]
    pub machines: bool,
    /// The date printed under the title, YYYY-MM-DD (default: today, UTC).
    #[arg(long)]
    pub date: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramView {
    /// The network before the scenario (or as planned, without one).
    Before,
    /// The network after the scenario, its changes marked and listed.
    After,
    /// Before and after side by side on one page.
    Both,
    /// A deck: a title page with the recovery plan and its RTO, then the network before and
    /// after each step (one SVG and PNG per page as NAME-steps-NN, one PDF of every page as
    /// NAME-steps.pdf).
    Steps,
}

impl From<DiagramView> for diagram::ExportView {
    fn from(view: DiagramView) -> Self {
        match view {
            DiagramView::Before => Self::Before,
            DiagramView::After => Self::After,
            DiagramView::Both => Self::Both,
            DiagramView::Steps => Self::Steps,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    Svg,
    Png,
    Pdf,
    /// A draw.io file with a page per view (per step for the steps view).
    Drawio,
}

impl From<DiagramFormat> for diagram::ExportFormat {
    fn from(format: DiagramFormat) -> Self {
        match format {
            DiagramFormat::Svg => Self::Svg,
            DiagramFormat::Png => Self::Png,
            DiagramFormat::Pdf => Self::Pdf,
            DiagramFormat::Drawio => Self::Drawio,
        }
    }
}

/// A page size for every page of a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramPage {
    /// A 16:9 slide of 1920 × 1080 units, the drawing scaled to fit.
    #[value(name = "16:9")]
    Slide,
}

/// How `drplan simulate` writes its differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people.
    Text,
    /// For scripts and CI.
    Json,
}

/// Exit codes shared by the subcommands.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const UNREADABLE: u8 = 2;
    /// Arguments that cannot work together (clap uses 2 for its own usage errors too).
    pub const USAGE: u8 = 2;
}

/// Runs one subcommand, writing to `out` (stdout) and `err` (stderr). What is written for
/// people (text output, every message on stderr) shows control characters from plan files as
/// text (`terminal::TerminalSafe`); JSON output is escaped by its writer.
pub fn run(command: CliCommand, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let mut err = terminal::TerminalSafe::new(err);
    if command.writes_json() { run_command(command, out, &mut err) } else { run_command(command, &mut terminal::TerminalSafe::new(out), &mut err) }
}

impl CliCommand {
    /// Whether the command writes JSON (or SARIF) to stdout rather than text for people.
    fn writes_json(&self) -> bool {
        match self {
            Self::Validate { format, .. } => *format != ValidateFormat::Text,
            Self::Simulate { format, .. } => *format == OutputFormat::Json,
            Self::Schema => true,
            _ => false,
        }
    }
}

fn run_command(command: CliCommand, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let code = match command {
        CliCommand::Validate { files, format, fail_on } => validate_files(&files, format, fail_on, out, err),
        CliCommand::Fmt { files, check, force } => format_files(&files, check, force, out, err),
        CliCommand::Schema => {
            let _ = writeln!(out, "{}", schema_json());
            exit::OK
        }
        CliCommand::Simulate { file, scenario, format, write_after } => simulate_file(&file, &scenario, format, write_after.as_deref(), out, err),
        CliCommand::Plan { file, scenario, out: directory } => plan_file(&file, &scenario, &directory, out, err),
        CliCommand::Diagram(arguments) => diagram_file(&arguments, out, err),
        CliCommand::Generate { prefixes, seed, faults, out: path } => {
            let synth = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes, seed, faults });
            match io::save(&synth.plan, &path) {
                Ok(()) => {
                    let _ = writeln!(out, "{}: {} prefixes, injected {:?}", path.display(), synth.plan.prefix_count(), synth.injected);
                    exit::OK
                }
                Err(error) => {
                    let _ = writeln!(err, "error: {error}");
                    exit::UNREADABLE
                }
            }
        }
        CliCommand::Import { source } => import::import(source, out, err),
        CliCommand::Mirror { file, from, to, address_space, out: path } => import::mirror_file(&file, from, to, &address_space, path.as_deref(), out, err),
        CliCommand::Rules { id: None } => {
            let _ = write!(out, "{}", rules_table());
            exit::OK
        }
        CliCommand::Rules { id: Some(id) } => match rule_text(&id) {
            Some(text) => {
                let _ = write!(out, "{text}");
                exit::OK
            }
            None => {
                let _ = writeln!(err, "error: no rule is named `{id}`; `drplan rules` lists them");
                exit::UNREADABLE
            }
        },
    };
    ExitCode::from(code)
}

/// Loads a plan, reporting an error on `err`.
fn load_shared(file: &Path, err: &mut dyn Write) -> Result<Arc<Plan>, u8> {
    io::load(file).map(Arc::new).map_err(|error| {
        let _ = writeln!(err, "error: {error}");
        exit::UNREADABLE
    })
}

/// Simulates one scenario of a loaded plan with the plan's index, reporting errors on `err`.
fn simulate_loaded(file: &Path, plan: &Arc<Plan>, index: &PlanIndex, key: &str, err: &mut dyn Write) -> Result<Outcome, u8> {
    crate::simulate::scenario_named(plan, key).and_then(|scenario| crate::simulate::simulate_shared(plan, index, scenario)).map_err(|error| {
        let names = plan.scenarios.iter().map(|scenario| format!("{} ({})", scenario.id, scenario.name)).collect::<Vec<_>>().join(", ");
        let _ = writeln!(err, "error: {}: {error}; its scenarios are: {names}", file.display());
        exit::UNREADABLE
    })
}

/// Loads a plan, indexes it once for all a command does with it, simulates one of its scenarios
/// and goes on with `then`; an error is reported on `err` and its exit code returned.
fn with_simulation(file: &Path, key: &str, err: &mut dyn Write, then: impl FnOnce(&Arc<Plan>, &PlanIndex, Outcome, &mut dyn Write) -> u8) -> u8 {
    let plan = match load_shared(file, err) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let index = PlanIndex::new(&plan);
    match simulate_loaded(file, &plan, &index, key, err) {
        Ok(outcome) => then(&plan, &index, outcome, err),
        Err(code) => code,
    }
}

fn simulate_file(file: &Path, key: &str, format: OutputFormat, write_after: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    with_simulation(file, key, err, |plan, index, outcome, err| {
        if let Some(path) = write_after
            && let Err(error) = io::save(&outcome.after, path)
        {
            let _ = writeln!(err, "error: {error}");
            return exit::UNREADABLE;
        }
        let scenario = plan.scenario_by_id_or_name(key).map(|scenario| scenario.name.clone()).unwrap_or_default();
        let (report, ()) = validated_meanwhile(index, || match format {
            OutputFormat::Json => {
                // Written straight from the differences: no JSON tree of a large simulation in memory.
                #[derive(serde::Serialize)]
                struct Simulated<'a> {
                    scenario: &'a str,
                    differences: &'a [crate::simulate::Difference],
                }
                let mut buffered = std::io::BufWriter::new(&mut *out);
                let _ = serde_json::to_writer_pretty(&mut buffered, &Simulated { scenario: &scenario, differences: &outcome.differences });
                let _ = writeln!(buffered);
            }
            OutputFormat::Text => {
                // Through a buffer: standard output flushes at each line, a system call for each
                // of a large simulation's differences.
                let mut buffered = std::io::BufWriter::new(&mut *out);
                let _ = writeln!(buffered, "{}: scenario \"{scenario}\", {} changes", file.display(), outcome.differences.len());
                for line in crate::simulate::describe_all(index, &outcome) {
                    let _ = writeln!(buffered, "  {line}");
                }
            }
        });
        let blockers = plan.scenario_by_id_or_name(key).map(|scenario| crate::recovery::blockers(&report, scenario)).unwrap_or_default();
        cannot_work(&blockers, file, err)
    })
}

/// Runs `work` while the plan `index` indexes is validated on another thread, and gives the
/// report with what `work` returns. `simulate` validates the whole plan for the blockers it
/// reports, which needs nothing of the simulation: at 100k prefixes the validation takes about as
/// long as writing the differences.
fn validated_meanwhile<R>(index: &PlanIndex, work: impl FnOnce() -> R) -> (validate::Report, R) {
    std::thread::scope(|threads| {
        let validation = threads.spawn(|| validate::validate_indexed(index));
        let done = work();
        let report = validation.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (report, done)
    })
}

/// Exit 1 when the design cannot work for the scenario, saying why on stderr; else 0.
fn cannot_work(blockers: &[crate::recovery::Blocker], file: &Path, err: &mut dyn Write) -> u8 {
    if blockers.is_empty() {
        return exit::OK;
    }
    let _ = writeln!(err, "error: this plan cannot work as drawn: {} for this scenario (drplan validate {}):", plural(blockers.len(), "error"), file.display());
    for blocker in blockers {
        let _ = writeln!(err, "  {}: {}", blocker.rule, blocker.message);
    }
    exit::FINDINGS
}

fn plan_file(file: &Path, key: &str, directory: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    with_simulation(file, key, err, |plan, index, outcome, err| {
        let Some(scenario) = plan.scenario_by_id_or_name(key) else { return exit::UNREADABLE };
        let (report, mut recovery) = validated_meanwhile(index, || crate::recovery::recovery_plan(index, scenario, &outcome));
        drop(outcome);
        // Written all the same, opening on why it cannot work.
        recovery.cannot_work_as_drawn = crate::recovery::blockers(&report, scenario);
        write_recovery_plan(file, &recovery, directory, out, err)
    })
}

/// Writes a recovery plan's files and says what was written.
fn write_recovery_plan(file: &Path, recovery: &crate::recovery::RecoveryPlan, directory: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match crate::export::write_plan(recovery, directory, &[]) {
        Ok(files) => {
            let _ = writeln!(
                out,
                "{}: {} steps, estimated RTO {}",
                recovery.scenario_name,
                recovery.steps().count(),
                crate::export::duration_text(recovery.estimated_rto_secs)
            );
            for written in files {
                let _ = writeln!(out, "  wrote {}", written.display());
            }
            cannot_work(&recovery.cannot_work_as_drawn, file, err)
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            exit::UNREADABLE
        }
    }
}

fn diagram_file(arguments: &DiagramArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if arguments.scenario.is_none() && arguments.view != DiagramView::Before {
        let name = diagram::ExportView::from(arguments.view).name();
        let _ = writeln!(
            err,
            "error: the {name} view shows the network after a failover scenario: name one with --scenario (without one only --view before is possible)"
        );
        return exit::USAGE;
    }
    if !(arguments.scale.is_finite() && arguments.scale > 0.0) {
        let _ = writeln!(err, "error: --scale must be a positive number, not {}", arguments.scale);
        return exit::USAGE;
    }
    let plan = match load_shared(&arguments.file, err) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    // Indexed for a scenario only: its simulation, descriptions and steps read the index, the
    // network before alone does not.
    let index = arguments.scenario.is_some().then(|| PlanIndex::new(&plan));
    let simulated = arguments.scenario.as_deref().zip(index.as_ref()).map(|(key, index)| simulate_loaded(&arguments.file, &plan, index, key, err));
    let outcome = match simulated.transpose() {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    let scenario = arguments.scenario.as_deref().and_then(|key| plan.scenario_by_id_or_name(key));
    let rehearsal =
        scenario.zip(outcome.as_ref()).zip(index.as_ref()).map(|((scenario, outcome), index)| diagram::ScenarioOutcome { scenario, outcome, index });
    let options = diagram::Options { machines: arguments.machines, date: arguments.date.unwrap_or_else(Date::today_utc) };
    let request = diagram::ExportRequest {
        view: arguments.view.into(),
        formats: arguments.format.iter().map(|format| (*format).into()).collect(),
        scale: arguments.scale,
        page: arguments.page.map(|DiagramPage::Slide| diagram::SLIDE_16_9),
        options,
    };
    let written = diagram::export(&plan, &arguments.file, rehearsal, &request, &arguments.out);
    match written {
        Ok(files) => {
            for file in files {
                let mut notes = Vec::new();
                if let Some(scale) = file.png_scale.filter(|scale| *scale < arguments.scale) {
                    notes.push(format!("scaled to {scale:.2} to stay within the PNG size limits"));
                }
                if file.small_text_omitted {
                    notes.push("labels too small to read at that scale left out: the SVG and PDF have them".to_owned());
                }
                if let Some(details) = file.details_omitted {
                    notes.push(format!("{details} left out: the drawing has more elements than the PNG renderer draws; the SVG has them"));
                }
                if notes.is_empty() {
                    let _ = writeln!(out, "wrote {}", file.path.display());
                } else {
                    let _ = writeln!(out, "wrote {} ({})", file.path.display(), notes.join("; "));
                }
            }
            exit::OK
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            exit::UNREADABLE
        }
    }
}

/// The JSON Schema of the plan file, pretty-printed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(crate::model::Plan);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// Rewrites each file in the canonical layout, unless it is read-only (without `force`) or
/// another program changed it since it was read.
fn format_files(files: &[PathBuf], check: bool, force: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut code = exit::OK;
    for file in files {
        let (plan, current) = match io::load_with_text(file) {
            Ok(loaded) => loaded,
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                code = exit::UNREADABLE;
                continue;
            }
        };
        let loaded = io::OnDisk::of(file, &current);
        let canonical = io::to_canonical_json(&plan);
        if canonical == current {
            continue;
        }
        let replace = if force { io::Replace::EvenReadOnly } else { io::Replace::Writable };
        if check {
            let _ = writeln!(out, "{}: not in canonical layout", file.display());
            code = code.max(exit::FINDINGS);
        } else if let Err(error) = io::save_over(&plan, file, replace, loaded.as_ref()) {
            let _ = writeln!(err, "error: {error}");
            code = exit::UNREADABLE;
        } else {
            let _ = writeln!(out, "{}: rewritten", file.display());
        }
    }
    code
}
