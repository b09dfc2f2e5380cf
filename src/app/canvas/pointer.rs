//! What the pointer does on the canvas, as a diagram editor does it: click to select (Shift or
//! Ctrl to add and remove), drag an element to move it with everything in it, drag a network's or
//! circuit's handle onto another element to connect them, drag on empty canvas to select with a
//! rubber band. The canvas asks for a repaint only while one of these is under way.

use egui::{Color32, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};
use rustc_hash::FxHashMap;

use super::paint::{self, MIN_TEXT_PX, Painting};
use super::{CanvasCache, View};
use crate::edit::{Edit, ElementKey, Placement};
use crate::export::diagram::scene::Geometry;
use crate::export::diagram::{self, Marks};
use crate::export::palette::{Paint, Palette};
use crate::model::ElementKind;
use crate::model::{Plan, Point};
use crate::validate::Severity;

/// The grid a moved element's top-left corner snaps to, in canvas units.
pub const GRID: f32 = 10.0;
/// The radius of a connection handle, in screen points.
const HANDLE_RADIUS: f32 = 6.0;

/// A drag under way.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Gesture {
    #[default]
    Idle,
    /// Moving `keys` (sites, networks, circuits) by `delta` canvas units so far.
    Moving { keys: Vec<ElementKey>, delta: Vec2 },
    /// Dragging a connection from `from` to the pointer (canvas units).
    Connecting { from: ElementKey, to: Pos2 },
    /// A rubber band between two canvas points.
    Selecting { from: Pos2, to: Pos2 },
}

/// What the user pointed at.
#[derive(Clone, Debug, PartialEq)]
enum Hit {
    Handle(ElementKey),
    Element(ElementKey),
    Nothing,
}

/// How the selection changes.
#[derive(Clone, Debug, PartialEq)]
pub enum SelectionChange {
    Replace(Vec<ElementKey>),
    Toggle(ElementKey),
}

/// What one frame of the canvas asks the app to do.
#[derive(Clone, Debug, Default)]
pub struct CanvasOutput {
    pub selection: Option<SelectionChange>,
    pub edit: Option<Edit>,
    /// A connection dragged from the first element onto the second, dropped at a screen point.
    pub connect: Option<(ElementKey, ElementKey, Pos2)>,
    /// Where the user last clicked, in the plan's canvas coordinates.
    pub clicked_at: Option<Point>,
}

/// The canvas of the design view: the plan, editable.
pub struct Canvas<'a> {
    pub plan: &'a Plan,
    pub cache: &'a mut CanvasCache,
    pub view: &'a mut View,
    pub gesture: &'a mut Gesture,
    pub selection: &'a [ElementKey],
    pub snap: bool,
    /// Show an element's full name and addresses when the pointer rests on it.
    pub hover_text: bool,
    /// False while `cache` shows an older plan than `plan` (the newer canvas is being built): a
    /// drag may select, but it does not move or connect what it would place from stale boxes.
    pub editable: bool,
}

fn palette_of(ui: &egui::Ui) -> Palette {
    if ui.visuals().dark_mode { Palette::Dark } else { Palette::Light }
}

