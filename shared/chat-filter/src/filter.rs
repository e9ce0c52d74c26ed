//! The filter: lists, rules and policy built once, then a verdict per message.
//!
//! [`FilterBuilder`] does all the expensive work (parsing, normalising
//! terms, building the automaton, compiling rules) so that
//! [`Filter::review`] is a normalisation pass, one automaton pass, one pass
//! per regex rule, and an allocation only when something matched.

use std::cell::RefCell;
use std::ops::Range;

use crate::builtins;
use crate::error::BuildError;
use crate::list::{Severity, WordList};
use crate::matcher::{NormalizedTerm, TermHit, TermMatcher, TermSpec};
use crate::normalize::Normalized;
use crate::policy::{Action, Policy};
use crate::rules::{RegexRule, RuleSet};

/// The block list built into the filter, derived from Surge AI's profanity
/// list (MIT) and curated for chat.
pub const DEFAULT_BLOCK_LIST: &str = include_str!("../lists/default-block.txt");
/// The allow-list built into the filter: innocent words that contain or
/// resemble a blocked term.
pub const DEFAULT_ALLOW_LIST: &str = include_str!("../lists/default-allow.txt");

/// The character that replaces masked characters unless configured.
pub const DEFAULT_MASK: char = '*';

/// The most code points a message may hold in IVS Chat; masking never makes
/// a message longer than it was, so never longer than this.
pub const MAX_MESSAGE_CHARS: usize = 500;

/// Collects the lists, rules and policy of a [`Filter`].
///
/// ```
/// use chat_filter::{Action, FilterBuilder, WordList};
///
/// let filter = FilterBuilder::new()
///     .default_lists(false)
///     .block_list(WordList::parse("custom", "frack* | moderate").unwrap())
///     .build()
///     .unwrap();
/// let verdict = filter.review("what the frack");
/// assert_eq!(verdict.action, Action::Mask);
/// assert_eq!(verdict.masked.as_deref(), Some("what the *****"));
/// ```
#[derive(Debug, Clone)]
pub struct FilterBuilder {
    default_lists: bool,
    /// Whether the built-in rules are used; `None` follows `default_lists`.
    default_rules: Option<bool>,
    block_lists: Vec<WordList>,
    allow_lists: Vec<WordList>,
    rules: Vec<RegexRule>,
    policy: Policy,
    default_severity: Severity,
    mask: char,
}

impl Default for FilterBuilder {
    fn default() -> Self {
        FilterBuilder {
            default_lists: true,
            default_rules: None,
            block_lists: Vec::new(),
            allow_lists: Vec::new(),
            rules: Vec::new(),
            policy: Policy::default(),
            default_severity: Severity::Severe,
            mask: DEFAULT_MASK,
        }
    }
}

impl FilterBuilder {
    /// A builder with the default lists on, the default policy and `*` masks.
    pub fn new() -> FilterBuilder {
        FilterBuilder::default()
    }

    /// Whether the built-in block and allow lists, and unless
    /// [`default_rules`](Self::default_rules) says otherwise the built-in
    /// regex rules, are used (default: yes).
    pub fn default_lists(mut self, on: bool) -> Self {
        self.default_lists = on;
        self
    }

    /// Whether the built-in regex rules ([`RegexRule::DEFAULT_LIST`]: ASCII
    /// art, emoji pairs and hate symbols) are used, apart
    /// from the default lists (default: whatever
    /// [`default_lists`](Self::default_lists) says).
    ///
    /// ```
    /// use chat_filter::{Action, FilterBuilder};
    ///
    /// let lists_only = FilterBuilder::new().default_rules(false).build().unwrap();
    /// assert_eq!(lists_only.review("8====D").action, Action::Allow);
    /// assert_ne!(lists_only.review("fuck").action, Action::Allow);
    ///
    /// let rules_only = FilterBuilder::new()
    ///     .default_lists(false)
    ///     .default_rules(true)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(rules_only.review("8====D").action, Action::Mask);
    /// assert_eq!(rules_only.review("fuck").action, Action::Allow);
    /// ```
    pub fn default_rules(mut self, on: bool) -> Self {
        self.default_rules = Some(on);
        self
    }

    /// Adds a block list.
    pub fn block_list(mut self, list: WordList) -> Self {
        self.block_lists.push(list);
        self
    }

    /// Adds an allow-list: its terms cancel every block match they overlap.
    pub fn allow_list(mut self, list: WordList) -> Self {
        self.allow_lists.push(list);
        self
    }

