//! Moderators' own sanctions, as commands: `timeoutUser`, `banUser` and
//! `liftSanction`.
//!
//! They share the wire format of `ivs-chat`'s room commands (`{"action":
//! ..., "roomArn": ..., "userId": ...}`) and its [`ValidationError`], so a
//! moderator's tool gets the same kind of error for either: the field and
//! the limit. A [`SanctionCommand`] can only hold a command that can be
//! carried out: the room ARN matches the API's pattern, the user id and the
//! reason fit `DisconnectUser`'s limits (the reason is also what the user is
//! disconnected with), and the duration is within [`TIMEOUT_RANGE`] or
//! [`BAN_RANGE`].

use std::time::Duration;

use ivs_chat::limits::{REASON_LEN, USER_ID_LEN};
use ivs_chat::{RoomArn, ValidationError};
use serde_json::{Map, Value};

use crate::period;
use crate::sanction::SanctionKind;

/// The actions this module reads.
pub const ACTIONS: [&str; 3] = ["timeoutUser", "banUser", "liftSanction"];

/// The fields a sanction command may carry.
pub const FIELDS: [&str; 5] = ["action", "roomArn", "userId", "duration", "reason"];

/// Shortest and longest timeout.
pub const TIMEOUT_RANGE: (Duration, Duration) =
    (Duration::from_secs(60), Duration::from_secs(14 * 86_400));

/// Shortest and longest ban with a duration (no duration: permanent).
pub const BAN_RANGE: (Duration, Duration) =
    (Duration::from_secs(60), Duration::from_secs(3650 * 86_400));

/// A validated sanction command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SanctionCommand {
    /// Read-only for `duration`.
    Impose {
        /// Timeout or ban.
        kind: SanctionKind,
        /// The room.
        room: RoomArn,
        /// The user.
        user_id: String,
        /// How long; `None` for a permanent ban.
        duration: Option<Duration>,
        /// Why (shown to the user and the room).
        reason: String,
    },
    /// Clears the user's sanction and strikes in the room.
    Lift {
        /// The room.
        room: RoomArn,
        /// The user.
        user_id: String,
        /// Why, for the log.
        reason: Option<String>,
    },
}

fn string(map: &Map<String, Value>, field: &str) -> Result<Option<String>, ValidationError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ValidationError::new(field, "must be a string")),
    }
}

fn chars(field: &str, value: &str, (min, max): (usize, usize)) -> Result<(), ValidationError> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(ValidationError::new(
            field,
            format!("must be {min}..={max} characters long, got {n}"),
        ));
    }
    Ok(())
}

fn duration(text: &str, (min, max): (Duration, Duration)) -> Result<Duration, ValidationError> {
    let d = period::parse(text).map_err(|p| ValidationError::new("duration", p))?;
    if d < min || d > max {
        return Err(ValidationError::new(
            "duration",
            format!(
                "must be {}..={}, got {}",
                period::format(min),
                period::format(max),
                period::format(d)
            ),
        ));
    }
    Ok(d)
}

impl SanctionCommand {
    /// Whether `value` names one of [`ACTIONS`] (and so belongs here rather
    /// than to the room commands).
    pub fn is_sanction(value: &Value) -> bool {
        value
            .get("action")
            .and_then(Value::as_str)
            .is_some_and(|a| ACTIONS.contains(&a))
    }

