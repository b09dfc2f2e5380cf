//! Where everything goes on one panel of a diagram, in canvas units.
//!
//! Boxes are sized from their contents, measured with the shipped font: a network is as wide as
//! its widest label (within limits; longer labels are shortened when drawn) and as tall as its
//! header, subnets and gateways. Sites and circuits keep the positions of the plan (canvas units;
//! a network's position is its top-left corner); a site's rectangle is the bounding box of its
//! networks plus padding and a header, since that always encloses them. Subnets stack inside
//! their network in the order of their positions, and machines and NVAs flow inside their subnet.
//!
//! Elements without a position get an automatic place: networks stack in a grid inside their
//! site; sites without any position go in columns, primary on the left and recovery on the
//! right, with circuits below them and third sites below those. Because boxes are sized from
//! their contents, hand-placed ones can overlap; overlaps are removed by moving boxes right or
//! down, whichever is the shorter way, until every box is clear of the others.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::separate::{separate, separate_from};
use super::text::{self, Font};
use crate::model::*;

pub const NETWORK_NAME_FONT: Font = Font::bold(13.0);
pub const DETAIL_FONT: Font = Font::regular(11.0);
pub const SUBNET_NAME_FONT: Font = Font::regular(12.0);
pub const PREFIX_FONT: Font = Font::regular(11.0);
pub const CHIP_FONT: Font = Font::regular(10.0);
pub const GATEWAY_BADGE_FONT: Font = Font::bold(9.0);
pub const GATEWAY_NAME_FONT: Font = Font::regular(10.0);
pub const SITE_NAME_FONT: Font = Font::bold(15.0);
pub const SITE_DETAIL_FONT: Font = Font::regular(11.0);
pub const ROLE_FONT: Font = Font::bold(10.0);
pub const CIRCUIT_KIND_FONT: Font = Font::bold(9.0);
pub const CIRCUIT_NAME_FONT: Font = Font::bold(12.0);
pub const CIRCUIT_DETAIL_FONT: Font = Font::regular(10.0);

pub const NETWORK_PAD: f32 = 10.0;
pub const NETWORK_NAME_LINE: f32 = 18.0;
pub const DETAIL_LINE: f32 = 15.0;
const NETWORK_HEADER_GAP: f32 = 6.0;
const NETWORK_MIN_WIDTH: f32 = 210.0;
const NETWORK_MAX_WIDTH: f32 = 300.0;
pub const SUBNET_LINE: f32 = 24.0;
pub const SUBNET_PAD: f32 = 8.0;
/// Space between a subnet's name and its prefix.
pub const SUBNET_NAME_GAP: f32 = 14.0;
const SUBNET_GAP: f32 = 6.0;
pub const CHIP_HEIGHT: f32 = 18.0;
pub const CHIP_TEXT_PAD: f32 = 6.0;
const CHIP_GAP: f32 = 4.0;
const CHIP_INSET: f32 = 6.0;
pub const GATEWAY_ROW: f32 = 20.0;
pub const GATEWAY_BADGE_HEIGHT: f32 = 14.0;
pub const GATEWAY_BADGE_PAD: f32 = 5.0;
pub const GATEWAY_NAME_GAP: f32 = 6.0;
const GATEWAYS_GAP: f32 = 6.0;

pub const SITE_PAD: f32 = 16.0;
pub const SITE_HEADER: f32 = 64.0;
pub const ROLE_PILL_PAD: f32 = 6.0;
pub const ROLE_PILL_GAP: f32 = 8.0;
const SITE_MIN_WIDTH: f32 = 240.0;
const SITE_HEADER_MAX_WIDTH: f32 = 560.0;
const EMPTY_SITE_HEIGHT: f32 = SITE_HEADER + 16.0;

pub const CIRCUIT_PAD: f32 = 16.0;
pub const CIRCUIT_HEIGHT: f32 = 58.0;
const CIRCUIT_MIN_WIDTH: f32 = 170.0;
const CIRCUIT_MAX_WIDTH: f32 = 280.0;

const NETWORK_GAP: f32 = 20.0;
/// Room between networks placed automatically, for the lines between them.
const AUTOMATIC_NETWORK_GAP: f32 = 48.0;
const SITE_GAP: f32 = 48.0;
/// Room between the primary and the recovery column for the connections between them.
const COLUMN_GAP: f32 = 200.0;
const CIRCUIT_GAP: f32 = 40.0;

