//! Lambda entry point for chat-log-review: set up logging, read the review
//! configuration and build its filter once, build the SQS client once, then
//! serve subscription events. Lambda sends one event at a time, so a
//! single-threaded runtime is enough.

use chat_log_review::{Config, Handler, SqsCommandQueue};
use ivs_chat::env::process_env;
use ivs_chat::sdk::{attempt_timeout, load_aws_config};
use lambda_init::init_failed;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    ivs_chat::logging::init();
    ivs_chat::logging::exit_code(run().await)
}

async fn run() -> Result<(), Error> {
    // Init errors are reported to the Runtime API, so the invoker sees them.
    let review = message_review::Config::from_env().map_err(init_failed)?;
    let filter = review.build_filter().map_err(init_failed)?;
    let config = Config::from_lookup(&process_env, &review.deny_reason).map_err(init_failed)?;
    let aws = load_aws_config(attempt_timeout(&process_env).map_err(init_failed)?)
        .await
        .map_err(init_failed)?;
    let queue = SqsCommandQueue::new(aws_sdk_sqs::Client::new(&aws), config.queue_url.clone());
    let handler = Handler::new(filter, review, config, queue);
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        handler.handle(event)
    }))
    .await
}
