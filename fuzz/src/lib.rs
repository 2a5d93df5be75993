//! Fuzzing ctiflow-codegen: a random flow generator and the properties every target asserts.
//! The fuzz targets are in `fuzz_targets/`; the same modules back the stable tests in
//! `ctiflow-codegen/tests/fuzz_properties.rs`.

pub mod flowgen;
pub mod properties;