/// An axis-aligned rectangle in canvas units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Rect {
    pub const fn new(x: f32, y: f32, width: f32, height: f32) -> Self {
        Self { x, y, width, height }
    }

    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }

    pub fn center(&self) -> (f32, f32) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    pub fn translated(&self, dx: f32, dy: f32) -> Self {
        Self { x: self.x + dx, y: self.y + dy, ..*self }
    }

    /// True when the rectangles come closer than `gap` to each other.
    pub fn overlaps(&self, other: &Self, gap: f32) -> bool {
        self.x < other.right() + gap && other.x < self.right() + gap && self.y < other.bottom() + gap && other.y < self.bottom() + gap
    }

    pub fn union(&self, other: &Self) -> Self {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Self { x, y, width: self.right().max(other.right()) - x, height: self.bottom().max(other.bottom()) - y }
    }
}

/// One panel's geometry.
pub struct Layout<'a> {
    pub sites: Vec<SiteBox<'a>>,
    pub networks: Vec<NetworkBox<'a>>,
    pub circuits: Vec<CircuitBox<'a>>,
    /// Everything drawn lies inside; its top-left corner is the origin.
    pub bounds: Rect,
    /// Where the origin is in the plan's canvas coordinates (the positions stored in the plan).
    pub origin: (f32, f32),
}

pub struct SiteBox<'a> {
    pub site: &'a Site,
    pub rect: Rect,
}

/// A network and its contents; the contents' rectangles are relative to the network's top-left.
pub struct NetworkBox<'a> {
    pub network: &'a Network,
    pub rect: Rect,
    /// Lines under the name: kind and address space, then the purpose unless it is production.
    pub details: Vec<String>,
    pub subnets: Vec<SubnetBox<'a>>,
    pub gateways: Vec<GatewayRow<'a>>,
}

pub struct SubnetBox<'a> {
    pub subnet: &'a Subnet,
    /// Its prefix as text, written once for its measure and its label.
    pub prefix: String,
    pub offset: Rect,
    pub chips: Vec<Chip<'a>>,
}

/// A machine or NVA drawn as a small labelled box inside its subnet.
pub struct Chip<'a> {
    pub of: ChipOf<'a>,
    /// Relative to the network's top-left.
    pub offset: Rect,
    pub label: String,
}

#[derive(Clone, Copy)]
pub enum ChipOf<'a> {
    Machine(&'a Machine),
    Nva(&'a Nva),
}

pub struct GatewayRow<'a> {
    pub gateway: &'a Gateway,
    /// Relative to the network's top-left.
    pub offset: Rect,
    pub badge: &'static str,
    pub badge_width: f32,
}

pub struct CircuitBox<'a> {
    pub circuit: &'a Circuit,
    pub rect: Rect,
}

/// The details under a network's name.
pub fn network_details(network: &Network) -> Vec<String> {
    let kind = match network.isolation {
        Isolation::None => network.kind.label().to_owned(),
        Isolation::Vlan => format!("{} (VLAN)", network.kind.label()),
        Isolation::Wnv => format!("{} (WNV)", network.kind.label()),
    };
    let space = network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    // The address space first: where the line is too narrow, the kind is cut, not a prefix.
    let mut details = vec![if space.is_empty() { kind } else { format!("{space} · {kind}") }];
    if network.purpose != NetworkPurpose::Production {
        details.push(network.purpose.label().to_owned());
    }
    details
}

pub fn chip_label(of: ChipOf) -> String {
    match of {
        ChipOf::Machine(machine) => format!("{} {}", machine.name, machine.ip),
        ChipOf::Nva(nva) => format!("NVA {} {}", nva.name, nva.ip),
    }
}

pub fn gateway_badge(kind: GatewayKind) -> &'static str {
    match kind {
        GatewayKind::Vpn => "VPN GW",
        GatewayKind::ExpressRoute => "ER GW",
    }
}

pub fn role_label(role: SiteRole) -> &'static str {
    match role {
        SiteRole::Primary => "PRIMARY",
        SiteRole::Recovery => "RECOVERY",
        SiteRole::Third => "THIRD SITE",
    }
}

pub fn site_detail(site: &Site) -> String {
    let mut parts = vec![site.kind.label().to_owned()];
    parts.extend(site.region.iter().cloned());
    parts.extend(site.geography.iter().cloned());
    parts.join(" · ")
}

