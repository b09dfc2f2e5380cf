//! Failover scenarios the architect rehearses, and the actions a recovery plan runs around its
//! groups (ASR recovery plans' pre and post actions).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{NetworkId, ScenarioId, SiteId, SubnetId};

/// A failover the architect rehearses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: ScenarioId,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What fails over.
    pub scope: Scope,
    pub failover_type: FailoverType,
    pub direction: Direction,
    pub from_site: SiteId,
    pub to_site: SiteId,
    /// The isolated network a test failover runs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_network: Option<NetworkId>,
    /// The recovery point an unplanned or test failover uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_point: Option<RecoveryPoint>,
    /// How data is synchronised on failback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_sync: Option<DataSync>,
}

impl Scenario {
    /// An unplanned failover of every protected machine of `from_site` to `to_site`.
    pub fn full_site(id: ScenarioId, name: String, description: String, from_site: SiteId, to_site: SiteId) -> Self {
        Self {
            id,
            name,
            description,
            scope: Scope::FullSite,
            failover_type: FailoverType::Unplanned,
            direction: Direction::Failover,
            from_site,
            to_site,
            test_network: None,
            recovery_point: None,
            data_sync: None,
        }
    }
}

/// What a scenario fails over.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every protected machine of the source site (full site or region failover).
    FullSite,
    /// The machines of these applications (isolated application failover).
    Applications(Vec<String>),
    /// The machines of these subnets (subnet failover).
    Subnets(Vec<SubnetId>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FailoverType {
    /// Source machines are shut down first; no data loss.
    Planned,
    /// The source is lost; recover from a recovery point.
    Unplanned,
    /// A drill in an isolated network; production is untouched.
    Test,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the primary site to the recovery site.
    Failover,
    /// Back from the recovery site to the primary site.
    Failback,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryPoint {
    Latest,
    LatestProcessed,
    LatestAppConsistent,
    /// A recovery point chosen by time, as the replication service shows it.
    Custom(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataSync {
    /// Synchronise delta changes while the machines still run, then fail over (less downtime).
    DeltaBeforeFailover,
    /// Download everything during failover (for machines that have run long in the cloud).
    FullDownloadDuringFailover,
}

/// An action a recovery plan runs before or after one recovery group fails over, as ASR recovery
/// plans have them: for the failover types and directions it lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupAction {
    pub name: String,
    /// The recovery group, from 1.
    pub group: std::num::NonZeroU32,
    pub when: ActionTiming,
    pub kind: GroupActionKind,
    /// The failover types it runs in; none listed means every type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover_types: Vec<FailoverType>,
    /// The directions it runs in; none listed means both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub directions: Vec<Direction>,
}

impl GroupAction {
    /// Whether the action runs in a scenario of this type and direction.
    pub fn applies_to(&self, failover_type: FailoverType, direction: Direction) -> bool {
        (self.failover_types.is_empty() || self.failover_types.contains(&failover_type)) && (self.directions.is_empty() || self.directions.contains(&direction))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionTiming {
    /// Before the group's machines start.
    Before,
    /// After they started, before the group is verified.
    After,
}

/// Who or what runs a group action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GroupActionKind {
    /// A person follows the instructions.
    Manual { instructions: String },
    /// A script at this path on the recovery site's management server (VMM).
    Script { path: String },
    /// An Azure Automation runbook, by name or resource id.
    AutomationRunbook { runbook: String },
}

impl GroupActionKind {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Manual { .. } => "manual",
            Self::Script { .. } => "script",
            Self::AutomationRunbook { .. } => "automation runbook",
        }
    }
}
