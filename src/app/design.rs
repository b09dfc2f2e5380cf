//! The design view: the editable canvas with its find bar and legend, and the inspector of the
//! selection beside it.

use egui::RichText;

use super::*;
use crate::export::palette::{Paint, Palette};
use crate::model::ElementKind;

/// The Ctrl+F bar: a query, and which match Enter framed last.
#[derive(Default)]
pub struct FindBar {
    pub open: bool,
    pub query: String,
    /// Index of the last match framed, in the order of [`matches`].
    pub last: Option<usize>,
    /// Give the field the keyboard at the next frame.
    pub focus: bool,
}

/// True when the element of `key` is in the plan.
pub fn exists(plan: &Plan, key: &ElementKey) -> bool {
    match key.kind {
        ElementKind::Site => plan.site(&SiteId::new(&key.id)).is_some(),
        ElementKind::Network => plan.network(&NetworkId::new(&key.id)).is_some(),
        ElementKind::Subnet => plan.subnet(&SubnetId::new(&key.id)).is_some(),
        ElementKind::Machine => plan.machine(&MachineId::new(&key.id)).is_some(),
        ElementKind::Circuit => plan.circuit(&CircuitId::new(&key.id)).is_some(),
        ElementKind::Connection => plan.connection(&ConnectionId::new(&key.id)).is_some(),
        ElementKind::Scenario => plan.scenario(&ScenarioId::new(&key.id)).is_some(),
        ElementKind::Gateway => plan.networks.iter().any(|network| network.gateways.iter().any(|gateway| gateway.id.as_str() == key.id)),
        ElementKind::Nva => plan.networks.iter().any(|network| network.nvas.iter().any(|nva| nva.id.as_str() == key.id)),
    }
}

/// The elements whose name, prefix or address contains `query` (case-insensitive), in plan
/// order: sites, networks (name or address space), subnets (name or prefix), machines (name or
/// address), circuits.
pub fn matches(plan: &Plan, query: &str) -> Vec<ElementKey> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let hit = |texts: &[&str]| texts.iter().any(|text| text.to_lowercase().contains(&query));
    let mut found = Vec::new();
    for site in &plan.sites {
        if hit(&[&site.name]) {
            found.push(ElementKey::new(ElementKind::Site, site.id.as_str()));
        }
    }
    for network in &plan.networks {
        let spaces: Vec<String> = network.address_space.iter().map(ToString::to_string).collect();
        if hit(&[&network.name]) || spaces.iter().any(|space| hit(&[space])) {
            found.push(ElementKey::new(ElementKind::Network, network.id.as_str()));
        }
    }
    for subnet in &plan.subnets {
        if hit(&[&subnet.name, &subnet.prefix.to_string()]) {
            found.push(ElementKey::new(ElementKind::Subnet, subnet.id.as_str()));
        }
    }
    for machine in &plan.machines {
        if hit(&[&machine.name, &machine.ip.to_string()]) {
            found.push(ElementKey::new(ElementKind::Machine, machine.id.as_str()));
        }
    }
    for circuit in &plan.circuits {
        if hit(&[&circuit.name]) {
            found.push(ElementKey::new(ElementKind::Circuit, circuit.id.as_str()));
        }
    }
    found
}

