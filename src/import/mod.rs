//! Starting from what already runs: an Azure estate read from the JSON users print themselves
//! (Azure CLI lists or Azure Resource Graph pages; no credential is given to drplan), and an
//! on-premises machine inventory as CSV. The result is a plan that loads, laid out for the canvas,
//! with a summary that says what was created, what was skipped and why, and what to check.
//! Secrets in the input (a connection's `sharedKey`) are never read into the plan.

mod azure;
mod inventory;
mod regions;
pub mod resources;

use std::path::{Path, PathBuf};

pub use azure::{AzureOptions, azure};
pub use inventory::{CsvOptions, csv_inventory};
pub use regions::{region, region_site};
pub use resources::{Input, Origin};

use crate::model::Plan;

/// Files larger than this are refused before they are read.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Why an import could not be made. Each names the file and where in it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {source}", file.display())]
    Io { file: PathBuf, source: std::io::Error },
    #[error("{}: {size} bytes; an import reads files of at most {} bytes (split a Resource Graph dump into pages)", file.display(), MAX_INPUT_BYTES)]
    TooLarge { file: PathBuf, size: u64 },
    #[error("{}:{line}:{column}: not valid JSON: {message}", file.display())]
    Json { file: PathBuf, line: usize, column: usize, message: String },
    /// Not a file drplan reads, or not text (see `io::read_text`).
    #[error("{}:{line}:{column}: {message}", file.display())]
    Read { file: PathBuf, line: usize, column: usize, message: String },
    #[error("{} {path}: {why}", file.display())]
    NotAzure { file: PathBuf, path: String, why: String },
    #[error("{}:{line}: {why}", file.display())]
    Csv { file: PathBuf, line: u64, why: String },
    #[error("{0}")]
    Options(String),
}

/// Something the import left out, where it was, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub what: String,
    pub origin: Origin,
    pub why: String,
}

/// What an import made of its input.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// (what, how many), for every kind of element created.
    pub created: Vec<(&'static str, usize)>,
    pub skipped: Vec<Skip>,
    /// Choices the import made that a person should check.
    pub check: Vec<String>,
}

impl Summary {
    /// Puts the skips in input order: by file, then by position in it (`$[2]` before `$[10]`).
    fn sort_skips(&mut self) {
        let numbers = |path: &str| -> Vec<usize> { path.split(|character: char| !character.is_ascii_digit()).filter_map(|part| part.parse().ok()).collect() };
        self.skipped.sort_by(|a, b| (&a.origin.file, numbers(&a.origin.path)).cmp(&(&b.origin.file, numbers(&b.origin.path))));
    }

    /// The summary for people, one item a line.
    pub fn text(&self) -> String {
        let created: Vec<String> = self.created.iter().map(|(what, count)| format!("{count} {what}")).collect();
        let mut text = format!("Created: {}\n", if created.is_empty() { "nothing".to_owned() } else { created.join(", ") });
        if !self.skipped.is_empty() {
            text.push_str(&format!("Skipped ({}):\n", self.skipped.len()));
            for skip in &self.skipped {
                text.push_str(&format!("  {}: {} ({})\n", skip.what, skip.why, skip.origin));
            }
        }
        if !self.check.is_empty() {
            text.push_str("Check:\n");
            for item in &self.check {
                text.push_str(&format!("  {item}\n"));
            }
        }
        text
    }
}

/// A plan made by an import, and what the import made of its input.
pub struct Imported {
    pub plan: Plan,
    pub summary: Summary,
}

/// Reads input files, refusing any over [`MAX_INPUT_BYTES`] before reading it.
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, ImportError> {
    paths.iter().map(|path| read_input(path)).collect()
}

fn read_input(path: &Path) -> Result<Input, ImportError> {
    use crate::io::LoadErrorKind;
    let text = crate::io::read_text(path, MAX_INPUT_BYTES).map_err(|error| match error.kind {
        LoadErrorKind::TooLarge { size, .. } => ImportError::TooLarge { file: path.to_owned(), size },
        LoadErrorKind::Io(source) => ImportError::Io { file: path.to_owned(), source },
        kind => {
            let (line, column) = error.position.unwrap_or((1, 1));
            ImportError::Read { file: path.to_owned(), line, column, message: kind.to_string() }
        }
    })?;
    Ok(Input { file: path.to_owned(), text })
}

/// Makes an id of the given prefix from a name, unique in `taken`: `net-vnet-hub-eas`.
pub(crate) fn element_id(taken: &mut rustc_hash::FxHashSet<String>, prefix: &str, name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for character in name.chars() {
        let kept = if character.is_ascii_alphanumeric() { character.to_ascii_lowercase() } else { '-' };
        if !(kept == '-' && (slug.is_empty() || slug.ends_with('-'))) {
            slug.push(kept);
        }
    }
    let slug = slug.trim_end_matches('-');
    let base = if slug.is_empty() { prefix.to_owned() } else { format!("{prefix}-{slug}") };
    let id =
        (1..).map(|number| if number == 1 { base.clone() } else { format!("{base}-{number}") }).find(|candidate| !taken.contains(candidate)).unwrap_or(base);
    taken.insert(id.clone());
    id
}

/// Checks that an imported plan passes the check every loaded plan passes, so it can be saved
/// and opened again.
fn loadable(plan: Plan) -> Result<Plan, ImportError> {
    crate::io::check(&plan, Path::new("imported plan"))
        .map_err(|error| ImportError::Options(format!("the imported plan would not load ({error}); please report this with the input")))?;
    Ok(plan)
}
