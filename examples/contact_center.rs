//! An hour of a contact center, played through ctiflow: the flows in `examples/flows/` are
//! compiled by `include_flow!`, registered one per (source, event), and each event of the
//! script is dispatched to its flow and run against the in-memory sandbox. Every run's trace
//! and effects are printed.
//!
//! ```text
//! cargo run --example contact_center
//! ```

use ctiflow::context::{ClickToDial, HvsWorkStart};
use ctiflow::sandbox::{Effect, Org, Sandbox};
use ctiflow::types::{AgentInfo, ContactProperties};
use ctiflow::{Dispatched, Event, EventContext, Limits, Outcome, Payload, Source, Trigger};
use serde_json::json;

ctiflow::include_flow!(
    "examples/flows/incoming-call.json",
    source = VoiceContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "examples/flows/missed-call.json",
    source = VoiceContact,
    event = onMissed
);
ctiflow::include_flow!(
    "examples/flows/click-to-dial.json",
    source = SalesforceUi,
    event = onClickToDial
);
ctiflow::include_flow!(
    "examples/flows/hvs-work.json",
    source = SalesforceUi,
    event = onHvsWorkStart
);
ctiflow::include_flow!(
    "examples/flows/chat-pop-by-email.json",
    source = ChatContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "examples/flows/case-by-attribute.json",
    source = TaskContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "examples/flows/callback-account.json",
    source = QueueCallbackContact,
    event = onConnecting
);

ctiflow::registry! {
    /// The contact center's flows, one per (source, event).
    struct ContactCenter {
        incoming_call, missed_call, click_to_dial, hvs_work, chat_pop_by_email,
        case_by_attribute, callback_account,
    }
}

/// One scripted event: when, what, and the contact it is about.
struct Scene {
    time: &'static str,
    what: &'static str,
    trigger: Trigger,
    contact: Option<ContactProperties>,
    payload: Payload,
}

fn org() -> Org {
    Org::new()
        .with("Contact", json!({"FirstName": "Ann", "LastName": "Lee", "Phone": "+1 555 010 0001", "Email": "ann@example.com"}))
        .with("Case", json!({"CaseNumber": "00001026", "Subject": "Router keeps rebooting", "SuppliedPhone": "(555) 010-0002"}))
        .with("Lead", json!({"FirstName": "Bo", "LastName": "Chen", "Phone": "+15550100003"}))
        .with("Account", json!({"Name": "Acme Corp", "Phone": "+15550100009"}))
}

fn scenes(account_id: &str) -> Vec<Scene> {
    let t = |source, event| Trigger {
        source,
        event: Some(event),
    };
    vec![
        Scene {
            time: "09:00",
            what: "a customer with an open Case calls",
            trigger: t(Source::VoiceContact, Event::OnConnecting),
            contact: Some(ContactProperties::voice(
                "ctc-901",
                "+15550100002",
                "US",
                "Support",
            )),
            payload: Payload::None,
        },
        Scene {
            time: "09:07",
            what: "an unknown caller",
            trigger: t(Source::VoiceContact, Event::OnConnecting),
            contact: Some(ContactProperties::voice(
                "ctc-902",
                "+15550109999",
                "US",
                "Sales",
            )),
            payload: Payload::None,
        },
        Scene {
            time: "09:15",
            what: "a chat from a known e-mail address",
            trigger: t(Source::ChatContact, Event::OnConnecting),
            contact: Some(
                ContactProperties::chat("chat-903", "Web chat")
                    .with_attribute("email", "ann@example.com"),
            ),
            payload: Payload::None,
        },
        Scene {
            time: "09:22",
            what: "the agent clicks a number on a Lead",
            trigger: t(Source::SalesforceUi, Event::OnClickToDial),
            contact: None,
            payload: Payload::ClickToDial(ClickToDial {
                number: "5550100003".into(),
                record_id: "00Q5g00000000042".into(),
                record_name: "Bo Chen".into(),
                object_type: "Lead".into(),
                person_account: false,
            }),
        },
        Scene {
            time: "09:31",
            what: "a Lead's call is missed after 45 s in queue",
            trigger: t(Source::VoiceContact, Event::OnMissed),
            contact: Some(ContactProperties {
                status_duration: 45_000.0,
                ..ContactProperties::voice("ctc-905", "+15550100003", "US", "Sales")
            }),
            payload: Payload::None,
        },
        Scene {
            time: "09:40",
            what: "a task contact without a Case",
            trigger: t(Source::TaskContact, Event::OnConnecting),
            contact: Some(ContactProperties::task("task-906", "Back office")),
            payload: Payload::None,
        },
        Scene {
            time: "09:48",
            what: "High Velocity Sales work starts",
            trigger: t(Source::SalesforceUi, Event::OnHvsWorkStart),
            contact: None,
            payload: Payload::HvsWorkStart(HvsWorkStart {
                work_id: "0Z15g0000000007".into(),
                complete_work_when: "onTaskSaved".into(),
            }),
        },
        Scene {
            time: "09:52",
            what: "a callback for a known Account",
            trigger: t(Source::QueueCallbackContact, Event::OnConnecting),
            contact: Some(
                ContactProperties::callback("cb-908", "+15550100009", "US", "Callbacks")
                    .with_attribute("accountId", account_id),
            ),
            payload: Payload::None,
        },
        Scene {
            time: "09:58",
            what: "a callback whose Account was deleted: the flow fails and says why",
            trigger: t(Source::QueueCallbackContact, Event::OnConnecting),
            contact: Some(
                ContactProperties::callback("cb-909", "+15550100010", "US", "Callbacks")
                    .with_attribute("accountId", "0015g00000000DEL"),
            ),
            payload: Payload::None,
        },
    ]
}

