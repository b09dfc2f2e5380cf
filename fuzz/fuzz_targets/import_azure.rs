//! Arbitrary bytes as Azure JSON handed to `drplan import azure`: import, and for what imports
//! check, save and reload, validate and propose the recovery side. See `docs/fuzzing.md`; the
//! pipeline lives in `fuzz/import_pipeline.rs`, shared with `tests/fuzz_import.rs`.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

#[path = "../import_pipeline.rs"]
mod import_pipeline;

fuzz_target!(|data: &[u8]| {
    // Input files are read as UTF-8; anything else is refused before parsing.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = import_pipeline::run(text, Path::new("fuzz.json"));
});
