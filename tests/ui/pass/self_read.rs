// A block reading its own results (allowed with `maybe_unset`): before it first runs they are
// `undefined`; in a cycle, the previous run's. Found by the differential suite: the block's
// body borrowed its results while its own slot was written.
ctiflow::ctiflow! {
    name = self_read, source = VoiceContact, event = onConnecting, allow(maybe_unset, cycle),
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "g" } },
        { "id": "g", "type": "SE_GetProperty",
          "controls": { "key": "k", "defaultValue": "$.actions.g.results.value" },
          "ports": { "done": "t" } },
        { "id": "t", "type": "SE_ContactGetAttributeValue",
          "controls": { "attributeName": "$.actions.t.results.value", "defaultValue": "again" },
          "ports": { "done": "d" } },
        { "id": "d", "type": "SE_CoreTruthy", "controls": { "value": "$.actions.d.results" },
          "ports": { "true": "e", "false": "t" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

use ctiflow::sandbox::Sandbox;
use ctiflow::types::ContactProperties;

fn main() {
    let contact = ContactProperties::voice("c-1", "+15550100002", "US", "Q");
    let sandbox = Sandbox::new().with_contact(contact);
    let run = pollster::block_on(self_read::run(
        &sandbox,
        &ctiflow::EventContext::new(self_read::TRIGGER),
    ));
    // `d` reads its own result: `undefined` (falsy) the first time, then `false` again: the
    // cycle runs until the step limit.
    assert!(matches!(run.outcome, ctiflow::Outcome::StepLimit { .. }), "{:?}", run.outcome);
    assert_eq!(run.results.g.and_then(|g| g.value), None);
}
