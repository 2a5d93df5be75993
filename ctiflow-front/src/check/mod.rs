//! Stage 4: every check of flow-format.md §5 over a [`Flow`]. All diagnostics are collected;
//! none stops the others.

mod conditions;
mod controls;
pub mod dominators;
pub mod graph;
mod references;
mod structure;
pub mod suggest;

use std::fmt;

use crate::catalog::{Catalog, Field};
use crate::diagnostic::{Diagnostic, Level, Lints};
use crate::model::Flow;
use crate::trigger::{Context, Source, Trigger};

pub use graph::Graph;

/// What the checker is told about a flow.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The (source, event) it is bound to; `None` checks against the most permissive context.
    pub trigger: Option<Trigger>,
    /// Per-flow lint levels.
    pub lints: Lints,
    /// The blocks it may use: the built-in ones, and those of a declarations file.
    pub catalog: Catalog,
}

/// Why the words a front end was given do not make [`Options`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionsError {
    /// The source or event is unknown, or the event is not the source's.
    Trigger(String),
    /// An event was given without a source.
    EventWithoutSource,
    /// The lint at this index of the list is unknown or cannot be set.
    Lint(usize, String),
}

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionsError::Trigger(message) | OptionsError::Lint(_, message) => f.write_str(message),
            OptionsError::EventWithoutSource => f.write_str("`event` needs a `source`"),
        }
    }
}

impl std::error::Error for OptionsError {}

impl Options {
    /// Options from what every front end (macros, build.rs, CLI) takes: a source and an event
    /// by name, and lint levels by lint name.
    pub fn from_names<'a>(
        source: Option<&str>,
        event: Option<&str>,
        lints: impl IntoIterator<Item = (&'a str, Level)>,
    ) -> Result<Options, OptionsError> {
        let trigger = match (source, event) {
            (Some(source), event) => {
                Some(Trigger::parse(source, event).map_err(|e| OptionsError::Trigger(e.0))?)
            }
            (None, Some(_)) => return Err(OptionsError::EventWithoutSource),
            (None, None) => None,
        };
        let mut options = Options {
            trigger,
            ..Options::default()
        };
        let mut given: Vec<(&str, Level)> = Vec::new();
        for (i, (name, level)) in lints.into_iter().enumerate() {
            if let Some((_, earlier)) = given.iter().find(|(n, l)| *n == name && *l != level) {
                return Err(OptionsError::Lint(
                    i,
                    format!(
                        "lint `{name}` is set to both `{}` and `{}`; keep one",
                        earlier.name(),
                        level.name()
                    ),
                ));
            }
            given.push((name, level));
            options
                .lints
                .set(name, level)
                .map_err(|e| OptionsError::Lint(i, e.to_string()))?;
        }
        Ok(options)
    }
}

/// A checked flow: its graph and every diagnostic, lint levels applied.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The graph.
    pub graph: Graph,
    /// What the checks found, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// What references can see: the trigger's context, and the payload fields a declarations file
/// gives CTI Action flows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope {
    pub context: Context,
    pub payload: Option<&'static [Field]>,
}

impl Scope {
    pub(crate) fn new(trigger: Option<Trigger>, catalog: Catalog) -> Scope {
        let cti_action = trigger.is_some_and(|t| t.source == Source::CtiAction);
        Scope {
            context: Context::of(trigger),
            payload: catalog.payload().filter(|_| cti_action),
        }
    }
}

/// Runs every check over `flow`.
pub fn check(flow: &Flow, options: &Options) -> Checked {
    let graph = Graph::new(flow, options.catalog);
    let context = Scope::new(options.trigger, options.catalog);
    let mut diagnostics = Vec::new();
    let ids = suggest::Ids::new(flow.actions.iter().map(|a| a.id.as_str()));
    structure::check(flow, &graph, &ids, &mut diagnostics);
    controls::check(flow, &graph, context, &mut diagnostics);
    references::check(flow, &graph, context, &ids, &mut diagnostics);
    conditions::check(flow, &graph, &mut diagnostics);
    Checked {
        graph,
        diagnostics: options.lints.apply(diagnostics),
    }
}
