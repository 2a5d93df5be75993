//! The `Contact` and `Agent` capabilities against the loopback fake of Amazon Connect: the
//! real SDK client (serializer, SigV4 signing, retries, error parsing) over HTTP.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use ctiflow_connect::{Connect, ConnectConfig, MAX_ATTEMPTS, StatusClock, retry_config};
use ctiflow_fakes::Journal;
use ctiflow_fakes::connect::{
    FakeConnect, FakeContact, FakeError, FakeUser, INSTANCE_ARN, INSTANCE_ID, Operation,
};
use ctiflow_runtime::sandbox::Effect;
use ctiflow_runtime::types::{AgentInfo, ContactProperties, ContactStatus, DialRequest, Fields};
use ctiflow_runtime::{Agent, BlockError, Contact, ErrorKind};
use serde_json::{Value, json};

/// 2026-01-01T09:00:00Z
const NINE: f64 = 1_767_258_000.0;

/// A client of `endpoint` with static credentials, and the crate's retry policy with a 1 ms
/// backoff so retried tests stay fast.
fn client(endpoint: &str) -> aws_sdk_connect::Client {
    let config = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .retry_config(retry_config().with_initial_backoff(Duration::from_millis(1)))
        .build();
    aws_sdk_connect::Client::from_conf(config)
}

/// The fake's instance, with queue ARNs, deterministic durations, an outbound flow, and
/// `US`/`CA` dialable.
fn config() -> ConnectConfig {
    ConnectConfig {
        instance_arn: Some(INSTANCE_ARN.to_owned()),
        status_clock: StatusClock::Zero,
        outbound_contact_flow_id: Some("flow-outbound".to_owned()),
        dialable_countries: vec!["US".to_owned(), "CA".to_owned()],
        ..ConnectConfig::new(INSTANCE_ID)
    }
}

async fn start(config: ConnectConfig) -> (FakeConnect, Journal, Connect) {
    let journal = Journal::new();
    let fake = FakeConnect::start(journal.clone()).await;
    let connect = Connect::new(client(&fake.uri()), config);
    (fake, journal, connect)
}

/// Contact `c-2`, a transfer of `c-1`, queued in `Support` at 09:00:30 and connected to the
/// softphone agent `agent-1` at 09:01:00, from +1 555 123 4567; attribute `k` = `v`.
fn seed_transfer(fake: &FakeConnect) {
    fake.add_contact(FakeContact {
        initial_contact_id: Some("c-1".to_owned()),
        queue_id: Some("q-1".to_owned()),
        enqueue_timestamp: Some(NINE + 30.0),
        agent_id: Some("agent-1".to_owned()),
        connected_to_agent_timestamp: Some(NINE + 60.0),
        initiation_timestamp: Some(NINE),
        customer_endpoint: Some(("TELEPHONE_NUMBER".to_owned(), "+15551234567".to_owned())),
        ..FakeContact::new("c-2", "VOICE", "TRANSFER")
    });
    fake.add_queue("q-1", "Support");
    fake.add_user(FakeUser::softphone("agent-1", "jdoe"));
    fake.set_attributes("c-1", Fields::from([("k".to_owned(), "v".to_owned())]));
}

fn assert_error(error: &BlockError, kind: ErrorKind, code: &str) {
    assert_eq!(error.kind, kind, "{error:?}");
    assert_eq!(error.code.as_deref(), Some(code), "{error:?}");
}

// --- Contact::properties ---

#[tokio::test]
async fn properties_of_a_connected_transferred_call() {
    let (fake, _, connect) = start(config()).await;
    seed_transfer(&fake);
    let properties = connect
        .session(Some("c-2".into()), None)
        .properties()
        .await
        .unwrap();
    let expected = ContactProperties {
        contact_id: "c-2".into(),
        original_contact_id: Some("c-1".into()),
        r#type: "voice".into(),
        channel: "Voice".into(),
        status: ContactStatus {
            r#type: "connected".into(),
            timestamp: "2026-01-01T09:01:00Z".into(),
        },
        status_duration: 0.0,
        queue_id: format!("{INSTANCE_ARN}/queue/q-1"),
        queue_name: "Support".into(),
        queue_timestamp: "2026-01-01T09:00:30Z".into(),
        call_type: "inbound".into(),
        is_inbound: true,
        is_transfer: true,
        is_softphone_call: true,
        is_connected: true,
        is_monitor: false,
        ..ContactProperties::default()
    }
    .with_attribute("k", "v")
    .with_phone("+15551234567", "US");
    assert_eq!(properties, expected);
    assert_eq!(
        properties.formatted_phone_number.as_deref(),
        Some("(555) 123-4567")
    );
    assert_eq!(
        properties.formatted_phone_number_e164.as_deref(),
        Some("+15551234567")
    );
    for operation in [
        Operation::DescribeContact,
        Operation::GetContactAttributes,
        Operation::DescribeQueue,
        Operation::DescribeUser,
    ] {
        assert_eq!(fake.calls(operation), 1, "{operation:?}");
    }
}

