//! The `chatmod` binary, run as a user would run it.
//!
//! Responses are compared with the `message-review` library's own answer to
//! the same event, so these tests prove the CLI runs the handler's code, not
//! a copy of it. Every child process gets a clean `REVIEW_*` environment so
//! the developer's shell cannot change the results.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ivs_chat::ReviewEvent;
use message_review::config::VARIABLES;
use message_review::{review, Config};
use serde_json::Value;

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events/message-review")
}

fn sample_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(samples_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    names
}

fn chatmod() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chatmod"));
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    for variable in [
        "REVIEW_CONFIG_FILE",
        "REVIEW_APPCONFIG_APPLICATION",
        "REVIEW_APPCONFIG_ENVIRONMENT",
        "REVIEW_APPCONFIG_PROFILE",
    ] {
        command.env_remove(variable);
    }
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("chatmod runs")
}

fn run_with_stdin(command: &mut Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chatmod starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// What the library answers for a sample under the default configuration.
fn library_answer(event: &Value) -> Value {
    let config = Config::default();
    let filter = config.build_filter().unwrap();
    let event: ReviewEvent = serde_json::from_value(event.clone()).unwrap();
    serde_json::to_value(review(&filter, &config, &event)).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A temporary file, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("chatmod-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn review_answers_each_sample_as_the_handler_does() {
    for name in sample_names() {
        let path = samples_dir().join(&name);
        let output = run(chatmod().arg("review").arg(&path));
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        let responses = json_lines(&stdout(&output));
        assert_eq!(responses.len(), 1, "{name}");
        assert_eq!(responses[0], library_answer(&read_json(&path)), "{name}");
    }
}

#[test]
fn the_quick_start_denies_the_profane_sample() {
    let output = run(chatmod()
        .arg("review")
        .arg(samples_dir().join("profane.json")));
    assert_eq!(output.status.code(), Some(0));
    let response = &json_lines(&stdout(&output))[0];
    assert_eq!(response["ReviewResult"], "DENY");
    assert_eq!(response["Content"], "shut up you cunt");
    assert_eq!(
        response["Attributes"]["Reason"],
        "Message blocked by the room's moderation rules"
    );
}

#[test]
fn json_lines_get_one_response_per_event_in_order() {
    let events: Vec<Value> = sample_names()
        .iter()
        .map(|name| read_json(&samples_dir().join(name)))
        .collect();
    let mut log = String::new();
    for event in &events {
        log.push_str(&serde_json::to_string(event).unwrap());
        log.push_str("\n\n");
    }
    let file = TempFile::new("all.jsonl", &log);
    let output = run(chatmod().arg("review").arg(&file.0));
    assert!(output.status.success(), "{}", stderr(&output));
    let responses = json_lines(&stdout(&output));
    let expected: Vec<Value> = events.iter().map(library_answer).collect();
    assert_eq!(responses, expected);
}

#[test]
fn bad_lines_are_reported_by_number_and_the_rest_still_answered() {
    let log = "{\"Content\": \"hello\"}\n{not json\n\n{\"MessageId\": \"x\"}\n{\"Content\": \"this shit is broken\"}\n";
    let file = TempFile::new("bad.jsonl", log);
    let output = run(chatmod().arg("review").arg(&file.0));
    assert_eq!(output.status.code(), Some(1));
    let responses = json_lines(&stdout(&output));
    assert_eq!(responses.len(), 2);
    assert_eq!(responses[0]["Content"], "hello");
    assert_eq!(responses[1]["Content"], "this **** is broken");
    let errors = stderr(&output);
    let name = file.0.display().to_string();
    assert!(
        errors.contains(&format!("error: {name}:2: invalid JSON")),
        "{errors}"
    );
    assert!(
        errors.contains(&format!(
            "error: {name}:4: not a review event or chat log record: no `Content`"
        )),
        "{errors}"
    );
}

#[test]
fn stdin_is_read_for_dash() {
    let event = std::fs::read_to_string(samples_dir().join("profane.json")).unwrap();
    let output = run_with_stdin(chatmod().args(["review", "-"]), &event);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json_lines(&stdout(&output))[0]["ReviewResult"], "DENY");
}

#[test]
fn text_is_wrapped_in_an_event() {
    let output = run(chatmod().args(["review", "--text", "this shit is broken"]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        json_lines(&stdout(&output)),
        [
            serde_json::json!({"ReviewResult": "ALLOW", "Content": "this **** is broken", "Attributes": {}})
        ]
    );
}

#[test]
fn explain_writes_each_match_to_stderr() {
    let output = run(chatmod().args(["review", "--explain", "--text", "shut up you cunt"]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json_lines(&stdout(&output))[0]["ReviewResult"], "DENY");
    let matches = json_lines(&stderr(&output));
    assert!(!matches.is_empty(), "{}", stderr(&output));
    for m in &matches {
        assert_eq!(m["input"], "--text");
        assert_eq!(m["text"], "cunt");
        assert_eq!(m["span"], serde_json::json!([12, 16]));
        assert_eq!(m["severity"], "severe");
        assert_eq!(m["action"], "deny");
        assert!(m["rule"].as_str().unwrap().contains("cunt"), "{m}");
        assert!(m["list_line"].as_u64().is_some(), "{m}");
    }
    // Without --explain, stderr carries no matches.
    let quiet = run(chatmod().args(["review", "--text", "shut up you cunt"]));
    assert!(json_lines(&stderr(&quiet)).is_empty());
}

#[test]
fn the_environment_configures_the_review() {
    let output = run(chatmod()
        .args(["review", "--text", "what the frack"])
        .env("REVIEW_BLOCK_TERMS", "frack | severe")
        .env("REVIEW_DENY_REASON", "Language!"));
    assert!(output.status.success(), "{}", stderr(&output));
    let response = &json_lines(&stdout(&output))[0];
    assert_eq!(response["ReviewResult"], "DENY");
    assert_eq!(response["Attributes"]["Reason"], "Language!");
}

#[test]
fn configuration_errors_exit_2_naming_the_variable() {
    let output = run(chatmod()
        .args(["review", "--text", "hi"])
        .env("REVIEW_MASK_CHAR", "**"));
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output)
            .contains("error: invalid configuration: REVIEW_MASK_CHAR: '**' is 2 characters"),
        "{}",
        stderr(&output)
    );

    let output = run(chatmod()
        .args(["review", "--text", "hi"])
        .env("REVIEW_BLOCK_TERMS", "ok; bad | loud"));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("REVIEW_BLOCK_TERMS:2: unknown severity 'loud'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn usage_errors_and_unreadable_files_exit_2() {
    let output = run(chatmod().arg("review"));
    assert_eq!(output.status.code(), Some(2));
    let output = run(chatmod().args(["review", "x.json", "--text", "hi"]));
    assert_eq!(output.status.code(), Some(2));
    let output = run(chatmod().args(["review", "no/such/event.json"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("error: cannot read 'no/such/event.json': "),
        "{}",
        stderr(&output)
    );
    let empty = TempFile::new("empty.json", "\n\n");
    let output = run(chatmod().arg("review").arg(&empty.0));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no events in the input"));
}

#[test]
fn lint_reports_every_bad_line_and_exits_1() {
    let list = TempFile::new("block.txt", "# mine\nfrack*\nbad | loud\nfr*ck\n!!!\n");
    let output = run(chatmod().arg("lint").arg(&list.0));
    assert_eq!(output.status.code(), Some(1));
    let name = list.0.display().to_string();
    let errors = stderr(&output);
    assert!(
        errors.contains(&format!("{name}:3: unknown severity 'loud'")),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("{name}:4: '*' may only stand")),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("{name}:5: term '!!!' holds no letters")),
        "{errors}"
    );
    assert_eq!(stdout(&output), format!("{name}: 3 problems\n"));
}

#[test]
fn lint_passes_good_lists_and_checks_each_kind() {
    let good = TempFile::new("good.txt", "frack* | moderate | scifi\ngorram\n");
    let output = run(chatmod().arg("lint").arg(&good.0));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!("{}: 2 entries, ok\n", good.0.display())
    );

    let allow = TempFile::new("allow.txt", "scunthorpe\nessex | mild\n");
    let output = run(chatmod().args(["lint", "--allow"]).arg(&allow.0));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!(
            "{}:2: allow-list entry 'essex' takes no severity or category",
            allow.0.display()
        )),
        "{}",
        stderr(&output)
    );

    let rules = TempFile::new("rules.txt", "links | mask | https?://\\S+\nbad | ban | x\n");
    let output = run(chatmod().args(["lint", "--rules"]).arg(&rules.0));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!(
            "{}:2: unknown action 'ban': expected allow, mask or deny",
            rules.0.display()
        )),
        "{}",
        stderr(&output)
    );

    let one_rule = TempFile::new("one-rule.txt", "# links\nlinks | mask | https?://\\S+\n");
    let output = run(chatmod().args(["lint", "--rules"]).arg(&one_rule.0));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!("{}: 1 rule, ok\n", one_rule.0.display())
    );

    let output = run(chatmod().args(["lint", "--allow", "--rules"]).arg(&rules.0));
    assert_eq!(output.status.code(), Some(2));
    let output = run(chatmod().args(["lint", "no/such/list.txt"]));
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn eval_reports_recall_and_false_positives() {
    let positives = TempFile::new("pos.txt", "you cunt\nthis shit is broken\nhello there\n");
    let output = run(chatmod()
        .args(["eval", "--expect", "flagged"])
        .arg(&positives.0));
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.starts_with(&format!(
            "{}: 3 messages, 2 flagged, recall 66.67 %",
            positives.0.display()
        )),
        "{report}"
    );
    assert!(report.contains("  missed: \"hello there\""), "{report}");

    let labelled = TempFile::new(
        "set.jsonl",
        "{\"text\": \"hello there\", \"flagged\": false, \"category\": \"greeting\"}\n{\"text\": \"oh shit\", \"flagged\": false}\n{\"text\": \"broken\"}\n",
    );
    let output = run(chatmod()
        .args(["eval", "--examples", "0"])
        .arg(&labelled.0)
        .arg("--expect")
        .arg("flagged")
        .arg(&positives.0));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("2 messages, 1 flagged, false positives 50.00 %"),
        "{report}"
    );
    assert!(
        report.contains("  greeting: 1 messages, 0 flagged"),
        "{report}"
    );
    assert!(
        !report.contains("missed:"),
        "--examples 0 shows none: {report}"
    );
    assert!(report.contains("total: 5 messages, 3 flagged"), "{report}");
    assert!(
        stderr(&output).contains(&format!(
            "{}:3: missing field `flagged`",
            labelled.0.display()
        )),
        "{}",
        stderr(&output)
    );

    let output = run(chatmod().arg("eval").arg(&positives.0));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("need --expect"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn chat_logging_records_are_replayed_as_their_messages() {
    let log = [
        r#"{"event_timestamp":"2026-11-22T02:00:00.000Z","type":"MESSAGE","version":"1.0","payload":{"Type":"MESSAGE","Id":"AAAAAAAAAAA1","RequestId":"r1","Attributes":{},"Content":"hello all","SendTime":"2026-11-22T02:00:00.000Z","Sender":{"UserId":"alice","Attributes":{}}}}"#,
        r#"{"event_timestamp":"2026-11-22T02:00:01.000Z","type":"EVENT","version":"1.0","payload":{"Type":"EVENT","Id":"e","EventName":"app:poll","Attributes":{}}}"#,
        r#"{"event_timestamp":"2026-11-22T02:00:02.000Z","type":"MESSAGE","version":"1.0","payload":{"Type":"MESSAGE","Id":"AAAAAAAAAAA2","RequestId":"r2","Attributes":{"k":"v"},"Content":"this shit is broken","SendTime":"2026-11-22T02:00:02.000Z","Sender":{"UserId":"bob"}}}"#,
    ]
    .join("\n");
    let output = run_with_stdin(chatmod().args(["review", "-"]), &log);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        json_lines(&stdout(&output)),
        [
            serde_json::json!({"ReviewResult": "ALLOW", "Content": "hello all", "Attributes": {}}),
            serde_json::json!({"ReviewResult": "ALLOW", "Content": "this **** is broken", "Attributes": {"k": "v"}}),
        ]
    );
}