/// Draws the editable canvas and turns this frame's pointer input into a [`CanvasOutput`].
pub fn canvas_ui(ui: &mut egui::Ui, canvas: Canvas) -> CanvasOutput {
    let Canvas { plan, cache, view, gesture, selection, snap, hover_text, editable } = canvas;
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    view.origin = response.rect.min;
    view.navigate(ui, &response);
    let mut output = CanvasOutput::default();
    let modifiers = ui.input(|input| input.modifiers);

    if response.drag_started() {
        let pressed = ui.input(|input| input.pointer.press_origin()).unwrap_or_default();
        *gesture = match hit(cache, view, selection, pressed) {
            Hit::Handle(_) | Hit::Element(_) if !editable => Gesture::Idle,
            Hit::Handle(from) => Gesture::Connecting { from, to: view.to_canvas(pressed) },
            Hit::Element(key) => {
                let grabbed = cache.movable_of(&key);
                match grabbed {
                    Some(grabbed) => {
                        let keys = if selection.contains(&grabbed) || selection.contains(&key) {
                            moved_together(cache, selection)
                        } else {
                            output.selection = Some(SelectionChange::Replace(vec![key.clone()]));
                            vec![grabbed]
                        };
                        Gesture::Moving { keys, delta: Vec2::ZERO }
                    }
                    None => Gesture::Idle,
                }
            }
            Hit::Nothing => {
                let from = view.to_canvas(pressed);
                Gesture::Selecting { from, to: from }
            }
        };
    }
    if response.dragged() {
        let pointer = response.interact_pointer_pos().unwrap_or_default();
        match gesture {
            // The grabbed point stays under the pointer: the distance from the press, not a sum
            // of frame deltas (which loses the movement before egui calls it a drag).
            Gesture::Moving { delta, .. } => {
                let pressed = ui.input(|input| input.pointer.press_origin()).unwrap_or(pointer);
                *delta = (pointer - pressed) / view.zoom;
            }
            Gesture::Connecting { to, .. } | Gesture::Selecting { to, .. } => *to = view.to_canvas(pointer),
            Gesture::Idle => {}
        }
    }
    let shown_delta = match gesture {
        Gesture::Moving { keys, delta } => keys.first().map_or(*delta, |first| snapped(cache, first, *delta, snap)),
        _ => Vec2::ZERO,
    };
    if let Gesture::Moving { keys, .. } = gesture {
        cache.drag(keys, shown_delta);
    }
    if response.drag_stopped() {
        match std::mem::take(gesture) {
            // The moved elements stay drawn where they were dropped until the canvas of the
            // moved plan replaces this one (built on a worker for a large plan).
            Gesture::Moving { keys, .. } if shown_delta != Vec2::ZERO => output.edit = Some(move_edit(cache, &keys, shown_delta)),
            Gesture::Moving { keys, .. } => cache.drag(&keys, Vec2::ZERO),
            Gesture::Connecting { from, to } => {
                if let Hit::Element(target) | Hit::Handle(target) = hit(cache, view, &[], view.to_screen(to)) {
                    let target = connectable_of(cache, &target).unwrap_or(target);
                    if target != from {
                        output.connect = Some((from, target, view.to_screen(to)));
                    }
                }
            }
            Gesture::Selecting { from, to } => {
                let band = Rect::from_two_pos(from, to);
                let inside: Vec<ElementKey> =
                    cache.scene.boxes.iter().filter(|element| band.contains_rect(paint::to_egui(&element.rect))).map(|element| element.key.clone()).collect();
                output.selection = Some(SelectionChange::Replace(inside));
            }
            Gesture::Idle => {}
        }
    }
    if response.clicked() {
        let at = response.interact_pointer_pos().unwrap_or_default();
        output.clicked_at = Some(plan_point(cache.to_plan(view.to_canvas(at))));
        let toggling = modifiers.shift || modifiers.command || modifiers.ctrl;
        output.selection = match hit(cache, view, selection, at) {
            Hit::Element(key) | Hit::Handle(key) if toggling => Some(SelectionChange::Toggle(key)),
            Hit::Element(key) | Hit::Handle(key) => Some(SelectionChange::Replace(vec![key])),
            // Shift or Ctrl on empty canvas keeps the selection.
            Hit::Nothing if toggling => None,
            Hit::Nothing => Some(SelectionChange::Replace(Vec::new())),
        };
    }

    let palette = palette_of(ui);
    painter.rect_filled(response.rect, 0.0, paint::color(palette, Paint::Background));
    let offsets = cache.offsets();
    let replaced = cache.replaced_connections(plan, &offsets);
    let painter = painter.with_clip_rect(response.rect);
    Painting { painter: &painter, view: *view, palette, offsets: &offsets, replaced: &replaced, min_text_px: MIN_TEXT_PX }.paint(&cache.scene.nodes);
    let severity_colors = (ui.visuals().error_fg_color, ui.visuals().warn_fg_color);
    decorations_ui(&painter, cache, view, selection, palette, severity_colors, &offsets);

    let hovered = response.hover_pos().map(|pointer| hit(cache, view, selection, pointer));
    if let Some(Hit::Handle(key) | Hit::Element(key)) = &hovered
        && *gesture == Gesture::Idle
    {
        if let Some(rect) = cache.rect_of(key) {
            painter.rect_stroke(view.to_screen_rect(rect), 2.0, Stroke::new(1.0, hover_color(palette)), StrokeKind::Outside);
        }
        if let Some(text) = describe(plan, key).filter(|_| hover_text) {
            response.clone().on_hover_text_at_pointer(text);
        }
    }
    if let Some((key, rect)) = handle_target(cache, selection, hovered.as_ref()) {
        handle_ui(&painter, view, rect, palette, matches!(hovered, Some(Hit::Handle(ref handle)) if *handle == key));
    }
    match gesture {
        Gesture::Connecting { from, to } => {
            if let Some(rect) = cache.rect_of(from) {
                let start = view.to_screen(handle_point(rect));
                painter.line_segment([start, view.to_screen(*to)], Stroke::new(2.0, selection_color(palette)));
            }
            ui.ctx().request_repaint();
        }
        Gesture::Selecting { from, to } => {
            let band = view.to_screen_rect(Rect::from_two_pos(*from, *to));
            painter.rect(band, 0.0, selection_color(palette).gamma_multiply(0.12), Stroke::new(1.0, selection_color(palette)), StrokeKind::Inside);
            ui.ctx().request_repaint();
        }
        Gesture::Moving { .. } => ui.ctx().request_repaint(),
        Gesture::Idle => {}
    }
    output
}

