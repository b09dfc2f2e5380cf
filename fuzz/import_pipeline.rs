//! The pipeline the `import_azure` fuzz target and `tests/fuzz_import.rs` run over one input:
//! arbitrary text as a file handed to `drplan import azure`. One copy of the code, included by
//! both with `#[path]`.
//!
//! An import error is an answer, not a failure. When the import succeeds, the plan must pass the
//! loader's check, save and load back unchanged, validate, and take a proposed recovery side
//! (`mirror`) that also saves and loads back.

use std::path::Path;

use drplan::import::{self, AzureOptions, ImportError, Input};
use drplan::mirror::{self, AddressSpace, MirrorOptions};
use drplan::model::SiteRole;
use drplan::{io, validate};

/// What an import that succeeded made.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Made {
    pub networks: usize,
    pub machines: usize,
    pub skipped: usize,
}

pub fn run(text: &str, file: &Path) -> Result<Made, ImportError> {
    let inputs = [Input { file: file.to_owned(), text: text.to_owned() }];
    let imported = import::azure(&inputs, &AzureOptions { name: "fuzz".to_owned(), primary: None, recovery: None })?;
    let plan = imported.plan;
    reloads(&plan, file);
    let _ = validate::validate(&plan);
    let _ = imported.summary.text();
    let site = |role: SiteRole| plan.sites.iter().find(|site| site.role == role).map(|site| site.id.to_string());
    if let (Some(from), Some(to)) = (site(SiteRole::Primary), site(SiteRole::Recovery)) {
        for address_space in [AddressSpace::Same, AddressSpace::Offset(100)] {
            let mirrored = mirror::mirror(&plan, &MirrorOptions { from: from.clone(), to: to.clone(), address_space }).expect("sites found by role exist");
            reloads(&mirrored.plan, file);
            let _ = validate::validate(&mirrored.plan);
        }
    }
    Ok(Made { networks: plan.networks.len(), machines: plan.machines.len(), skipped: imported.summary.skipped.len() })
}

/// The plan saves and loads back as the same plan.
fn reloads(plan: &drplan::model::Plan, file: &Path) {
    let saved = io::to_canonical_json(plan);
    match io::parse_str(&saved, file) {
        Ok(reloaded) => assert_eq!(&reloaded, plan, "a plan made from {} does not load back as itself", file.display()),
        Err(error) => panic!("a plan made from {} does not load: {error}", file.display()),
    }
}
