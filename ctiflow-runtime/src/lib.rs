//! The runtime that generated flows link against.
