//! The network as a draw.io file, so architects can carry a plan into the documents they already
//! keep: an uncompressed `mxfile` with one page per view (`mxfile > diagram > mxGraphModel >
//! root`, cells 0 and 1 first). Sites, networks and subnets are containers whose children are
//! placed relative to them, so moving a network in draw.io moves its subnets; connections are
//! edges between their networks (or a network and its circuit) in their type's colour, dashed
//! when prepared; Azure elements carry an icon from draw.io's azure2 library. Positions come
//! from the same layout as the SVG ([`panel_scene`]). Labels are plain text (no `html=1`, so a
//! name with markup is shown as written, never read as HTML) and XML-escaped.

use std::fmt::Write;

use rustc_hash::{FxHashMap, FxHashSet};

use super::draw::{ConnectionStyle, ElementBox, PanelScene, connection_style, panel_scene};
use super::marks::Marks;
use super::xml::{Pieces, Tenths, escape};
use crate::edit::ElementKey;
use crate::export::palette::{Paint, Palette};
use crate::model::ElementKind;
use crate::model::*;

/// One page of the file: its name, the network drawn and, after a failover, its marks.
pub struct Page<'a> {
    pub name: String,
    pub plan: &'a Plan,
    pub marks: Option<&'a Marks>,
}

/// The elements of a plan by id, made once per page: each cell looks up its element in one step
/// (a search of the plan for each of 100,000 cells took minutes).
#[derive(Default)]
struct Elements<'a> {
    sites: FxHashMap<&'a str, &'a Site>,
    networks: FxHashMap<&'a str, &'a Network>,
    subnets: FxHashMap<&'a str, &'a Subnet>,
    machines: FxHashMap<&'a str, &'a Machine>,
    circuits: FxHashMap<&'a str, &'a Circuit>,
    gateways: FxHashMap<&'a str, &'a Gateway>,
    nvas: FxHashMap<&'a str, &'a Nva>,
}

impl<'a> Elements<'a> {
    fn of(plan: &'a Plan) -> Self {
        let mut elements = Self::default();
        elements.sites.extend(plan.sites.iter().map(|site| (site.id.as_str(), site)));
        elements.networks.extend(plan.networks.iter().map(|network| (network.id.as_str(), network)));
        elements.subnets.extend(plan.subnets.iter().map(|subnet| (subnet.id.as_str(), subnet)));
        elements.machines.extend(plan.machines.iter().map(|machine| (machine.id.as_str(), machine)));
        elements.circuits.extend(plan.circuits.iter().map(|circuit| (circuit.id.as_str(), circuit)));
        elements.gateways.extend(plan.networks.iter().flat_map(|network| &network.gateways).map(|gateway| (gateway.id.as_str(), gateway)));
        elements.nvas.extend(plan.networks.iter().flat_map(|network| &network.nvas).map(|nva| (nva.id.as_str(), nva)));
        elements
    }
}

/// The draw.io icon of an element, where the azure2 library has one.
fn icon(elements: &Elements, key: &ElementKey) -> Option<&'static str> {
    match key.kind {
        ElementKind::Network => {
            elements.networks.get(key.id.as_str()).filter(|network| network.kind == NetworkKind::Vnet).map(|_| "img/lib/azure2/networking/Virtual_Networks.svg")
        }
        ElementKind::Gateway => Some("img/lib/azure2/networking/Virtual_Network_Gateways.svg"),
        ElementKind::Circuit => Some("img/lib/azure2/networking/ExpressRoute_Circuits.svg"),
        ElementKind::Machine => Some("img/lib/azure2/compute/Virtual_Machine.svg"),
        _ => None,
    }
}

/// What a cell says.
fn label(elements: &Elements, key: &ElementKey) -> String {
    let id = key.id.as_str();
    let found = match key.kind {
        ElementKind::Site => elements.sites.get(id).map(|site| {
            let role = site.role.label();
            if role.ends_with("site") { format!("{} ({role})", site.name) } else { format!("{} ({role} site)", site.name) }
        }),
        ElementKind::Network => elements.networks.get(id).map(|network| {
            let space = network.address_space.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            format!("{} {space}", network.name)
        }),
        ElementKind::Subnet => elements.subnets.get(id).map(|subnet| format!("{} {}", subnet.name, subnet.prefix)),
        ElementKind::Machine => elements.machines.get(id).map(|machine| format!("{} {}", machine.name, machine.ip)),
        ElementKind::Circuit => elements.circuits.get(id).map(|circuit| format!("{} ({})", circuit.name, circuit.peering_location)),
        ElementKind::Gateway => elements.gateways.get(id).map(|gateway| format!("{} ({} gateway)", gateway.name, gateway.kind.label())),
        ElementKind::Nva => elements.nvas.get(id).map(|nva| format!("NVA {} {}", nva.name, nva.ip)),
        _ => None,
    };
    found.unwrap_or_else(|| key.id.to_string())
}

