//! Making a connection: the popup shown when a drag from a network's handle ends on another
//! element, and the inspector's "New connection" form. Both offer only what `links` allows for
//! the pair, name networks with their site, and start each new connection as active.

use std::sync::Arc;

use egui::{Pos2, RichText};

use crate::edit::{Edit, Element, ElementKey};
use crate::links::{self, Endpoint, LinkEnd, LinkOption};
use crate::model::ElementKind;
use crate::model::*;

/// The popup of a connection dragged from one element onto another.
#[derive(Clone, Debug)]
pub struct ConnectPopup {
    pub at: Pos2,
    pub options: Vec<LinkOption>,
    pub prepared: bool,
}

fn endpoint(key: &ElementKey) -> Option<(ElementKind, &str)> {
    matches!(key.kind, ElementKind::Network | ElementKind::Circuit | ElementKind::Site).then_some((key.kind, key.id.as_str()))
}

/// The options for a drag from `from` onto `to`, or why the pair cannot be joined.
pub fn options_for(plan: &Plan, from: &ElementKey, to: &ElementKey) -> Result<Vec<LinkOption>, String> {
    let (Some(from), Some(to)) = (endpoint(from), endpoint(to)) else {
        return Err("drop the connection onto a network, a circuit or a site".to_owned());
    };
    let ids = [from, to].map(|(kind, id)| (kind, id.to_owned()));
    let networks = ids.clone().map(|(_, id)| NetworkId::new(id));
    let circuits = ids.clone().map(|(_, id)| CircuitId::new(id));
    let sites = ids.clone().map(|(_, id)| SiteId::new(id));
    let point = |index: usize| match ids[index].0 {
        ElementKind::Network => Endpoint::Network(&networks[index]),
        ElementKind::Circuit => Endpoint::Circuit(&circuits[index]),
        _ => Endpoint::Site(&sites[index]),
    };
    links::link_options(plan, point(0), point(1))
}

/// The text of one option: "VNet peering: Source VNet (East Asia) ↔ Azure VNet (Southeast Asia)".
pub fn option_text(plan: &Plan, option: &LinkOption) -> String {
    format!("{}: {} ↔ {}", option.kind.title(), links::network_name(plan, &option.from), links::end_name(plan, &option.to))
}

/// Shows the popup; returns the connection chosen, and closes when it is chosen or dismissed.
pub fn popup_ui(ctx: &egui::Context, popup: &mut Option<ConnectPopup>, plan: &Plan) -> Option<Edit> {
    let current = popup.as_mut()?;
    let mut chosen = None;
    let mut open = true;
    egui::Window::new("Connect").id(egui::Id::new("connect-popup")).fixed_pos(current.at).collapsible(false).resizable(false).open(&mut open).show(ctx, |ui| {
        ui.label(RichText::new("Connection type").strong());
        ui.checkbox(&mut current.prepared, "prepared for failover (not active now)");
        for option in &current.options {
            if ui.button(option_text(plan, option)).clicked() {
                chosen = Some(option.clone());
            }
        }
        if ui.button("Cancel").clicked() || ui.input(|input| input.key_pressed(egui::Key::Escape)) {
            chosen = None;
            current.options.clear();
        }
    });
    let state = if current.prepared { ConnectionState::Prepared } else { ConnectionState::Active };
    if !open || chosen.is_some() || current.options.is_empty() {
        *popup = None;
    }
    chosen.map(|option| Edit::Add(Element::Connection(links::new_connection(plan, &option, state))))
}

/// What `network` can be joined to in the plan at `revision`: made once per revision and kept in
/// the form's memory, since the form is drawn at every frame while the network is selected and
/// at 100k prefixes making the options (40,000 of them) takes about 2.5 ms, a sixth of a frame.
fn options_at(ui: &egui::Ui, plan: &Plan, revision: u64, network: &Network) -> Arc<Vec<LinkOption>> {
    let id = egui::Id::new(("connect-options", network.id.as_str()));
    if let Some((made_at, options)) = ui.data(|data| data.get_temp::<(u64, Arc<Vec<LinkOption>>)>(id))
        && made_at == revision
    {
        return options;
    }
    let options = Arc::new(links::options_from(plan, network));
    ui.data_mut(|data| data.insert_temp(id, (revision, Arc::clone(&options))));
    options
}

/// The inspector's form for a new connection from `network`, in the plan at `revision`.
pub fn connect_ui(ui: &mut egui::Ui, plan: &Plan, revision: u64, network: &Network) -> Option<Edit> {
    ui.label(RichText::new("New connection").strong());
    let id = egui::Id::new(("connect-choice", network.id.as_str()));
    let (mut kind, mut target, mut prepared): (Option<LinkKind>, Option<LinkEnd>, bool) = ui.data(|data| data.get_temp(id)).unwrap_or_default();
    let options = options_at(ui, plan, revision, network);
    let kinds: Vec<LinkKind> = LinkKind::ALL.into_iter().filter(|kind| options.iter().any(|option| option.kind == *kind)).collect();
    if kinds.is_empty() {
        ui.label(RichText::new("Nothing else in the plan can be connected to this network.").weak());
        return None;
    }
    if !kind.is_some_and(|kind| kinds.contains(&kind)) {
        kind = kinds.first().copied();
    }
    let chosen_kind = kind.unwrap_or(LinkKind::SiteToSiteVpn);
    egui::ComboBox::from_label("Connection type").selected_text(chosen_kind.title()).show_ui(ui, |ui| {
        for candidate in &kinds {
            ui.selectable_value(&mut kind, Some(*candidate), candidate.label());
        }
    });
    let targets: Vec<&LinkOption> = options.iter().filter(|option| Some(option.kind) == kind).collect();
    // A target chosen for another type is not carried over.
    if !target.as_ref().is_some_and(|target| targets.iter().any(|option| &option.to == target)) {
        target = None;
    }
    let selected = target.as_ref().map_or_else(|| "(choose)".to_owned(), |target| links::end_name(plan, target));
    egui::ComboBox::from_label("Connect to").selected_text(selected).show_ui(ui, |ui| {
        for option in &targets {
            ui.selectable_value(&mut target, Some(option.to.clone()), links::end_name(plan, &option.to));
        }
    });
    ui.checkbox(&mut prepared, "prepared for failover (not active now)");
    let mut edit = None;
    let option = target.as_ref().and_then(|target| targets.iter().find(|option| &option.to == target));
    if ui.add_enabled(option.is_some(), egui::Button::new("Connect")).clicked() {
        if let Some(option) = option {
            let state = if prepared { ConnectionState::Prepared } else { ConnectionState::Active };
            edit = Some(Edit::Add(Element::Connection(links::new_connection(plan, option, state))));
        }
        target = None;
        prepared = false;
    }
    ui.data_mut(|data| data.insert_temp(id, (kind, target, prepared)));
    edit
}
