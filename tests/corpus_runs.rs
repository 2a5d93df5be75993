//! End-to-end: every corpus flow that compiles, compiled from its golden file with warnings
//! denied, run against sandbox scenarios; the tests assert what the agent saw and what
//! Salesforce stored, the path taken, and failure paths.
#![deny(warnings)]

use ctiflow::sandbox::{Call, Effect, Org, Pop, Sandbox};
use ctiflow::types::ContactProperties;
use ctiflow::{BlockError, EventContext, Outcome, Payload, Run, Trigger};
use ctiflow_codegen::names;
use serde_json::json;

mod both;

include!("goldens/default_01_salesforce_ui_on_click_to_dial.rs");
include!("goldens/default_02_voice_contact_on_connecting.rs");
include!("goldens/default_03_chat_contact_on_connecting.rs");
include!("goldens/default_04_queue_callback_contact_on_connecting.rs");
include!("goldens/example_01_legacy.rs");
include!("goldens/example_02_chat_contact_screenpop.rs");
include!("goldens/example_03_click_to_dial.rs");
include!("goldens/example_06_screenpop_on_customer.rs");
include!("goldens/example_07_screenpop_case.rs");
include!("goldens/example_08_create_task.rs");
include!("goldens/example_09_screenpop_cust_email.rs");
include!("goldens/example_10_create_callback_task.rs");
include!("goldens/example_11_salesforce_contact_creation.rs");
include!("goldens/example_12_screen_pop_contact_multi_chat.rs");
include!("goldens/hvs_on_connecting.rs");
include!("goldens/hvs_on_hvs_work_start.rs");
include!("goldens/hvs_on_routable.rs");

/// Runs a corpus flow's golden module and the flow loaded from its corpus file (see
/// `both::run`), with the manifest's trigger and allowed lints.
macro_rules! both {
    ($module:ident, $sandbox:expr, $ctx:expr) => {{
        let (sandbox, ctx) = ($sandbox, $ctx);
        let (file, allow) = corpus_file(stringify!($module));
        both::run(
            &file,
            $module::TRIGGER,
            &allow.iter().map(String::as_str).collect::<Vec<_>>(),
            sandbox,
            ctx,
            &ctiflow::Limits::default(),
            $module::run(sandbox, ctx),
        )
    }};
}

/// The corpus file a golden module was generated from, and the lints its manifest entry allows.
fn corpus_file(module: &str) -> (String, Vec<String>) {
    let dir = std::path::Path::new("../shared/corpus/cti-adapter");
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir.join("manifest.json"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).expect("the corpus manifest"))
            .expect("the manifest is JSON");
    let flows = manifest["flows"].as_object().expect("flows");
    let (file, verdict) = flows
        .iter()
        .find(|(file, _)| names::module_for(std::path::Path::new(file)) == module)
        .expect("a corpus flow for every golden module");
    let allow = verdict["allow"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|lint| lint.as_str().map(str::to_owned))
        .collect();
    (dir.join(file).display().to_string(), allow)
}

fn ports<R>(run: &Run<R>) -> Vec<(&str, Option<&'static str>)> {
    run.trace
        .iter()
        .map(|s| (s.block.as_str(), s.port))
        .collect()
}

fn caller() -> ContactProperties {
    ContactProperties::voice("contact-1", "+15551234567", "US", "Support")
}

fn org_with_caller() -> Org {
    Org::new().with(
        "Contact",
        json!({"FirstName": "Ann", "LastName": "Lee", "Phone": "(555) 123-4567", "AccountId": "0015g00000000AAAAA"}),
    )
}

#[test]
fn click_to_dial_dials_the_clicked_number() {
    let payload = Payload::ClickToDial(ctiflow::context::ClickToDial {
        number: "(555) 765-4321".into(),
        ..Default::default()
    });
    let sandbox = Sandbox::new();
    let event = EventContext::new(default_01_salesforce_ui_on_click_to_dial::TRIGGER)
        .with_payload(payload.clone());
    let done = both!(default_01_salesforce_ui_on_click_to_dial, &sandbox, &event);
    assert_eq!(done.outcome, Outcome::Completed { block: "2".into() });
    assert_eq!(
        sandbox.effects(),
        [Effect::Dialed {
            number: "(555) 765-4321".into(),
            queue_arn: None
        }]
    );

    // The E.164 variant formats first.
    let sandbox = Sandbox::new();
    let event = EventContext::new(example_03_click_to_dial::TRIGGER).with_payload(payload);
    let done = both!(example_03_click_to_dial, &sandbox, &event);
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-13".into()
        }
    );
    assert_eq!(
        sandbox.effects(),
        [Effect::Dialed {
            number: "+15557654321".into(),
            queue_arn: None
        }]
    );
    assert_eq!(
        done.results.uid_16.map(|r| r.value).as_deref(),
        Some("+15557654321")
    );
}

