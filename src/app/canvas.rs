//! The canvas: an egui_graphs view of a plan. The graph is a cache rebuilt from the model when
//! the plan changes; node payloads are indexes into a side table of element keys. Positions
//! live in the model (a no-op layout keeps egui_graphs from moving anything); a drag becomes
//! one `Edit::Move` when it ends.

use std::collections::{HashMap, HashSet};

use egui::epaint::TextShape;
use egui::{Color32, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};
use egui_graphs::{
    DisplayEdge, DisplayNode, DrawContext, EdgeProps, GraphChange, GraphView, Layout, LayoutState, Node, NodeProps,
    SettingsInteraction, SettingsNavigation, SettingsStyle,
};
use petgraph::Undirected;
use petgraph::stable_graph::{DefaultIx, EdgeIndex, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::edit::ElementKey;
use crate::model::*;
use crate::validate::{ElementKind, Report, Severity};

pub const NETWORK_WIDTH: f32 = 230.0;
const NETWORK_HEADER: f32 = 48.0;
const SUBNET_ROW: f32 = 24.0;
const MACHINE_ROW: f32 = 20.0;
const SITE_PADDING: f32 = 24.0;
const SITE_HEADER: f32 = 34.0;
const CIRCUIT_SIZE: Vec2 = Vec2::new(200.0, 46.0);

/// Where everything of a plan sits on the canvas, in canvas units.
#[derive(Default)]
pub struct PlanLayout {
    pub sites: HashMap<SiteId, Rect>,
    pub networks: HashMap<NetworkId, Rect>,
    pub subnets: HashMap<SubnetId, Rect>,
    pub machines: HashMap<MachineId, Rect>,
    pub circuits: HashMap<CircuitId, Rect>,
}

impl PlanLayout {
    pub fn rect_of(&self, key: &ElementKey) -> Option<Rect> {
        match key.kind {
            ElementKind::Site => self.sites.get(&SiteId::new(&key.id)).copied(),
            ElementKind::Network => self.networks.get(&NetworkId::new(&key.id)).copied(),
            ElementKind::Subnet => self.subnets.get(&SubnetId::new(&key.id)).copied(),
            ElementKind::Machine => self.machines.get(&MachineId::new(&key.id)).copied(),
            ElementKind::Circuit => self.circuits.get(&CircuitId::new(&key.id)).copied(),
            _ => None,
        }
    }
}

fn point(position: Option<Point>) -> Option<Pos2> {
    position.map(|point| Pos2::new(point.x, point.y))
}

/// Lays out a plan: networks at their positions (or stacked in their site when they have none),
/// subnets and machines as rows inside their network, sites around their networks and circuits.
pub fn layout(plan: &Plan, show_machines: bool) -> PlanLayout {
    let mut result = PlanLayout::default();
    let mut third_column = 0.0;
    for (site_index, site) in plan.sites.iter().enumerate() {
        let origin = point(site.position).unwrap_or_else(|| match site.role {
            SiteRole::Primary => Pos2::new(0.0, site_index as f32 * 40.0),
            SiteRole::Recovery => Pos2::new(1000.0, site_index as f32 * 40.0),
            SiteRole::Third => {
                third_column += 700.0;
                Pos2::new(third_column - 700.0, 900.0)
            }
        });
        let mut next_y = origin.y + SITE_HEADER + SITE_PADDING;
        let mut bounds: Option<Rect> = None;
        for network in plan.networks_of(&site.id) {
            let subnets: Vec<&Subnet> = plan.subnets_of(&network.id).collect();
            let machines_shown: usize = if show_machines {
                subnets.iter().map(|subnet| plan.machines_in(&subnet.id).count()).sum()
            } else {
                0
            };
            let height = NETWORK_HEADER + subnets.len() as f32 * SUBNET_ROW + machines_shown as f32 * MACHINE_ROW + 8.0;
            let top_left = point(network.position).unwrap_or(Pos2::new(origin.x + SITE_PADDING, next_y));
            let rect = Rect::from_min_size(top_left, Vec2::new(NETWORK_WIDTH, height));
            next_y = next_y.max(rect.max.y + 24.0);
            let mut row_y = rect.min.y + NETWORK_HEADER;
            for subnet in subnets {
                let row = Rect::from_min_size(Pos2::new(rect.min.x + 8.0, row_y), Vec2::new(NETWORK_WIDTH - 16.0, SUBNET_ROW - 3.0));
                result.subnets.insert(subnet.id.clone(), row);
                row_y += SUBNET_ROW;
                if show_machines {
                    for machine in plan.machines_in(&subnet.id) {
                        let machine_row = Rect::from_min_size(
                            Pos2::new(rect.min.x + 24.0, row_y),
                            Vec2::new(NETWORK_WIDTH - 32.0, MACHINE_ROW - 3.0),
                        );
                        result.machines.insert(machine.id.clone(), machine_row);
                        row_y += MACHINE_ROW;
                    }
                }
            }
            bounds = Some(bounds.map_or(rect, |bounds| bounds.union(rect)));
            result.networks.insert(network.id.clone(), rect);
        }
        for circuit in plan.circuits.iter().filter(|circuit| circuit.site == site.id) {
            let top_left = point(circuit.position).unwrap_or(Pos2::new(origin.x + SITE_PADDING, next_y));
            let rect = Rect::from_min_size(top_left, CIRCUIT_SIZE);
            next_y = next_y.max(rect.max.y + 24.0);
            bounds = Some(bounds.map_or(rect, |bounds| bounds.union(rect)));
            result.circuits.insert(circuit.id.clone(), rect);
        }
        let site_rect = match bounds {
            Some(bounds) => Rect::from_min_max(
                Pos2::new(bounds.min.x - SITE_PADDING, bounds.min.y - SITE_PADDING - SITE_HEADER),
                Pos2::new(bounds.max.x + SITE_PADDING, bounds.max.y + SITE_PADDING),
            ),
            None => Rect::from_min_size(origin, Vec2::new(NETWORK_WIDTH + 2.0 * SITE_PADDING, 140.0)),
        };
        result.sites.insert(site.id.clone(), site_rect);
    }
    result
}

/// How one node looks; set when the graph is built.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeLook {
    pub size: Vec2,
    /// Shared text, so the per-frame clones egui_graphs makes stay cheap.
    pub title: std::sync::Arc<str>,
    pub subtitle: std::sync::Arc<str>,
    pub fill: Color32,
    pub stroke: Color32,
    pub text: Color32,
    /// Only this many canvas units from the top respond to the pointer (containers).
    pub grab_height: Option<f32>,
    pub badge: Option<Color32>,
    /// A highlight around the node (differences in an after view).
    pub outline: Option<Color32>,
    pub rounding: f32,
}

