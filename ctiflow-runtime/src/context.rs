//! The event a flow runs for: its trigger and its payload.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{BlockError, ErrorKind};
use crate::trigger::{Record, Trigger};
use crate::value::{self, Js};

/// The event a run is for.
#[derive(Clone, Debug, PartialEq)]
pub struct EventContext {
    /// The (source, event) that fired.
    pub trigger: Trigger,
    /// What came with it (`$.payload`).
    pub payload: Payload,
}

impl EventContext {
    /// An event without payload.
    pub fn new(trigger: Trigger) -> EventContext {
        EventContext {
            trigger,
            payload: Payload::None,
        }
    }

    /// The same event with `payload`.
    pub fn with_payload(self, payload: Payload) -> EventContext {
        EventContext { payload, ..self }
    }
}

/// The payload of an event: typed where flow-format.md §3 gives its fields, JSON otherwise.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// No payload.
    None,
    /// Untyped JSON (Salesforce Agent, onNavigationChange, CTI Actions).
    Json(Value),
    /// Salesforce UI onClickToDial.
    ClickToDial(ClickToDial),
    /// Salesforce UI onHvsWorkStart.
    HvsWorkStart(HvsWorkStart),
    /// Chat onMessageReceived / onMessageSent.
    ChatMessage(ChatMessage),
}

/// The payload of onClickToDial.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClickToDial {
    /// The number clicked.
    pub number: String,
    /// The record it was clicked on.
    pub record_id: String,
    /// That record's name.
    pub record_name: String,
    /// That record's sObject type.
    pub object_type: String,
    /// Whether the record is a person account.
    pub person_account: bool,
}

/// The payload of onHvsWorkStart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HvsWorkStart {
    /// The High Velocity Sales work item.
    pub work_id: String,
    /// When the work completes.
    pub complete_work_when: String,
}

/// The payload of a chat message event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    /// The chat contact.
    pub contact_id: String,
    /// The first contact of the chat.
    pub initial_contact_id: String,
    /// Who wrote.
    pub display_name: String,
    /// `CUSTOMER`, `AGENT`, `SYSTEM`.
    pub participant_role: String,
    /// The participant.
    pub participant_id: String,
    /// The message.
    pub content: String,
}

fn wrong_payload(expected: &str) -> BlockError {
    BlockError::new(
        ErrorKind::NoPayload,
        format!("the flow reads the {expected} payload, but the event carries another"),
    )
}

impl Payload {
    /// The payload as JSON, for untyped reads; `undefined` without one. Its numbers are the
    /// doubles JavaScript holds ([`value::js_json`]): `9007199254740993` reads as
    /// `9007199254740992`, `1.0` as `1`.
    pub fn json(&self) -> Option<Value> {
        match self {
            Payload::None => None,
            Payload::Json(v) => Some(value::js_json(v.clone())),
            Payload::ClickToDial(p) => serde_json::to_value(p).ok(),
            Payload::HvsWorkStart(p) => serde_json::to_value(p).ok(),
            Payload::ChatMessage(p) => serde_json::to_value(p).ok(),
        }
    }

    /// The onClickToDial payload.
    pub fn click_to_dial(&self) -> Result<&ClickToDial, BlockError> {
        match self {
            Payload::ClickToDial(p) => Ok(p),
            _ => Err(wrong_payload("onClickToDial")),
        }
    }

    /// The onHvsWorkStart payload.
    pub fn hvs_work_start(&self) -> Result<&HvsWorkStart, BlockError> {
        match self {
            Payload::HvsWorkStart(p) => Ok(p),
            _ => Err(wrong_payload("onHvsWorkStart")),
        }
    }

    /// The chat message payload.
    pub fn chat_message(&self) -> Result<&ChatMessage, BlockError> {
        match self {
            Payload::ChatMessage(p) => Ok(p),
            _ => Err(wrong_payload("chat message")),
        }
    }

    /// The typed payload `record`, as JavaScript sees it: what the accessor of that record
    /// gives generated code, for the interpreter.
    pub fn record(&self, record: Record) -> Result<Option<Value>, BlockError> {
        match record {
            Record::ClickToDial => self.click_to_dial().map(Js::js),
            Record::HvsWorkStart => self.hvs_work_start().map(Js::js),
            Record::ChatMessage => self.chat_message().map(Js::js),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Issue 12 item 5: a payload's numbers keep JavaScript's meaning when passed on.
    #[test]
    fn untyped_payloads_hold_javascripts_numbers() {
        let payload: Value =
            serde_json::from_str(r#"{"n": 9007199254740993, "f": 2.0, "z": -0.0, "s": "1.0"}"#)
                .unwrap();
        assert_eq!(
            Payload::Json(payload).json(),
            Some(json!({"n": 9007199254740992_u64, "f": 2, "z": 0, "s": "1.0"}))
        );
        assert_eq!(
            Payload::Json(json!({"f": 2.0})).json().unwrap().to_string(),
            r#"{"f":2}"#
        );
    }
}
