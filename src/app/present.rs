//! Presenting a failover (View → Present, F5): the window shows one large diagram, side panels
//! hidden and text sized for a projector, and steps through the recovery plan one step at a time
//! (Right arrow, Space or Page Down forward; Left, Backspace or Page Up back; Home and End; Esc or F5
//! leaves). Step 0 is the network before; after each step the diagram shows the network as it
//! stands then, with the step's title, who runs it, its duration and the recovery time used so
//! far. The frames come from the core ([`crate::replay::Replay`]), as the steps deck's do, each made
//! when it is shown.

use egui::{Key, RichText};

use super::*;
use crate::export::diagram::{Marks, step_line};
use crate::export::duration_text;
use crate::replay::{Frame, Replay};

/// The smallest text of a presented diagram, in screen pixels: legible from the back of a room.
pub const PRESENT_TEXT_PX: f32 = 18.0;

/// A presentation under way.
pub struct Presentation {
    pub replay: Replay,
    /// The frame shown: 0 is the network before.
    pub index: usize,
    pub estimated_rto_secs: u32,
    scenario: Scenario,
    /// The frame shown and its diagram, and which frame they were made for.
    frame: Option<Frame>,
    cache: CanvasCache,
    built_for: Option<usize>,
    view: View,
    /// The size the view was fitted to.
    fitted_to: Option<egui::Vec2>,
}

impl Presentation {
    /// Moves by `steps` frames (back when negative), staying within the plan.
    pub fn step(&mut self, steps: isize) {
        self.index = self.index.saturating_add_signed(steps).min(self.replay.len().saturating_sub(1));
    }

    /// The step number shown and the number of steps, as "Step 3 of 13" reads them.
    pub fn position(&self) -> (usize, usize) {
        (self.index, self.replay.len().saturating_sub(1))
    }
}

impl DrPlanApp {
    /// Starts presenting the chosen scenario, or says why it cannot.
    pub(super) fn start_presenting(&mut self) {
        self.refresh_rehearsal();
        let Some(rehearsal) = &self.rehearsal.current else {
            self.status = "Choose a failover scenario to present".to_owned();
            return;
        };
        let Some(scenario) = self.document.plan.scenario(&rehearsal.recovery.scenario).cloned() else { return };
        let replay = Replay::new(&rehearsal.outcome, &rehearsal.recovery);
        self.presentation = Some(Presentation {
            replay,
            index: 0,
            frame: None,
            estimated_rto_secs: rehearsal.recovery.estimated_rto_secs,
            scenario,
            cache: CanvasCache::default(),
            built_for: None,
            view: View::default(),
            fitted_to: None,
        });
    }

    /// Draws the presentation over the whole window and takes its keys; false once it has ended.
    pub(super) fn present_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let machines = self.prefs.show_machines;
        let Some(presentation) = &mut self.presentation else { return false };
        // Every press counts, however many arrive in one frame.
        let (forward, back, first, last, leave) = ui.input_mut(|input| {
            let mut presses = |keys: &[Key]| keys.iter().map(|key| input.count_and_consume_key(egui::Modifiers::NONE, *key)).sum::<usize>();
            (
                presses(&[Key::ArrowRight, Key::Space, Key::PageDown]),
                presses(&[Key::ArrowLeft, Key::Backspace, Key::PageUp]),
                presses(&[Key::Home]) > 0,
                presses(&[Key::End]) > 0,
                presses(&[Key::Escape, Key::F5]) > 0,
            )
        });
        if leave {
            self.presentation = None;
            return false;
        }
        presentation.step(forward as isize - back as isize);
        if first {
            presentation.index = 0;
        }
        if last {
            presentation.index = presentation.replay.len().saturating_sub(1);
        }
        if presentation.built_for != Some(presentation.index) {
            let Some(frame) = presentation.replay.frame(presentation.index) else { return false };
            let (network, marks) = Marks::of_frame(&presentation.scenario, &frame);
            presentation.cache = CanvasCache::build(network, marks.as_ref(), machines);
            presentation.frame = Some(frame);
            presentation.built_for = Some(presentation.index);
        }
        let Some(frame) = &presentation.frame else { return false };
        let (number, steps) = presentation.position();
        let (heading, detail) = match &frame.step {
            None => (
                format!("Step 0 of {steps}: the network before “{}”", presentation.scenario.name),
                format!("Estimated RTO {}", duration_text(presentation.estimated_rto_secs)),
            ),
            Some(step) => (format!("Step {number} of {steps}: {}", step.title), step_line(step, frame.elapsed_rto_secs, presentation.estimated_rto_secs)),
        };
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(heading).size(30.0).strong()).wrap());
            ui.label(RichText::new(detail).size(22.0));
            let hint = "Right arrow or Space: next step · Left arrow: back · Home, End: first and last · Esc: leave";
            let room = ui.available_size() - egui::vec2(0.0, 34.0);
            let (rect, _) = ui.allocate_exact_size(room, egui::Sense::hover());
            let mut diagram = ui.new_child(egui::UiBuilder::new().max_rect(rect));
            if presentation.fitted_to != Some(rect.size()) {
                presentation.view.fit(presentation.cache.bounds(), rect.size());
                presentation.fitted_to = Some(rect.size());
            }
            canvas::pane_ui(&mut diagram, &presentation.cache, &mut presentation.view, PRESENT_TEXT_PX, &[]);
            ui.label(RichText::new(hint).size(PRESENT_TEXT_PX).weak());
        });
        true
    }
}
