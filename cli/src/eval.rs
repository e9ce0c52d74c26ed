//! `chatmod eval`: how well the configured filter does on labelled messages.
//!
//! The counting is `chat_filter::eval`'s, shared with the accuracy tests, so
//! the figures here match theirs; this module reads the data sets and prints
//! the report. The filter is built from the `REVIEW_*` variables, so a
//! candidate list or policy can be measured before it is deployed.
//!
//! Two formats: plain text, one message a line, all with the label given by
//! `--expect`; and `.jsonl`, one `{"text": ..., "flagged": true|false,
//! "category": ...}` object a line (`category` optional, other fields
//! ignored). A bad JSON line is reported with its number and skipped.
//!
//! `--matrix DIR` adds the generated matrices (`chat_filter::eval::matrix`):
//! every moderate and severe built-in term in every disguise class, and the
//! word files of DIR bare, in greetings and disguised; their categories are
//! the disguise classes and harmless subsets, so a regression names its
//! class. `--min-recall` and `--max-flagged` turn the totals into an exit
//! code, so a build can fail on them.

use std::path::Path;

use chat_filter::eval::matrix::{disguise_matrix, harmless_matrix, ListedTerms, SEED};
use chat_filter::eval::{evaluate, Report, Sample, Tally};
use chat_filter::{Severity, WordList, DEFAULT_BLOCK_LIST};
use message_review::Config;
use serde::Deserialize;

use crate::input::{self, Output};
use crate::{CliError, EvalArgs, Expect, Outcome};

/// One line of a `.jsonl` data set.
#[derive(Debug, Deserialize)]
struct LabelledLine {
    text: String,
    flagged: bool,
    #[serde(default)]
    category: Option<String>,
}

/// Runs `chatmod eval`: a report per file, and a total across files when
/// there are several.
pub fn run(args: &EvalArgs) -> Result<Outcome, CliError> {
    let config = Config::from_env()?;
    let filter = config.build_filter()?;
    let mut stdout = Output::new(std::io::stdout().lock());
    let mut stderr = Output::new(std::io::stderr().lock());
    let mut outcome = Outcome::Clean;

    // Check the arguments before any work, so a usage error costs nothing.
    for path in &args.files {
        if !is_jsonl(path) && args.expect.is_none() {
            return Err(CliError::Usage(format!(
                "{}: plain text data sets need --expect flagged or --expect clean",
                path.display()
            )));
        }
    }

    let mut groups = Vec::new();
    if let Some(dir) = &args.matrix {
        let (harmless, dropped) = read_matrix(dir)?;
        stderr.line(&format!(
            "note: {dropped} harmless disguises left out: they read as a listed word"
        ))?;
        groups.extend(harmless);
    }

    for path in &args.files {
        let (name, text) = input::read(path)?;
        let samples = if is_jsonl(path) {
            let (samples, errors) = parse_jsonl(&name, &text);
            for error in &errors {
                stderr.line(&format!("error: {error}"))?;
            }
            if !errors.is_empty() {
                outcome = Outcome::Problems;
            }
            samples
        } else {
            Sample::from_lines(&text, args.expect == Some(Expect::Flagged))
        };
        groups.push((name, samples));
    }
    let mut total = Tally::default();
    for (name, samples) in &groups {
        let report = evaluate(&filter, samples, args.examples);
        for line in render(name, &report) {
            stdout.line(&line)?;
        }
        add(&mut total, &report.total);
    }
    if groups.len() > 1 {
        stdout.line(&format!("total: {total}"))?;
    }
    for failure in check_thresholds(&total, args.min_recall, args.max_flagged) {
        stderr.line(&format!("error: {failure}"))?;
        outcome = Outcome::Problems;
    }
    Ok(outcome)
}

fn add(total: &mut Tally, more: &Tally) {
    total.positives += more.positives;
    total.caught += more.caught;
    total.negatives += more.negatives;
    total.wrongly_flagged += more.wrongly_flagged;
}

/// The thresholds `total` misses, as messages.
fn check_thresholds(
    total: &Tally,
    min_recall: Option<f64>,
    max_flagged: Option<f64>,
) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(min) = min_recall {
        match total.recall() {
            Some(recall) if recall * 100.0 >= min => {}
            Some(recall) => failures.push(format!(
                "recall {:.2} % is below --min-recall {min} %",
                recall * 100.0
            )),
            None => failures.push(format!(
                "--min-recall {min} % given, but no sample is labelled to be flagged"
            )),
        }
    }
    if let Some(max) = max_flagged {
        match total.false_positive_rate() {
            Some(rate) if rate * 100.0 <= max => {}
            Some(rate) => failures.push(format!(
                "{:.2} % of the clean samples flagged, above --max-flagged {max} %",
                rate * 100.0
            )),
            None => failures.push(format!(
                "--max-flagged {max} % given, but no sample is labelled clean"
            )),
        }
    }
    failures
}

