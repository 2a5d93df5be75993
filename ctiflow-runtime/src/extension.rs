//! Declared blocks (blocks.md §4) between their two callers: a compiled flow calls its own
//! typed `Extensions` trait (argument and result structs generated from the declaration), a
//! loaded flow calls [`Extension`] with JSON. [`call_json`] implements the first over the
//! second, so one JSON implementation can serve both.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::capability::Extension;
use crate::error::{BlockError, BlockResult};

/// Calls the declared block `type_id` of `extension` with typed arguments, and reads its answer
/// into the typed result: how a compiled flow's `Extensions` method can forward to a JSON
/// [`Extension`].
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
    T: DeserializeOwned,
{
    let args = serde_json::to_value(args).map_err(|e| {
        BlockError::invalid(format!("the arguments of `{type_id}` are not JSON: {e}"))
    })?;
    let mut answer = extension.call(type_id, args).await?;
    // A block without results (`()`) ignores the answer, as a loaded flow does.
    if size_of::<T>() == 0 && serde_json::from_value::<T>(answer.clone()).is_err() {
        answer = serde_json::Value::Null;
    }
    serde_json::from_value(answer).map_err(|e| {
        BlockError::invalid(format!(
            "the answer of extension block `{type_id}` does not fit its declaration: {e}"
        ))
    })
}