fn print_run(dispatched: &Dispatched, effects: &[Effect]) {
    println!("  flow `{}`", dispatched.flow);
    for step in &dispatched.run.trace {
        let title = step
            .title
            .as_ref()
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default();
        let port = step
            .port
            .map_or("(ends here)".to_owned(), |p| format!("→ {p}"));
        let detail = match (&step.result, &step.error) {
            (_, Some(error)) => format!("  ✗ {}", error.message),
            (Some(result), None) => format!("  {}", compact(result)),
            (None, None) => String::new(),
        };
        println!(
            "    {:<14} {}{title} {port}{detail}",
            step.block, step.type_id
        );
    }
    match &dispatched.run.outcome {
        Outcome::Completed { block } => println!("  completed at `{block}`"),
        Outcome::Failed { block, error } => {
            println!(
                "  FAILED at `{block}`: {} ({:?})",
                error.message, error.kind
            )
        }
        Outcome::TimedOut { block } => println!("  timed out at `{block}`"),
        Outcome::StepLimit { block, steps } => {
            println!("  stopped at `{block}` after {steps} steps")
        }
    }
    for effect in effects {
        println!(
            "  effect: {}",
            compact(&serde_json::to_value(effect).unwrap_or_default())
        );
    }
}

fn compact(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 110 {
        format!("{}…", text.chars().take(110).collect::<String>())
    } else {
        text
    }
}

fn main() {
    let org = org();
    let account_id = org
        .all("Account")
        .next()
        .and_then(|a| a.text("Id"))
        .unwrap_or_default()
        .to_owned();
    let sandbox = Sandbox::new().with_org(org).with_agent(AgentInfo {
        name: "Mia".into(),
        extension: "2041".into(),
        dialable_countries: vec![json!("US")],
    });
    println!(
        "ctiflow contact center: {} flows registered",
        ContactCenter::FLOWS.len()
    );
    for (name, trigger) in ContactCenter::FLOWS {
        println!("  {name:<18} {trigger}");
    }
    let limits = Limits::default();
    for scene in scenes(&account_id) {
        println!("\n{}  {} ({})", scene.time, scene.what, scene.trigger);
        sandbox.set_contact(scene.contact);
        let event = EventContext::new(scene.trigger).with_payload(scene.payload);
        match pollster::block_on(ContactCenter::dispatch(&sandbox, &event, &limits)) {
            Some(dispatched) => print_run(&dispatched, &sandbox.take_effects()),
            None => println!("  no flow is registered for this event"),
        }
    }
    let tasks = sandbox.org().all("Task").count();
    println!(
        "\nAt 10:00 the org holds {tasks} new Tasks; the agent store: taskId = {:?}, lastDialledRecord = {:?}",
        sandbox.property("taskId"),
        sandbox.property("lastDialledRecord")
    );
}
