// A declared block's controls are checked like a built-in block's: a map where text is
// expected, and a word outside the declared values.
ctiflow::ctiflow! {
    name = acw, source = Agent, event = onAfterCallWork, blocks = "flows/blocks.toml",
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "set" } },
        { "id": "set", "type": "X_SetStatus", "controls": { "status": { "name": "Available" }, "reason": "lunch" },
          "ports": { "success": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {}
