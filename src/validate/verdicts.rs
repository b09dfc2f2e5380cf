//! Machine-level IP retention verdicts: for each scenario and each machine it moves, whether
//! the machine comes up with its address and, if not, which rule stops it.

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use serde::Serialize;

use super::{Context, ElementRef, Finding, Severity};
use crate::model::position_in;
use crate::scenario::Move;

/// Will one machine keep its address in one scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RetentionVerdict {
    /// Shared by the verdicts of one scenario (40,000 of them at 100k prefixes).
    pub scenario: Arc<ElementRef>,
    pub machine: ElementRef,
    pub ip_before: IpAddr,
    /// The address after the scenario; None when the service allocates one.
    pub ip_after: Option<IpAddr>,
    pub keeps_ip: bool,
    /// The rule that stops a machine set to keep its address, if any.
    pub blocked_by: Option<&'static str>,
    /// The verdict in words.
    pub reason: Reason,
    /// Where the verdict sits in a report: the positions of its scenario and of its machine in
    /// the plan, by which verdicts are ordered (so one is found without a search through them).
    #[serde(skip)]
    pub(crate) place: (usize, usize),
}

/// Why a machine keeps its address or not. Kept as its parts and put into words when shown
/// (`Display`, and a string in JSON), so that a report of 40,000 verdicts formats none of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Set to keep its address, but a rule stops it.
    Blocked {
        ip: IpAddr,
        rule: &'static str,
        message: String,
    },
    Keeps {
        ip: IpAddr,
        subnet: CompactString,
    },
    NewAddress {
        ip: IpAddr,
        subnet: CompactString,
    },
    /// No subnet of the destination holds the address, so the service allocates one.
    Allocated {
        ip_before: IpAddr,
        subnet: CompactString,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Blocked { ip, rule, message } => write!(f, "would keep {ip}, but {rule}: {message}"),
            Self::Keeps { ip, subnet } => write!(f, "keeps {ip} in \"{subnet}\""),
            Self::NewAddress { ip, subnet } => write!(f, "takes the new address {ip} in \"{subnet}\""),
            Self::Allocated { ip_before, subnet } => {
                write!(f, "gets an address allocated in \"{subnet}\": no subnet of the destination holds {ip_before}")
            }
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Verdicts for every scenario of the plan, in scenario then machine order.
pub fn retention_verdicts(context: &Context, findings: &[Finding]) -> imbl::Vector<RetentionVerdict> {
    let mut blocking_by_element: FxHashMap<&str, Vec<&Finding>> = FxHashMap::default();
    for finding in findings.iter().filter(|finding| blocks_retention(finding)) {
        for element in &finding.elements {
            blocking_by_element.entry(element.id.as_str()).or_default().push(finding);
        }
    }
    let scenarios: Vec<Arc<ElementRef>> = context.scenario_moves().iter().map(|(scenario, _)| Arc::new(Context::scenario_ref(scenario))).collect();
    let moves: Vec<_> =
        context.scenario_moves().iter().enumerate().flat_map(|(position, (_, moves))| moves.all.iter().map(move |moved| (position, moved))).collect();
    let machines = &context.plan.machines;
    // Made straight into the report's vector, a run on each core joined in order: collected into
    // a list first, the 40,000 verdicts of 100k prefixes would be held twice for a moment.
    moves
        .par_iter()
        .map(|&(position, moved)| {
            let blockers = blocking_by_element.get(moved.machine.id.as_str()).into_iter().flatten().copied();
            let place = (position, position_in(machines, moved.machine).unwrap_or(usize::MAX));
            verdict(&scenarios[position], moved, blockers, place)
        })
        .fold(imbl::Vector::new, |mut run, verdict| {
            run.push_back(verdict);
            run
        })
        .reduce(imbl::Vector::new, |mut verdicts, run| {
            verdicts.append(run);
            verdicts
        })
}

/// True when a finding stops the machines it names from keeping their addresses.
pub fn blocks_retention(finding: &Finding) -> bool {
    finding.severity == Severity::Error && finding.rule.blocks_retention
}

/// The verdict on the machine `moved` moves in `scenario` (shared by the scenario's verdicts),
/// given the findings that block retention and name it (in report order): the first of them that
/// concerns every scenario or this one is the blocker.
pub fn verdict<'f>(scenario: &Arc<ElementRef>, moved: &Move, mut blockers: impl Iterator<Item = &'f Finding>, place: (usize, usize)) -> RetentionVerdict {
    let machine = moved.machine;
    let blocker = blockers.find(|finding| finding.scenario.as_ref().is_none_or(|concerned| concerned.id == scenario.id));
    let intends_to_keep = moved.keeps_ip();
    let blocked_by = blocker.filter(|_| intends_to_keep).map(|finding| finding.rule.id);
    let subnet = CompactString::from(moved.to_subnet.map_or("no subnet", |subnet| subnet.name.as_str()));
    let reason = match (blocker, moved.ip_after) {
        (Some(finding), _) if intends_to_keep => Reason::Blocked { ip: moved.ip_before, rule: finding.rule.id, message: finding.message.clone() },
        _ if intends_to_keep => Reason::Keeps { ip: moved.ip_before, subnet },
        (_, Some(ip)) => Reason::NewAddress { ip, subnet },
        (_, None) => Reason::Allocated { ip_before: moved.ip_before, subnet },
    };
    RetentionVerdict {
        scenario: Arc::clone(scenario),
        machine: Context::machine_ref(machine),
        ip_before: moved.ip_before,
        ip_after: if blocked_by.is_some() { None } else { moved.ip_after },
        keeps_ip: intends_to_keep && blocked_by.is_none(),
        blocked_by,
        reason,
        place,
    }
}
