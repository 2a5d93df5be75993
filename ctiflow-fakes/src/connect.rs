//! A fake Amazon Connect (rest-json), stateful, on 127.0.0.1: the six operations the
//! `Contact` and `Agent` capabilities call, answered as the service answers them.
//!
//! Shapes: the request paths, the JSON members (PascalCase), the wrappers (`{"Contact": …}`,
//! `{"Queue": …}`, `{"User": …}`, `{"Attributes": …}`, `{"ContactId": …}`) and the error
//! statuses come from the Smithy/botocore model of Amazon Connect, API version 2017-08-08
//! (`botocore/data/connect/2017-08-08/service-2.json`), which `aws-sdk-connect` is generated
//! from. Timestamps are epoch seconds as JSON numbers, the model's default for rest-json.
//! Errors are sent as AWS sends them: the status, an `x-amzn-ErrorType: <Code>` header and a
//! `{"Message": "…"}` body. Signatures are not checked.
//!
//! ```no_run
//! # async fn example() {
//! use ctiflow_fakes::Journal;
//! use ctiflow_fakes::connect::{FakeConnect, FakeError, FakeUser, Operation};
//! use ctiflow_runtime::types::ContactProperties;
//!
//! let journal = Journal::new();
//! let fake = FakeConnect::start(journal.clone()).await;
//! fake.seed_contact(&ContactProperties::voice("c-1", "+15551234567", "US", "Support"));
//! fake.add_user(FakeUser::softphone("agent-1", "jdoe"));
//! fake.fail(Operation::DescribeContact, FakeError::throttling(), Some(1));
//! // point the SDK at fake.uri() …
//! # }
//! ```

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ctiflow_runtime::sandbox::Effect;
use ctiflow_runtime::types::{ContactProperties, Fields};
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::Journal;

/// The instance every fake serves: calls naming another one get ResourceNotFoundException.
pub const INSTANCE_ID: &str = "instance-1";

/// [`INSTANCE_ID`]'s ARN; queue ARNs are `<INSTANCE_ARN>/queue/<queue id>`.
pub const INSTANCE_ARN: &str = "arn:aws:connect:us-east-1:123456789012:instance/instance-1";

/// An operation the fake serves (for [`FakeConnect::fail`] and [`FakeConnect::calls`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    /// `GET /contacts/{InstanceId}/{ContactId}`
    DescribeContact,
    /// `GET /contact/attributes/{InstanceId}/{InitialContactId}`
    GetContactAttributes,
    /// `POST /contact/attributes`
    UpdateContactAttributes,
    /// `GET /queues/{InstanceId}/{QueueId}`
    DescribeQueue,
    /// `GET /users/{InstanceId}/{UserId}`
    DescribeUser,
    /// `PUT /contact/outbound-voice`
    StartOutboundVoiceContact,
}

impl Operation {
    /// Every operation, in the order routes are mounted.
    const ALL: [Operation; 6] = [
        Operation::DescribeContact,
        Operation::GetContactAttributes,
        Operation::UpdateContactAttributes,
        Operation::DescribeQueue,
        Operation::DescribeUser,
        Operation::StartOutboundVoiceContact,
    ];

    /// Its HTTP method and path pattern (the model's `http` trait).
    fn route(self) -> (&'static str, &'static str) {
        match self {
            Operation::DescribeContact => ("GET", r"^/contacts/[^/]+/[^/]+$"),
            Operation::GetContactAttributes => ("GET", r"^/contact/attributes/[^/]+/[^/]+$"),
            Operation::UpdateContactAttributes => ("POST", r"^/contact/attributes$"),
            Operation::DescribeQueue => ("GET", r"^/queues/[^/]+/[^/]+$"),
            Operation::DescribeUser => ("GET", r"^/users/[^/]+/[^/]+$"),
            Operation::StartOutboundVoiceContact => ("PUT", r"^/contact/outbound-voice$"),
        }
    }
}

