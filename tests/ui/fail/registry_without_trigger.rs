// A flow compiled without a trigger cannot be registered: the error names it.
ctiflow::ctiflow! {
    name = untriggered,
    { "actions": [ { "id": "s", "type": "SE_Start", "ports": { "done": "e" } }, { "id": "e", "type": "SE_End" } ] }
}

ctiflow::registry! {
    struct Flows { untriggered }
}

fn main() {}
