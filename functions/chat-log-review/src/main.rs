//! Lambda entry point for chat-log-review: set up logging, read the review
//! configuration and build its filter once, build the SQS client once, then
//! serve subscription events. Lambda sends one event at a time, so a
//! single-threaded runtime is enough.

use chat_log_review::{Config, Handler, SqsCommandQueue};
use ivs_chat::env::process_env;
use ivs_chat::sdk::{attempt_timeout, load_aws_config};
use lambda_runtime::{service_fn, Error, LambdaEvent};
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
    // "MODERATION_QUEUE_URL: must be set ..." in the function's log.
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "function stopped");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    let review = message_review::Config::from_env()?;
    let filter = review.build_filter()?;
    let config = Config::from_lookup(&process_env, &review.deny_reason)?;
    let aws = load_aws_config(attempt_timeout(&process_env)?).await;
    let queue = SqsCommandQueue::new(aws_sdk_sqs::Client::new(&aws), config.queue_url.clone());
    let handler = Handler::new(filter, review, config, queue);
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        handler.handle(event)
    }))
    .await
}
