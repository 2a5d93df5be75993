//! The ctiflow proc-macros: a shim over `ctiflow-codegen` (the macros arrive with code generation).