    /// Adds a regex rule.
    pub fn rule(mut self, rule: RegexRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Sets the action for each severity.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Sets the severity of block-list entries that give none (default:
    /// severe, so a term someone took the trouble to list is acted on).
    pub fn default_severity(mut self, severity: Severity) -> Self {
        self.default_severity = severity;
        self
    }

    /// Sets the character that replaces masked characters.
    pub fn mask(mut self, mask: char) -> Self {
        self.mask = mask;
        self
    }

    /// Whether the built-in lists will be used.
    pub fn uses_default_lists(&self) -> bool {
        self.default_lists
    }

    /// Whether the built-in regex rules will be used: as set by
    /// [`default_rules`](Self::default_rules), or else as the default lists.
    pub fn uses_default_rules(&self) -> bool {
        self.default_rules.unwrap_or(self.default_lists)
    }

    /// The block lists added so far (the built-in one is added by `build`).
    pub fn block_lists(&self) -> &[WordList] {
        &self.block_lists
    }

    /// The allow-lists added so far (the built-in one is added by `build`).
    pub fn allow_lists(&self) -> &[WordList] {
        &self.allow_lists
    }

    /// The regex rules added so far (the built-in ones are added by `build`).
    pub fn rules(&self) -> &[RegexRule] {
        &self.rules
    }

    /// The policy the filter will have.
    pub fn configured_policy(&self) -> Policy {
        self.policy
    }

    /// The severity of block-list entries that give none.
    pub fn configured_default_severity(&self) -> Severity {
        self.default_severity
    }

    /// The mask character the filter will use.
    pub fn configured_mask(&self) -> char {
        self.mask
    }

    /// Builds the filter, failing on the first bad list line or rule.
    pub fn build(self) -> Result<Filter, BuildError> {
        let default_rules = if self.uses_default_rules() {
            Some(builtins::default_rules()?)
        } else {
            None
        };
        let defaults = if self.default_lists {
            Some(builtins::default_lists()?)
        } else {
            None
        };
        for list in &self.allow_lists {
            list.check_allow_list()?;
        }
        // The built-in lists come normalised; the builder's own are
        // normalised by the matcher.
        let no_terms: &[Option<NormalizedTerm>] = &[];
        let listed = |list| (list, no_terms);
        let block_lists = defaults
            .map(|d| (&d.block, &d.block_terms[..]))
            .into_iter()
            .chain(self.block_lists.iter().map(listed));
        let allow_lists = defaults
            .map(|d| (&d.allow, &d.allow_terms[..]))
            .into_iter()
            .chain(self.allow_lists.iter().map(listed));
        let mut specs = Vec::new();
        for ((list, normalized), allow) in block_lists
            .map(|list| (list, false))
            .chain(allow_lists.map(|list| (list, true)))
        {
            for (at, entry) in list.entries().iter().enumerate() {
                specs.push(TermSpec {
                    entry,
                    source: list.source(),
                    severity: entry.severity.unwrap_or(self.default_severity),
                    allow,
                    normalized: normalized.get(at).and_then(Option::as_ref),
                });
            }
        }
        let matcher = TermMatcher::build(&specs)?;
        let (rules, any_rule) = match default_rules {
            // The built-in rules alone: their compiled set is shared.
            Some(builtin) if self.rules.is_empty() => (builtin.rules.clone(), builtin.set.clone()),
            _ => {
                let mut rules = default_rules.map(|b| b.rules.clone()).unwrap_or_default();
                rules.extend(self.rules);
                let any_rule = RuleSet::new(&rules)?;
                (rules, any_rule)
            }
        };
        Ok(Filter {
            matcher,
            rules,
            any_rule,
            policy: self.policy,
            mask: self.mask,
        })
    }
}

/// A built filter. Cheap to share; [`review`](Filter::review) takes `&self`.
#[derive(Debug, Clone)]
pub struct Filter {
    matcher: TermMatcher,
    rules: Vec<RegexRule>,
    any_rule: RuleSet,
    policy: Policy,
    mask: char,
}

/// The size of a built [`Filter`], for tools that report on the lists and
/// for the start-up and memory figures ([`Filter::stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FilterStats {
    /// List terms, block and allow, as listed (one per list line).
    pub terms: usize,
    /// Distinct spellings in the Aho-Corasick automaton: terms that differ
    /// only in folded letters (`i` against `l`, `s` against `z`), or are
    /// listed twice, share one; a term with an `f` has a second, written
    /// `ph`.
    pub spellings: usize,
    /// Terms of four or more letters that self-censored words (`f*ck`) are
    /// compared with.
    pub censorable_terms: usize,
    /// Skeletons (terms without their inner vowels, `bstrd`) read in words
    /// written without vowels.
    pub skeletons: usize,
}

/// What matched: a word-list term or a regex rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule<'f> {
    /// A block-list term, as written in its list (`fuck*`).
    Term {
        /// The term with its wildcards.
        pattern: &'f str,
        /// The list it came from.
        source: &'f str,
        /// Its line there.
        line: usize,
    },
    /// A regex rule, by name.
    Regex(&'f str),
}

impl Rule<'_> {
    /// The term's pattern or the rule's name.
    pub fn name(&self) -> &str {
        match self {
            Rule::Term { pattern, .. } => pattern,
            Rule::Regex(name) => name,
        }
    }
}