pub fn circuit_detail(circuit: &Circuit) -> String {
    let bandwidth = if circuit.bandwidth_mbps >= 1000 && circuit.bandwidth_mbps.is_multiple_of(1000) {
        format!("{} Gbps", circuit.bandwidth_mbps / 1000)
    } else {
        format!("{} Mbps", circuit.bandwidth_mbps)
    };
    let tier = if circuit.premium { "Premium" } else { "Standard" };
    format!("{} · {bandwidth} · {tier}", circuit.peering_location)
}

/// Room kept beside a site's name for the numbers of the changes pinned to the site.
const SITE_BADGE_ROOM: f32 = 64.0;

/// Width of a site's header when nothing in it is shortened.
fn site_header_width(site: &Site) -> f32 {
    let name = text::width(&site.name, SITE_NAME_FONT) + SITE_BADGE_ROOM;
    let role = text::width(role_label(site.role), ROLE_FONT) + 2.0 * ROLE_PILL_PAD + ROLE_PILL_GAP;
    let detail = text::width(&site_detail(site), SITE_DETAIL_FONT);
    (name.max(role + detail) + 2.0 * SITE_PAD).clamp(SITE_MIN_WIDTH, SITE_HEADER_MAX_WIDTH)
}

fn circuit_width(circuit: &Circuit) -> f32 {
    let name = text::width(&circuit.name, CIRCUIT_NAME_FONT);
    let detail = text::width(&circuit_detail(circuit), CIRCUIT_DETAIL_FONT);
    (name.max(detail) + 2.0 * CIRCUIT_PAD).clamp(CIRCUIT_MIN_WIDTH, CIRCUIT_MAX_WIDTH)
}

/// What goes inside networks: subnets per network (in drawing order), machines and NVAs per
/// subnet.
struct Contents<'a> {
    subnets: FxHashMap<&'a NetworkId, Vec<&'a Subnet>>,
    chips: FxHashMap<&'a SubnetId, Vec<ChipOf<'a>>>,
}

impl<'a> Contents<'a> {
    fn new(plan: &'a Plan, machines: bool) -> Self {
        let mut subnets: FxHashMap<&NetworkId, Vec<&Subnet>> = FxHashMap::default();
        for subnet in &plan.subnets {
            subnets.entry(&subnet.network).or_default().push(subnet);
        }
        for list in subnets.values_mut() {
            // Top to bottom by position; unplaced subnets after the placed ones, in plan order.
            list.sort_by(|a, b| {
                let key = |subnet: &Subnet| subnet.position.map_or(f32::INFINITY, |point| point.y);
                key(a).total_cmp(&key(b))
            });
        }
        let mut chips: FxHashMap<&SubnetId, Vec<ChipOf>> = FxHashMap::default();
        for network in &plan.networks {
            for nva in &network.nvas {
                chips.entry(&nva.subnet).or_default().push(ChipOf::Nva(nva));
            }
        }
        if machines {
            for machine in &plan.machines {
                chips.entry(&machine.subnet).or_default().push(ChipOf::Machine(machine));
            }
        }
        Self { subnets, chips }
    }
}

