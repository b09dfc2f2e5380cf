//! The parts of a plan, as a set: what an edit changed (`edit::Journal::change`) and what a
//! validation rule reads (`validate::Rule::reads`), so that after an edit only the rules that
//! read what changed run again.

use bitflags::bitflags;

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
}

impl Change {
    /// Everything changed (a whole plan replaced).
    pub const ALL: Self = Self { layout: Parts::all(), names: Parts::all(), content: Parts::all(), structure: Parts::all() };

    /// Parts whose names or content changed: what a rule that reads them must see again.
    pub fn read_by_rules(&self) -> Parts {
        self.names | self.content
    }

    pub fn merge(&mut self, other: Self) {
        self.layout |= other.layout;
        self.names |= other.names;
        self.content |= other.content;
        self.structure |= other.structure;
    }

    pub fn is_empty(&self) -> bool {
        self.layout.is_empty() && self.names.is_empty() && self.content.is_empty() && self.structure.is_empty()
    }
}
