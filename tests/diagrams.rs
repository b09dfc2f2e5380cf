//! Diagrams: the SVG read back as XML (every element drawn with its label, changes marked,
//! names escaped and fitted, no overlaps without positions), PNG and PDF decoded, and the
//! `drplan diagram` command run as a process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Output};

use common::*;
use drplan::export::diagram::{self, Date, Options, ScenarioOutcome, View};
use drplan::model::{Plan, PlanIndex};
use drplan::simulate::{self, Difference, Outcome};
use resvg::tiny_skia;
use roxmltree::{Document, Node};

const ISOLATED_APP: &str = "azure-isolated-app.drplan.json";
const APP2_FAILOVER: &str = "scn-app2-failover";

fn options() -> Options {
    Options { machines: false, date: Date::new(2026, 11, 22).expect("valid date") }
}

fn before_svg(plan: &Plan) -> String {
    diagram::svg(plan, None, View::Before, &options()).expect("diagram").text().into_owned()
}

fn outcome_of(plan: &Plan, scenario: &str) -> Outcome {
    simulate::simulate_named(plan, scenario).expect("scenario simulates")
}

fn view_svg(plan: &Plan, scenario: &str, view: View, options: &Options) -> String {
    let outcome = outcome_of(plan, scenario);
    let scenario = plan.scenario_by_id_or_name(scenario).expect("scenario");
    diagram::svg(plan, Some(ScenarioOutcome { scenario, outcome: &outcome, index: &PlanIndex::new(plan) }), view, options).expect("diagram").text().into_owned()
}

fn parse(svg: &str) -> Document<'_> {
    Document::parse(svg).unwrap_or_else(|error| panic!("the SVG is well-formed XML: {error}"))
}

fn has_class(node: &Node, class: &str) -> bool {
    node.attribute("class").is_some_and(|classes| classes.split(' ').any(|item| item == class))
}

/// The groups of one class for one plan element (one per panel).
fn elements<'a, 'input>(document: &'a Document<'input>, class: &str, id: &str) -> Vec<Node<'a, 'input>> {
    document.descendants().filter(|node| node.has_tag_name("g") && has_class(node, class) && node.attribute("data-id") == Some(id)).collect()
}

fn element<'a, 'input>(document: &'a Document<'input>, class: &str, id: &str) -> Node<'a, 'input> {
    let found = elements(document, class, id);
    assert_eq!(found.len(), 1, "one {class} {id} is drawn");
    found[0]
}

/// The texts drawn directly in an element (not in the elements nested in it, nor its title).
fn own_texts(node: &Node) -> Vec<String> {
    node.children().filter(|child| child.has_tag_name("text")).map(|text| text.text().unwrap_or_default().to_owned()).collect()
}

fn title(node: &Node) -> String {
    node.children().find(|child| child.has_tag_name("title")).and_then(|title| title.text()).unwrap_or_default().to_owned()
}

/// x, y, width and height.
type BoxGeometry = (f32, f32, f32, f32);

/// The first rectangle of an element: its box.
fn box_of(node: &Node) -> BoxGeometry {
    let rect = node.children().find(|child| child.has_tag_name("rect")).expect("a box");
    let number = |name: &str| rect.attribute(name).and_then(|value| value.parse::<f32>().ok()).expect("a number");
    (number("x"), number("y"), number("width"), number("height"))
}

fn overlap(a: BoxGeometry, b: BoxGeometry) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

fn inside(inner: BoxGeometry, outer: BoxGeometry) -> bool {
    inner.0 >= outer.0 && inner.1 >= outer.1 && inner.0 + inner.2 <= outer.0 + outer.2 && inner.1 + inner.3 <= outer.1 + outer.3
}

fn path_of<'a, 'input>(connection: &Node<'a, 'input>) -> Node<'a, 'input> {
    connection.children().find(|child| child.has_tag_name("path")).expect("a line")
}

