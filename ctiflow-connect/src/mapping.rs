//! DescribeContact and DescribeUser answers as the runtime's types: pure functions, so every
//! mapping decision (the table in the crate docs) is in one place and tested without a server.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_connect::primitives::{DateTime, DateTimeFormat};
use aws_sdk_connect::types::{Contact, User};
use ctiflow_runtime::types::{AgentInfo, ContactProperties, ContactStatus};
use serde_json::{Map, Value};

/// What `properties` gathered besides the contact itself.
pub(crate) struct Extras<'a> {
    /// GetContactAttributes.
    pub attributes: HashMap<String, String>,
    /// DescribeQueue's `Name`; `None` without a queue (or when the queue is gone).
    pub queue_name: Option<String>,
    /// DescribeUser of the contact's agent: `PhoneConfig.PhoneType == SOFT_PHONE`.
    pub softphone: bool,
    /// Where a queue id becomes a queue ARN.
    pub instance_arn: Option<&'a str>,
    /// The country numbers are read in.
    pub default_country: &'a str,
    /// The moment status durations are measured to; `None`: they are 0.
    pub now: Option<SystemTime>,
}

/// Get Contact Properties from a DescribeContact `Contact` and the [`Extras`].
pub(crate) fn properties(contact: &Contact, extras: Extras<'_>) -> ContactProperties {
    let id = contact.id().unwrap_or_default().to_owned();
    let channel = contact.channel().map(|c| c.as_str()).unwrap_or_default();
    let method = contact
        .initiation_method()
        .map(|m| m.as_str())
        .unwrap_or_default();
    let (status, since) = status(contact);
    let status_duration = match (extras.now, since) {
        (Some(now), Some(since)) => elapsed_ms(now, since),
        _ => 0.0,
    };
    let queue = contact.queue_info();
    let queue_id = queue.and_then(|q| q.id()).unwrap_or_default();
    let outbound = is_outbound(method, channel);
    let attributes: Map<String, Value> = extras
        .attributes
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let properties = ContactProperties {
        original_contact_id: contact
            .initial_contact_id()
            .filter(|initial| *initial != id)
            .map(str::to_owned),
        r#type: contact_type(channel, method),
        channel: channel_name(channel),
        status_duration,
        queue_id: match (queue_id, extras.instance_arn) {
            ("", _) => String::new(),
            (queue_id, Some(arn)) => format!("{arn}/queue/{queue_id}"),
            (queue_id, None) => queue_id.to_owned(),
        },
        queue_name: extras.queue_name.unwrap_or_default(),
        queue_timestamp: queue
            .and_then(|q| q.enqueue_timestamp())
            .map(rfc3339)
            .unwrap_or_default(),
        attributes,
        call_type: if outbound { "outbound" } else { "inbound" }.to_owned(),
        is_inbound: !outbound,
        is_transfer: matches!(method, "TRANSFER" | "QUEUE_TRANSFER"),
        is_softphone_call: extras.softphone,
        is_connected: status.r#type == "connected",
        is_monitor: method == "MONITOR",
        contact_id: id,
        status,
        ..ContactProperties::default()
    };
    match contact.customer_endpoint() {
        Some(endpoint)
            if endpoint.r#type().map(|t| t.as_str()) == Some("TELEPHONE_NUMBER")
                && endpoint.address().is_some_and(|a| !a.is_empty()) =>
        {
            let address = endpoint.address().unwrap_or_default();
            properties.with_phone(address, extras.default_country)
        }
        _ => properties,
    }
}

/// Streams' `type`: the channel in lower case, `queue_callback` for a callback.
fn contact_type(channel: &str, method: &str) -> String {
    if channel == "VOICE" && method == "CALLBACK" {
        "queue_callback".to_owned()
    } else {
        channel.to_lowercase()
    }
}

