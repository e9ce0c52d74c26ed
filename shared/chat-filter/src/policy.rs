//! What to do about a match: the action scale and the severity policy.
//!
//! Word lists say how bad a term is ([`Severity`]); the policy says what a
//! room does about each severity. Keeping the two apart lets one list serve a
//! children's game (mask everything) and a mature stream (deny only slurs).

use std::fmt;
use std::str::FromStr;

use crate::list::Severity;

/// What happens to a message, from mildest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Deliver the message unchanged.
    Allow,
    /// Deliver the message with the matched characters masked.
    Mask,
    /// Reject the message.
    Deny,
}

impl Action {
    /// The name used in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Mask => "mask",
            Action::Deny => "deny",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "allow" => Ok(Action::Allow),
            "mask" => Ok(Action::Mask),
            "deny" => Ok(Action::Deny),
            other => Err(format!(
                "unknown action '{other}': expected allow, mask or deny"
            )),
        }
    }
}

/// The action for each severity, and for mild terms written in disguise.
///
/// The default allows mild terms ("damn", "hell"), masks moderate ones and
/// denies severe ones. A mild term someone disguised to get past a filter
/// (`һell` with a Cyrillic `һ`, `he11`, `cr*p`, `c r a p`) is not everyday
/// swearing any more but an attempt at evasion, so by default it is masked
/// like a moderate term; the `disguised-mild` key sets that action, and
/// `disguised-mild=allow` turns the rule off. A disguised mild term never
/// gets a weaker action than `mild` gives it:
///
/// ```
/// use chat_filter::{Action, Policy, Severity};
///
/// let policy = Policy::default();
/// assert_eq!(policy.action(Severity::Mild), Action::Allow);
/// assert_eq!(policy.action(Severity::Moderate), Action::Mask);
/// assert_eq!(policy.action(Severity::Severe), Action::Deny);
///
/// assert_eq!(policy.disguised_mild(), Action::Mask);
///
/// let strict: Policy = "mild=mask, moderate=deny".parse().unwrap();
/// assert_eq!(strict.action(Severity::Mild), Action::Mask);
/// assert_eq!(strict.action(Severity::Severe), Action::Deny); // unchanged default
///
/// let lenient: Policy = "disguised-mild=allow".parse().unwrap();
/// assert_eq!(lenient.disguised_mild(), Action::Allow);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    actions: [Action; 3],
    disguised_mild: Action,
}

/// The policy key of [`Policy::disguised_mild`].
const DISGUISED_MILD: &str = "disguised-mild";

impl Default for Policy {
    fn default() -> Self {
        Policy {
            actions: [Action::Allow, Action::Mask, Action::Deny],
            disguised_mild: Action::Mask,
        }
    }
}

impl Policy {
    /// The action for `severity`.
    pub fn action(&self, severity: Severity) -> Action {
        self.actions[severity as usize]
    }

    /// Sets the action for `severity`.
    pub fn set(&mut self, severity: Severity, action: Action) {
        self.actions[severity as usize] = action;
    }

    /// The action for a mild term written in disguise (look-alike letters,
    /// leetspeak, separators or censor marks), before the `mild` action is
    /// applied as a floor; see [`Policy::action_for`].
    pub fn disguised_mild(&self) -> Action {
        self.disguised_mild
    }

    /// Sets the action for mild terms written in disguise.
    pub fn set_disguised_mild(&mut self, action: Action) {
        self.disguised_mild = action;
    }

    /// The action for a match of `severity`, `disguised` or written plainly.
    ///
    /// ```
    /// use chat_filter::{Action, Policy, Severity};
    ///
    /// let policy = Policy::default();
    /// assert_eq!(policy.action_for(Severity::Mild, false), Action::Allow);
    /// assert_eq!(policy.action_for(Severity::Mild, true), Action::Mask);
    /// assert_eq!(policy.action_for(Severity::Severe, true), Action::Deny);
    /// ```
    pub fn action_for(&self, severity: Severity, disguised: bool) -> Action {
        let action = self.action(severity);
        if disguised && severity == Severity::Mild {
            action.max(self.disguised_mild)
        } else {
            action
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .map(|s| format!("{s}={}", self.action(*s)))
            .chain([format!("{DISGUISED_MILD}={}", self.disguised_mild)])
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl FromStr for Policy {
    type Err = String;

    /// Reads `severity=action` pairs (and `disguised-mild=action`)
    /// separated by commas; keys left out keep their default action.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut policy = Policy::default();
        for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, action) = pair.split_once('=').ok_or_else(|| {
                format!("'{pair}' is not severity=action (for example severe=deny)")
            })?;
            let action = action.parse()?;
            if key.trim().eq_ignore_ascii_case(DISGUISED_MILD) {
                policy.set_disguised_mild(action);
            } else {
                let severity = key
                    .parse()
                    .map_err(|e| format!("{e} (or {DISGUISED_MILD})"))?;
                policy.set(severity, action);
            }
        }
        Ok(policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_round_trip() {
        let policy: Policy = "severe=mask,mild=deny".parse().unwrap();
        assert_eq!(
            policy.to_string(),
            "mild=deny,moderate=mask,severe=mask,disguised-mild=mask"
        );
        let lenient: Policy = " Disguised-Mild = allow ".parse().unwrap();
        assert_eq!(lenient.disguised_mild(), Action::Allow);
        assert_eq!(lenient.to_string().parse::<Policy>().unwrap(), lenient);
        assert_eq!(policy.to_string().parse::<Policy>().unwrap(), policy);
        assert_eq!("".parse::<Policy>().unwrap(), Policy::default());
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            "severe".parse::<Policy>().unwrap_err(),
            "'severe' is not severity=action (for example severe=deny)"
        );
        assert_eq!(
            "severe=ban".parse::<Policy>().unwrap_err(),
            "unknown action 'ban': expected allow, mask or deny"
        );
        assert!("awful=deny"
            .parse::<Policy>()
            .unwrap_err()
            .contains("unknown severity 'awful'"));
    }

    #[test]
    fn disguise_raises_only_mild_terms_and_never_lowers_them() {
        let policy = Policy::default();
        assert_eq!(policy.action_for(Severity::Mild, true), Action::Mask);
        assert_eq!(policy.action_for(Severity::Moderate, true), Action::Mask);
        assert_eq!(policy.action_for(Severity::Severe, false), Action::Deny);
        let strict: Policy = "mild=deny,disguised-mild=allow".parse().unwrap();
        assert_eq!(strict.action_for(Severity::Mild, true), Action::Deny);
        let off: Policy = "disguised-mild=allow".parse().unwrap();
        assert_eq!(off.action_for(Severity::Mild, true), Action::Allow);
    }

    #[test]
    fn actions_are_ordered_by_strength() {
        assert!(Action::Allow < Action::Mask && Action::Mask < Action::Deny);
    }
}
