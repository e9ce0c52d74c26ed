//! Replaying chat logs with `chatmod review`: streaming input, broken lines,
//! gzip, several inputs, `--origin` and `--jobs`, run as a user would.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use message_review::config::VARIABLES;
use serde_json::{json, Value};

fn chatmod() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chatmod"));
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command.env_remove("AWS_REGION");
    command
}

fn run_with_stdin(command: &mut Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chatmod starts");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    output
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A directory removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("chatmod-replay-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn message_record(id: &str, user: &str, content: &str) -> String {
    json!({
        "event_timestamp": "2026-11-22T02:00:00.000Z", "type": "MESSAGE", "version": "1.0",
        "payload": {"Type": "MESSAGE", "Id": id, "RequestId": "r", "Attributes": {},
                    "Content": content, "SendTime": "2026-11-22T02:00:00.000Z",
                    "Sender": {"UserId": user, "Attributes": {}}}
    })
    .to_string()
}

fn event_record(id: &str) -> String {
    json!({"event_timestamp": "2026-11-22T02:00:01.000Z", "type": "EVENT", "version": "1.0",
           "payload": {"Type": "EVENT", "Id": id, "EventName": "app:poll", "Attributes": {}}})
    .to_string()
}

#[test]
fn a_broken_first_line_does_not_stop_the_lines_after_it() {
    for first in [
        "{\"Content\": \"trunc",
        "{\"Content\": \"hello\",",
        "{oops}",
        "not json at all",
    ] {
        let log = format!(
            "{first}\n{}\n{}\n{}\n",
            json!({"Content": "hello"}),
            json!({"Content": "this shit is broken"}),
            json!({"Content": "you cunt"})
        );
        let output = run_with_stdin(chatmod().args(["review", "-"]), log.as_bytes());
        assert_eq!(
            output.status.code(),
            Some(1),
            "{first}: {}",
            stderr(&output)
        );
        let answers = lines(&output);
        let results: Vec<(&str, &str)> = answers
            .iter()
            .map(|a| {
                (
                    a["ReviewResult"].as_str().unwrap(),
                    a["Content"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            results,
            [
                ("ALLOW", "hello"),
                ("ALLOW", "this **** is broken"),
                ("DENY", "you cunt")
            ],
            "{first}"
        );
        let errors = stderr(&output);
        assert!(
            errors.starts_with("error: <stdin>:1: "),
            "{first}: {errors}"
        );
        assert_eq!(errors.matches("error: ").count(), 1, "{first}: {errors}");
    }
}

#[test]
fn a_pretty_printed_event_and_json_lines_mix_in_one_input() {
    let input = "{\n  \"Content\": \"this shit is broken\",\n  \"MessageId\": \"AbCdEf123456\"\n}\n{\"Content\": \"hi\"}\n";
    let output = run_with_stdin(
        chatmod().args(["review", "--origin", "-"]),
        input.as_bytes(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let answers = lines(&output);
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["Line"], 1);
    assert_eq!(answers[0]["MessageId"], "AbCdEf123456");
    assert_eq!(answers[0]["Content"], "this **** is broken");
    assert_eq!(answers[1]["Line"], 5);
}

#[test]
fn gzip_files_plain_files_and_stdin_in_one_run_in_order() {
    let dir = TempDir::new("mixed");
    let first = format!(
        "{}\n{}\n{}\n",
        message_record("AAAAAAAAAAA1", "u1", "hello"),
        event_record("EEEEEEEEEEE1"),
        message_record("AAAAAAAAAAA2", "u2", "you cunt")
    );
    let gz = dir.file("chat.log.gz", &gzip(first.as_bytes()));
    let plain = dir.file("events.jsonl", b"{\"Content\": \"this shit is broken\"}\n");
    let output = run_with_stdin(
        chatmod()
            .arg("review")
            .arg("--origin")
            .arg(&gz)
            .arg("-")
            .arg(&plain),
        b"{broken\n{\"Content\": \"from stdin\"}\n",
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let gz_name = gz.display().to_string();
    let plain_name = plain.display().to_string();
    let got: Vec<Value> = lines(&output)
        .into_iter()
        .map(|mut a| {
            a.as_object_mut().unwrap().remove("Attributes");
            a
        })
        .collect();
    assert_eq!(
        got,
        vec![
            json!({"File": gz_name, "Line": 1, "MessageId": "AAAAAAAAAAA1", "ReviewResult": "ALLOW", "Content": "hello"}),
            json!({"File": gz_name, "Line": 2, "Skipped": "not a message (EVENT record)"}),
            json!({"File": gz_name, "Line": 3, "MessageId": "AAAAAAAAAAA2", "ReviewResult": "DENY", "Content": "you cunt"}),
            json!({"File": "<stdin>", "Line": 1, "Error": "invalid JSON at column 2: key must be a string"}),
            json!({"File": "<stdin>", "Line": 2, "MessageId": "", "ReviewResult": "ALLOW", "Content": "from stdin"}),
            json!({"File": plain_name, "Line": 1, "MessageId": "", "ReviewResult": "ALLOW", "Content": "this **** is broken"}),
        ]
    );
    assert!(
        stderr(&output).contains("error: <stdin>:1: invalid JSON"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn skipped_and_bad_records_are_counted_when_there_is_no_origin() {
    let log = format!(
        "{}\n{}\n\n{{\"x\": 1}}\n",
        message_record("AAAAAAAAAAA1", "u", "hi"),
        event_record("E")
    );
    let output = run_with_stdin(chatmod().args(["review", "-"]), log.as_bytes());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(lines(&output).len(), 1);
    let errors = stderr(&output);
    assert!(
        errors.contains(
            "note: 1 messages answered; 1 records skipped (no message in them) and 1 bad records"
        ),
        "{errors}"
    );
}

#[test]
fn messages_over_the_length_limit_are_reviewed_and_reported() {
    let long = format!("{} you cunt", "a".repeat(520));
    let log = json!({"Content": long, "MessageId": "LongLongLong"}).to_string();
    let output = run_with_stdin(chatmod().args(["review", "--origin", "-"]), log.as_bytes());
    assert!(output.status.success(), "{}", stderr(&output));
    let answer = &lines(&output)[0];
    assert_eq!(answer["ReviewResult"], "DENY");
    assert_eq!(answer["OverLimit"], 529);
    assert!(
        stderr(&output).contains("warning: <stdin>:1: message LongLongLong has 529 characters, over IVS Chat's 500-character limit"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn jobs_change_nothing_in_the_output() {
    let words = [
        "hello there",
        "this shit is broken",
        "you cunt",
        "good game",
        "sh1t happens",
        "f u c k this",
    ];
    let mut log = String::new();
    for i in 0..6000 {
        match i % 97 {
            13 => log.push_str("{broken line\n"),
            29 => log.push('\n'),
            41 => {
                log.push_str(&event_record(&format!("E{i:011}")));
                log.push('\n');
            }
            _ => {
                log.push_str(&message_record(
                    &format!("M{i:011}"),
                    &format!("user{}", i % 17),
                    words[i % words.len()],
                ));
                log.push('\n');
            }
        }
    }
    let one = run_with_stdin(
        chatmod().args(["review", "--origin", "--jobs", "1", "-"]),
        log.as_bytes(),
    );
    let four = run_with_stdin(
        chatmod().args(["review", "--origin", "--jobs", "4", "-"]),
        log.as_bytes(),
    );
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(four.status.code(), Some(1));
    assert!(one.stdout == four.stdout, "outputs differ");
    assert_eq!(stderr(&one), stderr(&four));
    let answers = lines(&four);
    // Every non-blank line has its line of output, in order.
    let expected_lines: Vec<u64> = (0..6000u64)
        .filter(|i| i % 97 != 29)
        .map(|i| i + 1)
        .collect();
    let got_lines: Vec<u64> = answers
        .iter()
        .map(|a| a["Line"].as_u64().unwrap())
        .collect();
    assert_eq!(got_lines, expected_lines);
}

#[test]
fn remembered_verdicts_change_nothing_in_the_output() {
    // Texts that come back, as chat's do, some flagged, some masked, one
    // from a strictly reviewed sender and one from an exempt one.
    let words = [
        "gg",
        "this shit is broken",
        "you cunt",
        "lol",
        "sh1t happens",
        "gg",
    ];
    let mut events = String::new();
    for i in 0..3000 {
        let attributes = match i % 50 {
            7 => json!({"tier": "new"}),
            19 => json!({"role": "moderator"}),
            _ => json!({}),
        };
        let event = json!({
            "Content": words[(i * 7) % words.len()],
            "MessageId": format!("M{i:011}"),
            "Sender": {"UserId": format!("u{}", i % 13), "Attributes": attributes},
        });
        events.push_str(&event.to_string());
        events.push('\n');
    }
    let run = |cache: &str, jobs: &str| {
        run_with_stdin(
            chatmod()
                .env("REVIEW_EXEMPT_SENDERS", "role=moderator")
                .env("REVIEW_STRICT_SENDERS", "tier=new")
                .env("REVIEW_STRICT_POLICY", "moderate=deny")
                .args([
                    "review",
                    "--explain",
                    "--origin",
                    "--cache-mib",
                    cache,
                    "--jobs",
                    jobs,
                    "-",
                ]),
            events.as_bytes(),
        )
    };
    let reviewed = run("0", "1");
    assert_eq!(reviewed.status.code(), Some(0), "{}", stderr(&reviewed));
    let answers = lines(&reviewed);
    assert_eq!(answers.len(), 3000);
    let results: Vec<&str> = answers
        .iter()
        .map(|a| a["ReviewResult"].as_str().unwrap())
        .collect();
    assert!(results.contains(&"DENY") && results.contains(&"ALLOW"));
    for (cache, jobs) in [("8", "1"), ("8", "4"), ("1", "2")] {
        let remembered = run(cache, jobs);
        assert!(
            remembered.stdout == reviewed.stdout,
            "--cache-mib {cache} --jobs {jobs}: answers differ"
        );
        assert_eq!(stderr(&remembered), stderr(&reviewed));
    }
}
