//! Handler tests against the in-memory fake client and a fake queue, driven
//! by the samples in `events/scheduled-events/`.

use super::*;
use ivs_chat::fake::{Call, FakeRoomClient};
use ivs_chat::{ErrorKind, RoomSummary};
use lambda_runtime::Context;
use std::sync::Mutex;

const A: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";
const B: &str = "arn:aws:ivschat:us-west-2:123456789012:room/ijklIJKLmnop";
const C: &str = "arn:aws:ivschat:us-west-2:123456789012:room/qrstQRSTuvwx";
const D: &str = "arn:aws:ivschat:us-west-2:123456789012:room/yzYZ01234567";

#[derive(Default)]
struct FakeQueue {
    bodies: Mutex<Vec<String>>,
    fail: bool,
}

impl RecoveryQueue for FakeQueue {
    async fn enqueue(&self, body: String) -> Result<(), String> {
        if self.fail {
            return Err("queue unavailable".into());
        }
        self.bodies.lock().unwrap().push(body);
        Ok(())
    }
}

fn sample(name: &str) -> Value {
    let path = format!(
        "{}/../../events/scheduled-events/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap()
}

fn rooms() -> Vec<RoomSummary> {
    let tagged = |arn: &str, show: &str| RoomSummary {
        arn: arn.into(),
        tags: [("show".to_string(), show.to_string())].into(),
    };
    // B is both named and tagged: it must get the event once.
    vec![
        tagged(B, "nightly"),
        tagged(C, "nightly"),
        tagged(D, "weekly"),
    ]
}

fn config() -> Config {
    Config {
        envelope_target: None,
        recovery_queue_url: None,
        max_concurrency: 4,
        rate_per_second: 100,
    }
}

fn handler(
    fake: FakeRoomClient,
    queue: Option<FakeQueue>,
    config: Config,
) -> Handler<FakeRoomClient, FakeQueue> {
    Handler::new(fake, queue, config)
}

async fn invoke(
    h: &Handler<FakeRoomClient, FakeQueue>,
    event: Value,
) -> Result<Value, ScheduleError> {
    h.handle(LambdaEvent::new(event, Context::default())).await
}

fn sent_rooms(h: &Handler<FakeRoomClient, FakeQueue>) -> Vec<String> {
    let mut rooms: Vec<String> = h
        .client()
        .calls()
        .iter()
        .filter_map(|c| match c {
            Call::SendEvent { room, .. } => Some(room.clone()),
            _ => None,
        })
        .collect();
    rooms.sort();
    rooms
}

#[tokio::test]
async fn sends_once_to_named_and_tagged_rooms_across_pages() {
    let h = handler(
        FakeRoomClient::new().with_rooms(rooms(), 2),
        Some(FakeQueue::default()),
        config(),
    );
    let out = invoke(&h, sample("scheduler-input.json")).await.unwrap();
    assert_eq!(sent_rooms(&h), vec![A, B, C]);
    let calls = h.client().calls();
    assert_eq!(calls[0], Call::ListRooms { next_token: None });
    assert_eq!(
        calls[1],
        Call::ListRooms {
            next_token: Some("2".into())
        }
    );
    assert!(calls.contains(&Call::SendEvent {
        room: C.into(),
        event_name: "app:ANNOUNCEMENT".into(),
        attributes: [
            ("level".to_string(), "info".to_string()),
            (
                "text".to_string(),
                "The show starts in 5 minutes".to_string()
            )
        ]
        .into(),
    }));
    assert_eq!(out["rooms"], 3);
    assert_eq!(out["sent"].as_array().unwrap().len(), 3);
    assert_eq!(out["failed"], json!([]));
    assert!(h.queue().unwrap().bodies.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failed_room_is_handed_over_alone_and_nothing_is_resent() {
    let fake = FakeRoomClient::new()
        .with_rooms(rooms(), 50)
        .fail_room(B, ErrorKind::Throttling, None)
        .fail_room(C, ErrorKind::NotFound, None);
    let h = handler(fake, Some(FakeQueue::default()), config());
    let out = invoke(&h, sample("scheduler-input.json")).await.unwrap();
    // Each room tried exactly once by the handler (the SDK does the retrying).
    assert_eq!(sent_rooms(&h), vec![A, B, C]);
    assert_eq!(
        out["sent"],
        json!([{"roomArn": A, "eventId": "ev-abcdABCDefgh"}])
    );
    assert_eq!(
        out["failed"],
        json!([
            {"roomArn": B, "errorClass": "transient", "errorType": "ThrottlingException", "error": "injected by the fake", "recovery": "queued"},
            {"roomArn": C, "errorClass": "permanent", "errorType": "ResourceNotFoundException", "error": "injected by the fake", "recovery": "queued"},
        ])
    );
    let bodies = h.queue().unwrap().bodies.lock().unwrap().clone();
    let commands: Vec<Value> = bodies
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    let attrs = json!({"level": "info", "text": "The show starts in 5 minutes"});
    assert_eq!(
        commands,
        vec![
            json!({"action": "sendEvent", "roomArn": B, "eventName": "app:ANNOUNCEMENT", "attributes": attrs}),
            json!({"action": "sendEvent", "roomArn": C, "eventName": "app:ANNOUNCEMENT", "attributes": attrs}),
        ]
    );
    // The handed-over bodies are valid moderation-actions commands.
    for b in &bodies {
        assert_eq!(Command::from_json_str(b).unwrap().action(), "sendEvent");
    }
}

#[tokio::test]
async fn without_a_working_queue_failures_are_logged_not_raised() {
    let fake = FakeRoomClient::new().fail_room(A, ErrorKind::ServerError, None);
    let h = handler(
        fake,
        Some(FakeQueue {
            fail: true,
            ..Default::default()
        }),
        config(),
    );
    let out = invoke(&h, json!({"rooms": [A, B], "eventName": "app:X"}))
        .await
        .unwrap();
    assert_eq!(out["failed"][0]["recovery"], "logged");
    assert_eq!(out["sent"][0]["roomArn"], B);
    let h = handler(
        FakeRoomClient::new().fail_room(A, ErrorKind::Timeout, None),
        None,
        config(),
    );
    let out = invoke(&h, json!({"rooms": [A], "eventName": "app:X"}))
        .await
        .unwrap();
    assert_eq!(out["failed"][0]["recovery"], "logged");
    assert_eq!(out["failed"][0]["errorClass"], "transient");
}

#[tokio::test]
async fn dry_run_calls_nothing() {
    let h = handler(
        FakeRoomClient::new().with_rooms(rooms(), 50),
        Some(FakeQueue::default()),
        config(),
    );
    let out = invoke(&h, sample("scheduler-input-dry-run.json"))
        .await
        .unwrap();
    assert!(h.client().calls().is_empty());
    assert!(h.queue().unwrap().bodies.lock().unwrap().is_empty());
    assert_eq!(
        out,
        json!({"eventName": "app:ANNOUNCEMENT", "attributes": {"text": "Rehearsal: this is not sent"}, "dryRun": true, "wouldSend": [A], "roomTags": {"show": "nightly"}})
    );
}

#[tokio::test]
async fn invalid_input_names_the_field_and_sends_nothing() {
    let h = handler(FakeRoomClient::new(), None, config());
    let err = invoke(&h, sample("scheduler-input-invalid.json"))
        .await
        .unwrap_err();
    let d = Diagnostic::from(err);
    assert_eq!(d.error_type, "ValidationError");
    assert!(
        d.error_message
            .starts_with("invalid input: rooms[1]: must be a room ARN"),
        "{}",
        d.error_message
    );
    for (input, field) in [
        (json!({"rooms": [A]}), "eventName"),
        (json!({"rooms": [A], "eventName": 3}), "eventName"),
        (json!({"eventName": "app:X"}), "rooms"),
        (
            json!({"rooms": [], "roomTags": {}, "eventName": "app:X"}),
            "rooms",
        ),
        (json!({"rooms": A, "eventName": "app:X"}), "rooms"),
        (
            json!({"rooms": [A], "eventName": "app:X", "dryRun": "yes"}),
            "dryRun",
        ),
        (
            json!({"rooms": [A], "eventName": "app:X", "attributes": {"k": "v".repeat(1024)}}),
            "attributes",
        ),
        (
            json!({"rooms": [A], "eventName": "app:X", "roomTags": {"k": 1}}),
            "roomTags.k",
        ),
        (
            json!({"rooms": [A], "eventName": "app:X", "room": "x"}),
            "room",
        ),
        (
            json!({"rooms": [A], "eventName": "x".repeat(101)}),
            "eventName",
        ),
        (json!([A]), "input"),
    ] {
        match invoke(&h, input.clone()).await {
            Err(ScheduleError::Invalid(e)) => assert_eq!(e.field, field, "{input}"),
            other => panic!("{input}: {other:?}"),
        }
    }
    assert!(h.client().calls().is_empty());
}

#[tokio::test]
async fn list_rooms_failure_fails_before_any_send() {
    let h = handler(
        FakeRoomClient::new().fail_list_rooms(ErrorKind::AccessDenied),
        None,
        config(),
    );
    let err = invoke(&h, sample("scheduler-input.json"))
        .await
        .unwrap_err();
    assert_eq!(
        Diagnostic::from(err).error_type,
        "ListRooms.AccessDeniedException"
    );
    assert!(sent_rooms(&h).is_empty());
}

#[tokio::test]
async fn envelope_uses_the_configured_target() {
    let lookup = |n: &str| match n {
        "ROOMS" => Some(format!("{A}, {B}")),
        "ROOM_TAGS" => Some(r#"{"show": "weekly"}"#.to_string()),
        "EVENT_NAME" => Some("app:REMINDER".to_string()),
        "EVENT_ATTRIBUTES" => Some(r#"{"text": "hi"}"#.to_string()),
        _ => None,
    };
    let mut config = config();
    config.envelope_target = Target::from_lookup(&lookup).unwrap();
    let h = handler(
        FakeRoomClient::new().with_rooms(rooms(), 50),
        None,
        config.clone(),
    );
    let out = invoke(&h, sample("scheduled-envelope.json")).await.unwrap();
    assert_eq!(sent_rooms(&h), vec![A, B, D]);
    assert_eq!(out["eventName"], "app:REMINDER");
    // An empty input is treated the same way.
    let h = handler(FakeRoomClient::new().with_rooms(rooms(), 50), None, config);
    invoke(&h, json!({})).await.unwrap();
    assert_eq!(sent_rooms(&h), vec![A, B, D]);
}

#[tokio::test]
async fn envelope_dry_run_from_the_environment() {
    let lookup = |n: &str| match n {
        "ROOMS" => Some(A.to_string()),
        "EVENT_NAME" => Some("app:REMINDER".to_string()),
        "DRY_RUN" => Some("true".to_string()),
        _ => None,
    };
    let mut config = config();
    config.envelope_target = Target::from_lookup(&lookup).unwrap();
    let h = handler(FakeRoomClient::new(), None, config);
    let out = invoke(&h, sample("scheduled-envelope.json")).await.unwrap();
    assert_eq!(out["wouldSend"], json!([A]));
    assert!(h.client().calls().is_empty());
}

#[tokio::test]
async fn envelope_without_configured_target_is_an_error() {
    let h = handler(FakeRoomClient::new(), None, config());
    let err = invoke(&h, sample("scheduled-envelope.json"))
        .await
        .unwrap_err();
    assert_eq!(Diagnostic::from(err).error_type, "NoEnvelopeTarget");
    assert!(h.client().calls().is_empty());
}

#[tokio::test(start_paused = true)]
async fn sends_are_paced_and_bounded() {
    let many: Vec<RoomSummary> = (0..120)
        .map(|i| RoomSummary {
            arn: format!("arn:aws:ivschat:us-west-2:123456789012:room/r{i}"),
            tags: [("t".to_string(), "1".to_string())].into(),
        })
        .collect();
    let mut config = config();
    config.rate_per_second = 40;
    let h = handler(FakeRoomClient::new().with_rooms(many, 50), None, config);
    let start = tokio::time::Instant::now();
    let out = invoke(&h, json!({"roomTags": {"t": "1"}, "eventName": "app:X"}))
        .await
        .unwrap();
    assert_eq!(out["sent"].as_array().unwrap().len(), 120);
    // 120 sends at 40/s: the last one starts 119/40 s after the first.
    assert!(
        start.elapsed() >= std::time::Duration::from_millis(2975),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn config_reads_and_checks_its_variables() {
    let none = Config::from_lookup(&|_| None).unwrap();
    assert_eq!(
        none,
        Config {
            envelope_target: None,
            recovery_queue_url: None,
            max_concurrency: 10,
            rate_per_second: 50
        }
    );
    let all = |n: &str| match n {
        "RECOVERY_QUEUE_URL" => {
            Some("https://sqs.us-west-2.amazonaws.com/123456789012/q".to_string())
        }
        "MAX_CONCURRENCY" => Some("3".to_string()),
        "RATE_LIMIT_PER_SECOND" => Some("20".to_string()),
        "ROOM_TAGS" => Some(r#"{"a": "b"}"#.to_string()),
        "EVENT_NAME" => Some("app:X".to_string()),
        _ => None,
    };
    let c = Config::from_lookup(&all).unwrap();
    assert_eq!(
        c.recovery_queue_url.as_deref(),
        Some("https://sqs.us-west-2.amazonaws.com/123456789012/q")
    );
    assert_eq!((c.max_concurrency, c.rate_per_second), (3, 20));
    let t = c.envelope_target.unwrap();
    assert_eq!((t.rooms.len(), t.room_tags.len(), t.dry_run), (0, 1, false));

    for (vars, bad) in [
        (vec![("ROOMS", "nope")], "ROOMS"),
        (vec![("ROOMS", A)], "EVENT_NAME"),
        (vec![("EVENT_NAME", "app:X")], "ROOMS"),
        (
            vec![("ROOM_TAGS", "show=nightly"), ("EVENT_NAME", "app:X")],
            "ROOM_TAGS",
        ),
        (
            vec![
                ("ROOMS", A),
                ("EVENT_NAME", "app:X"),
                ("EVENT_ATTRIBUTES", "[1]"),
            ],
            "EVENT_ATTRIBUTES",
        ),
        (vec![("ROOMS", A), ("EVENT_NAME", "")], "EVENT_NAME"),
        (
            vec![
                ("ROOMS", A),
                ("EVENT_NAME", "app:X"),
                ("DRY_RUN", "perhaps"),
            ],
            "DRY_RUN",
        ),
        (vec![("MAX_CONCURRENCY", "500")], "MAX_CONCURRENCY"),
        (
            vec![("RATE_LIMIT_PER_SECOND", "0")],
            "RATE_LIMIT_PER_SECOND",
        ),
    ] {
        let lookup = |n: &str| {
            vars.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        };
        assert_eq!(
            Config::from_lookup(&lookup).unwrap_err().name,
            bad,
            "{vars:?}"
        );
    }
}
