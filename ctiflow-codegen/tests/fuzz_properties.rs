//! The fuzz targets' properties (`fuzz/`) on stable, over seeded inputs: random flows from
//! `fuzz/src/flowgen.rs` (valid and near-valid, every block type, every reference root and path
//! form) and mutations of the project's example flows (value swaps, duplicated and deleted
//! spans, byte flips, deep nesting, huge strings, Unicode). Each input is compiled for several
//! triggers and lint levels, and for each:
//!
//! - `analyze` and `generate` return (a panic is caught and reported with the input, shrunk);
//! - `generate` (parse, check, lower, emit) finishes within [`TIME_LIMIT`], every property
//!   (its own checks, syn's parse included) within [`HANG_LIMIT`], and the whole allocates at
//!   most [`ALLOC_FACTOR`] × input + [`ALLOC_SLACK`] bytes at its peak;
//! - everything `fuzz/src/properties.rs` asserts: spans, ordering and lint levels of the
//!   diagnostics, the tokens of accepted flows and the stubs of rejected ones parse as a Rust
//!   file, no panicking calls or multi-line docs in the expansion, determinism, generated text
//!   and diagnostics within 2,000 × input + 64 KiB, and (once per input) the macros' front end.
//!
//! Tests: `generated_flows`, `mutated_examples` and `huge_inputs` drive the properties;
//! `outputs_grow_linearly` measures families of growing flows; `fuzz_seeds_pass` runs the fuzz
//! seeds through the targets' code; ignored: `replay` (one input or fuzz artifact, timed by
//! stage), `write_fuzz_seeds` and `accepted_flows_compile` (rustc over accepted flows).
//!
//! `CTIFLOW_FUZZ_CASES` sets the number of inputs per test (default 40 random flows and 100
//! mutations), `CTIFLOW_FUZZ_SEED` the first seed (default 0), `CTIFLOW_FUZZ_HUGE` the size of
//! `huge_inputs`. Run with `--nocapture` to see the statistics: acceptance, the slowest input,
//! the largest ratios of output to input.
//!
//! The time limit is not flaky: the slowest `generate` of the default run takes a few tens of
//! milliseconds in a debug build (the 500-block flows of `huge_inputs` a few hundred), so 2 s
//! is a wide margin on a loaded machine; and an input over the limit is run again, and fails
//! only if it is over twice. A hang (no answer in [`HANG_LIMIT`]) fails at once. Rendering
//! diagnostics is timed apart and held to the same limit.

#[path = "../../fuzz/src/flowgen.rs"]
mod flowgen;
#[path = "fuzz_properties/mutate.rs"]
mod mutate;
// Some of its functions serve only the fuzz targets.
#[allow(dead_code)]
#[path = "../../fuzz/src/properties.rs"]
mod properties;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use ctiflow_codegen::{Level, Options, Trigger};

use flowgen::{Choices, Rng};
use properties::Observed;

/// The most one input may take (one trigger and lint setting, every property).
const TIME_LIMIT: Duration = Duration::from_secs(2);
/// No answer after this long is a hang.
const HANG_LIMIT: Duration = Duration::from_secs(60);
/// Peak heap use per input byte, beyond [`ALLOC_SLACK`] (the largest seen is about 420×: a
/// thousand-block flow, its 9× larger expansion, and syn's tree of it).
const ALLOC_FACTOR: usize = 2_000;
/// Peak heap use of the smallest input, with room for the generated module's tokens.
const ALLOC_SLACK: usize = 64 << 20;

// ---------------------------------------------------------------------------------------------
// Heap use per thread: every case runs on the worker thread, so its peak is the case's peak.

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn account(delta: isize) {
    // `try_with`: const-initialised, destructor-free thread locals never fail, but the
    // allocator must not panic whatever happens.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every method forwards to `System` with the same arguments; the accounting touches
// only `Cell`s of the current thread and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System`'s.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        account(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            account(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`, returning its result and the peak heap growth on this thread while it ran.
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get);
    (out, (peak - base).max(0) as usize)
}

// ---------------------------------------------------------------------------------------------
// The worker: runs jobs with a panic guard, so that the test thread can report hangs.

type Job = Box<dyn FnOnce() -> Observed + Send>;

struct Answer {
    result: Result<Observed, String>,
    elapsed: Duration,
    peak: usize,
}

struct Worker {
    jobs: mpsc::Sender<Job>,
    answers: mpsc::Receiver<Answer>,
}

impl Worker {
    fn new() -> Worker {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (outbox, answers) = mpsc::channel();
        // Proc macros and build scripts run on threads with at least 8 MiB of stack.
        thread::Builder::new()
            .name("fuzz-worker".into())
            .stack_size(8 << 20)
            .spawn(move || {
                for job in inbox {
                    let started = Instant::now();
                    let (result, peak) = measure(|| catch_unwind(AssertUnwindSafe(job)));
                    let elapsed = started.elapsed();
                    let result = result.map_err(|payload| {
                        payload
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                            .unwrap_or_else(|| "a panic without a message".to_owned())
                    });
                    if outbox
                        .send(Answer {
                            result,
                            elapsed,
                            peak,
                        })
                        .is_err()
                    {
                        break;
                    }
                }
            })
            .expect("spawn the worker");
        Worker { jobs, answers }
    }

    /// Runs the properties of `case`; `None` on a hang.
    fn run(&self, case: &Case) -> Option<Answer> {
        let (text, options, target) = (case.text.clone(), case.options.clone(), case.target);
        let expand = case.expand;
        self.jobs
            .send(Box::new(move || {
                properties::parse(&text);
                let observed =
                    properties::generate_and_render(&text, &options, &properties::target(target));
                if expand {
                    properties::expand(&text, &options);
                }
                observed
            }))
            .expect("the worker is alive");
        self.answers.recv_timeout(HANG_LIMIT).ok()
    }
}

// ---------------------------------------------------------------------------------------------
// Cases, failures, shrinking.

#[derive(Clone)]
struct Case {
    label: String,
    text: String,
    options: Options,
    /// The module and file names, as [`properties::target`] makes them from a byte (tokens
    /// cannot cross threads, so the worker makes the target).
    target: u8,
    /// Whether to run the macros' front end too (once per input: it compiles the flow again).
    expand: bool,
}

fn describe(options: &Options) -> String {
    let mut out = match options.trigger {
        Some(t) => t.to_string(),
        None => "no trigger".to_owned(),
    };
    for name in properties::lints() {
        if let Some(level) =
            ctiflow_codegen::Code::from_name(name).and_then(|c| options.lints.level(c))
        {
            let _ = write!(out, ", {}({name})", level.name());
        }
    }
    out
}

/// What went wrong with a case.
#[derive(Clone, Debug)]
struct Failure {
    kind: String,
    message: String,
}

