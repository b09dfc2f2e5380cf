//! Recovery plans an operations team can run (issue 13), per seed scenario: the steps and their
//! order, the scripts that carry them, the failover jobs, the group actions, the Azure names and
//! resource groups, the protection state after failover and the RTO's assumptions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use drplan::export::{self, ScriptKind};
use drplan::model::*;
use drplan::recovery::{self, Action, Execution, RecoveryPlan, Step};
use drplan::simulate::simulate;

fn recovery(plan: &Plan, scenario: &str) -> RecoveryPlan {
    let scenario = plan.scenario_by_id_or_name(scenario).expect("scenario exists");
    let outcome = simulate(plan, scenario).expect("simulates");
    recovery::recovery_plan(&PlanIndex::new(plan), scenario, &outcome)
}

fn script(plan: &RecoveryPlan, file: &str) -> String {
    export::scripts(plan).into_iter().find(|script| script.file_name == file).map(|script| script.text).unwrap_or_else(|| panic!("no {file}"))
}

fn first(plan: &RecoveryPlan, wanted: impl Fn(&Action) -> bool) -> &Step {
    plan.steps().find(|step| wanted(&step.action)).expect("a step of that kind")
}

/// Seed 003 step d: the recovery hub's and spokes' UDRs are created and associated at failover,
/// after the ExpressRoute gateway (Azure refuses GatewaySubnet changes while it deploys) and
/// before the NVA they lead through is checked; the NVA before group 1; the on-premises routes
/// for both spokes and the hub name the secondary circuit.
#[test]
fn hub_and_spoke_creates_its_udrs_checks_the_nva_and_routes_over_the_secondary_circuit_before_group_1_is_verified() {
    let plan = recovery(&sample("expressroute-hub-spoke.drplan.json"), "scn-full-region");
    let tables: Vec<&Step> = plan.steps().filter(|step| matches!(step.action, Action::CreateRouteTable { .. })).collect();
    let names: Vec<String> = tables
        .iter()
        .map(|step| match &step.action {
            Action::CreateRouteTable { name, .. } => name.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(names, ["Target hub gateway routes", "Target vNet1 routes", "Target vNet2 routes"]);
    let gateway = first(&plan, |action| matches!(action, Action::CreateGateway { prepared: false, .. }));
    let nva = first(&plan, |action| matches!(action, Action::CheckNva { .. }));
    let group_1 = first(&plan, |action| matches!(action, Action::FailOverGroup { group: 1 }));
    let verify_1 = first(&plan, |action| matches!(action, Action::Verify { group: 1 }));
    for table in &tables {
        assert!(gateway.number < table.number && table.number < nva.number, "gateway, then UDRs, then the NVA");
        assert_eq!(table.execution, Execution::Scripted);
    }
    assert!(nva.number < group_1.number, "the NVA every UDR leads through runs before the first group");
    assert!(matches!(&nva.action, Action::CheckNva { ip, .. } if ip.to_string() == "10.10.10.10"));
    let routes: Vec<(&Prefix, &String)> = plan
        .steps()
        .filter_map(|step| match &step.action {
            Action::ChangeRoutes { prefix, new_next_hop, .. } if step.number < verify_1.number => Some((prefix, new_next_hop)),
            _ => None,
        })
        .collect();
    let prefixes: Vec<String> = routes.iter().map(|(prefix, _)| prefix.to_string()).collect();
    assert_eq!(prefixes, ["10.1.0.0/24", "10.2.0.0/24", "10.10.10.0/24"], "both spokes and the hub move, before group 1 is verified");
    assert!(routes.iter().all(|(_, hop)| hop.contains("\"Circuit Singapore\"")), "{routes:?}");

    let powershell = script(&plan, "network-changes.ps1");
    assert!(powershell.contains("New-AzRouteTable -Name 'Target-vNet1-routes'"));
    assert!(powershell.contains("Add-AzRouteConfig -RouteTable $routeTable -Name 'to-onprem-via-nva' -AddressPrefix '192.168.0.0/16' -NextHopType VirtualAppliance -NextHopIpAddress '10.10.10.10'"));
    assert!(powershell.contains("(Get-AzVirtualNetworkSubnetConfig -VirtualNetwork $vnet -Name 'Subnet-1').RouteTable = $routeTable"));
    let shell = script(&plan, "network-changes.sh");
    assert!(shell.contains("az network vnet subnet update --name 'GatewaySubnet' --resource-group \"$RESOURCE_GROUP_AZURE_SOUTHEAST_ASIA\" --vnet-name 'Target-Hub-vNet' --route-table \"$route_table_id\""));

    // A route table that exists before failover is no step.
    let mut prepared = sample("expressroute-hub-spoke.drplan.json");
    for table in prepared.networks.iter_mut().flat_map(|network| network.route_tables.iter_mut()) {
        table.created_at_failover = false;
    }
    let plan = recovery(&prepared, "scn-full-region");
    assert!(!plan.steps().any(|step| matches!(step.action, Action::CreateRouteTable { .. })));
    assert!(plan.steps().any(|step| matches!(step.action, Action::CheckNva { .. })), "the NVA is still checked");
}

/// Network steps that do not depend on each other run alongside the first of their batch, and
/// the RTO counts the batch once, by its longest step.
#[test]
fn independent_network_steps_run_alongside_and_count_once() {
    let plan = recovery(&sample("expressroute-hub-spoke.drplan.json"), "scn-full-region");
    let table = first(&plan, |action| matches!(action, Action::CreateRouteTable { .. }));
    let lead_number = table.alongside.expect("the route tables run alongside the batch's first step");
    let connect = plan.steps().find(|step| step.number == lead_number).expect("the batch's first step");
    assert!(connect.alongside.is_none());
    let batch: Vec<&Step> = plan.steps().filter(|step| step.alongside == Some(connect.number)).collect();
    assert_eq!(batch.len(), 5, "after the first, the rest of: two peerings, the ExpressRoute connection, three route tables");
    let sequential: u32 = plan.steps().filter(|step| step.counts_toward_rto).map(|step| step.duration_secs).sum();
    let longest = batch.iter().map(|step| step.duration_secs).max().unwrap_or(0).max(connect.duration_secs);
    let batch_total: u32 = batch.iter().map(|step| step.duration_secs).sum::<u32>() + connect.duration_secs;
    assert_eq!(plan.estimated_rto_secs, sequential - batch_total + longest);
    let runbook = export::runbook_markdown(&plan, &export::ScriptNames::default(), &[]);
    assert!(runbook.contains(&format!(", runs alongside step {}", connect.number)), "{runbook}");
}

/// Seed 004: "latest" processes pending data first (lowest RPO), "latest processed" does not
/// (lowest RTO).
#[test]
fn the_latest_recovery_point_costs_its_processing_time_and_latest_processed_does_not() {
    let mut latest = sample("hyperv-to-azure.drplan.json");
    let processed = recovery(&latest, "scn-failover");
    latest.scenarios.iter_mut().for_each(|scenario| scenario.recovery_point = Some(RecoveryPoint::Latest));
    let slower = recovery(&latest, "scn-failover");
    assert_eq!(slower.estimated_rto_secs - processed.estimated_rto_secs, recovery::PROCESS_PENDING_DATA_SECS);
    assert!(script(&slower, "failover.ps1").contains("-RecoveryTag Latest\n"));
    assert!(script(&processed, "failover.ps1").contains("-RecoveryTag LatestAvailable\n"));
}

/// Seeds 002 and 004: failing back from Azure to a Hyper-V site is a planned failover that
/// synchronises the delta while the machines run in Azure (not counted), then Complete Failover,
/// the groups, commit and reverse replication, as Site Recovery jobs.
#[test]
fn failback_from_azure_synchronises_the_delta_then_completes_commits_and_reverses() {
    let plan = recovery(&sample("hyperv-to-azure.drplan.json"), "scn-failback");
    let order: Vec<&str> = plan
        .steps()
        .filter_map(|step| match step.action {
            Action::SynchroniseData { .. } => Some("sync"),
            Action::CompleteFailover => Some("complete"),
            Action::FailOverGroup { .. } => Some("group"),
            Action::Commit => Some("commit"),
            Action::ReverseReplicate => Some("reverse"),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["sync", "complete", "group", "group", "commit", "reverse"]);
    let sync = first(&plan, |action| matches!(action, Action::SynchroniseData { .. }));
    assert!(!sync.counts_toward_rto, "the delta runs while the machines keep running");
    assert!(first(&plan, |action| matches!(action, Action::CompleteFailover)).counts_toward_rto);
    let failover = script(&plan, "failover.ps1");
    let start = failover
        .find("Start-AzRecoveryServicesAsrPlannedFailoverJob -RecoveryPlan $recoveryPlan -Direction RecoveryToPrimary -Optimize ForDowntime")
        .expect("the planned job");
    let commit = failover.find("Start-AzRecoveryServicesAsrCommitFailoverJob -RecoveryPlan $recoveryPlan").expect("commit");
    let reverse = failover.find("Update-AzRecoveryServicesAsrProtectionDirection -RecoveryPlan $recoveryPlan -Direction PrimaryToRecovery").expect("reverse");
    assert!(start < commit && commit < reverse);
    assert!(failover.contains("Resume-AzRecoveryServicesAsrJob"), "Complete Failover resumes the waiting job");

    // Failing back between two Azure regions synchronises nothing (seed 002).
    let mut azure = sample("azure-full-region.drplan.json");
    let mut back = azure.scenarios[0].clone();
    back.id = ScenarioId::new("scn-back");
    back.direction = Direction::Failback;
    back.failover_type = FailoverType::Planned;
    std::mem::swap(&mut back.from_site, &mut back.to_site);
    azure.scenarios.push(back);
    let plan = recovery(&azure, "scn-back");
    assert!(!plan.steps().any(|step| matches!(step.action, Action::SynchroniseData { .. } | Action::CompleteFailover)));
    assert!(first(&plan, |action| matches!(action, Action::ShutDownSourceMachines)).execution == Execution::Scripted, "the planned job shuts down");
}

/// Seed 002: a test failover starts in the test network chosen for it, checks the infrastructure
/// there first, and ends with the cleanup job; nothing is committed.
#[test]
fn a_test_failover_runs_the_test_job_in_the_test_network_and_cleans_up() {
    let plan = recovery(&sample("hyperv-to-azure.drplan.json"), "scn-test");
    let select = first(&plan, |action| matches!(action, Action::SelectTestNetwork { .. }));
    let check = first(&plan, |action| matches!(action, Action::CheckTestInfrastructure { .. }));
    let group_1 = first(&plan, |action| matches!(action, Action::FailOverGroup { group: 1 }));
    assert!(select.number < check.number && check.number < group_1.number);
    assert!(check.title.contains("\"DC01 test copy\" runs in the test network"), "{}", check.title);
    assert!(!plan.steps().any(|step| matches!(step.action, Action::Commit | Action::ReverseReplicate)));
    let failover = script(&plan, "failover.ps1");
    assert!(failover.contains("[Parameter(Mandatory)][string]$TestNetworkId"));
    assert!(failover.contains("Start-AzRecoveryServicesAsrTestFailoverJob -RecoveryPlan $recoveryPlan -Direction PrimaryToRecovery -AzureVMNetworkId $TestNetworkId -RecoveryTag LatestAvailableApplicationConsistent"));
    assert!(failover.contains("Start-AzRecoveryServicesAsrTestFailoverCleanupJob -RecoveryPlan $recoveryPlan"));
    assert!(!failover.contains("CommitFailoverJob"));
}

/// Seed 002: after a failover to Azure, or an unplanned one, machines are not protected until
/// reprotected; after a planned failover between two VMM sites they are, back to the source.
#[test]
fn the_after_plan_protects_machines_only_after_a_planned_failover_between_two_on_premises_sites() {
    let hyperv = sample("hyperv-to-azure.drplan.json");
    let outcome = simulate(&hyperv, hyperv.scenario_by_id_or_name("scn-failover").expect("scenario")).expect("simulates");
    let moved: Vec<&Machine> = outcome.after.machines.iter().filter(|machine| machine.subnet.as_str() == "sub-recovery-servers").collect();
    assert_eq!(moved.len(), 3);
    assert!(moved.iter().all(|machine| machine.target.is_none()), "not protected after an unplanned failover to Azure");

    let vmm = sample("vmm-change-ip.drplan.json");
    let outcome = simulate(&vmm, &vmm.scenarios[0]).expect("simulates");
    let db = outcome.after.machines.iter().find(|machine| machine.name == "DB01").expect("DB01");
    assert_eq!(
        db.target.as_ref().map(|target| target.subnet.as_str()),
        Some("sub-primary-apps"),
        "a planned VMM-to-VMM failover leaves it protected back to the source"
    );

    let mut unplanned = vmm.clone();
    unplanned.scenarios[0].failover_type = FailoverType::Unplanned;
    let outcome = simulate(&unplanned, &unplanned.scenarios[0]).expect("simulates");
    assert!(outcome.after.machines.iter().find(|machine| machine.name == "DB01").is_some_and(|machine| machine.target.is_none()));
}

/// On-premises links (VMM networks, a branch LAN) change on devices drplan cannot script: manual
/// steps for the network team naming both prefixes, and no Az cmdlet in any script.
#[test]
fn links_with_an_on_premises_end_are_manual_steps_with_their_prefixes_and_in_no_script() {
    let plan = recovery(&sample("vmm-subnet-failover.drplan.json"), "scn-subnet-failover");
    let links: Vec<&Step> = plan.steps().filter(|step| matches!(step.action, Action::Connect { .. } | Action::Disconnect { .. })).collect();
    assert_eq!(links.len(), 4);
    for step in &links {
        assert_eq!(step.execution, Execution::Manual, "{}", step.title);
        assert!(step.title.contains("the network team") && step.title.contains("(192.168.1.0/24)"), "{}", step.title);
        assert_eq!(export::script_kind(step), None);
    }
    let scripts = export::scripts(&plan);
    assert!(scripts.iter().all(|script| script.kind == ScriptKind::Failover), "only the failover jobs are scripted");
    assert!(!scripts.iter().any(|script| script.text.contains("AzVirtualNetworkGatewayConnection")));
}

/// The plan's group actions land in the runbook where they belong (before the group fails over,
/// or after it and before its verification) for the failover types and directions they list, and
/// in the ASR export with their own details.
#[test]
fn group_actions_run_where_and_when_the_plan_says_and_export_as_asr_actions() {
    let mut hyperv = sample("hyperv-to-azure.drplan.json");
    hyperv.group_actions.push(GroupAction {
        name: "Stop the payroll batch".to_owned(),
        group: NonZeroU32::MIN,
        when: ActionTiming::Before,
        kind: GroupActionKind::Script { path: "\\\\vmm01\\scripts\\stop-batch.ps1".to_owned() },
        failover_types: Vec::new(),
        directions: Vec::new(),
    });
    let plan = recovery(&hyperv, "scn-failover");
    let number_of = |name: &str| {
        plan.steps().find(|step| matches!(&step.action, Action::GroupAction { group_action } if group_action.name == name)).map(|step| step.number)
    };
    let group = |group: u32| first(&plan, move |action| matches!(action, Action::FailOverGroup { group: number } if *number == group)).number;
    let verify = |group: u32| first(&plan, move |action| matches!(action, Action::Verify { group: number } if *number == group)).number;
    let stop = number_of("Stop the payroll batch").expect("the before action");
    assert_eq!(stop + 1, group(1), "right before group 1 fails over");
    let check = number_of("Check that the payroll database accepts connections").expect("the manual after action");
    assert!(group(1) < check && check < verify(1));
    let balancer = number_of("Add WEB01 to the Azure load balancer").expect("the runbook action");
    assert!(group(2) < balancer && balancer < verify(2));

    let failover = script(&plan, "failover.ps1");
    assert!(failover.contains("# The failover job runs this action itself: the Automation runbook Add-PayrollWebToLoadBalancer"), "{failover}");
    assert!(failover.contains("the script \\\\vmm01\\scripts\\stop-batch.ps1"), "{failover}");
    assert!(!failover.contains("payroll database"), "a manual action is the operator's, in no script");
    let body = serde_json::to_value(export::asr_plan(&plan, &export::ScriptNames::of(&export::scripts(&plan)))).expect("JSON");
    let groups = body["properties"]["groups"].as_array().expect("groups");
    let details = |group: &serde_json::Value, key: &str| -> Vec<serde_json::Value> { group[key].as_array().into_iter().flatten().cloned().collect() };
    let script_action = details(&groups[2], "startGroupActions")
        .into_iter()
        .find(|action| action["customDetails"]["instanceType"] == "ScriptActionDetails")
        .expect("the script action");
    assert_eq!(script_action["customDetails"]["path"], "\\\\vmm01\\scripts\\stop-batch.ps1");
    assert_eq!(script_action["failoverTypes"], serde_json::json!(["PlannedFailover", "UnplannedFailover", "TestFailover"]));
    assert_eq!(script_action["failoverDirections"], serde_json::json!(["PrimaryToRecovery", "RecoveryToPrimary"]));
    let runbook_action = details(&groups[3], "endGroupActions")
        .into_iter()
        .find(|action| action["customDetails"]["instanceType"] == "AutomationRunbookActionDetails")
        .expect("the runbook action");
    assert_eq!(runbook_action["customDetails"]["runbookId"], "<ARM id of the Automation runbook \"Add-PayrollWebToLoadBalancer\">");
    assert_eq!(runbook_action["failoverTypes"], serde_json::json!(["PlannedFailover", "UnplannedFailover"]));
    assert_eq!(runbook_action["failoverDirections"], serde_json::json!(["PrimaryToRecovery"]));
    let manual = details(&groups[2], "endGroupActions")
        .into_iter()
        .find(|action| {
            action["customDetails"]["instanceType"] == "ManualActionDetails"
                && action["actionName"].as_str().is_some_and(|name| name.contains("payroll database"))
        })
        .expect("the manual action");
    assert_eq!(manual["customDetails"]["description"], "Log on to SQL01 and run the payroll health query; go on when it returns.");

    // The runbook action is for failovers only: not in the failback, nor in the drill.
    for scenario in ["scn-failback", "scn-test"] {
        let plan = recovery(&hyperv, scenario);
        assert!(!plan.steps().any(|step| step.title.contains("load balancer")), "{scenario}");
        assert!(plan.steps().any(|step| step.title.contains("Stop the payroll batch")), "{scenario}: an action for every type and direction");
    }
}

/// Azure identity (issue 13 item 1): a name the plan gives is used as is, a resource group the
/// plan gives replaces the site's parameter, a circuit's own resource group and subscription
/// apply to it alone; what is not given stays a parameter per site.
#[test]
fn scripts_use_the_plans_azure_names_resource_groups_and_subscriptions() {
    let mut hub = sample("expressroute-hub-spoke.drplan.json");
    site_mut(&mut hub, "site-southeast-asia").azure.to_mut().resource_group = Some("rg-dr-sea".to_owned());
    network_mut(&mut hub, "net-target-hub").azure.to_mut().name = Some("vnet-hub-sea".to_owned());
    let plan = recovery(&hub, "scn-full-region");
    let shell = script(&plan, "network-changes.sh");
    assert!(shell.contains("az network vnet show --name 'vnet-hub-sea' --resource-group 'rg-dr-sea' --query location"));
    assert!(!shell.contains("RESOURCE_GROUP_AZURE_SOUTHEAST_ASIA"), "the site's resource group is known");
    assert!(shell.contains(": \"${RESOURCE_GROUP_ON_PREMISES_DATACENTER:?"), "the circuit's is not");
    let powershell = script(&plan, "network-changes.ps1");
    assert!(powershell.contains("#   vnet-hub-sea  <-  Target Hub vNet (given)"));
    assert!(powershell.contains("[Parameter(Mandatory)][string]$ResourceGroupOnPremisesDatacenter"));

    circuit_mut(&mut hub, "circuit-singapore").azure = AzureIdentity {
        name: Some("er-sin".to_owned()),
        resource_group: Some("rg-connectivity".to_owned()),
        subscription: Some("connectivity-sub".to_owned()),
    }
    .into();
    let plan = recovery(&hub, "scn-full-region");
    let shell = script(&plan, "network-changes.sh");
    assert!(shell.contains("az network express-route show --name 'er-sin' --resource-group 'rg-connectivity' --subscription 'connectivity-sub' --query id"));
    assert!(!shell.contains("RESOURCE_GROUP_ON_PREMISES_DATACENTER"));
    let powershell = script(&plan, "network-changes.ps1");
    assert!(powershell.contains(
        "Set-AzContext -Subscription 'connectivity-sub' | Out-Null\n$circuit = Get-AzExpressRouteCircuit -Name 'er-sin' -ResourceGroupName 'rg-connectivity'"
    ));
    assert!(
        powershell.contains("-ResourceGroupName 'rg-connectivity'\nSet-AzContext -Context $startContext | Out-Null\n$gateway = Get-AzVirtualNetworkGateway"),
        "the gateway, whose subscription the plan does not give, is looked up back in the operator's: {powershell}"
    );
    let runbook = export::runbook_markdown(&plan, &export::ScriptNames::of(&export::scripts(&plan)), &[]);
    assert!(runbook.contains("| `er-sin` | Circuit Singapore | given | `rg-connectivity` |"), "{runbook}");
}
