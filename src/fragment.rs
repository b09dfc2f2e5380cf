//! Copy and paste of parts of a plan. A fragment is a plan holding the copied elements and what
//! is drawn inside them (a site's networks and circuits, a network's subnets, gateways, NVAs and
//! machines, a subnet's machines) and the connections among them; it travels through the
//! system clipboard as plan JSON. Pasting gives every element a fresh id, keeps references to
//! elements of the plan it is pasted into, and leaves conflicts of addresses to the validator.

use std::collections::HashSet;

use rustc_hash::FxHashMap;

use crate::edit::{Edit, Element, ElementKey, fresh_id, id_in_use};
use crate::model::ElementKind;
use crate::model::*;

/// The copied elements of `plan` and everything inside them, as a plan of their own.
pub fn copy(plan: &Plan, keys: &[ElementKey]) -> Plan {
    let wanted = |kind: ElementKind, id: &str| keys.iter().any(|key| key.kind == kind && key.id == id);
    let sites: Vec<Site> = plan.sites.iter().filter(|site| wanted(ElementKind::Site, site.id.as_str())).cloned().collect();
    let site_ids: HashSet<&SiteId> = sites.iter().map(|site| &site.id).collect();
    let networks: Vec<Network> =
        plan.networks.iter().filter(|network| site_ids.contains(&network.site) || wanted(ElementKind::Network, network.id.as_str())).cloned().collect();
    let network_ids: HashSet<&NetworkId> = networks.iter().map(|network| &network.id).collect();
    let subnets: Vec<Subnet> =
        plan.subnets.iter().filter(|subnet| network_ids.contains(&subnet.network) || wanted(ElementKind::Subnet, subnet.id.as_str())).cloned().collect();
    let subnet_ids: HashSet<&SubnetId> = subnets.iter().map(|subnet| &subnet.id).collect();
    let machines: Vec<Machine> =
        plan.machines.iter().filter(|machine| subnet_ids.contains(&machine.subnet) || wanted(ElementKind::Machine, machine.id.as_str())).cloned().collect();
    let circuits: Vec<Circuit> =
        plan.circuits.iter().filter(|circuit| site_ids.contains(&circuit.site) || wanted(ElementKind::Circuit, circuit.id.as_str())).cloned().collect();
    let circuit_ids: HashSet<&CircuitId> = circuits.iter().map(|circuit| &circuit.id).collect();
    let connections: Vec<Connection> = plan
        .connections
        .iter()
        .filter(|connection| {
            network_ids.contains(&connection.from)
                && match &connection.link {
                    Link::ExpressRoute { circuit } => circuit_ids.contains(circuit),
                    Link::SiteToSiteVpn { to } | Link::VnetPeering { to, .. } | Link::StretchedVlan { to } => network_ids.contains(to),
                }
        })
        .cloned()
        .collect();
    Plan {
        group_actions: Vec::new(),
        version: FORMAT_VERSION,
        name: format!("Copied from {}", plan.name),
        description: String::new(),
        sites,
        networks,
        subnets,
        machines,
        circuits,
        connections,
        network_mappings: Vec::new(),
        scenarios: Vec::new(),
    }
}

/// A fragment from the clipboard's text, or None when the text is not one.
pub fn from_clipboard(text: &str) -> Option<Plan> {
    serde_json::from_str::<Plan>(text).ok().filter(|fragment| {
        !(fragment.sites.is_empty()
            && fragment.networks.is_empty()
            && fragment.subnets.is_empty()
            && fragment.machines.is_empty()
            && fragment.circuits.is_empty())
    })
}

pub fn to_clipboard(fragment: &Plan) -> String {
    serde_json::to_string_pretty(fragment).unwrap_or_default()
}

/// Fresh ids for a paste: the next free id of each prefix, taking earlier ones of this paste
/// into account.
struct Renamer<'a> {
    plan: &'a Plan,
    taken: HashSet<String>,
    new_ids: FxHashMap<String, String>,
}

impl Renamer<'_> {
    fn fresh(&mut self, old: &str) -> String {
        if let Some(id) = self.new_ids.get(old) {
            return id.clone();
        }
        let stem = old.rsplit_once('-').filter(|(_, tail)| tail.chars().all(|c| c.is_ascii_digit())).map_or(old, |(stem, _)| stem);
        let first = fresh_id(self.plan, stem);
        let id = if self.taken.contains(&first) {
            (1..).map(|number| format!("{stem}-{number}")).find(|id| !id_in_use(self.plan, id) && !self.taken.contains(id)).unwrap_or(first)
        } else {
            first
        };
        self.taken.insert(id.clone());
        self.new_ids.insert(old.to_owned(), id.clone());
        id
    }

    /// The new id of a copied element, or the id itself when it refers to the plan.
    fn mapped(&self, old: &str) -> Option<String> {
        self.new_ids.get(old).cloned()
    }
}