/// Draws a read-only canvas (a before or after pane, a presented step): the same scene, with
/// no text under `min_text_px`.
/// Returns where the pane is on screen.
pub fn pane_ui(ui: &mut egui::Ui, cache: &CanvasCache, view: &mut View, min_text_px: f32, highlight: &[ElementKey]) -> Rect {
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    view.origin = response.rect.min;
    view.navigate(ui, &response);
    if response.dragged() {
        view.pan += response.drag_delta();
    }
    let palette = palette_of(ui);
    painter.rect_filled(response.rect, 0.0, paint::color(palette, Paint::Background));
    let none = FxHashMap::default();
    let painter = painter.with_clip_rect(response.rect);
    // Outlined: a wide halo under a connection, a box around an element.
    let halo = Stroke::new(9.0, selection_color(palette).gamma_multiply(0.45));
    for geometry in highlight.iter().flat_map(|key| cache.lines_of(key)) {
        let screen = |(x, y): (f32, f32)| view.to_screen(Pos2::new(x, y));
        match geometry {
            Geometry::Line { from, to } => {
                painter.line_segment([screen(from), screen(to)], halo);
            }
            Geometry::Curve(curve) => {
                let points = [screen(curve.start), screen(curve.control), screen(curve.end)];
                painter.add(egui::epaint::QuadraticBezierShape::from_points_stroke(points, false, Color32::TRANSPARENT, halo));
            }
        }
    }
    Painting { painter: &painter, view: *view, palette, offsets: &none, replaced: &FxHashMap::default(), min_text_px }.paint(&cache.scene.nodes);
    for rect in highlight.iter().filter_map(|key| cache.rect_of(key)) {
        painter.rect_stroke(view.to_screen_rect(rect).expand(3.0), 3.0, Stroke::new(2.5, selection_color(palette)), StrokeKind::Outside);
    }
    response.rect
}

fn selection_color(palette: Palette) -> Color32 {
    paint::color(palette, Paint::Selection)
}

