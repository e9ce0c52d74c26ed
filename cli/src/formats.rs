//! The input formats: every shape a room's messages are found in, read as
//! the messages they hold.
//!
//! A record (one line, or one multi-line value) may be:
//!
//! * a **message review event** (`{"Content", "MessageId", "RoomArn", ...}`);
//! * an IVS Chat **chat logging record** (`{"event_timestamp", "type",
//!   "version", "payload"}`), as in CloudWatch Logs, S3 objects (one a line)
//!   and Firehose (records back to back, with or without a separator, so a
//!   line may hold several values);
//! * a **CloudWatch Logs subscription event**, either as Lambda receives it
//!   (`{"awslogs": {"data": <base64 of gzip>}}`) or decoded
//!   (`{"messageType", "owner", "logGroup", "logStream", "logEvents": [...]}`),
//!   whose log events are chat logging records;
//! * the output of `aws logs filter-log-events` / `get-log-events`
//!   (`{"events": [{"message", "logStreamName", ...}]}`);
//! * a line of a **CloudWatch Logs export** to S3
//!   (`2026-11-22T02:00:00.000Z {"event_timestamp": ...}`: the event's time, a
//!   space, the message).
//!
//! `EVENT` records and `CONTROL_MESSAGE` subscription events hold no message:
//! they are reported as skipped, never silently dropped, so the caller can
//! say where each answer came from. Strings are borrowed from the record
//! ([`ivs_chat::chat_log::Text`]), so a clean message is read without
//! copying its text.

use std::borrow::Cow;
use std::io::Read;

use base64::Engine;
use ivs_chat::chat_log::{
    room_arn, room_id_from_log_stream, Attributes, LogRecord, LoggedMessage, LoggedSender, Payload,
    Text,
};
use serde::Deserialize;

use crate::stream::without_position;

mod flat;

/// What a record holds, one item at a time.
#[derive(Debug)]
pub enum Found<'a> {
    /// A message to review.
    Message(LoggedMessage<'a>),
    /// A record that holds no message (an `EVENT` record, a control message).
    Skipped(&'static str),
    /// A value that is none of the formats, or a broken one; the text says
    /// what is wrong, starting with where inside the record when nested.
    Error(String),
}

/// Where to find a room's ARN when the record does not name it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rooms<'c> {
    /// The room an S3 object's name gives, or the one `--room` names.
    pub fallback: Option<&'c str>,
    /// The region to build an ARN from a log stream's room id with.
    pub region: Option<&'c str>,
}

/// Every value of a record, whether it is one or several in a row.
#[derive(Debug, Default, Deserialize)]
struct Envelope<'a> {
    // A review event.
    #[serde(rename = "Content", borrow, default)]
    content: Option<Text<'a>>,
    #[serde(rename = "MessageId", borrow, default)]
    message_id: Option<Text<'a>>,
    #[serde(rename = "RoomArn", borrow, default)]
    room_arn: Option<Text<'a>>,
    #[serde(rename = "Attributes", borrow, default)]
    attributes: Option<Attributes<'a>>,
    #[serde(rename = "Sender", borrow, default)]
    sender: Option<LoggedSender<'a>>,
    // A chat logging record.
    #[serde(rename = "type", borrow, default)]
    kind: Option<Text<'a>>,
    #[serde(borrow, default)]
    payload: Option<Payload<'a>>,
    // A CloudWatch Logs subscription event, encoded or not.
    #[serde(borrow, default)]
    awslogs: Option<AwsLogs<'a>>,
    #[serde(rename = "messageType", borrow, default)]
    message_type: Option<Text<'a>>,
    #[serde(borrow, default)]
    owner: Option<Text<'a>>,
    #[serde(rename = "logStream", borrow, default)]
    log_stream: Option<Text<'a>>,
    #[serde(rename = "logEvents", borrow, default)]
    log_events: Option<Vec<LogEvent<'a>>>,
    // `aws logs filter-log-events` output.
    #[serde(borrow, default)]
    events: Option<Vec<LogEvent<'a>>>,
}

