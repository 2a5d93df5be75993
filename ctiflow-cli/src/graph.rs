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
use ctiflow_codegen::catalog::Port;
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
    /// Graphviz DOT.
    Dot,
    /// An SVG image.
    Svg,
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
    let picture = picture(&analysis, &path)
        .ok_or_else(|| format!("{name} is not a flow: run `ctiflow check` on it"))?;
    match args.format {
        Format::Mermaid => Ok(mermaid(&picture)),
        Format::Dot => Ok(dot(&picture)),
        // The layout library is not ours: should it panic on some graph, the user gets an
        // error rather than a crash (and not the panic's message).
        Format::Svg => {
            let hook = std::panic::take_hook();
            std::panic::set_hook(Box::new(|_| {}));
            let drawn = std::panic::catch_unwind(|| svg(&picture));
            std::panic::set_hook(hook);
            drawn.map_err(|_| format!("{name}: the SVG layout failed; try --format mermaid"))
        }
    }
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

/// A flow as a picture, whatever draws it.
struct Picture {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

struct Node {
    /// Its title (or its type's name), and its id.
    title: String,
    id: String,
    unreachable: bool,
    error: bool,
    taken: bool,
}

struct Edge {
    from: usize,
    to: usize,
    port: &'static str,
    /// `failure` and `false`: drawn dotted.
    dotted: bool,
    taken: bool,
}

/// The picture of the flow, or `None` when the text is not a flow.
fn picture(analysis: &Analysis, path: &Path) -> Option<Picture> {
    let flow = analysis.flow.as_ref()?;
    let graph = analysis.graph.as_ref()?;
    let with_errors: BTreeSet<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.block.as_deref())
        .collect();
    let nodes = flow
        .actions
        .iter()
        .enumerate()
        .map(|(i, action)| {
            let kind = graph.blocks[i]
                .map_or(action.type_id.as_deref().unwrap_or("?"), |b| b.display_name);
            Node {
                title: action.title.clone().unwrap_or_else(|| kind.to_owned()),
                id: action.id.clone(),
                unreachable: !graph.is_reachable(i),
                error: with_errors.contains(action.id.as_str()),
                taken: path.blocks.contains(&action.id),
            }
        })
        .collect();
    let edges = graph
        .edges
        .iter()
        .enumerate()
        .flat_map(|(from, edges)| {
            edges.iter().map(move |edge| {
                let port = edge.port.name();
                Edge {
                    from,
                    to: edge.to,
                    port,
                    dotted: matches!(edge.port, Port::Failure | Port::False),
                    taken: path.edges.contains(&(flow.actions[from].id.clone(), port)),
                }
            })
        })
        .collect();
    Some(Picture { nodes, edges })
}

