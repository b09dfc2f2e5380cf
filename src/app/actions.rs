//! The command loop: what each [`Command`] does to the app, after the frame that asked for it.

use super::*;
use crate::edit::{Element, Placement};
use crate::fragment;

/// How far a paste or a duplicate lands from the original, in canvas units.
const PASTE_OFFSET: f32 = 40.0;

impl DrPlanApp {
    /// Runs a command, asking first when it would lose unsaved changes.
    pub fn run(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::New => self.ask_then(Pending::Replace(None)),
            Command::Open => self.choose(file_dialog::Purpose::Open),
            Command::ImportAzure => self.choose(file_dialog::Purpose::ImportAzure),
            Command::ProposeRecoverySide => self.open_mirror_dialog(),
            Command::OpenPath(path) => self.ask_then(Pending::Replace(Some(path))),
            Command::Save => {
                self.save_then(None);
            }
            Command::SaveAs => self.choose(file_dialog::Purpose::SaveAs { then: None }),
            Command::Undo => {
                if self.document.undo() {
                    self.after_history();
                }
            }
            Command::Redo => {
                if self.document.redo() {
                    self.after_history();
                }
            }
            Command::Delete => {
                let keys: Vec<ElementKey> = self.selection.clone();
                if !keys.is_empty() {
                    self.apply(if keys.len() == 1 { Edit::Delete(keys[0].clone()) } else { Edit::DeleteAll(keys) });
                }
            }
            Command::Copy => self.copy(ctx),
            Command::Paste(text) => {
                let text = text.or_else(|| self.copied.clone());
                match text.as_deref().and_then(fragment::from_clipboard) {
                    Some(fragment) => self.paste(&fragment),
                    None => self.status = "The clipboard holds no drplan elements to paste".to_owned(),
                }
            }
            Command::Duplicate => {
                let fragment = fragment::copy(&self.document.plan, &self.selection);
                self.paste(&fragment);
            }
            Command::SelectAll => {
                let all = self.canvas.cache.scene.boxes.iter().filter(|element| element.parent.is_none()).map(|element| element.key.clone()).collect();
                self.select(all);
            }
            Command::Deselect => {
                if self.find.open {
                    self.find.open = false;
                } else {
                    // A drag under way ends where it started.
                    if let canvas::Gesture::Moving { keys, .. } = std::mem::take(&mut self.canvas.gesture) {
                        self.canvas.cache.drag(&keys, egui::Vec2::ZERO);
                    }
                    self.select(Vec::new());
                }
            }
            Command::Find => {
                self.before_after = false;
                self.find.open = true;
                self.find.focus = true;
            }
            Command::AddSite(role) => self.add_site(role),
            Command::Add(kind) => {
                if let Err(reason) = self.add(kind) {
                    self.status = reason;
                }
            }
            Command::ZoomIn => self.zoom_by(canvas::ZOOM_STEP),
            Command::ZoomOut => self.zoom_by(1.0 / canvas::ZOOM_STEP),
            Command::ActualSize => {
                let size = self.canvas.viewport.size();
                self.canvas.view.zoom_to(1.0, size);
                self.rehearsal.view.zoom_to(1.0, self.rehearsal.pane_size);
            }
            Command::FitView => {
                self.canvas.fit_pending = true;
                self.rehearsal.fit_pending = true;
            }
            Command::ToggleSnap => self.prefs.snap = !self.prefs.snap,
            Command::ToggleMachines => {
                self.prefs.show_machines = !self.prefs.show_machines;
                self.rehearsal.fit_pending = true;
            }
            Command::ToggleBeforeAfter => {
                self.before_after = !self.before_after;
                self.rehearsal.fit_pending = true;
            }
            Command::Present => self.start_presenting(),
            Command::NewScenario | Command::DuplicateScenario => {
                let edit = if command == Command::NewScenario { self.new_scenario() } else { self.duplicate_scenario() };
                if let Some(edit) = edit {
                    // The scenario editor is in the before/after view.
                    self.apply(edit);
                    self.before_after = true;
                }
            }
            Command::DeleteScenario => {
                if let Some(id) = self.scenario.take() {
                    self.apply(Edit::Delete(ElementKey::new(ElementKind::Scenario, id.as_str())));
                    self.scenario = self.document.plan.scenarios.first().map(|scenario| scenario.id.clone());
                }
            }
            Command::PickScenario(id) => self.scenario = Some(id),
            Command::ExportRunbook => self.choose(file_dialog::Purpose::ExportRunbook),
            Command::ExportDiagrams => self.open_export_dialog(),
            Command::Quit => self.ask_then(Pending::Quit),
            Command::RestoreRecovery => {
                if let Some(path) = self.recovery_offer.take() {
                    let restored = crate::io::load(&path)
                        .map_err(|error| error.to_string())
                        .and_then(|plan| self.document.restore(plan).map_err(|error| error.to_string()));
                    match restored {
                        Ok(()) => {
                            self.drafts.clear();
                            self.status = "Restored the unsaved changes from the recovery copy".to_owned();
                        }
                        Err(error) => self.status = error,
                    }
                }
            }
            Command::DiscardRecovery => self.discard_recovery(),
        }
        if let Some(Pending::Quit) = &self.pending {
            // Nothing else to do until the user answers.
        } else if self.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// After undo or redo: drafts are stale, and selected elements may be gone.
    fn after_history(&mut self) {
        self.drafts.clear();
        let plan = &self.document.plan;
        let exists = |key: &ElementKey| crate::app::design::exists(plan, key);
        self.selection.retain(exists);
    }

