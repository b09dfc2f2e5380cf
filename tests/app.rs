//! The desktop app driven through its real UI with egui_kittest: widgets are found by their
//! labels, clicked and typed into; the assertions look at the model, the findings and the file.
//! This file: editing on the canvas; `app_inspector.rs`: the inspector; `app_rehearsal.rs`: files, rehearsing,
//! presenting and exporting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod kit;

use drplan::app::DrPlanApp;
use std::sync::Arc;

use drplan::edit::ElementKey;
use drplan::links::{LinkEnd, LinkOption};
use drplan::model::ElementKind;
use drplan::model::LinkKind;
use drplan::model::Point;
use egui::accesskit::Role;
use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kit::*;

/// The new-connection form's options are made once per revision of the plan, not at every frame
/// (at 100k prefixes making them takes a sixth of a frame), and made again after an edit: a
/// network just peered is no longer offered for a peering.
#[test]
fn the_connection_forms_options_are_made_once_per_revision_and_follow_edits() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    click(&mut harness, "+ Network");
    let added = harness.state().selected().cloned().expect("the new network is selected");
    let options_id = egui::Id::new(("connect-options", added.id.as_str()));
    let kept = |harness: &Harness<DrPlanApp>| harness.ctx.data(|data| data.get_temp::<(u64, Arc<Vec<LinkOption>>)>(options_id)).expect("the form's options");
    let (made_at, first) = kept(&harness);
    assert_eq!(made_at, harness.state().document.revision);
    harness.run_steps(5);
    assert!(Arc::ptr_eq(&first, &kept(&harness).1), "the frames that follow reuse the options");

    let vnet = harness.state().document.plan.networks.iter().find(|network| network.name == "Azure VNet").expect("Azure VNet").id.clone();
    let peering = |options: &[LinkOption]| options.iter().any(|option| option.kind == LinkKind::VnetPeering && option.to == LinkEnd::Network(vnet.clone()));
    assert!(peering(&first));
    click(&mut harness, "Connection type");
    click(&mut harness, "VNet peering");
    click(&mut harness, "Connect to");
    click(&mut harness, "Azure VNet (Azure Southeast Asia)");
    click(&mut harness, "Connect");
    let (made_at, after) = kept(&harness);
    assert_eq!(made_at, harness.state().document.revision, "made again for the plan with the peering");
    assert!(!peering(&after), "the network peered is no longer offered for a peering");
}

#[test]
fn add_a_network_peer_it_with_an_overlapping_one_fix_it_undo_redo_rehearse_and_save() {
    let (directory, mut harness) = opened("azure-full-region.drplan.json");
    assert!(!has_finding(&harness, "CONN-OVERLAP"));

    // Add a network: it gets a free address space and is selected for the inspector.
    click(&mut harness, "+ Network");
    let added = harness.state().selected().cloned().expect("the new network is selected");
    assert_eq!(harness.state().document.plan.networks.len(), 5);

    // Give it Azure VNet's address space, then peer the two.
    replace_text(&mut harness, "10.3.0.0/16", "10.2.0.0/16");
    let network = harness.state().document.plan.network(&added.id.as_str().into()).unwrap().clone();
    assert_eq!(network.address_space[0].to_string(), "10.2.0.0/16");
    click(&mut harness, "Connection type");
    click(&mut harness, "VNet peering");
    click(&mut harness, "Connect to");
    click(&mut harness, "Azure VNet (Azure Southeast Asia)");
    click(&mut harness, "Connect");
    assert!(has_finding(&harness, "CONN-OVERLAP"), "{:#?}", harness.state().document.report.findings);

    // Fix the prefix in the inspector: the finding goes.
    click(&mut harness, &format!("{} (10.2.0.0/16)", network.name));
    replace_text(&mut harness, "10.2.0.0/16", "10.9.0.0/16");
    assert!(!has_finding(&harness, "CONN-OVERLAP"));

    // Undo brings the overlap back, redo fixes it again.
    click_menu(&mut harness, "Edit", "Undo");
    assert!(has_finding(&harness, "CONN-OVERLAP"));
    click_menu(&mut harness, "Edit", "Redo");
    assert!(!has_finding(&harness, "CONN-OVERLAP"));

    // Rehearse the full region failover: the after view lists its differences.
    click(&mut harness, "Before / after");
    assert!(harness.state().before_after);
    assert!(harness.query_all_by_label_contains("site-to-site VPN \"Recovery VNet to Azure VNet VPN\" is established").next().is_some());
    assert!(harness.query_all_by_label_contains("Estimated RTO").next().is_some());

    // Save and reload: the file holds exactly the plan on screen.
    let saved = directory.path().join("edited.drplan.json");
    harness.state_mut().document.path = Some(saved.clone());
    click_menu(&mut harness, "File", "Save");
    assert!(!harness.state().document.is_modified());
    let reloaded = drplan::io::load(&saved).unwrap();
    assert_eq!(reloaded, *harness.state().document.plan);
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), drplan::io::to_canonical_json(&reloaded));
}

