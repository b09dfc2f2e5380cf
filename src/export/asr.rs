//! The recovery plan as Azure Site Recovery takes it: `recovery-plan.asr.json` is the body of
//! the `replicationRecoveryPlans` PUT (`properties.groups[]` with a Shutdown group, a Failover
//! group and one Boot group per recovery group; the machines of each Boot group as
//! `replicationProtectedItems`; the plan's other steps as manual actions before the first Boot
//! group and after each one, for the scenario's failover type and direction). ASR performs the
//! shutdown, the failover, the boot, the commit and the reverse replication itself, so those
//! steps are not actions. drplan does not know the vault's ids: every id is a placeholder that
//! says what goes there.

use serde_json::{Value, json};

use crate::model::{Direction, FailoverType};
use crate::plan::{Action, RecoveryPlan, Step};

/// ASR's limits on a recovery plan.
pub const ASR_MAX_MACHINES: usize = 100;
pub const ASR_MAX_GROUPS: usize = 7;

/// The failover type as ASR names it.
fn failover_type(plan: &RecoveryPlan) -> &'static str {
    match plan.failover_type {
        FailoverType::Planned => "PlannedFailover",
        FailoverType::Unplanned => "UnplannedFailover",
        FailoverType::Test => "TestFailover",
    }
}

fn failover_direction(plan: &RecoveryPlan) -> &'static str {
    match plan.direction {
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
    )
}

/// A step as a manual action of the plan's failover type and direction.
fn manual_action(plan: &RecoveryPlan, step: &Step, scripts: &[String]) -> Value {
    let mut description = step.title.clone();
    if crate::export::scripts::is_network(&step.action) || crate::export::scripts::is_dns(&step.action) {
        description.push_str(&format!(" (run step {} of {})", step.number, scripts.join(" or ")));
    }
    let name: String = format!("Step {}: {}", step.number, step.title).chars().take(100).collect();
    json!({
        "actionName": name,
        "failoverTypes": [failover_type(plan)],
        "failoverDirections": [failover_direction(plan)],
        "customDetails": { "instanceType": "ManualActionDetails", "description": description },
    })
}

/// The body of ASR's recovery plan PUT for this recovery plan; `scripts` names the script files
/// the manual actions point at.
pub fn asr_plan(plan: &RecoveryPlan, scripts: &[String]) -> Value {
    let actions = |steps: &[Step]| -> Vec<Value> {
        steps.iter().filter(|step| !done_by_asr(&step.action)).map(|step| manual_action(plan, step, scripts)).collect()
    };
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
