// A file flow: the message carries `--> flows/create-task.json:LINE:COL` and a snippet.
ctiflow::include_flow!("flows/create-task.json", source = VoiceContact, event = onConnecting);

fn main() {}