/// An error answer, as the service sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeError {
    /// The HTTP status.
    pub status: u16,
    /// The error code, sent as `x-amzn-ErrorType`.
    pub code: String,
    /// The `Message` of the body.
    pub message: String,
}

impl FakeError {
    /// An error of `code` with `status` and `message`.
    pub fn new(status: u16, code: &str, message: &str) -> FakeError {
        FakeError {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }

    /// 404 `ResourceNotFoundException`.
    pub fn not_found(message: &str) -> FakeError {
        FakeError::new(404, "ResourceNotFoundException", message)
    }

    /// 400 `InvalidParameterException`.
    pub fn invalid_parameter(message: &str) -> FakeError {
        FakeError::new(400, "InvalidParameterException", message)
    }

    /// 400 `InvalidRequestException`.
    pub fn invalid_request(message: &str) -> FakeError {
        FakeError::new(400, "InvalidRequestException", message)
    }

    /// 429 `ThrottlingException` ("Rate exceeded"), which the SDK retries.
    pub fn throttling() -> FakeError {
        FakeError::new(429, "ThrottlingException", "Rate exceeded")
    }

    /// 403 `AccessDeniedException`, as for a missing IAM action.
    pub fn access_denied() -> FakeError {
        FakeError::new(
            403,
            "AccessDeniedException",
            "User is not authorized to perform this action",
        )
    }

    /// 500 `InternalServiceException`.
    pub fn internal() -> FakeError {
        FakeError::new(
            500,
            "InternalServiceException",
            "Request processing failed because of an error or failure with the service",
        )
    }

    fn response(&self) -> ResponseTemplate {
        ResponseTemplate::new(self.status)
            .insert_header("x-amzn-ErrorType", self.code.as_str())
            .insert_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
            .set_body_json(json!({ "Message": self.message }))
    }
}

/// A contact as DescribeContact gives it (the members the capabilities read). Channels and
/// initiation methods are the model's enum values (`VOICE`, `INBOUND`…); timestamps are epoch
/// seconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FakeContact {
    /// `Id`.
    pub id: String,
    /// `InitialContactId`; `None`: not sent (the contact continues none). Attributes live
    /// under this id, or under `id` when it is `None`.
    pub initial_contact_id: Option<String>,
    /// `Channel`: `VOICE`, `CHAT`, `TASK`, `EMAIL`.
    pub channel: String,
    /// `InitiationMethod`: `INBOUND`, `OUTBOUND`, `TRANSFER`, `CALLBACK`, `API`…
    pub initiation_method: String,
    /// `QueueInfo.Id`; `None`: no `QueueInfo` (outbound and abandoned contacts).
    pub queue_id: Option<String>,
    /// `QueueInfo.EnqueueTimestamp`.
    pub enqueue_timestamp: Option<f64>,
    /// `AgentInfo.Id`.
    pub agent_id: Option<String>,
    /// `AgentInfo.ConnectedToAgentTimestamp`.
    pub connected_to_agent_timestamp: Option<f64>,
    /// `InitiationTimestamp`.
    pub initiation_timestamp: Option<f64>,
    /// `DisconnectTimestamp`.
    pub disconnect_timestamp: Option<f64>,
    /// `CustomerEndpoint` as (`Type`, `Address`): `("TELEPHONE_NUMBER", "+15551234567")`.
    pub customer_endpoint: Option<(String, String)>,
}

impl FakeContact {
    /// A contact `id` on `channel` started by `initiation_method`, with nothing else set.
    pub fn new(id: &str, channel: &str, initiation_method: &str) -> FakeContact {
        FakeContact {
            id: id.to_owned(),
            channel: channel.to_owned(),
            initiation_method: initiation_method.to_owned(),
            ..FakeContact::default()
        }
    }

