//! The inspector driven through its real UI with egui_kittest: each kind of element's fields are
//! found by their labels or values, typed into and chosen from; the assertions look at the model,
//! the findings and the messages. `app.rs`: editing on the canvas; `app_rehearsal.rs`: files,
//! rehearsing, presenting and exporting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod kit;

use drplan::app::DrPlanApp;
use drplan::edit::ElementKey;
use drplan::model::{ElementKind, IpRange, SubnetId};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kit::*;

#[test]
fn a_prefix_that_does_not_parse_shows_why_and_stays_out_of_the_model() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    click(&mut harness, "Source VNet (10.1.0.0/16)");
    let (canvas_before, _) = harness.state().canvas_viewport();
    replace_text(&mut harness, "10.1.0.0/16", "10.1.0.0/99 and a long tail of text that does not parse as a prefix");
    harness.run_steps(STEPS);
    assert!(harness.query_all_by_label_contains("is not an IP prefix").next().is_some());
    let (canvas_after, _) = harness.state().canvas_viewport();
    assert_eq!(canvas_after.width(), canvas_before.width(), "the reason wraps in the inspector, which keeps its width");
    let network = harness.state().document.plan.network(&"net-source-vnet".into()).unwrap();
    assert_eq!(network.address_space[0].to_string(), "10.1.0.0/16", "garbage never reaches the model");
}

/// The inspector's scroll bar takes its own room when the fields do not fit: a floating one was
/// drawn over their right edge, where the combo boxes' arrows are.
#[test]
fn the_inspector_s_scroll_bar_does_not_cover_its_fields() {
    let directory = tempfile::tempdir().unwrap();
    let mut harness = harness(app_on("vmm-change-ip.drplan.json", directory.path()));
    harness.set_size(egui::vec2(1500.0, 1600.0));
    harness.run_steps(STEPS);
    harness.query_all_by_label_contains("\"DB01\" changes its address").next().expect("the finding of DB01").click();
    harness.run_steps(STEPS);
    let fitting = text_field(&harness, "DB01").rect().right();
    harness.set_size(egui::vec2(1500.0, 700.0));
    harness.run_steps(STEPS);
    let scrolled = text_field(&harness, "DB01").rect().right();
    assert!(scrolled <= fitting - 6.0, "the fields end {fitting} when they fit and {scrolled} beside a scroll bar");
}

#[test]
fn a_network_mapping_and_a_new_scenario_are_edited_in_the_app() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    click(&mut harness, "Azure VNet (10.2.0.0/16)");
    click(&mut harness, "Fails over into");
    click(&mut harness, "Test VNet");
    let mapped = harness.state().document.plan.network_mappings.iter().any(|m| m.source.as_str() == "net-azure-vnet" && m.target.as_str() == "net-test-vnet");
    assert!(mapped);

    click(&mut harness, "Before / after");
    click(&mut harness, "+ Scenario");
    let plan = &harness.state().document.plan;
    assert_eq!(plan.scenarios.len(), 3);
    assert_eq!(harness.state().scenario.as_ref(), Some(&plan.scenarios[2].id), "the new scenario is the one shown");
}

/// The machine inspector names its subnet, and lists every subnet of the plan (made only while
/// the list is open: a large plan has tens of thousands) to choose another.
#[test]
fn a_machines_subnet_is_chosen_from_the_list_of_the_plans_subnets() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    let plan = harness.state().document.plan.clone();
    let machine = plan.machines.iter().find(|machine| machine.target.as_ref().is_some_and(|target| target.subnet != machine.subnet)).unwrap();
    let text = |subnet: &drplan::model::Subnet| format!("{} / {} {}", plan.network(&subnet.network).unwrap().name, subnet.name, subnet.prefix);
    let current = plan.subnet(&machine.subnet).unwrap();
    let other = plan.subnets.iter().find(|subnet| subnet.id != current.id && Some(&subnet.id) != machine.target.as_ref().map(|target| &target.subnet)).unwrap();
    harness.state_mut().select(vec![ElementKey::new(ElementKind::Machine, machine.id.as_str())]);
    harness.run_steps(STEPS);
    harness.get_by_value(&text(current)).click();
    harness.run_steps(STEPS);
    click(&mut harness, &text(other));
    assert_eq!(harness.state().document.plan.machine(&machine.id).unwrap().subnet, other.id);
}