#[test]
fn every_site_network_subnet_and_circuit_is_drawn_with_its_label() {
    for name in SAMPLES {
        let plan = sample(name);
        let svg = before_svg(&plan);
        let document = parse(&svg);
        for site in &plan.sites {
            let node = element(&document, "site", site.id.as_str());
            assert!(own_texts(&node).contains(&site.name), "{name}: site {}", site.id);
            assert!(has_class(&node, site.role.label().split(' ').next().unwrap_or_default()), "{name}: role of {}", site.id);
        }
        for network in &plan.networks {
            let node = element(&document, "network", network.id.as_str());
            let texts = own_texts(&node);
            assert!(texts.contains(&network.name), "{name}: network {} in {texts:?}", network.id);
            for prefix in &network.address_space {
                assert!(texts.iter().any(|text| text.contains(&prefix.to_string())), "{name}: {prefix} in {texts:?}");
            }
            for gateway in &network.gateways {
                let gateway_node = element(&document, "gateway", gateway.id.as_str());
                assert!(gateway_node.ancestors().any(|ancestor| ancestor == node), "{name}: gateway {} on its network", gateway.id);
            }
            for nva in &network.nvas {
                let nva_node = element(&document, "nva", nva.id.as_str());
                assert!(own_texts(&nva_node).iter().any(|text| text.contains(&nva.ip.to_string())), "{name}: NVA {}", nva.id);
            }
        }
        for subnet in &plan.subnets {
            let node = element(&document, "subnet", subnet.id.as_str());
            let texts = own_texts(&node);
            assert!(texts.contains(&subnet.name), "{name}: subnet {} in {texts:?}", subnet.id);
            assert!(texts.contains(&subnet.prefix.to_string()), "{name}: prefix of {} in {texts:?}", subnet.id);
            let network = element(&document, "network", subnet.network.as_str());
            assert!(node.ancestors().any(|ancestor| ancestor == network), "{name}: {} inside its network", subnet.id);
            assert!(inside(box_of(&node), box_of(&network)), "{name}: {} box inside its network's box", subnet.id);
        }
        for circuit in &plan.circuits {
            let node = element(&document, "circuit", circuit.id.as_str());
            let texts = own_texts(&node);
            assert!(texts.contains(&circuit.name), "{name}: circuit {} in {texts:?}", circuit.id);
            assert!(texts.iter().any(|text| text.contains(&circuit.peering_location)), "{name}: peering location in {texts:?}");
        }
        for connection in &plan.connections {
            let node = element(&document, "connection", connection.id.as_str());
            let state = if connection.is_active() { "active" } else { "prepared" };
            assert!(has_class(&node, state), "{name}: {} is {state}", connection.id);
            assert!(title(&node).contains(&connection.name), "{name}: {} named in its title", connection.id);
        }
    }
}

#[test]
fn machines_are_drawn_only_when_asked_for() {
    let plan = sample(ISOLATED_APP);
    let without = before_svg(&plan);
    assert!(elements(&parse(&without), "machine", "vm-app2-web-1").is_empty());
    let with = diagram::svg(&plan, None, View::Before, &Options { machines: true, ..options() }).expect("diagram").text().into_owned();
    let document = parse(&with);
    for machine in &plan.machines {
        let node = element(&document, "machine", machine.id.as_str());
        let subnet = element(&document, "subnet", machine.subnet.as_str());
        assert!(node.ancestors().any(|ancestor| ancestor == subnet), "{} inside its subnet", machine.id);
        assert!(inside(box_of(&node), box_of(&subnet)), "{} box inside its subnet's box", machine.id);
        assert_eq!(own_texts(&node), vec![format!("{} {}", machine.name, machine.ip)]);
    }
}

