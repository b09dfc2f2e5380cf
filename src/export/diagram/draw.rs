//! The SVG document, written as text: a title block, one panel per topology (before, after, or
//! both side by side), a legend and, after a failover, a numbered caption of the changes.
//!
//! Every drawn element is a group with a class saying what it is (`site`, `network`, `subnet`,
//! `machine`, `nva`, `gateway`, `circuit`, `connection`) plus its state (`primary`, `prepared`,
//! `disconnected`, `established`, `moved`, `created`, ...) and a `data-id` naming the plan
//! element, with its full name in a `<title>` (a tooltip in browsers). Styles are presentation
//! attributes, not CSS, so every SVG consumer (resvg, svg2pdf, browsers, office suites) reads
//! them alike. Every piece of plan text passes through [`xml::escape`], and every label is fitted
//! to its box with [`text::fit`].

use std::fmt::Write;

use rustc_hash::{FxHashMap, FxHashSet};

use super::layout::{self, *};
use super::route::{self, Curve, Effort, Obstacle, Obstacles};
use super::text::{self, Font, Weight};
use super::xml::escape;
use crate::model::*;
use crate::simulate::{Difference, Outcome};

const INK: &str = "#263238";
const MUTED: &str = "#546e7a";
const NETWORK_FILL: &str = "#ffffff";
const NETWORK_STROKE: &str = "#78909c";
const SUBNET_FILL: &str = "#f3f6f8";
const GATEWAY_SUBNET_FILL: &str = "#e6ebee";
const SUBNET_STROKE: &str = "#b0bec5";
const CHIP_STROKE: &str = "#90a4ae";
const NVA_FILL: &str = "#fbe9f0";
const NVA_STROKE: &str = "#ad1457";
const GATEWAY_FILL: &str = "#455a64";
const CIRCUIT_FILL: &str = "#e0f2f1";
const BADGE_FILL: &str = "#37474f";

const VPN_COLOR: &str = "#1e63c4";
const PEERING_COLOR: &str = "#8e44ad";
const EXPRESS_ROUTE_COLOR: &str = "#00897b";
const STRETCHED_VLAN_COLOR: &str = "#795548";
const DISCONNECTED_COLOR: &str = "#d32f2f";
const ESTABLISHED_COLOR: &str = "#2e9e44";
const MOVED_COLOR: &str = "#f57c00";

/// Dashes of a prepared connection and of a disconnected one.
const PREPARED_DASH: &str = "7 5";
const DISCONNECTED_DASH: &str = "8 5";
const PREPARED_OPACITY: f32 = 0.55;

const MARGIN: f32 = 32.0;
const MIN_WIDTH: f32 = 900.0;
const TITLE_FONT: Font = Font::bold(22.0);
const SUBTITLE_FONT: Font = Font::regular(13.0);
const HEADING_FONT: Font = Font::bold(16.0);
const LEGEND_FONT: Font = Font::regular(11.0);
const LEGEND_HEADING_FONT: Font = Font::bold(12.0);
const CAPTION_FONT: Font = Font::regular(12.0);
const CAPTION_HEADING_FONT: Font = Font::bold(13.0);
const BADGE_FONT: Font = Font::bold(10.0);
/// The smallest font size used anywhere in a diagram.
pub const SMALLEST_FONT_SIZE: f32 = 9.0;
const BADGE_RADIUS: f32 = 9.0;
const PANEL_GAP: f32 = 72.0;
/// Above this many connections the panel is an overview: lines are drawn straight, without
/// looking for a way around boxes, and thin (a hairline at any scale up to 1), since thousands
/// of them cross the whole drawing.
const ROUTED_CONNECTIONS_MAX: usize = 1500;
const OVERVIEW_LINE_WIDTH: f32 = 1.0;
/// Longer dashes for overview lines: thousands of lines in short dashes take seconds to draw.
const OVERVIEW_DASH: &str = "24 16";

/// Role colours of a site: region fill, region border, label pill.
fn role_colors(role: SiteRole) -> (&'static str, &'static str, &'static str) {
    match role {
        SiteRole::Primary => ("#eaf1fb", "#7895c2", "#4a6fa5"),
        SiteRole::Recovery => ("#edf6ef", "#7ba883", "#4f8a5b"),
        SiteRole::Third => ("#f6f3ea", "#b3a06e", "#8c7a45"),
    }
}

fn role_class(role: SiteRole) -> &'static str {
    match role {
        SiteRole::Primary => "primary",
        SiteRole::Recovery => "recovery",
        SiteRole::Third => "third",
    }
}