#[test]
fn clicking_a_finding_selects_its_element() {
    let (_directory, mut harness) = opened("expressroute-hub-spoke.drplan.json");
    click(&mut harness, "warning GW-NOT-READY");
    let selection = harness.state().selected().cloned().unwrap();
    assert_eq!(selection.id, "net-target-hub");
}

#[test]
fn deleting_the_selection_and_undoing_restores_the_plan() {
    let (_directory, mut harness) = opened("hybrid-full-region.drplan.json");
    let original = harness.state().document.plan.clone();
    click(&mut harness, "Recovery VNet (10.1.0.0/16)");
    harness.key_press(Key::Delete);
    harness.run_steps(STEPS);
    assert!(harness.state().document.plan.network(&"net-recovery-vnet".into()).is_none());
    assert!(harness.state().document.is_modified());
    assert!(harness.state().recovery_path.as_ref().unwrap().exists(), "a structural edit autosaves a recovery copy");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan, original);
}

#[test]
fn the_app_exports_the_recovery_plan_with_its_before_and_after_diagrams() {
    let directory = tempfile::tempdir().unwrap();
    let mut app = app_on("hybrid-full-region.drplan.json", directory.path());
    let out = directory.path().join("export");
    std::fs::create_dir_all(&out).unwrap();
    let count = app.export_recovery_plan(&out).unwrap();
    for file in ["hybrid-full-region-before.svg", "hybrid-full-region-after.png", "runbook.md", "recovery-plan.json"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    assert!(count >= 6);
    let runbook = std::fs::read_to_string(out.join("runbook.md")).unwrap();
    assert!(runbook.contains("`hybrid-full-region-after.svg`"), "the runbook names the diagrams");
}

fn position_of_network(harness: &Harness<DrPlanApp>, id: &str) -> Point {
    harness.state().document.plan.network(&id.into()).and_then(|network| network.position).expect("a stored position")
}

/// Each subnet of a network, with its stored position relative to the network's.
fn subnets_relative_to_network(harness: &Harness<DrPlanApp>, id: &str) -> Vec<(String, f32, f32)> {
    let plan = &harness.state().document.plan;
    let origin = position_of_network(harness, id);
    plan.subnets
        .iter()
        .filter(|subnet| subnet.network.as_str() == id)
        .map(|subnet| {
            let at = subnet.position.expect("a stored subnet position");
            (subnet.id.to_string(), at.x - origin.x, at.y - origin.y)
        })
        .collect()
}

#[test]
fn dragging_a_network_by_its_title_moves_it_with_its_subnets_as_one_undo_step() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    let original = harness.state().document.plan.clone();
    let before = position_of_network(&harness, "net-test-vnet");
    let subnets_before = subnets_relative_to_network(&harness, "net-test-vnet");
    assert!(!subnets_before.is_empty(), "the sample's Test VNet has subnets");
    let (_, zoom) = harness.state().canvas_viewport();

    let title = on_screen(&harness, &network("net-test-vnet")).left_top() + Vec2::new(30.0, 8.0);
    let moved_by = Vec2::new(-120.0, 60.0);
    drag(&mut harness, title, title + moved_by);

    let after = position_of_network(&harness, "net-test-vnet");
    let expected = moved_by / zoom;
    // The corner snaps to the 10-unit grid: within half a cell of the dragged distance.
    assert!((after.x - before.x - expected.x).abs() <= 5.0 + 0.01, "x: {before:?} → {after:?}, dragged {expected:?}");
    assert!((after.y - before.y - expected.y).abs() <= 5.0 + 0.01, "y: {before:?} → {after:?}, dragged {expected:?}");
    assert_eq!(after.x % 10.0, 0.0, "snapped to the grid: {after:?}");
    assert_eq!(subnets_relative_to_network(&harness, "net-test-vnet"), subnets_before, "the subnets moved with the network");
    assert!(harness.state().document.is_modified(), "the move marks the plan modified");
    assert!(harness.state().document.title().contains(" •"), "the title shows the unsaved mark: {}", harness.state().document.title());
    // Drawn where the model now puts it, frames later (it does not snap back).
    harness.run_steps(STEPS);
    let drawn = on_screen(&harness, &network("net-test-vnet")).left_top();
    assert!((drawn - (title - Vec2::new(30.0, 8.0) + moved_by)).length() <= 5.0 * zoom + 1.0, "drawn at {drawn:?}");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan, original, "one undo restores the plan");
    assert!(!harness.state().document.can_undo(), "the move was one undo step");
}

