//! build.rs support (feature `pretty`): generate each flow's module as a pretty-printed file in
//! `OUT_DIR`, include it with `ctiflow::include_generated!("name")`.
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     ctiflow_codegen::build::Builder::new()
//!         .blocks("flows/blocks.toml") // declared extension blocks, if the flows use any
//!         .flow("flows/incoming-call.json", |f| f.source("VoiceContact").event("onConnecting"))
//!         .generate()
//!         .unwrap_or_else(|e| panic!("{e}"));
//! }
//! ```
//!
//! Paths are relative to `CARGO_MANIFEST_DIR`. Files are written only when their content
//! changes, each flow gets a `cargo:rerun-if-changed`, warnings become `cargo:warning` lines,
//! and errors fail the build with every diagnostic rendered.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::TokenStream;

use crate::catalog::Catalog;
use crate::diagnostic::{Level, Severity};
use crate::emit::Target;
use crate::names::{check_module, module_for};
use crate::{Options, declarations, generate, pretty, render};

/// How to compile one flow.
#[derive(Clone, Debug, Default)]
pub struct FlowConfig {
    source: Option<String>,
    event: Option<String>,
    name: Option<String>,
    lints: Vec<(String, Level)>,
    blocks: Option<PathBuf>,
    payload: Option<String>,
}

impl FlowConfig {
    /// The declarations file of extension blocks for this flow (instead of the builder's).
    pub fn blocks(mut self, path: impl AsRef<Path>) -> Self {
        self.blocks = Some(path.as_ref().to_owned());
        self
    }

    /// The Rust type of the flow's payload (`"crate::actions::Payload"`), resolved where the
    /// generated file is included: `$.payload.<key>` reads its fields.
    pub fn payload(mut self, type_path: &str) -> Self {
        self.payload = Some(type_path.to_owned());
        self
    }

    /// The source it is bound to (`VoiceContact`, or the designer's label).
    pub fn source(mut self, source: &str) -> Self {
        self.source = Some(source.to_owned());
        self
    }

    /// The event it is bound to.
    pub fn event(mut self, event: &str) -> Self {
        self.event = Some(event.to_owned());
        self
    }

    /// The module name (default: the file name in snake case).
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// Allows a lint (`maybe_unset`, `unreachable`...).
    pub fn allow(mut self, lint: &str) -> Self {
        self.lints.push((lint.to_owned(), Level::Allow));
        self
    }

    /// Reports a lint as a warning (`maybe_unset` is an error by default).
    pub fn warn(mut self, lint: &str) -> Self {
        self.lints.push((lint.to_owned(), Level::Warn));
        self
    }

    /// Makes a lint an error.
    pub fn deny(mut self, lint: &str) -> Self {
        self.lints.push((lint.to_owned(), Level::Deny));
        self
    }
}

/// Why generation failed.
#[derive(Debug)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// Generates flow modules from a build script.
#[derive(Debug, Default)]
pub struct Builder {
    flows: Vec<(PathBuf, FlowConfig)>,
    blocks: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    manifest_dir: Option<PathBuf>,
}

/// What one generated file turned into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The file.
    pub path: PathBuf,
    /// Whether it changed (and was written).
    pub changed: bool,
}

impl Builder {
    /// A builder writing to `OUT_DIR`, reading paths relative to `CARGO_MANIFEST_DIR`.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Adds a flow, configured by `config`.
    pub fn flow(
        mut self,
        path: impl AsRef<Path>,
        config: impl FnOnce(FlowConfig) -> FlowConfig,
    ) -> Self {
        self.flows
            .push((path.as_ref().to_owned(), config(FlowConfig::default())));
        self
    }

    /// The declarations file of extension blocks the flows may use.
    pub fn blocks(mut self, path: impl AsRef<Path>) -> Self {
        self.blocks = Some(path.as_ref().to_owned());
        self
    }

