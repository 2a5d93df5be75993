//! The runtime that ctiflow-generated flows link against.
//!
//! - [`capability`]: the traits a flow's `run` is generic over (`Contact`, `Agent`,
//!   `Salesforce`, `Console`, `Store`), with [`types`] for their requests and results, and
//!   their object-safe forms ([`Capabilities`]) for flows loaded at run time; [`Host`]: one
//!   backend for compiled flows made of several;
//! - [`blocks`]: what each built-in block does, on top of those traits; [`convert`]: how a
//!   control's value becomes a block's argument; [`dispatch`]: the blocks by name, for the
//!   interpreter;
//! - [`value`]: JavaScript value semantics (flow-format.md §4); [`phone`]: phone numbers;
//! - [`run`]: limits, outcomes and traces; [`timer`]: the pluggable timer behind time limits;
//! - [`sandbox`]: in-memory backends for tests and examples; [`scenario`]: scenario files
//!   describing a sandbox, an event and what a run must do;
//! - [`registry!`]: one flow per (source, event), dispatched by trigger.

pub mod blocks;
pub mod capability;
pub mod context;
pub mod convert;
pub mod dispatch;
pub mod error;
pub mod extension;
pub mod host;
mod name;
pub mod phone;
mod registry;
pub mod run;
pub mod sandbox;
pub mod scenario;
pub mod timer;
pub mod trigger;
pub mod types;
pub mod value;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use capability::{
    Agent, Capabilities, Console, Contact, DynExtension, Dynamic, Extension, Offered, Salesforce,
    Store,
};
pub use context::{EventContext, Payload};
pub use error::{BlockError, BlockResult, ErrorKind};
pub use host::{Host, Missing};
pub use registry::Dispatched;
pub use run::{Limits, Name, Outcome, Run, Step};
pub use trigger::{Event, Source, Trigger};
