//! Presenting a failover (View → Present, F5): the window shows one large diagram, side panels
//! hidden and text sized for a projector, and steps through the recovery plan one step at a time
//! (Right arrow, Space or Page Down forward; Left, Backspace or Page Up back; Home and End; Esc or F5
//! leaves). Step 0 is the network before; after each step the diagram shows the network as it
//! stands then, with the step's title, who runs it, its duration and the recovery time used so
//! far. The frames come from the core ([`crate::replay::Replay`]), as the steps deck's do, each made
//! when it is shown.

use std::sync::Arc;

use egui::{Key, RichText};

use super::document::LARGE_PLAN_PREFIXES;
use super::rehearsal::Rehearsal;
use super::worker::{Polled, Worker, drop_elsewhere};
use super::*;
use crate::export::diagram::{Marks, step_line};
use crate::export::duration_text;
use crate::replay::Replay;

/// The smallest text of a presented diagram, in screen pixels: legible from the back of a room.
pub const PRESENT_TEXT_PX: f32 = 18.0;

/// A worker making a frame's diagram: none when the replay has no such frame.
type DiagramWorker = Worker<Option<CanvasCache>>;

/// A presentation under way.
pub struct Presentation {
    pub replay: Arc<Replay>,
    /// The frame shown: 0 is the network before.
    pub index: usize,
    pub estimated_rto_secs: u32,
    scenario: Arc<Scenario>,
    /// The diagram shown, and the frame and machines option it was made for. While the next is
    /// made on a worker, the heading already names the step and this diagram stays.
    diagram: Option<((usize, bool), CanvasCache)>,
    /// The diagram being made on a worker, and what for.
    building: Option<((usize, bool), DiagramWorker)>,
    /// A large plan's frames are made on a worker: at 100k prefixes a frame and its diagram take
    /// a quarter to three quarters of a second, which would stop the window at each key.
    on_worker: bool,
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

    /// True while a diagram is being made on a worker.
    pub fn drawing(&self) -> bool {
        self.building.is_some()
    }

    /// The frame whose diagram is shown, if one is.
    pub fn diagram_shown(&self) -> Option<usize> {
        self.diagram.as_ref().map(|((index, _), _)| *index)
    }

    /// Brings the diagram to frame `wanted` (its index and machines option); true while it is
    /// made on a worker, for the caller to ask for a frame that picks it up. One is made at a
    /// time: keys pressed meanwhile are drawn by the one after it.
    fn refresh(&mut self, wanted: (usize, bool)) -> bool {
        if let Some((made_for, worker)) = &self.building {
            match worker.poll() {
                Polled::Done(made) => {
                    if let Some(cache) = made {
                        drop_elsewhere(self.diagram.replace((*made_for, cache)));
                    }
                    self.building = None;
                }
                Polled::Running => return true,
                Polled::Stopped => self.building = None,
            }
        }
        if self.diagram.as_ref().is_some_and(|(made_for, _)| *made_for == wanted) {
            return false;
        }
        if !self.on_worker {
            self.diagram = diagram_of(&self.replay, &self.scenario, wanted).map(|cache| (wanted, cache));
            return false;
        }
        let (replay, scenario) = (Arc::clone(&self.replay), Arc::clone(&self.scenario));
        self.building = Some((wanted, Worker::start(move || diagram_of(&replay, &scenario, wanted))));
        true
    }
}

/// The diagram of frame `index` of `replay`, with or without machines.
fn diagram_of(replay: &Replay, scenario: &Scenario, (index, machines): (usize, bool)) -> Option<CanvasCache> {
    let frame = replay.frame(index)?;
    let (network, marks) = Marks::of_frame(scenario, &frame);
    Some(CanvasCache::build(network, marks.as_ref(), machines))
}

/// A large plan's presentation while it is prepared: the scenario rehearsed (the before/after
/// view's rehearsal, made on its worker) and then its steps made (`Replay::new`) on a worker of
/// their own. At 100k prefixes the two take more than a second, which F5 waited for.
pub struct PresentationStart {
    scenario: ScenarioId,
    name: String,
    steps: Option<Worker<Presentation>>,
}

impl PresentationStart {
    /// True once the rehearsal is made and the steps are being made from it.
    pub fn making_steps(&self) -> bool {
        self.steps.is_some()
    }
}

impl Presentation {
    /// The presentation of `rehearsal`, a rehearsal of `scenario`, from its first frame.
    fn of(rehearsal: &Rehearsal, scenario: Scenario, on_worker: bool) -> Self {
        Self {
            replay: Arc::new(Replay::new(&rehearsal.outcome, &rehearsal.recovery)),
            index: 0,
            estimated_rto_secs: rehearsal.recovery.estimated_rto_secs,
            scenario: Arc::new(scenario),
            diagram: None,
            building: None,
            on_worker,
            view: View::default(),
            fitted_to: None,
        }
    }
}