/// A plan element drawn as a labelled box.
#[derive(Clone, Debug)]
pub struct PlanNodeShape {
    pub pos: Pos2,
    pub selected: bool,
    pub hovered: bool,
    pub look: NodeLook,
}

impl From<NodeProps<u32>> for PlanNodeShape {
    fn from(props: NodeProps<u32>) -> Self {
        Self { pos: props.location(), selected: props.selected, hovered: props.hovered, look: NodeLook::default() }
    }
}

impl PlanNodeShape {
    fn rect(&self) -> Rect {
        Rect::from_center_size(self.pos, self.look.size)
    }
}

fn text_shape(ctx: &DrawContext, text: &str, size: f32, color: Color32, at: Pos2, max_width: f32) -> Shape {
    let galley = ctx.ctx.fonts_mut(|fonts| {
        let mut job = egui::text::LayoutJob::simple_singleline(text.to_owned(), FontId::proportional(size), color);
        job.wrap.max_width = max_width;
        job.wrap.max_rows = 1;
        job.wrap.break_anywhere = true;
        fonts.layout_job(job)
    });
    TextShape::new(at, galley, color).into()
}

impl DisplayNode<u32, u32, Undirected, DefaultIx> for PlanNodeShape {
    fn closest_boundary_point(&self, dir: Vec2) -> Pos2 {
        let half = self.look.size / 2.0;
        let scale_x = if dir.x.abs() > f32::EPSILON { half.x / dir.x.abs() } else { f32::INFINITY };
        let scale_y = if dir.y.abs() > f32::EPSILON { half.y / dir.y.abs() } else { f32::INFINITY };
        self.pos + dir * scale_x.min(scale_y).min(half.length())
    }

