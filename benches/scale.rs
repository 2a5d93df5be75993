//! Scaling benchmark: how generated code, rustc time and memory, the run future and the
//! checker grow with the flow. For each shape and size it generates flows, times the checker
//! and the expansion in this process, writes a crate outside the workspace that includes the
//! flows with `include_flow!` and runs them once on the sandbox, and times `cargo check` and
//! `cargo build --release` of that crate. It prints one markdown table per shape with the
//! growth per doubling of the size. CI compiles it (`clippy --all-targets`) but does not run
//! it, and `cargo test` neither builds nor runs it.
//!
//! ```text
//! cargo bench --bench scale -- [--shape NAME]... [--sizes 35,70,140] [--no-check]
//!                              [--no-release] [--no-build] [--repeat N] [--timeout SECS]
//!                              [--list]
//! ```
//!
//! Crates go to `<CARGO_TARGET_DIR or target>/scale/<shape>-<n>/`, built in one shared target
//! directory `<...>/scale/target`. Dependencies are built once, by a warm-up crate; then each
//! measured command compiles only the generated crate (its `src/main.rs` is touched first, and
//! `CARGO_INCREMENTAL=0` makes every compile a full one). Peak memory is the maximum resident
//! set size `/usr/bin/time -f %M` reports for the cargo command: the largest of cargo and the
//! processes it waited for, here the crate's rustc. A command that runs past `--timeout` (300 s
//! by default) is stopped and shown as `> N`; larger sizes of the shape then skip it.

#[path = "scale/shapes.rs"]
mod shapes;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

use ctiflow_codegen::{Level, Options, Target, analyze, generate};
use shapes::{FlowFile, SHAPES, Shape};

const USAGE: &str = "usage: cargo bench --bench scale -- [--shape NAME]... [--sizes N,N,...] \
                     [--no-check] [--no-release] [--no-build] [--repeat N] [--timeout SECS] [--list]";

/// What the command line asks for.
struct Args {
    shapes: Vec<&'static Shape>,
    sizes: Option<Vec<usize>>,
    check: bool,
    release: bool,
    build: bool,
    repeat: usize,
    timeout: Duration,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        shapes: Vec::new(),
        sizes: None,
        check: true,
        release: true,
        build: true,
        repeat: 1,
        timeout: Duration::from_secs(300),
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut value = |name: &str| words.next().ok_or(format!("{name} needs a value"));
        match word.as_str() {
            // `cargo bench` passes `--bench` to every bench target.
            "--bench" => {}
            "--list" => {
                for shape in SHAPES {
                    let sizes: Vec<_> = shape.sizes.iter().map(usize::to_string).collect();
                    println!(
                        "{} (n = {}; default {}):\n    {}",
                        shape.name,
                        shape.unit,
                        sizes.join(", "),
                        shape.about
                    );
                }
                return Ok(None);
            }
            "--shape" => {
                let name = value("--shape")?;
                let shape = SHAPES.iter().find(|s| s.name == name).ok_or_else(|| {
                    let names: Vec<_> = SHAPES.iter().map(|s| s.name).collect();
                    format!("unknown shape `{name}`; shapes: {}", names.join(", "))
                })?;
                args.shapes.push(shape);
            }
            "--sizes" => {
                let sizes = value("--sizes")?
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("--sizes: {e}"))?;
                args.sizes = Some(sizes);
            }
            "--repeat" => {
                args.repeat = value("--repeat")?
                    .parse()
                    .map_err(|e| format!("--repeat: {e}"))?;
                args.repeat = args.repeat.max(1);
            }
            "--timeout" => {
                let seconds: u64 = value("--timeout")?
                    .parse()
                    .map_err(|e| format!("--timeout: {e}"))?;
                args.timeout = Duration::from_secs(seconds);
            }
            "--no-check" => args.check = false,
            "--no-release" => args.release = false,
            "--no-build" => args.build = false,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.shapes.is_empty() {
        args.shapes = SHAPES.iter().collect();
    }
    for shape in &args.shapes {
        if let Some(n) = args.sizes.iter().flatten().find(|n| **n > shape.max) {
            return Err(format!(
                "{} goes up to {} {}, not {n}",
                shape.name, shape.max, shape.unit
            ));
        }
    }
    Ok(Some(args))
}