/// Writes a configuration document to a temporary file.
fn document(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("chatmod-{}-{name}.json", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

const ROOMS: &str = r#"{
  "default": {"policy": {"moderate": "mask"}},
  "profiles": {
    "kids": {"rooms": ["kidsRoom*"], "policy": {"mild": "mask", "moderate": "deny"}, "deny_reason": "Not here"}
  }
}"#;

#[test]
fn lint_config_checks_a_document_whole() {
    let good = document("lint-good", ROOMS);
    let output = run(chatmod().arg("lint").arg("--config").arg(&good));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).ends_with(": 2 profiles (default, kids), ok\n"),
        "{}",
        stdout(&output)
    );

    let bad = document(
        "lint-bad",
        r#"{"profiles": {"kids": {"rooms": ["k*"], "policy": {"mild": "ban"}, "block_terms": ["ok", "x | loud"]},
            "teens": {"rooms": ["t*"], "mask_char": ""}}}"#,
    );
    let output = run(chatmod().arg("lint").arg("--config").arg(&bad));
    assert_eq!(output.status.code(), Some(1));
    let problems = stderr(&output);
    assert!(
        problems.contains(": profiles.kids.policy.mild: unknown action 'ban'"),
        "{problems}"
    );
    assert!(
        problems.contains(": profiles.kids.block_terms[1] 'x | loud': unknown severity 'loud'"),
        "{problems}"
    );
    assert!(
        problems.contains(": profiles.teens.mask_char: "),
        "{problems}"
    );
    assert!(
        stdout(&output).ends_with(": 3 problems\n"),
        "{}",
        stdout(&output)
    );
    let _ = std::fs::remove_file(good);
    let _ = std::fs::remove_file(bad);
}

