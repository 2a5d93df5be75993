//! Checker cost on generated flows of 100, 1,000 and 10,000 blocks in three shapes.
//!
//! After divan's table, prints the ratio of the 10,000-block time to the 1,000-block time for
//! each shape, measured in this process (target: under 15×, i.e. near-linear).

mod shapes;

use std::hint::black_box;
use std::time::{Duration, Instant};

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
