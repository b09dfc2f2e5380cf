//! A whole diagram page: the title block, one panel per topology (before, after, or both side by
//! side), a legend and, after a failover, a numbered caption of the changes; and the SVG
//! document of a page.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::draw::*;
use super::layout::*;
use super::marks::Marks;
use super::scene::{self, Anchor, Geometry, Group, Node, PathShape};
use super::text::{self};
use super::xml::{Pieces, escape};
use crate::export::palette::Paint;
use crate::model::*;

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

pub struct Sheet<'a> {
    pub title: &'a str,
    pub subtitle: String,
    pub panels: Vec<Panel<'a>>,
    pub caption: Option<Caption>,
    pub machines: bool,
}

/// A legend entry's sample.
enum Swatch {
    Line { paint: Paint, width: f32, dash: Option<&'static str>, opacity: f32, double: bool },
    Region(SiteRole),
    Outline(Paint),
    Badge,
}

const SWATCH_WIDTH: f32 = 34.0;
const LEGEND_ROW: f32 = 22.0;
const LEGEND_ITEM_GAP: f32 = 24.0;

/// The legend's rows: a heading and its entries.
fn legend_groups(changes: bool) -> Vec<(&'static str, Vec<(Swatch, &'static str)>)> {
    let line = |paint, dash, opacity, double| Swatch::Line { paint, width: 2.0, dash, opacity, double };
    let mut groups = vec![
        (
            "Connections",
            vec![
                (line(Paint::Vpn, None, 1.0, false), "site-to-site VPN"),
                (line(Paint::Peering, None, 1.0, false), "VNet peering"),
                (line(Paint::ExpressRoute, None, 1.0, false), "ExpressRoute"),
                (line(Paint::StretchedVlan, None, 1.0, true), "stretched VLAN"),
                (line(Paint::Muted, None, 1.0, false), "active"),
                (line(Paint::Muted, Some(PREPARED_DASH), PREPARED_OPACITY, false), "prepared (established during failover)"),
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
                (Swatch::Line { paint: Paint::Disconnected, width: 2.5, dash: Some(DISCONNECTED_DASH), opacity: 1.0, double: false }, "disconnected"),
                (Swatch::Line { paint: Paint::Established, width: 3.5, dash: None, opacity: 1.0, double: false }, "established"),
                (Swatch::Outline(Paint::Moved), "moved here (subnet, machine)"),
                (Swatch::Outline(Paint::Established), "gateway created"),
                (Swatch::Badge, "number in the list of changes"),
            ],
        ));
    }
    groups
}

const LEGEND_LABEL_WIDTH: f32 = 96.0;

/// Lays out the legend in rows no wider than `width`; returns its height.
fn draw_legend(out: &mut Group, x: f32, y: f32, width: f32, changes: bool) -> f32 {
    let mut legend = Group::new("legend");
    let mut cy = y;
    let left = x + LEGEND_LABEL_WIDTH;
    for (heading, items) in legend_groups(changes) {
        legend.text(x, cy + 14.0, heading, LEGEND_HEADING_FONT, Paint::Ink, Anchor::Start);
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
                Swatch::Line { paint, width, dash, opacity, double } => {
                    let geometry = Geometry::Line { from: (cx, middle), to: (cx + SWATCH_WIDTH, middle) };
                    if double {
                        legend.path(PathShape::stroke(geometry, paint, 6.0));
                        legend.path(PathShape::stroke(geometry, Paint::Background, 2.0));
                    } else {
                        legend.path(PathShape { opacity: Some(opacity), dash, ..PathShape::stroke(geometry, paint, width) });
                    }
                }
                Swatch::Region(role) => {
                    legend.rect(Rect::new(cx, cy + 2.0, SWATCH_WIDTH, 16.0), 4.0, Paint::SiteFill(role), Paint::SiteStroke(role), 1.5);
                }
                Swatch::Outline(paint) => {
                    legend.rect(Rect::new(cx + 2.0, cy + 3.0, SWATCH_WIDTH - 4.0, 14.0), 3.0, Paint::Background, paint, 2.5);
                }
                Swatch::Badge => {
                    badge(&mut legend, cx + SWATCH_WIDTH / 2.0, middle, "1");
                }
            }
            legend.text(cx + SWATCH_WIDTH + 6.0, middle + 4.0, label, LEGEND_FONT, Paint::Ink, Anchor::Start);
            cx += item_width + LEGEND_ITEM_GAP;
        }
        cy += LEGEND_ROW + 2.0;
    }
    out.group(legend);
    cy - y
}

const CAPTION_LINE: f32 = 17.0;
const CAPTION_INDENT: f32 = 30.0;

