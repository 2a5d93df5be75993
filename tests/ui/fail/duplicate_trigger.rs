// Two flows for one (source, event) in one registry do not compile.
ctiflow::ctiflow! {
    name = first, source = VoiceContact, event = onConnecting,
    { "actions": [ { "id": "s", "type": "SE_Start", "ports": { "done": "e" } }, { "id": "e", "type": "SE_End" } ] }
}
ctiflow::ctiflow! {
    name = second, source = VoiceContact, event = onConnecting,
    { "actions": [ { "id": "s", "type": "SE_Start", "ports": { "done": "e" } }, { "id": "e", "type": "SE_End" } ] }
}

ctiflow::registry! {
    struct Flows { first, second }
}

fn main() {
    let _ = Flows::FLOWS;
}
