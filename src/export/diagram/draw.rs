//! One panel of a diagram as a scene: sites, networks with their subnets, gateways and machines,
//! circuits and the connections routed between them, with the marks of a failover. The page
//! around panels (title, legend, caption) is in `page.rs`; the marks in `marks.rs`.
//!
//! Every drawn element is a group with a class saying what it is (`site`, `network`, `subnet`,
//! `machine`, `nva`, `gateway`, `circuit`, `connection`) plus its state (`primary`, `prepared`,
//! `disconnected`, `established`, `moved`, `created`, ...) and a `data-id` naming the plan
//! element, with its full name in a `<title>` (a tooltip in browsers). Styles are presentation
//! attributes, not CSS, so every SVG consumer (resvg, svg2pdf, browsers, office suites) reads
//! them alike. Every piece of plan text passes through `xml::escape`, and every label is fitted
//! to its box with [`text::fit`].

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::layout::{self, *};
use super::marks::{Marks, Pinned, number_label};
use super::route::{self, Curve, Effort, Obstacle, Obstacles};
use super::scene::{Anchor, Geometry, Group, Legibility, Node, PathShape};
use super::text::{self, Font};
use crate::edit::ElementKey;
use crate::export::palette::Paint;
use crate::model::ElementKind;
use crate::model::*;

/// Dashes of a prepared connection and of a disconnected one.
pub(super) const PREPARED_DASH: &str = "7 5";
pub(super) const DISCONNECTED_DASH: &str = "8 5";
pub(super) const PREPARED_OPACITY: f32 = 0.55;

pub(super) const MARGIN: f32 = 32.0;
pub(super) const MIN_WIDTH: f32 = 900.0;
pub(super) const TITLE_FONT: Font = Font::bold(22.0);
pub(super) const SUBTITLE_FONT: Font = Font::regular(13.0);
pub(super) const HEADING_FONT: Font = Font::bold(16.0);
pub(super) const LEGEND_FONT: Font = Font::regular(11.0);
pub(super) const LEGEND_HEADING_FONT: Font = Font::bold(12.0);
pub(super) const CAPTION_FONT: Font = Font::regular(12.0);
pub(super) const CAPTION_HEADING_FONT: Font = Font::bold(13.0);
pub(super) const BADGE_FONT: Font = Font::bold(10.0);
/// Below this zoom a canvas leaves out subnet rows' names and prefixes (the rows get too thin
/// for legible text), and below the next the names of sites, networks and circuits.
pub(super) const ROW_MIN_ZOOM: f32 = 0.45;
pub(super) const NAME_MIN_ZOOM: f32 = 0.2;
/// Below this zoom a canvas draws a machine's or an appliance's chip without its label: the
/// chip (18 units high) no longer holds text of the smallest legible size.
pub(super) const CHIP_LABEL_MIN_ZOOM: f32 = 0.7;
/// Below this zoom a subnet's row is under 3 points tall: on a canvas its outline is a line of
/// noise inside its network's box that costs a shape per subnet (about 90,000 at Fit on a plan
/// of 100,000 prefixes), so only the rows a failover moved are drawn there.
pub const SUBNET_MIN_ZOOM: f32 = 3.0 / SUBNET_LINE;

/// The zoom below which a canvas leaves an element of this kind out: machines' and appliances'
/// chips below [`ROW_MIN_ZOOM`], subnets' rows below [`SUBNET_MIN_ZOOM`] (except a row a
/// failover moved, drawn at any zoom).
fn hidden_below(kind: ElementKind) -> Option<f32> {
    match kind {
        ElementKind::Machine | ElementKind::Nva => Some(ROW_MIN_ZOOM),
        ElementKind::Subnet => Some(SUBNET_MIN_ZOOM),
        _ => None,
    }
}

/// Whether a design canvas (where no row was moved by a failover) draws an element of this kind
/// at `zoom`. What is not drawn is not pointed at either.
pub fn drawn_at(kind: ElementKind, zoom: f32) -> bool {
    hidden_below(kind).is_none_or(|least| zoom >= least)
}