#[test]
fn after_view_marks_disconnected_and_established_connections() {
    let plan = sample(ISOLATED_APP);
    let svg = view_svg(&plan, APP2_FAILOVER, View::After, &options());
    let document = parse(&svg);

    // Seed 001: VNet1–VNet2 and VNet2–Azure VNet go down, VNet1–Recovery VNet2 and Recovery
    // VNet2–Azure VNet come up; VNet1–Azure VNet stays as it is.
    for id in ["conn-source1-source2-vpn", "conn-source2-azure-vpn"] {
        let node = element(&document, "connection", id);
        assert_eq!(node.attribute("class"), Some("connection disconnected"), "{id}");
        let path = path_of(&node);
        assert_eq!(path.attribute("stroke"), Some("#d32f2f"), "{id} is red");
        assert!(path.attribute("stroke-dasharray").is_some(), "{id} is dashed");
        assert!(title(&node).contains("disconnected"), "{id}");
    }
    for id in ["conn-source1-recovery2-vpn", "conn-recovery2-azure-vpn"] {
        let node = element(&document, "connection", id);
        assert_eq!(node.attribute("class"), Some("connection established"), "{id}");
        let path = path_of(&node);
        assert_eq!(path.attribute("stroke"), Some("#2e9e44"), "{id} is green");
        assert!(path.attribute("stroke-dasharray").is_none(), "{id} is solid");
    }
    let unchanged = element(&document, "connection", "conn-source1-azure-vpn");
    assert_eq!(unchanged.attribute("class"), Some("connection active"));

    // App 2's subnets are active at the recovery site now, and the source ones are not marked.
    for id in ["sub-recovery2-web", "sub-recovery2-data"] {
        assert!(has_class(&element(&document, "subnet", id), "moved"), "{id}");
    }
    for id in ["sub-source2-web", "sub-recovery1-web"] {
        assert!(!has_class(&element(&document, "subnet", id), "moved"), "{id}");
    }
}

#[test]
fn after_view_lists_every_difference_in_the_caption() {
    let plan = sample(ISOLATED_APP);
    let outcome = outcome_of(&plan, APP2_FAILOVER);
    let svg = view_svg(&plan, APP2_FAILOVER, View::After, &options());
    let document = parse(&svg);
    let caption = document.descendants().find(|node| has_class(node, "caption")).expect("a caption");
    let changes: Vec<Node> = caption.children().filter(|node| has_class(node, "change")).collect();
    assert_eq!(changes.len(), outcome.differences.len());
    for (change, description) in changes.iter().zip(simulate::describe_all(&PlanIndex::new(&plan), &outcome)) {
        // A long description wraps over several lines; joined they read as the description.
        let lines: Vec<String> = own_texts(change);
        assert_eq!(lines.join(" "), description);
    }
    // Each connection change carries its caption number in the drawing.
    let numbers: Vec<String> = document
        .descendants()
        .filter(|node| has_class(node, "change-number") && !node.ancestors().any(|ancestor| has_class(&ancestor, "caption")))
        .flat_map(|node| own_texts(&node))
        .collect();
    for (index, difference) in outcome.differences.iter().enumerate() {
        if matches!(difference, Difference::ConnectionDisconnected { .. } | Difference::ConnectionEstablished { .. }) {
            assert!(numbers.contains(&(index + 1).to_string()), "change {} is numbered in the drawing: {numbers:?}", index + 1);
        }
    }
}

#[test]
fn moved_machines_are_outlined_in_the_after_view() {
    let plan = sample(ISOLATED_APP);
    let svg = view_svg(&plan, APP2_FAILOVER, View::After, &Options { machines: true, ..options() });
    let document = parse(&svg);
    for id in ["vm-app2-web-1", "vm-app2-web-2", "vm-app2-db-1"] {
        let node = element(&document, "machine", id);
        assert!(has_class(&node, "moved"), "{id}");
        let subnet = node.ancestors().find(|ancestor| has_class(ancestor, "subnet")).expect("in a subnet");
        assert!(subnet.attribute("data-id").is_some_and(|subnet| subnet.starts_with("sub-recovery2-")), "{id} now in Recovery VNet2");
    }
    assert!(!has_class(&element(&document, "machine", "vm-app1-web-1"), "moved"));
}

