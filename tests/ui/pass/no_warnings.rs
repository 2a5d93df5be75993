#![deny(warnings)]
// Generated code never makes rustc warn in the crate that includes it, whatever the shape.

// A Start with no successor: the run completes at once.
ctiflow::ctiflow! {
    name = lone_start, source = Initialization, event = onInit,
    { "actions": [ { "id": "s", "type": "SE_Start" } ] }
}

// No results, no backend, no payload.
ctiflow::ctiflow! {
    name = plain, source = Agent, event = onRoutable,
    { "actions": [ { "id": "s", "type": "SE_Start", "ports": { "done": "e" } }, { "id": "e", "type": "SE_End" } ] }
}

// A cycle, a decision whose both ports meet, numbers of every JavaScript shape.
ctiflow::ctiflow! {
    name = numbers, source = Agent, event = onRoutable, allow(cycle, constant_condition),
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "d" } },
        { "id": "d", "type": "SE_Decision", "controls": { "operandA": 1e400, "comparator": ">", "operandB": -0, "evaluateAs": "number" }, "ports": { "true": "l", "false": "l" } },
        { "id": "l", "type": "SE_Log", "controls": { "message": [9007199254740993, 1e-7, -1e400, -2.5] }, "ports": { "done": "d" } }
    ] }
}

// A user's own `f64`, `core`, `bool` and `Option` cannot change what generated code means.
#[allow(non_camel_case_types, dead_code)]
mod shadowing {
    struct f64;
    struct bool;
    mod core {}
    enum Option { Some, None }

    ctiflow::ctiflow! {
        name = shadowed, source = VoiceContact, event = onConnecting, allow(constant_condition),
        { "actions": [
            { "id": "s", "type": "SE_Start", "ports": { "done": "t" } },
            { "id": "t", "type": "SE_CoreTruthy", "controls": { "value": 1e400 }, "ports": { "true": "e", "false": "e" } },
            { "id": "e", "type": "SE_End" }
        ] }
    }
    pub use shadowed::run;
}

use ctiflow::sandbox::Sandbox;
use ctiflow::{EventContext, Limits, Outcome};

fn main() {
    let sandbox = Sandbox::new();
    let run = pollster::block_on(lone_start::run(&sandbox, &EventContext::new(lone_start::TRIGGER)));
    assert_eq!(run.outcome, Outcome::Completed { block: "s".into() });
    let run = pollster::block_on(plain::run(&sandbox, &EventContext::new(plain::TRIGGER)));
    assert_eq!(run.outcome, Outcome::Completed { block: "e".into() });
    // 1e400 is Infinity, which is greater than -0: the cycle runs to the step limit.
    let limits = Limits { steps: 6, ..Limits::default() };
    let run = pollster::block_on(numbers::run_with(&sandbox, &EventContext::new(numbers::TRIGGER), &limits));
    assert!(matches!(run.outcome, Outcome::StepLimit { .. }), "{:?}", run.outcome);
    assert_eq!(run.trace[1].port, Some("true"));
    let run = pollster::block_on(shadowing::run(&sandbox, &EventContext::new(shadowing::shadowed::TRIGGER)));
    assert_eq!(run.trace[1].port, Some("true"));
}
