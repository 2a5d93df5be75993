//! Why a block failed at run time.

use std::fmt;

use serde::Serialize;

/// What kind of failure a block met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The event has no contact (a "maybe" context without one).
    NoContact,
    /// The event's payload is not the one the flow reads.
    NoPayload,
    /// A search found nothing (Get Salesforce Contact Id, Screenpop Search...).
    NotFound,
    /// An argument's value cannot be used (an object where text is expected, a bad name...).
    InvalidArgument,
    /// The backend rejected a field: one the sObject lacks, or a value it cannot hold
    /// (Salesforce `INVALID_FIELD`, `INVALID_TYPE`...).
    InvalidField,
    /// An API limit was reached (Salesforce `REQUEST_LIMIT_EXCEEDED`, Connect throttling), and
    /// retrying within the run's time limit did not help.
    LimitExceeded,
    /// The backend refused the credentials or the permission (an expired session that a fresh
    /// token did not fix, a missing IAM action, an insufficient profile).
    Unauthorized,
    /// The backend could not be reached or answered 5xx, after retries.
    Unavailable,
    /// The backend reported an error.
    Backend,
}

/// What a block or a capability method returns.
pub type BlockResult<T> = Result<T, BlockError>;

/// A block's failure: it takes the block's `failure` port, or ends the run as failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// What happened, for people.
    pub message: String,
    /// The backend's own error code (`INVALID_FIELD`, `ResourceNotFoundException`...), when it
    /// gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl BlockError {
    /// A failure of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> BlockError {
        BlockError {
            kind,
            message: message.into(),
            code: None,
        }
    }

    /// The same failure, with the backend's error code kept.
    pub fn with_code(self, code: impl Into<String>) -> BlockError {
        BlockError {
            code: Some(code.into()),
            ..self
        }
    }

    /// The event has no contact.
    pub fn no_contact() -> BlockError {
        BlockError::new(ErrorKind::NoContact, "the event has no contact")
    }

    /// A search found nothing.
    pub fn not_found(message: impl Into<String>) -> BlockError {
        BlockError::new(ErrorKind::NotFound, message)
    }

    /// An argument's value cannot be used.
    pub fn invalid(message: impl Into<String>) -> BlockError {
        BlockError::new(ErrorKind::InvalidArgument, message)
    }

    /// The backend reported an error.
    pub fn backend(message: impl Into<String>) -> BlockError {
        BlockError::new(ErrorKind::Backend, message)
    }
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BlockError {}