#[test]
fn click_to_dial_failure_takes_the_failure_path() {
    let payload = Payload::ClickToDial(ctiflow::context::ClickToDial {
        number: "5557654321".into(),
        ..Default::default()
    });
    let sandbox = Sandbox::new().failing(Call::Dial, BlockError::backend("softphone offline"));
    let event = EventContext::new(example_03_click_to_dial::TRIGGER).with_payload(payload);
    let done = both!(example_03_click_to_dial, &sandbox, &event);
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-13".into()
        }
    );
    assert_eq!(
        ports(&done)[2..],
        [
            ("uid-18", Some("failure")),
            ("uid-20", Some("done")),
            ("uid-13", None)
        ]
    );
    // A click-to-dial event without its payload fails at the block reading it.
    let event = EventContext::new(example_03_click_to_dial::TRIGGER);
    let done = both!(example_03_click_to_dial, &Sandbox::new(), &event);
    assert!(
        matches!(&done.outcome, Outcome::Failed { block, .. } if block == "uid-16"),
        "{:?}",
        done.outcome
    );
}

#[test]
fn voice_search_pops_the_known_caller() {
    for (trigger, contact) in [
        (default_02_voice_contact_on_connecting::TRIGGER, caller()),
        (
            default_04_queue_callback_contact_on_connecting::TRIGGER,
            ContactProperties::callback("cb-1", "+15551234567", "US", "Support"),
        ),
    ] {
        let sandbox = Sandbox::new()
            .with_org(org_with_caller())
            .with_contact(contact);
        let event = EventContext::new(trigger);
        let done = if trigger == default_02_voice_contact_on_connecting::TRIGGER {
            both!(default_02_voice_contact_on_connecting, &sandbox, &event).erase()
        } else {
            both!(
                default_04_queue_callback_contact_on_connecting,
                &sandbox,
                &event
            )
            .erase()
        };
        assert_eq!(done.outcome, Outcome::Completed { block: "4".into() });
        let id = sandbox
            .org()
            .all("Contact")
            .next()
            .and_then(|r| r.text("Id").map(str::to_owned))
            .unwrap();
        assert_eq!(sandbox.pops(), [Pop::Record { id: id.clone() }]);
        assert_eq!(done.results["1"]["Id"], id.as_str());
        assert_eq!(done.results["1"]["Name"], "Ann Lee");
    }
}

#[test]
fn unknown_caller_gets_a_new_record_form() {
    let sandbox = Sandbox::new().with_contact(caller());
    let done = both!(
        default_02_voice_contact_on_connecting,
        &sandbox,
        &EventContext::new(default_02_voice_contact_on_connecting::TRIGGER)
    );
    assert_eq!(done.outcome, Outcome::Completed { block: "4".into() });
    assert!(matches!(sandbox.pops()[..], [Pop::NewRecord { .. }]));
    // Block id `1` is the field `b_1`.
    assert_eq!(done.results.b_1.map(|r| r.exact_match), Some(false));
}

#[test]
fn chat_search_by_literal_email() {
    let org = Org::new().with(
        "Contact",
        json!({"LastName": "Test", "Email": "test@amazon.com"}),
    );
    let sandbox = Sandbox::new()
        .with_org(org)
        .with_contact(ContactProperties::chat("chat-1", "Chat"));
    let done = both!(
        default_03_chat_contact_on_connecting,
        &sandbox,
        &EventContext::new(default_03_chat_contact_on_connecting::TRIGGER)
    );
    assert_eq!(done.outcome, Outcome::Completed { block: "4".into() });
    assert!(matches!(&sandbox.pops()[..], [Pop::Record { .. }]));
}

#[test]
fn legacy_flow_searches_the_attribute_then_the_number() {
    let org = org_with_caller().with(
        "Case",
        json!({"CaseNumber": "00001001", "Subject": "Broken"}),
    );
    let contact = caller().with_attribute("acsf-screenpop-record", "00001001");
    let sandbox = Sandbox::new().with_org(org).with_contact(contact);
    let done = both!(
        example_01_legacy,
        &sandbox,
        &EventContext::new(example_01_legacy::TRIGGER)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-13".into()
        }
    );
    assert_eq!(sandbox.pops().len(), 2);
    assert_eq!(
        done.results.uid_10.map(|r| r.value).as_deref(),
        Some("(555) 123-4567")
    );
    // A failing search logs and ends.
    let sandbox = Sandbox::new()
        .with_contact(caller())
        .failing(Call::SearchAndScreenpop, BlockError::backend("timeout"));
    let done = both!(
        example_01_legacy,
        &sandbox,
        &EventContext::new(example_01_legacy::TRIGGER)
    );
    assert_eq!(
        ports(&done)[2..],
        [
            ("uid-6", Some("failure")),
            ("uid-14", Some("done")),
            ("uid-13", None)
        ]
    );
}