    fn shapes(&mut self, ctx: &DrawContext) -> Vec<Shape> {
        let rect = self.rect();
        let screen = Rect::from_min_max(ctx.meta.canvas_to_screen_pos(rect.min), ctx.meta.canvas_to_screen_pos(rect.max));
        if !ctx.painter.clip_rect().intersects(screen.expand(8.0)) {
            return Vec::new();
        }
        let zoom = ctx.meta.canvas_to_screen_size(1.0);
        let stroke_width = if self.selected { 3.0 } else if self.hovered { 2.0 } else { 1.0 };
        let stroke_color = if self.selected { ctx.ctx.global_style().visuals.selection.stroke.color } else { self.look.stroke };
        // Far out, boxes are a few pixels wide: square corners and one shape each.
        let detailed = zoom >= 0.35 || self.selected;
        let rounding = if detailed { self.look.rounding * zoom } else { 0.0 };
        let mut shapes = vec![Shape::rect_filled(screen, rounding, self.look.fill)];
        if detailed || self.look.grab_height.is_some() {
            shapes.push(Shape::rect_stroke(screen, rounding, Stroke::new(stroke_width, stroke_color), StrokeKind::Inside));
        }
        if let Some(outline) = self.look.outline {
            shapes.push(Shape::rect_stroke(screen.expand(3.0), self.look.rounding * zoom, Stroke::new(3.0, outline), StrokeKind::Outside));
        }
        let title_size = (13.0 * zoom).clamp(4.0, 40.0);
        if title_size >= 5.0 {
            let padding = 6.0 * zoom;
            let width = (screen.width() - 2.0 * padding).max(1.0);
            shapes.push(text_shape(ctx, &self.look.title, title_size, self.look.text, screen.min + Vec2::new(padding, padding * 0.6), width));
            if !self.look.subtitle.is_empty() {
                let at = screen.min + Vec2::new(padding, padding * 0.6 + title_size * 1.3);
                shapes.push(text_shape(ctx, &self.look.subtitle, title_size * 0.85, self.look.text.gamma_multiply(0.8), at, width));
            }
        }
        if let Some(badge) = self.look.badge {
            let center = Pos2::new(screen.max.x - 2.0, screen.min.y + 2.0);
            let radius = (7.0 * zoom).clamp(4.0, 14.0);
            shapes.push(Shape::circle_filled(center, radius, badge));
            shapes.push(Shape::circle_stroke(center, radius, Stroke::new(1.0, Color32::WHITE)));
        }
        shapes
    }

    fn update(&mut self, state: &NodeProps<u32>) {
        self.pos = state.location();
        self.selected = state.selected;
        self.hovered = state.hovered;
    }

    fn is_inside(&self, pos: Pos2) -> bool {
        let rect = self.rect();
        match self.look.grab_height {
            Some(height) => Rect::from_min_size(rect.min, Vec2::new(rect.width(), height)).contains(pos),
            None => rect.contains(pos),
        }
    }
}

/// How one connection looks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdgeLook {
    pub color: Color32,
    pub width: f32,
    pub dashed: bool,
}