/// The smallest font size used anywhere in a diagram.
pub const SMALLEST_FONT_SIZE: f32 = 9.0;
pub(super) const BADGE_RADIUS: f32 = 9.0;
pub(super) const PANEL_GAP: f32 = 72.0;
/// Above this many connections the panel is an overview: lines are drawn straight, without
/// looking for a way around boxes, and thin (a hairline at any scale up to 1), since thousands
/// of them cross the whole drawing.
pub(super) const ROUTED_CONNECTIONS_MAX: usize = 1500;
pub(super) const OVERVIEW_LINE_WIDTH: f32 = 1.0;
/// Longer dashes for overview lines: thousands of lines in short dashes take seconds to draw.
pub(super) const OVERVIEW_DASH: &str = "24 16";

fn role_class(role: SiteRole) -> &'static str {
    match role {
        SiteRole::Primary => "primary",
        SiteRole::Recovery => "recovery",
        SiteRole::Third => "third",
    }
}

/// The paint of a connection type.
pub fn link_paint(link: &Link) -> Paint {
    match link {
        Link::SiteToSiteVpn { .. } => Paint::Vpn,
        Link::VnetPeering { .. } => Paint::Peering,
        Link::ExpressRoute { .. } => Paint::ExpressRoute,
        Link::StretchedVlan { .. } => Paint::StretchedVlan,
    }
}

fn link_kind(link: &Link) -> &'static str {
    match link {
        Link::SiteToSiteVpn { .. } => "site_to_site_vpn",
        Link::VnetPeering { .. } => "vnet_peering",
        Link::ExpressRoute { .. } => "express_route",
        Link::StretchedVlan { .. } => "stretched_vlan",
    }
}

/// A numbered badge centred at (x, y); returns its width.
pub(super) fn badge(out: &mut Group, x: f32, y: f32, label: &str) -> f32 {
    let width = badge_width(label);
    let rect = Rect::new(x - width / 2.0, y - BADGE_RADIUS, width, 2.0 * BADGE_RADIUS);
    let mut group = Group::new("change-number");
    group.detail_of_size = Some(BADGE_FONT.size);
    group.grows = Some(Anchor::Middle);
    group.rect(rect, BADGE_RADIUS, Paint::BadgeFill, Paint::OnBadge, 1.5);
    group.text(x, y + 3.6, label, BADGE_FONT, Paint::OnBadge, Anchor::Middle);
    out.group(group);
    width
}

pub(super) fn badge_width(label: &str) -> f32 {
    (text::width(label, BADGE_FONT) + 10.0).max(2.0 * BADGE_RADIUS)
}

/// One panel of a diagram as a scene, in the panel's own units (its top-left is the origin).
pub struct PanelScene {
    pub width: f32,
    pub height: f32,
    /// The plan coordinates of the panel's top-left corner: a box drawn at (x, y) stands at
    /// (x + origin.0, y + origin.1) on the plan's canvas.
    pub origin: (f32, f32),
    pub nodes: Vec<Node>,
    /// Where each site, network, subnet, gateway, machine, NVA and circuit is drawn, innermost
    /// last, for pointing at them.
    pub boxes: Vec<ElementBox>,
}

/// An element's rectangle in a panel, and the box it is drawn inside.
#[derive(Clone, Debug, PartialEq)]
pub struct ElementBox {
    pub key: ElementKey,
    pub rect: Rect,
    /// The index in `boxes` of the element it moves with: the site of a network or circuit,
    /// the network of a subnet or gateway, the subnet of a machine or NVA.
    pub parent: Option<usize>,
}

/// A numbered change beside what it changed: where its middle goes, and its label.
type Badge = ((f32, f32), String);

