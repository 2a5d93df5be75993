//! ctiflow: compile Amazon Connect CTI Flows into typed, statically checked async Rust.
//!
//! This facade re-exports the macros and the runtime; see the README.

pub use ctiflow_macros::*;
pub use ctiflow_runtime::*;
