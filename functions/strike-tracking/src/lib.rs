//! The strike tracker: moderation that follows the offender.
//!
//! A CloudWatch Logs subscription filter on the review handler's log group
//! sends this function its decision records ([`sanctions::record`]) in
//! batches, as the gzip+base64 `awslogs` event. For each record, in order:
//!
//! 1. a strike worth the record's `strike_weight` is added for the (room,
//!    user), keyed on the message id, so a record delivered twice counts once;
//!    its time is the log event's timestamp, so a redelivered batch is judged
//!    exactly as the first delivery was;
//! 2. if a sanction caused by this very message exists, what is left of it
//!    is done (a retried batch resumes an interrupted sanction);
//! 3. otherwise the escalation policy decides on the user's strikes and
//!    sanctions in its windows; a timeout or ban goes through the
//!    [`Enforcer`]: a sanction item created once, `DisconnectUser` with the
//!    reason, and `app:USER_TIMED_OUT` / `app:USER_BANNED` sent to the room
//!    once.
//!
//! Failure handling. A log line that is not a decision record can never
//! become one: it is reported in an error log line and in the answer
//! (`rejected`), and the rest of the batch goes on. Any DynamoDB or IVS Chat
//! failure fails the invocation, so Lambda retries the whole batch (the
//! subscription invokes asynchronously: two retries, then the function's
//! on-failure destination); the steps above make that retry safe.

use std::time::Duration;

use aws_lambda_events::event::cloudwatch_logs::LogsEvent;
use ivs_chat::env::ConfigError;
use ivs_chat::RoomClient;
use lambda_runtime::{Diagnostic, LambdaEvent};
use sanctions::enforce::{EnforceError, Enforcer};
use sanctions::policy::POLICY_VAR;
use sanctions::store::TABLE_VAR;
use sanctions::{period, DecisionRecord, EscalationPolicy, Sanction, SanctionKind, UserKey};
use serde_json::{json, Value};

/// The function's configuration, read once at init.
#[derive(Debug, Clone)]
pub struct Config {
    /// The DynamoDB table (`SANCTIONS_TABLE`).
    pub table: String,
    /// The policy (`ESCALATION_POLICY`).
    pub policy: EscalationPolicy,
}

impl Config {
    /// Reads the configuration through `lookup`.
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let table = ivs_chat::env::optional(lookup, TABLE_VAR).ok_or_else(|| {
            ConfigError::new(
                TABLE_VAR,
                "is required: the DynamoDB table of strikes and sanctions",
            )
        })?;
        let policy = EscalationPolicy::from_lookup(lookup).map_err(|e| {
            ConfigError::new(
                POLICY_VAR,
                format!("at character {}: {}", e.position, e.problem),
            )
        })?;
        Ok(Config { table, policy })
    }
}

/// Why a batch failed (and will be retried).
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    /// The event is not an `awslogs` event.
    #[error("not a CloudWatch Logs subscription event: {0}")]
    InvalidEvent(String),
    /// Recording or enforcing failed; the batch is retried.
    #[error("log event {log_event_id} (message {message_id}): {source}")]
    Enforce {
        /// The log event being handled.
        log_event_id: String,
        /// The record's message id.
        message_id: String,
        /// What failed.
        source: EnforceError,
    },
}

impl From<TrackError> for Diagnostic {
    fn from(err: TrackError) -> Diagnostic {
        let error_type = match &err {
            TrackError::InvalidEvent(_) => "StrikeTracking.InvalidEvent".to_string(),
            TrackError::Enforce { source, .. } => source.error_type(),
        };
        Diagnostic {
            error_type,
            error_message: err.to_string(),
        }
    }
}

/// What one record led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tracked {
    /// A new strike, below every threshold.
    Counted,
    /// The record had already counted, and nothing was left to do.
    Duplicate,
    /// The record was worth no strikes.
    Weightless,
    /// A sanction is in force because of it (new, or resumed).
    Sanctioned(Sanction),
}

/// The handler.
pub struct Tracker<C> {
    enforcer: Enforcer<C>,
    policy: EscalationPolicy,
}

impl<C: RoomClient> Tracker<C> {
    /// A tracker enforcing `policy` through `enforcer`.
    pub fn new(enforcer: Enforcer<C>, policy: EscalationPolicy) -> Self {
        Tracker { enforcer, policy }
    }

    /// The enforcer (tests inspect their fake room client through it).
    pub fn enforcer(&self) -> &Enforcer<C> {
        &self.enforcer
    }

    /// How long strikes and past sanctions are kept: the longest window.
    fn keep(&self) -> Duration {
        self.policy.longest_window()
    }

