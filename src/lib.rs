//! ctiflow: compile Amazon Connect CTI Flows into typed, statically checked async Rust.
//!
//! This facade is what applications depend on. It gathers the runtime that generated flows
//! link against and the macros that generate them; see the README.

#[doc(inline)]
pub use ctiflow_macros as macros;
#[doc(inline)]
pub use ctiflow_runtime as runtime;