/// One match that counted towards a verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<'f> {
    /// What matched.
    pub rule: Rule<'f>,
    /// The term's category, if its list gave one.
    pub category: Option<&'f str>,
    /// The term's severity (`None` for regex rules).
    pub severity: Option<Severity>,
    /// The action this match calls for.
    pub action: Action,
    /// Whether the term was written in disguise: with a character its list
    /// entry does not have, such as a look-alike letter, a digit, a
    /// separator or a censor mark (`һell`, `he11`, `h.e.l.l`, `cr*p`).
    /// Worked out for every severity (`chatmod review --explain` prints
    /// it); only a mild term's action depends on it (see
    /// [`Policy::disguised_mild`]). `false` for regex rules.
    pub disguised: bool,
    /// Byte span in the original message.
    pub span: Range<usize>,
}

/// The decision on one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<'f> {
    /// The strongest action any match calls for ([`Action::Allow`] if none).
    pub action: Action,
    /// Every match that was not cancelled by an allow-list term or rule.
    pub matches: Vec<Match<'f>>,
    /// The message with masked matches replaced, when the action is
    /// [`Action::Mask`].
    pub masked: Option<String>,
}

impl Verdict<'_> {
    /// The distinct names of the terms and rules that matched, in order.
    pub fn rule_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for m in &self.matches {
            if !names.contains(&m.rule.name()) {
                names.push(m.rule.name());
            }
        }
        names
    }
}

thread_local! {
    static SCRATCH: RefCell<Normalized> = RefCell::new(Normalized::default());
}

impl Filter {
    /// The filter with the default lists and policy.
    pub fn with_defaults() -> Result<Filter, BuildError> {
        FilterBuilder::new().build()
    }

    /// The policy in force.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// What the filter was built into: its terms, automaton spellings,
    /// censorable terms and skeletons.
    ///
    /// ```
    /// let stats = chat_filter::Filter::with_defaults().unwrap().stats();
    /// assert!(stats.spellings > 0 && stats.spellings <= 2 * stats.terms);
    /// assert!(stats.censorable_terms <= stats.terms);
    /// assert!(stats.skeletons <= stats.terms);
    /// ```
    pub fn stats(&self) -> FilterStats {
        FilterStats {
            terms: self.matcher.terms().len(),
            spellings: self.matcher.spelling_count(),
            censorable_terms: self.matcher.censorable_term_count(),
            skeletons: self.matcher.skeleton_count(),
        }
    }