/// One size of one shape, measured.
#[derive(Default)]
struct Row {
    n: usize,
    blocks: usize,
    bytes: usize,
    lines: usize,
    checker: Duration,
    expansion: Duration,
    check: Option<Result<Measured, Failed>>,
    release: Option<Result<Measured, Failed>>,
    run: Option<Result<Ran, Failed>>,
}

/// Why a measurement has no value.
enum Failed {
    /// The command failed (compile errors, a run that did not complete...).
    Error(String),
    /// It ran past the time limit (or a smaller size did), and was stopped.
    TimedOut(Duration),
}

impl From<String> for Failed {
    fn from(e: String) -> Failed {
        Failed::Error(e)
    }
}

/// A cargo command: the fastest of its repetitions, and its peak memory.
#[derive(Clone, Copy)]
struct Measured {
    seconds: f64,
    peak_kb: Option<u64>,
}

/// What the generated binary printed.
struct Ran {
    future_bytes: u64,
    steps: u64,
    profile: &'static str,
}

/// The fastest of at least 3 runs of `f`, running it until 0.3 s passed (at most 50 times).
fn fastest(mut f: impl FnMut()) -> Duration {
    let started = Instant::now();
    let mut best = Duration::MAX;
    for i in 0..50 {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
        if i >= 2 && started.elapsed() > Duration::from_millis(300) {
            break;
        }
    }
    best
}

fn options(flow: &FlowFile) -> Options {
    let lints = flow.allow.iter().map(|lint| (*lint, Level::Allow));
    match Options::from_names(Some(flow.source), flow.event, lints) {
        Ok(options) => options,
        Err(e) => panic!("{}: {e}", flow.module),
    }
}

fn target(flow: &FlowFile) -> Target {
    Target {
        file: Some(format!("flows/{}.json", flow.module)),
        ..Target::new(flow.module.clone())
    }
}

/// Checks the flows (asserting they have no diagnostic at all), times the checker and the
/// expansion, and measures the generated code.
fn measure_codegen(flows: &[FlowFile]) -> Row {
    let options: Vec<_> = flows.iter().map(options).collect();
    let targets: Vec<_> = flows.iter().map(target).collect();
    let mut row = Row {
        blocks: flows.iter().map(|f| f.blocks).sum(),
        ..Row::default()
    };
    for ((flow, options), target) in flows.iter().zip(&options).zip(&targets) {
        let analysis = analyze(&flow.json, options);
        assert!(
            analysis.diagnostics.is_empty(),
            "generated flow `{}` has diagnostics: {:#?}",
            flow.module,
            analysis.diagnostics
        );
        let generated = generate(&flow.json, options, target);
        assert!(generated.diagnostics.is_empty());
        let text = generated.tokens.to_string();
        row.bytes += text.len();
        let file = target.file.as_deref().unwrap_or_default();
        let pretty = ctiflow_codegen::pretty::file(generated.tokens, file)
            .expect("the generated code parses as a file");
        row.lines += pretty.lines().count();
    }
    row.checker = fastest(|| {
        for (flow, options) in flows.iter().zip(&options) {
            black_box(analyze(black_box(&flow.json), options));
        }
    });
    row.expansion = fastest(|| {
        for ((flow, options), target) in flows.iter().zip(&options).zip(&targets) {
            black_box(
                generate(black_box(&flow.json), options, target)
                    .tokens
                    .to_string(),
            );
        }
    });
    row
}

/// Where crates are written and built.
struct Dirs {
    /// The facade crate.
    ctiflow: PathBuf,
    /// `<target>/scale`.
    scale: PathBuf,
    /// `<target>/scale/target`: the generated crates' shared target directory.
    target: PathBuf,
    /// The workspace's lock file, so generated crates resolve to the same versions.
    lock: Option<String>,
    /// `/usr/bin/time`, if present.
    time: Option<PathBuf>,
    cargo: String,
}