    /// The contact DescribeContact would give for the sandbox's `contact`, the inverse of the
    /// mapping `ctiflow-connect` documents:
    ///
    /// - `channel` from `channel` (`Voice` → `VOICE`), or from `type`;
    /// - the initiation method `MONITOR` when `is_monitor`, `CALLBACK` for `queue_callback`,
    ///   `TRANSFER` when `is_transfer`, `OUTBOUND` when not `is_inbound`, else `INBOUND`;
    /// - `QueueInfo` when `queue_id` is set (a queue ARN's last part, or the bare id), enqueued
    ///   at `queue_timestamp`;
    /// - status `ended` → `DisconnectTimestamp`, `connected` → `AgentInfo.ConnectedToAgent
    ///   Timestamp`, anything else → `InitiationTimestamp` (a `connecting` contact; it maps
    ///   back to the same status timestamp when that is not before `queue_timestamp`);
    /// - `CustomerEndpoint` `TELEPHONE_NUMBER` at `raw_phone_number`, when set.
    ///
    /// `original_contact_id` becomes `InitialContactId`. The agent (`AgentInfo.Id`) is left
    /// unset: see [`FakeContact::with_agent`].
    pub fn from_properties(contact: &ContactProperties) -> FakeContact {
        let channel = match contact.channel.to_uppercase().as_str() {
            known @ ("VOICE" | "CHAT" | "TASK" | "EMAIL") => known.to_owned(),
            _ if contact.r#type == "queue_callback" => "VOICE".to_owned(),
            _ => contact.r#type.to_uppercase(),
        };
        let method = if contact.is_monitor {
            "MONITOR"
        } else if contact.r#type == "queue_callback" {
            "CALLBACK"
        } else if contact.is_transfer {
            "TRANSFER"
        } else if !contact.is_inbound {
            "OUTBOUND"
        } else {
            "INBOUND"
        };
        let status_at = parse_rfc3339(&contact.status.timestamp);
        let queue_id = match contact.queue_id.rsplit_once("/queue/") {
            Some((_, id)) => id,
            None => contact.queue_id.as_str(),
        };
        let mut fake = FakeContact {
            initial_contact_id: contact.original_contact_id.clone(),
            queue_id: (!queue_id.is_empty()).then(|| queue_id.to_owned()),
            enqueue_timestamp: parse_rfc3339(&contact.queue_timestamp),
            customer_endpoint: contact
                .raw_phone_number
                .as_ref()
                .map(|number| ("TELEPHONE_NUMBER".to_owned(), number.clone())),
            ..FakeContact::new(&contact.contact_id, &channel, method)
        };
        match contact.status.r#type.as_str() {
            "ended" => fake.disconnect_timestamp = status_at,
            "connected" => fake.connected_to_agent_timestamp = status_at,
            _ => fake.initiation_timestamp = status_at,
        }
        fake
    }

    /// The same contact handled by the agent `user_id` (`AgentInfo.Id`).
    pub fn with_agent(self, user_id: &str) -> FakeContact {
        FakeContact {
            agent_id: Some(user_id.to_owned()),
            ..self
        }
    }

    /// The id its attributes live under.
    fn attributes_key(&self) -> &str {
        self.initial_contact_id.as_deref().unwrap_or(&self.id)
    }

    /// DescribeContact's `Contact` member.
    fn json(&self, instance_arn: &str) -> Value {
        let mut contact = Map::new();
        contact.insert(
            "Arn".into(),
            json!(format!("{instance_arn}/contact/{}", self.id)),
        );
        contact.insert("Id".into(), json!(self.id));
        if let Some(initial) = &self.initial_contact_id {
            contact.insert("InitialContactId".into(), json!(initial));
        }
        contact.insert("InitiationMethod".into(), json!(self.initiation_method));
        contact.insert("Channel".into(), json!(self.channel));
        if let Some(queue_id) = &self.queue_id {
            let mut queue = Map::new();
            queue.insert("Id".into(), json!(queue_id));
            if let Some(at) = self.enqueue_timestamp {
                queue.insert("EnqueueTimestamp".into(), epoch(at));
            }
            contact.insert("QueueInfo".into(), Value::Object(queue));
        }
        if self.agent_id.is_some() || self.connected_to_agent_timestamp.is_some() {
            let mut agent = Map::new();
            if let Some(id) = &self.agent_id {
                agent.insert("Id".into(), json!(id));
            }
            if let Some(at) = self.connected_to_agent_timestamp {
                agent.insert("ConnectedToAgentTimestamp".into(), epoch(at));
            }
            contact.insert("AgentInfo".into(), Value::Object(agent));
        }
        for (name, at) in [
            ("InitiationTimestamp", self.initiation_timestamp),
            ("DisconnectTimestamp", self.disconnect_timestamp),
        ] {
            if let Some(at) = at {
                contact.insert(name.into(), epoch(at));
            }
        }
        if let Some((kind, address)) = &self.customer_endpoint {
            contact.insert(
                "CustomerEndpoint".into(),
                json!({ "Type": kind, "Address": address }),
            );
        }
        Value::Object(contact)
    }
}

