// Malformed JSON in a file points at where it breaks.
ctiflow::include_flow!("flows/truncated.json", source = VoiceContact, event = onConnecting);

fn main() {}
