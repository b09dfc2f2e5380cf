//! Every input of the `import_azure` fuzz target's corpus (`fuzz/corpus/import_azure/`) and of
//! `tests/fuzz-regressions/import/` replayed through its pipeline (import, check, save and
//! reload, validate, propose the recovery side): none may panic, and one that does not import
//! must get an error that names its file. How inputs get here: `docs/fuzzing.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../fuzz/import_pipeline.rs"]
mod import_pipeline;

use std::path::{Path, PathBuf};

fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in [root.join("fuzz/corpus/import_azure"), root.join("tests/fuzz-regressions/import")] {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        files.extend(entries.map(|entry| entry.unwrap().path()).filter(|path| path.is_file()));
    }
    files.sort();
    files
}

#[test]
fn every_corpus_and_regression_input_imports_or_is_refused_by_name_without_panicking() {
    let files = inputs();
    assert!(files.len() >= 10, "the corpus holds the fixtures");
    let (mut imported, mut panicked) = (0, Vec::new());
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        match std::panic::catch_unwind(|| import_pipeline::run(text, path)) {
            Ok(Ok(made)) => imported += usize::from(made.networks > 0 || made.machines > 0 || made.skipped > 0),
            Ok(Err(error)) => {
                assert!(error.to_string().contains(&path.display().to_string()) || matches!(error, drplan::import::ImportError::Options(_)), "{error}")
            }
            Err(_) => panicked.push(path.clone()),
        }
    }
    assert!(panicked.is_empty(), "panicked on {panicked:?}");
    assert!(imported >= 3, "the corpus's full estates import ({imported})");
}
