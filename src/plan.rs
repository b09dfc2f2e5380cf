//! The recovery plan: ordered groups of machines with the actions before and after each, derived
//! from a simulation's differences and the failover type, with estimated durations and RTO.
//!
//! Durations are planning estimates, not measurements; [`ASSUMPTIONS`] lists them and goes out
//! with every exported plan. Steps run one after another; the RTO is the sum of the durations of
//! the steps that run during the event. A step prepared before failover (a gateway provisioned
//! in advance, a delta synchronisation while the machines still run) is listed but not counted.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::*;
use crate::simulate::{Difference, Outcome};

pub const SHUT_DOWN_SECS: u32 = 5 * 60;
pub const CHOOSE_RECOVERY_POINT_SECS: u32 = 2 * 60;
pub const DISCONNECT_SECS: u32 = 2 * 60;
pub const CREATE_VPN_GATEWAY_SECS: u32 = 45 * 60;
pub const CREATE_EXPRESSROUTE_GATEWAY_SECS: u32 = 30 * 60;
pub const CONNECT_SECS: u32 = 10 * 60;
pub const PEERING_SECS: u32 = 2 * 60;
pub const ROUTE_CHANGE_SECS: u32 = 5 * 60;
pub const DNS_UPDATE_SECS: u32 = 60;
pub const SELECT_TEST_NETWORK_SECS: u32 = 60;
pub const CHECK_TEST_INFRASTRUCTURE_SECS: u32 = 5 * 60;
pub const GROUP_FAILOVER_SECS: u32 = 10 * 60;
pub const VERIFY_SECS: u32 = 10 * 60;
pub const COMMIT_SECS: u32 = 2 * 60;
pub const REVERSE_REPLICATE_SECS: u32 = 5 * 60;
pub const DELTA_SYNC_SECS: u32 = 10 * 60;
pub const FULL_DOWNLOAD_SECS: u32 = 60 * 60;

/// The assumptions behind the durations, as exported with the plan.
pub const ASSUMPTIONS: [&str; 9] = [
    "Steps run one after another; the RTO is the sum of the steps that run during the event.",
    "Shutting down source machines: 5 min. Choosing a recovery point: 2 min.",
    "Creating a VPN gateway: 45 min; an ExpressRoute gateway: 30 min (typical Azure deployment times).",
    "Disconnecting a connection: 2 min; making a VPN or ExpressRoute connection: 10 min; a VNet peering: 2 min.",
    "Changing routes at one site: 5 min. A test failover: selecting its network 1 min, checking its infrastructure copies 5 min.",
    "Updating a DNS record: 1 min, plus the record's TTL before clients see the new address.",
    "Failing over one recovery group (machines start in the recovery site): 10 min; verifying it: 10 min.",
    "Commit (2 min) and reverse replication (5 min) run after service is restored and are not counted.",
    "Failback: final delta synchronisation 10 min; full download 60 min (per 100 GB at about 250 Mbit/s).",
];

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
    ChooseRecoveryPoint { recovery_point: RecoveryPoint },
    /// A test failover: the isolated network the test machines connect to (seed 002).
    SelectTestNetwork { network: String },
    /// A test failover: copies of the domain controller and DNS (and DHCP) servers run in the
    /// test network before group 1 starts (seed 002), named when the plan marks them.
    CheckTestInfrastructure { machines: Vec<String> },
    SynchroniseData { data_sync: DataSync },
    Disconnect { connection: ConnectionId, name: String, link: String, network: String, other_end: String },
    CreateGateway { gateway: GatewayId, name: String, kind: GatewayKind, network: String, prepared: bool },
    Connect {
        connection: ConnectionId,
        name: String,
        link: String,
        network: String,
        other_end: String,
        /// The gateway of `network` the connection uses, and for a VNet-to-VNet VPN the one of
        /// the other end.
        gateway: String,
        other_gateway: Option<String>,
    },
    CreatePeering { connection: ConnectionId, name: String, from: String, to: String, from_side: PeeringSettings, to_side: PeeringSettings },
    FailOverGroup { group: u32 },
    ChangeRoutes { site: String, prefix: Prefix, old_next_hop: String, new_next_hop: String },
    UpdateDns { machine: String, zone: String, record: String, new_ip: std::net::IpAddr, ttl_secs: u32 },
    Verify { group: u32 },
    Commit,
    ReverseReplicate,
    CompleteTest,
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
    pub groups: Vec<Group>,
    pub estimated_rto_secs: u32,
    pub assumptions: Vec<&'static str>,
    pub differences: Vec<Difference>,
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
        .map(|finding| Blocker { rule: finding.rule, message: finding.message.clone(), fix: finding.fix.clone() })
        .collect()
}

