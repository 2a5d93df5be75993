//! Macro expansion cost: the codegen library (parse, check, lower, emit, and the tokens turned
//! into text as the compiler receives them) on flows of 100, 1,000 and 10,000 blocks. Beside
//! divan's table, prints each size against the checker alone on the same flow, measured in
//! this process, and the 10,000/1,000 scaling.

mod shapes;

use std::hint::black_box;
use std::time::{Duration, Instant};

use ctiflow_codegen::{Options, Target, check_source, generate};
use shapes::{Shape, flow};

fn expand(text: &str) -> String {
    generate(text, &Options::default(), &Target::new("flow"))
        .tokens
        .to_string()
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn expand_chain(bencher: divan::Bencher, n: usize) {
    let text = flow(Shape::Chain, n);
    bencher.bench(|| expand(black_box(&text)));
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn expand_wide_diamond(bencher: divan::Bencher, n: usize) {
    let text = flow(Shape::WideDiamond, n);
    bencher.bench(|| expand(black_box(&text)));
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn expand_nested(bencher: divan::Bencher, n: usize) {
    let text = flow(Shape::Nested, n);
    bencher.bench(|| expand(black_box(&text)));
}

fn fastest(rounds: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    divan::main();
    println!("\nexpansion against checking alone, and scaling (fastest of repeated runs):");
    for shape in [Shape::Chain, Shape::WideDiamond, Shape::Nested] {
        let mut previous = None;
        for (n, rounds) in [(100, 100), (1_000, 20), (10_000, 5)] {
            let text = flow(shape, n);
            let options = Options::default();
            let checked = fastest(rounds, || drop(black_box(check_source(&text, &options))));
            let expanded = fastest(rounds, || drop(black_box(expand(&text))));
            let scaling = previous
                .map(|p: Duration| {
                    format!(
                        ", {:.1}x the size 10x smaller",
                        expanded.as_secs_f64() / p.as_secs_f64()
                    )
                })
                .unwrap_or_default();
            println!(
                "  {shape:?} {n:>6} blocks: expand {expanded:?} = {:.1}x check {checked:?}{scaling}",
                expanded.as_secs_f64() / checked.as_secs_f64()
            );
            previous = Some(expanded);
        }
    }
}
