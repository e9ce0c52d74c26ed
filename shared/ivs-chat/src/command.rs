//! Validated room commands: `SendEvent`, `DisconnectUser` and `DeleteMessage`.
//!
//! A command value can only exist if IVS Chat would accept it: the
//! constructors check every limit in [`crate::limits`] and answer a
//! [`ValidationError`] that names the field and the limit. Functions therefore
//! reject a bad command before spending a request (and a slice of the
//! 100 requests/s quota) on it, and an invalid command can be told apart from
//! a failed call.
//!
//! [`Command`] is also the project's wire format for moderation commands
//! (`{"action": "disconnectUser", "roomArn": ..., "userId": ..., "reason": ...}`),
//! read by the moderation-actions function and written by scheduled-events when
//! it hands a failed send over for retry. [`Command::from_json`] reads it field
//! by field, so even a wrongly typed or misspelt field is reported by name.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::limits::{
    self, ATTRIBUTES_MAX_BYTES, EVENT_NAME_LEN, MESSAGE_ID_LEN, REASON_LEN, ROOM_ARN_PATTERN,
    ROOM_IDENTIFIER_LEN, USER_ID_LEN,
};

/// A value that IVS Chat would refuse, with the field it came from.
///
/// ```
/// let err = ivs_chat::SendEvent::new(
///     ivs_chat::RoomArn::parse("roomArn", "arn:aws:ivschat:us-west-2:123456789012:room/abc").unwrap(),
///     "",
///     Default::default(),
/// )
/// .unwrap_err();
/// assert_eq!(err.field, "eventName");
/// assert_eq!(err.to_string(), "eventName: must be 1..=100 characters long, got 0");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ValidationError {
    /// The field, as named in the JSON input (`roomArn`, `rooms[2]`, `attributes.k`).
    pub field: String,
    /// What is wrong, including the limit.
    pub problem: String,
}

impl ValidationError {
    /// A validation error on `field`.
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

fn check_chars(
    field: &str,
    value: &str,
    (min, max): (usize, usize),
) -> Result<(), ValidationError> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(ValidationError::new(
            field,
            format!("must be {min}..={max} characters long, got {n}"),
        ));
    }
    Ok(())
}

fn check_reason(reason: Option<String>) -> Result<Option<String>, ValidationError> {
    if let Some(r) = &reason {
        check_chars("reason", r, REASON_LEN)?;
    }
    Ok(reason)
}

/// A room ARN that matches the API's pattern and length.
///
/// ```
/// let arn = ivs_chat::RoomArn::parse("roomArn", "arn:aws:ivschat:us-west-2:123456789012:room/abc").unwrap();
/// assert_eq!(arn.as_str(), "arn:aws:ivschat:us-west-2:123456789012:room/abc");
/// assert_eq!(
///     ivs_chat::RoomArn::parse("rooms[1]", "room/abc").unwrap_err().field,
///     "rooms[1]"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoomArn(String);

impl RoomArn {
    /// Checks `value` against [`ROOM_ARN_PATTERN`] and [`ROOM_IDENTIFIER_LEN`];
    /// a failure names `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
        check_chars(field, value, ROOM_IDENTIFIER_LEN)?;
        if !limits::is_room_arn(value) {
            return Err(ValidationError::new(
                field,
                format!("must be a room ARN matching {ROOM_ARN_PATTERN}, got {value:?}"),
            ));
        }
        Ok(RoomArn(value.to_string()))
    }

    /// The ARN.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RoomArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks an event's attributes against [`ATTRIBUTES_MAX_BYTES`]; a failure
/// names `field`.
pub fn check_attributes(
    field: &str,
    attributes: &BTreeMap<String, String>,
) -> Result<(), ValidationError> {
    let bytes = limits::attributes_bytes(attributes);
    if bytes > ATTRIBUTES_MAX_BYTES {
        return Err(ValidationError::new(
            field,
            format!("keys and values must total at most {ATTRIBUTES_MAX_BYTES} bytes, got {bytes}"),
        ));
    }
    Ok(())
}

/// Checks an event name against [`EVENT_NAME_LEN`]; a failure names `field`.
pub fn check_event_name(field: &str, name: &str) -> Result<(), ValidationError> {
    check_chars(field, name, EVENT_NAME_LEN)
}