fn hex(paint: Paint) -> crate::export::palette::SvgColour {
    Palette::Light.svg(paint)
}

/// The style of an element's cell.
fn vertex_style(elements: &Elements, key: &ElementKey, marks: Option<&Marks>) -> String {
    let container = "container=1;collapsible=0;recursiveResize=0;";
    let text = "verticalAlign=top;align=left;spacingLeft=6;fontSize=11;";
    match key.kind {
        ElementKind::Site => {
            let site = elements.sites.get(key.id.as_str());
            let failed = site.is_some_and(|site| marks.and_then(Marks::failed_site) == Some(&site.id));
            let role = site.map_or(SiteRole::Third, |site| site.role);
            let (fill, stroke) = if failed { (Paint::FailedSiteFill, Paint::FailedSiteStroke) } else { (Paint::SiteFill(role), Paint::SiteStroke(role)) };
            let text = text.replace("fontSize=11;", "fontSize=13;");
            format!("rounded=1;arcSize=4;{container}{text}fontStyle=1;fillColor={};strokeColor={};", hex(fill), hex(stroke))
        }
        ElementKind::Network => {
            format!("rounded=1;arcSize=3;{container}{text}fontStyle=1;fillColor={};strokeColor={};", hex(Paint::NetworkFill), hex(Paint::NetworkStroke))
        }
        ElementKind::Subnet | ElementKind::Machine => {
            let moved = marks.is_some_and(|marks| marks.is_moved(key));
            let (fill, stroke, width) = match (key.kind, moved) {
                (_, true) => (if key.kind == ElementKind::Machine { Paint::MovedFill } else { Paint::SubnetFill }, Paint::Moved, 2.5),
                (ElementKind::Machine, false) => (Paint::MachineFill, Paint::MachineStroke, 1.0),
                _ => (Paint::SubnetFill, Paint::SubnetStroke, 1.0),
            };
            let container = if key.kind == ElementKind::Subnet { container } else { "" };
            format!(
                "rounded=1;arcSize=8;{container}align=left;spacingLeft=6;fontSize=10;fillColor={};strokeColor={};strokeWidth={width};",
                hex(fill),
                hex(stroke)
            )
        }
        ElementKind::Gateway => {
            let created = marks.is_some_and(|marks| marks.is_created(&GatewayId::new(&key.id)));
            let stroke = if created { Paint::Established } else { Paint::GatewayFill };
            format!("rounded=1;align=left;spacingLeft=6;fontSize=10;fillColor={};strokeColor={};", hex(Paint::SubnetFill), hex(stroke))
        }
        ElementKind::Nva => format!("rounded=1;fontSize=10;fillColor={};strokeColor={};", hex(Paint::NvaFill), hex(Paint::NvaStroke)),
        _ => format!("rounded=1;fontSize=11;fontStyle=1;fillColor={};strokeColor={};", hex(Paint::CircuitFill), hex(Paint::ExpressRoute)),
    }
}

/// A cell id for an element: prefixed, so no element takes the ids 0 and 1 of the two root cells.
fn cell_id(key: &ElementKey) -> String {
    format!("{}:{}", format!("{:?}", key.kind).to_lowercase(), key.id)
}

