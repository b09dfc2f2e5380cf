//! Before/after network diagrams that architects can present: a plan, or the network before and
//! after one of its failover scenarios, drawn as an SVG document, and that document rendered to
//! PNG (resvg, with a scale for slides) or to a vector PDF (svg2pdf).
//!
//! Sites are labelled regions coloured by role, networks are boxes inside their site with their
//! address space, subnets sit inside networks with their prefixes, gateways and NVAs inside their
//! network, circuits stand apart with their peering location, and connections are lines styled
//! by type (active solid, prepared dashed and light). In an after view the simulation's
//! differences are marked (disconnected red dashed, established green, moved subnets and machines
//! outlined orange, created gateways green), numbered, and listed in a caption.
//!
//! The SVG is pure text built here (no UI, no clock: the date is a parameter), so the same plan
//! always gives the same bytes. Fonts: DejaVu Sans ships in `assets/fonts` and is both the
//! measure of every label and the only font the renderers see.
//!
//! File names: a view of plan file `NAME.drplan.json` is written as `NAME-before.svg`,
//! `NAME-after.png`, `NAME-both.pdf` and so on ([`file_name`]).

mod date;
mod draw;
mod drawio;
mod layout;
mod marks;
mod page;
mod positions;
mod render;
mod request;
mod route;
pub mod scene;
mod separate;
mod steps;
mod text;
mod xml;

use std::fmt;
use std::path::{Path, PathBuf};

pub use date::{Date, DateParseError};
pub use draw::{ElementBox, PanelScene, SUBNET_MIN_ZOOM, connection_group, drawn_at, link_paint, panel_scene};
pub use drawio::{Page as DrawioPage, drawio, write_drawio};
pub use layout::{NETWORK_NAME_LINE, NETWORK_PAD, Rect, SITE_HEADER};
pub use marks::{DifferenceElements, Marks, difference_elements};
pub use positions::store_positions;
pub use render::{MAX_PNG_PIXELS, MAX_PNG_SIDE_PX, MIN_LEGIBLE_TEXT_PX, Png, pdf, pdf_pages, png};
pub use request::{ExportFormat, ExportRequest, ExportView, MAX_DECK_STEPS, SLIDE_16_9, export};
pub use route::Curve;
pub use steps::{step_line, step_pages, write_steps};
pub use text::{BOLD_FONT, Font, REGULAR_FONT, Weight};
pub use xml::Pieces;

use crate::io::{SaveError, write_atomically};
use crate::model::{Direction, FailoverType, Plan, PlanIndex, Scenario};
use crate::simulate::{Outcome, describe_all};

/// Which topology a diagram shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The network before the scenario (the plan itself without a scenario).
    Before,
    /// The network after the scenario, with its changes marked.
    After,
    /// Before and after side by side on one page.
    Both,
}

impl View {
    pub fn name(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
            Self::Both => "both",
        }
    }
}

impl fmt::Display for View {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

/// A file format a diagram is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
    Pdf,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
            Self::Pdf => "pdf",
        }
    }
}

/// What to draw besides the network itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Draw each machine inside its subnet.
    pub machines: bool,
    /// The date printed under the title.
    pub date: Date,
}

/// A scenario and its simulation, for the before/after views.
#[derive(Clone, Copy)]
pub struct ScenarioOutcome<'a> {
    pub scenario: &'a Scenario,
    pub outcome: &'a Outcome,
    /// The index of the plan simulated, which names what changed and makes the recovery plan of
    /// the steps (`simulate::describe_all`, `recovery::recovery_plan`).
    pub index: &'a PlanIndex<'a>,
}

/// Why a diagram could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum DiagramError {
    #[error("the {0} view shows the network after a failover, so it needs a scenario; without one only the before view can be drawn")]
    ScenarioRequired(View),
    #[error("the PNG scale must be a positive number, not {0}")]
    InvalidScale(f32),
    #[error("the diagram could not be read back for rendering: {0}")]
    Unreadable(String),
    #[error("the diagram is too large to render ({width_px} × {height_px} pixels)")]
    TooLarge { width_px: u32, height_px: u32 },
    #[error("the PNG could not be encoded: {0}")]
    Png(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("the recovery plan has {steps} steps, and a deck draws one page per step up to {max} steps; draw the before and after views instead")]
    TooManySteps { steps: usize, max: usize },
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// What the scenario is called in running text: failover, failback or test failover.
pub(crate) fn event(scenario: &Scenario) -> &'static str {
    match (scenario.failover_type, scenario.direction) {
        (FailoverType::Test, _) => "test failover",
        (_, Direction::Failback) => "failback",
        _ => "failover",
    }
}

/// The diagram as an SVG document.
pub fn svg(plan: &Plan, rehearsal: Option<ScenarioOutcome>, view: View, options: &Options) -> Result<Pieces, DiagramError> {
    let date = options.date;
    let Some(ScenarioOutcome { scenario, outcome, index }) = rehearsal else {
        if view != View::Before {
            return Err(DiagramError::ScenarioRequired(view));
        }
        let panels = vec![page::Panel { plan, marks: None, heading: None, class: "before" }];
        let document = page::Sheet { title: &plan.name, subtitle: format!("Network as planned · {date}"), panels, caption: None, machines: options.machines };
        return Ok(page::document(&document));
    };
    let event = event(scenario);
    let marks = Marks::of_scenario(scenario, outcome);
    let before = page::Panel { plan: &outcome.before, marks: None, heading: None, class: "before" };
    let after = page::Panel { plan: &outcome.after, marks: Some(&marks), heading: None, class: "after" };
    let count = outcome.differences.len();
    let changes = if count == 1 { "1 change".to_owned() } else { format!("{count} changes") };
    let (subtitle, panels) = match view {
        View::Before => (format!("Before {event} · scenario “{}” · {date}", scenario.name), vec![before]),
        View::After => (format!("After {event} · scenario “{}” · {changes} · {date}", scenario.name), vec![after]),
        View::Both => (
            format!("Before and after {event} · scenario “{}” · {changes} · {date}", scenario.name),
            vec![page::Panel { heading: Some(format!("Before {event}")), ..before }, page::Panel { heading: Some(format!("After {event}")), ..after }],
        ),
    };
    let caption = (view != View::Before).then(|| page::Caption {
        heading: if count == 0 {
            format!("Scenario “{}” changes nothing in the network", scenario.name)
        } else {
            format!("Changes in the network ({count})")
        },
        items: describe_all(index, outcome),
    });
    let document = page::Sheet { title: &plan.name, subtitle, panels, caption, machines: options.machines };
    Ok(page::document(&document))
}

