//! What Salesforce answers when a request fails, read leniently, and how it becomes a block's
//! failure.
//!
//! The shapes (`backends.md` §3.2, Salesforce's "Status Codes and Error Responses"):
//! - REST data errors: a top-level array `[{"message", "errorCode", "fields"?}]`; `fields` is
//!   often absent. Some endpoints answer one such object instead of an array.
//! - Create and publish results: `{"id", "success", "errors": [{"statusCode", "message",
//!   "fields"}]}`; the code is `statusCode` there, not `errorCode`.
//! - The OAuth token endpoint: `{"error", "error_description"}`.
//! - Anything else (an HTML page from a proxy, an empty body) keeps its status and the first
//!   bytes of its text.

use std::fmt;

use ctiflow_runtime::{BlockError, ErrorKind};
use serde::Deserialize;
use serde_json::Value;

/// One error Salesforce reported.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// `INVALID_FIELD`, `NOT_FOUND`... (`errorCode` in REST errors, `statusCode` in create
    /// and publish results).
    #[serde(alias = "errorCode", alias = "statusCode", default)]
    pub code: String,
    /// What happened.
    #[serde(default)]
    pub message: String,
    /// The fields concerned, when Salesforce names them.
    #[serde(default)]
    pub fields: Vec<String>,
}

/// Why a Salesforce request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SfError {
    /// The REST API answered `status` with these errors.
    Api {
        /// The HTTP status.
        status: u16,
        /// The errors, first the one that decides the kind.
        errors: Vec<ApiError>,
    },
    /// The token endpoint refused.
    OAuth {
        /// `invalid_grant`, `invalid_client_id`...
        error: String,
        /// Salesforce's explanation.
        description: String,
    },
    /// No answer: connection refused, timed out, TLS...
    Transport(String),
    /// An answer we cannot read.
    Decode(String),
}

impl SfError {
    /// The error a failed response's `status` and `body` describe.
    pub(crate) fn from_response(status: u16, body: &[u8]) -> SfError {
        if let Ok(errors) = serde_json::from_slice::<Vec<ApiError>>(body)
            && !errors.is_empty()
        {
            return SfError::Api { status, errors };
        }
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            if let Some(error) = value.get("error").and_then(Value::as_str) {
                let description = value.get("error_description").and_then(Value::as_str);
                return SfError::OAuth {
                    error: error.to_owned(),
                    description: description.unwrap_or_default().to_owned(),
                };
            }
            if let Ok(one) = serde_json::from_value::<ApiError>(value)
                && !one.code.is_empty()
            {
                return SfError::Api {
                    status,
                    errors: vec![one],
                };
            }
        }
        let text = String::from_utf8_lossy(body);
        let text: String = text.chars().take(200).collect();
        SfError::Api {
            status,
            errors: vec![ApiError {
                code: String::new(),
                message: if text.trim().is_empty() {
                    format!("HTTP {status}")
                } else {
                    format!("HTTP {status}: {}", text.trim())
                },
                fields: Vec::new(),
            }],
        }
    }

    /// The first error's code, when it has one.
    pub fn code(&self) -> Option<&str> {
        match self {
            SfError::Api { errors, .. } => errors
                .first()
                .map(|e| e.code.as_str())
                .filter(|c| !c.is_empty()),
            SfError::OAuth { error, .. } => Some(error),
            SfError::Transport(_) | SfError::Decode(_) => None,
        }
    }

    /// Whether trying again later may succeed: limits, row locks, 5xx, no answer.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            SfError::Api { status, .. } => {
                *status >= 500
                    || matches!(
                        self.code(),
                        Some(
                            "REQUEST_LIMIT_EXCEEDED" | "UNABLE_TO_LOCK_ROW" | "SERVER_UNAVAILABLE"
                        )
                    )
            }
            SfError::Transport(_) => true,
            SfError::OAuth { .. } | SfError::Decode(_) => false,
        }
    }

    /// The kind of block failure this is.
    pub fn kind(&self) -> ErrorKind {
        let SfError::Api { status, .. } = self else {
            return match self {
                SfError::OAuth { .. } => ErrorKind::Unauthorized,
                SfError::Transport(_) => ErrorKind::Unavailable,
                _ => ErrorKind::Backend,
            };
        };
        match self.code().unwrap_or_default() {
            "NOT_FOUND" | "ENTITY_IS_DELETED" => ErrorKind::NotFound,
            "REQUEST_LIMIT_EXCEEDED" | "TXN_SECURITY_METERING_ERROR" => ErrorKind::LimitExceeded,
            "INVALID_SESSION_ID"
            | "INSUFFICIENT_ACCESS"
            | "INSUFFICIENT_ACCESS_OR_READONLY"
            | "API_DISABLED_FOR_ORG"
            | "API_CURRENTLY_DISABLED" => ErrorKind::Unauthorized,
            "UNABLE_TO_LOCK_ROW" | "SERVER_UNAVAILABLE" => ErrorKind::Unavailable,
            "MALFORMED_ID"
            | "MALFORMED_QUERY"
            | "INVALID_QUERY_FILTER_OPERATOR"
            | "INVALID_SEARCH" => ErrorKind::InvalidArgument,
            code if code.starts_with("INVALID_")
                || code.starts_with("REQUIRED_FIELD")
                || code.starts_with("STRING_TOO_LONG")
                || code.starts_with("FIELD_")
                || code == "JSON_PARSER_ERROR"
                || code == "DUPLICATE_VALUE" =>
            {
                ErrorKind::InvalidField
            }
            _ => match status {
                404 => ErrorKind::NotFound,
                401 | 403 => ErrorKind::Unauthorized,
                500.. => ErrorKind::Unavailable,
                _ => ErrorKind::Backend,
            },
        }
    }
}

