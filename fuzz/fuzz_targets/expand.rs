//! The macros' front end: `expand::inline_flow` (`ctiflow!`) over a flow text given as a raw
//! string and as JSON tokens, with a trigger and lint levels from the first bytes
//! (`properties::Input`). Asserts `properties::expand`: no panic, expansions that parse as
//! Rust, agreement with `generate`, string literals read as rustc reads them.

#![no_main]

use ctiflow_fuzz::properties::{self, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = Input::decode(data);
    properties::expand(&input.text, &input.options);
});
