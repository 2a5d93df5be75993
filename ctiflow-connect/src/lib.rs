//! Amazon Connect for ctiflow flows: the runtime's `Contact` and `Agent` capabilities on the
//! Amazon Connect API (`aws-sdk-connect`), for flows run on a server.
//!
//! ```no_run
//! # async fn example() {
//! use ctiflow_connect::{Connect, ConnectConfig};
//!
//! let connect = Connect::from_env(ConnectConfig::new("instance-id"), None).await;
//! // For each contact event: a session bound to its contact (and agent).
//! let session = connect.session(Some("contact-id".into()), None);
//! # let _ = session;
//! # }
//! ```
//!
//! A [`ConnectSession`] implements [`ctiflow_runtime::Contact`] and [`ctiflow_runtime::Agent`]
//! for compiled flows, and [`ctiflow_runtime::Capabilities`] (offering both) for flows loaded
//! at run time.
//!
//! # Calls made
//!
//! | Method | Connect operations |
//! |---|---|
//! | `Contact::properties` | DescribeContact; then GetContactAttributes (initial contact id), DescribeQueue (only with `QueueInfo`) and DescribeUser of `AgentInfo.Id` (only for voice contacts with an agent), concurrently |
//! | `Contact::attribute` | GetContactAttributes (after one DescribeContact per session for the initial contact id, unless given with [`ConnectSession::with_initial_contact_id`]) |
//! | `Contact::update_attributes` | UpdateContactAttributes (same key) |
//! | `Agent::info` | DescribeUser (of the session's agent, else of the contact's agent, found with DescribeContact) |
//! | `Agent::dial` | StartOutboundVoiceContact |
//!
//! IAM: `connect:DescribeContact`, `connect:GetContactAttributes`,
//! `connect:UpdateContactAttributes`, `connect:DescribeQueue`, `connect:DescribeUser`,
//! `connect:StartOutboundVoiceContact` on `instance/<id>/*`.
//!
//! # Contact properties: where each comes from
//!
//! | Property | Source | Notes |
//! |---|---|---|
//! | `contactId` | `Contact.Id` | |
//! | `originalContactId` | `Contact.InitialContactId` | only when it differs from `Id` |
//! | `type` | `Channel` in lower case | `queue_callback` for `VOICE` + InitiationMethod `CALLBACK` |
//! | `channel` | `Channel` | `Voice`, `Chat`, `Task`, `Email` |
//! | `status.type` | derived from timestamps | `ended` with `DisconnectTimestamp`, else `connected` with `AgentInfo.ConnectedToAgentTimestamp`, else `connecting` |
//! | `status.timestamp` | that timestamp, RFC 3339 UTC | for `connecting`: the latest of `QueueInfo.EnqueueTimestamp`, `ConnectedToSystemTimestamp`, `InitiationTimestamp`; empty when none is set |
//! | `statusDuration` | now − `status.timestamp`, in ms | "now" is [`ConnectConfig::status_clock`]'s moment; 0 when it is `Zero` or there is no timestamp |
//! | `queueId` | `QueueInfo.Id` | as `<instance_arn>/queue/<id>` (Streams' `queueARN`) when [`ConnectConfig::instance_arn`] is set, else the bare id; empty without `QueueInfo` |
//! | `queueName` | DescribeQueue `Name` | empty without `QueueInfo` (outbound and abandoned contacts) or when the queue no longer exists |
//! | `queueTimestamp` | `QueueInfo.EnqueueTimestamp`, RFC 3339 | empty without `QueueInfo` |
//! | `attributes` | GetContactAttributes | every value a string |
//! | `phone`, `country`, `rawPhoneNumber`, `parsedNumber`, `formattedPhoneNumber*` | `CustomerEndpoint.Address` | only when `CustomerEndpoint.Type` is `TELEPHONE_NUMBER`; read in [`ConnectConfig::default_country`] |
//! | `callType`, `isInbound` | `InitiationMethod` | outbound: `OUTBOUND`, `EXTERNAL_OUTBOUND`, `CALLBACK`, `AGENT_REPLY`, and `API` on `VOICE` (StartOutboundVoiceContact); inbound: everything else |
//! | `isTransfer` | `InitiationMethod` | `TRANSFER` or `QUEUE_TRANSFER` |
//! | `isSoftphoneCall` | DescribeUser `PhoneConfig.PhoneType == SOFT_PHONE` | false for non-voice contacts, contacts without an agent, and agents no longer in the instance |
//! | `isConnected` | `status.type == "connected"` | |
//! | `isMonitor` | `InitiationMethod == MONITOR` | |
//!
//! # What the API cannot give
//!
//! | Streams property / behaviour | Why | What this crate returns |
//! |---|---|---|
//! | `status.type` `init`, `incoming`, `pending`, `missed`, `error`, `rejected`, `paused` | these are states of the agent's softphone connection, not of the contact record | only `connecting`, `connected`, `ended` |
//! | exact `status.timestamp` of `connecting` | the API records no "offered to the agent" time | the latest of enqueue / connected-to-system / initiation |
//! | `isInbound` of a transferred contact | Streams reads the initial connection's direction; the API gives only the transfer's own initiation method | inbound |
//! | `isSoftphoneCall` per call | Streams looks at the call's media; the API only knows the agent's configured phone type | the agent's phone type now |
//! | `queueName` of a deleted queue | DescribeQueue answers ResourceNotFound | empty |
//! | `dialableCountries` of `$.agent` | kept in the instance's telephony settings, not in any API | [`ConnectConfig::dialable_countries`] |
//! | Dial Number from the agent's softphone | no server-side API makes a softphone dial | StartOutboundVoiceContact: Connect places the call and the outbound flow routes it to the agent |
//!
//! # Errors
//!
//! Every failed call becomes a [`ctiflow_runtime::BlockError`] keeping the service's error code
//! (`code`) and message:
//!
//! | Code / answer | Kind |
//! |---|---|
//! | `ResourceNotFoundException` | `NotFound` |
//! | `InvalidParameterException`, `InvalidRequestException` | `InvalidArgument` |
//! | `ThrottlingException`, `LimitExceededException`, `TooManyRequestsException`, HTTP 429 | `LimitExceeded` |
//! | `AccessDeniedException`, `UnrecognizedClientException`, `ExpiredToken(Exception)`, signature errors, HTTP 401/403 | `Unauthorized` |
//! | `InternalServiceException`, `ServiceUnavailableException`, HTTP 5xx, no answer (network, time-out) | `Unavailable` |
//! | anything else | `Backend` |
//!
//! Throttling, 5xx and transient network errors are retried first by the SDK's standard retry
//! mode ([`retry_config`], [`MAX_ATTEMPTS`] attempts). A session without a contact fails the
//! contact methods with `NoContact`; Dial Number without [`ConnectConfig::outbound_contact_flow_id`]
//! fails with `InvalidArgument` before any call.

mod client;
mod config;
mod error;
mod mapping;
mod session;

/// The AWS SDK the crate is built on, to build a [`Connect`] from a client of one's own.
pub use aws_sdk_connect;
pub use client::{Connect, MAX_ATTEMPTS, retry_config};
pub use config::{ConnectConfig, StatusClock};
pub use session::ConnectSession;
