//! The contact center's flows, compiled from `examples/flows/` and registered one per (source,
//! event). Shared by the example, its tests and the run benchmark (`benches/dynamic.rs`).

ctiflow::include_flow!(
    "examples/flows/incoming-call.json",
    source = VoiceContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "examples/flows/missed-call.json",
    source = VoiceContact,
    event = onMissed
);
ctiflow::include_flow!(
    "examples/flows/click-to-dial.json",
    source = SalesforceUi,
    event = onClickToDial
);
ctiflow::include_flow!(
    "examples/flows/hvs-work.json",
    source = SalesforceUi,
    event = onHvsWorkStart
);
ctiflow::include_flow!(
    "examples/flows/chat-pop-by-email.json",
    source = ChatContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "examples/flows/case-by-attribute.json",
    source = TaskContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "examples/flows/callback-account.json",
    source = QueueCallbackContact,
    event = onConnecting
);

ctiflow::registry! {
    /// The contact center's flows, one per (source, event).
    pub struct ContactCenter {
        incoming_call, missed_call, click_to_dial, hvs_work, chat_pop_by_email,
        case_by_attribute, callback_account,
    }
}
