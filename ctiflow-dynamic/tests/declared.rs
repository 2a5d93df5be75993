//! Declared blocks in loaded flows: arguments reach the backend's `Extension` as JSON, answers
//! are checked against the declaration (a broken answer fails the block, never the process),
//! a backend without `Extension` is `missing_capability`, and declared CTI Action payload
//! fields give `unknown_payload_field` with suggestions.

use ctiflow_dynamic::{Code, DynamicFlow, LoadOptions, Options};
use ctiflow_front::declarations;
use ctiflow_runtime::sandbox::{Effect, Sandbox};
use ctiflow_runtime::{EventContext, Limits, Offered, Outcome, Payload, Trigger};
use serde_json::{Value, json};

const BLOCKS: &str = r#"
[[block]]
type = "X_Lookup"
name = "Lookup"
ports = ["success", "failure"]
controls = [
  { name = "key", kind = "text", required = true },
  { name = "note", kind = "text" },
  { name = "fields", kind = "map" },
  { name = "extra", kind = "any" },
  { name = "strict", kind = "bool" },
  { name = "mode", kind = "enum", values = ["fast", "slow"], default = "fast" },
]
results = [
  { name = "value", type = "text" },
  { name = "count", type = "number", optional = true },
  { name = "rows", type = "array", optional = true },
]

[[payload]]
name = "recordId"
type = "text"

[[payload]]
name = "objectType"
type = "text"
optional = true
"#;

const FLOW: &str = r#"{
  "actions": [
    {"id": "s", "type": "SE_Start", "ports": {"done": "look"}},
    {"id": "look", "type": "X_Lookup",
     "controls": {"key": "$.payload.recordId", "fields": {"a": "1"}, "extra": [1, 2], "strict": true},
     "ports": {"success": "keep", "failure": "e"}},
    {"id": "keep", "type": "SE_SetProperty",
     "controls": {"key": "found", "value": "$.actions.look.results.value"}, "ports": {"done": "e"}},
    {"id": "e", "type": "SE_End"}
  ]
}"#;

fn cti_action() -> Trigger {
    Trigger::parse("CtiAction", None).unwrap()
}

fn options() -> Options {
    Options {
        trigger: Some(cti_action()),
        catalog: declarations::load(BLOCKS).expect("valid declarations"),
        ..Options::default()
    }
}

fn run(sandbox: &Sandbox) -> ctiflow_runtime::Run<Value> {
    let flow = DynamicFlow::load(FLOW, &LoadOptions::from(options()).offered_by(sandbox))
        .expect("the flow loads");
    let ctx = EventContext::new(cti_action()).with_payload(Payload::Json(
        json!({"recordId": "001A", "objectType": "Account"}),
    ));
    pollster::block_on(flow.run(sandbox, &ctx, &Limits::default()))
}

#[test]
fn arguments_go_out_as_json_and_answers_come_back_as_declared() {
    let sandbox = Sandbox::new().with_extension(
        "X_Lookup",
        json!({"value": "found", "count": 2.0, "rows": null, "undeclared": true}),
    );
    let run = run(&sandbox);
    assert_eq!(run.outcome, Outcome::Completed { block: "e".into() });
    // Not given text and any are left out; the enum's default is sent.
    assert_eq!(
        sandbox.effects()[0],
        Effect::Extension {
            type_id: "X_Lookup".into(),
            args: json!({"key": "001A", "fields": {"a": "1"}, "extra": [1, 2], "strict": true, "mode": "fast"}),
        }
    );
    assert_eq!(sandbox.property("found"), Some(json!("found")));
    // Kept as a compiled flow keeps its typed result: declared fields only, numbers as
    // JavaScript holds them, a null optional field left out.
    assert_eq!(run.results["look"], json!({"value": "found", "count": 2}));
}

#[test]
fn an_answer_that_breaks_the_declaration_fails_the_block() {
    for (answer, message) in [
        (
            json!({"count": 1}),
            "answered no `value`, which its declaration says it always returns",
        ),
        (
            json!({"value": 7}),
            "answered a number for `value`, which is declared text",
        ),
        (
            json!(["value"]),
            "answered an array, not an object of its declared results",
        ),
        (
            json!({"value": "v", "rows": {}}),
            "answered an object for `rows`, which is declared an array",
        ),
    ] {
        let sandbox = Sandbox::new().with_extension("X_Lookup", answer.clone());
        let run = run(&sandbox);
        assert_eq!(
            run.outcome,
            Outcome::Completed { block: "e".into() },
            "{answer}"
        );
        let step = run
            .trace
            .iter()
            .find(|s| s.block.as_str() == "look")
            .expect("look ran");
        assert_eq!(step.port, Some("failure"), "{answer}");
        let error = step.error.as_ref().expect("an error");
        assert!(
            error.message.contains(message),
            "{answer}: {}",
            error.message
        );
        assert_eq!(sandbox.property("found"), None);
    }
}

#[test]
fn a_backend_without_extension_cannot_load_the_flow() {
    let sandbox = Sandbox::new();
    let offered = Offered::new().store(&sandbox);
    let error = DynamicFlow::load(FLOW, &LoadOptions::from(options()).offered_by(&offered))
        .expect_err("no Extension");
    let codes: Vec<_> = error.errors().map(|d| (d.code, d.block.clone())).collect();
    assert_eq!(codes, [(Code::MissingCapability, Some("look".to_owned()))]);
}

#[test]
fn declared_payload_fields_are_checked_for_cti_actions() {
    let flow = FLOW.replace("$.payload.recordId", "$.payload.recordID");
    let error = DynamicFlow::load(&flow, &LoadOptions::from(options())).expect_err("a typo");
    let d = error.errors().next().expect("an error");
    assert_eq!(d.code, Code::UnknownPayloadField);
    assert_eq!(d.message, "`$.payload` has no field `recordID`");
    assert_eq!(d.help.as_deref(), Some("did you mean `recordId`?"));
    // Other sources keep their own payloads: the declaration is for CTI Actions.
    let agent = Options {
        trigger: Some(Trigger::parse("SalesforceAgent", Some("onWorkAccepted")).unwrap()),
        ..options()
    };
    assert!(DynamicFlow::load(&flow, &LoadOptions::from(agent)).is_ok());
}

#[test]
fn without_the_declarations_the_block_is_unknown() {
    let error =
        DynamicFlow::load(FLOW, &LoadOptions::for_trigger(cti_action())).expect_err("undeclared");
    let d = error.errors().next().expect("an error");
    assert_eq!(d.code, Code::UnknownType);
    let help = d.help.as_deref().unwrap_or_default();
    assert!(help.contains("type = \"X_Lookup\""), "{help}");
    assert!(
        help.contains("ports = [\"success\", \"failure\"]"),
        "{help}"
    );
    assert!(
        help.contains("results = [{ name = \"value\", type = \"any\" }]"),
        "{help}"
    );
}
