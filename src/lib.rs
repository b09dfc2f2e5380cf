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

/// Gives the memory the allocator holds freed back to the system now, on every core, instead
/// of after its usual delay: for the end of a phase that freed much at once (the pieces of a
/// large file read, `io::load`), so the next phase's memory does not come on top of it.
pub(crate) fn return_freed_memory() {
    let collect = || {
        // SAFETY: mi_collect takes no pointer and only frees what no allocation uses; it may be
        // called from any thread at any time.
        unsafe { libmimalloc_sys::mi_collect(true) }
    };
    rayon::broadcast(|_| collect());
    collect();
}