fn link_color(link: &Link) -> &'static str {
    match link {
        Link::SiteToSiteVpn { .. } => VPN_COLOR,
        Link::VnetPeering { .. } => PEERING_COLOR,
        Link::ExpressRoute { .. } => EXPRESS_ROUTE_COLOR,
        Link::StretchedVlan { .. } => STRETCHED_VLAN_COLOR,
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

/// An element a change is pinned to in the drawing, by its number in the caption.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Pinned {
    Connection(ConnectionId),
    Subnet(SubnetId),
    Gateway(GatewayId),
    Site(SiteId),
}

/// What a failover changed, by element of the after topology, and the caption number of each
/// change.
#[derive(Debug, Default)]
pub struct Marks {
    disconnected: FxHashSet<ConnectionId>,
    established: FxHashSet<ConnectionId>,
    moved_subnets: FxHashSet<SubnetId>,
    moved_machines: FxHashSet<MachineId>,
    created_gateways: FxHashSet<GatewayId>,
    numbers: FxHashMap<Pinned, Vec<usize>>,
}

impl Marks {
    /// The marks of a simulation's differences; number `n` is the `n`th difference (from 1).
    pub fn from_outcome(outcome: &Outcome) -> Self {
        let mut marks = Self::default();
        let pin = |marks: &mut Self, pinned: Pinned, number: usize| marks.numbers.entry(pinned).or_default().push(number);
        for (index, difference) in outcome.differences.iter().enumerate() {
            let number = index + 1;
            match difference {
                Difference::ConnectionDisconnected { connection, .. } => {
                    marks.disconnected.insert(connection.clone());
                    pin(&mut marks, Pinned::Connection(connection.clone()), number);
                }
                Difference::ConnectionEstablished { connection, .. } | Difference::PeeringCreated { connection, .. } => {
                    marks.established.insert(connection.clone());
                    pin(&mut marks, Pinned::Connection(connection.clone()), number);
                }
                Difference::MachineMoved { machine, to_subnet, test_copy, .. } => {
                    // A test failover leaves the machine and adds a copy under a derived id.
                    let drawn = if *test_copy { MachineId::new(format!("{machine}-test")) } else { machine.clone() };
                    marks.moved_machines.insert(drawn);
                    if let Some(subnet) = to_subnet {
                        marks.moved_subnets.insert(subnet.clone());
                    }
                }
                Difference::SubnetActivated { subnet, prefix, at_site, .. } => {
                    let target = activated_subnet(outcome, subnet, prefix, at_site);
                    if let Some(target) = target {
                        marks.moved_subnets.insert(target.clone());
                        pin(&mut marks, Pinned::Subnet(target), number);
                    }
                }
                Difference::GatewayCreated { gateway, .. } => {
                    marks.created_gateways.insert(gateway.clone());
                    pin(&mut marks, Pinned::Gateway(gateway.clone()), number);
                }
                Difference::RoutesChanged { at_site, .. } => pin(&mut marks, Pinned::Site(at_site.clone()), number),
                Difference::DnsRecordUpdated { .. } => {}
            }
        }
        marks
    }
}

/// The subnet of the after topology that a subnet failed over into: where its machines went,
/// else the subnet with the same prefix at the site it is now active at.
fn activated_subnet(outcome: &Outcome, subnet: &SubnetId, prefix: &Prefix, at_site: &SiteId) -> Option<SubnetId> {
    let by_machines = outcome.differences.iter().find_map(|difference| match difference {
        Difference::MachineMoved { from_subnet, to_subnet: Some(to), .. } if from_subnet == subnet => Some(to.clone()),
        _ => None,
    });
    by_machines.or_else(|| {
        outcome
            .after
            .subnets
            .iter()
            .find(|candidate| {
                &candidate.prefix == prefix && outcome.after.site_of_network(&candidate.network).is_some_and(|site| &site.id == at_site)
            })
            .map(|candidate| candidate.id.clone())
    })
}

/// "3", "3, 5", "3–6": caption numbers pinned to one element.
fn number_label(numbers: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < numbers.len() {
        let start = numbers[index];
        let mut end = start;
        while index + 1 < numbers.len() && numbers[index + 1] == end + 1 {
            index += 1;
            end = numbers[index];
        }
        parts.push(if end > start + 1 { format!("{start}–{end}") } else if end == start + 1 { format!("{start}, {end}") } else { start.to_string() });
        index += 1;
    }
    parts.join(", ")
}