#[tokio::test]
async fn properties_of_an_outbound_call_without_queue_info() {
    let (fake, _, connect) = start(config()).await;
    fake.add_contact(FakeContact {
        agent_id: Some("agent-2".to_owned()),
        initiation_timestamp: Some(NINE),
        customer_endpoint: Some(("TELEPHONE_NUMBER".to_owned(), "+442071234567".to_owned())),
        ..FakeContact::new("c-out", "VOICE", "OUTBOUND")
    });
    fake.set_attributes("c-out", Fields::new());
    fake.add_user(FakeUser::desk_phone("agent-2", "desk", "+15550001111"));
    let p = connect
        .session(Some("c-out".into()), None)
        .properties()
        .await
        .unwrap();
    assert_eq!((p.queue_id.as_str(), p.queue_name.as_str()), ("", ""));
    assert_eq!(p.queue_timestamp, "");
    assert_eq!(
        p.status,
        ContactStatus {
            r#type: "connecting".into(),
            timestamp: "2026-01-01T09:00:00Z".into()
        }
    );
    assert_eq!((p.call_type.as_str(), p.is_inbound), ("outbound", false));
    assert!(!p.is_softphone_call, "a desk phone");
    assert_eq!(p.original_contact_id, None);
    assert_eq!(p.attributes, serde_json::Map::new());
    // Read as a US number (the configured country), as the adapter reads numbers.
    assert_eq!(p.phone.as_deref(), Some("+442071234567"));
    assert_eq!(p.country.as_deref(), Some("US"));
    assert_eq!(fake.calls(Operation::DescribeQueue), 0);
    assert_eq!(fake.calls(Operation::DescribeUser), 1);
}