/// The subnet list's filter keeps the subnets whose network, name or prefix contains what is
/// typed, in any case, or says none does; choosing one sets it and closes the list.
#[test]
fn a_machines_subnet_is_found_by_filtering_the_list() {
    let (_directory, mut harness) = opened("azure-full-region.drplan.json");
    let plan = harness.state().document.plan.clone();
    let machine = plan.machines.iter().find(|machine| machine.target.is_some()).unwrap();
    let network_name = |subnet: &drplan::model::Subnet| plan.network(&subnet.network).unwrap().name.clone();
    let text = |subnet: &drplan::model::Subnet| format!("{} / {} {}", network_name(subnet), subnet.name, subnet.prefix);
    let current = plan.subnet(&machine.subnet).unwrap();
    let other = plan.subnets.iter().find(|subnet| subnet.network != current.network).unwrap();
    harness.state_mut().select(vec![ElementKey::new(ElementKind::Machine, machine.id.as_str())]);
    harness.run_steps(STEPS);
    harness.get_by_value(&text(current)).click();
    harness.run_steps(STEPS);
    let shown = |harness: &Harness<DrPlanApp>| {
        plan.subnets.iter().filter(|subnet| harness.query_by_label(&text(subnet)).is_some()).map(|subnet| subnet.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(shown(&harness).len(), plan.subnets.len(), "no filter: every subnet");
    let filter = |harness: &Harness<DrPlanApp>| {
        harness.get_by(|node| node.role() == Role::TextInput && node.placeholder() == Some("Filter: network, subnet or prefix")).focus();
    };

    filter(&harness);
    harness.run_steps(1);
    harness.get_by(|node| node.role() == Role::TextInput && node.is_focused()).type_text("no such subnet");
    harness.run_steps(STEPS);
    assert!(shown(&harness).is_empty());
    assert!(harness.query_by_label("No subnet matches.").is_some());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    let query = network_name(other).to_uppercase();
    harness.get_by(|node| node.role() == Role::TextInput && node.is_focused()).type_text(&query);
    harness.run_steps(STEPS);
    let expected: Vec<_> = plan.subnets.iter().filter(|subnet| network_name(subnet).to_uppercase().contains(&query)).map(|subnet| subnet.id.clone()).collect();
    assert_eq!(shown(&harness), expected, "the subnets of the networks named so, in any case");
    assert!(expected.len() < plan.subnets.len());

    click(&mut harness, &text(other));
    assert_eq!(harness.state().document.plan.machine(&machine.id).unwrap().subnet, other.id);
    assert!(harness.query_by(|node| node.placeholder().is_some_and(|text| text.starts_with("Filter:"))).is_none(), "the list is closed");
    assert!(harness.query_by(|node| node.role() == Role::TextInput && node.is_focused()).is_none(), "no field under the list took the click");
}

#[test]
fn appliances_gateways_and_routes_are_edited_in_the_network_inspector() {
    let (_directory, mut harness) = opened("expressroute-hub-spoke.drplan.json");
    click(&mut harness, "Source Hub vNet (10.10.10.0/24)");
    let gateway = harness.state().document.plan.network(&"net-source-hub".into()).unwrap().gateways[0].name.clone();
    replace_text(&mut harness, &gateway, "Hub ER gateway");
    let hub = harness.state().document.plan.network(&"net-source-hub".into()).unwrap().clone();
    assert_eq!(hub.gateways[0].name, "Hub ER gateway");
    harness.get_by_label("Add route table").scroll_to_me();
    harness.run_steps(STEPS);
    click(&mut harness, "Add route table");
    let hub = harness.state().document.plan.network(&"net-source-hub".into()).unwrap().clone();
    assert_eq!(hub.route_tables.len(), 2);
}

/// Issue 13 item 1: an element's Azure identity is edited in the inspector; emptying a field
/// removes it from the plan rather than writing an empty name.
#[test]
fn a_sites_azure_resource_group_is_edited_and_cleared_in_the_inspector() {
    let (_directory, mut harness) = opened("hyperv-to-azure.drplan.json");
    click_element(&mut harness, &ElementKey::new(ElementKind::Site, "site-west-europe"));
    let group =
        |harness: &Harness<DrPlanApp>| harness.state().document.plan.site(&"site-west-europe".into()).and_then(|site| site.azure.resource_group.clone());
    assert_eq!(group(&harness).as_deref(), Some("rg-dr-westeurope"));
    replace_text(&mut harness, "rg-dr-westeurope", "rg-dr-weu");
    assert_eq!(group(&harness).as_deref(), Some("rg-dr-weu"));
    text_field(&harness, "rg-dr-weu").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    harness.run_steps(STEPS);
    assert_eq!(group(&harness), None, "an emptied field is no resource group");
}

/// The text field on the same row as `label` (an empty field has no value to be found by).
fn field_beside<'h>(harness: &'h Harness<DrPlanApp>, label: &'h str) -> egui_kittest::Node<'h> {
    let row = harness.get_by_label(label).rect().center().y;
    harness.get_by(move |node| node.role() == Role::TextInput && node.bounding_box().is_some_and(|rect| ((rect.y0 + rect.y1) as f32 / 2.0 - row).abs() < 4.0))
}

/// A subnet's static pool and DHCP range are typed as first-last: a range that does not parse
/// says why and stays out of the model, an emptied field removes the range, and the file saved
/// holds what the inspector shows. The two ranges are boxed in the model (few subnets have them).
#[test]
fn a_subnets_static_pool_and_dhcp_range_are_edited_refused_and_cleared_in_the_inspector() {
    let (directory, mut harness) = opened("vmm-change-ip.drplan.json");
    let id = SubnetId::new("sub-primary-apps");
    harness.state_mut().select(vec![ElementKey::new(ElementKind::Subnet, id.as_str())]);
    harness.run_steps(STEPS);
    let ranges = |harness: &Harness<DrPlanApp>| {
        let subnet = harness.state().document.plan.subnet(&id).unwrap().clone();
        (subnet.static_pool.map(|range| *range), subnet.dhcp_range.map(|range| *range))
    };
    let range = |start: &str, end: &str| IpRange { start: start.parse().unwrap(), end: end.parse().unwrap() };
    assert_eq!(ranges(&harness), (Some(range("192.168.1.10", "192.168.1.200")), None));

    replace_text(&mut harness, "192.168.1.10-192.168.1.200", "192.168.1.20 - 192.168.1.100");
    assert_eq!(ranges(&harness).0, Some(range("192.168.1.20", "192.168.1.100")), "spaces around the dash are allowed");

    field_beside(&harness, "DHCP range").focus();
    harness.run_steps(1);
    field_beside(&harness, "DHCP range").type_text("192.168.1.201-192.168.1.250");
    harness.run_steps(STEPS);
    assert_eq!(ranges(&harness).1, Some(range("192.168.1.201", "192.168.1.250")));

    replace_text(&mut harness, "192.168.1.20 - 192.168.1.100", "192.168.1.20 to 192.168.1.100");
    assert!(harness.query_all_by_label_contains("is not a range: write first-last").next().is_some(), "the field says why");
    assert_eq!(ranges(&harness).0, Some(range("192.168.1.20", "192.168.1.100")), "what does not parse never reaches the model");

    field_beside(&harness, "DHCP range").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    harness.run_steps(STEPS);
    assert_eq!(ranges(&harness).1, None, "an emptied field is no range");

    let saved = directory.path().join("ranges.drplan.json");
    harness.state_mut().document.path = Some(saved.clone());
    click_menu(&mut harness, "File", "Save");
    let reloaded = drplan::io::load(&saved).unwrap();
    let subnet = reloaded.subnet(&id).unwrap();
    assert_eq!((subnet.static_pool.as_deref(), subnet.dhcp_range.as_deref()), (Some(&range("192.168.1.20", "192.168.1.100")), None));
}
