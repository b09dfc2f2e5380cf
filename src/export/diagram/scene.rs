//! A drawing as data: groups of rectangles, texts and paths in diagram units, each painted with a
//! [`Paint`] that says what it means. The diagram module builds scenes; [`write_svg`] writes one
//! as SVG and the desktop canvas paints the same scene with egui, so what a user sees is what
//! they export.
//!
//! Groups carry what SVG consumers and the canvas need to know about an element: its class
//! (`network`, `subnet moved`, ...), the id of the plan element (`data-id`), a title (a tooltip)
//! and the owner, the site, network, circuit or connection a group belongs to, which the canvas
//! uses to move what a drag moves.

use std::fmt::Write;

use super::layout::Rect;
use super::route::Curve;
use super::text::{Font, Weight};
use super::xml::{Pieces, Tenths};
use crate::edit::ElementKey;
use crate::export::palette::{Paint, Palette};

/// How text stands at its x coordinate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A line's shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Geometry {
    Line { from: (f32, f32), to: (f32, f32) },
    Curve(Curve),
}

impl Geometry {
    /// Writes the SVG path data.
    pub fn write_path_data(&self, out: &mut Pieces) {
        let (from, through, to) = match self {
            Self::Line { from, to } => (*from, None, *to),
            Self::Curve(curve) => (curve.start, Some(curve.control), curve.end),
        };
        let mut point = |command: &str, (x, y): (f32, f32)| {
            out.push_str(command);
            out.tenths(x);
            out.push_str(" ");
            out.tenths(y);
        };
        point("M", from);
        match through {
            None => point(" L", to),
            Some(control) => {
                point(" Q", control);
                point(" ", to);
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RectShape {
    pub rect: Rect,
    pub radius: f32,
    pub fill: Paint,
    pub stroke: Paint,
    pub stroke_width: f32,
    pub dash: Option<&'static str>,
    pub class: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TextShape {
    /// The start, middle or end of the baseline.
    pub x: f32,
    pub y: f32,
    pub content: String,
    pub font: Font,
    pub fill: Paint,
    pub anchor: Anchor,
    /// An outline in this paint under the glyphs, so a line that crosses the text stops short.
    pub halo: Option<Paint>,
    /// How a canvas shows the text when the zoom would draw it too small (the SVG writer
    /// ignores it).
    pub legible: Legibility,
}

/// What a canvas does with a text whose size at the zoom is under its smallest legible size.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Legibility {
    /// A detail: left out.
    #[default]
    Detail,
    /// A name: drawn at the smallest legible size down to `min_zoom`, cut from `full` with an
    /// ellipsis to fit `room` (diagram units) less `reserved` (the width, at the diagram's font
    /// size, of a text beside it that grows with it).
    Name { full: String, room: f32, reserved: f32, min_zoom: f32 },
    /// An address or prefix: drawn whole at the smallest legible size down to `min_zoom`.
    Whole { min_zoom: f32 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct PathShape {
    pub geometry: Geometry,
    pub stroke: Paint,
    pub width: f32,
    pub opacity: Option<f32>,
    pub dash: Option<&'static str>,
    pub round_cap: bool,
    /// Written as `fill="none"` (paths here never fill; some consumers fill an open path).
    pub unfilled: bool,
    pub class: Option<&'static str>,
    pub id: Option<String>,
}

impl PathShape {
    /// A plain stroke.
    pub fn stroke(geometry: Geometry, stroke: Paint, width: f32) -> Self {
        Self { geometry, stroke, width, opacity: None, dash: None, round_cap: false, unfilled: false, class: None, id: None }
    }
}

/// A group of shapes: one element of the drawing, or a part of the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    pub class: String,
    /// The plan element drawn (`data-id`).
    pub id: Option<String>,
    /// One more data attribute, such as `data-link` or `data-number`.
    pub data: Option<(&'static str, String)>,
    pub title: Option<String>,
    pub translate: Option<(f32, f32)>,
    /// The site, network, circuit or connection this group moves with on the canvas.
    pub owner: Option<ElementKey>,
    /// Written as its children alone, without a `<g>`: a grouping for the canvas only.
    pub flat: bool,
    /// A detail as a whole, such as a badge and its label, whose text has this size: a canvas
    /// leaves the whole group out where that text would be under its legible size (a badge
    /// without its label is noise). The SVG writer ignores it.
    pub detail_of_size: Option<f32>,
    /// A small self-contained badge (a numbered change, a role pill): where its text would be
    /// too small, a canvas draws it larger, from this point of its outline (the middle of its
    /// left edge, its centre, or the middle of its right edge), instead of leaving it out.
    pub grows: Option<Anchor>,
    /// A canvas leaves the whole group out below this zoom (a machine's chip: a few pixels there,
    /// noise that costs a shape each). The SVG writer ignores it.
    pub hidden_below_zoom: Option<f32>,
    /// A rectangle the group draws nothing outside of (a network's box holds its subnets,
    /// machines and gateways): a canvas skips the whole group where that is off screen. The SVG
    /// writer ignores it.
    pub bounds: Option<Rect>,
    pub children: Vec<Node>,
}

impl Group {
    pub fn new(class: impl Into<String>) -> Self {
        Self { class: class.into(), ..Self::default() }
    }

    /// An element's group: class, `data-id` and title.
    pub fn element(class: impl Into<String>, id: &str, title: impl Into<String>) -> Self {
        Self { class: class.into(), id: Some(id.to_owned()), title: Some(title.into()), ..Self::default() }
    }

    /// A grouping that SVG does not see, of shapes that move with `owner`.
    pub fn flat(owner: ElementKey) -> Self {
        Self { owner: Some(owner), flat: true, ..Self::default() }
    }

    /// A grouping that SVG does not see, of a detail drawn whole or not at all (see
    /// [`Group::detail_of_size`]).
    pub fn detail(text_size: f32) -> Self {
        Self { flat: true, detail_of_size: Some(text_size), ..Self::default() }
    }

    pub fn owned_by(mut self, owner: ElementKey) -> Self {
        self.owner = Some(owner);
        self
    }

    pub fn rect(&mut self, rect: Rect, radius: f32, fill: Paint, stroke: Paint, stroke_width: f32) -> &mut RectShape {
        self.children.push(Node::Rect(RectShape { rect, radius, fill, stroke, stroke_width, dash: None, class: None }));
        match self.children.last_mut() {
            Some(Node::Rect(shape)) => shape,
            _ => unreachable!("a rectangle was just pushed"),
        }
    }

    pub fn text(&mut self, x: f32, y: f32, content: impl Into<String>, font: Font, fill: Paint, anchor: Anchor) -> &mut TextShape {
        let legible = Legibility::Detail;
        self.children.push(Node::Text(TextShape { x, y, content: content.into(), font, fill, anchor, halo: None, legible }));
        match self.children.last_mut() {
            Some(Node::Text(shape)) => shape,
            _ => unreachable!("a text was just pushed"),
        }
    }

    pub fn haloed_text(&mut self, x: f32, y: f32, content: impl Into<String>, font: Font, fill: Paint, halo: Paint) -> &mut TextShape {
        let shape = self.text(x, y, content, font, fill, Anchor::Start);
        shape.halo = Some(halo);
        shape
    }

    pub fn path(&mut self, path: PathShape) {
        self.children.push(Node::Path(path));
    }

    pub fn group(&mut self, group: Group) {
        self.children.push(Node::Group(Box::new(group)));
    }
}

/// A group is boxed: it is twice the size of a shape, and a large plan's scene holds hundreds of
/// thousands of nodes (at 100k prefixes, 450,000: 97 MB unboxed, in memory the kernel must clear
/// at each build).
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Group(Box<Group>),
    Rect(RectShape),
    Text(TextShape),
    Path(PathShape),
}

impl Node {
    /// Calls `visit` for this node and every node inside it, depth first, in drawing order.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Node)) {
        visit(self);
        if let Self::Group(group) = self {
            for child in &group.children {
                child.walk(visit);
            }
        }
    }
}

/// Writes nodes as SVG elements, colours from the light palette (the paper's), each dropped as
/// soon as it is written.
pub fn write_svg(out: &mut Pieces, nodes: Vec<Node>) {
    out.write_each(nodes, write_node);
}

fn paint(paint: Paint) -> crate::export::palette::SvgColour {
    Palette::Light.svg(paint)
}

/// ` name="value"`, the value written by `value`.
fn attribute_with(out: &mut Pieces, name: &str, value: impl FnOnce(&mut Pieces)) {
    out.push_str(" ");
    out.push_str(name);
    out.push_str("=\"");
    value(out);
    out.push_str("\"");
}

/// ` name="value"`, the value escaped.
fn attribute(out: &mut Pieces, name: &str, value: &str) {
    attribute_with(out, name, |out| out.escaped(value));
}

/// ` name="value"`, the value a number with one decimal.
fn tenths(out: &mut Pieces, name: &str, value: f32) {
    attribute_with(out, name, |out| out.tenths(value));
}

/// ` name="value"`, the value a number as `{}` writes it.
fn number(out: &mut Pieces, name: &str, value: f32) {
    attribute_with(out, name, |out| out.number(value));
}

/// ` name="colour"`.
fn colour(out: &mut Pieces, name: &str, value: Paint) {
    attribute_with(out, name, |out| out.push_str(paint(value).text().as_str()));
}

fn write_node(out: &mut Pieces, node: Node) {
    match node {
        Node::Group(group) if group.flat => write_svg(out, group.children),
        Node::Group(group) => {
            out.push_str("<g");
            attribute(out, "class", &group.class);
            if let Some(id) = &group.id {
                attribute(out, "data-id", id);
            }
            if let Some((name, value)) = &group.data {
                attribute(out, name, value);
            }
            if let Some((x, y)) = group.translate {
                let _ = write!(out, r#" transform="translate({} {})""#, Tenths(x), Tenths(y));
            }
            out.push_str(">");
            if let Some(title) = &group.title {
                out.push_str("<title>");
                out.escaped(title);
                out.push_str("</title>");
            }
            write_svg(out, group.children);
            out.push_str("</g>");
        }
        Node::Rect(shape) => {
            let rect = shape.rect;
            out.push_str("<rect");
            tenths(out, "x", rect.x);
            tenths(out, "y", rect.y);
            tenths(out, "width", rect.width);
            tenths(out, "height", rect.height);
            number(out, "rx", shape.radius);
            colour(out, "fill", shape.fill);
            colour(out, "stroke", shape.stroke);
            number(out, "stroke-width", shape.stroke_width);
            if let Some(class) = shape.class {
                attribute(out, "class", class);
            }
            if let Some(dash) = shape.dash {
                attribute(out, "stroke-dasharray", dash);
            }
            out.push_str("/>");
        }
        Node::Text(shape) => {
            out.push_str("<text");
            tenths(out, "x", shape.x);
            tenths(out, "y", shape.y);
            number(out, "font-size", shape.font.size);
            if shape.font.weight == Weight::Bold {
                out.push_str(r#" font-weight="bold""#);
            }
            out.push_str(match shape.anchor {
                Anchor::Start => "",
                Anchor::Middle => r#" text-anchor="middle""#,
                Anchor::End => r#" text-anchor="end""#,
            });
            colour(out, "fill", shape.fill);
            if let Some(halo) = shape.halo {
                colour(out, "stroke", halo);
                out.push_str(r#" stroke-width="5" stroke-linejoin="round" paint-order="stroke""#);
            }
            out.push_str(">");
            out.escaped(&shape.content);
            out.push_str("</text>");
        }
        Node::Path(shape) => {
            out.push_str("<path");
            if let Some(class) = shape.class {
                attribute(out, "class", class);
            }
            if let Some(id) = &shape.id {
                attribute(out, "data-id", id);
            }
            out.push_str(r#" d=""#);
            shape.geometry.write_path_data(out);
            out.push_str("\"");
            if shape.unfilled {
                out.push_str(r#" fill="none""#);
            }
            colour(out, "stroke", shape.stroke);
            number(out, "stroke-width", shape.width);
            if let Some(opacity) = shape.opacity {
                number(out, "stroke-opacity", opacity);
            }
            if shape.round_cap {
                out.push_str(r#" stroke-linecap="round""#);
            }
            if let Some(dash) = shape.dash {
                attribute(out, "stroke-dasharray", dash);
            }
            out.push_str("/>");
        }
    }
}