#[test]
fn review_config_picks_each_events_profile_by_room() {
    let rooms = document("review", ROOMS);
    let events = concat!(
        r#"{"Content": "this shit is broken", "RoomArn": "arn:aws:ivschat:us-west-2:123456789012:room/kidsRoom0001"}"#,
        "\n",
        r#"{"Content": "this shit is broken", "RoomArn": "arn:aws:ivschat:us-west-2:123456789012:room/adultRoom001"}"#,
        "\n"
    );
    let output = run_with_stdin(
        chatmod().arg("review").arg("--config").arg(&rooms).arg("-"),
        events,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines = json_lines(&stdout(&output));
    assert_eq!(lines[0]["ReviewResult"], "DENY");
    assert_eq!(lines[0]["Attributes"]["Reason"], "Not here");
    assert_eq!(lines[1]["Content"], "this **** is broken");

    // --room picks the profile of a --text message; REVIEW_CONFIG_FILE
    // works like --config.
    let output = run(chatmod().env("REVIEW_CONFIG_FILE", &rooms).args([
        "review",
        "--room",
        "kidsRoom0001",
        "--text",
        "damn",
    ]));
    assert_eq!(json_lines(&stdout(&output))[0]["Content"], "****");

    // A document beside a filter variable is refused, naming both.
    let output = run(chatmod()
        .env("REVIEW_BLOCK_TERMS", "frack")
        .args(["review", "--text", "hi", "--config"])
        .arg(&rooms));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("REVIEW_BLOCK_TERMS set beside REVIEW_CONFIG_FILE"),
        "{}",
        stderr(&output)
    );
    let _ = std::fs::remove_file(rooms);
}