/// The scene of one panel: the plan's sites, networks, circuits and connections, with the marks
/// of a failover when given.
pub fn panel_scene(plan: &Plan, marks: Option<&Marks>, machines: bool) -> PanelScene {
    let layout = layout::layout(plan, machines);
    let numbers = |pinned: Pinned| marks.and_then(|marks| marks.numbers.get(&pinned)).map(|numbers| number_label(numbers));
    let mut out = Group::default();
    let site_key = |site: &Site| ElementKey::new(ElementKind::Site, site.id.as_str());

    // Site regions first, so lines run over them; their outlines and names come after the
    // lines, the names with a halo, so a line that must pass a name runs under it.
    let failed = |site: &Site| marks.and_then(|marks| marks.failed_site.as_ref()) == Some(&site.id);
    for site in &layout.sites {
        let mut fill = Group::flat(site_key(site.site));
        let paint = if failed(site.site) { Paint::FailedSiteFill } else { Paint::SiteFill(site.site.role) };
        fill.rect(site.rect, 12.0, paint, Paint::None, 0.0).class = Some("site-fill");
        out.group(fill);
    }

    // Obstacles: networks, then circuits.
    let network_index: FxHashMap<&NetworkId, usize> = layout.networks.iter().enumerate().map(|(index, network)| (&network.network.id, index)).collect();
    let circuit_index: FxHashMap<&CircuitId, usize> =
        layout.circuits.iter().enumerate().map(|(index, circuit)| (&circuit.circuit.id, layout.networks.len() + index)).collect();
    // Lines also keep off the sites' names where they can.
    let headers = layout.sites.iter().map(|site| (site_header_extent(site), Obstacle::Label));
    let boxes = layout.networks.iter().map(|network| network.rect).chain(layout.circuits.iter().map(|circuit| circuit.rect));
    let obstacles = Obstacles::new(boxes.map(|rect| (rect, Obstacle::Box)).chain(headers).collect(), layout.bounds);

    for circuit in &layout.circuits {
        let Some(site) = layout.sites.iter().find(|site| site.site.id == circuit.circuit.site) else { continue };
        let start = route::exit_point(&circuit.rect, site.rect.center());
        let end = route::exit_point(&site.rect, circuit.rect.center());
        let mut link = Group::flat(ElementKey::new(ElementKind::Circuit, circuit.circuit.id.as_str()));
        link.path(PathShape {
            opacity: Some(0.7),
            unfilled: true,
            class: Some("circuit-link"),
            id: Some(circuit.circuit.id.to_string()),
            ..PathShape::stroke(Geometry::Line { from: start, to: end }, Paint::ExpressRoute, 1.5)
        });
        out.group(link);
    }

    // The connections are routed one after another (each takes the next free lane between its
    // ends) while the networks, with every subnet and machine in them, are drawn on the other
    // cores, and the boxes for pointing at elements are listed meanwhile; each part is put back
    // in order (with its badges), so the scene is the same whichever thread drew what.
    let ((connections, connection_badges), (drawn, boxes)) = rayon::join(
        || route_connections(plan, &network_index, &circuit_index, &obstacles, marks, &numbers),
        || {
            rayon::join(
                || {
                    layout
                        .networks
                        .par_iter()
                        .map(|network| {
                            let mut badges = Vec::new();
                            (network_group(network, marks, &mut badges, &numbers), badges)
                        })
                        .collect::<Vec<(Group, Vec<Badge>)>>()
                },
                || element_boxes(&layout),
            )
        },
    );
    connections.into_iter().for_each(|connection| out.group(connection));
    for site in &layout.sites {
        out.group(site_group(site, numbers(Pinned::Site(site.site.id.clone())).as_deref(), failed(site.site)));
    }
    let mut side_badges: Vec<Badge> = Vec::new();
    for (group, badges) in drawn {
        out.group(group);
        side_badges.extend(badges);
    }
    for circuit in &layout.circuits {
        out.group(circuit_group(circuit));
    }
    for ((x, y), label) in connection_badges.iter().chain(&side_badges) {
        badge(&mut out, *x, *y, label);
    }
    PanelScene { width: layout.bounds.width, height: layout.bounds.height, origin: layout.origin, nodes: out.children, boxes }
}

/// Each connection between drawn ends as a group, routed around the boxes in plan order (a
/// second connection between the same two boxes takes the next lane), and the change numbers
/// to put on them.
fn route_connections(
    plan: &Plan,
    network_index: &FxHashMap<&NetworkId, usize>,
    circuit_index: &FxHashMap<&CircuitId, usize>,
    obstacles: &Obstacles,
    marks: Option<&Marks>,
    numbers: &dyn Fn(Pinned) -> Option<String>,
) -> (Vec<Group>, Vec<Badge>) {
    let effort = if plan.connections.len() > ROUTED_CONNECTIONS_MAX { Effort::Straight } else { Effort::Avoid };
    let mut lanes: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    let (mut groups, mut badges) = (Vec::with_capacity(plan.connections.len()), Vec::new());
    for connection in &plan.connections {
        let Some(&from) = network_index.get(&connection.from) else { continue };
        let to = match &connection.link {
            Link::ExpressRoute { circuit } => circuit_index.get(circuit),
            Link::SiteToSiteVpn { to } | Link::VnetPeering { to, .. } | Link::StretchedVlan { to } => network_index.get(to),
        };
        let Some(&to) = to else { continue };
        let lane = lanes.entry((from.min(to), from.max(to))).or_insert(0);
        let Some(curve) = route::route(obstacles, from, to, *lane, effort) else { continue };
        *lane += 1;
        groups.push(connection_group(connection, Geometry::Curve(curve), marks, effort == Effort::Straight));
        if let Some(label) = numbers(Pinned::Connection(connection.id.clone())) {
            badges.push((badge_point(&curve, obstacles), label));
        }
    }
    (groups, badges)
}

