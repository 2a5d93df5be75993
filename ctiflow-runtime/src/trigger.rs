//! The (source, event) a flow is bound to: the trigger table the compiler checks flows against,
//! read here by event contexts and registries.

pub use ctiflow_trigger::{
    Availability, Context, Event, Payload, Record, Source, Trigger, TriggerError,
};