#[test]
fn both_view_puts_before_and_after_on_one_page() {
    let plan = sample(ISOLATED_APP);
    let svg = view_svg(&plan, APP2_FAILOVER, View::Both, &options());
    let document = parse(&svg);
    let panels: Vec<Node> = document.descendants().filter(|node| has_class(node, "panel")).collect();
    assert_eq!(panels.len(), 2);
    assert!(has_class(&panels[0], "before") && has_class(&panels[1], "after"));
    // The same connection is prepared before and established after.
    let drawn = elements(&document, "connection", "conn-source1-recovery2-vpn");
    assert_eq!(drawn.len(), 2);
    assert!(has_class(&drawn[0], "prepared") && has_class(&drawn[1], "established"));
}

#[test]
fn title_scenario_and_date_are_printed() {
    let plan = sample(ISOLATED_APP);
    let svg = view_svg(&plan, APP2_FAILOVER, View::After, &options());
    let document = parse(&svg);
    let root_texts = own_texts(&document.root_element());
    assert_eq!(root_texts[0], plan.name);
    assert!(root_texts[1].contains("Isolated failover of App 2"), "{}", root_texts[1]);
    assert!(root_texts[1].contains("2026-11-22"), "{}", root_texts[1]);
}

#[test]
fn the_same_plan_gives_the_same_document() {
    let plan = sample("expressroute-hub-spoke.drplan.json");
    let first = view_svg(&plan, "scn-full-region", View::Both, &options());
    let second = view_svg(&plan, "scn-full-region", View::Both, &options());
    assert_eq!(first, second);
}

#[test]
fn views_after_a_scenario_need_one() {
    let plan = sample(ISOLATED_APP);
    for view in [View::After, View::Both] {
        let error = diagram::svg(&plan, None, view, &options()).expect_err("refused");
        assert!(error.to_string().contains("needs a scenario"), "{error}");
    }
}

#[test]
fn names_with_markup_characters_are_escaped_and_read_back_exactly() {
    let mut plan = sample(ISOLATED_APP);
    let site_name = "R&D <lab> \"east\"";
    let network_name = r#"Web <"tier"> & 'db'"#;
    let subnet_name = "a<b>&c'd\"e";
    plan.name = "Plan </text><script>alert(1)</script>".into();
    plan.sites[0].name = site_name.into();
    plan.networks[0].name = network_name.into();
    plan.subnets[0].name = subnet_name.into();
    plan.connections[0].name = "x\" onload=\"alert(1)".into();
    let svg = before_svg(&plan);
    assert!(!svg.contains("<script"), "no markup from the plan gets through");
    let document = parse(&svg);
    assert!(own_texts(&element(&document, "site", plan.sites[0].id.as_str())).contains(&site_name.to_owned()));
    assert!(own_texts(&element(&document, "network", plan.networks[0].id.as_str())).contains(&network_name.to_owned()));
    assert!(own_texts(&element(&document, "subnet", plan.subnets[0].id.as_str())).contains(&subnet_name.to_owned()));
    let connection = element(&document, "connection", plan.connections[0].id.as_str());
    assert!(title(&connection).starts_with("x\" onload=\"alert(1)"));
    assert_eq!(connection.attributes().filter(|attribute| attribute.name() == "onload").count(), 0);
    assert_eq!(own_texts(&document.root_element())[0], "Plan </text><script>alert(1)</script>");
}

#[test]
fn control_characters_are_stripped_from_names() {
    let mut plan = sample(ISOLATED_APP);
    plan.networks[0].name = "Source\u{0}VNet\u{1b}1\nEast".into();
    let svg = before_svg(&plan);
    let document = parse(&svg);
    assert!(own_texts(&element(&document, "network", plan.networks[0].id.as_str())).contains(&"SourceVNet1 East".to_owned()));
}

