//! The escalation policy: when strikes become a timeout, and timeouts a ban.
//!
//! Written as one variable, `ESCALATION_POLICY`, in a small language:
//!
//! ```text
//! 3 strikes in 10m: timeout 10m; 2 timeouts in 24h: ban 7d; 10 strikes in 1h: ban
//! ```
//!
//! Each rule counts one thing (`strikes`, `timeouts` or `bans`) in a sliding
//! window ending now, and names a sanction when the count reaches its
//! threshold (`ban` without a duration is permanent). It is parsed once, at
//! init; an error gives the variable, the 1-based character position and
//! what was expected there, so a typo stops the function from starting
//! instead of silently never sanctioning anyone.
//!
//! [`EscalationPolicy::decide`] is the whole decision, pure and clock-free:
//!
//! * strikes count only after the user's latest sanction (the strikes that
//!   caused a timeout are spent on it; otherwise the fourth strike would time
//!   the user out again the moment the first timeout ends);
//! * strike rules propose a sanction; sanction rules (`2 timeouts in 24h`)
//!   are then read counting the proposed one too, and can raise it: the
//!   second timeout in a day becomes the ban, one sanction rather than a
//!   timeout immediately followed by a ban;
//! * the strongest proposal wins: a ban over a timeout, then the longer.

use std::time::Duration;

use crate::period;
use crate::sanction::{Sanction, SanctionKind};

/// The variable the policy is read from.
pub const POLICY_VAR: &str = "ESCALATION_POLICY";

/// The policy used when the variable is unset.
pub const DEFAULT_POLICY: &str = "3 strikes in 10m: timeout 10m; 2 timeouts in 24h: ban 7d";

/// The longest window a rule may look back over (strikes are kept this long).
pub const MAX_WINDOW: Duration = Duration::from_secs(30 * 86_400);

/// What a rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Strike weights from decision records.
    Strikes,
    /// Sanctions of this kind already issued.
    Sanctions(SanctionKind),
}

/// One rule: `<threshold> <counted> in <window>: <sanction> [<duration>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The count that triggers it.
    pub threshold: u32,
    /// What is counted.
    pub counted: Counted,
    /// The sliding window, ending now.
    pub window: Duration,
    /// The sanction it imposes.
    pub sanction: SanctionKind,
    /// How long; `None` only for a permanent ban.
    pub duration: Option<Duration>,
    /// The rule as written (trimmed), for logs and the sanction's source.
    pub text: String,
}

/// A parsed `ESCALATION_POLICY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationPolicy {
    rules: Vec<Rule>,
}

/// A policy that does not parse, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: at character {position}: {problem}")]
pub struct PolicyError {
    /// The variable the policy came from.
    pub variable: &'static str,
    /// 1-based character position in the value.
    pub position: usize,
    /// What was expected.
    pub problem: String,
}

/// A strike as the decision sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strike {
    /// When (ms since the epoch).
    pub at_ms: i64,
    /// How many strikes it is worth.
    pub weight: u32,
}

/// The sanction a policy decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Timeout or ban.
    pub kind: SanctionKind,
    /// How long; `None` for a permanent ban.
    pub duration: Option<Duration>,
    /// The rule that decided it.
    pub rule: String,
}

struct Token<'a> {
    text: &'a str,
    position: usize,
}

/// Splits on whitespace, keeping `:` and `;` as tokens of their own, with
/// 1-based character positions.
fn tokens(value: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, char position)
    for (chars, (byte, c)) in value.char_indices().enumerate() {
        let separator = c.is_whitespace() || c == ':' || c == ';';
        if separator {
            if let Some((b, p)) = start.take() {
                out.push(Token {
                    text: &value[b..byte],
                    position: p,
                });
            }
            if c == ':' || c == ';' {
                out.push(Token {
                    text: &value[byte..byte + 1],
                    position: chars + 1,
                });
            }
        } else if start.is_none() {
            start = Some((byte, chars + 1));
        }
    }
    if let Some((b, p)) = start {
        out.push(Token {
            text: &value[b..],
            position: p,
        });
    }
    out
}

