//! The recovery plan: ordered groups of machines with the actions before and after each, derived
//! from a simulation's differences and the failover type, with estimated durations and RTO.
//!
//! Durations are planning estimates ([`timing`]). A step prepared before failover (a gateway
//! provisioned in advance, a delta synchronisation while the machines still run) is listed but
//! not counted. The failover steps are Azure Site Recovery's jobs on the recovery plan exported
//! as `recovery-plan.asr.json`; the plan's group actions run before or after their group.

mod azure;
mod network;
mod timing;

use std::collections::BTreeMap;
use std::net::IpAddr;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::Serialize;

pub use azure::{AzurePlace, azure_places};
pub use timing::*;

use crate::model::*;
use crate::simulate::{Difference, Outcome};

/// Whether a person or a script does a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Execution {
    Scripted,
    Manual,
}

/// What a step does, with what it needs to be scripted.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    ShutDownSourceMachines,
    /// Failing back from Azure after a delta synchronisation: shuts down the machines in Azure,
    /// transfers the latest changes and starts the on-premises machines (seeds 002 and 004).
    CompleteFailover,
    ChooseRecoveryPoint {
        recovery_point: RecoveryPoint,
    },
    /// A test failover: the isolated network the test machines connect to (seed 002).
    SelectTestNetwork {
        network: String,
    },
    /// A test failover: copies of the domain controller and DNS (and DHCP) servers run in the
    /// test network before group 1 starts (seed 002), named when the plan marks them.
    CheckTestInfrastructure {
        machines: Vec<String>,
    },
    SynchroniseData {
        data_sync: DataSync,
    },
    Disconnect {
        connection: ConnectionId,
        name: String,
        link: LinkKind,
        network: String,
        other_end: String,
    },
    CreateGateway {
        gateway: GatewayId,
        name: String,
        kind: GatewayKind,
        network: String,
        prepared: bool,
    },
    Connect {
        connection: ConnectionId,
        name: String,
        link: LinkKind,
        network: String,
        other_end: String,
        /// The gateway of `network` the connection uses, and for a VNet-to-VNet VPN the one of
        /// the other end.
        gateway: String,
        other_gateway: Option<String>,
    },
    CreatePeering {
        connection: ConnectionId,
        name: String,
        from: String,
        to: String,
        from_side: PeeringSettings,
        to_side: PeeringSettings,
    },
    /// Seed 003 step d: a route table made at failover, with its routes, associated with subnets
    /// (name and prefix).
    CreateRouteTable {
        name: String,
        network: String,
        routes: Vec<RouteEntry>,
        subnets: Vec<(String, Prefix)>,
    },
    /// The NVA the recovery side's routes lead through must forward before the groups start.
    CheckNva {
        name: String,
        ip: std::net::IpAddr,
        network: String,
    },
    /// One of the plan's group actions.
    GroupAction {
        group_action: GroupAction,
    },
    FailOverGroup {
        group: u32,
    },
    ChangeRoutes {
        site: String,
        prefix: Prefix,
        old_next_hop: String,
        new_next_hop: String,
    },
    UpdateDns {
        machine: String,
        zone: String,
        record: String,
        new_ip: std::net::IpAddr,
        ttl_secs: u32,
    },
    Verify {
        group: u32,
    },
    Commit,
    ReverseReplicate,
    CompleteTest,
}

/// A route of a route table a step creates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteEntry {
    pub name: String,
    pub prefix: Prefix,
    pub next_hop: NextHop,
}

/// One step of the recovery plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// Position in the whole plan, from 1.
    pub number: usize,
    pub title: String,
    pub execution: Execution,
    pub duration_secs: u32,
    /// Counted in the RTO (false for steps prepared in advance or run after service is back).
    pub counts_toward_rto: bool,
    /// Runs at the same time as this earlier step (network steps that do not depend on each
    /// other).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alongside: Option<usize>,
    pub action: Action,
}

/// A recovery group: machines that fail over together, with the actions around them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// 0 holds the steps before any machine fails over.
    pub number: u32,
    pub machines: Vec<GroupMachine>,
    pub before: Vec<Step>,
    pub after: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupMachine {
    pub id: MachineId,
    pub name: String,
    pub ip_before: std::net::IpAddr,
    pub ip_after: Option<std::net::IpAddr>,
}

