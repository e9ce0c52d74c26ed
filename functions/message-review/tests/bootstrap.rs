//! The built `message-review` binary against a stand-in Lambda Runtime API.
//!
//! The library tests cover the decision; these cover `main.rs`: that init
//! reads the environment, builds the filter, and answers invocations through
//! the real runtime client, and that a bad configuration stops init with a
//! message naming the variable. The stand-in speaks just enough of the
//! Runtime API (`GET .../invocation/next`, `POST .../response`) over plain
//! HTTP/1.1 on a local port, reading requests with the end-to-end test
//! library's HTTP reader.

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use e2e_tests::http::read_message;
use serde_json::{json, Value};

/// Serves `events` one per `next` request (and then holds `next` open, as
/// the real API does between invocations), sending each posted response or
/// error, with its path, to the returned channel.
fn runtime_api(events: Vec<Value>) -> (String, mpsc::Receiver<(String, Value)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let queue = Arc::new(Mutex::new(events.into_iter().enumerate()));
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let queue = Arc::clone(&queue);
            let sender = sender.clone();
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                while let Ok(Some(request)) = read_message(&mut reader) {
                    let mut start = request.start_line.split_whitespace();
                    let method = start.next().unwrap_or_default();
                    let path = start.next().unwrap_or_default().to_string();
                    if method == "GET" && path.ends_with("/invocation/next") {
                        let next = queue.lock().unwrap().next();
                        let Some((index, event)) = next else {
                            std::thread::sleep(Duration::from_secs(60));
                            return;
                        };
                        let body = event.to_string();
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-{index}\r\n\
                             Lambda-Runtime-Deadline-Ms: 99999999999999\r\n\
                             Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-west-2:123456789012:function:review\r\n\
                             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                            body.len()
                        );
                        writer.write_all(head.as_bytes()).unwrap();
                        writer.write_all(body.as_bytes()).unwrap();
                    } else {
                        let value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                        let _ = sender.send((path, value));
                        writer
                            .write_all(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
                            .unwrap();
                    }
                }
            });
        }
    });
    (address, receiver)
}

fn handler(api: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_message-review"));
    for variable in message_review::config::VARIABLES {
        command.env_remove(variable);
    }
    command
        .env("AWS_LAMBDA_RUNTIME_API", api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "review")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "stream")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "group")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn the_binary_answers_invocations_and_reports_bad_events() {
    let (api, responses) = runtime_api(vec![
        json!({"Content": "what the frack", "MessageId": "m1", "Attributes": {"k": "v"}}),
        json!({"Content": "hello", "Attributes": {"k": "v"}}),
        json!({"MessageId": "no-content"}),
    ]);
    let mut child = handler(&api)
        .env("REVIEW_BLOCK_TERMS", "frack | severe")
        .env("REVIEW_DENY_REASON", "Not here")
        .spawn()
        .unwrap();
    let mut answers = Vec::new();
    for _ in 0..3 {
        match responses.recv_timeout(Duration::from_secs(60)) {
            Ok(answer) => answers.push(answer),
            Err(e) => {
                let _ = child.kill();
                panic!("no answer from the handler: {e}; got {answers:?}");
            }
        }
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let logs = String::from_utf8_lossy(&output.stdout);

    assert_eq!(
        answers[0].0,
        "/2018-06-01/runtime/invocation/req-0/response"
    );
    assert_eq!(
        answers[0].1,
        json!({"ReviewResult": "DENY", "Content": "what the frack", "Attributes": {"Reason": "Not here"}})
    );
    assert_eq!(
        answers[1].0,
        "/2018-06-01/runtime/invocation/req-1/response"
    );
    assert_eq!(
        answers[1].1,
        json!({"ReviewResult": "ALLOW", "Content": "hello", "Attributes": {"k": "v"}})
    );
    assert_eq!(answers[2].0, "/2018-06-01/runtime/invocation/req-2/error");
    assert_eq!(answers[2].1["errorType"], "MessageReview.InvalidEvent");
    assert!(
        answers[2].1["errorMessage"]
            .as_str()
            .unwrap_or_default()
            .contains("missing field `Content`"),
        "{}",
        answers[2].1
    );

    // One decision record for the DENY, none for the clean message.
    let moderated: Vec<Value> = logs
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["message"] == "message moderated")
        .collect();
    assert_eq!(moderated.len(), 1, "{logs}");
    assert_eq!(moderated[0]["message_id"], "m1");
    assert_eq!(moderated[0]["action"], "deny");
    assert_eq!(moderated[0]["record"], "moderation-decision");
    assert_eq!(moderated[0]["rules"], serde_json::json!(["frack"]));
}

#[test]
fn a_bad_configuration_stops_init_naming_the_variable() {
    // The Runtime API gets the message at its init-error endpoint, so the
    // invoker (Lambda, the emulator, `cargo lambda watch`) sees it too.
    let (api, reports) = runtime_api(vec![]);
    let output = handler(&api)
        .env("REVIEW_DEFAULT_SEVERITY", "awful")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        all.contains("REVIEW_DEFAULT_SEVERITY: unknown severity 'awful'"),
        "{all}"
    );
    let (path, report) = reports
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("no init error reported ({e}): {all}"));
    assert_eq!(path, "/2018-06-01/runtime/init/error");
    assert_eq!(report["errorType"], "Runtime.ConfigInvalid");
    let message = report["errorMessage"].as_str().unwrap_or_default();
    assert!(
        message.contains("REVIEW_DEFAULT_SEVERITY: unknown severity 'awful'"),
        "{report}"
    );
}
