//! The `drplan` binary: with no subcommand it opens the desktop window (on a plan file if one is
//! given); subcommands run headless for scripts and CI.

#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;

use clap::Parser;
use drplan::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, &mut std::io::stdout(), &mut std::io::stderr()),
        None => match drplan::app::run(cli.file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::FAILURE
            }
        },
    }
}
