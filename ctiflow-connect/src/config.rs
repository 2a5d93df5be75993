//! What the capabilities need to know about the Connect instance that the SDK client does not.

/// The Connect instance and the choices the API leaves to the caller.
///
/// Build it with [`ConnectConfig::new`] and set the optional fields the flows need:
///
/// ```
/// let config = ctiflow_connect::ConnectConfig {
///     outbound_contact_flow_id: Some("flow-outbound".into()),
///     outbound_queue_id: Some("queue-outbound".into()),
///     ..ctiflow_connect::ConnectConfig::new("inst-1")
/// };
/// assert_eq!(config.default_country, "US");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectConfig {
    /// The Connect instance's id (the last part of its ARN), sent as `InstanceId` with every
    /// call.
    pub instance_id: String,
    /// The instance's ARN (`arn:aws:connect:<region>:<account>:instance/<id>`), from which a
    /// queue's ARN is built (`<instance_arn>/queue/<queue id>`) for the `queueId` property.
    /// `None`: the property holds the bare queue id.
    pub instance_arn: Option<String>,
    /// The country (ISO 3166 alpha-2, e.g. `US`) in which a customer's number is read for the
    /// phone fields of the contact's properties: Connect gives the number only (E.164).
    pub default_country: String,
    /// The contact flow that `StartOutboundVoiceContact` runs for Dial Number (its
    /// `ContactFlowId`); that flow must route the call to the agent. `None`: Dial Number
    /// fails with an `InvalidArgument` error naming this field.
    pub outbound_contact_flow_id: Option<String>,
    /// The queue of outbound calls when Dial Number names none (its `QueueId`). Either this
    /// or [`source_phone_number`](Self::source_phone_number) must be set for calls without a
    /// queue: Connect takes the caller id from the queue otherwise.
    pub outbound_queue_id: Option<String>,
    /// The caller id of outbound calls (a number claimed by the instance, E.164), sent as
    /// `SourcePhoneNumber`. `None`: the queue's outbound caller id.
    pub source_phone_number: Option<String>,
    /// The countries the agent may dial (ISO 3166 alpha-2), reported as the agent's
    /// `dialableCountries`: the API has no per-agent list (it lives in the instance's
    /// telephony settings, which the Connect API does not expose).
    pub dialable_countries: Vec<String>,
    /// The moment a contact's `statusDuration` is measured to.
    pub status_clock: StatusClock,
}

impl ConnectConfig {
    /// The instance `instance_id`, numbers read as `US` ones, no ARN, no outbound flow, queue
    /// nor caller id, no dialable countries, and status durations measured to now.
    pub fn new(instance_id: impl Into<String>) -> ConnectConfig {
        ConnectConfig {
            instance_id: instance_id.into(),
            instance_arn: None,
            default_country: "US".to_owned(),
            outbound_contact_flow_id: None,
            outbound_queue_id: None,
            source_phone_number: None,
            dialable_countries: Vec::new(),
            status_clock: StatusClock::Now,
        }
    }
}

/// The moment `statusDuration` (milliseconds in the contact's state) is measured to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusClock {
    /// The moment of the call, as Streams measures it.
    Now,
    /// A fixed moment: replays of recorded events, and tests, get the durations they had.
    At(std::time::SystemTime),
    /// No measure: always 0.
    Zero,
}

impl StatusClock {
    /// The moment to measure to; `None`: do not measure.
    pub(crate) fn now(self) -> Option<std::time::SystemTime> {
        match self {
            StatusClock::Now => Some(std::time::SystemTime::now()),
            StatusClock::At(moment) => Some(moment),
            StatusClock::Zero => None,
        }
    }
}