impl Dirs {
    fn new() -> Dirs {
        let ctiflow = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|t| if t.is_absolute() { t } else { ctiflow.join(t) })
            .unwrap_or_else(|| ctiflow.join("target"));
        let scale = target.join("scale");
        let time = Path::new("/usr/bin/time");
        Dirs {
            target: scale.join("target"),
            scale,
            lock: fs::read_to_string(ctiflow.join("Cargo.lock")).ok(),
            time: time.exists().then(|| time.to_owned()),
            cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
            ctiflow,
        }
    }

    /// Writes a crate named `name` with `main` and `files` (relative path, content); files
    /// are rewritten only when they change.
    fn write_crate(&self, name: &str, main: &str, files: &[(String, &str)]) -> PathBuf {
        let dir = self.scale.join(name);
        let manifest = format!(
            "[package]\nname = \"scale-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\nctiflow = {{ path = {:?} }}\n\n\
             # Outside the ctiflow workspace.\n[workspace]\n",
            self.ctiflow.display().to_string()
        );
        let mut all = vec![
            ("Cargo.toml".to_owned(), manifest.as_str()),
            ("src/main.rs".to_owned(), main),
        ];
        all.extend(files.iter().map(|(p, c)| (p.clone(), *c)));
        if let Some(lock) = &self.lock
            && !dir.join("Cargo.lock").exists()
        {
            all.push(("Cargo.lock".to_owned(), lock));
        }
        for (path, content) in all {
            let path = dir.join(path);
            if fs::read_to_string(&path).ok().as_deref() != Some(content) {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).expect("create the crate's directories");
                }
                fs::write(&path, content).expect("write the crate");
            }
        }
        dir
    }

    /// Runs cargo with `args` in `dir`, under `/usr/bin/time` when there is one; stops it
    /// (the whole process group) after `timeout`.
    fn cargo(
        &self,
        dir: &Path,
        args: &[&str],
        timeout: Option<Duration>,
    ) -> Result<Measured, Failed> {
        let peak_file = dir.join("peak-kb.txt");
        let stderr_file = dir.join("cargo-stderr.txt");
        let mut command = match &self.time {
            Some(time) => {
                let mut c = Command::new(time);
                c.arg("-f").arg("%M").arg("-o").arg(&peak_file);
                c.arg(&self.cargo);
                c
            }
            None => Command::new(&self.cargo),
        };
        let stderr = fs::File::create(&stderr_file)
            .map_err(|e| format!("create {}: {e}", stderr_file.display()))?;
        command
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr);
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let started = Instant::now();
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| format!("cargo: {e}"))? {
                break status;
            }
            if let Some(limit) = timeout
                && started.elapsed() > limit
            {
                stop(&mut child);
                return Err(Failed::TimedOut(limit));
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let seconds = started.elapsed().as_secs_f64();
        if !status.success() {
            let stderr = fs::read_to_string(&stderr_file).unwrap_or_default();
            let head: Vec<_> = stderr.lines().take(60).collect();
            return Err(Failed::Error(format!(
                "`cargo {}` failed ({status}):\n{}",
                args.join(" "),
                head.join("\n")
            )));
        }
        let peak_kb = self
            .time
            .as_ref()
            .and_then(|_| fs::read_to_string(&peak_file).ok())
            .and_then(|s| s.lines().last()?.trim().parse().ok());
        Ok(Measured { seconds, peak_kb })
    }

    /// `repeat` times: touch `src/main.rs`, run cargo; the fastest run, the highest peak.
    fn timed(&self, dir: &Path, args: &[&str], run: &Args) -> Result<Measured, Failed> {
        let mut best: Option<Measured> = None;
        for _ in 0..run.repeat {
            fs::File::options()
                .write(true)
                .open(dir.join("src/main.rs"))
                .and_then(|f| f.set_modified(SystemTime::now()))
                .map_err(|e| format!("touch src/main.rs: {e}"))?;
            let m = self.cargo(dir, args, Some(run.timeout))?;
            best = Some(match best {
                None => m,
                Some(b) => Measured {
                    seconds: b.seconds.min(m.seconds),
                    peak_kb: b.peak_kb.max(m.peak_kb),
                },
            });
        }
        best.ok_or_else(|| Failed::Error("no run".to_owned()))
    }

    /// Builds the dependencies once, for every profile the measurements use.
    fn warm_up(&self, args: &Args) -> Result<(), Failed> {
        let dir = self.write_crate(
            "warmup",
            "fn main() {\n    let _ = ctiflow::sandbox::Sandbox::new();\n}\n",
            &[],
        );
        // The repository's toolchain for the crates, wherever the target directory is.
        if let Ok(toolchain) = fs::read_to_string(self.ctiflow.join("rust-toolchain.toml")) {
            fs::write(self.scale.join("rust-toolchain.toml"), toolchain)
                .map_err(|e| Failed::Error(format!("write rust-toolchain.toml: {e}")))?;
        }
        eprintln!(
            "warming up: building ctiflow's dependencies in {}",
            self.target.display()
        );
        self.cargo(
            &dir,
            &["metadata", "--format-version", "1", "--quiet"],
            None,
        )?;
        if args.check {
            self.cargo(&dir, &["check", "--quiet"], None)?;
        }
        // A release build for the timings, or a debug one for the run future's size alone.
        let mut build = vec!["build", "--quiet"];
        if args.release {
            build.push("--release");
        }
        self.cargo(&dir, &build, None)?;
        Ok(())
    }
}

