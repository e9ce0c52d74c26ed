//! Regex rules: patterns a word list cannot express.
//!
//! Links, phone numbers, repeated spam: a room may want to mask or deny these
//! by pattern. Rules run on the original text (not the normalised copy), so a
//! pattern means what it says; use `(?i)` for case-insensitivity. Rules are
//! compiled, with size limits, by the `regex` crate, whose matching time is
//! linear in the message length: a rule cannot make a review slow, whatever
//! it holds. An `allow` rule cancels the word-list matches it overlaps, as
//! an allow-list entry does.
//!
//! All of a filter's rules are compiled together into one set, which is all
//! that a message matching none of them (nearly every message) needs. A rule
//! also needs a regex of its own to find where it matched; the built-in
//! rules, whose patterns are known to compile, build that one on first use,
//! since building it for every rule at start-up would cost more than the
//! rest of the rules' build, on every cold start.
//!
//! The list format is one rule a line, `name | action | pattern`:
//!
//! ```text
//! # mask links except to our own site
//! our-site | allow | (?i)https?://(www\.)?example\.com\S*
//! links    | mask  | (?i)https?://\S+
//! ```
//!
//! The crate also carries a built-in list, [`RegexRule::DEFAULT_LIST`]
//! (`lists/default-rules.txt`), used with the default word lists: ASCII art
//! and emoji that no word list can spell (`8===D`, `_|_`, `(.)(.)`, `🖕`,
//! `🍆💦`), each rule named for what it shows (`art:phallus`,
//! `art:middle-finger`) and masked. Its patterns are anchored so that
//! ordinary text, code identifiers (`my_l_var`, `__init__`) and innocent
//! emoticons (`:D`, `<3`, `-_-`, `^_^`) never match.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::error::{BuildError, ListLine};
use crate::lines::content_lines;
use crate::policy::Action;

/// The longest pattern a rule may hold, in bytes.
pub const MAX_PATTERN_LEN: usize = 1024;
/// The most memory one compiled rule may take.
pub const MAX_COMPILED_SIZE: usize = 1 << 20;

/// A named regex with the action taken when it matches.
///
/// ```
/// use chat_filter::{Action, RegexRule};
///
/// let rule = RegexRule::new("phone", Action::Mask, r"\b\d{3}-\d{4}\b").unwrap();
/// assert_eq!(rule.name(), "phone");
///
/// let err = RegexRule::new("broken", Action::Deny, "(unclosed").unwrap_err();
/// assert!(err.to_string().starts_with("regex rule 'broken': "));
/// ```
#[derive(Debug, Clone)]
pub struct RegexRule {
    name: String,
    action: Action,
    pattern: Box<str>,
    /// Compiled by [`RegexRule::new`]; for a built-in rule, on first use.
    regex: OnceLock<Regex>,
}

impl RegexRule {
    /// The built-in rule list (`lists/default-rules.txt`): ASCII art,
    /// kaomoji and emoji that a word list cannot express, all masked.
    /// [`FilterBuilder`](crate::FilterBuilder) adds it with the default word
    /// lists.
    ///
    /// ```
    /// use chat_filter::RegexRule;
    ///
    /// let rules = RegexRule::parse_list("default-rules.txt", RegexRule::DEFAULT_LIST).unwrap();
    /// assert!(rules.iter().any(|r| r.name() == "art:phallus"));
    /// ```
    pub const DEFAULT_LIST: &'static str = include_str!("../lists/default-rules.txt");

    /// Compiles `pattern`, failing with an error naming the rule if it is
    /// invalid, longer than [`MAX_PATTERN_LEN`] or compiles larger than
    /// [`MAX_COMPILED_SIZE`].
    pub fn new(name: &str, action: Action, pattern: &str) -> Result<RegexRule, BuildError> {
        let rule = RegexRule::uncompiled(name, action, pattern)?;
        let regex = compile(pattern).map_err(|e| BuildError::Regex {
            at: None,
            name: name.to_string(),
            message: e.to_string(),
        })?;
        // Cannot fail: the lock was made empty just above.
        let _ = rule.regex.set(regex);
        Ok(rule)
    }

    /// Checks the name and pattern length but leaves compiling to first use.
    fn uncompiled(name: &str, action: Action, pattern: &str) -> Result<RegexRule, BuildError> {
        let fail = |message: String| BuildError::Regex {
            at: None,
            name: name.to_string(),
            message,
        };
        if name.trim().is_empty() {
            return Err(fail("the rule has no name".into()));
        }
        if pattern.len() > MAX_PATTERN_LEN {
            return Err(fail(format!(
                "the pattern is {} bytes long; the limit is {MAX_PATTERN_LEN}",
                pattern.len()
            )));
        }
        Ok(RegexRule {
            name: name.to_string(),
            action,
            pattern: pattern.into(),
            regex: OnceLock::new(),
        })
    }