/// `SendEvent`: deliver a custom event to every client connected to a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendEvent {
    room: RoomArn,
    event_name: String,
    attributes: BTreeMap<String, String>,
}

impl SendEvent {
    /// A validated `SendEvent` (event name 1..=100 characters, attributes at
    /// most 1 KB). An empty attribute map sends no attributes.
    pub fn new(
        room: RoomArn,
        event_name: impl Into<String>,
        attributes: BTreeMap<String, String>,
    ) -> Result<Self, ValidationError> {
        let event_name = event_name.into();
        check_event_name("eventName", &event_name)?;
        check_attributes("attributes", &attributes)?;
        Ok(SendEvent {
            room,
            event_name,
            attributes,
        })
    }

    /// The target room.
    pub fn room(&self) -> &RoomArn {
        &self.room
    }
    /// The event name (conventionally `app:`-prefixed).
    pub fn event_name(&self) -> &str {
        &self.event_name
    }
    /// The event's attributes (possibly empty).
    pub fn attributes(&self) -> &BTreeMap<String, String> {
        &self.attributes
    }
}

/// `DisconnectUser`: close every connection of a user to a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisconnectUser {
    room: RoomArn,
    user_id: String,
    reason: Option<String>,
}

impl DisconnectUser {
    /// A validated `DisconnectUser` (user id 1..=128 characters, reason
    /// 1..=256 characters when given).
    pub fn new(
        room: RoomArn,
        user_id: impl Into<String>,
        reason: Option<String>,
    ) -> Result<Self, ValidationError> {
        let user_id = user_id.into();
        check_chars("userId", &user_id, USER_ID_LEN)?;
        Ok(DisconnectUser {
            room,
            user_id,
            reason: check_reason(reason)?,
        })
    }

    /// The target room.
    pub fn room(&self) -> &RoomArn {
        &self.room
    }
    /// The user to disconnect.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
    /// The reason given to the user's clients, if any.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

/// `DeleteMessage`: tell a room's clients to remove a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteMessage {
    room: RoomArn,
    message_id: String,
    reason: Option<String>,
}

impl DeleteMessage {
    /// A validated `DeleteMessage` (message id exactly 12 ASCII letters and
    /// digits, reason 1..=256 characters when given).
    pub fn new(
        room: RoomArn,
        message_id: impl Into<String>,
        reason: Option<String>,
    ) -> Result<Self, ValidationError> {
        let message_id = message_id.into();
        if !limits::is_message_id(&message_id) {
            return Err(ValidationError::new(
                "messageId",
                format!(
                    "must be exactly {MESSAGE_ID_LEN} ASCII letters and digits, got {message_id:?}"
                ),
            ));
        }
        Ok(DeleteMessage {
            room,
            message_id,
            reason: check_reason(reason)?,
        })
    }

    /// The target room.
    pub fn room(&self) -> &RoomArn {
        &self.room
    }
    /// The message to delete.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }
    /// The reason given to the room's clients, if any.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

/// A moderation command: one validated room operation.
///
/// ```
/// use ivs_chat::Command;
/// let command = Command::from_json(&serde_json::json!({
///     "action": "disconnectUser",
///     "roomArn": "arn:aws:ivschat:us-west-2:123456789012:room/abc",
///     "userId": "alice-1",
///     "reason": "spam",
/// }))
/// .unwrap();
/// assert_eq!(command.action(), "disconnectUser");
///
/// let err = Command::from_json(&serde_json::json!({
///     "action": "deleteMessage",
///     "roomArn": "arn:aws:ivschat:us-west-2:123456789012:room/abc",
/// }))
/// .unwrap_err();
/// assert_eq!(err.to_string(), "messageId: is required by deleteMessage");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `{"action": "sendEvent", "roomArn", "eventName", "attributes"?}`
    SendEvent(SendEvent),
    /// `{"action": "disconnectUser", "roomArn", "userId", "reason"?}`
    DisconnectUser(DisconnectUser),
    /// `{"action": "deleteMessage", "roomArn", "messageId", "reason"?}`
    DeleteMessage(DeleteMessage),
}