/// A network box at the origin, sized from its contents.
fn network_box<'a>(network: &'a Network, contents: &Contents<'a>) -> NetworkBox<'a> {
    let details = network_details(network);
    let subnets: &[&Subnet] = contents.subnets.get(&network.id).map_or(&[], Vec::as_slice);
    let chips_of = |subnet: &Subnet| contents.chips.get(&subnet.id).map_or(&[][..], Vec::as_slice);

    let mut natural = text::width(&network.name, NETWORK_NAME_FONT);
    for detail in &details {
        natural = natural.max(text::width(detail, DETAIL_FONT));
    }
    let mut prefixes = Vec::with_capacity(subnets.len());
    for subnet in subnets {
        let prefix = subnet.prefix.to_string();
        let line = text::width(&subnet.name, SUBNET_NAME_FONT) + SUBNET_NAME_GAP + text::width(&prefix, PREFIX_FONT);
        prefixes.push(prefix);
        natural = natural.max(line + 2.0 * SUBNET_PAD);
        for chip in chips_of(subnet) {
            natural = natural.max(text::width(&chip_label(*chip), CHIP_FONT) + 2.0 * (CHIP_TEXT_PAD + CHIP_INSET));
        }
    }
    for gateway in &network.gateways {
        let badge = text::width(gateway_badge(gateway.kind), GATEWAY_BADGE_FONT) + 2.0 * GATEWAY_BADGE_PAD;
        natural = natural.max(badge + GATEWAY_NAME_GAP + text::width(&gateway.name, GATEWAY_NAME_FONT));
    }
    let width = (natural + 2.0 * NETWORK_PAD).clamp(NETWORK_MIN_WIDTH, NETWORK_MAX_WIDTH);
    let inner_width = width - 2.0 * NETWORK_PAD;

    let mut cursor = NETWORK_PAD + NETWORK_NAME_LINE + DETAIL_LINE * details.len() as f32 + NETWORK_HEADER_GAP;
    let mut subnet_boxes = Vec::with_capacity(subnets.len());
    for (subnet, prefix) in subnets.iter().zip(prefixes) {
        let top = cursor;
        let mut chips = Vec::new();
        let chip_left = NETWORK_PAD + CHIP_INSET;
        let chip_right = NETWORK_PAD + inner_width - CHIP_INSET;
        let (mut x, mut y) = (chip_left, top + SUBNET_LINE);
        for of in chips_of(subnet) {
            let max_label = chip_right - chip_left - 2.0 * CHIP_TEXT_PAD;
            let label = text::fit(&chip_label(*of), max_label, CHIP_FONT).0;
            let chip_width = text::width(&label, CHIP_FONT) + 2.0 * CHIP_TEXT_PAD;
            if x > chip_left && x + chip_width > chip_right {
                x = chip_left;
                y += CHIP_HEIGHT + CHIP_GAP;
            }
            chips.push(Chip { of: *of, offset: Rect::new(x, y, chip_width, CHIP_HEIGHT), label });
            x += chip_width + CHIP_GAP;
        }
        let height = match chips.last() {
            Some(last) => last.offset.bottom() + CHIP_INSET - top,
            None => SUBNET_LINE,
        };
        subnet_boxes.push(SubnetBox { subnet, prefix, offset: Rect::new(NETWORK_PAD, top, inner_width, height), chips });
        cursor = top + height + SUBNET_GAP;
    }
    if !subnets.is_empty() {
        cursor -= SUBNET_GAP;
    }
    let mut gateways = Vec::with_capacity(network.gateways.len());
    if !network.gateways.is_empty() {
        cursor += GATEWAYS_GAP;
    }
    for gateway in &network.gateways {
        let badge = gateway_badge(gateway.kind);
        let badge_width = text::width(badge, GATEWAY_BADGE_FONT) + 2.0 * GATEWAY_BADGE_PAD;
        gateways.push(GatewayRow { gateway, offset: Rect::new(NETWORK_PAD, cursor, inner_width, GATEWAY_ROW), badge, badge_width });
        cursor += GATEWAY_ROW;
    }
    if subnets.is_empty() && network.gateways.is_empty() {
        cursor -= NETWORK_HEADER_GAP;
    }
    let height = cursor + NETWORK_PAD;
    NetworkBox { network, rect: Rect::new(0.0, 0.0, width, height), details, subnets: subnet_boxes, gateways }
}

/// Puts boxes of the given sizes in a square-ish grid, row by row, starting at `origin`; returns
/// their top-left corners. (A single column would hide the lines from the first box to the third
/// behind the second.)
fn grid(sizes: &[(f32, f32)], origin: (f32, f32), gap: f32) -> Vec<(f32, f32)> {
    let columns = ((sizes.len() as f32).sqrt().ceil() as usize).max(1);
    let mut column_widths = vec![0.0f32; columns];
    for (index, (width, _)) in sizes.iter().enumerate() {
        let column = index % columns;
        column_widths[column] = column_widths[column].max(*width);
    }
    let mut corners = Vec::with_capacity(sizes.len());
    let mut row_top = origin.1;
    for row in sizes.chunks(columns) {
        let mut x = origin.0;
        for (column, _) in row.iter().enumerate() {
            corners.push((x, row_top));
            x += column_widths[column] + gap;
        }
        row_top += row.iter().map(|(_, height)| *height).fold(0.0, f32::max) + gap;
    }
    corners
}

