// Arguments are checked: an unknown source says which exist.
ctiflow::include_flow!("flows/create-task.json", source = Voice, event = onConnecting);

fn main() {}
