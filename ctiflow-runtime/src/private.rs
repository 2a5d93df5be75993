//! What generated code calls. Not public API: it changes with the code generator.

pub use crate::blocks;
pub use crate::capability::{Agent, Console, Contact, Salesforce, Store};
pub use crate::context::EventContext;
pub use crate::error::BlockError;
pub use crate::extension::{DeclaredField, DeclaredResult, FieldType};
pub use crate::run::BlockInfo as Block;
pub use crate::run::{BoxStep, End, Frame, Limits, Name, Next, Ports, Run, to};
pub use crate::trigger::{Event, Source, Trigger};
pub use crate::types;
pub use crate::value::{Js, Segment, at};
pub use ::core;
pub use ::core::marker::Sized;
pub use ::core::option::Option::{self, None, Some};
pub use ::core::result::Result::{self, Err, Ok};
pub use ::std::boxed::Box;
pub use ::std::string::String;
pub use ::std::vec::Vec;
pub use serde::{self, Deserialize, Serialize};
pub use serde_json::{Map, Value};

pub use crate::convert::{
    any, array, boolean, fields, fields_of, number, object, owned, required_text, string, text,
};
use crate::types::{AgentInfo, ContactProperties};

/// `$.contact`.
pub async fn contact<R: Contact + ?Sized>(rt: &R) -> Result<ContactProperties, BlockError> {
    rt.properties().await
}

/// `$.agent`.
pub async fn agent<R: Agent + ?Sized>(rt: &R) -> Result<AgentInfo, BlockError> {
    rt.info().await
}

/// The event's payload as the user's type (`include_flow!(.., payload = my::Payload)`): read
/// from the payload's JSON as a loaded flow reads it.
pub fn payload_as<T: serde::de::DeserializeOwned>(ctx: &EventContext) -> Result<T, BlockError> {
    let json = ctx.payload.json().unwrap_or(Value::Null);
    serde_json::from_value(json).map_err(|e| {
        BlockError::invalid(format!(
            "the event's payload is not a `{}`: {e}",
            ::core::any::type_name::<T>()
        ))
    })
}

/// A field of a typed payload as a flow reads it: its JSON, numbers as JavaScript holds them,
/// `None` (and `null`) being `undefined`.
pub fn serialized<T: Serialize + ?Sized>(field: &T) -> Option<Value> {
    match serde_json::to_value(field) {
        Ok(Value::Null) | Err(_) => None,
        Ok(value) => Some(crate::value::js_json(value)),
    }
}

/// A flow module's marker (a type named like its module), implemented by flows compiled with a
/// trigger: what `registry!` reads, so a flow without one is a clear error naming it.
#[diagnostic::on_unimplemented(
    message = "flow `{Self}` has no trigger, so a registry cannot dispatch to it",
    label = "compiled without `source` and `event`",
    note = "give the flow a `source` (and an `event`) in `include_flow!`, `ctiflow!` or the build script"
)]
pub trait Registrable {
    /// The flow's trigger.
    const TRIGGER: crate::Trigger;
}

/// The trigger of the flow whose marker is `F`.
pub const fn trigger_of<F: Registrable>() -> crate::Trigger {
    F::TRIGGER
}

/// Whether two triggers are the same, as a type: `registry!`'s `duplicate_trigger` check.
pub struct Same<const SAME: bool>;

/// Implemented when the flows `A` and `B` have different triggers.
#[diagnostic::on_unimplemented(
    message = "error[duplicate_trigger]: flows `{A}` and `{B}` are bound to the same (source, event)",
    label = "register only one of them",
    note = "a registry dispatches each (source, event) to exactly one flow, as the adapter runs one active flow per (source, event)"
)]
pub trait DistinctTriggers<A, B> {}

impl<A, B> DistinctTriggers<A, B> for Same<false> {}

/// Compiles only when `S` says the triggers of `A` and `B` differ.
pub const fn distinct<A, B, S: DistinctTriggers<A, B>>() {}

/// The JSON of a flow's `Results`: each block's id and its results, for those that ran.
pub fn results<const N: usize>(entries: [(&'static str, Option<Value>); N]) -> Option<Value> {
    Some(Value::Object(
        entries
            .into_iter()
            .filter_map(|(id, v)| Some((id.to_owned(), v?)))
            .collect(),
    ))
}
