//! The disguise matrix and the harmless matrix over the default lists, with
//! the floors and ceilings the README's accuracy section reports.
//!
//! The matrices are generated (see `chat_filter::eval::matrix`): every
//! moderate and severe default term in every disguise class, and the
//! harmless word sets in `testdata/harmless/` (dictionaries, names, places;
//! sources and licences in the README there) bare, in greetings and
//! disguised. `chatmod eval --matrix testdata/harmless` prints the same
//! figures.

use std::collections::BTreeMap;

use chat_filter::eval::matrix::{disguise_matrix, harmless_matrix, ListedTerms, SEED};
use chat_filter::eval::{evaluate, Report, Sample, Tally};
use chat_filter::{Action, Filter, Severity, WordList, DEFAULT_BLOCK_LIST};

const HARMLESS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/harmless/");

/// The harmless sets, by file name.
const SETS: &[&str] = &[
    "english",
    "spanish",
    "french",
    "german",
    "portuguese",
    "italian",
    "first-names",
    "surnames",
    "countries",
    "us-states",
    "us-counties",
    "cities",
];

fn read(set: &str) -> String {
    std::fs::read_to_string(format!("{HARMLESS}{set}.txt")).expect("harmless data is present")
}

fn block_list() -> WordList {
    WordList::parse("default-block.txt", DEFAULT_BLOCK_LIST).expect("the default list parses")
}

fn filter() -> Filter {
    Filter::with_defaults().expect("the default lists build")
}

fn print(name: &str, report: &Report) {
    eprintln!("{name}: {}", report.total);
    for (category, tally) in &report.by_category {
        eprintln!("  {category}: {tally}");
    }
    for mistake in &report.mistakes {
        eprintln!(
            "  {:?} -> {} {:?}",
            mistake.text, mistake.action, mistake.rules
        );
    }
}