/// The rectangles of everything a user can point at in a panel.
fn element_boxes(layout: &Layout) -> Vec<ElementBox> {
    let mut boxes = Vec::new();
    let mut site_of: FxHashMap<&SiteId, usize> = FxHashMap::default();
    for site in &layout.sites {
        site_of.insert(&site.site.id, boxes.len());
        boxes.push(ElementBox { key: ElementKey::new(ElementKind::Site, site.site.id.as_str()), rect: site.rect, parent: None });
    }
    for circuit in &layout.circuits {
        // A circuit is drawn apart from its site but moves with it.
        let parent = site_of.get(&circuit.circuit.site).copied();
        boxes.push(ElementBox { key: ElementKey::new(ElementKind::Circuit, circuit.circuit.id.as_str()), rect: circuit.rect, parent });
    }
    for network in &layout.networks {
        let rect = network.rect;
        let network_index = boxes.len();
        let parent = site_of.get(&network.network.site).copied();
        boxes.push(ElementBox { key: ElementKey::new(ElementKind::Network, network.network.id.as_str()), rect, parent });
        let inside = |offset: Rect| offset.translated(rect.x, rect.y);
        for subnet in &network.subnets {
            let subnet_index = boxes.len();
            boxes.push(ElementBox {
                key: ElementKey::new(ElementKind::Subnet, subnet.subnet.id.as_str()),
                rect: inside(subnet.offset),
                parent: Some(network_index),
            });
            for chip in &subnet.chips {
                let key = match chip.of {
                    ChipOf::Machine(machine) => ElementKey::new(ElementKind::Machine, machine.id.as_str()),
                    ChipOf::Nva(nva) => ElementKey::new(ElementKind::Nva, nva.id.as_str()),
                };
                boxes.push(ElementBox { key, rect: inside(chip.offset), parent: Some(subnet_index) });
            }
        }
        for row in &network.gateways {
            let key = ElementKey::new(ElementKind::Gateway, row.gateway.id.as_str());
            boxes.push(ElementBox { key, rect: inside(row.offset), parent: Some(network_index) });
        }
    }
    boxes
}

/// Where a site's name, role and details are written.
fn site_header_extent(site: &SiteBox) -> Rect {
    let name = text::width(&site.site.name, SITE_NAME_FONT) + 40.0;
    let role = text::width(role_label(site.site.role), ROLE_FONT) + 2.0 * ROLE_PILL_PAD + ROLE_PILL_GAP;
    let detail = text::width(&layout::site_detail(site.site), SITE_DETAIL_FONT);
    let width = name.max(role + detail).min(site.rect.width - 2.0 * SITE_PAD);
    Rect::new(site.rect.x + SITE_PAD, site.rect.y + 12.0, width, 46.0)
}

/// Where on a connection its number goes: the middle, or the point nearest the middle that is
/// not hidden behind a box.
fn badge_point(curve: &Curve, obstacles: &Obstacles) -> (f32, f32) {
    let covered = |point: (f32, f32)| obstacles.near_box(point, BADGE_RADIUS);
    [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9].into_iter().map(|t| curve.point(t)).find(|point| !covered(*point)).unwrap_or_else(|| curve.point(0.5))
}