    /// Reads and validates a sanction command.
    ///
    /// ```
    /// use sanctions::SanctionCommand;
    /// let room = "arn:aws:ivschat:us-west-2:123456789012:room/abc";
    /// let ok = SanctionCommand::from_json(&serde_json::json!({
    ///     "action": "timeoutUser", "roomArn": room, "userId": "u1", "duration": "10m", "reason": "spam"
    /// }));
    /// assert!(ok.is_ok());
    /// let err = SanctionCommand::from_json(&serde_json::json!({
    ///     "action": "timeoutUser", "roomArn": room, "userId": "u1", "duration": "30d", "reason": "spam"
    /// })).unwrap_err();
    /// assert_eq!(err.to_string(), "duration: must be 1m..=14d, got 30d");
    /// ```
    pub fn from_json(value: &Value) -> Result<SanctionCommand, ValidationError> {
        let Value::Object(map) = value else {
            return Err(ValidationError::new("command", "must be a JSON object"));
        };
        if let Some(unknown) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(ValidationError::new(
                unknown.as_str(),
                format!(
                    "is not a sanction command field (expected one of {})",
                    FIELDS.join(", ")
                ),
            ));
        }
        let action = string(map, "action")?.unwrap_or_default();
        let room = string(map, "roomArn")?
            .ok_or_else(|| ValidationError::new("roomArn", format!("is required by {action}")))?;
        let room = RoomArn::parse("roomArn", &room)?;
        let user_id = string(map, "userId")?
            .ok_or_else(|| ValidationError::new("userId", format!("is required by {action}")))?;
        chars("userId", &user_id, USER_ID_LEN)?;
        let reason = string(map, "reason")?;
        if let Some(r) = &reason {
            chars("reason", r, REASON_LEN)?;
        }
        let text = string(map, "duration")?;
        match action.as_str() {
            "timeoutUser" | "banUser" => {
                let reason = reason.ok_or_else(|| {
                    ValidationError::new("reason", format!("is required by {action}"))
                })?;
                let (kind, duration) = if action == "timeoutUser" {
                    let text = text.ok_or_else(|| {
                        ValidationError::new("duration", "is required by timeoutUser (10m)")
                    })?;
                    (SanctionKind::Timeout, Some(duration(&text, TIMEOUT_RANGE)?))
                } else {
                    let d = text.map(|t| duration(&t, BAN_RANGE)).transpose()?;
                    (SanctionKind::Ban, d)
                };
                Ok(SanctionCommand::Impose {
                    kind,
                    room,
                    user_id,
                    duration,
                    reason,
                })
            }
            "liftSanction" => {
                if text.is_some() {
                    return Err(ValidationError::new(
                        "duration",
                        "is not accepted by liftSanction",
                    ));
                }
                Ok(SanctionCommand::Lift {
                    room,
                    user_id,
                    reason,
                })
            }
            other => Err(ValidationError::new(
                "action",
                format!("must be one of {}, got {other:?}", ACTIONS.join(", ")),
            )),
        }
    }

    /// The command's action name.
    pub fn action(&self) -> &'static str {
        match self {
            SanctionCommand::Impose {
                kind: SanctionKind::Timeout,
                ..
            } => "timeoutUser",
            SanctionCommand::Impose { .. } => "banUser",
            SanctionCommand::Lift { .. } => "liftSanction",
        }
    }

    /// The command's room.
    pub fn room(&self) -> &RoomArn {
        match self {
            SanctionCommand::Impose { room, .. } | SanctionCommand::Lift { room, .. } => room,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

    fn field_of(v: Value) -> String {
        SanctionCommand::from_json(&v).unwrap_err().field
    }

    #[test]
    fn valid_commands_are_read() {
        let ban = SanctionCommand::from_json(
            &json!({"action": "banUser", "roomArn": ROOM, "userId": "u", "reason": "r"}),
        )
        .unwrap();
        assert!(matches!(
            ban,
            SanctionCommand::Impose {
                kind: SanctionKind::Ban,
                duration: None,
                ..
            }
        ));
        assert_eq!(ban.action(), "banUser");
        let lift = SanctionCommand::from_json(
            &json!({"action": "liftSanction", "roomArn": ROOM, "userId": "u"}),
        )
        .unwrap();
        assert_eq!(lift.action(), "liftSanction");
        assert_eq!(lift.room().as_str(), ROOM);
        assert!(SanctionCommand::is_sanction(&json!({"action": "banUser"})));
        assert!(!SanctionCommand::is_sanction(
            &json!({"action": "disconnectUser"})
        ));
    }

    #[test]
    fn errors_name_the_field_and_the_limit() {
        let base = json!({"action": "timeoutUser", "roomArn": ROOM, "userId": "u", "duration": "10m", "reason": "r"});
        let with = |k: &str, v: Value| {
            let mut c = base.clone();
            c[k] = v;
            c
        };
        assert_eq!(field_of(with("roomArn", json!("room/x"))), "roomArn");
        assert_eq!(field_of(with("userId", json!("u".repeat(129)))), "userId");
        assert_eq!(field_of(with("userId", json!(""))), "userId");
        assert_eq!(field_of(with("reason", json!("r".repeat(257)))), "reason");
        assert_eq!(field_of(with("reason", json!(5))), "reason");
        assert_eq!(field_of(with("duration", json!("30s"))), "duration");
        assert_eq!(field_of(with("duration", json!("ten"))), "duration");
        assert_eq!(
            field_of(with("durationMinutes", json!(5))),
            "durationMinutes"
        );
        assert_eq!(field_of(with("action", json!("muteUser"))), "action");
        let mut no_reason = base.clone();
        no_reason.as_object_mut().unwrap().remove("reason");
        assert_eq!(field_of(no_reason), "reason");
        let mut no_duration = base;
        no_duration.as_object_mut().unwrap().remove("duration");
        assert_eq!(field_of(no_duration), "duration");
        assert_eq!(
            field_of(
                json!({"action": "liftSanction", "roomArn": ROOM, "userId": "u", "duration": "1m"})
            ),
            "duration"
        );
        assert_eq!(
            field_of(json!({"action": "banUser", "userId": "u", "reason": "r"})),
            "roomArn"
        );
        assert_eq!(field_of(json!([1])), "command");
    }
}
