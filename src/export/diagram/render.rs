//! PNG and PDF from the diagram's SVG: usvg reads the document back with the shipped font as
//! its only font (so output is identical on every machine and never depends on installed
//! fonts), then resvg rasterises it or svg2pdf writes it as vector PDF with the font embedded.
//!
//! A PNG is a picture for slides and documents, so it has a size limit: a diagram too large
//! for it at the requested scale is scaled down to fit, and labels that would then be drawn
//! smaller than anyone can read are left out of the PNG (the SVG and PDF keep everything, at
//! any zoom). Rasterising is split into horizontal strips drawn on all cores.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::DiagramError;
use super::text::{BOLD_FONT, FONT_FAMILY, REGULAR_FONT};
use super::xml::Pieces;

/// The longest side a PNG may have, in pixels; larger diagrams are scaled down to fit.
pub const MAX_PNG_SIDE_PX: f32 = 16_384.0;
/// The most pixels a PNG may have (16 megapixels: twice a 4K slide); larger diagrams are scaled
/// down to fit.
pub const MAX_PNG_PIXELS: f32 = 16.0 * 1024.0 * 1024.0;
/// Labels drawn smaller than this many pixels are left out of a PNG: they cannot be read, and
/// laying out tens of thousands of them would cost seconds.
pub const MIN_LEGIBLE_TEXT_PX: f32 = 5.0;

/// A rendered PNG and the scale it was rendered at (smaller than asked for when the diagram is
/// too large at the requested scale).
pub struct Png {
    pub bytes: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub scale: f32,
    /// Labels were left out because they would have been too small to read.
    pub small_text_omitted: bool,
    /// What was left out because the drawing has more elements than the renderer draws.
    pub details_omitted: Option<&'static str>,
}

/// The shipped font and nothing else, with the generic `sans-serif` family pointing at it:
/// usvg maps `sans-serif` to Arial by default, and with no Arial text would silently vanish.
fn font_database() -> Arc<usvg::fontdb::Database> {
    static DATABASE: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut database = usvg::fontdb::Database::new();
            database.load_font_source(usvg::fontdb::Source::Binary(Arc::new(REGULAR_FONT)));
            database.load_font_source(usvg::fontdb::Source::Binary(Arc::new(BOLD_FONT)));
            database.set_sans_serif_family(FONT_FAMILY);
            Arc::new(database)
        })
        .clone()
}

fn tree(svg: &str) -> Result<usvg::Tree, DiagramError> {
    let options = usvg::Options { font_family: FONT_FAMILY.to_owned(), fontdb: font_database(), ..usvg::Options::default() };
    usvg::Tree::from_str(svg, &options).map_err(|error| DiagramError::Unreadable(error.to_string()))
}

/// The scale to render at: `requested`, or less if the image would exceed the size limits.
fn fitting_scale(width: f32, height: f32, requested: f32) -> f32 {
    let by_side = MAX_PNG_SIDE_PX / width.max(height).max(1.0);
    let by_pixels = (MAX_PNG_PIXELS / (width * height).max(1.0)).sqrt();
    requested.min(by_side).min(by_pixels)
}

/// The document's width and height in canvas units, read from the root element's attributes.
pub(super) fn document_size(svg: &str) -> Option<(f32, f32)> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let attribute = |name: &str| -> Option<f32> {
        let start = root.find(&format!(" {name}=\""))? + name.len() + 3;
        root[start..].split('"').next()?.parse().ok()
    };
    Some((attribute("width")?, attribute("height")?))
}

/// The document without the `<text>` elements whose font size times `scale` is below
/// [`MIN_LEGIBLE_TEXT_PX`]. Relies on this module's own markup: each label is one `<text>`
/// element with a `font-size` attribute and no nested elements.
fn legible_text_only(svg: &str, scale: f32) -> Cow<'_, str> {
    if scale * super::draw::SMALLEST_FONT_SIZE >= MIN_LEGIBLE_TEXT_PX {
        return Cow::Borrowed(svg);
    }
    let mut kept = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        kept.push_str(&rest[..start]);
        let element = &rest[start..];
        let Some(end) = element.find("</text>").map(|end| end + "</text>".len()) else { break };
        let size = element.find(" font-size=\"").and_then(|at| element[at + 12..].split('"').next()).and_then(|size| size.parse::<f32>().ok()).unwrap_or(0.0);
        if size * scale >= MIN_LEGIBLE_TEXT_PX {
            kept.push_str(&element[..end]);
        }
        rest = &element[end..];
    }
    kept.push_str(rest);
    Cow::Owned(kept)
}

