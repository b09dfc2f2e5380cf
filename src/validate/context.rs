//! What the rules share: the plan, look-ups by id built once per run, and element references.

use std::net::IpAddr;

use ipnet::IpNet;
use rayon::prelude::*;

use super::{ElementKind, ElementRef};
use crate::model::*;
use crate::scenario::{self, Moves};

/// A plan prepared for the rules: the plan's index, what several rules ask for computed once
/// (the shared passes, only those the rules about to run use), and element references for
/// findings.
pub struct Context<'a> {
    index: &'a PlanIndex<'a>,
    protected: Vec<Protected<'a>>,
    addressed: Vec<Addressed<'a>>,
    addresses_in_use: Vec<AddressKey>,
    scenario_moves: Vec<(&'a Scenario, Moves<'a>)>,
    /// The passes made.
    made: Passes,
}

bitflags::bitflags! {
    /// The shared passes of a context, as a set: what a rule uses (`Rule::uses`). A validation
    /// after an edit makes only those the rules it runs again use: at 100k prefixes all of them
    /// take a sixth of a full validation.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Passes: u8 {
        /// `protected`.
        const PROTECTED = 1;
        /// `addressed` and `addresses_in_use`.
        const ADDRESSED = 1 << 1;
        /// `scenario_moves` and `moves_of`.
        const MOVES = 1 << 2;
    }
}

/// A protected machine and where it fails over to.
pub struct Protected<'a> {
    pub machine: &'a Machine,
    pub target: &'a FailoverTarget,
    pub target_subnet: &'a Subnet,
}

impl Protected<'_> {
    /// The address the machine is to have after failover.
    pub fn target_address(&self) -> IpAddr {
        self.target.ip.address(self.machine.ip)
    }
}

/// An address in a network, as a sort key: the network's position and the address family,
/// the address as a number, and the position of what holds or claims it. 32 bytes, so sorting
/// tens of thousands of them moves little memory.
pub type AddressKey = (u64, u128, usize);

/// The key of `address` in the network at position `network`, for what sits at `position`.
pub fn address_key(network: usize, address: IpAddr, position: usize) -> AddressKey {
    match address {
        IpAddr::V4(v4) => ((network as u64) << 1, u128::from(u32::from(v4)), position),
        IpAddr::V6(v6) => ((network as u64) << 1 | 1, u128::from(v6), position),
    }
}

/// The position of the network an address key is in.
pub fn network_of_key(key: &AddressKey) -> usize {
    (key.0 >> 1) as usize
}

/// The network and address a key names, without what holds it: what keys are sorted and
/// compared by.
pub fn address_of_key(key: &AddressKey) -> (u64, u128) {
    (key.0, key.1)
}

/// True when two keys name the same address in the same network.
pub fn same_address(a: &AddressKey, b: &AddressKey) -> bool {
    address_of_key(a) == address_of_key(b)
}

/// A machine or an appliance that holds an address in a subnet.
#[derive(Clone, Copy)]
pub enum Holder<'a> {
    Machine(&'a Machine),
    Nva(&'a Nva),
}

impl Holder<'_> {
    pub fn id(&self) -> &str {
        match self {
            Self::Machine(machine) => machine.id.as_str(),
            Self::Nva(nva) => nva.id.as_str(),
        }
    }

    pub fn element_ref(&self) -> ElementRef {
        match self {
            Self::Machine(machine) => Context::machine_ref(machine),
            Self::Nva(nva) => Context::nva_ref(nva),
        }
    }
}

/// An addressed element with its address and subnet.
pub struct Addressed<'a> {
    pub holder: Holder<'a>,
    pub ip: IpAddr,
    pub subnet: &'a Subnet,
}

impl<'a> std::ops::Deref for Context<'a> {
    type Target = PlanIndex<'a>;

    fn deref(&self) -> &PlanIndex<'a> {
        self.index
    }
}

impl<'a> Context<'a> {
    /// The context of the plan `index` indexes, with every shared pass.
    pub fn new(index: &'a PlanIndex<'a>) -> Self {
        Self::with_passes(index, Passes::all())
    }

