//! Lambda entry point for moderation-actions: set up logging, read the
//! configuration and build the IVS Chat client once, then serve invocations.
//! Lambda sends one event at a time, so a single-threaded runtime is enough;
//! concurrency within an event comes from async I/O.

use ivs_chat::env::process_env;
use ivs_chat::sdk::{attempt_timeout, load_aws_config, SdkRoomClient};
use lambda_init::init_failed;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use moderation_actions::{Config, Handler};
use sanctions::store::{SanctionStore, TABLE_VAR};
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
    let mut handler = Handler::new(SdkRoomClient::new(&aws), config);
    // The sanction commands are on where the template gives the table.
    if let Some(table) = ivs_chat::env::optional(&process_env, TABLE_VAR) {
        handler = handler.with_sanctions(SanctionStore::new(&aws, table));
    }
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        handler.handle(event)
    }))
    .await
}
