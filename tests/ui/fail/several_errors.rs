// `several_errors`: the error points at the offending token.
ctiflow::ctiflow! {
    name = flow, source = VoiceContact, event = onConnecting,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "pop" } },
        { "id": "pop", "type": "SE_SFScreenpopObject", "controls": { "recordId": "$.actions.nope.results.id" }, "ports": { "success": "e", "failure": "gone" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {
    // The stub keeps call sites compiling: only the flow's own errors are reported.
    let _ = flow::run::<ctiflow::sandbox::Sandbox>;
}
