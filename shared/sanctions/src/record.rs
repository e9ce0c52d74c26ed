//! The decision record: what the review handler writes for every DENY or
//! masked message, and the only thing the rest of the loop reads.
//!
//! Each record is one JSON object on one log line, so a CloudWatch Logs
//! subscription filter (`{ $.record = "moderation-decision" }`) can forward
//! exactly these lines to the strike tracker, and Logs Insights can query
//! them as they are. The line carries `level` and `message` like the
//! handler's other lines, but its shape is this type's, not the logging
//! library's: arrays stay arrays, and the `version` says how to read it.
//!
//! Version 1 fields:
//!
//! | Field | Type | Meaning |
//! |---|---|---|
//! | `record` | `"moderation-decision"` | What the line is. |
//! | `version` | `1` | Bumped on any change a reader must know about; readers refuse versions they do not know. |
//! | `level`, `message` | `"INFO"`, `"message moderated"` | As on every log line of the handler. |
//! | `room_arn`, `user_id`, `message_id` | string | From the review event. |
//! | `action` | `"deny"` \| `"mask"` | What the handler answered. |
//! | `severity` | `"mild"` \| `"moderate"` \| `"severe"` \| `null` | The strongest severity among the matched terms (`null` when only regex rules matched). |
//! | `categories` | array of strings | Distinct categories of the matched terms, sorted. |
//! | `rules` | array of strings | Distinct names of the matched terms and rules, in message order. |
//! | `strike_weight` | integer 0..=10 | How many strikes the decision is worth (`REVIEW_STRIKE_WEIGHTS`). |
//! | `content` | string, optional | The message text, only with `REVIEW_LOG_CONTENT=true`. |
//!
//! Unknown fields are ignored on reading, so a reader of version 1 keeps
//! working when a field is added; removing or changing one means version 2.

use serde::{Deserialize, Serialize};

/// The value of the `record` field.
pub const RECORD_KIND: &str = "moderation-decision";

/// The version written by this crate and the only one it reads.
pub const VERSION: u32 = 1;

/// The most strikes one decision can be worth.
pub const MAX_STRIKE_WEIGHT: u32 = 10;

/// What the review handler answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionAction {
    /// The message was rejected.
    Deny,
    /// The message was delivered with words masked.
    Mask,
}

impl DecisionAction {
    /// `deny` or `mask`.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionAction::Deny => "deny",
            DecisionAction::Mask => "mask",
        }
    }
}

/// One decision record (version 1).
///
/// ```
/// use sanctions::record::{DecisionAction, DecisionRecord};
/// let line = r#"{"record":"moderation-decision","version":1,"level":"INFO","message":"message moderated",
///   "room_arn":"arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh","user_id":"alice",
///   "message_id":"AbCdEf123456","action":"deny","severity":"severe","categories":["slur"],
///   "rules":["x"],"strike_weight":1}"#;
/// let record = DecisionRecord::from_line(line).unwrap();
/// assert_eq!(record.action, DecisionAction::Deny);
/// assert_eq!(record.strike_weight, 1);
/// assert!(DecisionRecord::from_line(&line.replace("\"version\":1", "\"version\":2")).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// Always [`RECORD_KIND`].
    pub record: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// `INFO`.
    pub level: String,
    /// `message moderated`.
    pub message: String,
    /// The room the message was sent to.
    pub room_arn: String,
    /// Who sent it.
    pub user_id: String,
    /// The message id.
    pub message_id: String,
    /// DENY or mask.
    pub action: DecisionAction,
    /// The strongest severity among the matched terms.
    pub severity: Option<String>,
    /// Distinct categories, sorted.
    pub categories: Vec<String>,
    /// Distinct rule names, in message order.
    pub rules: Vec<String>,
    /// Strikes the decision is worth.
    pub strike_weight: u32,
    /// The text, where the room opted in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// A log line that is not a decision record this version can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// Not JSON, or a field missing or of the wrong type.
    #[error("not a decision record: {0}")]
    Malformed(String),
    /// A `record` other than [`RECORD_KIND`].
    #[error("not a decision record: record is {0:?}, expected {RECORD_KIND:?}")]
    OtherKind(String),
    /// A version this reader does not know.
    #[error("decision record version {0} is not supported (this reader knows version {VERSION})")]
    Version(u32),
    /// A field outside its range.
    #[error("decision record field {field}: {problem}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
}

