//! The ctiflow code generator: a checked, lowered flow (from the front end, `ctiflow-front`,
//! re-exported here) → Rust tokens.
//!
//! This crate knows nothing of `proc_macro`: the macros, build scripts and the CLI all call it.
//! On top of the front end's stages: [`names`] (Rust identifiers) → [`emit`] (tokens);
//! [`expand`] is the macros' whole front end, and `build`/`pretty` (feature `pretty`) write
//! files.

#[cfg(feature = "pretty")]
pub mod build;
pub mod emit;
pub mod expand;
pub mod extensions;
pub mod names;
#[cfg(feature = "pretty")]
pub mod pretty;

pub use ctiflow_front::{
    Analysis, Code, Diagnostic, Event, Level, LineCol, LineIndex, Lints, Options, OptionsError,
    Severity, Source, Span, Trigger, analyze, catalog, check, check_source, declarations,
    diagnostic, inventory, ir, model, parse, reference, render, span, trigger,
};
pub use emit::Target;

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
        None => emit::stub(
            analysis.flow.as_ref(),
            options.trigger,
            options.catalog,
            target,
        ),
    };
    Generated {
        diagnostics: analysis.diagnostics,
        tokens,
    }
}
