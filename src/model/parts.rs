//! The parts of a plan, as a set: what an edit changed (`edit::Journal::change`) and what a
//! validation rule reads (`validate::Rule::reads`), so that after an edit only the rules that
//! read what changed run again.

use std::net::IpAddr;

use bitflags::bitflags;

use super::{Machine, Subnet, TargetIp};

bitflags! {
    /// Lists of a plan and its own fields. A network's gateways, appliances and route tables are
    /// part of the network.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Parts: u16 {
        const SITES = 1;
        const NETWORKS = 1 << 1;
        const SUBNETS = 1 << 2;
        const MACHINES = 1 << 3;
        const CIRCUITS = 1 << 4;
        const CONNECTIONS = 1 << 5;
        const MAPPINGS = 1 << 6;
        const SCENARIOS = 1 << 7;
        const GROUP_ACTIONS = 1 << 8;
        /// The plan's own name and description.
        const PLAN = 1 << 9;
    }
}

/// What an edit changed, part by part: where elements are drawn, what they are called, and
/// everything else. Positions on the canvas are read by no rule and by no invariant; names only
/// by the messages of the rules that report those elements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// Parts in which an element moved on the canvas.
    pub layout: Parts,
    /// Parts in which an element was renamed.
    pub names: Parts,
    /// Parts in which anything else changed: an element added or removed, an id, a reference,
    /// an address, a setting.
    pub content: Parts,
    /// Parts in which an element was added or removed, or changed an id or a reference (one of
    /// its `io::InvariantInputs`): what a plan's index is built from. An index kept from before
    /// an edit with none of these still holds (`KeptIndex`).
    pub structure: Parts,
    /// When the edit changed nothing but one machine's addresses (its address, or the new
    /// address it is to take after failover), that machine and its addresses before the edit:
    /// the validation after it then looks at that machine's addresses alone
    /// (`validate::revalidate`).
    pub addresses: Option<AddressChange>,
    /// When the edit changed nothing but one subnet's name, that subnet and its name before the
    /// edit: the validation after it then makes again only what names the subnet
    /// (`validate::revalidate`).
    pub renamed: Option<Renamed>,
}

/// One subnet's name before an edit that changed only it (`Change::renamed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Renamed {
    /// The subnet's position in the plan.
    pub subnet: usize,
    /// Its name before the edit, as `Renamed::name_key`: enough to tell that no other subnet
    /// had that name (two names with one key are taken for the same, which only errs on the
    /// side of validating more).
    pub old_name: u64,
}

impl Renamed {
    /// The rename from `old` to `new`, the subnet at `position`, when only its name changed.
    pub fn between(position: usize, old: &Subnet, new: &Subnet) -> Option<Self> {
        let aligned = Subnet { name: new.name.clone(), ..old.clone() };
        (old.name != new.name && aligned == *new).then(|| Self { subnet: position, old_name: Self::name_key(&old.name) })
    }

    /// A name as a number (FNV-1a, the same on every run and platform).
    pub fn name_key(name: &str) -> u64 {
        name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
    }
}

/// One machine's addresses before an edit that changed only them (`Change::addresses`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressChange {
    /// The machine's position in the plan.
    pub machine: usize,
    pub ip: IpAddr,
    /// Its failover target's address setting, if it has a target.
    pub target_ip: Option<TargetIp>,
}

impl AddressChange {
    /// The change from `old` to `new`, the machine at `position`, when it changed their
    /// addresses and nothing else (a target that keeps its address still keeps it).
    pub fn between(position: usize, old: &Machine, new: &Machine) -> Option<Self> {
        let target_ip = |machine: &Machine| machine.target.as_ref().map(|target| target.ip);
        let same_kind = matches!(
            (target_ip(old), target_ip(new)),
            (None, None) | (Some(TargetIp::Keep), Some(TargetIp::Keep)) | (Some(TargetIp::New(_)), Some(TargetIp::New(_)))
        );
        let mut aligned = old.clone();
        aligned.ip = new.ip;
        if let (Some(target), Some(new_target)) = (aligned.target.as_mut(), new.target.as_ref()) {
            target.ip = new_target.ip;
        }
        (same_kind && old != new && aligned == *new).then_some(Self { machine: position, ip: old.ip, target_ip: target_ip(old) })
    }

    /// The machine as it was: `now` with its addresses before.
    pub fn before(&self, now: &Machine) -> Machine {
        let mut machine = now.clone();
        machine.ip = self.ip;
        if let (Some(target), Some(ip)) = (machine.target.as_mut(), self.target_ip) {
            target.ip = ip;
        }
        machine
    }
}

impl Change {
    /// Everything changed (a whole plan replaced).
    pub const ALL: Self = Self { layout: Parts::all(), names: Parts::all(), content: Parts::all(), structure: Parts::all(), addresses: None, renamed: None };

    /// Parts whose names or content changed: what a rule that reads them must see again.
    pub fn read_by_rules(&self) -> Parts {
        self.names | self.content
    }

    pub fn merge(&mut self, other: Self) {
        // Two changes of one machine's addresses are one, from its addresses before the first;
        // with any other change besides a move on the canvas, they are not.
        self.addresses = match (self.only_layout(), other.only_layout()) {
            (true, _) => other.addresses,
            (_, true) => self.addresses,
            _ => self.addresses.zip(other.addresses).filter(|(first, then)| first.machine == then.machine).map(|(first, _)| first),
        };
        // So are two renames of one subnet, from its name before the first.
        self.renamed = match (self.only_layout(), other.only_layout()) {
            (true, _) => other.renamed,
            (_, true) => self.renamed,
            _ => self.renamed.zip(other.renamed).filter(|(first, then)| first.subnet == then.subnet).map(|(first, _)| first),
        };
        self.layout |= other.layout;
        self.names |= other.names;
        self.content |= other.content;
        self.structure |= other.structure;
    }

    /// True when nothing changed but where elements are drawn.
    fn only_layout(&self) -> bool {
        self.names.is_empty() && self.content.is_empty() && self.structure.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        self.layout.is_empty() && self.names.is_empty() && self.content.is_empty() && self.structure.is_empty()
    }
}
