//! The trigger table (flow-format.md §3): the sources, the events each raises, and what a flow
//! bound to a (source, event) can see (`$.contact`, `$.payload`). The compiler's checker, the
//! runtime's event contexts and registries, and the interpreter all read this one table.

use std::fmt;

pub mod suggest;

use suggest::did_you_mean;

macro_rules! sources {
    ($( $variant:ident = $label:literal, contact: $contact:ident, events: [$($event:ident),*]; )*) => {
        /// Where an event comes from.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Source { $(
            #[doc = concat!("\"", $label, "\"")]
            $variant,
        )* }

        impl Source {
            /// Every source.
            pub const ALL: &[Source] = &[$(Source::$variant),*];

            /// The short name used by the macros and the CLI (`VoiceContact`).
            pub const fn name(self) -> &'static str {
                match self { $(Source::$variant => stringify!($variant),)* }
            }

            /// The designer's label (`Amazon Connect Voice Contact`).
            pub const fn label(self) -> &'static str {
                match self { $(Source::$variant => $label,)* }
            }

            /// The events this source raises.
            pub const fn events(self) -> &'static [Event] {
                match self { $(Source::$variant => &[$(Event::$event),*],)* }
            }

            /// Whether flows of this source can see a contact.
            pub const fn contact(self) -> Availability {
                match self { $(Source::$variant => Availability::$contact,)* }
            }
        }
    };
}

sources! {
    Initialization = "Initialization", contact: No, events: [OnInit];
    Agent = "Amazon Connect Agent", contact: No, events: [OnInit, OnRefresh, OnStateChange,
        OnRoutable, OnNotRoutable, OnOffline, OnError, OnAfterCallWork];
    VoiceContact = "Amazon Connect Voice Contact", contact: Yes, events: [OnIncoming,
        OnConnecting, OnConnected, OnAccepted, OnPending, OnMissed, OnEnded, OnRefresh, OnDestroy];
    QueueCallbackContact = "Amazon Connect Queue Callback Contact", contact: Yes, events: [
        OnIncoming, OnConnecting, OnConnected, OnAccepted, OnPending, OnMissed, OnEnded, OnRefresh,
        OnDestroy];
    ChatContact = "Amazon Connect Chat Contact", contact: Yes, events: [OnConnecting,
        OnConnected, OnAccepted, OnPending, OnMissed, OnEnded, OnRefresh, OnDestroy,
        OnMessageReceived, OnMessageSent, OnViewContact];
    TaskContact = "Amazon Connect Task Contact", contact: Yes, events: [OnIncoming,
        OnConnecting, OnConnected, OnAccepted, OnPending, OnMissed, OnEnded, OnRefresh, OnDestroy,
        OnTransferInitiated, OnTransferSucceeded, OnTransferFailed, OnTaskExpiring,
        OnTaskExpired];
    SalesforceAgent = "Salesforce Agent", contact: No, events: [OnStateChange, OnWorkAccepted,
        OnWorkloadChanged];
    SalesforceUi = "Salesforce UI", contact: Maybe, events: [OnClickToDial, OnNavigationChange,
        OnHvsWorkStart];
    CtiAction = "CTI Action", contact: Maybe, events: [];
}

macro_rules! events {
    ($($variant:ident = $name:literal,)*) => {
        /// What happened.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Event { $(
            #[doc = concat!("`", $name, "`")]
            $variant,
        )* }

        impl Event {
            /// Every event.
            pub const ALL: &[Event] = &[$(Event::$variant),*];

            /// The designer's name (`onConnecting`).
            pub const fn name(self) -> &'static str {
                match self { $(Event::$variant => $name,)* }
            }
        }
    };
}

events! {
    OnInit = "onInit", OnRefresh = "onRefresh", OnStateChange = "onStateChange",
    OnRoutable = "onRoutable", OnNotRoutable = "onNotRoutable", OnOffline = "onOffline",
    OnError = "onError", OnAfterCallWork = "onAfterCallWork", OnIncoming = "onIncoming",
    OnConnecting = "onConnecting", OnConnected = "onConnected", OnAccepted = "onAccepted",
    OnPending = "onPending", OnMissed = "onMissed", OnEnded = "onEnded", OnDestroy = "onDestroy",
    OnMessageReceived = "onMessageReceived", OnMessageSent = "onMessageSent",
    OnViewContact = "onViewContact", OnTransferInitiated = "onTransferInitiated",
    OnTransferSucceeded = "onTransferSucceeded", OnTransferFailed = "onTransferFailed",
    OnTaskExpiring = "onTaskExpiring", OnTaskExpired = "onTaskExpired",
    OnWorkAccepted = "onWorkAccepted", OnWorkloadChanged = "onWorkloadChanged",
    OnClickToDial = "onClickToDial", OnNavigationChange = "onNavigationChange",
    OnHvsWorkStart = "onHvsWorkStart",
}

