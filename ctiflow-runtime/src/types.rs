//! The typed results of blocks and the requests capability methods take. Field names follow
//! the flows' names in snake case; serialised, they are the flows' names again, which is what
//! traces and `$.actions.<id>.results` show.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::phone;
use crate::value::Js;

/// A map control: field name → text (Salesforce field values, contact attributes).
pub type Fields = BTreeMap<String, String>;

macro_rules! js_via_serde {
    ($($ty:ty),*) => {$(
        impl Js for $ty {
            fn js(&self) -> Option<Value> {
                serde_json::to_value(self).ok()
            }
        }
    )*};
}

js_via_serde!(
    ContactProperties,
    ContactStatus,
    ParsedNumber,
    AgentInfo,
    TextValue,
    AnyValue,
    CustomerPhone,
    ScreenpopResult,
    SavedRecord,
    CreatedTask,
    SalesforceContactId,
    SalesforceLeadId,
    Retrieved,
    // Typed payloads: `$.payload` read whole is an object like any other.
    crate::context::ClickToDial,
    crate::context::HvsWorkStart,
    crate::context::ChatMessage
);

/// Get Contact Properties, and `$.contact`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactProperties {
    /// The contact.
    pub contact_id: String,
    /// The contact this one continues (transfers, callbacks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_contact_id: Option<String>,
    /// `voice`, `queue_callback`, `chat`, `task`, `email`.
    pub r#type: String,
    /// `Voice`, `Chat`, `Task`...
    pub channel: String,
    /// The contact's state.
    pub status: ContactStatus,
    /// Milliseconds in that state.
    #[serde(serialize_with = "crate::value::serialize_number")]
    pub status_duration: f64,
    /// The queue it came through.
    pub queue_id: String,
    /// That queue's name.
    pub queue_name: String,
    /// When it entered the queue (RFC 3339).
    pub queue_timestamp: String,
    /// Contact attributes.
    pub attributes: Map<String, Value>,
    /// The customer's number, without `sip:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The number's country (ISO 3166 alpha-2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The endpoint as Connect gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_phone_number: Option<String>,
    /// The number, parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parsed_number: Option<ParsedNumber>,
    /// National format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formatted_phone_number: Option<String>,
    /// E.164.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formatted_phone_number_e164: Option<String>,
    /// `inbound` or `outbound`.
    pub call_type: String,
    /// Whether the customer called in.
    pub is_inbound: bool,
    /// Whether it was transferred.
    pub is_transfer: bool,
    /// Whether it is a softphone call.
    pub is_softphone_call: bool,
    /// Whether the agent is connected.
    pub is_connected: bool,
    /// Whether the agent is monitoring.
    pub is_monitor: bool,
}

/// A contact's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactStatus {
    /// `connecting`, `connected`...
    pub r#type: String,
    /// Since when (RFC 3339).
    pub timestamp: String,
}

/// A parsed phone number.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedNumber {
    /// Deprecated by the adapter for `number`.
    pub phone: String,
    /// International form.
    pub number: String,
    /// National form.
    pub national_number: String,
    /// ISO 3166 alpha-2.
    pub country: String,
}

impl ContactProperties {
    /// A contact of `type_` on `channel` through `queue_name`, connecting, inbound.
    fn new(contact_id: &str, type_: &str, channel: &str, queue_name: &str) -> ContactProperties {
        ContactProperties {
            contact_id: contact_id.to_owned(),
            r#type: type_.to_owned(),
            channel: channel.to_owned(),
            status: ContactStatus {
                r#type: "connecting".to_owned(),
                timestamp: "2026-01-01T09:00:00Z".to_owned(),
            },
            queue_id: format!("queue-{}", queue_name.to_lowercase().replace(' ', "-")),
            queue_name: queue_name.to_owned(),
            queue_timestamp: "2026-01-01T08:59:30Z".to_owned(),
            call_type: "inbound".to_owned(),
            is_inbound: true,
            // Streams: only voice contacts (calls and callbacks) can be softphone calls.
            is_softphone_call: channel == "Voice",
            ..ContactProperties::default()
        }
    }

