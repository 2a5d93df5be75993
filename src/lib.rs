//! ctiflow: compile Amazon Connect CTI Flows into typed, statically checked async Rust.
//!
//! - `include_flow!("flows/x.json", source = VoiceContact, event = onConnecting)` and
//!   `ctiflow!{ ... }` compile a flow into a module with an async `run`;
//! - [`include_generated!`] includes a module a build script generated with
//!   `ctiflow_codegen::build::Builder`;
//! - [`registry!`] dispatches events to one flow per (source, event);
//! - [`sandbox`] runs flows against in-memory backends;
//! - `dynamic` (feature `dynamic`) loads and runs flows at run time, with the same semantics;
//! - `salesforce` (feature `salesforce`) and `connect` (feature `connect`) are the real
//!   backends: Salesforce's REST API and Amazon Connect's API. Neither is built by default.

pub use ctiflow_macros::{ctiflow, include_flow};
pub use ctiflow_runtime::*;

/// Flows loaded at run time: `ctiflow-dynamic`.
#[cfg(feature = "dynamic")]
pub use ctiflow_dynamic as dynamic;

/// The Salesforce and Console capabilities on Salesforce's REST API: `ctiflow-salesforce`.
#[cfg(feature = "salesforce")]
pub use ctiflow_salesforce as salesforce;

/// The Contact and Agent capabilities on Amazon Connect's API: `ctiflow-connect`.
#[cfg(feature = "connect")]
pub use ctiflow_connect as connect;

/// Includes the module `name` that `ctiflow_codegen::build::Builder` wrote to `OUT_DIR`.
#[macro_export]
macro_rules! include_generated {
    ($name:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $name, ".rs"));
    };
}
