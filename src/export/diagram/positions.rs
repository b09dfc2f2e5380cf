//! Positions for a plan drawn by no one (an import, an inventory): every element without a
//! position gets the one the diagram layout gives it, and keeps it from then on.

use super::layout::{ChipOf, Rect, layout};
use crate::model::ElementKind;
use crate::model::*;

/// Gives every site, network, circuit, subnet and machine without a position the one the
/// diagram layout gives it (primary left, recovery right, circuits and third sites below), so an
/// imported plan opens readable on the canvas and stays where it was drawn.
pub fn store_positions(plan: &mut Plan) {
    let mut placed: Vec<(ElementKind, String, Point)> = Vec::new();
    {
        let layout = layout(plan, true);
        let at = |rect: &Rect| Point::new(rect.x + layout.origin.0, rect.y + layout.origin.1);
        placed.extend(layout.sites.iter().map(|site| (ElementKind::Site, site.site.id.to_string(), at(&site.rect))));
        placed.extend(layout.circuits.iter().map(|circuit| (ElementKind::Circuit, circuit.circuit.id.to_string(), at(&circuit.rect))));
        for network in &layout.networks {
            placed.push((ElementKind::Network, network.network.id.to_string(), at(&network.rect)));
            let inside = |offset: &Rect| at(&offset.translated(network.rect.x, network.rect.y));
            for subnet in &network.subnets {
                placed.push((ElementKind::Subnet, subnet.subnet.id.to_string(), inside(&subnet.offset)));
                for chip in &subnet.chips {
                    if let ChipOf::Machine(machine) = chip.of {
                        placed.push((ElementKind::Machine, machine.id.to_string(), inside(&chip.offset)));
                    }
                }
            }
        }
    }
    let placed: rustc_hash::FxHashMap<(ElementKind, String), Point> = placed.into_iter().map(|(kind, id, point)| ((kind, id), point)).collect();
    let position = |kind: ElementKind, id: &str| placed.get(&(kind, id.to_owned())).copied();
    for site in plan.sites.iter_mut().filter(|site| site.position.is_none()) {
        site.position = position(ElementKind::Site, site.id.as_str());
    }
    for network in plan.networks.iter_mut().filter(|network| network.position.is_none()) {
        network.position = position(ElementKind::Network, network.id.as_str());
    }
    for circuit in plan.circuits.iter_mut().filter(|circuit| circuit.position.is_none()) {
        circuit.position = position(ElementKind::Circuit, circuit.id.as_str());
    }
    for subnet in plan.subnets.iter_mut().filter(|subnet| subnet.position.is_none()) {
        subnet.position = position(ElementKind::Subnet, subnet.id.as_str());
    }
    for machine in plan.machines.iter_mut().filter(|machine| machine.position.is_none()) {
        machine.position = position(ElementKind::Machine, machine.id.as_str());
    }
}
