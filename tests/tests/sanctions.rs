//! End-to-end: moderation that follows the offender.
//!
//! The real bootstraps of message-review, strike-tracking, chat-token and
//! moderation-actions under the Lambda Runtime Interface Emulator, against
//! the local IVS Chat server and a real DynamoDB-API server (moto, see
//! `e2e_tests::dynamodb`). The review handler's own log lines, captured from
//! its process, are packed into the `awslogs` event a CloudWatch Logs
//! subscription would deliver, exactly as CloudWatch packs them.

use std::io::Write;

use base64::Engine;
use e2e_tests::dynamodb::{self, FaultProxy};
use e2e_tests::lambda::{paths, Emulator, Paths};
use e2e_tests::server::{FakeIvsChat, FaultKind, Room, ACCESS_KEY, SECRET_KEY};
use serde_json::{json, Value};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

const BINARIES: [&str; 4] = [
    "message-review",
    "strike-tracking",
    "chat-token",
    "moderation-actions",
];

struct World {
    paths: Paths,
    ivs: FakeIvsChat,
    dynamodb: String,
    table: String,
}

fn world(name: &str) -> Option<World> {
    let paths = paths(&BINARIES)?;
    let dynamodb = dynamodb::server_url()?;
    let table = format!(
        "sanctions-{name}-{}-{}",
        std::process::id(),
        sanctions_now_ms()
    );
    dynamodb::create_table(&dynamodb, &table);
    let ivs = FakeIvsChat::start(
        vec![Room {
            arn: ROOM.into(),
            tags: Default::default(),
        }],
        50,
    )
    .unwrap();
    Some(World {
        paths,
        ivs,
        dynamodb,
        table,
    })
}

fn sanctions_now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

impl World {
    fn env(&self, dynamodb: &str, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        let mut env: Vec<(&'static str, String)> = vec![
            ("AWS_REGION", "us-west-2".to_string()),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.to_string()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.to_string()),
            ("AWS_ENDPOINT_URL_IVSCHAT", self.ivs.url()),
            ("AWS_ENDPOINT_URL_DYNAMODB", dynamodb.to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
            ("AWS_MAX_ATTEMPTS", "3".to_string()),
            ("AWS_ATTEMPT_TIMEOUT_MS", "30000".to_string()),
            ("SANCTIONS_TABLE", self.table.clone()),
            ("RUST_LOG", "info".to_string()),
        ];
        for (k, v) in extra {
            env.retain(|(name, _)| name != k);
            env.push((k, v.to_string()));
        }
        env
    }

