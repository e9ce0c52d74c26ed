//! The moderation-actions function: run moderation commands against IVS Chat rooms.
//!
//! A command (`{"action": "disconnectUser" | "deleteMessage" | "sendEvent",
//! "roomArn", ...}`, see [`ivs_chat::Command`]) arrives one of three ways, told
//! apart by the event's shape:
//!
//! * **SQS** (`{"Records": [...]}`): every record is validated, the valid
//!   ones run with bounded concurrency and paced under the API quota, and the
//!   function answers a partial batch response listing only the records that
//!   failed. SQS retries just those; after the queue's `maxReceiveCount` they
//!   move to the dead-letter queue. An invalid command is reported as failed
//!   too, so it is never deleted unseen: it ends in the dead-letter queue after
//!   the bounded number of receives instead of being retried without end or
//!   lost. The function never fails the whole batch.
//! * **EventBridge** (`{"detail-type": ..., "detail": {command}}`): the command
//!   runs; a failure is returned as a function error, so Lambda's asynchronous
//!   retries and on-failure destination apply.
//! * **Direct invocation** (the command itself): the result is returned to the
//!   caller, or an error whose type names the failure (`ValidationError`,
//!   `ThrottlingException`, ...).
//!
//! The handler is generic over [`RoomClient`], so tests drive it with a fake.
//!
//! Moderators' own sanctions (`timeoutUser`, `banUser`, `liftSanction`)
//! arrive the same three ways and are carried out by [`sanction`], through the
//! same enforcer as the strike tracker's.

pub mod sanction;

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use ivs_chat::env::{self, ConfigError};
use ivs_chat::pace::{run_bounded, RateLimiter};
use ivs_chat::{execute, Command, RoomClient, RoomError, ValidationError};
use lambda_runtime::{Diagnostic, LambdaEvent};
use sanctions::store::SanctionStore;
use sanctions::SanctionCommand;
use serde_json::{json, Value};

/// Variable: the most commands of one SQS batch in flight at once (1..=100, default 10).
pub const MAX_CONCURRENCY_VAR: &str = "MAX_CONCURRENCY";
/// Variable: the most requests this instance starts per second (1..=100, default 25).
pub const RATE_LIMIT_VAR: &str = "RATE_LIMIT_PER_SECOND";

/// The function's configuration, read once at init.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Commands of one batch in flight at once.
    pub max_concurrency: usize,
    /// Requests started per second by one instance. IVS Chat allows 100/s per
    /// operation for the whole account: this times the SQS event source's
    /// maximum concurrency, plus the other senders, should stay below it.
    pub rate_per_second: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_concurrency: 10,
            rate_per_second: 25,
        }
    }
}

impl Config {
    /// Reads the configuration through `lookup` (an environment variable reader).
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let defaults = Config::default();
        Ok(Config {
            max_concurrency: env::number(
                lookup,
                MAX_CONCURRENCY_VAR,
                defaults.max_concurrency,
                1..=100,
            )?,
            rate_per_second: env::number(
                lookup,
                RATE_LIMIT_VAR,
                defaults.rate_per_second,
                1..=100,
            )?,
        })
    }
}

/// Why an EventBridge or direct command failed (SQS failures are reported
/// per record instead).
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// The command is invalid; the error names the field.
    #[error("invalid command: {0}")]
    Invalid(#[from] ValidationError),
    /// IVS Chat refused or did not answer.
    #[error("{action} on {room} failed: {source}")]
    Failed {
        /// The command's action.
        action: &'static str,
        /// The command's room.
        room: String,
        /// What went wrong, with its class.
        source: RoomError,
    },
    /// A sanction command failed.
    #[error(transparent)]
    Sanction(#[from] sanction::SanctionError),
    /// The event is neither an SQS batch, an EventBridge event nor a command.
    #[error("unrecognised event: {0}")]
    UnrecognisedEvent(String),
}

impl From<ActionError> for Diagnostic {
    fn from(err: ActionError) -> Diagnostic {
        let error_type = match &err {
            ActionError::Invalid(_) => "ValidationError".to_string(),
            ActionError::Failed { source, .. } => source.kind.as_str().to_string(),
            ActionError::Sanction(e) => e.error_type(),
            ActionError::UnrecognisedEvent(_) => "UnrecognisedEvent".to_string(),
        };
        Diagnostic {
            error_type,
            error_message: err.to_string(),
        }
    }
}

/// How a command reached the function.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// An SQS batch.
    Sqs(SqsEvent),
    /// An EventBridge event's `detail`.
    EventBridge(Value),
    /// A command, invoked directly.
    Direct(Value),
}