    /// The built-in rules ([`RegexRule::DEFAULT_LIST`]), each compiled on
    /// first use: their patterns are tested to compile, and the rule set
    /// compiles them all at build time anyway.
    pub(crate) fn builtin() -> Result<Vec<RegexRule>, BuildError> {
        parse_rules(
            "default-rules.txt",
            RegexRule::DEFAULT_LIST,
            RegexRule::uncompiled,
        )
    }

    /// Parses a rule list (`name | action | pattern` a line; `#` comments and
    /// blank lines skipped), naming `source` and the line in errors.
    ///
    /// ```
    /// use chat_filter::RegexRule;
    ///
    /// let rules = RegexRule::parse_list("rules.txt", "# links\nlinks | mask | https?://\\S+\n").unwrap();
    /// assert_eq!(rules[0].name(), "links");
    ///
    /// let err = RegexRule::parse_list("rules.txt", "links | mask").unwrap_err();
    /// assert_eq!(err.to_string(), "rules.txt:1: a rule is 'name | action | pattern'");
    /// ```
    pub fn parse_list(source: &str, text: &str) -> Result<Vec<RegexRule>, BuildError> {
        parse_rules(source, text, RegexRule::new)
    }

    /// Reads every line of a rule list, giving `each` the line number and
    /// the rule or what is wrong with that line (with its list and line),
    /// without stopping at the first problem: for tools that report every
    /// problem at once. Whether a name is used twice is left to `each`.
    ///
    /// ```
    /// use chat_filter::RegexRule;
    ///
    /// let mut lines = Vec::new();
    /// RegexRule::parse_each("r.txt", "# rules\na | mask | x\nb | ban | y\n", |line, rule| {
    ///     lines.push((line, rule.map(|r| r.name().to_string()).map_err(|e| e.to_string())));
    /// });
    /// assert_eq!(lines[0], (2, Ok("a".to_string())));
    /// assert_eq!(lines[1], (3, Err("r.txt:3: unknown action 'ban': expected allow, mask or deny".to_string())));
    /// ```
    pub fn parse_each(
        source: &str,
        text: &str,
        mut each: impl FnMut(usize, Result<RegexRule, BuildError>),
    ) {
        for (line, fields) in rule_lines(source, text) {
            let rule = fields.and_then(|(name, action, pattern)| {
                RegexRule::new(name, action, pattern).map_err(|e| placed(e, source, line))
            });
            each(line, rule);
        }
    }

    /// The rule's name, as reported in verdicts and logs.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What happens when the rule matches.
    pub fn action(&self) -> Action {
        self.action
    }

    /// The compiled pattern.
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            // Only built-in rules get here uncompiled, and a test compiles
            // each of them; should one still fail, it matches nothing
            // rather than panic in a review.
            compile(&self.pattern).unwrap_or_else(|_| never_matching())
        })
    }
}

/// Parses a rule list, making each rule with `make` (name, action,
/// pattern), and stops at the first bad line or repeated name.
fn parse_rules(
    source: &str,
    text: &str,
    make: fn(&str, Action, &str) -> Result<RegexRule, BuildError>,
) -> Result<Vec<RegexRule>, BuildError> {
    let mut rules: Vec<RegexRule> = Vec::new();
    for (line, fields) in rule_lines(source, text) {
        let (name, action, pattern) = fields?;
        if rules.iter().any(|r| r.name == name) {
            return Err(BuildError::RuleSyntax {
                list: source.to_string(),
                line,
                message: format!("rule name '{name}' is used twice"),
            });
        }
        rules.push(make(name, action, pattern).map_err(|e| placed(e, source, line))?);
    }
    Ok(rules)
}

/// The rule lines of `text` ([`content_lines`]), each with its number and
/// its name, action and pattern, or what is wrong with its syntax.
fn rule_lines<'t>(
    source: &'t str,
    text: &'t str,
) -> impl Iterator<Item = (usize, Result<(&'t str, Action, &'t str), BuildError>)> + 't {
    content_lines(text).map(move |(line, content)| {
        let syntax = |message: String| BuildError::RuleSyntax {
            list: source.to_string(),
            line,
            message,
        };
        let mut fields = content.splitn(3, '|');
        let fields = match (fields.next(), fields.next(), fields.next()) {
            (Some(name), Some(action), Some(pattern)) => action
                .parse()
                .map(|action| (name.trim(), action, pattern.trim()))
                .map_err(syntax),
            _ => Err(syntax("a rule is 'name | action | pattern'".into())),
        };
        (line, fields)
    })
}

/// `error`, made while compiling the rule on `line` of `source`, with that
/// place.
fn placed(error: BuildError, source: &str, line: usize) -> BuildError {
    match error {
        BuildError::Regex { name, message, .. } => BuildError::Regex {
            at: Some(ListLine {
                list: source.to_string(),
                line,
            }),
            name,
            message,
        },
        error => error,
    }
}

/// Compiles one rule's pattern within the per-rule size limits.
fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(MAX_COMPILED_SIZE)
        .dfa_size_limit(MAX_COMPILED_SIZE)
        .build()
}

