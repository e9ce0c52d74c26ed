//! Load and faults, end to end: moderation commands through a simulated SQS
//! queue and a scheduled send to many rooms, against a local IVS Chat server
//! that enforces the service's quota and injects server errors and slow
//! answers.
//!
//! What runs:
//!
//! * the server answers 429 `ThrottlingException` above 100 requests/s per
//!   action (a token bucket per operation holding 2 requests, so bursts
//!   beyond 20 ms worth are refused), an HTTP 500 for every
//!   23rd `DisconnectUser` and every 19th `SendEvent`, slowly (150 ms, inside
//!   the attempt timeout) for every 11th `DeleteMessage`, and always 500 for
//!   one "broken" room;
//! * two `moderation-actions` instances (the SQS event source's maximum
//!   concurrency in the template) at 100 requests/s each, so together they
//!   exceed the quota, take batches of 10 records from a queue simulated
//!   here the way SQS behaves with `ReportBatchItemFailures`: records the
//!   function reports are made visible again (after the others in the queue,
//!   standing in for the visibility timeout), each receive counts, and a
//!   record failing its 3rd receive (`maxReceiveCount`) moves to the
//!   dead-letter queue;
//! * meanwhile `scheduled-events` sends one event to every room tagged for
//!   the run (found with `ListRooms`), and the failed rooms it hands to the
//!   recovery queue are fed into the same simulated queue.
//!
//! The commands are mostly valid, plus invalid ones (never retried by the
//! SDK, they must reach the dead-letter queue after exactly 3 receives), ones
//! for a room the service does not know (404, permanent) and ones for the
//! broken room. Every command carries a unique id in what the server
//! receives (`SendEvent` attribute `cmd`, the `userId`, the message id), and
//! the scheduled event is told apart by room, so duplicates are visible in
//! the server's record of calls.
//!
//! The test proves, from that record and the simulated queue:
//!
//! * nothing is lost: every command and every scheduled room is either
//!   applied (an answer 200 from the server) or in the dead-letter queue,
//!   never both, never neither; a record the function acknowledged was
//!   applied;
//! * nothing is applied twice: at most one 200 per command id and per
//!   scheduled room, across SDK retries, redeliveries and the recovery path;
//! * retries are bounded: every attempt carries the SDK's `attempt=n; max=3`,
//!   no command is received more than 3 times, so none is attempted more
//!   than 9 times (a scheduled room: its run's 3 more); a permanent error
//!   (404) is never retried by the SDK: what follows it is the next
//!   receive's first attempt;
//! * the commands that cannot succeed all end in the dead-letter queue.
//!
//! It reports (on stderr; `-- --nocapture` shows it) the counts of throttled
//! and failed answers, SDK retries with the delays observed before them (the
//! SDK's exponential backoff with jitter), redeliveries, applied and
//! dead-lettered commands, duplicates and the elapsed time. No timing is
//! asserted: the machine's speed changes the figures, not the outcome.
//!
//! `cargo test` runs 300 commands and 50 rooms; `E2E_LOAD_FULL=1` runs
//! 10,000 commands and 200 rooms (`.ci/lambda-e2e` does). Like the rest of the
//! suite, it skips without the emulator and binaries unless
//! `E2E_REQUIRED=1`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use e2e_tests::lambda::{function_env, paths, Emulator};
use e2e_tests::server::{Call, FakeIvsChat, FaultKind, Room};
use serde_json::{json, Value};

const REGION_ACCOUNT: &str = "arn:aws:ivschat:us-west-2:123456789012";
const QUEUE_URL: &str = "https://sqs.us-west-2.amazonaws.com/123456789012/moderation-actions";
const QUEUE_ARN: &str = "arn:aws:sqs:us-west-2:123456789012:moderation-actions";
/// The queue's redrive policy in the template.
const MAX_RECEIVE_COUNT: u32 = 3;
/// `AWS_MAX_ATTEMPTS` given to the functions.
const MAX_ATTEMPTS: u32 = 3;
/// The template's batch size and SQS maximum concurrency.
const BATCH_SIZE: usize = 10;
const INSTANCES: usize = 2;
const SCHEDULED_EVENT: &str = "app:SCHEDULED";