fn failure_of(answer: Option<&Answer>, input: usize) -> Option<Failure> {
    let Some(answer) = answer else {
        return Some(Failure {
            kind: "hang".into(),
            message: format!("no answer within {HANG_LIMIT:?}"),
        });
    };
    if let Err(message) = &answer.result {
        // The property: the message up to its first quote, colon or number.
        let kind: String = message
            .split(['"', ':', '`', '\n'])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect();
        return Some(Failure {
            kind: format!("panic: {}", kind.trim()),
            message: message.clone(),
        });
    }
    let alloc_bound = ALLOC_FACTOR
        .saturating_mul(input)
        .saturating_add(ALLOC_SLACK);
    if answer.peak > alloc_bound {
        return Some(Failure {
            kind: "allocation".into(),
            message: format!(
                "peak heap growth {} bytes for {input} bytes of input (bound {alloc_bound})",
                answer.peak
            ),
        });
    }
    let render = answer
        .result
        .as_ref()
        .map_or(Duration::ZERO, |o| o.render_time);
    let compile = answer
        .result
        .as_ref()
        .map_or(Duration::ZERO, |o| o.compile_time);
    if compile > TIME_LIMIT {
        return Some(Failure {
            kind: "time".into(),
            message: format!(
                "`generate` took {compile:?} for {input} bytes of input (every property: {:?})",
                answer.elapsed,
            ),
        });
    }
    if render > TIME_LIMIT {
        return Some(Failure {
            kind: "render time".into(),
            message: format!("{render:?} rendering the diagnostics of {input} bytes of input"),
        });
    }
    None
}

/// The spans of array items and object members of `text`, largest first, to try deleting.
fn removable(text: &str) -> Vec<(usize, usize)> {
    fn walk(v: &ctiflow_codegen::parse::Value, out: &mut Vec<(usize, usize)>) {
        use ctiflow_codegen::parse::Kind;
        match &v.kind {
            Kind::Array(items) => {
                for i in items {
                    out.push((i.span.start, i.span.end));
                    walk(i, out);
                }
            }
            Kind::Object(members) => {
                for m in members {
                    out.push((m.key_span.start, m.value.span.end));
                    walk(&m.value, out);
                }
            }
            _ => out.push((v.span.start, v.span.end)),
        }
    }
    let mut out = Vec::new();
    if let Ok(tree) = ctiflow_codegen::parse::parse(text) {
        walk(&tree, &mut out);
    }
    out.sort_by_key(|&(a, b)| std::cmp::Reverse(b - a));
    out
}

/// Deletes `start..end` and a comma next to it, if any.
fn without(text: &str, start: usize, end: usize) -> String {
    let after = text[end..].trim_start();
    if let Some(rest) = after.strip_prefix(',') {
        return format!("{}{}", &text[..start], rest);
    }
    let before = text[..start].trim_end();
    if let Some(head) = before.strip_suffix(',') {
        return format!("{head}{}", &text[end..]);
    }
    format!("{}{}", &text[..start], &text[end..])
}

/// Shrinks `case` while it fails with the same kind of failure: whole JSON members and items
/// first, then chunks of bytes, then long strings. Bounded in attempts.
fn shrink(worker: &Worker, case: &Case, kind: &str) -> Case {
    let still_fails = |text: &str| {
        let candidate = Case {
            text: text.to_owned(),
            ..case.clone()
        };
        let answer = worker.run(&candidate);
        failure_of(answer.as_ref(), text.len()).is_some_and(|f| f.kind == kind)
    };
    let mut text = case.text.clone();
    let mut attempts = 0;
    let budget = 4_000;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut progress = true;
    while progress && attempts < budget {
        progress = false;
        // Members and items.
        let mut i = 0;
        loop {
            let spans = removable(&text);
            let Some(&(start, end)) = spans.get(i) else {
                break;
            };
            if attempts >= budget {
                break;
            }
            attempts += 1;
            let candidate = without(&text, start, end);
            if candidate.len() < text.len() && still_fails(&candidate) {
                text = candidate;
                progress = true;
            } else {
                i += 1;
            }
        }
        // Chunks of characters.
        let mut chunk = text.len() / 2;
        while chunk > 0 && attempts < budget {
            let mut at = 0;
            while at < text.len() && attempts < budget {
                let mut start = at;
                while !text.is_char_boundary(start) {
                    start += 1;
                }
                let mut end = (start + chunk).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                attempts += 1;
                let candidate = format!("{}{}", &text[..start], &text[end..]);
                if start < end && still_fails(&candidate) {
                    text = candidate;
                    progress = true;
                } else {
                    at = end;
                }
            }
            chunk /= 2;
        }
    }
    std::panic::set_hook(hook);
    Case {
        text,
        ..case.clone()
    }
}

fn save(case: &Case, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{name}.json"));
    let _ = std::fs::write(&path, &case.text);
    path
}

fn show(text: &str) -> String {
    if text.len() <= 1_500 {
        return text.to_owned();
    }
    let head: String = text.chars().take(700).collect();
    let tail: String = {
        let chars: Vec<char> = text.chars().collect();
        chars[chars.len().saturating_sub(300)..].iter().collect()
    };
    format!("{head}\n… ({} bytes) …\n{tail}", text.len())
}

// ---------------------------------------------------------------------------------------------
// Statistics.

#[derive(Default)]
struct Stats {
    runs: usize,
    inputs: usize,
    accepted: usize,
    rejected_flows: usize,
    not_flows: usize,
    total: Duration,
    total_render: Duration,
    slowest: (Duration, String),
    slowest_render: (Duration, String),
    most_memory: (f64, String),
    generated_ratio: (f64, String),
    diagnostics_ratio: (f64, String),
    rendered_ratio: (f64, String),
}

fn raise(best: &mut (f64, String), value: f64, label: &str) {
    if value > best.0 {
        *best = (value, label.to_owned());
    }
}

impl Stats {
    fn add(&mut self, case: &Case, answer: &Answer, observed: &Observed) {
        self.runs += 1;
        self.total += answer.elapsed;
        self.total_render += observed.render_time;
        if observed.accepted {
            self.accepted += 1;
        } else if observed.flow {
            self.rejected_flows += 1;
        } else {
            self.not_flows += 1;
        }
        let label = format!(
            "{} ({}, {} bytes)",
            case.label,
            describe(&case.options),
            case.text.len()
        );
        if observed.compile_time > self.slowest.0 {
            self.slowest = (observed.compile_time, label.clone());
        }
        if observed.render_time > self.slowest_render.0 {
            self.slowest_render = (observed.render_time, label.clone());
        }
        // Ratios of tiny inputs say nothing: the stub alone is a few kilobytes.
        if case.text.len() < 1_024 {
            return;
        }
        let input = case.text.len() as f64;
        raise(&mut self.most_memory, answer.peak as f64 / input, &label);
        raise(
            &mut self.generated_ratio,
            observed.generated as f64 / input,
            &label,
        );
        raise(
            &mut self.diagnostics_ratio,
            observed.diagnostics as f64 / input,
            &label,
        );
        raise(
            &mut self.rendered_ratio,
            observed.rendered as f64 / input,
            &label,
        );
    }

