//! The chat-token function: IVS Chat tokens that respect the user's sanction.
//!
//! An IVS Chat client connects with a token that is valid for one minute and
//! opens a session of 1..=180 minutes; its capabilities decide whether the
//! holder may send. So the function that issues tokens is where a sanction
//! bites after `DisconnectUser` has closed the user's connections:
//!
//! * **banned**: no token; the error's type is `ChatToken.UserBanned` and
//!   its message gives the end (`until 2026-12-08T09:00:00Z`, or `never`);
//! * **timed out**: a token without `SEND_MESSAGE` (read-only) whose session
//!   ends no later than the timeout (rounded down to whole minutes, at least
//!   the API's one minute), so the user comes back for a full token once it
//!   is over;
//! * otherwise the token asked for.
//!
//! The app's backend invokes it directly (IAM `lambda:InvokeFunction`) with
//! the API's own request shape (`roomIdentifier`, `userId`, `attributes`,
//! `capabilities`, `sessionDurationInMinutes`); the request is validated
//! against the API's limits before DynamoDB or IVS Chat is called
//! ([`ChatTokenRequest::from_json`]).
//!
//! The sanction read is strongly consistent, and the item's end time is
//! compared with this function's clock rather than trusting DynamoDB's TTL,
//! which deletes expired items only eventually. The clock can be shifted
//! with `CLOCK_OFFSET_SECONDS`, to rehearse what happens when sanctions end.

use ivs_chat::env::{self, ConfigError};
use ivs_chat::{Capability, ChatTokenRequest, RoomError, TokenIssuer, ValidationError};
use lambda_runtime::{Diagnostic, LambdaEvent};
use sanctions::store::{SanctionStore, StoreError, TABLE_VAR};
use sanctions::{period, SanctionKind, UserKey};
use serde_json::{json, Value};

/// Variable: seconds added to the clock (for rehearsing sanction ends).
pub const CLOCK_OFFSET_VAR: &str = "CLOCK_OFFSET_SECONDS";

/// The largest clock offset accepted: one year either way.
pub const MAX_CLOCK_OFFSET_SECONDS: i64 = 366 * 86_400;

/// The function's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The DynamoDB table of sanctions (`SANCTIONS_TABLE`).
    pub table: String,
    /// Seconds added to the system clock (`CLOCK_OFFSET_SECONDS`, default 0).
    pub clock_offset_seconds: i64,
}

impl Config {
    /// Reads the configuration through `lookup`.
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let table = env::optional(lookup, TABLE_VAR).ok_or_else(|| {
            ConfigError::new(TABLE_VAR, "is required: the DynamoDB table of sanctions")
        })?;
        let clock_offset_seconds = env::number(
            lookup,
            CLOCK_OFFSET_VAR,
            0i64,
            -MAX_CLOCK_OFFSET_SECONDS..=MAX_CLOCK_OFFSET_SECONDS,
        )?;
        Ok(Config {
            table,
            clock_offset_seconds,
        })
    }
}

