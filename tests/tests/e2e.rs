//! End-to-end: the real bootstraps, under the Lambda Runtime Interface
//! Emulator, against the local IVS Chat server, with the samples in `events/`.
//!
//! Each test asserts the exact calls the server received and the exact
//! answer (batch failures, results, errors). They skip when the emulator or
//! the binaries are missing, and fail instead when `E2E_REQUIRED=1`.

use std::collections::BTreeMap;
use std::time::Duration;

use e2e_tests::lambda::{function_env, paths, sample, samples, Emulator, Paths};
use e2e_tests::server::{Call, FakeIvsChat, FaultKind, Room};
use serde_json::{json, Value};

const A: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";
const B: &str = "arn:aws:ivschat:us-west-2:123456789012:room/ijklIJKLmnop";
const C: &str = "arn:aws:ivschat:us-west-2:123456789012:room/qrstQRSTuvwx";
const D: &str = "arn:aws:ivschat:us-west-2:123456789012:room/yzYZ01234567";
const QUEUE_URL: &str = "https://sqs.us-west-2.amazonaws.com/123456789012/moderation-actions";

fn room(arn: &str, tags: &[(&str, &str)]) -> Room {
    Room {
        arn: arn.into(),
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// A: named in the sample; B: named and tagged nightly; C: tagged nightly;
/// D: tagged weekly.
fn server(page_size: usize) -> FakeIvsChat {
    FakeIvsChat::start(
        vec![
            room(A, &[]),
            room(B, &[("show", "nightly")]),
            room(C, &[("show", "nightly"), ("lang", "en")]),
            room(D, &[("show", "weekly")]),
        ],
        page_size,
    )
    .unwrap()
}

fn env(server: &FakeIvsChat, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    function_env(&server.url(), extra)
}

/// The calls, signature checked, as `(operation, body)`.
fn calls(server: &FakeIvsChat) -> Vec<(String, Value)> {
    server
        .calls()
        .into_iter()
        .map(
            |Call {
                 operation,
                 body,
                 auth_error,
                 ..
             }| {
                assert_eq!(auth_error, None, "{operation} {body}: bad signature");
                (operation, body)
            },
        )
        .collect()
}

/// The calls in a fixed order, whatever order each body's keys were sent
/// in: `serde_json` keeps insertion order when another crate of the
/// workspace turns on `preserve_order`, and a function may send a map's
/// keys in any order.
fn sorted(mut v: Vec<(String, Value)>) -> Vec<(String, Value)> {
    v.sort_by_key(|(op, body)| format!("{op} {}", canonical(body)));
    v
}

/// `value` written with every object's keys sorted.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, String> =
                map.iter().map(|(k, v)| (k, canonical(v))).collect();
            format!("{sorted:?}")
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

fn op(name: &str, body: Value) -> (String, Value) {
    (name.to_string(), body)
}

fn setup(binaries: &[&str]) -> Option<Paths> {
    paths(binaries)
}

// ---------------------------------------------------------------- moderation-actions

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn moderation_sqs_batch_fails_exactly_the_invalid_records() {
    let Some(paths) = setup(&["moderation-actions"]) else {
        return;
    };
    let server = server(50);
    let lambda = Emulator::start(&paths, "moderation-actions", &env(&server, &[]));
    let out = lambda.invoke_file("events/moderation-actions/sqs-batch.json");
    assert_eq!(
        out,
        json!({"batchItemFailures": [
            {"itemIdentifier": "5f2a9c1e-0003-4c8e-9a51-6e0c2b7d1a03"},
            {"itemIdentifier": "5f2a9c1e-0004-4c8e-9a51-6e0c2b7d1a04"},
        ]}),
        "{}",
        lambda.logs()
    );
    assert_eq!(
        sorted(calls(&server)),
        vec![
            op(
                "DeleteMessage",
                json!({"roomIdentifier": A, "id": "AbCdEf123456", "reason": "Offensive"})
            ),
            op(
                "DisconnectUser",
                json!({"roomIdentifier": A, "userId": "spammer-42", "reason": "Repeated spam"})
            ),
            op(
                "SendEvent",
                json!({"roomIdentifier": B, "eventName": "app:ANNOUNCEMENT", "attributes": {"text": "Slow mode is on"}})
            ),
        ]
    );
    // The invalid records are logged with the field and the class.
    let logs = lambda.json_logs();
    assert!(
        logs.iter().any(
            |l| l["message_id"] == "5f2a9c1e-0003-4c8e-9a51-6e0c2b7d1a03"
                && l["field"] == "messageId"
                && l["error_class"] == "permanent"
        ),
        "{}",
        lambda.logs()
    );
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn moderation_sqs_batch_retries_transient_errors_and_reports_what_is_left() {
    let Some(paths) = setup(&["moderation-actions"]) else {
        return;
    };
    let server = server(50);
    // One throttle on DisconnectUser: the SDK retries and succeeds.
    server.inject(
        Some("DisconnectUser"),
        Some(A),
        Some(1),
        FaultKind::Throttle,
    );
    // SendEvent to B always fails with 500: three attempts, then the record fails.
    server.inject(Some("SendEvent"), Some(B), None, FaultKind::ServerError);
    let lambda = Emulator::start(&paths, "moderation-actions", &env(&server, &[]));
    let out = lambda.invoke_file("events/moderation-actions/sqs-batch.json");
    assert_eq!(
        out,
        json!({"batchItemFailures": [
            {"itemIdentifier": "5f2a9c1e-0003-4c8e-9a51-6e0c2b7d1a03"},
            {"itemIdentifier": "5f2a9c1e-0004-4c8e-9a51-6e0c2b7d1a04"},
            {"itemIdentifier": "5f2a9c1e-0005-4c8e-9a51-6e0c2b7d1a05"},
        ]}),
        "{}",
        lambda.logs()
    );
    let disconnect = op(
        "DisconnectUser",
        json!({"roomIdentifier": A, "userId": "spammer-42", "reason": "Repeated spam"}),
    );
    let send = op(
        "SendEvent",
        json!({"roomIdentifier": B, "eventName": "app:ANNOUNCEMENT", "attributes": {"text": "Slow mode is on"}}),
    );
    assert_eq!(
        sorted(calls(&server)),
        vec![
            op(
                "DeleteMessage",
                json!({"roomIdentifier": A, "id": "AbCdEf123456", "reason": "Offensive"})
            ),
            disconnect.clone(),
            disconnect,
            send.clone(),
            send.clone(),
            send,
        ]
    );
    let statuses: Vec<u16> = server
        .calls()
        .iter()
        .filter(|c| c.operation == "DisconnectUser")
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, vec![429, 200]);
    assert!(
        lambda.json_logs().iter().any(|l| l["room_arn"] == B
            && l["error_class"] == "transient"
            && l["error_type"] == "InternalServerError"
            && l["message_id"] == "5f2a9c1e-0005-4c8e-9a51-6e0c2b7d1a05"),
        "{}",
        lambda.logs()
    );
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn moderation_eventbridge_and_direct_commands() {
    let Some(paths) = setup(&["moderation-actions"]) else {
        return;
    };
    let server = server(50);
    let lambda = Emulator::start(&paths, "moderation-actions", &env(&server, &[]));
    assert_eq!(
        lambda.invoke_file("events/moderation-actions/eventbridge.json"),
        json!({"action": "disconnectUser", "roomArn": A, "status": "done"})
    );
    assert_eq!(
        lambda.invoke_file("events/moderation-actions/direct-delete-message.json"),
        json!({"action": "deleteMessage", "roomArn": A, "status": "done", "id": "AbCdEf123456"})
    );
    let out = lambda.invoke_file("events/moderation-actions/direct-send-event.json");
    assert_eq!(out["status"], "done");
    assert!(
        out["id"].as_str().is_some_and(|id| id.starts_with("EvEnT")),
        "{out}"
    );
    let invalid = lambda.invoke_file("events/moderation-actions/direct-invalid.json");
    assert_eq!(invalid["errorType"], "ValidationError", "{invalid}");
    assert_eq!(
        invalid["errorMessage"],
        "invalid command: userId: must be 1..=128 characters long, got 0"
    );
    // A room the service does not know: permanent, reported with its type.
    let unknown = lambda.invoke(&json!({"action": "disconnectUser", "roomArn": "arn:aws:ivschat:us-west-2:123456789012:room/gone", "userId": "u"}));
    assert_eq!(
        unknown["errorType"], "ResourceNotFoundException",
        "{unknown}"
    );
    assert_eq!(
        calls(&server),
        vec![
            op(
                "DisconnectUser",
                json!({"roomIdentifier": A, "userId": "troll-7", "reason": "Harassment reported by moderators"})
            ),
            op(
                "DeleteMessage",
                json!({"roomIdentifier": A, "id": "AbCdEf123456", "reason": "Off-topic"})
            ),
            op(
                "SendEvent",
                json!({"roomIdentifier": A, "eventName": "app:SLOW_MODE", "attributes": {"seconds": "30"}})
            ),
            op(
                "DisconnectUser",
                json!({"roomIdentifier": "arn:aws:ivschat:us-west-2:123456789012:room/gone", "userId": "u"})
            ),
        ]
    );
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn moderation_uses_the_general_endpoint_variable_too() {
    let Some(paths) = setup(&["moderation-actions"]) else {
        return;
    };
    let server = server(50);
    let mut vars = env(&server, &[("AWS_ENDPOINT_URL", &server.url())]);
    vars.retain(|(k, _)| !k.starts_with("AWS_ENDPOINT_URL_"));
    let lambda = Emulator::start(&paths, "moderation-actions", &vars);
    let out = lambda.invoke_file("events/moderation-actions/direct-delete-message.json");
    assert_eq!(out["status"], "done", "{out}\n{}", lambda.logs());
    assert_eq!(
        calls(&server),
        vec![op(
            "DeleteMessage",
            json!({"roomIdentifier": A, "id": "AbCdEf123456", "reason": "Off-topic"})
        )]
    );
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn moderation_slow_answers_time_out_and_are_retried() {
    let Some(paths) = setup(&["moderation-actions"]) else {
        return;
    };
    let server = server(50);
    server.inject(
        Some("DeleteMessage"),
        None,
        Some(1),
        FaultKind::Slow(Duration::from_secs(5)),
    );
    let lambda = Emulator::start(
        &paths,
        "moderation-actions",
        &env(&server, &[("AWS_ATTEMPT_TIMEOUT_MS", "1500")]),
    );
    let out = lambda.invoke_file("events/moderation-actions/direct-delete-message.json");
    assert_eq!(out["status"], "done", "{out}\n{}", lambda.logs());
    let deletes: Vec<_> = calls(&server)
        .into_iter()
        .filter(|(o, _)| o == "DeleteMessage")
        .collect();
    assert_eq!(deletes.len(), 2, "the slow attempt and its retry");

    // Slow for every attempt: a transient Timeout error.
    server.clear_calls();
    server.inject(
        Some("DeleteMessage"),
        None,
        None,
        FaultKind::Slow(Duration::from_secs(5)),
    );
    let out = lambda.invoke_file("events/moderation-actions/direct-delete-message.json");
    assert_eq!(out["errorType"], "Timeout", "{out}");
    assert!(
        out["errorMessage"]
            .as_str()
            .unwrap_or_default()
            .contains("(transient)"),
        "{out}"
    );
    assert_eq!(calls(&server).len(), 3);
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn moderation_bad_configuration_fails_at_init_naming_the_variable() {
    let Some(paths) = setup(&["moderation-actions"]) else {
        return;
    };
    let server = server(50);
    let lambda = Emulator::start(
        &paths,
        "moderation-actions",
        &env(&server, &[("MAX_CONCURRENCY", "0")]),
    );
    let (status, body) = lambda.invoke_raw(&sample("events/moderation-actions/eventbridge.json"));
    assert_ne!(status, 200, "{}", lambda.logs());
    // Reported through the Runtime API's init-error endpoint, so the
    // invoker gets the message, not only the log.
    assert!(
        body.contains("MAX_CONCURRENCY: must be a whole number in 1..=100"),
        "status {status}: {body}\n{}",
        lambda.logs()
    );
    let logged = lambda.json_logs().into_iter().any(|l| {
        l["error"] == "MAX_CONCURRENCY: must be a whole number in 1..=100, got \"0\""
            && l["level"] == "ERROR"
    });
    assert!(logged, "{}", lambda.logs());
    assert!(server.calls().is_empty());
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn moderation_without_credentials_fails_at_init_in_one_line() {
    // Missing credentials are configuration: found at init, they stop the
    // function with one line, instead of failing each call of each batch as
    // if the network were down (and being retried as such).
    let Some(paths) = setup(&["moderation-actions"]) else {
        return;
    };
    let server = server(50);
    let mut env = env(&server, &[]);
    env.retain(|(name, _)| !name.starts_with("AWS_ACCESS_KEY") && !name.starts_with("AWS_SECRET"));
    let lambda = Emulator::start(&paths, "moderation-actions", &env);
    let (status, body) = lambda.invoke_raw(&sample("events/moderation-actions/sqs-batch.json"));
    assert_ne!(status, 200, "{}", lambda.logs());
    assert!(
        body.contains("no AWS credentials were found: give the function credentials"),
        "status {status}: {body}\n{}",
        lambda.logs()
    );
    assert!(!body.contains("NetworkError"), "{body}");
    assert!(server.calls().is_empty());
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn moderation_reads_an_empty_endpoint_variable_as_unset() {
    // What an empty template value or a `--env-vars` file gives: the SDK
    // alone would take "" for the endpoint and panic on the first call.
    let Some(paths) = setup(&["moderation-actions"]) else {
        return;
    };
    let server = server(50);
    let lambda = Emulator::start(
        &paths,
        "moderation-actions",
        &env(
            &server,
            &[
                ("AWS_ENDPOINT_URL_IVSCHAT", ""),
                ("AWS_ENDPOINT_URL", &server.url()),
            ],
        ),
    );
    let out = lambda.invoke_file("events/moderation-actions/direct-send-event.json");
    assert_eq!(out["status"], "done", "{out}\n{}", lambda.logs());
    assert_eq!(calls(&server).len(), 1, "{}", lambda.logs());
    assert!(!lambda.logs().contains("panicked"), "{}", lambda.logs());
}

// ---------------------------------------------------------------- scheduled-events

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn scheduled_sends_once_per_room_named_or_tagged() {
    let Some(paths) = setup(&["scheduled-events"]) else {
        return;
    };
    let server = server(2);
    let lambda = Emulator::start(
        &paths,
        "scheduled-events",
        &env(&server, &[("RECOVERY_QUEUE_URL", QUEUE_URL)]),
    );
    let out = lambda.invoke_file("events/scheduled-events/scheduler-input.json");
    assert_eq!(out["rooms"], 3, "{out}\n{}", lambda.logs());
    assert_eq!(out["failed"], json!([]));
    let attrs = json!({"text": "The show starts in 5 minutes", "level": "info"});
    let all = calls(&server);
    // ListRooms first, every page, before any send.
    assert_eq!(
        all[..2],
        [
            op("ListRooms", json!({"maxResults": 50})),
            op(
                "ListRooms",
                json!({"maxResults": 50, "nextToken": "page-2"})
            )
        ]
    );
    assert_eq!(all[2..].iter().filter(|(o, _)| o == "ListRooms").count(), 0);
    assert_eq!(
        sorted(all[2..].to_vec()),
        vec![
            op(
                "SendEvent",
                json!({"roomIdentifier": A, "eventName": "app:ANNOUNCEMENT", "attributes": attrs})
            ),
            op(
                "SendEvent",
                json!({"roomIdentifier": B, "eventName": "app:ANNOUNCEMENT", "attributes": attrs})
            ),
            op(
                "SendEvent",
                json!({"roomIdentifier": C, "eventName": "app:ANNOUNCEMENT", "attributes": attrs})
            ),
        ]
    );
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn scheduled_failed_room_goes_to_the_recovery_queue_and_nothing_is_resent() {
    let Some(paths) = setup(&["scheduled-events"]) else {
        return;
    };
    let server = server(50);
    server.inject(Some("SendEvent"), Some(C), None, FaultKind::Throttle);
    server.inject(Some("SendEvent"), Some(B), Some(1), FaultKind::ServerError);
    let lambda = Emulator::start(
        &paths,
        "scheduled-events",
        &env(&server, &[("RECOVERY_QUEUE_URL", QUEUE_URL)]),
    );
    let out = lambda.invoke_file("events/scheduled-events/scheduler-input.json");
    assert_eq!(
        out["failed"],
        json!([{"roomArn": C, "errorClass": "transient", "errorType": "ThrottlingException", "error": "Request rate exceeded", "recovery": "queued"}]),
        "{out}\n{}",
        lambda.logs()
    );
    let mut sent: Vec<String> = out["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["roomArn"].as_str().unwrap().to_string())
        .collect();
    sent.sort();
    assert_eq!(sent, vec![A, B]);
    let attrs = json!({"text": "The show starts in 5 minutes", "level": "info"});
    let send = |room: &str| {
        op(
            "SendEvent",
            json!({"roomIdentifier": room, "eventName": "app:ANNOUNCEMENT", "attributes": attrs}),
        )
    };
    let recovery = json!({"action": "sendEvent", "roomArn": C, "eventName": "app:ANNOUNCEMENT", "attributes": {"level": "info", "text": "The show starts in 5 minutes"}});
    let all = calls(&server);
    let queued: Vec<&Value> = all
        .iter()
        .filter(|(o, _)| o == "SQS.SendMessage")
        .map(|(_, b)| b)
        .collect();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0]["QueueUrl"], QUEUE_URL);
    let body: Value = serde_json::from_str(queued[0]["MessageBody"].as_str().unwrap()).unwrap();
    assert_eq!(body, recovery);
    // A once, B twice (500 then success, one SDK retry), C three times (all
    // throttled): no room that got the event is sent it again.
    assert_eq!(
        sorted(all.into_iter().filter(|(o, _)| o == "SendEvent").collect()),
        vec![send(A), send(B), send(B), send(C), send(C), send(C)]
    );
    assert!(
        lambda.json_logs().iter().any(|l| l["room_arn"] == C
            && l["error_class"] == "transient"
            && l["error_type"] == "ThrottlingException"
            && l["recovery"] == "queued"),
        "{}",
        lambda.logs()
    );
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn scheduled_dry_run_calls_nothing() {
    let Some(paths) = setup(&["scheduled-events"]) else {
        return;
    };
    let server = server(50);
    let lambda = Emulator::start(
        &paths,
        "scheduled-events",
        &env(&server, &[("RECOVERY_QUEUE_URL", QUEUE_URL)]),
    );
    let out = lambda.invoke_file("events/scheduled-events/scheduler-input-dry-run.json");
    assert_eq!(out["dryRun"], true, "{out}");
    assert_eq!(out["wouldSend"], json!([A]));
    assert!(server.calls().is_empty());
    assert!(
        lambda
            .json_logs()
            .iter()
            .any(|l| l["dry_run"] == true && l["room_arn"] == A),
        "{}",
        lambda.logs()
    );
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn scheduled_envelope_uses_the_environment_target() {
    let Some(paths) = setup(&["scheduled-events"]) else {
        return;
    };
    let server = server(50);
    let lambda = Emulator::start(
        &paths,
        "scheduled-events",
        &env(
            &server,
            &[
                ("ROOMS", D),
                ("ROOM_TAGS", r#"{"lang": "en"}"#),
                ("EVENT_NAME", "app:REMINDER"),
                ("EVENT_ATTRIBUTES", r#"{"text": "Polls close soon"}"#),
                ("MAX_CONCURRENCY", "1"),
                ("RATE_LIMIT_PER_SECOND", "5"),
            ],
        ),
    );
    let out = lambda.invoke_file("events/scheduled-events/scheduled-envelope.json");
    assert_eq!(out["rooms"], 2, "{out}\n{}", lambda.logs());
    let attrs = json!({"text": "Polls close soon"});
    assert_eq!(
        calls(&server),
        vec![
            op("ListRooms", json!({"maxResults": 50})),
            op(
                "SendEvent",
                json!({"roomIdentifier": D, "eventName": "app:REMINDER", "attributes": attrs})
            ),
            op(
                "SendEvent",
                json!({"roomIdentifier": C, "eventName": "app:REMINDER", "attributes": attrs})
            ),
        ]
    );
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn scheduled_invalid_input_and_list_failure_send_nothing() {
    let Some(paths) = setup(&["scheduled-events"]) else {
        return;
    };
    let server = server(50);
    let lambda = Emulator::start(&paths, "scheduled-events", &env(&server, &[]));
    let out = lambda.invoke_file("events/scheduled-events/scheduler-input-invalid.json");
    assert_eq!(out["errorType"], "ValidationError", "{out}");
    assert!(
        out["errorMessage"]
            .as_str()
            .unwrap_or_default()
            .contains("rooms[1]"),
        "{out}"
    );
    assert!(server.calls().is_empty());
    // Without an environment target, an envelope is refused.
    let out = lambda.invoke_file("events/scheduled-events/scheduled-envelope.json");
    assert_eq!(out["errorType"], "NoEnvelopeTarget", "{out}");
    assert!(server.calls().is_empty());
    // ListRooms failing: the invocation fails having sent nothing.
    server.inject(Some("ListRooms"), None, None, FaultKind::ServerError);
    let out = lambda.invoke_file("events/scheduled-events/scheduler-input.json");
    assert_eq!(out["errorType"], "ListRooms.InternalServerError", "{out}");
    assert!(calls(&server).iter().all(|(o, _)| o == "ListRooms"));
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn scheduled_bad_configuration_fails_at_init_naming_the_variable() {
    let Some(paths) = setup(&["scheduled-events"]) else {
        return;
    };
    let server = server(50);
    let lambda = Emulator::start(
        &paths,
        "scheduled-events",
        &env(
            &server,
            &[("ROOM_TAGS", "show=nightly"), ("EVENT_NAME", "app:X")],
        ),
    );
    let (status, body) =
        lambda.invoke_raw(&sample("events/scheduled-events/scheduled-envelope.json"));
    assert_ne!(status, 200, "{}", lambda.logs());
    assert!(
        body.contains("ROOM_TAGS: must be a JSON object of strings"),
        "status {status}: {body}\n{}",
        lambda.logs()
    );
    let logged = lambda.json_logs().into_iter().any(|l| {
        l["level"] == "ERROR"
            && l["error"]
                .as_str()
                .is_some_and(|e| e.starts_with("ROOM_TAGS: must be a JSON object of strings"))
    });
    assert!(logged, "{}", lambda.logs());
    assert!(server.calls().is_empty());
}

// ---------------------------------------------------------------- message-review

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn message_review_answers_every_sample_with_a_valid_review_response() {
    let Some(paths) = setup(&["message-review"]) else {
        return;
    };
    let files = samples("message-review");
    assert!(!files.is_empty(), "no events/message-review samples");
    let lambda = Emulator::start(
        &paths,
        "message-review",
        &[
            ("AWS_REGION", "us-west-2".to_string()),
            ("RUST_LOG", "info".to_string()),
        ],
    );
    let mut results = BTreeMap::new();
    for file in &files {
        let event = sample(file);
        let out = lambda.invoke(&event);
        let result = out["ReviewResult"].as_str().unwrap_or_default().to_string();
        assert!(
            result == "ALLOW" || result == "DENY",
            "{file}: {out}\n{}",
            lambda.logs()
        );
        let content = out["Content"]
            .as_str()
            .unwrap_or_else(|| panic!("{file}: no Content in {out}"));
        assert!(content.chars().count() <= 500, "{file}: content too long");
        let attributes = out.get("Attributes").cloned().unwrap_or(json!({}));
        let attributes = attributes
            .as_object()
            .unwrap_or_else(|| panic!("{file}: Attributes is not an object: {out}"));
        let bytes: usize = attributes
            .iter()
            .map(|(k, v)| k.len() + v.as_str().map_or(usize::MAX / 2, str::len))
            .sum();
        assert!(bytes <= 1024, "{file}: attributes over 1 KB");
        if result == "DENY" {
            assert!(
                attributes
                    .get("Reason")
                    .and_then(Value::as_str)
                    .is_some_and(|r| !r.is_empty()),
                "{file}: DENY without a Reason: {out}"
            );
        }
        results.insert(file.clone(), result);
    }
    assert!(results.values().any(|r| r == "ALLOW"), "{results:?}");
}

// ---------------------------------------------------------------- chat-log-review

/// The sample subscription event's records, reviewed by chat-log-review,
/// give exactly the deleteMessage commands for the messages the fallback
/// let through (one now denied, one now masked); run through the
/// moderation-actions function as the queue would deliver them, they delete
/// exactly those messages from room A, and nothing else is called.
#[test]
fn chat_log_review_deletes_exactly_the_delivered_messages_now_flagged() {
    let Some(paths) = setup(&["chat-log-review", "moderation-actions"]) else {
        return;
    };
    let server = server(50);
    let review = Emulator::start(
        &paths,
        "chat-log-review",
        &env(
            &server,
            &[
                ("MODERATION_QUEUE_URL", QUEUE_URL),
                ("DELETE_REASON", "Removed by moderation"),
            ],
        ),
    );
    let out = review.invoke_file("events/chat-log-review/subscription.json");
    assert_eq!(
        out,
        json!({"logEvents": 6, "messages": 5, "skipped": 1, "flagged": 2, "queued": 2, "invalid": []}),
        "{}",
        review.logs()
    );
    let control = review.invoke_file("events/chat-log-review/control-message.json");
    assert_eq!(control["messageType"], "CONTROL_MESSAGE");

    let all = calls(&server);
    assert!(
        all.iter().all(|(o, _)| o == "SQS.SendMessageBatch"),
        "{all:?}"
    );
    assert_eq!(all.len(), 1, "one batch for two commands: {all:?}");
    let batch = &all[0].1;
    assert_eq!(batch["QueueUrl"], QUEUE_URL);
    let bodies: Vec<String> = batch["Entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["MessageBody"].as_str().unwrap().to_string())
        .collect();
    let delete = |id: &str| json!({"action": "deleteMessage", "roomArn": A, "messageId": id, "reason": "Removed by moderation"});
    let commands: Vec<Value> = bodies
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    assert_eq!(
        commands,
        vec![delete("Msg000000002"), delete("Msg000000005")]
    );

    // The queue's consumer runs them.
    server.clear_calls();
    let actions = Emulator::start(&paths, "moderation-actions", &env(&server, &[]));
    let records: Vec<Value> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            json!({
                "messageId": format!("5f2a9c1e-0100-4c8e-9a51-6e0c2b7d1a{i:02}"),
                "receiptHandle": "AQEB", "body": body,
                "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1763776800000", "SenderId": "AIDAEXAMPLE", "ApproximateFirstReceiveTimestamp": "1763776800010"},
                "messageAttributes": {}, "md5OfBody": "00000000000000000000000000000000",
                "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-west-2:123456789012:moderation-actions", "awsRegion": "us-west-2"
            })
        })
        .collect();
    let out = actions.invoke(&json!({"Records": records}));
    assert_eq!(out, json!({"batchItemFailures": []}), "{}", actions.logs());
    assert_eq!(
        sorted(calls(&server)),
        vec![
            op(
                "DeleteMessage",
                json!({"roomIdentifier": A, "id": "Msg000000002", "reason": "Removed by moderation"})
            ),
            op(
                "DeleteMessage",
                json!({"roomIdentifier": A, "id": "Msg000000005", "reason": "Removed by moderation"})
            ),
        ]
    );
}

#[test]
fn chat_log_review_bad_configuration_fails_at_init_naming_the_variable() {
    let Some(paths) = setup(&["chat-log-review"]) else {
        return;
    };
    let server = server(50);
    let review = Emulator::start(&paths, "chat-log-review", &env(&server, &[]));
    let (status, body) = review.invoke_raw(&sample("events/chat-log-review/subscription.json"));
    assert_ne!(status, 200, "{body}");
    assert!(
        review.logs().contains("MODERATION_QUEUE_URL: must be set"),
        "{}",
        review.logs()
    );
    assert!(server.calls().is_empty());
}
