#![deny(warnings)]
// `payload = Type`: `$.payload.<key>` reads the field of the user's type (`recordId` →
// `record_id`, renamed by serde), deeper steps go into its JSON, and a payload that is not
// that type fails the run at its first block.

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionPayload {
    record_id: String,
    form: serde_json::Value,
}

ctiflow::ctiflow! {
    name = pop, source = CtiAction, payload = ActionPayload,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "pop" } },
        { "id": "pop", "type": "SE_SFScreenpopObject", "controls": { "recordId": "$.payload.recordId" }, "ports": { "success": "keep" } },
        { "id": "keep", "type": "SE_SetProperty", "controls": { "key": "reason", "value": "$.payload.form.reason" }, "ports": { "done": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

use ctiflow::sandbox::{Effect, Pop, Sandbox};
use ctiflow::{EventContext, Outcome, Payload};
use serde_json::json;

fn main() {
    let sandbox = Sandbox::new();
    sandbox.org().insert("Account", json!({ "Id": "001000000000001AAA", "Name": "Acme" }));
    let payload = json!({ "recordId": "001000000000001AAA", "form": { "reason": "renewal" } });
    let ctx = EventContext::new(pop::TRIGGER).with_payload(Payload::Json(payload));
    let run = pollster::block_on(pop::run(&sandbox, &ctx));
    assert_eq!(run.outcome, Outcome::Completed { block: "e".into() });
    assert_eq!(sandbox.property("reason"), Some(json!("renewal")));
    assert!(sandbox.effects().iter().any(|e| matches!(e, Effect::ScreenPop(Pop::Record { .. }))));

    let wrong = EventContext::new(pop::TRIGGER).with_payload(Payload::Json(json!({ "recordId": 7 })));
    let run = pollster::block_on(pop::run(&sandbox, &wrong));
    let Outcome::Failed { block, error } = run.outcome else { panic!("{:?}", run.outcome) };
    assert_eq!(block.as_str(), "s");
    assert!(error.message.contains("the event's payload is not a"), "{}", error.message);
}