fn site_group(site: &SiteBox, numbers: Option<&str>, failed: bool) -> Group {
    let role = site.site.role;
    let (fill, stroke, pill) = if failed {
        (Paint::FailedSiteFill, Paint::FailedSiteStroke, Paint::FailedSiteStroke)
    } else {
        (Paint::SiteFill(role), Paint::SiteStroke(role), Paint::SitePill(role))
    };
    let detail = layout::site_detail(site.site);
    let state = if failed { ", failed: out of service after the failover" } else { "" };
    let title = format!("{} ({} site; {detail}{state})", site.site.name, site.site.role.label());
    let class = if failed { format!("site {} failed", role_class(role)) } else { format!("site {}", role_class(role)) };
    let mut out = Group::element(class, site.site.id.as_str(), title).owned_by(ElementKey::new(ElementKind::Site, site.site.id.as_str()));
    out.rect(site.rect, 12.0, Paint::None, stroke, 1.5);
    let inner = site.rect.width - 2.0 * SITE_PAD;
    let reserved = numbers.map_or(0.0, |label| badge_width(label) + 8.0);
    let (name, _) = text::fit(&site.site.name, inner - reserved, SITE_NAME_FONT);
    let (x, top) = (site.rect.x + SITE_PAD, site.rect.y);
    out.haloed_text(x, top + 30.0, name.clone(), SITE_NAME_FONT, Paint::Ink, fill).legible =
        Legibility::Name { full: site.site.name.clone(), room: inner - reserved, reserved: 0.0, min_zoom: NAME_MIN_ZOOM };
    let role_text = if failed { "FAILED" } else { role_label(role) };
    let pill_width = text::width(role_text, ROLE_FONT) + 2.0 * ROLE_PILL_PAD;
    let mut role_pill = Group::detail(ROLE_FONT.size);
    role_pill.grows = Some(Anchor::Start);
    role_pill.rect(Rect::new(x, top + 39.0, pill_width, 16.0), 8.0, pill, pill, 1.0);
    role_pill.text(x + ROLE_PILL_PAD, top + 50.5, role_text, ROLE_FONT, Paint::OnBadge, Anchor::Start);
    out.group(role_pill);
    let (detail, _) = text::fit(&detail, inner - pill_width - ROLE_PILL_GAP, SITE_DETAIL_FONT);
    out.haloed_text(x + pill_width + ROLE_PILL_GAP, top + 51.0, detail, SITE_DETAIL_FONT, Paint::Muted, fill);
    if let Some(label) = numbers {
        let name_width = text::width(&name, SITE_NAME_FONT);
        let width = badge_width(label);
        badge(&mut out, x + name_width + 8.0 + width / 2.0, top + 25.0, label);
    }
    out
}

/// How a connection is drawn: its state, paint, width, dash and opacity (the SVG's and draw.io's).
pub(super) struct ConnectionStyle {
    pub(super) state: &'static str,
    pub(super) paint: Paint,
    pub(super) width: f32,
    pub(super) dash: Option<&'static str>,
    pub(super) opacity: f32,
}

pub(super) fn connection_style(connection: &Connection, marks: Option<&Marks>) -> ConnectionStyle {
    let disconnected = marks.is_some_and(|marks| marks.disconnected.contains(&connection.id));
    let established = marks.is_some_and(|marks| marks.established.contains(&connection.id));
    let (state, paint, width, dash, opacity) = if disconnected {
        ("disconnected", Paint::Disconnected, 2.5, Some(DISCONNECTED_DASH), 1.0)
    } else if established {
        ("established", Paint::Established, 3.5, None, 1.0)
    } else if connection.is_active() {
        ("active", link_paint(&connection.link), 2.0, None, 1.0)
    } else {
        ("prepared", link_paint(&connection.link), 2.0, Some(PREPARED_DASH), PREPARED_OPACITY)
    };
    ConnectionStyle { state, paint, width, dash, opacity }
}

/// A connection's group along `geometry` (the canvas draws a dragged one straight).
pub fn connection_group(connection: &Connection, geometry: Geometry, marks: Option<&Marks>, overview: bool) -> Group {
    let ConnectionStyle { state, paint, width, dash, opacity } = connection_style(connection, marks);
    let state_words = match state {
        "disconnected" => "disconnected by the failover",
        "established" => "established by the failover",
        "active" => "active",
        _ => "prepared: established during failover",
    };
    let title = format!("{} ({}, {state_words})", connection.name, connection.link.label());
    let mut out =
        Group::element(format!("connection {state}"), connection.id.as_str(), title).owned_by(ElementKey::new(ElementKind::Connection, connection.id.as_str()));
    out.data = Some(("data-link", link_kind(&connection.link).to_owned()));
    let (width, dash) = if overview { (OVERVIEW_LINE_WIDTH, dash.map(|_| OVERVIEW_DASH)) } else { (width, dash) };
    let line = |stroke, width, opacity| PathShape { opacity, dash, unfilled: true, ..PathShape::stroke(geometry, stroke, width) };
    if matches!(connection.link, Link::StretchedVlan { .. }) && state != "disconnected" && state != "established" && !overview {
        // A stretched VLAN is a double line: a wide stroke with a core in the background's paint.
        out.path(line(paint, 6.0, Some(opacity)));
        out.path(line(Paint::Background, 2.0, None));
    } else {
        out.path(PathShape { round_cap: true, ..line(paint, width, Some(opacity)) });
    }
    out
}

