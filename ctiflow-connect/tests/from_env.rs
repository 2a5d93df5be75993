//! `Connect::from_env` with the credentials and region of the environment and an endpoint
//! override. Its own test binary: it sets process environment variables.

use ctiflow_connect::{Connect, ConnectConfig};
use ctiflow_fakes::Journal;
use ctiflow_fakes::connect::{FakeConnect, FakeUser, INSTANCE_ID};
use ctiflow_runtime::Agent;

#[tokio::test]
async fn from_env_reaches_the_endpoint_override() {
    // SAFETY: the only test of this binary, and no other thread has started reading the
    // environment yet.
    unsafe {
        std::env::set_var("AWS_ACCESS_KEY_ID", "AKID");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "SECRET");
        std::env::set_var("AWS_REGION", "us-east-1");
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        std::env::set_var(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        );
    }
    let fake = FakeConnect::start(Journal::new()).await;
    fake.add_user(FakeUser::softphone("agent-1", "jdoe").with_name("Jane", "Doe"));
    let connect = Connect::from_env(ConnectConfig::new(INSTANCE_ID), Some(&fake.uri())).await;
    let info = connect
        .session(None, Some("agent-1".into()))
        .info()
        .await
        .unwrap();
    assert_eq!(info.name, "Jane Doe");
    let retry = connect.client().config().retry_config().cloned().unwrap();
    assert_eq!(retry.max_attempts(), ctiflow_connect::MAX_ATTEMPTS);
}