/// The `channel` property as the sandbox writes it: `Voice`, `Chat`, `Task`, `Email`.
fn channel_name(channel: &str) -> String {
    let lower = channel.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether the customer did not start the contact. Streams asks the initial connection's
/// direction, which the API does not give; the initiation method says it for every contact but
/// transfers (see the crate docs).
fn is_outbound(method: &str, channel: &str) -> bool {
    match method {
        "OUTBOUND" | "EXTERNAL_OUTBOUND" | "CALLBACK" | "AGENT_REPLY" => true,
        // StartOutboundVoiceContact's calls; StartChatContact / StartTaskContact start
        // customer chats and tasks with the same method.
        "API" => channel == "VOICE",
        _ => false,
    }
}

/// The derived status and the moment it began: ended at the disconnect, connected when the
/// agent was connected, connecting otherwise since the most recent of being queued, reaching
/// Connect and being initiated.
fn status(contact: &Contact) -> (ContactStatus, Option<&DateTime>) {
    let connected = contact
        .agent_info()
        .and_then(|agent| agent.connected_to_agent_timestamp());
    let (kind, since) = if let Some(ended) = contact.disconnect_timestamp() {
        ("ended", Some(ended))
    } else if let Some(connected) = connected {
        ("connected", Some(connected))
    } else {
        let candidates = [
            contact.queue_info().and_then(|q| q.enqueue_timestamp()),
            contact.connected_to_system_timestamp(),
            contact.initiation_timestamp(),
        ];
        let latest = candidates
            .into_iter()
            .flatten()
            .max_by_key(|t| t.as_nanos());
        ("connecting", latest)
    };
    let status = ContactStatus {
        r#type: kind.to_owned(),
        timestamp: since.map(rfc3339).unwrap_or_default(),
    };
    (status, since)
}

/// RFC 3339 in UTC, fractions only when there are any (`2026-01-01T09:00:00Z`); empty for a
/// timestamp RFC 3339 cannot write (before year 1 or after 9999).
fn rfc3339(time: &DateTime) -> String {
    time.fmt(DateTimeFormat::DateTime).unwrap_or_default()
}

/// Whole milliseconds from `since` to `now`, 0 when `since` is later (clock skew).
fn elapsed_ms(now: SystemTime, since: &DateTime) -> f64 {
    let now_ms = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i128,
        Err(_) => 0,
    };
    let since_ms = since.as_nanos() / 1_000_000;
    (now_ms - since_ms).max(0) as f64
}

/// Whether a DescribeUser answer says the user takes calls on the softphone.
pub(crate) fn is_softphone(user: Option<&User>) -> bool {
    user.and_then(|u| u.phone_config())
        .is_some_and(|phone| phone.phone_type().as_str() == "SOFT_PHONE")
}

