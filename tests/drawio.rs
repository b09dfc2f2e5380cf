//! The draw.io export (`drplan diagram --format drawio`): an uncompressed mxfile whose pages each
//! hold cells 0 and 1, containers whose children exist and sit inside them, and edges whose ends
//! exist; the after page marks what the failover changed; hostile names come back exactly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::process::Command;

use common::*;
use roxmltree::{Document, Node};

fn export(plan_file: &std::path::Path, extra: &[&str], out: &std::path::Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["diagram", &plan_file.to_string_lossy(), "--format", "drawio", "--out", &out.to_string_lossy()])
        .args(extra)
        .output()
        .expect("drplan runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let written = String::from_utf8_lossy(&output.stdout).lines().find_map(|line| line.strip_prefix("wrote ").map(str::to_owned)).expect("a file");
    std::fs::read_to_string(written).expect("the drawio file")
}

fn cells<'a, 'input>(page: Node<'a, 'input>) -> Vec<Node<'a, 'input>> {
    page.descendants().filter(|node| node.has_tag_name("mxCell")).collect()
}

/// Checks one page's structure; returns its cells by id.
fn check_page<'a, 'input>(page: Node<'a, 'input>) -> HashMap<String, Node<'a, 'input>> {
    let root = page.descendants().find(|node| node.has_tag_name("root")).expect("mxGraphModel > root");
    assert!(root.parent_element().is_some_and(|model| model.has_tag_name("mxGraphModel")));
    let all = cells(page);
    assert_eq!(all[0].attribute("id"), Some("0"), "cell 0 first");
    assert_eq!((all[1].attribute("id"), all[1].attribute("parent")), (Some("1"), Some("0")), "cell 1, child of 0");
    let mut by_id = HashMap::new();
    for cell in &all {
        let id = cell.attribute("id").expect("an id").to_owned();
        assert!(by_id.insert(id.clone(), *cell).is_none(), "ids are unique on a page: {id}");
    }
    for cell in &all[2..] {
        let parent = cell.attribute("parent").expect("a parent");
        assert!(by_id.contains_key(parent), "the parent {parent} of {:?} exists", cell.attribute("id"));
        if cell.attribute("edge") == Some("1") {
            for end in ["source", "target"] {
                let id = cell.attribute(end).expect("an end");
                assert!(by_id.get(id).is_some_and(|node| node.attribute("vertex") == Some("1")), "the {end} {id} is a vertex");
            }
        } else {
            assert_eq!(cell.attribute("vertex"), Some("1"));
        }
    }
    by_id
}

#[test]
fn every_sample_exports_pages_whose_cells_parents_and_edge_ends_exist() {
    let out = tempfile::tempdir().unwrap();
    for name in SAMPLES {
        let plan = sample(name);
        let scenario = plan.scenarios[0].id.to_string();
        let text = export(&sample_path(name), &["--scenario", &scenario, "--view", "both"], out.path());
        let document = Document::parse(&text).unwrap_or_else(|error| panic!("{name}: the drawio file is XML: {error}"));
        let file = document.root_element();
        assert!(file.has_tag_name("mxfile"));
        let pages: Vec<Node> = file.children().filter(|node| node.has_tag_name("diagram")).collect();
        assert_eq!(pages.iter().map(|page| page.attribute("name").unwrap_or_default()).collect::<Vec<_>>(), ["Before", "After"], "{name}");
        for page in pages {
            let by_id = check_page(page);
            for subnet in &plan.subnets {
                let cell = by_id.get(&format!("subnet:{}", subnet.id)).unwrap_or_else(|| panic!("{name}: subnet {} is drawn", subnet.id));
                assert_eq!(cell.attribute("parent"), Some(format!("network:{}", subnet.network).as_str()), "a subnet sits in its network's container");
            }
            for network in &plan.networks {
                let cell = by_id.get(&format!("network:{}", network.id)).expect("network drawn");
                assert_eq!(cell.attribute("parent"), Some(format!("site:{}", network.site).as_str()));
                assert!(cell.attribute("style").is_some_and(|style| style.contains("container=1")));
            }
        }
    }
}

#[test]
fn the_after_page_marks_disconnections_and_the_failed_site() {
    let out = tempfile::tempdir().unwrap();
    let text = export(&sample_path("azure-full-region.drplan.json"), &["--scenario", "scn-full-region", "--view", "after"], out.path());
    let document = Document::parse(&text).expect("XML");
    let page = document.root_element().children().find(|node| node.has_tag_name("diagram")).expect("a page");
    let by_id = check_page(page);
    let outcome = drplan::simulate::simulate_named(&sample("azure-full-region.drplan.json"), "scn-full-region").expect("simulates");
    let red = drplan::export::palette::Palette::Light.svg(drplan::export::palette::Paint::Disconnected);
    for difference in &outcome.differences {
        if let drplan::simulate::Difference::ConnectionDisconnected { connection, .. } = difference {
            let style = by_id[&format!("connection:{connection}")].attribute("style").unwrap_or_default();
            assert!(style.contains(&format!("strokeColor={red}")) && style.contains("dashed=1"), "{style}");
        }
    }
    let grey = drplan::export::palette::Palette::Light.svg(drplan::export::palette::Paint::FailedSiteFill);
    assert!(by_id["site:site-east-asia"].attribute("style").is_some_and(|style| style.contains(&format!("fillColor={grey}"))));
}

#[test]
fn names_with_markup_come_back_exactly() {
    let out = tempfile::tempdir().unwrap();
    let mut plan = sample("azure-isolated-app.drplan.json");
    let network_name = r#"Web <"tier"> & 'db'"#;
    plan.networks[0].name = network_name.into();
    plan.connections[0].name = "x\" onload=\"alert(1)".into();
    let file = out.path().join("hostile.drplan.json");
    drplan::io::save(&plan, &file).expect("saved");
    let text = export(&file, &[], out.path());
    assert!(!text.contains("html=1"), "labels are plain text: a name is never read as HTML");
    let document = Document::parse(&text).expect("XML");
    let page = document.root_element().children().find(|node| node.has_tag_name("diagram")).expect("a page");
    let by_id = check_page(page);
    let value = by_id[&format!("network:{}", plan.networks[0].id)].attribute("value").unwrap_or_default();
    assert!(value.starts_with(network_name), "{value}");
    let edge = by_id[&format!("connection:{}", plan.connections[0].id)];
    assert!(edge.attribute("value").is_some_and(|value| value.starts_with("x\" onload=\"alert(1)")));
    assert!(edge.attribute("onload").is_none());
}
