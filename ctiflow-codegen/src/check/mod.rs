//! Stage 4: every check of flow-format.md §5 over a [`Flow`]. All diagnostics are collected;
//! none stops the others.

mod conditions;
mod controls;
pub mod dominators;
pub mod graph;
mod references;
mod structure;
pub mod suggest;

use crate::diagnostic::{Diagnostic, Lints};
use crate::model::Flow;
use crate::trigger::{Context, Trigger};

pub use graph::Graph;

/// What the checker is told about a flow.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The (source, event) it is bound to; `None` checks against the most permissive context.
    pub trigger: Option<Trigger>,
    /// Per-flow lint levels.
    pub lints: Lints,
}

/// A checked flow: its graph and every diagnostic, lint levels applied.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The graph.
    pub graph: Graph,
    /// What the checks found, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every check over `flow`.
pub fn check(flow: &Flow, options: &Options) -> Checked {
    let graph = Graph::new(flow);
    let context = Context::of(options.trigger);
    let mut diagnostics = Vec::new();
    structure::check(flow, &graph, &mut diagnostics);
    controls::check(flow, &graph, context, &mut diagnostics);
    references::check(flow, &graph, context, &mut diagnostics);
    conditions::check(flow, &graph, &mut diagnostics);
    Checked {
        graph,
        diagnostics: options.lints.apply(diagnostics),
    }
}
