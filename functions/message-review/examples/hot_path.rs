//! Runs one review variant N times, for instruction counts under callgrind,
//! which a shared, loaded machine cannot disturb the way it disturbs timings:
//!
//! ```text
//! cargo build --release -p message-review --example hot_path
//! for n in 1000 2000; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/hot_path reviewer clean $n 2>&1 | grep 'refs'
//! done   # (refs at 2000 - refs at 1000) / 1000 = instructions per review
//! ```
//!
//! Variants: `review_verdict` (the pure decision: the hot path before
//! profiles, metrics and live updates), `reviewer` (the deployed handler,
//! metrics off), `reviewer+metrics`; messages: `clean`, `masked`.

use std::hint::black_box;
use std::time::Instant;

use ivs_chat::ReviewEvent;
use message_review::metrics::Metrics;
use message_review::profiles::{Profile, Profiles, DEFAULT_PROFILE};
use message_review::{review_verdict, Config, Reviewer};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (variant, message, n) = match args.as_slice() {
        [_, variant, message, n] => (
            variant.as_str(),
            message.as_str(),
            n.parse().unwrap_or(1000),
        ),
        _ => {
            eprintln!(
                "usage: hot_path <review_verdict|reviewer|reviewer+metrics> <clean|masked> N"
            );
            std::process::exit(2);
        }
    };
    let content = match message {
        "masked" => "this shit is broken",
        _ => "great stream tonight, see you all tomorrow",
    };
    let event = ReviewEvent {
        content: content.into(),
        room_arn: "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh".into(),
        message_id: "AbCdEf123456".into(),
        ..ReviewEvent::default()
    };
    let config = Config::default();
    let filter = match config.build_filter() {
        Ok(filter) => filter,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let reviewer = |metrics| {
        let profile =
            Profile::build(DEFAULT_PROFILE, Config::default()).unwrap_or_else(|e| panic!("{e}"));
        Reviewer::new(Profiles::single(profile), metrics).with_sink(Box::new(|line| {
            black_box(line);
        }))
    };
    let plain = reviewer(None);
    let metered = reviewer(Some(Metrics::new("Bench", "review")));
    for _ in 0..n {
        match variant {
            "review_verdict" => {
                black_box(review_verdict(&filter, &config, black_box(&event)).response);
            }
            "reviewer" => {
                black_box(plain.review(black_box(&event), Instant::now()));
            }
            _ => {
                black_box(metered.review(black_box(&event), Instant::now()));
            }
        }
    }
}
