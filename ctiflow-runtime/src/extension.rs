//! Declared blocks (blocks.md §4) between their two callers: a compiled flow calls its own
//! typed `Extensions` trait (argument and result structs generated from the declaration), a
//! loaded flow calls [`Extension`] with JSON. Both check a JSON answer with [`checked_answer`],
//! so a broken answer fails the block alike, and [`call_json`] implements the first over the
//! second, so one JSON implementation can serve both.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::capability::Extension;
use crate::error::{BlockError, BlockResult};
use crate::value;

/// The type of a declared result field, as a declarations file names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// `text`: a string.
    Text,
    /// `number`.
    Number,
    /// `bool`.
    Bool,
    /// `object`: any JSON object.
    Object,
    /// `array`.
    Array,
    /// `any`: any JSON value.
    Any,
}

impl FieldType {
    /// Whether `value` is of this type.
    fn holds(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (FieldType::Text, Value::String(_))
                | (FieldType::Number, Value::Number(_))
                | (FieldType::Bool, Value::Bool(_))
                | (FieldType::Object, Value::Object(_))
                | (FieldType::Array, Value::Array(_))
                | (FieldType::Any, _)
        )
    }

    /// The type in messages.
    fn describe(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "a number",
            FieldType::Bool => "a boolean",
            FieldType::Object => "an object",
            FieldType::Array => "an array",
            FieldType::Any => "any value",
        }
    }
}

/// One declared result field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeclaredField {
    /// Its name, as flows read it.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// Whether an answer may leave it out.
    pub optional: bool,
}

/// The result of a declared block, as the code generator makes it: its declared fields. `()`
/// for a block without results.
pub trait DeclaredResult: DeserializeOwned {
    /// The fields, in declaration order.
    const FIELDS: &'static [DeclaredField];
}

impl DeclaredResult for () {
    const FIELDS: &'static [DeclaredField] = &[];
}

/// What a JSON value is, for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The answer of the declared block `type_id`, checked against its declared `fields` and kept
/// as a typed result keeps it: the declared fields in order, numbers as JavaScript holds them,
/// an absent optional field (or `null`) left out; `None` for a block without results, whatever
/// it answered. An answer that breaks the declaration fails the block, naming the field.
pub fn checked_answer(
    type_id: &str,
    fields: &[DeclaredField],
    answer: Value,
) -> BlockResult<Option<Value>> {
    if fields.is_empty() {
        return Ok(None);
    }
    let Value::Object(mut answer) = answer else {
        return Err(BlockError::invalid(format!(
            "extension block `{type_id}` answered {}, not an object of its declared results",
            describe(&answer)
        )));
    };
    let mut out = Map::with_capacity(fields.len());
    for field in fields {
        let value = match answer.remove(field.name) {
            Some(Value::Null) | None if field.optional => continue,
            None => {
                return Err(BlockError::invalid(format!(
                    "extension block `{type_id}` answered no `{}`, which its declaration says \
                     it always returns",
                    field.name
                )));
            }
            Some(value) => value,
        };
        if !field.ty.holds(&value) {
            return Err(BlockError::invalid(format!(
                "extension block `{type_id}` answered {} for `{}`, which is declared {}",
                describe(&value),
                field.name,
                field.ty.describe()
            )));
        }
        let value = match value {
            Value::Number(n) => value::number_to_json(n.as_f64().unwrap_or(f64::NAN)),
            other => other,
        };
        out.insert(field.name.to_owned(), value);
    }
    Ok(Some(Value::Object(out)))
}

/// Calls the declared block `type_id` of `extension` with typed arguments, and reads its answer,
/// checked as a loaded flow checks it, into the typed result: how a compiled flow's
/// `Extensions` method can forward to a JSON [`Extension`].
///
/// ```ignore
/// impl flows::order_status::Extensions for MyBackend {
///     async fn query_value(&self, args: QueryValueArgs) -> BlockResult<QueryValueResult> {
///         ctiflow::extension::call_json(self, "SE_QueryValue", &args).await
///     }
/// }
/// ```
pub async fn call_json<E, A, T>(extension: &E, type_id: &str, args: &A) -> BlockResult<T>
where
    E: Extension + ?Sized,
    A: Serialize,
    T: DeclaredResult,
{
    let args = serde_json::to_value(args).map_err(|e| {
        BlockError::invalid(format!("the arguments of `{type_id}` are not JSON: {e}"))
    })?;
    let answer = extension.call(type_id, args).await?;
    let checked = checked_answer(type_id, T::FIELDS, answer)?;
    serde_json::from_value(checked.unwrap_or(Value::Null)).map_err(|e| {
        BlockError::invalid(format!(
            "the answer of extension block `{type_id}` does not fit its result type: {e}"
        ))
    })
}