/// usvg draws documents of up to a million nodes (elements and texts); a PNG of a larger
/// drawing leaves details out until it fits, with a margin.
const MAX_RENDERED_NODES: usize = 900_000;

/// The nodes usvg counts in an SVG document, about: its elements and its texts.
fn node_count(svg: &str) -> usize {
    let elements = svg.matches('<').count().saturating_sub(svg.matches("</").count());
    elements + svg.matches("<text").count() + svg.matches("<title").count()
}

/// The SVG without the elements `<tag` whose class's first word is one of `classes` (every one
/// when `classes` is empty), each with everything inside it.
fn without_elements(svg: &str, tag: &str, classes: &[&str]) -> String {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let removed = |element: &str| {
        let after = &element[open.len()..];
        if !after.starts_with([' ', '>']) {
            return false;
        }
        // The first word of the class: "subnet" matches `class="subnet moved"`, not "subnets".
        classes.is_empty()
            || after
                .strip_prefix(" class=\"")
                .is_some_and(|class| classes.iter().any(|word| class.strip_prefix(word).is_some_and(|rest| rest.starts_with([' ', '"']))))
    };
    let mut kept = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find(&open) {
        kept.push_str(&rest[..start]);
        let element = &rest[start..];
        if !removed(element) {
            kept.push_str(&element[..open.len()]);
            rest = &element[open.len()..];
            continue;
        }
        // Skip to the matching end tag, past nested elements of the same tag.
        let start_tag_end = element.find('>').map_or(element.len(), |end| end + 1);
        if element[..start_tag_end].ends_with("/>") {
            rest = &element[start_tag_end..];
            continue;
        }
        let (mut depth, mut at) = (1usize, start_tag_end);
        while depth > 0 {
            let (next_open, next_close) = (element[at..].find(&open), element[at..].find(&close));
            match (next_open, next_close) {
                (Some(opening), Some(closing)) if opening < closing => {
                    let nested = &element[at + opening..];
                    let nested_end = nested.find('>').map_or(nested.len(), |end| end + 1);
                    depth += usize::from(!nested[..nested_end].ends_with("/>"));
                    at += opening + nested_end;
                }
                (_, Some(closing)) => {
                    depth -= 1;
                    at += closing + close.len();
                }
                (_, None) => at = element.len(),
            }
            if at >= element.len() {
                break;
            }
        }
        rest = &element[at.min(element.len())..];
    }
    kept.push_str(rest);
    kept
}

/// The SVG as a PNG can draw it: past the renderer's limit, without the tooltips (which a PNG
/// does not show), then, if that is not enough, without subnets, machines and connections (at
/// the scale such a drawing fits a PNG in, they would be specks; the networks and sites stay);
/// and what was left out, in words.
fn renderable(svg: &str) -> (Cow<'_, str>, Option<&'static str>) {
    if node_count(svg) <= MAX_RENDERED_NODES {
        return (Cow::Borrowed(svg), None);
    }
    let without_titles = without_elements(svg, "title", &[]);
    if node_count(&without_titles) <= MAX_RENDERED_NODES {
        return (Cow::Owned(without_titles), None);
    }
    let without_rows = without_elements(&without_titles, "g", &["subnet", "machine", "connection"]);
    (Cow::Owned(without_elements(&without_rows, "path", &["circuit-link"])), Some("subnets, machines and connections"))
}

/// Renders the SVG to PNG at `scale` pixels per canvas unit, on white. A drawing with more
/// elements than the renderer draws leaves details out (`Png::details_omitted`).
pub fn png(svg: &str, scale: f32) -> Result<Png, DiagramError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(DiagramError::InvalidScale(scale));
    }
    let (width, height) = document_size(svg).ok_or_else(|| DiagramError::Unreadable("the SVG has no width and height".to_owned()))?;
    let scale = fitting_scale(width, height, scale);
    let legible = legible_text_only(svg, scale);
    let small_text_omitted = matches!(legible, Cow::Owned(_));
    let (drawable, details_omitted) = renderable(&legible);
    let tree = tree(&drawable)?;
    let size = tree.size();
    let width_px = (size.width() * scale).round().max(1.0) as u32;
    let height_px = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width_px, height_px).ok_or(DiagramError::TooLarge { width_px, height_px })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    render_in_strips(&tree, scale, &mut pixmap, STRIPS);
    let bytes = pixmap.encode_png().map_err(|error| DiagramError::Png(error.to_string()))?;
    Ok(Png { bytes, width_px, height_px, scale, small_text_omitted, details_omitted })
}

