//! The recovery plan as Azure Site Recovery takes it: `recovery-plan.asr.json` is the body of
//! the `replicationRecoveryPlans` PUT (`properties.groups[]` with a Shutdown group, a Failover
//! group and one Boot group per recovery group; the machines of each Boot group as
//! `replicationProtectedItems`; the plan's other steps as manual actions before the first Boot
//! group and after each one, for the scenario's failover type and direction). ASR performs the
//! shutdown, the failover, the boot, the commit and the reverse replication itself, so those
//! steps are not actions. drplan does not know the vault's ids: every id is a placeholder that
//! says what goes there.

use serde::Serialize;

use super::runbook::ScriptNames;
use crate::model::{Direction, FailoverType, GroupActionKind};
use crate::recovery::{Action, RecoveryPlan, Step};

/// ASR's limits on a recovery plan.
pub const ASR_MAX_MACHINES: usize = 100;
pub const ASR_MAX_GROUPS: usize = 7;

/// The failover type as ASR names it.
fn failover_type_name(failover_type: FailoverType) -> &'static str {
    match failover_type {
        FailoverType::Planned => "PlannedFailover",
        FailoverType::Unplanned => "UnplannedFailover",
        FailoverType::Test => "TestFailover",
    }
}

fn failover_direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Failover => "PrimaryToRecovery",
        Direction::Failback => "RecoveryToPrimary",
    }
}

/// Whether ASR runs the step itself (its jobs shut down, fail over, boot, commit and reverse).
fn done_by_asr(action: &Action) -> bool {
    matches!(
        action,
        Action::ShutDownSourceMachines
            | Action::ChooseRecoveryPoint { .. }
            | Action::SelectTestNetwork { .. }
            | Action::FailOverGroup { .. }
            | Action::Commit
            | Action::ReverseReplicate
            | Action::CompleteTest
            | Action::CompleteFailover
            | Action::SynchroniseData { .. }
    )
}