/// The recovery plan of one scenario. Durations and the RTO saturate at `u32::MAX` seconds (136
/// years) rather than wrap, since a DNS TTL in a plan file can be that large.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecoveryPlan {
    pub plan_name: String,
    pub scenario: ScenarioId,
    pub scenario_name: String,
    pub failover_type: FailoverType,
    pub direction: Direction,
    /// The scenario's target is an Azure region (a test failover then takes an Azure network).
    pub to_azure: bool,
    pub groups: Vec<Group>,
    pub estimated_rto_secs: u32,
    pub assumptions: Vec<&'static str>,
    pub differences: Vec<Difference>,
    /// Where the Azure resources the steps name live, by display name.
    pub azure: BTreeMap<String, AzurePlace>,
    /// The errors validation found that concern this scenario (the plan's own, and those found
    /// for this scenario): a plan with any cannot work as drawn, and says so first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cannot_work_as_drawn: Vec<Blocker>,
}

/// An error finding that stops a recovery plan from working.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Blocker {
    pub rule: &'static str,
    pub message: String,
    pub fix: String,
}

/// The error findings of `report` that concern `scenario`: those of the plan itself and those
/// found for this scenario (not those of other scenarios).
pub fn blockers(report: &crate::validate::Report, scenario: &Scenario) -> Vec<Blocker> {
    report
        .findings
        .iter()
        .filter(|finding| finding.severity == crate::validate::Severity::Error)
        .filter(|finding| finding.scenario.as_ref().is_none_or(|found| found.id.as_str() == scenario.id.as_str()))
        .map(|finding| Blocker { rule: finding.rule.id, message: finding.message.clone(), fix: finding.fix.clone() })
        .collect()
}

impl RecoveryPlan {
    /// Every step in execution order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.groups.iter().flat_map(|group| group.before.iter().chain(&group.after))
    }
}

/// Collects steps in order and numbers them.
pub(crate) struct Steps {
    next: usize,
}

impl Steps {
    pub(crate) fn step(&mut self, title: String, execution: Execution, duration_secs: u32, counts: bool, action: Action) -> Step {
        self.next += 1;
        Step { number: self.next, title, execution, duration_secs, counts_toward_rto: counts, alongside: None, action }
    }
}

