//! The `tracing` events of a run tell what it did: block, title, port and result.

use std::sync::{Arc, Mutex};

use ctiflow_runtime::EventContext;
use ctiflow_runtime::run::{BlockInfo, Exit, Frame, Limits, Ports, Stepped};
use ctiflow_runtime::trigger::{self, Source, Trigger};
use ctiflow_runtime::types::TextValue;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// An event's fields: (name, value as text).
type EventFields = Vec<(String, String)>;

/// The fields of every event.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<EventFields>>>);

struct Fields(EventFields);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

const FORMAT: BlockInfo = BlockInfo::new(
    "fmt",
    "SE_CoreFormatPhoneNumberE164",
    Some("Caller's number"),
);

#[test]
fn step_events_carry_title_port_and_result() {
    let recorder = Recorder::default();
    // Without a trace, the events alone must tell the story.
    let limits = Limits {
        trace: false,
        ..Limits::default()
    };
    let ctx = EventContext::new(Trigger {
        source: Source::VoiceContact,
        event: Some(trigger::Event::OnConnecting),
    });
    let run = tracing::subscriber::with_default(recorder.clone(), || {
        pollster::block_on(async {
            let mut frame = Frame::new(&(), &ctx, &limits, None::<TextValue>);
            let body = std::pin::pin!(async {
                Ok(TextValue {
                    value: "+15550100001".to_owned(),
                })
            });
            let stepped = frame.driver.step(&FORMAT, body).await;
            assert!(matches!(stepped, Stepped::Ok(_)));
            // `done` is not connected: the run completes at the block.
            let exit = frame.driver.go(
                &FORMAT,
                stepped,
                &mut frame.results,
                Ports::Done(None::<()>),
            );
            let Exit::End(end) = exit else {
                panic!("the run should end at an unconnected port");
            };
            frame.end(end)
        })
    });
    assert_eq!(
        run.results.map(|r| r.value).as_deref(),
        Some("+15550100001")
    );
    assert!(run.trace.is_empty());
    let events = recorder.0.lock().unwrap();
    let step = events
        .iter()
        .find(|e| e.iter().any(|(k, v)| k == "message" && v == "step"))
        .expect("a step event");
    let field = |name: &str| {
        step.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(field("block"), Some("fmt"));
    assert_eq!(field("type_id"), Some("SE_CoreFormatPhoneNumberE164"));
    assert_eq!(field("title"), Some("Caller's number"));
    assert_eq!(field("port"), Some("done"));
    assert_eq!(field("result"), Some(r#"{"value":"+15550100001"}"#));
}
