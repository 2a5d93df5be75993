// The raw-string form reports at the string.
ctiflow::ctiflow!(r#"{ "actions": [ { "id": "s", "type": "SE_Start", "ports": { "done": "e" } } ] }"#);

fn main() {}