fn room_arn(i: usize) -> String {
    format!("{REGION_ACCOUNT}:room/load{i:04}")
}

fn broken_room() -> String {
    format!("{REGION_ACCOUNT}:room/broken0000")
}

fn unknown_room() -> String {
    format!("{REGION_ACCOUNT}:room/gone0000")
}

/// What a command is, and so how it must end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Valid, for a working room: applied once (or dead-lettered, if the
    /// faults and the quota beat all 9 attempts).
    Valid,
    /// Not a valid command: dead-lettered, never sent.
    Invalid,
    /// For a room the service does not know: dead-lettered after one 404
    /// per receive.
    UnknownRoom,
    /// For the room that always answers 500: dead-lettered.
    BrokenRoom,
}

/// One message of the simulated queue.
#[derive(Debug, Clone)]
struct Message {
    id: String,
    body: String,
    /// The command id (`c00042`) or `s` + room ARN for a scheduled room.
    key: String,
    kind: Kind,
    receives: u32,
}

/// The command with id `i` and its message.
fn command(i: usize, rooms: usize) -> Message {
    let key = format!("c{i:05}");
    let kind = match i % 50 {
        7 => Kind::Invalid,
        23 => Kind::UnknownRoom,
        41 => Kind::BrokenRoom,
        _ => Kind::Valid,
    };
    let room = match kind {
        Kind::UnknownRoom => unknown_room(),
        Kind::BrokenRoom => broken_room(),
        _ => room_arn(i % rooms),
    };
    // Runs of 60 commands of one action: both instances then press on the
    // same action's quota.
    let body = match ((i / 60) % 3, kind) {
        (_, Kind::Invalid) if i % 100 == 7 => "not json at all".to_string(),
        (_, Kind::Invalid) => {
            json!({"action": "deleteMessage", "roomArn": room, "messageId": "short"}).to_string()
        }
        (0, _) => json!({"action": "sendEvent", "roomArn": room, "eventName": "app:LOAD",
                         "attributes": {"cmd": key}})
        .to_string(),
        (1, _) => {
            json!({"action": "disconnectUser", "roomArn": room, "userId": format!("user-{key}"),
                         "reason": "load test"})
            .to_string()
        }
        _ => json!({"action": "deleteMessage", "roomArn": room, "messageId": format!("Msg{i:09}"),
                    "reason": "load test"})
        .to_string(),
    };
    Message {
        id: format!("00000000-0000-4000-8000-{i:012}"),
        body,
        key,
        kind,
        receives: 0,
    }
}

/// The key a server call is about: the command id, or `s` + room for the
/// scheduled event (the recovery command for a room carries the same event).
fn key_of(call: &Call) -> Option<String> {
    let b = &call.body;
    match call.operation.as_str() {
        "SendEvent" if b["eventName"] == SCHEDULED_EVENT => {
            Some(format!("s{}", b["roomIdentifier"].as_str()?))
        }
        "SendEvent" => b["attributes"]["cmd"].as_str().map(str::to_string),
        "DisconnectUser" => b["userId"]
            .as_str()?
            .strip_prefix("user-")
            .map(str::to_string),
        "DeleteMessage" => {
            let n: usize = b["id"].as_str()?.strip_prefix("Msg")?.parse().ok()?;
            Some(format!("c{n:05}"))
        }
        _ => None,
    }
}