#[derive(Debug, Deserialize)]
struct AwsLogs<'a> {
    #[serde(borrow)]
    data: Text<'a>,
}

#[derive(Debug, Deserialize)]
struct LogEvent<'a> {
    #[serde(borrow)]
    message: Text<'a>,
    #[serde(rename = "logStreamName", borrow, default)]
    log_stream_name: Option<Text<'a>>,
}

/// The fields of a review event: what the fast path reads, and the part of
/// an [`Envelope`] that makes a review event.
#[derive(Debug, Default)]
struct ReviewFields<'a> {
    content: Option<Text<'a>>,
    message_id: Option<Text<'a>>,
    room_arn: Option<Text<'a>>,
    attributes: Option<Attributes<'a>>,
    sender: Option<LoggedSender<'a>>,
}

impl<'a> ReviewFields<'a> {
    /// The message, when there is content; a record without a room takes
    /// the fallback's.
    fn into_message(self, rooms: Rooms<'a>) -> Option<LoggedMessage<'a>> {
        let sender = self.sender.unwrap_or_default();
        Some(LoggedMessage {
            content: self.content?,
            id: self.message_id.unwrap_or_default(),
            room_arn: self.room_arn.or(rooms.fallback.map(borrowed)),
            user_id: sender.user_id.unwrap_or_default(),
            attributes: self.attributes.unwrap_or_default(),
            sender_attributes: sender.attributes.unwrap_or_default(),
        })
    }
}

/// Calls `each` with everything `text` holds, in order.
pub fn read<'a>(text: &'a [u8], rooms: Rooms<'a>, each: &mut dyn FnMut(Found<'_>)) {
    let text = export_line_message(text).unwrap_or(text);
    // The common case, a flat review event, is read in one pass; anything
    // else the fast path declines, and serde reads it.
    match simdutf8::basic::from_utf8(text)
        .ok()
        .and_then(flat::review_event)
        .and_then(|event| event.into_message(rooms))
    {
        Some(message) => each(Found::Message(message)),
        None => read_general(text, rooms, each),
    }
}

/// [`read`] through serde: every format.
fn read_general<'a>(text: &'a [u8], rooms: Rooms<'a>, each: &mut dyn FnMut(Found<'_>)) {
    // A record that is valid UTF-8 as a whole is read as a `str`, so the
    // parser does not validate each of its strings again (a fifth of the
    // parse, measured); the values and errors are the same. Any other
    // record is read as bytes, which reports where it breaks.
    match simdutf8::basic::from_utf8(text) {
        Ok(valid) => read_values(
            serde_json::Deserializer::from_str(valid).into_iter(),
            text,
            rooms,
            each,
        ),
        Err(_) => read_values(
            serde_json::Deserializer::from_slice(text).into_iter(),
            text,
            rooms,
            each,
        ),
    }
}

fn read_values<'a>(
    values: impl Iterator<Item = serde_json::Result<Envelope<'a>>>,
    text: &[u8],
    rooms: Rooms<'a>,
    each: &mut dyn FnMut(Found<'_>),
) {
    let mut any = false;
    for value in values {
        any = true;
        match value {
            Ok(envelope) => envelope_items(envelope, rooms, "", each),
            Err(e) => {
                each(Found::Error(json_error(&e, text)));
                return;
            }
        }
    }
    if !any {
        each(Found::Error("no JSON value".into()));
    }
}

fn json_error(e: &serde_json::Error, text: &[u8]) -> String {
    let what = if e.is_data() {
        "not a review event or chat log record"
    } else {
        "invalid JSON"
    };
    if text.contains(&b'\n') {
        format!(
            "{what}: {} (line {} column {} of the value)",
            without_position(e),
            e.line(),
            e.column()
        )
    } else {
        format!("{what} at column {}: {}", e.column(), without_position(e))
    }
}