    /// A voice call from `endpoint` (`+15551234567` or `sip:+15551234567@host`), whose number
    /// is read as one of `country`; phone fields are derived as the adapter derives them.
    pub fn voice(contact_id: &str, endpoint: &str, country: &str, queue_name: &str) -> Self {
        ContactProperties::new(contact_id, "voice", "Voice", queue_name)
            .with_phone(endpoint, country)
    }

    /// A queued callback to `endpoint`.
    pub fn callback(contact_id: &str, endpoint: &str, country: &str, queue_name: &str) -> Self {
        ContactProperties::new(contact_id, "queue_callback", "Voice", queue_name)
            .with_phone(endpoint, country)
    }

    /// A chat: no phone fields.
    pub fn chat(contact_id: &str, queue_name: &str) -> Self {
        ContactProperties::new(contact_id, "chat", "Chat", queue_name)
    }

    /// A task: no phone fields.
    pub fn task(contact_id: &str, queue_name: &str) -> Self {
        ContactProperties::new(contact_id, "task", "Task", queue_name)
    }

    /// The same contact with attribute `name` set to `value`.
    pub fn with_attribute(mut self, name: &str, value: &str) -> Self {
        self.attributes
            .insert(name.to_owned(), Value::String(value.to_owned()));
        self
    }

    /// The same contact reached at `endpoint` (`+15551234567` or `sip:+1555...@host`), read as
    /// a number of `country`: every phone field derived as the adapter derives them.
    pub fn with_phone(mut self, endpoint: &str, country: &str) -> Self {
        let number = phone::strip_sip(endpoint);
        let e164 = phone::format(number, country, phone::Format::E164);
        let national = phone::format(number, country, phone::Format::National);
        self.raw_phone_number = Some(endpoint.to_owned());
        self.phone = Some(number.to_owned());
        self.country = Some(country.to_owned());
        self.parsed_number = Some(ParsedNumber {
            phone: e164.clone(),
            number: e164.clone(),
            national_number: national.clone(),
            country: country.to_owned(),
        });
        self.formatted_phone_number = Some(national);
        self.formatted_phone_number_e164 = Some(e164);
        self
    }
}

/// `$.agent`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentInfo {
    /// The agent's name.
    pub name: String,
    /// The agent's extension.
    pub extension: String,
    /// Countries the agent may dial (ISO 3166 alpha-2).
    pub dialable_countries: Vec<Value>,
}

/// A text `value` (Format Phone Number, String Template, Get Contact Attribute).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TextValue {
    /// The text.
    pub value: String,
}

/// Any `value`, `undefined` when absent (Extract Value, Get Property).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnyValue {
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// Get Customer Phone Number.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerPhone {
    /// The number, without `sip:`; empty for contacts without a phone.
    pub phone: String,
    /// Its country; empty when unknown.
    pub country: String,
}

/// Search And Screenpop.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScreenpopResult {
    /// The record, when exactly one matched.
    #[serde(rename = "Id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name, when exactly one matched.
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its sObject type, when exactly one matched.
    #[serde(rename = "RecordType", skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// Whether exactly one record matched.
    #[serde(rename = "ExactMatch")]
    pub exact_match: bool,
    /// How many records matched.
    #[serde(
        rename = "recordCount",
        serialize_with = "crate::value::serialize_number"
    )]
    pub record_count: f64,
}

/// Save (or Create) a Record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedRecord {
    /// The record's id.
    pub id: String,
}

/// Create a Task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreatedTask {
    /// The Task's id.
    pub id: String,
    /// Its subject.
    #[serde(rename = "Subject")]
    pub subject: String,
}

/// Get Salesforce Contact Id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SalesforceContactId {
    /// The Contact found.
    pub sf_contact_id: String,
}

/// Get Salesforce Lead Id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SalesforceLeadId {
    /// The Lead found.
    pub sf_lead_id: String,
}

/// Retrieve Salesforce Record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Retrieved {
    /// The record's fields that were asked for.
    pub record: Map<String, Value>,
}

