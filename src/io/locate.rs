//! Field paths (`machines[2].ip`) and finding where a path sits in the JSON text, so an error
//! found after parsing (a duplicate id, a dangling reference) still names its line and column.

use std::cell::{OnceCell, RefCell};
use std::fmt;

use jsonc_parser::ast::Value;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

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

/// Where values of one JSON text start, for many paths.
///
/// A text serde_json reads (every plan that loaded) is read only as far as the paths asked for
/// lead: each object or array on the way is split into its members once, as slices of the text
/// (serde_json's `RawValue`), and kept for the next path. Placing a few findings in a 47 MB plan
/// so reads it about once and builds no tree of it (the tree made `validate --format sarif` of
/// the 100k plan 0.4 s slower and 240 MiB larger). A text serde_json refuses (a comment, a
/// trailing comma: a load error being placed) is parsed whole by jsonc-parser, which tolerates
/// them. Both give the offset of the value's first character.
pub struct TextPositions<'a> {
    text: &'a str,
    /// Read when the first position is asked for: a file without findings is not read again.
    root: OnceCell<Root<'a>>,
    /// The byte offset at which each line starts, also found when first needed.
    line_starts: OnceCell<Vec<usize>>,
}

enum Root<'a> {
    /// Well-formed JSON: where its root value starts, and the members of each container read
    /// so far, by the container's offset (the root's read with the text).
    Raw {
        offset: usize,
        members: RefCell<FxHashMap<usize, Members<'a>>>,
    },
    Tree(Value<'a>),
    Unreadable,
}

/// The members of one value of the text: an object's, in the order written (a repeated key
/// found first where it is first), an array's, or none.
enum Members<'a> {
    Object(Vec<(String, &'a RawValue)>),
    Array(Vec<&'a RawValue>),
    None,
}

impl<'a> Members<'a> {
    /// The members of the value `text` holds (which may start with whitespace), or None when
    /// serde_json does not read it: reading them checks the whole text.
    fn read(text: &'a str) -> Option<Self> {
        match text.trim_start_matches(JSON_WHITESPACE).as_bytes().first() {
            Some(b'{') => serde_json::from_str::<ObjectMembers>(text).ok().map(|members| Self::Object(members.0)),
            Some(b'[') => serde_json::from_str::<Vec<&RawValue>>(text).ok().map(Self::Array),
            _ => serde_json::from_str::<&RawValue>(text).ok().map(|_| Self::None),
        }
    }

    fn get(&self, segment: &Segment) -> Option<&'a RawValue> {
        match (segment, self) {
            (Segment::Key(key), Self::Object(members)) => members.iter().find(|(name, _)| name == key).map(|(_, value)| *value),
            (Segment::Index(index), Self::Array(members)) => members.get(*index).copied(),
            _ => None,
        }
    }
}

/// What JSON skips between tokens.
const JSON_WHITESPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// An object's members in order, repeated keys kept.
struct ObjectMembers<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for ObjectMembers<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visitor<'a> {
            type Value = ObjectMembers<'a>;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    members.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(ObjectMembers(members))
            }
        }
        deserializer.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

impl<'a> TextPositions<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, root: OnceCell::new(), line_starts: OnceCell::new() }
    }

    fn root(&self) -> &Root<'a> {
        self.root.get_or_init(|| {
            // The parser that finds positions recurses; serde_json has already refused such text.
            if too_deep_to_locate(self.text) {
                return Root::Unreadable;
            }
            // The root's members read with the whole text, which is so checked once.
            if let Some(members) = Members::read(self.text) {
                let offset = self.text.len() - self.text.trim_start_matches(JSON_WHITESPACE).len();
                return Root::Raw { offset, members: RefCell::new(FxHashMap::from_iter([(offset, members)])) };
            }
            let parsed = jsonc_parser::parse_to_ast(self.text, &CollectOptions::default(), &ParseOptions::default());
            parsed.ok().and_then(|parsed| parsed.value).map_or(Root::Unreadable, Root::Tree)
        })
    }

    /// The 1-based line and column where the value at `path` starts, or where the deepest part
    /// of the path that exists starts. None when the text does not parse.
    pub fn of(&self, path: &FieldPath) -> Option<(usize, usize)> {
        let offset = match self.root() {
            Root::Raw { offset, members } => {
                let (mut offset, mut value) = (*offset, None);
                let mut members = members.borrow_mut();
                for segment in &path.0 {
                    let read = || value.and_then(|value: &'a RawValue| Members::read(value.get())).unwrap_or(Members::None);
                    let Some(next) = members.entry(offset).or_insert_with(read).get(segment) else { break };
                    (offset, value) = (self.offset(next), Some(next));
                }
                offset
            }
            Root::Tree(root) => {
                let mut value = root;
                for segment in &path.0 {
                    let next = match (segment, value) {
                        (Segment::Key(key), Value::Object(object)) => {
                            object.properties.iter().find(|property| property.name.as_str() == key.as_str()).map(|property| &property.value)
                        }
                        (Segment::Index(index), Value::Array(array)) => array.elements.get(*index),
                        _ => None,
                    };
                    let Some(next) = next else { break };
                    value = next;
                }
                value.range().start
            }
            Root::Unreadable => return None,
        };
        Some(self.line_and_column(offset))
    }

    /// Where a value read from the text starts in it.
    fn offset(&self, value: &RawValue) -> usize {
        value.get().as_ptr().addr() - self.text.as_ptr().addr()
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_and_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts.get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(position, _)| position + 1)).collect());
        let line = line_starts.partition_point(|&start| start <= offset);
        let line_start = line_starts[line.saturating_sub(1)];
        (line, self.text.get(line_start..offset).map_or(0, |before| before.chars().count()) + 1)
    }
}