/// A user as DescribeUser gives it (the members the capabilities read).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FakeUser {
    /// `Id`.
    pub id: String,
    /// `Username`.
    pub username: String,
    /// `IdentityInfo.FirstName`.
    pub first_name: Option<String>,
    /// `IdentityInfo.LastName`.
    pub last_name: Option<String>,
    /// `PhoneConfig.PhoneType`: `SOFT_PHONE` or `DESK_PHONE`.
    pub phone_type: String,
    /// `PhoneConfig.DeskPhoneNumber`.
    pub desk_phone_number: Option<String>,
}

impl FakeUser {
    /// A softphone user `id` named `username`, without a first or last name.
    pub fn softphone(id: &str, username: &str) -> FakeUser {
        FakeUser {
            id: id.to_owned(),
            username: username.to_owned(),
            phone_type: "SOFT_PHONE".to_owned(),
            ..FakeUser::default()
        }
    }

    /// A desk-phone user `id` named `username` at `number`.
    pub fn desk_phone(id: &str, username: &str, number: &str) -> FakeUser {
        FakeUser {
            phone_type: "DESK_PHONE".to_owned(),
            desk_phone_number: Some(number.to_owned()),
            ..FakeUser::softphone(id, username)
        }
    }

    /// The same user, called `first` `last`.
    pub fn with_name(self, first: &str, last: &str) -> FakeUser {
        FakeUser {
            first_name: Some(first.to_owned()),
            last_name: Some(last.to_owned()),
            ..self
        }
    }

    /// DescribeUser's `User` member.
    fn json(&self, instance_arn: &str) -> Value {
        let mut identity = Map::new();
        if let Some(first) = &self.first_name {
            identity.insert("FirstName".into(), json!(first));
        }
        if let Some(last) = &self.last_name {
            identity.insert("LastName".into(), json!(last));
        }
        let mut phone = Map::new();
        phone.insert("PhoneType".into(), json!(self.phone_type));
        phone.insert("AutoAccept".into(), json!(false));
        phone.insert("AfterContactWorkTimeLimit".into(), json!(0));
        if let Some(number) = &self.desk_phone_number {
            phone.insert("DeskPhoneNumber".into(), json!(number));
        }
        json!({
            "Id": self.id,
            "Arn": format!("{instance_arn}/agent/{}", self.id),
            "Username": self.username,
            "IdentityInfo": identity,
            "PhoneConfig": phone,
            "SecurityProfileIds": ["security-profile-agent"],
            "RoutingProfileId": "routing-profile-basic",
        })
    }
}

/// An injected failure: `remaining` more calls fail (`None`: all of them).
#[derive(Debug)]
struct Injected {
    error: FakeError,
    remaining: Option<usize>,
}

/// Everything the fake knows.
#[derive(Debug, Default)]
struct State {
    contacts: BTreeMap<String, FakeContact>,
    /// Attributes by initial contact id, as Connect keeps them.
    attributes: BTreeMap<String, Fields>,
    /// Queue names by queue id.
    queues: BTreeMap<String, String>,
    users: BTreeMap<String, FakeUser>,
    failures: BTreeMap<Operation, Injected>,
    calls: BTreeMap<Operation, usize>,
    outbound_contacts: usize,
}