/// The message of a CloudWatch Logs export line (`<timestamp> <message>`).
fn export_line_message(text: &[u8]) -> Option<&[u8]> {
    if !text.first()?.is_ascii_digit() {
        return None;
    }
    let space = text.iter().position(|&b| b == b' ')?;
    let (stamp, rest) = (&text[..space], &text[space + 1..]);
    let looks_like_time = stamp.len() >= 10
        && stamp
            .iter()
            .all(|b| b.is_ascii_digit() || b"-:T.Z+".contains(b));
    (looks_like_time && rest.first() == Some(&b'{')).then_some(rest)
}

fn envelope_items<'a>(
    envelope: Envelope<'a>,
    rooms: Rooms<'a>,
    place: &str,
    each: &mut dyn FnMut(Found<'_>),
) {
    if let (Some(kind), Some(payload)) = (&envelope.kind, envelope.payload.clone()) {
        let record = LogRecord {
            event_timestamp: None,
            kind: kind.clone(),
            version: None,
            payload,
        };
        log_record(record, rooms.fallback.map(borrowed), place, each);
        return;
    }
    let fields = ReviewFields {
        content: envelope.content,
        message_id: envelope.message_id,
        room_arn: envelope.room_arn,
        attributes: envelope.attributes,
        sender: envelope.sender,
    };
    if let Some(message) = fields.into_message(rooms) {
        each(Found::Message(message));
        return;
    }
    if let Some(awslogs) = envelope.awslogs {
        match decode_awslogs(&awslogs.data) {
            Ok(decoded) => match serde_json::from_slice::<Envelope<'_>>(&decoded) {
                Ok(inner) => envelope_items(inner, rooms, "awslogs.data: ", each),
                Err(e) => each(Found::Error(format!("awslogs.data: invalid JSON: {e}"))),
            },
            Err(message) => each(Found::Error(format!("awslogs.data: {message}"))),
        }
        return;
    }
    if envelope.message_type.as_deref() == Some("CONTROL_MESSAGE") {
        each(Found::Skipped("CloudWatch Logs control message"));
        return;
    }
    let owner = envelope.owner.as_deref();
    let stream = envelope.log_stream.as_deref();
    let (field, events) = match (envelope.log_events, envelope.events) {
        (Some(events), _) => ("logEvents", events),
        (None, Some(events)) => ("events", events),
        (None, None) => {
            each(Found::Error(format!(
                "{place}not a review event or chat log record: no `Content`, no `type` and \
                 `payload`, and no CloudWatch Logs events"
            )));
            return;
        }
    };
    for (index, event) in events.iter().enumerate() {
        let stream = event.log_stream_name.as_deref().or(stream);
        let room = stream
            .and_then(room_id_from_log_stream)
            .zip(owner.zip(rooms.region))
            .map(|(id, (account, region))| Text(Cow::Owned(room_arn(region, account, id))))
            .or(rooms.fallback.map(borrowed));
        let here = format!("{place}{field}[{index}]: ");
        match serde_json::from_str::<LogRecord<'_>>(&event.message) {
            Ok(record) => log_record(record, room, &here, each),
            Err(e) => each(Found::Error(format!(
                "{here}not a chat log record: {}",
                without_position(&e)
            ))),
        }
    }
}

fn borrowed(s: &str) -> Text<'_> {
    Text(Cow::Borrowed(s))
}

fn log_record<'r>(
    record: LogRecord<'r>,
    room: Option<Text<'r>>,
    place: &str,
    each: &mut dyn FnMut(Found<'_>),
) {
    match record.into_message() {
        Ok(Some(mut message)) => {
            message.room_arn = room;
            each(Found::Message(message));
        }
        Ok(None) => each(Found::Skipped("not a message (EVENT record)")),
        Err(problem) => each(Found::Error(format!("{place}{problem}"))),
    }
}

