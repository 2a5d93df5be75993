//! Ids, Start, ports, types, reachability and cycles.

use crate::catalog::BLOCKS;
use crate::check::graph::{Graph, port_of};
use crate::check::suggest::{Ids, did_you_mean};
use crate::declarations;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Flow;

pub fn check(flow: &Flow, graph: &Graph, ids: &Ids<'_>, out: &mut Vec<Diagnostic>) {
    for (i, a) in flow.actions.iter().enumerate() {
        let first = graph.index[&a.id];
        if first != i {
            out.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("two blocks have the id `{}`", a.id),
                )
                .block(&a.id)
                .span(a.id_span)
                .note("the first one is here", Some(flow.actions[first].id_span))
                .help("give every block a unique id; ports and references use the first one"),
            );
        }
    }

    let start_type = |&i: &usize| flow.actions[i].type_span;
    // A block that could not be read, or whose type is missing or unknown, may be the Start:
    // its own error is the root cause.
    let every_block_known = flow.unread == 0 && graph.blocks.iter().all(Option::is_some);
    match &graph.starts[..] {
        [] if !every_block_known => {}
        [] => out.push(
            Diagnostic::new(Code::Start, "the flow has no Start block")
                .span(flow.actions_span)
                .help("add a block of type `SE_Start` and connect its `done` port"),
        ),
        [_] => {}
        [first, more @ ..] => {
            for i in more {
                out.push(
                    Diagnostic::new(Code::Start, "the flow has more than one Start block")
                        .block(&flow.actions[*i].id)
                        .span(start_type(i))
                        .note("the first Start block is here", Some(start_type(first)))
                        .help("keep one `SE_Start`; a run begins at exactly one block"),
                );
            }
        }
    }

    let sorted = std::cell::OnceCell::new();
    let sorted_ids = || -> &[&str] {
        sorted.get_or_init(|| {
            let mut ids: Vec<&str> = graph.index.keys().map(String::as_str).collect();
            ids.sort_unstable();
            ids
        })
    };
    for (a, known) in flow.actions.iter().zip(&graph.blocks) {
        let block = a.type_id.as_deref().map(|t| (t, *known));
        if let Some((t, None)) = block {
            let types = BLOCKS
                .iter()
                .chain(graph.catalog.declared())
                .map(|b| b.type_id);
            let diagnostic =
                Diagnostic::new(Code::UnknownType, format!("unknown block type `{t}`"))
                    .block(&a.id)
                    .span(a.type_span);
            out.push(match did_you_mean(t, types) {
                Some(close) => diagnostic.help(close).note(
                    "or, if your org has this block, declare it in a declarations file",
                    None,
                ),
                None => diagnostic.long_help(format!(
                    "if your org's designer has this block, declare it in a declarations file \
                     (given as `blocks = \"...\"`, `--blocks` or `blocks` in ctiflow.toml):\n{}",
                    declarations::template(flow, a)
                )),
            });
        }
        for p in &a.ports {
            if let Some((t, Some(spec))) = block
                && port_of(Some(spec), &p.name).is_none()
            {
                let ports: Vec<_> = spec.ports.iter().map(|p| p.name()).collect();
                let help = did_you_mean(&p.name, ports.iter().copied()).unwrap_or_else(|| {
                    if ports.is_empty() {
                        format!("a `{t}` block has no ports; remove this one")
                    } else {
                        format!("the ports of `{t}` are: {}", ports.join(", "))
                    }
                });
                out.push(
                    Diagnostic::new(
                        Code::UnknownPort,
                        format!("block type `{t}` has no port `{}`", p.name),
                    )
                    .block(&a.id)
                    .span(p.name_span)
                    .help(help),
                );
            }
            if !graph.index.contains_key(&p.target) {
                out.push(
                    Diagnostic::new(
                        Code::DanglingPort,
                        format!(
                            "port `{}` of block `{}` leads to `{}`, which does not exist",
                            p.name, a.id, p.target
                        ),
                    )
                    .block(&a.id)
                    .span(p.target_span)
                    .help(
                        ids.did_you_mean(&p.target)
                            .unwrap_or_else(|| nearby_ids(sorted_ids(), &p.target)),
                    ),
                );
            }
        }
    }

    // A dangling port cuts the graph: what lies beyond it is unreachable because of that error.
    let dangling = flow
        .actions
        .iter()
        .flat_map(|a| &a.ports)
        .any(|p| !graph.index.contains_key(&p.target));
    if graph.start().is_some() {
        for (i, a) in flow.actions.iter().enumerate() {
            // Duplicates and typeless blocks are reported as such; ports never lead to them.
            let reported = graph.index[&a.id] != i || a.type_id.is_none();
            if !dangling && !reported && !graph.is_reachable(i) {
                out.push(
                    Diagnostic::new(
                        Code::Unreachable,
                        format!("block `{}` is never reached from Start", a.id),
                    )
                    .block(&a.id)
                    .span(a.id_span)
                    .help("connect a port to it, or delete it; it is not compiled"),
                );
            }
        }
        for cycle in graph.cycles() {
            let head = &flow.actions[cycle[0]];
            let path: Vec<_> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&i| flow.actions[i].id.as_str())
                .collect();
            out.push(
                Diagnostic::new(
                    Code::Cycle,
                    format!("block `{}` is part of a cycle", head.id),
                )
                .block(&head.id)
                .span(head.id_span)
                .note(format!("cycle: {}", path.join(" → ")), None)
                .help("a run stops after the step limit (10 000 blocks by default)"),
            );
        }
    }
}

/// The ids a dangling port could have meant: the neighbours of `target` in the sorted ids,
/// which share the longest prefixes with it.
fn nearby_ids(sorted_ids: &[&str], target: &str) -> String {
    const SHOWN: usize = 6;
    let at = sorted_ids.partition_point(|id| *id < target);
    let from = at.saturating_sub(SHOWN / 2);
    let shown: Vec<String> = sorted_ids[from..]
        .iter()
        .take(SHOWN)
        .map(|id| format!("`{id}`"))
        .collect();
    if shown.is_empty() {
        "the flow has no blocks to connect to; add one or remove the port".to_owned()
    } else {
        format!("connect it to an existing block, e.g. {}", shown.join(", "))
    }
}
