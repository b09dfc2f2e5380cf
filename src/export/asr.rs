//! The recovery plan as Azure Site Recovery takes it: `recovery-plan.asr.json` is the body of
//! the `replicationRecoveryPlans` PUT (`properties.groups[]` with a Shutdown group, a Failover
//! group and one Boot group per recovery group; the machines of each Boot group as
//! `replicationProtectedItems`; the plan's other steps as manual actions before the first Boot
//! group and after each one, for the scenario's failover type and direction). ASR performs the
//! shutdown, the failover, the boot, the commit and the reverse replication itself, so those
//! steps are not actions. drplan does not know the vault's ids: every id is a placeholder that
//! says what goes there.

use serde_json::{Value, json};

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

/// A step as an action of the recovery plan: a group action as the model says it (its failover
/// types and directions, its script or runbook), any other step as a manual action of the plan's
/// failover type and direction that points at the script holding it.
fn plan_action(plan: &RecoveryPlan, step: &Step, scripts: &ScriptNames) -> Value {
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
                GroupActionKind::Manual { instructions } => json!({ "instanceType": "ManualActionDetails", "description": instructions }),
                GroupActionKind::Script { path } => json!({ "instanceType": "ScriptActionDetails", "path": path, "fabricLocation": "Recovery" }),
                GroupActionKind::AutomationRunbook { runbook } => {
                    let id = if runbook.starts_with("/subscriptions/") { runbook.clone() } else { format!("<ARM id of the Automation runbook \"{runbook}\">") };
                    json!({ "instanceType": "AutomationRunbookActionDetails", "runbookId": id, "fabricLocation": "Recovery" })
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
            (vec![plan.failover_type], vec![plan.direction], json!({ "instanceType": "ManualActionDetails", "description": description }))
        }
    };
    json!({
        "actionName": name,
        "failoverTypes": types.into_iter().map(failover_type_name).collect::<Vec<_>>(),
        "failoverDirections": directions.into_iter().map(failover_direction_name).collect::<Vec<_>>(),
        "customDetails": details,
    })
}

/// The body of ASR's recovery plan PUT for this recovery plan; `scripts` names the script files
/// the manual actions point at.
pub fn asr_plan(plan: &RecoveryPlan, scripts: &ScriptNames) -> Value {
    let actions =
        |steps: &[Step]| -> Vec<Value> { steps.iter().filter(|step| !done_by_asr(&step.action)).map(|step| plan_action(plan, step, scripts)).collect() };
    let preparation: Vec<Value> = plan.groups.iter().filter(|group| group.number == 0).flat_map(|group| actions(&group.before)).collect();
    let mut groups = vec![
        json!({ "groupType": "Shutdown", "replicationProtectedItems": [], "startGroupActions": [], "endGroupActions": [] }),
        json!({ "groupType": "Failover", "replicationProtectedItems": [], "startGroupActions": [], "endGroupActions": [] }),
    ];
    let mut first_boot = true;
    for group in plan.groups.iter().filter(|group| group.number > 0) {
        let items: Vec<Value> = group
            .machines
            .iter()
            .map(|machine| {
                json!({
                    "id": format!("<replication protected item id of \"{}\" ({})>", machine.name, machine.id),
                    "virtualMachineId": format!("<virtual machine id of \"{}\" ({})>", machine.name, machine.id),
                })
            })
            .collect();
        // The network is made ready before the first machines boot.
        let mut start = if first_boot { preparation.clone() } else { Vec::new() };
        start.extend(actions(&group.before));
        first_boot = false;
        groups.push(json!({
            "groupType": "Boot",
            "replicationProtectedItems": items,
            "startGroupActions": start,
            "endGroupActions": actions(&group.after),
        }));
    }
    json!({
        "properties": {
            "primaryFabricId": "<ARM id of the replication fabric of the source site>",
            "recoveryFabricId": "<ARM id of the replication fabric of the recovery site>",
            "failoverDeploymentModel": "ResourceManager",
            "groups": groups,
        }
    })
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
