//! Moderators' own sanctions: `timeoutUser`, `banUser` and `liftSanction`.
//!
//! They are read by [`SanctionCommand`] (validated like the room commands:
//! field names and limits in the errors) and carried out by the same
//! [`Enforcer`] as the strike tracker's automatic sanctions, so a moderator's
//! timeout disconnects the user, announces itself once and makes the
//! chat-token function issue read-only tokens exactly as an automatic one.
//! They need the sanctions table (`SANCTIONS_TABLE`); without it they are
//! refused with an error saying so, and the room commands work as before.

use ivs_chat::RoomClient;
use sanctions::enforce::{EnforceError, Enforcer};
use sanctions::policy::MAX_WINDOW;
use sanctions::store::SanctionStore;
use sanctions::{period, Sanction, SanctionCommand, UserKey};
use serde_json::{json, Value};

/// Why a sanction command failed.
#[derive(Debug, thiserror::Error)]
pub enum SanctionError {
    /// No table is configured.
    #[error("{action} needs the sanctions table: set SANCTIONS_TABLE")]
    NotConfigured {
        /// The command's action.
        action: &'static str,
    },
    /// Storing or enforcing failed.
    #[error("{action} failed: {source}")]
    Failed {
        /// The command's action.
        action: &'static str,
        /// What failed.
        source: EnforceError,
    },
}

impl SanctionError {
    /// The error type reported to Lambda.
    pub fn error_type(&self) -> String {
        match self {
            SanctionError::NotConfigured { .. } => "SanctionsNotConfigured".to_string(),
            SanctionError::Failed { source, .. } => source.error_type(),
        }
    }
}

/// Carries out `command` at `now_ms` through `store` and `rooms`. `cause`
/// names the sanction when the delivery has an id of its own (an SQS
/// message: redelivered, it finds the sanction it already created and does
/// only what is left); otherwise the sanction is named by its time.
pub async fn run<C: RoomClient>(
    store: Option<&SanctionStore>,
    rooms: C,
    command: &SanctionCommand,
    now_ms: i64,
    cause: Option<&str>,
) -> Result<Value, SanctionError> {
    let action = command.action();
    let store = store.ok_or(SanctionError::NotConfigured { action })?;
    let enforcer = Enforcer::new(store.clone(), rooms);
    let failed = |source| SanctionError::Failed { action, source };
    match command {
        SanctionCommand::Impose {
            kind,
            room,
            user_id,
            duration,
            reason,
        } => {
            let sanction = Sanction {
                user: UserKey::new(room.as_str(), user_id),
                id: cause.map_or_else(|| format!("moderator-{now_ms}"), str::to_string),
                kind: *kind,
                issued_at_ms: now_ms,
                until_ms: duration.map(|d| now_ms + period::millis(d)),
                reason: reason.clone(),
                source: "moderator".to_string(),
                disconnected: false,
                announced: false,
            };
            let done = enforcer
                .impose(&sanction, MAX_WINDOW)
                .await
                .map_err(failed)?;
            Ok(json!({
                "action": action,
                "roomArn": room.as_str(),
                "userId": user_id,
                "status": "done",
                "sanctionId": done.id,
                "until": done.until_text(),
            }))
        }
        SanctionCommand::Lift {
            room,
            user_id,
            reason,
        } => {
            let user = UserKey::new(room.as_str(), user_id);
            let removed = enforcer.lift(&user).await.map_err(failed)?;
            tracing::info!(
                room_arn = %room,
                user_id = %user_id,
                reason = reason.as_deref().unwrap_or_default(),
                items_removed = removed,
                "sanction lifted"
            );
            Ok(json!({
                "action": action,
                "roomArn": room.as_str(),
                "userId": user_id,
                "status": "done",
                "itemsRemoved": removed,
            }))
        }
    }
}