impl DrPlanApp {
    pub(super) fn design_ui(&mut self, ui: &mut egui::Ui, edits: &mut Vec<Edit>) {
        let machines = self.prefs.show_machines;
        let wanted = (self.document.revision, machines);
        if self.canvas.refresh(&self.document.plan, wanted) {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(30));
        }
        // Nothing drawn away from its place once the canvas is current and no drag is under way
        // (a move the document refused, or one that changed nothing).
        if self.canvas.building.is_none() && self.canvas.gesture == canvas::Gesture::Idle && self.canvas.cache.is_dragged() {
            self.canvas.cache.drag(&[], egui::Vec2::ZERO);
        }
        // A report that arrives after the edit it reports on marks the elements again; the scene
        // stays (at 100k prefixes it takes a tenth of a second to build).
        if self.canvas.cache.findings_for != Some(self.document.report_revision) {
            self.canvas.cache.mark_findings(&self.document.report);
            self.canvas.cache.findings_for = Some(self.document.report_revision);
        }
        ui.horizontal(|ui| {
            legend_ui(ui);
            if self.find.open {
                ui.separator();
                self.find_ui(ui);
            }
        });
        // Machines hidden from the canvas are shown when one is selected or found.
        if !machines && self.selection.iter().any(|key| key.kind == ElementKind::Machine) {
            self.prefs.show_machines = true;
        }
        let viewport = ui.available_rect_before_wrap();
        self.canvas.viewport = viewport;
        let content = self.canvas.cache.bounds();
        self.canvas.view.origin = viewport.min;
        let still_fitted = self.canvas.fitted.is_some_and(|(size, view)| view == self.canvas.view && size != viewport.size());
        if (self.canvas.fit_pending || still_fitted) && content.width() > 0.0 {
            self.canvas.view.fit(content, viewport.size());
            self.canvas.fit_pending = false;
            self.canvas.fitted = Some((viewport.size(), self.canvas.view));
        }
        if let Some(key) = self.frame_target.take()
            && let Some(rect) = self.canvas.cache.rect_of(&key)
        {
            self.canvas.view.frame(rect, viewport.size());
        }
        if let Some(key) = self.canvas.reveal.take()
            && let Some(rect) = self.canvas.cache.rect_of(&key)
        {
            let on_screen = self.canvas.view.to_screen_rect(rect);
            if !viewport.contains_rect(on_screen) {
                self.canvas.view.frame(rect, viewport.size());
            }
        }
        let editable = self.canvas.cache.built_for == Some(wanted);
        let output = canvas::canvas_ui(
            ui,
            canvas::Canvas {
                plan: &self.document.plan,
                cache: &mut self.canvas.cache,
                view: &mut self.canvas.view,
                gesture: &mut self.canvas.gesture,
                selection: &self.selection,
                snap: self.prefs.snap,
                // No hover text over the connection popup, which sits where the pointer dropped.
                hover_text: self.connect_popup.is_none(),
                editable,
            },
        );
        if let Some(point) = output.clicked_at {
            self.canvas.clicked_at = Some(point);
        }
        match output.selection {
            Some(canvas::SelectionChange::Replace(keys)) => self.select(keys),
            Some(canvas::SelectionChange::Toggle(key)) => {
                let mut keys = self.selection.clone();
                match keys.iter().position(|known| known == &key) {
                    Some(index) => {
                        keys.remove(index);
                    }
                    None => keys.push(key),
                }
                self.select(keys);
            }
            None => {}
        }
        if let Some(edit) = output.edit {
            edits.push(edit);
        }
        if let Some((from, to, at)) = output.connect {
            match connect::options_for(&self.document.plan, &from, &to) {
                Ok(options) => self.connect_popup = Some(connect::ConnectPopup { at, options, prepared: false }),
                Err(reason) => self.status = format!("Cannot connect: {reason}"),
            }
        }
    }

    fn find_ui(&mut self, ui: &mut egui::Ui) {
        ui.label("Find");
        let field = ui.add(egui::TextEdit::singleline(&mut self.find.query).hint_text("name, prefix or address").desired_width(220.0));
        if self.find.focus {
            field.request_focus();
            self.find.focus = false;
        }
        if field.changed() {
            self.find.last = None;
        }
        let found = matches(&self.document.plan, &self.find.query);
        let entered = field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        if entered || ui.button("Next").clicked() {
            if found.is_empty() {
                self.status = format!("Nothing matches \"{}\"", self.find.query.trim());
            } else {
                let next = self.find.last.map_or(0, |last| (last + 1) % found.len());
                self.find.last = Some(next);
                let key = found[next].clone();
                self.select(vec![key.clone()]);
                self.frame_target = Some(key);
            }
            field.request_focus();
        }
        let count = found.len();
        ui.label(match (count, self.find.last) {
            (0, _) if self.find.query.trim().is_empty() => String::new(),
            (0, _) => "no match".to_owned(),
            (count, Some(last)) => format!("{} of {count}", last + 1),
            (1, None) => "1 match".to_owned(),
            (count, None) => format!("{count} matches"),
        });
        if ui.button("✕").on_hover_text("Close (Esc)").clicked() {
            self.find.open = false;
        }
    }

    /// The right-hand panel: the scenario in the before/after view, else the selection.
    pub(super) fn inspector_panel_ui(&mut self, ui: &mut egui::Ui, edits: &mut Vec<Edit>, commands: &mut Vec<Command>) {
        // A scroll bar that takes its own room: egui's floating one is drawn over the right
        // edge of the fields, where the combo boxes' arrows are.
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::vertical().id_salt("inspector-scroll").auto_shrink([false, false]).show(ui, |ui| {
            if self.before_after {
                if let Some(edit) = self.scenario_editor_ui(ui) {
                    edits.push(edit);
                }
                self.rehearsal_ui(ui);
                return;
            }
            match self.selection.as_slice() {
                [] => {
                    ui.heading("Plan");
                    let mut name = self.document.plan.name.clone();
                    ui.label("Name");
                    if ui.text_edit_singleline(&mut name).changed() {
                        edits.push(Edit::Rename { name });
                    }
                    ui.label(RichText::new("Select an element on the canvas to edit it.").weak());
                }
                [one] => {
                    let one = one.clone();
                    if let Some(edit) = inspector::inspector_ui(ui, &self.document.plan, self.document.revision, &self.document.report, &one, &mut self.drafts)
                    {
                        edits.push(edit);
                    }
                }
                many => {
                    ui.heading(format!("{} elements selected", many.len()));
                    for key in many.iter().take(12) {
                        ui.label(canvas::describe(&self.document.plan, key).unwrap_or_else(|| key.id.clone()).lines().next().unwrap_or_default().to_owned());
                    }
                    ui.horizontal(|ui| {
                        for command in [Command::Delete, Command::Duplicate] {
                            if ui.button(command.text()).clicked() {
                                commands.push(command);
                            }
                        }
                    });
                }
            }
        });
    }
}

/// What the canvas's colours and lines mean, in the shared palette.
fn legend_ui(ui: &mut egui::Ui) {
    let palette = if ui.visuals().dark_mode { Palette::Dark } else { Palette::Light };
    for (label, paint) in [("VPN", Paint::Vpn), ("peering", Paint::Peering), ("ExpressRoute", Paint::ExpressRoute), ("stretched VLAN", Paint::StretchedVlan)] {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 10.0), egui::Sense::hover());
        ui.painter().line_segment([rect.left_center(), rect.right_center()], egui::Stroke::new(3.0, canvas::color(palette, paint)));
        ui.label(label);
    }
    ui.label(RichText::new("dashed: prepared for failover").weak());
}