fn hover_color(palette: Palette) -> Color32 {
    selection_color(palette).gamma_multiply(0.6)
}

/// The point of a plan's canvas for a point of egui.
fn plan_point(point: Pos2) -> Point {
    Point::new(point.x, point.y)
}

/// What is under a screen point: a handle of the selected or hovered network or circuit, else
/// the innermost element drawn there.
fn hit(cache: &CanvasCache, view: &View, selection: &[ElementKey], screen: Pos2) -> Hit {
    let canvas = view.to_canvas(screen);
    let innermost = innermost_at(cache, canvas, view.zoom);
    let near_handle = |key: &ElementKey| cache.rect_of(key).is_some_and(|rect| (view.to_screen(handle_point(rect)) - screen).length() <= HANDLE_RADIUS + 3.0);
    let candidates = selection.iter().cloned().chain(innermost.clone().and_then(|key| connectable_of(cache, &key)));
    for key in candidates {
        if matches!(key.kind, ElementKind::Network | ElementKind::Circuit) && near_handle(&key) {
            return Hit::Handle(key);
        }
    }
    innermost.map_or(Hit::Nothing, Hit::Element)
}

/// The innermost element drawn at `zoom` whose rectangle holds a canvas point (children come
/// after parents).
fn innermost_at(cache: &CanvasCache, canvas: Pos2, zoom: f32) -> Option<ElementKey> {
    let mut best: Option<(usize, f32)> = None;
    for (index, element) in cache.scene.boxes.iter().enumerate() {
        let rect = paint::to_egui(&element.rect);
        if rect.contains(canvas) && diagram::drawn_at(element.key.kind, zoom) {
            let area = rect.area();
            if best.is_none_or(|(_, smallest)| area <= smallest) {
                best = Some((index, area));
            }
        }
    }
    best.and_then(|(index, _)| cache.scene.boxes.get(index)).map(|element| element.key.clone())
}

/// The element a connection starts from or ends on for a pointed element: a network for what is
/// inside it, a circuit, or a site.
fn connectable_of(cache: &CanvasCache, key: &ElementKey) -> Option<ElementKey> {
    cache.movable_of(key)
}

/// Where a network's or circuit's connection handle is: the middle of its right edge.
fn handle_point(rect: Rect) -> Pos2 {
    rect.right_center()
}

/// The element whose handle is shown: the hovered network or circuit, else the one selected.
fn handle_target(cache: &CanvasCache, selection: &[ElementKey], hovered: Option<&Hit>) -> Option<(ElementKey, Rect)> {
    let hovered = match hovered {
        Some(Hit::Handle(key)) => Some(key.clone()),
        Some(Hit::Element(key)) => connectable_of(cache, key),
        _ => None,
    };
    let single = (selection.len() == 1).then(|| selection.first().cloned()).flatten();
    hovered
        .into_iter()
        .chain(single)
        .find(|key| matches!(key.kind, ElementKind::Network | ElementKind::Circuit))
        .and_then(|key| cache.rect_of(&key).map(|rect| (key, rect)))
}

fn handle_ui(painter: &egui::Painter, view: &View, rect: Rect, palette: Palette, hot: bool) {
    let centre = view.to_screen(handle_point(rect));
    let radius = if hot { HANDLE_RADIUS + 1.5 } else { HANDLE_RADIUS };
    painter.circle(centre, radius, paint::color(palette, Paint::Background), Stroke::new(2.0, selection_color(palette)));
    painter.line_segment([centre - Vec2::X * 3.0, centre + Vec2::X * 3.0], Stroke::new(1.5, selection_color(palette)));
    painter.line_segment([centre - Vec2::Y * 3.0, centre + Vec2::Y * 3.0], Stroke::new(1.5, selection_color(palette)));
}

