//! Review by who is speaking: exempt senders, and a stricter policy for some.
//!
//! IVS Chat hands the review handler the sender's chat-token attributes
//! (`Sender.Attributes`), which the app's backend (or the chat-token
//! function) sets when it issues the token. Two variables match on them:
//!
//! * `REVIEW_EXEMPT_SENDERS=role=moderator|broadcaster`: messages from a
//!   sender whose `role` attribute is `moderator` or `broadcaster` are
//!   allowed unchanged and write no decision record.
//! * `REVIEW_STRICT_SENDERS=account=new` with `REVIEW_STRICT_POLICY=mild=mask,moderate=deny`:
//!   senders matching it are judged by the stricter of the room's policy and
//!   this one, severity by severity (a strict policy can only add
//!   strictness, never relax the room's).
//!
//! A matcher is `key=value|value`, several separated by `,`; a sender matches
//! when any of them does. The strict policy is applied to the verdict the one
//! filter already computed (every match carries its severity), so there is no
//! second filter in memory and no second pass over the text. Attributes are
//! set by whoever issues tokens, never by the sender, so they can be trusted
//! as far as the token issuer is. All of it is local: no network.

use ivs_chat::chat_log::AttributeLookup;

use chat_filter::{Action, Policy, Verdict};

use crate::config::ConfigError;

/// Senders whose messages are not reviewed.
pub const EXEMPT_SENDERS: &str = "REVIEW_EXEMPT_SENDERS";
/// Senders judged by the strict policy.
pub const STRICT_SENDERS: &str = "REVIEW_STRICT_SENDERS";
/// The strict policy.
pub const STRICT_POLICY: &str = "REVIEW_STRICT_POLICY";

/// `key=value|value` clauses; any one matching is a match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeMatch {
    clauses: Vec<(String, Vec<String>)>,
}

impl AttributeMatch {
    /// Parses `key=v1|v2,key2=v3`; errors name `variable`.
    ///
    /// ```
    /// use message_review::senders::AttributeMatch;
    /// let m = AttributeMatch::parse("REVIEW_EXEMPT_SENDERS", "role=moderator|broadcaster").unwrap();
    /// let attrs: std::collections::BTreeMap<String, String> =
    ///     [("role".to_string(), "broadcaster".to_string())].into();
    /// assert!(m.matches(&attrs));
    /// assert!(AttributeMatch::parse("REVIEW_EXEMPT_SENDERS", "role").is_err());
    /// ```
    pub fn parse(variable: &'static str, value: &str) -> Result<AttributeMatch, ConfigError> {
        let mut clauses = Vec::new();
        for (i, clause) in value.split(',').map(str::trim).enumerate() {
            if clause.is_empty() {
                continue;
            }
            let invalid = |message: String| ConfigError::Invalid { variable, message };
            let (key, values) = clause.split_once('=').ok_or_else(|| {
                invalid(format!(
                    "matcher {} '{clause}' is not attribute=value|value (role=moderator)",
                    i + 1
                ))
            })?;
            let key = key.trim();
            let values: Vec<String> = values
                .split('|')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            if key.is_empty() || values.is_empty() {
                return Err(invalid(format!(
                    "matcher {} '{clause}' needs an attribute name and at least one value",
                    i + 1
                )));
            }
            clauses.push((key.to_string(), values));
        }
        Ok(AttributeMatch { clauses })
    }

    /// Whether `attributes` match any clause.
    pub fn matches(&self, attributes: &(impl AttributeLookup + ?Sized)) -> bool {
        self.clauses.iter().any(|(key, values)| {
            attributes
                .attribute(key)
                .is_some_and(|v| values.iter().any(|w| w == v))
        })
    }

    /// Whether there are no clauses (matches nobody).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
}

/// How a sender is reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// Not reviewed.
    Exempt,
    /// Reviewed with the strict policy.
    Strict,
    /// Reviewed with the room's policy.
    Normal,
}

/// The sender rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Senders {
    /// `REVIEW_EXEMPT_SENDERS`.
    pub exempt: AttributeMatch,
    /// `REVIEW_STRICT_SENDERS`.
    pub strict: AttributeMatch,
    /// `REVIEW_STRICT_POLICY`.
    pub strict_policy: Policy,
}

impl Senders {
    /// Reads the three variables through `lookup`.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Senders, ConfigError> {
        let exempt = lookup(EXEMPT_SENDERS)
            .map(|v| AttributeMatch::parse(EXEMPT_SENDERS, &v))
            .transpose()?
            .unwrap_or_default();
        let strict = lookup(STRICT_SENDERS)
            .map(|v| AttributeMatch::parse(STRICT_SENDERS, &v))
            .transpose()?
            .unwrap_or_default();
        let policy_text = lookup(STRICT_POLICY);
        let strict_policy = match (&policy_text, strict.is_empty()) {
            (Some(text), _) => text.parse().map_err(|message| ConfigError::Invalid {
                variable: STRICT_POLICY,
                message,
            })?,
            (None, true) => Policy::default(),
            (None, false) => {
                return Err(ConfigError::Invalid {
                    variable: STRICT_POLICY,
                    message: format!(
                        "is required when {STRICT_SENDERS} is set (mild=mask,moderate=deny)"
                    ),
                })
            }
        };
        Ok(Senders {
            exempt,
            strict,
            strict_policy,
        })
    }

    /// How the sender with `attributes` is reviewed (exemption first).
    pub fn classify(&self, attributes: &(impl AttributeLookup + ?Sized)) -> Speaker {
        if self.exempt.matches(attributes) {
            Speaker::Exempt
        } else if self.strict.matches(attributes) {
            Speaker::Strict
        } else {
            Speaker::Normal
        }
    }
}

/// `verdict` judged again with the stricter of each match's action and what
/// `policy` says for its severity; the masked text is rebuilt from `text`.
pub fn regrade<'f>(verdict: Verdict<'f>, text: &str, policy: &Policy, mask: char) -> Verdict<'f> {
    let mut matches = verdict.matches;
    for m in &mut matches {
        if let Some(severity) = m.severity {
            m.action = m.action.max(policy.action_for(severity, m.disguised));
        }
    }
    let action = matches
        .iter()
        .map(|m| m.action)
        .max()
        .unwrap_or(Action::Allow);
    let masked = (action == Action::Mask).then(|| {
        chat_filter::mask(
            text,
            matches
                .iter()
                .filter(|m| m.action == Action::Mask)
                .map(|m| m.span.clone()),
            mask,
        )
    });
    Verdict {
        action,
        matches,
        masked,
    }
}
