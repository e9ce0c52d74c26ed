//! IVS Chat's chat logging records, read without copying the text.
//!
//! A room with a logging configuration (`AWS::IVSChat::LoggingConfiguration`)
//! records every delivered message and event as one JSON object:
//!
//! ```json
//! {"event_timestamp": "2026-11-22T02:00:00.000Z", "type": "MESSAGE", "version": "1.0",
//!  "payload": {"Type": "MESSAGE", "Id": "AbCdEf123456", "RequestId": "...",
//!              "Attributes": {}, "Content": "hi", "SendTime": "...",
//!              "Sender": {"UserId": "alice", "Attributes": {}}}}
//! ```
//!
//! The same object arrives in three places, and each says where the room is:
//!
//! * **CloudWatch Logs**: one log event per record, in the log stream
//!   `aws/IVSChatLogs/<version>/room_<room id>` ([`room_id_from_log_stream`]);
//!   a subscription filter hands batches of them to a Lambda as the usual
//!   gzip + base64 `awslogs` event, whose `owner` is the account.
//! * **S3**: gzip'd JSON Lines objects, one record a line, under
//!   `AWSLogs/<account>/IVSChatLogs/<version>/<region>/room_<room id>/<yyyy>/<mm>/<dd>/<hh>/<account>_IVSChatLogs_<version>_<region>_room_<room id>_<yyyymmddThhmm>_<hash>.log.gz`,
//!   whose name alone gives the room's ARN ([`room_from_s3_key`]).
//! * **Firehose**: the records as they are, which Firehose concatenates into
//!   its destination's objects with no separator unless the stream adds one.
//!
//! The record carries no room ARN itself, so the helpers here rebuild it from
//! wherever the record came from.
//!
//! Every string is read as a [`Text`]: borrowed from the input when it has no
//! escapes, so reviewing a clean message costs no allocation for its text.
//! Unknown fields are ignored and absent or `null` maps are empty, as in
//! [`crate::review`]: AWS adds fields, and a new one must not stop a replay.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::limits::{is_room_arn, ROOM_ARN_PREFIX};

/// A JSON string borrowed from the input when it can be (no escapes), owned
/// otherwise.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// String attributes, in key order (the order the review response's
/// attributes are written in).
pub type Attributes<'a> = BTreeMap<Text<'a>, Text<'a>>;

/// Reading one attribute by key, from a review event's owned attributes or
/// a chat log record's borrowed ones alike, so a sender is judged by the
/// same code whichever input it came from.
pub trait AttributeLookup {
    /// The value of `key`, if set.
    fn attribute(&self, key: &str) -> Option<&str>;
}

impl AttributeLookup for BTreeMap<String, String> {
    fn attribute(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl AttributeLookup for Attributes<'_> {
    fn attribute(&self, key: &str) -> Option<&str> {
        // Token attributes are few (1 KB in all): a scan costs less than
        // building an owned key to look up.
        self.iter().find(|(k, _)| &***k == key).map(|(_, v)| &**v)
    }
}

/// One chat logging record.
#[derive(Debug, Clone, Deserialize)]
pub struct LogRecord<'a> {
    /// When IVS Chat logged it (ISO 8601).
    #[serde(borrow, default)]
    pub event_timestamp: Option<Text<'a>>,
    /// `MESSAGE` or `EVENT`.
    #[serde(rename = "type", borrow)]
    pub kind: Text<'a>,
    /// The record format's version (`1.0`).
    #[serde(borrow, default)]
    pub version: Option<Text<'a>>,
    /// The message or event, as clients received it.
    #[serde(borrow)]
    pub payload: Payload<'a>,
}

impl LogRecord<'_> {
    /// Whether the record is a delivered message (the only kind reviewed).
    pub fn is_message(&self) -> bool {
        &*self.kind == "MESSAGE"
    }
}

/// The `payload` of a record: a message (`Content`) or an event
/// (`EventName`), with the fields both share.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Payload<'a> {
    /// The message text (messages only).
    #[serde(borrow, default)]
    pub content: Option<Text<'a>>,
    /// The message or event id (12 alphanumerics).
    #[serde(borrow, default)]
    pub id: Option<Text<'a>>,
    /// The event's name (events only).
    #[serde(borrow, default)]
    pub event_name: Option<Text<'a>>,
    /// When it was sent.
    #[serde(borrow, default)]
    pub send_time: Option<Text<'a>>,
    /// The message's attributes.
    #[serde(borrow, default)]
    pub attributes: Option<Attributes<'a>>,
    /// Who sent it.
    #[serde(borrow, default)]
    pub sender: Option<LoggedSender<'a>>,
}

/// The sender of a logged message: the user id and the chat token's
/// attributes (the review handler exempts or judges strictly by them, so a
/// second review must see them too).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoggedSender<'a> {
    /// The user id the chat token was issued for.
    #[serde(borrow, default)]
    pub user_id: Option<Text<'a>>,
    /// The chat token's attributes.
    #[serde(borrow, default)]
    pub attributes: Option<Attributes<'a>>,
}

/// A message to review, from a review event or a chat log record, borrowing
/// its strings from the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoggedMessage<'a> {
    /// The text.
    pub content: Text<'a>,
    /// The message id (empty when the input has none).
    pub id: Text<'a>,
    /// The room's ARN, when the input names it.
    pub room_arn: Option<Text<'a>>,
    /// The user id (empty when the input has none).
    pub user_id: Text<'a>,
    /// The message's attributes (echoed back on ALLOW).
    pub attributes: Attributes<'a>,
    /// The sender's chat token attributes (empty when the input has none).
    pub sender_attributes: Attributes<'a>,
}