fn network_group(network: &NetworkBox, marks: Option<&Marks>, side_badges: &mut Vec<Badge>, numbers: &dyn Fn(Pinned) -> Option<String>) -> Group {
    let rect = network.rect;
    let title = std::iter::once(network.network.name.clone()).chain(network.details.iter().cloned()).collect::<Vec<_>>().join(" · ");
    let mut out = Group::element("network", network.network.id.as_str(), title).owned_by(ElementKey::new(ElementKind::Network, network.network.id.as_str()));
    // Its names are cut to fit inside, its rows are inside, and its change numbers go beside it
    // in a group of their own (`side_badges`).
    out.bounds = Some(rect);
    out.rect(rect, 6.0, Paint::NetworkFill, Paint::NetworkStroke, 1.5).class = Some("box");
    let inner = rect.width - 2.0 * NETWORK_PAD;
    let x = rect.x + NETWORK_PAD;
    let mut baseline = rect.y + NETWORK_PAD + 14.0;
    out.text(x, baseline, text::fit(&network.network.name, inner, NETWORK_NAME_FONT).0, NETWORK_NAME_FONT, Paint::Ink, Anchor::Start).legible =
        Legibility::Name { full: network.network.name.clone(), room: inner, reserved: 0.0, min_zoom: NAME_MIN_ZOOM };
    baseline += 4.0;
    for (line, detail) in network.details.iter().enumerate() {
        baseline += DETAIL_LINE;
        let shape = out.text(x, baseline, text::fit(detail, inner, DETAIL_FONT).0, DETAIL_FONT, Paint::Muted, Anchor::Start);
        if line == 0 {
            // The address space comes first on this line: cut to fit, the kind goes before it.
            shape.legible = Legibility::Name { full: detail.clone(), room: inner, reserved: 0.0, min_zoom: ROW_MIN_ZOOM };
        }
    }

    for subnet in &network.subnets {
        let offset = subnet.offset.translated(rect.x, rect.y);
        let moved = marks.is_some_and(|marks| marks.moved_subnets.contains(&subnet.subnet.id));
        let prefix = subnet.prefix.clone();
        let class = if moved { "subnet moved" } else { "subnet" };
        let mut group = Group::element(class, subnet.subnet.id.as_str(), format!("{} {prefix}", subnet.subnet.name));
        let fill = if subnet.subnet.is_gateway_subnet() { Paint::GatewaySubnetFill } else { Paint::SubnetFill };
        if moved {
            group.rect(offset, 4.0, fill, Paint::Moved, 2.5);
        } else {
            group.rect(offset, 4.0, fill, Paint::SubnetStroke, 1.0);
        }
        let prefix_width = text::width(&prefix, PREFIX_FONT);
        let name_room = offset.width - 2.0 * SUBNET_PAD - prefix_width - SUBNET_NAME_GAP;
        let name = text::fit(&subnet.subnet.name, name_room, SUBNET_NAME_FONT).0;
        group.text(offset.x + SUBNET_PAD, offset.y + 16.0, name, SUBNET_NAME_FONT, Paint::Ink, Anchor::Start).legible = Legibility::Name {
            full: subnet.subnet.name.clone(),
            room: offset.width - 2.0 * SUBNET_PAD - SUBNET_NAME_GAP,
            reserved: prefix_width,
            min_zoom: ROW_MIN_ZOOM,
        };
        group.text(offset.right() - SUBNET_PAD, offset.y + 16.0, prefix, PREFIX_FONT, Paint::Muted, Anchor::End).legible =
            Legibility::Whole { min_zoom: ROW_MIN_ZOOM };
        for chip in &subnet.chips {
            group.group(chip_group(chip, rect, marks));
        }
        if !moved {
            group.hidden_below_zoom = hidden_below(ElementKind::Subnet);
        }
        out.group(group);
        if let Some(label) = numbers(Pinned::Subnet(subnet.subnet.id.clone())) {
            side_badges.push(((rect.right(), offset.y + SUBNET_LINE / 2.0), label));
        }
    }

    for row in &network.gateways {
        let offset = row.offset.translated(rect.x, rect.y);
        let gateway = row.gateway;
        let created = marks.is_some_and(|marks| marks.created_gateways.contains(&gateway.id));
        let planned = !gateway.provisioned_before_failover;
        let class = match (created, planned) {
            (true, _) => "gateway created",
            (false, true) => "gateway planned",
            (false, false) => "gateway",
        };
        let when = if created {
            "created by the failover"
        } else if planned {
            "created during failover"
        } else {
            "provisioned"
        };
        let kind = gateway.kind.label();
        let mut group = Group::element(class, gateway.id.as_str(), format!("{} ({kind} gateway, {when})", gateway.name));
        group.detail_of_size = Some(GATEWAY_BADGE_FONT.size);
        let badge_rect = Rect::new(offset.x, offset.y + (GATEWAY_ROW - GATEWAY_BADGE_HEIGHT) / 2.0, row.badge_width, GATEWAY_BADGE_HEIGHT);
        let text_y = badge_rect.y + 10.2;
        let badge_text = if created {
            group.rect(badge_rect, 3.0, Paint::Established, Paint::Established, 1.0);
            Paint::OnBadge
        } else if planned {
            group.rect(badge_rect, 3.0, Paint::NetworkFill, Paint::GatewayFill, 1.2).dash = Some("3 2");
            Paint::GatewayFill
        } else {
            group.rect(badge_rect, 3.0, Paint::GatewayFill, Paint::GatewayFill, 1.0);
            Paint::OnBadge
        };
        group.text(badge_rect.x + GATEWAY_BADGE_PAD, text_y, row.badge, GATEWAY_BADGE_FONT, badge_text, Anchor::Start);
        let name_x = badge_rect.right() + GATEWAY_NAME_GAP;
        let name = text::fit(&gateway.name, offset.right() - name_x, GATEWAY_NAME_FONT).0;
        group.text(name_x, text_y, name, GATEWAY_NAME_FONT, Paint::Muted, Anchor::Start);
        out.group(group);
        if let Some(label) = numbers(Pinned::Gateway(gateway.id.clone())) {
            side_badges.push(((rect.right(), offset.y + GATEWAY_ROW / 2.0), label));
        }
    }
    out
}

