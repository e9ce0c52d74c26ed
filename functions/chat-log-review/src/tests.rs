use std::sync::Mutex;

use lambda_runtime::Context;

use super::*;

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";
const REASON: &str = "Removed by the room's moderation rules";

/// A queue that keeps what it is sent, refusing the bodies that contain
/// `refuse` (or every call, with `down`).
#[derive(Default)]
struct FakeQueue {
    sent: Mutex<Vec<Vec<QueueEntry>>>,
    refuse: Option<&'static str>,
    down: bool,
}

impl CommandQueue for FakeQueue {
    async fn send_batch(&self, entries: &[QueueEntry]) -> Result<Vec<FailedEntry>, String> {
        self.sent.lock().unwrap().push(entries.to_vec());
        if self.down {
            return Err("queue unreachable".into());
        }
        Ok(entries
            .iter()
            .filter(|e| self.refuse.is_some_and(|r| e.body.contains(r)))
            .map(|e| FailedEntry {
                id: e.id.clone(),
                error: "InternalError: refused".into(),
            })
            .collect())
    }
}

fn handler(queue: FakeQueue, vars: &[(&str, &str)]) -> Handler<FakeQueue> {
    let review = message_review::Config::default();
    let filter = review.build_filter().unwrap();
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    let config = Config::from_lookup(&lookup, &review.deny_reason).unwrap();
    Handler::new(filter, review, config, queue)
}

fn base_vars() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            MODERATION_QUEUE_URL_VAR,
            "https://sqs.us-west-2.amazonaws.com/123456789012/q",
        ),
        (REGION_VAR, "us-west-2"),
        (DELETE_REASON_VAR, REASON),
    ]
}

