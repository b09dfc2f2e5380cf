//! Arbitrary bytes as a plan file: load, and for what loads validate, save and reload, simulate
//! every scenario, build its recovery plan and render every in-memory export. See
//! `docs/fuzzing.md`; the pipeline lives in `fuzz/pipeline.rs`, shared with
//! `tests/fuzz_regressions.rs`.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

#[path = "../pipeline.rs"]
mod pipeline;

fuzz_target!(|data: &[u8]| {
    // Plan files are UTF-8 text; `io::load` refuses anything else before parsing.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = pipeline::run(text, Path::new("fuzz.drplan.json"));
});
