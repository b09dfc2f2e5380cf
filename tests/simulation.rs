//! Failover simulation and the recovery plan: each reference scenario gives the "after" that
//! DOMAIN.md documents, network steps come in a safe order, the RTO adds up, the after-topology
//! validates, and hostile element names come out of every export harmless.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use drplan::export::{self, quote};
use drplan::model::*;
use drplan::recovery::{self, Action, RecoveryPlan};
use drplan::simulate::{Difference, Outcome, simulate, simulate_named};
use drplan::validate::{self, Severity};

fn outcome(name: &str, scenario: &str) -> Outcome {
    simulate_named(&sample(name), scenario).expect("scenario simulates")
}

fn recovery(plan: &Plan, scenario: &str) -> RecoveryPlan {
    let scenario = plan.scenario_by_id_or_name(scenario).expect("scenario exists");
    let outcome = simulate(plan, scenario).expect("simulates");
    recovery::recovery_plan(&PlanIndex::new(plan), scenario, &outcome)
}

fn disconnected(outcome: &Outcome) -> Vec<&str> {
    outcome
        .differences
        .iter()
        .filter_map(|difference| match difference {
            Difference::ConnectionDisconnected { connection, .. } => Some(connection.as_str()),
            _ => None,
        })
        .collect()
}

fn established(outcome: &Outcome) -> Vec<&str> {
    outcome
        .differences
        .iter()
        .filter_map(|difference| match difference {
            Difference::ConnectionEstablished { connection, .. } | Difference::PeeringCreated { connection, .. } => Some(connection.as_str()),
            _ => None,
        })
        .collect()
}