fn sample(name: &str) -> Value {
    let path = format!(
        "{}/../../events/chat-log-review/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sent_bodies(handler: &Handler<FakeQueue>) -> Vec<Value> {
    handler
        .queue()
        .sent
        .lock()
        .unwrap()
        .iter()
        .flatten()
        .map(|e| serde_json::from_str(&e.body).unwrap())
        .collect()
}

fn delete(id: &str) -> Value {
    json!({"action": "deleteMessage", "roomArn": ROOM, "messageId": id, "reason": REASON})
}

#[tokio::test]
async fn the_sample_queues_a_delete_for_exactly_the_messages_now_flagged() {
    let handler = handler(FakeQueue::default(), &base_vars());
    let out = handler
        .handle(LambdaEvent::new(
            sample("subscription.json"),
            Context::default(),
        ))
        .await
        .unwrap();
    assert_eq!(
        out,
        json!({"logEvents": 6, "messages": 5, "skipped": 1, "flagged": 2, "queued": 2, "invalid": []})
    );
    assert_eq!(
        sent_bodies(&handler),
        vec![delete("Msg000000002"), delete("Msg000000005")]
    );
    for body in sent_bodies(&handler) {
        ivs_chat::Command::from_json(&body).unwrap();
    }
}

#[tokio::test]
async fn control_messages_send_nothing() {
    let handler = handler(FakeQueue::default(), &base_vars());
    let out = handler
        .handle(LambdaEvent::new(
            sample("control-message.json"),
            Context::default(),
        ))
        .await
        .unwrap();
    assert_eq!(out["messageType"], "CONTROL_MESSAGE");
    assert!(handler.queue().sent.lock().unwrap().is_empty());
}

/// A subscription event holding `messages` as its log events.
fn event(stream: &str, messages: &[String]) -> Value {
    let data = json!({
        "messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "g", "logStream": stream,
        "subscriptionFilters": ["f"],
        "logEvents": messages.iter().enumerate().map(|(i, m)| json!({"id": i.to_string(), "timestamp": 0, "message": m})).collect::<Vec<_>>()
    });
    // The runtime type decodes `awslogs.data`; build it the way CloudWatch does.
    use std::io::Write;
    let mut gz = flate2_writer();
    gz.write_all(data.to_string().as_bytes()).unwrap();
    json!({"awslogs": {"data": base64_of(&gz.finish().unwrap())}})
}

fn record(id: &str, content: &str) -> String {
    json!({"event_timestamp": "t", "type": "MESSAGE", "version": "1.0",
           "payload": {"Id": id, "Content": content, "Sender": {"UserId": "u"}}})
    .to_string()
}

#[tokio::test]
async fn batches_of_ten_and_bad_records_are_listed_not_dropped() {
    let handler = handler(FakeQueue::default(), &base_vars());
    let mut messages: Vec<String> = (0..23)
        .map(|i| record(&format!("Bad{i:09}"), "you cunt"))
        .collect();
    messages.push("not json".into());
    messages.push(record("short", "you cunt"));
    let out = handler
        .handle(LambdaEvent::new(
            event("aws/IVSChatLogs/1.0/room_abcdABCDefgh", &messages),
            Context::default(),
        ))
        .await
        .unwrap();
    assert_eq!(out["queued"], 23);
    assert_eq!(out["flagged"], 24);
    let invalid = out["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 2, "{out}");
    assert_eq!(invalid[0]["logEventId"], "23");
    assert!(invalid[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("not a chat logging record"));
    assert_eq!(invalid[1]["messageId"], "short");
    let sizes: Vec<usize> = handler
        .queue()
        .sent
        .lock()
        .unwrap()
        .iter()
        .map(Vec::len)
        .collect();
    assert_eq!(sizes, [10, 10, 3]);
}

#[tokio::test]
async fn refused_entries_fail_the_invocation_after_every_batch_is_tried() {
    let queue = FakeQueue {
        refuse: Some("Bad000000003"),
        ..FakeQueue::default()
    };
    let handler = handler(queue, &base_vars());
    let messages: Vec<String> = (0..12)
        .map(|i| record(&format!("Bad{i:09}"), "you cunt"))
        .collect();
    let error = handler
        .handle(LambdaEvent::new(
            event("aws/IVSChatLogs/1.0/room_abcdABCDefgh", &messages),
            Context::default(),
        ))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "1 of 12 commands were not queued (first: InternalError: refused)"
    );
    assert_eq!(handler.queue().sent.lock().unwrap().len(), 2);

    let down = handler_with_down_queue();
    let error = down
        .handle(LambdaEvent::new(
            event("aws/IVSChatLogs/1.0/room_abcdABCDefgh", &messages),
            Context::default(),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            LogReviewError::Queue {
                failed: 12,
                total: 12,
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(
        Diagnostic::from(error).error_type,
        "ChatLogReview.QueueFailed"
    );
}

fn handler_with_down_queue() -> Handler<FakeQueue> {
    handler(
        FakeQueue {
            down: true,
            ..FakeQueue::default()
        },
        &base_vars(),
    )
}

#[tokio::test]
async fn the_room_comes_from_room_arn_when_the_stream_names_none() {
    let other = "arn:aws:ivschat:eu-west-1:123456789012:room/other";
    let mut vars = base_vars();
    vars.push((ROOM_ARN_VAR, other));
    let handler = handler(FakeQueue::default(), &vars);
    let out = handler
        .handle(LambdaEvent::new(
            event("some-stream", &[record("AbCdEf123456", "you cunt")]),
            Context::default(),
        ))
        .await
        .unwrap();
    assert_eq!(out["queued"], 1);
    assert_eq!(sent_bodies(&handler)[0]["roomArn"], other);

    let no_room = self::handler(FakeQueue::default(), &base_vars());
    let out = no_room
        .handle(LambdaEvent::new(
            event("some-stream", &[record("AbCdEf123456", "you cunt")]),
            Context::default(),
        ))
        .await
        .unwrap();
    assert!(
        out["invalid"][0]["error"]
            .as_str()
            .unwrap()
            .contains("names no room"),
        "{out}"
    );
}

#[tokio::test]
async fn an_event_that_is_not_a_subscription_event_is_an_error() {
    let handler = handler(FakeQueue::default(), &base_vars());
    let error = handler
        .handle(LambdaEvent::new(json!({"Records": []}), Context::default()))
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("not a CloudWatch Logs subscription event"),
        "{error}"
    );
}

#[test]
fn configuration_errors_name_the_variable() {
    let none = |_: &str| None;
    assert_eq!(
        Config::from_lookup(&none, "r").unwrap_err().name,
        MODERATION_QUEUE_URL_VAR
    );
    let long = "x".repeat(300);
    let lookup = |name: &str| match name {
        MODERATION_QUEUE_URL_VAR => Some("q".to_string()),
        DELETE_REASON_VAR => Some(long.clone()),
        _ => None,
    };
    assert_eq!(
        Config::from_lookup(&lookup, "r").unwrap_err().name,
        DELETE_REASON_VAR
    );
    let lookup = |name: &str| match name {
        MODERATION_QUEUE_URL_VAR => Some("q".to_string()),
        ROOM_ARN_VAR => Some("room/abc".to_string()),
        _ => None,
    };
    assert_eq!(
        Config::from_lookup(&lookup, "r").unwrap_err().name,
        ROOM_ARN_VAR
    );
    let lookup = |name: &str| (name == MODERATION_QUEUE_URL_VAR).then(|| "q".to_string());
    let config = Config::from_lookup(&lookup, &"d".repeat(400)).unwrap();
    assert_eq!(config.reason.chars().count(), 256);
}

fn flate2_writer() -> flate2::write::GzEncoder<Vec<u8>> {
    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast())
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
