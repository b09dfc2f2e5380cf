//! The failover steps as Azure Site Recovery's PowerShell cmdlets on the recovery plan created
//! from `recovery-plan.asr.json`: one failover job runs the groups in order (planned with its
//! own shutdown, unplanned from a recovery tag, or test into the test network) and stops at
//! each manual action, where the operator does the runbook's step and the script resumes the
//! job; then commit and reverse replication, or the test cleanup.

use super::{header, names::azure_name, step_comment};
use crate::export::quote::powershell;
use crate::model::{DataSync, Direction, FailoverType, GroupActionKind, RecoveryPoint};
use crate::recovery::{Action, RecoveryPlan, Step};

/// Whether a step is one of Site Recovery's own jobs, or part of one (a group's script or
/// Automation runbook action, which the failover job runs).
pub fn is_failover(action: &Action) -> bool {
    match action {
        Action::GroupAction { group_action } => !matches!(group_action.kind, GroupActionKind::Manual { .. }),
        _ => matches!(
            action,
            Action::SynchroniseData { .. }
                | Action::CompleteFailover
                | Action::ShutDownSourceMachines
                | Action::FailOverGroup { .. }
                | Action::Commit
                | Action::ReverseReplicate
                | Action::CompleteTest
        ),
    }
}

/// The name of the ASR recovery plan the script drives.
pub fn recovery_plan_name(plan: &RecoveryPlan) -> String {
    azure_name(&plan.scenario_name)
}

fn direction(plan: &RecoveryPlan) -> (&'static str, &'static str) {
    match plan.direction {
        Direction::Failover => ("PrimaryToRecovery", "RecoveryToPrimary"),
        Direction::Failback => ("RecoveryToPrimary", "PrimaryToRecovery"),
    }
}

/// The failover job's command line, or a refusal the script throws.
fn start_job(plan: &RecoveryPlan, to_cloud: bool) -> String {
    let (forward, _) = direction(plan);
    let data_sync = plan.steps().find_map(|step| match &step.action {
        Action::SynchroniseData { data_sync } => Some(*data_sync),
        _ => None,
    });
    let recovery_point = plan.steps().find_map(|step| match &step.action {
        Action::ChooseRecoveryPoint { recovery_point } => Some(recovery_point.clone()),
        _ => None,
    });
    let tag = match recovery_point {
        None | Some(RecoveryPoint::Latest) => Some("Latest"),
        Some(RecoveryPoint::LatestProcessed) => Some("LatestAvailable"),
        Some(RecoveryPoint::LatestAppConsistent) => Some("LatestAvailableApplicationConsistent"),
        Some(RecoveryPoint::Custom(_)) => None,
    };
    let Some(tag) = tag else {
        return "throw 'A custom recovery point is chosen per machine (the portal, or -ReplicationProtectedItem with -RecoveryPoint); this script does not choose it'\n".to_owned();
    };
    match plan.failover_type {
        FailoverType::Planned => {
            let optimize = match data_sync {
                Some(DataSync::DeltaBeforeFailover) => " -Optimize ForDowntime",
                Some(DataSync::FullDownloadDuringFailover) => " -Optimize ForSynchronization",
                None => "",
            };
            format!("$job = Start-AzRecoveryServicesAsrPlannedFailoverJob -RecoveryPlan $recoveryPlan -Direction {forward}{optimize}\n")
        }
        FailoverType::Unplanned => {
            format!("$job = Start-AzRecoveryServicesAsrUnplannedFailoverJob -RecoveryPlan $recoveryPlan -Direction {forward} -RecoveryTag {tag}\n")
        }
        FailoverType::Test if to_cloud => {
            format!(
                "$job = Start-AzRecoveryServicesAsrTestFailoverJob -RecoveryPlan $recoveryPlan -Direction {forward} -AzureVMNetworkId $TestNetworkId -RecoveryTag {tag}\n"
            )
        }
        FailoverType::Test => format!(
            "$testNetwork = Get-AzRecoveryServicesAsrFabric | ForEach-Object {{ Get-AzRecoveryServicesAsrNetwork -Fabric $_ }} | Where-Object FriendlyName -eq $TestNetworkName\n\
             $job = Start-AzRecoveryServicesAsrTestFailoverJob -RecoveryPlan $recoveryPlan -Direction {forward} -VMNetwork $testNetwork -RecoveryTag {tag}\n"
        ),
    }
}