/// The generated crate's `src/main.rs`: the flows, a minimal executor, one run.
fn main_rs(flows: &[FlowFile], registry: bool) -> String {
    let mut main = String::from(
        "//! Generated by ctiflow's scaling benchmark (benches/scale.rs).\n\n\
         use std::future::Future;\nuse std::sync::Arc;\n\
         use std::task::{Context, Poll, Wake, Waker};\n\n",
    );
    for flow in flows {
        let mut args = vec![
            format!("\"flows/{}.json\"", flow.module),
            format!("source = {}", flow.source),
        ];
        args.extend(flow.event.map(|e| format!("event = {e}")));
        if !flow.allow.is_empty() {
            args.push(format!("allow({})", flow.allow.join(", ")));
        }
        args.push(format!("name = {}", flow.module));
        let _ = writeln!(main, "ctiflow::include_flow!({});", args.join(", "));
    }
    main.push_str(
        "\nstruct Unpark(std::thread::Thread);\n\n\
         impl Wake for Unpark {\n    fn wake(self: Arc<Self>) {\n        self.0.unpark();\n    }\n}\n\n\
         fn block_on<F: Future>(future: F) -> F::Output {\n\
         \x20   let mut future = std::pin::pin!(future);\n\
         \x20   let waker = Waker::from(Arc::new(Unpark(std::thread::current())));\n\
         \x20   let mut cx = Context::from_waker(&waker);\n\
         \x20   loop {\n\
         \x20       if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {\n\
         \x20           return output;\n        }\n\
         \x20       std::thread::park();\n    }\n}\n\n",
    );
    if registry {
        let modules: Vec<_> = flows.iter().map(|f| f.module.as_str()).collect();
        let _ = writeln!(
            main,
            "ctiflow::registry! {{\n    struct Flows {{ {} }}\n}}\n",
            modules.join(", ")
        );
    }
    main.push_str(
        "fn main() {\n\
         \x20   let contact = ctiflow::types::ContactProperties::voice(\"ctc-1\", \"+15550100002\", \"US\", \"Support\");\n\
         \x20   let sandbox = ctiflow::sandbox::Sandbox::new().with_contact(contact);\n",
    );
    if let ([flow], false) = (flows, registry) {
        let m = &flow.module;
        let _ = write!(
            main,
            "    let event = ctiflow::EventContext::new({m}::TRIGGER);\n\
             \x20   let future = {m}::run(&sandbox, &event);\n\
             \x20   println!(\"future_bytes={{}}\", std::mem::size_of_val(&future));\n\
             \x20   let run = block_on(future);\n"
        );
    } else {
        let _ = write!(
            main,
            "    let Some(trigger) = Flows::FLOWS.last().map(|(_, t)| *t) else {{\n\
             \x20       return;\n    }};\n\
             \x20   let event = ctiflow::EventContext::new(trigger);\n\
             \x20   let limits = ctiflow::Limits::default();\n\
             \x20   let future = Flows::dispatch(&sandbox, &event, &limits);\n\
             \x20   println!(\"future_bytes={{}}\", std::mem::size_of_val(&future));\n\
             \x20   let Some(ctiflow::Dispatched {{ run, .. }}) = block_on(future) else {{\n\
             \x20       panic!(\"no flow for {{trigger:?}}\");\n    }};\n",
        );
    }
    main.push_str(
        "    println!(\"steps={}\", run.trace.len());\n\
         \x20   println!(\"outcome={:?}\", run.outcome);\n}\n",
    );
    main
}

