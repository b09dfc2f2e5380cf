//! One diagram export, as the command line (`drplan diagram`) and the app's Export dialog both
//! ask for it: a view (before, after, both, or the steps), the formats, the PNG scale, an
//! optional slide page, the machines, and the folder. One function writes every file.

use std::path::Path;

use super::{
    DiagramError, ImageFormat, Marks, Options, Pieces, ScenarioOutcome, View, Written, drawio, on_page, plan_stem, step_pages, svg, write, write_drawio,
    write_steps,
};
use crate::model::Plan;
use crate::replay::Frame;

/// What an export shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportView {
    Before,
    After,
    Both,
    /// A page per step of the recovery plan, after a title page.
    Steps,
}

impl ExportView {
    pub const ALL: [Self; 4] = [Self::Before, Self::After, Self::Both, Self::Steps];

    pub fn name(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
            Self::Both => "both",
            Self::Steps => "steps",
        }
    }

    /// The single-page view drawn for it (the steps draw the after view of each step).
    fn view(self) -> View {
        match self {
            Self::Before => View::Before,
            Self::After | Self::Steps => View::After,
            Self::Both => View::Both,
        }
    }
}

/// A file format of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Svg,
    Png,
    Pdf,
    /// draw.io, written from the plan rather than from the SVG.
    Drawio,
}

impl ExportFormat {
    pub const ALL: [Self; 4] = [Self::Svg, Self::Png, Self::Pdf, Self::Drawio];

    pub fn label(self) -> &'static str {
        match self {
            Self::Svg => "SVG",
            Self::Png => "PNG",
            Self::Pdf => "PDF",
            Self::Drawio => "draw.io",
        }
    }

    fn drawn(self) -> Option<ImageFormat> {
        match self {
            Self::Svg => Some(ImageFormat::Svg),
            Self::Png => Some(ImageFormat::Png),
            Self::Pdf => Some(ImageFormat::Pdf),
            Self::Drawio => None,
        }
    }
}

/// A slide: 1920 × 1080 diagram units, the drawing scaled to fit inside with a margin.
pub const SLIDE_16_9: (f32, f32) = (1920.0, 1080.0);

/// Everything an export needs besides the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRequest {
    pub view: ExportView,
    pub formats: Vec<ExportFormat>,
    /// PNG pixels per diagram unit.
    pub scale: f32,
    /// Draw each page on a page of this size (see [`SLIDE_16_9`]) instead of its natural size.
    pub page: Option<(f32, f32)>,
    pub options: Options,
}

/// The most steps a deck is drawn for (one page each, each the whole network).
pub const MAX_DECK_STEPS: usize = 400;

/// Writes the export into `directory`, files named after `plan_file` ([`plan_stem`]); the view
/// needs a rehearsal unless it is the before view.
pub fn export(
    plan: &Plan,
    plan_file: &Path,
    rehearsal: Option<ScenarioOutcome>,
    request: &ExportRequest,
    directory: &Path,
) -> Result<Vec<Written>, DiagramError> {
    let view = request.view.view();
    if rehearsal.is_none() && request.view != ExportView::Before {
        return Err(DiagramError::ScenarioRequired(view));
    }
    if !(request.scale.is_finite() && request.scale > 0.0) {
        return Err(DiagramError::InvalidScale(request.scale));
    }
    let stem = plan_stem(plan_file);
    let formats: Vec<ImageFormat> = request.formats.iter().filter_map(|format| format.drawn()).collect();
    let framed = |svg: Pieces| match request.page {
        Some(page) => Pieces::from(on_page(&svg.text(), page)),
        None => svg,
    };
    let steps = match rehearsal.filter(|_| request.view == ExportView::Steps) {
        Some(ScenarioOutcome { scenario, outcome, index }) => {
            let recovery = crate::recovery::recovery_plan(index, scenario, outcome);
            // Each page is the whole network: a failover of 100,000 prefixes has 20,000 steps.
            let count = recovery.steps().count();
            if count > MAX_DECK_STEPS {
                return Err(DiagramError::TooManySteps { steps: count, max: MAX_DECK_STEPS });
            }
            let frames = crate::replay::frames(outcome, &recovery);
            Some((scenario, recovery, frames, index))
        }
        None => None,
    };
    let mut written = Vec::new();
    if !formats.is_empty() {
        let pages: Vec<Pieces> = match &steps {
            Some((scenario, recovery, frames, index)) => step_pages(index, scenario, recovery, frames, &request.options),
            None => vec![svg(plan, rehearsal, view, &request.options)?],
        };
        let pages: Vec<Pieces> = pages.into_iter().map(framed).collect();
        match &steps {
            Some(_) => written.extend(write_steps(&pages, &formats, request.scale, directory, &stem)?),
            None => {
                for page in &pages {
                    written.extend(write(page, &formats, request.scale, directory, &stem, view)?);
                }
            }
        }
    }
    if request.formats.contains(&ExportFormat::Drawio) {
        let frames = steps.as_ref().map(|(_, _, frames, _)| frames.as_slice());
        let text = drawio_pages(plan, rehearsal, view, frames, request.options.machines);
        written.push(write_drawio(&text, directory, &format!("{stem}-{}.drawio", request.view.name()))?);
    }
    Ok(written)
}

/// The draw.io file of a view: a page per panel of the view, or per frame of the steps.
fn drawio_pages(plan: &Plan, rehearsal: Option<ScenarioOutcome>, view: View, frames: Option<&[Frame]>, machines: bool) -> Pieces {
    let Some(ScenarioOutcome { scenario, outcome, .. }) = rehearsal else {
        return drawio(&[super::DrawioPage { name: "Network as planned".to_owned(), plan, marks: None }], machines);
    };
    if let Some(frames) = frames {
        let shown: Vec<(&Plan, Option<Marks>)> = frames.iter().map(|frame| Marks::of_frame(scenario, frame)).collect();
        let pages: Vec<super::DrawioPage> = frames
            .iter()
            .zip(&shown)
            .enumerate()
            .map(|(number, (frame, (network, marks)))| {
                let name = frame.step.as_ref().map_or_else(|| "Step 0: before".to_owned(), |step| format!("Step {number}: {}", step.title));
                super::DrawioPage { name, plan: network, marks: marks.as_ref() }
            })
            .collect();
        return drawio(&pages, machines);
    }
    let marks = Marks::of_scenario(scenario, outcome);
    let before = super::DrawioPage { name: "Before".to_owned(), plan: &outcome.before, marks: None };
    let after = super::DrawioPage { name: "After".to_owned(), plan: &outcome.after, marks: Some(&marks) };
    match view {
        View::Before => drawio(&[before], machines),
        View::After => drawio(&[after], machines),
        View::Both => drawio(&[before, after], machines),
    }
}