    fn start(&self, binary: &str, extra: &[(&'static str, &str)]) -> Emulator {
        Emulator::start(&self.paths, binary, &self.env(&self.dynamodb, extra))
    }

    /// The IVS Chat calls of `operation` that succeeded.
    fn done(&self, operation: &str) -> Vec<Value> {
        self.ivs
            .calls()
            .into_iter()
            .filter(|c| c.operation == operation && c.status == 200)
            .map(|c| {
                assert_eq!(c.auth_error, None, "bad signature");
                c.body
            })
            .collect()
    }

    fn items(&self, user: &str) -> Vec<String> {
        dynamodb::items(&self.dynamodb, &self.table, ROOM, user)
            .into_keys()
            .collect()
    }
}

/// Sends three profane messages from `user` through the real review
/// bootstrap and answers its decision-record log lines, as written.
fn review_three(world: &World, user: &str, prefix: &str) -> Vec<String> {
    let review = world.start("message-review", &[]);
    for (i, content) in ["shut up you cunt", "what a fucking idiot", "you cunt"]
        .iter()
        .enumerate()
    {
        let answer = review.invoke(&json!({
            "Content": content,
            "MessageId": format!("{prefix}{i:02}"),
            "RoomArn": ROOM,
            "Attributes": {"message_type": "MESSAGE"},
            "Sender": {"UserId": user, "Attributes": {"role": "viewer"}}
        }));
        let moderated = answer["ReviewResult"] == "DENY" || answer["Content"] != json!(*content);
        assert!(moderated, "not moderated: {answer}");
    }
    let lines: Vec<String> = review
        .logs()
        .lines()
        .filter(|l| {
            serde_json::from_str::<Value>(l).is_ok_and(|v| v["record"] == "moderation-decision")
        })
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 3, "{}", review.logs());
    lines
}

/// The `awslogs` event CloudWatch Logs delivers for `lines`: the log data
/// as JSON, gzipped, base64-encoded.
fn awslogs(lines: &[String], first_ms: u128) -> Value {
    let data = json!({
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/lambda/message-review",
        "logStream": "2026/12/01/[$LATEST]0123456789abcdef",
        "subscriptionFilters": ["decision-records"],
        "logEvents": lines.iter().enumerate().map(|(i, line)| json!({
            "id": format!("3795{i:050}"),
            "timestamp": first_ms as u64 + i as u64 * 1000,
            "message": line,
        })).collect::<Vec<_>>(),
    });
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(data.to_string().as_bytes()).unwrap();
    let bytes = gzip.finish().unwrap();
    json!({"awslogs": {"data": base64::engine::general_purpose::STANDARD.encode(bytes)}})
}

fn token_request(user: &str) -> Value {
    json!({
        "roomIdentifier": ROOM,
        "userId": user,
        "attributes": {"role": "viewer"},
        "capabilities": ["SEND_MESSAGE"],
        "sessionDurationInMinutes": 120
    })
}

#[test]
fn three_strikes_time_the_user_out_once_and_tokens_follow_the_sanction() {
    let Some(world) = world("loop") else {
        return;
    };
    let user = "troll-1";
    let lines = review_three(&world, user, "TrollMsg00");
    let event = awslogs(&lines, sanctions_now_ms());

    let tracker = world.start("strike-tracking", &[]);
    let out = tracker.invoke(&event);
    assert_eq!(out["records"], 3, "{out}\n{}", tracker.logs());
    assert_eq!(out["counted"], 2, "{out}");
    let sanctions = out["sanctions"].as_array().cloned().unwrap_or_default();
    assert_eq!(sanctions.len(), 1, "{out}");
    assert_eq!(sanctions[0]["kind"], "timeout");
    assert_eq!(sanctions[0]["userId"], user);

    let disconnects = world.done("DisconnectUser");
    assert_eq!(disconnects.len(), 1);
    assert_eq!(disconnects[0]["userId"], user);
    assert!(disconnects[0]["reason"]
        .as_str()
        .unwrap_or_default()
        .starts_with("Timed out for 10m"));
    let events = world.done("SendEvent");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["eventName"], "app:USER_TIMED_OUT");
    assert_eq!(events[0]["attributes"]["userId"], user);
    assert!(events[0]["attributes"]["until"]
        .as_str()
        .is_some_and(|u| u.ends_with('Z')));
    let items = world.items(user);
    assert_eq!(
        items
            .iter()
            .filter(|sk| sk.starts_with("SANCTION#"))
            .count(),
        1,
        "{items:?}"
    );
    assert_eq!(
        items.iter().filter(|sk| sk.starts_with("STRIKE#")).count(),
        3
    );
    assert!(items.contains(&"ACTIVE".to_string()));

