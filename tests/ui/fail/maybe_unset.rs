// `maybe_unset`: the error points at the offending token.
ctiflow::ctiflow! {
    name = flow, source = VoiceContact, event = onConnecting,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "find" } },
        { "id": "find", "type": "SE_SFGetContactId", "controls": { "formattedPhoneNumber": "$.contact.phone" }, "ports": { "success": "pop", "failure": "pop" } },
        { "id": "pop", "type": "SE_SFScreenpopObject", "controls": { "recordId": "$.actions.find.results.sfContactId" }, "ports": { "success": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {
    // The stub keeps call sites compiling: only the flow's own errors are reported.
    let _ = flow::run::<ctiflow::sandbox::Sandbox>;
}