/// Runs the built binary and reads what it printed; the run must complete.
fn run_binary(dirs: &Dirs, name: &str, profile: &'static str) -> Result<Ran, Failed> {
    let exe = dirs
        .target
        .join(profile)
        .join(format!("scale-{name}{}", std::env::consts::EXE_SUFFIX));
    let output = Command::new(&exe)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let fields: BTreeMap<&str, &str> = stdout.lines().filter_map(|l| l.split_once('=')).collect();
    let number = |key: &str| fields.get(key).and_then(|v| v.parse().ok());
    match (
        output.status.success(),
        fields.get("outcome"),
        number("future_bytes"),
        number("steps"),
    ) {
        (true, Some(outcome), Some(future_bytes), Some(steps))
            if outcome.starts_with("Completed") =>
        {
            Ok(Ran {
                future_bytes,
                steps,
                profile,
            })
        }
        _ => Err(Failed::Error(format!(
            "{} did not complete:\n{stdout}{}",
            exe.display(),
            String::from_utf8_lossy(&output.stderr)
        ))),
    }
}

/// Commands a smaller size of the shape ran out of time for, so larger ones skip them.
#[derive(Default)]
struct GaveUp {
    check: bool,
    release: bool,
}

/// Writes the crate for `flows` and measures it.
fn measure_crate(
    dirs: &Dirs,
    args: &Args,
    shape: &Shape,
    flows: &[FlowFile],
    row: &mut Row,
    gave_up: &mut GaveUp,
) {
    let name = &format!("{}-{}", shape.name, row.n);
    let files: Vec<_> = flows
        .iter()
        .map(|f| (format!("flows/{}.json", f.module), f.json.as_str()))
        .collect();
    let dir = dirs.write_crate(name, &main_rs(flows, shape.registry), &files);
    let metadata = ["metadata", "--format-version", "1", "--quiet"];
    if let Err(e) = dirs.cargo(&dir, &metadata, None) {
        row.check = Some(Err(e));
        return;
    }
    let skipped = || Err(Failed::TimedOut(args.timeout));
    if args.check {
        let check = if gave_up.check {
            skipped()
        } else {
            dirs.timed(&dir, &["check", "--quiet"], args)
        };
        if let Err(Failed::TimedOut(_)) = check {
            // Building takes longer than checking.
            gave_up.check = true;
            gave_up.release = true;
        }
        row.check = Some(check);
    }
    let built = if args.release {
        let release = if gave_up.release {
            skipped()
        } else {
            dirs.timed(&dir, &["build", "--release", "--quiet"], args)
        };
        gave_up.release |= matches!(release, Err(Failed::TimedOut(_)));
        let ok = release.is_ok();
        row.release = Some(release);
        ok.then_some("release")
    } else if gave_up.check {
        None
    } else {
        // Not timed: only for the run future's size (in a debug build).
        match dirs.cargo(&dir, &["build", "--quiet"], Some(args.timeout)) {
            Ok(_) => Some("debug"),
            Err(e) => {
                row.run = Some(Err(e));
                None
            }
        }
    };
    if let Some(profile) = built {
        row.run = Some(run_binary(dirs, name, profile));
    }
}

