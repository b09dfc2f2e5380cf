//! One invariant for loading and editing (issue 15, item 1): random sequences of edits of every
//! kind, with ids that exist, ids of the wrong kind and ids that do not exist, over every sample.
//! An edit the invariant refuses leaves the plan as it was (the edit takes itself back with its
//! own journal); after each sequence the plan saves and loads back equal, and undoing
//! the edits' journals gives back the plan exactly (issue 16: undo without copies).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::random_edits::edit_of;
use common::*;
use drplan::edit::{self, Edit, EditError, Element};
use drplan::io;
use drplan::model::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn random_edits_leave_a_plan_that_saves_and_loads_back_equal(
        sample_index in 0usize..SAMPLES.len(),
        steps in prop::collection::vec((any::<u8>(), any::<u16>(), any::<u16>()), 1..24),
    ) {
        let original = sample(SAMPLES[sample_index]);
        let mut plan = original.clone();
        let mut journals = Vec::new();
        for (kind, a, b) in steps {
            let Some(change) = edit_of(&plan, kind, a, b) else { continue };
            let before = plan.clone();
            match edit::apply(&mut plan, change) {
                Ok(journal) => {
                    prop_assert!(io::check(&plan, std::path::Path::new("edited")).is_ok(), "an accepted edit keeps the invariant");
                    journals.push(journal);
                }
                Err(_) => prop_assert!(plan == before, "a refused edit leaves the plan as it was"),
            }
        }
        let saved = io::to_canonical_json(&plan);
        let reloaded = io::parse_str(&saved, std::path::Path::new("edited.drplan.json"));
        prop_assert!(reloaded.is_ok(), "{:?}", reloaded.err().map(|error| error.to_string()));
        prop_assert_eq!(reloaded.ok(), Some(plan.clone()));

        // Undoing every edit's journal, last first, gives back the plan exactly; redoing them
        // gives the edited plan again.
        let edited = plan.clone();
        let redos: Vec<_> = journals.into_iter().rev().map(|journal| journal.undo(&mut plan)).collect();
        prop_assert!(plan == original, "undo restores the plan exactly");
        for redo in redos.into_iter().rev() {
            redo.undo(&mut plan);
        }
        prop_assert!(plan == edited, "redo replays the edits exactly");
    }
}

/// The edits the invariant refuses, each with its reason; the reference checks of one element
/// come first with their own messages.
#[test]
fn edits_that_would_break_the_invariant_are_refused_with_the_reason() {
    let mut plan = sample("expressroute-hub-spoke.drplan.json");
    let mut hub = plan.networks[0].clone();
    hub.route_tables[0].subnets.push(SubnetId::new("sub-gone"));
    match edit::apply(&mut plan, Edit::Replace(Element::Network(hub))) {
        Err(EditError::Invariant(reason)) => {
            assert!(reason.contains("route_tables[0].subnets[1]") && reason.contains("`sub-gone` does not name any subnet"), "{reason}")
        }
        other => panic!("refused for the route table's dangling subnet, not {other:?}"),
    }
    let mut plan = sample("azure-full-region.drplan.json");
    let mut network = plan.networks[0].clone();
    network.nvas.push(Nva {
        id: NvaId::new(plan.subnets[0].id.as_str()),
        name: "twin".to_owned(),
        subnet: plan.subnets[0].id.clone(),
        ip: "10.1.1.9".parse().unwrap(),
    });
    match edit::apply(&mut plan, Edit::Replace(Element::Network(network))) {
        Err(EditError::Invariant(reason)) => assert!(reason.contains("is used twice"), "{reason}"),
        other => panic!("an NVA with a subnet's id is refused, not {other:?}"),
    }
}
