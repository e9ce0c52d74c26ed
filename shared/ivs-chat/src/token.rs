//! `CreateChatToken`: validated requests and the trait that issues tokens.
//!
//! The app's backend asks the chat-token function for a token; the request
//! is read and checked here against every limit of the API (user id
//! 1..=128 characters, attributes at most 1 KB, session 1..=180 minutes,
//! known capabilities), field by field, before any call is made, so a bad
//! request is answered with the field at fault instead of a failed call.

use std::collections::BTreeMap;
use std::future::Future;

use serde_json::Value;

use crate::client::RoomError;
use crate::command::{check_attributes, string_map, RoomArn, ValidationError};
use crate::limits::{CAPABILITIES, SESSION_DURATION_MINUTES, USER_ID_LEN};

/// What a token lets its holder do besides reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    /// Send messages.
    SendMessage,
    /// Disconnect other users.
    DisconnectUser,
    /// Delete messages.
    DeleteMessage,
}

impl Capability {
    /// The API's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::SendMessage => "SEND_MESSAGE",
            Capability::DisconnectUser => "DISCONNECT_USER",
            Capability::DeleteMessage => "DELETE_MESSAGE",
        }
    }

    /// Reads the API's name.
    pub fn parse(text: &str) -> Option<Capability> {
        match text {
            "SEND_MESSAGE" => Some(Capability::SendMessage),
            "DISCONNECT_USER" => Some(Capability::DisconnectUser),
            "DELETE_MESSAGE" => Some(Capability::DeleteMessage),
            _ => None,
        }
    }
}

/// A validated `CreateChatToken` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatTokenRequest {
    room: RoomArn,
    user_id: String,
    attributes: BTreeMap<String, String>,
    capabilities: Vec<Capability>,
    session_duration_minutes: Option<u32>,
}

/// The fields a token request may carry (the API's own names).
pub const REQUEST_FIELDS: [&str; 5] = [
    "roomIdentifier",
    "userId",
    "attributes",
    "capabilities",
    "sessionDurationInMinutes",
];

impl ChatTokenRequest {
    /// Reads and validates a request in the API's JSON shape.
    ///
    /// ```
    /// use ivs_chat::ChatTokenRequest;
    /// let request = ChatTokenRequest::from_json(&serde_json::json!({
    ///     "roomIdentifier": "arn:aws:ivschat:us-west-2:123456789012:room/abc",
    ///     "userId": "alice",
    ///     "capabilities": ["SEND_MESSAGE"],
    ///     "sessionDurationInMinutes": 30
    /// })).unwrap();
    /// assert_eq!(request.session_duration_minutes(), Some(30));
    /// let err = ChatTokenRequest::from_json(&serde_json::json!({
    ///     "roomIdentifier": "arn:aws:ivschat:us-west-2:123456789012:room/abc",
    ///     "userId": "alice",
    ///     "sessionDurationInMinutes": 181
    /// })).unwrap_err();
    /// assert_eq!(err.to_string(), "sessionDurationInMinutes: must be a whole number in 1..=180, got 181");
    /// ```
    pub fn from_json(value: &Value) -> Result<ChatTokenRequest, ValidationError> {
        let Value::Object(map) = value else {
            return Err(ValidationError::new("request", "must be a JSON object"));
        };
        if let Some(unknown) = map.keys().find(|k| !REQUEST_FIELDS.contains(&k.as_str())) {
            return Err(ValidationError::new(
                unknown.as_str(),
                format!(
                    "is not a token request field (expected one of {})",
                    REQUEST_FIELDS.join(", ")
                ),
            ));
        }
        let text = |field: &str| match map.get(field) {
            Some(Value::String(s)) => Ok(s.clone()),
            None | Some(Value::Null) => Err(ValidationError::new(field, "is required")),
            Some(_) => Err(ValidationError::new(field, "must be a string")),
        };
        let room = RoomArn::parse("roomIdentifier", &text("roomIdentifier")?)?;
        let user_id = text("userId")?;
        let attributes = string_map("attributes", map.get("attributes"))?;
        let capabilities = match map.get("capabilities") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    item.as_str().and_then(Capability::parse).ok_or_else(|| {
                        ValidationError::new(
                            format!("capabilities[{i}]"),
                            format!("must be one of {}, got {item}", CAPABILITIES.join(", ")),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(ValidationError::new(
                    "capabilities",
                    "must be an array of strings",
                ))
            }
        };
        let (min, max) = SESSION_DURATION_MINUTES;
        let session = match map.get("sessionDurationInMinutes") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_u64() {
                Some(n) if (u64::from(min)..=u64::from(max)).contains(&n) => {
                    Some(u32::try_from(n).unwrap_or(max))
                }
                _ => {
                    return Err(ValidationError::new(
                        "sessionDurationInMinutes",
                        format!("must be a whole number in {min}..={max}, got {v}"),
                    ))
                }
            },
        };
        ChatTokenRequest::new(room, user_id, attributes, capabilities, session)
    }

