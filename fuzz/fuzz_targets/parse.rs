//! The JSON parser: any bytes (as UTF-8, invalid sequences replaced). Asserts
//! `properties::parse`: no panic, spans inside the input and on character boundaries, children
//! inside parents, references that print back to themselves, agreement with serde_json.

#![no_main]

use ctiflow_fuzz::properties;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    properties::parse(&String::from_utf8_lossy(data));
});