    /// The context of the plan `index` indexes, with the shared passes `passes`; the passes are
    /// made side by side.
    pub fn with_passes(index: &'a PlanIndex<'a>, passes: Passes) -> Self {
        let plan = index.plan;
        let ((protected, (addressed, addresses_in_use)), scenario_moves) = rayon::join(
            || {
                rayon::join(
                    || if passes.contains(Passes::PROTECTED) { protected_machines(index) } else { Vec::new() },
                    || if passes.contains(Passes::ADDRESSED) { addressed_elements(index) } else { (Vec::new(), Vec::new()) },
                )
            },
            || match passes.contains(Passes::MOVES) {
                true => plan.scenarios.iter().map(|scenario| (scenario, scenario::moves(index, scenario))).collect(),
                false => Vec::new(),
            },
        );
        Self { index, protected, addressed, addresses_in_use, scenario_moves, made: passes }
    }

    /// A context whose protected machines and addressed elements are these alone (and no
    /// scenario moves): the rules that use them find what they find about these elements
    /// (`addresses::report_after_addresses`). They are listed as the full context lists them.
    pub fn of_machines(index: &'a PlanIndex<'a>, protected: Vec<Protected<'a>>, addressed: Vec<Addressed<'a>>) -> Self {
        let addresses_in_use = addresses_in_use(index, &addressed);
        Self { index, protected, addressed, addresses_in_use, scenario_moves: Vec::new(), made: Passes::PROTECTED | Passes::ADDRESSED }
    }

    /// Frees the shared passes other than `passes`, once the rules that read them have run: the
    /// retention verdicts read only the moves, and at 100k prefixes the other passes hold about
    /// 5 MB that the 40,000 verdicts can take instead of coming on top of them.
    pub fn keep_only(&mut self, passes: Passes) {
        if !passes.contains(Passes::PROTECTED) {
            self.protected = Vec::new();
        }
        if !passes.contains(Passes::ADDRESSED) {
            self.addressed = Vec::new();
            self.addresses_in_use = Vec::new();
        }
        if !passes.contains(Passes::MOVES) {
            self.scenario_moves = Vec::new();
        }
        self.made &= passes;
    }

    /// True when this context has made `passes`.
    pub fn made(&self, passes: Passes) -> bool {
        self.made.contains(passes)
    }

    /// True when this context has made `passes`, which a rule is about to read. A rule that
    /// uses a pass it does not declare (`Rule::uses`) would see it empty after an edit: debug
    /// builds stop there, and `tests/incremental_validation.rs` runs every rule with only its
    /// declared passes to find it.
    fn has(&self, passes: Passes) -> bool {
        debug_assert!(self.made.contains(passes), "a rule uses the shared pass {passes:?} without declaring it in `Rule::uses`");
        self.made.contains(passes)
    }

    /// Every protected machine with its failover target and target subnet, in plan order.
    pub fn protected(&self) -> &[Protected<'a>] {
        if self.has(Passes::PROTECTED) { &self.protected } else { &[] }
    }

    /// Every addressed element (machines, then NVAs) with its subnet, in plan order.
    pub fn addressed(&self) -> &[Addressed<'a>] {
        if self.has(Passes::ADDRESSED) { &self.addressed } else { &[] }
    }

    /// The addresses in use, one key per element of `addressed` whose subnet belongs to a
    /// network, sorted: the holders of one address in one network sit together, in plan order.
    pub fn addresses_in_use(&self) -> &[AddressKey] {
        if self.has(Passes::ADDRESSED) { &self.addresses_in_use } else { &[] }
    }

    /// Each scenario with the machines it moves, in plan order.
    pub fn scenario_moves(&self) -> &[(&'a Scenario, Moves<'a>)] {
        if self.has(Passes::MOVES) { &self.scenario_moves } else { &[] }
    }

