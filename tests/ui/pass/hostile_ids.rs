// Ids and strings that would break naive code generation: keywords, `r#`, quotes, `*/`,
// braces, non-ASCII, and `uid-1` beside `uid_1`. They compile to distinct names, and the
// literals arrive intact.
ctiflow::ctiflow! {
    name = hostile, source = VoiceContact, event = onConnecting,
    { "name": "*/ } fn main() { /*", "actions": [
        { "id": "type", "type": "SE_Start", "ports": { "done": "uid-1" } },
        { "id": "uid-1", "type": "SE_ContactGetAttributeValue",
          "meta": { "title": "\"quoted\" */ {braces}" },
          "controls": { "attributeName": "r#match", "defaultValue": "}; panic!(\"injected\"); //" },
          "ports": { "done": "uid_1" } },
        { "id": "uid_1", "type": "SE_ContactGetAttributeValue",
          "controls": { "attributeName": "受付番号" },
          "ports": { "done": "self" } },
        { "id": "self", "type": "SE_TextStringTemplate",
          "controls": { "template": "${a}|${b}", "variables": { "a": "$.actions.uid-1.results.value", "b": "$.actions.uid_1.results.value" } },
          "ports": { "done": "r#match" } },
        { "id": "r#match", "type": "SE_SetProperty",
          "controls": { "key": "*/", "value": "$.actions.self.results.value" },
          "ports": { "done": "0" } },
        { "id": "0", "type": "SE_Log", "controls": { "message": "{ \"x\": [1, 2] }" }, "ports": { "done": "終わり" } },
        { "id": "終わり", "type": "SE_End" }
    ] }
}

use ctiflow::sandbox::Sandbox;
use ctiflow::types::ContactProperties;

fn main() {
    let contact = ContactProperties::voice("c-1", "+15550100002", "US", "Q").with_attribute("受付番号", "A-7");
    let sandbox = Sandbox::new().with_contact(contact);
    let run = pollster::block_on(hostile::run(&sandbox, &ctiflow::EventContext::new(hostile::TRIGGER)));
    assert_eq!(run.outcome, ctiflow::Outcome::Completed { block: "終わり".into() });
    // `uid-1` and `uid_1` are two fields.
    assert_eq!(run.results.uid_1.map(|r| r.value).as_deref(), Some("}; panic!(\"injected\"); //"));
    assert_eq!(run.results.uid_1_2.map(|r| r.value).as_deref(), Some("A-7"));
    assert_eq!(run.results.self_.map(|r| r.value).as_deref(), Some("}; panic!(\"injected\"); //|A-7"));
    assert_eq!(sandbox.property("*/"), Some(serde_json::json!("}; panic!(\"injected\"); //|A-7")));
    let titles: Vec<_> = run.trace.iter().filter_map(|s| s.title.as_deref()).collect();
    assert_eq!(titles, ["\"quoted\" */ {braces}"]);
}
