//! Field paths (`machines[2].ip`) and finding where a path sits in the JSON text, so an error
//! found after parsing (a duplicate id, a dangling reference) still names its line and column.

use std::fmt;

use jsonc_parser::ast::Value;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::model::{ElementKind, Plan};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// The path from the root of a plan file to one field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This path extended by an object key.
    pub fn key(&self, key: &str) -> Self {
        let mut path = self.clone();
        path.0.push(Segment::Key(key.to_owned()));
        path
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.0.push(Segment::Index(index));
        path
    }

    pub(crate) fn from_serde(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as S;
        Self(
            path.iter()
                .filter_map(|segment| match segment {
                    S::Seq { index } => Some(Segment::Index(*index)),
                    S::Map { key } => Some(Segment::Key(key.clone())),
                    S::Enum { variant } => Some(Segment::Key(variant.clone())),
                    S::Unknown => None,
                })
                .collect(),
        )
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(the whole file)");
        }
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if position == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl Serialize for FieldPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The 1-based line and column where the value at `path` starts, or where the deepest part of
/// the path that exists starts. None when the text does not parse at all.
pub fn position_of(text: &str, path: &FieldPath) -> Option<(usize, usize)> {
    TextPositions::new(text).of(path)
}

/// Where values of one JSON text start, for many paths: the text is parsed once.
pub struct TextPositions<'a> {
    text: &'a str,
    root: Option<Value<'a>>,
    /// The byte offset at which each line starts.
    line_starts: Vec<usize>,
}

impl<'a> TextPositions<'a> {
    pub fn new(text: &'a str) -> Self {
        // The parser that finds positions recurses; serde_json has already refused such text.
        let root = if too_deep_to_locate(text) {
            None
        } else {
            jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()).ok().and_then(|parsed| parsed.value)
        };
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(position, _)| position + 1)).collect();
        Self { text, root, line_starts }
    }

    /// The 1-based line and column where the value at `path` starts, or where the deepest part
    /// of the path that exists starts. None when the text does not parse.
    pub fn of(&self, path: &FieldPath) -> Option<(usize, usize)> {
        let mut value = self.root.as_ref()?;
        let mut offset = value.range().start;
        for segment in &path.0 {
            let next = match (segment, value) {
                (Segment::Key(key), Value::Object(object)) => {
                    object.properties.iter().find(|property| property.name.as_str() == key.as_str()).map(|property| &property.value)
                }
                (Segment::Index(index), Value::Array(array)) => array.elements.get(*index),
                _ => None,
            };
            let Some(next) = next else { break };
            offset = next.range().start;
            value = next;
        }
        Some(self.line_and_column(offset))
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_and_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line.saturating_sub(1)];
        (line, self.text.get(line_start..offset).map_or(0, |before| before.chars().count()) + 1)
    }
}

/// Where each element of a plan is in its file, as a field path (`networks[2].gateways[0]`), by
/// kind and id: what a finding names, placed in the text.
pub fn element_paths(plan: &Plan) -> FxHashMap<(ElementKind, &str), FieldPath> {
    let mut paths = FxHashMap::default();
    let root = FieldPath::root();
    for (index, site) in plan.sites.iter().enumerate() {
        paths.insert((ElementKind::Site, site.id.as_str()), root.key("sites").index(index));
    }
    for (index, network) in plan.networks.iter().enumerate() {
        let path = root.key("networks").index(index);
        for (gateway_index, gateway) in network.gateways.iter().enumerate() {
            paths.insert((ElementKind::Gateway, gateway.id.as_str()), path.key("gateways").index(gateway_index));
        }
        for (nva_index, nva) in network.nvas.iter().enumerate() {
            paths.insert((ElementKind::Nva, nva.id.as_str()), path.key("nvas").index(nva_index));
        }
        paths.insert((ElementKind::Network, network.id.as_str()), path);
    }
    for (index, subnet) in plan.subnets.iter().enumerate() {
        paths.insert((ElementKind::Subnet, subnet.id.as_str()), root.key("subnets").index(index));
    }
    for (index, machine) in plan.machines.iter().enumerate() {
        paths.insert((ElementKind::Machine, machine.id.as_str()), root.key("machines").index(index));
    }
    for (index, circuit) in plan.circuits.iter().enumerate() {
        paths.insert((ElementKind::Circuit, circuit.id.as_str()), root.key("circuits").index(index));
    }
    for (index, connection) in plan.connections.iter().enumerate() {
        paths.insert((ElementKind::Connection, connection.id.as_str()), root.key("connections").index(index));
    }
    for (index, scenario) in plan.scenarios.iter().enumerate() {
        paths.insert((ElementKind::Scenario, scenario.id.as_str()), root.key("scenarios").index(index));
    }
    paths
}

/// The 1-based line and column (in characters) of a byte offset, for one position; a text with
/// many positions to place uses [`TextPositions`].
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// Deeper nesting than any plan has: the locator gives up rather than recurse that deep.
const MAX_NESTING: usize = 256;

/// True when the text nests too deeply for jsonc-parser, which recurses, to be run on it.
pub(super) fn too_deep_to_locate(text: &str) -> bool {
    nesting_deeper_than(text, MAX_NESTING)
}

/// True when brackets nest deeper than `limit` (outside strings).
fn nesting_deeper_than(text: &str, limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_by_key_and_index() {
        let text = "{\n  \"machines\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"ip\": \"x\"}\n  ]\n}\n";
        let path = FieldPath::root().key("machines").index(1).key("ip");
        assert_eq!(path.to_string(), "machines[1].ip");
        assert_eq!(position_of(text, &path), Some((4, 23)));
    }

    #[test]
    fn a_missing_part_points_at_the_deepest_existing_parent() {
        let text = "{\"machines\": [{\"id\": \"a\"}]}";
        let path = FieldPath::root().key("machines").index(0).key("subnet");
        assert_eq!(position_of(text, &path), Some((1, 15)));
    }
}
