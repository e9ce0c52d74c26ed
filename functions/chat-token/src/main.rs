//! Lambda entry point for chat-token: read the configuration and build the
//! DynamoDB and IVS Chat clients once, then answer token requests.

use chat_token::{Config, Handler};
use ivs_chat::env::process_env;
use ivs_chat::sdk::{attempt_timeout, load_aws_config, SdkRoomClient};
use lambda_init::init_failed;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use sanctions::store::SanctionStore;
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
    let store = SanctionStore::new(&aws, &config.table);
    let handler = Handler::new(SdkRoomClient::new(&aws), store, config);
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        handler.handle(event)
    }))
    .await
}
