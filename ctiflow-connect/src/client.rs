//! [`Connect`]: the SDK client and the instance's configuration, shared by every run.

use std::sync::Arc;

use aws_config::BehaviorVersion;
use aws_sdk_connect::Client;
use aws_sdk_connect::config::retry::RetryConfig;

use crate::config::ConnectConfig;
use crate::session::ConnectSession;

/// How many times a call is tried in all (the first try included) before its error reaches
/// the flow: the SDK's standard default, written down so it does not change under us.
pub const MAX_ATTEMPTS: u32 = 3;

/// The retry policy [`Connect::from_env`] installs: the SDK's *standard* mode (exponential
/// backoff with jitter, retrying throttling errors, 5xx answers and transient network
/// failures, under a client-wide retry quota) with [`MAX_ATTEMPTS`] attempts.
///
/// Clients given to [`Connect::new`] keep their own policy; set this one on them with
/// `aws_sdk_connect::config::Builder::retry_config`.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS)
}

/// Amazon Connect for flows: an SDK client and a [`ConnectConfig`]. Cheap to clone (the client
/// and the configuration are shared); make one per process and a [`ConnectSession`] per event.
#[derive(Clone, Debug)]
pub struct Connect {
    client: Client,
    config: Arc<ConnectConfig>,
}

impl Connect {
    /// Connect through `client`, which keeps its own credentials, region, endpoint and retry
    /// policy (see [`retry_config`]).
    pub fn new(client: Client, config: ConnectConfig) -> Connect {
        Connect {
            client,
            config: Arc::new(config),
        }
    }

    /// Connect with the credentials and region of the environment (the standard AWS chain:
    /// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_REGION`, the
    /// shared config and credentials files, web identity, ECS and EC2 instance metadata), the
    /// [`retry_config`] policy, and `endpoint_url` instead of the regional endpoint when given
    /// (a loopback fake in tests, a VPC endpoint in production).
    pub async fn from_env(config: ConnectConfig, endpoint_url: Option<&str>) -> Connect {
        let mut loader =
            aws_config::defaults(BehaviorVersion::latest()).retry_config(retry_config());
        if let Some(url) = endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let sdk_config = loader.load().await;
        Connect::new(Client::new(&sdk_config), config)
    }

    /// The SDK client, for calls the capabilities do not make.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The instance's configuration.
    pub fn config(&self) -> &ConnectConfig {
        &self.config
    }

    /// The capabilities for one event: about `contact_id` (the event's contact; `None` for
    /// events without one, whose contact calls fail with `BlockError::no_contact`), with
    /// `agent_user_id` as the agent (the Connect user id; `None`: the contact's agent).
    pub fn session(
        &self,
        contact_id: Option<String>,
        agent_user_id: Option<String>,
    ) -> ConnectSession {
        ConnectSession::new(self.clone(), contact_id, agent_user_id)
    }
}
