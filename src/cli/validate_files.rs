//! `drplan validate`: plan files checked against the rule catalog, reported as text for people,
//! JSON for scripts or SARIF for code-review tools, with the exit code `--fail-on` sets.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Serialize;

use super::exit;
use crate::export::sarif::{Validated, sarif_json};
use crate::io::{self, LoadError};
use crate::model::Plan;
use crate::validate::{self, Finding, Report, RetentionVerdict, Severity};

/// How `drplan validate` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// For people.
    Text,
    /// For scripts.
    Json,
    /// SARIF 2.1.0, for code-review tools (findings on the plan file's lines).
    Sarif,
}

/// The least severity of finding that makes `drplan validate` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

impl FailOn {
    fn fails(self, report: &Report) -> bool {
        let threshold = match self {
            Self::Error => Severity::Error,
            Self::Warning => Severity::Warning,
        };
        report.findings.iter().any(|finding| finding.severity <= threshold)
    }
}

/// The result of validating one file, as `--format json` prints it.
#[derive(Serialize)]
struct FileResult<'a> {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<JsonLoadError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a [Finding]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdicts: Option<&'a imbl::Vector<RetentionVerdict>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonLoadError {
    message: String,
    line: Option<usize>,
    column: Option<usize>,
    field: Option<String>,
}

impl From<&LoadError> for JsonLoadError {
    fn from(error: &LoadError) -> Self {
        Self {
            message: error.kind.to_string(),
            line: error.position.map(|(line, _)| line),
            column: error.position.map(|(_, column)| column),
            field: error.field.as_ref().filter(|field| !field.is_root()).map(ToString::to_string),
        }
    }
}

/// A plan file that loaded: its report, and for SARIF the plan and its text (to place findings
/// on the file's lines; the other formats need neither once the file is validated).
struct Checked {
    report: Report,
    source: Option<(Plan, String)>,
}

pub(super) fn validate_files(files: &[PathBuf], format: ValidateFormat, fail_on: FailOn, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let outcomes: Vec<(&PathBuf, Result<Checked, LoadError>)> = files
        .iter()
        .map(|file| {
            let checked = if format == ValidateFormat::Sarif {
                io::load_with_text(file).map(|(plan, text)| Checked { report: validate::validate(&plan), source: Some((plan, text)) })
            } else {
                io::load(file).map(|plan| Checked { report: validate::validate(&plan), source: None })
            };
            (file, checked)
        })
        .collect();
    let code = outcomes
        .iter()
        .map(|(_, outcome)| match outcome {
            Err(_) => exit::UNREADABLE,
            Ok(checked) if fail_on.fails(&checked.report) => exit::FINDINGS,
            Ok(_) => exit::OK,
        })
        .max()
        .unwrap_or(exit::OK);
    match format {
        ValidateFormat::Json => {
            let results: Vec<FileResult> = outcomes
                .iter()
                .map(|(file, outcome)| match outcome {
                    Ok(Checked { report, .. }) => FileResult {
                        file: file.display().to_string(),
                        error: None,
                        summary: Some(summary(report)),
                        findings: Some(&report.findings),
                        verdicts: Some(&report.verdicts),
                    },
                    Err(error) => FileResult { file: file.display().to_string(), error: Some(error.into()), summary: None, findings: None, verdicts: None },
                })
                .collect();
            let text = serde_json::to_string_pretty(&serde_json::json!({ "files": results })).unwrap_or_default();
            let _ = writeln!(out, "{text}");
        }
        ValidateFormat::Sarif => {
            let validated: Vec<(&Path, Validated)> = outcomes
                .iter()
                .map(|(file, outcome)| {
                    let validated = match outcome {
                        Ok(Checked { report, source }) => Validated::Checked { report, source: source.as_ref().map(|(plan, text)| (plan, text.as_str())) },
                        Err(error) => Validated::Unreadable(error),
                    };
                    (file.as_path(), validated)
                })
                .collect();
            let _ = writeln!(out, "{}", sarif_json(&validated));
        }
        ValidateFormat::Text => {
            for (file, outcome) in &outcomes {
                match outcome {
                    Ok(Checked { report, .. }) => {
                        let _ = write!(out, "{}", report_text(file, report));
                    }
                    Err(error) => {
                        let _ = writeln!(err, "error: {error}");
                    }
                }
            }
        }
    }
    code
}

fn summary(report: &Report) -> Summary {
    Summary { errors: report.count(Severity::Error), warnings: report.count(Severity::Warning), infos: report.count(Severity::Info) }
}

pub(super) fn plural(count: usize, word: &str) -> String {
    if count == 1 { format!("{count} {word}") } else { format!("{count} {word}s") }
}

/// A report for people: a summary line, then each finding with its elements, reason, fix and
/// source.
pub fn report_text(file: &Path, report: &Report) -> String {
    let counts = summary(report);
    let mut text = format!("{}: {}, {}, {} info\n", file.display(), plural(counts.errors, "error"), plural(counts.warnings, "warning"), counts.infos);
    for finding in &report.findings {
        let elements = finding.elements.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        text.push_str(&format!("\n{}[{}] {}\n", finding.severity, finding.rule, elements));
        if let Some(scenario) = &finding.scenario {
            text.push_str(&format!("  in:   scenario {scenario}\n"));
        }
        text.push_str(&format!("  what: {}\n", finding.message));
        text.push_str(&format!("  fix:  {}\n", finding.fix));
        text.push_str(&format!("  see:  {}\n", finding.source));
    }
    text.push_str(&verdicts_text(&report.verdicts));
    text
}

/// One line per scenario counting the machines that keep, change or cannot keep their address,
/// then the blocked ones by name.
fn verdicts_text(verdicts: &imbl::Vector<RetentionVerdict>) -> String {
    let mut text = String::new();
    let mut scenarios: Vec<&crate::validate::ElementRef> = verdicts.iter().map(|verdict| &*verdict.scenario).collect();
    scenarios.dedup();
    for scenario in scenarios {
        let of_scenario: Vec<&RetentionVerdict> = verdicts.iter().filter(|verdict| *verdict.scenario == *scenario).collect();
        let keep = of_scenario.iter().filter(|verdict| verdict.keeps_ip).count();
        let blocked: Vec<&&RetentionVerdict> = of_scenario.iter().filter(|verdict| verdict.blocked_by.is_some()).collect();
        let change = of_scenario.len() - keep - blocked.len();
        text.push_str(&format!("\nIP retention in scenario {scenario}: {keep} keep their address, {change} change it, {} cannot keep it\n", blocked.len()));
        for verdict in blocked {
            text.push_str(&format!("  {}: {}\n", verdict.machine, verdict.reason));
        }
    }
    text
}
