//! The chat-log-review function: moderate messages after delivery.
//!
//! IVS Chat delivers a message without review when the review handler
//! errors, times out or is throttled and the room's `FallbackResult` is
//! ALLOW, and a term added to a list today does nothing to what was
//! delivered this morning. Chat logging records every delivered message, so
//! this function, subscribed to the room's chat-logging log group (a
//! CloudWatch Logs subscription filter), reads each `MESSAGE` record seconds
//! after delivery and reviews it again:
//!
//! * with the review handler's own configuration (the same `REVIEW_*`
//!   variables, read by [`message_review::Config`]) and decision
//!   ([`message_review::decision`]), on one [`Filter`] built at init;
//! * a message that would now be denied or masked gets a `deleteMessage`
//!   command (the moderation queue's wire format, [`ivs_chat::Command`]) sent
//!   to the moderation queue, so the moderation-actions function's pacing
//!   under the API quota, its retries and its dead-letter queue apply;
//! * commands go in `SendMessageBatch` calls of ten, with the SDK's retries;
//!   an entry the queue still refuses is logged with its command and fails
//!   the invocation, so Lambda's asynchronous retries and the on-failure
//!   destination keep the batch (a retry may send a command twice: deleting a
//!   message twice is harmless).
//!
//! **Messages the handler already saw and allowed** cannot be told apart in
//! the log: a record carries the message as delivered and nothing about its
//! review. They need no telling apart, because the review is deterministic:
//! with an unchanged configuration a message the handler allowed is allowed
//! again (one review, about a microsecond, and no command), and one it
//! masked was logged with its masked text, which passes. Only messages the
//! handler never reviewed (the fallback let them through) or that today's
//! configuration catches become commands.
//!
//! The room comes from the log stream's name (`aws/IVSChatLogs/1.0/room_<id>`)
//! with the event's `owner` account and the function's region, or from
//! `ROOM_ARN` when the stream does not name one. A record that is not a chat
//! logging record, or a flagged message no command can be written for, is
//! logged and listed in the invocation's result, never dropped in silence.

use std::future::Future;

use aws_lambda_events::event::cloudwatch_logs::LogsEvent;
use chat_filter::Filter;
use ivs_chat::chat_log::{room_arn, room_id_from_log_stream, LogRecord};
use ivs_chat::env::{self, ConfigError};
use ivs_chat::limits::REASON_LEN;
use ivs_chat::{Command, DeleteMessage, RoomArn};
use lambda_runtime::{Diagnostic, LambdaEvent};
use message_review::{decision, judge, Decision};
use serde_json::{json, Value};

/// Variable: the URL of the moderation queue the commands go to.
pub const MODERATION_QUEUE_URL_VAR: &str = "MODERATION_QUEUE_URL";
/// Variable: the reason `deleteMessage` gives (1..=256 characters; default:
/// the first 256 characters of `REVIEW_DENY_REASON`).
pub const DELETE_REASON_VAR: &str = "DELETE_REASON";
/// Variable: the room of records whose log stream does not name one.
pub const ROOM_ARN_VAR: &str = "ROOM_ARN";
/// Variable (set by Lambda): the region room ARNs are built in.
pub const REGION_VAR: &str = "AWS_REGION";

/// The most entries in one `SendMessageBatch` call.
pub const QUEUE_BATCH: usize = 10;

/// The function's own configuration, read once at init.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where commands go.
    pub queue_url: String,
    /// The reason each `deleteMessage` gives.
    pub reason: String,
    /// The room of records whose stream names none.
    pub room: Option<RoomArn>,
    /// The region of the rooms named by log streams.
    pub region: Option<String>,
}

impl Config {
    /// Reads the configuration through `lookup`; `deny_reason` is the review
    /// configuration's, the default reason.
    pub fn from_lookup(
        lookup: &dyn Fn(&str) -> Option<String>,
        deny_reason: &str,
    ) -> Result<Config, ConfigError> {
        let queue_url = env::optional(lookup, MODERATION_QUEUE_URL_VAR).ok_or_else(|| {
            ConfigError::new(
                MODERATION_QUEUE_URL_VAR,
                "must be set to the moderation queue's URL",
            )
        })?;
        let reason = match env::optional(lookup, DELETE_REASON_VAR) {
            Some(reason) => {
                let n = reason.chars().count();
                if n > REASON_LEN.1 {
                    return Err(ConfigError::new(
                        DELETE_REASON_VAR,
                        format!("must be at most {} characters, got {n}", REASON_LEN.1),
                    ));
                }
                reason
            }
            None => deny_reason.chars().take(REASON_LEN.1).collect(),
        };
        let room = env::optional(lookup, ROOM_ARN_VAR)
            .map(|arn| RoomArn::parse(ROOM_ARN_VAR, &arn))
            .transpose()
            .map_err(|e| ConfigError::new(ROOM_ARN_VAR, e.problem))?;
        Ok(Config {
            queue_url,
            reason,
            room,
            region: env::optional(lookup, REGION_VAR),
        })
    }
}

