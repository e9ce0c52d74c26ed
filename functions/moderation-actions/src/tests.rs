//! Handler tests against the in-memory fake client, driven by the samples in
//! `events/moderation-actions/` so the samples and the code cannot drift.

use super::*;
use ivs_chat::fake::{Call, FakeRoomClient};
use ivs_chat::ErrorKind;
use lambda_runtime::Context;

const ROOM_A: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";
const ROOM_B: &str = "arn:aws:ivschat:us-west-2:123456789012:room/ijklIJKLmnop";

fn sample(name: &str) -> Value {
    let path = format!(
        "{}/../../events/moderation-actions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn handler(fake: FakeRoomClient) -> Handler<FakeRoomClient> {
    Handler::new(
        fake,
        Config {
            max_concurrency: 3,
            rate_per_second: 100,
        },
    )
}

async fn invoke(h: &Handler<FakeRoomClient>, event: Value) -> Result<Value, ActionError> {
    h.handle(LambdaEvent::new(event, Context::default())).await
}

fn failures(v: &Value) -> Vec<String> {
    v["batchItemFailures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["itemIdentifier"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn sqs_batch_reports_only_invalid_records_and_runs_the_rest() {
    let h = handler(FakeRoomClient::new());
    let out = invoke(&h, sample("sqs-batch.json")).await.unwrap();
    assert_eq!(
        failures(&out),
        vec![
            "5f2a9c1e-0003-4c8e-9a51-6e0c2b7d1a03",
            "5f2a9c1e-0004-4c8e-9a51-6e0c2b7d1a04"
        ]
    );
    let mut calls = h.client().calls();
    calls.sort_by_key(|c| format!("{c:?}"));
    assert_eq!(
        calls,
        vec![
            Call::DeleteMessage {
                room: ROOM_A.into(),
                message_id: "AbCdEf123456".into(),
                reason: Some("Offensive".into())
            },
            Call::DisconnectUser {
                room: ROOM_A.into(),
                user_id: "spammer-42".into(),
                reason: Some("Repeated spam".into())
            },
            Call::SendEvent {
                room: ROOM_B.into(),
                event_name: "app:ANNOUNCEMENT".into(),
                attributes: [("text".to_string(), "Slow mode is on".to_string())].into(),
            },
        ]
    );
}

#[tokio::test]
async fn sqs_failed_calls_are_reported_whatever_their_class() {
    // ROOM_B throttles for ever (transient); ROOM_A's first call is not found (permanent).
    let fake = FakeRoomClient::new()
        .fail_room(ROOM_B, ErrorKind::Throttling, None)
        .fail_room(ROOM_A, ErrorKind::NotFound, Some(1));
    let h = Handler::new(
        fake,
        Config {
            max_concurrency: 1,
            rate_per_second: 100,
        },
    );
    let out = invoke(&h, sample("sqs-batch.json")).await.unwrap();
    assert_eq!(
        failures(&out),
        vec![
            "5f2a9c1e-0003-4c8e-9a51-6e0c2b7d1a03",
            "5f2a9c1e-0004-4c8e-9a51-6e0c2b7d1a04",
            "5f2a9c1e-0001-4c8e-9a51-6e0c2b7d1a01",
            "5f2a9c1e-0005-4c8e-9a51-6e0c2b7d1a05",
        ]
    );
    assert_eq!(
        h.client().calls().len(),
        3,
        "each valid record is tried once"
    );
}

#[tokio::test]
async fn empty_batch_has_no_failures() {
    let h = handler(FakeRoomClient::new());
    let out = invoke(&h, json!({"Records": []})).await.unwrap();
    assert_eq!(out, json!({"batchItemFailures": []}));
}

#[tokio::test]
async fn sqs_record_without_body_fails_alone() {
    let h = handler(FakeRoomClient::new());
    let out = invoke(
        &h,
        json!({"Records": [{"messageId": "m1", "eventSource": "aws:sqs"}]}),
    )
    .await
    .unwrap();
    assert_eq!(failures(&out), vec!["m1"]);
    assert!(h.client().calls().is_empty());
}

#[tokio::test]
async fn eventbridge_detail_is_the_command() {
    let h = handler(FakeRoomClient::new());
    let out = invoke(&h, sample("eventbridge.json")).await.unwrap();
    assert_eq!(
        out,
        json!({"action": "disconnectUser", "roomArn": ROOM_A, "status": "done"})
    );
    assert_eq!(
        h.client().calls(),
        vec![Call::DisconnectUser {
            room: ROOM_A.into(),
            user_id: "troll-7".into(),
            reason: Some("Harassment reported by moderators".into())
        }]
    );
}

#[tokio::test]
async fn eventbridge_failure_is_a_function_error_with_the_class() {
    let h = handler(FakeRoomClient::new().fail_room(ROOM_A, ErrorKind::ServerError, None));
    let err = invoke(&h, sample("eventbridge.json")).await.unwrap_err();
    let d = Diagnostic::from(err);
    assert_eq!(d.error_type, "InternalServerError");
    assert!(d.error_message.contains("transient"), "{}", d.error_message);
    let err = invoke(&h, json!({"detail-type": "x", "source": "y"}))
        .await
        .unwrap_err();
    assert_eq!(Diagnostic::from(err).error_type, "ValidationError");
}

#[tokio::test]
async fn direct_commands_return_their_result() {
    let h = handler(FakeRoomClient::new());
    let out = invoke(&h, sample("direct-delete-message.json"))
        .await
        .unwrap();
    assert_eq!(
        out,
        json!({"action": "deleteMessage", "roomArn": ROOM_A, "status": "done", "id": "AbCdEf123456"})
    );
    let out = invoke(&h, sample("direct-send-event.json")).await.unwrap();
    assert_eq!(out["id"], "ev-abcdABCDefgh");
    assert_eq!(
        h.client().calls()[1],
        Call::SendEvent {
            room: ROOM_A.into(),
            event_name: "app:SLOW_MODE".into(),
            attributes: [("seconds".to_string(), "30".to_string())].into()
        }
    );
}

#[tokio::test]
async fn direct_invalid_command_names_the_field_and_calls_nothing() {
    let h = handler(FakeRoomClient::new());
    let err = invoke(&h, sample("direct-invalid.json")).await.unwrap_err();
    let d = Diagnostic::from(err);
    assert_eq!(d.error_type, "ValidationError");
    assert_eq!(
        d.error_message,
        "invalid command: userId: must be 1..=128 characters long, got 0"
    );
    assert!(h.client().calls().is_empty());
}

#[tokio::test]
async fn direct_permanent_failure_is_reported() {
    let h = handler(FakeRoomClient::new().fail_room(ROOM_A, ErrorKind::AccessDenied, None));
    let d = Diagnostic::from(
        invoke(&h, sample("direct-delete-message.json"))
            .await
            .unwrap_err(),
    );
    assert_eq!(d.error_type, "AccessDeniedException");
    assert!(
        d.error_message.contains("(permanent)"),
        "{}",
        d.error_message
    );
}

#[tokio::test]
async fn odd_events_are_errors_not_panics() {
    let h = handler(FakeRoomClient::new());
    for event in [
        json!(null),
        json!([1, 2]),
        json!("text"),
        json!(5),
        json!({"Records": "x"}),
        json!({}),
    ] {
        let err = invoke(&h, event.clone()).await.unwrap_err();
        let t = Diagnostic::from(err).error_type;
        assert!(
            t == "UnrecognisedEvent" || t == "ValidationError",
            "{event}: {t}"
        );
    }
    assert!(h.client().calls().is_empty());
}

#[tokio::test(start_paused = true)]
async fn batch_concurrency_and_rate_are_bounded() {
    let records: Vec<Value> = (0..30)
        .map(|i| {
            json!({"messageId": format!("m{i}"), "body": json!({"action": "disconnectUser", "roomArn": ROOM_A, "userId": format!("u{i}")}).to_string()})
        })
        .collect();
    let h = Handler::new(
        FakeRoomClient::new(),
        Config {
            max_concurrency: 4,
            rate_per_second: 10,
        },
    );
    let start = tokio::time::Instant::now();
    let out = invoke(&h, json!({"Records": records})).await.unwrap();
    assert!(failures(&out).is_empty());
    assert_eq!(h.client().calls().len(), 30);
    // 30 starts at 10/s: the last starts 2.9 s after the first.
    assert!(
        start.elapsed() >= std::time::Duration::from_millis(2900),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn config_reads_and_checks_its_variables() {
    assert_eq!(Config::from_lookup(&|_| None).unwrap(), Config::default());
    let lookup = |n: &str| match n {
        "MAX_CONCURRENCY" => Some("4".to_string()),
        "RATE_LIMIT_PER_SECOND" => Some("60".to_string()),
        _ => None,
    };
    assert_eq!(
        Config::from_lookup(&lookup).unwrap(),
        Config {
            max_concurrency: 4,
            rate_per_second: 60
        }
    );
    let bad = |n: &str| (n == "RATE_LIMIT_PER_SECOND").then(|| "101".to_string());
    assert_eq!(
        Config::from_lookup(&bad).unwrap_err().name,
        "RATE_LIMIT_PER_SECOND"
    );
    let bad = |n: &str| (n == "MAX_CONCURRENCY").then(|| "0".to_string());
    assert_eq!(
        Config::from_lookup(&bad).unwrap_err().name,
        "MAX_CONCURRENCY"
    );
}

#[tokio::test]
async fn sanction_commands_without_a_table_are_refused_by_name_and_validated_first() {
    let h = handler(FakeRoomClient::new());
    let timeout = json!({"action": "timeoutUser", "roomArn": ROOM_A, "userId": "u1", "duration": "10m", "reason": "spam"});
    let err = invoke(&h, timeout).await.unwrap_err();
    assert!(err.to_string().contains("SANCTIONS_TABLE"), "{err}");
    assert_eq!(Diagnostic::from(err).error_type, "SanctionsNotConfigured");
    let invalid = json!({"action": "banUser", "roomArn": ROOM_A, "userId": "u1", "duration": "1s", "reason": "spam"});
    let err = invoke(&h, invalid).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid command: duration: must be 1m..=3650d, got 1s"
    );
    assert!(h.client().calls().is_empty());
    // In a batch, a sanction command that cannot run is a failed record.
    let batch = json!({"Records": [{"messageId": "m1", "body": json!({"action": "liftSanction", "roomArn": ROOM_A, "userId": "u1"}).to_string(), "eventSource": "aws:sqs"}]});
    assert_eq!(failures(&invoke(&h, batch).await.unwrap()), vec!["m1"]);
}