/// Lays out one plan.
pub fn layout(plan: &Plan, machines: bool) -> Layout<'_> {
    let contents = Contents::new(plan, machines);
    let site_index: FxHashMap<&SiteId, usize> = plan.sites.iter().enumerate().map(|(index, site)| (&site.id, index)).collect();
    let mut networks: Vec<NetworkBox> = Vec::with_capacity(plan.networks.len());
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); plan.sites.len()];
    // Each network's box is sized from its contents on every core (at 100k prefixes, 20,000
    // networks and every subnet's name and prefix measured), then placed in plan order.
    // A network of a site that is not in the plan has nowhere to go; loaded plans have none.
    let sized: Vec<Option<(usize, NetworkBox)>> =
        plan.networks.par_iter().map(|network| site_index.get(&network.site).map(|&site| (site, network_box(network, &contents)))).collect();
    for (site, network_box) in sized.into_iter().flatten() {
        members[site].push(networks.len());
        networks.push(network_box);
    }

    // Networks inside each site; `automatic` marks sites with no position of their own or of
    // any of their networks, laid out locally now and placed as a whole later.
    let mut automatic = vec![false; plan.sites.len()];
    for (site_number, site) in plan.sites.iter().enumerate() {
        let list = &members[site_number];
        let mut placed_bounds: Option<Rect> = None;
        let mut unplaced = Vec::new();
        for &index in list {
            match networks[index].network.position {
                Some(point) => {
                    let rect = &mut networks[index].rect;
                    rect.x = point.x;
                    rect.y = point.y;
                    placed_bounds = Some(placed_bounds.map_or(*rect, |bounds| bounds.union(rect)));
                }
                None => unplaced.push(index),
            }
        }
        let origin = match (placed_bounds, site.position) {
            (Some(bounds), _) => (bounds.x, bounds.bottom() + NETWORK_GAP),
            (None, Some(point)) => (point.x + SITE_PAD, point.y + SITE_HEADER),
            (None, None) => {
                automatic[site_number] = true;
                (SITE_PAD, SITE_HEADER)
            }
        };
        let sizes: Vec<(f32, f32)> = unplaced.iter().map(|&index| (networks[index].rect.width, networks[index].rect.height)).collect();
        for (&index, corner) in unplaced.iter().zip(grid(&sizes, origin, AUTOMATIC_NETWORK_GAP)) {
            networks[index].rect.x = corner.0;
            networks[index].rect.y = corner.1;
        }
        let mut rects: Vec<Rect> = list.iter().map(|&index| networks[index].rect).collect();
        separate(&mut rects, NETWORK_GAP);
        for (&index, rect) in list.iter().zip(rects) {
            networks[index].rect = rect;
        }
    }

    let mut sites: Vec<SiteBox> = plan
        .sites
        .iter()
        .enumerate()
        .map(|(site_number, site)| {
            let header_width = site_header_width(site);
            let bounds = members[site_number].iter().map(|&index| networks[index].rect).reduce(|a, b| a.union(&b));
            let rect = match bounds {
                Some(bounds) => Rect::new(
                    bounds.x - SITE_PAD,
                    bounds.y - SITE_HEADER,
                    (bounds.width + 2.0 * SITE_PAD).max(header_width),
                    bounds.height + SITE_HEADER + SITE_PAD,
                ),
                None => {
                    let point = site.position.unwrap_or(Point::new(0.0, 0.0));
                    Rect::new(point.x, point.y, header_width, EMPTY_SITE_HEIGHT)
                }
            };
            SiteBox { site, rect }
        })
        .collect();

    let mut circuits: Vec<CircuitBox> = plan
        .circuits
        .iter()
        .map(|circuit| {
            let point = circuit.position.unwrap_or(Point::new(0.0, 0.0));
            CircuitBox { circuit, rect: Rect::new(point.x, point.y, circuit_width(circuit), CIRCUIT_HEIGHT) }
        })
        .collect();
    let unplaced_circuits: Vec<usize> = (0..circuits.len()).filter(|&index| circuits[index].circuit.position.is_none()).collect();

    place_automatic_sites(&mut sites, &mut networks, &members, &automatic, &mut circuits, &unplaced_circuits);

    // Sites grown from their contents may now overlap: move whole sites apart.
    let mut rects: Vec<Rect> = sites.iter().map(|site| site.rect).collect();
    separate(&mut rects, SITE_GAP);
    for (site_number, rect) in rects.into_iter().enumerate() {
        let (dx, dy) = (rect.x - sites[site_number].rect.x, rect.y - sites[site_number].rect.y);
        if dx != 0.0 || dy != 0.0 {
            move_site(&mut sites[site_number], &mut networks, &members[site_number], dx, dy);
        }
    }
    // Circuits keep clear of sites and of each other.
    let fixed: Vec<Rect> = sites.iter().map(|site| site.rect).collect();
    let mut rects: Vec<Rect> = circuits.iter().map(|circuit| circuit.rect).collect();
    separate_from(&fixed, &mut rects, CIRCUIT_GAP);
    for (circuit, rect) in circuits.iter_mut().zip(rects) {
        circuit.rect = rect;
    }

    let bounds = sites.iter().map(|site| site.rect).chain(circuits.iter().map(|circuit| circuit.rect)).reduce(|a, b| a.union(&b));
    let bounds = bounds.unwrap_or(Rect::new(0.0, 0.0, 0.0, 0.0));
    let (dx, dy) = (-bounds.x, -bounds.y);
    for site in &mut sites {
        site.rect = site.rect.translated(dx, dy);
    }
    for network in &mut networks {
        network.rect = network.rect.translated(dx, dy);
    }
    for circuit in &mut circuits {
        circuit.rect = circuit.rect.translated(dx, dy);
    }
    Layout { sites, networks, circuits, bounds: Rect::new(0.0, 0.0, bounds.width, bounds.height), origin: (bounds.x, bounds.y) }
}

