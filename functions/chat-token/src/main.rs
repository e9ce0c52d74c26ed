//! Lambda entry point for chat-token: read the configuration and build the
//! DynamoDB and IVS Chat clients once, then answer token requests.

use chat_token::{Config, Handler};
use ivs_chat::env::process_env;
use ivs_chat::sdk::{attempt_timeout, load_aws_config, SdkRoomClient};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use sanctions::store::SanctionStore;
use serde_json::Value;
use std::process::ExitCode;
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
    let handler = Handler::new(SdkRoomClient::new(&aws), store, config);
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        handler.handle(event)
    }))
    .await
}
