//! drplan: a planner for disaster-recovery network layouts.
//!
//! The core (`model`, `io`, `scenario`, `edit`, `validate`, `simulate`, `recovery`, `export`, and
//! `import` and `mirror` on top) knows nothing of egui; `app` is the desktop front end (cargo
//! feature `gui`) and `cli` the headless one, both thin layers over the core. The layers and what
//! each may import: docs/architecture.md, kept by tests/layers.rs.

// No unwrap or expect outside tests (clippy.toml lets `#[cfg(test)]` code use them): a failure
// is an error with its file, element and field, never a panic.
#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod edit;
pub mod export;
pub mod fragment;
pub mod import;
pub mod io;
pub mod links;
pub(crate) mod memory;
pub mod mirror;
pub mod model;
pub mod recovery;
pub mod replay;
pub mod scenario;
pub mod simulate;
pub mod synth;
pub mod validate;

/// mimalloc for the app, the CLI, the tests and the benchmarks alike (they all link this
/// library): a validation of a large plan makes and frees hundreds of thousands of small
/// vectors and strings, and glibc's allocator took a third of its time (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