/// `$.agent` from a DescribeUser answer: `First Last` (either alone when the other is
/// missing), else the user name; the desk phone as the extension.
pub(crate) fn agent_info(user: Option<&User>, dialable_countries: &[String]) -> AgentInfo {
    let identity = user.and_then(|u| u.identity_info());
    let full_name = [
        identity.and_then(|i| i.first_name()),
        identity.and_then(|i| i.last_name()),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let name = if full_name.is_empty() {
        user.and_then(|u| u.username())
            .unwrap_or_default()
            .to_owned()
    } else {
        full_name
    };
    AgentInfo {
        name,
        extension: user
            .and_then(|u| u.phone_config())
            .and_then(|p| p.desk_phone_number())
            .unwrap_or_default()
            .to_owned(),
        dialable_countries: dialable_countries
            .iter()
            .map(|c| Value::String(c.clone()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_connect::types::{
        AgentInfo as ConnectAgent, Channel, ContactInitiationMethod, EndpointInfo, EndpointType,
        QueueInfo,
    };

    fn extras(now: Option<SystemTime>) -> Extras<'static> {
        Extras {
            attributes: HashMap::from([("k".to_owned(), "v".to_owned())]),
            queue_name: Some("Support".to_owned()),
            softphone: true,
            instance_arn: Some("arn:aws:connect:us-east-1:1:instance/i"),
            default_country: "US",
            now,
        }
    }

    #[test]
    fn a_queued_inbound_call() {
        let contact = Contact::builder()
            .id("c-1")
            .initial_contact_id("c-1")
            .channel(Channel::Voice)
            .initiation_method(ContactInitiationMethod::Inbound)
            .initiation_timestamp(DateTime::from_secs(1_767_258_000))
            .queue_info(
                QueueInfo::builder()
                    .id("q-1")
                    .enqueue_timestamp(DateTime::from_secs(1_767_258_030))
                    .build(),
            )
            .customer_endpoint(
                EndpointInfo::builder()
                    .r#type(EndpointType::TelephoneNumber)
                    .address("+15551234567")
                    .build(),
            )
            .build();
        let now = UNIX_EPOCH + std::time::Duration::from_millis(1_767_258_031_500);
        let p = properties(&contact, extras(Some(now)));
        assert_eq!(p.r#type, "voice");
        assert_eq!(p.channel, "Voice");
        assert_eq!(p.original_contact_id, None);
        assert_eq!(p.status.r#type, "connecting");
        assert_eq!(p.status.timestamp, "2026-01-01T09:00:30Z");
        assert_eq!(p.status_duration, 1500.0);
        assert_eq!(
            p.queue_id,
            "arn:aws:connect:us-east-1:1:instance/i/queue/q-1"
        );
        assert_eq!(p.queue_timestamp, "2026-01-01T09:00:30Z");
        assert_eq!(p.phone.as_deref(), Some("+15551234567"));
        assert_eq!(p.formatted_phone_number.as_deref(), Some("(555) 123-4567"));
        assert!(p.is_inbound && !p.is_connected && !p.is_transfer);
    }

    #[test]
    fn a_connected_transfer_then_ended_callback() {
        let agent = ConnectAgent::builder()
            .id("u-1")
            .connected_to_agent_timestamp(DateTime::from_secs(100))
            .build();
        let contact = Contact::builder()
            .id("c-2")
            .initial_contact_id("c-1")
            .channel(Channel::Chat)
            .initiation_method(ContactInitiationMethod::QueueTransfer)
            .agent_info(agent.clone())
            .build();
        let p = properties(&contact, extras(None));
        assert_eq!((p.r#type.as_str(), p.channel.as_str()), ("chat", "Chat"));
        assert_eq!(p.original_contact_id.as_deref(), Some("c-1"));
        assert_eq!(p.status.r#type, "connected");
        assert_eq!(p.status_duration, 0.0);
        assert!(p.is_connected && p.is_transfer && p.is_inbound);
        assert_eq!(p.phone, None);

        let contact = Contact::builder()
            .id("c-3")
            .channel(Channel::Voice)
            .initiation_method(ContactInitiationMethod::Callback)
            .agent_info(agent)
            .disconnect_timestamp(DateTime::from_secs(200))
            .build();
        let p = properties(&contact, extras(None));
        assert_eq!(p.r#type, "queue_callback");
        assert_eq!(p.status.r#type, "ended");
        assert_eq!(p.status.timestamp, "1970-01-01T00:03:20Z");
        assert_eq!((p.call_type.as_str(), p.is_inbound), ("outbound", false));
        assert_eq!(p.queue_id, "");
    }

    #[test]
    fn agent_names() {
        let user = User::builder()
            .username("jdoe")
            .identity_info(
                aws_sdk_connect::types::UserIdentityInfo::builder()
                    .first_name("Jane")
                    .build(),
            )
            .build();
        assert_eq!(agent_info(Some(&user), &[]).name, "Jane");
        let user = User::builder().username("jdoe").build();
        let info = agent_info(Some(&user), &["US".to_owned()]);
        assert_eq!(info.name, "jdoe");
        assert_eq!(info.extension, "");
        assert_eq!(info.dialable_countries, vec![Value::String("US".into())]);
    }
}