/// A connection drawn as a straight line, dashed when prepared.
#[derive(Clone, Debug)]
pub struct PlanEdgeShape {
    pub selected: bool,
    pub look: EdgeLook,
}

impl From<EdgeProps<u32>> for PlanEdgeShape {
    fn from(props: EdgeProps<u32>) -> Self {
        Self { selected: props.selected, look: EdgeLook { color: Color32::GRAY, width: 2.0, dashed: false } }
    }
}

type PlanNode = Node<u32, u32, Undirected, DefaultIx, PlanNodeShape>;

fn end_points(start: &PlanNode, end: &PlanNode) -> (Pos2, Pos2) {
    let direction = (end.location() - start.location()).normalized();
    (start.display().closest_boundary_point(direction), end.display().closest_boundary_point(-direction))
}

impl DisplayEdge<u32, u32, Undirected, DefaultIx, PlanNodeShape> for PlanEdgeShape {
    fn shapes(&mut self, start: &PlanNode, end: &PlanNode, ctx: &DrawContext) -> Vec<Shape> {
        let (from, to) = end_points(start, end);
        let points = [ctx.meta.canvas_to_screen_pos(from), ctx.meta.canvas_to_screen_pos(to)];
        let width = ctx.meta.canvas_to_screen_size(self.look.width * if self.selected { 2.0 } else { 1.0 }).max(1.0);
        let stroke = Stroke::new(width, self.look.color);
        if self.look.dashed {
            // Dashes keep a fixed size on screen: scaled with a small zoom they would split a
            // long edge into thousands of shapes to tessellate.
            let dash = ctx.meta.canvas_to_screen_size(10.0).clamp(6.0, 14.0);
            Shape::dashed_line(&points, stroke, dash, dash * 0.7)
        } else {
            vec![Shape::line_segment(points, stroke)]
        }
    }

    fn update(&mut self, state: &EdgeProps<u32>) {
        self.selected = state.selected;
    }

    fn is_inside(&self, start: &PlanNode, end: &PlanNode, pos: Pos2) -> bool {
        let (from, to) = end_points(start, end);
        let segment = to - from;
        let length_squared = segment.length_sq().max(f32::EPSILON);
        let along = ((pos - from).dot(segment) / length_squared).clamp(0.0, 1.0);
        (from + segment * along).distance(pos) <= 6.0
    }
}

/// A layout that leaves every node where the model put it.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct FixedState;

impl LayoutState for FixedState {}

#[derive(Debug, Default)]
pub struct FixedLayout;

impl Layout<FixedState> for FixedLayout {
    fn from_state(_state: FixedState) -> impl Layout<FixedState> {
        Self
    }

    fn next<N, E, Ty, Ix, Dn, De>(&mut self, _graph: &mut egui_graphs::Graph<N, E, Ty, Ix, Dn, De>, _ui: &egui::Ui)
    where
        N: Clone,
        E: Clone,
        Ty: petgraph::EdgeType,
        Ix: petgraph::stable_graph::IndexType,
        Dn: DisplayNode<N, E, Ty, Ix>,
        De: DisplayEdge<N, E, Ty, Ix, Dn>,
    {
    }

    fn state(&self) -> FixedState {
        FixedState
    }
}

pub type PlanGraph = egui_graphs::Graph<u32, u32, Undirected, DefaultIx, PlanNodeShape, PlanEdgeShape>;

/// What an after view marks.
#[derive(Default, Clone)]
pub struct Marks {
    pub moved: HashSet<ElementKey>,
    pub established: HashSet<String>,
    pub disconnected: HashSet<String>,
}

/// The colours of the canvas, readable on dark and light backgrounds.
pub struct Theme {
    pub primary: Color32,
    pub recovery: Color32,
    pub third: Color32,
    pub network: Color32,
    pub subnet: Color32,
    pub machine: Color32,
    pub circuit: Color32,
    pub text: Color32,
    pub border: Color32,
    pub vpn: Color32,
    pub peering: Color32,
    pub expressroute: Color32,
    pub stretched: Color32,
    pub error: Color32,
    pub warning: Color32,
    pub moved: Color32,
    pub established: Color32,
    pub disconnected: Color32,
}

