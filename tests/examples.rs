//! The project's example flows against sandbox scenarios, the seminar scenario, and runs that
//! must end in an outcome naming the block, never a panic: backend errors, time limits,
//! cycles and bad values at run time.

use std::collections::BTreeSet;
use std::time::Duration;

use ctiflow::sandbox::{Call, Effect, Org, Pop, Sandbox};
use ctiflow::types::ContactProperties;
use ctiflow::{BlockError, ErrorKind, EventContext, Limits, Outcome, Run};
use serde_json::json;

mod both;

#[path = "../examples/contact_center/flows.rs"]
#[allow(dead_code)]
mod flows;

use flows::{callback_account, case_by_attribute, incoming_call, missed_call};

fn block_on<R>(future: impl std::future::Future<Output = Run<R>>) -> Run<R> {
    pollster::block_on(future)
}

fn caller(contact_id: &str, queue: &str) -> ContactProperties {
    ContactProperties::voice(contact_id, "+15550100002", "US", queue)
}

#[test]
fn seminar_one_matching_case_gets_a_completed_call_task() {
    let mut org = Org::new();
    let case = org.insert(
        "Case",
        json!({"CaseNumber": "00001026", "SuppliedPhone": "(555) 010-0002"}),
    );
    let sandbox = Sandbox::new()
        .with_org(org)
        .with_contact(caller("ctc-1", "Support"));
    let run = both!(
        incoming_call,
        "examples/flows/incoming-call.json",
        &sandbox,
        &EventContext::new(incoming_call::TRIGGER)
    );
    assert_eq!(
        run.outcome,
        Outcome::Completed {
            block: "end".into()
        }
    );
    assert_eq!(
        sandbox.effects()[0],
        Effect::ScreenPop(Pop::Record { id: case.clone() })
    );
    let tasks = sandbox.created("Task");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["WhatId"], case.as_str());
    assert_eq!(tasks[0]["CallType"], "Inbound");
    assert_eq!(tasks[0]["Subject"], "ctc-1 - Support");
    assert_eq!(tasks[0]["Status"], "Completed");
    assert_eq!(tasks[0]["IsClosed"], true);
    assert_eq!(
        run.results.task.map(|t| t.subject).as_deref(),
        Some("ctc-1 - Support")
    );
}

#[test]
fn seminar_two_matches_create_no_task() {
    let org = Org::new()
        .with(
            "Case",
            json!({"CaseNumber": "00001026", "SuppliedPhone": "(555) 010-0002"}),
        )
        .with(
            "Case",
            json!({"CaseNumber": "00001027", "SuppliedPhone": "+1 555 010 0002"}),
        );
    let sandbox = Sandbox::new()
        .with_org(org)
        .with_contact(caller("ctc-2", "Support"));
    let run = both!(
        incoming_call,
        "examples/flows/incoming-call.json",
        &sandbox,
        &EventContext::new(incoming_call::TRIGGER)
    );
    assert_eq!(
        run.outcome,
        Outcome::Completed {
            block: "end".into()
        }
    );
    assert!(sandbox.created("Task").is_empty());
    assert_eq!(
        sandbox.effects(),
        [Effect::ScreenPop(Pop::Search {
            search: "+15550100002".into(),
            matches: 2
        })]
    );
    let path: Vec<_> = run
        .trace
        .iter()
        .map(|s| (s.block.as_str(), s.port))
        .collect();
    assert_eq!(
        path[3..],
        [
            ("search", Some("success")),
            ("one-match", Some("false")),
            ("end", None)
        ]
    );
}

#[test]
fn seminar_one_matching_contact_is_not_a_case() {
    let org = Org::new().with(
        "Contact",
        json!({"LastName": "Lee", "Phone": "555-010-0002"}),
    );
    let sandbox = Sandbox::new()
        .with_org(org)
        .with_contact(caller("ctc-3", "Support"));
    let run = both!(
        incoming_call,
        "examples/flows/incoming-call.json",
        &sandbox,
        &EventContext::new(incoming_call::TRIGGER)
    );
    assert_eq!(run.trace[5].block, "is-case");
    assert_eq!(run.trace[5].port, Some("false"));
    assert!(sandbox.created("Task").is_empty());
}