/// The numbered changes, wrapped to `width`; returns the height.
fn draw_caption(out: &mut Group, caption: &Caption, x: f32, y: f32, width: f32) -> f32 {
    let mut group = Group::new("caption");
    let heading = text::fit(&caption.heading, width, CAPTION_HEADING_FONT).0;
    group.text(x, y + 14.0, heading, CAPTION_HEADING_FONT, Paint::Ink, Anchor::Start);
    let mut cy = y + 24.0;
    // Wrapped on every core: a failover of a large plan has 20,000 changes to list.
    let wrapped: Vec<Vec<String>> = caption.items.par_iter().map(|item| text::wrap(item, width - CAPTION_INDENT, CAPTION_FONT)).collect();
    group.children.reserve(wrapped.len());
    for (index, lines) in wrapped.into_iter().enumerate() {
        let mut change = Group::new("change");
        change.data = Some(("data-number", (index + 1).to_string()));
        badge(&mut change, x + BADGE_RADIUS + 1.0, cy + CAPTION_LINE / 2.0 + 1.0, &(index + 1).to_string());
        for line in lines {
            change.text(x + CAPTION_INDENT, cy + 13.0, line, CAPTION_FONT, Paint::Ink, Anchor::Start);
            cy += CAPTION_LINE;
        }
        cy += 4.0;
        group.group(change);
    }
    out.group(group);
    cy - y
}

/// A whole page: title, panels side by side, legend and caption, as a scene.
pub struct PageScene {
    pub width: f32,
    pub height: f32,
    pub title: String,
    pub nodes: Vec<Node>,
}

/// The page of a document.
pub fn page(document: &Sheet) -> PageScene {
    let panels: Vec<PanelScene> = document.panels.iter().map(|panel| panel_scene(panel.plan, panel.marks, document.machines)).collect();
    let panels_width = panels.iter().map(|panel| panel.width).sum::<f32>() + PANEL_GAP * panels.len().saturating_sub(1) as f32;
    let width = (panels_width + 2.0 * MARGIN).max(MIN_WIDTH).ceil();
    let content_width = width - 2.0 * MARGIN;
    let has_headings = document.panels.iter().any(|panel| panel.heading.is_some());
    let changes = document.panels.iter().any(|panel| panel.marks.is_some());

    let mut body = Group::default();
    body.text(MARGIN, MARGIN + 20.0, text::fit(document.title, content_width, TITLE_FONT).0, TITLE_FONT, Paint::Ink, Anchor::Start);
    body.text(MARGIN, MARGIN + 44.0, text::fit(&document.subtitle, content_width, SUBTITLE_FONT).0, SUBTITLE_FONT, Paint::Muted, Anchor::Start);
    let mut top = MARGIN + 72.0;
    let heading_height = if has_headings { 34.0 } else { 0.0 };
    let panels_height = panels.iter().map(|panel| panel.height).fold(0.0, f32::max);
    let mut x = MARGIN;
    for (index, (drawn, panel)) in panels.into_iter().zip(&document.panels).enumerate() {
        if index > 0 {
            let divider = x - PANEL_GAP / 2.0;
            let geometry = Geometry::Line { from: (divider, top), to: (divider, top + heading_height + panels_height) };
            body.path(PathShape { class: Some("divider"), ..PathShape::stroke(geometry, Paint::Divider, 1.5) });
        }
        let mut group = Group::new(format!("panel {}", panel.class));
        group.translate = Some((x, top + heading_height));
        if let Some(heading) = &panel.heading {
            let heading = text::fit(heading, drawn.width.max(200.0), HEADING_FONT).0;
            group.text(0.0, -14.0, heading, HEADING_FONT, Paint::Ink, Anchor::Start);
        }
        group.children.extend(drawn.nodes);
        body.group(group);
        x += drawn.width + PANEL_GAP;
    }
    top += heading_height + panels_height + 28.0;
    top += draw_legend(&mut body, MARGIN, top, content_width, changes);
    if let Some(caption) = &document.caption {
        top += 18.0;
        top += draw_caption(&mut body, caption, MARGIN, top, content_width);
    }
    let height = (top + MARGIN).ceil();
    PageScene { width, height, title: format!("{} — {}", document.title, document.subtitle), nodes: body.children }
}

/// The whole SVG document.
pub fn document(document: &Sheet) -> Pieces {
    let page = page(document);
    let (width, height) = (page.width, page.height);
    let mut svg = Pieces::default();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{}">"#,
        text::FONT_FAMILY
    );
    let _ = write!(svg, "<title>{}</title>", escape(&page.title));
    let _ = write!(svg, r##"<rect class="background" x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>"##);
    scene::write_svg(&mut svg, page.nodes);
    svg.push_str("</svg>\n");
    svg
}
