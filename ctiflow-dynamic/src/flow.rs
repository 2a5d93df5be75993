//! [`DynamicFlow`]: a flow loaded from its exported JSON, checked as the compiler checks it.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use ctiflow_front::catalog::Capability;
use ctiflow_front::render::{self, Source};
use ctiflow_front::{Code, Diagnostic, Options, Trigger, analyze, ir};
use ctiflow_runtime::{Capabilities, Dynamic, EventContext, Limits, Run};
use serde_json::Value;

use crate::exec;
use crate::plan::Plan;

/// How to load a flow: the checker's options (trigger, lint levels) and, when known, the
/// capabilities of the backend it will run on.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The trigger and lint levels, as for `ctiflow check`.
    pub check: Options,
    /// What the backend offers; `None` checks no capability at load (a run on a backend that
    /// lacks one then fails before its first block).
    pub offered: Option<BTreeSet<Capability>>,
}

impl LoadOptions {
    /// Options checking the flow against `trigger`.
    pub fn for_trigger(trigger: Trigger) -> LoadOptions {
        LoadOptions::from(Options {
            trigger: Some(trigger),
            ..Options::default()
        })
    }

    /// These options, checking capabilities against what `backend` offers.
    pub fn offered_by(self, backend: &dyn Capabilities) -> LoadOptions {
        LoadOptions {
            offered: Some(offered(backend)),
            ..self
        }
    }
}

impl From<Options> for LoadOptions {
    fn from(check: Options) -> LoadOptions {
        LoadOptions {
            check,
            offered: None,
        }
    }
}

/// The capabilities `backend` offers.
pub(crate) fn offered(backend: &dyn Capabilities) -> BTreeSet<Capability> {
    Capability::ALL
        .iter()
        .copied()
        .filter(|c| match c {
            Capability::Contact => backend.contact().is_some(),
            Capability::Agent => backend.agent().is_some(),
            Capability::Salesforce => backend.salesforce().is_some(),
            Capability::Console => backend.console().is_some(),
            Capability::Store => backend.store().is_some(),
            Capability::Extension => backend.extension().is_some(),
        })
        .collect()
}

/// Why a flow did not load: the diagnostics `ctiflow check` prints (warnings included), and
/// `missing_capability` for each block the backend cannot serve.
#[derive(Clone, Debug)]
pub struct LoadError {
    /// Every diagnostic, ordered by position; at least one is an error.
    pub diagnostics: Vec<Diagnostic>,
    text: Arc<str>,
}

impl LoadError {
    /// An error of `diagnostics` about `text`.
    pub fn new(diagnostics: Vec<Diagnostic>, text: &str) -> LoadError {
        LoadError {
            diagnostics,
            text: text.into(),
        }
    }

    /// The errors as `ctiflow check` shows them, with `name` for the file.
    pub fn render(&self, name: &str, color: bool) -> String {
        render::render(&Source::new(name, &self.text), &self.diagnostics, color)
    }

    /// The diagnostics that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = Source::new("flow", &self.text);
        let mut errors = self.errors();
        let count = self.errors().count();
        if let Some(first) = errors.next() {
            f.write_str(&render::one_line(&source, first))?;
        }
        if count > 1 {
            write!(f, " (and {} more errors)", count - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// A flow loaded at run time: checked and lowered once, run any number of times, concurrently.
#[derive(Debug)]
pub struct DynamicFlow {
    plan: Plan,
    diagnostics: Vec<Diagnostic>,
}

impl DynamicFlow {
    /// Parses, checks and lowers the flow in `text`. Errors are the diagnostics the compiler
    /// reports for the same text and options, plus `missing_capability` when the options say
    /// what the backend offers and a block needs more.
    pub fn load(text: &str, options: &LoadOptions) -> Result<DynamicFlow, LoadError> {
        let fail = |diagnostics| LoadError::new(diagnostics, text);
        let analysis = analyze(text, &options.check);
        let program = match (&analysis.flow, &analysis.graph, analysis.has_errors()) {
            (Some(flow), Some(graph), false) => ir::lower(flow, graph, options.check.trigger),
            _ => None,
        };
        let Some(program) = program else {
            return Err(fail(analysis.diagnostics));
        };
        let plan = Plan::new(&program);
        let mut diagnostics = analysis.diagnostics;
        if let Some(offered) = &options.offered {
            diagnostics.extend(missing_capabilities(&plan, &program, offered));
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.sort_by_key(|d| (d.span.map(|s| s.start), d.code));
            return Err(fail(diagnostics));
        }
        Ok(DynamicFlow { plan, diagnostics })
    }

    /// The warnings the checker reported.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The flow's `name`.
    pub fn name(&self) -> Option<&str> {
        self.plan.name.as_deref()
    }

    /// The trigger it was checked against.
    pub fn trigger(&self) -> Option<Trigger> {
        self.plan.trigger
    }

    /// Its edges: each connected port of each block a run can reach, as (block id, port), in
    /// file order. What edge coverage counts.
    pub fn edges(&self) -> Vec<(&str, &'static str)> {
        self.plan
            .nodes
            .iter()
            .flat_map(|node| {
                let id = node.info.id.as_str();
                node.leave.ports().into_iter().map(move |port| (id, port))
            })
            .collect()
    }

    /// The capabilities its blocks use.
    pub fn capabilities(&self) -> &BTreeSet<Capability> {
        &self.plan.capabilities
    }

    /// Runs the flow on `backend` for `ctx` within `limits`. The results are the JSON a
    /// compiled flow's `Run::erase` gives. A backend lacking a capability the flow uses fails
    /// the run at its Start block, before any block runs.
    pub async fn run(
        &self,
        backend: &dyn Capabilities,
        ctx: &EventContext,
        limits: &Limits,
    ) -> Run<Value> {
        let offered = offered(backend);
        let missing: Vec<&str> = self
            .plan
            .capabilities
            .difference(&offered)
            .map(|c| c.name())
            .collect();
        if !missing.is_empty() {
            return exec::refuse(&self.plan, &missing, limits);
        }
        exec::run(&self.plan, Dynamic(backend), ctx, limits).await
    }
}

/// `missing_capability` for each block that needs a capability not in `offered`.
fn missing_capabilities(
    plan: &Plan,
    program: &ir::Program<'_>,
    offered: &BTreeSet<Capability>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (node, lowered) in plan.nodes.iter().zip(&program.nodes) {
        for capability in node.capabilities.difference(offered) {
            let name = capability.name();
            let action = lowered.action;
            out.push(
                Diagnostic::new(
                    Code::MissingCapability,
                    format!(
                        "block `{}` ({}) needs the {name} capability, which the backend does not offer",
                        action.id, lowered.block.display_name
                    ),
                )
                .block(&action.id)
                .span(action.type_span)
                .help(format!(
                    "run the flow on a backend that implements `{name}` and offers it (`ctiflow::offer!`), or remove the block"
                )),
            );
        }
    }
    out
}