/// The edit that pastes `fragment` into `plan`, moved by `offset` canvas units, and the keys of
/// the pasted top-level elements (to select them). Networks whose site is not in the fragment
/// go into `site` (the selected one) when their own site is not in the plan either.
pub fn paste(plan: &Plan, fragment: &Plan, offset: Point, site: Option<&SiteId>) -> Result<(Edit, Vec<ElementKey>), String> {
    let mut renamer = Renamer { plan, taken: HashSet::new(), new_ids: FxHashMap::default() };
    let shift = |position: Option<Point>| position.map(|point| Point::new(point.x + offset.x, point.y + offset.y));
    let mut edits = Vec::new();
    let mut pasted = Vec::new();
    for element in &fragment.sites {
        let mut site = element.clone();
        site.id = SiteId::new(renamer.fresh(element.id.as_str()));
        site.position = shift(site.position);
        pasted.push(ElementKey::new(ElementKind::Site, site.id.as_str()));
        edits.push(Edit::Add(Element::Site(site)));
    }
    let site_for = |renamer: &Renamer, old: &SiteId| -> Result<SiteId, String> {
        match renamer.mapped(old.as_str()) {
            Some(id) => Ok(SiteId::new(id)),
            None if plan.site(old).is_some() && site.is_none() => Ok(old.clone()),
            None => site.cloned().or_else(|| plan.site(old).map(|found| found.id.clone())).ok_or_else(|| "Select a site to paste networks into".to_owned()),
        }
    };
    let pasted_sites = pasted.len();
    for element in &fragment.networks {
        let mut network = element.clone();
        network.id = NetworkId::new(renamer.fresh(element.id.as_str()));
        network.site = site_for(&renamer, &element.site)?;
        network.position = shift(network.position);
        for gateway in &mut network.gateways {
            gateway.id = GatewayId::new(renamer.fresh(gateway.id.as_str()));
        }
        for nva in &mut network.nvas {
            nva.id = NvaId::new(renamer.fresh(nva.id.as_str()));
        }
        for table in &mut network.route_tables {
            table.id = RouteTableId::new(renamer.fresh(table.id.as_str()));
        }
        if pasted_sites == 0 {
            pasted.push(ElementKey::new(ElementKind::Network, network.id.as_str()));
        }
        edits.push(Edit::Add(Element::Network(network)));
    }
    for element in &fragment.subnets {
        let network = match renamer.mapped(element.network.as_str()) {
            Some(id) => NetworkId::new(id),
            None if plan.network(&element.network).is_some() => element.network.clone(),
            None => return Err(format!("the network of subnet \"{}\" is not in the plan", element.name)),
        };
        let mut subnet = element.clone();
        subnet.id = SubnetId::new(renamer.fresh(element.id.as_str()));
        subnet.network = network;
        subnet.position = shift(subnet.position);
        if fragment.networks.is_empty() {
            pasted.push(ElementKey::new(ElementKind::Subnet, subnet.id.as_str()));
        }
        edits.push(Edit::Add(Element::Subnet(subnet)));
    }
    for element in &fragment.machines {
        let subnet = match renamer.mapped(element.subnet.as_str()) {
            Some(id) => SubnetId::new(id),
            None if plan.subnet(&element.subnet).is_some() => element.subnet.clone(),
            None => return Err(format!("the subnet of machine \"{}\" is not in the plan", element.name)),
        };
        let mut machine = element.clone();
        machine.id = MachineId::new(renamer.fresh(element.id.as_str()));
        machine.subnet = subnet;
        machine.position = shift(machine.position);
        if let Some(target) = &mut machine.target {
            match renamer.mapped(target.subnet.as_str()) {
                Some(id) => target.subnet = SubnetId::new(id),
                None if plan.subnet(&target.subnet).is_some() => {}
                None => machine.target = None,
            }
        }
        if fragment.networks.is_empty() && fragment.subnets.is_empty() {
            pasted.push(ElementKey::new(ElementKind::Machine, machine.id.as_str()));
        }
        edits.push(Edit::Add(Element::Machine(machine)));
    }
    // Subnets named by the copied networks' appliances and route tables follow their subnets.
    for edit in &mut edits {
        if let Edit::Add(Element::Network(network)) = edit {
            for nva in &mut network.nvas {
                if let Some(id) = renamer.mapped(nva.subnet.as_str()) {
                    nva.subnet = SubnetId::new(id);
                }
            }
            for table in &mut network.route_tables {
                for subnet in &mut table.subnets {
                    if let Some(id) = renamer.mapped(subnet.as_str()) {
                        *subnet = SubnetId::new(id);
                    }
                }
            }
        }
    }
    for element in &fragment.circuits {
        let mut circuit = element.clone();
        circuit.id = CircuitId::new(renamer.fresh(element.id.as_str()));
        circuit.site = site_for(&renamer, &element.site)?;
        circuit.position = shift(circuit.position);
        if pasted_sites == 0 {
            pasted.push(ElementKey::new(ElementKind::Circuit, circuit.id.as_str()));
        }
        edits.push(Edit::Add(Element::Circuit(circuit)));
    }
    for element in &fragment.connections {
        let mut connection = element.clone();
        let Some(from) = renamer.mapped(element.from.as_str()) else { continue };
        connection.from = NetworkId::new(from);
        match &mut connection.link {
            Link::ExpressRoute { circuit } => match renamer.mapped(circuit.as_str()) {
                Some(id) => *circuit = CircuitId::new(id),
                None => continue,
            },
            Link::SiteToSiteVpn { to } | Link::VnetPeering { to, .. } | Link::StretchedVlan { to } => match renamer.mapped(to.as_str()) {
                Some(id) => *to = NetworkId::new(id),
                None => continue,
            },
        }
        connection.id = ConnectionId::new(renamer.fresh(element.id.as_str()));
        edits.push(Edit::Add(Element::Connection(connection)));
    }
    if edits.is_empty() {
        return Err("There is nothing to paste".to_owned());
    }
    Ok((Edit::Batch(edits), pasted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Plan {
        crate::io::load(std::path::Path::new(&format!("samples/{name}"))).expect("sample loads")
    }

    #[test]
    fn a_pasted_network_gets_fresh_ids_for_it_and_everything_inside_and_the_plan_stays_loadable() {
        let mut plan = sample("expressroute-hub-spoke.drplan.json");
        let hub = ElementKey::new(ElementKind::Network, "net-source-hub");
        let fragment = from_clipboard(&to_clipboard(&copy(&plan, std::slice::from_ref(&hub)))).expect("a fragment");
        assert_eq!(fragment.networks.len(), 1);
        assert!(!fragment.subnets.is_empty());
        let (edit, pasted) = paste(&plan, &fragment, Point::new(30.0, 30.0), None).expect("pastes");
        let before = plan.clone();
        crate::edit::apply(&mut plan, edit).expect("applies");
        assert_eq!(pasted.len(), 1);
        assert_ne!(pasted[0], hub);
        assert_eq!(plan.networks.len(), before.networks.len() + 1);
        assert_eq!(plan.subnets.len(), before.subnets.len() + fragment.subnets.len());
        let copy = plan.network(&NetworkId::new(&pasted[0].id)).expect("the copy");
        assert!(copy.gateways.iter().all(|gateway| before.networks.iter().all(|network| network.gateways.iter().all(|g| g.id != gateway.id))));
        let text = crate::io::to_canonical_json(&plan);
        crate::io::parse_str(&text, std::path::Path::new("pasted.json")).expect("the plan with the paste reopens");
    }

    #[test]
    fn a_pasted_site_brings_its_networks_and_the_connections_among_them() {
        let mut plan = sample("hybrid-full-region.drplan.json");
        let site = plan.sites[0].id.clone();
        let fragment = copy(&plan, &[ElementKey::new(ElementKind::Site, site.as_str())]);
        assert_eq!(fragment.networks.len(), plan.networks_of(&site).count());
        let (edit, pasted) = paste(&plan, &fragment, Point::new(0.0, 400.0), None).expect("pastes");
        let count = plan.connections.len();
        crate::edit::apply(&mut plan, edit).expect("applies");
        assert_eq!(pasted, vec![ElementKey::new(ElementKind::Site, plan.sites.last().expect("a site").id.as_str())]);
        assert_eq!(plan.connections.len(), count + fragment.connections.len());
        assert!(from_clipboard("not json").is_none());
        assert!(from_clipboard("{\"version\":2,\"name\":\"x\"}").is_none(), "an empty plan is not a fragment");
    }
}