/// Stops `child` and its process group (cargo, rustc, the linker...).
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// Growth per doubling from size `a` to size `b`: `(vb / va)^(1 / log2(b / a))`.
fn per_doubling(a: (usize, f64), b: (usize, f64)) -> Option<f64> {
    let doublings = (b.0 as f64 / a.0 as f64).log2();
    (a.1 > 0.0 && b.1 > 0.0 && doublings > 0.0).then(|| (b.1 / a.1).powf(1.0 / doublings))
}

type Timing = Option<Result<Measured, Failed>>;

fn seconds(m: &Timing) -> Option<f64> {
    m.as_ref()?.as_ref().ok().map(|m| m.seconds)
}

/// The seconds, or the time limit for a command that ran past it (then `true`).
fn at_least(m: &Timing) -> Option<(f64, bool)> {
    match m.as_ref()? {
        Ok(m) => Some((m.seconds, false)),
        Err(Failed::TimedOut(limit)) => Some((limit.as_secs_f64(), true)),
        Err(Failed::Error(_)) => None,
    }
}

/// `12.34 s`, `> 300 s`, or `–`.
fn show_seconds(m: &Timing) -> String {
    match at_least(m) {
        Some((s, false)) => format!("{s:.2} s"),
        Some((s, true)) => format!("> {s:.0} s"),
        None => "–".to_owned(),
    }
}

fn peak_mb(m: &Timing) -> Option<f64> {
    Some(m.as_ref()?.as_ref().ok()?.peak_kb? as f64 / 1024.0)
}

/// `> 300` for a command that ran past the time limit.
fn timed_out(m: &Timing) -> Option<String> {
    match m.as_ref()? {
        Err(Failed::TimedOut(limit)) => Some(format!("> {}", limit.as_secs())),
        _ => None,
    }
}

/// A row of the table: how to read a value and how to print it.
struct Metric {
    label: &'static str,
    value: fn(&Row) -> Option<f64>,
    /// What to print when there is no value.
    otherwise: fn(&Row) -> Option<String>,
    decimals: usize,
    growth: bool,
}

const METRICS: &[Metric] = &[
    Metric {
        label: "blocks",
        value: |r| Some(r.blocks as f64),
        otherwise: |_| None,
        decimals: 0,
        growth: false,
    },
    Metric {
        label: "generated KB (tokens)",
        value: |r| Some(r.bytes as f64 / 1024.0),
        otherwise: |_| None,
        decimals: 1,
        growth: true,
    },
    Metric {
        label: "generated lines (pretty)",
        value: |r| Some(r.lines as f64),
        otherwise: |_| None,
        decimals: 0,
        growth: true,
    },
    Metric {
        label: "lines / block",
        value: |r| Some(r.lines as f64 / r.blocks.max(1) as f64),
        otherwise: |_| None,
        decimals: 1,
        growth: false,
    },
    Metric {
        label: "checker ms",
        value: |r| Some(r.checker.as_secs_f64() * 1e3),
        otherwise: |_| None,
        decimals: 2,
        growth: true,
    },
    Metric {
        label: "expansion ms",
        value: |r| Some(r.expansion.as_secs_f64() * 1e3),
        otherwise: |_| None,
        decimals: 2,
        growth: true,
    },
    Metric {
        label: "`cargo check` s",
        value: |r| seconds(&r.check),
        otherwise: |r| timed_out(&r.check),
        decimals: 2,
        growth: true,
    },
    Metric {
        label: "peak rustc MB, check",
        value: |r| peak_mb(&r.check),
        otherwise: |_| None,
        decimals: 0,
        growth: true,
    },
    Metric {
        label: "release build s",
        value: |r| seconds(&r.release),
        otherwise: |r| timed_out(&r.release),
        decimals: 2,
        growth: true,
    },
    Metric {
        label: "peak rustc MB, release",
        value: |r| peak_mb(&r.release),
        otherwise: |_| None,
        decimals: 0,
        growth: true,
    },
    Metric {
        label: "run future bytes",
        value: |r| Some(r.run.as_ref()?.as_ref().ok()?.future_bytes as f64),
        otherwise: |_| None,
        decimals: 0,
        growth: true,
    },
    Metric {
        label: "run steps",
        value: |r| Some(r.run.as_ref()?.as_ref().ok()?.steps as f64),
        otherwise: |_| None,
        decimals: 0,
        growth: false,
    },
];