/// The picture as a Mermaid flowchart.
fn mermaid(picture: &Picture) -> String {
    let mut out = String::from("flowchart TD\n");
    let mut classes: [(&str, Vec<String>); 3] = [
        ("unreachable", Vec::new()),
        ("error", Vec::new()),
        ("taken", Vec::new()),
    ];
    for (i, node) in picture.nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "    n{i}[\"{}<br>{}\"]",
            text(&node.title),
            text(&node.id)
        );
        for (class, on) in [(0, node.unreachable), (1, node.error), (2, node.taken)] {
            if on {
                classes[class].1.push(format!("n{i}"));
            }
        }
    }
    let mut taken = Vec::new();
    for (link, edge) in picture.edges.iter().enumerate() {
        let arrow = if edge.dotted { "-.->" } else { "-->" };
        let _ = writeln!(
            out,
            "    n{} {arrow}|{}| n{}",
            edge.from, edge.port, edge.to
        );
        if edge.taken {
            taken.push(link.to_string());
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
    if !taken.is_empty() {
        let _ = writeln!(
            out,
            "    linkStyle {} stroke:#2a8f2a,stroke-width:3px",
            taken.join(",")
        );
    }
    out
}

/// The picture as Graphviz DOT.
fn dot(picture: &Picture) -> String {
    // Inside a DOT string: `"` and `\` escaped (Graphviz reads `\n`, `\l`... as escapes),
    // controls as spaces, so flow text stays one label.
    let escaped = |raw: &str| -> String {
        let mut out = String::with_capacity(raw.len());
        for c in raw.chars() {
            match c {
                '"' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
        out
    };
    let mut out = String::from(
        "digraph flow {\n    node [shape=box, style=\"rounded,filled\", fillcolor=white];\n",
    );
    for (i, node) in picture.nodes.iter().enumerate() {
        let mut attributes = format!("label=\"{}\\n{}\"", escaped(&node.title), escaped(&node.id));
        if node.taken {
            attributes.push_str(", fillcolor=\"#ddf5dd\"");
        }
        if node.unreachable {
            attributes.push_str(
                ", fillcolor=\"#eeeeee\", fontcolor=\"#888888\", style=\"rounded,filled,dashed\"",
            );
        }
        if node.error {
            attributes.push_str(", color=\"#cc0000\", penwidth=3");
        }
        let _ = writeln!(out, "    n{i} [{attributes}];");
    }
    for edge in &picture.edges {
        let mut attributes = format!("label=\"{}\"", edge.port);
        if edge.dotted {
            attributes.push_str(", style=dashed");
        }
        if edge.taken {
            attributes.push_str(", color=\"#2a8f2a\", penwidth=3");
        }
        let _ = writeln!(out, "    n{} -> n{} [{attributes}];", edge.from, edge.to);
    }
    out.push_str("}\n");
    out
}

/// The picture as SVG, laid out by layout-rs (no Graphviz needed). The library escapes text
/// for XML; characters XML cannot hold at all (controls) become spaces first.
fn svg(picture: &Picture) -> String {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::color::Color;
    use layout::core::geometry::{get_size_for_str, pad_shape_scalar};
    use layout::core::style::{LineStyleKind, StyleAttr};
    use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
    use layout::topo::layout::VisualGraph;

    if picture.nodes.is_empty() {
        // Nothing to lay out (the library cannot order an empty graph).
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\
                <svg width=\"0\" height=\"0\" xmlns=\"http://www.w3.org/2000/svg\"></svg>"
            .to_owned();
    }
    let plain = |raw: &str| -> String {
        raw.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    let mut graph = VisualGraph::new(Orientation::TopToBottom);
    let handles: Vec<_> = picture
        .nodes
        .iter()
        .map(|node| {
            let label = format!("{}\n{}", plain(&node.title), plain(&node.id));
            let (line, width, fill) = match (node.error, node.unreachable, node.taken) {
                (true, _, _) => ("#cc0000", 3, "white"),
                (false, true, _) => ("#999999", 1, "#eeeeee"),
                (false, false, true) => ("black", 2, "#ddf5dd"),
                _ => ("black", 2, "white"),
            };
            let look = StyleAttr::new(Color::fast(line), width, Some(Color::fast(fill)), 4, 14);
            let size = pad_shape_scalar(get_size_for_str(&label, 14), 10.);
            graph.add_node(Element::create(
                ShapeKind::new_box(&label),
                look,
                Orientation::TopToBottom,
                size,
            ))
        })
        .collect();
    for edge in &picture.edges {
        let (Some(&from), Some(&to)) = (handles.get(edge.from), handles.get(edge.to)) else {
            continue;
        };
        let color = if edge.taken { "#2a8f2a" } else { "black" };
        let look = StyleAttr::new(
            Color::fast(color),
            if edge.taken { 3 } else { 1 },
            None,
            0,
            12,
        );
        let style = if edge.dotted {
            LineStyleKind::Dashed
        } else {
            LineStyleKind::Normal
        };
        let arrow = Arrow::new(
            LineEndKind::None,
            LineEndKind::Arrow,
            style,
            edge.port,
            &look,
            &None,
            &None,
        );
        graph.add_edge(arrow, from, to);
    }
    let mut writer = SVGWriter::new();
    graph.do_it(false, false, false, &mut writer);
    deterministic(writer.finalize())
}

/// The SVG with its style rules in one order: the library lists its font classes in hash
/// order, which would make the same flow draw different files.
fn deterministic(svg: String) -> String {
    let (Some(start), Some(end)) = (svg.find("<style>\n"), svg.find("</style>")) else {
        return svg;
    };
    let body = start + "<style>\n".len();
    if body > end {
        return svg;
    }
    let mut rules: Vec<&str> = svg[body..end].lines().collect();
    rules.sort_unstable();
    format!("{}{}\n{}", &svg[..body], rules.join("\n"), &svg[end..])
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