/// Writes one page's cells. The cells of a large plan (100,000 at 100k prefixes) are written on
/// every core, in chunks put back in order, so the file is the same whichever thread wrote what.
fn page_cells(out: &mut Pieces, page: &Page, machines: bool) {
    let scene = panel_scene(page.plan, page.marks, machines);
    let elements = Elements::of(page.plan);
    out.push_str(r#"<mxCell id="0"/><mxCell id="1" parent="0"/>"#);
    out.write_each(scene.boxes.iter().collect(), |out, element| vertex_cell(out, &scene, &elements, element, page.marks));
    let drawn: FxHashSet<&ElementKey> = scene.boxes.iter().map(|element| &element.key).collect();
    out.write_each(page.plan.connections.iter().collect(), |out, connection| edge_cell(out, &drawn, connection, page.marks));
}

/// An element's cell, and its icon's.
fn vertex_cell(out: &mut Pieces, scene: &PanelScene, elements: &Elements, element: &ElementBox, marks: Option<&Marks>) {
    let parent = element.parent.and_then(|index| scene.boxes.get(index));
    let (x, y) = match parent {
        Some(parent) => (element.rect.x - parent.rect.x, element.rect.y - parent.rect.y),
        None => (element.rect.x, element.rect.y),
    };
    let parent_id = parent.map_or_else(|| "1".to_owned(), |parent| cell_id(&parent.key));
    let id = cell_id(&element.key);
    let _ = write!(
        out,
        r#"<mxCell id="{}" value="{}" style="{}" vertex="1" parent="{}"><mxGeometry x="{}" y="{}" width="{}" height="{}" as="geometry"/></mxCell>"#,
        escape(&id),
        escape(&label(elements, &element.key)),
        vertex_style(elements, &element.key, marks),
        escape(&parent_id),
        Tenths(x),
        Tenths(y),
        Tenths(element.rect.width),
        Tenths(element.rect.height)
    );
    if let Some(image) = icon(elements, &element.key) {
        // The icon in the element's top-right corner, a child that moves with it.
        let size = 20.0_f32.min(element.rect.height - 4.0).max(8.0);
        let _ = write!(
            out,
            r#"<mxCell id="icon:{}" value="" style="image;aspect=fixed;points=[];image={image};" vertex="1" parent="{}"><mxGeometry x="{}" y="2" width="{size}" height="{size}" as="geometry"/></mxCell>"#,
            escape(&id),
            escape(&id),
            Tenths(element.rect.width - size - 2.0),
            size = Tenths(size)
        );
    }
}

/// A connection's edge, when both its ends are drawn.
fn edge_cell(out: &mut Pieces, drawn: &FxHashSet<&ElementKey>, connection: &Connection, marks: Option<&Marks>) {
    let source = ElementKey::new(ElementKind::Network, connection.from.as_str());
    let target = match &connection.link {
        Link::ExpressRoute { circuit } => ElementKey::new(ElementKind::Circuit, circuit.as_str()),
        Link::SiteToSiteVpn { to } | Link::VnetPeering { to, .. } | Link::StretchedVlan { to } => ElementKey::new(ElementKind::Network, to.as_str()),
    };
    if !drawn.contains(&source) || !drawn.contains(&target) {
        return;
    }
    let ConnectionStyle { paint, width, dash, .. } = connection_style(connection, marks);
    let dashed = dash.is_some();
    let _ = write!(
        out,
        r#"<mxCell id="{}" value="{}" style="endArrow=none;rounded=1;strokeColor={};strokeWidth={width};dashed={};fontSize=10;" edge="1" parent="1" source="{}" target="{}"><mxGeometry relative="1" as="geometry"/></mxCell>"#,
        escape(&format!("connection:{}", connection.id)),
        escape(&format!("{} ({})", connection.name, connection.link.label())),
        hex(paint),
        u8::from(dashed),
        escape(&cell_id(&source)),
        escape(&cell_id(&target))
    );
}

/// The whole file: one page (a `diagram`) per view, with the machines in their subnets if asked.
pub fn drawio(pages: &[Page], machines: bool) -> Pieces {
    let mut out = Pieces::default();
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    out.push_str("\n");
    out.push_str(r#"<mxfile host="drplan" type="device">"#);
    for (number, page) in pages.iter().enumerate() {
        let _ = write!(
            out,
            r#"<diagram id="page-{number}" name="{}"><mxGraphModel grid="1" gridSize="10" guides="1" connect="1" arrows="1" page="0"><root>"#,
            escape(&page.name)
        );
        page_cells(&mut out, page, machines);
        out.push_str("</root></mxGraphModel></diagram>");
    }
    out.push_str("</mxfile>\n");
    out
}

/// Writes a draw.io file into `directory` (made if missing) under `name`, atomically.
pub fn write_drawio(document: &Pieces, directory: &std::path::Path, name: &str) -> Result<super::Written, super::DiagramError> {
    std::fs::create_dir_all(directory).map_err(|source| crate::io::SaveError { file: directory.to_owned(), source })?;
    let path = directory.join(name);
    crate::io::write_atomically(&path, |file| document.write_to(file))?;
    Ok(super::Written { path, png_scale: None, small_text_omitted: false, details_omitted: None })
}