impl Trigger {
    /// Tells the triggers apart by shape: `Records` is SQS, `detail-type`
    /// with `detail` is EventBridge, anything else is a direct command.
    pub fn of(event: Value) -> Result<Trigger, ActionError> {
        let Value::Object(map) = &event else {
            return Err(ActionError::UnrecognisedEvent(format!(
                "expected a JSON object, got {event}"
            )));
        };
        if map.contains_key("Records") {
            return serde_json::from_value(event)
                .map(Trigger::Sqs)
                .map_err(|e| ActionError::UnrecognisedEvent(format!("not an SQS batch: {e}")));
        }
        if map.contains_key("detail-type") {
            let detail = map.get("detail").cloned().unwrap_or(Value::Null);
            return Ok(Trigger::EventBridge(detail));
        }
        Ok(Trigger::Direct(event))
    }
}

/// The moderation-actions handler.
pub struct Handler<C> {
    client: C,
    config: Config,
    limiter: RateLimiter,
    sanctions: Option<SanctionStore>,
}

impl<C: RoomClient> Handler<C> {
    /// A handler over `client`.
    pub fn new(client: C, config: Config) -> Self {
        let limiter = RateLimiter::per_second(config.rate_per_second);
        Handler {
            client,
            config,
            limiter,
            sanctions: None,
        }
    }

    /// Enables the sanction commands, stored in `store`.
    pub fn with_sanctions(mut self, store: SanctionStore) -> Self {
        self.sanctions = Some(store);
        self
    }

    async fn run_sanction(
        &self,
        value: &Value,
        source: &'static str,
        cause: Option<&str>,
    ) -> Result<Value, ActionError> {
        let command = SanctionCommand::from_json(value).inspect_err(|e| {
            tracing::error!(source, error_class = "permanent", error_type = "ValidationError", field = %e.field, error = %e, "invalid command");
        })?;
        self.limiter.acquire().await;
        // Boxed: the enforcer's nested futures are deep enough to overflow
        // the compiler's layout query when inlined into the handler's.
        let result = Box::pin(sanction::run(
            self.sanctions.as_ref(),
            &self.client,
            &command,
            sanctions::period::now_ms(),
            cause,
        ))
        .await;
        match &result {
            Ok(_) => {
                tracing::info!(source, action = command.action(), room_arn = %command.room(), "command done")
            }
            Err(e) => {
                tracing::error!(source, action = command.action(), room_arn = %command.room(), error_type = %e.error_type(), error = %e, "command failed")
            }
        }
        Ok(result?)
    }

    /// The room client (tests inspect their fake through it).
    pub fn client(&self) -> &C {
        &self.client
    }

    /// Handles one invocation: an SQS batch answers a partial batch
    /// response, an EventBridge event or a direct command answers the result.
    pub async fn handle(&self, event: LambdaEvent<Value>) -> Result<Value, ActionError> {
        match Trigger::of(event.payload)? {
            Trigger::Sqs(batch) => {
                let response = self.handle_batch(batch).await;
                // Written out field by field: nothing here can fail, so no
                // failure can be lost to a serialisation fallback.
                let failures: Vec<Value> = response
                    .batch_item_failures
                    .iter()
                    .map(|f| json!({"itemIdentifier": f.item_identifier}))
                    .collect();
                Ok(json!({"batchItemFailures": failures}))
            }
            Trigger::EventBridge(detail) => self.run_one(&detail, "eventbridge").await,
            Trigger::Direct(command) => self.run_one(&command, "direct").await,
        }
    }

