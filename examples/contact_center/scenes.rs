//! The script of the contact center's hour: the org, and each event with its contact and
//! payload. Shared by the example and the run benchmark (`benches/runs.rs`).

use ctiflow::context::{ClickToDial, HvsWorkStart};
use ctiflow::sandbox::Org;
use ctiflow::types::ContactProperties;
use ctiflow::{Event, Payload, Source, Trigger};
use serde_json::json;

/// One scripted event: when, what, and the contact it is about.
pub struct Scene {
    pub time: &'static str,
    pub what: &'static str,
    pub trigger: Trigger,
    pub contact: Option<ContactProperties>,
    pub payload: Payload,
}

pub fn org() -> Org {
    Org::new()
        .with("Contact", json!({"FirstName": "Ann", "LastName": "Lee", "Phone": "+1 555 010 0001", "Email": "ann@example.com"}))
        .with("Case", json!({"CaseNumber": "00001026", "Subject": "Router keeps rebooting", "SuppliedPhone": "(555) 010-0002"}))
        .with("Lead", json!({"FirstName": "Bo", "LastName": "Chen", "Phone": "+15550100003"}))
        .with("Account", json!({"Name": "Acme Corp", "Phone": "+15550100009"}))
}

pub fn scenes(account_id: &str) -> Vec<Scene> {
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