/// A fake Amazon Connect instance ([`INSTANCE_ID`]) on a wiremock server on 127.0.0.1. Cheap to
/// clone; every clone is the same fake.
#[derive(Clone, Debug)]
pub struct FakeConnect {
    server: Arc<MockServer>,
    state: Arc<Mutex<State>>,
}

/// Locks the state; a panic elsewhere while holding it leaves plain data, still usable.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeConnect {
    /// Starts an empty fake; successful writes are recorded in `journal`
    /// (UpdateContactAttributes as [`Effect::AttributesUpdated`], StartOutboundVoiceContact as
    /// [`Effect::Dialed`]).
    pub async fn start(journal: Journal) -> FakeConnect {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        for operation in Operation::ALL {
            let (verb, pattern) = operation.route();
            Mock::given(method(verb))
                .and(path_regex(pattern))
                .respond_with(Route {
                    operation,
                    state: Arc::clone(&state),
                    journal: journal.clone(),
                })
                .mount(&server)
                .await;
        }
        FakeConnect {
            server: Arc::new(server),
            state,
        }
    }

    /// The base URL to give the SDK as its `endpoint_url` (`http://127.0.0.1:<port>`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Adds (or replaces) `contact`.
    pub fn add_contact(&self, contact: FakeContact) {
        lock(&self.state)
            .contacts
            .insert(contact.id.clone(), contact);
    }

    /// Adds (or renames) the queue `id`, called `name`.
    pub fn add_queue(&self, id: &str, name: &str) {
        lock(&self.state)
            .queues
            .insert(id.to_owned(), name.to_owned());
    }

    /// Adds (or replaces) `user`.
    pub fn add_user(&self, user: FakeUser) {
        lock(&self.state).users.insert(user.id.clone(), user);
    }

    /// Sets the attributes kept under `initial_contact_id`, replacing any.
    pub fn set_attributes(&self, initial_contact_id: &str, attributes: Fields) {
        lock(&self.state)
            .attributes
            .insert(initial_contact_id.to_owned(), attributes);
    }

    /// Seeds the sandbox's `contact`: the contact ([`FakeContact::from_properties`]), its
    /// queue (when it has one, named `queue_name`) and its attributes (non-text values as
    /// JSON text).
    pub fn seed_contact(&self, contact: &ContactProperties) {
        self.seed(contact, FakeContact::from_properties(contact));
    }

    /// [`seed_contact`](Self::seed_contact), the contact handled by the agent `user_id` (add
    /// the user too: with a softphone, the contact is a softphone call).
    pub fn seed_contact_with_agent(&self, contact: &ContactProperties, user_id: &str) {
        self.seed(
            contact,
            FakeContact::from_properties(contact).with_agent(user_id),
        );
    }

    fn seed(&self, contact: &ContactProperties, fake: FakeContact) {
        let attributes = contact
            .attributes
            .iter()
            .map(|(name, value)| {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (name.clone(), text)
            })
            .collect();
        let mut state = lock(&self.state);
        if let Some(queue_id) = &fake.queue_id {
            state
                .queues
                .insert(queue_id.clone(), contact.queue_name.clone());
        }
        state
            .attributes
            .insert(fake.attributes_key().to_owned(), attributes);
        state.contacts.insert(fake.id.clone(), fake);
    }

    /// Makes the next `times` calls of `operation` fail with `error` (`None`: every call until
    /// [`heal`](Self::heal)). The failed calls are counted by [`calls`](Self::calls).
    pub fn fail(&self, operation: Operation, error: FakeError, times: Option<usize>) {
        lock(&self.state).failures.insert(
            operation,
            Injected {
                error,
                remaining: times,
            },
        );
    }

    /// Removes the failure injected on `operation`.
    pub fn heal(&self, operation: Operation) {
        lock(&self.state).failures.remove(&operation);
    }

    /// How many requests of `operation` arrived (retries included).
    pub fn calls(&self, operation: Operation) -> usize {
        lock(&self.state)
            .calls
            .get(&operation)
            .copied()
            .unwrap_or(0)
    }

    /// The attributes kept under `initial_contact_id`, if that contact exists.
    pub fn attributes(&self, initial_contact_id: &str) -> Option<Fields> {
        lock(&self.state)
            .attributes
            .get(initial_contact_id)
            .cloned()
    }

    /// A contact, e.g. one StartOutboundVoiceContact made.
    pub fn contact(&self, contact_id: &str) -> Option<FakeContact> {
        lock(&self.state).contacts.get(contact_id).cloned()
    }
}