#[test]
fn review_config_streams_with_origin_jobs_and_gzip() {
    let rooms = document("stream", ROOMS);
    let kids = "arn:aws:ivschat:us-west-2:123456789012:room/kidsRoom0001";
    let adult = "arn:aws:ivschat:us-west-2:123456789012:room/adultRoom001";
    let mut log = String::new();
    for i in 0..400 {
        let room = if i % 2 == 0 { kids } else { adult };
        log.push_str(&format!(
            "{{\"Content\": \"this shit is broken\", \"MessageId\": \"msg{i:09}\", \"RoomArn\": \"{room}\"}}\n"
        ));
    }
    let path = std::env::temp_dir().join(format!("chatmod-{}-stream.jsonl.gz", std::process::id()));
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(log.as_bytes()).unwrap();
    gz.finish().unwrap();
    let output = run(chatmod()
        .args(["review", "--origin", "--jobs", "3", "--config"])
        .arg(&rooms)
        .arg(&path));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines = json_lines(&stdout(&output));
    assert_eq!(lines.len(), 400);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["Line"], i + 1);
        assert_eq!(line["MessageId"], format!("msg{i:09}"));
        let expected = if i % 2 == 0 { "DENY" } else { "ALLOW" };
        assert_eq!(line["ReviewResult"], expected, "{line}");
    }
    // sweep judges each message by its room's profile too: in the kids'
    // room the mild word is masked, elsewhere it is allowed.
    let mild = format!(
        "{{\"Content\": \"damn\", \"MessageId\": \"AAAAAAAAAAA1\", \"RoomArn\": \"{kids}\"}}\n{{\"Content\": \"damn\", \"MessageId\": \"AAAAAAAAAAA2\", \"RoomArn\": \"{adult}\"}}\n"
    );
    let output = run_with_stdin(
        chatmod()
            .args(["sweep", "--json", "--config"])
            .arg(&rooms)
            .arg("-"),
        &mild,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(summary["flagged"], 1, "{summary}");
    assert_eq!(summary["byRoom"][kids]["flagged"], 1, "{summary}");
    assert_eq!(summary["byRoom"][adult]["flagged"], 0, "{summary}");
    let _ = std::fs::remove_file(rooms);
    let _ = std::fs::remove_file(path);
}