fn chip_group(chip: &Chip, network: Rect, marks: Option<&Marks>) -> Group {
    let rect = chip.offset.translated(network.x, network.y);
    let mut out = match chip.of {
        ChipOf::Machine(machine) => {
            let moved = marks.is_some_and(|marks| marks.moved_machines.contains(&machine.id));
            let class = if moved { "machine moved" } else { "machine" };
            let mut title = format!("{} {}", machine.name, machine.ip);
            if !machine.application.is_empty() {
                title.push_str(&format!(" ({})", machine.application));
            }
            let mut out = Group::element(class, machine.id.as_str(), title);
            if moved {
                out.rect(rect, 3.0, Paint::MovedFill, Paint::Moved, 2.0);
            } else {
                out.rect(rect, 3.0, Paint::MachineFill, Paint::MachineStroke, 1.0);
            }
            out
        }
        ChipOf::Nva(nva) => {
            let mut out = Group::element("nva", nva.id.as_str(), format!("NVA {} {}", nva.name, nva.ip));
            out.rect(rect, 3.0, Paint::NvaFill, Paint::NvaStroke, 1.0);
            out
        }
    };
    // On a canvas, the label is drawn at the smallest legible size (cut to the chip's width) down
    // to the zoom where that no longer fits the chip's height; below, the chip is a box without
    // text, down to the zoom where subnet rows lose theirs.
    out.text(rect.x + CHIP_TEXT_PAD, rect.y + 12.6, chip.label.clone(), CHIP_FONT, Paint::Ink, Anchor::Start).legible =
        Legibility::Name { full: chip.label.clone(), room: rect.width - 2.0 * CHIP_TEXT_PAD, reserved: 0.0, min_zoom: CHIP_LABEL_MIN_ZOOM };
    out.hidden_below_zoom = hidden_below(ElementKind::Machine);
    out
}