/// An SVG document drawn on a page of `size` (diagram units): scaled to fit inside it with a
/// margin, centred, on white. The document's own size is read from its root element.
pub fn on_page(svg: &str, (page_width, page_height): (f32, f32)) -> String {
    let Some(start) = svg.find("<svg") else { return svg.to_owned() };
    // The document's content: between its root's opening tag and its closing one.
    let open_end = svg[start..].find('>').map(|end| start + end + 1);
    let Some(body) = open_end.zip(svg.rfind("</svg>")).and_then(|(from, to)| svg.get(from..to)) else { return svg.to_owned() };
    let Some((width, height)) = render::document_size(svg) else { return svg.to_owned() };
    let margin = 0.03 * page_width.min(page_height);
    let scale = ((page_width - 2.0 * margin) / width).min((page_height - 2.0 * margin) / height);
    let (x, y) = ((page_width - width * scale) / 2.0, (page_height - height * scale) / 2.0);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{page_width}" height="{page_height}" viewBox="0 0 {page_width} {page_height}" font-family="{}"><rect x="0" y="0" width="{page_width}" height="{page_height}" fill="#ffffff"/><g transform="translate({x:.2} {y:.2}) scale({scale:.5})">{}</g></svg>
"##,
        text::FONT_FAMILY,
        body
    )
}

/// The name a plan file's diagrams start with: the file name without `.drplan.json` (or
/// whatever extension it has).
pub fn plan_stem(path: &Path) -> String {
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    for suffix in [".drplan.json", ".json"] {
        if let Some(stem) = name.strip_suffix(suffix).filter(|stem| !stem.is_empty()) {
            return stem.to_owned();
        }
    }
    path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).filter(|stem| !stem.is_empty()).unwrap_or_else(|| "plan".to_owned())
}

/// `STEM-VIEW.EXT`, for example `azure-isolated-app-after.png`.
pub fn file_name(stem: &str, view: View, format: ImageFormat) -> String {
    format!("{stem}-{}.{}", view.name(), format.extension())
}

/// One file written by [`write`].
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    /// For a PNG: the scale it was rendered at, which is below the one asked for when the
    /// diagram would otherwise exceed the size limits.
    pub png_scale: Option<f32>,
    /// For a PNG: labels were left out because at that scale they would be too small to read.
    pub small_text_omitted: bool,
    /// For a PNG of a huge plan: what was left out to stay within what the renderer draws.
    pub details_omitted: Option<&'static str>,
}

/// Writes the SVG document in each format into `directory` (created if needed), each file
/// atomically, named by [`file_name`].
pub fn write(svg: &Pieces, formats: &[ImageFormat], png_scale: f32, directory: &Path, stem: &str, view: View) -> Result<Vec<Written>, DiagramError> {
    std::fs::create_dir_all(directory).map_err(|source| SaveError { file: directory.to_owned(), source })?;
    let mut written = Vec::with_capacity(formats.len());
    for &format in formats {
        written.push(write_one(svg, format, png_scale, directory.join(file_name(stem, view, format)))?);
    }
    Ok(written)
}

/// Renders one SVG document in `format` (a PDF of one page) and writes it atomically to `path`.
pub(super) fn write_one(svg: &Pieces, format: ImageFormat, png_scale: f32, path: PathBuf) -> Result<Written, DiagramError> {
    let mut written = Written { path, png_scale: None, small_text_omitted: false, details_omitted: None };
    let bytes = match format {
        ImageFormat::Svg => {
            // Piece by piece (at 100k prefixes the SVG is 45 MB: not put together into one text).
            write_atomically(&written.path, |file| svg.write_to(file))?;
            return Ok(written);
        }
        ImageFormat::Png => {
            let image = png(&svg.text(), png_scale)?;
            (written.png_scale, written.small_text_omitted, written.details_omitted) = (Some(image.scale), image.small_text_omitted, image.details_omitted);
            image.bytes
        }
        ImageFormat::Pdf => pdf(&svg.text())?,
    };
    write_atomically(&written.path, |file| std::io::Write::write_all(file, &bytes))?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_stems_drop_the_plan_extension() {
        assert_eq!(plan_stem(Path::new("samples/azure-isolated-app.drplan.json")), "azure-isolated-app");
        assert_eq!(plan_stem(Path::new("x/design.json")), "design");
        assert_eq!(plan_stem(Path::new("design")), "design");
        assert_eq!(plan_stem(Path::new(".drplan.json")), ".drplan");
    }

    #[test]
    fn file_names_say_plan_view_and_format() {
        assert_eq!(file_name("hybrid", View::Both, ImageFormat::Pdf), "hybrid-both.pdf");
    }
}