    async fn run_one(&self, command: &Value, source: &'static str) -> Result<Value, ActionError> {
        if SanctionCommand::is_sanction(command) {
            return self.run_sanction(command, source, None).await;
        }
        let command = Command::from_json(command).inspect_err(|e| {
            tracing::error!(
                source,
                error_class = "permanent",
                error_type = "ValidationError",
                field = %e.field,
                error = %e,
                "invalid command"
            );
        })?;
        self.limiter.acquire().await;
        match execute(&self.client, &command).await {
            Ok(output) => {
                log_success(source, &command, None);
                let mut result = json!({"action": command.action(), "roomArn": command.room().as_str(), "status": "done"});
                if let Some(id) = output.id {
                    result["id"] = Value::String(id);
                }
                Ok(result)
            }
            Err(source_err) => {
                log_failure(source, &command, None, &source_err);
                Err(ActionError::Failed {
                    action: command.action(),
                    room: command.room().to_string(),
                    source: source_err,
                })
            }
        }
    }

    /// Runs an SQS batch and answers the ids of the records that failed.
    pub async fn handle_batch(&self, batch: SqsEvent) -> SqsBatchResponse {
        let mut failed: Vec<String> = Vec::new();
        let mut valid: Vec<(String, Command)> = Vec::new();
        for record in batch.records {
            let id = record.message_id.unwrap_or_default();
            let body = record.body.as_deref().unwrap_or_default();
            if let Some(value) = serde_json::from_str::<Value>(body)
                .ok()
                .filter(SanctionCommand::is_sanction)
            {
                // Sanctions are rare and touch one user each: run in order,
                // outside the concurrent room commands.
                // The SQS message id names the sanction, so a redelivered
                // message finds the sanction it already created.
                let cause = format!("sqs-{id}");
                if self
                    .run_sanction(&value, "sqs", Some(&cause))
                    .await
                    .is_err()
                {
                    failed.push(id);
                }
                continue;
            }
            match Command::from_json_str(record.body.as_deref().unwrap_or_default()) {
                Ok(command) => valid.push((id, command)),
                Err(e) => {
                    tracing::error!(
                        source = "sqs",
                        message_id = %id,
                        error_class = "permanent",
                        error_type = "ValidationError",
                        field = %e.field,
                        error = %e,
                        "invalid command: reported as failed so it reaches the dead-letter queue"
                    );
                    failed.push(id);
                }
            }
        }
        let results = run_bounded(
            valid,
            self.config.max_concurrency,
            &self.limiter,
            |(id, command)| async move {
                let result = execute(&self.client, &command).await;
                (id, command, result)
            },
        )
        .await;
        for (id, command, result) in results {
            match result {
                Ok(_) => log_success("sqs", &command, Some(&id)),
                Err(e) => {
                    log_failure("sqs", &command, Some(&id), &e);
                    failed.push(id);
                }
            }
        }
        // Report failures in a stable order (the batch's order).
        let mut response = SqsBatchResponse::default();
        response.batch_item_failures = failed
            .into_iter()
            .map(|id| {
                let mut f = BatchItemFailure::default();
                f.item_identifier = id;
                f
            })
            .collect();
        response
    }
}

fn log_success(source: &str, command: &Command, message_id: Option<&str>) {
    tracing::info!(
        source,
        message_id = message_id.unwrap_or_default(),
        action = command.action(),
        room_arn = %command.room(),
        "command done"
    );
}

fn log_failure(source: &str, command: &Command, message_id: Option<&str>, e: &RoomError) {
    tracing::error!(
        source,
        message_id = message_id.unwrap_or_default(),
        action = command.action(),
        room_arn = %command.room(),
        error_class = e.class().as_str(),
        error_type = e.kind.as_str(),
        error = %e.message,
        "command failed"
    );
}

#[cfg(test)]
mod tests;