#[test]
fn long_names_are_shortened_with_an_ellipsis_and_kept_whole_in_the_title() {
    let mut plan = sample(ISOLATED_APP);
    let long = "Production application network for the customer-facing ordering and invoicing platform, tier 2";
    plan.networks[0].name = long.into();
    plan.subnets[0].name = long.into();
    let svg = before_svg(&plan);
    let document = parse(&svg);
    for node in [element(&document, "network", plan.networks[0].id.as_str()), element(&document, "subnet", plan.subnets[0].id.as_str())] {
        let texts = own_texts(&node);
        let shortened = texts.iter().find(|text| text.ends_with('…')).unwrap_or_else(|| panic!("shortened in {texts:?}"));
        let kept = shortened.trim_end_matches('…');
        assert!(long.starts_with(kept) && kept.len() >= 10, "{shortened}");
        assert!(title(&node).contains(long), "{}", title(&node));
    }
    // The shortened network is no wider than any other network, so the text fits its box.
    let network_width = box_of(&element(&document, "network", plan.networks[0].id.as_str())).2;
    assert!(network_width <= 300.0, "{network_width}");
}

#[test]
fn right_to_left_marks_become_spaces_and_ten_thousand_character_names_stay_whole_in_svg_and_pdf() {
    let mut plan = sample(ISOLATED_APP);
    let long = "n".repeat(10_000);
    plan.networks[0].name = format!("ok\u{202E}}};rm -rf /;{{\u{2066}x{long}");
    plan.sites[0].name = "Lab \u{200F}east\u{200E}".into();
    let svg = before_svg(&plan);
    for control in ['\u{202E}', '\u{2066}', '\u{200F}', '\u{200E}'] {
        assert!(!svg.contains(control), "{control:?} reaches the SVG");
    }
    let document = parse(&svg);
    let network = element(&document, "network", plan.networks[0].id.as_str());
    let neutral = format!("ok }};rm -rf /;{{ x{long}");
    assert!(title(&network).contains(&neutral), "the tooltip keeps the whole name, the controls made spaces");
    let texts = own_texts(&network);
    let label = texts.iter().find(|text| text.ends_with('…')).unwrap_or_else(|| panic!("shortened label in {texts:?}"));
    assert!(label.starts_with("ok };rm -rf /;{ x") && label.chars().count() < 60, "{label}");
    assert!(box_of(&network).2 <= 300.0, "the network box does not grow with its name");
    assert!(own_texts(&element(&document, "site", plan.sites[0].id.as_str())).iter().any(|text| text.starts_with("Lab  east ")));

    let pdf = diagram::pdf(&svg).expect("a PDF from the same SVG");
    assert!(pdf.starts_with(b"%PDF-") && String::from_utf8_lossy(&pdf).trim_end().ends_with("%%EOF"));
    assert!(pdf.len() < 2_000_000, "the tooltip text is not drawn: {} bytes", pdf.len());
}

fn strip_positions(plan: &mut Plan) {
    for site in &mut plan.sites {
        site.position = None;
    }
    for network in &mut plan.networks {
        network.position = None;
    }
    for subnet in &mut plan.subnets {
        subnet.position = None;
    }
    for machine in &mut plan.machines {
        machine.position = None;
    }
    for circuit in &mut plan.circuits {
        circuit.position = None;
    }
}