#[tokio::test]
async fn properties_of_a_chat_have_no_phone() {
    let (fake, _, connect) = start(config()).await;
    fake.add_contact(FakeContact {
        queue_id: Some("q-chat".to_owned()),
        enqueue_timestamp: Some(NINE),
        agent_id: Some("agent-1".to_owned()),
        customer_endpoint: Some(("VOIP".to_owned(), "customer-1".to_owned())),
        ..FakeContact::new("chat-1", "CHAT", "API")
    });
    fake.add_queue("q-chat", "Chat queue");
    fake.add_user(FakeUser::softphone("agent-1", "jdoe"));
    fake.set_attributes("chat-1", Fields::new());
    let p = connect
        .session(Some("chat-1".into()), None)
        .properties()
        .await
        .unwrap();
    assert_eq!((p.r#type.as_str(), p.channel.as_str()), ("chat", "Chat"));
    assert_eq!(p.queue_name, "Chat queue");
    assert_eq!(p.phone, None);
    assert_eq!(p.raw_phone_number, None);
    assert_eq!(p.parsed_number, None);
    assert_eq!((p.call_type.as_str(), p.is_inbound), ("inbound", true));
    assert!(
        !p.is_softphone_call,
        "only voice contacts are softphone calls"
    );
    assert_eq!(fake.calls(Operation::DescribeUser), 0);
}

#[tokio::test]
async fn properties_of_an_ended_callback_and_a_gone_agent() {
    let (fake, _, connect) = start(config()).await;
    fake.add_contact(FakeContact {
        agent_id: Some("deleted".to_owned()),
        connected_to_agent_timestamp: Some(NINE),
        disconnect_timestamp: Some(NINE + 90.5),
        ..FakeContact::new("cb-1", "VOICE", "CALLBACK")
    });
    fake.set_attributes("cb-1", Fields::new());
    let p = connect
        .session(Some("cb-1".into()), None)
        .properties()
        .await
        .unwrap();
    assert_eq!(p.r#type, "queue_callback");
    assert_eq!(
        p.status,
        ContactStatus {
            r#type: "ended".into(),
            timestamp: "2026-01-01T09:01:30.5Z".into()
        }
    );
    assert!(!p.is_connected);
    assert!(!p.is_softphone_call, "the agent no longer exists");
}

#[tokio::test]
async fn status_duration_is_measured_when_asked() {
    let config = ConnectConfig {
        status_clock: StatusClock::Now,
        ..config()
    };
    let (fake, _, connect) = start(config).await;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    fake.add_contact(FakeContact {
        initiation_timestamp: Some((now.as_secs() - 5) as f64),
        ..FakeContact::new("c-now", "VOICE", "INBOUND")
    });
    fake.set_attributes("c-now", Fields::new());
    let p = connect
        .session(Some("c-now".into()), None)
        .properties()
        .await
        .unwrap();
    assert!(
        (5_000.0..60_000.0).contains(&p.status_duration),
        "{}",
        p.status_duration
    );
}

#[tokio::test]
async fn sandbox_contacts_round_trip_through_the_fake() {
    // Bare queue ids, as the sandbox's contacts have.
    let (fake, _, connect) = start(ConnectConfig {
        instance_arn: None,
        ..config()
    })
    .await;
    fake.add_user(FakeUser::softphone("agent-1", "jdoe"));
    let voice =
        ContactProperties::voice("c-9", "+15551234567", "US", "Support").with_attribute("k", "v");
    fake.seed_contact_with_agent(&voice, "agent-1");
    let p = connect
        .session(Some("c-9".into()), None)
        .properties()
        .await
        .unwrap();
    assert_eq!(p, voice);

    let outbound = ContactProperties {
        call_type: "outbound".into(),
        is_inbound: false,
        is_softphone_call: false,
        ..ContactProperties::voice("c-10", "+15551234567", "US", "Support")
    };
    fake.seed_contact(&outbound);
    let p = connect
        .session(Some("c-10".into()), None)
        .properties()
        .await
        .unwrap();
    assert_eq!(p, outbound);
}

#[tokio::test]
async fn no_contact_fails_every_contact_method() {
    let (fake, _, connect) = start(config()).await;
    let session = connect.session(None, None);
    assert_eq!(
        session.properties().await.unwrap_err(),
        BlockError::no_contact()
    );
    assert_eq!(
        session.attribute("k").await.unwrap_err(),
        BlockError::no_contact()
    );
    let update = session.update_attributes(Fields::new()).await.unwrap_err();
    assert_eq!(update, BlockError::no_contact());
    assert_eq!(fake.calls(Operation::DescribeContact), 0);
}

// --- Contact::attribute / update_attributes ---

#[tokio::test]
async fn attributes_are_read_under_the_initial_contact_id() {
    let (fake, _, connect) = start(config()).await;
    seed_transfer(&fake);
    let session = connect.session(Some("c-2".into()), None);
    assert_eq!(session.attribute("k").await.unwrap().as_deref(), Some("v"));
    assert_eq!(session.attribute("missing").await.unwrap(), None);
    assert_eq!(fake.calls(Operation::DescribeContact), 1, "described once");
    assert_eq!(fake.calls(Operation::GetContactAttributes), 2);

    let known = connect
        .session(Some("c-2".into()), None)
        .with_initial_contact_id("c-1");
    assert_eq!(known.attribute("k").await.unwrap().as_deref(), Some("v"));
    assert_eq!(fake.calls(Operation::DescribeContact), 1, "not described");
}

#[tokio::test]
async fn update_attributes_writes_under_the_initial_contact_id() {
    let (fake, journal, connect) = start(config()).await;
    seed_transfer(&fake);
    let update = Fields::from([
        ("k".to_owned(), "w".to_owned()),
        ("new".to_owned(), "1".to_owned()),
    ]);
    connect
        .session(Some("c-2".into()), None)
        .update_attributes(update.clone())
        .await
        .unwrap();
    assert_eq!(fake.attributes("c-1"), Some(update.clone()));
    assert_eq!(
        journal.effects(),
        vec![Effect::AttributesUpdated { attributes: update }]
    );
}

// --- Agent ---

#[tokio::test]
async fn agent_info_of_the_sessions_agent() {
    let (fake, _, connect) = start(config()).await;
    fake.add_user(FakeUser::desk_phone("agent-9", "jdoe", "+15550001111").with_name("Jane", "Doe"));
    let info = connect
        .session(None, Some("agent-9".into()))
        .info()
        .await
        .unwrap();
    assert_eq!(
        info,
        AgentInfo {
            name: "Jane Doe".into(),
            extension: "+15550001111".into(),
            dialable_countries: vec![json!("US"), json!("CA")],
        }
    );
}

#[tokio::test]
async fn agent_info_of_the_contacts_agent() {
    let (fake, _, connect) = start(config()).await;
    seed_transfer(&fake);
    let info = connect
        .session(Some("c-2".into()), None)
        .info()
        .await
        .unwrap();
    assert_eq!(info.name, "jdoe", "no identity info: the user name");
    assert_eq!(info.extension, "");

    let nobody = connect.session(None, None).info().await.unwrap_err();
    assert_eq!(nobody.kind, ErrorKind::NoContact);
}

#[tokio::test]
async fn dial_starts_an_outbound_contact_on_the_requested_queue() {
    let (fake, journal, connect) = start(config()).await;
    fake.add_queue("q-out", "Outbound");
    let queue_arn = format!("{INSTANCE_ARN}/queue/q-out");
    connect
        .session(None, Some("agent-1".into()))
        .dial(DialRequest {
            // As a flow formats it for people: dialled in E.164, read in the default country.
            phone_number: "(555) 765-4321".into(),
            queue_arn: Some(queue_arn.clone()),
        })
        .await
        .unwrap();
    assert_eq!(
        journal.effects(),
        vec![Effect::Dialed {
            number: "+15557654321".into(),
            queue_arn: Some(queue_arn),
        }]
    );
    let made = fake.contact("outbound-1").unwrap();
    assert_eq!(made.queue_id, None);
    assert_eq!(made.initiation_method, "API");
}

#[tokio::test]
async fn dial_uses_the_configured_queue_or_caller_id() {
    let (fake, journal, connect) = start(ConnectConfig {
        outbound_queue_id: Some("q-out".into()),
        ..config()
    })
    .await;
    fake.add_queue("q-out", "Outbound");
    let dial = DialRequest {
        phone_number: "+15557654321".into(),
        queue_arn: None,
    };
    connect
        .session(None, None)
        .dial(dial.clone())
        .await
        .unwrap();

    let caller_id = Connect::new(
        client(&fake.uri()),
        ConnectConfig {
            source_phone_number: Some("+15550000000".into()),
            ..config()
        },
    );
    caller_id.session(None, None).dial(dial).await.unwrap();
    assert_eq!(
        journal.effects(),
        vec![
            Effect::Dialed {
                number: "+15557654321".into(),
                queue_arn: Some(format!("{INSTANCE_ARN}/queue/q-out")),
            },
            Effect::Dialed {
                number: "+15557654321".into(),
                queue_arn: None,
            },
        ]
    );
}

#[tokio::test]
async fn dial_without_a_flow_id_says_which_setting_is_missing() {
    let (fake, journal, connect) = start(ConnectConfig {
        outbound_contact_flow_id: None,
        ..config()
    })
    .await;
    let error = connect
        .session(None, None)
        .dial(DialRequest {
            phone_number: "+15557654321".into(),
            queue_arn: None,
        })
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert_eq!(error.code, None);
    assert!(
        error.message.contains("outbound_contact_flow_id"),
        "{error}"
    );
    assert_eq!(fake.calls(Operation::StartOutboundVoiceContact), 0);
    assert!(journal.effects().is_empty());
}

#[tokio::test]
async fn dial_without_a_queue_or_caller_id_fails_before_calling() {
    let (fake, _, connect) = start(config()).await;
    let error = connect
        .session(None, None)
        .dial(DialRequest {
            phone_number: "+15557654321".into(),
            queue_arn: None,
        })
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert!(error.message.contains("outbound_queue_id"), "{error}");
    let bad_arn = connect
        .session(None, None)
        .dial(DialRequest {
            phone_number: "+15557654321".into(),
            queue_arn: Some("arn:aws:connect:us-east-1:1:instance/x".into()),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_arn.kind, ErrorKind::InvalidArgument);
    assert_eq!(fake.calls(Operation::StartOutboundVoiceContact), 0);
}

// --- Errors ---

#[tokio::test]
async fn an_unknown_contact_is_not_found() {
    let (fake, _, connect) = start(config()).await;
    let error = connect
        .session(Some("nope".into()), None)
        .properties()
        .await
        .unwrap_err();
    assert_error(&error, ErrorKind::NotFound, "ResourceNotFoundException");
    assert!(error.message.contains("Contact nope not found"), "{error}");
    assert!(error.message.contains("DescribeContact"), "{error}");
    assert_eq!(fake.calls(Operation::DescribeContact), 1, "not retried");
}

#[tokio::test]
async fn an_unknown_user_is_not_found() {
    let (_, _, connect) = start(config()).await;
    let error = connect
        .session(None, Some("ghost".into()))
        .info()
        .await
        .unwrap_err();
    assert_error(&error, ErrorKind::NotFound, "ResourceNotFoundException");
}

#[tokio::test]
async fn an_invalid_parameter_is_an_invalid_argument() {
    let (fake, journal, connect) = start(ConnectConfig {
        source_phone_number: Some("+15550000000".into()),
        ..config()
    })
    .await;
    let error = connect
        .session(None, None)
        .dial(DialRequest {
            // What no reading turns into E.164: sent as it is, for Connect to refuse.
            phone_number: "call me maybe".into(),
            queue_arn: None,
        })
        .await
        .unwrap_err();
    assert_error(
        &error,
        ErrorKind::InvalidArgument,
        "InvalidParameterException",
    );
    assert!(error.message.contains("E.164"), "{error}");
    assert_eq!(fake.calls(Operation::StartOutboundVoiceContact), 1);
    assert!(journal.effects().is_empty());
}

#[tokio::test]
async fn throttling_is_retried_then_succeeds() {
    let (fake, _, connect) = start(config()).await;
    seed_transfer(&fake);
    fake.fail(Operation::DescribeContact, FakeError::throttling(), Some(1));
    fake.fail(Operation::DescribeUser, FakeError::throttling(), Some(2));
    let p = connect
        .session(Some("c-2".into()), None)
        .properties()
        .await
        .unwrap();
    assert!(p.is_softphone_call);
    assert_eq!(fake.calls(Operation::DescribeContact), 2);
    assert_eq!(fake.calls(Operation::DescribeUser), 3);
}

#[tokio::test]
async fn persistent_throttling_is_limit_exceeded() {
    let (fake, _, connect) = start(config()).await;
    seed_transfer(&fake);
    fake.fail(
        Operation::GetContactAttributes,
        FakeError::throttling(),
        None,
    );
    let error = connect
        .session(Some("c-2".into()), None)
        .with_initial_contact_id("c-1")
        .attribute("k")
        .await
        .unwrap_err();
    assert_error(&error, ErrorKind::LimitExceeded, "ThrottlingException");
    assert!(error.message.contains("Rate exceeded"), "{error}");
    assert_eq!(
        fake.calls(Operation::GetContactAttributes),
        MAX_ATTEMPTS as usize
    );
}

#[tokio::test]
async fn limit_exceeded_is_limit_exceeded() {
    let (fake, _, connect) = start(config()).await;
    seed_transfer(&fake);
    let limit = FakeError::new(
        429,
        "LimitExceededException",
        "The allowed limit was exceeded",
    );
    fake.fail(Operation::UpdateContactAttributes, limit, None);
    let error = connect
        .session(Some("c-2".into()), None)
        .update_attributes(Fields::new())
        .await
        .unwrap_err();
    assert_error(&error, ErrorKind::LimitExceeded, "LimitExceededException");
}

#[tokio::test]
async fn access_denied_is_unauthorized() {
    let (fake, journal, connect) = start(config()).await;
    seed_transfer(&fake);
    fake.fail(
        Operation::UpdateContactAttributes,
        FakeError::access_denied(),
        None,
    );
    let error = connect
        .session(Some("c-2".into()), None)
        .with_initial_contact_id("c-1")
        .update_attributes(Fields::from([("k".to_owned(), "w".to_owned())]))
        .await
        .unwrap_err();
    assert_error(&error, ErrorKind::Unauthorized, "AccessDeniedException");
    assert_eq!(
        fake.calls(Operation::UpdateContactAttributes),
        1,
        "not retried"
    );
    assert_eq!(fake.attributes("c-1").unwrap()["k"], "v");
    assert!(journal.effects().is_empty());
}

#[tokio::test]
async fn internal_errors_are_retried_then_unavailable() {
    let (fake, _, connect) = start(config()).await;
    seed_transfer(&fake);
    fake.fail(Operation::DescribeQueue, FakeError::internal(), None);
    let error = connect
        .session(Some("c-2".into()), None)
        .properties()
        .await
        .unwrap_err();
    assert_error(&error, ErrorKind::Unavailable, "InternalServiceException");
    assert_eq!(fake.calls(Operation::DescribeQueue), MAX_ATTEMPTS as usize);
}

#[tokio::test]
async fn an_unreachable_endpoint_is_unavailable() {
    // Port 1 on loopback: nothing listens, the connection is refused.
    let connect = Connect::new(client("http://127.0.0.1:1"), config());
    let error = connect
        .session(None, Some("agent-1".into()))
        .info()
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unavailable, "{error:?}");
    assert_eq!(error.code, None);
    assert!(error.message.contains("DescribeUser"), "{error}");
}

#[tokio::test]
async fn sessions_offer_contact_and_agent_to_loaded_flows() {
    let (_, _, connect) = start(config()).await;
    let session = connect.session(None, None);
    let offered: &dyn ctiflow_runtime::Capabilities = &session;
    assert!(offered.contact().is_some() && offered.agent().is_some());
    assert!(offered.salesforce().is_none());
    let _: Value = json!(null);
}
