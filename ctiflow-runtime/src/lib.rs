//! The runtime that ctiflow-generated flows link against.
//!
//! Today it holds the JavaScript value semantics that flows run with ([`value`]) and phone
//! number formatting ([`phone`]); the capability traits, run outcomes and sandbox backends build
//! on them.

pub mod phone;
pub mod value;