impl<'a> LogRecord<'a> {
    /// The record's message, or `Err` naming what is missing; `Ok(None)`
    /// for records that are not messages.
    pub fn into_message(self) -> Result<Option<LoggedMessage<'a>>, &'static str> {
        if !self.is_message() {
            return Ok(None);
        }
        let payload = self.payload;
        let content = payload
            .content
            .ok_or("a MESSAGE record's payload has no `Content`")?;
        let sender = payload.sender.unwrap_or_default();
        Ok(Some(LoggedMessage {
            content,
            id: payload.id.unwrap_or_default(),
            room_arn: None,
            user_id: sender.user_id.unwrap_or_default(),
            attributes: payload.attributes.unwrap_or_default(),
            sender_attributes: sender.attributes.unwrap_or_default(),
        }))
    }
}

/// The room id in a chat logging log stream's name
/// (`aws/IVSChatLogs/1.0/room_abcdABCDefgh` gives `abcdABCDefgh`).
///
/// ```
/// use ivs_chat::chat_log::room_id_from_log_stream;
/// assert_eq!(room_id_from_log_stream("aws/IVSChatLogs/1.0/room_abcdABCDefgh"), Some("abcdABCDefgh"));
/// assert_eq!(room_id_from_log_stream("2026/11/22/[$LATEST]abc"), None);
/// ```
pub fn room_id_from_log_stream(stream: &str) -> Option<&str> {
    let (_, last) = stream.rsplit_once('/').unwrap_or(("", stream));
    let id = last.strip_prefix("room_")?;
    is_room_id(id).then_some(id)
}

/// The room ARN named by an S3 chat log object's key (or file name):
/// `<account>_IVSChatLogs_<version>_<region>_room_<id>_<time>_<hash>.log.gz`.
///
/// ```
/// use ivs_chat::chat_log::room_from_s3_key;
/// assert_eq!(
///     room_from_s3_key("AWSLogs/123456789012/IVSChatLogs/1.0/us-west-2/room_abcdABCDefgh/2026/11/22/02/123456789012_IVSChatLogs_1.0_us-west-2_room_abcdABCDefgh_20261122T0200_a1b2c3d4.log.gz").as_deref(),
///     Some("arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh"),
/// );
/// assert_eq!(room_from_s3_key("chat.jsonl"), None);
/// ```
pub fn room_from_s3_key(key: &str) -> Option<String> {
    let name = key.rsplit(['/', '\\']).next().unwrap_or(key);
    let mut parts = name.split('_');
    let account = parts.next()?;
    if parts.next()? != "IVSChatLogs" {
        return None;
    }
    let _version = parts.next()?;
    let region = parts.next()?;
    if parts.next()? != "room" {
        return None;
    }
    let id = parts.next()?;
    let arn = room_arn(region, account, id);
    is_room_arn(&arn).then_some(arn)
}

/// `arn:aws:ivschat:<region>:<account>:room/<id>`.
pub fn room_arn(region: &str, account: &str, id: &str) -> String {
    format!("{ROOM_ARN_PREFIX}{region}:{account}:room/{id}")
}

fn is_room_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = r#"{"event_timestamp":"2026-11-22T02:00:00.000Z","type":"MESSAGE","version":"1.0","payload":{"Type":"MESSAGE","Id":"AbCdEf123456","RequestId":"r","Attributes":{"k":"v"},"Content":"hi there","SendTime":"2026-11-22T02:00:00.000Z","Sender":{"UserId":"alice","Attributes":null}}}"#;

    #[test]
    fn a_message_record_borrows_its_text() {
        let record: LogRecord = serde_json::from_str(RECORD).unwrap();
        let message = record.into_message().unwrap().unwrap();
        assert!(matches!(message.content.0, Cow::Borrowed("hi there")));
        assert_eq!(&*message.id, "AbCdEf123456");
        assert_eq!(&*message.user_id, "alice");
        assert_eq!(message.attributes.len(), 1);
    }

    #[test]
    fn escaped_text_is_owned_and_decoded() {
        let record: LogRecord =
            serde_json::from_str(r#"{"type":"MESSAGE","payload":{"Content":"caf\u00e9 \"x\""}}"#)
                .unwrap();
        let message = record.into_message().unwrap().unwrap();
        assert!(matches!(message.content.0, Cow::Owned(_)));
        assert_eq!(&*message.content, "café \"x\"");
    }

    #[test]
    fn events_are_not_messages_and_a_message_needs_content() {
        let event: LogRecord =
            serde_json::from_str(r#"{"type":"EVENT","payload":{"EventName":"app:x","Id":"i"}}"#)
                .unwrap();
        assert!(event.into_message().unwrap().is_none());
        let broken: LogRecord =
            serde_json::from_str(r#"{"type":"MESSAGE","payload":{"Id":"x"}}"#).unwrap();
        assert!(broken.into_message().unwrap_err().contains("Content"));
    }

    #[test]
    fn rooms_from_where_the_record_was_stored() {
        assert_eq!(room_id_from_log_stream("room_abc-1"), Some("abc-1"));
        assert_eq!(room_id_from_log_stream("aws/IVSChatLogs/1.0/room_"), None);
        assert_eq!(
            room_from_s3_key(
                "123456789012_IVSChatLogs_1.0_eu-west-1_room_xyz_20261122T0200_ff.log.gz"
            )
            .as_deref(),
            Some("arn:aws:ivschat:eu-west-1:123456789012:room/xyz")
        );
        assert_eq!(room_from_s3_key("a_b_c_d_room_x_y"), None);
    }
}