/// Where the elements' finding marks go at `zoom`, each box once with its worst severity: an
/// element not drawn there has its mark on what holds it and is drawn (a machine's on its subnet
/// or network).
fn finding_marks_at(cache: &CanvasCache, zoom: f32) -> Vec<(usize, Severity)> {
    let drawn = |index: &usize| cache.scene.boxes.get(*index).is_some_and(|element| diagram::drawn_at(element.key.kind, zoom));
    let mut marks: Vec<(usize, Severity)> =
        cache.findings.iter().filter_map(|&(index, severity)| Some((std::iter::once(index).chain(cache.holders_of(index)).find(drawn)?, severity))).collect();
    marks.sort_unstable();
    marks.dedup_by_key(|(index, _)| *index);
    marks
}

/// Selection outlines and finding marks, over the scene (they never hide what is inside).
fn decorations_ui(
    painter: &egui::Painter,
    cache: &CanvasCache,
    view: &View,
    selection: &[ElementKey],
    palette: Palette,
    (error, warning): (Color32, Color32),
    offsets: &FxHashMap<ElementKey, Vec2>,
) {
    let shifted = |index: usize| -> Option<Rect> {
        let element = cache.scene.boxes.get(index)?;
        let dragged = std::iter::once(index).chain(cache.holders_of(index)).find_map(|at| offsets.get(&cache.scene.boxes.get(at)?.key));
        Some(paint::to_egui(&element.rect).translate(dragged.copied().unwrap_or(Vec2::ZERO)))
    };
    for (index, severity) in finding_marks_at(cache, view.zoom) {
        let Some(rect) = shifted(index) else { continue };
        let color = if severity == Severity::Error { error } else { warning };
        let corner = view.to_screen(rect.right_top());
        painter.circle_filled(corner + Vec2::new(-6.0, 6.0), 4.0, color);
    }
    for key in selection {
        let Some(&index) = cache.box_of.get(key) else { continue };
        let Some(rect) = shifted(index) else { continue };
        painter.rect_stroke(view.to_screen_rect(rect).expand(2.0), 3.0, Stroke::new(2.0, selection_color(palette)), StrokeKind::Outside);
    }
}

/// The movable elements a drag of the selection moves: the selected ones (or the network an
/// element is drawn in), without those whose site also moves.
fn moved_together(cache: &CanvasCache, selection: &[ElementKey]) -> Vec<ElementKey> {
    let mut keys: Vec<ElementKey> = Vec::new();
    for key in selection {
        if let Some(movable) = cache.movable_of(key)
            && !keys.contains(&movable)
        {
            keys.push(movable);
        }
    }
    let sites: Vec<ElementKey> = keys.iter().filter(|key| key.kind == ElementKind::Site).cloned().collect();
    keys.retain(|key| key.kind == ElementKind::Site || !cache.parent_of(key).is_some_and(|parent| sites.contains(&parent)));
    keys
}

/// The drag delta with the first moved element's top-left corner on the grid (plan units).
fn snapped(cache: &CanvasCache, first: &ElementKey, delta: Vec2, snap: bool) -> Vec2 {
    let Some(rect) = cache.rect_of(first) else { return delta };
    if !snap {
        return delta;
    }
    let corner = cache.to_plan(rect.min) + delta;
    let on_grid = Pos2::new((corner.x / GRID).round() * GRID, (corner.y / GRID).round() * GRID);
    on_grid - cache.to_plan(rect.min)
}

/// The edit of a finished move: every site, network and circuit drawn where the layout put it
/// is pinned there first, so nothing else moves when the layout's origin changes; then each
/// moved element gets its new top-left corner.
fn move_edit(cache: &CanvasCache, keys: &[ElementKey], delta: Vec2) -> Edit {
    let mut placements = cache.pins();
    for key in keys {
        if let Some(rect) = cache.rect_of(key) {
            placements.push(Placement { key: key.clone(), position: plan_point(cache.to_plan(rect.min) + delta) });
        }
    }
    Edit::Move(placements)
}