impl RecoveryPlan {
    /// Every step in execution order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.groups.iter().flat_map(|group| group.before.iter().chain(&group.after))
    }
}

/// Collects steps in order and numbers them.
struct Steps {
    next: usize,
}

impl Steps {
    fn step(&mut self, title: String, execution: Execution, duration_secs: u32, counts: bool, action: Action) -> Step {
        self.next += 1;
        Step { number: self.next, title, execution, duration_secs, counts_toward_rto: counts, action }
    }
}

fn site_name(plan: &Plan, id: &SiteId) -> String {
    plan.site(id).map_or_else(|| id.to_string(), |site| site.name.clone())
}

fn network_name(plan: &Plan, id: &NetworkId) -> String {
    plan.network(id).map_or_else(|| id.to_string(), |network| network.name.clone())
}

fn other_end(plan: &Plan, connection: &Connection) -> String {
    match &connection.link {
        Link::ExpressRoute { circuit } => plan.circuit(circuit).map_or_else(|| circuit.to_string(), |circuit| circuit.name.clone()),
        Link::SiteToSiteVpn { to } | Link::StretchedVlan { to } | Link::VnetPeering { to, .. } => network_name(plan, to),
    }
}

/// Builds the recovery plan of a simulated scenario.
pub fn recovery_plan(plan: &Plan, scenario: &Scenario, outcome: &Outcome) -> RecoveryPlan {
    let before = &outcome.before;
    let mut steps = Steps { next: 0 };
    let mut preparation = Vec::new();
    let test = scenario.failover_type == FailoverType::Test;

    // Data synchronisation is a choice only when failing back from Azure to on-premises (seed
    // 002): the delta runs while the machines keep running in Azure and is not downtime; the full
    // download is.
    let site_kind = |id: &SiteId| plan.site(id).map(|site| site.kind);
    let from_azure_to_premises = scenario.direction == Direction::Failback
        && site_kind(&scenario.from_site) == Some(SiteKind::CloudRegion)
        && site_kind(&scenario.to_site).is_some_and(|kind| kind != SiteKind::CloudRegion);
    let data_sync = from_azure_to_premises.then(|| scenario.data_sync.unwrap_or(DataSync::DeltaBeforeFailover));
    match data_sync {
        Some(data_sync @ DataSync::DeltaBeforeFailover) => preparation.push(steps.step(
            "Synchronise data before failover (delta changes only), while the machines keep running in Azure".to_owned(),
            Execution::Manual,
            DELTA_SYNC_SECS,
            false,
            Action::SynchroniseData { data_sync },
        )),
        Some(data_sync @ DataSync::FullDownloadDuringFailover) => preparation.push(steps.step(
            "Synchronise data during failover only (full download)".to_owned(),
            Execution::Manual,
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
            Execution::Manual,
            DELTA_SYNC_SECS,
            true,
            Action::CompleteFailover,
        )),
        FailoverType::Planned => preparation.push(steps.step(
            "Shut down the source machines (planned failover: no data loss)".to_owned(),
            Execution::Manual,
            SHUT_DOWN_SECS,
            true,
            Action::ShutDownSourceMachines,
        )),
        FailoverType::Unplanned | FailoverType::Test => {
            let recovery_point = scenario.recovery_point.clone().unwrap_or(RecoveryPoint::Latest);
            preparation.push(steps.step(
                format!("Choose the recovery point: {}", recovery_point_label(&recovery_point)),
                Execution::Manual,
                CHOOSE_RECOVERY_POINT_SECS,
                true,
                Action::ChooseRecoveryPoint { recovery_point },
            ));
        }
    }
    if test {
        // Seed 002: the test machines' network is chosen when the test starts, and the
        // infrastructure they need (a domain controller copy, DNS, DHCP) must run there before
        // group 1.
        let network = scenario.test_network.as_ref().map_or_else(|| "an isolated network".to_owned(), |id| format!("\"{}\"", network_name(plan, id)));
        preparation.push(steps.step(
            format!("Select the test network for the test machines: {network}, isolated from production"),
            Execution::Manual,
            SELECT_TEST_NETWORK_SECS,
            true,
            Action::SelectTestNetwork { network },
        ));
        let infrastructure: Vec<String> = plan
            .machines
            .iter()
            .filter(|machine| machine.roles.iter().any(|role| matches!(role, InfraRole::DomainController | InfraRole::Dns | InfraRole::Dhcp)))
            .map(|machine| machine.name.clone())
            .collect();
        let named = if infrastructure.is_empty() {
            "copies of the domain controller and the DNS and DHCP servers".to_owned()
        } else {
            format!("copies of {}", infrastructure.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", "))
        };
        preparation.push(steps.step(
            format!("Check that {named} run in the test network before group 1"),
            Execution::Manual,
            CHECK_TEST_INFRASTRUCTURE_SECS,
            true,
            Action::CheckTestInfrastructure { machines: infrastructure },
        ));
    }

    // Network changes before any machine starts: disconnect first, so a connection to the same
    // address space (one ExpressRoute circuit) is never made while the old one is up; then
    // gateways; then the connections and peerings that need them.
    let mut gateways_prepared = Vec::new();
    for network in &before.networks {
        for gateway in network.gateways.iter().filter(|gateway| gateway.provisioned_before_failover) {
            let needed = outcome.differences.iter().any(|difference| match difference {
                Difference::ConnectionEstablished { connection, .. } | Difference::PeeringCreated { connection, .. } => {
                    before.connection(connection).is_some_and(|connection| connection.from == network.id || connection.to_network() == Some(&network.id))
                }
                _ => false,
            });
            if needed && !test {
                gateways_prepared.push(steps.step(
                    format!("{} gateway \"{}\" on \"{}\" is provisioned before failover", gateway.kind.label(), gateway.name, network.name),
                    Execution::Scripted,
                    gateway_secs(gateway.kind),
                    false,
                    Action::CreateGateway { gateway: gateway.id.clone(), name: gateway.name.clone(), kind: gateway.kind, network: network.name.clone(), prepared: true },
                ));
            }
        }
    }
    preparation.extend(gateways_prepared);
    let ordered = order_network_differences(&outcome.differences);
    for difference in &ordered {
        let step = match difference {
            Difference::ConnectionDisconnected { connection, name, link } => before.connection(connection).map(|found| {
                steps.step(
                    format!("Disconnect {link} \"{name}\""),
                    Execution::Scripted,
                    DISCONNECT_SECS,
                    true,
                    Action::Disconnect {
                        connection: connection.clone(),
                        name: name.clone(),
                        link: link.clone(),
                        network: network_name(before, &found.from),
                        other_end: other_end(before, found),
                    },
                )
            }),
            Difference::GatewayCreated { network, gateway, name, kind } => Some(steps.step(
                format!("Create {} gateway \"{name}\" on \"{}\"", kind.label(), network_name(before, network)),
                Execution::Scripted,
                gateway_secs(*kind),
                true,
                Action::CreateGateway { gateway: gateway.clone(), name: name.clone(), kind: *kind, network: network_name(before, network), prepared: false },
            )),
            Difference::ConnectionEstablished { connection, name, link } => before.connection(connection).map(|found| {
                steps.step(
                    format!("Connect {link} \"{name}\""),
                    Execution::Scripted,
                    CONNECT_SECS,
                    true,
                    Action::Connect {
                        connection: connection.clone(),
                        name: name.clone(),
                        link: link.clone(),
                        network: network_name(before, &found.from),
                        other_end: other_end(before, found),
                        gateway: gateway_name(before, &found.from, gateway_kind_of(&found.link)),
                        other_gateway: found.to_network().map(|to| gateway_name(before, to, GatewayKind::Vpn)),
                    },
                )
            }),
            Difference::PeeringCreated { connection, name, from, to, from_side, to_side } => Some(steps.step(
                format!("Create VNet peering \"{name}\" with the same settings as the source side"),
                Execution::Scripted,
                PEERING_SECS,
                true,
                Action::CreatePeering {
                    connection: connection.clone(),
                    name: name.clone(),
                    from: network_name(before, from),
                    to: network_name(before, to),
                    from_side: *from_side,
                    to_side: *to_side,
                },
            )),
            _ => None,
        };
        preparation.extend(step);
    }

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
    // fail its check (seed 000: routes must move with the subnet).
    let first_group = by_group.keys().next().copied();
    let route_group = |prefix: &Prefix| {
        outcome
            .differences
            .iter()
            .filter_map(|difference| match difference {
                Difference::MachineMoved { ip_before, recovery_group, .. } if prefix.contains_ip(ip_before) => Some(recovery_group.get()),
                _ => None,
            })
            .min()
            .or(first_group)
    };
    for (number, machines) in by_group {
        let before_steps = vec![steps.step(
            format!("Fail over group {number} ({})", if machines.len() == 1 { "1 machine".to_owned() } else { format!("{} machines", machines.len()) }),
            Execution::Scripted,
            GROUP_FAILOVER_SECS,
            true,
            Action::FailOverGroup { group: number },
        )];
        let mut after_steps = Vec::new();
        if !test {
            for difference in &outcome.differences {
                if let Difference::RoutesChanged { at_site, prefix, old_next_hop, new_next_hop } = difference
                    && route_group(prefix) == Some(number)
                {
                    let site = site_name(before, at_site);
                    after_steps.push(steps.step(
                        format!("At \"{site}\", route {prefix} {new_next_hop} (was {old_next_hop})"),
                        Execution::Manual,
                        ROUTE_CHANGE_SECS,
                        true,
                        Action::ChangeRoutes { site, prefix: *prefix, old_next_hop: old_next_hop.clone(), new_next_hop: new_next_hop.clone() },
                    ));
                }
            }
        }
        for difference in &outcome.differences {
            let Difference::DnsRecordUpdated { machine, zone, record, new_ip, ttl_secs, dynamic_registration, .. } = difference else { continue };
            if *dynamic_registration || !machines.iter().any(|member| &member.id == machine) {
                continue;
            }
            let machine_name = machines.iter().find(|member| &member.id == machine).map(|member| member.name.clone()).unwrap_or_default();
            after_steps.push(steps.step(
                format!("Update DNS record {record}.{zone} to {new_ip} (TTL {ttl_secs} s)"),
                Execution::Scripted,
                // A TTL comes from the plan file and may be as large as u32 allows.
                DNS_UPDATE_SECS.saturating_add(*ttl_secs),
                true,
                Action::UpdateDns { machine: machine_name, zone: zone.clone(), record: record.clone(), new_ip: *new_ip, ttl_secs: *ttl_secs },
            ));
        }
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
        vec![steps.step("Complete the test failover (cleans up the test machines)".to_owned(), Execution::Manual, COMMIT_SECS, false, Action::CompleteTest)]
    } else {
        vec![
            steps.step("Commit the failover".to_owned(), Execution::Manual, COMMIT_SECS, false, Action::Commit),
            steps.step(
                "Reverse replicate, so the machines are protected again".to_owned(),
                Execution::Manual,
                REVERSE_REPLICATE_SECS,
                false,
                Action::ReverseReplicate,
            ),
        ]
    };
    match groups.last_mut() {
        Some(last) => last.after.extend(closing),
        None => {}
    }
    let estimated_rto_secs = groups
        .iter()
        .flat_map(|group| group.before.iter().chain(&group.after))
        .filter(|step| step.counts_toward_rto)
        .map(|step| step.duration_secs)
        .fold(0, u32::saturating_add);
    RecoveryPlan {
        plan_name: plan.name.clone(),
        scenario: scenario.id.clone(),
        scenario_name: scenario.name.clone(),
        failover_type: scenario.failover_type,
        direction: scenario.direction,
        groups,
        estimated_rto_secs,
        assumptions: ASSUMPTIONS.to_vec(),
        differences: outcome.differences.clone(),
        cannot_work_as_drawn: Vec::new(),
    }
}