/// The fields a command may carry, for error messages.
pub const COMMAND_FIELDS: [&str; 7] = [
    "action",
    "roomArn",
    "userId",
    "messageId",
    "eventName",
    "reason",
    "attributes",
];

/// The actions a command may name.
pub const ACTIONS: [&str; 3] = ["disconnectUser", "deleteMessage", "sendEvent"];

fn get_str(map: &Map<String, Value>, field: &str) -> Result<Option<String>, ValidationError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ValidationError::new(
            field,
            format!("must be a string, got {}", json_type(other)),
        )),
    }
}

fn required(action: &str, field: &str, value: Option<String>) -> Result<String, ValidationError> {
    value.ok_or_else(|| ValidationError::new(field, format!("is required by {action}")))
}

fn refuse(action: &str, field: &str, present: bool) -> Result<(), ValidationError> {
    if present {
        return Err(ValidationError::new(
            field,
            format!("is not accepted by {action}"),
        ));
    }
    Ok(())
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads a JSON object of string values (`null` or absent is empty); a
/// failure names `field` or `field.key`.
pub fn string_map(
    field: &str,
    value: Option<&Value>,
) -> Result<BTreeMap<String, String>, ValidationError> {
    match value {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                other => Err(ValidationError::new(
                    format!("{field}.{k}"),
                    format!("must be a string, got {}", json_type(other)),
                )),
            })
            .collect(),
        Some(other) => Err(ValidationError::new(
            field,
            format!("must be an object of strings, got {}", json_type(other)),
        )),
    }
}

impl Command {
    /// Reads and validates a command from its JSON form.
    pub fn from_json(value: &Value) -> Result<Command, ValidationError> {
        let Value::Object(map) = value else {
            return Err(ValidationError::new(
                "command",
                format!("must be a JSON object, got {}", json_type(value)),
            ));
        };
        if let Some(unknown) = map.keys().find(|k| !COMMAND_FIELDS.contains(&k.as_str())) {
            return Err(ValidationError::new(
                unknown.as_str(),
                format!(
                    "is not a command field (expected one of {})",
                    COMMAND_FIELDS.join(", ")
                ),
            ));
        }
        let action = get_str(map, "action")?.ok_or_else(|| {
            ValidationError::new(
                "action",
                format!("is required (one of {})", ACTIONS.join(", ")),
            )
        })?;
        let room_arn = required(&action, "roomArn", get_str(map, "roomArn")?);
        let user_id = get_str(map, "userId")?;
        let message_id = get_str(map, "messageId")?;
        let event_name = get_str(map, "eventName")?;
        let reason = get_str(map, "reason")?;
        let has_attributes = !matches!(map.get("attributes"), None | Some(Value::Null));
        match action.as_str() {
            "sendEvent" => {
                let room = RoomArn::parse("roomArn", &room_arn?)?;
                refuse(&action, "userId", user_id.is_some())?;
                refuse(&action, "messageId", message_id.is_some())?;
                refuse(&action, "reason", reason.is_some())?;
                let event_name = required(&action, "eventName", event_name)?;
                let attributes = string_map("attributes", map.get("attributes"))?;
                Ok(Command::SendEvent(SendEvent::new(
                    room, event_name, attributes,
                )?))
            }
            "disconnectUser" => {
                let room = RoomArn::parse("roomArn", &room_arn?)?;
                refuse(&action, "messageId", message_id.is_some())?;
                refuse(&action, "eventName", event_name.is_some())?;
                refuse(&action, "attributes", has_attributes)?;
                let user_id = required(&action, "userId", user_id)?;
                Ok(Command::DisconnectUser(DisconnectUser::new(
                    room, user_id, reason,
                )?))
            }
            "deleteMessage" => {
                let room = RoomArn::parse("roomArn", &room_arn?)?;
                refuse(&action, "userId", user_id.is_some())?;
                refuse(&action, "eventName", event_name.is_some())?;
                refuse(&action, "attributes", has_attributes)?;
                let message_id = required(&action, "messageId", message_id)?;
                Ok(Command::DeleteMessage(DeleteMessage::new(
                    room, message_id, reason,
                )?))
            }
            other => Err(ValidationError::new(
                "action",
                format!("must be one of {}, got {other:?}", ACTIONS.join(", ")),
            )),
        }
    }