/// One operation's responder.
struct Route {
    operation: Operation,
    state: Arc<Mutex<State>>,
    journal: Journal,
}

impl Respond for Route {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.state);
        *state.calls.entry(self.operation).or_default() += 1;
        if let Some(error) = take_failure(&mut state.failures, self.operation) {
            return error.response();
        }
        let answer = match self.operation {
            Operation::DescribeContact => describe_contact(&state, request),
            Operation::GetContactAttributes => get_contact_attributes(&state, request),
            Operation::UpdateContactAttributes => update_contact_attributes(&mut state, request),
            Operation::DescribeQueue => describe_queue(&state, request),
            Operation::DescribeUser => describe_user(&state, request),
            Operation::StartOutboundVoiceContact => {
                start_outbound_voice_contact(&mut state, request)
            }
        };
        drop(state);
        match answer {
            Ok((body, effect)) => {
                if let Some(effect) = effect {
                    self.journal.push(effect);
                }
                ResponseTemplate::new(200).set_body_json(body)
            }
            Err(error) => error.response(),
        }
    }
}

/// The error the next call of `operation` fails with, if one is injected; counts it down.
fn take_failure(
    failures: &mut BTreeMap<Operation, Injected>,
    operation: Operation,
) -> Option<FakeError> {
    let injected = failures.get_mut(&operation)?;
    let error = match &mut injected.remaining {
        None => Some(injected.error.clone()),
        Some(0) => None,
        Some(remaining) => {
            *remaining -= 1;
            Some(injected.error.clone())
        }
    };
    if injected.remaining == Some(0) {
        failures.remove(&operation);
    }
    error
}

/// A successful answer's body, and what it did that outlives the call.
type Answer = Result<(Value, Option<Effect>), FakeError>;

/// The two labels after the path's first `prefix_len` segments (`{InstanceId}/{Id}`), the
/// instance checked.
fn labels(request: &Request, prefix_len: usize) -> Result<String, FakeError> {
    let segments: Vec<String> = request
        .url
        .path_segments()
        .map(|s| s.map(percent_decode).collect())
        .unwrap_or_default();
    match segments.get(prefix_len..) {
        Some([instance, id]) => {
            check_instance(instance)?;
            Ok(id.clone())
        }
        _ => Err(FakeError::invalid_request("Malformed request path")),
    }
}

fn check_instance(instance: &str) -> Result<(), FakeError> {
    if instance == INSTANCE_ID {
        Ok(())
    } else {
        Err(FakeError::not_found(&format!(
            "Instance {instance} not found"
        )))
    }
}

fn describe_contact(state: &State, request: &Request) -> Answer {
    let id = labels(request, 1)?;
    let contact = state
        .contacts
        .get(&id)
        .ok_or_else(|| FakeError::not_found(&format!("Contact {id} not found")))?;
    Ok((json!({ "Contact": contact.json(INSTANCE_ARN) }), None))
}

fn get_contact_attributes(state: &State, request: &Request) -> Answer {
    let id = labels(request, 2)?;
    let attributes = state
        .attributes
        .get(&id)
        .ok_or_else(|| FakeError::not_found(&format!("Contact {id} not found")))?;
    Ok((json!({ "Attributes": attributes }), None))
}

/// The JSON body of a write, or the error the service gives for an unreadable one.
fn body(request: &Request) -> Result<Map<String, Value>, FakeError> {
    request.body_json().map_err(|e| {
        FakeError::new(
            400,
            "SerializationException",
            &format!("Unable to parse the request body: {e}"),
        )
    })
}