/// Network differences in execution order: disconnections, gateways, connections, peerings.
fn order_network_differences(differences: &[Difference]) -> Vec<&Difference> {
    let rank = |difference: &Difference| match difference {
        Difference::ConnectionDisconnected { .. } => Some(0),
        Difference::GatewayCreated { .. } => Some(1),
        Difference::ConnectionEstablished { .. } => Some(2),
        Difference::PeeringCreated { .. } => Some(3),
        _ => None,
    };
    let mut ordered: Vec<(u8, usize, &Difference)> = differences
        .iter()
        .enumerate()
        .filter_map(|(position, difference)| rank(difference).map(|rank| (rank, position, difference)))
        .collect();
    ordered.sort_by_key(|(rank, position, _)| (*rank, *position));
    ordered.into_iter().map(|(_, _, difference)| difference).collect()
}

/// The kind of gateway a link needs.
fn gateway_kind_of(link: &Link) -> GatewayKind {
    match link {
        Link::ExpressRoute { .. } => GatewayKind::ExpressRoute,
        _ => GatewayKind::Vpn,
    }
}

/// The name of a network's gateway of a kind, or a name derived from the network's.
fn gateway_name(plan: &Plan, network: &NetworkId, kind: GatewayKind) -> String {
    let network_found = plan.network(network);
    network_found
        .and_then(|network| network.gateways.iter().find(|gateway| gateway.kind == kind))
        .map(|gateway| gateway.name.clone())
        .unwrap_or_else(|| format!("{} gateway", network_found.map_or(network.as_str(), |network| network.name.as_str())))
}


fn gateway_secs(kind: GatewayKind) -> u32 {
    match kind {
        GatewayKind::Vpn => CREATE_VPN_GATEWAY_SECS,
        GatewayKind::ExpressRoute => CREATE_EXPRESSROUTE_GATEWAY_SECS,
    }
}

pub fn recovery_point_label(point: &RecoveryPoint) -> String {
    match point {
        RecoveryPoint::Latest => "latest (lowest RPO)".to_owned(),
        RecoveryPoint::LatestProcessed => "latest processed (lowest RTO)".to_owned(),
        RecoveryPoint::LatestAppConsistent => "latest app-consistent".to_owned(),
        RecoveryPoint::Custom(at) => format!("custom ({at})"),
    }
}
