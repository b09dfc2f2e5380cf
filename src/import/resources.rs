//! Azure resources as users can print them without giving drplan a credential, read into one
//! shape: the Azure CLI's `az network ... list` output (an array per command, `properties`
//! flattened to the top level, `resourceGroup` added; several arrays may be concatenated in one
//! file) and Azure Resource Graph's `az graph query` pages (`{count, data: [...], skip_token}`,
//! `properties` nested, `type` in lower case). Rows are flattened like the CLI's, fields are
//! looked up whatever their letter case (`privateIpAddress` and `privateIPAddress`), and ids are
//! compared case-insensitively, with the resource group and subscription read from them. A field
//! is looked up in the object, then in its `properties`: both shapes read alike without copying
//! one into the other.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{ImportError, Skip};

/// One input file, read.
pub struct Input {
    pub file: PathBuf,
    pub text: String,
}

/// The resource types the import maps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    VirtualNetwork,
    VirtualNetworkGateway,
    Connection,
    LocalNetworkGateway,
    ExpressRouteCircuit,
    NetworkInterface,
    RouteTable,
    PublicIpAddress,
}

impl Kind {
    fn of(azure_type: &str) -> Option<Self> {
        Some(match azure_type.to_ascii_lowercase().as_str() {
            "microsoft.network/virtualnetworks" => Self::VirtualNetwork,
            "microsoft.network/virtualnetworkgateways" => Self::VirtualNetworkGateway,
            "microsoft.network/connections" => Self::Connection,
            "microsoft.network/localnetworkgateways" => Self::LocalNetworkGateway,
            "microsoft.network/expressroutecircuits" => Self::ExpressRouteCircuit,
            "microsoft.network/networkinterfaces" => Self::NetworkInterface,
            "microsoft.network/routetables" => Self::RouteTable,
            "microsoft.network/publicipaddresses" => Self::PublicIpAddress,
            _ => return None,
        })
    }
}

/// Where a row came from: the file and its JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: PathBuf,
    pub path: String,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {}", self.file.display(), self.path)
    }
}

/// One Azure resource, flattened.
pub struct Resource {
    pub kind: Kind,
    /// The id in lower case, for joins.
    pub key: String,
    pub name: String,
    pub resource_group: Option<String>,
    pub subscription: Option<String>,
    pub location: Option<String>,
    /// The row as given; read it with [`field`].
    pub body: Value,
    pub origin: Origin,
}

fn any_case<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value)
}

/// A field of an object (or of its `properties`, as Resource Graph nests them), whatever its
/// letter case: the exact name first, in both, before any other casing.
pub fn field<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    let object = value.as_object()?;
    let properties = object.get("properties").or_else(|| any_case(object, "properties")).and_then(Value::as_object);
    object
        .get(name)
        .or_else(|| properties.and_then(|properties| properties.get(name)))
        .or_else(|| any_case(object, name))
        .or_else(|| properties.and_then(|properties| any_case(properties, name)))
}

/// A string field, whatever its letter case.
pub fn text<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    field(value, name).and_then(Value::as_str)
}

/// The `id` of an object field such as `subnet: {id}`, lower case for joins.
pub fn reference(value: &Value, name: &str) -> Option<String> {
    field(value, name).and_then(|object| text(object, "id")).map(str::to_ascii_lowercase)
}

/// The elements of an array field (none when absent).
pub fn items<'a>(value: &'a Value, name: &str) -> &'a [Value] {
    field(value, name).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A segment of an ARM id after the given one (`resourceGroups`, `subscriptions`), as written.
pub fn id_segment(id: &str, after: &str) -> Option<String> {
    let mut segments = id.split('/');
    while let Some(segment) = segments.next() {
        if segment.eq_ignore_ascii_case(after) {
            return segments.next().filter(|value| !value.is_empty()).map(str::to_owned);
        }
    }
    None
}

/// The last segment of an id: the resource's name.
pub fn id_name(id: &str) -> Option<&str> {
    id.trim_end_matches('/').rsplit('/').next().filter(|name| !name.is_empty())
}

/// The id of the resource holding a sub-resource (`.../virtualNetworks/x/subnets/y` gives
/// `.../virtualNetworks/x`), lower case.
pub fn parent_key(key: &str, child: &str) -> Option<String> {
    let marker = format!("/{}/", child.to_ascii_lowercase());
    key.rfind(&marker).map(|at| key[..at].to_owned())
}

