//! The failover-type rule (seed 002): which of test, planned and unplanned failover each
//! direction between kinds of site supports.

use super::AddressScope;
use super::{Context, Findings, Passes, Rule, Severity, explanations, sources};
use crate::model::*;

pub(super) static RULES: [Rule; 1] = [Rule {
    id: "FAILOVER-UNSUPPORTED",
    severity: Severity::Error,
    summary: "A failover type the direction does not support (per scenario).",
    sources: &[sources::FAILOVER_IN_SITE_RECOVERY, sources::FAILBACK_HYPER_V],
    check: failover_unsupported,
    explanation: explanations::FAILOVER_UNSUPPORTED,
    blocks_retention: false,
    reads: Parts::SCENARIOS.union(Parts::SITES),
    uses: Passes::empty(),
    addresses: AddressScope::Unread,
}];

/// Whether seed 002's table supports a failover type from one kind of site to another; None
/// for directions the table does not list.
pub fn supported(from: SiteKind, to: SiteKind, failover: FailoverType) -> Option<bool> {
    use FailoverType::*;
    use SiteKind::*;
    match (from, to) {
        (HyperVVmm, HyperVVmm) | (HyperVVmm, CloudRegion) | (HyperV, CloudRegion) => Some(true),
        (CloudRegion, HyperVVmm) | (CloudRegion, HyperV) => Some(failover == Planned),
        (Vmware | Physical, CloudRegion) => Some(failover != Planned),
        _ => None,
    }
}

fn failover_label(failover: FailoverType) -> &'static str {
    match failover {
        FailoverType::Planned => "planned failover",
        FailoverType::Unplanned => "unplanned failover",
        FailoverType::Test => "test failover",
    }
}

/// FAILOVER-UNSUPPORTED (per scenario).
fn failover_unsupported(context: &Context, findings: &mut Findings) {
    for scenario in &context.plan.scenarios {
        let (Some(from), Some(to)) = (context.site(&scenario.from_site), context.site(&scenario.to_site)) else { continue };
        if supported(from.kind, to.kind, scenario.failover_type) != Some(false) {
            continue;
        }
        let alternatives: Vec<&str> = [FailoverType::Test, FailoverType::Planned, FailoverType::Unplanned]
            .into_iter()
            .filter(|failover| supported(from.kind, to.kind, *failover) == Some(true))
            .map(failover_label)
            .collect();
        findings
            .add(
                vec![Context::scenario_ref(scenario), Context::site_ref(from), Context::site_ref(to)],
                format!(
                    "\"{}\" is a {} from a {} (\"{}\") to a {} (\"{}\"), which the replication service does not support.",
                    scenario.name,
                    failover_label(scenario.failover_type),
                    from.kind.label(),
                    from.name,
                    to.kind.label(),
                    to.name
                ),
                format!("Use a {} for this direction.", alternatives.join(" or ")),
            )
            .in_scenario(scenario);
    }
}
