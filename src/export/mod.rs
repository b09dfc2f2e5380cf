//! Exports for the operations team and for management: a Markdown runbook, the recovery plan as
//! JSON, PowerShell and Azure CLI scripts for the scripted steps, and before/after network
//! diagrams (SVG, PNG, PDF; see [`diagram`]). Every name from the plan is quoted or escaped for
//! the language it lands in, so no element name can inject a command or break the Markdown or
//! the SVG.

mod asr;
pub mod diagram;
pub mod palette;
pub mod quote;
mod runbook;
pub mod sarif;
mod scripts;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use asr::{ASR_MAX_GROUPS, ASR_MAX_MACHINES, asr_plan, asr_warnings};
pub use runbook::{ScriptNames, duration_text, runbook_markdown};
pub use scripts::{AzureNames, Resource, ResourceGroup, Script, ScriptKind, azure_name, recovery_plan_name, script_kind, scripts};

use crate::io::{FileSet, SaveError};
use crate::recovery::RecoveryPlan;

/// The recovery plan as pretty JSON, as `write_plan` writes it.
pub fn plan_json(plan: &RecoveryPlan) -> String {
    let mut bytes = Vec::new();
    let _ = write_json(&mut bytes, plan);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the runbook, the JSON plan and the scripts into `directory` (created if needed);
/// returns the files written. `diagrams` are file names the runbook refers to.
pub fn write_plan(plan: &RecoveryPlan, directory: &Path, diagrams: &[String]) -> Result<Vec<PathBuf>, SaveError> {
    let scripts_directory = directory.join("scripts");
    // Nothing is written outside the output folder: a `scripts` that is a link elsewhere is refused.
    if std::fs::symlink_metadata(&scripts_directory).is_ok_and(|metadata| metadata.file_type().is_symlink()) {
        return Err(SaveError {
            file: scripts_directory,
            source: std::io::Error::other("a symbolic link: drplan writes the scripts only inside the output folder, so it does not follow it"),
        });
    }
    std::fs::create_dir_all(&scripts_directory).map_err(|source| SaveError { file: scripts_directory.clone(), source })?;
    // The whole set, or the previous one: every file is on disk before any replaces its old one.
    // Each is written (and flushed to disk) as soon as it is made and its text let go, and the
    // JSON goes straight to its file, so a large plan's files are not all in memory at once. The
    // files are made two at a time (rayon), each while the other is written: at 100k prefixes
    // the set is 109 MB.
    let runbook_path = directory.join("runbook.md");
    let json_path = directory.join("recovery-plan.json");
    let asr_path = directory.join("recovery-plan.asr.json");
    let (scripts, json) = rayon::join(|| scripts(plan), || FileSet::of(&json_path, |file| write_json(file, plan)));
    let names = ScriptNames::of(&scripts);
    let (runbook, asr_and_scripts) = rayon::join(
        || {
            let runbook = runbook_markdown(plan, &names, diagrams);
            FileSet::of(&runbook_path, |file| file.write_all(runbook.as_bytes()))
        },
        || {
            let asr = asr_plan(plan, &names);
            let mut set = FileSet::of(&asr_path, |file| write_json(file, &asr))?;
            drop(asr);
            for script in &scripts {
                set.stage(&scripts_directory.join(&script.file_name), |file| file.write_all(script.text.as_bytes()))?;
            }
            Ok(set)
        },
    );
    let mut set = runbook?;
    set.append(json?);
    set.append(asr_and_scripts?);
    let mut files = vec![runbook_path, json_path, asr_path];
    files.extend(scripts.iter().map(|script| scripts_directory.join(&script.file_name)));
    set.commit()?;
    Ok(files)
}

/// Pretty JSON and a final newline, written through a buffer.
fn write_json(out: impl Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut buffered = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}
