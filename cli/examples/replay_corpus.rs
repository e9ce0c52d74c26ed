//! Writes the replay benchmark's inputs to stdout (nothing is committed):
//!
//! ```text
//! cargo run --release -p chatmod --example replay_corpus -- events > corpus.jsonl
//! cargo run --release -p chatmod --example replay_corpus -- clean 20000 > clean.jsonl
//! cargo run --release -p chatmod --example replay_corpus -- chat-log 1000000000 > log.jsonl
//! ```
//!
//! * `events`: message review events, rustrict's development sets (the
//!   `testdata/` of chat-filter, MIT) three times over plus 2,000 messages of
//!   500 characters (the long benchmark corpus ten times over), shuffled with
//!   a fixed seed: 74,195 events, the same every run.
//! * `clean N`: N review events of clean short messages only (for counting
//!   allocations per clean event).
//! * `chat-log BYTES`: IVS Chat logging records (nine messages to one
//!   `EVENT` record) until about BYTES bytes, for the memory and throughput
//!   run on a large log.

use std::io::{self, BufWriter, Write};

use serde_json::json;

const DEV_SETS: [&str; 4] = [
    include_str!("../../shared/chat-filter/testdata/false_positives.txt"),
    include_str!("../../shared/chat-filter/testdata/safe.txt"),
    include_str!("../../shared/chat-filter/testdata/test_negative.txt"),
    include_str!("../../shared/chat-filter/testdata/test_positive.txt"),
];
const LONG: &str = include_str!("../../shared/chat-filter/benches/corpus/long.txt");
const SHORT: &str = include_str!("../../shared/chat-filter/benches/corpus/short.txt");
const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

/// xorshift64*: a fixed, dependency-free shuffle.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn message_id(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::with_capacity(12);
    let mut x = n as u64 * 0x9E37_79B9_7F4A_7C15 + 1;
    for _ in 0..12 {
        id.push(ALPHABET[(x % 62) as usize] as char);
        x /= 62;
        x ^= 0x5DEE_CE66D;
    }
    id
}

fn review_event(n: usize, content: &str) -> String {
    json!({
        "Content": content,
        "MessageId": message_id(n),
        "RoomArn": ROOM,
        "Attributes": {},
        "Sender": {"UserId": format!("user-{}", n % 997), "Ip": "203.0.113.7", "Attributes": {}}
    })
    .to_string()
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match args.first().map(String::as_str) {
        Some("events") => {
            let mut messages: Vec<&str> = Vec::new();
            for _ in 0..3 {
                for set in DEV_SETS {
                    messages.extend(set.lines().filter(|l| !l.trim().is_empty()));
                }
            }
            for _ in 0..10 {
                messages.extend(LONG.lines());
            }
            let mut rng = Rng(0x5EED_CAFE_F00D_D00D);
            for i in (1..messages.len()).rev() {
                messages.swap(i, rng.below(i + 1));
            }
            for (n, content) in messages.iter().enumerate() {
                writeln!(out, "{}", review_event(n, content))?;
            }
        }
        Some("clean") => {
            let n: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
            let clean = [
                "hello everyone",
                "good game",
                "see you tomorrow",
                "what a play",
                "thanks for the raid",
            ];
            for i in 0..n {
                writeln!(out, "{}", review_event(i, clean[i % clean.len()]))?;
            }
        }
        Some("chat-log") => {
            let limit: u64 = args
                .get(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(1_000_000_000);
            let pool: Vec<&str> = SHORT.lines().chain(DEV_SETS[3].lines()).collect();
            let mut rng = Rng(0xC0FF_EE00_1234_5678);
            let mut written = 0u64;
            let mut n = 0usize;
            while written < limit {
                let stamp = format!(
                    "2026-11-22T{:02}:{:02}:{:02}.{:03}Z",
                    (n / 3_600_000) % 24,
                    (n / 60_000) % 60,
                    (n / 1000) % 60,
                    n % 1000
                );
                let record = if n % 10 == 9 {
                    json!({"event_timestamp": stamp, "type": "EVENT", "version": "1.0",
                           "payload": {"Type": "EVENT", "Id": message_id(n), "RequestId": format!("req-{n}"),
                                       "EventName": "app:poll", "Attributes": {"question": "Best play?"}, "SendTime": stamp}})
                } else {
                    let content = pool[rng.below(pool.len())];
                    let user = format!("user-{}", rng.below(5000));
                    json!({"event_timestamp": stamp, "type": "MESSAGE", "version": "1.0",
                           "payload": {"Type": "MESSAGE", "Id": message_id(n), "RequestId": format!("req-{n}"),
                                       "Attributes": {}, "Content": content, "SendTime": stamp,
                                       "Sender": {"UserId": user, "Attributes": {"username": user}}}})
                };
                let line = record.to_string();
                written += line.len() as u64 + 1;
                writeln!(out, "{line}")?;
                n += 1;
            }
        }
        _ => {
            eprintln!("usage: replay_corpus events | clean N | chat-log BYTES");
            std::process::exit(2);
        }
    }
    out.flush()
}
