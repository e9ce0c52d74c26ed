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

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    ivs_chat::logging::init();
    ivs_chat::logging::exit_code(run().await)
}

async fn run() -> Result<(), Error> {
    // Init errors are reported to the Runtime API, so the invoker sees them.
    let config = Config::from_lookup(&process_env).map_err(init_failed)?;
    let aws = load_aws_config(attempt_timeout(&process_env).map_err(init_failed)?)
        .await
        .map_err(init_failed)?;
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
