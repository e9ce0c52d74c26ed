//! The decision record this handler writes for every DENY or masked message.
//!
//! The record's format is defined, versioned and documented in
//! [`sanctions::record`]: it is the only interface between this handler and
//! the strike tracker, which reads it from a CloudWatch Logs subscription.
//! This module fills it in from a verdict and writes it as one line on
//! standard output (which Lambda sends to the function's log group), outside
//! the logging library, so its arrays stay arrays and its shape is the
//! record's own. Writing a line is all the hot path does: no network, no SDK.
//!
//! `REVIEW_STRIKE_WEIGHTS` (default `mask=1,deny=1`) sets how many strikes
//! each action is worth (0..=10; 0 records the decision but never counts).

use std::io::Write;

use chat_filter::{Action, Severity, Verdict};
use ivs_chat::ReviewEvent;
use sanctions::record::MAX_STRIKE_WEIGHT;
use sanctions::{DecisionAction, DecisionRecord};

use crate::config::{Config, ConfigError};

/// Strikes per action.
pub const STRIKE_WEIGHTS: &str = "REVIEW_STRIKE_WEIGHTS";

/// How many strikes a masked and a denied message are worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrikeWeights {
    /// A masked message.
    pub mask: u32,
    /// A denied message.
    pub deny: u32,
}

impl Default for StrikeWeights {
    fn default() -> Self {
        StrikeWeights { mask: 1, deny: 1 }
    }
}

impl StrikeWeights {
    /// Reads `mask=N,deny=N` (either may be left out and keeps its default).
    ///
    /// ```
    /// use message_review::decision_record::StrikeWeights;
    /// let w = StrikeWeights::parse("deny=3").unwrap();
    /// assert_eq!((w.mask, w.deny), (1, 3));
    /// assert!(StrikeWeights::parse("deny=11").unwrap_err().to_string().contains("0..=10"));
    /// ```
    pub fn parse(value: &str) -> Result<StrikeWeights, ConfigError> {
        let mut weights = StrikeWeights::default();
        for pair in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let invalid = |message: String| ConfigError::Invalid {
                variable: STRIKE_WEIGHTS,
                message,
            };
            let (key, number) = pair
                .split_once('=')
                .ok_or_else(|| invalid(format!("'{pair}' is not action=weight (deny=2)")))?;
            let n: u32 = number
                .trim()
                .parse()
                .ok()
                .filter(|n| *n <= MAX_STRIKE_WEIGHT)
                .ok_or_else(|| {
                    invalid(format!(
                        "weight '{}' must be a whole number in 0..={MAX_STRIKE_WEIGHT}",
                        number.trim()
                    ))
                })?;
            match key.trim() {
                "mask" => weights.mask = n,
                "deny" => weights.deny = n,
                other => {
                    return Err(invalid(format!(
                        "unknown action '{other}': expected mask or deny"
                    )))
                }
            }
        }
        Ok(weights)
    }

    /// Reads [`STRIKE_WEIGHTS`] through `lookup`.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        lookup(STRIKE_WEIGHTS).map_or_else(|| Ok(StrikeWeights::default()), |v| Self::parse(&v))
    }
}

/// The record for a DENY or mask verdict; `None` for an ALLOW.
pub fn build(
    config: &Config,
    event: &ReviewEvent,
    verdict: &Verdict<'_>,
) -> Option<DecisionRecord> {
    let (action, weight) = match verdict.action {
        Action::Allow => return None,
        Action::Mask => (DecisionAction::Mask, config.strike_weights.mask),
        Action::Deny => (DecisionAction::Deny, config.strike_weights.deny),
    };
    let mut categories: Vec<String> = verdict
        .matches
        .iter()
        .filter(|m| m.action != Action::Allow)
        .filter_map(|m| m.category.map(str::to_string))
        .collect();
    categories.sort_unstable();
    categories.dedup();
    let severity = verdict
        .matches
        .iter()
        .filter(|m| m.action != Action::Allow)
        .filter_map(|m| m.severity)
        .max_by_key(|s| match s {
            Severity::Mild => 0,
            Severity::Moderate => 1,
            Severity::Severe => 2,
        })
        .map(|s| s.to_string());
    let rules = verdict
        .rule_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut record = DecisionRecord::new(
        &event.room_arn,
        &event.sender.user_id,
        &event.message_id,
        action,
        severity,
        categories,
        rules,
        weight,
    );
    // The text only where the room opted in.
    record.content = config.log_content.then(|| event.content.clone());
    Some(record)
}

/// Writes `record` as one line on standard output.
pub fn emit(record: &DecisionRecord) {
    let mut line = record.to_line();
    line.push('\n');
    // A log line that cannot be written (stdout closed) must not fail the
    // review: the message is still answered.
    let _ = std::io::stdout().lock().write_all(line.as_bytes());
}