impl EscalationPolicy {
    /// Reads the policy from `lookup` ([`DEFAULT_POLICY`] when unset).
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, PolicyError> {
        match lookup(POLICY_VAR) {
            Some(value) => EscalationPolicy::parse(POLICY_VAR, &value),
            None => EscalationPolicy::parse(POLICY_VAR, DEFAULT_POLICY),
        }
    }

    /// Parses a policy; errors name `variable`.
    ///
    /// ```
    /// use sanctions::EscalationPolicy;
    /// let policy = EscalationPolicy::parse("ESCALATION_POLICY", "3 strikes in 10m: timeout 10m").unwrap();
    /// assert_eq!(policy.rules().len(), 1);
    /// let err = EscalationPolicy::parse("ESCALATION_POLICY", "3 strikes in 10m: mute 10m").unwrap_err();
    /// assert_eq!(err.to_string(), "ESCALATION_POLICY: at character 19: expected timeout or ban, got \"mute\"");
    /// ```
    pub fn parse(variable: &'static str, value: &str) -> Result<Self, PolicyError> {
        let end = value.chars().count() + 1;
        let fail = |position: usize, problem: String| PolicyError {
            variable,
            position,
            problem,
        };
        let tokens = tokens(value);
        let mut rules = Vec::new();
        let mut i = 0;
        let at = |i: usize| tokens.get(i).map_or(end, |t| t.position);
        let text_at = |i: usize| tokens.get(i).map_or("the end", |t| t.text);
        while i < tokens.len() {
            if tokens[i].text == ";" {
                i += 1;
                continue;
            }
            let rule_start = i;
            let threshold: u32 = match tokens[i].text.parse() {
                Ok(n) if n > 0 => n,
                _ => {
                    return Err(fail(
                        at(i),
                        format!(
                            "expected a count (a whole number above 0), got {:?}",
                            text_at(i)
                        ),
                    ))
                }
            };
            i += 1;
            let counted = match text_at(i) {
                "strike" | "strikes" => Counted::Strikes,
                "timeout" | "timeouts" => Counted::Sanctions(SanctionKind::Timeout),
                "ban" | "bans" => Counted::Sanctions(SanctionKind::Ban),
                other => {
                    return Err(fail(
                        at(i),
                        format!("expected strikes, timeouts or bans, got {other:?}"),
                    ))
                }
            };
            i += 1;
            if text_at(i) != "in" {
                return Err(fail(
                    at(i),
                    format!("expected \"in\", got {:?}", text_at(i)),
                ));
            }
            i += 1;
            let window = period::parse(text_at(i)).map_err(|p| fail(at(i), p))?;
            if window > MAX_WINDOW {
                return Err(fail(
                    at(i),
                    format!("a window may be at most {}", period::format(MAX_WINDOW)),
                ));
            }
            i += 1;
            if text_at(i) != ":" {
                return Err(fail(at(i), format!("expected \":\", got {:?}", text_at(i))));
            }
            i += 1;
            let sanction = match SanctionKind::parse(text_at(i)) {
                Some(kind) => kind,
                None => {
                    return Err(fail(
                        at(i),
                        format!("expected timeout or ban, got {:?}", text_at(i)),
                    ))
                }
            };
            i += 1;
            let duration = match tokens.get(i).map(|t| t.text) {
                None | Some(";") if sanction == SanctionKind::Ban => None,
                None | Some(";") => {
                    return Err(fail(
                        at(i),
                        "expected the timeout's duration (timeout 10m)".to_string(),
                    ))
                }
                Some(text) => {
                    let d = period::parse(text).map_err(|p| fail(at(i), p))?;
                    i += 1;
                    Some(d)
                }
            };
            if let Some(t) = tokens.get(i) {
                if t.text != ";" {
                    return Err(fail(
                        t.position,
                        format!("expected \";\" or the end after the rule, got {:?}", t.text),
                    ));
                }
            }
            let first = tokens[rule_start].position;
            let last = tokens.get(i).map_or(end, |t| t.position);
            let text: String = value
                .chars()
                .skip(first - 1)
                .take(last - first)
                .collect::<String>()
                .trim()
                .to_string();
            rules.push(Rule {
                threshold,
                counted,
                window,
                sanction,
                duration,
                text,
            });
        }
        if rules.is_empty() {
            return Err(fail(
                1,
                "the policy has no rules (3 strikes in 10m: timeout 10m)".into(),
            ));
        }
        if !rules.iter().any(|r| r.counted == Counted::Strikes) {
            return Err(fail(
                1,
                "no rule counts strikes, so no sanction could ever start".into(),
            ));
        }
        Ok(EscalationPolicy { rules })
    }