impl DecisionRecord {
    /// A version 1 record with the fixed fields filled in.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        room_arn: impl Into<String>,
        user_id: impl Into<String>,
        message_id: impl Into<String>,
        action: DecisionAction,
        severity: Option<String>,
        categories: Vec<String>,
        rules: Vec<String>,
        strike_weight: u32,
    ) -> Self {
        DecisionRecord {
            record: RECORD_KIND.to_string(),
            version: VERSION,
            level: "INFO".to_string(),
            message: "message moderated".to_string(),
            room_arn: room_arn.into(),
            user_id: user_id.into(),
            message_id: message_id.into(),
            action,
            severity,
            categories,
            rules,
            strike_weight,
            content: None,
        }
    }

    /// The record as its one-line JSON form.
    pub fn to_line(&self) -> String {
        // A struct of strings, numbers and string arrays always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a log line, refusing anything but a version 1 record with the
    /// ids the tracker keys on.
    pub fn from_line(line: &str) -> Result<DecisionRecord, RecordError> {
        let value: serde_json::Value =
            serde_json::from_str(line.trim()).map_err(|e| RecordError::Malformed(e.to_string()))?;
        match value.get("record").and_then(serde_json::Value::as_str) {
            Some(RECORD_KIND) => {}
            Some(other) => return Err(RecordError::OtherKind(other.to_string())),
            None => return Err(RecordError::Malformed("no \"record\" field".to_string())),
        }
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => return Err(RecordError::Version(u32::try_from(v).unwrap_or(u32::MAX))),
            None => {
                return Err(RecordError::Malformed(
                    "no numeric \"version\" field".into(),
                ))
            }
        }
        let record: DecisionRecord =
            serde_json::from_value(value).map_err(|e| RecordError::Malformed(e.to_string()))?;
        if !ivs_chat::limits::is_room_arn(&record.room_arn) {
            return Err(RecordError::Invalid {
                field: "room_arn",
                problem: format!("{:?} is not a room ARN", record.room_arn),
            });
        }
        let user_len = record.user_id.chars().count();
        let (min, max) = ivs_chat::limits::USER_ID_LEN;
        if !(min..=max).contains(&user_len) {
            return Err(RecordError::Invalid {
                field: "user_id",
                problem: format!("must be {min}..={max} characters, got {user_len}"),
            });
        }
        if record.message_id.is_empty() {
            return Err(RecordError::Invalid {
                field: "message_id",
                problem: "is empty: strikes are counted once per message id".into(),
            });
        }
        if record.strike_weight > MAX_STRIKE_WEIGHT {
            return Err(RecordError::Invalid {
                field: "strike_weight",
                problem: format!(
                    "must be 0..={MAX_STRIKE_WEIGHT}, got {}",
                    record.strike_weight
                ),
            });
        }
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

    fn record() -> DecisionRecord {
        DecisionRecord::new(
            ROOM,
            "alice",
            "AbCdEf123456",
            DecisionAction::Mask,
            Some("moderate".into()),
            vec!["profanity".into()],
            vec!["shit".into(), "a,b".into()],
            1,
        )
    }

    #[test]
    fn a_record_round_trips_through_its_line_and_keeps_arrays() {
        let r = record();
        let line = r.to_line();
        assert!(!line.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["rules"], serde_json::json!(["shit", "a,b"]));
        assert!(v.get("content").is_none());
        assert_eq!(DecisionRecord::from_line(&line).unwrap(), r);
    }

    #[test]
    fn readers_ignore_new_fields_and_refuse_other_lines() {
        let mut v = serde_json::to_value(record()).unwrap();
        v["added_later"] = serde_json::json!(true);
        assert!(DecisionRecord::from_line(&v.to_string()).is_ok());
        assert!(matches!(
            DecisionRecord::from_line("START RequestId: 1"),
            Err(RecordError::Malformed(_))
        ));
        assert!(matches!(
            DecisionRecord::from_line(r#"{"message":"invalid configuration"}"#),
            Err(RecordError::Malformed(_))
        ));
        let mut other = v.clone();
        other["record"] = "x".into();
        assert!(matches!(
            DecisionRecord::from_line(&other.to_string()),
            Err(RecordError::OtherKind(_))
        ));
        for (field, value) in [
            ("room_arn", serde_json::json!("room/x")),
            ("user_id", serde_json::json!("")),
            ("message_id", serde_json::json!("")),
            ("strike_weight", serde_json::json!(11)),
        ] {
            let mut bad = v.clone();
            bad[field] = value;
            let err = DecisionRecord::from_line(&bad.to_string()).unwrap_err();
            assert!(err.to_string().contains(field), "{err}");
        }
        let mut missing = v;
        missing.as_object_mut().unwrap().remove("action");
        assert!(DecisionRecord::from_line(&missing.to_string())
            .unwrap_err()
            .to_string()
            .contains("action"));
    }
}