/// The text of an element's hover: its full name and addresses.
pub fn describe(plan: &Plan, key: &ElementKey) -> Option<String> {
    use crate::model::*;
    Some(match key.kind {
        ElementKind::Site => {
            let site = plan.site(&SiteId::new(&key.id))?;
            format!("{} — {} site", site.name, site.role.label())
        }
        ElementKind::Network => {
            let network = plan.network(&NetworkId::new(&key.id))?;
            let space = network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            format!("{} {space}\nDrag to move; drag the round + handle onto another network to connect", network.name)
        }
        ElementKind::Subnet => {
            let subnet = plan.subnet(&SubnetId::new(&key.id))?;
            format!("{} {}", subnet.name, subnet.prefix)
        }
        ElementKind::Machine => {
            let machine = plan.machine(&MachineId::new(&key.id))?;
            format!("{} {}", machine.name, machine.ip)
        }
        ElementKind::Circuit => {
            let circuit = plan.circuit(&CircuitId::new(&key.id))?;
            format!("{} — ExpressRoute circuit at {}", circuit.name, circuit.peering_location)
        }
        _ => return None,
    })
}

impl CanvasCache {
    /// Every site, network and circuit where it is drawn now, as placements: applied before an
    /// edit that places something, they keep the rest of the drawing where it is.
    pub fn pins(&self) -> Vec<Placement> {
        self.scene
            .boxes
            .iter()
            .filter(|element| matches!(element.key.kind, ElementKind::Site | ElementKind::Network | ElementKind::Circuit))
            .map(|element| Placement { key: element.key.clone(), position: plan_point(self.to_plan(paint::to_egui(&element.rect).min)) })
            .collect()
    }

    /// Sets where the dragged elements are drawn: `delta` from their place in the model (and
    /// every other element at its place).
    pub fn drag(&mut self, keys: &[ElementKey], delta: Vec2) {
        let indices: Vec<_> = keys.iter().filter_map(|key| self.node_of.get(key).copied()).collect();
        self.dragged = !indices.is_empty() && delta != Vec2::ZERO;
        for node in self.graph.g().node_indices().collect::<Vec<_>>() {
            let Some(found) = self.graph.node_mut(node) else { continue };
            let home = found.display().home.center();
            let location = if indices.contains(&node) { home + delta } else { home };
            if found.display().location != location {
                found.display_mut().location = location;
                found.set_location(location);
            }
        }
    }

    /// Where an element is drawn now (canvas units): its rectangle, moved with a drag under way
    /// or one waiting for the canvas of the moved plan.
    pub fn drawn_rect_of(&self, key: &ElementKey) -> Option<Rect> {
        let rect = self.rect_of(key)?;
        let offset = self.movable_of(key).and_then(|movable| self.offsets().get(&movable).copied()).unwrap_or(Vec2::ZERO);
        Some(rect.translate(offset))
    }

    /// Whether some element is drawn away from its place.
    pub fn is_dragged(&self) -> bool {
        self.dragged
    }

    /// The offset of every element drawn away from its place (the dragged ones and the
    /// networks and circuits of a dragged site).
    pub fn offsets(&self) -> FxHashMap<ElementKey, Vec2> {
        let mut offsets = FxHashMap::default();
        for (key, &node) in &self.node_of {
            let Some(found) = self.graph.node(node) else { continue };
            let offset = found.display().offset();
            if offset != Vec2::ZERO {
                offsets.insert(key.clone(), offset);
            }
        }
        if offsets.is_empty() {
            return offsets;
        }
        for element in &self.scene.boxes {
            if offsets.contains_key(&element.key) {
                continue;
            }
            if let Some(parent) = self.parent_of(&element.key)
                && let Some(&offset) = offsets.get(&parent)
                && matches!(element.key.kind, ElementKind::Network | ElementKind::Circuit)
            {
                offsets.insert(element.key.clone(), offset);
            }
        }
        offsets
    }

