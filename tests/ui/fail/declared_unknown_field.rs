// A reference to a result field the declaration does not list is `unknown_field`, with the
// declared fields as suggestions; a missing required control of a declared block is
// `missing_control`.
ctiflow::ctiflow! {
    name = acw, source = Agent, event = onAfterCallWork, blocks = "flows/blocks.toml",
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "wait" } },
        { "id": "wait", "type": "X_Wait", "ports": { "done": "set" } },
        { "id": "set", "type": "X_SetStatus", "controls": { "status": "Available" }, "ports": { "success": "log" } },
        { "id": "log", "type": "SE_Log", "controls": { "message": "$.actions.set.results.prev" }, "ports": { "done": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {}
