//! The Markdown runbook: a checklist an operator follows during the event, group by group.

use super::quote::markdown;
use super::scripts::ScriptKind;
use crate::model::{Direction, FailoverType};
use crate::recovery::{Execution, RecoveryPlan, Step};

/// Minutes, or hours and minutes, for people.
pub fn duration_text(seconds: u32) -> String {
    let minutes = seconds.div_ceil(60);
    if minutes < 60 { format!("{minutes} min") } else { format!("{} h {:02} min", minutes / 60, minutes % 60) }
}

fn failover_label(failover: FailoverType, direction: Direction) -> &'static str {
    match (failover, direction) {
        (FailoverType::Test, _) => "test failover",
        (FailoverType::Planned, Direction::Failover) => "planned failover",
        (FailoverType::Unplanned, Direction::Failover) => "unplanned failover",
        (FailoverType::Planned, Direction::Failback) => "planned failback",
        (FailoverType::Unplanned, Direction::Failback) => "unplanned failback",
    }
}

/// Writes a step's checklist line; `scripts` are the files that hold it.
fn write_step_line(text: &mut String, step: &Step, scripts: &[String]) {
    use std::fmt::Write as _;
    let _ = write!(text, "- [ ] **{}.** {} — ", step.number, markdown(&step.title));
    match step.execution {
        Execution::Scripted if !scripts.is_empty() => {
            text.push_str("scripted (");
            for (position, name) in scripts.iter().enumerate() {
                let separator = if position == 0 { "" } else { ", " };
                let _ = write!(text, "{separator}`{name}`");
            }
            text.push(')');
        }
        Execution::Scripted => text.push_str("scripted"),
        Execution::Manual => text.push_str("manual"),
    }
    let _ = write!(text, ", {}", duration_text(step.duration_secs));
    if let Some(first) = step.alongside {
        let _ = write!(text, ", runs alongside step {first}");
    }
    if !step.counts_toward_rto {
        text.push_str(", not counted in the RTO");
    }
    text.push('\n');
}

/// The runbook; `scripts` and `diagrams` are file names it refers to, and the table of Azure
/// resources lists `scripts.resources` (none with `ScriptNames::default()`).
pub fn runbook_markdown(plan: &RecoveryPlan, scripts: &ScriptNames, diagrams: &[String]) -> String {
    let mut text = format!("# Recovery runbook: {}\n\n", markdown(&plan.plan_name));
    text.push_str(&format!(
        "Scenario: **{}** ({}).\n\nEstimated RTO: **{}** (the steps counted below, one after another except those that run alongside another, until the last DNS TTL has passed; see the assumptions).\n\n",
        markdown(&plan.scenario_name),
        failover_label(plan.failover_type, plan.direction),
        duration_text(plan.estimated_rto_secs)
    ));
    if !plan.cannot_work_as_drawn.is_empty() {
        let count = plan.cannot_work_as_drawn.len();
        let errors = if count == 1 { "1 error".to_owned() } else { format!("{count} errors") };
        text.push_str(&format!(
            "> **This plan cannot work as drawn.** Validation found {errors} in the design for this scenario; fix the design before running any step below.\n>\n"
        ));
        for blocker in &plan.cannot_work_as_drawn {
            text.push_str(&format!("> - **{}**: {} Fix: {}\n", blocker.rule, markdown(&blocker.message), markdown(&blocker.fix)));
        }
        text.push('\n');
    }
    if !diagrams.is_empty() {
        text.push_str("Diagrams: ");
        text.push_str(&diagrams.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", "));
        text.push_str("\n\n");
    }
    for group in &plan.groups {
        if group.number == 0 {
            text.push_str("## Before any machine fails over\n\n");
        } else {
            let names = group.machines.iter().map(|machine| markdown(&machine.name)).collect::<Vec<_>>().join(", ");
            text.push_str(&format!("## Group {}: {names}\n\n", group.number));
        }
        for step in &group.before {
            write_step_line(&mut text, step, &scripts.for_step(step));
        }
        if !group.after.is_empty() && group.number != 0 {
            text.push_str(&format!("\nAfter group {}:\n\n", group.number));
        }
        for step in &group.after {
            write_step_line(&mut text, step, &scripts.for_step(step));
        }
        text.push('\n');
    }
    let resources = &scripts.resources;
    if !resources.is_empty() {
        text.push_str("## Azure resources in the scripts\n\nA name the plan gives is used as is; any other is derived from the display name (Azure allows letters, digits, `_`, `.` and `-`). A resource group the plan does not give is a parameter of the scripts, one per site.\n\n| Azure name | Display name | Name | Resource group |\n| --- | --- | --- | --- |\n");
        for (display, azure, given, group) in resources {
            let how = if *given { "given" } else { "derived" };
            let group = group.describe();
            text.push_str(&format!("| `{azure}` | {} | {how} | {} |\n", markdown(display).replace('|', "\\|"), group.replace('|', "\\|")));
        }
        text.push('\n');
    }
    text.push_str("## Azure Site Recovery\n\n`recovery-plan.asr.json` is this plan as the body of ASR's recovery plan PUT (`replicationRecoveryPlans`): a Shutdown and a Failover group, a Boot group per recovery group, and the steps ASR does not run itself as manual actions. Replace each `<...>` placeholder with the id from your vault.\n\n");
    let warnings = super::asr::asr_warnings(plan);
    for warning in &warnings {
        text.push_str(&format!("- **Warning:** {}\n", markdown(warning)));
    }
    if !warnings.is_empty() {
        text.push('\n');
    }
    text.push_str("## Assumptions\n\n");
    for assumption in &plan.assumptions {
        text.push_str(&format!("- {}\n", markdown(assumption)));
    }
    text
}

/// The script files a runbook refers to, with what they hold, and the Azure resources they name.
#[derive(Debug, Default, Clone)]
pub struct ScriptNames {
    pub files: Vec<(ScriptKind, String)>,
    pub resources: Vec<super::Resource>,
}

impl ScriptNames {
    /// The files of these scripts, as they are written under `scripts/`.
    pub fn of(scripts: &[super::Script]) -> Self {
        Self {
            files: scripts.iter().map(|script| (script.kind, format!("scripts/{}", script.file_name))).collect(),
            resources: scripts.iter().flat_map(|script| script.resources.iter().cloned()).collect(),
        }
    }

    /// The files that hold a step.
    pub fn for_step(&self, step: &Step) -> Vec<String> {
        let kind = super::scripts::script_kind(step);
        self.files.iter().filter(|(held, _)| Some(*held) == kind).map(|(_, name)| name.clone()).collect()
    }
}
