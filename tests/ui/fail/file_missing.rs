// A path that does not exist.
ctiflow::include_flow!("flows/nonexistent.json", source = VoiceContact, event = onConnecting);

fn main() {}
