//! The findings panel: the validator's counts, every finding with its rule, and for the
//! selected finding its fix and its source article. Clicking a finding selects its element.

use egui::RichText;

use super::*;
use crate::validate::Severity;

/// "1 error", "2 errors".
pub fn count_text(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 { format!("1 {singular}") } else { format!("{count} {plural}") }
}

impl DrPlanApp {
    pub(super) fn findings_ui(&mut self, ui: &mut egui::Ui) {
        let report = &self.document.report;
        ui.horizontal(|ui| {
            ui.heading("Findings");
            ui.label(format!(
                "{}, {}, {}",
                count_text(report.count(Severity::Error), "error", "errors"),
                count_text(report.count(Severity::Warning), "warning", "warnings"),
                count_text(report.count(Severity::Info), "info", "info"),
            ));
        });
        let chosen_id = egui::Id::new("chosen-finding");
        let mut chosen: Option<usize> = ui.data(|data| data.get_temp(chosen_id)).filter(|index| *index < report.findings.len());
        let mut clicked = None;
        ui.columns(2, |columns| {
            egui::ScrollArea::vertical().id_salt("findings-scroll").auto_shrink([false, false]).show(&mut columns[0], |ui| {
                for (index, finding) in report.findings.iter().enumerate() {
                    let color = match finding.severity {
                        Severity::Error => ui.visuals().error_fg_color,
                        Severity::Warning => ui.visuals().warn_fg_color,
                        Severity::Info => ui.visuals().hyperlink_color,
                    };
                    let label = RichText::new(format!("{} {}", finding.severity, finding.rule)).color(color).strong();
                    ui.horizontal(|ui| {
                        let rule = ui.add(egui::Button::selectable(chosen == Some(index), label));
                        let message = ui.add(egui::Label::new(&finding.message).truncate().sense(egui::Sense::click()));
                        if rule.clicked() || message.clicked() {
                            chosen = Some(index);
                            clicked = finding.elements.first().map(|element| ElementKey::new(element.kind, element.id.clone()));
                        }
                    });
                }
            });
            let ui = &mut columns[1];
            egui::ScrollArea::vertical().id_salt("finding-detail").auto_shrink([false, false]).show(ui, |ui| {
                match chosen.and_then(|index| report.findings.get(index)) {
                    Some(finding) => {
                        ui.label(RichText::new(format!("{} {}", finding.severity, finding.rule)).strong());
                        ui.label(&finding.message);
                        ui.label(RichText::new("Fix").strong());
                        ui.label(&finding.fix);
                        ui.label(RichText::new("Source").strong());
                        ui.label(finding.source.to_string());
                    }
                    None => {
                        ui.label(RichText::new("Click a finding to see its fix and its source article.").weak());
                    }
                }
            });
        });
        ui.data_mut(|data| data.insert_temp(chosen_id, chosen));
        if let Some(key) = clicked {
            self.before_after = false;
            self.frame_target = Some(key.clone());
            self.select(vec![key]);
        }
    }
}
