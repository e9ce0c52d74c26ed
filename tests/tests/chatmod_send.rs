//! `chatmod sweep --send`: the sweep's commands reach the moderation queue
//! through the AWS SDK, against the local server (SigV4-checked
//! `SendMessageBatch`), and a batch the queue does not take after the SDK's
//! retries is reported and written to the unsent file.

use std::process::Command;

use e2e_tests::lambda::paths;
use e2e_tests::server::{FakeIvsChat, FaultKind, Room, ACCESS_KEY, SECRET_KEY};
use serde_json::{json, Value};

const A: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";
const QUEUE_URL: &str = "https://sqs.us-west-2.amazonaws.com/123456789012/moderation-actions";

#[test]
fn sweep_sends_batches_of_ten_and_keeps_what_the_queue_refused() {
    let Some(paths) = paths(&["chatmod"]) else {
        return;
    };
    let server = FakeIvsChat::start(
        vec![Room {
            arn: A.into(),
            tags: Default::default(),
        }],
        50,
    )
    .unwrap();
    // The first batch fails every attempt (the SDK makes 3).
    server.inject(
        Some("SQS.SendMessageBatch"),
        None,
        Some(3),
        FaultKind::ServerError,
    );

    let dir = std::env::temp_dir().join(format!("chatmod-send-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut log = String::new();
    let mut ids = Vec::new();
    for i in 0..15 {
        let id = format!("Msg{i:09}");
        let content = if i % 5 == 4 { "good game" } else { "you cunt" };
        if i % 5 != 4 {
            ids.push(id.clone());
        }
        log.push_str(
            &json!({"Content": content, "MessageId": id, "RoomArn": A, "Sender": {"UserId": "u"}})
                .to_string(),
        );
        log.push('\n');
    }
    let input = dir.join("events.jsonl");
    std::fs::write(&input, log).unwrap();
    let unsent = dir.join("unsent.jsonl");

    let output = Command::new(paths.bin_dir.join("chatmod"))
        .arg("sweep")
        .arg(&input)
        .args([
            "--send",
            QUEUE_URL,
            "--reason",
            "Removed by moderation",
            "--json",
        ])
        .arg("--unsent")
        .arg(&unsent)
        .env_clear()
        .env("AWS_REGION", "us-west-2")
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_ENDPOINT_URL_SQS", server.url())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "3")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["commands"]["deleteMessage"], 12);
    assert_eq!(summary["commands"]["sent"], 2);
    assert_eq!(summary["commands"]["unsent"], 10);
    assert!(
        stderr.contains("error: 10 of 12 commands were not queued"),
        "{stderr}"
    );

    let command = |id: &str| json!({"action": "deleteMessage", "roomArn": A, "messageId": id, "reason": "Removed by moderation"});
    let kept: Vec<Value> = std::fs::read_to_string(&unsent)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        kept,
        ids[..10].iter().map(|id| command(id)).collect::<Vec<_>>()
    );

    let calls = server.calls();
    assert!(
        calls
            .iter()
            .all(|c| c.auth_error.is_none() && c.operation == "SQS.SendMessageBatch"),
        "{calls:?}"
    );
    assert_eq!(
        calls.len(),
        4,
        "three attempts of the first batch, one of the second"
    );
    let last = &calls[3].body;
    assert_eq!(last["QueueUrl"], QUEUE_URL);
    let sent: Vec<Value> = last["Entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_str(e["MessageBody"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(
        sent,
        ids[10..].iter().map(|id| command(id)).collect::<Vec<_>>()
    );
    assert_eq!(calls[0].body["Entries"].as_array().unwrap().len(), 10);
    let _ = std::fs::remove_dir_all(&dir);
}
