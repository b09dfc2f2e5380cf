//! Validation findings as SARIF 2.1.0 (`drplan validate --format sarif`), so a plan repository's
//! CI can hand them to a code-review tool that shows each finding on the plan file's lines.
//!
//! The tool driver lists every rule of the catalog (id, summary, explanation, sources, default
//! level); each result names its rule, a level from the finding's severity, the message and fix,
//! and the line and column of the element concerned (its `id` field) in the plan file, with the
//! other elements as related locations. A file that could not be read is a tool execution
//! notification at the position of the fault.

use std::path::Path;

use rustc_hash::FxHashSet;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString, Notification, PhysicalLocation, Region, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::io::{FieldPath, LoadError, TextPositions, element_paths};
use crate::model::{ElementKind, Plan};
use crate::validate::{self, ElementRef, Finding, Report, Severity};

/// The URI of the SARIF 2.1.0 schema, as the specification names it.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// What validating one file gave: the plan, its text and its report, or why it could not be read.
pub enum Validated<'a> {
    /// `source`, the plan and its file's text, places each result on its element's line.
    Checked {
        report: &'a Report,
        source: Option<(&'a Plan, &'a str)>,
    },
    Unreadable(&'a LoadError),
}

/// One SARIF log with one run over the files, in the order given.
pub fn sarif(files: &[(&Path, Validated)]) -> Sarif {
    let rules: Vec<&'static validate::Rule> = validate::rules().collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for (file, validated) in files {
        match validated {
            Validated::Checked { report, source } => results.extend(file_results(file, *source, report, &rules)),
            Validated::Unreadable(error) => notifications.push(unreadable(file, error)),
        }
    }
    let driver = ToolComponent::builder()
        .name("drplan")
        .version(env!("CARGO_PKG_VERSION"))
        .full_name(format!("drplan {}", env!("CARGO_PKG_VERSION")))
        .rules(rules.iter().map(|rule| rule_descriptor(rule)).collect::<Vec<_>>())
        .build();
    let mut invocation = Invocation::builder().execution_successful(notifications.is_empty()).build();
    invocation.tool_execution_notifications = (!notifications.is_empty()).then_some(notifications);
    let run = Run::builder().tool(Tool::builder().driver(driver).build()).results(results).invocations(vec![invocation]).build();
    Sarif::builder().schema(SCHEMA_URI).version(serde_json::json!("2.1.0")).runs(vec![run]).build()
}

/// The SARIF log as JSON text.
pub fn sarif_json(files: &[(&Path, Validated)]) -> String {
    serde_json::to_string_pretty(&sarif(files)).unwrap_or_default()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// The level as SARIF writes it ("note"), for a rule's default configuration.
fn level_name(severity: Severity) -> serde_json::Value {
    serde_json::to_value(level(severity)).unwrap_or_default()
}

/// A catalog rule as a SARIF reporting descriptor: its summary, the first paragraph of its
/// explanation, the whole explanation and its sources as help.
fn rule_descriptor(rule: &validate::Rule) -> ReportingDescriptor {
    let first_paragraph = rule.explanation.split("\n\n").next().unwrap_or(rule.explanation);
    let mut help = format!("{}\n\n", rule.explanation);
    for source in rule.sources {
        match source.seed {
            Some(seed) => help.push_str(&format!("Source: \"{}\" (seed {seed})\n", source.title)),
            None => help.push_str(&format!("Source: {}\n", source.title)),
        }
    }
    help.push_str(&format!("More: drplan rules {}", rule.id));
    ReportingDescriptor::builder()
        .id(rule.id)
        .name(pascal_case(rule.id))
        .short_description(MultiformatMessageString::builder().text(rule.summary).build())
        .full_description(MultiformatMessageString::builder().text(first_paragraph).build())
        .help(MultiformatMessageString::builder().text(help).build())
        .default_configuration(ReportingConfiguration::builder().level(level_name(rule.severity)).build())
        .build()
}

/// `CIRCUIT-SAME-LOCATION-SAME-VNET` → `CircuitSameLocationSameVnet`: SARIF's rule name is an
/// identifier.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut characters = lower.chars();
            characters.next().map(|first| first.to_ascii_uppercase().to_string() + characters.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The artifact URI of a plan file: its path as given, with forward slashes.
fn artifact(file: &Path) -> ArtifactLocation {
    ArtifactLocation::builder().uri(file.to_string_lossy().replace('\\', "/")).build()
}

fn file_results(file: &Path, source: Option<(&Plan, &str)>, report: &Report, rules: &[&'static validate::Rule]) -> Vec<SarifResult> {
    let located = source.map(|(plan, text)| {
        let concerned = report.findings.iter().flat_map(|finding| finding.elements.iter().chain(finding.scenario.as_ref()));
        let wanted: FxHashSet<(ElementKind, &str)> = concerned.map(|element| (element.kind, element.id.as_str())).collect();
        (TextPositions::new(text), element_paths(plan, |kind, id| wanted.contains(&(kind, id))))
    });
    let location_of = |element: &ElementRef| {
        // The element's `id` field, else the file's start.
        let position = located.as_ref().and_then(|(positions, paths)| {
            let path = paths.get(&(element.kind, element.id.as_str())).map_or_else(FieldPath::root, |path| path.key("id"));
            positions.of(&path)
        });
        let mut physical = PhysicalLocation::builder().artifact_location(artifact(file)).build();
        if let Some((line, column)) = position {
            physical.region = Some(Region::builder().start_line(line as i64).start_column(column as i64).build());
        }
        let logical = LogicalLocation::builder()
            .name(element.name.as_str())
            .fully_qualified_name(element.id.as_str())
            .kind(serde_json::to_value(element.kind).ok().and_then(|kind| kind.as_str().map(str::to_owned)).unwrap_or_default())
            .build();
        Location::builder().physical_location(physical).logical_locations(vec![logical]).message(Message::builder().text(element.to_string()).build()).build()
    };
    report
        .findings
        .iter()
        .map(|finding| {
            let mut concerned = finding.elements.iter().chain(finding.scenario.as_ref()).map(location_of);
            let primary: Vec<Location> = concerned.next().into_iter().collect();
            let related: Vec<Location> = concerned.collect();
            let mut result = SarifResult::builder()
                .rule_id(finding.rule.id)
                .level(level(finding.severity))
                .message(Message::builder().text(message(finding)).build())
                .locations(primary)
                .related_locations(related)
                .build();
            result.rule_index = rules.iter().position(|rule| rule.id == finding.rule.id).map(|index| index as i64);
            result
        })
        .collect()
}

/// The finding's reason, fix and source in one message.
fn message(finding: &Finding) -> String {
    format!("{} Fix: {} Source: {}.", finding.message, finding.fix, finding.source)
}

fn unreadable(file: &Path, error: &LoadError) -> Notification {
    let mut physical = PhysicalLocation::builder().artifact_location(artifact(file)).build();
    if let Some((line, column)) = error.position {
        physical.region = Some(Region::builder().start_line(line as i64).start_column(column.max(1) as i64).build());
    }
    Notification::builder()
        .level(serde_json::json!("error"))
        .message(Message::builder().text(error.to_string()).build())
        .locations(vec![Location::builder().physical_location(physical).build()])
        .build()
}
