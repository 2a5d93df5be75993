//! ctiflow: compile Amazon Connect CTI Flows into typed, statically checked async Rust.

pub use ctiflow_macros::*;
pub use ctiflow_runtime::*;

#[doc(hidden)]
pub use ctiflow_runtime::__private;