    /// The rules, in the order written.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The longest window of any rule: how long strikes must be kept.
    pub fn longest_window(&self) -> Duration {
        self.rules
            .iter()
            .map(|r| r.window)
            .max()
            .unwrap_or(Duration::ZERO)
    }

    /// What to do at `now_ms`, given the user's strikes and sanctions
    /// (in any order); `None` when no rule is reached.
    pub fn decide(
        &self,
        now_ms: i64,
        strikes: &[Strike],
        sanctions: &[Sanction],
    ) -> Option<Outcome> {
        let since_sanction = sanctions
            .iter()
            .map(|s| s.issued_at_ms)
            .max()
            .unwrap_or(i64::MIN);
        let in_window =
            |at: i64, window: Duration| at <= now_ms && at > now_ms - period::millis(window);
        let mut proposed: Option<Outcome> = None;
        for rule in self.rules.iter().filter(|r| r.counted == Counted::Strikes) {
            let count: u64 = strikes
                .iter()
                .filter(|s| s.at_ms > since_sanction && in_window(s.at_ms, rule.window))
                .map(|s| u64::from(s.weight))
                .sum();
            if count >= u64::from(rule.threshold) {
                proposed = stronger(proposed, outcome(rule));
            }
        }
        let candidate = proposed.clone()?;
        for rule in &self.rules {
            let Counted::Sanctions(kind) = rule.counted else {
                continue;
            };
            let past = sanctions
                .iter()
                .filter(|s| s.kind == kind && in_window(s.issued_at_ms, rule.window))
                .count();
            let count = past + usize::from(candidate.kind == kind);
            if count >= rule.threshold as usize {
                proposed = stronger(proposed, outcome(rule));
            }
        }
        proposed
    }
}

fn outcome(rule: &Rule) -> Outcome {
    Outcome {
        kind: rule.sanction,
        duration: rule.duration,
        rule: rule.text.clone(),
    }
}