    fn zoom_by(&mut self, factor: f32) {
        let (view, size) =
            if self.before_after { (&mut self.rehearsal.view, self.rehearsal.pane_size) } else { (&mut self.canvas.view, self.canvas.viewport.size()) };
        let zoom = view.zoom * factor;
        view.zoom_to(zoom, size);
    }

    fn copy(&mut self, ctx: &egui::Context) {
        if self.selection.is_empty() {
            return;
        }
        let text = fragment::to_clipboard(&fragment::copy(&self.document.plan, &self.selection));
        ctx.copy_text(text.clone());
        self.copied = Some(text);
        let count = self.selection.len();
        self.status = if count == 1 { "Copied 1 element".to_owned() } else { format!("Copied {count} elements") };
    }

    /// Pastes a fragment next to where it came from (into the selected site when there is one),
    /// as one undo step, and selects what was pasted.
    fn paste(&mut self, fragment: &crate::model::Plan) {
        let plan = &self.document.plan;
        let site = self.selection.first().and_then(|key| placing::site_of(plan, key)).filter(|site| plan.site(site).is_some());
        let site = if fragment.sites.is_empty() { site } else { None };
        // Elements the layout placed itself have no stored position: pin everything first, so
        // what is pasted lands beside the original instead of where the layout would put it.
        let pins = self.canvas.cache.pins();
        let positioned = with_drawn_positions(fragment, &pins);
        match fragment::paste(plan, &positioned, Point::new(PASTE_OFFSET, PASTE_OFFSET), site.as_ref()) {
            Ok((edit, pasted)) => {
                let edit = if pins.is_empty() { edit } else { Edit::Batch(vec![Edit::Move(pins), edit]) };
                if self.apply(edit) {
                    let count = pasted.len();
                    self.select(pasted);
                    self.status = if count == 1 { "Pasted 1 element".to_owned() } else { format!("Pasted {count} elements") };
                }
            }
            Err(reason) => self.status = reason,
        }
    }

    fn add_site(&mut self, role: SiteRole) {
        let spot = self.spot(None);
        let site = placing::new_site(&self.document.plan, role, spot.for_site());
        self.add_placed(Element::Site(site));
    }