/// How many horizontal strips a PNG is drawn in, each by its own thread. A fixed number, not one
/// per core: clipping a shape at a strip's edge moves its anti-aliased edge pixels by a shade,
/// so the pixels depend on the number of strips, and they must not depend on the machine.
const STRIPS: u32 = 4;

/// Rasterises the tree in `strips` horizontal strips, each drawn by its own thread with the
/// whole tree clipped to the strip.
fn render_in_strips(tree: &usvg::Tree, scale: f32, pixmap: &mut tiny_skia::Pixmap, strips: u32) {
    let (width, height) = (pixmap.width(), pixmap.height());
    let strip_rows = height.div_ceil(strips.max(1)).max(1);
    let row_bytes = width as usize * 4;
    std::thread::scope(|scope| {
        for (index, strip) in pixmap.data_mut().chunks_mut(row_bytes * strip_rows as usize).enumerate() {
            let rows = (strip.len() / row_bytes) as u32;
            let top = index as f32 * strip_rows as f32;
            scope.spawn(move || {
                let Some(mut strip) = tiny_skia::PixmapMut::from_bytes(strip, width, rows) else { return };
                let transform = tiny_skia::Transform::from_scale(scale, scale).post_translate(0.0, -top);
                resvg::render(tree, transform, &mut strip);
            });
        }
    });
}

/// Writes the SVG as a one-page vector PDF, text kept as text with the font subset embedded.
/// A canvas unit is a CSS pixel (1/96 inch).
pub fn pdf(svg: &str) -> Result<Vec<u8>, DiagramError> {
    let tree = tree(svg)?;
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page).map_err(|error| DiagramError::Pdf(error.to_string()))
}

