//! The ctiflow compiler: exported CTI Flow JSON → spanned model → checks → (typed IR → Rust).
//!
//! This crate knows nothing of `proc_macro`: the macros, build scripts and the CLI all call it.
//! Stages, one module each, data flowing one way:
//! [`parse`] → [`model`] → [`check`] (against [`catalog`] and [`trigger`]) → [`ir`] →
//! [`emit`]; diagnostics go to [`render`], files to `pretty` (feature `pretty`).

#[cfg(feature = "pretty")]
pub mod build;
pub mod catalog;
pub mod check;
pub mod diagnostic;
pub mod emit;
pub mod expand;
pub mod ir;
pub mod model;
pub mod names;
pub mod parse;
#[cfg(feature = "pretty")]
pub mod pretty;
pub mod reference;
pub mod render;
pub mod span;
pub mod trigger;

pub use check::{Options, OptionsError};
pub use diagnostic::{Code, Diagnostic, Level, Lints, Severity};
pub use emit::Target;
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

/// A flow compiled to tokens.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Every diagnostic, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The flow's module; with errors, a stub of its public items.
    pub tokens: proc_macro2::TokenStream,
}

impl Generated {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses, checks and compiles the flow in `text` into the module `target` describes.
pub fn generate(text: &str, options: &Options, target: &Target) -> Generated {
    let analysis = analyze(text, options);
    let program = match (&analysis.flow, &analysis.graph, analysis.has_errors()) {
        (Some(flow), Some(graph), false) => ir::lower(flow, graph, options.trigger),
        _ => None,
    };
    let tokens = match program {
        Some(program) => emit::module(&program, target),
        None => emit::stub(analysis.flow.as_ref(), options.trigger, target),
    };
    Generated {
        diagnostics: analysis.diagnostics,
        tokens,
    }
}