#[test]
fn eval_thresholds_set_the_exit_code() {
    let positives = TempFile::new("th-pos.txt", "you cunt\nthis shit is broken\nhello there\n");
    let clean = TempFile::new("th-clean.txt", "hello there\ngood game\noh shit\n");
    let eval = |extra: &[&str]| {
        run(chatmod()
            .args(["eval", "--examples", "0", "--expect", "flagged"])
            .arg(&positives.0)
            .args(extra))
    };
    // Recall is 66.67 %.
    assert_eq!(eval(&["--min-recall", "60"]).status.code(), Some(0));
    let output = eval(&["--min-recall", "70%"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error: recall 66.67 % is below --min-recall 70 %"),
        "{}",
        stderr(&output)
    );
    // One of three clean lines is flagged.
    let output = run(chatmod()
        .args(["eval", "--expect", "clean", "--max-flagged", "30"])
        .arg(&clean.0));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("33.33 % of the clean samples flagged, above --max-flagged 30 %"),
        "{}",
        stderr(&output)
    );
    let output = run(chatmod()
        .args(["eval", "--expect", "clean", "--max-flagged", "40"])
        .arg(&clean.0));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(eval(&["--min-recall", "101"]).status.code(), Some(2));
    assert_eq!(eval(&["--max-flagged", "lots"]).status.code(), Some(2));
}

#[test]
fn eval_matrix_reports_by_disguise_class_and_harmless_subset() {
    let dir = std::env::temp_dir().join(format!("chatmod-cli-{}-matrix", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("places.txt"), "Scunthorpe\nEssex\nParis\n").unwrap();
    let output = run(chatmod()
        .args(["eval", "--examples", "0", "--max-flagged", "0", "--matrix"])
        .arg(&dir));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(report.starts_with("disguise matrix: "), "{report}");
    for class in [
        "spaced",
        "vowels-censored",
        "greek",
        "glued-after",
        "ph-for-f",
        "plural",
    ] {
        assert!(
            report.contains(&format!("\n  disguise/{class}: ")),
            "{class}: {report}"
        );
    }
    assert!(
        report.contains("  harmless/places:listed/bare: 2 messages, 0 flagged"),
        "{report}"
    );
    assert!(
        report.contains("  harmless/places/sentence: 2 messages, 0 flagged"),
        "{report}"
    );
    assert!(report.contains("\ntotal: "), "{report}");
}
