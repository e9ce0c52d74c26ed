//! Lambda entry point for strike-tracking: read the policy and build the
//! DynamoDB and IVS Chat clients once, then serve batches of log lines.
//! A bad `ESCALATION_POLICY` or a missing `SANCTIONS_TABLE` stops init with
//! the variable (and, for the policy, the position) in the message.

use ivs_chat::env::process_env;
use ivs_chat::sdk::{attempt_timeout, load_aws_config, SdkRoomClient};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use sanctions::enforce::Enforcer;
use sanctions::store::SanctionStore;
use serde_json::Value;
use std::process::ExitCode;
use strike_tracking::{Config, Tracker};
use tracing_subscriber::EnvFilter;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_target(false)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "function stopped");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    let config = Config::from_lookup(&process_env)?;
    let aws = load_aws_config(attempt_timeout(&process_env)?).await;
    let store = SanctionStore::new(&aws, &config.table);
    let tracker = Tracker::new(
        Enforcer::new(store, SdkRoomClient::new(&aws)),
        config.policy,
    );
    let tracker = &tracker;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        tracker.handle(event)
    }))
    .await
}
