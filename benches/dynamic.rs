//! Flows compiled and loaded at run time, in one process:
//!
//! - each scene of the contact center's hour (`examples/contact_center/scenes.rs`: every flow
//!   of `examples/flows/`), dispatched to its compiled flow through `registry!` and to the same
//!   file loaded into a `DynamicRegistry`, on a fresh copy of one sandbox;
//! - loading (parse, check, lower) each of the twenty corpus flows.
//!
//! After divan's tables, prints per scene the steps, the fastest run each way, the time per
//! step, and the ratio loaded / compiled.
//!
//! ```text
//! cargo bench --bench dynamic
//! ```

#[path = "../examples/contact_center/flows.rs"]
mod flows;
#[path = "../examples/contact_center/scenes.rs"]
mod scenes;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ctiflow::sandbox::Sandbox;
use ctiflow::{Dispatched, EventContext, Limits};
use ctiflow_dynamic::{DynamicFlow, DynamicRegistry, FlowSet, FlowSource, LoadOptions, Options};
use flows::ContactCenter;

/// A scene ready to run: the sandbox before it, and its event.
struct Setup {
    name: String,
    sandbox: Sandbox,
    event: EventContext,
}

fn setups() -> Vec<Setup> {
    let org = scenes::org();
    let account = org
        .all("Account")
        .next()
        .and_then(|a| a.text("Id"))
        .unwrap_or_default()
        .to_owned();
    let base = Sandbox::new().with_org(org);
    scenes::scenes(&account)
        .into_iter()
        .map(|scene| {
            let sandbox = base.clone();
            sandbox.set_contact(scene.contact);
            Setup {
                name: format!("{} {}", scene.time, scene.what),
                sandbox,
                event: EventContext::new(scene.trigger).with_payload(scene.payload),
            }
        })
        .collect()
}

fn loaded(sandbox: &Sandbox) -> DynamicRegistry {
    let sources = ContactCenter::FLOWS.iter().map(|(module, trigger)| {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("examples/flows/{}.json", module.replace('_', "-")));
        FlowSource {
            name: (*module).to_owned(),
            text: std::fs::read_to_string(file).expect("an example flow"),
            options: Options {
                trigger: Some(*trigger),
                ..Options::default()
            },
        }
    });
    DynamicRegistry::new(FlowSet::load(sources, sandbox).expect("the example flows load"))
}

const SCENES: [usize; 9] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

#[divan::bench(args = SCENES)]
fn compiled(bencher: divan::Bencher, scene: usize) {
    let setup = &setups()[scene];
    let limits = Limits::default();
    bencher
        .with_inputs(|| setup.sandbox.clone())
        .bench_local_refs(|sandbox| {
            pollster::block_on(ContactCenter::dispatch(sandbox, &setup.event, &limits))
        });
}

#[divan::bench(args = SCENES)]
fn interpreted(bencher: divan::Bencher, scene: usize) {
    let setup = &setups()[scene];
    let registry = loaded(&setup.sandbox);
    let limits = Limits::default();
    bencher
        .with_inputs(|| setup.sandbox.clone())
        .bench_local_refs(|sandbox| {
            pollster::block_on(registry.dispatch(sandbox, &setup.event, &limits))
        });
}

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cti-adapter");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|f| f.extension().is_some_and(|e| e == "json") && !f.ends_with("manifest.json"));
    files.sort();
    files
}

/// Loading every corpus flow (those with errors stop after the check, as `load` does).
#[divan::bench]
fn load_corpus(bencher: divan::Bencher) {
    let texts: Vec<String> = corpus()
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("a corpus flow"))
        .collect();
    let options = LoadOptions::default();
    bencher.bench(|| {
        for text in &texts {
            let _ = black_box(DynamicFlow::load(black_box(text), &options));
        }
    });
}

/// The fastest of `rounds` runs of `run` on fresh copies of `sandbox`, and its steps.
fn fastest(
    sandbox: &Sandbox,
    rounds: usize,
    run: impl Fn(&Sandbox) -> Option<Dispatched>,
) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut steps = 0;
    for _ in 0..rounds {
        let copy = sandbox.clone();
        let started = Instant::now();
        let done = run(&copy);
        best = best.min(started.elapsed());
        steps = done.map_or(0, |d| d.run.trace.len());
    }
    (best, steps)
}

fn main() {
    divan::main();
    let limits = Limits::default();
    println!("\ncompiled and loaded runs of each scene (fastest of 200, one process):");
    println!(
        "| scene | steps | compiled | loaded | compiled per step | loaded per step | loaded / compiled |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for setup in setups() {
        let registry = loaded(&setup.sandbox);
        let (compiled, steps) = fastest(&setup.sandbox, 200, |sandbox| {
            pollster::block_on(ContactCenter::dispatch(sandbox, &setup.event, &limits))
        });
        let (interpreted, _) = fastest(&setup.sandbox, 200, |sandbox| {
            pollster::block_on(registry.dispatch(sandbox, &setup.event, &limits))
        });
        let per_step = |d: Duration| d / u32::try_from(steps.max(1)).unwrap_or(1);
        println!(
            "| {} | {steps} | {compiled:.1?} | {interpreted:.1?} | {:.1?} | {:.1?} | {:.2}x |",
            setup.name,
            per_step(compiled),
            per_step(interpreted),
            interpreted.as_secs_f64() / compiled.as_secs_f64()
        );
    }
    let files = corpus();
    let options = LoadOptions::default();
    let started = Instant::now();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a corpus flow");
        let _ = black_box(DynamicFlow::load(&text, &options));
    }
    println!(
        "\nloading the {} corpus flows (read, parse, check, lower): {:.1?}",
        files.len(),
        started.elapsed()
    );
}
