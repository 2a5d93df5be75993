//! Checker cost on generated flows of 100, 1,000 and 10,000 blocks in three shapes.
//!
//! After divan's table, prints the ratio of the 10,000-block time to the 1,000-block time for
//! each shape, measured in this process (target: under 15×, i.e. near-linear), and the size of
//! the rendered diagnostics of one-line flows with thousands of errors (target: under 1 MB).

mod broken;
mod shapes;

use std::hint::black_box;
use std::time::{Duration, Instant};

use broken::{Broken, broken};
use ctiflow_codegen::render::{Source, render};
use ctiflow_codegen::{Options, check_source};
use shapes::{Shape, flow};

const SHAPES: [Shape; 3] = [Shape::Chain, Shape::WideDiamond, Shape::Nested];

#[divan::bench(args = [100, 1_000, 10_000])]
fn chain(bencher: divan::Bencher, n: usize) {
    run(bencher, Shape::Chain, n);
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn wide_diamond(bencher: divan::Bencher, n: usize) {
    run(bencher, Shape::WideDiamond, n);
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn nested(bencher: divan::Bencher, n: usize) {
    run(bencher, Shape::Nested, n);
}

/// Checking and rendering a one-line flow of `n` references to missing blocks.
#[divan::bench(args = [1_000, 8_000])]
fn dangling_references(bencher: divan::Bencher, n: usize) {
    let text = broken(Broken::DanglingReferences, n);
    let options = Options::default();
    bencher.bench(|| {
        let diagnostics = check_source(black_box(&text), &options);
        render(&Source::new("flow.json", &text), &diagnostics, false)
    });
}

fn run(bencher: divan::Bencher, shape: Shape, n: usize) {
    let text = flow(shape, n);
    let options = Options::default();
    bencher.bench(|| check_source(black_box(&text), &options));
}

/// The fastest of repeated checks of a flow (the least disturbed by other load).
fn fastest(text: &str, rounds: usize) -> Duration {
    let options = Options::default();
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            black_box(check_source(black_box(text), &options));
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    divan::main();
    println!("\nrendered diagnostics of one-line flows (target < 1 MB):");
    for (kind, n) in [
        (Broken::DuplicateIds, 2_000),
        (Broken::DanglingReferences, 8_000),
    ] {
        let text = broken(kind, n);
        let diagnostics = check_source(&text, &Options::default());
        let shown = render(&Source::new("flow.json", &text), &diagnostics, false);
        println!(
            "  {kind:?} x {n}: {} diagnostics, {} bytes rendered",
            diagnostics.len(),
            shown.len()
        );
    }
    println!("\nscaling, 10,000 blocks against 1,000 (target < 15x):");
    for shape in SHAPES {
        let small = fastest(&flow(shape, 1_000), 50);
        let large = fastest(&flow(shape, 10_000), 10);
        println!(
            "  {shape:?}: 1,000 in {small:?}, 10,000 in {large:?}: {:.1}x",
            large.as_secs_f64() / small.as_secs_f64()
        );
    }
}