    /// A validated request.
    pub fn new(
        room: RoomArn,
        user_id: impl Into<String>,
        attributes: BTreeMap<String, String>,
        mut capabilities: Vec<Capability>,
        session_duration_minutes: Option<u32>,
    ) -> Result<ChatTokenRequest, ValidationError> {
        let user_id = user_id.into();
        let n = user_id.chars().count();
        let (min, max) = USER_ID_LEN;
        if n < min || n > max {
            return Err(ValidationError::new(
                "userId",
                format!("must be {min}..={max} characters long, got {n}"),
            ));
        }
        check_attributes("attributes", &attributes)?;
        let (min, max) = SESSION_DURATION_MINUTES;
        if let Some(m) = session_duration_minutes {
            if !(min..=max).contains(&m) {
                return Err(ValidationError::new(
                    "sessionDurationInMinutes",
                    format!("must be a whole number in {min}..={max}, got {m}"),
                ));
            }
        }
        capabilities.sort_unstable();
        capabilities.dedup();
        Ok(ChatTokenRequest {
            room,
            user_id,
            attributes,
            capabilities,
            session_duration_minutes,
        })
    }

    /// The room.
    pub fn room(&self) -> &RoomArn {
        &self.room
    }
    /// The user the token is for.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
    /// The token's attributes (they come back as `Sender.Attributes`).
    pub fn attributes(&self) -> &BTreeMap<String, String> {
        &self.attributes
    }
    /// The capabilities, sorted, without repeats.
    pub fn capabilities(&self) -> &[Capability] {
        &self.capabilities
    }
    /// The session duration asked for; `None` is the API's default.
    pub fn session_duration_minutes(&self) -> Option<u32> {
        self.session_duration_minutes
    }

    /// The same request without `capability`.
    pub fn without(mut self, capability: Capability) -> Self {
        self.capabilities.retain(|c| *c != capability);
        self
    }

    /// The same request with a session of at most `minutes` (clamped to the
    /// API's range).
    pub fn session_at_most(mut self, minutes: u32) -> Self {
        let (min, max) = SESSION_DURATION_MINUTES;
        let asked = self
            .session_duration_minutes
            .unwrap_or(crate::limits::DEFAULT_SESSION_DURATION_MINUTES);
        self.session_duration_minutes = Some(asked.min(minutes).clamp(min, max));
        self
    }
}

/// A token, as `CreateChatToken` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChatToken {
    /// The token for the client to connect with.
    pub token: String,
    /// When the token stops being usable to connect (RFC 3339).
    pub token_expiration_time: String,
    /// When the session it opens ends (RFC 3339).
    pub session_expiration_time: String,
}

/// Issues chat tokens.
pub trait TokenIssuer: Send + Sync {
    /// `CreateChatToken`.
    fn create_chat_token(
        &self,
        request: &ChatTokenRequest,
    ) -> impl Future<Output = Result<ChatToken, RoomError>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

    fn field_of(v: Value) -> String {
        ChatTokenRequest::from_json(&v).unwrap_err().field
    }

    #[test]
    fn requests_are_checked_against_every_limit() {
        let ok = ChatTokenRequest::from_json(&json!({
            "roomIdentifier": ROOM, "userId": "u".repeat(128),
            "attributes": {"role": "viewer"},
            "capabilities": ["SEND_MESSAGE", "SEND_MESSAGE", "DELETE_MESSAGE"],
        }))
        .unwrap();
        assert_eq!(
            ok.capabilities(),
            [Capability::SendMessage, Capability::DeleteMessage]
        );
        assert_eq!(ok.session_duration_minutes(), None);
        assert_eq!(field_of(json!({"userId": "u"})), "roomIdentifier");
        assert_eq!(field_of(json!({"roomIdentifier": ROOM})), "userId");
        assert_eq!(
            field_of(json!({"roomIdentifier": ROOM, "userId": ""})),
            "userId"
        );
        assert_eq!(
            field_of(json!({"roomIdentifier": ROOM, "userId": "u".repeat(129)})),
            "userId"
        );
        assert_eq!(
            field_of(
                json!({"roomIdentifier": ROOM, "userId": "u", "attributes": {"k": "v".repeat(1024)}})
            ),
            "attributes"
        );
        assert_eq!(
            field_of(json!({"roomIdentifier": ROOM, "userId": "u", "capabilities": ["READ"]})),
            "capabilities[0]"
        );
        assert_eq!(
            field_of(json!({"roomIdentifier": ROOM, "userId": "u", "sessionDurationInMinutes": 0})),
            "sessionDurationInMinutes"
        );
        assert_eq!(
            field_of(
                json!({"roomIdentifier": ROOM, "userId": "u", "sessionDurationInMinutes": "5"})
            ),
            "sessionDurationInMinutes"
        );
        assert_eq!(
            field_of(json!({"roomIdentifier": ROOM, "userId": "u", "ttl": 5})),
            "ttl"
        );
    }

    #[test]
    fn a_request_can_be_narrowed() {
        let r = ChatTokenRequest::from_json(&json!({
            "roomIdentifier": ROOM, "userId": "u", "capabilities": ["SEND_MESSAGE"],
        }))
        .unwrap()
        .without(Capability::SendMessage)
        .session_at_most(7);
        assert!(r.capabilities().is_empty());
        assert_eq!(r.session_duration_minutes(), Some(7));
        assert_eq!(r.session_at_most(0).session_duration_minutes(), Some(1));
    }
}