fn circuit_group(circuit: &CircuitBox) -> Group {
    let detail = layout::circuit_detail(circuit.circuit);
    let title = format!("{} (ExpressRoute circuit: {detail})", circuit.circuit.name);
    let mut out = Group::element("circuit", circuit.circuit.id.as_str(), title).owned_by(ElementKey::new(ElementKind::Circuit, circuit.circuit.id.as_str()));
    let rect = circuit.rect;
    out.rect(rect, 12.0, Paint::CircuitFill, Paint::ExpressRoute, 1.5);
    let inner = rect.width - 2.0 * CIRCUIT_PAD;
    let x = rect.x + rect.width / 2.0;
    out.text(x, rect.y + 17.0, "EXPRESSROUTE CIRCUIT", CIRCUIT_KIND_FONT, Paint::ExpressRoute, Anchor::Middle);
    out.text(x, rect.y + 33.0, text::fit(&circuit.circuit.name, inner, CIRCUIT_NAME_FONT).0, CIRCUIT_NAME_FONT, Paint::Ink, Anchor::Middle).legible =
        Legibility::Name { full: circuit.circuit.name.clone(), room: inner, reserved: 0.0, min_zoom: NAME_MIN_ZOOM };
    out.text(x, rect.y + 48.0, text::fit(&detail, inner, CIRCUIT_DETAIL_FONT).0, CIRCUIT_DETAIL_FONT, Paint::Muted, Anchor::Middle);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What of `node` lies outside `bounds`, by more than a rounding error.
    fn outside(node: &Node, bounds: &Rect, found: &mut Vec<String>) {
        let inside_x = |x: f32| x >= bounds.x - 0.01 && x <= bounds.right() + 0.01;
        let inside_y = |y: f32| y >= bounds.y - 0.01 && y <= bounds.bottom() + 0.01;
        match node {
            Node::Group(group) => {
                assert!(group.translate.is_none(), "no group inside a network is moved");
                group.children.iter().for_each(|child| outside(child, bounds, found));
            }
            Node::Rect(shape) => {
                let rect = shape.rect;
                if !(inside_x(rect.x) && inside_x(rect.right()) && inside_y(rect.y) && inside_y(rect.bottom())) {
                    found.push(format!("a box {rect:?}"));
                }
            }
            Node::Text(shape) => {
                let width = text::width(&shape.content, shape.font);
                let (left, right) = match shape.anchor {
                    Anchor::Start => (shape.x, shape.x + width),
                    Anchor::Middle => (shape.x - width / 2.0, shape.x + width / 2.0),
                    Anchor::End => (shape.x - width, shape.x),
                };
                if !(inside_x(left) && inside_x(right) && inside_y(shape.y)) {
                    found.push(format!("the text {:?} from {left} to {right} at {}", shape.content, shape.y));
                }
            }
            Node::Path(shape) => {
                let points = match shape.geometry {
                    Geometry::Line { from, to } => vec![from, to],
                    Geometry::Curve(curve) => vec![curve.start, curve.control, curve.end],
                };
                if !points.iter().all(|&(x, y)| inside_x(x) && inside_y(y)) {
                    found.push(format!("a line {points:?}"));
                }
            }
        }
    }

    /// The canvas skips a group whose bounds are off screen (`Group::bounds`): every shape of a
    /// network must lie inside them, or part of it would vanish at the edge of the screen. For
    /// every sample, before and after each scenario, with and without machines.
    #[test]
    fn a_network_draws_nothing_outside_its_bounds() {
        let mut checked = 0;
        for entry in std::fs::read_dir("samples").expect("samples").flatten() {
            let plan = crate::io::load(&entry.path()).expect("sample loads");
            let outcomes: Vec<_> = plan.scenarios.iter().filter_map(|scenario| Some((scenario, crate::simulate::simulate(&plan, scenario).ok()?))).collect();
            let mut panels: Vec<(&Plan, Option<Marks>)> = vec![(&plan, None)];
            panels.extend(outcomes.iter().map(|(scenario, outcome)| (&outcome.after, Some(Marks::of_scenario(scenario, outcome)))));
            for (network, marks) in &panels {
                for machines in [false, true] {
                    let scene = panel_scene(network, marks.as_ref(), machines);
                    for node in &scene.nodes {
                        let Node::Group(group) = node else { continue };
                        let Some(bounds) = &group.bounds else { continue };
                        let mut found = Vec::new();
                        group.children.iter().for_each(|child| outside(child, bounds, &mut found));
                        assert!(found.is_empty(), "{}: network {:?} draws outside its box {bounds:?}: {found:?}", entry.path().display(), group.id);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "networks checked: {checked}");
    }
}