    /// Handles one `awslogs` batch.
    pub async fn handle(&self, event: LambdaEvent<Value>) -> Result<Value, TrackError> {
        // Read from text, not from the `Value`: the `awslogs` deserializer
        // borrows its keys, which only a text source can lend.
        let text = event.payload.to_string();
        let logs: LogsEvent =
            serde_json::from_str(&text).map_err(|e| TrackError::InvalidEvent(e.to_string()))?;
        let data = logs.aws_logs.data;
        let mut counted = 0;
        let mut duplicates = 0;
        let mut sanctions = Vec::new();
        let mut rejected = Vec::new();
        for entry in &data.log_events {
            let record = match DecisionRecord::from_line(&entry.message) {
                Ok(record) => record,
                Err(e) => {
                    tracing::error!(
                        log_group = %data.log_group,
                        log_stream = %data.log_stream,
                        log_event_id = %entry.id,
                        error = %e,
                        line = %entry.message,
                        "log line is not a decision record: reported, not counted"
                    );
                    rejected.push(json!({"id": entry.id, "error": e.to_string()}));
                    continue;
                }
            };
            let tracked = self
                .track(&record, entry.timestamp)
                .await
                .map_err(|source| TrackError::Enforce {
                    log_event_id: entry.id.clone(),
                    message_id: record.message_id.clone(),
                    source,
                })?;
            match tracked {
                Tracked::Counted => counted += 1,
                Tracked::Duplicate => duplicates += 1,
                Tracked::Weightless => {}
                Tracked::Sanctioned(s) => {
                    sanctions.push(json!({
                        "roomArn": s.user.room_arn,
                        "userId": s.user.user_id,
                        "kind": s.kind.as_str(),
                        "until": s.until_text(),
                        "sanctionId": s.id,
                    }));
                }
            }
        }
        Ok(json!({
            "records": data.log_events.len() - rejected.len(),
            "counted": counted,
            "duplicates": duplicates,
            "sanctions": sanctions,
            "rejected": rejected,
        }))
    }

    /// Tracks one record, seen at `at_ms`.
    pub async fn track(
        &self,
        record: &DecisionRecord,
        at_ms: i64,
    ) -> Result<Tracked, EnforceError> {
        if record.strike_weight == 0 {
            return Ok(Tracked::Weightless);
        }
        let user = UserKey::new(&record.room_arn, &record.user_id);
        let store = self.enforcer.store();
        let new = store
            .add_strike(
                &user,
                &record.message_id,
                at_ms,
                record.strike_weight,
                self.keep(),
            )
            .await?;
        let history = store.history(&user).await?;
        if let Some(earlier) = history.sanctions.iter().find(|s| s.id == record.message_id) {
            if earlier.disconnected && earlier.announced {
                return Ok(Tracked::Duplicate);
            }
            let done = self.enforcer.carry_out(earlier.clone()).await?;
            return Ok(Tracked::Sanctioned(done));
        }
        let Some(outcome) = self
            .policy
            .decide(at_ms, &history.strikes, &history.sanctions)
        else {
            return Ok(if new {
                Tracked::Counted
            } else {
                Tracked::Duplicate
            });
        };
        let until_ms = outcome.duration.map(|d| at_ms + period::millis(d));
        let how_long = outcome.duration.map_or_else(
            || "permanently".to_string(),
            |d| format!("for {}", period::format(d)),
        );
        let reason = match outcome.kind {
            SanctionKind::Timeout => format!("Timed out {how_long} ({})", outcome.rule),
            SanctionKind::Ban => format!("Banned {how_long} ({})", outcome.rule),
        };
        let sanction = Sanction {
            user,
            id: record.message_id.clone(),
            kind: outcome.kind,
            issued_at_ms: at_ms,
            until_ms,
            reason,
            source: format!("policy: {}", outcome.rule),
            disconnected: false,
            announced: false,
        };
        let done = self.enforcer.impose(&sanction, self.keep()).await?;
        Ok(Tracked::Sanctioned(done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_required_and_a_bad_policy_names_its_position() {
        let err = Config::from_lookup(&|_| None).unwrap_err();
        assert_eq!(err.name, TABLE_VAR);
        let lookup = |name: &str| match name {
            TABLE_VAR => Some("t".to_string()),
            POLICY_VAR => Some("3 strikes in 10m: timeout".to_string()),
            _ => None,
        };
        let err = Config::from_lookup(&lookup).unwrap_err();
        assert_eq!(
            err.to_string(),
            "ESCALATION_POLICY: at character 26: expected the timeout's duration (timeout 10m)"
        );
        let config =
            Config::from_lookup(&|name: &str| (name == TABLE_VAR).then(|| "t".into())).unwrap();
        assert_eq!(config.policy.rules().len(), 2);
    }
}