impl Theme {
    pub fn for_visuals(visuals: &egui::Visuals) -> Self {
        let dark = visuals.dark_mode;
        let pick = |dark_color: Color32, light_color: Color32| if dark { dark_color } else { light_color };
        Self {
            primary: pick(Color32::from_rgba_unmultiplied(60, 110, 200, 40), Color32::from_rgba_unmultiplied(60, 110, 200, 30)),
            recovery: pick(Color32::from_rgba_unmultiplied(60, 170, 110, 40), Color32::from_rgba_unmultiplied(60, 170, 110, 30)),
            third: pick(Color32::from_rgba_unmultiplied(150, 150, 150, 40), Color32::from_rgba_unmultiplied(120, 120, 120, 30)),
            network: pick(Color32::from_rgb(38, 48, 66), Color32::from_rgb(235, 241, 250)),
            subnet: pick(Color32::from_rgb(52, 64, 86), Color32::from_rgb(214, 226, 244)),
            machine: pick(Color32::from_rgb(70, 70, 90), Color32::from_rgb(245, 245, 250)),
            circuit: pick(Color32::from_rgb(90, 64, 30), Color32::from_rgb(255, 236, 210)),
            text: visuals.text_color(),
            border: visuals.widgets.noninteractive.fg_stroke.color,
            vpn: Color32::from_rgb(150, 110, 230),
            peering: Color32::from_rgb(70, 140, 240),
            expressroute: Color32::from_rgb(240, 150, 40),
            stretched: Color32::from_rgb(40, 180, 180),
            error: visuals.error_fg_color,
            warning: visuals.warn_fg_color,
            moved: Color32::from_rgb(255, 140, 0),
            established: Color32::from_rgb(40, 190, 80),
            disconnected: Color32::from_rgb(230, 60, 60),
        }
    }

    pub fn link_color(&self, link: &Link) -> Color32 {
        match link {
            Link::SiteToSiteVpn { .. } => self.vpn,
            Link::VnetPeering { .. } => self.peering,
            Link::ExpressRoute { .. } => self.expressroute,
            Link::StretchedVlan { .. } => self.stretched,
        }
    }
}

/// The egui_graphs graph of a plan, with the element each node and edge stands for.
pub struct CanvasGraph {
    pub graph: PlanGraph,
    pub nodes: Vec<ElementKey>,
    pub edges: Vec<ElementKey>,
    pub layout: PlanLayout,
    pub node_of: HashMap<ElementKey, NodeIndex>,
    pub edge_of: HashMap<ElementKey, EdgeIndex>,
    /// The plan revision and options this graph was built for.
    pub built_for: Option<(u64, bool, bool)>,
}

impl Default for CanvasGraph {
    fn default() -> Self {
        Self {
            graph: PlanGraph::new(),
            nodes: Vec::new(),
            edges: Vec::new(),
            layout: PlanLayout::default(),
            node_of: HashMap::new(),
            edge_of: HashMap::new(),
            built_for: None,
        }
    }
}

fn worst_severity(report: &Report) -> HashMap<&str, Severity> {
    let mut worst: HashMap<&str, Severity> = HashMap::new();
    for finding in &report.findings {
        if finding.severity == Severity::Info {
            continue;
        }
        if let Some(element) = finding.elements.first() {
            let entry = worst.entry(element.id.as_str()).or_insert(finding.severity);
            *entry = (*entry).min(finding.severity);
        }
    }
    worst
}