/// The JSON text of a subscription event's `awslogs.data` (base64 of gzip).
pub fn decode_awslogs(data: &str) -> Result<Vec<u8>, String> {
    let compressed = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| format!("not base64: {e}"))?;
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(compressed.as_slice())
        .read_to_end(&mut text)
        .map_err(|e| format!("not gzip: {e}"))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn all(text: &str, rooms: Rooms<'_>) -> Vec<String> {
        let mut out = Vec::new();
        read(text.as_bytes(), rooms, &mut |found| {
            out.push(match found {
                Found::Message(m) => format!(
                    "message {} {} {} {}",
                    &*m.id,
                    m.room_arn.as_deref().unwrap_or("-"),
                    &*m.user_id,
                    &*m.content
                ),
                Found::Skipped(why) => format!("skipped {why}"),
                Found::Error(e) => format!("error {e}"),
            })
        });
        out
    }

    const RECORD: &str = r#"{"event_timestamp":"2026-11-22T02:00:00.000Z","type":"MESSAGE","version":"1.0","payload":{"Type":"MESSAGE","Id":"AbCdEf123456","Content":"hi","Sender":{"UserId":"alice"}}}"#;
    const EVENT: &str = r#"{"event_timestamp":"2026-11-22T02:00:01.000Z","type":"EVENT","version":"1.0","payload":{"Type":"EVENT","EventName":"app:x","Id":"EvEvEv123456"}}"#;

    #[test]
    fn review_events_and_chat_log_records() {
        assert_eq!(
            all(
                r#"{"Content": "yo", "MessageId": "m1", "RoomArn": "arn:r", "Sender": {"UserId": "u"}}"#,
                Rooms::default()
            ),
            ["message m1 arn:r u yo"]
        );
        assert_eq!(
            all(RECORD, Rooms::default()),
            ["message AbCdEf123456 - alice hi"]
        );
        assert_eq!(
            all(EVENT, Rooms::default()),
            ["skipped not a message (EVENT record)"]
        );
    }

    #[test]
    fn firehose_records_back_to_back_and_export_lines() {
        let firehose = format!("{RECORD}{EVENT}{RECORD}");
        assert_eq!(all(&firehose, Rooms::default()).len(), 3);
        let export = format!("2026-11-22T02:00:00.000Z {RECORD}");
        assert_eq!(
            all(
                &export,
                Rooms {
                    fallback: Some("arn:f"),
                    region: None
                }
            ),
            ["message AbCdEf123456 arn:f alice hi"]
        );
    }

    #[test]
    fn subscription_events_encoded_or_not_name_the_room() {
        let data = serde_json::json!({
            "messageType": "DATA_MESSAGE", "owner": "123456789012",
            "logGroup": "/aws/vendedlogs/ivschat/room", "logStream": "aws/IVSChatLogs/1.0/room_abcdABCDefgh",
            "subscriptionFilters": ["f"],
            "logEvents": [
                {"id": "1", "timestamp": 1, "message": RECORD},
                {"id": "2", "timestamp": 2, "message": EVENT},
                {"id": "3", "timestamp": 3, "message": "not json"}
            ]
        })
        .to_string();
        let rooms = Rooms {
            fallback: None,
            region: Some("us-west-2"),
        };
        let decoded = all(&data, rooms);
        assert_eq!(decoded[0], "message AbCdEf123456 arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh alice hi");
        assert_eq!(decoded[1], "skipped not a message (EVENT record)");
        assert!(
            decoded[2].starts_with("error logEvents[2]: not a chat log record"),
            "{decoded:?}"
        );

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(data.as_bytes()).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(gz.finish().unwrap());
        let event = serde_json::json!({"awslogs": {"data": b64}}).to_string();
        let encoded = all(&event, rooms);
        assert_eq!(encoded[0], decoded[0]);
        assert!(
            encoded[2].starts_with("error awslogs.data: logEvents[2]: "),
            "{encoded:?}"
        );
        let control =
            r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logEvents":[]}"#;
        assert_eq!(
            all(control, rooms),
            ["skipped CloudWatch Logs control message"]
        );
    }

    #[test]
    fn filter_log_events_output() {
        let out = serde_json::json!({"events": [{"logStreamName": "aws/IVSChatLogs/1.0/room_r1", "timestamp": 1, "message": RECORD}]}).to_string();
        assert_eq!(
            all(&out, Rooms::default()),
            ["message AbCdEf123456 - alice hi"]
        );
    }

    /// [`read`] or [`read_general`].
    type Reader = fn(&[u8], Rooms<'_>, &mut dyn FnMut(Found<'_>));

    /// Every item of `text`, read by `read` (with the fast path) or by
    /// serde alone, each item as its full debug form.
    fn items(text: &str, read: Reader) -> Vec<String> {
        let mut out = Vec::new();
        let rooms = Rooms {
            fallback: Some("arn:f"),
            region: None,
        };
        read(text.as_bytes(), rooms, &mut |found| {
            out.push(format!("{found:?}"))
        });
        out
    }

    #[test]
    fn the_fast_path_reads_review_events_exactly_as_serde_does() {
        let fields = [
            r#""Content":"hi there""#,
            r#""Content": "caf\u00e9""#,
            r#""Content":"café ✓""#,
            r#""Content":"tab\there""#,
            r#""Content":null"#,
            r#""Content":5"#,
            r#""MessageId":"AbCd""#,
            r#""RoomArn":"arn:aws:ivschat:us-west-2:123456789012:room/abc""#,
            r#""RoomArn":null"#,
            r#""Attributes":{}"#,
            r#""Attributes":{"z":"1","a":"2","z":"3"}"#,
            r#""Attributes":{"k":1}"#,
            r#""Attributes":null"#,
            r#""Sender":{"UserId":"u","Ip":"203.0.113.7","Attributes":{"role":"mod"}}"#,
            r#""Sender":{"UserId":"u","UserId":"v"}"#,
            r#""Sender":{}"#,
            r#""Sender":{"Ip":{"nested":"x"}}"#,
            r#""Extra":"ignored""#,
            r#""Extra":[1,2]"#,
            r#""Cont\u0065nt":"escaped key""#,
            r#""type":"MESSAGE""#,
            r#""payload":{"Content":"p"}"#,
            r#""events":[]"#,
        ];
        let mut texts = vec![
            String::new(),
            "{}".into(),
            " {\"Content\" : \"a\" , \"Attributes\" : { } } ".into(),
            "{\"Content\":\"a\",}".into(),
            "{\"Content\":\"a\" \"MessageId\":\"b\"}".into(),
            "{\"Content\":\"a\"}{\"Content\":\"b\"}".into(),
            "{\"Content\":\"a\"} x".into(),
            "{\"Content\":\"a\"".into(),
            "{\"Content\":\"a\u{1}\"}".into(),
            "[{\"Content\":\"a\"}]".into(),
        ];
        for (i, a) in fields.iter().enumerate() {
            texts.push(format!("{{{a}}}"));
            for b in &fields[i..] {
                texts.push(format!("{{{a},{b}}}"));
                texts.push(format!("{{{b}, {a}, \"Content\":\"c\"}}"));
            }
        }
        let mut fast = 0;
        for text in &texts {
            if std::str::from_utf8(text.as_bytes())
                .ok()
                .and_then(flat::review_event)
                .is_some()
            {
                fast += 1;
            }
            assert_eq!(items(text, read), items(text, read_general), "{text}");
        }
        // The comparison covers both paths.
        assert!(
            fast >= 30 && texts.len() - fast >= 30,
            "{fast} of {}",
            texts.len()
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            all(r#"{"Content": 5}"#, Rooms::default()),
            ["error not a review event or chat log record at column 13: invalid type: integer `5`, expected a string"]
        );
        assert!(all("{oops}", Rooms::default())[0].starts_with("error invalid JSON at column 2"));
        assert!(all(r#"{"MessageId": "x"}"#, Rooms::default())[0].contains("no `Content`"));
    }
}