    // A timed-out user gets a read-only token that ends with the timeout.
    let tokens = world.start("chat-token", &[]);
    let token = tokens.invoke(&token_request(user));
    assert_eq!(
        token["capabilities"],
        json!([]),
        "{token}\n{}",
        tokens.logs()
    );
    let minutes = token["sessionDurationInMinutes"].as_u64().unwrap_or(999);
    assert!((1..=10).contains(&minutes), "{token}");
    assert_eq!(token["sanction"]["kind"], "timeout");
    let created = world.done("CreateChatToken");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["capabilities"], json!([]));
    // Other users are not affected.
    let other = tokens.invoke(&token_request("bystander"));
    assert_eq!(other["capabilities"], json!(["SEND_MESSAGE"]), "{other}");
    assert_eq!(other["sessionDurationInMinutes"], 120);
    // Invalid requests are refused before any call.
    let calls_before = world.ivs.calls().len();
    let invalid = tokens
        .invoke(&json!({"roomIdentifier": ROOM, "userId": "", "capabilities": ["SEND_MESSAGE"]}));
    assert_eq!(invalid["errorType"], "ValidationError", "{invalid}");
    assert_eq!(world.ivs.calls().len(), calls_before);

    // The same batch delivered again changes nothing.
    let again = tracker.invoke(&event);
    assert_eq!(again["counted"], 0, "{again}");
    assert_eq!(again["duplicates"], 3, "{again}");
    assert_eq!(again["sanctions"], json!([]));
    assert_eq!(world.done("DisconnectUser").len(), 1);
    assert_eq!(world.done("SendEvent").len(), 1);
    assert_eq!(world.items(user), items);

    // After the timeout (the clock moved on 11 minutes) a full token.
    let later = world.start("chat-token", &[("CLOCK_OFFSET_SECONDS", "660")]);
    let token = later.invoke(&token_request(user));
    assert_eq!(token["capabilities"], json!(["SEND_MESSAGE"]), "{token}");
    assert_eq!(token["sanction"], json!(null));

    // A moderator's ban: no token at all, with the end in the error.
    let actions = world.start("moderation-actions", &[]);
    let ban = actions.invoke(&json!({"action": "banUser", "roomArn": ROOM, "userId": user, "duration": "7d", "reason": "Repeated abuse"}));
    assert_eq!(ban["status"], "done", "{ban}\n{}", actions.logs());
    let refused = tokens.invoke(&token_request(user));
    assert_eq!(refused["errorType"], "ChatToken.UserBanned", "{refused}");
    assert!(refused["errorMessage"]
        .as_str()
        .unwrap_or_default()
        .contains("until 20"));
    let events = world.done("SendEvent");
    assert_eq!(
        events.last().map(|e| e["eventName"].clone()),
        Some(json!("app:USER_BANNED"))
    );
    assert_eq!(world.done("DisconnectUser").len(), 2);

    // liftSanction clears it early: strikes and sanctions gone, full token.
    let lift = actions.invoke(&json!({"action": "liftSanction", "roomArn": ROOM, "userId": user, "reason": "Appeal granted"}));
    assert_eq!(lift["status"], "done", "{lift}");
    assert!(world.items(user).is_empty());
    let token = tokens.invoke(&token_request(user));
    assert_eq!(token["capabilities"], json!(["SEND_MESSAGE"]), "{token}");

    // Sanction commands are validated like the room commands.
    let bad = actions
        .invoke(&json!({"action": "timeoutUser", "roomArn": ROOM, "userId": user, "reason": "x"}));
    assert_eq!(bad["errorType"], "ValidationError");
    assert!(bad["errorMessage"]
        .as_str()
        .unwrap_or_default()
        .contains("duration"));
}