fn sqs_event(batch: &[Message]) -> Value {
    let records: Vec<Value> = batch
        .iter()
        .map(|m| {
            json!({
                "messageId": m.id,
                "receiptHandle": format!("{}-{}", m.id, m.receives),
                "body": m.body,
                "attributes": {
                    "ApproximateReceiveCount": m.receives.to_string(),
                    "SentTimestamp": "1763776800000",
                    "SenderId": "AIDAEXAMPLE",
                    "ApproximateFirstReceiveTimestamp": "1763776800010"
                },
                "messageAttributes": {},
                "md5OfBody": "00000000000000000000000000000000",
                "eventSource": "aws:sqs",
                "eventSourceARN": QUEUE_ARN,
                "awsRegion": "us-west-2"
            })
        })
        .collect();
    json!({"Records": records})
}

/// The simulated queue: visible messages, batches in flight, the
/// dead-letter queue and the acknowledged (deleted) messages.
#[derive(Debug, Default)]
struct Queue {
    visible: VecDeque<Message>,
    in_flight: usize,
    /// More messages may still arrive (the scheduled run's recovery).
    feeding: bool,
    /// A thread panicked: the others stop instead of waiting for it.
    aborted: bool,
    dead_letters: Vec<Message>,
    deleted: Vec<Message>,
    receives: usize,
    redeliveries: usize,
    batches: usize,
}

type Shared = Arc<(Mutex<Queue>, Condvar)>;

fn lock(queue: &Shared) -> std::sync::MutexGuard<'_, Queue> {
    queue
        .0
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Wakes and stops the other threads when the thread holding it panics, so
/// a failure ends the test instead of leaving it waiting.
struct AbortOnPanic<'a>(&'a Shared);

impl Drop for AbortOnPanic<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            lock(self.0).aborted = true;
            self.0 .1.notify_all();
        }
    }
}

/// One SQS poller: takes batches while there are any, invokes the function,
/// and settles each record from the batch response like SQS does.
fn poll(queue: &Shared, lambda: &Emulator) {
    let _abort = AbortOnPanic(queue);
    let wake = &queue.1;
    loop {
        let mut batch = {
            let mut q = lock(queue);
            loop {
                if q.aborted {
                    return;
                }
                if !q.visible.is_empty() {
                    break;
                }
                if q.in_flight == 0 && !q.feeding {
                    wake.notify_all();
                    return;
                }
                q = wake
                    .wait(q)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            let n = q.visible.len().min(BATCH_SIZE);
            let batch: Vec<Message> = q.visible.drain(..n).collect();
            q.in_flight += 1;
            q.batches += 1;
            q.receives += batch.len();
            batch
        };
        for m in &mut batch {
            m.receives += 1;
        }
        let out = lambda.invoke(&sqs_event(&batch));
        let failures = out["batchItemFailures"]
            .as_array()
            .unwrap_or_else(|| panic!("not a batch response: {out}\n{}", lambda.logs()));
        let failed: BTreeSet<String> = failures
            .iter()
            .map(|f| f["itemIdentifier"].as_str().unwrap_or_default().to_string())
            .collect();
        let ids: BTreeSet<String> = batch.iter().map(|m| m.id.clone()).collect();
        assert!(
            failed.is_subset(&ids),
            "batch response names records not in the batch: {out}"
        );
        let mut q = lock(queue);
        for m in batch {
            if !failed.contains(&m.id) {
                q.deleted.push(m);
            } else if m.receives >= MAX_RECEIVE_COUNT {
                q.dead_letters.push(m);
            } else {
                q.redeliveries += 1;
                q.visible.push_back(m);
            }
        }
        q.in_flight -= 1;
        wake.notify_all();
    }
}

fn env(server: &FakeIvsChat, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let max_attempts = MAX_ATTEMPTS.to_string();
    // The attempt timeout (30 s) is far above the slow answers: an attempt
    // that times out after the server applied it would be a genuine
    // duplicate (a lost response, documented), which is not what this test
    // measures.
    let mut overrides = vec![
        ("AWS_MAX_ATTEMPTS", max_attempts.as_str()),
        ("RUST_LOG", "warn"),
    ];
    overrides.extend_from_slice(extra);
    function_env(&server.url(), &overrides)
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() - 1) * p / 100]
}

