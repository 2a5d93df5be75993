// `unknown_payload_field`: the error points at the offending token.
ctiflow::ctiflow! {
    name = flow, source = SalesforceUi, event = onClickToDial,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "dial" } },
        { "id": "dial", "type": "SE_AgentDialNumber", "controls": { "phoneNumber": "$.payload.phone" }, "ports": { "success": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {
    // The stub keeps call sites compiling: only the flow's own errors are reported.
    let _ = flow::run::<ctiflow::sandbox::Sandbox>;
}
