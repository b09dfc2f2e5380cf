//! A failover as a deck: a title page with the recovery plan and its estimated RTO, then the
//! network before the event and after each step of the recovery plan ([`crate::replay`]), one
//! page each, written as one SVG and one PNG per page and one PDF of every page
//! (`drplan diagram --view steps`).

use std::path::Path;

use super::{DiagramError, ImageFormat, Marks, Options, Pieces, Written, event, page, pdf_pages};
use crate::export::duration_text;
use crate::io::{SaveError, write_atomically};
use crate::model::{PlanIndex, Scenario};
use crate::recovery::{Execution, RecoveryPlan, Step};
use crate::replay::Frame;
use crate::simulate::describe_all;

/// What a step says under the title of its page: who runs it, how long it takes, and the
/// recovery time used so far.
pub fn step_line(step: &Step, elapsed_rto_secs: u32, estimated_rto_secs: u32) -> String {
    let who = match step.execution {
        Execution::Scripted => "scripted",
        Execution::Manual => "manual",
    };
    let counted = if step.counts_toward_rto { "" } else { ", not counted in the RTO" };
    format!(
        "{who} · {}{counted} · recovery time so far {} of {}",
        duration_text(step.duration_secs),
        duration_text(elapsed_rto_secs),
        duration_text(estimated_rto_secs)
    )
}

/// Every page of the deck as an SVG document.
pub fn step_pages(index: &PlanIndex, scenario: &Scenario, recovery: &RecoveryPlan, frames: &[Frame], options: &Options) -> Vec<Pieces> {
    let plan = index.plan;
    let event = event(scenario);
    let date = options.date;
    let steps = frames.len().saturating_sub(1);
    let mut pages = Vec::with_capacity(frames.len() + 1);
    let title_page = page::Sheet {
        title: &plan.name,
        subtitle: format!(
            "{} of scenario “{}”, step by step · {steps} steps · estimated RTO {} · {date}",
            capitalised(event),
            scenario.name,
            duration_text(recovery.estimated_rto_secs)
        ),
        panels: Vec::new(),
        caption: Some(page::Caption {
            heading: format!("The recovery plan ({steps} steps)"),
            items: recovery.steps().map(|step| format!("{} ({})", step.title, duration_text(step.duration_secs))).collect(),
        }),
        machines: options.machines,
    };
    pages.push(page::document(&title_page));
    for (number, frame) in frames.iter().enumerate() {
        let (network, marks) = Marks::of_frame(scenario, frame);
        let subtitle = match &frame.step {
            None => format!("Step 0 of {steps} · the network before the {event}"),
            Some(step) => format!("Step {number} of {steps} · {} · {}", step.title, step_line(step, frame.elapsed_rto_secs, recovery.estimated_rto_secs)),
        };
        let class = if marks.is_some() { "after" } else { "before" };
        let panel = page::Panel { plan: network, marks: marks.as_ref(), heading: None, class };
        let count = frame.outcome.differences.len();
        let caption = frame.step.as_ref().map(|_| page::Caption {
            heading: if count == 0 { "No change in the network yet".to_owned() } else { format!("Changes so far ({count})") },
            items: describe_all(index, &frame.outcome),
        });
        let document = page::Sheet { title: &plan.name, subtitle, panels: vec![panel], caption, machines: options.machines };
        pages.push(page::document(&document));
    }
    pages
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| first.to_uppercase().chain(characters).collect())
}

/// Writes the deck into `directory`: `STEM-steps-NN.svg` and `.png` per page (00 is the title
/// page), and `STEM-steps.pdf` with every page.
pub fn write_steps(pages: &[Pieces], formats: &[ImageFormat], png_scale: f32, directory: &Path, stem: &str) -> Result<Vec<Written>, DiagramError> {
    std::fs::create_dir_all(directory).map_err(|source| SaveError { file: directory.to_owned(), source })?;
    let mut written = Vec::new();
    for &format in formats {
        if format == ImageFormat::Pdf {
            let path = directory.join(format!("{stem}-steps.pdf"));
            let bytes = pdf_pages(pages)?;
            write_atomically(&path, |file| std::io::Write::write_all(file, &bytes))?;
            written.push(Written { path, png_scale: None, small_text_omitted: false, details_omitted: None });
            continue;
        }
        for (number, page) in pages.iter().enumerate() {
            written.push(super::write_one(page, format, png_scale, directory.join(format!("{stem}-steps-{number:02}.{}", format.extension())))?);
        }
    }
    Ok(written)
}