#[test]
fn a_plan_without_positions_gets_a_layout_with_no_overlaps() {
    for name in SAMPLES {
        let mut plan = sample(name);
        strip_positions(&mut plan);
        let svg = diagram::svg(&plan, None, View::Before, &Options { machines: true, ..options() }).expect("diagram").text().into_owned();
        let document = parse(&svg);
        let networks: Vec<(String, BoxGeometry)> =
            plan.networks.iter().map(|network| (network.id.to_string(), box_of(&element(&document, "network", network.id.as_str())))).collect();
        for (index, (a, a_box)) in networks.iter().enumerate() {
            for (b, b_box) in &networks[index + 1..] {
                assert!(!overlap(*a_box, *b_box), "{name}: {a} {a_box:?} overlaps {b} {b_box:?}");
            }
        }
        let sites: Vec<(&drplan::model::Site, BoxGeometry)> =
            plan.sites.iter().map(|site| (site, box_of(&element(&document, "site", site.id.as_str())))).collect();
        let circuits: Vec<BoxGeometry> = plan.circuits.iter().map(|circuit| box_of(&element(&document, "circuit", circuit.id.as_str()))).collect();
        for (index, (a, a_box)) in sites.iter().enumerate() {
            for (b, b_box) in &sites[index + 1..] {
                assert!(!overlap(*a_box, *b_box), "{name}: sites {} and {} overlap", a.id, b.id);
            }
            for circuit in &circuits {
                assert!(!overlap(*a_box, *circuit), "{name}: site {} overlaps a circuit", a.id);
            }
        }
        for network in &plan.networks {
            let site = sites.iter().find(|(site, _)| site.id == network.site).expect("its site");
            let network_box = networks.iter().find(|(id, _)| id == network.id.as_str()).expect("drawn").1;
            assert!(inside(network_box, site.1), "{name}: {} inside its site", network.id);
        }
        // Primary on the left, recovery on the right, third sites below both.
        let of_role = |role| sites.iter().filter(move |(site, _)| site.role == role).map(|(_, rect)| *rect);
        for primary in of_role(drplan::model::SiteRole::Primary) {
            for recovery in of_role(drplan::model::SiteRole::Recovery) {
                assert!(primary.0 + primary.2 <= recovery.0, "{name}: primary left of recovery");
            }
            for third in of_role(drplan::model::SiteRole::Third) {
                assert!(primary.1 + primary.3 <= third.1, "{name}: third below primary");
            }
        }
    }
}

#[test]
fn hand_placed_boxes_that_would_overlap_are_moved_apart() {
    let mut plan = sample(ISOLATED_APP);
    // Put Source VNet2 right on top of Source VNet1.
    plan.networks[1].position = plan.networks[0].position;
    let svg = diagram::svg(&plan, None, View::Before, &Options { machines: true, ..options() }).expect("diagram").text().into_owned();
    let document = parse(&svg);
    let first = box_of(&element(&document, "network", plan.networks[0].id.as_str()));
    let second = box_of(&element(&document, "network", plan.networks[1].id.as_str()));
    assert!(!overlap(first, second), "{first:?} {second:?}");
}

fn svg_width(svg: &str) -> f32 {
    parse(svg).root_element().attribute("width").and_then(|width| width.parse().ok()).expect("a width")
}

fn dark_pixels(pixmap: &tiny_skia::Pixmap) -> usize {
    pixmap.pixels().iter().filter(|pixel| pixel.red() < 110 && pixel.green() < 110 && pixel.blue() < 110).count()
}

fn without_text(svg: &str) -> String {
    let mut stripped = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        stripped.push_str(&rest[..start]);
        let end = rest[start..].find("</text>").expect("closed") + start + "</text>".len();
        rest = &rest[end..];
    }
    stripped.push_str(rest);
    stripped
}

#[test]
fn png_has_the_scaled_size_and_shows_text_with_the_shipped_font() {
    let plan = sample(ISOLATED_APP);
    let svg = view_svg(&plan, APP2_FAILOVER, View::After, &options());
    let png = diagram::png(&svg, 2.0).expect("renders");
    assert_eq!(png.scale, 2.0);
    let pixmap = tiny_skia::Pixmap::decode_png(&png.bytes).expect("a PNG");
    assert_eq!(pixmap.width(), (svg_width(&svg) * 2.0).round() as u32);
    assert_eq!((pixmap.width(), pixmap.height()), (png.width_px, png.height_px));

    let mut colours: Vec<[u8; 4]> = pixmap.pixels().iter().map(|pixel| [pixel.red(), pixel.green(), pixel.blue(), pixel.alpha()]).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 200, "only {} distinct colours", colours.len());

    // Text must really be rendered: with the shipped font missing it would silently vanish.
    let without = tiny_skia::Pixmap::decode_png(&diagram::png(&without_text(&svg), 2.0).expect("renders").bytes).expect("a PNG");
    let (with_text, without_text) = (dark_pixels(&pixmap), dark_pixels(&without));
    assert!(with_text > without_text + 20_000, "text adds dark pixels: {with_text} with, {without_text} without");
}