/// One PDF of several SVG documents, a page each, every page the size of its document.
pub fn pdf_pages(svgs: &[Pieces]) -> Result<Vec<u8>, DiagramError> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref};
    let failed = |error: &dyn std::fmt::Display| DiagramError::Pdf(error.to_string());
    let mut ids = Ref::new(1);
    let catalog = ids.bump();
    let page_tree = ids.bump();
    let mut pages = Vec::with_capacity(svgs.len());
    let mut chunks = Vec::with_capacity(svgs.len());
    for svg in svgs {
        let tree = tree(&svg.text())?;
        let (chunk, drawing) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default()).map_err(|error| failed(&error))?;
        // The chunk's objects are numbered from 1: give them numbers after the ones in use.
        let mut renumbered = std::collections::HashMap::new();
        let chunk = chunk.renumber(|old| *renumbered.entry(old).or_insert_with(|| ids.bump()));
        let drawing = *renumbered.get(&drawing).ok_or_else(|| failed(&"the drawing is not in its own chunk"))?;
        // 96 pixels an inch, as `pdf` draws a single page.
        let (width, height) = (tree.size().width() * 0.75, tree.size().height() * 0.75);
        pages.push((ids.bump(), ids.bump(), drawing, width, height));
        chunks.push(chunk);
    }
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(page_tree);
    pdf.pages(page_tree).kids(pages.iter().map(|page| page.0)).count(pages.len() as i32);
    for &(page_id, content_id, drawing, width, height) in &pages {
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, width, height));
        page.parent(page_tree);
        page.contents(content_id);
        page.resources().x_objects().pair(Name(b"D"), drawing);
        page.finish();
        let mut content = Content::new();
        content.transform([width, 0.0, 0.0, height, 0.0, 0.0]).x_object(Name(b"D"));
        pdf.stream(content_id, &content.finish());
    }
    for chunk in &chunks {
        pdf.extend(chunk);
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_removed_with_what_they_hold_and_nothing_else() {
        let svg = r#"<svg><g class="network"><g class="subnet moved"><g class="machine"><rect/></g><text>a</text></g><g class="subnets-heading"/><rect class="box"/></g><g class="subnet"/><title>t</title><path class="circuit-link" d="M0 0"/><path d="M1 1"/></svg>"#;
        assert_eq!(
            without_elements(svg, "g", &["subnet", "machine"]),
            r#"<svg><g class="network"><g class="subnets-heading"/><rect class="box"/></g><title>t</title><path class="circuit-link" d="M0 0"/><path d="M1 1"/></svg>"#,
            "the class's first word decides, and nested groups go with their group"
        );
        assert_eq!(without_elements(svg, "title", &[]).matches("<title").count(), 0);
        assert_eq!(without_elements(svg, "path", &["circuit-link"]).matches("<path").count(), 1);
        assert!(without_elements(svg, "g", &["absent"]) == svg);
    }

    #[test]
    fn a_drawing_past_the_renderers_limit_leaves_details_out_until_it_fits() {
        let subnet = r#"<g class="subnet"><title>s</title><rect/><text font-size="11">10.0.0.0/24</text></g>"#;
        let network = format!(r#"<g class="network"><title>n</title><rect/>{}</g>"#, subnet.repeat(4));
        let svg = format!(r#"<svg width="100" height="100">{}</svg>"#, network.repeat(60_000));
        assert!(node_count(&svg) > MAX_RENDERED_NODES);
        let (drawable, omitted) = renderable(&svg);
        assert_eq!(omitted, Some("subnets, machines and connections"));
        assert!(node_count(&drawable) <= MAX_RENDERED_NODES);
        assert_eq!(drawable.matches(r#"<g class="network">"#).count(), 60_000, "every network is still drawn");
        let small = format!(r#"<svg width="100" height="100">{}</svg>"#, network.repeat(10));
        assert!(matches!(renderable(&small), (Cow::Borrowed(_), None)));
    }

    #[test]
    fn small_diagrams_render_at_the_requested_scale() {
        assert_eq!(fitting_scale(1000.0, 800.0, 2.0), 2.0);
    }

    #[test]
    fn strips_give_the_same_pixels_every_time_and_one_pass_within_a_shade() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="301" font-family="DejaVu Sans">
            <rect x="10.5" y="10.3" width="200" height="120" rx="12" fill="#eaf1fb" stroke="#7895c2" stroke-width="1.5"/>
            <path d="M20 290 Q150 -50 290 280" fill="none" stroke="#d32f2f" stroke-width="2.5" stroke-dasharray="8 5"/>
            <path d="M5 5 L295 296" stroke="#1e63c4" stroke-width="0.7"/>
            <text x="30" y="160" font-size="13" font-weight="bold">Source VNet1 · 10.1.0.0/16</text>
            <text x="30" y="151" font-size="11">a line of text across a strip edge</text>
        </svg>"##;
        let tree = tree(svg).expect("parses");
        let render = |strips| {
            let mut pixmap = tiny_skia::Pixmap::new(450, 452).expect("pixmap");
            pixmap.fill(tiny_skia::Color::WHITE);
            render_in_strips(&tree, 1.5, &mut pixmap, strips);
            pixmap
        };
        assert!(render(STRIPS).data() == render(STRIPS).data());
        let (one, striped) = (render(1), render(STRIPS));
        let differing: Vec<u8> = one.data().iter().zip(striped.data()).filter(|(a, b)| a != b).map(|(a, b)| a.abs_diff(*b)).collect();
        assert!(differing.len() * 1000 < one.data().len(), "{} bytes differ", differing.len());
        assert!(differing.iter().all(|difference| *difference <= 64), "{differing:?}");
    }

    #[test]
    fn labels_too_small_to_read_are_left_out() {
        let svg = r#"<svg width="10" height="10"><text x="1" y="1" font-size="10">a</text><text x="1" y="1" font-size="22" font-weight="bold">b</text></svg>"#;
        assert_eq!(document_size(svg), Some((10.0, 10.0)));
        assert_eq!(legible_text_only(svg, 1.0), svg);
        assert_eq!(legible_text_only(svg, 0.3), r#"<svg width="10" height="10"><text x="1" y="1" font-size="22" font-weight="bold">b</text></svg>"#);
    }

    #[test]
    fn huge_diagrams_are_scaled_down_to_the_limits() {
        let scale = fitting_scale(8000.0, 20_000.0, 1.0);
        assert!(scale < 1.0);
        assert!(8000.0 * scale * 20_000.0 * scale <= MAX_PNG_PIXELS * 1.001);
        let scale = fitting_scale(100_000.0, 10.0, 1.0);
        assert!(100_000.0 * scale <= MAX_PNG_SIDE_PX * 1.001);
    }
}
