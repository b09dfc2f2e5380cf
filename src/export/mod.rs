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
pub use scripts::{AzureNames, ResourceGroup, Script, ScriptKind, azure_name, recovery_plan_name, resources, script_kind, scripts};

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
    let scripts = scripts(plan);
    let names = ScriptNames::of(&scripts);
    // The whole set, or the previous one: every file is on disk before any replaces its old one.
    // Each is written as soon as it is made and its text let go, and the JSON goes straight to
    // its file, so a large plan's files are not all in memory at once.
    let mut set = FileSet::default();
    let mut files = Vec::new();
    let mut stage = |path: PathBuf, write: &mut dyn FnMut(&mut std::fs::File) -> std::io::Result<()>| {
        set.stage(&path, write)?;
        files.push(path);
        Ok::<(), SaveError>(())
    };
    let runbook = runbook_markdown(plan, &names, diagrams);
    stage(directory.join("runbook.md"), &mut |file| file.write_all(runbook.as_bytes()))?;
    drop(runbook);
    stage(directory.join("recovery-plan.json"), &mut |file| write_json(file, plan))?;
    let asr = asr_plan(plan, &names);
    stage(directory.join("recovery-plan.asr.json"), &mut |file| write_json(file, &asr))?;
    drop(asr);
    for script in scripts {
        stage(scripts_directory.join(&script.file_name), &mut |file| file.write_all(script.text.as_bytes()))?;
    }
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