impl DrPlanApp {
    /// Starts presenting the chosen scenario, or says why it cannot. A large plan's presentation
    /// is prepared on workers while the window says so (`presentation_start_ui`).
    pub(super) fn start_presenting(&mut self) {
        let Some(scenario) = self.scenario.as_ref().and_then(|id| self.document.plan.scenario(id)).cloned() else {
            self.status = "Choose a failover scenario to present".to_owned();
            return;
        };
        if self.document.plan.prefix_count() >= LARGE_PLAN_PREFIXES {
            self.presentation_start = Some(PresentationStart { scenario: scenario.id.clone(), name: scenario.name.clone(), steps: None });
            return;
        }
        self.refresh_rehearsal_now();
        // Without a rehearsal the simulation failed, and the status already says why.
        if let Some(rehearsal) = &self.rehearsal.current {
            self.presentation = Some(Presentation::of(rehearsal, scenario, false));
        }
    }

    /// Draws a large plan's presentation while it is prepared, and starts it once it is; false
    /// when it has ended (Esc or F5, or the scenario could not be rehearsed: the status says why).
    fn presentation_start_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let leave = ui.input_mut(|input| [Key::Escape, Key::F5].iter().any(|key| input.consume_key(egui::Modifiers::NONE, *key)));
        let Some(mut start) = self.presentation_start.take().filter(|_| !leave) else { return false };
        match &start.steps {
            Some(worker) => match worker.poll() {
                Polled::Done(presentation) => {
                    self.presentation = Some(presentation);
                    ui.ctx().request_repaint();
                    return true;
                }
                Polled::Running => {}
                Polled::Stopped => {
                    self.status = format!("The steps of “{}” could not be made", start.name);
                    return false;
                }
            },
            None => {
                let rehearsing = self.refresh_rehearsal();
                if let Some(rehearsal) = self.rehearsal_of_plan_as_it_is(&start.scenario) {
                    let Some(scenario) = self.document.plan.scenario(&start.scenario).cloned() else { return false };
                    let rehearsal = Arc::clone(rehearsal);
                    start.steps = Some(Worker::start(move || Presentation::of(&rehearsal, scenario, true)));
                } else if !rehearsing {
                    // The rehearsal failed: `adopt` put the reason in the status.
                    return false;
                }
            }
        }
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(30));
        let doing = if start.making_steps() { "Making the steps of its recovery plan…" } else { "Simulating the failover…" };
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(format!("Preparing “{}”", start.name)).size(30.0).strong()).wrap());
            ui.label(RichText::new(doing).size(22.0));
            ui.label(RichText::new("Esc: leave").size(PRESENT_TEXT_PX).weak());
        });
        self.presentation_start = Some(start);
        true
    }

    /// Draws the presentation over the whole window and takes its keys; false once it has ended.
    pub(super) fn present_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let machines = self.prefs.show_machines;
        let Some(presentation) = &mut self.presentation else { return self.presentation_start_ui(ui) };
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
        if presentation.refresh((presentation.index, machines)) {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(30));
        }
        let (number, steps) = presentation.position();
        let (heading, detail) = match presentation.replay.step(number) {
            None => (
                format!("Step 0 of {steps}: the network before “{}”", presentation.scenario.name),
                format!("Estimated RTO {}", duration_text(presentation.estimated_rto_secs)),
            ),
            Some(step) => (
                format!("Step {number} of {steps}: {}", step.title),
                step_line(step, presentation.replay.elapsed_rto_secs(number), presentation.estimated_rto_secs),
            ),
        };
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(heading).size(30.0).strong()).wrap());
            ui.label(RichText::new(detail).size(22.0));
            let hint = "Right arrow or Space: next step · Left arrow: back · Home, End: first and last · Esc: leave";
            let room = ui.available_size() - egui::vec2(0.0, 34.0);
            let (rect, _) = ui.allocate_exact_size(room, egui::Sense::hover());
            let mut diagram = ui.new_child(egui::UiBuilder::new().max_rect(rect));
            if let Some((_, cache)) = &presentation.diagram {
                if presentation.fitted_to != Some(rect.size()) {
                    presentation.view.fit(cache.bounds(), rect.size());
                    presentation.fitted_to = Some(rect.size());
                }
                canvas::pane_ui(&mut diagram, cache, &mut presentation.view, PRESENT_TEXT_PX, &[]);
            }
            let hint = if presentation.drawing() { format!("Drawing step {number}… · {hint}") } else { hint.to_owned() };
            ui.label(RichText::new(hint).size(PRESENT_TEXT_PX).weak());
        });
        true
    }
}
