//! The `drplan` binary: with no subcommand it opens the desktop window (on a plan file if one is
//! given); subcommands run headless for scripts and CI.

use std::process::ExitCode;

use clap::Parser;
use drplan::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, &mut std::io::stdout(), &mut std::io::stderr()),
        None => open_window(cli.file),
    }
}

#[cfg(feature = "gui")]
fn open_window(file: Option<std::path::PathBuf>) -> ExitCode {
    match drplan::app::run(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// A headless build (`--no-default-features`) has every subcommand but not the window.
#[cfg(not(feature = "gui"))]
fn open_window(_file: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!("error: this drplan was built without the desktop window (cargo feature \"gui\"); run a subcommand, see drplan --help");
    ExitCode::from(2)
}