/// A Call Type (Search And Screenpop, Create a Task).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallType {
    /// `inbound`
    Inbound,
    /// `outbound`
    Outbound,
    /// `internal`
    Internal,
}

impl CallType {
    /// The call type written `text` in a flow.
    pub fn parse(text: &str) -> Option<CallType> {
        Some(match text {
            "inbound" => CallType::Inbound,
            "outbound" => CallType::Outbound,
            "internal" => CallType::Internal,
            _ => return None,
        })
    }

    /// Salesforce's picklist value.
    pub fn picklist(self) -> &'static str {
        match self {
            CallType::Inbound => "Inbound",
            CallType::Outbound => "Outbound",
            CallType::Internal => "Internal",
        }
    }
}

/// What Dial Number asks the agent's softphone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DialRequest {
    /// The number.
    pub phone_number: String,
    /// The outbound queue, if not the agent's default.
    pub queue_arn: Option<String>,
}

/// What Search And Screenpop asks the console.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchRequest {
    /// The search text (SOSL `FIND`), escaped by the backend.
    pub search_params: String,
    /// Extra query parameters.
    pub query_params: Option<String>,
    /// New-record defaults when nothing matches.
    pub default_field_values: Fields,
    /// Pop later rather than now.
    pub deferred: bool,
    /// The call's direction.
    pub call_type: CallType,
}

/// What Save (or Create) a Record asks Salesforce.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SaveRequest {
    /// The record to update; `None` creates one.
    pub record_id: Option<String>,
    /// The sObject of a new record.
    pub entity_type: Option<String>,
    /// The fields to write.
    pub field_values: Fields,
}

/// What Create a Task asks Salesforce. Empty optional fields are `None` and not sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskRequest {
    /// Subject: the non-empty subjects joined by `" - "`.
    pub subject: String,
    /// `CallObject`
    pub call_object: Option<String>,
    /// `Type`
    pub r#type: String,
    /// `Status`
    pub status: String,
    /// `Priority`
    pub priority: String,
    /// `IsClosed`
    pub is_closed: bool,
    /// `TaskSubtype`
    pub task_subtype: Option<String>,
    /// `WhoId`: a Contact or Lead.
    pub who_id: Option<String>,
    /// `WhatId`: the related record.
    pub what_id: Option<String>,
    /// `CallDisposition`
    pub call_disposition: Option<String>,
    /// `CallDurationInSeconds`
    pub call_duration_in_seconds: Option<u64>,
    /// `ActivityDate`
    pub activity_date: Option<String>,
    /// `CallType`
    pub call_type: CallType,
    /// Any other Task fields.
    pub other_fields: Fields,
}

/// What Retrieve Salesforce Record asks Salesforce. Names are checked before the backend sees
/// them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RetrieveRequest {
    /// The sObject.
    pub sobject: String,
    /// The record id.
    pub id: String,
    /// The fields to read.
    pub fields: Vec<String>,
}

/// What Complete High Velocity Sales Work asks the console.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HvsCompletion {
    /// The work item.
    pub work_id: String,
    /// Its disposition.
    pub disposition: Option<String>,
    /// The Task saved for it.
    pub task_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Issue 12 item 5: integral numbers in results print as JavaScript prints them.
    #[test]
    fn numeric_results_are_integers_when_integral() {
        let found = ScreenpopResult {
            record_count: 2.0,
            ..ScreenpopResult::default()
        };
        assert_eq!(found.js().unwrap()["recordCount"], json!(2));
        assert_eq!(
            serde_json::to_string(&found).unwrap(),
            r#"{"ExactMatch":false,"recordCount":2}"#
        );
        let contact = ContactProperties {
            status_duration: 1500.0,
            ..ContactProperties::chat("c-1", "Support")
        };
        let json = serde_json::to_string(&contact).unwrap();
        assert!(json.contains(r#""statusDuration":1500,"#), "{json}");
        let back: ContactProperties = serde_json::from_str(&json).unwrap();
        assert_eq!(back.status_duration, 1500.0);
        let contact = ContactProperties {
            status_duration: 2.5,
            ..contact
        };
        assert_eq!(contact.js().unwrap()["statusDuration"], json!(2.5));
    }
}