/// Presses on `from`'s connection handle (the middle of its right edge) and drops onto `to`.
fn drag_connection(harness: &mut Harness<DrPlanApp>, from: &ElementKey, to: &ElementKey) {
    click_element(harness, from);
    let handle = on_screen(harness, from).right_center() - Vec2::new(1.0, 0.0);
    let target = title_of(harness, to);
    drag(harness, handle, target);
}

#[test]
fn dragging_a_connection_between_two_vnets_adds_the_type_chosen_in_the_popup() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    let connections = harness.state().document.plan.connections.len();
    drag_connection(&mut harness, &network("net-azure-vnet"), &network("net-test-vnet"));
    // The popup offers only what the pair allows: no ExpressRoute between two VNets.
    assert!(harness.query_all_by_label_contains("ExpressRoute:").next().is_none());
    harness.get_by(|node| node.role() == Role::Button && node.label().is_some_and(|label| label.starts_with("VNet peering:"))).click();
    harness.run_steps(STEPS);

    let plan = &harness.state().document.plan;
    assert_eq!(plan.connections.len(), connections + 1);
    let added = plan.connections.last().unwrap();
    assert_eq!(added.from.as_str(), "net-azure-vnet");
    assert!(matches!(&added.link, drplan::model::Link::VnetPeering { to, .. } if to.as_str() == "net-test-vnet"), "{:?}", added.link);
    assert_eq!(added.state, drplan::model::ConnectionState::Active);
    assert!(harness.state().document.can_undo());
}

#[test]
fn a_connection_the_pair_cannot_have_is_refused_with_the_reason() {
    let (_directory, mut harness) = opened("hybrid-full-region.drplan.json");
    let original = harness.state().document.plan.clone();
    // An on-premises LAN does not join an ExpressRoute circuit itself (its provider does).
    drag_connection(&mut harness, &network("net-onprem-lan"), &ElementKey::new(ElementKind::Circuit, "circuit-hong-kong"));
    assert_eq!(harness.state().document.plan, original);
    let status = harness.state().status.clone();
    assert!(status.starts_with("Cannot connect") && status.contains("not an Azure VNet"), "{status}");
    assert!(harness.query_all_by_label_contains("not an Azure VNet").next().is_some(), "the reason is on screen");
}

