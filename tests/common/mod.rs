//! Shared by `tests/matrix.rs` and `tests/property.rs`: the triggers and what each can see, flows
//! built from the catalog tables, a seeded random generator, and crates outside the workspace
//! that compile generated flows through `include_flow!` with a nested cargo.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use ctiflow_codegen::catalog::{self, Block, Control, ControlKind, Port};
use ctiflow_codegen::trigger::Context;
use ctiflow_codegen::{Code, Diagnostic, Options, Source, Trigger};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Triggers

/// Every (source, event) of the trigger table; CTI Actions have no event.
pub fn all_triggers() -> Vec<Trigger> {
    let mut out = Vec::new();
    for &source in Source::ALL {
        if source.events().is_empty() {
            out.push(Trigger {
                source,
                event: None,
            });
        }
        for &event in source.events() {
            out.push(Trigger {
                source,
                event: Some(event),
            });
        }
    }
    out
}

/// One trigger per distinct context (what `$.contact` and `$.payload` are), in table order.
pub fn context_representatives() -> Vec<(Trigger, Context)> {
    let mut out: Vec<(Trigger, Context)> = Vec::new();
    for trigger in all_triggers() {
        let context = Context::of(Some(trigger));
        if !out.iter().any(|(_, c)| *c == context) {
            out.push((trigger, context));
        }
    }
    out
}

/// `source = VoiceContact, event = onConnecting` for a macro invocation.
pub fn trigger_args(trigger: Trigger) -> String {
    match trigger.event {
        Some(e) => format!("source = {}, event = {}", trigger.source.name(), e.name()),
        None => format!("source = {}", trigger.source.name()),
    }
}

/// `VoiceContact.onConnecting`.
pub fn trigger_label(trigger: Trigger) -> String {
    trigger.to_string()
}

/// Checker options for `trigger` with `allow`ed lints.
pub fn options(trigger: Trigger, allow: &[Code]) -> Options {
    Options::from_names(
        Some(trigger.source.name()),
        trigger.event.map(|e| e.name()),
        allow
            .iter()
            .map(|c| (c.as_str(), ctiflow_codegen::Level::Allow)),
    )
    .expect("the trigger table's own names parse")
}

// ---------------------------------------------------------------------------------------------
// Flows from the catalog

/// A literal of `kind` that the checker accepts for a control of that kind.
pub fn valid_literal(control: &Control) -> Value {
    match control.kind {
        ControlKind::Text => json!("x"),
        ControlKind::IntegerText => json!("1"),
        ControlKind::Bool => json!(true),
        ControlKind::Map => json!({"k": "v"}),
        ControlKind::Any => json!("x"),
        ControlKind::Enum(values) => json!(control.default.unwrap_or(values[0])),
    }
}

/// The required controls of `block` filled with valid literals; with `all_text`, every text
/// control too (blocks whose rules tie controls together, such as Save's `entityType`).
pub fn filled_controls(block: &Block, all_text: bool) -> serde_json::Map<String, Value> {
    block
        .controls
        .iter()
        .filter(|c| c.required || (all_text && c.kind == ControlKind::Text))
        .map(|c| (c.name.to_owned(), valid_literal(c)))
        .collect()
}

/// A block of type `type_id` with `controls`; ports are wired by [`chain`].
pub fn action(id: &str, block: &Block, controls: serde_json::Map<String, Value>) -> Value {
    json!({"id": id, "type": block.type_id, "controls": controls})
}

