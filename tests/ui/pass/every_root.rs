#![deny(warnings)]
// Every root read whole (`$.agent`, `$.contact`, `$.payload`) into an `any` control, and the
// payload into a map control, for every trigger whose context has it: each compiles, and at
// run time each is the object JavaScript would see.

/// One flow per trigger: its module, source and event, and which roots its context offers.
macro_rules! flows {
    (agent: $($name:ident = $source:tt $(/ $event:tt)?;)*) => {$(
        ctiflow::ctiflow! {
            name = $name, source = $source, $(event = $event,)?
            { "actions": [
                { "id": "s", "type": "SE_Start", "ports": { "done": "agent" } },
                { "id": "agent", "type": "SE_Log", "controls": { "message": "$.agent" }, "ports": { "done": "e" } },
                { "id": "e", "type": "SE_End" }
            ] }
        }
    )*};
    (contact: $($name:ident = $source:tt / $event:tt;)*) => {$(
        ctiflow::ctiflow! {
            name = $name, source = $source, event = $event,
            { "actions": [
                { "id": "s", "type": "SE_Start", "ports": { "done": "agent" } },
                { "id": "agent", "type": "SE_Log", "controls": { "message": "$.agent" }, "ports": { "done": "contact" } },
                { "id": "contact", "type": "SE_SetProperty", "controls": { "key": "contact", "value": "$.contact" }, "ports": { "done": "e" } },
                { "id": "e", "type": "SE_End" }
            ] }
        }
    )*};
    (payload: $($name:ident = $source:tt $(/ $event:tt)?;)*) => {$(
        ctiflow::ctiflow! {
            name = $name, source = $source, $(event = $event,)?
            { "actions": [
                { "id": "s", "type": "SE_Start", "ports": { "done": "agent" } },
                { "id": "agent", "type": "SE_Log", "controls": { "message": "$.agent" }, "ports": { "done": "payload" } },
                { "id": "payload", "type": "SE_SetProperty", "controls": { "key": "payload", "value": "$.payload" }, "ports": { "done": "map" } },
                { "id": "map", "type": "SE_TextStringTemplate", "controls": { "template": "x", "variables": "$.payload" }, "ports": { "done": "e" } },
                { "id": "e", "type": "SE_End" }
            ] }
        }
    )*};
    (contact_and_payload: $($name:ident = $source:tt $(/ $event:tt)?;)*) => {$(
        ctiflow::ctiflow! {
            name = $name, source = $source, $(event = $event,)?
            { "actions": [
                { "id": "s", "type": "SE_Start", "ports": { "done": "agent" } },
                { "id": "agent", "type": "SE_Log", "controls": { "message": "$.agent" }, "ports": { "done": "contact" } },
                { "id": "contact", "type": "SE_SetProperty", "controls": { "key": "contact", "value": "$.contact" }, "ports": { "done": "payload" } },
                { "id": "payload", "type": "SE_SetProperty", "controls": { "key": "payload", "value": "$.payload" }, "ports": { "done": "map" } },
                { "id": "map", "type": "SE_TextStringTemplate", "controls": { "template": "x", "variables": "$.payload" }, "ports": { "done": "e" } },
                { "id": "e", "type": "SE_End" }
            ] }
        }
    )*};
}

flows! { agent:
    init = Initialization / onInit;
    agent_init = Agent / onInit; agent_refresh = Agent / onRefresh;
    agent_state = Agent / onStateChange; agent_routable = Agent / onRoutable;
    agent_not_routable = Agent / onNotRoutable; agent_offline = Agent / onOffline;
    agent_error = Agent / onError; agent_acw = Agent / onAfterCallWork;
}

flows! { contact:
    voice_incoming = VoiceContact / onIncoming; voice_connecting = VoiceContact / onConnecting;
    voice_connected = VoiceContact / onConnected; voice_accepted = VoiceContact / onAccepted;
    voice_pending = VoiceContact / onPending; voice_missed = VoiceContact / onMissed;
    voice_ended = VoiceContact / onEnded; voice_refresh = VoiceContact / onRefresh;
    voice_destroy = VoiceContact / onDestroy;
    callback_incoming = QueueCallbackContact / onIncoming;
    callback_connecting = QueueCallbackContact / onConnecting;
    callback_connected = QueueCallbackContact / onConnected;
    callback_accepted = QueueCallbackContact / onAccepted;
    callback_pending = QueueCallbackContact / onPending;
    callback_missed = QueueCallbackContact / onMissed;
    callback_ended = QueueCallbackContact / onEnded;
    callback_refresh = QueueCallbackContact / onRefresh;
    callback_destroy = QueueCallbackContact / onDestroy;
    chat_connecting = ChatContact / onConnecting; chat_connected = ChatContact / onConnected;
    chat_accepted = ChatContact / onAccepted; chat_pending = ChatContact / onPending;
    chat_missed = ChatContact / onMissed; chat_ended = ChatContact / onEnded;
    chat_refresh = ChatContact / onRefresh; chat_destroy = ChatContact / onDestroy;
    chat_view = ChatContact / onViewContact;
    task_incoming = TaskContact / onIncoming; task_connecting = TaskContact / onConnecting;
    task_connected = TaskContact / onConnected; task_accepted = TaskContact / onAccepted;
    task_pending = TaskContact / onPending; task_missed = TaskContact / onMissed;
    task_ended = TaskContact / onEnded; task_refresh = TaskContact / onRefresh;
    task_destroy = TaskContact / onDestroy;
    task_transfer = TaskContact / onTransferInitiated;
    task_transferred = TaskContact / onTransferSucceeded;
    task_transfer_failed = TaskContact / onTransferFailed;
    task_expiring = TaskContact / onTaskExpiring; task_expired = TaskContact / onTaskExpired;
}

flows! { payload:
    sf_agent_state = SalesforceAgent / onStateChange;
    sf_agent_work = SalesforceAgent / onWorkAccepted;
    sf_agent_workload = SalesforceAgent / onWorkloadChanged;
}

flows! { contact_and_payload:
    chat_message_received = ChatContact / onMessageReceived;
    chat_message_sent = ChatContact / onMessageSent;
    click_to_dial = SalesforceUi / onClickToDial;
    navigation = SalesforceUi / onNavigationChange;
    hvs_work = SalesforceUi / onHvsWorkStart;
    cti_action = CtiAction;
}

use ctiflow::sandbox::Sandbox;
use ctiflow::types::ContactProperties;
use ctiflow::{EventContext, Outcome, Payload};
use ctiflow::context::ClickToDial;

fn main() {
    let sandbox = Sandbox::new()
        .with_contact(ContactProperties::voice("c-1", "+15550100002", "US", "Q"));
    let event = EventContext::new(click_to_dial::TRIGGER).with_payload(Payload::ClickToDial(
        ClickToDial {
            number: "+15550100003".to_owned(),
            record_id: "003000000000001AAA".to_owned(),
            record_name: "Ada".to_owned(),
            object_type: "Contact".to_owned(),
            person_account: false,
        },
    ));
    let run = pollster::block_on(click_to_dial::run(&sandbox, &event));
    assert!(matches!(run.outcome, Outcome::Completed { .. }), "{:?}", run.outcome);
    let payload = run.trace.iter().find(|s| s.block == "map").expect("the map step");
    assert_eq!(payload.port, Some("done"));
    let run = pollster::block_on(voice_connecting::run(&sandbox, &EventContext::new(voice_connecting::TRIGGER)));
    assert!(matches!(run.outcome, Outcome::Completed { .. }), "{:?}", run.outcome);
}