    /// Writes to `dir` instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// Reads flow paths relative to `dir` instead of `CARGO_MANIFEST_DIR`.
    pub fn manifest_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.manifest_dir = Some(dir.as_ref().to_owned());
        self
    }

    fn dir(explicit: &Option<PathBuf>, var: &str) -> Result<PathBuf, BuildError> {
        explicit
            .clone()
            .or_else(|| std::env::var_os(var).map(PathBuf::from))
            .ok_or_else(|| BuildError(format!("{var} is not set: call this from a build script")))
    }

    /// Generates every flow; prints the `cargo:` lines; fails with every problem of every
    /// flow (bad options, unreadable files, diagnostics) reported together.
    pub fn generate(self) -> Result<Vec<Written>, BuildError> {
        let out_dir = Builder::dir(&self.out_dir, "OUT_DIR")?;
        let manifest_dir = Builder::dir(&self.manifest_dir, "CARGO_MANIFEST_DIR")?;
        let mut written = Vec::new();
        let mut errors = Vec::new();
        for (path, config) in &self.flows {
            let blocks = config.blocks.as_deref().or(self.blocks.as_deref());
            match one_flow(path, config, blocks, &out_dir, &manifest_dir) {
                Ok(w) => written.push(w),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(written)
        } else {
            Err(BuildError(errors.join("\n")))
        }
    }
}

/// Generates one flow: its file, or everything wrong with it.
fn one_flow(
    path: &Path,
    config: &FlowConfig,
    blocks: Option<&Path>,
    out_dir: &Path,
    manifest_dir: &Path,
) -> Result<Written, String> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let full = manifest_dir.join(path);
    println!("cargo:rerun-if-changed={}", full.display());
    let mut problems = Vec::new();
    let text = std::fs::read_to_string(&full)
        .map_err(|e| problems.push(format!("error: cannot read `{shown}`: {e}")))
        .ok();
    let lints = config
        .lints
        .iter()
        .map(|(name, level)| (name.as_str(), *level));
    let mut options = Options::from_names(config.source.as_deref(), config.event.as_deref(), lints)
        .map_err(|e| problems.push(format!("error: {shown}: {e}")))
        .ok();
    if let (Some(options), Some(blocks)) = (&mut options, blocks) {
        match catalog(blocks, manifest_dir) {
            Ok(catalog) => options.catalog = catalog,
            Err(e) => problems.push(e),
        }
    }
    let payload = match &config.payload {
        None => None,
        Some(ty) => match TokenStream::from_str(ty) {
            Ok(tokens) if !tokens.is_empty() => Some(tokens),
            _ => {
                problems.push(format!("error: {shown}: `{ty}` is not a Rust type path"));
                None
            }
        },
    };
    let module = match &config.name {
        Some(name) => check_module(name)
            .map_err(|e| problems.push(format!("error: {shown}: {e}")))
            .ok()
            .map(|()| name.clone()),
        None => Some(module_for(path)),
    };
    let (Some(text), Some(options), Some(module)) = (text, options, module) else {
        return Err(problems.join("\n"));
    };
    let mut target = Target::new(&module);
    target.file = Some(shown.clone());
    target.payload = payload;
    let generated = generate(&text, &options, &target);
    let source = render::Source::new(&shown, &text);
    for d in &generated.diagnostics {
        if d.severity == Severity::Warning {
            println!("cargo:warning={}", render::one_line(&source, d));
        }
    }
    if generated.has_errors() {
        let failed: Vec<_> = generated
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        return Err(render::render(&source, &failed, false));
    }
    let code = pretty::file(generated.tokens, &shown)
        .ok_or_else(|| format!("error: {shown}: generated code does not parse"))?;
    let file = out_dir.join(format!("{module}.rs"));
    let changed = std::fs::read_to_string(&file).ok().as_deref() != Some(code.as_str());
    if changed {
        std::fs::write(&file, code)
            .map_err(|e| format!("error: cannot write `{}`: {e}", file.display()))?;
    }
    Ok(Written {
        path: file,
        changed,
    })
}