#[test]
fn chat_pops_the_record_attribute_or_searches() {
    let org = org_with_caller();
    let id = org
        .all("Contact")
        .next()
        .and_then(|r| r.text("Id").map(str::to_owned))
        .unwrap();
    let sandbox = Sandbox::new().with_org(org).with_contact(
        ContactProperties::chat("chat-2", "Chat").with_attribute("acsf-screenpop-record", &id),
    );
    let done = both!(
        example_02_chat_contact_screenpop,
        &sandbox,
        &EventContext::new(example_02_chat_contact_screenpop::TRIGGER)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-13".into()
        }
    );
    assert_eq!(sandbox.pops(), [Pop::Record { id }]);
}

#[test]
fn customer_phone_is_formatted_then_searched() {
    let sandbox =
        Sandbox::new()
            .with_org(org_with_caller())
            .with_contact(ContactProperties::voice(
                "c-2",
                "sip:+15551234567@example.com",
                "US",
                "Sales",
            ));
    let done = both!(
        example_06_screenpop_on_customer,
        &sandbox,
        &EventContext::new(example_06_screenpop_on_customer::TRIGGER)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-13".into()
        }
    );
    assert_eq!(
        done.results.uid_22.map(|r| r.phone).as_deref(),
        Some("+15551234567")
    );
    assert!(matches!(&sandbox.pops()[..], [Pop::Record { .. }]));
}

#[test]
fn case_number_attribute_decides_search_or_new_case() {
    let org = Org::new().with("Case", json!({"CaseNumber": "00001002"}));
    let sandbox = Sandbox::new()
        .with_org(org)
        .with_contact(caller().with_attribute("caseNumber", "00001002"));
    let done = both!(
        example_07_screenpop_case,
        &sandbox,
        &EventContext::new(example_07_screenpop_case::TRIGGER)
    );
    assert_eq!(ports(&done)[2], ("uid-3", Some("true")));
    assert!(matches!(&sandbox.pops()[..], [Pop::Record { .. }]));

    let sandbox = Sandbox::new().with_contact(caller());
    let done = both!(
        example_07_screenpop_case,
        &sandbox,
        &EventContext::new(example_07_screenpop_case::TRIGGER)
    );
    assert_eq!(ports(&done)[2], ("uid-3", Some("false")));
    assert_eq!(
        sandbox.pops(),
        [Pop::NewRecord {
            entity: "Case".into(),
            defaults: Default::default()
        }]
    );
}

#[test]
fn create_task_links_the_account_of_a_known_caller() {
    let sandbox = Sandbox::new()
        .with_org(org_with_caller())
        .with_contact(caller());
    let done = both!(
        example_08_create_task,
        &sandbox,
        &EventContext::new(example_08_create_task::TRIGGER)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-9".into()
        }
    );
    let task = &sandbox.created("Task")[0];
    assert_eq!(task["WhatId"], "0015g00000000AAAAA");
    assert_eq!(task["Subject"], "voice - Support");
    assert_eq!(
        task["TaskSubtype"], "Task",
        "the correct spelling wins over TaskSubType"
    );
    assert!(
        task["WhoId"]
            .as_str()
            .is_some_and(|id| id.starts_with("003"))
    );
}

#[test]
fn create_task_for_an_unknown_caller_passes_undefined() {
    // `maybe_unset` allowed: WhoId and WhatId are undefined, so not sent.
    let sandbox = Sandbox::new().with_contact(caller());
    let done = both!(
        example_08_create_task,
        &sandbox,
        &EventContext::new(example_08_create_task::TRIGGER)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-9".into()
        }
    );
    assert_eq!(ports(&done)[2], ("uid-11", Some("failure")));
    let task = &sandbox.created("Task")[0];
    assert!(!task.contains_key("WhoId") && !task.contains_key("WhatId"));
    assert!(done.results.uid_17.is_none());
}

#[test]
fn constant_condition_skips_the_search() {
    let sandbox = Sandbox::new().with_contact(
        ContactProperties::chat("chat-3", "Chat").with_attribute("emailAddress", "a@b.c"),
    );
    let done = both!(
        example_09_screenpop_cust_email,
        &sandbox,
        &EventContext::new(example_09_screenpop_cust_email::TRIGGER)
    );
    assert_eq!(ports(&done)[2], ("uid-6", Some("false")));
    assert!(sandbox.pops().is_empty());
}

