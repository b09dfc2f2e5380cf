//! The layers of docs/architecture.md, kept by a test: the core never imports a front end (the
//! app, the CLI) nor a GUI crate, and each core module imports only the modules below it.
//!
//! It reads the sources, so a new `use` that breaks a layer fails here before review; code under
//! `#[cfg(test)]` at the end of a file (unit tests) may use anything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The core modules by layer: a module may import its own layer's modules only where listed in
/// `SAME_LAYER`, and any module of a lower layer.
const LAYERS: &[(&str, u8)] = &[
    ("model", 0),
    ("io", 1),
    ("scenario", 1),
    ("synth", 1),
    ("edit", 2),
    ("validate", 2),
    ("simulate", 2),
    ("recovery", 3),
    ("links", 3),
    ("fragment", 3),
    ("replay", 4),
    ("export", 5),
    ("import", 6),
    ("mirror", 7),
];

/// The front ends: only they may use these, and nothing in the core may use them.
const FRONT_ENDS: &[&str] = &["app", "cli"];
const GUI_CRATES: &[&str] = &["egui", "eframe", "egui_graphs", "rfd"];

fn rust_files(directory: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/validate/retention.rs` → `validate`).
fn module_of(source: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(source).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// The code of a file without its unit tests and without comments.
fn code_of(text: &str) -> String {
    let without_tests = text.split("\n#[cfg(test)]").next().unwrap_or(text);
    without_tests
        .lines()
        .map(|line| {
            // A `//` outside a string (an even number of quotes before it) starts a comment.
            let comment = line.match_indices("//").map(|(position, _)| position).find(|&position| line[..position].matches('"').count() % 2 == 0);
            comment.map_or(line, |position| &line[..position])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::module` a piece of code names, and every GUI crate it names as a path
/// (`egui::`, `use eframe`).
fn crate_modules_named(code: &str) -> Vec<String> {
    let mut named = Vec::new();
    let mut rest = code;
    while let Some(position) = rest.find("crate::") {
        let after = &rest[position + "crate::".len()..];
        let name: String = after.chars().take_while(|character| character.is_ascii_alphanumeric() || *character == '_').collect();
        named.push(name);
        rest = after;
    }
    // `use crate::{model::Plan, validate}` names modules inside braces.
    rest = code;
    while let Some(position) = rest.find("crate::{") {
        let after = &rest[position + "crate::{".len()..];
        let inside = &after[..after.find('}').unwrap_or(after.len())];
        for part in inside.split(',') {
            let name: String = part.trim().chars().take_while(|character| character.is_ascii_alphanumeric() || *character == '_').collect();
            if !name.is_empty() {
                named.push(name);
            }
        }
        rest = after;
    }
    named
}

fn names_gui_crate(code: &str) -> Option<&'static str> {
    GUI_CRATES.iter().copied().find(|krate| {
        code.match_indices(krate).any(|(position, _)| {
            let before = code[..position].chars().next_back();
            let after = &code[position + krate.len()..];
            let starts_word = before.is_none_or(|character| !(character.is_ascii_alphanumeric() || character == '_' || character == ':'));
            starts_word && (after.starts_with("::") || after.starts_with(';'))
        })
    })
}

/// Every breach of the layers in the sources under `source`.
fn breaches(source: &Path) -> Vec<String> {
    let layers: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(source, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let module = module_of(source, &file);
        let Some(&layer) = layers.get(module.as_str()) else { continue };
        let code = code_of(&fs::read_to_string(&file).unwrap());
        let shown = file.strip_prefix(source).unwrap().display().to_string();
        if let Some(krate) = names_gui_crate(&code) {
            found.push(format!("src/{shown}: the core module {module} uses {krate}"));
        }
        for named in crate_modules_named(&code) {
            if named == module {
                continue;
            }
            if FRONT_ENDS.contains(&named.as_str()) {
                found.push(format!("src/{shown}: the core module {module} imports the front end {named}"));
            } else if let Some(&other) = layers.get(named.as_str())
                && other >= layer
            {
                found.push(format!("src/{shown}: {module} (layer {layer}) imports {named} (layer {other}), which is not below it"));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_core_imports_no_front_end_and_only_lower_layers() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = breaches(&source);
    assert!(found.is_empty(), "layer breaches:\n{}", found.join("\n"));
}

#[test]
fn every_module_of_the_crate_has_a_layer_or_is_a_front_end() {
    let lib = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines().filter_map(|line| line.trim().strip_prefix("pub mod ")) {
        let module = line.trim_end_matches(';');
        assert!(LAYERS.iter().any(|(name, _)| *name == module) || FRONT_ENDS.contains(&module), "{module} is missing from LAYERS");
    }
}

/// The check itself catches what it is for: a core file that imports the app, the CLI, egui or
/// a module above it.
#[test]
fn the_check_catches_a_core_module_that_imports_upwards() {
    let source = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = source.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write("model/mod.rs", "use crate::validate::Severity;\n");
    write("edit.rs", "use crate::{app::Document, model::Plan};\n");
    write("export/scene.rs", "fn paint(ui: &mut egui::Ui) {}\n");
    write("simulate.rs", "use crate::cli::prefix_count;\n#[cfg(test)]\nmod tests { use crate::synth; }\n");
    write("validate/mod.rs", "use crate::model::Plan; // crate::app in a comment\n#[cfg(test)]\nmod tests { use crate::export; }\n");
    let found = breaches(source.path());
    assert_eq!(
        found,
        vec![
            "src/edit.rs: the core module edit imports the front end app",
            "src/export/scene.rs: the core module export uses egui",
            "src/model/mod.rs: model (layer 0) imports validate (layer 2), which is not below it",
            "src/simulate.rs: the core module simulate imports the front end cli",
        ]
    );
}