/// Builds the recovery plan of a simulated scenario of the plan `indexed`, the index its
/// simulation was given: the recovery plan reads the same index when the outcome starts from
/// that plan, and indexes the network the outcome starts from otherwise (a failback's).
pub fn recovery_plan(indexed: &PlanIndex, scenario: &Scenario, outcome: &Outcome) -> RecoveryPlan {
    let plan = indexed.plan;
    let before = indexed.reused_for(&outcome.before);
    let index: &PlanIndex = &before;
    let mut steps = Steps { next: 0 };
    let mut preparation = Vec::new();
    let test = scenario.failover_type == FailoverType::Test;

    // Data synchronisation is a choice only when failing back from Azure to on-premises (seed
    // 002): the delta runs while the machines keep running in Azure and is not downtime; the full
    // download is.
    let site_kind = |id: &SiteId| indexed.site(id).map(|site| site.kind);
    let from_azure_to_premises = scenario.direction == Direction::Failback
        && site_kind(&scenario.from_site) == Some(SiteKind::CloudRegion)
        && site_kind(&scenario.to_site).is_some_and(|kind| kind != SiteKind::CloudRegion);
    let data_sync = from_azure_to_premises.then(|| scenario.data_sync.unwrap_or(DataSync::DeltaBeforeFailover));
    match data_sync {
        Some(data_sync @ DataSync::DeltaBeforeFailover) => preparation.push(steps.step(
            "Synchronise data before failover (delta changes only), while the machines keep running in Azure".to_owned(),
            Execution::Scripted,
            DELTA_SYNC_SECS,
            false,
            Action::SynchroniseData { data_sync },
        )),
        Some(data_sync @ DataSync::FullDownloadDuringFailover) => preparation.push(steps.step(
            "Synchronise data during failover only (full download)".to_owned(),
            Execution::Scripted,
            FULL_DOWNLOAD_SECS,
            true,
            Action::SynchroniseData { data_sync },
        )),
        None => {}
    }
    match scenario.failover_type {
        // After a delta synchronisation, Complete Failover is the planned failover's shutdown.
        FailoverType::Planned if data_sync == Some(DataSync::DeltaBeforeFailover) => preparation.push(steps.step(
            "Complete Failover: shut down the machines in Azure, transfer the latest changes and start the on-premises machines".to_owned(),
            Execution::Scripted,
            DELTA_SYNC_SECS,
            true,
            Action::CompleteFailover,
        )),
        // The planned failover job shuts the source machines down itself (seed 002).
        FailoverType::Planned => preparation.push(steps.step(
            "The planned failover job shuts down the source machines (no data loss)".to_owned(),
            Execution::Scripted,
            SHUT_DOWN_SECS,
            true,
            Action::ShutDownSourceMachines,
        )),
        FailoverType::Unplanned | FailoverType::Test => {
            let recovery_point = scenario.recovery_point.clone().unwrap_or(RecoveryPoint::Latest);
            let processing = recovery_point_secs(&recovery_point);
            let title = match processing {
                0 => format!("Choose the recovery point: {}", recovery_point_label(&recovery_point)),
                _ => format!("Choose the recovery point: {} (Site Recovery first processes the data not yet processed)", recovery_point_label(&recovery_point)),
            };
            preparation.push(steps.step(
                title,
                Execution::Manual,
                CHOOSE_RECOVERY_POINT_SECS + processing,
                true,
                Action::ChooseRecoveryPoint { recovery_point },
            ));
        }
    }
    if test {
        // Seed 002: the test machines' network is chosen when the test starts, and the
        // infrastructure they need (a domain controller copy, DNS, DHCP) must run there before
        // group 1.
        let network = scenario.test_network.as_ref().map_or_else(|| "an isolated network".to_owned(), |id| format!("\"{}\"", network_name(index, id)));
        preparation.push(steps.step(
            format!("Select the test network for the test machines: {network}, isolated from production"),
            Execution::Manual,
            SELECT_TEST_NETWORK_SECS,
            true,
            Action::SelectTestNetwork { network },
        ));
        // The infrastructure already in the test network is named; else the copies to make.
        let serves = |machine: &&Machine| machine.roles.iter().any(|role| matches!(role, InfraRole::DomainController | InfraRole::Dns | InfraRole::Dhcp));
        let in_test_network = |machine: &&Machine| {
            scenario.test_network.is_some() && index.network_of_subnet(&machine.subnet).map(|network| &network.id) == scenario.test_network.as_ref()
        };
        let present: Vec<String> = plan.machines.iter().filter(serves).filter(in_test_network).map(|machine| machine.name.clone()).collect();
        let sources: Vec<String> =
            plan.machines.iter().filter(serves).filter(|machine| !in_test_network(machine)).map(|machine| machine.name.clone()).collect();
        let quoted = |names: &[String]| names.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ");
        let (named, infrastructure) = if !present.is_empty() {
            (quoted(&present), present)
        } else if !sources.is_empty() {
            (format!("copies of {}", quoted(&sources)), sources)
        } else {
            ("copies of the domain controller and the DNS and DHCP servers".to_owned(), Vec::new())
        };
        preparation.push(steps.step(
            format!("Check that {named} {} in the test network before group 1", if infrastructure.len() == 1 { "runs" } else { "run" }),
            Execution::Manual,
            CHECK_TEST_INFRASTRUCTURE_SECS,
            true,
            Action::CheckTestInfrastructure { machines: infrastructure },
        ));
    }

    // Gateways deployed in advance are listed, not counted: those of networks a connection comes
    // up on.
    let mut connected: FxHashSet<&NetworkId> = FxHashSet::default();
    for difference in &outcome.differences {
        if let Difference::ConnectionEstablished { connection, .. } | Difference::PeeringCreated { connection, .. } = difference
            && let Some(connection) = index.connection(connection)
        {
            connected.insert(&connection.from);
            connected.extend(connection.to_network());
        }
    }
    for network in &index.plan.networks {
        for gateway in network.gateways.iter().filter(|gateway| gateway.provisioned_before_failover) {
            if connected.contains(&network.id) && !test {
                preparation.push(steps.step(
                    format!("{} gateway \"{}\" on \"{}\" is provisioned before failover", gateway.kind.label(), gateway.name, network.name),
                    Execution::Scripted,
                    network::gateway_secs(gateway.kind),
                    false,
                    Action::CreateGateway {
                        gateway: gateway.id.clone(),
                        name: gateway.name.clone(),
                        kind: gateway.kind,
                        network: network.name.clone(),
                        prepared: true,
                    },
                ));
            }
        }
    }
    preparation.extend(network::network_steps(index, scenario, outcome, &mut steps));

    let mut groups = vec![Group { number: 0, machines: Vec::new(), before: preparation, after: Vec::new() }];
    let mut by_group: BTreeMap<u32, Vec<GroupMachine>> = BTreeMap::new();
    for difference in &outcome.differences {
        if let Difference::MachineMoved { machine, name, ip_before, ip_after, recovery_group, .. } = difference {
            by_group.entry(recovery_group.get()).or_default().push(GroupMachine {
                id: machine.clone(),
                name: name.clone(),
                ip_before: *ip_before,
                ip_after: *ip_after,
            });
        }
    }
    // Routes change right after the first group with machines in the prefix fails over, before
    // that group is verified: a group verified while routes still point at the old site would
    // fail its check (seed 000: routes must move with the subnet). The moved machines by
    // address, so each prefix finds its machines by a range, not by a pass over every move.
    let first_group = by_group.keys().next().copied();
    let mut moved_by_address: Vec<(IpAddr, u32)> = outcome
        .differences
        .iter()
        .filter_map(|difference| match difference {
            Difference::MachineMoved { ip_before, recovery_group, .. } => Some((*ip_before, recovery_group.get())),
            _ => None,
        })
        .collect();
    moved_by_address.sort_unstable();
    let route_group = |prefix: &Prefix| {
        let (first, last) = (prefix.0.network(), prefix.0.broadcast());
        let start = moved_by_address.partition_point(|(ip, _)| *ip < first);
        moved_by_address[start..].iter().take_while(|(ip, _)| *ip <= last).map(|(_, group)| *group).min().or(first_group)
    };
    // Each group's route changes and DNS updates, in the order of the differences.
    let group_of_machine: FxHashMap<&MachineId, u32> =
        by_group.iter().flat_map(|(number, machines)| machines.iter().map(move |machine| (&machine.id, *number))).collect();
    let name_of_machine: FxHashMap<&MachineId, &str> = outcome
        .differences
        .iter()
        .filter_map(|difference| match difference {
            Difference::MachineMoved { machine, name, .. } => Some((machine, name.as_str())),
            _ => None,
        })
        .collect();
    let mut after_by_group: FxHashMap<u32, Vec<&Difference>> = FxHashMap::default();
    for difference in &outcome.differences {
        let group = match difference {
            Difference::RoutesChanged { prefix, .. } if !test => route_group(prefix),
            Difference::DnsRecordUpdated { machine, dynamic_registration: false, .. } => group_of_machine.get(machine).copied(),
            _ => None,
        };
        if let Some(group) = group {
            after_by_group.entry(group).or_default().push(difference);
        }
    }
    let group_actions = |number: u32, when: ActionTiming| -> Vec<&GroupAction> {
        plan.group_actions
            .iter()
            .filter(|action| action.group.get() == number && action.when == when && action.applies_to(scenario.failover_type, scenario.direction))
            .collect()
    };
    let action_step = |steps: &mut Steps, action: &GroupAction| {
        let execution = if matches!(action.kind, GroupActionKind::Manual { .. }) { Execution::Manual } else { Execution::Scripted };
        steps.step(
            format!("{} ({} action)", action.name, action.kind.label()),
            execution,
            GROUP_ACTION_SECS,
            true,
            Action::GroupAction { group_action: action.clone() },
        )
    };
    for (number, machines) in by_group {
        let mut before_steps: Vec<Step> = group_actions(number, ActionTiming::Before).into_iter().map(|action| action_step(&mut steps, action)).collect();
        before_steps.push(steps.step(
            format!("Fail over group {number} ({})", if machines.len() == 1 { "1 machine".to_owned() } else { format!("{} machines", machines.len()) }),
            Execution::Scripted,
            GROUP_FAILOVER_SECS,
            true,
            Action::FailOverGroup { group: number },
        ));
        let mut after_steps = Vec::new();
        // Route changes first, then DNS updates (a record is updated once its route is in place).
        let changes = after_by_group.remove(&number).unwrap_or_default();
        for difference in &changes {
            if let Difference::RoutesChanged { at_site, prefix, old_next_hop, new_next_hop } = difference {
                let site = site_name(index, at_site);
                after_steps.push(steps.step(
                    format!("At \"{site}\", route {prefix} {new_next_hop} (was {old_next_hop})"),
                    Execution::Manual,
                    ROUTE_CHANGE_SECS,
                    true,
                    Action::ChangeRoutes { site, prefix: *prefix, old_next_hop: old_next_hop.clone(), new_next_hop: new_next_hop.clone() },
                ));
            }
        }
        for difference in &changes {
            let Difference::DnsRecordUpdated { machine, zone, record, new_ip, ttl_secs, .. } = difference else { continue };
            let machine_name = name_of_machine.get(machine).map(|name| (*name).to_owned()).unwrap_or_default();
            after_steps.push(steps.step(
                format!("Update DNS record {record}.{zone} to {new_ip} (clients see it after the TTL of {ttl_secs} s, which runs in the background)"),
                Execution::Scripted,
                DNS_UPDATE_SECS,
                true,
                Action::UpdateDns { machine: machine_name, zone: zone.clone(), record: record.clone(), new_ip: *new_ip, ttl_secs: *ttl_secs },
            ));
        }
        after_steps.extend(group_actions(number, ActionTiming::After).into_iter().map(|action| action_step(&mut steps, action)));
        after_steps.push(steps.step(
            format!("Verify that the applications of group {number} answer"),
            Execution::Manual,
            VERIFY_SECS,
            true,
            Action::Verify { group: number },
        ));
        groups.push(Group { number, machines, before: before_steps, after: after_steps });
    }
    let closing = if test {
        vec![steps.step("Complete the test failover (cleans up the test machines)".to_owned(), Execution::Scripted, COMMIT_SECS, false, Action::CompleteTest)]
    } else {
        vec![
            steps.step("Commit the failover".to_owned(), Execution::Scripted, COMMIT_SECS, false, Action::Commit),
            steps.step(
                "Reverse replicate, so the machines are protected again".to_owned(),
                Execution::Scripted,
                REVERSE_REPLICATE_SECS,
                false,
                Action::ReverseReplicate,
            ),
        ]
    };
    if let Some(last) = groups.last_mut() {
        last.after.extend(closing);
    }
    let estimated_rto_secs = estimated_rto(groups.iter().flat_map(|group| group.before.iter().chain(&group.after)));
    RecoveryPlan {
        plan_name: plan.name.clone(),
        scenario: scenario.id.clone(),
        scenario_name: scenario.name.clone(),
        failover_type: scenario.failover_type,
        direction: scenario.direction,
        to_azure: site_kind(&scenario.to_site) == Some(SiteKind::CloudRegion),
        groups,
        estimated_rto_secs,
        assumptions: ASSUMPTIONS.to_vec(),
        differences: outcome.differences.clone(),
        azure: azure_places(indexed),
        cannot_work_as_drawn: Vec::new(),
    }
}

fn site_name(plan: &PlanIndex, id: &SiteId) -> String {
    plan.site(id).map_or_else(|| id.to_string(), |site| site.name.clone())
}

fn network_name(plan: &PlanIndex, id: &NetworkId) -> String {
    plan.network(id).map_or_else(|| id.to_string(), |network| network.name.clone())
}

pub fn recovery_point_label(point: &RecoveryPoint) -> String {
    match point {
        RecoveryPoint::Latest => "latest (lowest RPO)".to_owned(),
        RecoveryPoint::LatestProcessed => "latest processed (lowest RTO)".to_owned(),
        RecoveryPoint::LatestAppConsistent => "latest app-consistent".to_owned(),
        RecoveryPoint::Custom(at) => format!("custom ({at})"),
    }
}
