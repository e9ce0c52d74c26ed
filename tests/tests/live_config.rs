//! The `message-review` bootstrap under the Lambda Runtime Interface
//! Emulator, configured through a local stand-in for the AWS AppConfig Lambda
//! extension: live word-list changes, a broken document, a hanging
//! extension, per-room profiles, and the EMF metrics in its log lines.
//!
//! The stand-in serves what the extension serves (AWS AppConfig user guide,
//! "Retrieving configuration data from the AWS AppConfig Agent Lambda
//! extension"): `GET /applications/APP/environments/ENV/configurations/PROFILE`
//! on the port in `AWS_APPCONFIG_EXTENSION_HTTP_PORT`, answered `200` with the
//! document, `Content-Type: application/json` and `Configuration-Version`, or
//! `404` for a configuration it does not know. It can also be told to hang:
//! accept the connection and never answer.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use e2e_tests::lambda::{paths, Emulator, Paths};
use serde_json::{json, Value};

const APP: &str = "chat-moderation";
const ENV: &str = "prod";
const PROFILE: &str = "review";
const KIDS: &str = "arn:aws:ivschat:us-west-2:123456789012:room/kidsRoom0001";
const ADULT: &str = "arn:aws:ivschat:us-west-2:123456789012:room/adultRoom001";

fn setup() -> Option<Paths> {
    paths(&["message-review"])
}

#[derive(Debug, Clone)]
struct Served {
    version: u32,
    body: String,
    hang: bool,
}

/// The extension's endpoint, serving whatever `set` last gave it.
struct Extension {
    port: u16,
    served: Arc<Mutex<Served>>,
    requests: Arc<Mutex<usize>>,
}

impl Extension {
    fn start(body: Value) -> Extension {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = Arc::new(Mutex::new(Served {
            version: 1,
            body: body.to_string(),
            hang: false,
        }));
        let requests = Arc::new(Mutex::new(0));
        let (s, r) = (Arc::clone(&served), Arc::clone(&requests));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (s, r) = (Arc::clone(&s), Arc::clone(&r));
                thread::spawn(move || answer(stream, &s, &r));
            }
        });
        Extension {
            port,
            served,
            requests,
        }
    }

    /// Deploys a new version of the document.
    fn deploy(&self, body: &str) {
        let mut served = self.served.lock().unwrap();
        served.version += 1;
        served.body = body.to_string();
    }

    fn hang(&self, on: bool) {
        self.served.lock().unwrap().hang = on;
    }

    fn requests(&self) -> usize {
        *self.requests.lock().unwrap()
    }

    /// The handler's variables: poll interval and read budget (the tests
    /// of what a change does use a loose budget, so that a loaded machine
    /// cannot turn a read into a timeout; the budget has its own test).
    fn env(&self, poll_seconds: u32, timeout_ms: u32) -> Vec<(&'static str, String)> {
        vec![
            ("REVIEW_APPCONFIG_TIMEOUT_MS", timeout_ms.to_string()),
            ("REVIEW_APPCONFIG_APPLICATION", APP.into()),
            ("REVIEW_APPCONFIG_ENVIRONMENT", ENV.into()),
            ("REVIEW_APPCONFIG_PROFILE", PROFILE.into()),
            ("AWS_APPCONFIG_EXTENSION_HTTP_PORT", self.port.to_string()),
            ("REVIEW_CONFIG_POLL_SECONDS", poll_seconds.to_string()),
            ("REVIEW_METRICS", "true".into()),
            ("REVIEW_METRICS_NAMESPACE", "E2E/Moderation".into()),
        ]
    }
}

fn answer(stream: TcpStream, served: &Mutex<Served>, requests: &Mutex<usize>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
    }
    *requests.lock().unwrap() += 1;
    let current = served.lock().unwrap().clone();
    if current.hang {
        thread::sleep(Duration::from_secs(30));
        return;
    }
    let path = format!("/applications/{APP}/environments/{ENV}/configurations/{PROFILE}");
    let mut parts = request_line.split_whitespace();
    let response = match (parts.next(), parts.next()) {
        (Some("GET"), Some(p)) if p == path => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConfiguration-Version: {}\r\nContent-Length: {}\r\n\r\n{}",
            current.version,
            current.body.len(),
            current.body
        ),
        _ => {
            let body = "Configuration not found";
            format!(
                "HTTP/1.1 404 Not Found\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        }
    };
    let mut stream = stream;
    let _ = stream.write_all(response.as_bytes());
}

fn event(room: &str, content: &str) -> Value {
    json!({
        "Content": content,
        "MessageId": "AbCdEf123456",
        "RoomArn": room,
        "Attributes": {},
        "Sender": {"UserId": "alice-1", "Attributes": {}}
    })
}