#[test]
fn failures_retry_the_batch_without_counting_or_announcing_twice() {
    let Some(world) = world("faults") else {
        return;
    };
    // IVS Chat fails every attempt of SendEvent once: the batch fails, the
    // retry announces once and does not disconnect again.
    let user = "flaky-1";
    let event = awslogs(
        &review_three(&world, user, "FlakyMsg01"),
        sanctions_now_ms(),
    );
    world
        .ivs
        .inject(Some("SendEvent"), None, Some(3), FaultKind::ServerError);
    let tracker = world.start("strike-tracking", &[]);
    let failed = tracker.invoke(&event);
    assert!(failed["errorType"].is_string(), "{failed}");
    assert_eq!(world.done("DisconnectUser").len(), 1);
    assert_eq!(world.done("SendEvent").len(), 0);
    let retried = tracker.invoke(&event);
    assert_eq!(
        retried["sanctions"].as_array().map(Vec::len),
        Some(1),
        "{retried}"
    );
    assert_eq!(world.done("DisconnectUser").len(), 1);
    assert_eq!(world.done("SendEvent").len(), 1);
    let items = world.items(user);
    assert_eq!(
        items.iter().filter(|sk| sk.starts_with("STRIKE#")).count(),
        3
    );
    assert_eq!(
        items
            .iter()
            .filter(|sk| sk.starts_with("SANCTION#"))
            .count(),
        1
    );

    // DynamoDB fails every attempt of a query part-way through the batch
    // (after the first strike is written): the retry counts each strike once.
    let user = "flaky-2";
    let event = awslogs(
        &review_three(&world, user, "FlakyMsg02"),
        sanctions_now_ms(),
    );
    let proxy = FaultProxy::start(&world.dynamodb);
    let tracker = Emulator::start(
        &world.paths,
        "strike-tracking",
        &world.env(&proxy.url(), &[]),
    );
    proxy.fail("Query", 3);
    let failed = tracker.invoke(&event);
    assert!(
        failed["errorType"]
            .as_str()
            .is_some_and(|t| t.starts_with("DynamoDB.")),
        "{failed}"
    );
    assert_eq!(world.items(user).len(), 1, "the first strike was written");
    let retried = tracker.invoke(&event);
    // The first strike had been written: it is a duplicate now.
    assert_eq!(retried["counted"], 1, "{retried}");
    assert_eq!(retried["duplicates"], 1, "{retried}");
    assert_eq!(retried["sanctions"].as_array().map(Vec::len), Some(1));
    let items = world.items(user);
    assert_eq!(
        items.iter().filter(|sk| sk.starts_with("STRIKE#")).count(),
        3
    );
    assert_eq!(world.done("SendEvent").len(), 2, "one event per user");
    assert!(proxy.seen().iter().filter(|op| *op == "Query").count() >= 4);
}

const SAMPLE_AWSLOGS: &str = "events/strike-tracking/awslogs-three-strikes.json";

