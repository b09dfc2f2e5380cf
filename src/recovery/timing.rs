//! How long a recovery plan takes: the duration of each kind of step, the assumptions behind
//! them, and the RTO as the time from the first counted step until the last change is seen.
//!
//! Durations are planning estimates, not measurements; [`ASSUMPTIONS`] lists every one and goes
//! out with every exported plan. Steps run one after another, except network steps that do not
//! depend on each other (they run at the same time as the first of their batch), and DNS TTL
//! waits, which run in the background: a record's TTL adds to the RTO only where it outlasts the
//! steps after its update.

use super::{Action, Step};
use crate::model::RecoveryPoint;

pub const SHUT_DOWN_SECS: u32 = 5 * 60;
pub const CHOOSE_RECOVERY_POINT_SECS: u32 = 2 * 60;
/// Failing over to the latest recovery point first processes the data not yet processed (seed
/// 004); the other recovery points skip it.
pub const PROCESS_PENDING_DATA_SECS: u32 = 10 * 60;
pub const DISCONNECT_SECS: u32 = 2 * 60;
pub const CREATE_VPN_GATEWAY_SECS: u32 = 45 * 60;
pub const CREATE_EXPRESSROUTE_GATEWAY_SECS: u32 = 30 * 60;
pub const CONNECT_SECS: u32 = 10 * 60;
pub const PEERING_SECS: u32 = 2 * 60;
pub const ROUTE_TABLE_SECS: u32 = 3 * 60;
pub const START_NVA_SECS: u32 = 10 * 60;
pub const ROUTE_CHANGE_SECS: u32 = 5 * 60;
pub const DNS_UPDATE_SECS: u32 = 60;
pub const SELECT_TEST_NETWORK_SECS: u32 = 60;
pub const CHECK_TEST_INFRASTRUCTURE_SECS: u32 = 5 * 60;
pub const GROUP_FAILOVER_SECS: u32 = 10 * 60;
pub const GROUP_ACTION_SECS: u32 = 5 * 60;
pub const VERIFY_SECS: u32 = 10 * 60;
pub const COMMIT_SECS: u32 = 2 * 60;
pub const REVERSE_REPLICATE_SECS: u32 = 5 * 60;
pub const DELTA_SYNC_SECS: u32 = 10 * 60;
pub const FULL_DOWNLOAD_SECS: u32 = 60 * 60;

/// The assumptions behind the durations, as exported with the plan.
pub const ASSUMPTIONS: [&str; 13] = [
    "Steps run one after another, except network steps marked as running alongside another (they do not depend on each other) and DNS TTL waits; the RTO runs from the first counted step until the last change is seen.",
    "Planned failover: the failover job shuts down the source machines, 5 min. Choosing a recovery point: 2 min.",
    "Recovery point (seed 004): \"latest\" first processes all data not yet processed, assumed 10 min more; \"latest processed\", \"latest app-consistent\" and a custom point skip that.",
    "Creating a VPN gateway: 45 min; an ExpressRoute gateway: 30 min (typical Azure deployment times). Gateways of different networks deploy at the same time.",
    "Disconnecting a connection: 2 min; making a VPN or ExpressRoute connection: 10 min; a VNet peering: 2 min; a route table with its routes and subnets: 3 min.",
    "Starting the NVA that routes are sent through, and checking that it forwards: 10 min.",
    "Changing routes at one site: 5 min. A test failover: selecting its network 1 min, checking its infrastructure copies 5 min.",
    "Updating a DNS record: 1 min. Clients see the new address after the record's TTL; TTL waits run in the background and overlap each other and the steps after them.",
    "Failing over one recovery group (machines start in the recovery site): 10 min; verifying it: 10 min.",
    "A group action (manual, script or automation runbook): 5 min.",
    "Commit (2 min) and reverse replication (5 min) run after service is restored and are not counted.",
    "Failback: the delta synchronisation (10 min) runs while the machines keep running in Azure and is not counted; Complete Failover then shuts them down and transfers the last changes, 10 min.",
    "Failback with a full download: 60 min (per 100 GB at about 250 Mbit/s), counted.",
];

/// The extra time the recovery point costs before the machines start.
pub fn recovery_point_secs(point: &RecoveryPoint) -> u32 {
    match point {
        RecoveryPoint::Latest => PROCESS_PENDING_DATA_SECS,
        RecoveryPoint::LatestProcessed | RecoveryPoint::LatestAppConsistent | RecoveryPoint::Custom(_) => 0,
    }
}

/// The RTO of steps taken in execution order: counted steps run one after another, a step that
/// runs alongside an earlier one starts when that one started, and a DNS record's TTL runs in the
/// background from the end of its update. Saturates rather than wraps (a TTL may be huge). Steps
/// are added one at a time, so a rehearsal reads the RTO after each step in one pass.
#[derive(Default)]
pub struct RtoClock {
    /// When each counted step started, by step number.
    starts: rustc_hash::FxHashMap<usize, u32>,
    clock: u32,
    seen_until: u32,
}

impl RtoClock {
    pub fn add(&mut self, step: &Step) {
        if !step.counts_toward_rto {
            return;
        }
        let start = step.alongside.and_then(|first| self.starts.get(&first).copied()).unwrap_or(self.clock);
        let end = start.saturating_add(step.duration_secs);
        self.starts.insert(step.number, start);
        self.clock = self.clock.max(end);
        if let Action::UpdateDns { ttl_secs, .. } = step.action {
            self.seen_until = self.seen_until.max(end.saturating_add(ttl_secs));
        }
    }

    /// The RTO of the steps added so far.
    pub fn rto(&self) -> u32 {
        self.clock.max(self.seen_until)
    }
}

/// The RTO of steps in execution order (see [`RtoClock`]).
pub fn estimated_rto<'a>(steps: impl IntoIterator<Item = &'a Step>) -> u32 {
    let mut clock = RtoClock::default();
    steps.into_iter().for_each(|step| clock.add(step));
    clock.rto()
}
