//! The outline: sites with their networks and circuits, one line each (long names are cut with
//! an ellipsis and shown whole in a hover). Clicking selects and frames; Shift or Ctrl adds.

use egui::RichText;

use super::*;

impl DrPlanApp {
    fn outline_row_ui(&self, ui: &mut egui::Ui, key: ElementKey, text: RichText, hover: String, clicked: &mut Option<(ElementKey, bool)>) {
        let selected = self.selection.contains(&key);
        let response = ui.add(egui::Button::selectable(selected, text).truncate()).on_hover_text(hover);
        if response.clicked() {
            let adding = ui.input(|input| input.modifiers.shift || input.modifiers.command);
            *clicked = Some((key, adding));
        }
    }

    pub(super) fn outline_ui(&mut self, ui: &mut egui::Ui) {
        let plan = &self.document.plan;
        let mut clicked = None;
        ui.heading("Outline");
        egui::ScrollArea::vertical().id_salt("outline-scroll").auto_shrink([false, false]).show(ui, |ui| {
            // Large plans start with their sites folded, so the outline costs little per frame.
            let open = plan.networks.len() <= 60;
            for site in &plan.sites {
                let key = ElementKey::new(ElementKind::Site, site.id.as_str());
                let text = format!("{} ({})", site.name, site.role.label());
                self.outline_row_ui(ui, key, RichText::new(text.clone()).strong(), text, &mut clicked);
                let count = plan.networks_of(&site.id).count();
                egui::CollapsingHeader::new(if count == 1 { "1 network".to_owned() } else { format!("{count} networks") })
                    .id_salt(("outline", site.id.as_str()))
                    .default_open(open)
                    .show(ui, |ui| {
                        for network in plan.networks_of(&site.id) {
                            let key = ElementKey::new(ElementKind::Network, network.id.as_str());
                            let space = network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                            let text = format!("{} ({space})", network.name);
                            self.outline_row_ui(ui, key, RichText::new(text.clone()), text, &mut clicked);
                        }
                        for circuit in plan.circuits.iter().filter(|circuit| circuit.site == site.id) {
                            let key = ElementKey::new(ElementKind::Circuit, circuit.id.as_str());
                            let text = format!("{} (circuit)", circuit.name);
                            self.outline_row_ui(ui, key, RichText::new(text.clone()), text, &mut clicked);
                        }
                    });
            }
        });
        if let Some((key, adding)) = clicked {
            self.before_after = false;
            self.frame_target = Some(key.clone());
            if adding {
                let mut keys = self.selection.clone();
                if !keys.contains(&key) {
                    keys.push(key);
                }
                self.select(keys);
            } else {
                self.select(vec![key]);
            }
        }
    }
}
