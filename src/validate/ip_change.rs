//! Rules for machines that change their addresses at failover (seed 000): the DNS update they
//! need, and the sites that must already reach the recovery network, since no routes change.

use std::collections::BTreeSet;

use super::AddressScope;
use super::context::Protected;
use super::{Context, Findings, Passes, Rule, Severity, explanations, reads, sources};
use crate::model::*;

/// A DNS record TTL above this is "long" for CHANGE-DNS (seed 000: use low TTLs).
pub const LONG_DNS_TTL_SECS: u32 = 900;

pub(super) static RULES: [Rule; 2] = [
    Rule {
        id: "CHANGE-DNS",
        severity: Severity::Info,
        summary: "Machines that change address need a DNS update; long TTLs delay it.",
        sources: &[sources::CONNECTIVITY_SECONDARY_SITE],
        check: change_dns,
        explanation: explanations::CHANGE_DNS,
        blocks_retention: false,
        reads: reads::ADDRESSED,
        uses: Passes::PROTECTED,
        addresses: AddressScope::Holder,
    },
    Rule {
        id: "CHANGE-REACH",
        severity: Severity::Error,
        summary: "With new addresses, the recovery network must already be reachable from every site that reaches the source.",
        sources: &[sources::CONNECTIVITY_SECONDARY_SITE],
        check: change_reach,
        explanation: explanations::CHANGE_REACH,
        blocks_retention: false,
        reads: reads::ADDRESSED.union(reads::LINKS),
        uses: Passes::PROTECTED,
        addresses: AddressScope::Unread,
    },
];

/// CHANGE-DNS: machines that change address need their DNS record updated.
fn change_dns(context: &Context, findings: &mut Findings) {
    for Protected { machine, target, .. } in context.protected() {
        let TargetIp::New(new_ip) = target.ip else { continue };
        if new_ip == machine.ip {
            continue;
        }
        let element = vec![Context::machine_ref(machine)];
        match &machine.dns {
            None => {
                findings.add(element,
                    format!(
                        "\"{}\" changes its address to {new_ip}, and no DNS record is recorded for it: clients that use its name or old address will not find it.",
                        machine.name
                    ),
                    "Record the machine's DNS name, zone and TTL so the recovery plan can update it, or turn on dynamic DNS registration.".to_owned(),
                );
            }
            Some(record) => {
                if !record.dynamic_registration {
                    findings.add(
                        element.clone(),
                        format!(
                            "\"{}\" changes its address to {new_ip}: the record {}.{} must be updated during failover.",
                            machine.name, record.name, record.zone
                        ),
                        "Keep the DNS update step in the recovery plan (the script of the source article), or turn on dynamic DNS registration.".to_owned(),
                    );
                }
                if record.ttl_secs > LONG_DNS_TTL_SECS {
                    findings
                        .add(
                            element,
                            format!(
                                "The record {}.{} of \"{}\" has a TTL of {} s: clients keep the old address for that long after failover.",
                                record.name, record.zone, machine.name, record.ttl_secs
                            ),
                            format!("Lower the TTL to {LONG_DNS_TTL_SECS} s or less for intranet applications, well before any failover."),
                        )
                        .with_severity(Severity::Warning);
                }
            }
        }
    }
}

/// Sites that reach a network now: the far ends of its active links, and the on-premises sites
/// of circuits it is connected to.
fn sites_reaching<'a>(context: &Context<'a>, network: &Network) -> BTreeSet<&'a SiteId> {
    let mut sites = BTreeSet::new();
    for connection in context.links_of(network).iter().filter(|connection| connection.is_active()) {
        match connection.network_pair() {
            Some((from, to)) => {
                let other = if from == &network.id { to } else { from };
                sites.extend(context.network(other).map(|network| &network.site));
            }
            None => {
                sites.extend(connection.circuit().and_then(|id| context.circuit(id)).map(|circuit| &circuit.site));
            }
        }
    }
    sites
}

/// CHANGE-REACH: with new addresses no routes change, so the recovery network must already be
/// reachable from every site that reaches the source network.
fn change_reach(context: &Context, findings: &mut Findings) {
    let mut checked = BTreeSet::new();
    for Protected { machine, target, target_subnet } in context.protected() {
        if target.ip == TargetIp::Keep {
            continue;
        }
        let (Some(source), Some(recovery)) = (context.subnet_of(machine).and_then(|subnet| context.network_of(subnet)), context.network_of(target_subnet))
        else {
            continue;
        };
        if !checked.insert((&source.id, &recovery.id)) {
            continue;
        }
        let reaching_recovery = sites_reaching(context, recovery);
        for site_id in sites_reaching(context, source) {
            if site_id == &source.site || site_id == &recovery.site || reaching_recovery.contains(site_id) {
                continue;
            }
            let Some(site) = context.site(site_id) else { continue };
            findings.add(vec![Context::network_ref(recovery), Context::site_ref(site), Context::network_ref(source)],
                format!(
                    "Machines of \"{}\" come up in \"{}\" with new addresses, but \"{}\", which reaches \"{}\" today, has no connection to \"{}\": no routes change at failover, so it will not reach them.",
                    source.name, recovery.name, site.name, source.name, recovery.name
                ),
                format!("Connect \"{}\" to \"{}\" (VPN or routes) before failover.", site.name, recovery.name),
            );
        }
    }
}
