//! `ctiflow check`: report every diagnostic of each file.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;
use ctiflow_codegen::render::{Source, render};
use ctiflow_codegen::{Diagnostic, LineIndex, Severity, analyze};
use serde_json::json;

use crate::options::FlowOptions;
use crate::project;
use crate::sarif;
use crate::{FLOW_ERRORS, OK, USAGE};

/// Arguments of `ctiflow check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    flow: FlowOptions,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The exported flow files; without any, the flows of the project (`ctiflow.toml`, found
    /// from the current directory upward), each with its own trigger and lint levels.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Annotated snippets, like rustc, on standard error.
    Human,
    /// One JSON document on standard output.
    Json,
    /// SARIF 2.1.0 on standard output, for code-scanning services.
    Sarif,
}

pub fn run(args: &Args) -> u8 {
    let targets = match project::flows(&args.files, &args.flow) {
        Ok(targets) => targets,
        Err(e) => {
            errln!("error: {e}");
            return USAGE;
        }
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut status = OK;
    let mut reports = Vec::new();
    let mut sarif_results = Vec::new();
    for (file, options) in &targets {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                let message = format!("cannot read {name}: {e}");
                match args.format {
                    Format::Human => errln!("error: {message}"),
                    // The file is reported like any other, with one diagnostic of code `io`.
                    Format::Json => reports.push(json!({
                        "file": name,
                        "diagnostics": [{
                            "severity": "error", "code": "io", "message": message,
                            "block": null, "line": null, "column": null, "span": null,
                            "notes": [], "help": "check the path and the file's permissions",
                        }],
                    })),
                    Format::Sarif => sarif_results.push(sarif::unreadable(&name, &message)),
                }
                status = USAGE;
                continue;
            }
        };
        let analysis = analyze(&text, options);
        if analysis.has_errors() && status == OK {
            status = FLOW_ERRORS;
        }
        match args.format {
            Format::Human => {
                let source = Source::new(&name, &text);
                err!("{}", render(&source, &analysis.diagnostics, color));
                errln!("{name}: {}", summary(&analysis.diagnostics));
            }
            Format::Json => {
                let index = LineIndex::new(&text);
                reports.push(json!({
                    "file": name,
                    "diagnostics": analysis.diagnostics.iter().map(|d| to_json(&index, d)).collect::<Vec<_>>(),
                }));
            }
            Format::Sarif => {
                sarif_results.extend(sarif::results(&name, &text, &analysis.diagnostics));
            }
        }
    }
    match args.format {
        Format::Json => outln!("{}", json!({ "files": reports })),
        Format::Sarif => outln!("{}", sarif::log(sarif_results)),
        Format::Human => {}
    }
    status
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn to_json(index: &LineIndex, d: &Diagnostic) -> serde_json::Value {
    let pos = d.span.map(|s| index.line_col(s.start));
    json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "code": d.code.as_str(),
        "message": d.message,
        "block": d.block,
        "line": pos.map(|p| p.line),
        "column": pos.map(|p| p.column),
        "span": d.span.map(|s| [s.start, s.end]),
        "notes": d.notes.iter().map(|n| &n.message).collect::<Vec<_>>(),
        "help": d.help,
    })
}
