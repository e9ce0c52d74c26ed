//! The disguise and harmless matrices, measured on chat-filter and on
//! rustrict side by side, by class: the comparison in the README's accuracy
//! section.
//!
//! ```sh
//! cargo run --release -p chat-filter --example matrix_vs_rustrict
//! ```
//!
//! Both filters see exactly the samples `tests/matrix.rs` and
//! `chatmod eval --matrix` see (same generator, same seed). A message
//! counts as flagged by rustrict when its default analysis calls it
//! inappropriate (`Type::INAPPROPRIATE`, the threshold the benchmarks use),
//! and by chat-filter when the default configuration masks or denies it.
//! rustrict is a dev-dependency only: nothing here ships.

use std::collections::BTreeMap;

use chat_filter::eval::matrix::{disguise_matrix, harmless_matrix, ListedTerms, SEED};
use chat_filter::eval::Sample;
use chat_filter::{Action, Filter, Severity, WordList, DEFAULT_BLOCK_LIST};
use rustrict::{Censor, Type};

const HARMLESS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/harmless/");

#[derive(Default)]
struct Counts {
    samples: usize,
    ours: usize,
    rustrict: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let filter = Filter::with_defaults()?;
    let block = WordList::parse("default-block.txt", DEFAULT_BLOCK_LIST)?;
    let english = std::fs::read_to_string(format!("{HARMLESS}english.txt"))?;
    let common: Vec<&str> = english.lines().collect();
    let mut samples = disguise_matrix(&block, Severity::Severe, &common, SEED);
    let listed = ListedTerms::new([&block]);
    let mut names: Vec<_> = std::fs::read_dir(HARMLESS)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    for path in names {
        let set = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path)?;
        samples.extend(harmless_matrix(&set, &text, &listed, SEED).samples);
    }

    let mut by_category: BTreeMap<String, Counts> = BTreeMap::new();
    let mut totals: BTreeMap<&str, Counts> = BTreeMap::new();
    for Sample {
        text,
        should_flag,
        category,
    } in &samples
    {
        let ours = filter.review(text).action != Action::Allow;
        let theirs = Censor::from_str(text).analyze().is(Type::INAPPROPRIATE);
        let category = category.clone().unwrap_or_default();
        let total = if *should_flag {
            "disguise matrix"
        } else if category.contains(":listed/") {
            "harmless, contains a listed word"
        } else {
            "harmless, other"
        };
        for counts in [
            by_category.entry(category).or_default(),
            totals.entry(total).or_default(),
        ] {
            counts.samples += 1;
            counts.ours += usize::from(ours);
            counts.rustrict += usize::from(theirs);
        }
    }
    let percent = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    println!("| set | samples | chat-filter flagged | rustrict flagged |");
    println!("|---|---:|---:|---:|");
    let rows = totals
        .iter()
        .map(|(name, c)| (name.to_string(), c))
        .chain(by_category.iter().map(|(name, c)| (name.clone(), c)));
    for (name, c) in rows {
        println!(
            "| {name} | {} | {:.2} % | {:.2} % |",
            c.samples,
            percent(c.ours, c.samples),
            percent(c.rustrict, c.samples)
        );
    }
    Ok(())
}