    fn report(&self, name: &str) {
        eprintln!(
            "{name}: {} inputs, {} runs in {:.2?}, {:.2?} of it rendering diagnostics ({} accepted, \
             {} rejected flows, {} not flows)\n  \
             slowest `generate`: {:.2?} for {}\n  \
             slowest rendering of diagnostics: {:.2?} for {}\n  \
             largest ratios to inputs of 1 KiB or more: generated {:.1}× ({}), diagnostics {:.1}× ({}), \
             rendered diagnostics {:.1}× ({}), peak heap {:.1}× ({})",
            self.inputs,
            self.runs,
            self.total,
            self.total_render,
            self.accepted,
            self.rejected_flows,
            self.not_flows,
            self.slowest.0,
            self.slowest.1,
            self.slowest_render.0,
            self.slowest_render.1,
            self.generated_ratio.0,
            self.generated_ratio.1,
            self.diagnostics_ratio.0,
            self.diagnostics_ratio.1,
            self.rendered_ratio.0,
            self.rendered_ratio.1,
            self.most_memory.0,
            self.most_memory.1,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The driver.

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Inputs per test: `CTIFLOW_FUZZ_CASES`, else `default`.
fn cases_per_test(default: u64) -> u64 {
    env_number("CTIFLOW_FUZZ_CASES", default)
}

fn first_seed() -> u64 {
    env_number("CTIFLOW_FUZZ_SEED", 0)
}

/// Random options: a trigger and lint levels, as the fuzz targets pick them.
fn random_options(rng: &mut Rng) -> Options {
    let mut levels = [0u8; 8];
    for l in &mut levels {
        *l = if rng.chance(70) {
            0
        } else {
            rng.below(4) as u8
        };
    }
    properties::options(rng.below(256) as u8, &levels)
}

/// Runs every case; at the end, reports statistics and fails with every distinct failure,
/// each with its shrunk input.
fn drive(name: &str, cases: impl Iterator<Item = Vec<Case>>) {
    let worker = Worker::new();
    let mut stats = Stats::default();
    let mut failures: Vec<(Failure, Case, Case, PathBuf)> = Vec::new();
    let mut failed_runs = 0;
    for group in cases {
        stats.inputs += 1;
        for case in group {
            let mut answer = worker.run(&case);
            let mut failure = failure_of(answer.as_ref(), case.text.len());
            if failure.as_ref().is_some_and(|f| f.kind.contains("time")) {
                // Once more: a loaded machine can stall one run, not two.
                answer = worker.run(&case);
                failure = failure_of(answer.as_ref(), case.text.len());
            }
            match (failure, answer) {
                (None, Some(answer)) => {
                    let observed = answer.result.as_ref().expect("no failure");
                    stats.add(&case, &answer, observed);
                }
                (Some(failure), answer) => {
                    failed_runs += 1;
                    if failure.kind == "hang" {
                        let path = save(&case, &format!("{name}-hang"));
                        panic!(
                            "{name}: {} hangs ({}); input saved to {}:\n{}",
                            case.label,
                            describe(&case.options),
                            path.display(),
                            show(&case.text)
                        );
                    }
                    if let Some(answer) = answer
                        && let Ok(observed) = &answer.result
                    {
                        stats.add(&case, &answer, observed);
                    }
                    if failures.iter().any(|(f, ..)| f.kind == failure.kind) || failures.len() >= 12
                    {
                        continue;
                    }
                    let small = if failure.kind.contains("time") {
                        case.clone()
                    } else {
                        shrink(&worker, &case, &failure.kind)
                    };
                    let path = save(&small, &format!("{name}-{}", failures.len()));
                    failures.push((failure, case, small, path));
                }
                (None, None) => unreachable!("no answer is a failure"),
            }
        }
    }
    stats.report(name);
    if failures.is_empty() {
        return;
    }
    let mut report = format!(
        "{name}: {failed_runs} of {} runs failed, {} distinct failures:\n",
        stats.runs + failed_runs,
        failures.len()
    );
    for (failure, case, small, path) in &failures {
        let small_answer = worker.run(small);
        let small_message = small_answer
            .as_ref()
            .and_then(|a| a.result.as_ref().err().cloned())
            .unwrap_or_else(|| failure.message.clone());
        let _ = write!(
            report,
            "\n== {} ==\n{} ({}), {} bytes, shrunk to {} bytes (saved to {}):\n{}\n-- message --\n{}\n",
            failure.kind,
            case.label,
            describe(&case.options),
            case.text.len(),
            small.text.len(),
            path.display(),
            show(&small.text),
            show(&small_message),
        );
    }
    panic!("{report}");
}

fn flow_target(rng: &mut Rng) -> u8 {
    if rng.chance(80) {
        0
    } else {
        rng.below(256) as u8
    }
}

/// Random flows, each for the trigger it was made for (allowing `maybe_unset` when its wiring
/// is loose), for it with every lint allowed, and with random options.
#[test]
fn generated_flows() {
    let seed = first_seed();
    let n = cases_per_test(40);
    let cases = (seed..seed + n).map(|i| {
        let mut rng = Rng::new(0xC71F_10A0 ^ i.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let config = flowgen::Config {
            max_blocks: if rng.chance(10) { 120 } else { 24 },
            mistakes: rng.pick(&[0, 0, 1, 2, 5, 20]),
            max_string: if rng.chance(2) { 64 << 10 } else { 256 },
        };
        let flow = flowgen::flow(&mut rng, config);
        let mut intended = Options {
            trigger: flow.trigger,
            ..Options::default()
        };
        if flow.loose {
            intended
                .lints
                .set("maybe_unset", Level::Allow)
                .expect("a lint");
        }
        let label = format!("generated flow #{i}");
        let mut group = vec![Case {
            label: label.clone(),
            text: flow.text.clone(),
            options: intended,
            target: flow_target(&mut rng),
            expand: true,
        }];
        let mut quiet = Options {
            trigger: flow.trigger,
            ..Options::default()
        };
        for lint in properties::lints() {
            quiet.lints.set(lint, Level::Allow).expect("a lint");
        }
        for options in [quiet, random_options(&mut rng)] {
            group.push(Case {
                label: label.clone(),
                text: flow.text.clone(),
                options,
                target: flow_target(&mut rng),
                expand: false,
            });
        }
        group
    });
    drive("generated_flows", cases);
}

/// The example flows with the triggers they are compiled for.
fn seeds() -> Vec<(mutate::Seed, Option<Trigger>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let trigger = |s: &str, e: &str| Trigger::parse(s, Some(e)).ok();
    let known = [
        (
            "examples/flows/incoming-call.json",
            trigger("VoiceContact", "onConnecting"),
        ),
        (
            "examples/flows/missed-call.json",
            trigger("VoiceContact", "onMissed"),
        ),
        (
            "examples/flows/click-to-dial.json",
            trigger("SalesforceUi", "onClickToDial"),
        ),
        (
            "examples/flows/hvs-work.json",
            trigger("SalesforceUi", "onHvsWorkStart"),
        ),
        (
            "examples/flows/chat-pop-by-email.json",
            trigger("ChatContact", "onConnecting"),
        ),
        (
            "examples/flows/case-by-attribute.json",
            trigger("TaskContact", "onConnecting"),
        ),
        (
            "examples/flows/callback-account.json",
            trigger("QueueCallbackContact", "onConnecting"),
        ),
    ];
    // A compile-fail case of the trybuild tests (its results are maybe unset): mutated too.
    let failing = [(
        "tests/ui/flows/create-task.json",
        trigger("VoiceContact", "onConnecting"),
    )];
    let mut out = Vec::new();
    for (path, trigger) in known.into_iter().chain(failing) {
        let text =
            std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"));
        out.push((mutate::Seed::new(path, text), trigger));
    }
    // Any example added later is mutated too, without a trigger.
    if let Ok(dir) = std::fs::read_dir(root.join("examples/flows")) {
        let mut extra: Vec<PathBuf> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter(|p| {
                !known
                    .iter()
                    .any(|(k, _)| p.ends_with(k.trim_start_matches("examples/flows/")))
            })
            .collect();
        extra.sort();
        for path in extra {
            if let Ok(text) = std::fs::read_to_string(&path)
                && ctiflow_codegen::parse::parse(&text).is_ok()
            {
                out.push((mutate::Seed::new(path.display().to_string(), text), None));
            }
        }
    }
    out
}

#[test]
fn the_examples_compile_cleanly() {
    for (seed, trigger) in seeds()
        .into_iter()
        .filter(|(s, _)| s.name.starts_with("examples/"))
    {
        let options = Options {
            trigger,
            ..Options::default()
        };
        let observed = properties::generate_flow(&seed.text, &options);
        assert!(observed.accepted, "{} is rejected", seed.name);
    }
}

/// Mutated example flows, each for the example's trigger, with no trigger, and with random
/// options.
#[test]
fn mutated_examples() {
    let seeds = seeds();
    let texts: Vec<mutate::Seed> = seeds
        .iter()
        .map(|(s, _)| mutate::Seed::new(s.name.clone(), s.text.clone()))
        .collect();
    let seed = first_seed();
    let n = cases_per_test(100);
    let cases = (seed..seed + n).map(|i| {
        let mut rng = Rng::new(0x5EED_F10A ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let k = rng.below(seeds.len());
        let (original, trigger) = &seeds[k];
        let huge = if rng.chance(5) { 64 << 10 } else { 4_096 };
        let text = mutate::mutate(original, &texts, &mut rng, huge);
        let label = format!("mutation #{i} of {}", original.name);
        let mut group = Vec::new();
        for options in [
            Options {
                trigger: *trigger,
                ..Options::default()
            },
            Options::default(),
            random_options(&mut rng),
        ] {
            group.push(Case {
                label: label.clone(),
                text: text.clone(),
                options,
                target: flow_target(&mut rng),
                expand: group.is_empty(),
            });
        }
        group
    });
    drive("mutated_examples", cases);
}

/// Replays one input, timing each stage, then asserts every property. The input is
/// `CTIFLOW_FUZZ_REPLAY=path`: a flow text (compiled for `CTIFLOW_FUZZ_SOURCE` and
/// `CTIFLOW_FUZZ_EVENT`, if set), or, with
/// `CTIFLOW_FUZZ_TARGET=parse|check|generate|expand|flowgen`,
/// an input of that fuzz target (a libFuzzer artifact), read as the target reads it:
///
/// ```text
/// CTIFLOW_FUZZ_TARGET=generate CTIFLOW_FUZZ_REPLAY=fuzz/artifacts/generate/crash-… \
///     cargo test -p ctiflow-codegen --test fuzz_properties replay -- --ignored --nocapture
/// ```
#[test]
#[ignore = "replays the input named by CTIFLOW_FUZZ_REPLAY"]
fn replay() {
    let Some(path) = std::env::var_os("CTIFLOW_FUZZ_REPLAY") else {
        eprintln!("set CTIFLOW_FUZZ_REPLAY to a file");
        return;
    };
    let bytes = std::fs::read(&path).expect("read the input");
    let (text, options, target) = match std::env::var("CTIFLOW_FUZZ_TARGET").as_deref() {
        Ok("check" | "generate" | "expand") => {
            let input = properties::Input::decode(&bytes);
            (input.text, input.options, input.target)
        }
        Ok("flowgen") => flowgen::case(&bytes),
        Ok("parse") | Err(_) => {
            let source = std::env::var("CTIFLOW_FUZZ_SOURCE").ok();
            let event = std::env::var("CTIFLOW_FUZZ_EVENT").ok();
            let options =
                Options::from_names(source.as_deref(), event.as_deref(), []).expect("options");
            (String::from_utf8_lossy(&bytes).into_owned(), options, 0)
        }
        Ok(other) => panic!("no fuzz target `{other}`: parse, check, generate, expand or flowgen"),
    };
    let time = |name: &str, f: &mut dyn FnMut()| {
        let started = Instant::now();
        let ((), peak) = measure(f);
        eprintln!(
            "{name:>28}: {:>10.2?}, peak heap {peak} bytes",
            started.elapsed()
        );
    };
    eprintln!("{} bytes, {}", text.len(), describe(&options));
    time("parse", &mut || drop(ctiflow_codegen::parse::parse(&text)));
    let mut analysis = None;
    time("analyze", &mut || {
        analysis = Some(ctiflow_codegen::analyze(&text, &options))
    });
    let diagnostics = analysis.expect("analysed").diagnostics;
    eprintln!("{:>28}: {}", "diagnostics", diagnostics.len());
    time("render (CLI)", &mut || {
        let source = ctiflow_codegen::render::Source::new("f.json", &text);
        drop(ctiflow_codegen::render::render(
            &source,
            &diagnostics,
            false,
        ))
    });
    time("render (macro, each)", &mut || {
        let source = ctiflow_codegen::render::Source::new("f.json", &text);
        for d in &diagnostics {
            drop(ctiflow_codegen::render::for_macro(&source, d));
        }
    });
    let mut generated = None;
    time("generate", &mut || {
        generated = Some(ctiflow_codegen::generate(
            &text,
            &options,
            &properties::target(target),
        ))
    });
    let tokens = generated.expect("generated").tokens;
    let mut printed = String::new();
    time("tokens to text", &mut || printed = tokens.to_string());
    eprintln!("{:>28}: {} bytes", "generated", printed.len());
    time("syn::File", &mut || {
        drop(syn::parse2::<syn::File>(tokens.clone()))
    });
    time("every property", &mut || {
        properties::parse(&text);
        properties::generate_and_render(&text, &options, &properties::target(target));
    });
    time("the macros' front end", &mut || {
        properties::expand(&text, &options)
    });
}

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Writes the fuzz targets' seed corpus (`fuzz/corpus/<target>/seed-*`: the example flows,
/// with their triggers for `check` and `generate`, and byte strings for `flowgen`) and the
/// dictionary `fuzz/ctiflow.dict` (block types, controls, ports, fields, reference roots).
#[test]
#[ignore = "writes fuzz/corpus and fuzz/ctiflow.dict"]
fn write_fuzz_seeds() {
    let corpus = fuzz_dir().join("corpus");
    for target in ["parse", "check", "generate", "expand", "flowgen"] {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir).expect("create the corpus");
        for entry in std::fs::read_dir(&dir).expect("list the corpus").flatten() {
            if entry.file_name().to_string_lossy().starts_with("seed-") {
                std::fs::remove_file(entry.path()).expect("remove an old seed");
            }
        }
    }
    for (seed, trigger) in seeds() {
        let stem = Path::new(&seed.name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let write = |target: &str, bytes: &[u8]| {
            std::fs::write(corpus.join(target).join(format!("seed-{stem}")), bytes)
                .expect("write a seed");
        };
        write("parse", seed.text.as_bytes());
        write("check", &properties::Input::encode(trigger, &seed.text));
        write("generate", &properties::Input::encode(trigger, &seed.text));
        write("expand", &properties::Input::encode(trigger, &seed.text));
    }
    let mut rng = Rng::new(7);
    for i in 0..16 {
        let len = 32 << (i % 5);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        std::fs::write(corpus.join("flowgen").join(format!("seed-{i:02}")), bytes)
            .expect("write a seed");
    }
    let mut words: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        let token = format!("\"{w}\"");
        if !words.contains(&token) {
            words.push(token);
        }
    };
    for w in [
        "actions", "id", "type", "meta", "title", "controls", "ports", "position", "name",
    ] {
        add(w);
    }
    for block in ctiflow_codegen::catalog::BLOCKS {
        add(block.type_id);
        for control in block.controls {
            add(control.name);
            if let ctiflow_codegen::catalog::ControlKind::Enum(values) = control.kind {
                values.iter().for_each(|v| add(v));
            }
        }
        for port in block.ports {
            add(port.name());
        }
    }
    for field in ctiflow_codegen::catalog::CONTACT_PROPERTIES
        .iter()
        .chain(ctiflow_codegen::catalog::AGENT)
    {
        add(field.name);
    }
    let mut lines: Vec<String> = words.iter().map(|w| dict_entry(w)).collect();
    for raw in [
        "$.actions.",
        ".results",
        "$.payload",
        "$.contact",
        "$.agent",
        "[0]",
        ".[0]",
        "${",
        "}",
        "\\u",
        "\\ud83d\\ude00",
        "null",
        "true",
        "false",
        "1e400",
        "-0",
    ] {
        lines.push(dict_entry(raw));
    }
    let dict = format!(
        "# Tokens of CTI Flows for libFuzzer (-dict=ctiflow.dict); written by write_fuzz_seeds\n\
         # in ctiflow-codegen/tests/fuzz_properties.rs.\n{}\n",
        lines.join("\n")
    );
    std::fs::write(fuzz_dir().join("ctiflow.dict"), dict).expect("write the dictionary");
}

/// A libFuzzer dictionary entry: quoted, with `\\`, `"` and bytes outside printable ASCII
/// escaped as `\\xNN`.
fn dict_entry(token: &str) -> String {
    let mut out = String::from("\"");
    for b in token.bytes() {
        match b {
            b'\\' | b'"' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out.push('"');
    out
}

/// The committed seeds pass every property, read as their fuzz target reads them: the targets'
/// glue works on stable.
#[test]
fn fuzz_seeds_pass() {
    let corpus = fuzz_dir().join("corpus");
    let mut n = 0;
    for target in ["parse", "check", "generate", "expand", "flowgen"] {
        let Ok(entries) = std::fs::read_dir(corpus.join(target)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|f| f.to_string_lossy().starts_with("seed-"))
            })
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).expect("read a seed");
            match target {
                "parse" => properties::parse(&String::from_utf8_lossy(&bytes)),
                "check" => {
                    let input = properties::Input::decode(&bytes);
                    properties::check(&input.text, &input.options);
                }
                "generate" => {
                    let input = properties::Input::decode(&bytes);
                    let observed = properties::generate_with(
                        &input.text,
                        &input.options,
                        &properties::target(input.target),
                    );
                    if path.to_string_lossy().contains("seed-")
                        && !path.ends_with("seed-create-task")
                    {
                        assert!(observed.accepted, "{} is rejected", path.display());
                    }
                }
                "expand" => {
                    let input = properties::Input::decode(&bytes);
                    properties::expand(&input.text, &input.options);
                }
                _ => {
                    let (text, options, target) = flowgen::case(&bytes);
                    properties::generate_with(&text, &options, &properties::target(target));
                }
            }
            n += 1;
        }
    }
    assert!(n >= 5 * 8, "only {n} seeds in {}", corpus.display());
}

/// The token checks find what they look for, and only that.
#[test]
fn the_token_checks_work() {
    let tokens = |s: &str| s.parse::<proc_macro2::TokenStream>().expect("tokens");
    let mut found = Vec::new();
    properties::forbidden(
        &tokens(
            "fn f() { x.unwrap(); panic!(\"x\"); let panic = 1; mod m { fn g() { y.expect(\"e\") } } }",
        ),
        &mut found,
    );
    assert_eq!(found, [".unwrap()", "panic!", ".expect()"]);
    let caught = |s: &str| {
        let t = tokens(s);
        catch_unwind(move || properties::check_docs(&t)).is_err()
    };
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let results = [
        caught("#[doc = \"one line\"] struct A;"),
        caught("mod m { #[doc = \"two\\nlines\"] struct A; }"),
        caught("#[doc = r\"```rust\"] struct A;"),
    ];
    std::panic::set_hook(hook);
    assert_eq!(results, [false, true, true]);
    assert_eq!(
        properties::compile_errors(&tokens(
            "::core::compile_error!(\"a\"); mod m { compile_error!(\"b\"); } fn compile_error() {}"
        )),
        2
    );
}

/// `ctiflow!` reads string literal tokens as rustc reads them (the `expand` property, on the
/// case the fuzzers have not reached): after a `\` line continuation rustc skips only ASCII
/// white space, and keeps U+00A0 or U+2028 (with a warning), and so does
/// `expand::string_value`.
#[test]
fn string_continuations_read_as_rustc_reads_them() {
    for source in ["\"a\\\n\u{a0}b\"", "\"a\\\n\u{2028}b\""] {
        let tokens: proc_macro2::TokenStream = source.parse().expect("a literal");
        let Some(proc_macro2::TokenTree::Literal(lit)) = tokens.into_iter().next() else {
            panic!("not a literal: {source}");
        };
        let rustc = syn::parse2::<syn::LitStr>(proc_macro2::TokenTree::Literal(lit.clone()).into())
            .map(|l| l.value())
            .ok();
        assert_eq!(
            ctiflow_codegen::expand::string_value(&lit),
            rustc,
            "{source:?}"
        );
    }
}

/// Without mistakes, the generator's flows pass the checker for the trigger they were made for:
/// the random flows reach the code generator, not only the checker.
#[test]
fn flows_without_mistakes_are_accepted() {
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    let n = 400;
    let mut accepted = 0;
    for i in 0..n {
        let mut rng = Rng::new(i);
        let config = flowgen::Config {
            mistakes: 0,
            ..flowgen::Config::default()
        };
        let flow = flowgen::flow(&mut rng, config);
        let mut options = Options {
            trigger: flow.trigger,
            ..Options::default()
        };
        if flow.loose {
            options
                .lints
                .set("maybe_unset", Level::Allow)
                .expect("a lint");
        }
        let analysis = ctiflow_codegen::analyze(&flow.text, &options);
        if analysis.has_errors() {
            for d in analysis.diagnostics.iter().filter(|d| d.is_error()) {
                *codes
                    .entry(format!(
                        "{}: {}",
                        d.code,
                        d.message.chars().take(150).collect::<String>()
                    ))
                    .or_default() += 1;
            }
        } else {
            accepted += 1;
        }
    }
    eprintln!("flows without mistakes: {accepted} of {n} accepted");
    assert!(
        accepted * 10 >= n * 9,
        "{accepted} of {n} accepted; errors: {codes:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Scaling: families of flows whose size grows, and how their outputs grow with them.

fn block(id: &str, ty: &str, controls: &str, ports: &str) -> String {
    format!(r#"{{"id":"{id}","type":"{ty}","controls":{{{controls}}},"ports":{{{ports}}}}}"#)
}

fn flow_of(blocks: &[String]) -> String {
    format!(r#"{{"actions":[{}]}}"#, blocks.join(","))
}

/// A family: its name, the flow of size `n`, and its options.
struct Family {
    name: &'static str,
    make: fn(usize) -> String,
    trigger: Option<(&'static str, &'static str)>,
    sizes: [usize; 3],
}

/// `n` Get Contact Properties blocks in a chain, then a String Template reading each of them:
/// every block's results live until the end.
fn all_read_at_the_end(n: usize) -> String {
    let mut blocks = vec![block("start", "SE_Start", "", r#""done":"p0""#)];
    for i in 0..n {
        let next = if i + 1 < n {
            format!("p{}", i + 1)
        } else {
            "t".into()
        };
        blocks.push(block(
            &format!("p{i}"),
            "SE_ContactProperties",
            "",
            &format!(r#""done":"{next}""#),
        ));
    }
    let template: String = (0..n).map(|i| format!("${{v{i}}}")).collect();
    let variables: Vec<String> = (0..n)
        .map(|i| format!(r#""v{i}":"$.actions.p{i}.results.contactId""#))
        .collect();
    blocks.push(block(
        "t",
        "SE_TextStringTemplate",
        &format!(
            r#""template":"{template}","variables":{{{}}}"#,
            variables.join(",")
        ),
        r#""done":"end""#,
    ));
    blocks.push(block("end", "SE_End", "", ""));
    flow_of(&blocks)
}

/// A decision that skips a lookup, then `n` blocks in a chain each reading the lookup: `n`
/// `maybe_unset` errors, each with a witness path through the blocks before it.
fn maybe_unset_chain(n: usize) -> String {
    let mut blocks = vec![
        block("start", "SE_Start", "", r#""done":"d""#),
        block(
            "d",
            "SE_CoreTruthy",
            r#""value":"$.agent.name""#,
            r#""true":"g","false":"c0""#,
        ),
        block(
            "g",
            "SE_SFGetLeadId",
            r#""formattedPhoneNumber":"+15550100001""#,
            r#""success":"c0""#,
        ),
    ];
    for i in 0..n {
        let next = if i + 1 < n {
            format!("c{}", i + 1)
        } else {
            "end".into()
        };
        blocks.push(block(
            &format!("c{i}"),
            "SE_Log",
            r#""message":"$.actions.g.results.sfLeadId""#,
            &format!(r#""done":"{next}""#),
        ));
    }
    blocks.push(block("end", "SE_End", "", ""));
    flow_of(&blocks)
}

/// A chain of `n` lookups whose `failure` ports all lead back to the first: `n` cycles.
fn back_edges(n: usize) -> String {
    let mut blocks = vec![block("start", "SE_Start", "", r#""done":"c0""#)];
    for i in 0..n {
        let next = if i + 1 < n {
            format!("c{}", i + 1)
        } else {
            "end".into()
        };
        blocks.push(block(
            &format!("c{i}"),
            "SE_SFGetLeadId",
            r#""formattedPhoneNumber":"+15550100001""#,
            &format!(r#""success":"{next}","failure":"c0""#),
        ));
    }
    blocks.push(block("end", "SE_End", "", ""));
    flow_of(&blocks)
}

/// `n` blocks of an unknown type in a minified file: `n` errors on its only line.
fn errors_on_one_line(n: usize) -> String {
    let mut blocks = vec![block("start", "SE_Start", "", r#""done":"end""#)];
    for i in 0..n {
        blocks.push(block(&format!("u{i}"), "SE_Lgo", "", ""));
    }
    blocks.push(block("end", "SE_End", "", ""));
    flow_of(&blocks)
}

/// `n` logs in a chain, each reading a block id that does not exist but is close to many that
/// do: a "did you mean" search per reference.
fn unknown_blocks(n: usize) -> String {
    let mut blocks = vec![block("start", "SE_Start", "", r#""done":"uid-0""#)];
    for i in 0..n {
        let next = if i + 1 < n {
            format!("uid-{}", i + 1)
        } else {
            "end".into()
        };
        blocks.push(block(
            &format!("uid-{i}"),
            "SE_Log",
            &format!(r#""message":"$.actions.uid-{}x.results""#, i),
            &format!(r#""done":"{next}""#),
        ));
    }
    blocks.push(block("end", "SE_End", "", ""));
    flow_of(&blocks)
}

/// A valid chain of `n` lookups, each read by the next block: the plain case.
fn lookups_read_once(n: usize) -> String {
    let mut blocks = vec![block("start", "SE_Start", "", r#""done":"g0""#)];
    for i in 0..n {
        let next = if i + 1 < n {
            format!("g{}", i + 1)
        } else {
            "end".into()
        };
        let phone = if i == 0 {
            "+15550100001".to_owned()
        } else {
            format!("$.actions.g{}.results.sfLeadId", i - 1)
        };
        blocks.push(block(
            &format!("g{i}"),
            "SE_SFGetLeadId",
            &format!(r#""formattedPhoneNumber":"{phone}""#),
            &format!(r#""success":"{next}","failure":"end""#),
        ));
    }
    blocks.push(block("end", "SE_End", "", ""));
    flow_of(&blocks)
}

const FAMILIES: &[Family] = &[
    Family {
        name: "lookups read once (valid)",
        make: lookups_read_once,
        trigger: None,
        sizes: [100, 200, 400],
    },
    Family {
        name: "all results read at the end (valid)",
        make: all_read_at_the_end,
        trigger: Some(("VoiceContact", "onConnecting")),
        sizes: [40, 80, 160],
    },
    Family {
        name: "maybe_unset chain",
        make: maybe_unset_chain,
        trigger: None,
        sizes: [40, 80, 160],
    },
    Family {
        name: "back edges (cycles)",
        make: back_edges,
        trigger: None,
        sizes: [40, 80, 160],
    },
    Family {
        name: "errors on one line",
        make: errors_on_one_line,
        trigger: None,
        sizes: [20, 40, 80],
    },
    Family {
        name: "unknown blocks with suggestions",
        make: unknown_blocks,
        trigger: None,
        sizes: [40, 80, 160],
    },
];

/// One measurement of a family member.
#[derive(Clone, Copy, Debug, Default)]
struct Sizes {
    input: usize,
    generated: usize,
    diagnostics: usize,
    rendered: usize,
    /// Checking and generating.
    seconds: f64,
    /// Rendering the diagnostics.
    render_seconds: f64,
}

fn sizes_of(text: &str, options: &Options) -> Sizes {
    let started = Instant::now();
    let generated = ctiflow_codegen::generate(text, options, &ctiflow_codegen::Target::new("flow"));
    let seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let source = ctiflow_codegen::render::Source::new("f.json", text);
    let rendered = ctiflow_codegen::render::render(&source, &generated.diagnostics, false);
    let render_seconds = started.elapsed().as_secs_f64();
    Sizes {
        input: text.len(),
        generated: generated.tokens.to_string().len(),
        diagnostics: generated
            .diagnostics
            .iter()
            .map(|d| {
                d.message.len()
                    + d.help.as_ref().map_or(0, String::len)
                    + d.notes.iter().map(|n| n.message.len()).sum::<usize>()
            })
            .sum(),
        rendered: rendered.len(),
        seconds,
        render_seconds,
    }
}

/// How an output grows with the input over the last doubling: 1 is linear, 2 quadratic.
fn exponent(small: (usize, usize), large: (usize, usize)) -> f64 {
    let output = (large.1.max(1) as f64 / small.1.max(1) as f64).ln();
    let input = (large.0 as f64 / small.0 as f64).ln();
    output / input
}

/// Every family's generated text, diagnostics and rendered diagnostics grow linearly with the
/// input (exponent at most 1.4 over the last doubling).
#[test]
fn outputs_grow_linearly() {
    let mut unexpected = Vec::new();
    for family in FAMILIES {
        let options =
            Options::from_names(family.trigger.map(|t| t.0), family.trigger.map(|t| t.1), [])
                .expect("options");
        let runs: Vec<Sizes> = family
            .sizes
            .iter()
            .map(|&n| sizes_of(&(family.make)(n), &options))
            .collect();
        let (a, b) = (runs[1], runs[2]);
        for (output, small, large) in [
            ("generated", a.generated, b.generated),
            ("diagnostics", a.diagnostics, b.diagnostics),
            ("rendered", a.rendered, b.rendered),
        ] {
            let e = exponent((a.input, small), (b.input, large));
            eprintln!(
                "{:<36} {output:<12} {:>10} → {:>10} bytes for {:>8} → {:>8} bytes of input: exponent {e:.2}{}",
                family.name,
                small,
                large,
                a.input,
                b.input,
                if e > 1.4 { "  SUPER-LINEAR" } else { "" },
            );
            if e > 1.4 {
                unexpected.push(format!(
                    "{}: {output} grows with exponent {e:.2}",
                    family.name
                ));
            }
        }
        for (what, small, large) in [
            ("time", a.seconds, b.seconds),
            ("render time", a.render_seconds, b.render_seconds),
        ] {
            let e = exponent(
                (a.input, (small * 1e6) as usize),
                (b.input, (large * 1e6) as usize),
            );
            eprintln!(
                "{:<36} {what:<12} {:>9.1?} → {:>9.1?}: exponent {e:.2}",
                family.name,
                Duration::from_secs_f64(small),
                Duration::from_secs_f64(large),
            );
        }
    }
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

/// Compiles accepted flows with rustc: syntax is what the other tests check, this checks types
/// and names too. Writes a crate of `CTIFLOW_FUZZ_CASES` (default 200) accepted flows (random
/// ones and mutated examples),
/// one module each, to `$CARGO_TARGET_TMPDIR/compile-check` and runs `cargo check` on it; each
/// error names the module, whose flow is in `flows/`. Slow (it builds the runtime), so ignored:
///
/// ```text
/// cargo test -p ctiflow-codegen --test fuzz_properties accepted_flows_compile -- --ignored --nocapture
/// ```
#[test]
#[ignore = "builds a crate of generated flows with cargo (minutes)"]
fn accepted_flows_compile() {
    let want = cases_per_test(200) as usize;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-check");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    let _ = std::fs::remove_dir_all(dir.join("flows"));
    std::fs::create_dir_all(dir.join("src")).expect("create the crate");
    std::fs::create_dir_all(dir.join("flows")).expect("create the crate");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"compile-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\nctiflow = {{ path = {:?} }}\n\n[workspace]\n",
            root.display().to_string()
        ),
    )
    .expect("write Cargo.toml");
    let mut lib = String::from("// Generated by accepted_flows_compile: one module per line.\n");
    let mut modules = Vec::new();
    // Half random flows, half accepted mutations of the examples (hostile ids and titles in
    // real structures).
    let examples = seeds();
    let texts: Vec<mutate::Seed> = examples
        .iter()
        .map(|(s, _)| mutate::Seed::new(s.name.clone(), s.text.clone()))
        .collect();
    // And some extremes: nesting at the parser's limit (256, with the four levels around a
    // control) in a value, a long id, every
    // hostile string in a title.
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/flows/incoming-call.json"),
    )
    .expect("read the example");
    let hostile: String = flowgen::HOSTILE.concat();
    let mut quoted_hostile = String::new();
    let plain = flowgen::Style {
        indent: None,
        escape_unicode: false,
        escape_slash: false,
        bom: false,
    };
    flowgen::write_string(&hostile, plain, &mut quoted_hostile);
    let extremes = [
        example.replace(
            "\"Case\"",
            &format!("{}1{}", "[".repeat(252), "]".repeat(252)),
        ),
        example.replace(
            "\"Case\"",
            &format!("{}1{}", "{\"a\":".repeat(252), "}".repeat(252)),
        ),
        example.replace("caller", &"x".repeat(4_096)),
        example.replace("\"Caller's number\"", &quoted_hostile),
    ];
    let voice = Trigger::parse("VoiceContact", Some("onConnecting")).ok();
    for text in extremes {
        let name = format!("f{}", modules.len());
        let options = Options {
            trigger: voice,
            ..Options::default()
        };
        let generated =
            ctiflow_codegen::generate(&text, &options, &ctiflow_codegen::Target::new(&name));
        assert!(!generated.has_errors(), "{:?}", generated.diagnostics);
        std::fs::write(dir.join("flows").join(format!("{name}.json")), &text)
            .expect("write a flow");
        lib.push_str(&generated.tokens.to_string());
        lib.push('\n');
        modules.push((name, describe(&options)));
    }
    let mut seed = first_seed();
    while modules.len() < want && seed < first_seed() + 100 * want as u64 {
        let mut rng = Rng::new(0xC0DE ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        seed += 1;
        let (text, options) = if seed.is_multiple_of(2) {
            let config = flowgen::Config {
                mistakes: rng.pick(&[0, 0, 1, 2]),
                max_blocks: rng.pick(&[4, 12, 40]),
                max_string: 64,
            };
            let flow = flowgen::flow(&mut rng, config);
            let mut options = Options {
                trigger: flow.trigger,
                ..Options::default()
            };
            if flow.loose {
                options
                    .lints
                    .set("maybe_unset", Level::Allow)
                    .expect("a lint");
            }
            (flow.text, options)
        } else {
            let (original, trigger) = &examples[rng.below(examples.len())];
            let mut options = Options {
                trigger: *trigger,
                ..Options::default()
            };
            options
                .lints
                .set("maybe_unset", Level::Allow)
                .expect("a lint");
            (mutate::mutate(original, &texts, &mut rng, 256), options)
        };
        let name = format!("f{}", modules.len());
        let generated =
            ctiflow_codegen::generate(&text, &options, &ctiflow_codegen::Target::new(&name));
        if generated.has_errors() {
            continue;
        }
        std::fs::write(dir.join("flows").join(format!("{name}.json")), &text)
            .expect("write a flow");
        lib.push_str(&generated.tokens.to_string());
        lib.push('\n');
        modules.push((name, describe(&options)));
    }
    std::fs::write(dir.join("src/lib.rs"), &lib).expect("write lib.rs");
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-check-target");
    let output = std::process::Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--message-format", "short"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .expect("run cargo check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut by_module = std::collections::BTreeMap::<usize, Vec<String>>::new();
    for line in stderr.lines() {
        // `src/lib.rs:LINE:COL: error[E…]: …`
        let Some(rest) = line.strip_prefix("src/lib.rs:") else {
            continue;
        };
        let Some(number) = rest.split(':').next().and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        by_module
            .entry(number - 2)
            .or_default()
            .push(line.to_owned());
    }
    eprintln!(
        "{} accepted flows compiled in {}: {} with errors or warnings",
        modules.len(),
        dir.display(),
        by_module.len()
    );
    let mut report = String::new();
    for (module, lines) in &by_module {
        let (name, options) = modules.get(*module).cloned().unwrap_or_default();
        let _ = writeln!(report, "{name} ({options}), flows/{name}.json:");
        for line in lines.iter().take(5) {
            let _ = writeln!(report, "  {}", line.chars().take(400).collect::<String>());
        }
    }
    assert!(
        output.status.success() && by_module.is_empty(),
        "{report}\n{}",
        stderr.chars().take(4_000).collect::<String>()
    );
}

#[path = "../benches/shapes.rs"]
mod shapes;

/// Huge strings in every kind of place (titles, ids, literals, references, names), nesting at
/// the parser's limit in a value the generated code carries, and flows of thousands of blocks: every property holds, within the time limit (rendering aside) and the heap bound.
#[test]
fn huge_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let pretty = std::fs::read_to_string(root.join("examples/flows/incoming-call.json"))
        .expect("read the example");
    let minified: String = pretty.lines().map(str::trim).collect();
    // 32 KiB strings and 500-block flows by default (seconds in a debug build);
    // `CTIFLOW_FUZZ_HUGE=4194304` for strings of 4 MiB and flows of 20,000 blocks.
    let mb = env_number("CTIFLOW_FUZZ_HUGE", 32 << 10) as usize;
    let x = "x".repeat(mb);
    let deep_array = format!("{}1{}", "[".repeat(255), "]".repeat(255));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(255), "}".repeat(255));
    let mut inputs: Vec<(String, String)> = Vec::new();
    for (style, base) in [("pretty", &pretty), ("minified", &minified)] {
        let cases = [
            ("title", base.replace("Caller's number", &x)),
            (
                "title of line breaks",
                base.replace("Caller's number", &"\\n".repeat(mb / 2)),
            ),
            ("id", base.replace("caller", &x)),
            ("non-ASCII id", base.replace("caller", &"é".repeat(mb / 2))),
            ("literal", base.replace("\"Case\"", &format!("\"{x}\""))),
            (
                "reference path",
                base.replace(
                    "$.actions.search.results.RecordType",
                    &format!("$.actions.search.results.{}", "a.".repeat(mb / 2) + "b"),
                ),
            ),
            (
                "flow name",
                base.replace("Incoming call: pop", &format!("{x} pop")),
            ),
            ("nested arrays", base.replace("\"Case\"", &deep_array)),
            ("nested objects", base.replace("\"Case\"", &deep_object)),
            (
                "nesting beyond the limit",
                base.replace(
                    "\"Case\"",
                    &format!("{}{}", "[".repeat(300), "]".repeat(300)),
                ),
            ),
        ];
        for (what, text) in cases {
            inputs.push((format!("{what} ({style})"), text));
        }
    }
    for shape in [
        shapes::Shape::Chain,
        shapes::Shape::WideDiamond,
        shapes::Shape::Nested,
    ] {
        let blocks = (mb / 200).max(500);
        inputs.push((
            format!("{shape:?} of {blocks} blocks"),
            shapes::flow(shape, blocks),
        ));
    }
    let trigger = Trigger::parse("VoiceContact", Some("onConnecting")).ok();
    let cases = inputs.into_iter().map(|(label, text)| {
        // The macros' front end compiles the flow three more times: on the smaller ones.
        let expand = text.len() <= 64 << 10;
        vec![Case {
            label,
            text,
            options: Options {
                trigger,
                ..Options::default()
            },
            target: 0,
            expand,
        }]
    });
    drive("huge_inputs", cases);
}