#[test]
#[cfg_attr(
    not(e2e_ready),
    ignore = "needs the Lambda emulator and built functions: E2E_BIN_DIR=$PWD/target/debug, see docs/functions.md"
)]
fn every_command_is_applied_once_or_dead_lettered_under_throttling_and_faults() {
    let Some(paths) = paths(&["moderation-actions", "scheduled-events"]) else {
        return;
    };
    let full = std::env::var("E2E_LOAD_FULL").is_ok_and(|v| v == "1");
    let (commands, rooms) = if full { (10_000, 200) } else { (300, 50) };

    // Rooms: `rooms` tagged for the scheduled send, the last one broken.
    let mut known: Vec<Room> = (0..rooms - 1)
        .map(|i| Room {
            arn: room_arn(i),
            tags: BTreeMap::from([("load".to_string(), "on".to_string())]),
        })
        .collect();
    known.push(Room {
        arn: broken_room(),
        tags: BTreeMap::from([("load".to_string(), "on".to_string())]),
    });
    let server = FakeIvsChat::start(known, 50).unwrap();
    server.rate_limit(100, 2);
    server.inject(None, Some(&broken_room()), None, FaultKind::ServerError);
    server.inject_every(Some("DisconnectUser"), None, 23, FaultKind::ServerError);
    server.inject_every(Some("SendEvent"), None, 19, FaultKind::ServerError);
    server.inject_every(
        Some("DeleteMessage"),
        None,
        11,
        FaultKind::Slow(Duration::from_millis(150)),
    );

    let messages: Vec<Message> = (0..commands).map(|i| command(i, rooms - 1)).collect();
    let kinds: BTreeMap<String, Kind> = messages.iter().map(|m| (m.key.clone(), m.kind)).collect();
    let queue: Shared = Arc::new((
        Mutex::new(Queue {
            visible: messages.into(),
            feeding: true,
            ..Default::default()
        }),
        Condvar::new(),
    ));

    let pollers: Vec<Emulator> = (0..INSTANCES)
        .map(|_| {
            Emulator::start(
                &paths,
                "moderation-actions",
                &env(
                    &server,
                    &[("RATE_LIMIT_PER_SECOND", "100"), ("MAX_CONCURRENCY", "10")],
                ),
            )
        })
        .collect();
    let scheduler = Emulator::start(
        &paths,
        "scheduled-events",
        &env(&server, &[("RECOVERY_QUEUE_URL", QUEUE_URL)]),
    );

    let started = Instant::now();
    let summary = thread::scope(|scope| {
        for lambda in &pollers {
            let queue = Arc::clone(&queue);
            scope.spawn(move || poll(&queue, lambda));
        }
        let _abort = AbortOnPanic(&queue);
        let summary = scheduler.invoke(&json!({
            "roomTags": {"load": "on"},
            "eventName": SCHEDULED_EVENT,
            "attributes": {"text": "scheduled under load"},
        }));
        // The rooms it handed to the recovery queue join the queue.
        let recovered: Vec<Message> = server
            .calls()
            .into_iter()
            .filter(|c| c.operation == "SQS.SendMessage" && c.status == 200)
            .enumerate()
            .map(|(n, c)| {
                let body = c.body["MessageBody"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let command: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let room = command["roomArn"].as_str().unwrap_or_default();
                Message {
                    id: format!("recovery-{n}"),
                    key: format!("s{room}"),
                    kind: if room == broken_room() {
                        Kind::BrokenRoom
                    } else {
                        Kind::Valid
                    },
                    body,
                    receives: 0,
                }
            })
            .collect();
        let mut q = lock(&queue);
        q.visible.extend(recovered);
        q.feeding = false;
        queue.1.notify_all();
        summary
    });
    let elapsed = started.elapsed();

    // ------------------------------------------------------------ the record
    let calls = server.calls();
    let q = lock(&queue);
    assert!(!q.aborted);
    assert_eq!(q.in_flight, 0);
    assert!(q.visible.is_empty());
    for c in &calls {
        assert_eq!(
            c.auth_error, None,
            "{} {}: bad signature",
            c.operation, c.body
        );
    }

    // The scheduled run: every tagged room, listed before any send.
    assert_eq!(summary["rooms"], rooms, "{summary}\n{}", scheduler.logs());
    let failed_rooms = summary["failed"].as_array().map_or(0, Vec::len);
    assert!(
        summary["failed"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|f| f["recovery"] == "queued"),
        "{summary}"
    );
    let first_send = calls
        .iter()
        .position(|c| c.body["eventName"] == SCHEDULED_EVENT)
        .expect("the scheduled event was sent");
    assert!(calls[first_send..]
        .iter()
        .all(|c| c.operation != "ListRooms"));

    // Every message settled exactly once: deleted or dead-lettered.
    let mut expected: BTreeMap<String, Kind> = kinds.clone();
    for r in 0..rooms - 1 {
        expected.insert(format!("s{}", room_arn(r)), Kind::Valid);
    }
    expected.insert(format!("s{}", broken_room()), Kind::BrokenRoom);
    let sched_applied_by_function = summary["sent"].as_array().map_or(0, Vec::len);
    let mut settled: BTreeMap<String, &str> = BTreeMap::new();
    for m in &q.deleted {
        assert!(
            settled.insert(m.key.clone(), "deleted").is_none(),
            "{} settled twice",
            m.key
        );
        assert!(m.receives <= MAX_RECEIVE_COUNT, "{m:?}");
    }
    for m in &q.dead_letters {
        assert!(
            settled.insert(m.key.clone(), "dlq").is_none(),
            "{} settled twice",
            m.key
        );
        assert_eq!(m.receives, MAX_RECEIVE_COUNT, "{m:?}");
    }

    // Applied: answers 200 per key.
    let mut applied: BTreeMap<String, usize> = BTreeMap::new();
    let mut attempts: BTreeMap<String, usize> = BTreeMap::new();
    for c in &calls {
        if let Some(key) = key_of(c) {
            *attempts.entry(key.clone()).or_default() += 1;
            if c.status == 200 {
                *applied.entry(key).or_default() += 1;
            }
        }
    }
    let duplicates: usize = applied.values().map(|n| n.saturating_sub(1)).sum();
    let unknown_keys: Vec<&String> = attempts
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    assert!(
        unknown_keys.is_empty(),
        "calls for no command: {unknown_keys:?}"
    );

    let mut dead_valid = 0;
    for (key, kind) in &expected {
        let n = applied.get(key).copied().unwrap_or(0);
        assert!(n <= 1, "{key} applied {n} times");
        let in_dlq = q.dead_letters.iter().any(|m| &m.key == key);
        let scheduled_ok = key.starts_with('s') && n == 1 && !settled.contains_key(key);
        match settled.get(key) {
            // The scheduled run applied it directly: never queued.
            None => assert!(
                scheduled_ok,
                "{key} ({kind:?}) was lost: applied {n}, not settled"
            ),
            Some(&"deleted") => assert_eq!(n, 1, "{key} acknowledged but applied {n} times"),
            Some(_) => assert_eq!(n, 0, "{key} dead-lettered but applied"),
        }
        match kind {
            Kind::Valid => dead_valid += usize::from(in_dlq),
            Kind::Invalid => {
                assert!(in_dlq, "{key}: invalid, not dead-lettered");
                assert_eq!(attempts.get(key), None, "{key}: invalid, yet sent");
            }
            Kind::UnknownRoom => {
                assert!(in_dlq, "{key}: unknown room, not dead-lettered");
                let answers: Vec<(u16, u32)> = calls
                    .iter()
                    .filter(|c| key_of(c).as_ref() == Some(key))
                    .map(|c| (c.status, c.attempt.map_or(0, |(a, _)| a)))
                    .collect();
                // Besides the 404s, only the injected faults and the quota.
                assert!(
                    answers.iter().all(|(s, _)| [404, 429, 500].contains(s)),
                    "{key}: {answers:?}"
                );
                // A permanent error is not retried by the SDK: whatever
                // follows a 404 is the next receive's first attempt.
                for pair in answers.windows(2) {
                    if pair[0].0 == 404 {
                        assert_eq!(pair[1].1, 1, "{key}: SDK retried a 404: {answers:?}");
                    }
                }
            }
            Kind::BrokenRoom => assert!(in_dlq, "{key}: broken room, not dead-lettered"),
        }
    }
    assert_eq!(duplicates, 0);

    // Bounded retries: the SDK's attempt header, and the attempts per key.
    for c in calls.iter().filter(|c| c.operation != "SQS.SendMessage") {
        let (attempt, max) = c
            .attempt
            .unwrap_or_else(|| panic!("{} {}: no amz-sdk-request header", c.operation, c.body));
        assert_eq!(max, MAX_ATTEMPTS);
        assert!((1..=max).contains(&attempt), "{c:?}");
    }
    let bound = (MAX_RECEIVE_COUNT * MAX_ATTEMPTS) as usize;
    let most_attempts = attempts.values().copied().max().unwrap_or(0);
    for (key, n) in &attempts {
        // The scheduled run's own attempts come on top of its recovery's.
        let bound = if key.starts_with('s') {
            bound + MAX_ATTEMPTS as usize
        } else {
            bound
        };
        assert!(*n <= bound, "{key}: {n} attempts, more than {bound}");
    }

    // ------------------------------------------------------------ report
    let status = |s: u16| calls.iter().filter(|c| c.status == s).count();
    let retries: Vec<&Call> = calls
        .iter()
        .filter(|c| c.attempt.is_some_and(|(a, _)| a > 1))
        .collect();
    // The delay before each SDK retry: from the previous attempt of the same
    // key and operation.
    let mut last: BTreeMap<(String, String), Instant> = BTreeMap::new();
    let mut gaps: Vec<Duration> = Vec::new();
    for c in &calls {
        let Some(key) = key_of(c) else { continue };
        let id = (c.operation.clone(), key);
        if let (Some(prev), Some((a, _))) = (last.get(&id), c.attempt) {
            if a > 1 {
                gaps.push(c.at.saturating_duration_since(*prev));
            }
        }
        last.insert(id, c.at);
    }
    gaps.sort();
    let applied_total = applied.values().filter(|n| **n > 0).count();
    let report = json!({
        "commands": commands,
        "rooms": rooms,
        "elapsedSeconds": (elapsed.as_secs_f64() * 10.0).round() / 10.0,
        "serverCalls": calls.len(),
        "throttled429": status(429),
        "serverErrors500": status(500),
        "notFound404": status(404),
        "sdkRetries": retries.len(),
        "retryDelayMs": {
            "min": percentile(&gaps, 0).as_millis(),
            "median": percentile(&gaps, 50).as_millis(),
            "p90": percentile(&gaps, 90).as_millis(),
            "max": percentile(&gaps, 100).as_millis(),
        },
        "mostAttemptsForOneCommand": most_attempts,
        "sqsBatches": q.batches,
        "sqsReceives": q.receives,
        "redeliveries": q.redeliveries,
        "scheduledSentDirectly": sched_applied_by_function,
        "scheduledHandedToQueue": failed_rooms,
        "applied": applied_total,
        "deadLettered": q.dead_letters.len(),
        "deadLetteredValid": dead_valid,
        "deadLetteredByKind": {
            "invalid": q.dead_letters.iter().filter(|m| m.kind == Kind::Invalid).count(),
            "unknownRoom": q.dead_letters.iter().filter(|m| m.kind == Kind::UnknownRoom).count(),
            "brokenRoom": q.dead_letters.iter().filter(|m| m.kind == Kind::BrokenRoom).count(),
        },
        "duplicates": duplicates,
        "lost": 0,
    });
    eprintln!(
        "load report: {}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    // Every scheduled room and command is accounted for.
    assert_eq!(applied_total + q.dead_letters.len(), expected.len());
}