/// Whether a context has a thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    /// Never: using it is a compile error.
    No,
    /// Sometimes: it compiles, and the run takes the failure path when it is absent.
    Maybe,
    /// Always.
    Yes,
}

/// What `$.payload` is in a context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Payload {
    /// There is none.
    None,
    /// Untyped JSON: any path is accepted.
    Untyped,
    /// A known record: unknown fields are errors.
    Typed(Record),
}

/// A payload with a known shape. Its fields are in the compiler's catalog
/// (`ctiflow_front::catalog::payload_fields`); its Rust type in the runtime's context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Record {
    /// `onClickToDial`: the number and the record it was clicked on.
    ClickToDial,
    /// `onHvsWorkStart`: the High Velocity Sales work item.
    HvsWorkStart,
    /// `onMessageReceived` / `onMessageSent`: the chat message.
    ChatMessage,
}

impl Record {
    /// The runtime's accessor for it (`ctx.payload.click_to_dial()`).
    pub const fn accessor(self) -> &'static str {
        match self {
            Record::ClickToDial => "click_to_dial",
            Record::HvsWorkStart => "hvs_work_start",
            Record::ChatMessage => "chat_message",
        }
    }
}

/// The (source, event) a flow is bound to. `event` is `None` for CTI Actions, which have no
/// events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Trigger {
    /// The source.
    pub source: Source,
    /// The event, if one.
    pub event: Option<Event>,
}

/// A trigger that cannot be: the event does not belong to the source, or a name is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerError(pub String);

impl fmt::Display for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TriggerError {}

impl Source {
    /// The source named by its short name or designer label (case and spaces ignored).
    pub fn parse(name: &str) -> Result<Source, TriggerError> {
        let norm = |s: &str| s.replace([' ', '_', '-'], "").to_ascii_lowercase();
        let wanted = norm(name);
        Source::ALL
            .iter()
            .copied()
            .find(|s| norm(s.name()) == wanted || norm(s.label()) == wanted)
            .ok_or_else(|| {
                let names: Vec<_> = Source::ALL.iter().map(|s| s.name()).collect();
                let guess = did_you_mean(name, names.iter().copied())
                    .map_or_else(String::new, |g| format!("{g} "));
                TriggerError(format!(
                    "unknown source `{name}`; {guess}expected one of {} (or the designer's \
                     label, e.g. \"Amazon Connect Voice Contact\")",
                    names.join(", ")
                ))
            })
    }
}

impl Event {
    /// The event named `onConnecting` (or `OnConnecting`).
    pub fn parse(name: &str) -> Result<Event, TriggerError> {
        Event::ALL
            .iter()
            .copied()
            .find(|e| e.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let guess = did_you_mean(name, Event::ALL.iter().map(|e| e.name()))
                    .unwrap_or_else(|| "events are named like `onConnecting`".to_owned());
                TriggerError(format!("unknown event `{name}`; {guess}"))
            })
    }
}

impl Trigger {
    /// Checks that `event` belongs to `source`. CTI Actions have no event; every other source
    /// needs one, since a flow bound to a source alone could never be dispatched.
    pub fn new(source: Source, event: Option<Event>) -> Result<Trigger, TriggerError> {
        let events: Vec<_> = source.events().iter().map(|e| e.name()).collect();
        if event.is_none() && !events.is_empty() {
            return Err(TriggerError(format!(
                "source {} needs an event: one of {}",
                source.name(),
                events.join(", ")
            )));
        }
        if let Some(event) = event
            && !source.events().contains(&event)
        {
            return Err(TriggerError(if events.is_empty() {
                format!(
                    "source {} has no events; leave the event out",
                    source.name()
                )
            } else {
                format!(
                    "`{}` is not an event of source {}; its events are: {}",
                    event.name(),
                    source.name(),
                    events.join(", ")
                )
            }));
        }
        Ok(Trigger { source, event })
    }

