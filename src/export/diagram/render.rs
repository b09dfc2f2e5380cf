//! PNG and PDF from the diagram's SVG: usvg reads the document back with the shipped font as
//! its only font (so output is identical on every machine and never depends on installed
//! fonts), then resvg rasterises it or svg2pdf writes it as vector PDF with the font embedded.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::DiagramError;
use super::text::{BOLD_FONT, FONT_FAMILY, REGULAR_FONT};

/// The longest side a PNG may have, in pixels; larger diagrams are scaled down to fit.
pub const MAX_PNG_SIDE_PX: f32 = 16_384.0;
/// The most pixels a PNG may have (256 MiB of RGBA); larger diagrams are scaled down to fit.
pub const MAX_PNG_PIXELS: f32 = 64.0 * 1024.0 * 1024.0;

/// A rendered PNG and the scale it was rendered at (smaller than asked for when the diagram is
/// too large at the requested scale).
pub struct Png {
    pub bytes: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub scale: f32,
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

/// Renders the SVG to PNG at `scale` pixels per canvas unit, on white.
pub fn png(svg: &str, scale: f32) -> Result<Png, DiagramError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(DiagramError::InvalidScale(scale));
    }
    let tree = tree(svg)?;
    let size = tree.size();
    let scale = fitting_scale(size.width(), size.height(), scale);
    let width_px = (size.width() * scale).round().max(1.0) as u32;
    let height_px = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width_px, height_px).ok_or(DiagramError::TooLarge { width_px, height_px })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let bytes = pixmap.encode_png().map_err(|error| DiagramError::Png(error.to_string()))?;
    Ok(Png { bytes, width_px, height_px, scale })
}

/// Writes the SVG as a one-page vector PDF, text kept as text with the font subset embedded.
/// A canvas unit is a CSS pixel (1/96 inch).
pub fn pdf(svg: &str) -> Result<Vec<u8>, DiagramError> {
    let tree = tree(svg)?;
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page).map_err(|error| DiagramError::Pdf(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_diagrams_render_at_the_requested_scale() {
        assert_eq!(fitting_scale(1000.0, 800.0, 2.0), 2.0);
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