#[test]
fn task_failure_takes_the_failure_path_and_logs() {
    let org = Org::new().with("Case", json!({"SuppliedPhone": "5550100002"}));
    let sandbox = Sandbox::new()
        .with_org(org)
        .with_contact(caller("ctc-4", "Support"))
        .failing(
            Call::CreateTask,
            BlockError::backend("REQUIRED_FIELD_MISSING"),
        );
    let run = both!(
        incoming_call,
        "examples/flows/incoming-call.json",
        &sandbox,
        &EventContext::new(incoming_call::TRIGGER)
    );
    assert_eq!(
        run.outcome,
        Outcome::Completed {
            block: "end".into()
        }
    );
    let task = run
        .trace
        .iter()
        .find(|s| s.block == "task")
        .expect("the task step");
    assert_eq!(task.port, Some("failure"));
    assert_eq!(
        task.error.as_ref().map(|e| e.message.as_str()),
        Some("REQUIRED_FIELD_MISSING")
    );
    assert!(run.results.task.is_none(), "a failed block has no results");
}

#[test]
fn missed_call_priority_follows_the_wait() {
    for (waited, priority) in [(45_000.0, "High"), (12_000.0, "Normal")] {
        let org = Org::new().with("Lead", json!({"LastName": "Chen", "Phone": "+15550100002"}));
        let contact = ContactProperties {
            status_duration: waited,
            ..caller("ctc-5", "Sales")
        };
        let sandbox = Sandbox::new().with_org(org).with_contact(contact);
        let run = both!(
            missed_call,
            "examples/flows/missed-call.json",
            &sandbox,
            &EventContext::new(missed_call::TRIGGER)
        );
        assert_eq!(
            run.outcome,
            Outcome::Completed {
                block: "end".into()
            }
        );
        assert_eq!(sandbox.created("Task")[0]["Priority"], priority);
        assert_eq!(sandbox.created("Task")[0]["Subject"], "Missed call - Sales");
    }
}

#[test]
fn case_is_created_and_remembered_once() {
    let sandbox = Sandbox::new().with_contact(ContactProperties::task("task-1", "Back office"));
    let event = EventContext::new(case_by_attribute::TRIGGER);
    let run = both!(
        case_by_attribute,
        "examples/flows/case-by-attribute.json",
        &sandbox,
        &event
    );
    assert_eq!(
        run.outcome,
        Outcome::Completed {
            block: "end".into()
        }
    );
    let case = run.results.create.map(|c| c.id).expect("a Case");
    assert_eq!(
        sandbox
            .org()
            .get(&case)
            .and_then(|r| r.text("Subject").map(str::to_owned))
            .as_deref(),
        Some("Task contact task-1 from Back office")
    );
    // The second run finds the attribute and pops the Case without creating another.
    sandbox.take_effects();
    let run = both!(
        case_by_attribute,
        "examples/flows/case-by-attribute.json",
        &sandbox,
        &event
    );
    assert_eq!(run.trace[2].port, Some("true"));
    assert_eq!(
        sandbox.effects(),
        [Effect::ScreenPop(Pop::Record { id: case })]
    );
}

#[test]
fn a_backend_error_without_failure_port_fails_the_run_at_the_block() {
    let sandbox = Sandbox::new()
        .with_contact(ContactProperties::callback(
            "cb-1",
            "+15550100009",
            "US",
            "Callbacks",
        ))
        .failing(Call::Retrieve, BlockError::backend("INVALID_SESSION_ID"));
    let run = both!(
        callback_account,
        "examples/flows/callback-account.json",
        &sandbox,
        &EventContext::new(callback_account::TRIGGER)
    );
    assert_eq!(
        run.outcome,
        Outcome::Failed {
            block: "account".into(),
            error: BlockError::backend("INVALID_SESSION_ID")
        }
    );
}

