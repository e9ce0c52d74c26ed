//! The message review handler contract.
//!
//! IVS Chat invokes a room's review handler synchronously for every message,
//! with a PascalCase JSON event, and delivers, rewrites or rejects the message
//! according to the answer. The types here accept what AWS documents and what
//! it may add later: attribute maps may be missing, `null` or empty, and
//! unknown fields are ignored, so an AWS-side addition never turns into a
//! failed invocation (which IVS would answer with the room's fallback result).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::limits::RESPONSE_ATTRIBUTES_MAX_BYTES;

/// The attribute key IVS Chat shows to the sender when a message is denied
/// (WebSocket error 406).
pub const REASON_ATTRIBUTE: &str = "Reason";

/// A message awaiting review, as IVS Chat sends it.
///
/// ```
/// let event: ivs_chat::ReviewEvent = serde_json::from_str(
///     r#"{"Content": "hello", "MessageId": "AbCdEf123456", "Attributes": null}"#,
/// ).unwrap();
/// assert_eq!(event.content, "hello");
/// assert!(event.attributes.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReviewEvent {
    /// The message text.
    pub content: String,
    /// The message's id (12 alphanumerics in the API; not relied upon here).
    #[serde(default, deserialize_with = "null_as_default")]
    pub message_id: String,
    /// The ARN of the room the message was sent to.
    #[serde(default, deserialize_with = "null_as_default")]
    pub room_arn: String,
    /// The message's own attributes, echoed back on ALLOW.
    #[serde(default, deserialize_with = "null_as_default")]
    pub attributes: BTreeMap<String, String>,
    /// Who sent the message.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sender: Sender,
}

/// The sender of a message under review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Sender {
    /// The user id the chat token was issued for.
    #[serde(default, deserialize_with = "null_as_default")]
    pub user_id: String,
    /// The sender's IP address, as IVS Chat saw it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub ip: String,
    /// The attributes of the sender's chat token.
    #[serde(default, deserialize_with = "null_as_default")]
    pub attributes: BTreeMap<String, String>,
}

/// The decision on a message: deliver it or reject it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ReviewResult {
    /// Deliver the message (its `Content` possibly rewritten).
    Allow,
    /// Reject the message; `Attributes.Reason` is shown to the sender.
    Deny,
}

/// The answer to a [`ReviewEvent`].
///
/// Build it with [`ReviewResponse::allow`] or [`ReviewResponse::deny`], which
/// keep the contract's rules (attributes echoed on ALLOW, a reason on DENY,
/// attributes within 1 KB).
///
/// ```
/// use ivs_chat::{ReviewEvent, ReviewResponse};
///
/// let event = ReviewEvent { content: "hi".into(), ..Default::default() };
/// let json = serde_json::to_string(&ReviewResponse::deny(&event, "Not here")).unwrap();
/// assert_eq!(json, r#"{"ReviewResult":"DENY","Content":"hi","Attributes":{"Reason":"Not here"}}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReviewResponse {
    /// ALLOW or DENY.
    pub review_result: ReviewResult,
    /// The content to deliver (on ALLOW), or the original content (on DENY).
    pub content: String,
    /// Attributes: the message's own on ALLOW, `Reason` on DENY.
    #[serde(default, deserialize_with = "null_as_default")]
    pub attributes: BTreeMap<String, String>,
}

impl ReviewResponse {
    /// Delivers the message with `content` (the original, or a masked copy)
    /// and the message's own attributes.
    pub fn allow(event: &ReviewEvent, content: String) -> Self {
        ReviewResponse {
            review_result: ReviewResult::Allow,
            content,
            attributes: event.attributes.clone(),
        }
    }

    /// Rejects the message, telling the sender `reason` (cut, on a character
    /// boundary, to fit the attribute size limit).
    pub fn deny(event: &ReviewEvent, reason: &str) -> Self {
        let budget = RESPONSE_ATTRIBUTES_MAX_BYTES - REASON_ATTRIBUTE.len();
        let mut attributes = BTreeMap::new();
        attributes.insert(
            REASON_ATTRIBUTE.to_string(),
            truncate_to_bytes(reason, budget).to_string(),
        );
        ReviewResponse {
            review_result: ReviewResult::Deny,
            content: event.content.clone(),
            attributes,
        }
    }
}

/// The longest prefix of `s` that is at most `max` bytes and ends on a
/// character boundary.
pub fn truncate_to_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Reads `null` as the type's default, so `"Attributes": null` is the same as
/// an absent or empty map.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_event() {
        let event: ReviewEvent = serde_json::from_str(
            r#"{
              "Content": "hello world",
              "MessageId": "AbCdEf123456",
              "RoomArn": "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh",
              "Attributes": {"message_type": "MESSAGE"},
              "Sender": {"UserId": "alice-1", "Ip": "203.0.113.7", "Attributes": {"username": "alice"}}
            }"#,
        )
        .unwrap();
        assert_eq!(event.content, "hello world");
        assert_eq!(event.message_id, "AbCdEf123456");
        assert_eq!(event.sender.user_id, "alice-1");
        assert_eq!(event.sender.attributes["username"], "alice");
        assert_eq!(event.attributes["message_type"], "MESSAGE");
    }

    #[test]
    fn accepts_missing_null_and_empty_maps_and_unknown_fields() {
        for json in [
            r#"{"Content": "x"}"#,
            r#"{"Content": "x", "Attributes": null, "Sender": null}"#,
            r#"{"Content": "x", "Attributes": {}, "Sender": {"Attributes": null, "UserId": null}}"#,
            r#"{"Content": "x", "SomethingNew": [1, 2], "Sender": {"Future": true}}"#,
        ] {
            let event: ReviewEvent = serde_json::from_str(json).unwrap();
            assert_eq!(event.content, "x");
            assert!(event.attributes.is_empty());
            assert!(event.sender.attributes.is_empty());
        }
    }

    #[test]
    fn missing_content_is_an_error_naming_the_field() {
        let err = serde_json::from_str::<ReviewEvent>(r#"{"MessageId": "a"}"#).unwrap_err();
        assert!(err.to_string().contains("Content"), "{err}");
    }

    #[test]
    fn allow_echoes_attributes_and_deny_sets_reason() {
        let mut event = ReviewEvent {
            content: "hi".into(),
            ..Default::default()
        };
        event.attributes.insert("k".into(), "v".into());
        let allow = serde_json::to_value(ReviewResponse::allow(&event, "h*".into())).unwrap();
        assert_eq!(
            allow,
            serde_json::json!({"ReviewResult": "ALLOW", "Content": "h*", "Attributes": {"k": "v"}})
        );
        let deny = serde_json::to_value(ReviewResponse::deny(&event, "no")).unwrap();
        assert_eq!(
            deny,
            serde_json::json!({"ReviewResult": "DENY", "Content": "hi", "Attributes": {"Reason": "no"}})
        );
    }

    #[test]
    fn deny_reason_is_cut_to_the_attribute_limit_on_a_char_boundary() {
        let event = ReviewEvent::default();
        let reason = "é".repeat(1000);
        let response = ReviewResponse::deny(&event, &reason);
        let kept = &response.attributes[REASON_ATTRIBUTE];
        assert!(kept.len() + REASON_ATTRIBUTE.len() <= RESPONSE_ATTRIBUTES_MAX_BYTES);
        assert!(kept.len() >= RESPONSE_ATTRIBUTES_MAX_BYTES - REASON_ATTRIBUTE.len() - 1);
    }
}