    /// Reviews one message.
    ///
    /// ```
    /// use chat_filter::{Action, Filter};
    ///
    /// let filter = Filter::with_defaults().unwrap();
    /// assert_eq!(filter.review("I live in Scunthorpe").action, Action::Allow);
    /// let verdict = filter.review("oh f.u.c.k");
    /// assert_ne!(verdict.action, Action::Allow);
    /// assert_eq!(verdict.matches[0].span, 3..10);
    /// ```
    pub fn review<'f>(&'f self, text: &str) -> Verdict<'f> {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut normalized) => self.review_with(&mut normalized, text),
            // Only reachable if review re-enters itself on this thread.
            Err(_) => self.review_with(&mut Normalized::default(), text),
        })
    }

    /// Reviews one message using `scratch` for the normalised copy.
    pub fn review_with<'f>(&'f self, scratch: &mut Normalized, text: &str) -> Verdict<'f> {
        scratch.normalize_masked(text, self.mask);
        let mut blocks: Vec<TermHit> = Vec::new();
        let mut allowed: Vec<Range<usize>> = Vec::new();
        let terms = self.matcher.terms();
        self.matcher.find(scratch, |hit| {
            if terms[hit.term].allow {
                allowed.push(hit.range);
            } else {
                blocks.push(hit);
            }
        });

        let mut matches = Vec::new();
        let mut allowed_spans: Vec<Range<usize>> = Vec::new();
        for index in self.any_rule.matching(text) {
            let rule = &self.rules[index];
            for m in rule.regex().find_iter(text) {
                if m.is_empty() {
                    continue;
                }
                if rule.action() == Action::Allow {
                    allowed_spans.push(m.range());
                } else {
                    matches.push(Match {
                        rule: Rule::Regex(rule.name()),
                        category: None,
                        severity: None,
                        action: rule.action(),
                        disguised: false,
                        span: m.range(),
                    });
                }
            }
        }
        for hit in blocks {
            if allowed.iter().any(|a| overlaps(a, &hit.range)) {
                continue;
            }
            let span = scratch.original_span(hit.words.clone());
            if allowed_spans.iter().any(|a| overlaps(a, &span)) {
                continue;
            }
            let term = &terms[hit.term];
            let duplicate = matches.iter().any(|m: &Match<'_>| {
                m.span == span
                    && matches!(m.rule, Rule::Term { pattern, .. } if pattern == term.pattern)
            });
            if duplicate {
                continue;
            }
            let disguised = is_disguised(&text[scratch.original_span(hit.range)], &term.pattern);
            matches.push(Match {
                rule: Rule::Term {
                    pattern: &term.pattern,
                    source: &term.source,
                    line: term.line,
                },
                category: term.category.as_deref(),
                severity: Some(term.severity),
                action: self.policy.action_for(term.severity, disguised),
                disguised,
                span,
            });
        }
        matches.sort_by_key(|m| (m.span.start, m.span.end));

        let action = matches
            .iter()
            .map(|m| m.action)
            .max()
            .unwrap_or(Action::Allow);
        let masked = (action == Action::Mask).then(|| {
            let spans = matches
                .iter()
                .filter(|m| m.action == Action::Mask)
                .map(|m| m.span.clone());
            mask(text, spans, self.mask)
        });
        Verdict {
            action,
            matches,
            masked,
        }
    }
}

/// Whether `written`, the text a term matched, has a character that its
/// list entry `pattern` does not (ignoring case): a look-alike letter, a
/// digit, a separator, a censor mark, or a letter read as another (`heII`).
/// Repeated letters are not a disguise ("heeell" is emphasis), and a term
/// listed in another script is not disguised by being written in it.
fn is_disguised(written: &str, pattern: &str) -> bool {
    // A term of several words ("god-dam", "what the hell") may be written
    // with any usual word break between them.
    let spans_words = pattern.contains([' ', '-']);
    written.chars().flat_map(char::to_lowercase).any(|c| {
        let word_break = c == '-' || c.is_whitespace();
        let listed = c != '*' && pattern.chars().flat_map(char::to_lowercase).any(|p| p == c);
        !(listed || (word_break && spans_words))
    })
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Replaces every non-whitespace character inside `spans` with `mask`,
/// keeping everything else byte for byte. The result has exactly as many
/// characters as `text`, so masking never lengthens a message.
///
/// ```
/// assert_eq!(chat_filter::mask("née fuck", [5..9], '#'), "née ####");
/// assert_eq!(chat_filter::mask("f u c k!", [0..7], '•'), "• • • •!");
/// ```
pub fn mask(text: &str, spans: impl IntoIterator<Item = Range<usize>>, mask: char) -> String {
    let mut spans: Vec<Range<usize>> = spans.into_iter().collect();
    spans.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len());
    let mut next = spans.iter().peekable();
    let mut current: Option<&Range<usize>> = None;
    for (offset, c) in text.char_indices() {
        while current.is_none_or(|s| s.end <= offset) {
            match next.peek() {
                Some(s) if s.start <= offset => current = next.next(),
                _ => {
                    if current.is_some_and(|s| s.end <= offset) {
                        current = None;
                    }
                    break;
                }
            }
        }
        let inside = current.is_some_and(|s| s.start <= offset && offset < s.end);
        if inside && !c.is_whitespace() {
            out.push(mask);
        } else {
            out.push(c);
        }
    }
    out
}