#[test]
fn a_missing_contact_fails_the_block_that_needs_it() {
    let run = both!(
        callback_account,
        "examples/flows/callback-account.json",
        &Sandbox::new(),
        &EventContext::new(callback_account::TRIGGER)
    );
    match run.outcome {
        Outcome::Failed { block, error } => {
            assert_eq!(block, "account-id");
            assert_eq!(error.kind, ErrorKind::NoContact);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_hanging_backend_times_out_at_its_block() {
    let sandbox = Sandbox::new()
        .with_contact(ContactProperties::callback(
            "cb-2",
            "+15550100009",
            "US",
            "Callbacks",
        ))
        .hanging(Call::Retrieve);
    let limits = Limits::default().with_time(Duration::from_millis(50));
    let run = both!(
        callback_account,
        "examples/flows/callback-account.json",
        &sandbox,
        &EventContext::new(callback_account::TRIGGER),
        limits = &limits
    );
    assert_eq!(
        run.outcome,
        Outcome::TimedOut {
            block: "account".into()
        }
    );
    assert_eq!(run.outcome.block(), "account");
    assert_eq!(run.trace.last().map(|s| s.block.as_str()), Some("account"));
}

/// A timer whose sleeps end at once: any block that has to wait times out.
struct Expired;

impl ctiflow::timer::Timer for Expired {
    fn sleep(&self, _: Duration) -> ctiflow::timer::Sleep {
        Box::pin(std::future::ready(()))
    }
}

#[test]
fn the_timer_is_pluggable() {
    let sandbox = Sandbox::new()
        .with_contact(ContactProperties::callback(
            "cb-3",
            "+15550100009",
            "US",
            "Callbacks",
        ))
        .hanging(Call::Attribute);
    let limits = Limits::default().with_timer(std::sync::Arc::new(Expired));
    let event = EventContext::new(callback_account::TRIGGER);
    let run = both!(
        callback_account,
        "examples/flows/callback-account.json",
        &sandbox,
        &event,
        limits = &limits
    );
    assert_eq!(
        run.outcome,
        Outcome::TimedOut {
            block: "account-id".into()
        }
    );
}

ctiflow::ctiflow! {
    name = spin, source = SalesforceAgent, event = onStateChange, allow(cycle, constant_condition),
    { "actions": [
        { "id": "start", "type": "SE_Start", "ports": { "done": "count" } },
        { "id": "count", "type": "SE_SetProperty", "controls": { "key": "spins", "value": "$.payload.n" }, "ports": { "done": "again" } },
        { "id": "again", "type": "SE_CoreTruthy", "controls": { "value": true }, "ports": { "true": "count", "false": "end" } },
        { "id": "end", "type": "SE_End" }
    ] }
}

#[test]
fn a_cycle_stops_at_the_step_limit() {
    let limits = Limits::default().with_steps(25);
    let event = EventContext::new(spin::TRIGGER);
    let run = block_on(spin::run_with(&Sandbox::new(), &event, &limits));
    assert_eq!(
        run.outcome,
        Outcome::StepLimit {
            block: "count".into(),
            steps: 25
        }
    );
    assert_eq!(run.trace.len(), 25);
}

ctiflow::ctiflow! {
    name = object_as_text, source = SalesforceAgent, event = onStateChange,
    { "actions": [
        { "id": "start", "type": "SE_Start", "ports": { "done": "pick" } },
        { "id": "pick", "type": "SE_CoreExtractValue", "controls": { "targetField": "$.payload", "keyPath": "record" }, "ports": { "done": "pop" } },
        { "id": "pop", "type": "SE_SFScreenpopObject", "controls": { "recordId": "$.actions.pick.results.value" }, "ports": { "success": "end" } },
        { "id": "end", "type": "SE_End" }
    ] }
}

#[test]
fn a_bad_value_at_run_time_fails_the_block() {
    let event = EventContext::new(object_as_text::TRIGGER)
        .with_payload(ctiflow::Payload::Json(json!({"record": {"Id": "001"}})));
    let run = block_on(object_as_text::run(&Sandbox::new(), &event));
    match run.outcome {
        Outcome::Failed { block, error } => {
            assert_eq!(block, "pop");
            assert_eq!(error.kind, ErrorKind::InvalidArgument);
            assert!(error.message.contains("recordId"), "{}", error.message);
        }
        other => panic!("{other:?}"),
    }
}

ctiflow::ctiflow! {
    name = bad_duration, source = SalesforceAgent, event = onStateChange,
    { "actions": [
        { "id": "start", "type": "SE_Start", "ports": { "done": "task" } },
        { "id": "task", "type": "SE_SFCreateTask", "controls": {
            "Type": "Call", "Status": "Completed", "Priority": "Normal", "CallType": "outbound",
            "CallDurationInSeconds": "$.payload.seconds" }, "ports": { "success": "end", "failure": "end" } },
        { "id": "end", "type": "SE_End" }
    ] }
}

#[test]
fn a_non_integer_duration_takes_the_failure_port() {
    let event = EventContext::new(bad_duration::TRIGGER)
        .with_payload(ctiflow::Payload::Json(json!({"seconds": "a minute"})));
    let sandbox = Sandbox::new();
    let run = block_on(bad_duration::run(&sandbox, &event));
    assert_eq!(
        run.outcome,
        Outcome::Completed {
            block: "end".into()
        }
    );
    assert_eq!(run.trace[1].port, Some("failure"));
    assert!(sandbox.effects().is_empty());
}

#[test]
fn example_flows_use_every_built_in_block() {
    let mut used = BTreeSet::new();
    for entry in std::fs::read_dir("examples/flows").expect("examples/flows") {
        let text = std::fs::read_to_string(entry.expect("a flow").path()).expect("readable");
        let flow: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        for action in flow["actions"].as_array().expect("actions") {
            used.insert(action["type"].as_str().expect("a type").to_owned());
        }
    }
    let all: BTreeSet<String> = ctiflow_codegen::catalog::BLOCKS
        .iter()
        .map(|b| b.type_id.to_owned())
        .collect();
    let missing: Vec<_> = all.difference(&used).collect();
    assert!(
        missing.is_empty(),
        "blocks no example flow uses: {missing:?}"
    );
}

/// Runs every case of the example scenario file `name` against a compiled flow bound to
/// `trigger` (`run` runs it), and asserts each case's expectations; returns the case count.
fn compiled_scenarios<R>(
    name: &str,
    trigger: ctiflow::Trigger,
    run: impl Fn(&Sandbox, &EventContext, &Limits) -> Run<R>,
) -> usize {
    let file = format!("{}/examples/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    let scenarios = ctiflow::scenario::Scenarios::parse(&std::fs::read_to_string(&file).unwrap())
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    for case in &scenarios.cases {
        let case_trigger = case
            .trigger_or(scenarios.trigger().or(Some(trigger)))
            .unwrap();
        assert_eq!(case_trigger, trigger, "{}", case.name);
        let sandbox = case.sandbox();
        let run = run(&sandbox, &case.event(trigger).unwrap(), &case.limits());
        let unmet = case.expect.check(&run, &sandbox.effects());
        assert!(unmet.is_empty(), "{}: {unmet:?}", case.name);
    }
    scenarios.cases.len()
}

/// The example project's scenario files are the runtime's format: a Rust test loads them and
/// runs every case against the compiled flow, as `ctiflow test` runs them loaded.
#[test]
fn the_scenario_files_run_against_the_compiled_flow() {
    let cases = compiled_scenarios("incoming-call.json", incoming_call::TRIGGER, |s, e, l| {
        block_on(incoming_call::run_with(s, e, l))
    });
    assert_eq!(cases, 5);
}

// The example flow with declared blocks (examples/blocks.toml), compiled; the sandbox serves
// its blocks through `call_json`, with the answers each scenario case gives.
ctiflow::include_flow!(
    "examples/flows/after-call-work.json",
    source = Agent,
    event = onAfterCallWork,
    blocks = "examples/blocks.toml"
);

impl after_call_work::Extensions for Sandbox {
    async fn delay(&self, args: after_call_work::DelayArgs) -> ctiflow::BlockResult<()> {
        ctiflow::extension::call_json(self, "SE_Delay", &args).await
    }

    async fn set_agent_status(
        &self,
        args: after_call_work::SetAgentStatusArgs,
    ) -> ctiflow::BlockResult<after_call_work::SetAgentStatusResult> {
        ctiflow::extension::call_json(self, "SE_AgentSetStatus", &args).await
    }
}

/// The after-call-work scenarios, which `ctiflow test` runs loaded, pass compiled too.
#[test]
fn declared_blocks_pass_their_scenarios_compiled() {
    let cases = compiled_scenarios(
        "after-call-work.json",
        after_call_work::TRIGGER,
        |s, e, l| block_on(after_call_work::run_with(s, e, l)),
    );
    assert_eq!(cases, 3);
}