/// A regex that matches no text, for a built-in rule that failed to compile.
fn never_matching() -> Regex {
    // An empty class: a constant pattern, which the regex crate accepts.
    Regex::new(r"[^\s\S]").expect("an empty class compiles")
}

/// All of a filter's rules in one automaton, so that a message none of them
/// matches (nearly every message) costs one scan instead of one per rule;
/// only the rules that do match are run again to find their spans.
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    set: Option<RegexSet>,
}

impl RuleSet {
    /// Compiles `rules` together, within the per-rule size limit times the
    /// number of rules.
    pub(crate) fn new(rules: &[RegexRule]) -> Result<RuleSet, BuildError> {
        if rules.is_empty() {
            return Ok(RuleSet { set: None });
        }
        let limit = MAX_COMPILED_SIZE.saturating_mul(rules.len());
        let set = RegexSetBuilder::new(rules.iter().map(|rule| &*rule.pattern))
            .size_limit(limit)
            .dfa_size_limit(limit)
            .build()
            .map_err(|e| BuildError::Regex {
                at: None,
                name: rules
                    .iter()
                    .map(|rule| rule.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                message: format!("the rules do not compile together: {e}"),
            })?;
        Ok(RuleSet { set: Some(set) })
    }

    /// The indices of the rules that match somewhere in `text`.
    pub(crate) fn matching(&self, text: &str) -> impl Iterator<Item = usize> {
        self.set
            .as_ref()
            // Nearly every message matches no rule, and asking whether any
            // matches is cheaper than asking which ones do.
            .filter(|set| set.is_match(text))
            .map(|set| set.matches(text))
            .into_iter()
            .flat_map(|matches| matches.into_iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_set_reports_exactly_the_rules_that_match() {
        let rules = RegexRule::parse_list(
            "rules.txt",
            "links | mask | https?://\\S+\nphone | deny | \\d{3}-\\d{4}\nours | allow | example\\.com\n",
        )
        .unwrap();
        let set = RuleSet::new(&rules).unwrap();
        let matching = |text| set.matching(text).collect::<Vec<_>>();
        assert_eq!(matching("hello there"), Vec::<usize>::new());
        assert_eq!(matching("call 555-1234"), vec![1]);
        assert_eq!(
            matching("see https://example.com or 555-1234"),
            vec![0, 1, 2]
        );
        assert_eq!(RuleSet::new(&[]).unwrap().matching("x").count(), 0);
    }

    #[test]
    fn invalid_and_oversized_patterns_fail_naming_the_rule() {
        let long = "a".repeat(MAX_PATTERN_LEN + 1);
        let err = RegexRule::new("long", Action::Mask, &long).unwrap_err();
        assert_eq!(
            err.to_string(),
            "regex rule 'long': the pattern is 1025 bytes long; the limit is 1024"
        );
        // Small to write, huge to compile.
        let err = RegexRule::new("huge", Action::Mask, r"\w{1000}\w{1000}").unwrap_err();
        assert!(err.to_string().starts_with("regex rule 'huge': "), "{err}");
        assert!(RegexRule::new(" ", Action::Mask, "x").is_err());
    }

    #[test]
    fn list_errors_name_source_line_and_field() {
        let err = RegexRule::parse_list("r", "a | mask | x\n\nb | ban | y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "r:3: unknown action 'ban': expected allow, mask or deny"
        );
        let err = RegexRule::parse_list("r", "a | mask | x\na | deny | y").unwrap_err();
        assert_eq!(err.to_string(), "r:2: rule name 'a' is used twice");
        let err = RegexRule::parse_list("r", "bad | deny | (").unwrap_err();
        assert!(err.message().starts_with("regex rule 'bad': "));
        // A pattern that does not compile is reported at its line too.
        assert_eq!(err.place(), Some(("r", 1)));
        assert!(err.to_string().starts_with("r:1: regex rule 'bad': "));
    }

    #[test]
    fn builtin_rules_compile_alone_as_listed() {
        let lazy = RegexRule::builtin().unwrap();
        let eager = RegexRule::parse_list("default-rules.txt", RegexRule::DEFAULT_LIST).unwrap();
        assert_eq!(lazy.len(), eager.len());
        for (lazy, eager) in lazy.iter().zip(&eager) {
            assert_eq!(lazy.name(), eager.name());
            assert_eq!(lazy.action(), eager.action());
            assert!(lazy.regex.get().is_none(), "{} compiled early", lazy.name());
            assert_eq!(lazy.regex().as_str(), eager.regex().as_str());
        }
        assert!(!never_matching().is_match("any text at all \n"));
        assert!(!never_matching().is_match(""));
    }

    #[test]
    fn patterns_may_contain_the_separator() {
        let rules = RegexRule::parse_list("r", "alt | deny | foo|bar").unwrap();
        assert!(rules[0].regex().is_match("bar"));
        assert_eq!(rules[0].action(), Action::Deny);
    }
}
