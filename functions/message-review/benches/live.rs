//! The costs the live configuration adds, and what it must not change.
//!
//! * `rebuild/*`: validating and building a configuration document, which a
//!   sandbox does when AppConfig deploys a new version (target: at most 5 ms
//!   per profile, the cost of building the filter we have).
//! * `poll/*`: a poll on the invocation path: not due yet (most messages), and
//!   due but finding the same `Configuration-Version` on a loopback
//!   stand-in for the extension (target: at most 1 ms).
//! * `review/*`: the hot path, paired in one run so the shared machine's
//!   noise hits both alike: the pure decision ([`review_verdict`], what the
//!   handler ran before profiles, metrics and live updates) against the
//!   deployed [`Reviewer::review`] with metrics off and on, on a clean
//!   message (the common case) and on a masked one.
//!
//! `cargo bench -p message-review --bench live`

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use ivs_chat::ReviewEvent;
use message_review::appconfig::Endpoint;
use message_review::document;
use message_review::metrics::Metrics;
use message_review::profiles::{Profile, Profiles, DEFAULT_PROFILE};
use message_review::source::{LiveConfig, Polled};
use message_review::{review_verdict, Config, Reviewer};

const ONE_PROFILE: &str = r#"{"default": {"block_terms": ["frack | severe | scifi"]}}"#;
const TWO_PROFILES: &str = r#"{
  "default": {"block_terms": ["frack | severe | scifi"]},
  "profiles": {"kids": {"rooms": ["kids*"], "policy": {"mild": "mask", "moderate": "deny"}}}
}"#;

fn rebuild(c: &mut Criterion) {
    let mut group = c.benchmark_group("rebuild");
    group.sample_size(30);
    // The build we have, for scale: what one profile costs at the least.
    group.bench_function("filter-build-alone", |b| {
        b.iter_with_large_drop(|| Config::default().build_filter().unwrap())
    });
    group.bench_function("one-profile", |b| {
        b.iter_with_large_drop(|| document::load("bench", black_box(ONE_PROFILE)).unwrap())
    });
    group.bench_function("two-profiles", |b| {
        b.iter_with_large_drop(|| document::load("bench", black_box(TWO_PROFILES)).unwrap())
    });
    group.finish();
}

/// A stand-in extension that always answers version 1.
fn extension() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let body = ONE_PROFILE;
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConfiguration-Version: 1\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

fn poll(c: &mut Criterion) {
    let port = extension();
    let endpoint = Endpoint::new(port, "app", "env", "profile");
    let mut group = c.benchmark_group("poll");
    let not_due = LiveConfig::new(
        endpoint.clone(),
        Duration::from_secs(3600),
        Duration::from_millis(5),
    );
    not_due.load_initial().unwrap();
    group.bench_function("not-due", |b| {
        b.iter(|| matches!(not_due.poll(black_box(Instant::now())), Polled::Unchanged))
    });
    // A loose budget: this measures what a read costs, and a loaded machine
    // must not turn it into a timeout (the budget has its own tests).
    let every_time = LiveConfig::new(endpoint, Duration::ZERO, Duration::from_millis(100));
    every_time.load_initial().unwrap();
    let mut reads = 0u64;
    let mut not_unchanged = 0u64;
    group.bench_function("due-unchanged-version", |b| {
        b.iter(|| {
            reads += 1;
            if !matches!(every_time.poll(Instant::now()), Polled::Unchanged) {
                not_unchanged += 1;
            }
        })
    });
    group.finish();
    println!("poll/due-unchanged-version: {not_unchanged} of {reads} reads did not find the version unchanged");
}

fn review(c: &mut Criterion) {
    let config = Config::default();
    let filter = config.build_filter().unwrap();
    let reviewer = |metrics: Option<Metrics>| {
        let profile = Profile::build(DEFAULT_PROFILE, Config::default()).unwrap();
        Reviewer::new(Profiles::single(profile), metrics).with_sink(Box::new(|line| {
            black_box(line);
        }))
    };
    let plain = reviewer(None);
    let metered = reviewer(Some(Metrics::new("Bench", "review")));
    let event = |content: &str| ReviewEvent {
        content: content.into(),
        room_arn: "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh".into(),
        message_id: "AbCdEf123456".into(),
        ..ReviewEvent::default()
    };
    for (name, event) in [
        ("clean", event("great stream tonight, see you all tomorrow")),
        ("masked", event("this shit is broken")),
    ] {
        let mut group = c.benchmark_group(format!("review/{name}"));
        group.bench_function("review_verdict", |b| {
            b.iter(|| review_verdict(&filter, &config, black_box(&event)).response)
        });
        group.bench_function("reviewer", |b| {
            b.iter(|| plain.review(black_box(&event), Instant::now()))
        });
        group.bench_function("reviewer+metrics", |b| {
            b.iter(|| metered.review(black_box(&event), Instant::now()))
        });
        group.finish();
    }
}

criterion_group!(benches, rebuild, poll, review);
criterion_main!(benches);