fn result(response: &Value) -> (&str, &str) {
    (
        response["ReviewResult"].as_str().unwrap_or_default(),
        response["Content"].as_str().unwrap_or_default(),
    )
}

/// The embedded metric format's structural rules, checked independently of
/// the handler's own code.
fn check_emf(line: &Value) -> Result<(), String> {
    let aws = line.get("_aws").ok_or("no _aws")?;
    if !aws["Timestamp"].is_u64() {
        return Err("Timestamp is not an integer".into());
    }
    let directives = aws["CloudWatchMetrics"]
        .as_array()
        .ok_or("CloudWatchMetrics is not an array")?;
    for d in directives {
        if !d["Namespace"].is_string() {
            return Err("Namespace".into());
        }
        for set in d["Dimensions"].as_array().ok_or("Dimensions")? {
            for key in set.as_array().ok_or("dimension set")? {
                let key = key.as_str().ok_or("dimension key")?;
                if !line[key].is_string() {
                    return Err(format!("dimension {key} has no string value"));
                }
            }
        }
        for m in d["Metrics"].as_array().ok_or("Metrics")? {
            let name = m["Name"].as_str().ok_or("metric Name")?;
            let ok = line[name].is_number()
                || line[name]
                    .as_array()
                    .is_some_and(|a| a.len() <= 100 && a.iter().all(Value::is_number));
            if !ok {
                return Err(format!("metric {name} has no numeric value"));
            }
        }
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

#[test]
fn a_term_added_mid_stream_applies_after_the_poll_interval_and_a_broken_document_changes_nothing() {
    let Some(paths) = setup() else { return };
    let extension = Extension::start(json!({"default": {"block_terms": ["gorram | severe"]}}));
    let lambda = Emulator::start(&paths, "message-review", &extension.env(1, 100));
    let logs = || lambda.logs();

    assert_eq!(
        result(&lambda.invoke(&event(ADULT, "frack this"))).0,
        "ALLOW",
        "{}",
        logs()
    );
    assert_eq!(
        result(&lambda.invoke(&event(ADULT, "gorram"))).0,
        "DENY",
        "{}",
        logs()
    );

    // A moderator adds a term in the middle of the stream.
    extension.deploy(r#"{"default": {"block_terms": ["gorram | severe", "frack | severe"]}}"#);
    thread::sleep(Duration::from_millis(1100));
    let response = lambda.invoke(&event(ADULT, "frack this"));
    assert_eq!(result(&response).0, "DENY", "{}", logs());
    let updated: Vec<Value> = lambda
        .json_logs()
        .into_iter()
        .filter(|l| l["message"] == "configuration updated")
        .collect();
    assert_eq!(updated.len(), 1, "{}", logs());
    assert_eq!(updated[0]["version"], "2");
    println!(
        "filter rebuild on a config change (debug build): {} ms",
        updated[0]["rebuild_ms"]
    );

    // A broken document: the old filter stays and the room keeps being
    // reviewed.
    extension.deploy(
        r#"{"default": {"mask_char": "**"}, "profiles": {"p": {"rooms": ["x*"], "block_terms": ["frack | loud"]}}}"#,
    );
    thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        result(&lambda.invoke(&event(ADULT, "frack this"))).0,
        "DENY"
    );
    assert_eq!(result(&lambda.invoke(&event(ADULT, "gorram"))).0, "DENY");
    assert_eq!(result(&lambda.invoke(&event(ADULT, "hello"))).0, "ALLOW");
    let rejected: Vec<Value> = lambda
        .json_logs()
        .into_iter()
        .filter(|l| l["message"] == "configuration rejected")
        .collect();
    assert_eq!(
        rejected.len(),
        1,
        "logged once, not on every poll: {}",
        logs()
    );
    let errors = rejected[0]["errors"].to_string();
    assert!(errors.contains("default.mask_char"), "{errors}");
    assert!(
        errors.contains("profiles.p.block_terms[0] 'frack | loud'"),
        "{errors}"
    );
    check_emf(&rejected[0]).unwrap();
    assert_eq!(rejected[0]["ConfigRejected"], 1);

    // A fixed document is taken again.
    extension.deploy(r#"{"default": {"block_terms": ["smeg | severe"]}}"#);
    thread::sleep(Duration::from_millis(1100));
    assert_eq!(result(&lambda.invoke(&event(ADULT, "smeg"))).0, "DENY");
    assert_eq!(result(&lambda.invoke(&event(ADULT, "frack"))).0, "ALLOW");
}

#[test]
fn two_rooms_two_policies_one_function_with_emf_decision_records() {
    let Some(paths) = setup() else { return };
    let extension = Extension::start(json!({
        "default": {"policy": {"moderate": "mask"}},
        "profiles": {
            "kids": {
                "rooms": ["kidsRoom*"],
                "policy": {"mild": "mask", "moderate": "deny"},
                "deny_reason": "Not in the kids' room",
                "exempt_senders": ["role=moderator"]
            }
        }
    }));
    let lambda = Emulator::start(&paths, "message-review", &extension.env(60, 100));
    let kids = lambda.invoke(&event(KIDS, "this shit is broken"));
    assert_eq!(result(&kids).0, "DENY", "{}", lambda.logs());
    assert_eq!(kids["Attributes"]["Reason"], "Not in the kids' room");
    let adult = lambda.invoke(&event(ADULT, "this shit is broken"));
    assert_eq!(result(&adult), ("ALLOW", "this **** is broken"));
    assert_eq!(
        result(&lambda.invoke(&event(KIDS, "damn"))),
        ("ALLOW", "****")
    );
    assert_eq!(
        result(&lambda.invoke(&event(ADULT, "damn"))),
        ("ALLOW", "damn")
    );
    // The kids profile's exempt senders (token attributes, as
    // REVIEW_EXEMPT_SENDERS) pass unreviewed and write no record.
    let mut from_moderator = event(KIDS, "this shit is broken");
    from_moderator["Sender"]["Attributes"] = json!({"role": "moderator"});
    assert_eq!(
        result(&lambda.invoke(&from_moderator)),
        ("ALLOW", "this shit is broken")
    );

    let decisions: Vec<Value> = lambda
        .json_logs()
        .into_iter()
        .filter(|l| l["message"] == "message moderated")
        .collect();
    assert_eq!(decisions.len(), 3, "{}", lambda.logs());
    for line in &decisions {
        check_emf(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(
            line["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "E2E/Moderation"
        );
        assert_eq!(line["Moderated"], 1);
        // The same line is the decision record strike-tracking reads.
        let record = sanctions::DecisionRecord::from_line(&line.to_string())
            .unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(record.message_id, "AbCdEf123456");
        assert_eq!(record.action.as_str(), line["action"]);
    }
    assert_eq!(decisions[0]["profile"], "kids");
    assert_eq!(decisions[0]["room"], "kidsRoom0001");
    assert_eq!(decisions[0]["action"], "deny");
    assert_eq!(decisions[1]["profile"], "default");
    assert_eq!(decisions[1]["action"], "mask");
}

#[test]
fn a_hanging_extension_does_not_push_reviews_past_their_budget() {
    let Some(paths) = setup() else { return };
    let extension = Extension::start(json!({"default": {}}));
    // Poll on every invocation: the worst case.
    let lambda = Emulator::start(&paths, "message-review", &extension.env(0, 5));
    let timed = |n: usize| {
        let mut times: Vec<Duration> = (0..n)
            .map(|i| {
                let started = Instant::now();
                let response = lambda.invoke(&event(ADULT, &format!("hello {i}, this shit")));
                let elapsed = started.elapsed();
                assert_eq!(result(&response).0, "ALLOW", "{}", lambda.logs());
                elapsed
            })
            .collect();
        times.sort();
        times
    };
    let before = extension.requests();
    let answering = timed(100);
    let failed_reads = || {
        lambda
            .json_logs()
            .into_iter()
            .filter(|l| l["message"] == "configuration read failed")
            .count()
    };
    let failed_answering = failed_reads();
    // Each invocation reads; the server counts a request once its head has
    // arrived, which can trail the last invocation a little.
    let polled = extension.requests() - before;
    assert!(polled >= 90, "{polled} reads for 100 invocations");
    extension.hang(true);
    let hanging = timed(100);
    let (p50a, p99a) = (percentile(&answering, 0.5), percentile(&answering, 0.99));
    let (p50h, p99h) = (percentile(&hanging, 0.5), percentile(&hanging, 0.99));
    println!(
        "invocation round trip through the emulator, polling every message (debug build): \
         extension answering (nothing new) p50 {p50a:?} p99 {p99a:?} ({failed_answering} of 100 reads over budget); \
         extension hanging p50 {p50h:?} p99 {p99h:?}"
    );
    // The read budget is 5 ms; the review deadline 200 ms. Generous: the
    // machine is shared and the build is a debug one.
    assert!(p99h < Duration::from_millis(150), "p99 {p99h:?}");
    let failed = failed_reads() - failed_answering;
    assert!(failed >= 100, "each timed-out read is logged: {failed}");
}