    /// Equality usable in constants: `registry!`'s `duplicate_trigger` check runs at compile
    /// time.
    pub const fn same(&self, other: &Trigger) -> bool {
        self.source as u8 == other.source as u8
            && match (self.event, other.event) {
                (Some(a), Some(b)) => a as u8 == b as u8,
                (None, None) => true,
                _ => false,
            }
    }

    /// Parses the names of a source and an optional event.
    pub fn parse(source: &str, event: Option<&str>) -> Result<Trigger, TriggerError> {
        Trigger::new(Source::parse(source)?, event.map(Event::parse).transpose()?)
    }
}

impl Payload {
    /// The record, when the payload has a known shape.
    pub const fn record(self) -> Option<Record> {
        match self {
            Payload::Typed(record) => Some(record),
            _ => None,
        }
    }
}

/// What a flow can see: derived from its trigger, or the most permissive context without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    /// `$.contact` and the contact blocks.
    pub contact: Availability,
    /// `$.payload`.
    pub payload: Payload,
}

impl Context {
    /// The most permissive context: used when no trigger is given.
    pub const PERMISSIVE: Context = Context {
        contact: Availability::Maybe,
        payload: Payload::Untyped,
    };

    /// The context of `trigger`; `None` means the most permissive one.
    pub fn of(trigger: Option<Trigger>) -> Context {
        let Some(Trigger { source, event }) = trigger else {
            return Context::PERMISSIVE;
        };
        let payload = match (source, event) {
            (Source::SalesforceAgent | Source::CtiAction, _) => Payload::Untyped,
            (Source::SalesforceUi, Some(Event::OnClickToDial)) => {
                Payload::Typed(Record::ClickToDial)
            }
            (Source::SalesforceUi, Some(Event::OnHvsWorkStart)) => {
                Payload::Typed(Record::HvsWorkStart)
            }
            (Source::SalesforceUi, _) => Payload::Untyped,
            (Source::ChatContact, Some(Event::OnMessageReceived | Event::OnMessageSent)) => {
                Payload::Typed(Record::ChatMessage)
            }
            _ => Payload::None,
        };
        Context {
            contact: source.contact(),
            payload,
        }
    }
}

