//! Accuracy on the development sets, with the targets the README states.
//!
//! The sets (from the rustrict crate, MIT) live in `testdata/`. These
//! thresholds are the floor the default configuration must keep; the README's
//! accuracy table is what `chatmod eval` prints on the same files.

use chat_filter::eval::{evaluate, Report, Sample};
use chat_filter::Filter;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/");

fn report(files: &[&str], should_flag: bool) -> Report {
    let filter = Filter::with_defaults().expect("the default lists build");
    let mut samples = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(format!("{DATA}{file}")).expect("test data is present");
        samples.extend(Sample::from_lines(&text, should_flag));
    }
    let report = evaluate(&filter, &samples, 40);
    for mistake in &report.mistakes {
        eprintln!(
            "{:?} -> {:?} {:?}",
            mistake.text, mistake.action, mistake.rules
        );
    }
    eprintln!("{files:?}: {}", report.total);
    report
}

/// The default lists flag 24 of the 20,809 (0.12 %); this ceiling keeps
/// that from creeping back towards the 0.5 % goal unnoticed.
const FALSE_POSITIVES_CEILING: usize = 30;

#[test]
fn false_positives_set_at_most_half_a_percent_flagged() {
    let report = report(&["false_positives.txt"], false);
    let rate = report.total.false_positive_rate().unwrap_or(1.0);
    assert!(rate <= 0.005, "{}", report.total);
    assert!(
        report.total.wrongly_flagged <= FALSE_POSITIVES_CEILING,
        "{}",
        report.total
    );
}

#[test]
fn negative_and_safe_sets_at_most_one_flagged() {
    let report = report(&["test_negative.txt", "safe.txt"], false);
    assert!(report.total.wrongly_flagged <= 1, "{}", report.total);
}

/// The floor: at least 85 % of the positive set flagged (2,399 of 2,819,
/// 85.10 %, at this release; the goal of 88 % is not reached yet). The
/// rest is mostly insults without
/// profanity, everyday swearing, health and identity words, threats and
/// spam that the default lists deliberately leave alone (see the README's
/// accuracy section).
const POSITIVE_RECALL_GOAL: f64 = 0.85;

#[test]
fn positive_set_at_least_85_percent_flagged() {
    let report = report(&["test_positive.txt"], true);
    let recall = report.total.recall().unwrap_or(0.0);
    assert!(recall >= POSITIVE_RECALL_GOAL, "{}", report.total);
}