    /// Reads and validates a command from JSON text (an SQS message body).
    pub fn from_json_str(text: &str) -> Result<Command, ValidationError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ValidationError::new("command", format!("is not valid JSON: {e}")))?;
        Command::from_json(&value)
    }

    /// The command in its JSON form (the inverse of [`Command::from_json`]).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("action".into(), self.action().into());
        map.insert("roomArn".into(), self.room().as_str().into());
        match self {
            Command::SendEvent(c) => {
                map.insert("eventName".into(), c.event_name().into());
                if !c.attributes().is_empty() {
                    let attrs = c
                        .attributes()
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect();
                    map.insert("attributes".into(), Value::Object(attrs));
                }
            }
            Command::DisconnectUser(c) => {
                map.insert("userId".into(), c.user_id().into());
                if let Some(r) = c.reason() {
                    map.insert("reason".into(), r.into());
                }
            }
            Command::DeleteMessage(c) => {
                map.insert("messageId".into(), c.message_id().into());
                if let Some(r) = c.reason() {
                    map.insert("reason".into(), r.into());
                }
            }
        }
        Value::Object(map)
    }

    /// The action's wire name: `sendEvent`, `disconnectUser` or `deleteMessage`.
    pub fn action(&self) -> &'static str {
        match self {
            Command::SendEvent(_) => "sendEvent",
            Command::DisconnectUser(_) => "disconnectUser",
            Command::DeleteMessage(_) => "deleteMessage",
        }
    }

    /// The room the command acts on.
    pub fn room(&self) -> &RoomArn {
        match self {
            Command::SendEvent(c) => c.room(),
            Command::DisconnectUser(c) => c.room(),
            Command::DeleteMessage(c) => c.room(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

    fn room() -> RoomArn {
        RoomArn::parse("roomArn", ROOM).unwrap()
    }

    fn field_of(v: Value) -> String {
        Command::from_json(&v).unwrap_err().field
    }

    #[test]
    fn room_arn_length_and_pattern() {
        let long = format!(
            "arn:aws:ivschat:us-west-2:123456789012:room/{}",
            "a".repeat(90)
        );
        assert!(long.len() > 128);
        let err = RoomArn::parse("roomArn", &long).unwrap_err();
        assert_eq!(err.field, "roomArn");
        assert!(err.problem.contains("1..=128"), "{err}");
        let err = RoomArn::parse("roomArn", "").unwrap_err();
        assert!(err.problem.contains("got 0"), "{err}");
        let err = RoomArn::parse("rooms[0]", "arn:aws:ivschat:us-west-2:1:room/a_b").unwrap_err();
        assert_eq!(err.field, "rooms[0]");
        assert!(err.problem.contains(ROOM_ARN_PATTERN), "{err}");
        let ok = format!(
            "arn:aws:ivschat:us-west-2:123456789012:room/{}",
            "a".repeat(128 - 44)
        );
        assert_eq!(ok.len(), 128);
        assert!(RoomArn::parse("roomArn", &ok).is_ok());
    }

    #[test]
    fn event_name_bounds() {
        assert!(SendEvent::new(room(), "a".repeat(100), BTreeMap::new()).is_ok());
        assert!(SendEvent::new(room(), "é".repeat(100), BTreeMap::new()).is_ok());
        let err = SendEvent::new(room(), "a".repeat(101), BTreeMap::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "eventName: must be 1..=100 characters long, got 101"
        );
    }

    #[test]
    fn attributes_total_at_most_1kb() {
        let mut attrs = BTreeMap::new();
        attrs.insert("k".to_string(), "v".repeat(1023));
        assert!(SendEvent::new(room(), "app:X", attrs.clone()).is_ok());
        attrs.insert("k".to_string(), "v".repeat(1024));
        let err = SendEvent::new(room(), "app:X", attrs).unwrap_err();
        assert_eq!(err.field, "attributes");
        assert!(err.problem.contains("1024 bytes, got 1025"), "{err}");
    }

    #[test]
    fn user_id_and_reason_bounds() {
        assert!(DisconnectUser::new(room(), "u".repeat(128), Some("r".repeat(256))).is_ok());
        assert_eq!(
            DisconnectUser::new(room(), "u".repeat(129), None)
                .unwrap_err()
                .field,
            "userId"
        );
        assert_eq!(
            DisconnectUser::new(room(), "", None).unwrap_err().field,
            "userId"
        );
        let err = DisconnectUser::new(room(), "u", Some("r".repeat(257))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "reason: must be 1..=256 characters long, got 257"
        );
        assert_eq!(
            DeleteMessage::new(room(), "AbCdEf123456", Some(String::new()))
                .unwrap_err()
                .field,
            "reason"
        );
    }

    #[test]
    fn message_id_is_checked() {
        assert!(DeleteMessage::new(room(), "AbCdEf123456", None).is_ok());
        let err = DeleteMessage::new(room(), "AbCdEf12345", None).unwrap_err();
        assert_eq!(err.field, "messageId");
        assert!(err.problem.contains("exactly 12"), "{err}");
    }

    #[test]
    fn commands_round_trip_through_json() {
        for v in [
            json!({"action": "sendEvent", "roomArn": ROOM, "eventName": "app:X", "attributes": {"a": "b"}}),
            json!({"action": "sendEvent", "roomArn": ROOM, "eventName": "app:X"}),
            json!({"action": "disconnectUser", "roomArn": ROOM, "userId": "u1", "reason": "spam"}),
            json!({"action": "deleteMessage", "roomArn": ROOM, "messageId": "AbCdEf123456"}),
        ] {
            let command = Command::from_json(&v).unwrap();
            assert_eq!(command.to_json(), v);
            assert_eq!(command.room().as_str(), ROOM);
        }
    }

    #[test]
    fn nulls_are_absent() {
        let c = Command::from_json(&json!({"action": "deleteMessage", "roomArn": ROOM, "messageId": "AbCdEf123456", "reason": null, "attributes": null})).unwrap();
        assert_eq!(
            c.to_json(),
            json!({"action": "deleteMessage", "roomArn": ROOM, "messageId": "AbCdEf123456"})
        );
    }

    #[test]
    fn command_errors_name_the_field() {
        assert_eq!(field_of(json!([1])), "command");
        assert_eq!(field_of(json!({"roomArn": ROOM})), "action");
        assert_eq!(
            field_of(json!({"action": "ban", "roomArn": ROOM})),
            "action"
        );
        assert_eq!(
            field_of(json!({"action": "sendEvent", "eventName": "x"})),
            "roomArn"
        );
        assert_eq!(
            field_of(json!({"action": "sendEvent", "roomArn": 5, "eventName": "x"})),
            "roomArn"
        );
        assert_eq!(
            field_of(json!({"action": "sendEvent", "roomArn": ROOM})),
            "eventName"
        );
        assert_eq!(
            field_of(
                json!({"action": "sendEvent", "roomArn": ROOM, "eventName": "x", "attributes": {"n": 1}})
            ),
            "attributes.n"
        );
        assert_eq!(
            field_of(
                json!({"action": "sendEvent", "roomArn": ROOM, "eventName": "x", "attributes": [1]})
            ),
            "attributes"
        );
        assert_eq!(
            field_of(
                json!({"action": "sendEvent", "roomArn": ROOM, "eventName": "x", "reason": "r"})
            ),
            "reason"
        );
        assert_eq!(
            field_of(json!({"action": "disconnectUser", "roomArn": ROOM})),
            "userId"
        );
        assert_eq!(
            field_of(
                json!({"action": "disconnectUser", "roomArn": ROOM, "userId": "u", "attributes": {}})
            ),
            "attributes"
        );
        assert_eq!(
            field_of(
                json!({"action": "deleteMessage", "roomArn": ROOM, "messageId": "AbCdEf123456", "userId": "u"})
            ),
            "userId"
        );
        assert_eq!(
            field_of(
                json!({"action": "deleteMessage", "roomArn": ROOM, "messageID": "AbCdEf123456"})
            ),
            "messageID"
        );
        assert_eq!(
            Command::from_json_str("{nope").unwrap_err().field,
            "command"
        );
    }
}