/// Bans beat timeouts; within a kind the longer wins (permanent longest);
/// on a tie the earlier rule stays.
fn stronger(current: Option<Outcome>, new: Outcome) -> Option<Outcome> {
    let rank = |o: &Outcome| (o.kind, o.duration.map_or(u64::MAX, |d| d.as_secs()));
    match current {
        Some(c) if rank(&c) >= rank(&new) => Some(c),
        _ => Some(new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sanction::UserKey;

    const MIN: i64 = 60_000;

    fn policy(text: &str) -> EscalationPolicy {
        EscalationPolicy::parse(POLICY_VAR, text).unwrap()
    }

    fn err(text: &str) -> String {
        EscalationPolicy::parse(POLICY_VAR, text)
            .unwrap_err()
            .to_string()
    }

    fn strikes(times_min: &[i64]) -> Vec<Strike> {
        times_min
            .iter()
            .map(|m| Strike {
                at_ms: m * MIN,
                weight: 1,
            })
            .collect()
    }

    fn sanction(kind: SanctionKind, at_min: i64) -> Sanction {
        Sanction {
            user: UserKey::new("r", "u"),
            id: format!("s{at_min}"),
            kind,
            issued_at_ms: at_min * MIN,
            until_ms: None,
            reason: String::new(),
            source: String::new(),
            disconnected: true,
            announced: true,
        }
    }

    #[test]
    fn the_default_policy_parses_to_its_two_rules() {
        let p = EscalationPolicy::from_lookup(&|_| None).unwrap();
        assert_eq!(p.rules().len(), 2);
        assert_eq!(p.rules()[0].text, "3 strikes in 10m: timeout 10m");
        assert_eq!(
            p.rules()[1].counted,
            Counted::Sanctions(SanctionKind::Timeout)
        );
        assert_eq!(p.rules()[1].duration, Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(p.longest_window(), Duration::from_secs(86_400));
        let p = policy("1 strike in 1h: ban;");
        assert_eq!(p.rules()[0].duration, None);
    }

    #[test]
    fn errors_give_the_variable_and_the_position() {
        assert_eq!(
            err("3 strikes in 10: timeout 10m"),
            "ESCALATION_POLICY: at character 14: \"10\" has no unit: write s, m, h or d after the number (10m)"
        );
        assert_eq!(
            err("three strikes in 10m: timeout 10m"),
            "ESCALATION_POLICY: at character 1: expected a count (a whole number above 0), got \"three\""
        );
        assert_eq!(
            err("3 strikes in 10m: timeout"),
            "ESCALATION_POLICY: at character 26: expected the timeout's duration (timeout 10m)"
        );
        assert!(err("3 strikes on 10m: ban").contains("at character 11: expected \"in\""));
        assert!(err("3 strikes in 10m ban").contains("at character 18: expected \":\""));
        assert!(err("3 warnings in 10m: ban").contains("at character 3"));
        assert!(err("3 strikes in 10m: ban 1d 2d").contains("at character 26"));
        assert!(err("3 strikes in 60d: ban").contains("at most 30d"));
        assert!(err("").contains("no rules"));
        assert!(err("2 timeouts in 1d: ban").contains("no rule counts strikes"));
        // Positions count characters, not bytes.
        assert!(err("3 strikes in 10m: timeout 10m; é").contains("at character 32"));
    }

    #[test]
    fn strikes_in_the_window_reach_the_threshold() {
        let p = policy(DEFAULT_POLICY);
        assert_eq!(p.decide(5 * MIN, &strikes(&[1, 2]), &[]), None);
        let o = p.decide(5 * MIN, &strikes(&[1, 2, 5]), &[]).unwrap();
        assert_eq!(o.kind, SanctionKind::Timeout);
        assert_eq!(o.duration, Some(Duration::from_secs(600)));
        // The window slides: the strike at minute 1 is gone at minute 11.
        assert_eq!(p.decide(11 * MIN, &strikes(&[1, 2, 11]), &[]), None);
        // Strikes in the future of `now` do not count.
        assert_eq!(p.decide(2 * MIN, &strikes(&[1, 2, 5]), &[]), None);
        // Weights add up.
        let heavy = [Strike {
            at_ms: MIN,
            weight: 3,
        }];
        assert!(p.decide(MIN, &heavy, &[]).is_some());
    }

    #[test]
    fn strikes_are_spent_on_the_sanction_they_caused() {
        let p = policy(DEFAULT_POLICY);
        let timeout = sanction(SanctionKind::Timeout, 3);
        assert_eq!(
            p.decide(
                4 * MIN,
                &strikes(&[1, 2, 3, 4]),
                std::slice::from_ref(&timeout)
            ),
            None
        );
        let o = p
            .decide(6 * MIN, &strikes(&[1, 2, 3, 4, 5, 6]), &[timeout])
            .unwrap();
        // The second timeout within a day is raised to the ban.
        assert_eq!(o.kind, SanctionKind::Ban);
        assert_eq!(o.rule, "2 timeouts in 24h: ban 7d");
        // A day later the first timeout no longer counts.
        let old = sanction(SanctionKind::Timeout, 0);
        let later = 25 * 60;
        let o = p
            .decide(
                later * MIN,
                &strikes(&[later - 2, later - 1, later]),
                &[old],
            )
            .unwrap();
        assert_eq!(o.kind, SanctionKind::Timeout);
    }

    #[test]
    fn the_strongest_proposal_wins() {
        let p = policy(
            "2 strikes in 1h: timeout 5m; 2 strikes in 1h: timeout 1h; 3 strikes in 1h: ban",
        );
        let o = p.decide(3 * MIN, &strikes(&[1, 2]), &[]).unwrap();
        assert_eq!(o.duration, Some(Duration::from_secs(3600)));
        let o = p.decide(3 * MIN, &strikes(&[1, 2, 3]), &[]).unwrap();
        assert_eq!((o.kind, o.duration), (SanctionKind::Ban, None));
    }
}
