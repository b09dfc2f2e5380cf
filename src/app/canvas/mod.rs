//! The canvas: the plan drawn as the exported diagram draws it (the same layout, scene and
//! palette), and edited by hand: select, move, connect, zoom and pan.
//!
//! [`CanvasCache`] is rebuilt from the model when the plan changes: the diagram scene of the
//! plan, the rectangle of every element, and an egui_graphs graph of the elements a user can
//! move (sites, networks, circuits) and the connections between them. The graph keeps where each
//! movable element is while a drag is under way (its node's location), its selection, and which
//! connections follow it; positions themselves live in the model, and a drag becomes one
//! `Edit::Move` when it ends.
//!
//! egui_graphs' own `GraphView` is not used to show the graph: it requests a repaint every
//! frame (a window that burns CPU while nothing happens), moves a dragged node alone and lays
//! text out its own way. The canvas paints the scene itself and asks for a repaint only while
//! something moves.

mod paint;
mod pointer;
mod view;

use egui::{Pos2, Rect, Vec2};
use egui_graphs::{DisplayEdge, DisplayNode, DrawContext, EdgeProps, Node, NodeProps};
use petgraph::Undirected;
use petgraph::stable_graph::{DefaultIx, NodeIndex};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

pub use paint::{MIN_TEXT_PX, color, fonts_ready, install_fonts};
pub use pointer::{Canvas, Gesture, SelectionChange, canvas_ui, describe, pane_ui};
pub use view::{View, ZOOM_STEP};

use super::document::LARGE_PLAN_PREFIXES;
use super::worker::{Polled, Worker, drop_elsewhere};
use crate::edit::ElementKey;
use crate::export::diagram::scene::{Geometry, Group, Node as SceneNode};
use crate::export::diagram::{self, ElementBox, Marks, PanelScene};
use crate::model::ElementKind;
use crate::model::Plan;
use crate::validate::{Report, Severity};

/// A movable element as the graph holds it: its rectangle where the model puts it.
#[derive(Clone, Debug)]
pub struct ElementNode {
    /// Where the model puts the element (canvas units); the node's location is its centre and
    /// differs from `home`'s centre only while the element is dragged.
    pub home: Rect,
    pub location: Pos2,
}

impl From<NodeProps<u32>> for ElementNode {
    fn from(props: NodeProps<u32>) -> Self {
        let location = props.location();
        Self { home: Rect::from_center_size(location, Vec2::ZERO), location }
    }
}

impl ElementNode {
    /// How far the element is dragged from where the model puts it.
    pub fn offset(&self) -> Vec2 {
        self.location - self.home.center()
    }

    pub fn rect(&self) -> Rect {
        self.home.translate(self.offset())
    }
}

impl DisplayNode<u32, u32, Undirected, DefaultIx> for ElementNode {
    fn closest_boundary_point(&self, dir: Vec2) -> Pos2 {
        let half = self.home.size() / 2.0;
        let scale_x = if dir.x.abs() > f32::EPSILON { half.x / dir.x.abs() } else { f32::INFINITY };
        let scale_y = if dir.y.abs() > f32::EPSILON { half.y / dir.y.abs() } else { f32::INFINITY };
        self.location + dir * scale_x.min(scale_y)
    }

    /// The canvas paints the scene itself (see the module docs).
    fn shapes(&mut self, _ctx: &DrawContext) -> Vec<egui::Shape> {
        Vec::new()
    }

    fn update(&mut self, state: &NodeProps<u32>) {
        self.location = state.location();
    }

    fn is_inside(&self, pos: Pos2) -> bool {
        self.rect().contains(pos)
    }
}

/// A connection as the graph holds it: the payload is its index in the plan's connections.
#[derive(Clone, Debug)]
pub struct ConnectionEdge;

impl From<EdgeProps<u32>> for ConnectionEdge {
    fn from(_props: EdgeProps<u32>) -> Self {
        Self
    }
}

type GraphNode = Node<u32, u32, Undirected, DefaultIx, ElementNode>;

impl DisplayEdge<u32, u32, Undirected, DefaultIx, ElementNode> for ConnectionEdge {
    fn shapes(&mut self, _start: &GraphNode, _end: &GraphNode, _ctx: &DrawContext) -> Vec<egui::Shape> {
        Vec::new()
    }

