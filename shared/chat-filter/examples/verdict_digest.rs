//! Every verdict of the default filter over every set the project measures
//! accuracy on, one line per message: for checking that an optimisation
//! changes no verdict, by comparing the output of a build before it with a
//! build after it.
//!
//! The sets: the disguise matrix, the harmless matrix (every set of
//! `testdata/harmless/`, bare, in sentences and disguised), the development
//! sets, the third-party test strings and the benchmark corpora. Each line
//! holds the message, the action, the masked text and every match (rule,
//! severity, action, span), so a change in what is masked or reported shows
//! as well as a change in the action.
//!
//! ```sh
//! cargo run --release -p chat-filter --example verdict_digest > before.txt
//! # ... change the engine, then:
//! cargo run --release -p chat-filter --example verdict_digest > after.txt
//! cmp before.txt after.txt
//! ```

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use chat_filter::eval::matrix::{disguise_matrix, harmless_matrix, ListedTerms, SEED};
use chat_filter::{Filter, Severity, WordList, DEFAULT_BLOCK_LIST};

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/");
const SHORT: &str = include_str!("../benches/corpus/short.txt");
const LONG: &str = include_str!("../benches/corpus/long.txt");

const LINE_SETS: &[&str] = &[
    "test_positive.txt",
    "test_negative.txt",
    "safe.txt",
    "false_positives.txt",
];

/// The third-party sets are JSON Lines with a `text` field.
const JSONL_SETS: &[&str] = &[
    "third-party/2toad-profanity.jsonl",
    "third-party/badwords.jsonl",
    "third-party/better_profanity-bench.jsonl",
    "third-party/better_profanity-tests.jsonl",
];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(format!("{TESTDATA}{path}"))
        .map_err(|e| format!("{TESTDATA}{path}: {e}"))
}

fn run() -> Result<(), String> {
    let filter = Filter::with_defaults().map_err(|e| e.to_string())?;
    let block =
        WordList::parse("default-block.txt", DEFAULT_BLOCK_LIST).map_err(|e| e.to_string())?;
    let english = read("harmless/english.txt")?;
    let common: Vec<&str> = english.lines().collect();
    let mut messages: Vec<String> = disguise_matrix(&block, Severity::Severe, &common, SEED)
        .into_iter()
        .map(|s| s.text)
        .collect();
    let listed = ListedTerms::new([&block]);
    // Every word file of the harmless folder, in name order.
    let folder = format!("{TESTDATA}harmless");
    let mut sets: Vec<String> = std::fs::read_dir(&folder)
        .map_err(|e| format!("{folder}: {e}"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".txt").map(str::to_string))
        .collect();
    sets.sort();
    for set in &sets {
        let words = read(&format!("harmless/{set}.txt"))?;
        messages.extend(
            harmless_matrix(set, &words, &listed, SEED)
                .samples
                .into_iter()
                .map(|s| s.text),
        );
    }
    for set in LINE_SETS {
        messages.extend(read(set)?.lines().map(str::to_string));
    }
    for set in JSONL_SETS {
        for (n, line) in read(set)?.lines().enumerate() {
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{set}:{}: {e}", n + 1))?;
            if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
                messages.push(text.to_string());
            }
        }
    }
    messages.extend(SHORT.lines().chain(LONG.lines()).map(str::to_string));

    let mut out = BufWriter::new(std::io::stdout().lock());
    for text in &messages {
        let verdict = filter.review(text);
        let matches: Vec<String> = verdict
            .matches
            .iter()
            .map(|m| {
                format!(
                    "{:?}/{:?}/{:?}/{}/{:?}",
                    m.rule, m.severity, m.action, m.disguised, m.span
                )
            })
            .collect();
        writeln!(
            out,
            "{text:?}\t{:?}\t{:?}\t{}",
            verdict.action,
            verdict.masked,
            matches.join(" ")
        )
        .map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}
