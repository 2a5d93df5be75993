//! Options shared by the commands that compile a flow: trigger and lint levels.

use clap::Args;
use ctiflow_codegen::{Level, Options};

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
}

impl FlowOptions {
    /// Whether any option was given.
    pub fn is_given(&self) -> bool {
        self.source.is_some() || !self.allow.is_empty() || !self.deny.is_empty()
    }

    /// The codegen options, or a usage error message.
    pub fn to_options(&self) -> Result<Options, String> {
        let lints = self
            .allow
            .iter()
            .map(|name| (name.as_str(), Level::Allow))
            .chain(self.deny.iter().map(|name| (name.as_str(), Level::Deny)));
        Options::from_names(self.source.as_deref(), self.event.as_deref(), lints)
            .map_err(|e| e.to_string())
    }
}