    fn update(&mut self, _state: &EdgeProps<u32>) {}

    fn is_inside(&self, _start: &GraphNode, _end: &GraphNode, _pos: Pos2) -> bool {
        false
    }
}

pub type ElementGraph = egui_graphs::Graph<u32, u32, Undirected, DefaultIx, ElementNode, ConnectionEdge>;

/// What the canvas shows of one plan, rebuilt when the plan or the options change; its marks of
/// findings are made again alone when only the report changed.
pub struct CanvasCache {
    /// The revision and the machines option it was built for.
    pub built_for: Option<(u64, bool)>,
    pub scene: PanelScene,
    /// The movable elements and the connections between them.
    pub graph: ElementGraph,
    pub node_of: FxHashMap<ElementKey, NodeIndex>,
    /// Index in `scene.boxes` by element.
    pub box_of: FxHashMap<ElementKey, usize>,
    /// The worst finding of each element that has one (errors and warnings).
    pub findings: Vec<(usize, Severity)>,
    /// The revision of the report `findings` come from (`Document::report_revision`): a new
    /// report marks the elements again without building the rest.
    pub findings_for: Option<u64>,
    /// Some element is drawn away from its place (`drag`).
    dragged: bool,
}

impl Default for CanvasCache {
    fn default() -> Self {
        Self {
            built_for: None,
            scene: PanelScene { width: 0.0, height: 0.0, origin: (0.0, 0.0), nodes: Vec::new(), boxes: Vec::new() },
            graph: ElementGraph::new(),
            node_of: FxHashMap::default(),
            box_of: FxHashMap::default(),
            findings: Vec::new(),
            findings_for: None,
            dragged: false,
        }
    }
}

/// The design canvas as the app keeps it between frames.
pub struct CanvasState {
    pub cache: CanvasCache,
    pub view: View,
    pub gesture: Gesture,
    /// Fit the view to the plan at the next frame (a plan was opened, or Fit was asked for).
    pub fit_pending: bool,
    /// The viewport size and the view of the last fit, while the user has not zoomed or
    /// panned since: the view fits again when the window changes size.
    pub fitted: Option<(Vec2, View)>,
    /// Bring this element into view at the next frame if it is not (an added element).
    pub reveal: Option<ElementKey>,
    /// Where the canvas was on screen in the last frame.
    pub viewport: Rect,
    /// Where the user last clicked the canvas (plan coordinates), for the next added element.
    pub clicked_at: Option<crate::model::Point>,
    /// The canvas of a newer plan being built on a worker thread, with the revision and
    /// machines option it is built for; `cache` shows the older plan until it arrives.
    pub building: Option<((u64, bool), Worker<CanvasCache>)>,
}

impl Default for CanvasState {
    fn default() -> Self {
        Self {
            cache: CanvasCache::default(),
            view: View::default(),
            gesture: Gesture::Idle,
            fit_pending: true,
            fitted: None,
            reveal: None,
            viewport: Rect::from_min_size(Pos2::ZERO, Vec2::new(800.0, 600.0)),
            clicked_at: None,
            building: None,
        }
    }
}

impl CanvasState {
    /// Brings `cache` to the canvas of `plan` at `wanted` (its revision and machines option);
    /// returns true while a build runs, for the caller to ask for a frame that picks it up.
    ///
    /// A large plan's canvas is built on a worker thread, as its validation is: at 100k
    /// prefixes a build takes a tenth of a second, which would stop the window after every
    /// edit. The older canvas is shown meanwhile, the moved elements where they were dropped.
    /// One build runs at a time: edits made meanwhile (each keystroke in a name is one) are
    /// drawn by the build after it.
    pub fn refresh(&mut self, plan: &Arc<Plan>, wanted: (u64, bool)) -> bool {
        if let Some((built_for, worker)) = &self.building {
            match worker.poll() {
                Polled::Done(cache) => {
                    drop_elsewhere(std::mem::replace(&mut self.cache, CanvasCache { built_for: Some(*built_for), ..cache }));
                    self.building = None;
                }
                Polled::Running => return self.cache.built_for != Some(wanted),
                Polled::Stopped => self.building = None,
            }
        }
        if self.cache.built_for == Some(wanted) {
            return false;
        }
        let machines = wanted.1;
        if self.cache.built_for.is_none() || plan.prefix_count() < LARGE_PLAN_PREFIXES {
            self.cache = CanvasCache { built_for: Some(wanted), ..CanvasCache::build(plan, None, machines) };
            return false;
        }
        let plan = Arc::clone(plan);
        let worker = Worker::start(move || {
            let cache = CanvasCache::build(&plan, None, machines);
            // Let go of the plan first: once the canvas arrives, the next edit finds the plan
            // unshared and changes it in place instead of copying it (`Arc::make_mut`).
            drop(plan);
            cache
        });
        self.building = Some((wanted, worker));
        true
    }
}

