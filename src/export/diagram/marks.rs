//! What a failover changed, as a drawing marks it: connections disconnected and established,
//! subnets and machines moved, gateways created, the site a full-site failover leaves, and the
//! caption number of each change pinned to its element.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::edit::ElementKey;
use crate::model::ElementKind;
use crate::model::*;
use crate::simulate::{Difference, Outcome};

/// An element a change is pinned to in the drawing, by its number in the caption.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Pinned {
    Connection(ConnectionId),
    Subnet(SubnetId),
    Gateway(GatewayId),
    Site(SiteId),
}

/// What a failover changed, by element of the after topology, and the caption number of each
/// change.
#[derive(Debug, Default)]
pub struct Marks {
    pub(super) disconnected: FxHashSet<ConnectionId>,
    pub(super) established: FxHashSet<ConnectionId>,
    pub(super) moved_subnets: FxHashSet<SubnetId>,
    pub(super) moved_machines: FxHashSet<MachineId>,
    pub(super) created_gateways: FxHashSet<GatewayId>,
    /// The site a full-site failover leaves: drawn grey, out of service.
    pub(super) failed_site: Option<SiteId>,
    pub(super) numbers: FxHashMap<Pinned, Vec<usize>>,
}

impl Marks {
    /// A subnet the failover moved or activated, or a machine it moved.
    pub fn is_moved(&self, key: &ElementKey) -> bool {
        match key.kind {
            ElementKind::Subnet => self.moved_subnets.contains(&SubnetId::new(&key.id)),
            ElementKind::Machine => self.moved_machines.contains(&MachineId::new(&key.id)),
            _ => false,
        }
    }

    pub fn is_created(&self, gateway: &GatewayId) -> bool {
        self.created_gateways.contains(gateway)
    }

    pub fn failed_site(&self) -> Option<&SiteId> {
        self.failed_site.as_ref()
    }

    /// The network a step of a rehearsal shows, with its marks: at step 0 the network before,
    /// unmarked; after each step the network then, with the changes made so far.
    pub fn of_frame<'f>(scenario: &Scenario, frame: &'f crate::replay::Frame) -> (&'f Plan, Option<Self>) {
        match frame.step {
            None => (&frame.outcome.before, None),
            Some(_) => (&frame.outcome.after, Some(Self::of_scenario(scenario, &frame.outcome))),
        }
    }

    /// The marks of a scenario's simulation: its differences, and the site it leaves when the
    /// whole site fails (a planned or unplanned failover of the full site; not a test, which
    /// leaves the site running, nor a failback).
    pub fn of_scenario(scenario: &Scenario, outcome: &Outcome) -> Self {
        let mut marks = Self::from_outcome(outcome);
        let whole_site_fails = scenario.scope == Scope::FullSite && scenario.direction == Direction::Failover && scenario.failover_type != FailoverType::Test;
        marks.failed_site = whole_site_fails.then(|| scenario.from_site.clone());
        marks
    }

    /// The marks of a simulation's differences; number `n` is the `n`th difference (from 1).
    /// Each difference marks the elements `difference_elements` finds for it in the after
    /// topology, the same ones the app outlines when the difference is chosen.
    pub fn from_outcome(outcome: &Outcome) -> Self {
        let mut marks = Self::default();
        for (index, (difference, elements)) in outcome.differences.iter().zip(difference_elements(outcome)).enumerate() {
            let after = elements.after;
            for key in &after {
                match (difference, key.kind) {
                    (Difference::ConnectionDisconnected { .. }, ElementKind::Connection) => {
                        marks.disconnected.insert(ConnectionId::new(&key.id));
                    }
                    (_, ElementKind::Connection) => {
                        marks.established.insert(ConnectionId::new(&key.id));
                    }
                    (Difference::MachineMoved { .. }, ElementKind::Machine) => {
                        marks.moved_machines.insert(MachineId::new(&key.id));
                    }
                    (_, ElementKind::Subnet) => {
                        marks.moved_subnets.insert(SubnetId::new(&key.id));
                    }
                    (_, ElementKind::Gateway) => {
                        marks.created_gateways.insert(GatewayId::new(&key.id));
                    }
                    _ => {}
                }
            }
            // The caption number goes on the first element, except for a machine's move or DNS
            // record, which the caption lists under its subnet's or its own line.
            let pinned = match difference {
                Difference::MachineMoved { .. } | Difference::DnsRecordUpdated { .. } => None,
                _ => after.first().and_then(Pinned::of),
            };
            if let Some(pinned) = pinned {
                marks.numbers.entry(pinned).or_default().push(index + 1);
            }
        }
        marks
    }
}

impl Pinned {
    fn of(key: &ElementKey) -> Option<Self> {
        Some(match key.kind {
            ElementKind::Connection => Self::Connection(ConnectionId::new(&key.id)),
            ElementKind::Subnet => Self::Subnet(SubnetId::new(&key.id)),
            ElementKind::Gateway => Self::Gateway(GatewayId::new(&key.id)),
            ElementKind::Site => Self::Site(SiteId::new(&key.id)),
            _ => return None,
        })
    }
}

/// The elements one difference concerns: in the network before the failover (what it changes)
/// and in the network after it (where the change lands: a machine's test copy, the subnet a
/// subnet failed over into). The drawings mark the `after` ones (`Marks`); the app outlines all
/// of them when the user chooses the difference. One function for both, so they cannot differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DifferenceElements {
    pub before: Vec<ElementKey>,
    pub after: Vec<ElementKey>,
}

