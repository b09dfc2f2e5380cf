//! Paints a diagram scene with egui: the same rectangles, texts and lines the SVG export writes,
//! in the window's palette, through the view's zoom and pan.
//!
//! Text is never drawn smaller than [`MIN_TEXT_PX`]: what would be smaller at this zoom is left
//! out, so zooming out shows names first, then boxes alone, never unreadable text.

use egui::epaint::{PathShape as EguiPath, PathStroke, QuadraticBezierShape, RectShape as EguiRect};
use egui::{Color32, CornerRadius, FontFamily, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};
use std::cell::RefCell;

use rustc_hash::{FxHashMap, FxHashSet};

use super::view::View;
use crate::edit::ElementKey;
use crate::export::diagram::scene::{Anchor, Geometry, Group, Legibility, Node, PathShape, RectShape, TextShape};
use crate::export::diagram::{Rect as DiagramRect, Weight};
use crate::export::palette::{Paint, Palette};

/// The smallest text the canvas draws, in screen pixels.
pub const MIN_TEXT_PX: f32 = 11.0;

/// The font families the canvas draws with: the diagrams' own (DejaVu Sans), so text measures
/// and looks the same on screen as in the exports.
pub const REGULAR_FAMILY: &str = "drplan-regular";
pub const BOLD_FAMILY: &str = "drplan-bold";

/// Adds the diagram fonts to egui's (they are used by name; egui's own fonts stay as they are).
pub fn install_fonts(ctx: &egui::Context) {
    use crate::export::diagram::{BOLD_FONT, REGULAR_FONT};
    let mut fonts = egui::FontDefinitions::default();
    for (family, bytes) in [(REGULAR_FAMILY, REGULAR_FONT), (BOLD_FAMILY, BOLD_FONT)] {
        fonts.font_data.insert(family.to_owned(), std::sync::Arc::new(egui::FontData::from_static(bytes)));
        fonts.families.insert(FontFamily::Name(family.into()), vec![family.to_owned()]);
    }
    ctx.set_fonts(fonts);
}

/// True once the fonts of [`install_fonts`] are in use (from the frame after it).
pub fn fonts_ready(ctx: &egui::Context) -> bool {
    ctx.fonts(|fonts| fonts.definitions().families.contains_key(&FontFamily::Name(REGULAR_FAMILY.into())))
}

pub fn color(palette: Palette, paint: Paint) -> Color32 {
    palette.rgb(paint).map_or(Color32::TRANSPARENT, |rgb| Color32::from_rgb(rgb.0, rgb.1, rgb.2))
}

pub fn to_egui(rect: &DiagramRect) -> Rect {
    Rect::from_min_size(Pos2::new(rect.x, rect.y), Vec2::new(rect.width, rect.height))
}

/// How a scene is painted this frame.
#[derive(Clone, Copy)]
pub struct Painting<'a> {
    pub painter: &'a Painter,
    pub view: View,
    pub palette: Palette,
    /// Canvas offsets of the groups owned by elements being dragged.
    pub offsets: &'a FxHashMap<ElementKey, Vec2>,
    /// Groups drawn instead of those of the same owner (connections whose ends are dragged).
    pub replaced: &'a FxHashMap<ElementKey, Group>,
    /// The smallest text drawn, in screen pixels: [`MIN_TEXT_PX`] on the canvas, more on a
    /// projector.
    pub min_text_px: f32,
}