impl CanvasGraph {
    /// Rebuilds the graph from the plan.
    pub fn build(plan: &Plan, report: &Report, show_machines: bool, marks: &Marks, theme: &Theme) -> Self {
        let layout = layout(plan, show_machines);
        let worst = worst_severity(report);
        let badge = |id: &str| {
            worst.get(id).map(|severity| if *severity == Severity::Error { theme.error } else { theme.warning })
        };
        let mut canvas = Self { layout, ..Self::default() };
        let add = |canvas: &mut Self, key: ElementKey, rect: Rect, look: NodeLook| {
            let payload = canvas.nodes.len() as u32;
            let index = canvas.graph.add_node_with_location(payload, rect.center());
            if let Some(node) = canvas.graph.node_mut(index) {
                node.display_mut().look = NodeLook { size: rect.size(), ..look };
            }
            canvas.node_of.insert(key.clone(), index);
            canvas.nodes.push(key);
        };
        let outline = |key: &ElementKey| marks.moved.contains(key).then_some(theme.moved);
        for site in &plan.sites {
            let Some(rect) = canvas.layout.sites.get(&site.id).copied() else { continue };
            let fill = match site.role {
                SiteRole::Primary => theme.primary,
                SiteRole::Recovery => theme.recovery,
                SiteRole::Third => theme.third,
            };
            let key = ElementKey::new(ElementKind::Site, site.id.as_str());
            let look = NodeLook {
                title: format!("{} — {}", site.name, site.role.label()).into(),
                subtitle: site.region.clone().unwrap_or_else(|| site.kind.label().to_owned()).into(),
                fill,
                stroke: theme.border,
                text: theme.text,
                grab_height: Some(SITE_HEADER),
                badge: badge(site.id.as_str()),
                outline: outline(&key),
                rounding: 10.0,
                ..NodeLook::default()
            };
            add(&mut canvas, key, rect, look);
        }
        for network in &plan.networks {
            let Some(rect) = canvas.layout.networks.get(&network.id).copied() else { continue };
            let space = network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            let mut extras: Vec<String> = network
                .gateways
                .iter()
                .map(|gateway| {
                    let ready = if gateway.provisioned_before_failover { "" } else { " (at failover)" };
                    format!("{} GW{ready}", gateway.kind.label())
                })
                .collect();
            extras.extend(network.nvas.iter().map(|nva| format!("NVA {}", nva.ip)));
            let subtitle = if extras.is_empty() { space } else { format!("{space} · {}", extras.join(" · ")) };
            let key = ElementKey::new(ElementKind::Network, network.id.as_str());
            let look = NodeLook {
                title: format!("{} ({})", network.name, network.kind.label()).into(),
                subtitle: subtitle.into(),
                fill: theme.network,
                stroke: theme.border,
                text: theme.text,
                grab_height: Some(NETWORK_HEADER),
                badge: badge(network.id.as_str()),
                outline: outline(&key),
                rounding: 6.0,
                ..NodeLook::default()
            };
            add(&mut canvas, key, rect, look);
        }
        for subnet in &plan.subnets {
            let Some(rect) = canvas.layout.subnets.get(&subnet.id).copied() else { continue };
            let key = ElementKey::new(ElementKind::Subnet, subnet.id.as_str());
            let look = NodeLook {
                title: format!("{}  {}", subnet.name, subnet.prefix).into(),
                fill: theme.subnet,
                stroke: theme.border.gamma_multiply(0.5),
                text: theme.text,
                badge: badge(subnet.id.as_str()),
                outline: outline(&key),
                rounding: 3.0,
                ..NodeLook::default()
            };
            add(&mut canvas, key, rect, look);
        }
        for machine in &plan.machines {
            let Some(rect) = canvas.layout.machines.get(&machine.id).copied() else { continue };
            let key = ElementKey::new(ElementKind::Machine, machine.id.as_str());
            let verdicts: Vec<_> = report.verdicts.iter().filter(|verdict| verdict.machine.id == machine.id.as_str()).collect();
            let retention = if verdicts.iter().any(|verdict| verdict.blocked_by.is_some()) {
                " · cannot keep IP"
            } else if verdicts.is_empty() {
                ""
            } else if verdicts.iter().all(|verdict| verdict.keeps_ip) {
                " · keeps IP"
            } else {
                " · new IP"
            };
            let look = NodeLook {
                title: format!("{}  {}{retention}", machine.name, machine.ip).into(),
                fill: theme.machine,
                stroke: theme.border.gamma_multiply(0.4),
                text: theme.text,
                badge: badge(machine.id.as_str()),
                outline: outline(&key),
                rounding: 8.0,
                ..NodeLook::default()
            };
            add(&mut canvas, key, rect, look);
        }
        for circuit in &plan.circuits {
            let Some(rect) = canvas.layout.circuits.get(&circuit.id).copied() else { continue };
            let premium = if circuit.premium { ", Premium" } else { "" };
            let key = ElementKey::new(ElementKind::Circuit, circuit.id.as_str());
            let look = NodeLook {
                title: format!("{} (ExpressRoute)", circuit.name).into(),
                subtitle: format!("{} · {} Mbps{premium}", circuit.peering_location, circuit.bandwidth_mbps).into(),
                fill: theme.circuit,
                stroke: theme.expressroute,
                text: theme.text,
                badge: badge(circuit.id.as_str()),
                rounding: 12.0,
                ..NodeLook::default()
            };
            add(&mut canvas, key, rect, look);
        }
        for connection in &plan.connections {
            let from = canvas.node_of.get(&ElementKey::new(ElementKind::Network, connection.from.as_str())).copied();
            let to = match &connection.link {
                Link::ExpressRoute { circuit } => canvas.node_of.get(&ElementKey::new(ElementKind::Circuit, circuit.as_str())).copied(),
                Link::SiteToSiteVpn { to } | Link::StretchedVlan { to } | Link::VnetPeering { to, .. } => {
                    canvas.node_of.get(&ElementKey::new(ElementKind::Network, to.as_str())).copied()
                }
            };
            let (Some(from), Some(to)) = (from, to) else { continue };
            let payload = canvas.edges.len() as u32;
            let index = canvas.graph.add_edge(from, to, payload);
            let id = connection.id.as_str();
            let color = if marks.established.contains(id) {
                theme.established
            } else if marks.disconnected.contains(id) {
                theme.disconnected
            } else {
                theme.link_color(&connection.link)
            };
            if let Some(edge) = canvas.graph.edge_mut(index) {
                edge.display_mut().look = EdgeLook {
                    color,
                    width: if matches!(connection.link, Link::ExpressRoute { .. }) { 3.0 } else { 2.0 },
                    dashed: !connection.is_active() || marks.disconnected.contains(id),
                };
            }
            let key = ElementKey::new(ElementKind::Connection, id);
            canvas.edge_of.insert(key.clone(), index);
            canvas.edges.push(key);
        }
        canvas
    }