fn move_site(site: &mut SiteBox, networks: &mut [NetworkBox], members: &[usize], dx: f32, dy: f32) {
    site.rect = site.rect.translated(dx, dy);
    for &index in members {
        networks[index].rect = networks[index].rect.translated(dx, dy);
    }
}

/// Places sites that have no position anywhere: primary sites in a column on the left, recovery
/// sites in a column on the right, circuits without a position in a row below, and third sites in
/// a row below that; all of it below whatever was placed by hand.
fn place_automatic_sites(
    sites: &mut [SiteBox],
    networks: &mut [NetworkBox],
    members: &[Vec<usize>],
    automatic: &[bool],
    circuits: &mut [CircuitBox],
    unplaced_circuits: &[usize],
) {
    let placed_bounds = sites.iter().zip(automatic).filter(|(_, automatic)| !**automatic).map(|(site, _)| site.rect).reduce(|a, b| a.union(&b));
    let placed_bounds = circuits
        .iter()
        .filter(|circuit| circuit.circuit.position.is_some())
        .map(|circuit| circuit.rect)
        .fold(placed_bounds, |bounds, rect| Some(bounds.map_or(rect, |bounds| bounds.union(&rect))));
    let (left, top) = placed_bounds.map_or((0.0, 0.0), |bounds| (bounds.x, bounds.bottom() + SITE_GAP));

    let roles: Vec<SiteRole> = sites.iter().map(|site| site.site.role).collect();
    let of_role = |role: SiteRole| -> Vec<usize> { (0..roles.len()).filter(|&number| automatic[number] && roles[number] == role).collect() };
    let mut bottom = top;
    let mut column_left = left;
    for role in [SiteRole::Primary, SiteRole::Recovery] {
        let mut y = top;
        let mut column_width: f32 = 0.0;
        for number in of_role(role) {
            let (dx, dy) = (column_left - sites[number].rect.x, y - sites[number].rect.y);
            move_site(&mut sites[number], networks, &members[number], dx, dy);
            y = sites[number].rect.bottom() + SITE_GAP;
            column_width = column_width.max(sites[number].rect.width);
        }
        bottom = bottom.max(y);
        if column_width > 0.0 {
            column_left += column_width + COLUMN_GAP;
        }
    }
    if !unplaced_circuits.is_empty() {
        let mut x = left + COLUMN_GAP / 2.0;
        for &index in unplaced_circuits {
            circuits[index].rect.x = x;
            circuits[index].rect.y = bottom;
            x += circuits[index].rect.width + CIRCUIT_GAP;
        }
        bottom += CIRCUIT_HEIGHT + SITE_GAP;
    }
    let mut x = left;
    for number in of_role(SiteRole::Third) {
        let (dx, dy) = (x - sites[number].rect.x, bottom - sites[number].rect.y);
        move_site(&mut sites[number], networks, &members[number], dx, dy);
        x = sites[number].rect.right() + SITE_GAP;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_keeps_boxes_apart() {
        let sizes = vec![(100.0, 50.0); 9];
        let corners = grid(&sizes, (0.0, 0.0), 10.0);
        let rects: Vec<Rect> = corners.iter().map(|(x, y)| Rect::new(*x, *y, 100.0, 50.0)).collect();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.overlaps(b, 9.9));
            }
        }
    }
}
