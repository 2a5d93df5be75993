//! `ctiflow.toml`, the project file: the flows of a project with their trigger and lint
//! levels, and their scenario files. Commands given no file read it, found from the current
//! directory upward, as cargo finds `Cargo.toml`.
//!
//! ```toml
//! blocks = "flows/blocks.toml"   # declared extension blocks, for every flow
//!
//! [[flow]]
//! file = "flows/incoming-call.json"
//! source = "VoiceContact"
//! event = "onConnecting"
//! allow = ["cycle"]
//! scenarios = ["scenarios/incoming-call.json"]
//! # blocks = "flows/other-blocks.toml"   (this flow's own declarations)
//! ```

use std::path::{Path, PathBuf};

use ctiflow_codegen::{Level, Options};

use crate::options::{FlowOptions, catalog};
use serde::Deserialize;

/// The name of the project file.
pub const FILE: &str = "ctiflow.toml";

/// A project: its flows.
#[derive(Debug)]
pub struct Project {
    /// Its flows, paths resolved against the project file's directory.
    pub flows: Vec<Flow>,
}

/// One flow of a project.
#[derive(Debug)]
pub struct Flow {
    /// The flow file.
    pub file: PathBuf,
    /// Its trigger and lint levels.
    pub options: Options,
    /// Its scenario files.
    pub scenarios: Vec<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    blocks: Option<PathBuf>,
    #[serde(default, rename = "flow")]
    flows: Vec<FlowEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowEntry {
    file: PathBuf,
    source: Option<String>,
    event: Option<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    warn: Vec<String>,
    #[serde(default)]
    deny: Vec<String>,
    #[serde(default)]
    scenarios: Vec<PathBuf>,
    blocks: Option<PathBuf>,
}

impl Project {
    /// The project file found from `dir` upward, if any.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE))
            .find(|candidate| candidate.is_file())
    }

    /// The project of the current directory, or why there is none to use. Its paths are
    /// relative to the current directory (`flows/x.json`, `../flows/x.json`), as people read
    /// them.
    pub fn current() -> Result<Project, String> {
        let here = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
        let up = here
            .ancestors()
            .position(|dir| dir.join(FILE).is_file())
            .ok_or_else(|| {
                format!(
                    "no {FILE} in {} or any directory above it: give the files on the command \
                     line, or write a {FILE} listing the project's flows",
                    here.display()
                )
            })?;
        let dir: PathBuf = std::iter::repeat_n("..", up).collect();
        Project::read(&dir.join(FILE))
    }

    /// Reads the project file `file`.
    pub fn read(file: &Path) -> Result<Project, String> {
        let name = file.display();
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {name}: {e}"))?;
        let manifest: Manifest =
            toml::from_str(&text).map_err(|e| format!("{name}: {}", e.to_string().trim_end()))?;
        let dir = file.parent().unwrap_or(Path::new("."));
        let relative = |path: &Path| {
            let joined = dir.join(path);
            joined
                .strip_prefix("./")
                .map(Path::to_path_buf)
                .unwrap_or(joined)
        };
        let mut flows = Vec::new();
        for (i, entry) in manifest.flows.into_iter().enumerate() {
            let lints = entry
                .allow
                .iter()
                .map(|l| (l.as_str(), Level::Allow))
                .chain(entry.warn.iter().map(|l| (l.as_str(), Level::Warn)))
                .chain(entry.deny.iter().map(|l| (l.as_str(), Level::Deny)));
            let mut options =
                Options::from_names(entry.source.as_deref(), entry.event.as_deref(), lints)
                    .map_err(|e| {
                        format!("{name}: flow {} ({}): {e}", i + 1, entry.file.display())
                    })?;
            if let Some(blocks) = entry.blocks.as_ref().or(manifest.blocks.as_ref()) {
                options.catalog = catalog(&relative(blocks))?;
            }
            flows.push(Flow {
                file: relative(&entry.file),
                options,
                scenarios: entry.scenarios.iter().map(|s| relative(s)).collect(),
            });
        }
        Ok(Project { flows })
    }

    /// The entry of the flow file `file`, if the project lists it.
    pub fn flow(&self, file: &Path) -> Option<&Flow> {
        let wanted = std::fs::canonicalize(file).ok()?;
        self.flows
            .iter()
            .find(|f| std::fs::canonicalize(&f.file).ok().as_ref() == Some(&wanted))
    }
}

/// The flow files a command works on, each with its options: those given on the command line
/// (with the command line's options), or, with none, the project's (with theirs).
pub fn flows(files: &[PathBuf], given: &FlowOptions) -> Result<Vec<(PathBuf, Options)>, String> {
    if !files.is_empty() {
        let options = given.to_options()?;
        return Ok(files.iter().map(|f| (f.clone(), options.clone())).collect());
    }
    if given.is_given() {
        return Err(
            "--source, --event, --blocks and lints apply to files given on the command line; \
                    a project's flows take theirs from ctiflow.toml"
                .to_owned(),
        );
    }
    let project = Project::current()?;
    Ok(project
        .flows
        .into_iter()
        .map(|f| (f.file, f.options))
        .collect())
}