#[test]
fn shift_click_selects_several_and_delete_removes_them_in_one_undo_step() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    let original = harness.state().document.plan.clone();
    click_element(&mut harness, &network("net-test-vnet"));
    let second = title_of(&harness, &network("net-azure-vnet"));
    harness.hover_at(second);
    harness.run_steps(1);
    harness.event_modifiers(
        egui::Event::PointerButton { pos: second, button: egui::PointerButton::Primary, pressed: true, modifiers: Modifiers::SHIFT },
        Modifiers::SHIFT,
    );
    harness.event_modifiers(
        egui::Event::PointerButton { pos: second, button: egui::PointerButton::Primary, pressed: false, modifiers: Modifiers::SHIFT },
        Modifiers::SHIFT,
    );
    harness.run_steps(STEPS);
    assert_eq!(harness.state().selection, vec![network("net-test-vnet"), network("net-azure-vnet")]);

    harness.key_press(Key::Delete);
    harness.run_steps(STEPS);
    let plan = &harness.state().document.plan;
    assert!(plan.network(&"net-test-vnet".into()).is_none() && plan.network(&"net-azure-vnet".into()).is_none());
    assert!(plan.subnets.iter().all(|subnet| !["net-test-vnet", "net-azure-vnet"].contains(&subnet.network.as_str())), "their subnets went too");
    drplan::io::parse_str(&drplan::io::to_canonical_json(plan), std::path::Path::new("after-delete.drplan.json"))
        .expect("the plan stays loadable: no connection to a deleted network is left");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan, original, "one undo brings both back");
    assert!(!harness.state().document.can_undo());
}

#[test]
fn copy_and_paste_adds_the_network_again_with_fresh_ids() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    let before = harness.state().document.plan.clone();
    click_element(&mut harness, &network("net-test-vnet"));
    // The window delivers Ctrl+C as a Copy event and Ctrl+V as a Paste event with the
    // clipboard's text; egui_kittest has no system clipboard, so what the app puts there is read
    // from the frame's output.
    harness.event(egui::Event::Copy);
    let mut copied = None;
    for _ in 0..STEPS {
        harness.run_steps(1);
        copied = copied.or_else(|| {
            harness.output().platform_output.commands.iter().find_map(|command| match command {
                egui::OutputCommand::CopyText(text) => Some(text.clone()),
                _ => None,
            })
        });
    }
    let copied = copied.expect("Ctrl+C puts a plan fragment on the clipboard");
    assert!(copied.contains("Test VNet"), "{copied}");
    harness.event(egui::Event::Paste(copied));
    harness.run_steps(STEPS);

    let plan = &harness.state().document.plan;
    assert_eq!(plan.networks.len(), before.networks.len() + 1);
    let pasted = plan.networks.last().unwrap();
    assert_eq!(pasted.name, "Test VNet");
    assert!(before.network(&pasted.id).is_none(), "a fresh network id: {}", pasted.id);
    let pasted_subnets: Vec<_> = plan.subnets.iter().filter(|subnet| subnet.network == pasted.id).collect();
    let copied_subnets = before.subnets.iter().filter(|subnet| subnet.network.as_str() == "net-test-vnet").count();
    assert_eq!(pasted_subnets.len(), copied_subnets);
    assert!(pasted_subnets.iter().all(|subnet| before.subnet(&subnet.id).is_none()), "fresh subnet ids");
    assert_eq!(harness.state().selection, vec![network(pasted.id.as_str())], "the pasted network is selected");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(STEPS);
    assert_eq!(harness.state().document.plan, before, "the paste is one undo step");
}

#[test]
fn find_selects_and_frames_the_next_match() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    let (_, fit_zoom) = harness.state().canvas_viewport();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(STEPS);
    harness.get_by(|node| node.role() == Role::TextInput && node.value().as_deref() == Some("")).type_text("10.101.1");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(STEPS);

    let found = harness.state().selected().cloned().expect("the match is selected");
    let subnet = harness.state().document.plan.subnet(&found.id.as_str().into()).expect("a subnet matched").clone();
    assert!(subnet.prefix.to_string().starts_with("10.101.1"), "{}", subnet.prefix);
    let (viewport, zoom) = harness.state().canvas_viewport();
    let rect = on_screen(&harness, &found);
    assert!(zoom > fit_zoom, "framed closer than Fit: {zoom} vs {fit_zoom}");
    assert!((rect.center() - viewport.center()).length() < 2.0, "framed in the middle: {rect:?} in {viewport:?}");
}