/// The rows of one JSON document of a file, with their JSON paths; an error when the document is
/// neither an array nor a Resource Graph page.
fn rows(file: &Path, document: Value, prefix: &str) -> Result<Vec<(String, Value)>, ImportError> {
    match document {
        Value::Array(rows) => Ok(rows.into_iter().enumerate().map(|(index, row)| (format!("{prefix}$[{index}]"), row)).collect()),
        Value::Object(mut object) => {
            let data = object.keys().find(|key| key.eq_ignore_ascii_case("data")).cloned();
            match data.and_then(|key| object.remove(&key)) {
                Some(Value::Array(rows)) => Ok(rows.into_iter().enumerate().map(|(index, row)| (format!("{prefix}$.data[{index}]"), row)).collect()),
                Some(_) => {
                    Err(ImportError::NotAzure { file: file.to_owned(), path: format!("{prefix}$.data"), why: "`data` is not an array of resources".to_owned() })
                }
                None if ["version", "sites", "networks"].iter().all(|key| object.contains_key(*key)) => Err(ImportError::NotAzure {
                    file: file.to_owned(),
                    path: format!("{prefix}$"),
                    why: "a drplan plan file, not Azure's description of an estate: open it instead".to_owned(),
                }),
                None => {
                    let keys: Vec<&str> = object.keys().map(String::as_str).take(6).collect();
                    Err(ImportError::NotAzure {
                        file: file.to_owned(),
                        path: format!("{prefix}$"),
                        why: format!(
                            "an object with {}, not an array of Azure resources (az network ... list) nor a Resource Graph page ({{count, data}})",
                            if keys.is_empty() { "no fields".to_owned() } else { format!("fields {}", keys.join(", ")) }
                        ),
                    })
                }
            }
        }
        other => Err(ImportError::NotAzure {
            file: file.to_owned(),
            path: format!("{prefix}$"),
            why: format!("a JSON {}, not an array of Azure resources nor a Resource Graph page", json_kind(&other)),
        }),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Reads every input: the resources of the types drplan maps, and what it skipped and why.
pub fn read(inputs: &[Input], skipped: &mut Vec<Skip>) -> Result<Vec<Resource>, ImportError> {
    let mut resources: Vec<Resource> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for input in inputs {
        let mut documents = Vec::new();
        let mut stream = serde_json::Deserializer::from_str(&input.text).into_iter::<Value>();
        loop {
            match stream.next() {
                None => break,
                Some(Ok(document)) => documents.push(document),
                Some(Err(error)) => {
                    return Err(ImportError::Json {
                        file: input.file.clone(),
                        line: error.line(),
                        column: error.column(),
                        message: crate::io::message_without_position(&error),
                    });
                }
            }
        }
        if documents.is_empty() {
            return Err(ImportError::NotAzure { file: input.file.clone(), path: "$".to_owned(), why: "the file holds no JSON".to_owned() });
        }
        let several = documents.len() > 1;
        let mut azure_rows = 0;
        let mut total_rows = 0;
        for (number, document) in documents.into_iter().enumerate() {
            let prefix = if several { format!("(array {}) ", number + 1) } else { String::new() };
            for (path, row) in rows(&input.file, document, &prefix)? {
                total_rows += 1;
                let origin = Origin { file: input.file.clone(), path };
                let (Some(id), Some(azure_type)) = (text(&row, "id").map(str::to_owned), text(&row, "type").map(str::to_owned)) else {
                    skipped.push(Skip { what: "an entry".to_owned(), origin, why: "not an Azure resource (it has no `id` and `type`)".to_owned() });
                    continue;
                };
                azure_rows += 1;
                let name = text(&row, "name").map(str::to_owned).or_else(|| id_name(&id).map(str::to_owned)).unwrap_or_default();
                let Some(kind) = Kind::of(&azure_type) else {
                    skipped.push(Skip { what: format!("{azure_type} \"{name}\""), origin, why: "a resource type drplan does not import".to_owned() });
                    continue;
                };
                let key = id.to_ascii_lowercase();
                if !seen.insert(key.clone()) {
                    skipped.push(Skip { what: format!("\"{name}\""), origin, why: "given twice (the first one is imported)".to_owned() });
                    continue;
                }
                let resource_group = text(&row, "resourceGroup").map(str::to_owned).or_else(|| id_segment(&id, "resourceGroups"));
                let subscription = text(&row, "subscriptionId").map(str::to_owned).or_else(|| id_segment(&id, "subscriptions"));
                let location = text(&row, "location").map(str::to_owned);
                resources.push(Resource { kind, key, name, resource_group, subscription, location, body: row, origin });
            }
        }
        if azure_rows == 0 {
            return Err(ImportError::NotAzure {
                file: input.file.clone(),
                path: "$".to_owned(),
                why: if total_rows == 0 {
                    "an empty list: no Azure resources".to_owned()
                } else {
                    format!("none of its {total_rows} entries is an Azure resource (an object with `id` and `type`)")
                },
            });
        }
    }
    Ok(resources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_in_resource_graph_properties_and_in_any_case() {
        let row = serde_json::json!({"id": "x", "properties": {"subnets": [{"name": "a", "properties": {"addressPrefix": "10.0.0.0/24"}}], "name": "ignored"}, "name": "kept"});
        assert_eq!(text(&row, "name"), Some("kept"), "the row's own key wins");
        assert_eq!(text(&items(&row, "subnets")[0], "ADDRESSPREFIX"), Some("10.0.0.0/24"));
        assert_eq!(id_segment("/subscriptions/s/resourcegroups/RG/providers/x", "resourceGroups").as_deref(), Some("RG"));
        assert_eq!(parent_key("/a/virtualnetworks/v/subnets/s", "subnets").as_deref(), Some("/a/virtualnetworks/v"));
    }
}