/// One message for the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    /// The entry's id within its batch.
    pub id: String,
    /// The command's JSON text.
    pub body: String,
}

/// An entry the queue did not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedEntry {
    /// The entry's id within its batch.
    pub id: String,
    /// Why.
    pub error: String,
}

/// The moderation queue.
pub trait CommandQueue: Send + Sync {
    /// Sends up to [`QUEUE_BATCH`] entries; answers the entries that were not
    /// taken, or an error when the whole call failed.
    fn send_batch(
        &self,
        entries: &[QueueEntry],
    ) -> impl Future<Output = Result<Vec<FailedEntry>, String>> + Send;
}

/// [`CommandQueue`] on Amazon SQS.
#[derive(Debug, Clone)]
pub struct SqsCommandQueue {
    client: aws_sdk_sqs::Client,
    url: String,
}

impl SqsCommandQueue {
    /// The queue at `url`.
    pub fn new(client: aws_sdk_sqs::Client, url: String) -> Self {
        SqsCommandQueue { client, url }
    }
}

impl CommandQueue for SqsCommandQueue {
    async fn send_batch(&self, entries: &[QueueEntry]) -> Result<Vec<FailedEntry>, String> {
        let mut request = self.client.send_message_batch().queue_url(&self.url);
        for entry in entries {
            let built = aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
                .id(&entry.id)
                .message_body(&entry.body)
                .build()
                .map_err(|e| e.to_string())?;
            request = request.entries(built);
        }
        let output = request
            .send()
            .await
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?;
        Ok(output
            .failed()
            .iter()
            .map(|f| FailedEntry {
                id: f.id().to_string(),
                error: format!("{}: {}", f.code(), f.message().unwrap_or("no message")),
            })
            .collect())
    }
}

/// Why an invocation failed.
#[derive(Debug, thiserror::Error)]
pub enum LogReviewError {
    /// The event is not a CloudWatch Logs subscription event.
    #[error("not a CloudWatch Logs subscription event: {0}")]
    InvalidEvent(String),
    /// Commands the queue did not take (each is logged with its command).
    #[error("{failed} of {total} commands were not queued (first: {first})")]
    Queue {
        /// Commands not queued.
        failed: usize,
        /// Commands of the invocation.
        total: usize,
        /// The first failure's reason.
        first: String,
    },
}

impl From<LogReviewError> for Diagnostic {
    fn from(error: LogReviewError) -> Diagnostic {
        let error_type = match &error {
            LogReviewError::InvalidEvent(_) => "ChatLogReview.InvalidEvent",
            LogReviewError::Queue { .. } => "ChatLogReview.QueueFailed",
        };
        Diagnostic {
            error_type: error_type.to_string(),
            error_message: error.to_string(),
        }
    }
}

/// The handler: the review's filter and configuration, and the queue.
pub struct Handler<Q> {
    filter: Filter,
    review: message_review::Config,
    config: Config,
    queue: Q,
}

impl<Q: CommandQueue> Handler<Q> {
    /// A handler reviewing with `filter` (built from `review`) and sending
    /// to `queue`.
    pub fn new(filter: Filter, review: message_review::Config, config: Config, queue: Q) -> Self {
        Handler {
            filter,
            review,
            config,
            queue,
        }
    }

    /// The queue (tests inspect their fake through it).
    pub fn queue(&self) -> &Q {
        &self.queue
    }