#[test]
fn ctrl_plus_zooms_the_canvas_and_leaves_the_ui_scale() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    let (_, fit_zoom) = harness.state().canvas_viewport();
    let ui_scale = harness.ctx.zoom_factor();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    harness.run_steps(STEPS);
    let (_, zoomed) = harness.state().canvas_viewport();
    assert!((zoomed / fit_zoom - 1.15).abs() < 0.01, "one step of 15 %: {fit_zoom} → {zoomed}");
    assert_eq!(harness.ctx.zoom_factor(), ui_scale, "the UI scale is unchanged");
    let percent = format!("{:.0} %", zoomed * 100.0);
    assert!(harness.query_all_by_label_contains(&percent).next().is_some(), "the zoom is shown as {percent}");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    harness.run_steps(STEPS);
    assert!((harness.state().canvas_viewport().1 - fit_zoom).abs() < 0.001);
}

#[test]
fn a_new_machine_takes_a_free_address_of_its_subnets_static_pool() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on("vmm-change-ip.drplan.json", directory.path()));
    harness.state_mut().prefs.show_machines = true;
    harness.run_steps(STEPS);
    let plan = harness.state().document.plan.clone();
    let subnet = plan.subnets.iter().find(|subnet| subnet.static_pool.is_some()).expect("a subnet with a static pool").clone();
    let pool = *subnet.static_pool.clone().unwrap();
    harness.state_mut().select(vec![ElementKey::new(ElementKind::Subnet, subnet.id.as_str())]);
    harness.run_steps(1);
    click(&mut harness, "+ Machine");

    let plan = &harness.state().document.plan;
    let machine = plan.machines.last().unwrap();
    assert_eq!(machine.subnet, subnet.id);
    assert!(machine.ip >= pool.start && machine.ip <= pool.end, "{} is outside {pool:?}", machine.ip);
    assert!(plan.machines.iter().filter(|other| other.ip == machine.ip).count() == 1, "{} is free", machine.ip);
    assert_eq!(harness.state().selected(), Some(&ElementKey::new(ElementKind::Machine, machine.id.as_str())));
}

/// Idle is idle: with a plan open and nothing happening, the app asks for no further frame (it
/// used to resend the window title every frame, which kept a real window redrawing at 50 frames
/// a second on 1.7 cores). Hovering and a finished drag settle the same way.
#[test]
fn an_open_plan_left_alone_asks_for_no_more_frames() {
    let (_directory, mut harness) = opened("expressroute-hub-spoke.drplan.json");
    let settled = harness.try_run().map_err(|error| error.to_string());
    assert!(settled.is_ok(), "idle after opening: {settled:?}");

    let title = title_of(&harness, &network("net-source-hub"));
    harness.hover_at(title);
    let settled = harness.try_run().map_err(|error| error.to_string());
    assert!(settled.is_ok(), "idle while hovering: {settled:?}");

    drag(&mut harness, title, title + Vec2::new(40.0, 30.0));
    let settled = harness.try_run().map_err(|error| error.to_string());
    assert!(settled.is_ok(), "idle after a drag: {settled:?}");
    assert!(harness.state().document.is_modified(), "the drag moved the network");
}

/// What the canvas does not draw is not clicked: at 100 % a click on DB01's chip selects DB01;
/// zoomed out until machines' chips are left out (below 45 %), a click at the same element's
/// place selects its subnet, which is drawn there.
#[test]
fn a_click_where_a_chip_is_no_longer_drawn_selects_the_subnet_drawn_there() {
    let (_directory, mut harness) = opened("vmm-change-ip.drplan.json");
    let db = ElementKey::new(ElementKind::Machine, "vm-db-1");
    let subnet = ElementKey::new(ElementKind::Subnet, "sub-primary-apps");
    if harness.state().canvas_rect_of(&db).is_none() {
        click(&mut harness, "Machines");
    }
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run_steps(STEPS);
    let (viewport, _) = harness.state().canvas_viewport();
    let chip = on_screen(&harness, &db).center();
    assert!(viewport.contains(chip), "DB01 is on screen at 100 %");
    click_at(&mut harness, chip);
    assert_eq!(harness.state().selected(), Some(&db));
    while harness.state().canvas_viewport().1 >= 0.45 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
        harness.run_steps(STEPS);
    }
    let chip = on_screen(&harness, &db).center();
    click_at(&mut harness, chip);
    assert_eq!(harness.state().selected(), Some(&subnet), "at {:.0} %", harness.state().canvas_viewport().1 * 100.0);
}
