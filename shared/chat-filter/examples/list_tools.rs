//! Maintenance tools for the built-in lists.
//!
//! * `flagged <words-file>`: prints the words of a file (a dictionary, one
//!   word a line) that the default filter flags, with the rule that matched:
//!   the candidates for the default allow-list.
//! * `mistakes <file> <flagged|clean>`: prints every message of a labelled
//!   plain-text set that the default filter gets wrong.
//! * `unlisted <words-file>`: prints the entries of another filter's word
//!   list (one a line) that no default term or rule matches at any
//!   severity: the candidates for the default block list.
//!
//! `cargo run -p chat-filter --example list_tools -- flagged /usr/share/dict/words`

use std::process::ExitCode;

use chat_filter::{Action, Filter};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter = match Filter::with_defaults() {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["flagged", path] => read(path).map(|text| {
            for word in text.lines().map(str::trim).filter(|w| !w.is_empty()) {
                let verdict = filter.review(word);
                if verdict.action != Action::Allow {
                    println!("{word}\t{}", verdict.rule_names().join(","));
                }
            }
        }),
        ["mistakes", path, label] => read(path).map(|text| {
            let should_flag = *label == "flagged";
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let verdict = filter.review(line);
                if (verdict.action != Action::Allow) != should_flag {
                    println!(
                        "{line}\t{:?}\t{}",
                        verdict.action,
                        verdict.rule_names().join(",")
                    );
                }
            }
        }),
        ["unlisted", path] => read(path).map(|text| {
            for word in text.lines().map(str::trim).filter(|w| !w.is_empty()) {
                if filter.review(word).matches.is_empty() {
                    println!("{word}");
                }
            }
        }),
        _ => Err(
            "usage: list_tools flagged <words-file> | mistakes <file> <flagged|clean> | unlisted <words-file>"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