fn table(shape: &Shape, rows: &[(usize, Row)]) -> String {
    let mut out = String::new();
    let mut line = |cells: Vec<String>| {
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    };
    let mut header = vec![format!("{} (n = {})", shape.name, shape.unit)];
    header.extend(rows.iter().map(|(n, _)| n.to_string()));
    let rule = header
        .iter()
        .enumerate()
        .map(|(i, _)| if i == 0 { "---" } else { "---:" }.to_owned())
        .collect();
    line(header);
    line(rule);
    let profile = rows
        .iter()
        .find_map(|(_, r)| Some(r.run.as_ref()?.as_ref().ok()?.profile))
        .unwrap_or("release");
    let present = |metric: &Metric| {
        rows.iter()
            .any(|(_, r)| (metric.value)(r).is_some() || (metric.otherwise)(r).is_some())
    };
    for metric in METRICS.iter().filter(|m| present(m)) {
        let mut cells = vec![if metric.label == "run future bytes" {
            format!("run future bytes ({profile})")
        } else {
            metric.label.to_owned()
        }];
        cells.extend(rows.iter().map(|(_, r)| match (metric.value)(r) {
            Some(v) => format!("{v:.*}", metric.decimals),
            None => (metric.otherwise)(r).unwrap_or_else(|| "–".to_owned()),
        }));
        line(cells);
    }
    for metric in METRICS.iter().filter(|m| m.growth && present(m)) {
        let mut cells = vec![format!("× per doubling: {}", metric.label)];
        let mut previous: Option<(usize, f64)> = None;
        for (n, r) in rows {
            let value = (metric.value)(r).map(|v| (*n, v));
            cells.push(
                previous
                    .zip(value)
                    .and_then(|(a, b)| per_doubling(a, b))
                    .map_or("–".to_owned(), |g| format!("{g:.2}")),
            );
            previous = value.or(previous);
        }
        line(cells);
    }
    out
}