/// The body of the PUT. Fields are declared in the order of their JSON names, so the file lists
/// them sorted, as a JSON object tree would.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AsrPlan {
    pub properties: AsrProperties,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AsrProperties {
    pub failover_deployment_model: &'static str,
    pub groups: Vec<AsrGroup>,
    pub primary_fabric_id: &'static str,
    pub recovery_fabric_id: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AsrGroup {
    pub end_group_actions: Vec<AsrAction>,
    /// Shutdown, Failover or Boot.
    pub group_type: &'static str,
    pub replication_protected_items: Vec<AsrProtectedItem>,
    pub start_group_actions: Vec<AsrAction>,
}

impl AsrGroup {
    fn empty(group_type: &'static str) -> Self {
        Self { end_group_actions: Vec::new(), group_type, replication_protected_items: Vec::new(), start_group_actions: Vec::new() }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AsrProtectedItem {
    pub id: String,
    pub virtual_machine_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AsrAction {
    pub action_name: String,
    pub custom_details: AsrActionDetails,
    pub failover_directions: Vec<&'static str>,
    pub failover_types: Vec<&'static str>,
}

/// What an action does, by its `instanceType` (kept among the other fields in name order).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AsrActionDetails {
    #[serde(rename_all = "camelCase")]
    AutomationRunbook { fabric_location: &'static str, instance_type: &'static str, runbook_id: String },
    #[serde(rename_all = "camelCase")]
    Manual { description: String, instance_type: &'static str },
    #[serde(rename_all = "camelCase")]
    Script { fabric_location: &'static str, instance_type: &'static str, path: String },
}

impl AsrActionDetails {
    fn manual(description: String) -> Self {
        Self::Manual { description, instance_type: "ManualActionDetails" }
    }
}

/// A step as an action of the recovery plan: a group action as the model says it (its failover
/// types and directions, its script or runbook), any other step as a manual action of the plan's
/// failover type and direction that points at the script holding it.
fn plan_action(plan: &RecoveryPlan, step: &Step, scripts: &ScriptNames) -> AsrAction {
    let name: String = format!("Step {}: {}", step.number, step.title).chars().take(100).collect();
    let (types, directions, details) = match &step.action {
        Action::GroupAction { group_action: action } => {
            let types: Vec<FailoverType> = if action.failover_types.is_empty() {
                vec![FailoverType::Planned, FailoverType::Unplanned, FailoverType::Test]
            } else {
                action.failover_types.clone()
            };
            let directions: Vec<Direction> =
                if action.directions.is_empty() { vec![Direction::Failover, Direction::Failback] } else { action.directions.clone() };
            let details = match &action.kind {
                GroupActionKind::Manual { instructions } => AsrActionDetails::manual(instructions.clone()),
                GroupActionKind::Script { path } => {
                    AsrActionDetails::Script { fabric_location: "Recovery", instance_type: "ScriptActionDetails", path: path.clone() }
                }
                GroupActionKind::AutomationRunbook { runbook } => {
                    let id = if runbook.starts_with("/subscriptions/") { runbook.clone() } else { format!("<ARM id of the Automation runbook \"{runbook}\">") };
                    AsrActionDetails::AutomationRunbook { fabric_location: "Recovery", instance_type: "AutomationRunbookActionDetails", runbook_id: id }
                }
            };
            (types, directions, details)
        }
        _ => {
            let mut description = step.title.clone();
            let files = scripts.for_step(step);
            if !files.is_empty() {
                description.push_str(&format!(" (run step {} of {})", step.number, files.join(" or ")));
            }
            (vec![plan.failover_type], vec![plan.direction], AsrActionDetails::manual(description))
        }
    };
    AsrAction {
        action_name: name,
        custom_details: details,
        failover_directions: directions.into_iter().map(failover_direction_name).collect(),
        failover_types: types.into_iter().map(failover_type_name).collect(),
    }
}

/// The body of ASR's recovery plan PUT for this recovery plan; `scripts` names the script files
/// the manual actions point at. Typed, and written straight to its file: at 100,000 prefixes it
/// is 21 MB of JSON, which as a tree of JSON values took several times that in memory.
pub fn asr_plan(plan: &RecoveryPlan, scripts: &ScriptNames) -> AsrPlan {
    let actions =
        |steps: &[Step]| -> Vec<AsrAction> { steps.iter().filter(|step| !done_by_asr(&step.action)).map(|step| plan_action(plan, step, scripts)).collect() };
    let mut preparation: Vec<AsrAction> = plan.groups.iter().filter(|group| group.number == 0).flat_map(|group| actions(&group.before)).collect();
    let mut groups = vec![AsrGroup::empty("Shutdown"), AsrGroup::empty("Failover")];
    for group in plan.groups.iter().filter(|group| group.number > 0) {
        let items: Vec<AsrProtectedItem> = group
            .machines
            .iter()
            .map(|machine| AsrProtectedItem {
                id: format!("<replication protected item id of \"{}\" ({})>", machine.name, machine.id),
                virtual_machine_id: format!("<virtual machine id of \"{}\" ({})>", machine.name, machine.id),
            })
            .collect();
        // The network is made ready before the first machines boot.
        let mut start = std::mem::take(&mut preparation);
        start.extend(actions(&group.before));
        groups.push(AsrGroup { end_group_actions: actions(&group.after), group_type: "Boot", replication_protected_items: items, start_group_actions: start });
    }
    AsrPlan {
        properties: AsrProperties {
            failover_deployment_model: "ResourceManager",
            groups,
            primary_fabric_id: "<ARM id of the replication fabric of the source site>",
            recovery_fabric_id: "<ARM id of the replication fabric of the recovery site>",
        },
    }
}

/// Where the plan exceeds what one ASR recovery plan can hold.
pub fn asr_warnings(plan: &RecoveryPlan) -> Vec<String> {
    let machines: usize = plan.groups.iter().map(|group| group.machines.len()).sum();
    let boot_groups = plan.groups.iter().filter(|group| group.number > 0).count();
    let mut warnings = Vec::new();
    if machines > ASR_MAX_MACHINES {
        warnings.push(format!("{machines} machines: an ASR recovery plan holds at most {ASR_MAX_MACHINES}; split the plan."));
    }
    if boot_groups > ASR_MAX_GROUPS {
        warnings.push(format!("{boot_groups} recovery groups: an ASR recovery plan holds at most {ASR_MAX_GROUPS}; merge groups or split the plan."));
    }
    warnings
}