/// One topology to draw.
pub struct Panel<'a> {
    pub plan: &'a Plan,
    pub marks: Option<&'a Marks>,
    /// Shown above the panel when panels stand side by side.
    pub heading: Option<String>,
    /// `before` or `after`.
    pub class: &'static str,
}

/// The numbered list of changes under an after diagram.
pub struct Caption {
    pub heading: String,
    pub items: Vec<String>,
}

pub struct Document<'a> {
    pub title: &'a str,
    pub subtitle: String,
    pub panels: Vec<Panel<'a>>,
    pub caption: Option<Caption>,
    pub machines: bool,
}

/// A text element; `anchor` is `start`, `middle` or `end`. The content is escaped here.
fn text_element(out: &mut String, x: f32, y: f32, content: &str, font: Font, fill: &str, anchor: &str) {
    let weight = if font.weight == Weight::Bold { r#" font-weight="bold""# } else { "" };
    let anchor = if anchor == "start" { String::new() } else { format!(r#" text-anchor="{anchor}""#) };
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{}"{weight}{anchor} fill="{fill}">{}</text>"#,
        font.size,
        escape(content)
    );
}

/// Text with an outline in the colour behind it, painted under the glyphs, so a line that
/// crosses the text stops short of it.
fn haloed_text(out: &mut String, x: f32, y: f32, content: &str, font: Font, fill: &str, halo: &str) {
    let weight = if font.weight == Weight::Bold { r#" font-weight="bold""# } else { "" };
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{}"{weight} fill="{fill}" stroke="{halo}" stroke-width="5" stroke-linejoin="round" paint-order="stroke">{}</text>"#,
        font.size,
        escape(content)
    );
}

fn rect_element(out: &mut String, rect: &Rect, radius: f32, fill: &str, stroke: &str, stroke_width: f32, extra: &str) {
    let _ = write!(
        out,
        r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"{extra}/>"#,
        rect.x, rect.y, rect.width, rect.height
    );
}

fn open_group(out: &mut String, class: &str, id: &str, title: &str) {
    let _ = write!(out, r#"<g class="{}" data-id="{}"><title>{}</title>"#, escape(class), escape(id), escape(title));
}

/// A numbered badge centred at (x, y); returns its width.
fn badge(out: &mut String, x: f32, y: f32, label: &str) -> f32 {
    let width = (text::width(label, BADGE_FONT) + 10.0).max(2.0 * BADGE_RADIUS);
    let rect = Rect::new(x - width / 2.0, y - BADGE_RADIUS, width, 2.0 * BADGE_RADIUS);
    let _ = write!(out, r#"<g class="change-number">"#);
    rect_element(out, &rect, BADGE_RADIUS, BADGE_FILL, "#ffffff", 1.5, "");
    text_element(out, x, y + 3.6, label, BADGE_FONT, "#ffffff", "middle");
    out.push_str("</g>");
    width
}

fn badge_width(label: &str) -> f32 {
    (text::width(label, BADGE_FONT) + 10.0).max(2.0 * BADGE_RADIUS)
}

/// A panel: its layout and the SVG of its contents (relative to its own origin).
struct DrawnPanel {
    width: f32,
    height: f32,
    svg: String,
}

fn draw_panel(panel: &Panel, machines: bool) -> DrawnPanel {
    let layout = layout::layout(panel.plan, machines);
    let marks = panel.marks;
    let numbers = |pinned: Pinned| marks.and_then(|marks| marks.numbers.get(&pinned)).map(|numbers| number_label(numbers));
    let mut out = String::with_capacity(1024 + 600 * (layout.networks.len() + 4 * panel.plan.subnets.len()));

    // Site regions first, so lines run over them; their outlines and names come after the
    // lines, the names with a halo, so a line that must pass a name runs under it.
    for site in &layout.sites {
        let (fill, _, _) = role_colors(site.site.role);
        rect_element(&mut out, &site.rect, 12.0, fill, "none", 0.0, r#" class="site-fill""#);
    }

    // Obstacles: networks, then circuits.
    let network_index: FxHashMap<&NetworkId, usize> =
        layout.networks.iter().enumerate().map(|(index, network)| (&network.network.id, index)).collect();
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
        let _ = write!(
            out,
            r#"<path class="circuit-link" data-id="{}" d="M{:.1} {:.1} L{:.1} {:.1}" fill="none" stroke="{EXPRESS_ROUTE_COLOR}" stroke-width="1.5" stroke-opacity="0.7"/>"#,
            escape(circuit.circuit.id.as_str()),
            start.0,
            start.1,
            end.0,
            end.1
        );
    }

    let effort = if panel.plan.connections.len() > ROUTED_CONNECTIONS_MAX { Effort::Straight } else { Effort::Avoid };
    let mut lanes: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    let mut connection_badges: Vec<((f32, f32), String)> = Vec::new();
    for connection in &panel.plan.connections {
        let Some(&from) = network_index.get(&connection.from) else { continue };
        let to = match &connection.link {
            Link::ExpressRoute { circuit } => circuit_index.get(circuit),
            Link::SiteToSiteVpn { to } | Link::VnetPeering { to, .. } | Link::StretchedVlan { to } => network_index.get(to),
        };
        let Some(&to) = to else { continue };
        let lane = lanes.entry((from.min(to), from.max(to))).or_insert(0);
        let Some(curve) = route::route(&obstacles, from, to, *lane, effort) else { continue };
        *lane += 1;
        draw_connection(&mut out, connection, &curve, marks, effort == Effort::Straight);
        if let Some(label) = numbers(Pinned::Connection(connection.id.clone())) {
            connection_badges.push((badge_point(&curve, &layout), label));
        }
    }

    for site in &layout.sites {
        draw_site(&mut out, site, numbers(Pinned::Site(site.site.id.clone())).as_deref());
    }
    let mut side_badges: Vec<((f32, f32), String)> = Vec::new();
    for network in &layout.networks {
        draw_network(&mut out, network, marks, &mut side_badges, &numbers);
    }
    for circuit in &layout.circuits {
        draw_circuit(&mut out, circuit);
    }
    for ((x, y), label) in connection_badges.iter().chain(&side_badges) {
        badge(&mut out, *x, *y, label);
    }
    DrawnPanel { width: layout.bounds.width, height: layout.bounds.height, svg: out }
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
fn badge_point(curve: &Curve, layout: &Layout) -> (f32, f32) {
    let covered = |(x, y): (f32, f32)| {
        let inside = |rect: &Rect| x > rect.x - BADGE_RADIUS && x < rect.right() + BADGE_RADIUS && y > rect.y - BADGE_RADIUS && y < rect.bottom() + BADGE_RADIUS;
        layout.networks.iter().any(|network| inside(&network.rect)) || layout.circuits.iter().any(|circuit| inside(&circuit.rect))
    };
    [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]
        .into_iter()
        .map(|t| curve.point(t))
        .find(|point| !covered(*point))
        .unwrap_or_else(|| curve.point(0.5))
}

fn draw_site(out: &mut String, site: &SiteBox, numbers: Option<&str>) {
    let (fill, stroke, pill) = role_colors(site.site.role);
    let detail = layout::site_detail(site.site);
    let title = format!("{} ({} site; {detail})", site.site.name, site.site.role.label());
    open_group(out, &format!("site {}", role_class(site.site.role)), site.site.id.as_str(), &title);
    rect_element(out, &site.rect, 12.0, "none", stroke, 1.5, "");
    let inner = site.rect.width - 2.0 * SITE_PAD;
    let reserved = numbers.map_or(0.0, |label| badge_width(label) + 8.0);
    let (name, _) = text::fit(&site.site.name, inner - reserved, SITE_NAME_FONT);
    let (x, top) = (site.rect.x + SITE_PAD, site.rect.y);
    haloed_text(out, x, top + 30.0, &name, SITE_NAME_FONT, INK, fill);
    let role = role_label(site.site.role);
    let pill_width = text::width(role, ROLE_FONT) + 2.0 * ROLE_PILL_PAD;
    rect_element(out, &Rect::new(x, top + 39.0, pill_width, 16.0), 8.0, pill, pill, 1.0, "");
    text_element(out, x + ROLE_PILL_PAD, top + 50.5, role, ROLE_FONT, "#ffffff", "start");
    let (detail, _) = text::fit(&detail, inner - pill_width - ROLE_PILL_GAP, SITE_DETAIL_FONT);
    haloed_text(out, x + pill_width + ROLE_PILL_GAP, top + 51.0, &detail, SITE_DETAIL_FONT, MUTED, fill);
    if let Some(label) = numbers {
        let name_width = text::width(&name, SITE_NAME_FONT);
        let width = badge_width(label);
        badge(out, x + name_width + 8.0 + width / 2.0, top + 25.0, label);
    }
    out.push_str("</g>");
}

fn draw_connection(out: &mut String, connection: &Connection, curve: &Curve, marks: Option<&Marks>, overview: bool) {
    let disconnected = marks.is_some_and(|marks| marks.disconnected.contains(&connection.id));
    let established = marks.is_some_and(|marks| marks.established.contains(&connection.id));
    let (state, color, width, dash, opacity) = if disconnected {
        ("disconnected", DISCONNECTED_COLOR, 2.5, Some(DISCONNECTED_DASH), 1.0)
    } else if established {
        ("established", ESTABLISHED_COLOR, 3.5, None, 1.0)
    } else if connection.is_active() {
        ("active", link_color(&connection.link), 2.0, None, 1.0)
    } else {
        ("prepared", link_color(&connection.link), 2.0, Some(PREPARED_DASH), PREPARED_OPACITY)
    };
    let state_words = match state {
        "disconnected" => "disconnected by the failover",
        "established" => "established by the failover",
        "active" => "active",
        _ => "prepared: established during failover",
    };
    let title = format!("{} ({}, {state_words})", connection.name, connection.link.label());
    let _ = write!(
        out,
        r#"<g class="connection {state}" data-id="{}" data-link="{}"><title>{}</title>"#,
        escape(connection.id.as_str()),
        link_kind(&connection.link),
        escape(&title)
    );
    let (width, dash) = if overview { (OVERVIEW_LINE_WIDTH, dash.map(|_| OVERVIEW_DASH)) } else { (width, dash) };
    let dash = dash.map(|dash| format!(r#" stroke-dasharray="{dash}""#)).unwrap_or_default();
    let data = curve.path_data();
    if matches!(connection.link, Link::StretchedVlan { .. }) && !disconnected && !established && !overview {
        // A stretched VLAN is a double line: a wide stroke with a white core.
        let _ = write!(
            out,
            r##"<path d="{data}" fill="none" stroke="{color}" stroke-width="6" stroke-opacity="{opacity}"{dash}/><path d="{data}" fill="none" stroke="#ffffff" stroke-width="2"{dash}/>"##
        );
    } else {
        let _ = write!(
            out,
            r#"<path d="{data}" fill="none" stroke="{color}" stroke-width="{width}" stroke-opacity="{opacity}" stroke-linecap="round"{dash}/>"#
        );
    }
    out.push_str("</g>");
}

fn draw_network(
    out: &mut String,
    network: &NetworkBox,
    marks: Option<&Marks>,
    side_badges: &mut Vec<((f32, f32), String)>,
    numbers: &dyn Fn(Pinned) -> Option<String>,
) {
    let rect = network.rect;
    let title = std::iter::once(network.network.name.clone()).chain(network.details.iter().cloned()).collect::<Vec<_>>().join(" · ");
    open_group(out, "network", network.network.id.as_str(), &title);
    rect_element(out, &rect, 6.0, NETWORK_FILL, NETWORK_STROKE, 1.5, r#" class="box""#);
    let inner = rect.width - 2.0 * NETWORK_PAD;
    let x = rect.x + NETWORK_PAD;
    let mut baseline = rect.y + NETWORK_PAD + 14.0;
    text_element(out, x, baseline, &text::fit(&network.network.name, inner, NETWORK_NAME_FONT).0, NETWORK_NAME_FONT, INK, "start");
    baseline += 4.0;
    for detail in &network.details {
        baseline += DETAIL_LINE;
        text_element(out, x, baseline, &text::fit(detail, inner, DETAIL_FONT).0, DETAIL_FONT, MUTED, "start");
    }

    for subnet in &network.subnets {
        let offset = subnet.offset.translated(rect.x, rect.y);
        let moved = marks.is_some_and(|marks| marks.moved_subnets.contains(&subnet.subnet.id));
        let prefix = subnet.subnet.prefix.to_string();
        let class = if moved { "subnet moved" } else { "subnet" };
        open_group(out, class, subnet.subnet.id.as_str(), &format!("{} {prefix}", subnet.subnet.name));
        let fill = if subnet.subnet.is_gateway_subnet() { GATEWAY_SUBNET_FILL } else { SUBNET_FILL };
        if moved {
            rect_element(out, &offset, 4.0, fill, MOVED_COLOR, 2.5, "");
        } else {
            rect_element(out, &offset, 4.0, fill, SUBNET_STROKE, 1.0, "");
        }
        let prefix_width = text::width(&prefix, PREFIX_FONT);
        let name_room = offset.width - 2.0 * SUBNET_PAD - prefix_width - SUBNET_NAME_GAP;
        let name = text::fit(&subnet.subnet.name, name_room, SUBNET_NAME_FONT).0;
        text_element(out, offset.x + SUBNET_PAD, offset.y + 16.0, &name, SUBNET_NAME_FONT, INK, "start");
        text_element(out, offset.right() - SUBNET_PAD, offset.y + 16.0, &prefix, PREFIX_FONT, MUTED, "end");
        for chip in &subnet.chips {
            draw_chip(out, chip, rect, marks);
        }
        out.push_str("</g>");
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
        open_group(out, class, gateway.id.as_str(), &format!("{} ({kind} gateway, {when})", gateway.name));
        let badge_rect = Rect::new(offset.x, offset.y + (GATEWAY_ROW - GATEWAY_BADGE_HEIGHT) / 2.0, row.badge_width, GATEWAY_BADGE_HEIGHT);
        let text_y = badge_rect.y + 10.2;
        if created {
            rect_element(out, &badge_rect, 3.0, ESTABLISHED_COLOR, ESTABLISHED_COLOR, 1.0, "");
            text_element(out, badge_rect.x + GATEWAY_BADGE_PAD, text_y, row.badge, GATEWAY_BADGE_FONT, "#ffffff", "start");
        } else if planned {
            rect_element(out, &badge_rect, 3.0, "#ffffff", GATEWAY_FILL, 1.2, r#" stroke-dasharray="3 2""#);
            text_element(out, badge_rect.x + GATEWAY_BADGE_PAD, text_y, row.badge, GATEWAY_BADGE_FONT, GATEWAY_FILL, "start");
        } else {
            rect_element(out, &badge_rect, 3.0, GATEWAY_FILL, GATEWAY_FILL, 1.0, "");
            text_element(out, badge_rect.x + GATEWAY_BADGE_PAD, text_y, row.badge, GATEWAY_BADGE_FONT, "#ffffff", "start");
        }
        let name_x = badge_rect.right() + GATEWAY_NAME_GAP;
        let name = text::fit(&gateway.name, offset.right() - name_x, GATEWAY_NAME_FONT).0;
        text_element(out, name_x, text_y, &name, GATEWAY_NAME_FONT, MUTED, "start");
        out.push_str("</g>");
        if let Some(label) = numbers(Pinned::Gateway(gateway.id.clone())) {
            side_badges.push(((rect.right(), offset.y + GATEWAY_ROW / 2.0), label));
        }
    }
    out.push_str("</g>");
}

fn draw_chip(out: &mut String, chip: &Chip, network: Rect, marks: Option<&Marks>) {
    let rect = chip.offset.translated(network.x, network.y);
    match chip.of {
        ChipOf::Machine(machine) => {
            let moved = marks.is_some_and(|marks| marks.moved_machines.contains(&machine.id));
            let class = if moved { "machine moved" } else { "machine" };
            let mut title = format!("{} {}", machine.name, machine.ip);
            if !machine.application.is_empty() {
                title.push_str(&format!(" ({})", machine.application));
            }
            open_group(out, class, machine.id.as_str(), &title);
            if moved {
                rect_element(out, &rect, 3.0, "#fff3e0", MOVED_COLOR, 2.0, "");
            } else {
                rect_element(out, &rect, 3.0, "#ffffff", CHIP_STROKE, 1.0, "");
            }
        }
        ChipOf::Nva(nva) => {
            open_group(out, "nva", nva.id.as_str(), &format!("NVA {} {}", nva.name, nva.ip));
            rect_element(out, &rect, 3.0, NVA_FILL, NVA_STROKE, 1.0, "");
        }
    }
    text_element(out, rect.x + CHIP_TEXT_PAD, rect.y + 12.6, &chip.label, CHIP_FONT, INK, "start");
    out.push_str("</g>");
}

fn draw_circuit(out: &mut String, circuit: &CircuitBox) {
    let detail = layout::circuit_detail(circuit.circuit);
    open_group(out, "circuit", circuit.circuit.id.as_str(), &format!("{} (ExpressRoute circuit: {detail})", circuit.circuit.name));
    let rect = circuit.rect;
    rect_element(out, &rect, 12.0, CIRCUIT_FILL, EXPRESS_ROUTE_COLOR, 1.5, "");
    let inner = rect.width - 2.0 * CIRCUIT_PAD;
    let x = rect.x + rect.width / 2.0;
    text_element(out, x, rect.y + 17.0, "EXPRESSROUTE CIRCUIT", CIRCUIT_KIND_FONT, EXPRESS_ROUTE_COLOR, "middle");
    text_element(out, x, rect.y + 33.0, &text::fit(&circuit.circuit.name, inner, CIRCUIT_NAME_FONT).0, CIRCUIT_NAME_FONT, INK, "middle");
    text_element(out, x, rect.y + 48.0, &text::fit(&detail, inner, CIRCUIT_DETAIL_FONT).0, CIRCUIT_DETAIL_FONT, MUTED, "middle");
    out.push_str("</g>");
}

/// A legend entry's sample.
enum Swatch {
    Line { color: &'static str, width: f32, dash: Option<&'static str>, opacity: f32, double: bool },
    Region(SiteRole),
    Outline(&'static str),
    Badge,
}

const SWATCH_WIDTH: f32 = 34.0;
const LEGEND_ROW: f32 = 22.0;
const LEGEND_ITEM_GAP: f32 = 24.0;

/// The legend's rows: a heading and its entries.
fn legend_groups(changes: bool) -> Vec<(&'static str, Vec<(Swatch, &'static str)>)> {
    let line = |color, dash, opacity, double| Swatch::Line { color, width: 2.0, dash, opacity, double };
    let mut groups = vec![
        (
            "Connections",
            vec![
                (line(VPN_COLOR, None, 1.0, false), "site-to-site VPN"),
                (line(PEERING_COLOR, None, 1.0, false), "VNet peering"),
                (line(EXPRESS_ROUTE_COLOR, None, 1.0, false), "ExpressRoute"),
                (line(STRETCHED_VLAN_COLOR, None, 1.0, true), "stretched VLAN"),
                (line(MUTED, None, 1.0, false), "active"),
                (line(MUTED, Some(PREPARED_DASH), PREPARED_OPACITY, false), "prepared (established during failover)"),
            ],
        ),
        (
            "Sites",
            vec![
                (Swatch::Region(SiteRole::Primary), "primary site"),
                (Swatch::Region(SiteRole::Recovery), "recovery site"),
                (Swatch::Region(SiteRole::Third), "third site"),
            ],
        ),
    ];
    if changes {
        groups.push((
            "Changes",
            vec![
                (Swatch::Line { color: DISCONNECTED_COLOR, width: 2.5, dash: Some(DISCONNECTED_DASH), opacity: 1.0, double: false }, "disconnected"),
                (Swatch::Line { color: ESTABLISHED_COLOR, width: 3.5, dash: None, opacity: 1.0, double: false }, "established"),
                (Swatch::Outline(MOVED_COLOR), "moved here (subnet, machine)"),
                (Swatch::Outline(ESTABLISHED_COLOR), "gateway created"),
                (Swatch::Badge, "number in the list of changes"),
            ],
        ));
    }
    groups
}

const LEGEND_LABEL_WIDTH: f32 = 96.0;

/// Lays out the legend in rows no wider than `width`; returns its height.
fn draw_legend(out: &mut String, x: f32, y: f32, width: f32, changes: bool) -> f32 {
    out.push_str(r#"<g class="legend">"#);
    let mut cy = y;
    let left = x + LEGEND_LABEL_WIDTH;
    for (heading, items) in legend_groups(changes) {
        text_element(out, x, cy + 14.0, heading, LEGEND_HEADING_FONT, INK, "start");
        let mut cx = left;
        for (swatch, label) in items {
            let label_width = text::width(label, LEGEND_FONT);
            let item_width = SWATCH_WIDTH + 6.0 + label_width;
            if cx > left && cx + item_width > x + width {
                cx = left;
                cy += LEGEND_ROW;
            }
            let middle = cy + 10.0;
            match swatch {
                Swatch::Line { color, width, dash, opacity, double } => {
                    let dash = dash.map(|dash| format!(r#" stroke-dasharray="{dash}""#)).unwrap_or_default();
                    let data = format!("M{:.1} {middle:.1} L{:.1} {middle:.1}", cx, cx + SWATCH_WIDTH);
                    if double {
                        let _ = write!(out, r##"<path d="{data}" stroke="{color}" stroke-width="6"/><path d="{data}" stroke="#ffffff" stroke-width="2"/>"##);
                    } else {
                        let _ = write!(out, r#"<path d="{data}" stroke="{color}" stroke-width="{width}" stroke-opacity="{opacity}"{dash}/>"#);
                    }
                }
                Swatch::Region(role) => {
                    let (fill, stroke, _) = role_colors(role);
                    rect_element(out, &Rect::new(cx, cy + 2.0, SWATCH_WIDTH, 16.0), 4.0, fill, stroke, 1.5, "");
                }
                Swatch::Outline(color) => {
                    rect_element(out, &Rect::new(cx + 2.0, cy + 3.0, SWATCH_WIDTH - 4.0, 14.0), 3.0, "#ffffff", color, 2.5, "")
                }
                Swatch::Badge => {
                    badge(out, cx + SWATCH_WIDTH / 2.0, middle, "1");
                }
            }
            text_element(out, cx + SWATCH_WIDTH + 6.0, middle + 4.0, label, LEGEND_FONT, INK, "start");
            cx += item_width + LEGEND_ITEM_GAP;
        }
        cy += LEGEND_ROW + 2.0;
    }
    out.push_str("</g>");
    cy - y
}

const CAPTION_LINE: f32 = 17.0;
const CAPTION_INDENT: f32 = 30.0;

/// The numbered changes, wrapped to `width`; returns the height.
fn draw_caption(out: &mut String, caption: &Caption, x: f32, y: f32, width: f32) -> f32 {
    out.push_str(r#"<g class="caption">"#);
    let heading = text::fit(&caption.heading, width, CAPTION_HEADING_FONT).0;
    text_element(out, x, y + 14.0, &heading, CAPTION_HEADING_FONT, INK, "start");
    let mut cy = y + 24.0;
    for (index, item) in caption.items.iter().enumerate() {
        let _ = write!(out, r#"<g class="change" data-number="{}">"#, index + 1);
        badge(out, x + BADGE_RADIUS + 1.0, cy + CAPTION_LINE / 2.0 + 1.0, &(index + 1).to_string());
        for line in text::wrap(item, width - CAPTION_INDENT, CAPTION_FONT) {
            text_element(out, x + CAPTION_INDENT, cy + 13.0, &line, CAPTION_FONT, INK, "start");
            cy += CAPTION_LINE;
        }
        cy += 4.0;
        out.push_str("</g>");
    }
    out.push_str("</g>");
    cy - y
}

/// The whole SVG document.
pub fn document(document: &Document) -> String {
    let panels: Vec<DrawnPanel> = document.panels.iter().map(|panel| draw_panel(panel, document.machines)).collect();
    let panels_width = panels.iter().map(|panel| panel.width).sum::<f32>() + PANEL_GAP * panels.len().saturating_sub(1) as f32;
    let width = (panels_width + 2.0 * MARGIN).max(MIN_WIDTH).ceil();
    let content_width = width - 2.0 * MARGIN;
    let has_headings = document.panels.iter().any(|panel| panel.heading.is_some());
    let changes = document.panels.iter().any(|panel| panel.marks.is_some());

    let mut body = String::new();
    text_element(&mut body, MARGIN, MARGIN + 20.0, &text::fit(document.title, content_width, TITLE_FONT).0, TITLE_FONT, INK, "start");
    text_element(&mut body, MARGIN, MARGIN + 44.0, &text::fit(&document.subtitle, content_width, SUBTITLE_FONT).0, SUBTITLE_FONT, MUTED, "start");
    let mut top = MARGIN + 72.0;
    let heading_height = if has_headings { 34.0 } else { 0.0 };
    let panels_height = panels.iter().map(|panel| panel.height).fold(0.0, f32::max);
    let mut x = MARGIN;
    for (index, (drawn, panel)) in panels.iter().zip(&document.panels).enumerate() {
        if index > 0 {
            let divider = x - PANEL_GAP / 2.0;
            let _ = write!(
                body,
                r##"<path class="divider" d="M{divider:.1} {top:.1} L{divider:.1} {:.1}" stroke="#cfd8dc" stroke-width="1.5"/>"##,
                top + heading_height + panels_height
            );
        }
        let _ = write!(body, r#"<g class="panel {}" transform="translate({x:.1} {:.1})">"#, panel.class, top + heading_height);
        if let Some(heading) = &panel.heading {
            let heading = text::fit(heading, drawn.width.max(200.0), HEADING_FONT).0;
            text_element(&mut body, 0.0, -14.0, &heading, HEADING_FONT, INK, "start");
        }
        body.push_str(&drawn.svg);
        body.push_str("</g>");
        x += drawn.width + PANEL_GAP;
    }
    top += heading_height + panels_height + 28.0;
    top += draw_legend(&mut body, MARGIN, top, content_width, changes);
    if let Some(caption) = &document.caption {
        top += 18.0;
        top += draw_caption(&mut body, caption, MARGIN, top, content_width);
    }
    let height = (top + MARGIN).ceil();

    let mut svg = String::with_capacity(body.len() + 512);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{}">"#,
        text::FONT_FAMILY
    );
    let _ = write!(svg, "<title>{}</title>", escape(&format!("{} — {}", document.title, document.subtitle)));
    let _ = write!(svg, r##"<rect class="background" x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>"##);
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
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
