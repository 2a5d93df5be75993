//! The (source, event) a flow is bound to, as generated code and the registry see it.

use std::fmt;

macro_rules! names {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $(
            #[doc = concat!("`", $text, "`")]
            $variant,
        )* }

        impl $name {
            /// Every value.
            pub const ALL: &[$name] = &[$($name::$variant),*];

            /// The name flows and the designer use.
            pub const fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }
    };
}

names! {
    /// Where an event comes from (flow-format.md §3).
    Source {
        Initialization = "Initialization",
        Agent = "Amazon Connect Agent",
        VoiceContact = "Amazon Connect Voice Contact",
        QueueCallbackContact = "Amazon Connect Queue Callback Contact",
        ChatContact = "Amazon Connect Chat Contact",
        TaskContact = "Amazon Connect Task Contact",
        SalesforceAgent = "Salesforce Agent",
        SalesforceUi = "Salesforce UI",
        CtiAction = "CTI Action",
    }
}

names! {
    /// What happened.
    Event {
        OnInit = "onInit", OnRefresh = "onRefresh", OnStateChange = "onStateChange",
        OnRoutable = "onRoutable", OnNotRoutable = "onNotRoutable", OnOffline = "onOffline",
        OnError = "onError", OnAfterCallWork = "onAfterCallWork", OnIncoming = "onIncoming",
        OnConnecting = "onConnecting", OnConnected = "onConnected", OnAccepted = "onAccepted",
        OnPending = "onPending", OnMissed = "onMissed", OnEnded = "onEnded",
        OnDestroy = "onDestroy", OnMessageReceived = "onMessageReceived",
        OnMessageSent = "onMessageSent", OnViewContact = "onViewContact",
        OnTransferInitiated = "onTransferInitiated", OnTransferSucceeded = "onTransferSucceeded",
        OnTransferFailed = "onTransferFailed", OnTaskExpiring = "onTaskExpiring",
        OnTaskExpired = "onTaskExpired", OnWorkAccepted = "onWorkAccepted",
        OnWorkloadChanged = "onWorkloadChanged", OnClickToDial = "onClickToDial",
        OnNavigationChange = "onNavigationChange", OnHvsWorkStart = "onHvsWorkStart",
    }
}

/// A (source, event) pair; CTI Action flows have no event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Trigger {
    /// Where the event comes from.
    pub source: Source,
    /// The event, `None` for CTI Actions.
    pub event: Option<Event>,
}

impl Trigger {
    /// A trigger.
    pub const fn new(source: Source, event: Option<Event>) -> Trigger {
        Trigger { source, event }
    }

    /// Equality usable in constants: the registry's `duplicate_trigger` check runs at compile
    /// time.
    pub const fn same(&self, other: &Trigger) -> bool {
        self.source as u8 == other.source as u8
            && match (self.event, other.event) {
                (Some(a), Some(b)) => a as u8 == b as u8,
                (None, None) => true,
                _ => false,
            }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.event {
            Some(e) => write!(f, "{} / {}", self.source.name(), e.name()),
            None => f.write_str(self.source.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_is_equality() {
        let a = Trigger::new(Source::VoiceContact, Some(Event::OnConnecting));
        let b = Trigger::new(Source::VoiceContact, Some(Event::OnIncoming));
        let c = Trigger::new(Source::CtiAction, None);
        assert!(a.same(&a) && c.same(&c));
        assert!(!a.same(&b) && !a.same(&c) && !c.same(&a));
        assert_eq!(a.to_string(), "Amazon Connect Voice Contact / onConnecting");
    }
}