impl Painting<'_> {
    pub fn paint(&self, nodes: &[Node]) {
        // The diagram fonts are installed at the first frame and usable from the next.
        if !fonts_ready(self.painter.ctx()) {
            self.painter.ctx().request_repaint();
            return;
        }
        let room = RefCell::new(BadgeRoom::default());
        for node in nodes {
            self.node(node, Vec2::ZERO, &room);
        }
    }

    fn node(&self, node: &Node, offset: Vec2, room: &RefCell<BadgeRoom>) {
        match node {
            Node::Group(group) if group.hidden_below_zoom.is_some_and(|zoom| self.view.zoom < zoom) => {}
            Node::Group(group) if group.detail_of_size.is_some_and(|size| size * self.view.zoom < self.min_text_px - 0.5) => {
                // A badge grows about its centre until its text is legible; other details are
                // left out.
                let (Some(size), Some(centre)) = (group.detail_of_size, group.grows.and_then(|from| growth_point(group, from))) else { return };
                let factor = self.min_text_px / (size * self.view.zoom);
                let mut view = self.view;
                view.pan += (centre + offset).to_vec2() * self.view.zoom * (1.0 - factor);
                view.zoom *= factor;
                // Grown, badges that would cover one another are left out but the first: zoomed
                // far out on a large plan, thousands of numbered changes piled up into a cloud.
                // The cells are anchored to the canvas, not the screen, so panning does not
                // change which badges are drawn.
                let anchor = self.view.origin.to_vec2() + self.view.pan;
                if let Some(outline) = outline(group)
                    && !room.borrow_mut().take(view.to_screen_rect(outline.translate(offset)).translate(-anchor))
                {
                    return;
                }
                let grown = Painting { view, ..*self };
                for child in &group.children {
                    grown.node(child, offset, room);
                }
            }
            Node::Group(group) => {
                let replacement = group.owner.as_ref().and_then(|owner| self.replaced.get(owner));
                let group = replacement.unwrap_or(group);
                // A dragged element's offset replaces what it inherits (a dragged site's networks
                // carry the site's offset themselves).
                let offset = group.owner.as_ref().and_then(|owner| self.offsets.get(owner)).copied().unwrap_or(offset);
                let offset = offset + group.translate.map_or(Vec2::ZERO, |(x, y)| Vec2::new(x, y));
                // A network off screen is skipped whole rather than shape by shape: zoomed in on
                // 100,000 prefixes, nearly all of them are. Its badges may grow past its box to
                // stay legible (`detail_of_size`), so the box is taken wider by that much.
                if let Some(bounds) = &group.bounds
                    && !self.visible(self.view.to_screen_rect(to_egui(bounds).translate(offset)).expand(4.0 * self.min_text_px))
                {
                    return;
                }
                for child in &group.children {
                    self.node(child, offset, room);
                }
            }
            Node::Rect(shape) => self.rect(shape, offset),
            Node::Text(shape) => self.text(shape, offset),
            Node::Path(shape) => self.path(shape, offset),
        }
    }

    fn visible(&self, rect: Rect) -> bool {
        self.painter.clip_rect().intersects(rect.expand(4.0))
    }

    fn rect(&self, shape: &RectShape, offset: Vec2) {
        let rect = self.view.to_screen_rect(to_egui(&shape.rect).translate(offset));
        if !self.visible(rect) {
            return;
        }
        let radius = CornerRadius::same((shape.radius * self.view.zoom).clamp(0.0, 255.0) as u8);
        let fill = color(self.palette, shape.fill);
        let stroke_color = color(self.palette, shape.stroke);
        let width = if shape.stroke_width > 0.0 { (shape.stroke_width * self.view.zoom).max(1.0) } else { 0.0 };
        match shape.dash {
            Some(dash) if width > 0.0 => {
                self.painter.add(EguiRect::filled(rect, radius, fill));
                let corners = [rect.left_top(), rect.right_top(), rect.right_bottom(), rect.left_bottom(), rect.left_top()];
                let (on, off) = dash_lengths(dash, self.view.zoom);
                self.painter.extend(Shape::dashed_line(&corners, Stroke::new(width, stroke_color), on, off));
            }
            _ => {
                self.painter.add(EguiRect::new(rect, radius, fill, Stroke::new(width, stroke_color), StrokeKind::Inside));
            }
        }
    }

    fn text(&self, shape: &TextShape, offset: Vec2) {
        let zoom = self.view.zoom;
        let natural = shape.font.size * zoom;
        // Names and prefixes are drawn at the smallest legible size down to their zoom; details
        // only at their own size: zooming out shows less, never smaller text.
        let size = match shape.legible {
            Legibility::Detail if natural < self.min_text_px - 0.5 => return,
            Legibility::Detail => natural,
            Legibility::Name { min_zoom, .. } | Legibility::Whole { min_zoom } if zoom < min_zoom => return,
            _ => natural.max(self.min_text_px),
        };
        if shape.content.is_empty() {
            return;
        }
        let at = self.view.to_screen(Pos2::new(shape.x, shape.y) + offset);
        if !self.painter.clip_rect().expand(size * 40.0).contains(at) {
            return;
        }
        let family = match shape.font.weight {
            Weight::Regular => REGULAR_FAMILY,
            Weight::Bold => BOLD_FAMILY,
        };
        let fill = color(self.palette, shape.fill);
        let font = FontId::new(size, FontFamily::Name(family.into()));
        let galley = match &shape.legible {
            // Grown past its size, a name is cut again from its full text to fit its room.
            Legibility::Name { full, room, reserved, .. } if size > natural + 0.01 => {
                let width = room * zoom - reserved * size / shape.font.size;
                if width < size * 1.5 {
                    return;
                }
                let mut job = egui::text::LayoutJob::single_section(full.clone(), egui::TextFormat::simple(font, fill));
                job.wrap = egui::text::TextWrapping { max_width: width, max_rows: 1, break_anywhere: true, overflow_character: Some('…') };
                self.painter.layout_job(job)
            }
            _ => self.painter.layout_no_wrap(shape.content.clone(), font, fill),
        };
        let baseline = galley.rows.first().and_then(|row| row.glyphs.first().map(|glyph| row.pos.y + glyph.pos.y)).unwrap_or(size * 0.93);
        let width = galley.size().x;
        let left = match shape.anchor {
            Anchor::Start => at.x,
            Anchor::Middle => at.x - width / 2.0,
            Anchor::End => at.x - width,
        };
        let top_left = Pos2::new(left, at.y - baseline);
        if let Some(halo) = shape.halo {
            // A halo as SVG draws it: the background's colour around the glyphs.
            let halo = color(self.palette, halo);
            let reach = (2.5 * self.view.zoom).clamp(1.0, 4.0);
            for (dx, dy) in [(-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0), (-0.7, -0.7), (0.7, -0.7), (-0.7, 0.7), (0.7, 0.7)] {
                self.painter.galley_with_override_text_color(top_left + Vec2::new(dx, dy) * reach, galley.clone(), halo);
            }
        }
        self.painter.galley(top_left, galley, fill);
    }

    fn path(&self, shape: &PathShape, offset: Vec2) {
        // A curve lies within the hull of its three points: a line wholly off screen is not
        // drawn (the connections of 100,000 prefixes, most of them off screen, made nine tenths
        // of a frame's triangles).
        let ends = match shape.geometry {
            Geometry::Line { from, to } => [from, to, to],
            Geometry::Curve(curve) => [curve.start, curve.control, curve.end],
        };
        let hull = Rect::from_points(&ends.map(|(x, y)| self.view.to_screen(Pos2::new(x, y) + offset)));
        if !self.visible(hull.expand(shape.width * self.view.zoom)) {
            return;
        }
        let mut stroke_color = color(self.palette, shape.stroke);
        if let Some(opacity) = shape.opacity {
            stroke_color = stroke_color.gamma_multiply(opacity.clamp(0.0, 1.0));
        }
        let stroke = Stroke::new((shape.width * self.view.zoom).max(1.0), stroke_color);
        let screen = |(x, y): (f32, f32)| self.view.to_screen(Pos2::new(x, y) + offset);
        let points: Vec<Pos2> = match shape.geometry {
            Geometry::Line { from, to } => vec![screen(from), screen(to)],
            Geometry::Curve(curve) => {
                let (start, control, end) = (screen(curve.start), screen(curve.control), screen(curve.end));
                if shape.dash.is_none() {
                    let bezier = QuadraticBezierShape::from_points_stroke([start, control, end], false, Color32::TRANSPARENT, stroke);
                    self.painter.add(bezier);
                    return;
                }
                QuadraticBezierShape::from_points_stroke([start, control, end], false, Color32::TRANSPARENT, stroke).flatten(Some(0.5))
            }
        };
        match shape.dash {
            Some(dash) => {
                let (on, off) = dash_lengths(dash, self.view.zoom);
                // A long line seen from far would be thousands of dashes (10,000 prepared
                // peerings across the screen took most of a frame): longer dashes, as many as
                // `max_dashes`, still read as dashed.
                let length: f32 = points.windows(2).map(|pair| pair[0].distance(pair[1])).sum();
                let stretch = (length / (max_dashes(self.view.zoom) * (on + off))).max(1.0);
                self.painter.extend(Shape::dashed_line(&points, stroke, on * stretch, off * stretch));
            }
            None => {
                self.painter.add(EguiPath::line(points, PathStroke::from(stroke)));
            }
        }
    }
}

