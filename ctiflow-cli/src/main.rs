//! The `ctiflow` command line.

mod check;
mod generate;
mod options;
mod project;
mod run;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Compile, check and inspect Amazon Connect CTI Flows.
#[derive(Debug, Parser)]
#[command(name = "ctiflow", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check exported flows and report every diagnostic.
    Check(check::Args),
    /// Print the Rust module a flow compiles to (pretty-printed).
    Gen(generate::Args),
    /// Run a flow on the sandbox a scenario describes, and print each step and the effects.
    Run(run::Args),
    /// Run every case of scenario files, check what they expect, and report edge coverage.
    Test(test::Args),
}

/// Exit status when there is no error.
const OK: u8 = 0;
/// Exit status when a flow has errors.
const FLOW_ERRORS: u8 = 1;
/// Exit status for usage and I/O problems.
const USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { USAGE } else { OK });
        }
    };
    let status = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Gen(args) => generate::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Test(args) => test::run(&args),
    };
    ExitCode::from(status)
}
