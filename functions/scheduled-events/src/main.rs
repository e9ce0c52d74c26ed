//! Lambda entry point for scheduled-events: set up logging, read the
//! configuration and build the IVS Chat and SQS clients once, then serve
//! invocations. Lambda sends one event at a time, so a single-threaded
//! runtime is enough; concurrency within an event comes from async I/O.

use ivs_chat::env::process_env;
use ivs_chat::sdk::{attempt_timeout, load_aws_config, SdkRoomClient};
use lambda_init::init_failed;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use scheduled_events::{Config, Handler, SqsRecoveryQueue};
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
    // Errors are printed with Display, so an init failure reads
    // "MAX_CONCURRENCY: must be ..." in the function's log.
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "function stopped");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    // Init errors are reported to the Runtime API, so the invoker sees them.
    let config = Config::from_lookup(&process_env).map_err(init_failed)?;
    let aws = load_aws_config(attempt_timeout(&process_env).map_err(init_failed)?).await;
    let queue = config
        .recovery_queue_url
        .clone()
        .map(|url| SqsRecoveryQueue::new(aws_sdk_sqs::Client::new(&aws), url));
    if queue.is_none() {
        tracing::warn!("RECOVERY_QUEUE_URL is not set: failed sends will only be logged");
    }
    let handler = Handler::new(SdkRoomClient::new(&aws), queue, config);
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        handler.handle(event)
    }))
    .await
}
