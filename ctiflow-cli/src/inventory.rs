//! `ctiflow inventory`: the Open CTI retirement audit, per flow and for the whole project, as
//! Markdown, JSON or CSV (`ctiflow_front::inventory` computes it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;
use ctiflow_codegen::analyze;
use ctiflow_codegen::catalog::Portability;
use ctiflow_codegen::inventory::{Inventory, inventory};
use serde_json::json;

use crate::options::FlowOptions;
use crate::project;
use crate::{OK, USAGE};

/// Arguments of `ctiflow inventory`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    flow: FlowOptions,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Exported flow files; without any, the project's flows (`ctiflow.toml`).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Markdown: a section per flow, then the project.
    Md,
    /// One JSON document.
    Json,
    /// One row per block.
    Csv,
}

pub fn run(args: &Args) -> u8 {
    let targets = project::flows(&args.files, &args.flow);
    let targets = match targets {
        Ok(targets) => targets,
        Err(e) => {
            errln!("error: {e}");
            return USAGE;
        }
    };
    let mut audits = Vec::new();
    for (file, options) in &targets {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                errln!("error: cannot read {name}: {e}");
                return USAGE;
            }
        };
        let analysis = analyze(&text, options);
        let (Some(flow), Some(graph)) = (&analysis.flow, &analysis.graph) else {
            errln!("error: {name} is not a flow: run `ctiflow check` on it");
            return USAGE;
        };
        audits.push((name, inventory(flow, graph, options.trigger)));
    }
    match args.format {
        Format::Md => out!("{}", markdown(&audits)),
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "flows": audits.iter().map(|(file, inv)| json!({"file": file, "inventory": inv})).collect::<Vec<_>>(),
                "summary": summary(&audits),
            }))
            .unwrap_or_default()
        ),
        Format::Csv => out!("{}", csv(&audits)),
    }
    OK
}

/// The whole project: blocks per class, flows that need the browser, calls and writes.
fn summary(audits: &[(String, Inventory)]) -> serde_json::Value {
    let mut classes: BTreeMap<&str, usize> =
        Portability::ALL.iter().map(|p| (p.name(), 0)).collect();
    let mut calls: BTreeMap<&str, usize> = BTreeMap::new();
    let mut writes: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut browser = Vec::new();
    for (file, inv) in audits {
        let mut needs_browser = inv
            .server_signal
            .as_ref()
            .is_some_and(|s| s.fidelity == "none");
        for block in inv.blocks.iter().filter(|b| b.reachable) {
            if let Some(class) = block.portability {
                *classes.entry(class).or_default() += 1;
                needs_browser |= class == Portability::BrowserOnly.name();
            }
        }
        for (call, n) in &inv.open_cti {
            *calls.entry(call).or_default() += n;
        }
        for (sobject, fields) in &inv.writes {
            writes
                .entry(sobject)
                .or_default()
                .extend(fields.iter().map(String::as_str));
        }
        if needs_browser {
            browser.push(file.as_str());
        }
    }
    json!({
        "flows": audits.len(),
        "blocks_by_portability": classes,
        "flows_needing_the_browser": browser,
        "open_cti": calls,
        "writes": writes,
    })
}

/// User text in a Markdown table cell: inline markup and `|` escaped, line breaks as spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push(' ');
            continue;
        }
        if "\\`*_[]<>&~|#!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn markdown(audits: &[(String, Inventory)]) -> String {
    let mut out = String::from("# Open CTI inventory\n");
    for (file, inv) in audits {
        let _ = writeln!(out, "\n## {}\n", md(file));
        match (&inv.trigger, &inv.server_signal) {
            (Some(trigger), Some(signal)) => {
                let event = signal.event.map_or(String::new(), |e| format!(": {e}"));
                let _ = writeln!(
                    out,
                    "Trigger {trigger}; server-side signal: {}{event}.\n",
                    signal.fidelity
                );
            }
            _ => out.push_str("No trigger given.\n\n"),
        }
        out.push_str("| block | type | runs | reachable |\n|---|---|---|---|\n");
        for block in &inv.blocks {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&block.id),
                md(block.name.unwrap_or(&block.type_id)),
                block.portability.unwrap_or("unknown type"),
                if block.reachable { "yes" } else { "no" }
            );
        }
        let calls: Vec<String> = inv
            .open_cti
            .iter()
            .map(|(c, n)| format!("{c} ×{n}"))
            .collect();
        let _ = writeln!(
            out,
            "\nOpen CTI calls: {}.",
            if calls.is_empty() {
                "none".to_owned()
            } else {
                calls.join(", ")
            }
        );
        if inv.writes.is_empty() {
            out.push_str("Writes: nothing.\n");
        }
        for (sobject, fields) in &inv.writes {
            let fields: Vec<String> = fields.iter().map(|f| md(f)).collect();
            let _ = writeln!(out, "Writes {}: {}.", md(sobject), fields.join(", "));
        }
        if !inv.unknown_types.is_empty() {
            let types: Vec<String> = inv.unknown_types.iter().map(|t| md(t)).collect();
            let _ = writeln!(out, "Unknown block types: {}.", types.join(", "));
        }
    }
    let summary = summary(audits);
    let _ = writeln!(out, "\n## Project\n\n| runs | blocks |\n|---|---:|");
    if let Some(classes) = summary["blocks_by_portability"].as_object() {
        for (class, n) in classes {
            let _ = writeln!(out, "| {class} | {n} |");
        }
    }
    let browser: Vec<String> = summary["flows_needing_the_browser"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str().map(md))
        .collect();
    let _ = writeln!(
        out,
        "\nFlows that need the agent's browser ({} of {}): {}.",
        browser.len(),
        audits.len(),
        if browser.is_empty() {
            "none".to_owned()
        } else {
            browser.join(", ")
        }
    );
    out
}

/// A cell a spreadsheet will not read as a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn csv(audits: &[(String, Inventory)]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "file",
        "trigger",
        "block",
        "type",
        "name",
        "portability",
        "reachable",
    ]);
    for (file, inv) in audits {
        for block in &inv.blocks {
            let _ = writer.write_record([
                cell(file),
                inv.trigger.clone().unwrap_or_default(),
                cell(&block.id),
                cell(&block.type_id),
                block.name.unwrap_or_default().to_owned(),
                block.portability.unwrap_or("unknown type").to_owned(),
                block.reachable.to_string(),
            ]);
        }
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}
