//! What a sanction is, and whom it is for.
//!
//! A sanction belongs to a user in one room: IVS Chat user ids are chosen by
//! the app and mean nothing across rooms, and a ban in one show's chat is not
//! a ban everywhere. [`UserKey`] is that pair, written as one DynamoDB
//! partition key; everything about the user (strikes, sanctions, the active
//! sanction) lives under it, so one query reads it all.

use serde::{Deserialize, Serialize};

/// A user in a room: the partition everything about them is stored under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserKey {
    /// The room ARN.
    pub room_arn: String,
    /// The user id the chat token was issued for.
    pub user_id: String,
}

impl UserKey {
    /// The key for `user_id` in `room_arn`.
    pub fn new(room_arn: impl Into<String>, user_id: impl Into<String>) -> Self {
        UserKey {
            room_arn: room_arn.into(),
            user_id: user_id.into(),
        }
    }

    /// `room_arn|user_id`: a room ARN cannot contain `|`, so the first `|`
    /// always separates the two, whatever the user id holds.
    pub fn partition(&self) -> String {
        format!("{}|{}", self.room_arn, self.user_id)
    }
}

/// A timeout (read-only until it ends) or a ban (no token at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SanctionKind {
    /// The user may read but not send until the sanction ends.
    Timeout,
    /// The user gets no chat token until the sanction ends (or ever).
    Ban,
}

impl SanctionKind {
    /// `timeout` or `ban`.
    pub fn as_str(self) -> &'static str {
        match self {
            SanctionKind::Timeout => "timeout",
            SanctionKind::Ban => "ban",
        }
    }

    /// Reads `timeout` or `ban`.
    pub fn parse(text: &str) -> Option<SanctionKind> {
        match text {
            "timeout" => Some(SanctionKind::Timeout),
            "ban" => Some(SanctionKind::Ban),
            _ => None,
        }
    }

    /// The room event that announces it.
    pub fn event_name(self) -> &'static str {
        match self {
            SanctionKind::Timeout => "app:USER_TIMED_OUT",
            SanctionKind::Ban => "app:USER_BANNED",
        }
    }
}

/// One sanction, as stored and as enforced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanction {
    /// Whom it is for.
    pub user: UserKey,
    /// Its id, unique per user: derived from what caused it (the message id
    /// of the strike that crossed the threshold, or the moderator's command),
    /// so that the same cause delivered twice names the same sanction.
    pub id: String,
    /// Timeout or ban.
    pub kind: SanctionKind,
    /// When it was issued (ms since the epoch).
    pub issued_at_ms: i64,
    /// When it ends (ms since the epoch); `None` for a permanent ban.
    pub until_ms: Option<i64>,
    /// Why, as shown to the user and the room.
    pub reason: String,
    /// Who decided: `policy: <rule>` or `moderator`.
    pub source: String,
    /// Whether `DisconnectUser` has been done.
    pub disconnected: bool,
    /// Whether the room event has been sent.
    pub announced: bool,
}

impl Sanction {
    /// Whether it is in force at `now_ms`.
    pub fn in_force(&self, now_ms: i64) -> bool {
        self.until_ms.is_none_or(|until| until > now_ms)
    }

    /// The end as RFC 3339, or `never` for a permanent ban.
    pub fn until_text(&self) -> String {
        self.until_ms
            .map_or_else(|| "never".to_string(), crate::period::rfc3339)
    }
}