    /// Marks the selected element's node or edge as selected.
    pub fn select(&mut self, selection: Option<&ElementKey>) {
        let node = selection.and_then(|key| self.node_of.get(key)).copied();
        let edge = selection.and_then(|key| self.edge_of.get(key)).copied();
        let nodes: Vec<NodeIndex> = self.graph.nodes_iter().map(|(index, _)| index).collect();
        for index in nodes {
            if let Some(found) = self.graph.node_mut(index) {
                found.set_selected(Some(index) == node);
            }
        }
        self.graph.set_selected_nodes(node.into_iter().collect());
        let edges: Vec<EdgeIndex> = self.graph.edges_iter().map(|(index, _)| index).collect();
        for index in edges {
            if let Some(found) = self.graph.edge_mut(index) {
                found.set_selected(Some(index) == edge);
            }
        }
        self.graph.set_selected_edges(edge.into_iter().collect());
    }

    fn key_of_node(&self, index: NodeIndex) -> Option<&ElementKey> {
        let payload = *self.graph.node(index)?.payload();
        self.nodes.get(payload as usize)
    }

    fn key_of_edge(&self, index: EdgeIndex) -> Option<&ElementKey> {
        let payload = *self.graph.edge(index)?.payload();
        self.edges.get(payload as usize)
    }
}