/// True for the elements a drag moves as a whole.
fn movable(kind: ElementKind) -> bool {
    matches!(kind, ElementKind::Site | ElementKind::Network | ElementKind::Circuit)
}

impl CanvasCache {
    /// The scene of the plan (with a failover's `marks`), its elements' boxes and the graph of
    /// what a user can move; no findings marked yet (`mark_findings`).
    pub fn build(plan: &Plan, marks: Option<&Marks>, machines: bool) -> Self {
        let scene = diagram::panel_scene(plan, marks, machines);
        let mut cache = Self { scene, ..Self::default() };
        for (index, element) in cache.scene.boxes.iter().enumerate() {
            cache.box_of.insert(element.key.clone(), index);
            if movable(element.key.kind) {
                let home = paint::to_egui(&element.rect);
                let node = cache.graph.add_node_with_location(index as u32, home.center());
                if let Some(found) = cache.graph.node_mut(node) {
                    let display = found.display_mut();
                    display.home = home;
                    display.location = home.center();
                }
                cache.node_of.insert(element.key.clone(), node);
            }
        }
        for (index, connection) in plan.connections.iter().enumerate() {
            let from = cache.node_of.get(&ElementKey::new(ElementKind::Network, connection.from.as_str())).copied();
            let to = match &connection.link {
                crate::model::Link::ExpressRoute { circuit } => cache.node_of.get(&ElementKey::new(ElementKind::Circuit, circuit.as_str())),
                other => other_end(other).and_then(|to| cache.node_of.get(&ElementKey::new(ElementKind::Network, to))),
            }
            .copied();
            if let (Some(from), Some(to)) = (from, to) {
                cache.graph.add_edge(from, to, index as u32);
            }
        }
        cache
    }

    /// Marks each element with its worst finding (errors and warnings) in `report`. A finding
    /// marks every element it is about, not those that only hold them: both machines that share
    /// an address, not their network; a machine whose address is outside its subnet, not the
    /// subnet.
    pub fn mark_findings(&mut self, report: &Report) {
        let mut worst: FxHashMap<usize, Severity> = FxHashMap::default();
        for finding in report.findings.iter().filter(|finding| finding.severity != Severity::Info) {
            let named: Vec<usize> =
                finding.elements.iter().filter_map(|element| self.box_of.get(&ElementKey::new(element.kind, element.id.as_str())).copied()).collect();
            // What holds a named element, found once per element (a finding about a shared
            // subnet names thousands of machines).
            let holders: FxHashSet<usize> = named.iter().flat_map(|&index| self.holders_of(index)).collect();
            for &index in named.iter().filter(|index| !holders.contains(index)) {
                let entry = worst.entry(index).or_insert(finding.severity);
                *entry = (*entry).min(finding.severity);
            }
        }
        self.findings = worst.into_iter().collect();
        self.findings.sort_unstable_by_key(|(index, _)| *index);
    }