#[test]
fn pdf_is_one_page_with_the_font_embedded() {
    let plan = sample("hybrid-full-region.drplan.json");
    let svg = view_svg(&plan, "scn-full-region", View::Both, &options());
    let pdf = diagram::pdf(&svg).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(text.matches("/Type /Page\n").count() + text.matches("/Type /Page/").count() + text.matches("/Type /Page ").count(), 1, "one page");
    assert!(text.contains("/FontFile2"), "the font program is embedded");
    assert!(text.contains("DejaVuSans"), "the embedded font is the shipped one");
    assert!(text.trim_end().ends_with("%%EOF"));
}

fn drplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drplan")).args(args).output().expect("drplan runs")
}

#[test]
fn diagram_command_writes_each_format_named_after_plan_and_view() {
    let directory = tempfile::tempdir().unwrap();
    let out = directory.path().join("diagrams");
    let sample = sample_path(ISOLATED_APP).to_string_lossy().into_owned();
    let out_text = out.to_string_lossy().into_owned();
    let output = drplan(&[
        "diagram",
        &sample,
        "--scenario",
        APP2_FAILOVER,
        "--view",
        "after",
        "--format",
        "svg,png,pdf",
        "--out",
        &out_text,
        "--scale",
        "1.5",
        "--date",
        "2026-11-22",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    for file in ["azure-isolated-app-after.svg", "azure-isolated-app-after.png", "azure-isolated-app-after.pdf"] {
        let path = out.join(file);
        assert!(path.is_file(), "{file} written");
        assert!(String::from_utf8_lossy(&output.stdout).contains(&path.display().to_string()), "{file} reported");
    }
    let svg = std::fs::read_to_string(out.join("azure-isolated-app-after.svg")).unwrap();
    assert!(svg.contains("2026-11-22"));
    let png = tiny_skia::Pixmap::decode_png(&std::fs::read(out.join("azure-isolated-app-after.png")).unwrap()).unwrap();
    assert_eq!(png.width(), (svg_width(&svg) * 1.5).round() as u32);
    assert!(std::fs::read(out.join("azure-isolated-app-after.pdf")).unwrap().starts_with(b"%PDF"));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3, "no temporary files left behind");

    let output = drplan(&["diagram", &sample, "--scenario", "Isolated failover of App 2", "--view", "both", "--out", &out_text]);
    assert_eq!(output.status.code(), Some(0));
    assert!(out.join("azure-isolated-app-both.svg").is_file(), "svg is the default format");

    let output = drplan(&["diagram", &sample, "--out", &out_text, "--format", "png"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(out.join("azure-isolated-app-before.png").is_file(), "before is the default view");
}

#[test]
fn diagram_command_refuses_an_after_view_without_a_scenario() {
    let directory = tempfile::tempdir().unwrap();
    let sample = sample_path(ISOLATED_APP).to_string_lossy().into_owned();
    let out = directory.path().to_string_lossy().into_owned();
    for view in ["after", "both"] {
        let output = drplan(&["diagram", &sample, "--view", view, "--out", &out]);
        assert_eq!(output.status.code(), Some(2), "{view}");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains("--scenario") && message.contains(view), "{message}");
    }
    assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn diagram_command_reports_unknown_scenarios_bad_scales_and_unreadable_plans() {
    let directory = tempfile::tempdir().unwrap();
    let sample = sample_path(ISOLATED_APP).to_string_lossy().into_owned();
    let out = directory.path().to_string_lossy().into_owned();
    let output = drplan(&["diagram", &sample, "--scenario", "no-such-scenario", "--view", "after", "--out", &out]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("scn-app2-failover"), "names the scenarios there are");
    let output = drplan(&["diagram", &sample, "--format", "png", "--scale", "0", "--out", &out]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--scale"));
    let output = drplan(&["diagram", "no-such-file.drplan.json", "--out", &out]);
    assert_eq!(output.status.code(), Some(2));
    let output = drplan(&["diagram", &sample, "--format", "gif", "--out", &out]);
    assert_eq!(output.status.code(), Some(2), "clap refuses unknown formats");
}

/// After a full-site failover the site it leaves is drawn grey and named failed; before it, after
/// a test failover (the site keeps running) and on the recovery side, nothing is.
#[test]
fn the_site_a_full_site_failover_leaves_is_greyed_in_the_after_view_only() {
    let plan = sample("azure-full-region.drplan.json");
    let failed = |svg: &str, site: &str| has_class(&element(&parse(svg), "site", site), "failed");
    let after = view_svg(&plan, "scn-full-region", View::After, &options());
    assert!(failed(&after, "site-east-asia"), "the failed region is marked");
    assert!(after.contains(">FAILED<"), "its pill says so");
    assert!(!failed(&after, "site-southeast-asia"), "the recovery region is not");
    assert!(!failed(&view_svg(&plan, "scn-full-region", View::Before, &options()), "site-east-asia"), "before the failover it runs");
    assert!(!failed(&view_svg(&plan, "scn-test-drill", View::After, &options()), "site-east-asia"), "a test failover leaves it running");
}

#[cfg(feature = "gui")]
/// Every text of a scene, and the classes of its groups.
fn scene_texts_and_classes(nodes: &[drplan::export::diagram::scene::Node], texts: &mut Vec<String>, classes: &mut Vec<String>) {
    use drplan::export::diagram::scene::Node as SceneNode;
    for node in nodes {
        match node {
            SceneNode::Group(group) => {
                classes.push(group.class.clone());
                scene_texts_and_classes(&group.children, texts, classes);
            }
            SceneNode::Text(text) => texts.push(text.content.clone()),
            _ => {}
        }
    }
}

/// One scene, two renderers: the app's after pane draws the texts, the numbered markers and the
/// marks the exported after view writes, and its before pane marks nothing.
#[cfg(feature = "gui")]
#[test]
fn the_app_panes_draw_the_scene_the_svg_writes() {
    let plan = sample(ISOLATED_APP);
    let scenario = plan.scenario_by_id_or_name("scn-app2-failover").expect("scenario");
    let outcome = outcome_of(&plan, "scn-app2-failover");
    let marks = diagram::Marks::of_scenario(scenario, &outcome);
    let after = drplan::app::CanvasCache::build(&outcome.after, Some(&marks), false);
    let (mut texts, mut classes) = (Vec::new(), Vec::new());
    scene_texts_and_classes(&after.scene.nodes, &mut texts, &mut classes);

    let svg = view_svg(&plan, "scn-app2-failover", View::After, &options());
    let document = parse(&svg);
    let svg_texts: Vec<&str> = document.descendants().filter(|node| node.has_tag_name("text")).filter_map(|node| node.text()).collect();
    assert!(texts.len() > 20, "the pane has the names and prefixes: {texts:?}");
    for text in &texts {
        assert!(svg_texts.contains(&text.as_str()), "{text:?} is in the exported after view too");
    }
    let markers = classes.iter().filter(|class| class.as_str() == "change-number").count();
    assert!(markers > 0, "numbered change markers are drawn in the pane");
    for state in ["connection disconnected", "connection established", "subnet moved"] {
        let in_pane = classes.iter().filter(|class| class.as_str() == state).count();
        let in_svg = document.descendants().filter(|node| node.has_tag_name("g") && node.attribute("class") == Some(state)).count();
        assert_eq!(in_pane, in_svg, "{state}: the same in the pane and the export");
        assert!(in_pane > 0, "{state} is marked");
    }

    let before = drplan::app::CanvasCache::build(&outcome.before, None, false);
    let (mut texts, mut classes) = (Vec::new(), Vec::new());
    scene_texts_and_classes(&before.scene.nodes, &mut texts, &mut classes);
    assert!(
        !classes.iter().any(|class| class.contains("disconnected") || class.contains("established") || class.contains("moved") || class == "change-number"),
        "the before pane shows the plan as it is, nothing marked: {classes:?}"
    );
}