impl fmt::Display for SfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SfError::Api { errors, status } => {
                let Some(first) = errors.first() else {
                    return write!(f, "Salesforce answered HTTP {status}");
                };
                if first.code.is_empty() {
                    write!(f, "Salesforce answered {}", first.message)?;
                } else {
                    write!(f, "Salesforce {}: {}", first.code, first.message)?;
                }
                if !first.fields.is_empty() {
                    write!(f, " (fields: {})", first.fields.join(", "))?;
                }
                if errors.len() > 1 {
                    write!(f, " (and {} more errors)", errors.len() - 1)?;
                }
                Ok(())
            }
            SfError::OAuth { error, description } => {
                write!(f, "Salesforce refused the token request: {error}")?;
                if !description.is_empty() {
                    write!(f, ": {description}")?;
                }
                Ok(())
            }
            SfError::Transport(message) => write!(f, "Salesforce did not answer: {message}"),
            SfError::Decode(message) => write!(f, "Salesforce's answer is unreadable: {message}"),
        }
    }
}

impl std::error::Error for SfError {}

impl From<SfError> for BlockError {
    fn from(error: SfError) -> BlockError {
        let block = BlockError::new(error.kind(), error.to_string());
        match error.code() {
            Some(code) => block.with_code(code),
            None => block,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_and_code(status: u16, body: &str) -> (ErrorKind, Option<String>) {
        let error = BlockError::from(SfError::from_response(status, body.as_bytes()));
        (error.kind, error.code)
    }

    #[test]
    fn published_error_shapes_are_read() {
        // The create reference's sample: a top-level array, `fields` present.
        let (kind, code) = kind_and_code(
            400,
            r#"[{"message":"No such column 'Foo' on sobject of type Contact","errorCode":"INVALID_FIELD","fields":["Foo"]}]"#,
        );
        assert_eq!(
            (kind, code.as_deref()),
            (ErrorKind::InvalidField, Some("INVALID_FIELD"))
        );
        // `fields` absent, as it often is.
        let (kind, code) = kind_and_code(
            401,
            r#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#,
        );
        assert_eq!(
            (kind, code.as_deref()),
            (ErrorKind::Unauthorized, Some("INVALID_SESSION_ID"))
        );
        let (kind, _) = kind_and_code(
            403,
            r#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#,
        );
        assert_eq!(kind, ErrorKind::LimitExceeded);
        let (kind, _) = kind_and_code(
            404,
            r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#,
        );
        assert_eq!(kind, ErrorKind::NotFound);
        // The token endpoint's shape.
        let error = SfError::from_response(
            400,
            br#"{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}"#,
        );
        assert_eq!(error.code(), Some("invalid_grant"));
        assert_eq!(error.kind(), ErrorKind::Unauthorized);
        assert!(error.to_string().contains("user hasn't approved"));
        // A proxy's page.
        let error = SfError::from_response(503, b"<html>Service Unavailable</html>");
        assert_eq!(error.kind(), ErrorKind::Unavailable);
        assert!(error.is_transient());
        assert_eq!(error.code(), None);
    }
}
