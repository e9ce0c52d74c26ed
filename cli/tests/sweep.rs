//! `chatmod sweep` over a generated gzip'd chat log, as S3 stores one.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use message_review::config::VARIABLES;
use serde_json::{json, Value};

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

fn chatmod() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chatmod"));
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command.env_remove("AWS_REGION");
    command
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("chatmod-sweep-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A log of `n` records: every 7th message denied, every 11th masked, every
/// 13th record an EVENT; users `user0`..`user4`. Answers the log and the
/// ids of the flagged messages with their users.
fn generated_log(n: usize) -> (String, Vec<(String, String, &'static str)>) {
    let mut log = String::new();
    let mut flagged = Vec::new();
    for i in 0..n {
        let id = format!("M{i:011}");
        let user = format!("user{}", i % 5);
        let record = if i % 13 == 12 {
            json!({"event_timestamp": "2026-11-22T02:00:00.000Z", "type": "EVENT", "version": "1.0",
                   "payload": {"Type": "EVENT", "Id": id, "EventName": "app:poll", "Attributes": {}}})
        } else {
            let content = if i % 7 == 0 {
                flagged.push((id.clone(), user.clone(), "deny"));
                "you cunt"
            } else if i % 11 == 0 {
                flagged.push((id.clone(), user.clone(), "mask"));
                "this shit is broken"
            } else {
                "good game everyone"
            };
            json!({"event_timestamp": "2026-11-22T02:00:00.000Z", "type": "MESSAGE", "version": "1.0",
                   "payload": {"Type": "MESSAGE", "Id": id, "RequestId": "r", "Attributes": {},
                               "Content": content, "SendTime": "2026-11-22T02:00:00.000Z",
                               "Sender": {"UserId": user, "Attributes": {}}}})
        };
        log.push_str(&record.to_string());
        log.push('\n');
    }
    (log, flagged)
}

#[test]
fn a_gzipped_log_gets_its_summary_and_one_command_per_flagged_message() {
    let dir = TempDir::new("log");
    let (log, flagged) = generated_log(2000);
    // The S3 object's own name, which says which room it is.
    let path = dir.0.join(
        "123456789012_IVSChatLogs_1.0_us-west-2_room_abcdABCDefgh_20261122T0200_a1b2c3d4.log.gz",
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(log.as_bytes()).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let commands_path = dir.0.join("commands.jsonl");

    let output = chatmod()
        .arg("sweep")
        .arg(&path)
        .arg("--json")
        .arg("--commands")
        .arg(&commands_path)
        .args([
            "--disconnect-after",
            "82",
            "--reason",
            "Removed by moderation",
            "--top",
            "3",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();

    let events = (0..2000).filter(|i| i % 13 == 12).count() as u64;
    let messages = 2000 - events;
    let denied = flagged.iter().filter(|f| f.2 == "deny").count() as u64;
    let masked = flagged.iter().filter(|f| f.2 == "mask").count() as u64;
    let mut strikes = std::collections::BTreeMap::<String, u64>::new();
    for (_, user, _) in &flagged {
        *strikes.entry(user.clone()).or_default() += 1;
    }
    let repeat: Vec<&String> = strikes
        .iter()
        .filter(|(_, s)| **s >= 82)
        .map(|(u, _)| u)
        .collect();
    assert!(!repeat.is_empty() && repeat.len() < 5, "{strikes:?}");
    let mut top: Vec<(&String, &u64)> = strikes.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top_users: Vec<Value> = top
        .iter()
        .take(3)
        .map(|(u, s)| json!({"userId": u, "roomArn": ROOM, "strikes": s}))
        .collect();

    assert_eq!(summary["messages"], messages);
    assert_eq!(summary["flagged"], denied + masked);
    assert_eq!(
        summary["byAction"],
        json!({"allow": messages - denied - masked, "deny": denied, "mask": masked})
    );
    assert_eq!(
        summary["byRoom"],
        json!({ROOM: {"messages": messages, "flagged": denied + masked}})
    );
    assert_eq!(summary["topUsers"], json!(top_users));
    assert_eq!(
        summary["records"],
        json!({"skipped": events, "bad": 0, "blank": 0, "overLimit": 0})
    );
    assert_eq!(
        summary["commands"],
        json!({"deleteMessage": denied + masked, "disconnectUser": repeat.len(), "notWritten": 0})
    );
    let categories = summary["byCategory"].as_object().unwrap();
    assert!(!categories.is_empty());
    assert!(categories
        .values()
        .all(|n| n.as_u64().unwrap() <= denied + masked));

    let commands: Vec<Value> = std::fs::read_to_string(&commands_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut expected: Vec<Value> = flagged
        .iter()
        .map(|(id, _, _)| json!({"action": "deleteMessage", "roomArn": ROOM, "messageId": id, "reason": "Removed by moderation"}))
        .collect();
    expected.extend(repeat.iter().map(|user| {
        json!({"action": "disconnectUser", "roomArn": ROOM, "userId": user, "reason": "Removed by moderation"})
    }));
    assert_eq!(commands, expected);
    // Every command is one the moderation queue's handler accepts.
    for command in &commands {
        ivs_chat::Command::from_json(command).unwrap();
    }

    // Without remembered verdicts (the log's texts repeat), the same.
    let unremembered_path = dir.0.join("commands-no-cache.jsonl");
    let unremembered = chatmod()
        .arg("sweep")
        .arg(&path)
        .arg("--json")
        .arg("--commands")
        .arg(&unremembered_path)
        .args([
            "--disconnect-after",
            "82",
            "--reason",
            "Removed by moderation",
        ])
        .args(["--top", "3", "--cache-mib", "0", "--jobs", "3"])
        .output()
        .unwrap();
    assert!(unremembered.status.success());
    assert_eq!(
        serde_json::from_slice::<Value>(&unremembered.stdout).unwrap(),
        summary
    );
    assert_eq!(
        std::fs::read(&unremembered_path).unwrap(),
        std::fs::read(&commands_path).unwrap()
    );
}

#[test]
fn flagged_messages_without_a_room_are_reported_not_dropped() {
    let log = "{\"Content\": \"you cunt\", \"MessageId\": \"AbCdEf123456\"}\n{\"Content\": \"hi\"}\n{broken\n";
    let dir = TempDir::new("noroom");
    let path = dir.0.join("events.jsonl");
    std::fs::write(&path, log).unwrap();
    let output = chatmod()
        .arg("sweep")
        .arg(&path)
        .args(["--commands", "-"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let errors = String::from_utf8(output.stderr).unwrap();
    let name = path.display().to_string();
    assert!(
        errors.contains(&format!("error: {name}:1: cannot delete message \"AbCdEf123456\": the record names no room; give --room")),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("error: {name}:3: invalid JSON")),
        "{errors}"
    );
    assert!(
        errors.contains("messages     2\nflagged      1 (50.00%)"),
        "{errors}"
    );

    let output = chatmod()
        .arg("sweep")
        .arg(&path)
        .args(["--commands", "-", "--room", ROOM])
        .output()
        .unwrap();
    let commands = String::from_utf8(output.stdout).unwrap();
    assert_eq!(commands.lines().count(), 1, "{commands}");
    assert!(commands.contains("\"messageId\":\"AbCdEf123456\""));
}
