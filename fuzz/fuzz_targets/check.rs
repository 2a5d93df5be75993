//! The checker: `analyze` over a flow text, with a trigger and lint levels taken from the first
//! bytes (`properties::Input`). Asserts `properties::check`: no panic, spans, ordering, lint
//! levels, an error for text that is not a flow, determinism, rendering, linear diagnostics.

#![no_main]

use ctiflow_fuzz::properties::{self, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = Input::decode(data);
    properties::check(&input.text, &input.options);
});
