//! Accuracy measurement over labelled messages.
//!
//! A filter is judged by two numbers: how much of what should be caught it
//! catches (recall) and how much of what is innocent it flags (the false
//! positive rate). This module counts both over labelled samples, per data
//! set and per category, and keeps the worst examples so a regression can be
//! read, not just seen. The `chatmod eval` command and the accuracy tests
//! share it, so the figures in the README are the ones the tests assert.

pub mod disguise;
pub mod matrix;

use std::collections::BTreeMap;
use std::fmt;

use crate::filter::Filter;
use crate::policy::Action;

/// One labelled message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The message text.
    pub text: String,
    /// Whether the filter should flag it (mask or deny).
    pub should_flag: bool,
    /// The sample's own category label, if the data set gives one.
    pub category: Option<String>,
}

impl Sample {
    /// Reads a plain-text set: one message a line, every line with the same
    /// label. Empty lines are skipped.
    ///
    /// ```
    /// let samples = chat_filter::eval::Sample::from_lines("hi\n\nhello\n", false);
    /// assert_eq!(samples.len(), 2);
    /// ```
    pub fn from_lines(text: &str, should_flag: bool) -> Vec<Sample> {
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| Sample {
                text: line.to_string(),
                should_flag,
                category: None,
            })
            .collect()
    }
}

/// Counts for one group of samples (a file, or a category).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Samples that should be flagged.
    pub positives: usize,
    /// Of those, how many were.
    pub caught: usize,
    /// Samples that should not be flagged.
    pub negatives: usize,
    /// Of those, how many were (false positives).
    pub wrongly_flagged: usize,
}

impl Tally {
    /// Every sample counted.
    pub fn messages(&self) -> usize {
        self.positives + self.negatives
    }

    /// Every sample flagged, rightly or wrongly.
    pub fn flagged(&self) -> usize {
        self.caught + self.wrongly_flagged
    }

    /// Caught / positives (`None` without positives).
    pub fn recall(&self) -> Option<f64> {
        (self.positives > 0).then(|| self.caught as f64 / self.positives as f64)
    }

    /// Wrongly flagged / negatives (`None` without negatives).
    pub fn false_positive_rate(&self) -> Option<f64> {
        (self.negatives > 0).then(|| self.wrongly_flagged as f64 / self.negatives as f64)
    }

    fn add(&mut self, should_flag: bool, flagged: bool) {
        if should_flag {
            self.positives += 1;
            self.caught += usize::from(flagged);
        } else {
            self.negatives += 1;
            self.wrongly_flagged += usize::from(flagged);
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} messages, {} flagged",
            self.messages(),
            self.flagged()
        )?;
        if let Some(recall) = self.recall() {
            write!(f, ", recall {:.2} %", recall * 100.0)?;
        }
        if let Some(rate) = self.false_positive_rate() {
            write!(f, ", false positives {:.2} %", rate * 100.0)?;
        }
        Ok(())
    }
}

/// A message the filter got wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    /// The message.
    pub text: String,
    /// Whether it should have been flagged.
    pub should_flag: bool,
    /// What the filter did.
    pub action: Action,
    /// The rules that matched (empty for a miss).
    pub rules: Vec<String>,
}

/// The result of evaluating one data set.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// All samples together.
    pub total: Tally,
    /// Per category: the sample's own label if it has one, else the category
    /// of the first matching term (`uncategorised` when none).
    pub by_category: BTreeMap<String, Tally>,
    /// Mistakes in data-set order, up to the limit given.
    pub mistakes: Vec<Mistake>,
}

/// Reviews every sample and counts the results, keeping up to
/// `max_mistakes` mistakes.
///
/// ```
/// use chat_filter::{eval, Filter};
///
/// let filter = Filter::with_defaults().unwrap();
/// let mut samples = eval::Sample::from_lines("fuck this\nshit happens", true);
/// samples.extend(eval::Sample::from_lines("hello there", false));
/// let report = eval::evaluate(&filter, &samples, 10);
/// assert_eq!(report.total.recall(), Some(1.0));
/// assert_eq!(report.total.false_positive_rate(), Some(0.0));
/// ```
pub fn evaluate(filter: &Filter, samples: &[Sample], max_mistakes: usize) -> Report {
    let mut report = Report::default();
    for sample in samples {
        let verdict = filter.review(&sample.text);
        let flagged = verdict.action != Action::Allow;
        report.total.add(sample.should_flag, flagged);
        let category = sample
            .category
            .clone()
            .or_else(|| {
                verdict
                    .matches
                    .iter()
                    .find_map(|m| m.category.map(str::to_string))
            })
            .unwrap_or_else(|| "uncategorised".to_string());
        report
            .by_category
            .entry(category)
            .or_default()
            .add(sample.should_flag, flagged);
        if flagged != sample.should_flag && report.mistakes.len() < max_mistakes {
            report.mistakes.push(Mistake {
                text: sample.text.clone(),
                should_flag: sample.should_flag,
                action: verdict.action,
                rules: verdict
                    .rule_names()
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            });
        }
    }
    report
}
