//! How a control's value becomes its block's argument, by the type of the argument's field
//! (`catalog::Argument` in the front end): text, booleans, fields, values. Generated code and
//! the interpreter convert through these same functions.

use serde_json::Value;

use crate::error::BlockError;
use crate::types::Fields;
use crate::value::{self, Js};

/// A text control's value: `undefined` is "not given"; objects and arrays are not text.
pub fn text<T: Js + ?Sized>(control: &str, v: &T) -> Result<Option<String>, BlockError> {
    value::to_text(v.js().as_ref())
        .map_err(|e| BlockError::invalid(format!("control `{control}`: {e}")))
}

/// A required text control's value: "not given" is `""`.
pub fn required_text<T: Js + ?Sized>(control: &str, v: &T) -> Result<String, BlockError> {
    text(control, v).map(Option::unwrap_or_default)
}

/// A bool control's value: a boolean, else its truthiness.
pub fn boolean<T: Js + ?Sized>(v: &T) -> bool {
    value::truthy(v.js().as_ref())
}

/// A map control's value: entries whose value is `undefined` are omitted.
pub fn fields<'k>(
    control: &str,
    entries: impl IntoIterator<Item = (&'k str, Option<Value>)>,
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

/// A map control given as a reference to an object: its entries as text.
pub fn fields_of<T: Js + ?Sized>(control: &str, v: &T) -> Result<Fields, BlockError> {
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
pub fn object<'k>(entries: impl IntoIterator<Item = (&'k str, Option<Value>)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?)))
            .collect(),
    )
}

/// An array literal.
pub fn array(items: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(items.into_iter().collect())
}

/// A text literal, owned.
pub fn owned(text: &str) -> String {
    text.to_owned()
}

/// A read value as JavaScript sees it (`None` = `undefined`).
pub fn any<T: Js + ?Sized>(value: &T) -> Option<Value> {
    value.js()
}