/// Why no token was issued.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The request is invalid; nothing was called.
    #[error("invalid token request: {0}")]
    Invalid(#[from] ValidationError),
    /// The user is banned from the room.
    #[error("{user_id} is banned from {room_arn} until {until}: {reason}")]
    Banned {
        /// The room.
        room_arn: String,
        /// The user.
        user_id: String,
        /// When the ban ends (RFC 3339), or `never`.
        until: String,
        /// Why.
        reason: String,
    },
    /// The sanction could not be read.
    #[error("reading the user's sanction failed: {0}")]
    Store(#[from] StoreError),
    /// IVS Chat refused or did not answer.
    #[error("CreateChatToken failed: {0}")]
    Failed(#[from] RoomError),
}

impl From<TokenError> for Diagnostic {
    fn from(err: TokenError) -> Diagnostic {
        let error_type = match &err {
            TokenError::Invalid(_) => "ValidationError".to_string(),
            TokenError::Banned { .. } => "ChatToken.UserBanned".to_string(),
            TokenError::Store(e) => format!("DynamoDB.{}", e.code),
            TokenError::Failed(e) => e.kind.as_str().to_string(),
        };
        Diagnostic {
            error_type,
            error_message: err.to_string(),
        }
    }
}

/// The handler.
pub struct Handler<T> {
    issuer: T,
    store: SanctionStore,
    config: Config,
}

impl<T: TokenIssuer> Handler<T> {
    /// A handler issuing through `issuer`, reading sanctions from `store`.
    pub fn new(issuer: T, store: SanctionStore, config: Config) -> Self {
        Handler {
            issuer,
            store,
            config,
        }
    }

    /// The issuer (tests inspect their fake through it).
    pub fn issuer(&self) -> &T {
        &self.issuer
    }

    fn now_ms(&self) -> i64 {
        period::now_ms() + self.config.clock_offset_seconds * 1000
    }

    /// Answers one token request.
    pub async fn handle(&self, event: LambdaEvent<Value>) -> Result<Value, TokenError> {
        let request = ChatTokenRequest::from_json(&event.payload).inspect_err(|e| {
            tracing::error!(field = %e.field, error = %e, "invalid token request");
        })?;
        let user = UserKey::new(request.room().as_str(), request.user_id());
        let now = self.now_ms();
        let sanction = self.store.active(&user).await?.filter(|s| s.in_force(now));
        let request = match &sanction {
            Some(s) if s.kind == SanctionKind::Ban => {
                tracing::info!(room_arn = %user.room_arn, user_id = %user.user_id, until = %s.until_text(), "token refused: banned");
                return Err(TokenError::Banned {
                    room_arn: user.room_arn,
                    user_id: user.user_id,
                    until: s.until_text(),
                    reason: s.reason.clone(),
                });
            }
            Some(s) => {
                let left_ms = s.until_ms.unwrap_or(i64::MAX) - now;
                let minutes = u32::try_from(left_ms / 60_000).unwrap_or(u32::MAX);
                request
                    .without(Capability::SendMessage)
                    .session_at_most(minutes)
            }
            None => request,
        };
        let token = self.issuer.create_chat_token(&request).await?;
        let capabilities: Vec<&str> = request.capabilities().iter().map(|c| c.as_str()).collect();
        tracing::info!(
            room_arn = %user.room_arn,
            user_id = %user.user_id,
            capabilities = %capabilities.join(","),
            sanction = sanction.as_ref().map_or("none", |s| s.kind.as_str()),
            "token issued"
        );
        Ok(json!({
            "token": token.token,
            "tokenExpirationTime": token.token_expiration_time,
            "sessionExpirationTime": token.session_expiration_time,
            "capabilities": capabilities,
            "sessionDurationInMinutes": request.session_duration_minutes(),
            "sanction": sanction.map(|s| json!({"kind": s.kind.as_str(), "until": s.until_text(), "reason": s.reason})),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_is_checked_by_name() {
        assert_eq!(Config::from_lookup(&|_| None).unwrap_err().name, TABLE_VAR);
        let lookup = |n: &str| match n {
            TABLE_VAR => Some("t".to_string()),
            CLOCK_OFFSET_VAR => Some("-600".to_string()),
            _ => None,
        };
        assert_eq!(
            Config::from_lookup(&lookup).unwrap().clock_offset_seconds,
            -600
        );
        let lookup = |n: &str| match n {
            TABLE_VAR => Some("t".to_string()),
            CLOCK_OFFSET_VAR => Some("soon".to_string()),
            _ => None,
        };
        assert_eq!(
            Config::from_lookup(&lookup).unwrap_err().name,
            CLOCK_OFFSET_VAR
        );
    }

    #[test]
    fn errors_have_types_that_say_what_happened() {
        let banned = Diagnostic::from(TokenError::Banned {
            room_arn: "r".into(),
            user_id: "u".into(),
            until: "2026-12-08T09:00:00Z".into(),
            reason: "spam".into(),
        });
        assert_eq!(banned.error_type, "ChatToken.UserBanned");
        assert_eq!(
            banned.error_message,
            "u is banned from r until 2026-12-08T09:00:00Z: spam"
        );
        let invalid = Diagnostic::from(TokenError::Invalid(ValidationError::new("userId", "x")));
        assert_eq!(invalid.error_type, "ValidationError");
    }
}
