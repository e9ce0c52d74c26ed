//! The `message-review` Lambda: wiring only.
//!
//! Init reads the configuration and builds the filter once; a configuration
//! error stops init (Lambda reports it and IVS Chat applies the room's
//! fallback result) rather than letting bad settings review messages. The
//! handler itself lives in the library, where it is tested.

use lambda_runtime::{service_fn, LambdaEvent};
use message_review::Reviewer;
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    ivs_chat::logging::init();

    let reviewer = match Reviewer::from_env() {
        Ok(reviewer) => reviewer,
        Err(error) => {
            tracing::error!(error = %error, "invalid configuration");
            // Reported to the Runtime API, so the invoker sees the message;
            // returned as text, so the exit message reads like the log line
            // rather than a debug dump of the error's fields.
            return Err(lambda_init::init_failed(error).into());
        }
    };

    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| {
        reviewer.handle(event)
    }))
    .await
}
