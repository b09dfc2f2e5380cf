//! `drplan import azure`, `drplan import csv` and `drplan mirror`: start a plan from what already
//! runs, and propose its recovery side.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{exit, report_text};
use crate::import::{self, AzureOptions, CsvOptions};
use crate::io;
use crate::mirror::{self, AddressSpace, MirrorOptions};

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Build a plan from Azure's own description of an estate: the JSON of `az network vnet list`,
    /// `vnet-gateway list`, `vpn-connection list`, `local-gateway list`, `express-route list`,
    /// `nic list`, `route-table list`, `public-ip list` (one file each, or concatenated), or
    /// Azure Resource Graph pages (`az graph query`). No credential is needed; shared keys in
    /// the input are never read. Exit code 2: an input that is not such JSON.
    Azure {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The plan file to write.
        #[arg(long)]
        out: PathBuf,
        /// The primary region (eastasia or "East Asia"); else the one with the most VNets.
        #[arg(long)]
        primary: Option<String>,
        /// The recovery region; else the one with the second most VNets.
        #[arg(long)]
        recovery: Option<String>,
        /// The plan's name (default: the output file's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Add the machines of an on-premises inventory (CSV with a header: name, IP, subnet prefix
    /// or name, allocation, application, tier, recovery group, infrastructure roles) to a site of
    /// a plan.
    Csv {
        file: PathBuf,
        /// The site, by id or name.
        #[arg(long)]
        site: String,
        /// The plan to add them to.
        #[arg(long)]
        plan: PathBuf,
        /// Where to write the result (default: the plan itself).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `--address-space same`, or `--address-space offset N`.
pub fn address_space(words: &[String]) -> Result<AddressSpace, String> {
    match words {
        [same] if same == "same" => Ok(AddressSpace::Same),
        [offset, number] if offset == "offset" => {
            number.parse::<u8>().map(AddressSpace::Offset).map_err(|_| format!("offset {number}: give a number from 0 to 255"))
        }
        [word] if word.starts_with("offset") => {
            address_space(&["offset".to_owned(), word.trim_start_matches("offset").trim_start_matches(['=', ':']).to_owned()])
        }
        _ => Err(format!("--address-space {}: write `same` or `offset N`", words.join(" "))),
    }
}

fn plan_name(out: &Path) -> String {
    crate::export::diagram::plan_stem(out)
}

/// Prints the findings of a plan made by an import or a mirror, as `validate` does.
fn findings(plan: &crate::model::Plan, file: &Path, out: &mut dyn Write) {
    let report = crate::validate::validate(plan);
    let _ = write!(out, "{}", report_text(file, &report));
}

pub fn import(source: ImportSource, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (imported, path) = match source {
        ImportSource::Azure { files, out: path, primary, recovery, name } => {
            let options = AzureOptions { name: name.unwrap_or_else(|| plan_name(&path)), primary, recovery };
            let imported = import::read_inputs(&files).and_then(|inputs| import::azure(&inputs, &options));
            (imported, path)
        }
        ImportSource::Csv { file, site, plan, out: path } => {
            let existing = match io::load(&plan) {
                Ok(existing) => existing,
                Err(error) => {
                    let _ = writeln!(err, "error: {error}");
                    return exit::UNREADABLE;
                }
            };
            let imported = import::read_inputs(std::slice::from_ref(&file)).and_then(|inputs| {
                import::csv_inventory(&existing, &file, &inputs.first().map(|input| input.text.clone()).unwrap_or_default(), &CsvOptions { site })
            });
            (imported, path.unwrap_or(plan))
        }
    };
    let imported = match imported {
        Ok(imported) => imported,
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            return exit::UNREADABLE;
        }
    };
    if let Err(error) = io::save(&imported.plan, &path) {
        let _ = writeln!(err, "error: {error}");
        return exit::UNREADABLE;
    }
    let _ = writeln!(out, "wrote {}", path.display());
    let _ = write!(out, "{}", imported.summary.text());
    findings(&imported.plan, &path, out);
    exit::OK
}

pub fn mirror_file(file: &Path, from: String, to: String, space: &[String], out_path: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let address_space = match address_space(space) {
        Ok(space) => space,
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            return exit::USAGE;
        }
    };
    let plan = match io::load(file) {
        Ok(plan) => plan,
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            return exit::UNREADABLE;
        }
    };
    let mirrored = match mirror::mirror(&plan, &MirrorOptions { from, to, address_space }) {
        Ok(mirrored) => mirrored,
        Err(error) => {
            let _ = writeln!(err, "error: {}: {error}", file.display());
            return exit::USAGE;
        }
    };
    let path = out_path.unwrap_or(file);
    if let Err(error) = io::save(&mirrored.plan, path) {
        let _ = writeln!(err, "error: {error}");
        return exit::UNREADABLE;
    }
    let created: Vec<String> = mirrored.created.iter().map(|(what, count)| format!("{count} {what}")).collect();
    let _ = writeln!(out, "wrote {}\nCreated: {}", path.display(), created.join(", "));
    if !mirrored.findings.is_empty() {
        let _ = writeln!(out, "Not decided:");
        for finding in &mirrored.findings {
            let _ = writeln!(out, "  {finding}");
        }
    }
    findings(&mirrored.plan, path, out);
    exit::OK
}