fn routes(outcome: &Outcome) -> Vec<(String, String, String, String)> {
    outcome
        .differences
        .iter()
        .filter_map(|difference| match difference {
            Difference::RoutesChanged { at_site, prefix, old_next_hop, new_next_hop } => {
                Some((at_site.to_string(), prefix.to_string(), old_next_hop.clone(), new_next_hop.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn vmm_subnet_failover_moves_the_subnet_and_changes_routes_at_all_three_sites() {
    let outcome = outcome("vmm-subnet-failover.drplan.json", "scn-subnet-failover");
    assert!(outcome.differences.iter().any(|difference| matches!(difference,
        Difference::SubnetActivated { subnet, prefix, at_site, stretched: false }
            if subnet.as_str() == "sub-primary-apps" && prefix.to_string() == "192.168.1.0/24" && at_site.as_str() == "site-recovery")));
    let via = |site: &str| format!("via {site}");
    assert_eq!(
        routes(&outcome),
        vec![
            ("site-primary".into(), "192.168.1.0/24".into(), "local".into(), via("Recovery VMM site")),
            ("site-recovery".into(), "192.168.1.0/24".into(), via("Primary VMM site"), "local".into()),
            ("site-third".into(), "192.168.1.0/24".into(), via("Primary VMM site"), via("Recovery VMM site")),
        ]
    );
    let kept = outcome.differences.iter().filter(|d| matches!(d, Difference::MachineMoved { ip_kept: true, .. })).count();
    assert_eq!(kept, 3);
}

#[test]
fn vmm_change_ip_changes_no_routes_and_updates_dns() {
    let outcome = outcome("vmm-change-ip.drplan.json", "Full site failover with new IPs");
    assert!(routes(&outcome).is_empty());
    let dns: Vec<(&str, String)> = outcome
        .differences
        .iter()
        .filter_map(|difference| match difference {
            Difference::DnsRecordUpdated { record, new_ip, .. } => Some((record.as_str(), new_ip.to_string())),
            _ => None,
        })
        .collect();
    assert_eq!(dns.len(), 3);
    assert!(dns.iter().all(|(_, ip)| ip.starts_with("172.16.1.")), "{dns:?}");
    assert!(outcome.differences.iter().all(|d| !matches!(d, Difference::MachineMoved { ip_kept: true, .. })));
}

#[test]
fn azure_full_region_connects_the_recovery_vnet_to_the_azure_vnet() {
    let outcome = outcome("azure-full-region.drplan.json", "scn-full-region");
    assert_eq!(disconnected(&outcome), ["conn-source-azure-vpn"]);
    assert_eq!(established(&outcome), ["conn-recovery-azure-vpn"]);
    assert!(routes(&outcome).is_empty(), "no on-premises site routes to Azure here");
}

#[test]
fn isolated_application_failover_swaps_exactly_the_documented_vpns() {
    let outcome = outcome("azure-isolated-app.drplan.json", "scn-app2-failover");
    let mut down = disconnected(&outcome);
    down.sort();
    assert_eq!(down, ["conn-source1-source2-vpn", "conn-source2-azure-vpn"]);
    let mut up = established(&outcome);
    up.sort();
    assert_eq!(up, ["conn-recovery2-azure-vpn", "conn-source1-recovery2-vpn"]);
    let moved: Vec<&str> = outcome
        .differences
        .iter()
        .filter_map(|difference| match difference {
            Difference::MachineMoved { machine, .. } => Some(machine.as_str()),
            _ => None,
        })
        .collect();
    assert!(moved.iter().all(|machine| machine.starts_with("vm-app2")), "{moved:?}");
}

#[test]
fn hybrid_disconnects_the_source_expressroute_connection_before_making_the_recovery_one() {
    let outcome = outcome("hybrid-full-region.drplan.json", "scn-full-region");
    assert_eq!(disconnected(&outcome), ["conn-source-er"]);
    assert_eq!(established(&outcome), ["conn-recovery-er"]);
    assert_eq!(
        routes(&outcome),
        vec![(
            "site-onprem".into(),
            "10.1.0.0/16".into(),
            "via Azure East Asia over ExpressRoute circuit \"Circuit Hong Kong\" (Hong Kong)".into(),
            "via Azure Southeast Asia over ExpressRoute circuit \"Circuit Hong Kong\" (Hong Kong)".into()
        )],
        "seed 001's Company B: one circuit reaches both regions, and the route names it"
    );
    let plan = recovery(&sample("hybrid-full-region.drplan.json"), "scn-full-region");
    let number = |wanted: fn(&Action) -> bool| plan.steps().find(|step| wanted(&step.action)).map(|step| step.number).unwrap();
    assert!(number(|action| matches!(action, Action::Disconnect { .. })) < number(|action| matches!(action, Action::Connect { .. })));
    assert!(
        number(|action| matches!(action, Action::Connect { .. })) < number(|action| matches!(action, Action::FailOverGroup { .. })),
        "the network is ready before machines start"
    );
}

#[test]
fn hub_and_spoke_creates_the_gateway_before_its_connection_and_peers_with_the_source_settings() {
    let before = sample("expressroute-hub-spoke.drplan.json");
    let outcome = outcome("expressroute-hub-spoke.drplan.json", "scn-full-region");
    assert!(outcome.differences.iter().any(|d| matches!(d, Difference::GatewayCreated { gateway, .. } if gateway.as_str() == "gw-target-hub-er")));
    assert!(established(&outcome).contains(&"conn-target-hub-er"));
    let source_settings = match &before.connection(&"conn-source-vnet1-hub-peering".into()).unwrap().link {
        Link::VnetPeering { from_side, to_side, .. } => (*from_side, *to_side),
        other => panic!("{other:?}"),
    };
    let created = outcome
        .differences
        .iter()
        .find_map(|difference| match difference {
            Difference::PeeringCreated { connection, from_side, to_side, .. } if connection.as_str() == "conn-target-vnet1-hub-peering" => {
                Some((*from_side, *to_side))
            }
            _ => None,
        })
        .expect("target peering created");
    assert_eq!(created, source_settings);
    let plan = recovery(&before, "scn-full-region");
    let gateway = plan.steps().find(|step| matches!(step.action, Action::CreateGateway { prepared: false, .. })).unwrap().number;
    let connect =
        plan.steps().find(|step| matches!(&step.action, Action::Connect { link, .. } if *link == drplan::model::LinkKind::ExpressRoute)).unwrap().number;
    assert!(gateway < connect);
}

#[test]
fn a_test_failover_leaves_production_untouched() {
    let before = sample("azure-full-region.drplan.json");
    let outcome = outcome("azure-full-region.drplan.json", "scn-test-drill");
    assert_eq!(outcome.after.connections, before.connections);
    assert_eq!(outcome.after.networks, before.networks);
    for machine in &before.machines {
        assert_eq!(outcome.after.machine(&machine.id), Some(machine), "{} is untouched", machine.id);
    }
    let copies: Vec<&Machine> = outcome.after.machines.iter().filter(|machine| before.machine(&machine.id).is_none()).collect();
    assert_eq!(copies.len(), 5);
    assert!(copies.iter().all(|machine| machine.subnet.as_str().starts_with("sub-test-")));
}

fn with_failback(data_sync: DataSync) -> Plan {
    let mut plan = sample("vmm-subnet-failover.drplan.json");
    let mut failback = plan.scenarios[0].clone();
    failback.id = "scn-failback".into();
    failback.name = "Failback".into();
    failback.direction = Direction::Failback;
    failback.from_site = "site-recovery".into();
    failback.to_site = "site-primary".into();
    failback.data_sync = Some(data_sync);
    plan.scenarios.push(failback);
    plan
}

#[test]
fn failback_moves_the_machines_home_and_reverses_the_routes() {
    let plan = with_failback(DataSync::DeltaBeforeFailover);
    let outcome = simulate_named(&plan, "scn-failback").unwrap();
    let home = outcome.after.machine(&"vm-web-1".into()).unwrap();
    assert_eq!(home.subnet.as_str(), "sub-primary-apps");
    assert!(routes(&outcome).contains(&("site-third".into(), "192.168.1.0/24".into(), "via Recovery VMM site".into(), "via Primary VMM site".into())));
    assert_eq!(outcome.before.machine(&"vm-web-1".into()).unwrap().subnet.as_str(), "sub-recovery-apps");
}

/// Seed 002: the data synchronisation choice is made only when failing back from Azure to
/// on-premises; between two VMM sites a failback is a planned failover like any other.
#[test]
fn failback_between_two_vmm_sites_has_no_data_synchronisation() {
    let plan = recovery(&with_failback(DataSync::DeltaBeforeFailover), "scn-failback");
    assert!(!plan.steps().any(|step| matches!(step.action, Action::SynchroniseData { .. } | Action::CompleteFailover)));
    assert!(matches!(plan.steps().next().map(|step| &step.action), Some(Action::ShutDownSourceMachines)));
}

fn with_failback_from_azure(data_sync: DataSync) -> Plan {
    let mut plan = with_failback(data_sync);
    site_mut(&mut plan, "site-recovery").kind = SiteKind::CloudRegion;
    plan
}

/// Seeds 002 and 004: failing back from Azure, the delta synchronisation runs while the machines
/// keep running in Azure (not downtime), then Complete Failover shuts them down, transfers the
/// latest changes and starts the on-premises machines; the full download is downtime.
#[test]
fn failback_from_azure_synchronises_the_delta_while_running_then_completes_the_failover() {
    let delta = recovery(&with_failback_from_azure(DataSync::DeltaBeforeFailover), "scn-failback");
    let steps: Vec<_> = delta.steps().collect();
    let position = |wanted: fn(&Action) -> bool| steps.iter().position(|step| wanted(&step.action));
    let sync = position(|action| matches!(action, Action::SynchroniseData { data_sync: DataSync::DeltaBeforeFailover })).expect("the delta sync");
    let complete = position(|action| matches!(action, Action::CompleteFailover)).expect("Complete Failover");
    let first_group = position(|action| matches!(action, Action::FailOverGroup { .. })).expect("a group");
    assert!(sync < complete && complete < first_group, "sync, then Complete Failover, then the groups");
    assert!(!steps[sync].counts_toward_rto, "the delta runs while the machines keep running");
    assert!(steps[complete].counts_toward_rto);
    assert!(position(|action| matches!(action, Action::ShutDownSourceMachines)).is_none(), "Complete Failover is the shutdown");

    let full = recovery(&with_failback_from_azure(DataSync::FullDownloadDuringFailover), "scn-failback");
    let full_sync = full.steps().find(|step| matches!(step.action, Action::SynchroniseData { .. })).expect("the download");
    assert!(full_sync.counts_toward_rto, "the full download is downtime");
    assert!(full.estimated_rto_secs > delta.estimated_rto_secs);
}

/// Seed 000: after a subnet failover the routes must point at the subnet's new site before its
/// machines are checked: each route change comes right after the first group with machines in
/// the prefix fails over, before that group is verified.
#[test]
fn route_changes_come_before_the_verification_of_the_group_they_serve() {
    let plan = sample("vmm-subnet-failover.drplan.json");
    // DB01 (192.168.1.30), in the subnet that fails over, is the sample's recovery group 1.
    let group = 1;
    let recovery = recovery(&plan, "scn-subnet-failover");
    let steps: Vec<_> = recovery.steps().collect();
    let mut checked = 0;
    for (at, step) in steps.iter().enumerate() {
        if !matches!(step.action, Action::ChangeRoutes { .. }) {
            continue;
        }
        let failover = steps.iter().position(|step| matches!(step.action, Action::FailOverGroup { group: number } if number == group)).expect("failover");
        let verify = steps.iter().position(|step| matches!(step.action, Action::Verify { group: number } if number == group)).expect("verify");
        assert!(failover < at && at < verify, "{} comes between failing over and verifying group {group}", step.title);
        checked += 1;
    }
    assert!(checked >= 3, "the subnet failover changes routes at three sites");
}

#[test]
fn planned_failover_shuts_down_sources_first_and_unplanned_chooses_a_recovery_point() {
    let planned = recovery(&sample("vmm-subnet-failover.drplan.json"), "scn-subnet-failover");
    assert!(matches!(planned.steps().next().unwrap().action, Action::ShutDownSourceMachines));
    let unplanned = recovery(&sample("azure-full-region.drplan.json"), "scn-full-region");
    assert!(matches!(&unplanned.steps().next().unwrap().action, Action::ChooseRecoveryPoint { recovery_point: RecoveryPoint::LatestProcessed }));
    let last: Vec<&Action> = unplanned.steps().map(|step| &step.action).collect();
    assert!(matches!(last[last.len() - 2..], [Action::Commit, Action::ReverseReplicate]));
}

#[test]
fn the_rto_is_the_sum_of_counted_steps_and_a_gateway_provisioned_in_advance_is_not_counted() {
    let hybrid = sample("hybrid-full-region.drplan.json");
    let plan = recovery(&hybrid, "scn-full-region");
    let sum: u32 = plan.steps().filter(|step| step.counts_toward_rto).map(|step| step.duration_secs).sum();
    assert_eq!(plan.estimated_rto_secs, sum);
    // Choose point 2 + disconnect 2 + connect 10 + 3 groups × (10 + verify 10) + 1 route change 5 min.
    assert_eq!(plan.estimated_rto_secs, (2 + 2 + 10 + 3 * 20 + 5) * 60);

    let mut late = hybrid.clone();
    for network in late.networks.iter_mut().filter(|network| network.id.as_str() == "net-recovery-vnet") {
        network.gateways[0].provisioned_before_failover = false;
    }
    let late_plan = recovery(&late, "scn-full-region");
    assert_eq!(late_plan.estimated_rto_secs - plan.estimated_rto_secs, recovery::CREATE_EXPRESSROUTE_GATEWAY_SECS);
}

/// Issue 13 item 9: a DNS record's TTL runs in the background from the end of its update, so
/// TTL waits overlap each other and the steps after them instead of adding up.
#[test]
fn dns_updates_skip_machines_that_register_themselves_and_their_ttls_overlap() {
    let plan = recovery(&sample("vmm-change-ip.drplan.json"), "Full site failover with new IPs");
    let dns: Vec<_> = plan.steps().filter(|step| matches!(step.action, Action::UpdateDns { .. })).collect();
    assert_eq!(dns.len(), 2, "APP01 registers itself");
    assert!(dns.iter().all(|step| step.duration_secs == recovery::DNS_UPDATE_SECS));
    let sequential: u32 = plan.steps().filter(|step| step.counts_toward_rto && step.alongside.is_none()).map(|step| step.duration_secs).sum();
    assert_eq!(plan.estimated_rto_secs, sequential, "each 300 s TTL ends during the 10 min verification after it");

    let mut long_ttl = sample("vmm-change-ip.drplan.json");
    for record in long_ttl.machines.iter_mut().filter_map(|machine| machine.dns.as_mut()) {
        record.ttl_secs = 3600;
    }
    let plan = recovery(&long_ttl, "Full site failover with new IPs");
    let steps: Vec<_> = plan.steps().filter(|step| step.counts_toward_rto).collect();
    let last_dns = steps.iter().rposition(|step| matches!(step.action, Action::UpdateDns { .. })).expect("a DNS step");
    let end_of_last_update: u32 = steps[..=last_dns].iter().map(|step| step.duration_secs).sum();
    assert_eq!(plan.estimated_rto_secs, end_of_last_update + 3600, "the last record's hour outlasts every step; the first one's overlaps it");
}

#[test]
fn a_ttl_as_large_as_the_file_allows_saturates_the_dns_step_and_the_rto_instead_of_overflowing() {
    // Found with the fuzz pipeline (tests/fuzz-regressions/dns-ttl-max.json): a TTL near
    // u32::MAX overflowed `DNS_UPDATE_SECS + ttl_secs`.
    let mut plan = sample("vmm-change-ip.drplan.json");
    for record in plan.machines.iter_mut().filter_map(|machine| machine.dns.as_mut()) {
        record.ttl_secs = u32::MAX;
    }
    let recovery = recovery(&plan, "Full site failover with new IPs");
    let dns: Vec<_> = recovery.steps().filter(|step| matches!(step.action, Action::UpdateDns { .. })).collect();
    assert_eq!(dns.len(), 2, "APP01 registers itself");
    assert!(dns.iter().all(|step| step.duration_secs == recovery::DNS_UPDATE_SECS), "{dns:?}");
    assert_eq!(recovery.estimated_rto_secs, u32::MAX, "the TTL wait saturates the RTO");
    let runbook = export::runbook_markdown(&recovery, &export::ScriptNames::default(), &[]);
    assert!(runbook.contains(&format!("Estimated RTO: **{}**", export::duration_text(u32::MAX))), "{runbook}");
}

#[test]
fn the_after_topology_of_every_reference_scenario_validates_without_errors() {
    for name in SAMPLES {
        let plan = sample(name);
        for scenario in &plan.scenarios {
            let outcome = simulate(&plan, scenario).unwrap();
            let report = validate::validate(&outcome.after);
            let errors: Vec<_> = report.findings.iter().filter(|finding| finding.severity == Severity::Error).collect();
            assert!(errors.is_empty(), "{name} / {}: {errors:#?}", scenario.id);
        }
    }
}

const HOSTILE: &str = "Bad'name\"; $(rm -rf /) `reboot`; x\n<script>alert(1)</script>";

#[test]
fn hostile_names_come_out_of_every_export_quoted() {
    let mut hybrid = sample("hybrid-full-region.drplan.json");
    connection_mut(&mut hybrid, "conn-recovery-er").name = HOSTILE.to_owned();
    hybrid.name = HOSTILE.to_owned();
    let plan = recovery(&hybrid, "scn-full-region");
    let directory = tempfile::tempdir().unwrap();
    export::write_plan(&plan, directory.path(), &["after.svg".to_owned()]).unwrap();
    let read = |name: &str| std::fs::read_to_string(directory.path().join(name)).unwrap();

    // Azure names allow letters, digits, _ . and -: the scripts use a name derived from the
    // display name, and list the display name in a comment.
    let azure = export::azure_name(HOSTILE);
    assert!(azure.chars().all(|character| character.is_ascii_alphanumeric() || "_.-".contains(character)), "{azure}");
    let powershell = read("scripts/network-changes.ps1");
    assert!(powershell.contains(&format!("New-AzVirtualNetworkGatewayConnection -Name '{azure}' -ResourceGroupName")), "{powershell}");
    assert!(powershell.contains(&format!("#   {azure}  <-  Bad'name\"; $(rm -rf /) `reboot`; x <script>alert(1)</script> (derived)\n")));
    assert!(powershell.contains("# Step 4: Connect ExpressRoute \"Bad'name\"; $(rm -rf /) `reboot`; x <script>alert(1)</script>\"\n"));
    assert_eq!(powershell.lines().filter(|line| line.starts_with("x <script>")).count(), 0, "no name breaks a line");

    let shell = read("scripts/network-changes.sh");
    assert!(shell.contains(&format!("az network vpn-connection create --name '{azure}' --resource-group")));

    let runbook = read("runbook.md");
    assert!(runbook.starts_with("# Recovery runbook: Bad'name\"; \\$(rm -rf /) \\`reboot\\`; x &lt;script&gt;alert(1)&lt;/script&gt;\n"));
    assert!(!runbook.contains("<script>"));
    assert!(runbook.contains("Diagrams: `after.svg`"));

    let json: serde_json::Value = serde_json::from_str(&read("recovery-plan.json")).unwrap();
    assert_eq!(json["plan_name"], HOSTILE);
}

#[test]
fn quoting_round_trips_through_a_real_shell() {
    let script = format!("printf '%s' {}", quote::shell(HOSTILE));
    let output = std::process::Command::new("sh").args(["-c", &script]).output().expect("sh runs");
    assert_eq!(String::from_utf8_lossy(&output.stdout), HOSTILE.replace('\n', " "));
}

#[test]
fn right_to_left_marks_and_ten_thousand_character_names_come_out_neutralised_and_whole() {
    let long = "n".repeat(10_000);
    let trojan = format!("ok\u{202E}}};rm -rf /;{{\u{2066}x{long}");
    let mut hybrid = sample("hybrid-full-region.drplan.json");
    connection_mut(&mut hybrid, "conn-recovery-er").name = trojan.clone();
    let plan = recovery(&hybrid, "scn-full-region");
    let scripts = export::scripts(&plan);
    let powershell = &scripts.iter().find(|script| script.file_name.ends_with(".ps1")).unwrap().text;
    let expected = format!("-Name '{}' -ResourceGroupName", export::azure_name(&trojan));
    assert!(powershell.contains(&expected), "the derived Azure name");
    assert!(powershell.contains(&format!("  <-  ok }};rm -rf /;{{ x{long} (derived)\n")), "the whole display name in the mapping, bidi controls made spaces");
    assert!(!powershell.contains('\u{202E}') && !powershell.contains('\u{2066}'));
    let shell = &scripts.iter().find(|script| script.file_name.ends_with(".sh")).unwrap().text;
    assert!(shell.contains(&format!("--name '{}' --resource-group", export::azure_name(&trojan))));
    let runbook = export::runbook_markdown(&plan, &export::ScriptNames::default(), &[]);
    assert!(runbook.contains(&format!("Connect ExpressRoute \"ok }};rm -rf /;{{ x{long}\" — scripted")), "exact runbook line");
    assert!(!runbook.contains('\u{202E}'));
    let json: serde_json::Value = serde_json::from_str(&export::plan_json(&plan)).unwrap();
    assert!(json.to_string().contains(&long), "JSON keeps the name whole, escaped by serde_json");
}

#[test]
fn peering_scripts_carry_seed_003s_settings_on_both_sides() {
    let plan = recovery(&sample("expressroute-hub-spoke.drplan.json"), "scn-full-region");
    let scripts = export::scripts(&plan);
    let shell = &scripts.iter().find(|script| script.file_name == "network-changes.sh").unwrap().text;
    // Each side names the other by the id looked up on the line before.
    let lookup = |remote: &str| {
        format!("remote_id=$(az network vnet show --name '{remote}' --resource-group \"$RESOURCE_GROUP_AZURE_SOUTHEAST_ASIA\" --query id --output tsv)\n")
    };
    let spoke = format!(
        "{}az network vnet peering create --name 'Target-vNet1-to-Target-Hub-vNet' --resource-group \"$RESOURCE_GROUP_AZURE_SOUTHEAST_ASIA\" --vnet-name 'Target-vNet1' --remote-vnet \"$remote_id\" --allow-vnet-access true --allow-forwarded-traffic true --use-remote-gateways true\n",
        lookup("Target-Hub-vNet")
    );
    let hub = format!(
        "{}az network vnet peering create --name 'Target-vNet1-to-Target-Hub-vNet-return' --resource-group \"$RESOURCE_GROUP_AZURE_SOUTHEAST_ASIA\" --vnet-name 'Target-Hub-vNet' --remote-vnet \"$remote_id\" --allow-vnet-access true --allow-forwarded-traffic true --allow-gateway-transit true\n",
        lookup("Target-vNet1")
    );
    let (spoke_at, hub_at) = (shell.find(&spoke).expect("the spoke side"), shell.find(&hub).expect("the hub side"));
    assert!(hub_at < spoke_at, "the hub side allows transit before the spoke uses remote gateways (Azure refuses the other order)");
    let powershell = &scripts.iter().find(|script| script.file_name == "network-changes.ps1").unwrap().text;
    let spoke = powershell.find("-VirtualNetwork $from -RemoteVirtualNetworkId $to.Id -AllowForwardedTraffic -UseRemoteGateways\n").expect("spoke");
    let hub = powershell.find("-VirtualNetwork $to -RemoteVirtualNetworkId $from.Id -AllowForwardedTraffic -AllowGatewayTransit\n").expect("hub");
    assert!(hub < spoke);
}

/// Scripts an operations team can run (Azure facts): gateways get a SKU Azure still creates, as a
/// parameter, and the VNet's location; a VNet-to-VNet connection is made on both gateways with
/// one key; a disconnect in a region that may be down is reported and the script goes on.
#[test]
fn network_scripts_use_current_skus_locations_both_vnet_to_vnet_sides_and_survive_a_failed_disconnect() {
    let hybrid = recovery(&sample("hybrid-full-region.drplan.json"), "scn-full-region");
    let hub_spoke = recovery(&sample("expressroute-hub-spoke.drplan.json"), "scn-full-region");
    let scripts: Vec<export::Script> = export::scripts(&hybrid).into_iter().chain(export::scripts(&hub_spoke)).collect();
    let shell: String = scripts.iter().filter(|script| script.file_name.ends_with(".sh")).map(|script| script.text.as_str()).collect();
    let powershell: String = scripts.iter().filter(|script| script.file_name.ends_with(".ps1")).map(|script| script.text.as_str()).collect();
    assert!(shell.contains("az network vpn-connection delete --name") && shell.contains("|| echo \"warning: step"), "a failed disconnect goes on");
    assert!(powershell.contains("try { Remove-AzVirtualNetworkGatewayConnection") && powershell.contains("catch { Write-Warning"));
    assert!(shell.contains("--location \"$location\"") && shell.contains("--sku \"$EXPRESSROUTE_GATEWAY_SKU\""), "{shell}");
    assert!(!shell.contains("--gateway-type Vpn --sku Standard"), "no VPN gateway with the retired Standard SKU");

    let azure = recovery(&sample("azure-full-region.drplan.json"), "scn-full-region");
    let scripts = export::scripts(&azure);
    let shell = &scripts.iter().find(|script| script.file_name.ends_with(".sh")).expect("a shell script").text;
    let creates: Vec<&str> = shell.lines().filter(|line| line.starts_with("az network vpn-connection create")).collect();
    assert_eq!(creates.len(), 2, "one connection on each gateway: {creates:?}");
    assert!(creates[1].contains("--shared-key \"$SHARED_KEY\""), "with the same key");
    let powershell = &scripts.iter().find(|script| script.file_name.ends_with(".ps1")).expect("a PowerShell script").text;
    assert_eq!(powershell.matches("-ConnectionType Vnet2Vnet -SharedKey $SharedKey").count(), 2);
}

/// A subnet and its recovery twin often share name and prefix: a moved machine's description
/// names the site of each (seed 000's subnet failover).
#[test]
fn a_moved_machine_is_described_with_the_site_of_each_subnet() {
    let plan = sample("vmm-subnet-failover.drplan.json");
    let outcome = drplan::simulate::simulate_named(&plan, "scn-subnet-failover").expect("simulates");
    let moved =
        outcome.differences.iter().position(|difference| matches!(difference, drplan::simulate::Difference::MachineMoved { .. })).expect("a machine moves");
    let text = &drplan::simulate::describe_all(&PlanIndex::new(&outcome.before), &outcome)[moved];
    assert!(text.contains("(192.168.1.0/24) at Primary VMM site to ") && text.contains("(192.168.1.0/24) at Recovery VMM site"), "{text}");
}

/// The ASR-shaped export: the body of a `replicationRecoveryPlans` PUT, a Shutdown and a Failover
/// group and a Boot group per recovery group with its machines; the steps ASR does not run
/// itself as manual actions of the scenario's failover type and direction, the network changes
/// before the first machines boot; warnings past ASR's limits.
#[test]
fn the_asr_export_has_a_boot_group_per_recovery_group_and_the_other_steps_as_manual_actions() {
    let plan = recovery(&sample("hybrid-full-region.drplan.json"), "scn-full-region");
    let body = serde_json::to_value(export::asr_plan(
        &plan,
        &export::ScriptNames { files: vec![(export::ScriptKind::Network, "scripts/network-changes.ps1".to_owned())], ..Default::default() },
    ))
    .expect("JSON");
    let groups = body["properties"]["groups"].as_array().expect("groups");
    let types: Vec<&str> = groups.iter().filter_map(|group| group["groupType"].as_str()).collect();
    let recovery_groups: Vec<_> = plan.groups.iter().filter(|group| group.number > 0).collect();
    assert_eq!(types.len(), 2 + recovery_groups.len());
    assert_eq!(types[..2], ["Shutdown", "Failover"]);
    assert!(types[2..].iter().all(|kind| *kind == "Boot"));
    for (group, json) in recovery_groups.iter().zip(&groups[2..]) {
        let items = json["replicationProtectedItems"].as_array().expect("items");
        assert_eq!(items.len(), group.machines.len());
        for (item, machine) in items.iter().zip(&group.machines) {
            assert!(item["id"].as_str().is_some_and(|id| id.starts_with('<') && id.contains(&machine.name)), "a placeholder naming {}", machine.name);
        }
    }
    let actions: Vec<&serde_json::Value> = groups
        .iter()
        .flat_map(|group| group["startGroupActions"].as_array().into_iter().flatten().chain(group["endGroupActions"].as_array().into_iter().flatten()))
        .collect();
    for action in &actions {
        assert_eq!(action["customDetails"]["instanceType"], "ManualActionDetails");
        assert_eq!(action["failoverTypes"], serde_json::json!(["UnplannedFailover"]));
        assert_eq!(action["failoverDirections"], serde_json::json!(["PrimaryToRecovery"]));
    }
    let named = |text: &str| actions.iter().any(|action| action["actionName"].as_str().is_some_and(|name| name.contains(text)));
    assert!(named("Disconnect ExpressRoute") && named("Connect ExpressRoute") && named("route 10.1.0.0/16"));
    assert!(!named("Fail over group") && !named("Commit the failover"), "ASR runs those itself");
    let first_boot_start = groups[2]["startGroupActions"].as_array().expect("start actions");
    assert!(first_boot_start.iter().any(|action| action["actionName"].as_str().is_some_and(|name| name.contains("Disconnect"))), "network first");

    assert!(export::asr_warnings(&plan).is_empty());
    let mut large = plan.clone();
    let extra = large.groups.last().cloned().expect("a group");
    for number in 0..8 {
        large.groups.push(drplan::recovery::Group { number: 100 + number, ..extra.clone() });
    }
    assert!(export::asr_warnings(&large).iter().any(|warning| warning.contains("at most 7")), "{:?}", export::asr_warnings(&large));
}

/// Seed 002: a test failover connects the test machines to an isolated network chosen when it
/// starts, and needs a domain controller copy and DNS (and DHCP) there before group 1.
#[test]
fn a_test_failover_selects_its_network_and_checks_its_infrastructure_before_group_one() {
    let mut plan = sample("azure-full-region.drplan.json");
    let scenario = plan.scenario_by_id_or_name("scn-test-drill").expect("the drill").clone();
    let test_network = plan.network(scenario.test_network.as_ref().expect("a test network")).expect("drawn").name.clone();
    plan.machines[0].roles = vec![InfraRole::DomainController, InfraRole::Dns];
    let dc = plan.machines[0].name.clone();
    let drill = recovery(&plan, "scn-test-drill");
    let steps: Vec<_> = drill.steps().collect();
    let position = |wanted: fn(&Action) -> bool| steps.iter().position(|step| wanted(&step.action));
    let select = position(|action| matches!(action, Action::SelectTestNetwork { .. })).expect("the network is chosen");
    let check = position(|action| matches!(action, Action::CheckTestInfrastructure { .. })).expect("the infrastructure is checked");
    let group = position(|action| matches!(action, Action::FailOverGroup { .. })).expect("a group");
    assert!(select < check && check < group, "both before group 1");
    assert!(steps[select].title.contains(&test_network), "{}", steps[select].title);
    assert!(steps[check].title.contains("\"DC01-TEST\" runs in the test network"), "names the copy already in the test network: {}", steps[check].title);

    // Without a copy in the test network, the step names the machines to copy there.
    plan.machines.retain(|machine| machine.name != "DC01-TEST");
    let drill = recovery(&plan, "scn-test-drill");
    let check = drill.steps().find(|step| matches!(step.action, Action::CheckTestInfrastructure { .. })).expect("the check");
    assert!(check.title.contains(&format!("copies of \"{dc}\", \"DC01\"")), "names the domain controllers to copy: {}", check.title);

    let production = recovery(&sample("azure-full-region.drplan.json"), "scn-full-region");
    assert!(!production.steps().any(|step| matches!(step.action, Action::SelectTestNetwork { .. } | Action::CheckTestInfrastructure { .. })), "only in a test");
}

/// The CLI and the app index a plan once and hand that index to the simulation, the recovery plan,
/// the description of the differences and the validation. What they make must be what each makes
/// with an index of its own, for every scenario of every sample, failbacks (whose outcome starts
/// from another network than the plan's) included; and the outcome shares the plan, not a copy.
#[test]
fn one_index_shared_by_simulation_recovery_plan_and_validation_changes_nothing() {
    for entry in std::fs::read_dir("samples").expect("samples").flatten() {
        let plan = std::sync::Arc::new(drplan::io::load(&entry.path()).expect("sample loads"));
        let index = PlanIndex::new(&plan);
        assert_eq!(validate::validate_indexed(&index), validate::validate(&plan), "{}", entry.path().display());
        for scenario in &plan.scenarios {
            let shared = drplan::simulate::simulate_shared(&plan, &index, scenario).expect("simulates");
            let alone = simulate(&plan, scenario).expect("simulates");
            let what = format!("{} {}", entry.path().display(), scenario.id);
            assert_eq!(shared.differences, alone.differences, "{what}");
            assert_eq!(shared.after, alone.after, "{what}");
            let failover = scenario.direction == Direction::Failover;
            assert_eq!(std::sync::Arc::ptr_eq(&shared.before, &plan), failover, "{what}: a failover's network before is the plan itself");
            assert_eq!(recovery::recovery_plan(&index, scenario, &shared), recovery::recovery_plan(&PlanIndex::new(&plan), scenario, &alone), "{what}");
            assert_eq!(drplan::simulate::describe_all(&index, &shared), drplan::simulate::describe_all(&PlanIndex::new(&plan), &alone), "{what}");
        }
    }
}
