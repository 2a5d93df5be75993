//! Salesforce for ctiflow flows: the runtime's [`Salesforce`](ctiflow_runtime::Salesforce)
//! capability ([`SalesforceApi`]) and its [`Console`](ctiflow_runtime::Console)
//! ([`EventConsole`]) on the Salesforce REST API, for flows that run on a server instead of in
//! the agent's browser.
//!
//! - [`auth`]: the JWT bearer and client credentials flows, or a given token; a token is
//!   refreshed once when Salesforce answers `401 INVALID_SESSION_ID`.
//! - [`client`]: the REST calls, their retries (`REQUEST_LIMIT_EXCEEDED`, `UNABLE_TO_LOCK_ROW`,
//!   5xx: bounded, jittered backoff) and the org's API usage;
//! - [`escape`]: every value that reaches a SOQL or SOSL query, and every name and id that
//!   reaches a URL;
//! - [`error`]: Salesforce's error shapes, and the block failure each becomes.
//!
//! ```no_run
//! # async fn host() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use ctiflow_salesforce::{Client, Config, ConsoleConfig, EventConsole, SalesforceApi};
//!
//! let client = Arc::new(Client::new(Config::from_env()?)?);
//! let data = SalesforceApi::new(client.clone());
//! let console = EventConsole::new(client, ConsoleConfig::default());
//! # let _ = (data, console); Ok(()) }
//! ```

pub mod auth;
pub mod client;
mod console;
mod data;
pub mod error;
pub mod escape;

pub use auth::Credentials;
pub use client::{ApiUsage, Client, Config, Retry};
pub use console::{ConsoleConfig, EventConsole, LayoutObject};
pub use data::{SalesforceApi, task_fields};
pub use error::{ApiError, SfError};
