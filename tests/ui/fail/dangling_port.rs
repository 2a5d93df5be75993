// `dangling_port`: the error points at the offending token.
ctiflow::ctiflow! {
    name = flow, source = VoiceContact, event = onConnecting,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "nowhere" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {
    // The stub keeps call sites compiling: only the flow's own errors are reported.
    let _ = flow::run::<ctiflow::sandbox::Sandbox>;
}
