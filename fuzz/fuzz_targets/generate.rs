//! The code generator: `generate` over a flow text, with a trigger, lint levels and a target
//! (module and file names) taken from the first bytes (`properties::Input`). Asserts
//! `properties::generate_with`: everything the checker target asserts but rendering, and the
//! tokens of an accepted flow, or the stub of a rejected one, parse as a Rust file
//! (`syn::File`); an accepted flow is not compiled to the stub, has no panicking calls and only
//! one-line docs; generation is deterministic and its output linear in the input.

#![no_main]

use ctiflow_fuzz::properties::{self, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = Input::decode(data);
    properties::generate_with(
        &input.text,
        &input.options,
        &properties::target(input.target),
    );
});
