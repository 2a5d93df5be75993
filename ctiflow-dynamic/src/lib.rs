//! CTI Flows loaded at run time: the program the compiler checks and lowers (`ctiflow-front`),
//! run by an interpreter over the same runtime that compiled flows link against — the same
//! block functions, the same driver (limits, steps, trace, `tracing` events), the same
//! outcomes and `undefined` semantics.
//!
//! ```no_run
//! # async fn example(text: &str) -> Result<(), ctiflow_dynamic::LoadError> {
//! use ctiflow_dynamic::{DynamicFlow, LoadOptions};
//! use ctiflow_runtime::{EventContext, Limits, sandbox::Sandbox};
//!
//! let sandbox = Sandbox::new();
//! let trigger = ctiflow_runtime::Trigger::parse("VoiceContact", Some("onConnecting")).unwrap();
//! let options = LoadOptions::for_trigger(trigger).offered_by(&sandbox);
//! let flow = DynamicFlow::load(text, &options)?;
//! let run = flow.run(&sandbox, &EventContext::new(trigger), &Limits::default()).await;
//! println!("{:?}", run.outcome);
//! # Ok(()) }
//! ```
//!
//! - [`DynamicFlow`]: a flow loaded from its exported JSON; loading reports the diagnostics
//!   `ctiflow check` prints, and `missing_capability` for blocks the backend cannot serve;
//! - [`DynamicRegistry`]: one loaded flow per (source, event), replaced atomically while runs
//!   are in flight.

mod exec;
mod flow;
mod plan;
mod registry;

pub use flow::{DynamicFlow, LoadError, LoadOptions};
pub use registry::{DynamicRegistry, FlowSet, FlowSource, RegistryError};

/// The capabilities a backend offers, as the catalog names them.
pub use ctiflow_front::catalog::Capability;
/// What loading reports, and the checker's options, as the front end defines them.
pub use ctiflow_front::{Code, Diagnostic, Level, Options, Severity, Trigger};