impl DifferenceElements {
    /// Every element, before then after, each once.
    pub fn all(self) -> Vec<ElementKey> {
        let mut all = self.before;
        for key in self.after {
            if !all.contains(&key) {
                all.push(key);
            }
        }
        all
    }
}

/// What each difference of `outcome` changes, by element (see `DifferenceElements`), in the
/// order of the differences: one pass over the outcome for all of them.
pub fn difference_elements(outcome: &Outcome) -> Vec<DifferenceElements> {
    let activated = ActivatedSubnets::of(outcome);
    outcome.differences.iter().map(|difference| elements_of(difference, &activated)).collect()
}

fn elements_of(difference: &Difference, activated: &ActivatedSubnets) -> DifferenceElements {
    let key = |kind: ElementKind, id: &str| ElementKey::new(kind, id);
    let (before, after) = match difference {
        Difference::MachineMoved { machine, from_subnet, to_subnet, test_copy, .. } => {
            // A test failover leaves the machine and adds a copy under a derived id.
            let drawn = if *test_copy { crate::simulate::test_copy_id(machine) } else { machine.clone() };
            let mut after = vec![key(ElementKind::Machine, drawn.as_str())];
            after.extend(to_subnet.iter().map(|subnet| key(ElementKind::Subnet, subnet.as_str())));
            (vec![key(ElementKind::Machine, machine.as_str()), key(ElementKind::Subnet, from_subnet.as_str())], after)
        }
        Difference::SubnetActivated { subnet, prefix, at_site, .. } => {
            let target = activated.target(subnet, prefix, at_site);
            (vec![key(ElementKind::Subnet, subnet.as_str())], target.iter().map(|target| key(ElementKind::Subnet, target.as_str())).collect())
        }
        Difference::ConnectionDisconnected { connection, .. }
        | Difference::ConnectionEstablished { connection, .. }
        | Difference::PeeringCreated { connection, .. } => {
            let connection = vec![key(ElementKind::Connection, connection.as_str())];
            (connection.clone(), connection)
        }
        Difference::GatewayCreated { gateway, network, .. } => {
            (vec![key(ElementKind::Network, network.as_str())], vec![key(ElementKind::Gateway, gateway.as_str()), key(ElementKind::Network, network.as_str())])
        }
        Difference::RoutesChanged { at_site, .. } => {
            let site = vec![key(ElementKind::Site, at_site.as_str())];
            (site.clone(), site)
        }
        Difference::DnsRecordUpdated { machine, .. } => {
            let machine = vec![key(ElementKind::Machine, machine.as_str())];
            (machine.clone(), machine)
        }
    };
    DifferenceElements { before, after }
}

/// Where the subnets of an outcome failed over into, looked up by subnet and by prefix and site.
struct ActivatedSubnets<'a> {
    /// For each subnet, the subnet its machines went to (the first move's, in difference order).
    moved_into: FxHashMap<&'a SubnetId, &'a SubnetId>,
    /// For each prefix at each site, the first subnet of the after topology with it (plan order).
    at_site: FxHashMap<(&'a Prefix, &'a SiteId), &'a SubnetId>,
}

impl<'a> ActivatedSubnets<'a> {
    fn of(outcome: &'a Outcome) -> Self {
        let mut moved_into = FxHashMap::default();
        for difference in &outcome.differences {
            if let Difference::MachineMoved { from_subnet, to_subnet: Some(to), .. } = difference {
                moved_into.entry(from_subnet).or_insert(to);
            }
        }
        let after = &outcome.after;
        let sites: FxHashSet<&SiteId> = after.sites.iter().map(|site| &site.id).collect();
        let network_site: FxHashMap<&NetworkId, &SiteId> =
            after.networks.iter().filter(|network| sites.contains(&network.site)).map(|network| (&network.id, &network.site)).collect();
        let mut at_site = FxHashMap::default();
        for subnet in &after.subnets {
            if let Some(site) = network_site.get(&subnet.network) {
                at_site.entry((&subnet.prefix, *site)).or_insert(&subnet.id);
            }
        }
        Self { moved_into, at_site }
    }

    /// The subnet of the after topology that a subnet failed over into: where its machines went,
    /// else the subnet with the same prefix at the site it is now active at.
    fn target(&self, subnet: &SubnetId, prefix: &Prefix, at_site: &SiteId) -> Option<SubnetId> {
        self.moved_into.get(subnet).or_else(|| self.at_site.get(&(prefix, at_site))).map(|&target| target.clone())
    }
}

/// "3", "3, 5", "3–6": caption numbers pinned to one element.
pub(super) fn number_label(numbers: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < numbers.len() {
        let start = numbers[index];
        let mut end = start;
        while index + 1 < numbers.len() && numbers[index + 1] == end + 1 {
            index += 1;
            end = numbers[index];
        }
        parts.push(if end > start + 1 {
            format!("{start}–{end}")
        } else if end == start + 1 {
            format!("{start}, {end}")
        } else {
            start.to_string()
        });
        index += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_pinned_to_one_element_read_as_ranges() {
        assert_eq!(number_label(&[3]), "3");
        assert_eq!(number_label(&[3, 4]), "3, 4");
        assert_eq!(number_label(&[3, 4, 5, 6, 9]), "3–6, 9");
    }
}