/// A badge's outline: its first rectangle, in canvas units.
fn outline(group: &Group) -> Option<Rect> {
    group.children.iter().find_map(|child| if let Node::Rect(shape) = child { Some(to_egui(&shape.rect)) } else { None })
}

/// Where grown badges are drawn in a frame, as cells of [`BadgeRoom::CELL`] screen points.
#[derive(Default)]
struct BadgeRoom(FxHashSet<(i32, i32)>);

impl BadgeRoom {
    const CELL: f32 = 8.0;

    /// Takes the cells under `rect` if none of them is taken, and says whether it did.
    fn take(&mut self, rect: Rect) -> bool {
        let cell = |value: f32| (value / Self::CELL).floor() as i32;
        let cells = || (cell(rect.min.y)..=cell(rect.max.y)).flat_map(move |y| (cell(rect.min.x)..=cell(rect.max.x)).map(move |x| (x, y)));
        if cells().any(|taken| self.0.contains(&taken)) {
            return false;
        }
        self.0.extend(cells());
        true
    }
}

/// The point a badge grows from: on its first rectangle (its outline), in canvas units.
fn growth_point(group: &Group, from: Anchor) -> Option<Pos2> {
    let outline = outline(group)?;
    Some(match from {
        Anchor::Start => outline.left_center(),
        Anchor::Middle => outline.center(),
        Anchor::End => outline.right_center(),
    })
}

