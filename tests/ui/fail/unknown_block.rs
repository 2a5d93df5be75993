// `unknown_block`: the error points at the offending token.
ctiflow::ctiflow! {
    name = flow, source = VoiceContact, event = onConnecting,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "uid-1" } },
        { "id": "uid-1", "type": "SE_ContactProperties", "ports": { "done": "pop" } },
        { "id": "pop", "type": "SE_SFScreenpopObject", "controls": { "recordId": "$.actions.uid-2.results.contactId" }, "ports": { "success": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {
    // The stub keeps call sites compiling: only the flow's own errors are reported.
    let _ = flow::run::<ctiflow::sandbox::Sandbox>;
}
