// The same flow compiles once `maybe_unset` is allowed, and runs: the Task's WhoId is absent
// when no Contact matched, as the adapter passes `undefined`.
ctiflow::include_flow!(
    "flows/create-task.json",
    source = VoiceContact,
    event = onConnecting,
    allow(maybe_unset),
    name = log_call
);

use ctiflow::sandbox::{Effect, Sandbox};
use ctiflow::types::ContactProperties;

fn main() {
    let sandbox = Sandbox::new().with_contact(ContactProperties::voice("c-7", "+15550001111", "US", "Support"));
    let run = pollster::block_on(log_call::run(&sandbox, &ctiflow::EventContext::new(log_call::TRIGGER)));
    assert_eq!(run.outcome, ctiflow::Outcome::Completed { block: "end".into() });
    let created = sandbox.effects().into_iter().find_map(|e| match e {
        Effect::RecordCreated { sobject, fields, .. } if sobject == "Task" => Some(fields),
        _ => None,
    });
    let fields = created.expect("a Task");
    assert!(!fields.contains_key("WhoId"));
    assert_eq!(fields["Subject"], "c-7");
}