/// What a server can observe of a trigger once the agent's browser no longer runs flows (the
/// Open CTI retirement audit; user-needs §4.2, inferred: no public table exists).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerSignal {
    /// A server-side event matches it.
    Good(&'static str),
    /// A server-side event comes close.
    Approximate(&'static str),
    /// Nothing server-side: it happens in the agent's browser only.
    None,
}

impl Trigger {
    /// The server-side signal of this trigger.
    pub const fn server_signal(self) -> ServerSignal {
        use Event::*;
        match (self.source, self.event) {
            (
                Source::VoiceContact
                | Source::QueueCallbackContact
                | Source::ChatContact
                | Source::TaskContact,
                Some(OnIncoming | OnConnecting),
            ) => ServerSignal::Approximate("contact event QUEUED / INITIATED (EventBridge)"),
            (
                Source::VoiceContact
                | Source::QueueCallbackContact
                | Source::ChatContact
                | Source::TaskContact,
                Some(OnAccepted | OnConnected),
            ) => ServerSignal::Good("contact event CONNECTED_TO_AGENT (EventBridge)"),
            (
                Source::VoiceContact
                | Source::QueueCallbackContact
                | Source::ChatContact
                | Source::TaskContact,
                Some(OnEnded | OnDestroy),
            ) => ServerSignal::Good("contact event DISCONNECTED (EventBridge)"),
            (
                Source::VoiceContact
                | Source::QueueCallbackContact
                | Source::ChatContact
                | Source::TaskContact,
                Some(OnMissed),
            ) => ServerSignal::Approximate("agent event STATE_CHANGE"),
            (
                Source::Agent,
                Some(
                    OnInit | OnStateChange | OnRoutable | OnNotRoutable | OnOffline
                    | OnAfterCallWork,
                ),
            ) => ServerSignal::Good("agent event stream STATE_CHANGE / LOGIN / LOGOUT"),
            _ => ServerSignal::None,
        }
    }

    /// The Open CTI calls the adapter makes to raise this trigger.
    pub const fn open_cti(self) -> &'static [&'static str] {
        match (self.source, self.event) {
            (Source::SalesforceUi, Some(Event::OnClickToDial)) => {
                &["enableClickToDial", "onClickToDial"]
            }
            (Source::SalesforceUi, Some(Event::OnNavigationChange)) => &["onNavigationChange"],
            _ => &[],
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.event {
            Some(e) => write!(f, "{}.{}", self.source.name(), e.name()),
            None => f.write_str(self.source.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse_by_name_and_label() {
        for &s in Source::ALL {
            assert_eq!(Source::parse(s.name()), Ok(s));
            assert_eq!(Source::parse(s.label()), Ok(s));
        }
        assert!(Source::parse("Voice").is_err());
    }

    #[test]
    fn events_must_belong_to_their_source() {
        assert!(Trigger::parse("VoiceContact", Some("onConnecting")).is_ok());
        let err = Trigger::parse("VoiceContact", Some("onClickToDial")).unwrap_err();
        assert!(err.0.contains("onIncoming"), "{err}");
        assert!(Trigger::parse("CtiAction", Some("onInit")).is_err());
        assert!(Trigger::parse("CTI Action", None).is_ok());
    }

    #[test]
    fn a_source_with_events_needs_one() {
        for &source in Source::ALL {
            let result = Trigger::new(source, None);
            assert_eq!(result.is_ok(), source.events().is_empty(), "{source:?}");
        }
        let err = Trigger::parse("ChatContact", None).unwrap_err();
        assert_eq!(
            err.0,
            "source ChatContact needs an event: one of onConnecting, onConnected, onAccepted, \
             onPending, onMissed, onEnded, onRefresh, onDestroy, onMessageReceived, \
             onMessageSent, onViewContact"
        );
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let err = Trigger::parse("VoiceContact", Some("onConecting")).unwrap_err();
        assert_eq!(
            err.0,
            "unknown event `onConecting`; did you mean `onConnecting`?"
        );
        let err = Trigger::parse("VoiceContact", Some("zzz")).unwrap_err();
        assert_eq!(
            err.0,
            "unknown event `zzz`; events are named like `onConnecting`"
        );
        let err = Source::parse("VoiceContat").unwrap_err();
        assert!(err.0.contains("did you mean `VoiceContact`?"), "{err}");
    }

    #[test]
    fn same_is_equality() {
        let a = Trigger::parse("VoiceContact", Some("onConnecting")).unwrap();
        let b = Trigger::parse("VoiceContact", Some("onIncoming")).unwrap();
        let c = Trigger::parse("CtiAction", None).unwrap();
        assert!(a.same(&a) && c.same(&c));
        assert!(!a.same(&b) && !a.same(&c) && !c.same(&a));
        assert_eq!(a.to_string(), "VoiceContact.onConnecting");
    }

    #[test]
    fn server_signals_follow_the_audit_table() {
        let signal = |s, e| Trigger::parse(s, e).unwrap().server_signal();
        assert!(matches!(
            signal("VoiceContact", Some("onAccepted")),
            ServerSignal::Good(_)
        ));
        assert!(matches!(
            signal("TaskContact", Some("onConnecting")),
            ServerSignal::Approximate(_)
        ));
        assert_eq!(
            signal("ChatContact", Some("onMessageReceived")),
            ServerSignal::None
        );
        assert_eq!(
            signal("SalesforceUi", Some("onClickToDial")),
            ServerSignal::None
        );
        assert_eq!(signal("CtiAction", None), ServerSignal::None);
        let click = Trigger::parse("SalesforceUi", Some("onClickToDial")).unwrap();
        assert_eq!(click.open_cti(), ["enableClickToDial", "onClickToDial"]);
    }

    #[test]
    fn contexts_follow_the_table() {
        let ctx = |s, e| Context::of(Some(Trigger::parse(s, e).unwrap()));
        assert_eq!(ctx("Agent", Some("onRoutable")).contact, Availability::No);
        assert_eq!(ctx("Agent", Some("onRoutable")).payload, Payload::None);
        assert_eq!(
            ctx("SalesforceUi", Some("onClickToDial")).contact,
            Availability::Maybe
        );
        assert!(
            ctx("SalesforceUi", Some("onClickToDial")).payload
                == Payload::Typed(Record::ClickToDial)
        );
        assert_eq!(
            ctx("ChatContact", Some("onConnecting")).payload,
            Payload::None
        );
        assert_eq!(ctx("CtiAction", None).payload, Payload::Untyped);
    }
}