    /// The boxes that hold the one at `index`, innermost first (its subnet, network, site).
    pub fn holders_of(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.scene.boxes.get(index).and_then(|element| element.parent), |&holder| {
            self.scene.boxes.get(holder).and_then(|element| element.parent)
        })
    }

    /// Everything drawn, in canvas units.
    pub fn bounds(&self) -> Rect {
        Rect::from_min_size(Pos2::ZERO, Vec2::new(self.scene.width, self.scene.height))
    }

    pub fn element(&self, key: &ElementKey) -> Option<&ElementBox> {
        self.box_of.get(key).and_then(|index| self.scene.boxes.get(*index))
    }

    /// An element's rectangle (canvas units), where it is drawn now.
    pub fn rect_of(&self, key: &ElementKey) -> Option<Rect> {
        self.element(key).map(|element| paint::to_egui(&element.rect))
    }

    /// The lines drawn for a connection (canvas units).
    pub fn lines_of(&self, key: &ElementKey) -> Vec<Geometry> {
        fn find<'n>(nodes: &'n [SceneNode], key: &ElementKey) -> Option<&'n Group> {
            nodes.iter().find_map(|node| match node {
                SceneNode::Group(group) if group.owner.as_ref() == Some(key) => Some(&**group),
                SceneNode::Group(group) => find(&group.children, key),
                _ => None,
            })
        }
        let paths = find(&self.scene.nodes, key).map(|group| group.children.as_slice()).unwrap_or_default();
        paths.iter().filter_map(|child| if let SceneNode::Path(path) = child { Some(path.geometry) } else { None }).collect()
    }

    /// Where an element is drawn (canvas units): its box, or for a connection the bounds of its
    /// line.
    pub fn outline_of(&self, key: &ElementKey) -> Option<Rect> {
        self.rect_of(key).or_else(|| {
            self.lines_of(key)
                .into_iter()
                .flat_map(|geometry| match geometry {
                    Geometry::Line { from, to } => vec![from, to],
                    Geometry::Curve(curve) => vec![curve.start, curve.control, curve.end],
                })
                .map(|(x, y)| Rect::from_min_max(Pos2::new(x, y), Pos2::new(x, y)))
                .reduce(|all, point| all.union(point))
        })
    }

    /// The movable element a drag on `key` moves: itself, or the network it is drawn in.
    pub fn movable_of(&self, key: &ElementKey) -> Option<ElementKey> {
        let index = *self.box_of.get(key)?;
        std::iter::once(index)
            .chain(self.holders_of(index))
            .filter_map(|at| self.scene.boxes.get(at))
            .find(|element| movable(element.key.kind))
            .map(|element| element.key.clone())
    }

    /// A point of the plan's canvas (where stored positions live) for a point of the drawing.
    pub fn to_plan(&self, drawn: Pos2) -> Pos2 {
        drawn + Vec2::new(self.scene.origin.0, self.scene.origin.1)
    }
}

fn other_end(link: &crate::model::Link) -> Option<&str> {
    match link {
        crate::model::Link::SiteToSiteVpn { to } | crate::model::Link::VnetPeering { to, .. } | crate::model::Link::StretchedVlan { to } => Some(to.as_str()),
        crate::model::Link::ExpressRoute { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Plan;

    /// The keys of the elements marked with a finding on the canvas of `plan`.
    fn marked(plan: &Plan) -> Vec<ElementKey> {
        let mut cache = CanvasCache::build(plan, None, true);
        cache.mark_findings(&crate::validate::validate(plan));
        cache.findings.iter().map(|(index, _)| cache.scene.boxes[*index].key.clone()).collect()
    }

    /// Two machines given one address: both are marked (ADDR-IP-DUPLICATE names them and their
    /// network), their subnet and network are not.
    #[test]
    fn a_finding_marks_every_element_it_is_about_and_not_what_holds_them() {
        let mut plan = crate::io::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/vmm-change-ip.drplan.json")).unwrap();
        assert!(marked(&plan).is_empty(), "the sample has no errors or warnings on its elements");
        let first = plan.machines[0].clone();
        let second = plan.machines.iter().position(|machine| machine.subnet == first.subnet && machine.id != first.id).unwrap();
        plan.machines[second].ip = first.ip;
        let machine = |id: &str| ElementKey::new(ElementKind::Machine, id);
        let mut expected = vec![machine(first.id.as_str()), machine(plan.machines[second].id.as_str())];
        expected.sort();
        let mut found = marked(&plan);
        found.sort();
        assert_eq!(found, expected);
    }
}