    /// The machines a scenario of this plan moves.
    pub fn moves_of(&self, scenario: &Scenario) -> Option<&Moves<'a>> {
        self.scenario_moves().iter().find(|(known, _)| std::ptr::eq(*known, scenario) || known.id == scenario.id).map(|(_, moves)| moves)
    }

    pub fn index(&self) -> &PlanIndex<'a> {
        self.index
    }

    /// A network's address space as plain prefixes.
    pub fn address_space(network: &Network) -> Vec<IpNet> {
        network.address_space.iter().map(Prefix::net).collect()
    }

    pub fn site_ref(site: &Site) -> ElementRef {
        ElementRef { kind: ElementKind::Site, id: site.id.0.clone(), name: site.name.as_str().into() }
    }

    pub fn network_ref(network: &Network) -> ElementRef {
        ElementRef { kind: ElementKind::Network, id: network.id.0.clone(), name: network.name.as_str().into() }
    }

    pub fn subnet_ref(subnet: &Subnet) -> ElementRef {
        ElementRef { kind: ElementKind::Subnet, id: subnet.id.0.clone(), name: subnet.name.as_str().into() }
    }

    pub fn machine_ref(machine: &Machine) -> ElementRef {
        ElementRef { kind: ElementKind::Machine, id: machine.id.0.clone(), name: machine.name.as_str().into() }
    }

    pub fn nva_ref(nva: &Nva) -> ElementRef {
        ElementRef { kind: ElementKind::Nva, id: nva.id.0.clone(), name: nva.name.as_str().into() }
    }

    pub fn circuit_ref(circuit: &Circuit) -> ElementRef {
        ElementRef { kind: ElementKind::Circuit, id: circuit.id.0.clone(), name: circuit.name.as_str().into() }
    }

    pub fn connection_ref(connection: &Connection) -> ElementRef {
        ElementRef { kind: ElementKind::Connection, id: connection.id.0.clone(), name: connection.name.as_str().into() }
    }

    pub fn scenario_ref(scenario: &Scenario) -> ElementRef {
        ElementRef { kind: ElementKind::Scenario, id: scenario.id.0.clone(), name: scenario.name.as_str().into() }
    }

    pub fn gateway_ref(gateway: &Gateway) -> ElementRef {
        ElementRef { kind: ElementKind::Gateway, id: gateway.id.0.clone(), name: gateway.name.as_str().into() }
    }
}

/// Every protected machine of the plan `index` indexes with its target and target subnet.
fn protected_machines<'a>(index: &PlanIndex<'a>) -> Vec<Protected<'a>> {
    crate::memory::par_filter_map(&index.plan.machines, |machine| {
        let target = machine.target.as_ref()?;
        Some(Protected { machine, target, target_subnet: index.target_subnet_of(machine)? })
    })
}

/// Every addressed element of the plan `index` indexes (machines, then NVAs), and the addresses
/// in use, sorted.
fn addressed_elements<'a>(index: &PlanIndex<'a>) -> (Vec<Addressed<'a>>, Vec<AddressKey>) {
    let plan = index.plan;
    let mut addressed: Vec<Addressed> = crate::memory::par_filter_map(&plan.machines, |machine| {
        Some(Addressed { holder: Holder::Machine(machine), ip: machine.ip, subnet: index.subnet_of(machine)? })
    });
    addressed.extend(
        plan.networks
            .iter()
            .flat_map(|network| &network.nvas)
            .filter_map(|nva| Some(Addressed { holder: Holder::Nva(nva), ip: nva.ip, subnet: index.subnet(&nva.subnet)? })),
    );
    let addresses_in_use = addresses_in_use(index, &addressed);
    (addressed, addresses_in_use)
}

/// The addresses `addressed` hold, one key each for those whose subnet belongs to a network,
/// sorted.
fn addresses_in_use(index: &PlanIndex, addressed: &[Addressed]) -> Vec<AddressKey> {
    let mut addresses_in_use: Vec<AddressKey> = Vec::with_capacity(addressed.len());
    addresses_in_use.extend(
        addressed
            .iter()
            .enumerate()
            .filter_map(|(position, addressed)| Some(address_key(index.network_position_of(addressed.subnet)?, addressed.ip, position))),
    );
    addresses_in_use.par_sort_unstable();
    addresses_in_use
}

/// Prefixes joined for a message: "10.1.0.0/16, 10.2.0.0/16".
pub fn list_prefixes<'p>(prefixes: impl IntoIterator<Item = &'p IpNet>) -> String {
    prefixes.into_iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}