    /// Reviews one subscription event's records and queues the commands.
    pub async fn handle(&self, event: LambdaEvent<Value>) -> Result<Value, LogReviewError> {
        // From text: the runtime type decodes `awslogs.data` from a borrowed
        // string, which a `Value` cannot lend.
        let event: LogsEvent = serde_json::from_str(&event.payload.to_string())
            .map_err(|e| LogReviewError::InvalidEvent(e.to_string()))?;
        let data = event.aws_logs.data;
        if data.message_type == "CONTROL_MESSAGE" {
            return Ok(json!({"messageType": data.message_type, "logEvents": 0}));
        }
        let room = room_id_from_log_stream(&data.log_stream)
            .zip(self.config.region.as_deref())
            .map(|(id, region)| room_arn(region, &data.owner, id))
            .or_else(|| self.config.room.as_ref().map(|r| r.to_string()));
        let mut messages = 0usize;
        let mut skipped = 0usize;
        let mut flagged = 0usize;
        let mut invalid = Vec::new();
        let mut commands: Vec<(String, String)> = Vec::new();
        for entry in &data.log_events {
            let message = match serde_json::from_str::<LogRecord<'_>>(&entry.message) {
                Ok(record) => record.into_message().map_err(str::to_string),
                Err(e) => Err(format!("not a chat logging record: {e}")),
            };
            let message = match message {
                Ok(Some(message)) => message,
                Ok(None) => {
                    skipped += 1;
                    continue;
                }
                Err(error) => {
                    tracing::error!(log_event_id = %entry.id, log_stream = %data.log_stream, error = %error, "record not reviewed");
                    invalid.push(json!({"logEventId": entry.id, "error": error}));
                    continue;
                }
            };
            messages += 1;
            let verdict = judge(
                &self.filter,
                &self.review,
                &message.content,
                &message.sender_attributes,
            );
            let action = match decision(&verdict) {
                Decision::Allow => continue,
                Decision::Mask(_) => "mask",
                Decision::Deny => "deny",
            };
            flagged += 1;
            let command = match room.as_deref() {
                None => Err(format!(
                    "the log stream {:?} names no room and {ROOM_ARN_VAR} is not set",
                    data.log_stream
                )),
                Some(room) => RoomArn::parse("roomArn", room)
                    .and_then(|room| {
                        DeleteMessage::new(room, &*message.id, Some(self.config.reason.clone()))
                    })
                    .map_err(|e| e.to_string()),
            };
            let rules = verdict.rule_names().join(",");
            match command {
                Ok(command) => {
                    tracing::info!(
                        room_arn = %command.room(),
                        message_id = %message.id,
                        user_id = %message.user_id,
                        action,
                        rules = %rules,
                        content = self.review.log_content.then_some(&*message.content),
                        "delivered message flagged: deleteMessage queued"
                    );
                    let body = Command::DeleteMessage(command).to_json().to_string();
                    commands.push((message.id.to_string(), body));
                }
                Err(error) => {
                    tracing::error!(log_event_id = %entry.id, message_id = %message.id, action, rules = %rules, error = %error, "flagged message cannot be deleted");
                    invalid.push(
                        json!({"logEventId": entry.id, "messageId": &*message.id, "error": error}),
                    );
                }
            }
        }
        let queued = self.send(&commands).await?;
        Ok(json!({
            "logEvents": data.log_events.len(),
            "messages": messages,
            "skipped": skipped,
            "flagged": flagged,
            "queued": queued,
            "invalid": invalid,
        }))
    }

    /// Sends the commands in batches; answers how many were queued, or the
    /// failure once every batch was tried.
    async fn send(&self, commands: &[(String, String)]) -> Result<usize, LogReviewError> {
        let mut failures: Vec<String> = Vec::new();
        for batch in commands.chunks(QUEUE_BATCH) {
            let entries: Vec<QueueEntry> = batch
                .iter()
                .enumerate()
                .map(|(i, (_, body))| QueueEntry {
                    id: format!("c{i}"),
                    body: body.clone(),
                })
                .collect();
            let failed = match self.queue.send_batch(&entries).await {
                Ok(failed) => failed,
                Err(error) => entries
                    .iter()
                    .map(|e| FailedEntry {
                        id: e.id.clone(),
                        error: error.clone(),
                    })
                    .collect(),
            };
            for failure in failed {
                let body = entries
                    .iter()
                    .find(|e| e.id == failure.id)
                    .map(|e| e.body.as_str())
                    .unwrap_or_default();
                tracing::error!(command = %body, error = %failure.error, "command not queued: the invocation fails so that Lambda retries it");
                failures.push(failure.error);
            }
        }
        match failures.first() {
            None => Ok(commands.len()),
            Some(first) => Err(LogReviewError::Queue {
                failed: failures.len(),
                total: commands.len(),
                first: first.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests;