/// A required string member of `body`.
fn required<'a>(body: &'a Map<String, Value>, member: &str) -> Result<&'a str, FakeError> {
    match body.get(member) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(FakeError::invalid_parameter(&format!(
            "{member} is required and must be a non-empty string"
        ))),
    }
}

/// A string-to-string map member of `body` (`Attributes`).
fn text_map(body: &Map<String, Value>, member: &str) -> Result<Fields, FakeError> {
    match body.get(member) {
        None | Some(Value::Null) => Ok(Fields::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(FakeError::new(
                    400,
                    "SerializationException",
                    &format!("{member}.{k} must be a string"),
                )),
            })
            .collect(),
        Some(_) => Err(FakeError::new(
            400,
            "SerializationException",
            &format!("{member} must be a map"),
        )),
    }
}

fn update_contact_attributes(state: &mut State, request: &Request) -> Answer {
    let body = body(request)?;
    check_instance(required(&body, "InstanceId")?)?;
    let id = required(&body, "InitialContactId")?;
    let attributes = match body.get("Attributes") {
        Some(_) => text_map(&body, "Attributes")?,
        None => return Err(FakeError::invalid_parameter("Attributes is required")),
    };
    let stored = state
        .attributes
        .get_mut(id)
        .ok_or_else(|| FakeError::not_found(&format!("Contact {id} not found")))?;
    stored.extend(attributes.clone());
    Ok((json!({}), Some(Effect::AttributesUpdated { attributes })))
}

fn describe_queue(state: &State, request: &Request) -> Answer {
    let id = labels(request, 1)?;
    let name = state
        .queues
        .get(&id)
        .ok_or_else(|| FakeError::not_found(&format!("Queue {id} not found")))?;
    let queue = json!({
        "Name": name,
        "QueueArn": format!("{INSTANCE_ARN}/queue/{id}"),
        "QueueId": id,
        "Status": "ENABLED",
        "HoursOfOperationId": "hours-of-operation-basic",
    });
    Ok((json!({ "Queue": queue }), None))
}

fn describe_user(state: &State, request: &Request) -> Answer {
    let id = labels(request, 1)?;
    let user = state
        .users
        .get(&id)
        .ok_or_else(|| FakeError::not_found(&format!("User {id} not found")))?;
    Ok((json!({ "User": user.json(INSTANCE_ARN) }), None))
}

/// Whether `number` is E.164 (`+` and 2 to 15 digits, not starting with 0), as Connect
/// requires of `DestinationPhoneNumber` and `SourcePhoneNumber`.
fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

fn start_outbound_voice_contact(state: &mut State, request: &Request) -> Answer {
    let body = body(request)?;
    check_instance(required(&body, "InstanceId")?)?;
    let number = required(&body, "DestinationPhoneNumber")?;
    required(&body, "ContactFlowId")?;
    if !is_e164(number) {
        return Err(FakeError::invalid_parameter(
            "DestinationPhoneNumber must be in E.164 format",
        ));
    }
    let queue_id = match body.get("QueueId") {
        None | Some(Value::Null) => None,
        Some(_) => Some(required(&body, "QueueId")?),
    };
    let source = match body.get("SourcePhoneNumber") {
        None | Some(Value::Null) => None,
        Some(_) => Some(required(&body, "SourcePhoneNumber")?),
    };
    if source.is_some_and(|s| !is_e164(s)) {
        return Err(FakeError::invalid_parameter(
            "SourcePhoneNumber must be in E.164 format",
        ));
    }
    match (queue_id, source) {
        (None, None) => {
            return Err(FakeError::invalid_parameter(
                "Either QueueId or SourcePhoneNumber is required",
            ));
        }
        (Some(queue), _) if !state.queues.contains_key(queue) => {
            return Err(FakeError::not_found(&format!("Queue {queue} not found")));
        }
        _ => {}
    }
    let attributes = text_map(&body, "Attributes")?;
    state.outbound_contacts += 1;
    let id = format!("outbound-{}", state.outbound_contacts);
    // As Connect records it: started by the API, not queued yet, reaching the customer.
    let contact = FakeContact {
        customer_endpoint: Some(("TELEPHONE_NUMBER".to_owned(), number.to_owned())),
        ..FakeContact::new(&id, "VOICE", "API")
    };
    state.contacts.insert(id.clone(), contact);
    state.attributes.insert(id.clone(), attributes);
    let effect = Effect::Dialed {
        number: number.to_owned(),
        queue_arn: queue_id.map(|q| format!("{INSTANCE_ARN}/queue/{q}")),
    };
    Ok((json!({ "ContactId": id }), Some(effect)))
}

