// A source that has events needs one: a flow bound to a source alone could never dispatch.
ctiflow::ctiflow! {
    name = voice, source = VoiceContact,
    { "actions": [ { "id": "s", "type": "SE_Start", "ports": { "done": "e" } }, { "id": "e", "type": "SE_End" } ] }
}

// An unknown event gets a suggestion.
ctiflow::ctiflow! {
    name = chat, source = ChatContact, event = onConecting,
    { "actions": [ { "id": "s", "type": "SE_Start", "ports": { "done": "e" } }, { "id": "e", "type": "SE_End" } ] }
}

fn main() {}