    fn add(&mut self, kind: ElementKind) -> Result<(), String> {
        let plan = &self.document.plan;
        let selected = self.selection.first();
        match kind {
            ElementKind::Network => {
                let site = selected.and_then(|key| placing::site_of(plan, key)).or_else(|| plan.sites.first().map(|site| site.id.clone()));
                let site = site.and_then(|site| plan.site(&site)).ok_or("Add a site first")?.clone();
                let spot = self.spot(Some(&site.id));
                let network = placing::new_network(&self.document.plan, &site, spot.in_site())?;
                self.add_placed(Element::Network(network));
            }
            ElementKind::Subnet => {
                let network = selected.and_then(|key| placing::network_of(plan, key)).ok_or("Select a network to add a subnet to")?;
                let network = plan.network(&network).ok_or("Select a network to add a subnet to")?;
                let subnet = placing::new_subnet(plan, network)?;
                self.add_placed(Element::Subnet(subnet));
            }
            ElementKind::Machine => {
                let subnet = selected.and_then(|key| placing::subnet_of(plan, key)).ok_or("Select a subnet to add a machine to")?;
                let subnet = plan.subnet(&subnet).ok_or("Select a subnet to add a machine to")?;
                let machine = placing::new_machine(plan, subnet)?;
                self.prefs.show_machines = true;
                self.add_placed(Element::Machine(machine));
            }
            ElementKind::Circuit => {
                let on_premises = |site: &SiteId| plan.site(site).is_some_and(|site| site.kind.is_on_premises());
                let site = selected
                    .and_then(|key| placing::site_of(plan, key))
                    .filter(|site| on_premises(site))
                    .or_else(|| plan.sites.iter().find(|site| site.kind.is_on_premises()).map(|site| site.id.clone()))
                    .ok_or("Add an on-premises site for the circuit first")?;
                let spot = self.spot(Some(&site));
                let circuit = placing::new_circuit(&self.document.plan, &site, spot.in_site());
                self.add_placed(Element::Circuit(circuit));
            }
            _ => return Err("That element is added from the inspector".to_owned()),
        }
        Ok(())
    }

    /// Adds an element with everything drawn pinned where it is, and shows it.
    fn add_placed(&mut self, element: Element) {
        let key = element.key();
        let pins = self.canvas.cache.pins();
        if self.apply(placing::add_in_place(pins, element)) {
            self.before_after = false;
            self.frame_target_if_hidden(key);
        }
    }

    fn frame_target_if_hidden(&mut self, key: ElementKey) {
        self.canvas.reveal = Some(key);
    }

    /// Where a new element goes: the last click on the canvas (once), the middle of the view,
    /// and the rectangle of the site it goes into.
    fn spot(&mut self, site: Option<&SiteId>) -> placing::Spot {
        let cache = &self.canvas.cache;
        let view = &self.canvas.view;
        let middle = cache.to_plan(view.to_canvas(self.canvas.viewport.center()));
        let site_rect = site.and_then(|site| cache.rect_of(&ElementKey::new(ElementKind::Site, site.as_str()))).map(|rect| {
            let (min, max) = (cache.to_plan(rect.min), cache.to_plan(rect.max));
            (min.x, min.y, max.x, max.y)
        });
        placing::Spot { clicked: self.canvas.clicked_at.take(), centre: Point::new(middle.x, middle.y), site_rect }
    }
}

/// The fragment with the positions its sites, networks and circuits are drawn at now.
fn with_drawn_positions(fragment: &crate::model::Plan, pins: &[Placement]) -> crate::model::Plan {
    let mut fragment = fragment.clone();
    let drawn = |kind: ElementKind, id: &str| pins.iter().find(|pin| pin.key.kind == kind && pin.key.id == id).map(|pin| pin.position);
    for site in &mut fragment.sites {
        site.position = drawn(ElementKind::Site, site.id.as_str()).or(site.position);
    }
    for network in &mut fragment.networks {
        network.position = drawn(ElementKind::Network, network.id.as_str()).or(network.position);
    }
    for circuit in &mut fragment.circuits {
        circuit.position = drawn(ElementKind::Circuit, circuit.id.as_str()).or(circuit.position);
    }
    fragment
}
