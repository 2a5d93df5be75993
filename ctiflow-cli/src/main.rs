//! The `ctiflow` command line.

/// Writes to standard output; a closed pipe (`ctiflow ... | head`) ends the output quietly,
/// where `print!` would panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`out!`] with a newline.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Writes to standard error, ignoring a closed stream.
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// [`err!`] with a newline.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod check;
mod generate;
mod graph;
mod inventory;
mod options;
mod project;
mod run;
mod sarif;
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
    /// Draw a flow (Mermaid), with the path a scenario case takes highlighted.
    Graph(graph::Args),
    /// The Open CTI retirement audit of flows (or of the project): where each block can run,
    /// the Open CTI calls, what is written to Salesforce.
    Inventory(inventory::Args),
    /// Print the JSON Schema of a file format, for editors (`scenario`).
    Schema {
        /// The format.
        #[arg(value_enum)]
        format: SchemaFormat,
    },
}

/// A file format with a JSON Schema.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum SchemaFormat {
    /// Scenario files (`ctiflow run --scenario`, `ctiflow test`).
    Scenario,
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
        Command::Graph(args) => graph::run(&args),
        Command::Inventory(args) => inventory::run(&args),
        Command::Schema {
            format: SchemaFormat::Scenario,
        } => {
            let schema = ctiflow_runtime::scenario::schema();
            outln!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            );
            OK
        }
    };
    ExitCode::from(status)
}