/// A few mistakes of each category, so a failure names its class and shows
/// what it got wrong.
/// How many mistakes of each category to print: 8, or `MATRIX_MISTAKES`
/// when set (`MATRIX_MISTAKES=100 cargo test --release --test matrix --
/// --nocapture` to study a class).
fn mistakes_shown() -> usize {
    std::env::var("MATRIX_MISTAKES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8)
}

fn print_mistakes_by_category(filter: &Filter, samples: &[Sample], per_category: usize) {
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    for sample in samples {
        let category = sample.category.as_deref().unwrap_or("uncategorised");
        let count = shown.entry(category).or_default();
        if *count >= per_category {
            continue;
        }
        let verdict = filter.review(&sample.text);
        if (verdict.action != Action::Allow) != sample.should_flag {
            *count += 1;
            eprintln!("  {category}: {:?} {:?}", sample.text, verdict.rule_names());
        }
    }
}

fn disguise_report() -> Report {
    let english = read("english");
    let common: Vec<&str> = english.lines().collect();
    let samples = disguise_matrix(&block_list(), Severity::Severe, &common, SEED);
    let filter = filter();
    let report = evaluate(&filter, &samples, 0);
    print("disguise matrix", &report);
    print_mistakes_by_category(&filter, &samples, mistakes_shown());
    report
}

fn harmless_report() -> Report {
    let listed = ListedTerms::new([&block_list()]);
    let mut samples = Vec::new();
    let mut dropped = 0;
    for set in SETS {
        let matrix = harmless_matrix(set, &read(set), &listed, SEED);
        samples.extend(matrix.samples);
        dropped += matrix.dropped;
    }
    eprintln!("harmless disguises dropped as reading like a listed word: {dropped}");
    let filter = filter();
    let report = evaluate(&filter, &samples, 0);
    print("harmless matrix", &report);
    print_mistakes_by_category(&filter, &samples, mistakes_shown());
    report
}

/// The tallies of the categories whose name contains `part`, added up.
fn sum(report: &Report, part: &str) -> Tally {
    let mut total = Tally::default();
    for (category, tally) in &report.by_category {
        if category.contains(part) {
            total.positives += tally.positives;
            total.caught += tally.caught;
            total.negatives += tally.negatives;
            total.wrongly_flagged += tally.wrongly_flagged;
        }
    }
    total
}

/// The share of the disguise matrix flagged, overall (the goal is 98 %).
const DISGUISE_FLOOR: f64 = 0.915;

/// Per class, the percentage flagged at least (the goal is 95 % in every
/// class): the measured figure less about one point, so a regression in
/// any class fails here and names it.
const CLASS_FLOORS: &[(&str, f64)] = &[
    ("7-for-t", 99.0),
    ("accents", 98.0),
    ("censor-symbols", 78.8),
    ("censored+capitals", 94.5),
    ("combining-marks", 98.0),
    ("cyrillic", 98.0),
    ("dashed", 94.0),
    ("dotted", 94.0),
    ("dropped-vowels", 33.0),
    ("enclosed", 98.0),
    ("fullwidth", 98.0),
    ("glued-after", 94.0),
    ("glued-before", 96.0),
    ("greek", 98.0),
    ("greek-word", 98.0),
    ("l-for-i", 91.0),
    ("leet+repeats", 91.5),
    ("leet+separators", 87.0),
    ("leetspeak", 91.0),
    ("look-alikes+separators", 90.0),
    ("look-alikes+zero-width", 98.0),
    ("mathematical", 98.0),
    ("mixed-case", 98.0),
    ("mixed-separators", 87.5),
    ("one-vowel-censored", 94.5),
    ("ph-for-f", 93.0),
    ("plural", 59.0),
    ("repeats", 98.0),
    ("repeats+mixed-case", 98.0),
    ("single-break", 68.0),
    ("small-capitals", 98.0),
    ("spaced", 89.5),
    ("suffixed", 46.5),
    ("v-for-u", 97.0),
    ("vowels-censored", 87.0),
    ("wider-confusables", 98.0),
    ("z-for-s", 96.0),
    ("zero-width", 98.0),
];

#[test]
fn disguise_matrix_floors() {
    let report = disguise_report();
    let recall = report.total.recall().unwrap_or(0.0);
    assert!(recall >= DISGUISE_FLOOR, "{}", report.total);
    let mut failures = Vec::new();
    for (category, tally) in &report.by_category {
        let class = category.trim_start_matches("disguise/");
        let floor = CLASS_FLOORS
            .iter()
            .find(|(name, _)| *name == class)
            .map(|&(_, floor)| floor)
            .unwrap_or_else(|| panic!("class {class} has no floor"));
        let recall = 100.0 * tally.recall().unwrap_or(0.0);
        if recall < floor {
            failures.push(format!("{class}: {recall:.2} % < {floor} %"));
        }
    }
    assert_eq!(report.by_category.len(), CLASS_FLOORS.len());
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The share of the harmless matrix flagged, overall (the goal is 0.3 %).
const HARMLESS_CEILING: f64 = 0.003;
/// The share of the items that contain a listed word as plain letters
/// ("Scunthorpe", "Cumaná"), flagged (the goal is 2 %).
const LISTED_CEILING: f64 = 0.0235;
/// Bare and in greetings, a harmless item is flagged this rarely at most.
const PLAIN_CEILING: f64 = 0.0005;

#[test]
fn harmless_matrix_ceilings() {
    let report = harmless_report();
    let rate = report.total.false_positive_rate().unwrap_or(1.0);
    assert!(rate <= HARMLESS_CEILING, "{}", report.total);
    let listed = sum(&report, ":listed/");
    eprintln!("contains a listed word: {listed}");
    assert!(
        listed.false_positive_rate().unwrap_or(1.0) <= LISTED_CEILING,
        "{listed}"
    );
    let plain = sum(&report, "/bare");
    let sentences = sum(&report, "/sentence");
    eprintln!("bare: {plain}\nin greetings: {sentences}");
    for tally in [plain, sentences] {
        assert!(
            tally.false_positive_rate().unwrap_or(1.0) <= PLAIN_CEILING,
            "{tally}"
        );
    }
}