/// A data set's name and its samples.
type NamedSamples = (String, Vec<Sample>);

/// The disguise matrix and the harmless matrix of `dir`'s word files, as
/// named sample groups, and how many harmless disguises were left out.
fn read_matrix(dir: &Path) -> Result<(Vec<NamedSamples>, usize), CliError> {
    let unreadable = |error| CliError::Read {
        path: dir.display().to_string(),
        error,
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    files.retain(|path| path.extension().is_some_and(|ext| ext == "txt"));
    files.sort();
    if files.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: --matrix needs a folder of word files (*.txt)",
            dir.display()
        )));
    }
    let block = WordList::parse("default-block.txt", DEFAULT_BLOCK_LIST)
        .map_err(|e| CliError::Usage(format!("the built-in block list: {e}")))?;
    let listed = ListedTerms::new([&block]);
    let mut harmless = Vec::new();
    let mut dropped = 0;
    let mut common = String::new();
    for path in &files {
        let (_, text) = input::read(path)?;
        let set = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        if set == "english" {
            common.clone_from(&text);
        }
        let matrix = harmless_matrix(&set, &text, &listed, SEED);
        dropped += matrix.dropped;
        harmless.extend(matrix.samples);
    }
    let common: Vec<&str> = common.lines().collect();
    let disguised = disguise_matrix(&block, Severity::Severe, &common, SEED);
    Ok((
        vec![
            ("disguise matrix".to_string(), disguised),
            (format!("harmless matrix ({})", dir.display()), harmless),
        ],
        dropped,
    ))
}

fn is_jsonl(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|ext| ext == "jsonl")
}

/// Reads a `.jsonl` data set, returning the samples and an error (naming the
/// file and line) for each line that is not a labelled message.
fn parse_jsonl(name: &str, text: &str) -> (Vec<Sample>, Vec<String>) {
    let mut samples = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<LabelledLine>(line) {
            Ok(labelled) => samples.push(Sample {
                text: labelled.text,
                should_flag: labelled.flagged,
                category: labelled.category,
            }),
            Err(e) => errors.push(format!("{name}:{}: {e}", index + 1)),
        }
    }
    (samples, errors)
}

/// The report as lines: the file's totals, each category, then the mistakes.
fn render(name: &str, report: &Report) -> Vec<String> {
    let mut lines = vec![format!("{name}: {}", report.total)];
    for (category, tally) in &report.by_category {
        lines.push(format!("  {category}: {tally}"));
    }
    for mistake in &report.mistakes {
        let what = if mistake.should_flag {
            "missed".to_string()
        } else {
            format!(
                "false positive ({}: {})",
                mistake.action,
                mistake.rules.join(", ")
            )
        };
        lines.push(format!("  {what}: {:?}", mistake.text));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_lines_become_samples_and_bad_lines_errors() {
        let text = "{\"text\": \"a\", \"flagged\": true, \"category\": \"insult\"}\n\n{\"text\": \"b\"}\n{\"text\": \"c\", \"flagged\": false, \"extra\": 1}\n";
        let (samples, errors) = parse_jsonl("d.jsonl", text);
        assert_eq!(samples.len(), 2);
        assert!(samples[0].should_flag);
        assert_eq!(samples[0].category.as_deref(), Some("insult"));
        assert!(!samples[1].should_flag);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("d.jsonl:3: missing field `flagged`"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn the_report_shows_totals_categories_and_mistakes() {
        let filter = Config::default().build_filter().unwrap();
        let samples = vec![
            Sample {
                text: "you cunt".into(),
                should_flag: true,
                category: Some("insult".into()),
            },
            Sample {
                text: "hello there".into(),
                should_flag: true,
                category: Some("insult".into()),
            },
            Sample {
                text: "oh shit".into(),
                should_flag: false,
                category: None,
            },
        ];
        let report = evaluate(&filter, &samples, 10);
        let lines = render("d.jsonl", &report);
        assert_eq!(lines[0], format!("d.jsonl: {}", report.total));
        assert!(
            lines[0].contains("3 messages, 2 flagged, recall 50.00 %, false positives 100.00 %"),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("  insult: 2 messages")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"  missed: \"hello there\"".to_string()),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("  false positive (mask: ") && l.ends_with(": \"oh shit\"")),
            "{lines:?}"
        );
    }
}
