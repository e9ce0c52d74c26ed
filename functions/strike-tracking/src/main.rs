//! Lambda entry point for strike-tracking: read the policy and build the
//! DynamoDB and IVS Chat clients once, then serve batches of log lines.
//! A bad `ESCALATION_POLICY` or a missing `SANCTIONS_TABLE` stops init with
//! the variable (and, for the policy, the position) in the message.

use ivs_chat::env::process_env;
use ivs_chat::sdk::{attempt_timeout, load_aws_config, SdkRoomClient};
use lambda_init::init_failed;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use sanctions::enforce::Enforcer;
use sanctions::store::SanctionStore;
use serde_json::Value;
use std::process::ExitCode;
use strike_tracking::{Config, Tracker};

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
