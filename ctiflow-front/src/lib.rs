//! The ctiflow front end: exported CTI Flow JSON → spanned model → checks → the lowered
//! program, with diagnostics and their rendering. It knows nothing of Rust tokens: the code
//! generator (`ctiflow-codegen`), the interpreter (`ctiflow-dynamic`) and the CLI all start
//! here. Stages, one module each, data flowing one way:
//! [`parse`] → [`model`] → [`check`] (against [`catalog`], with the blocks of
//! [`declarations`], and [`trigger`]) → [`ir`];
//! diagnostics go to [`render`].

pub mod catalog;
pub mod check;
pub mod declarations;
pub mod diagnostic;
pub mod inventory;
pub mod ir;
pub mod model;
pub mod parse;
pub mod reference;
pub mod render;
pub mod span;

/// The trigger table, shared with the runtime.
pub use ctiflow_trigger as trigger;

pub use check::{Options, OptionsError};
pub use diagnostic::{Code, Diagnostic, Level, Lints, Severity};
pub use span::{LineCol, LineIndex, Span};
pub use trigger::{Event, Source, Trigger};

/// A flow parsed and checked from source text.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The flow, unless the text is not a flow at all.
    pub flow: Option<model::Flow>,
    /// Its graph, when there is a flow.
    pub graph: Option<check::Graph>,
    /// Every diagnostic, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses, models and checks the flow in `text`.
pub fn analyze(text: &str, options: &Options) -> Analysis {
    let mut diagnostics = Vec::new();
    let document = match parse::parse(text) {
        Ok(document) => document,
        Err(e) => {
            diagnostics.push(
                Diagnostic::new(Code::Json, format!("malformed JSON: {}", e.message))
                    .span(e.span)
                    .help("export the flow again, or fix the JSON by hand"),
            );
            return Analysis {
                flow: None,
                graph: None,
                diagnostics,
            };
        }
    };
    let flow = model::build(&document, &mut diagnostics);
    let mut diagnostics = options.lints.apply(diagnostics);
    let graph = flow.as_ref().map(|f| {
        let checked = check::check(f, options);
        diagnostics.extend(checked.diagnostics);
        checked.graph
    });
    diagnostics.sort_by_key(|d| (d.span.map(|s| s.start), d.code, d.message.clone()));
    Analysis {
        flow,
        graph,
        diagnostics,
    }
}

/// The diagnostics of the flow in `text`.
pub fn check_source(text: &str, options: &Options) -> Vec<Diagnostic> {
    analyze(text, options).diagnostics
}