    /// The connections with a dragged end, drawn straight between where their ends are now.
    pub fn replaced_connections(&self, plan: &Plan, offsets: &FxHashMap<ElementKey, Vec2>) -> FxHashMap<ElementKey, diagram::scene::Group> {
        let mut replaced = FxHashMap::default();
        if offsets.is_empty() {
            return replaced;
        }
        for edge in self.graph.g().edge_indices() {
            let (Some((a, b)), Some(found)) = (self.graph.edge_endpoints(edge), self.graph.edge(edge)) else { continue };
            let Some(connection) = plan.connections.get(*found.payload() as usize) else { continue };
            let ends = [a, b].map(|node| self.graph.node(node).and_then(|node| self.scene.boxes.get(*node.payload() as usize)));
            let [Some(start), Some(end)] = ends else { continue };
            let start_offset = offsets.get(&start.key).copied();
            let end_offset = offsets.get(&end.key).copied();
            if start_offset.is_none() && end_offset.is_none() {
                continue;
            }
            let from = paint::to_egui(&start.rect).translate(start_offset.unwrap_or_default()).center();
            let to = paint::to_egui(&end.rect).translate(end_offset.unwrap_or_default()).center();
            let geometry = Geometry::Line { from: (from.x, from.y), to: (to.x, to.y) };
            let key = ElementKey::new(ElementKind::Connection, connection.id.as_str());
            replaced.insert(key, diagram::connection_group(connection, geometry, None::<&Marks>, false));
        }
        replaced
    }