/// What the user did on the canvas this frame.
#[derive(Debug, Default)]
pub struct CanvasResponse {
    pub clicked: Option<ElementKey>,
    pub clicked_empty: bool,
    /// A drag ended: the element and its new top-left (for sites, their stored position moved by
    /// the same delta).
    pub moved: Option<(ElementKey, Point)>,
}

/// Shows a plan graph with pan and zoom; `id` keeps before and after views apart.
pub fn canvas_ui(ui: &mut egui::Ui, canvas: &mut CanvasGraph, plan: &Plan, id: &str, fit: bool, editable: bool) -> CanvasResponse {
    let interactions = SettingsInteraction::new()
        .with_dragging_enabled(editable)
        .with_hover_enabled(true)
        .with_node_clicking_enabled(true)
        .with_edge_clicking_enabled(true);
    let navigation = SettingsNavigation::new().with_zoom_and_pan_enabled(true).with_fit_to_screen_enabled(fit).with_fit_to_screen_padding(0.35);
    let style = SettingsStyle::new().with_labels_always(true);
    let response = GraphView::<FixedState, FixedLayout>::new()
        .with_id(Some(id.to_owned()))
        .with_interactions(&interactions)
        .with_navigations(&navigation)
        .with_styles(&style)
        .show(ui, &mut canvas.graph);
    let mut result = CanvasResponse::default();
    let mut drag_start: Option<Pos2> = ui.data(|data| data.get_temp(egui::Id::new((id, "drag-start"))));
    for change in &response.changes {
        match change {
            GraphChange::NodeClicked { node } => result.clicked = canvas.key_of_node(*node).cloned(),
            GraphChange::EdgeClicked { edge } => result.clicked = canvas.key_of_edge(*edge).cloned(),
            GraphChange::NodeDragStarted { node } => {
                drag_start = canvas.graph.node(*node).map(|found| found.location());
            }
            GraphChange::NodeDragEnded { node } => {
                let (Some(key), Some(found)) = (canvas.key_of_node(*node).cloned(), canvas.graph.node(*node)) else { continue };
                let start = drag_start.take().unwrap_or(found.location());
                let delta = found.location() - start;
                if delta.length() < 0.5 {
                    continue;
                }
                let old_top_left = match key.kind {
                    ElementKind::Site => plan.site(&SiteId::new(&key.id)).and_then(|site| site.position).map(|p| Pos2::new(p.x, p.y)),
                    _ => None,
                }
                .or_else(|| canvas.layout.rect_of(&key).map(|rect| rect.min));
                if let Some(top_left) = old_top_left {
                    let moved = top_left + delta;
                    result.moved = Some((key, Point::new(moved.x.round(), moved.y.round())));
                }
            }
            _ => {}
        }
    }
    ui.data_mut(|data| data.insert_temp(egui::Id::new((id, "drag-start")), drag_start));
    if response.response.clicked() && result.clicked.is_none() {
        result.clicked_empty = true;
    }
    result
}

/// Points the view with `id` at a canvas rectangle (framing a finding's elements).
pub fn frame_rect(ui: &mut egui::Ui, id: &str, target: Rect, view_size: Vec2) {
    let mut meta = egui_graphs::MetadataFrame::new(Some(id.to_owned())).load(ui);
    let target = target.expand(60.0);
    let zoom = (view_size.x / target.width()).min(view_size.y / target.height()).clamp(0.1, 2.0);
    meta.zoom = zoom;
    meta.pan = (view_size / 2.0) - target.center().to_vec2() * zoom;
    meta.save(ui);
}
