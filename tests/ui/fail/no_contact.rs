// `no_contact`: the error points at the offending token.
ctiflow::ctiflow! {
    name = flow, source = Agent, event = onRoutable,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "p" } },
        { "id": "p", "type": "SE_ContactProperties", "ports": { "done": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {
    // The stub keeps call sites compiling: only the flow's own errors are reported.
    let _ = flow::run::<ctiflow::sandbox::Sandbox>;
}