/// The catalog of the declarations file `path` (relative to `manifest_dir`), or its mistakes
/// rendered.
fn catalog(path: &Path, manifest_dir: &Path) -> Result<Catalog, String> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let full = manifest_dir.join(path);
    println!("cargo:rerun-if-changed={}", full.display());
    let text =
        std::fs::read_to_string(&full).map_err(|e| format!("error: cannot read `{shown}`: {e}"))?;
    declarations::load(&text).map_err(|diagnostics| {
        render::render(&render::Source::new(&shown, &text), &diagnostics, false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ctiflow-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    }

    const FLOW: &str = r#"{ "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "e" } },
        { "id": "e", "type": "SE_End" },
        { "id": "lost", "type": "SE_End" } ] }"#;

    #[test]
    fn writes_only_when_changed() {
        let dir = scratch("changed");
        std::fs::write(dir.join("My Flow.json"), FLOW).expect("write");
        let build = || {
            Builder::new()
                .manifest_dir(&dir)
                .out_dir(&dir)
                .flow("My Flow.json", |f| {
                    f.source("VoiceContact").event("onConnecting")
                })
                .generate()
        };
        let first = build().expect("generates");
        assert_eq!(first.len(), 1);
        assert!(first[0].changed && first[0].path.ends_with("my_flow.rs"));
        let code = std::fs::read_to_string(&first[0].path).expect("written");
        assert!(code.starts_with(pretty::HEADER));
        assert!(code.contains("pub mod my_flow"));
        assert!(!build().expect("generates")[0].changed);
    }

    #[test]
    fn bad_configuration_is_an_error_not_a_panic() {
        let dir = scratch("config");
        std::fs::write(dir.join("f.json"), FLOW).expect("write");
        let build = |config: fn(FlowConfig) -> FlowConfig| {
            Builder::new()
                .manifest_dir(&dir)
                .out_dir(&dir)
                .flow("f.json", config)
                .generate()
                .expect_err("rejected")
                .0
        };
        assert!(build(|f| f.name("not a name")).contains("try `not_a_name`"));
        assert!(build(|f| f.source("Voice")).contains("unknown source `Voice`"));
        assert!(build(|f| f.event("onConnecting")).contains("`event` needs a `source`"));
        assert!(build(|f| f.allow("nope")).starts_with("error: f.json: "));
    }

    #[test]
    fn every_problem_of_every_flow_is_reported_in_one_run() {
        let dir = scratch("every");
        std::fs::write(dir.join("good.json"), FLOW).expect("write");
        std::fs::write(dir.join("bad.json"), r#"{ "actions": [] }"#).expect("write");
        let err = Builder::new()
            .manifest_dir(&dir)
            .out_dir(&dir)
            .flow("missing.json", |f| f.source("Voice").name("not a name"))
            .flow("good.json", |f| {
                f.source("VoiceContact").event("onConnecting")
            })
            .flow("bad.json", |f| f.allow("nope").allow("cycle").deny("cycle"))
            .flow("worse.json", |f| f)
            .generate()
            .expect_err("rejected")
            .0;
        for part in [
            "cannot read `missing.json`",
            "missing.json: unknown source `Voice`",
            "missing.json: `not a name` is not",
            "bad.json: `nope` is not a lint",
            "cannot read `worse.json`",
        ] {
            assert!(err.contains(part), "{part} in:\n{err}");
        }
        // The good flow was still generated.
        assert!(dir.join("good.rs").exists());
    }

    #[test]
    fn errors_render_every_diagnostic() {
        let dir = scratch("errors");
        std::fs::write(
            dir.join("bad.json"),
            r#"{ "actions": [ { "id": "e", "type": "SE_End" } ] }"#,
        )
        .expect("write");
        let err = Builder::new()
            .manifest_dir(&dir)
            .out_dir(&dir)
            .flow("bad.json", |f| f.deny("unreachable"))
            .generate()
            .expect_err("no Start");
        assert!(err.0.contains("error[start]"), "{err}");
        assert!(err.0.contains("bad.json:1:"), "{err}");
    }
}
