//! The typed parse of a plan on every core, for the common case: a current plan that parses.
//!
//! One pass over the text checks its syntax and notes the text of each element of the long lists
//! (serde_json's [`RawValue`], borrowed from the text: nothing is copied). As soon as a list has
//! been passed, its elements are read in parallel while the pass goes on through the next, and
//! each list is made once at its final length (serde's own reading of a list grows it by
//! doubling, copying it each time). At 100,000 prefixes the pass over the text is about a third
//! of the serial parse; the reading of the elements, the rest, is shared between the cores.
//!
//! Anything unusual (a key written with an escape, a long list that is not a list, a key given
//! twice, any element that does not read) gives None, and `io::parse` reads the text the careful
//! way, which finds and places the fault. So a plan that parses here is the plan the serial
//! parse makes, and every message stays the serial parse's.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Deserializer;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::objects_only::ObjectsOnly;
use crate::model::*;

/// The lists read element by element in parallel: those that grow with the estate. The others
/// (sites, circuits, scenarios, group actions) are short and are read with the plan's scalars.
#[derive(Default)]
struct LongLists {
    networks: OnceLock<Vec<Network>>,
    subnets: OnceLock<Vec<Subnet>>,
    machines: OnceLock<Vec<Machine>>,
    connections: OnceLock<Vec<Connection>>,
    network_mappings: OnceLock<Vec<NetworkMapping>>,
}

/// The plan `text` holds, when it parses; None sends the caller to the careful, serial parse.
pub(super) fn read_plan(text: &str) -> Option<Plan> {
    let lists = LongLists::default();
    let failed = AtomicBool::new(false);
    let rest = rayon::scope(|scope| {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let rest = deserializer.deserialize_map(Outline { scope, lists: &lists, failed: &failed }).ok()?;
        deserializer.end().ok()?;
        Some(rest)
    })?;
    if failed.load(Ordering::Relaxed) {
        return None;
    }
    let mut plan: Plan = read_object(&rest).ok()?;
    let LongLists { networks, subnets, machines, connections, network_mappings } = lists;
    plan.networks = networks.into_inner().unwrap_or_default();
    plan.subnets = subnets.into_inner().unwrap_or_default();
    plan.machines = machines.into_inner().unwrap_or_default();
    plan.connections = connections.into_inner().unwrap_or_default();
    plan.network_mappings = network_mappings.into_inner().unwrap_or_default();
    Some(plan)
}

/// One JSON object of `text`, its objects only as JSON objects (`objects_only`), and nothing
/// after it.
fn read_object<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(ObjectsOnly(&mut deserializer))?;
    deserializer.end()?;
    Ok(value)
}

/// The pass over the plan's top-level object: it hands each long list to the scope to be read,
/// and gives the other fields back as the text of one JSON object.
struct Outline<'scope, 'lists> {
    scope: &'lists rayon::Scope<'scope>,
    lists: &'scope LongLists,
    failed: &'scope AtomicBool,
}

impl<'scope> Outline<'scope, '_> {
    /// Reads the elements of one list in parallel into `slot`; a list given twice or an element
    /// that does not read marks the parse failed.
    fn read_list<T: DeserializeOwned + Send + Sync + 'scope>(&self, elements: Vec<&'scope RawValue>, slot: &'scope OnceLock<Vec<T>>) {
        let failed = self.failed;
        self.scope.spawn(move |_| {
            // Collected at the list's length straight into its place (a collection into a
            // Result would gather pieces and copy them into the list), then taken out of the
            // Options where they lie: an Option of an element is the element's size.
            let read: Vec<Option<T>> = elements.par_iter().map(|element| read_object(element.get()).ok()).collect();
            drop(elements);
            let list: Option<Vec<T>> = read.into_iter().collect();
            if list.is_none_or(|list| slot.set(list).is_err()) {
                failed.store(true, Ordering::Relaxed);
            }
        });
    }
}

impl<'scope> Visitor<'scope> for Outline<'scope, '_> {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a plan object")
    }

    fn visit_map<A: MapAccess<'scope>>(self, mut map: A) -> Result<String, A::Error> {
        let mut rest = String::from("{");
        while let Some(key) = map.next_key::<&'scope str>()? {
            let lists = self.lists;
            match key {
                "networks" => self.read_list(map.next_value()?, &lists.networks),
                "subnets" => self.read_list(map.next_value()?, &lists.subnets),
                "machines" => self.read_list(map.next_value()?, &lists.machines),
                "connections" => self.read_list(map.next_value()?, &lists.connections),
                "network_mappings" => self.read_list(map.next_value()?, &lists.network_mappings),
                _ => {
                    let value: &RawValue = map.next_value()?;
                    if rest.len() > 1 {
                        rest.push(',');
                    }
                    // A key borrowed from the text has no escapes, and a JSON string holds no
                    // control characters, so it is written back as it was.
                    rest.push('"');
                    rest.push_str(key);
                    rest.push_str("\":");
                    rest.push_str(value.get());
                }
            }
        }
        rest.push('}');
        Ok(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serial(text: &str) -> Plan {
        let plan: Plan = read_object(text).expect("a plan the serial parse reads");
        plan
    }

    #[test]
    fn every_sample_reads_in_parallel_as_it_reads_serially() {
        let mut read = 0;
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples")).expect("samples") {
            let path = entry.expect("an entry").path();
            if !path.to_string_lossy().ends_with(".drplan.json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a sample");
            let parallel = read_plan(&text).unwrap_or_else(|| panic!("{} reads in parallel", path.display()));
            assert_eq!(parallel, serial(&text), "{}", path.display());
            read += 1;
        }
        assert!(read >= 5, "only {read} samples");
    }

    #[test]
    fn a_generated_plan_in_compact_and_in_canonical_text_reads_as_it_reads_serially() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 2_000, seed: 7, faults: 0 }).plan;
        for text in [serde_json::to_string(&plan).expect("json"), super::super::to_canonical_json(&plan)] {
            let parallel = read_plan(&text).expect("reads in parallel");
            assert_eq!(parallel, serial(&text));
            assert_eq!(parallel, plan);
        }
    }

    #[test]
    fn what_the_careful_parse_must_place_is_left_to_it() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 200, seed: 3, faults: 0 }).plan;
        let text = serde_json::to_string(&plan).expect("json");
        let cases = [
            // A key written with an escape.
            text.replacen("\"subnets\"", "\"sub\\u006eets\"", 1),
            // A long list given twice.
            text.replacen("\"subnets\":", "\"subnets\":[],\"subnets\":", 1),
            // A long list that is not a list.
            text.replacen("\"subnets\":[", "\"subnets\":{\"a\":[", 1),
            // An element that does not read: an unknown field, then a struct written as a list.
            text.replacen("\"ip_allocation\"", "\"ip_alocation\"", 1),
            text.replacen("\"position\":{\"x\":0.0,\"y\":0.0}", "\"position\":[0.0,0.0]", 1),
            // A short field given twice, and an unknown one.
            text.replacen("\"name\":", "\"name\":\"twice\",\"name\":", 1),
            text.replacen("{", "{\"colour\":1,", 1),
            // Something after the plan.
            format!("{text} {{}}"),
            // Not an object.
            format!("[{text}]"),
        ];
        for (number, case) in cases.iter().enumerate() {
            assert_ne!(case, &text, "case {number} changed nothing");
            assert!(read_plan(case).is_none(), "case {number} read in parallel");
        }
    }
}
