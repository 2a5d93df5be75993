#![deny(warnings)]
use ctiflow::sandbox::Sandbox;
use ctiflow::types::ContactProperties;

ctiflow::include_flow!(
    "ctiflow-cli/tests/fixtures/pop-caller.json",
    source = VoiceContact,
    event = onConnecting
);

ctiflow::ctiflow! {
    name = hello, source = VoiceContact, event = onConnecting,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "p" } },
        { "id": "p", "type": "SE_ContactProperties", "ports": { "done": "log" } },
        { "id": "log", "type": "SE_Log", "controls": { "message": "$.actions.p.results.queueName", "level": "warn" }, "ports": { "done": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

#[test]
fn t() {
    let sb = Sandbox::new().with_contact(ContactProperties::voice(
        "c-1",
        "+15551234567",
        "US",
        "Sales",
    ));
    let ctx = ctiflow::EventContext::new(hello::TRIGGER);
    let run = pollster::block_on(hello::run(&sb, &ctx));
    println!("{:#?}", run.outcome);
    let run = pollster::block_on(pop_caller::run(&sb, &ctx));
    println!("{:#?} {:?}", run.outcome, pop_caller::TRIGGER);
    println!("{:#?}", sb.effects());
}
