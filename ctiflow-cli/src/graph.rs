//! `ctiflow graph`: a flow as a picture. Blocks are labelled with their title (or their type's
//! name) and id, ports are labelled edges (`failure` and `false` dotted), unreachable blocks
//! are greyed, blocks with errors are outlined in red, and with a scenario the path the run
//! took is highlighted.
//!
//! Every string from the flow reaches the picture as text: characters other than letters,
//! digits, spaces and plain punctuation are written as Mermaid entities (`#35;`), so a title
//! cannot add markup, links or statements.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;
use ctiflow_codegen::catalog::{self, Port};
use ctiflow_codegen::{Analysis, analyze};
use ctiflow_dynamic::{DynamicFlow, LoadOptions};
use ctiflow_runtime::scenario::Scenarios;

use crate::options::FlowOptions;
use crate::{OK, USAGE};

/// Arguments of `ctiflow graph`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    flow: FlowOptions,
    /// The picture's format.
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    format: Format,
    /// A scenario file whose case's path is highlighted.
    #[arg(long, value_name = "FILE", requires = "case")]
    scenario: Option<PathBuf>,
    /// The case of the scenario file.
    #[arg(long, value_name = "NAME", requires = "scenario")]
    case: Option<String>,
    /// The exported flow file.
    #[arg(value_name = "FLOW")]
    file: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A Mermaid flowchart (GitHub renders it in Markdown).
    Mermaid,
}

/// The steps a run took: (block id, port) pairs and the blocks it ran.
#[derive(Default)]
struct Path {
    blocks: BTreeSet<String>,
    edges: BTreeSet<(String, &'static str)>,
}

pub fn run(args: &Args) -> u8 {
    match draw(args) {
        Ok(picture) => {
            out!("{picture}");
            OK
        }
        Err(message) => {
            errln!("error: {message}");
            USAGE
        }
    }
}

fn draw(args: &Args) -> Result<String, String> {
    let options = args.flow.to_options()?;
    let name = args.file.display().to_string();
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let analysis = analyze(&text, &options);
    let path = match (&args.scenario, &args.case) {
        (Some(file), Some(case)) => taken(&text, &options, file, case)?,
        _ => Path::default(),
    };
    mermaid(&analysis, &path)
        .ok_or_else(|| format!("{name} is not a flow: run `ctiflow check` on it"))
}

/// The path the scenario case `case` of `file` takes through the flow.
fn taken(
    text: &str,
    options: &ctiflow_codegen::Options,
    file: &PathBuf,
    case: &str,
) -> Result<Path, String> {
    let shown = file.display().to_string();
    let scenarios_text =
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let scenarios = Scenarios::parse(&scenarios_text)
        .map_err(|e| crate::run::located(&shown, &scenarios_text, &e))?;
    let case = scenarios
        .case(case)
        .ok_or_else(|| format!("{shown} has no case `{case}`"))?;
    let mut options = options.clone();
    if options.trigger.is_none() {
        options.trigger = scenarios.trigger();
    }
    let flow = DynamicFlow::load(text, &LoadOptions::from(options))
        .map_err(|e| format!("the flow does not load, so no path can be drawn: {e}"))?;
    let trigger = case.trigger_or(scenarios.trigger().or(flow.trigger()))?;
    let sandbox = case.sandbox();
    let run = pollster::block_on(flow.run(&sandbox, &case.event(trigger)?, &case.limits()));
    let mut path = Path::default();
    for step in &run.trace {
        path.blocks.insert(step.block.to_string());
        if let Some(port) = step.port {
            path.edges.insert((step.block.to_string(), port));
        }
    }
    Ok(path)
}

/// The flowchart, or `None` when the text is not a flow.
fn mermaid(analysis: &Analysis, path: &Path) -> Option<String> {
    let flow = analysis.flow.as_ref()?;
    let graph = analysis.graph.as_ref()?;
    let with_errors: BTreeSet<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.block.as_deref())
        .collect();
    let mut out = String::from("flowchart TD\n");
    let mut classes: [(&str, Vec<String>); 3] = [
        ("unreachable", Vec::new()),
        ("error", Vec::new()),
        ("taken", Vec::new()),
    ];
    for (i, action) in flow.actions.iter().enumerate() {
        let kind = action
            .type_id
            .as_deref()
            .and_then(catalog::lookup)
            .map_or(action.type_id.as_deref().unwrap_or("?"), |b| b.display_name);
        let label = match &action.title {
            Some(title) => format!("{}<br>{}", text(title), text(&action.id)),
            None => format!("{}<br>{}", text(kind), text(&action.id)),
        };
        let _ = writeln!(out, "    n{i}[\"{label}\"]");
        if !graph.is_reachable(i) {
            classes[0].1.push(format!("n{i}"));
        }
        if with_errors.contains(action.id.as_str()) {
            classes[1].1.push(format!("n{i}"));
        }
        if path.blocks.contains(&action.id) {
            classes[2].1.push(format!("n{i}"));
        }
    }
    let mut taken_links = Vec::new();
    let mut link = 0;
    for (i, edges) in graph.edges.iter().enumerate() {
        for edge in edges {
            let arrow = match edge.port {
                Port::Failure | Port::False => "-.->",
                _ => "-->",
            };
            let port = edge.port.name();
            let _ = writeln!(out, "    n{i} {arrow}|{port}| n{}", edge.to);
            if path.edges.contains(&(flow.actions[i].id.clone(), port)) {
                taken_links.push(link.to_string());
            }
            link += 1;
        }
    }
    out.push_str("    classDef unreachable fill:#eeeeee,color:#888888,stroke-dasharray:4 3\n");
    out.push_str("    classDef error stroke:#cc0000,stroke-width:3px\n");
    out.push_str("    classDef taken fill:#ddf5dd\n");
    for (class, nodes) in &classes {
        if !nodes.is_empty() {
            let _ = writeln!(out, "    class {} {class}", nodes.join(","));
        }
    }
    if !taken_links.is_empty() {
        let _ = writeln!(
            out,
            "    linkStyle {} stroke:#2a8f2a,stroke-width:3px",
            taken_links.join(",")
        );
    }
    Some(out)
}

/// Flow text as Mermaid label text: letters, digits, spaces and plain punctuation as they
/// are, everything else as an entity, so no string can close the label or add markup.
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_alphanumeric() || " -_.,:/()'?!".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn labels_hold_text_only() {
        assert_eq!(text("Caller's number"), "Caller's number");
        assert_eq!(
            text("\"]; click n0 href \"javascript:x\" <b>"),
            "#34;#93;#59; click n0 href #34;javascript:x#34; #60;b#62;"
        );
        assert_eq!(text("受付\n2"), "受付#10;2");
    }
}
