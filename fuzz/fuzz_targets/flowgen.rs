//! The code generator over structured input: the bytes drive `flowgen::flow` (block types,
//! ids, controls, references, ports, mistakes), so that most inputs are flows the checker
//! accepts and reach the emitter. See `ctiflow_fuzz::flowgen::case` for how bytes become a
//! flow and its options; asserts what the `generate` target asserts.

#![no_main]

use ctiflow_fuzz::{flowgen, properties};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, options, target) = flowgen::case(data);
    properties::generate_with(&text, &options, &properties::target(target));
});