/// The log lines inside an `awslogs` event.
fn decoded_lines(event: &Value) -> Vec<String> {
    use std::io::Read;
    let data = event["awslogs"]["data"].as_str().unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap_or_else(|e| panic!("awslogs data is not base64: {e}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("awslogs data is not gzip: {e}"));
    let data: Value = serde_json::from_str(&text).unwrap();
    data["logEvents"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The `awslogs` sample holds exactly what the review bootstrap writes for
/// three profane messages (regenerate with `E2E_REGENERATE_SAMPLES=1`), and
/// the samples of chat-token and moderation-actions answer as documented.
#[test]
fn the_samples_are_real_and_answer_as_documented() {
    let Some(world) = world("samples") else {
        return;
    };
    let lines = review_three(&world, "troll-9", "SampleMsg0");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(SAMPLE_AWSLOGS);
    if std::env::var("E2E_REGENERATE_SAMPLES").is_ok_and(|v| v == "1") {
        let event = awslogs(&lines, 1_796_115_600_000);
        let text = serde_json::to_string_pretty(&event).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
    }
    let sample = e2e_tests::lambda::sample(SAMPLE_AWSLOGS);
    assert_eq!(
        decoded_lines(&sample),
        lines,
        "{SAMPLE_AWSLOGS} is stale: regenerate with E2E_REGENERATE_SAMPLES=1"
    );
    let tracker = world.start("strike-tracking", &[]);
    let out = tracker.invoke(&sample);
    assert_eq!(out["sanctions"][0]["kind"], "timeout", "{out}");
    assert_eq!(out["sanctions"][0]["userId"], "troll-9");

    let actions = world.start("moderation-actions", &[]);
    for file in ["direct-timeout-user.json", "direct-ban-user.json"] {
        let out = actions.invoke_file(&format!("events/moderation-actions/{file}"));
        assert_eq!(out["status"], "done", "{file}: {out}");
    }
    let tokens = world.start("chat-token", &[]);
    let normal = tokens.invoke_file("events/chat-token/normal.json");
    assert_eq!(normal["capabilities"], json!(["SEND_MESSAGE"]), "{normal}");
    assert_eq!(normal["sessionDurationInMinutes"], 120);
    let timed_out = tokens.invoke_file("events/chat-token/timed-out.json");
    assert_eq!(timed_out["capabilities"], json!([]), "{timed_out}");
    assert!(timed_out["sessionDurationInMinutes"]
        .as_u64()
        .is_some_and(|m| m <= 10));
    let banned = tokens.invoke_file("events/chat-token/banned.json");
    assert_eq!(banned["errorType"], "ChatToken.UserBanned", "{banned}");
    let invalid = tokens.invoke_file("events/chat-token/invalid.json");
    assert_eq!(invalid["errorType"], "ValidationError", "{invalid}");
    assert!(invalid["errorMessage"]
        .as_str()
        .unwrap_or_default()
        .contains("capabilities[1]"));
    let lifted = actions.invoke_file("events/moderation-actions/direct-lift-sanction.json");
    assert_eq!(lifted["status"], "done", "{lifted}");
    let after = tokens.invoke_file("events/chat-token/banned.json");
    assert_eq!(after["capabilities"], json!(["SEND_MESSAGE"]), "{after}");
    // Only the token requests that passed validation and the sanction
    // checks reached IVS Chat: normal, timed-out, and the lifted one.
    assert_eq!(world.done("CreateChatToken").len(), 3);
}

/// A binary, the variables that break it, and the error its init must log.
type InitCase = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

#[test]
fn a_bad_policy_or_a_missing_table_stops_init_naming_the_variable() {
    let Some(world) = world("init") else {
        return;
    };
    let cases: [InitCase; 3] = [
        (
            "strike-tracking",
            &[("ESCALATION_POLICY", "3 strikes in 10m: mute 10m")],
            "ESCALATION_POLICY: at character 19: expected timeout or ban, got \"mute\"",
        ),
        (
            "strike-tracking",
            &[("SANCTIONS_TABLE", "")],
            "SANCTIONS_TABLE: is required: the DynamoDB table of strikes and sanctions",
        ),
        (
            "chat-token",
            &[("CLOCK_OFFSET_SECONDS", "later")],
            "CLOCK_OFFSET_SECONDS: must be a whole number in -31622400..=31622400, got \"later\"",
        ),
    ];
    for (binary, extra, expected) in cases {
        let lambda = world.start(binary, extra);
        let (status, _) = lambda.invoke_raw(&token_request("u"));
        assert_ne!(status, 200, "{}", lambda.logs());
        let logged = lambda
            .json_logs()
            .into_iter()
            .any(|l| l["error"] == expected && l["level"] == "ERROR");
        assert!(
            logged,
            "{binary}: expected {expected:?} in\n{}",
            lambda.logs()
        );
    }
    assert!(world.ivs.calls().is_empty());
}

#[test]
fn a_redelivered_sqs_sanction_command_acts_once() {
    let Some(world) = world("sqs") else {
        return;
    };
    let command = json!({"action": "timeoutUser", "roomArn": ROOM, "userId": "spammer-1", "duration": "5m", "reason": "Spam"});
    let batch = json!({"Records": [{
        "messageId": "5f2a9c1e-0100-4c8e-9a51-6e0c2b7d1a01",
        "receiptHandle": "r1",
        "body": command.to_string(),
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-west-2:123456789012:moderation-actions",
        "awsRegion": "us-west-2"
    }]});
    let actions = world.start("moderation-actions", &[]);
    for _ in 0..2 {
        let out = actions.invoke(&batch);
        assert_eq!(out, json!({"batchItemFailures": []}), "{}", actions.logs());
    }
    assert_eq!(world.done("DisconnectUser").len(), 1);
    assert_eq!(world.done("SendEvent").len(), 1);
    let items = world.items("spammer-1");
    assert!(
        items.contains(&"SANCTION#sqs-5f2a9c1e-0100-4c8e-9a51-6e0c2b7d1a01".to_string()),
        "{items:?}"
    );
}