/// The issue's acceptance criteria that the measured sizes allow to judge. A command that ran
/// past the time limit counts as taking the limit (`≥`).
fn acceptance(results: &BTreeMap<&str, Vec<(usize, Row)>>) -> Vec<String> {
    let at = |shape: &str, n: usize| {
        results
            .get(shape)?
            .iter()
            .find(|(m, _)| *m == n)
            .map(|(_, r)| r)
    };
    let verdict = |ok: bool| if ok { "ok" } else { "FAILS" };
    let ge = |lower: bool| if lower { "≥ " } else { "" };
    let mut out = Vec::new();
    let chain = |n| at("mixed-chain", n);
    if let (Some(a), Some(b)) = (chain(70), chain(280)) {
        if let (Some(ca), Some((cb, over))) = (seconds(&a.check), at_least(&b.check)) {
            out.push(format!(
                "mixed-chain: cargo check 280 = {}{:.2}× 70 (≤ 5), {}{cb:.2} s (< 4 s): {}",
                ge(over),
                cb / ca,
                ge(over),
                verdict(!over && cb / ca <= 5.0 && cb < 4.0)
            ));
        }
        if let (Some(ra), Some((rb, over))) = (seconds(&a.release), at_least(&b.release)) {
            out.push(format!(
                "mixed-chain: release build 280 = {}{:.2}× 70 (≤ 4), {}{rb:.2} s (< 20 s): {}",
                ge(over),
                rb / ra,
                ge(over),
                verdict(!over && rb / ra <= 4.0 && rb < 20.0)
            ));
        }
    }
    if let Some((c, over)) = chain(1_120).and_then(|r| at_least(&r.check)) {
        out.push(format!(
            "mixed-chain: cargo check 1,120 = {}{c:.2} s (< 20 s): {}",
            ge(over),
            verdict(!over && c < 20.0)
        ));
    }
    if let Some(r) = at("decision-ladder", 800) {
        out.push(format!(
            "decision-ladder: generated 800 = {:.2} MB (< 3 MB): {}",
            r.bytes as f64 / 1e6,
            verdict(r.bytes < 3_000_000)
        ));
    }
    if let Some(r) = at("decision-ladder", 200)
        && let Some((c, over)) = at_least(&r.check)
    {
        let peak = peak_mb(&r.check);
        out.push(format!(
            "decision-ladder: cargo check 200 = {}{c:.2} s (< 10 s), peak {} (< 1.5 GB): {}",
            ge(over),
            peak.map_or("unmeasured".to_owned(), |p| format!("{p:.0} MB")),
            verdict(!over && c < 10.0 && peak.is_none_or(|p| p < 1.5 * 1024.0))
        ));
    }
    out
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let dirs = Dirs::new();
    if dirs.time.is_none() && args.build {
        eprintln!("note: no /usr/bin/time, so peak memory is not measured");
    }
    if args.build
        && let Err(e) = dirs.warm_up(&args)
    {
        let e = match e {
            Failed::Error(e) => e,
            Failed::TimedOut(_) => "stopped".to_owned(),
        };
        eprintln!("error: the warm-up crate does not build: {e}");
        return ExitCode::FAILURE;
    }
    let mut results = BTreeMap::new();
    let mut failures = 0;
    for shape in &args.shapes {
        let sizes = args.sizes.as_deref().unwrap_or(shape.sizes);
        let mut rows = Vec::new();
        let mut gave_up = GaveUp::default();
        for &n in sizes {
            let flows = shape.flows(n);
            let mut row = Row {
                n,
                ..measure_codegen(&flows)
            };
            let name = format!("{}-{n}", shape.name);
            if args.build {
                measure_crate(&dirs, &args, shape, &flows, &mut row, &mut gave_up);
            }
            for (what, e) in [
                (
                    "cargo check",
                    row.check.as_ref().and_then(|r| r.as_ref().err()),
                ),
                (
                    "release build",
                    row.release.as_ref().and_then(|r| r.as_ref().err()),
                ),
                ("run", row.run.as_ref().and_then(|r| r.as_ref().err())),
            ] {
                match e {
                    Some(Failed::Error(e)) => {
                        failures += 1;
                        eprintln!("error: {name}: {what}: {e}");
                    }
                    Some(Failed::TimedOut(limit)) => eprintln!(
                        "note: {name}: {what}: stopped or skipped after {} s (--timeout)",
                        limit.as_secs()
                    ),
                    None => {}
                }
            }
            eprintln!(
                "{name}: {} blocks, {:.1} KB, checker {:.2} ms, cargo check {}, release {} ({:.0} s so far)",
                row.blocks,
                row.bytes as f64 / 1024.0,
                row.checker.as_secs_f64() * 1e3,
                show_seconds(&row.check),
                show_seconds(&row.release),
                started.elapsed().as_secs_f64()
            );
            rows.push((n, row));
        }
        println!("\n{}", table(shape, &rows));
        results.insert(shape.name, rows);
    }
    let verdicts = acceptance(&results);
    if !verdicts.is_empty() {
        println!("Acceptance (issue \"Scale\"):\n");
        for v in verdicts {
            println!("- {v}");
        }
        println!();
    }
    print!(
        "{} shape(s) in {:.0} s",
        args.shapes.len(),
        started.elapsed().as_secs_f64()
    );
    if args.build {
        let rustc = Command::new("rustc")
            .arg("--version")
            .current_dir(&dirs.scale)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        print!(
            "; {rustc}; `cargo check` and release build: the generated crate alone, dependencies \
             prebuilt, best of {}; peak memory: max RSS of the cargo command's processes \
             (/usr/bin/time -f %M)",
            args.repeat
        );
    }
    println!(".");
    if failures > 0 {
        eprintln!("error: {failures} measurement(s) failed");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