/// The shortest dash and gap the canvas draws, in screen pixels: zoomed out, dashes keep this
/// size instead of shrinking, so a long prepared connection stays visibly dashed and is drawn
/// with a few dozen segments rather than hundreds.
const MIN_DASH: (f32, f32) = (6.0, 4.0);
/// The most dashes drawn along one connection line (see `Painting::path`), from
/// [`FULL_DASH_ZOOM`] up.
const MAX_DASHES: f32 = 48.0;
/// Below this zoom a line gets fewer dashes, with the square of the zoom: the screen then holds
/// that many times more of the diagram, so about as many dashes are drawn in all (at Fit on a plan
/// of 100,000 prefixes, 10,000 prepared peerings were 260,000 dash segments, half a frame).
const FULL_DASH_ZOOM: f32 = 0.5;
/// The fewest dashes a line gets, however far out: it still reads as dashed.
const MIN_DASHES: f32 = 4.0;

/// The most dashes drawn along one line at `zoom`.
fn max_dashes(zoom: f32) -> f32 {
    (MAX_DASHES * (zoom / FULL_DASH_ZOOM).powi(2)).clamp(MIN_DASHES, MAX_DASHES)
}

/// An SVG dash array ("7 5") as on and off lengths in screen pixels, at least [`MIN_DASH`].
fn dash_lengths(dash: &str, zoom: f32) -> (f32, f32) {
    let mut numbers = dash.split_whitespace().filter_map(|part| part.parse::<f32>().ok());
    let on = numbers.next().unwrap_or(6.0);
    let off = numbers.next().unwrap_or(on);
    ((on * zoom).max(MIN_DASH.0), (off * zoom).max(MIN_DASH.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shapes `paint` adds on a screen of 100 by 100 points, at 100 %.
    fn shapes_painted(paint: impl FnOnce(&Painting)) -> usize {
        let context = egui::Context::default();
        let mut paint = Some(paint);
        let mut output = context.run_ui(egui::RawInput::default(), |ui| {
            let painter = ui.painter().with_clip_rect(Rect::from_min_size(Pos2::ZERO, Vec2::splat(100.0)));
            let (offsets, replaced) = (FxHashMap::default(), FxHashMap::default());
            let painting = Painting {
                painter: &painter,
                view: View::default(),
                palette: Palette::Light,
                offsets: &offsets,
                replaced: &replaced,
                min_text_px: MIN_TEXT_PX,
            };
            if let Some(paint) = paint.take() {
                paint(&painting);
            }
        });
        // The font atlas this first frame made is not uploaded anywhere (egui asserts in debug
        // builds that it is handled).
        output.textures_delta.clear();
        output.shapes.len()
    }

    /// The shapes painting `line` adds.
    fn shapes_of(line: Geometry) -> usize {
        shapes_painted(|painting| painting.path(&PathShape::stroke(line, Paint::Peering, 1.5), Vec2::ZERO))
    }

    /// The shapes a network-like group adds: a box at `x`, and `bounds` said to hold all it draws.
    fn shapes_of_group(x: f32, bounds: DiagramRect) -> usize {
        let mut group = Group { bounds: Some(bounds), ..Group::default() };
        group.rect(DiagramRect::new(x, 10.0, 30.0, 20.0), 2.0, Paint::NetworkFill, Paint::NetworkStroke, 1.0);
        let node = Node::Group(Box::new(group));
        shapes_painted(|painting| painting.node(&node, Vec2::ZERO, &RefCell::default()))
    }

    /// The shapes numbered badges at these places (canvas units, 16 by 10, too small to read at
    /// 100 %, so grown) add, painted in one frame.
    fn shapes_of_badges(places: &[f32]) -> usize {
        let badges: Vec<Node> = places
            .iter()
            .map(|&x| {
                let mut group = Group { detail_of_size: Some(10.0), grows: Some(Anchor::Middle), ..Group::default() };
                group.rect(DiagramRect::new(x, 10.0, 16.0, 10.0), 5.0, Paint::Ink, Paint::Ink, 1.0);
                Node::Group(Box::new(group))
            })
            .collect();
        shapes_painted(|painting| {
            let room = RefCell::default();
            badges.iter().for_each(|badge| painting.node(badge, Vec2::ZERO, &room));
        })
    }

    #[test]
    fn grown_badges_that_would_cover_one_another_are_left_out_but_the_first() {
        assert_eq!(shapes_of_badges(&[0.0, 40.0]), 2, "apart");
        assert_eq!(shapes_of_badges(&[0.0, 4.0, 40.0]), 2, "the second over the first");
    }

    #[test]
    fn a_group_whose_bounds_are_off_screen_is_skipped_whole() {
        assert_eq!(shapes_of_group(10.0, DiagramRect::new(10.0, 10.0, 30.0, 20.0)), 1, "on screen");
        // The box is on screen but the group says it draws only far off to the right.
        assert_eq!(shapes_of_group(10.0, DiagramRect::new(900.0, 10.0, 30.0, 20.0)), 0, "bounds off screen");
        // Bounds just off the edge still count: a badge may grow past them (`detail_of_size`).
        assert_eq!(shapes_of_group(10.0, DiagramRect::new(110.0, 10.0, 30.0, 20.0)), 1, "bounds within reach of the screen");
    }

    #[test]
    fn a_line_wholly_off_screen_is_not_drawn_and_one_crossing_it_is() {
        assert_eq!(shapes_of(Geometry::Line { from: (300.0, 20.0), to: (900.0, 80.0) }), 0, "right of the screen");
        assert_eq!(shapes_of(Geometry::Line { from: (-500.0, 50.0), to: (500.0, 50.0) }), 1, "across it, both ends off screen");
        let arc = crate::export::diagram::Curve { start: (-50.0, 150.0), control: (50.0, -100.0), end: (150.0, 150.0) };
        assert_eq!(shapes_of(Geometry::Curve(arc)), 1, "a curve whose ends are off screen but whose bend is on it");
    }

    /// The rectangles and the texts painting a sample's canvas adds at `zoom`, every part of it
    /// on screen, with its machines drawn or not.
    fn painted_at(zoom: f32, machines: bool) -> (usize, Vec<String>) {
        let plan = crate::io::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/vmm-change-ip.drplan.json")).unwrap();
        let cache = super::super::CanvasCache::build(&plan, None, machines);
        let context = egui::Context::default();
        install_fonts(&context);
        let mut shapes = Vec::new();
        // The diagram fonts are in use from the second frame.
        for _ in 0..2 {
            let mut output = context.run_ui(egui::RawInput::default(), |ui| {
                let painter = ui.painter().with_clip_rect(Rect::from_min_size(Pos2::ZERO, Vec2::splat(100_000.0)));
                let (offsets, replaced) = (FxHashMap::default(), FxHashMap::default());
                let view = View { zoom, pan: Vec2::ZERO, origin: Pos2::ZERO };
                Painting { painter: &painter, view, palette: Palette::Light, offsets: &offsets, replaced: &replaced, min_text_px: MIN_TEXT_PX }
                    .paint(&cache.scene.nodes);
            });
            output.textures_delta.clear();
            shapes = output.shapes;
        }
        let mut rects = 0;
        let mut texts = Vec::new();
        for clipped in shapes {
            match clipped.shape {
                Shape::Rect(_) => rects += 1,
                Shape::Text(text) => texts.push(text.galley.job.text.clone()),
                _ => {}
            }
        }
        (rects, texts)
    }

    /// With machines shown, their chips are labelled where a label is legible, boxes without
    /// text below, and left out where subnet rows lose their text.
    #[test]
    fn machine_chips_are_labelled_at_full_size_then_boxes_then_left_out() {
        let labelled = |texts: &[String]| texts.iter().filter(|text| text.starts_with("DB01")).count();
        let (rects, texts) = painted_at(1.0, true);
        let (rects_without, texts_without) = painted_at(1.0, false);
        assert_eq!(labelled(&texts), 1, "DB01's chip at 100 %: {texts:?}");
        assert_eq!(labelled(&texts_without), 0);
        let chips = rects - rects_without;
        assert!(chips >= 4, "{chips} chips drawn");

        let (rects, texts) = painted_at(0.6, true);
        let (rects_without, _) = painted_at(0.6, false);
        assert_eq!(labelled(&texts), 0, "too small to read at 60 %: {texts:?}");
        assert_eq!(rects - rects_without, chips, "the same chips, as boxes");

        let (rects, _) = painted_at(0.3, true);
        let (rects_without, _) = painted_at(0.3, false);
        assert_eq!(rects, rects_without, "no chips at 30 %");
    }

    /// Zoomed out until a subnet's row would be under 3 points tall, the rows are left out and
    /// their networks' boxes stay.
    #[test]
    fn subnet_rows_are_left_out_where_they_would_be_a_line_of_noise() {
        let subnets = crate::io::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/vmm-change-ip.drplan.json")).unwrap().subnets.len();
        let zoom = crate::export::diagram::SUBNET_MIN_ZOOM;
        let (rows_drawn, _) = painted_at(zoom * 1.05, false);
        let (rows_left_out, _) = painted_at(zoom * 0.95, false);
        assert_eq!(rows_drawn - rows_left_out, subnets, "one rectangle a subnet");
    }

    #[test]
    fn dashes_keep_their_proportion_and_a_visible_length() {
        assert_eq!(dash_lengths("7 5", 2.0), (14.0, 10.0));
        assert_eq!(dash_lengths("3 2", 0.1), MIN_DASH);
    }

    /// The dash segments painting a prepared connection 2,000 points long adds at `zoom`.
    fn dashes_of_a_long_line_at(zoom: f32) -> usize {
        let context = egui::Context::default();
        let mut output = context.run_ui(egui::RawInput::default(), |ui| {
            let painter = ui.painter().with_clip_rect(Rect::from_min_size(Pos2::ZERO, Vec2::splat(4000.0)));
            let (offsets, replaced) = (FxHashMap::default(), FxHashMap::default());
            let view = View { zoom, pan: Vec2::ZERO, origin: Pos2::ZERO };
            let painting = Painting { painter: &painter, view, palette: Palette::Light, offsets: &offsets, replaced: &replaced, min_text_px: MIN_TEXT_PX };
            let line = Geometry::Line { from: (0.0, 10.0), to: (2000.0 / zoom, 10.0) };
            painting.path(&PathShape { dash: Some("6 4"), ..PathShape::stroke(line, Paint::Peering, 1.5) }, Vec2::ZERO);
        });
        output.textures_delta.clear();
        output.shapes.len()
    }

    /// A long prepared line is dashed at every zoom; zoomed out, where the screen holds far more
    /// lines, each gets fewer dashes.
    #[test]
    fn a_long_dashed_line_gets_fewer_dashes_zoomed_out() {
        let near = dashes_of_a_long_line_at(1.0);
        let mid = dashes_of_a_long_line_at(0.25);
        let far = dashes_of_a_long_line_at(0.05);
        assert!((MAX_DASHES as usize - 1..=MAX_DASHES as usize + 1).contains(&near), "{near} dashes at 100 %");
        assert!(mid < near / 2 && mid > far, "{mid} dashes at 25 %");
        assert!((MIN_DASHES as usize..=MIN_DASHES as usize + 1).contains(&far), "{far} dashes at 5 %");
    }
}