/// An epoch-seconds timestamp as a JSON number, integral when it is whole.
fn epoch(seconds: f64) -> Value {
    if seconds.fract() == 0.0 && seconds.abs() < 9.0e15 {
        json!(seconds as i64)
    } else {
        json!(seconds)
    }
}

/// `%XX` escapes in a path label decoded (the SDK escapes labels); invalid escapes are kept.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Epoch seconds of an RFC 3339 timestamp (`2026-01-01T09:00:00Z`, `…00.250+02:00`); `None`
/// for anything else, empty text included.
pub fn parse_rfc3339(text: &str) -> Option<f64> {
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    let bytes = text.as_bytes();
    if bytes.len() < 20
        || separators.iter().any(|&(i, c)| bytes[i] != c)
        || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut fraction = 0.0;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let digits = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        fraction = format!("0.{}", &after_dot[..digits]).parse().ok()?;
        rest = &after_dot[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = rest.get(1..)?.split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some(seconds as f64 + fraction)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_timestamps() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_rfc3339("2026-01-01T09:00:00Z"), Some(1_767_258_000.0));
        assert_eq!(
            parse_rfc3339("2026-01-01T11:00:00.5+02:00"),
            Some(1_767_258_000.5)
        );
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z"), Some(951_782_400.0));
        assert_eq!(parse_rfc3339(""), None);
        assert_eq!(parse_rfc3339("2026-01-01"), None);
        assert_eq!(parse_rfc3339("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn e164_numbers() {
        assert!(is_e164("+15551234567"));
        assert!(!is_e164("5551234567"));
        assert!(!is_e164("+1 555"));
        assert!(!is_e164("+0123"));
    }

    #[test]
    fn labels_are_decoded() {
        assert_eq!(percent_decode("a%2Fb%zz"), "a/b%zz");
    }

    #[test]
    fn sandbox_contacts_become_describe_contact_answers() {
        let voice = ContactProperties::voice("c-1", "+15551234567", "US", "Support")
            .with_attribute("k", "v");
        let fake = FakeContact::from_properties(&voice);
        assert_eq!(fake.channel, "VOICE");
        assert_eq!(fake.initiation_method, "INBOUND");
        assert_eq!(fake.queue_id.as_deref(), Some("queue-support"));
        assert_eq!(fake.initiation_timestamp, Some(1_767_258_000.0));
        assert_eq!(fake.enqueue_timestamp, Some(1_767_257_970.0));
        let json = fake.json(INSTANCE_ARN);
        assert_eq!(json["QueueInfo"]["EnqueueTimestamp"], json!(1_767_257_970));
        assert_eq!(json["CustomerEndpoint"]["Type"], "TELEPHONE_NUMBER");
        assert!(json.get("AgentInfo").is_none());

        let callback = ContactProperties::callback("c-2", "+15551234567", "US", "Support");
        let fake = FakeContact::from_properties(&callback);
        assert_eq!(
            (fake.channel.as_str(), fake.initiation_method.as_str()),
            ("VOICE", "CALLBACK")
        );
        let chat = FakeContact::from_properties(&ContactProperties::chat("c-3", "Support"));
        assert_eq!(chat.channel, "CHAT");
        assert_eq!(chat.customer_endpoint, None);
    }
}