/// Connects every non-failure port of each block to the next block (the last to `end`);
/// `failure` stays unconnected, so a failure ends the run and success dominates what follows.
pub fn chain(blocks: &mut [Value], end: &str) {
    let ids: Vec<String> = blocks
        .iter()
        .map(|b| b["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    for (i, b) in blocks.iter_mut().enumerate() {
        let next = ids.get(i + 1).map_or(end, String::as_str);
        connect(b, next);
    }
}

/// Connects every non-failure port of `block` to `to`.
pub fn connect(block: &mut Value, to: &str) {
    let type_id = block["type"].as_str().unwrap_or_default();
    let Some(def) = catalog::lookup(type_id) else {
        return;
    };
    let ports: serde_json::Map<String, Value> = def
        .ports
        .iter()
        .filter(|p| **p != Port::Failure)
        .map(|p| (p.name().to_owned(), json!(to)))
        .collect();
    if !ports.is_empty() {
        block["ports"] = Value::Object(ports);
    }
}

/// A flow document.
pub fn flow(name: &str, actions: Vec<Value>) -> Value {
    json!({"name": name, "actions": actions})
}

pub fn start(first: &str) -> Value {
    json!({"id": "start", "type": "SE_Start", "ports": {"done": first}})
}

pub fn end() -> Value {
    json!({"id": "end", "type": "SE_End"})
}

/// The diagnostics of `text` for `trigger` with lints allowed.
pub fn check(text: &str, trigger: Trigger, allow: &[Code]) -> Vec<Diagnostic> {
    ctiflow_codegen::check_source(text, &options(trigger, allow))
}

pub fn errors(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The lints the checker warned about: allowed in the macro, so that any warning rustc still
/// prints is one the checker did not announce.
pub fn warned(diagnostics: &[Diagnostic]) -> Vec<Code> {
    let mut codes: Vec<Code> = diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| d.code)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

// ---------------------------------------------------------------------------------------------
// A seeded generator (SplitMix64): deterministic, no dependency.

#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Crates outside the workspace

/// The facade crate: the root of this worktree.
pub fn facade_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The target directory this test was built in (`<target>/debug/deps/<test>` → `<target>`).
pub fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
        .unwrap_or_else(|| facade_dir().join("target"))
}

/// Where the nested crates and their shared target directory live: under this test's target
/// directory, so a nested cargo never waits for the lock the outer one holds.
pub fn nested_dir() -> PathBuf {
    target_dir().join("matrix-crate")
}

/// A crate outside the workspace depending on the facade by path.
pub struct Crate {
    pub dir: PathBuf,
    pub name: String,
}

/// One diagnostic of a nested build.
#[derive(Clone, Debug)]
pub struct RustcMessage {
    pub level: String,
    pub code: Option<String>,
    pub message: String,
    pub rendered: String,
    /// The primary span's line in the crate's own `src/` file, if it is there.
    pub line: Option<usize>,
    /// Whether it comes from the nested crate itself (not a dependency).
    pub own: bool,
}

/// What a nested cargo did.
pub struct Build {
    pub success: bool,
    pub messages: Vec<RustcMessage>,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Build {
    /// Errors and warnings of the crate itself, and warnings of its path dependencies.
    pub fn problems(&self) -> Vec<&RustcMessage> {
        self.messages
            .iter()
            .filter(|m| m.level == "error" || m.level == "warning")
            .filter(|m| !m.message.starts_with("aborting due to"))
            .collect()
    }
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(path.parent().expect("a file has a parent"))
            .expect("create the nested crate's directories");
        std::fs::write(path, text).expect("write the nested crate");
    }
}

impl Crate {
    /// The crate `name` under [`nested_dir`] with `dependencies` (lines of `[dependencies]`
    /// besides the facade). The workspace's lock file and toolchain file are copied, so it
    /// builds with the same versions and compiler, offline.
    pub fn new(name: &str, dependencies: &[&str]) -> Crate {
        let dir = nested_dir().join(name);
        let facade = facade_dir();
        let mut manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nctiflow = {{ path = {:?} }}\n",
            facade.to_string_lossy()
        );
        for d in dependencies {
            manifest.push_str(d);
            manifest.push('\n');
        }
        // Its own workspace: the crate may sit below the facade's directory (`target/`).
        manifest.push_str("\n[workspace]\n");
        write_if_changed(&dir.join("Cargo.toml"), &manifest);
        for file in ["Cargo.lock", "rust-toolchain.toml"] {
            if let Ok(text) = std::fs::read_to_string(facade.join(file))
                && !dir.join(file).exists()
            {
                write_if_changed(&dir.join(file), &text);
            }
        }
        Crate {
            dir,
            name: name.to_owned(),
        }
    }

    /// Writes `relative` (only when its content changed, so warm builds stay warm).
    pub fn write(&self, relative: &str, text: &str) {
        write_if_changed(&self.dir.join(relative), text);
    }

    /// Makes directory `relative` hold exactly `files` (name → text): unchanged files are not
    /// rewritten, stale ones are removed.
    pub fn sync_dir(&self, relative: &str, files: &BTreeMap<String, String>) {
        let dir = self.dir.join(relative);
        std::fs::create_dir_all(&dir).expect("create the flows directory");
        for entry in std::fs::read_dir(&dir)
            .expect("list the flows directory")
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !files.contains_key(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        for (name, text) in files {
            write_if_changed(&dir.join(name), text);
        }
    }

    fn cargo(&self, subcommand: &str) -> Command {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut cmd = Command::new(cargo);
        cmd.arg(subcommand)
            .arg("--message-format=json-diagnostic-rendered-ansi")
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", nested_dir().join("target"))
            // Generated crates are compiled to be checked and run, never debugged: without
            // debug info their builds take less time.
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env_remove("CARGO_MAKEFLAGS")
            .env_remove("MAKEFLAGS")
            .env_remove("MFLAGS");
        cmd
    }

    /// `cargo check` (or `build` with `subcommand`), with every compiler message parsed.
    pub fn build(&self, subcommand: &str) -> Build {
        let started = Instant::now();
        let out = self
            .cargo(subcommand)
            .output()
            .expect("run the nested cargo");
        let elapsed = started.elapsed();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let own_prefix = format!("path+file://{}", self.dir.to_string_lossy());
        let mut messages = Vec::new();
        for line in stdout.lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if v["reason"] != "compiler-message" {
                continue;
            }
            let m = &v["message"];
            let own = v["package_id"]
                .as_str()
                .is_some_and(|p| p.starts_with(&own_prefix));
            let primary = m["spans"]
                .as_array()
                .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true));
            let line = primary
                .filter(|s| {
                    s["file_name"]
                        .as_str()
                        .is_some_and(|f| f.starts_with("src/"))
                })
                .and_then(|s| s["line_start"].as_u64())
                .map(|l| l as usize);
            messages.push(RustcMessage {
                level: m["level"].as_str().unwrap_or_default().to_owned(),
                code: m["code"]["code"].as_str().map(str::to_owned),
                message: m["message"].as_str().unwrap_or_default().to_owned(),
                rendered: strip_ansi(m["rendered"].as_str().unwrap_or_default()),
                line,
                own,
            });
        }
        Build {
            success: out.status.success(),
            messages,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed,
        }
    }

    /// The built binary of the crate (after `build("build")`).
    pub fn binary(&self) -> PathBuf {
        nested_dir().join("target").join("debug").join(format!(
            "{}{}",
            self.name,
            std::env::consts::EXE_SUFFIX
        ))
    }
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One `include_flow!` of a nested crate.
pub struct Include {
    /// The module's name.
    pub module: String,
    /// The flow's path, relative to the crate.
    pub file: String,
    pub trigger: Trigger,
    /// Lints allowed in the macro.
    pub allow: Vec<Code>,
    /// Whether it is compiled; if not, its line is a comment.
    pub enabled: bool,
    /// Its declarations file of extension blocks, relative to the crate.
    pub blocks: Option<String>,
}

