//! Instructions per review, for counting under callgrind: builds the
//! default filter, then reviews the benchmark corpus (`benches/corpus/`,
//! the short lines or the 500-character messages) a given number of times.
//!
//! Wall-clock benchmarks on a shared machine move by more than most
//! changes to one reading; an instruction count does not. Run it twice,
//! with 0 and with N passes, and divide the difference by the messages
//! reviewed; the 0-pass run is the start-up:
//!
//! ```sh
//! cargo build --release -p chat-filter --example review_passes
//! for passes in 0 10; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/review_passes long $passes 2>&1 | grep 'refs'
//! done
//! ```
//!
//! `review_passes short|long PASSES`, or `review_passes rebuild PASSES`:
//! after the first build, builds PASSES more filters of the default lists
//! plus one term, as a sandbox does when a new configuration document
//! arrives (the difference between two counts is the cost of a rebuild).

use std::hint::black_box;
use std::process::ExitCode;

use chat_filter::{Filter, FilterBuilder, WordList};

const SHORT: &str = include_str!("../benches/corpus/short.txt");
const LONG: &str = include_str!("../benches/corpus/long.txt");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpus = match args.first().map(String::as_str) {
        Some("short") => SHORT,
        Some("long") => LONG,
        Some("rebuild") => "",
        _ => {
            eprintln!("usage: review_passes short|long|rebuild PASSES");
            return ExitCode::FAILURE;
        }
    };
    let Some(passes) = args.get(1).and_then(|p| p.parse::<usize>().ok()) else {
        eprintln!("usage: review_passes short|long|rebuild PASSES (PASSES a whole number)");
        return ExitCode::FAILURE;
    };
    if corpus.is_empty() {
        return rebuild(passes);
    }
    let filter = match Filter::with_defaults() {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let messages: Vec<&str> = corpus.lines().collect();
    let mut flagged = 0usize;
    for _ in 0..passes {
        for message in &messages {
            if black_box(filter.review(black_box(message))).action != chat_filter::Action::Allow {
                flagged += 1;
            }
        }
    }
    println!(
        "{} messages x {passes} passes, {flagged} flagged",
        messages.len()
    );
    ExitCode::SUCCESS
}

/// Builds the default filter, then `passes` filters of the default lists
/// plus one term, keeping each until the next is built (as a sandbox keeps
/// the filter it serves with until the new one is ready).
fn rebuild(passes: usize) -> ExitCode {
    let mut current = match Filter::with_defaults() {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for _ in 0..passes {
        let built = WordList::parse("added", "frack | severe | scifi")
            .map_err(chat_filter::BuildError::from)
            .and_then(|list| FilterBuilder::new().block_list(list).build());
        match built {
            Ok(filter) => current = black_box(filter),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{passes} rebuilds, {} terms", current.stats().terms);
    ExitCode::SUCCESS
}
