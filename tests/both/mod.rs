//! Runs a flow both ways: compiled (the test's `include_flow!` module) and loaded at run time
//! (`ctiflow-dynamic`), each on its own copy of one sandbox. The two runs must end the same
//! way, with the same trace (timings aside) and results, and leave the sandboxes in the same
//! state; the compiled run is returned for the test's own assertions.

use std::future::Future;
use std::path::Path;

use ctiflow::sandbox::Sandbox;
use ctiflow::value::Js;
use ctiflow::{EventContext, Limits, Run, Trigger};
use ctiflow_codegen::{Level, Options};
use ctiflow_dynamic::{DynamicFlow, LoadOptions};
use serde_json::Value;

/// Runs `compiled` (a run of the flow in `file` on `sandbox`, not yet started) and the same
/// flow loaded from `file` with `trigger` and the lints in `allow` allowed, on a copy of
/// `sandbox` made first.
pub fn run<R: Js + Clone>(
    file: &str,
    trigger: Trigger,
    allow: &[&str],
    sandbox: &Sandbox,
    ctx: &EventContext,
    limits: &Limits,
    compiled: impl Future<Output = Run<R>>,
) -> Run<R> {
    let copy = sandbox.clone();
    let compiled = pollster::block_on(compiled);
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut options = Options {
        trigger: Some(trigger),
        ..Options::default()
    };
    for lint in allow {
        options.lints.set(lint, Level::Allow).expect("a lint");
    }
    let flow = DynamicFlow::load(&text, &LoadOptions::from(options).offered_by(&copy))
        .unwrap_or_else(|e| panic!("{file} does not load: {}", e.render(file, false)));
    let loaded = pollster::block_on(flow.run(&copy, ctx, limits));
    assert_eq!(
        timeless(compiled.clone().erase()),
        timeless(loaded),
        "{file}: the compiled and the loaded run differ"
    );
    assert!(
        *sandbox == copy,
        "{file}: the runs left the sandboxes in different states:\ncompiled: {sandbox:#?}\nloaded: {copy:#?}"
    );
    compiled
}

/// A run without its timings, which differ between any two runs.
fn timeless(mut run: Run<Value>) -> Run<Value> {
    for step in &mut run.trace {
        step.micros = 0;
    }
    run
}

/// Runs a compiled flow module with the default limits and the flow loaded from its file, and
/// compares them (see [`run`]).
#[macro_export]
macro_rules! both {
    ($module:ident, $file:literal, $sandbox:expr, $ctx:expr $(, allow($($lint:literal),*))?) => {{
        let (sandbox, ctx) = ($sandbox, $ctx);
        both::run(
            $file,
            $module::TRIGGER,
            &[$($($lint),*)?],
            sandbox,
            ctx,
            &ctiflow::Limits::default(),
            $module::run(sandbox, ctx),
        )
    }};
    ($module:ident, $file:literal, $sandbox:expr, $ctx:expr, limits = $limits:expr) => {{
        let (sandbox, ctx, limits) = ($sandbox, $ctx, $limits);
        both::run(
            $file,
            $module::TRIGGER,
            &[],
            sandbox,
            ctx,
            limits,
            $module::run_with(sandbox, ctx, limits),
        )
    }};
}