/// `include_flow!` lines, one per line so a rustc error's line names its flow; returns the
/// text and line → module.
pub fn include_lines(header: &str, flows: &[Include]) -> (String, BTreeMap<usize, String>) {
    let mut text = String::from(header);
    let mut lines = BTreeMap::new();
    for f in flows {
        let allow = if f.allow.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = f.allow.iter().map(|c| c.as_str()).collect();
            format!(", allow({})", names.join(", "))
        };
        let comment = if f.enabled { "" } else { "// left out: " };
        let blocks = match &f.blocks {
            Some(path) => format!(", blocks = {path:?}"),
            None => String::new(),
        };
        let _ = writeln!(
            text,
            "{comment}ctiflow::include_flow!({:?}, name = {}, {}{allow}{blocks});",
            f.file,
            f.module,
            trigger_args(f.trigger)
        );
        lines.insert(text.lines().count(), f.module.clone());
    }
    (text, lines)
}

/// What [`compile_until_clean`] found.
pub struct Compiled {
    /// The problems of each module that does not compile.
    pub failing: BTreeMap<String, Vec<RustcMessage>>,
    /// Problems of the last build not tied to a module (dependencies, the crate's own code).
    pub unattributed: Vec<RustcMessage>,
    /// Every cargo run.
    pub builds: Vec<Build>,
}

/// Writes `flows` (module → JSON) to `flows/<module>.json` and `render(left out)` to `source`,
/// and builds; a module with problems is left out and the crate built again, until it builds
/// or no new module fails (a resolution error in one flow can hide the type errors of others).
/// `render` returns the source text and the line of each module's `include_flow!`; a module
/// left out should keep its line (commented out), so the others' spans do not move and the
/// incremental cache stays warm.
pub fn compile_until_clean(
    krate: &Crate,
    subcommand: &str,
    source: &str,
    flows: &[(String, String)],
    render: impl Fn(&BTreeSet<String>) -> (String, BTreeMap<usize, String>),
) -> Compiled {
    let files: BTreeMap<String, String> = flows
        .iter()
        .map(|(m, text)| (format!("{m}.json"), text.clone()))
        .collect();
    krate.sync_dir("flows", &files);
    let mut failing: BTreeMap<String, Vec<RustcMessage>> = BTreeMap::new();
    let mut builds = Vec::new();
    loop {
        let left_out: BTreeSet<String> = failing.keys().cloned().collect();
        let (text, lines) = render(&left_out);
        krate.write(source, &text);
        let build = krate.build(subcommand);
        let mut unattributed = Vec::new();
        let mut newly = 0;
        for p in build.problems().into_iter().cloned() {
            match p.line.and_then(|l| lines.get(&l)).filter(|_| p.own) {
                Some(module) => {
                    let slot = failing.entry(module.clone()).or_default();
                    if slot.is_empty() {
                        newly += 1;
                    }
                    slot.push(p);
                }
                None => unattributed.push(p),
            }
        }
        let done = build.success || newly == 0;
        builds.push(build);
        if done {
            return Compiled {
                failing,
                unattributed,
                builds,
            };
        }
    }
}