/// The PowerShell script of the failover steps.
pub fn powershell_failover(plan: &RecoveryPlan, steps: &[&Step]) -> String {
    let to_cloud = plan.to_azure;
    let mut text = header(plan, "Failover jobs (PowerShell, Az.RecoveryServices)", &Default::default());
    let mut parameters = vec![
        "    [Parameter(Mandatory)][string]$VaultName".to_owned(),
        "    [Parameter(Mandatory)][string]$VaultResourceGroup".to_owned(),
        format!("    [string]$RecoveryPlanName = {}", powershell(&recovery_plan_name(plan))),
    ];
    if plan.failover_type == FailoverType::Test {
        parameters
            .push(if to_cloud { "    [Parameter(Mandatory)][string]$TestNetworkId" } else { "    [Parameter(Mandatory)][string]$TestNetworkName" }.to_owned());
    }
    text.push_str(&format!("param(\n{}\n)\n$ErrorActionPreference = 'Stop'\n", parameters.join(",\n")));
    text.push_str(
        "$vault = Get-AzRecoveryServicesVault -Name $VaultName -ResourceGroupName $VaultResourceGroup\n\
         Set-AzRecoveryServicesAsrVaultContext -Vault $vault | Out-Null\n\
         $recoveryPlan = Get-AzRecoveryServicesAsrRecoveryPlan -Name $RecoveryPlanName\n\n\
         # Waits for a job. Where it stops for a manual action of the recovery plan (a step of the\n\
         # runbook) or for Complete Failover, the operator does it and the job goes on.\n\
         function Wait-AsrJob([Parameter(Mandatory)]$Job) {\n\
         \x20   while ($true) {\n\
         \x20       $Job = Get-AzRecoveryServicesAsrJob -Job $Job\n\
         \x20       if ($Job.State -eq 'Suspended') {\n\
         \x20           Read-Host \"$($Job.DisplayName) waits for a step of the runbook; press Enter once it is done\" | Out-Null\n\
         \x20           $Job = Resume-AzRecoveryServicesAsrJob -Job $Job\n\
         \x20       } elseif ($Job.State -in 'NotStarted', 'InProgress') {\n\
         \x20           Start-Sleep -Seconds 30\n\
         \x20       } else {\n\
         \x20           break\n\
         \x20       }\n\
         \x20   }\n\
         \x20   if ($Job.State -ne 'Succeeded') { throw \"$($Job.DisplayName) ended $($Job.State)\" }\n\
         }\n",
    );
    let (_, reverse) = direction(plan);
    let mut job_started = false;
    for step in steps {
        text.push_str(&step_comment(step));
        match &step.action {
            Action::SynchroniseData { data_sync: DataSync::DeltaBeforeFailover } => {
                text.push_str("# The planned failover job below synchronises the delta first (-Optimize ForDowntime) while the machines run.\n")
            }
            Action::SynchroniseData { data_sync: DataSync::FullDownloadDuringFailover } => {
                text.push_str("# The planned failover job below downloads the disks in full (-Optimize ForSynchronization).\n")
            }
            Action::CompleteFailover => {
                text.push_str("# The failover job stops after the delta synchronisation; Wait-AsrJob asks before it resumes, which is Complete Failover.\n")
            }
            Action::ShutDownSourceMachines => text.push_str("# The planned failover job shuts down the source machines itself.\n"),
            Action::FailOverGroup { group } if !job_started => {
                job_started = true;
                text.push_str(&format!("# One job runs every group in order, group {group} first.\n"));
                text.push_str(&start_job(plan, to_cloud));
                text.push_str("Wait-AsrJob $job\n");
            }
            Action::FailOverGroup { group } => text.push_str(&format!("# Group {group} fails over in the same job (its Boot group in the recovery plan).\n")),
            Action::GroupAction { group_action } => {
                let what = match &group_action.kind {
                    GroupActionKind::Script { path } => format!("script {}", crate::export::quote::comment(path)),
                    GroupActionKind::AutomationRunbook { runbook } => format!("Automation runbook {}", crate::export::quote::comment(runbook)),
                    GroupActionKind::Manual { .. } => String::new(),
                };
                text.push_str(&format!("# The failover job runs this action itself: the {what} (an action of the recovery plan in recovery-plan.asr.json).\n"));
            }
            Action::Commit => text.push_str("Wait-AsrJob (Start-AzRecoveryServicesAsrCommitFailoverJob -RecoveryPlan $recoveryPlan)\n"),
            Action::ReverseReplicate => {
                text.push_str(&format!("Wait-AsrJob (Update-AzRecoveryServicesAsrProtectionDirection -RecoveryPlan $recoveryPlan -Direction {reverse})\n"))
            }
            Action::CompleteTest => {
                text.push_str("Wait-AsrJob (Start-AzRecoveryServicesAsrTestFailoverCleanupJob -RecoveryPlan $recoveryPlan -Comment 'Test failover checked')\n")
            }
            _ => {}
        }
    }
    text
}