    /// The element an element moves with: the site of a network or circuit, the network of a
    /// subnet, gateway or NVA.
    pub fn parent_of(&self, key: &ElementKey) -> Option<ElementKey> {
        let element = self.element(key)?;
        element.parent.and_then(|index| self.scene.boxes.get(index)).map(|parent| parent.key.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Zoomed out, what is not drawn is not pointed at and carries no mark of its own: pointing
    /// at DB01's chip finds DB01 at 100 %, its subnet at 30 % (chips are left out below 45 %),
    /// its network at 10 % (subnet rows below 12.5 %); DB01's error mark goes the same way.
    #[test]
    fn what_is_not_drawn_is_not_pointed_at_and_its_mark_goes_on_what_holds_it() {
        let mut plan = crate::io::load(std::path::Path::new("samples/vmm-change-ip.drplan.json")).expect("sample");
        let db = plan.machines.iter().position(|machine| machine.name == "DB01").expect("DB01");
        let neighbour = plan.machines.iter().find(|machine| machine.subnet == plan.machines[db].subnet && machine.name != "DB01").expect("a neighbour").ip;
        plan.machines[db].ip = neighbour;
        let mut cache = CanvasCache::build(&plan, None, true);
        cache.mark_findings(&crate::validate::validate(&plan));
        let machine = &plan.machines[db];
        let subnet = ElementKey::new(ElementKind::Subnet, machine.subnet.as_str());
        let network = ElementKey::new(ElementKind::Network, plan.subnet(&machine.subnet).expect("its subnet").network.as_str());
        let machine = ElementKey::new(ElementKind::Machine, machine.id.as_str());
        let centre = cache.rect_of(&machine).expect("drawn").center();
        let marked = |zoom: f32| -> Vec<ElementKey> { finding_marks_at(&cache, zoom).iter().map(|(index, _)| cache.scene.boxes[*index].key.clone()).collect() };
        assert_eq!(innermost_at(&cache, centre, 1.0), Some(machine.clone()));
        assert!(marked(1.0).contains(&machine), "{:?}", marked(1.0));
        assert_eq!(innermost_at(&cache, centre, 0.3), Some(subnet.clone()));
        assert_eq!(marked(0.3), vec![subnet], "both machines' marks, once, on their subnet");
        assert_eq!(innermost_at(&cache, centre, 0.1), Some(network.clone()));
        assert_eq!(marked(0.1), vec![network]);
    }

    #[test]
    fn a_drag_snaps_the_corner_of_what_moves_to_the_grid() {
        let plan = crate::io::load(std::path::Path::new("samples/azure-full-region.drplan.json")).expect("sample");
        let cache = CanvasCache::build(&plan, None, false);
        let key = ElementKey::new(ElementKind::Network, "net-source-vnet");
        let rect = cache.rect_of(&key).expect("drawn");
        let delta = snapped(&cache, &key, Vec2::new(33.0, -17.0), true);
        let corner = cache.to_plan(rect.min) + delta;
        assert_eq!((corner.x % GRID, corner.y % GRID), (0.0, 0.0), "{corner:?}");
        assert!((delta - Vec2::new(33.0, -17.0)).length() <= GRID, "{delta:?}");
        assert_eq!(snapped(&cache, &key, Vec2::new(33.0, -17.0), false), Vec2::new(33.0, -17.0));
    }

    #[test]
    fn a_circuit_moves_with_its_site_once_and_is_drawn_with_it_while_dragged() {
        let plan = crate::io::load(std::path::Path::new("samples/expressroute-hub-spoke.drplan.json")).expect("sample");
        let mut cache = CanvasCache::build(&plan, None, false);
        let circuit = plan.circuits.first().expect("a circuit");
        let (circuit_key, site_key) = (ElementKey::new(ElementKind::Circuit, circuit.id.as_str()), ElementKey::new(ElementKind::Site, circuit.site.as_str()));
        // Selected circuit first, then its site: the site moves it, not both.
        assert_eq!(moved_together(&cache, &[circuit_key.clone(), site_key.clone()]), vec![site_key.clone()]);
        cache.drag(std::slice::from_ref(&site_key), Vec2::new(50.0, 0.0));
        assert_eq!(cache.offsets().get(&circuit_key), Some(&Vec2::new(50.0, 0.0)), "drawn with its site during the drag");
        cache.drag(std::slice::from_ref(&site_key), Vec2::ZERO);
        let before = cache.rect_of(&circuit_key).expect("drawn");
        let mut moved = plan.clone();
        crate::edit::apply(&mut moved, move_edit(&cache, &[site_key], Vec2::new(50.0, 0.0))).expect("applies");
        let after = CanvasCache::build(&moved, None, false);
        let shift = after.to_plan(after.rect_of(&circuit_key).expect("drawn").min) - cache.to_plan(before.min);
        assert!((shift - Vec2::new(50.0, 0.0)).length() < 0.01, "moved once: {shift:?}");
    }

    #[test]
    fn a_moved_network_keeps_its_place_in_its_site_and_others_are_pinned_where_they_are() {
        let plan = crate::io::load(std::path::Path::new("samples/hybrid-full-region.drplan.json")).expect("sample");
        let cache = CanvasCache::build(&plan, None, false);
        let key = cache.scene.boxes.iter().find(|element| element.key.kind == ElementKind::Network).expect("a network").key.clone();
        let before: Vec<(ElementKey, Rect)> = cache.scene.boxes.iter().map(|element| (element.key.clone(), paint::to_egui(&element.rect))).collect();
        let edit = move_edit(&cache, std::slice::from_ref(&key), Vec2::new(40.0, 20.0));
        let mut moved = plan.clone();
        crate::edit::apply(&mut moved, edit).expect("the move applies");
        let after = CanvasCache::build(&moved, None, false);
        for (element, rect) in before {
            let now = after.rect_of(&element).expect("still drawn");
            let in_plan = after.to_plan(now.min) - cache.to_plan(rect.min);
            if element == key || cache.movable_of(&element).as_ref() == Some(&key) {
                assert!((in_plan - Vec2::new(40.0, 20.0)).length() < 0.01, "{element:?} moved by {in_plan:?}");
            } else if element.kind != ElementKind::Site {
                assert!(in_plan.length() < 0.01, "{element:?} stays, moved by {in_plan:?}");
            }
        }
    }
}