#[test]
fn callback_task_uses_the_payload_phone() {
    let org = Org::new().with(
        "Contact",
        json!({"LastName": "Cb", "Phone": "+1 555 222 3333"}),
    );
    let sandbox = Sandbox::new().with_org(org).with_contact(caller());
    let event = EventContext::new(example_10_create_callback_task::TRIGGER)
        .with_payload(Payload::Json(json!({"CallbackPhone": "5552223333"})));
    let done = both!(example_10_create_callback_task, &sandbox, &event);
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-1".into()
        }
    );
    assert_eq!(ports(&done)[2], ("uid-3", Some("true")));
    assert_eq!(sandbox.created("Task").len(), 1);
    // Without a match, Get Contact Id fails through an unconnected failure port: a failed run.
    let sandbox = Sandbox::new().with_contact(caller());
    let done = both!(
        example_10_create_callback_task,
        &sandbox,
        &EventContext::new(example_10_create_callback_task::TRIGGER)
    );
    match done.outcome {
        Outcome::Failed { block, error } => {
            assert_eq!(block, "uid-26");
            assert_eq!(error.kind, ctiflow::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn chat_contact_creation_saves_updates_and_pops() {
    let sandbox = Sandbox::new().with_contact(ContactProperties::chat("chat-4", "Chat"));
    let done = both!(
        example_11_salesforce_contact_creation,
        &sandbox,
        &EventContext::new(example_11_salesforce_contact_creation::TRIGGER)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-13".into()
        }
    );
    let created = sandbox
        .org()
        .all("Contact")
        .next()
        .map(|r| r.text("Id").unwrap_or_default().to_owned())
        .unwrap();
    assert!(sandbox.effects().contains(&Effect::AttributesUpdated {
        attributes: [("salesforceContactId".to_owned(), created.clone())].into()
    }));
    assert_eq!(sandbox.pops(), [Pop::Record { id: created }]);
}

#[test]
fn multichat_pops_only_a_known_record() {
    let sandbox = Sandbox::new().with_contact(
        ContactProperties::chat("chat-5", "Chat")
            .with_attribute("salesforceContactId", "003000000000000AAA"),
    );
    let done = both!(
        example_12_screen_pop_contact_multi_chat,
        &sandbox,
        &EventContext::new(example_12_screen_pop_contact_multi_chat::TRIGGER)
    );
    assert_eq!(
        ports(&done)[2],
        ("uid-15", Some("failure")),
        "noPopOnEmpty with an unknown id"
    );
    assert!(sandbox.pops().is_empty());
}

#[test]
fn hvs_flows_share_the_agent_store() {
    let org = Org::new().with("Lead", json!({"LastName": "Hv", "Phone": "555-123-4567"}));
    let sandbox = Sandbox::new().with_org(org).with_contact(caller());
    let done = both!(
        hvs_on_connecting,
        &sandbox,
        &EventContext::new(hvs_on_connecting::TRIGGER)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-11".into()
        }
    );
    let task_id = sandbox.property("taskId").unwrap();

    let work = Payload::HvsWorkStart(ctiflow::context::HvsWorkStart {
        work_id: "0Z15g000000001".into(),
        complete_work_when: "onTaskSaved".into(),
    });
    let done = both!(
        hvs_on_hvs_work_start,
        &sandbox,
        &EventContext::new(hvs_on_hvs_work_start::TRIGGER).with_payload(work)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid4".into()
        }
    );

    sandbox.org().update(
        task_id.as_str().unwrap(),
        [("Call_Result__c".to_owned(), json!("Reached"))]
            .into_iter()
            .collect(),
    );
    let done = both!(
        hvs_on_routable,
        &sandbox,
        &EventContext::new(hvs_on_routable::TRIGGER)
    );
    assert_eq!(
        done.outcome,
        Outcome::Completed {
            block: "uid-23".into()
        }
    );
    assert_eq!(
        sandbox.effects().last(),
        Some(&Effect::HvsWorkCompleted {
            work_id: "0Z15g000000001".into(),
            disposition: Some("Reached".into()),
            task_id: task_id.as_str().unwrap().to_owned(),
        })
    );
}

#[test]
fn triggers_are_the_manifest_ones() {
    assert_eq!(
        hvs_on_routable::TRIGGER,
        Trigger {
            source: ctiflow::Source::Agent,
            event: Some(ctiflow::Event::OnRoutable)
        }
    );
    assert_eq!(
        example_10_create_callback_task::TRIGGER,
        Trigger {
            source: ctiflow::Source::CtiAction,
            event: None
        }
    );
}
