//! What generated code calls. Not public API: it changes with the code generator.

pub use crate::blocks;
pub use crate::capability::{Agent, Console, Contact, Salesforce, Store};
pub use crate::context::EventContext;
pub use crate::error::BlockError;
pub use crate::run::BlockInfo as Block;
pub use crate::run::{BoxStep, End, Frame, Limits, Name, Next, Ports, Run, to};
pub use crate::trigger::{Event, Source, Trigger};
pub use crate::types;
pub use crate::value::{Js, Segment, at};
pub use ::core;
pub use ::core::marker::Sized;
pub use ::core::option::Option::{self, None, Some};
pub use ::std::boxed::Box;
pub use serde_json::{Map, Value};

use crate::types::{AgentInfo, ContactProperties, Fields};
use crate::value;

/// A text control's value: `undefined` is "not given"; objects and arrays are not text.
pub fn text<T: Js + ?Sized>(control: &'static str, v: &T) -> Result<Option<String>, BlockError> {
    value::to_text(v.js().as_ref())
        .map_err(|e| BlockError::invalid(format!("control `{control}`: {e}")))
}

/// A required text control's value: "not given" is `""`.
pub fn required_text<T: Js + ?Sized>(control: &'static str, v: &T) -> Result<String, BlockError> {
    text(control, v).map(Option::unwrap_or_default)
}

/// A bool control's value: a boolean, else its truthiness.
pub fn boolean<T: Js + ?Sized>(v: &T) -> bool {
    value::truthy(v.js().as_ref())
}

/// A map control's value: entries whose value is `undefined` are omitted.
pub fn fields<const N: usize>(
    control: &'static str,
    entries: [(&'static str, Option<Value>); N],
) -> Result<Fields, BlockError> {
    let mut out = Fields::new();
    for (key, v) in entries {
        if let Some(text) = text(control, &v)? {
            out.insert(key.to_owned(), text);
        }
    }
    Ok(out)
}

/// A number literal, as JavaScript writes it in JSON (`1`, not `1.0`). JSON cannot carry the
/// infinities that JavaScript's `JSON.parse` reads from a literal such as `1e400`: they become
/// the text `"Infinity"` / `"-Infinity"`, which is what `String()` gives for them and what
/// `Number()` and truthiness read back as them, so If-else, Is Truthy? and text controls see
/// what the adapter sees.
pub fn number(x: f64) -> Value {
    if x.is_infinite() {
        Value::String(value::number_to_string(x))
    } else {
        value::number_to_json(x)
    }
}

/// A string literal.
pub fn string(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// `$.contact`.
pub async fn contact<R: Contact + ?Sized>(rt: &R) -> Result<ContactProperties, BlockError> {
    rt.properties().await
}

/// `$.agent`.
pub async fn agent<R: Agent + ?Sized>(rt: &R) -> Result<AgentInfo, BlockError> {
    rt.info().await
}

/// A map control given as a reference to an object: its entries as text.
pub fn fields_of<T: Js + ?Sized>(control: &'static str, v: &T) -> Result<Fields, BlockError> {
    match v.js() {
        None | Some(Value::Null) => Ok(Fields::new()),
        Some(Value::Object(map)) => {
            let mut out = Fields::new();
            for (key, v) in map {
                if let Some(text) = text(control, &v)? {
                    out.insert(key, text);
                }
            }
            Ok(out)
        }
        Some(_) => Err(BlockError::invalid(format!(
            "control `{control}`: expected an object of fields"
        ))),
    }
}

/// An object literal; `undefined` entries are omitted.
pub fn object<const N: usize>(entries: [(&'static str, Option<Value>); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?)))
            .collect(),
    )
}

/// An array literal.
pub fn array<const N: usize>(items: [Value; N]) -> Value {
    Value::Array(items.into())
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

/// A text literal, owned.
pub fn owned(text: &str) -> String {
    text.to_owned()
}

/// A read value as JavaScript sees it (`None` = `undefined`).
pub fn any<T: Js + ?Sized>(value: &T) -> Option<Value> {
    value.js()
}