/// Where the elements of a plan that `wanted` says yes to are in its file, as field paths
/// (`networks[2].gateways[0]`), by kind and id: what findings name, placed in the text.
pub fn element_paths<'p>(plan: &'p Plan, wanted: impl Fn(ElementKind, &str) -> bool) -> FxHashMap<(ElementKind, &'p str), FieldPath> {
    let mut paths = FxHashMap::default();
    let root = FieldPath::root();
    // A path is made only for an element wanted: a large plan has 170,000 elements and a few
    // findings.
    let mut place = |kind: ElementKind, id: &'p str, path: &dyn Fn() -> FieldPath| {
        if wanted(kind, id) {
            paths.insert((kind, id), path());
        }
    };
    for (index, site) in plan.sites.iter().enumerate() {
        place(ElementKind::Site, site.id.as_str(), &|| root.key("sites").index(index));
    }
    for (index, network) in plan.networks.iter().enumerate() {
        let path = || root.key("networks").index(index);
        for (gateway_index, gateway) in network.gateways.iter().enumerate() {
            place(ElementKind::Gateway, gateway.id.as_str(), &|| path().key("gateways").index(gateway_index));
        }
        for (nva_index, nva) in network.nvas.iter().enumerate() {
            place(ElementKind::Nva, nva.id.as_str(), &|| path().key("nvas").index(nva_index));
        }
        place(ElementKind::Network, network.id.as_str(), &path);
    }
    for (index, subnet) in plan.subnets.iter().enumerate() {
        place(ElementKind::Subnet, subnet.id.as_str(), &|| root.key("subnets").index(index));
    }
    for (index, machine) in plan.machines.iter().enumerate() {
        place(ElementKind::Machine, machine.id.as_str(), &|| root.key("machines").index(index));
    }
    for (index, circuit) in plan.circuits.iter().enumerate() {
        place(ElementKind::Circuit, circuit.id.as_str(), &|| root.key("circuits").index(index));
    }
    for (index, connection) in plan.connections.iter().enumerate() {
        place(ElementKind::Connection, connection.id.as_str(), &|| root.key("connections").index(index));
    }
    for (index, scenario) in plan.scenarios.iter().enumerate() {
        place(ElementKind::Scenario, scenario.id.as_str(), &|| root.key("scenarios").index(index));
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

    /// Every element's path and its `id` field in a sample, and a few paths that lead nowhere.
    fn sample_paths(plan: &Plan) -> Vec<FieldPath> {
        let mut paths: Vec<FieldPath> =
            element_paths(plan, |_, _| true).into_values().flat_map(|path| [path.key("id"), path.key("no such field"), path]).collect();
        paths.extend([FieldPath::root(), FieldPath::root().key("subnets").index(usize::MAX), FieldPath::root().index(0)]);
        paths
    }

    #[test]
    fn well_formed_text_is_placed_as_the_tolerant_parser_places_it() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let plan = crate::io::parse_str(&text, std::path::Path::new("sample")).unwrap();
            // A comment after the plan: serde_json refuses the text, jsonc-parser reads it whole.
            let commented = format!("{text}\n// the end\n");
            let (raw, tree) = (TextPositions::new(&text), TextPositions::new(&commented));
            assert!(matches!(raw.root(), Root::Raw { .. }) && matches!(tree.root(), Root::Tree(_)));
            let paths = sample_paths(&plan);
            assert!(paths.len() > 30);
            for path in paths {
                assert_eq!(raw.of(&path), tree.of(&path), "{path}");
            }
        }
    }

    #[test]
    fn a_repeated_key_is_found_where_it_is_first_and_an_escaped_one_by_its_value() {
        let text = "{\"a\": 1,\n \"a\": 2, \"\\u0062\": [true, {\"c\": null}]}";
        let positions = TextPositions::new(text);
        assert_eq!(positions.of(&FieldPath::root().key("a")), Some((1, 7)));
        assert_eq!(positions.of(&FieldPath::root().key("b").index(1).key("c")), Some((2, 33)));
        assert_eq!(TextPositions::new("{\"a\": ").of(&FieldPath::root().key("a")), None);
    }

    #[test]
    fn a_missing_part_points_at_the_deepest_existing_parent() {
        let text = "{\"machines\": [{\"id\": \"a\"}]}";
        let path = FieldPath::root().key("machines").index(0).key("subnet");
        assert_eq!(position_of(text, &path), Some((1, 15)));
    }
}
