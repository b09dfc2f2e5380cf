//! Every input in `tests/fuzz-regressions/` replayed through the fuzz target's pipeline (load,
//! validate, save and reload, simulate every scenario, recovery plan, exports, deletions): none
//! may panic, and one that does not load must get an error that names its file. How inputs get
//! here: `docs/fuzzing.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../fuzz/pipeline.rs"]
mod pipeline;

use std::path::{Path, PathBuf};

fn regression_inputs() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fuzz-regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// What one input did: loaded (with what it ran) or the load error's message.
fn replay(path: &Path) -> Result<pipeline::Ran, String> {
    let bytes = std::fs::read(path).unwrap();
    // The fuzz target skips bytes that are not UTF-8; loading such a file is an I/O error.
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(drplan::io::load(path).expect_err("non-UTF-8 text does not load").to_string());
    };
    pipeline::run(text, path).map_err(|error| error.to_string())
}

#[test]
fn every_regression_input_runs_the_whole_pipeline_without_panicking() {
    let files = regression_inputs();
    assert!(!files.is_empty(), "tests/fuzz-regressions holds no inputs");
    let mut panicked = Vec::new();
    let mut loaded_with_scenarios = 0;
    for path in &files {
        match std::panic::catch_unwind(|| replay(path)) {
            Ok(Ok(ran)) => {
                if ran.scenarios > 0 {
                    loaded_with_scenarios += 1;
                    assert!(ran.steps > 0, "{}: a simulated scenario gave a recovery plan with no steps", path.display());
                }
            }
            Ok(Err(message)) => {
                let name = path.display().to_string();
                assert!(message.starts_with(&name), "{name}: the load error does not name the file: {message}");
            }
            Err(_) => panicked.push(path.display().to_string()),
        }
    }
    assert!(panicked.is_empty(), "these inputs panic (see the messages above): {panicked:#?}");
    assert!(loaded_with_scenarios > 0, "no regression input loads with a scenario, so the pipeline past loading is not replayed");
}
