//! Options shared by the commands that compile a flow: trigger, lint levels and the
//! declarations of extension blocks.

use std::path::{Path, PathBuf};

use clap::Args;
use ctiflow_codegen::catalog::Catalog;
use ctiflow_codegen::render::{self, Source};
use ctiflow_codegen::{Level, Options, declarations};

/// The trigger and lint levels of a flow.
#[derive(Debug, Args)]
pub struct FlowOptions {
    /// The source the flow is bound to: a short name (VoiceContact) or the designer's label
    /// ("Amazon Connect Voice Contact"). Without it, the most permissive context is used.
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
    /// The event the flow is bound to (onConnecting); none for CtiAction.
    #[arg(long, value_name = "EVENT", requires = "source")]
    pub event: Option<String>,
    /// Allow a lint (e.g. maybe_unset, unreachable); may be repeated.
    #[arg(long = "allow", value_name = "LINT")]
    pub allow: Vec<String>,
    /// Deny a lint: report it as an error; may be repeated.
    #[arg(long = "deny", value_name = "LINT")]
    pub deny: Vec<String>,
    /// A declarations file of extension blocks (and CTI Action payload fields) the flow may
    /// use: see examples/blocks.toml.
    #[arg(long, value_name = "FILE")]
    pub blocks: Option<PathBuf>,
}

/// The catalog of the declarations file `path`, or its mistakes rendered as `ctiflow check`
/// renders a flow's.
pub fn catalog(path: &Path) -> Result<Catalog, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    declarations::load(&text).map_err(|diagnostics| {
        render::render(&Source::new(&name, &text), &diagnostics, false)
            .trim_end()
            .to_owned()
    })
}

impl FlowOptions {
    /// Whether any option was given.
    pub fn is_given(&self) -> bool {
        self.source.is_some()
            || !self.allow.is_empty()
            || !self.deny.is_empty()
            || self.blocks.is_some()
    }

    /// The codegen options, or a usage error message.
    pub fn to_options(&self) -> Result<Options, String> {
        let lints = self
            .allow
            .iter()
            .map(|name| (name.as_str(), Level::Allow))
            .chain(self.deny.iter().map(|name| (name.as_str(), Level::Deny)));
        let mut options = Options::from_names(self.source.as_deref(), self.event.as_deref(), lints)
            .map_err(|e| e.to_string())?;
        if let Some(path) = &self.blocks {
            options.catalog = catalog(path)?;
        }
        Ok(options)
    }
}
