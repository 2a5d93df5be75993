//! Amazon Connect errors as block errors: one function decides the [`ErrorKind`] of every
//! failed call, so each capability method fails the same way for the same cause.

use std::error::Error;

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use ctiflow_runtime::{BlockError, ErrorKind};

/// The block error for a failed call of `operation` (its API name, e.g. `DescribeContact`).
///
/// The service's error code (the `x-amzn-ErrorType` of the response) is kept as the error's
/// `code`, and its message in the error's text. By the time an error reaches here the SDK's
/// retry policy has already given up on it (throttling and 5xx are retried).
pub(crate) fn from_sdk<E>(operation: &str, error: SdkError<E, HttpResponse>) -> BlockError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
{
    match &error {
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            let code = service.err().code();
            let message = service.err().message().unwrap_or("no message");
            let text = match code {
                Some(code) => format!("Amazon Connect {operation} failed: {code}: {message}"),
                None => format!("Amazon Connect {operation} failed (HTTP {status}): {message}"),
            };
            let failure = BlockError::new(classify(code, status), text);
            match code {
                Some(code) => failure.with_code(code),
                None => failure,
            }
        }
        // The request never got an answer: the network, DNS, TLS or a time limit.
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => BlockError::new(
            ErrorKind::Unavailable,
            format!(
                "Amazon Connect {operation} could not be reached: {}",
                DisplayErrorContext(&error)
            ),
        ),
        // An answer that is not the operation's response nor a modelled error: a 5xx page
        // from a proxy is an outage, anything else a backend fault.
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            let kind = if status >= 500 {
                ErrorKind::Unavailable
            } else {
                ErrorKind::Backend
            };
            BlockError::new(
                kind,
                format!(
                    "Amazon Connect {operation} answered HTTP {status} with an unreadable response: {}",
                    DisplayErrorContext(&error)
                ),
            )
        }
        // ConstructionFailure (the request could not be built or signed: no credentials, no
        // region) and whatever later SDK versions add.
        _ => BlockError::backend(format!(
            "Amazon Connect {operation} failed: {}",
            DisplayErrorContext(&error)
        )),
    }
}

/// The kind of a service error, from its code first and its HTTP status when the code is
/// unknown. Codes are matched exactly as the service spells them (`x-amzn-ErrorType`, the SDK
/// having dropped any `:namespace` suffix).
pub(crate) fn classify(code: Option<&str>, status: u16) -> ErrorKind {
    match code {
        Some("ResourceNotFoundException") => ErrorKind::NotFound,
        Some("InvalidParameterException" | "InvalidRequestException") => ErrorKind::InvalidArgument,
        Some(
            "ThrottlingException"
            | "Throttling"
            | "LimitExceededException"
            | "TooManyRequestsException"
            | "TooManyRequests",
        ) => ErrorKind::LimitExceeded,
        Some(
            "AccessDeniedException"
            | "UnrecognizedClientException"
            | "ExpiredToken"
            | "ExpiredTokenException"
            | "InvalidSignatureException"
            | "IncompleteSignature"
            | "MissingAuthenticationToken"
            | "InvalidClientTokenId",
        ) => ErrorKind::Unauthorized,
        Some("InternalServiceException" | "ServiceUnavailableException") => ErrorKind::Unavailable,
        _ => match status {
            401 | 403 => ErrorKind::Unauthorized,
            429 => ErrorKind::LimitExceeded,
            500.. => ErrorKind::Unavailable,
            _ => ErrorKind::Backend,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_decide_before_statuses() {
        assert_eq!(
            classify(Some("ResourceNotFoundException"), 404),
            ErrorKind::NotFound
        );
        assert_eq!(
            classify(Some("InvalidRequestException"), 400),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            classify(Some("LimitExceededException"), 429),
            ErrorKind::LimitExceeded
        );
        assert_eq!(
            classify(Some("UnrecognizedClientException"), 400),
            ErrorKind::Unauthorized
        );
        assert_eq!(
            classify(Some("InternalServiceException"), 500),
            ErrorKind::Unavailable
        );
        assert_eq!(
            classify(Some("DuplicateResourceException"), 409),
            ErrorKind::Backend
        );
    }

    #[test]
    fn statuses_decide_unknown_codes() {
        assert_eq!(classify(Some("Whatever"), 503), ErrorKind::Unavailable);
        assert_eq!(classify(None, 403), ErrorKind::Unauthorized);
        assert_eq!(classify(None, 429), ErrorKind::LimitExceeded);
        assert_eq!(classify(None, 400), ErrorKind::Backend);
    }
}
