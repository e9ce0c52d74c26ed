//! The word-list text format.
//!
//! A list is plain text, one entry a line, so that moderators can keep it in
//! a repository, review changes to it, and load it without code changes:
//!
//! ```text
//! # comments start with '#'; blank lines are ignored
//! fuck*        | severe   | sexual     # prefix: fuck, fucking, fucker
//! *hole        | moderate | insult     # suffix
//! *shit*       | moderate              # anywhere in a word
//! cum laude                            # whole words (the default)
//! ```
//!
//! A `#` that starts a line, or follows a space or tab, starts a comment
//! that runs to the end of the line, so an entry can carry a note. A `#`
//! inside a term (`c#`) is part of the term.
//!
//! A term is whole words unless it carries a Discord-style wildcard: `word*`
//! (prefix), `*word` (suffix) or `*word*` (anywhere). Severity and category are
//! optional fields after `|`. The same format serves allow-lists, whose
//! entries take no severity or category.
//!
//! [`WordList::parse`] checks the syntax only; [`crate::FilterBuilder`]
//! normalises the terms and reports terms that normalise to nothing, with
//! their list and line. [`WordList::parse_all`] does both for every line at
//! once, for tools and configuration that want every problem named.

use std::fmt;
use std::str::FromStr;

use crate::error::{ListError, ListErrorKind};
use crate::lines::content_lines;
use crate::normalize::Normalized;

/// How a term must sit in the text to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Position {
    /// `word`: the term is one or more whole words.
    Whole,
    /// `word*`: the term starts a word (`fuck*` matches "fucking").
    Prefix,
    /// `*word`: the term ends a word (`*hole` matches "asshole").
    Suffix,
    /// `*word*`: the term may sit anywhere, even inside a word.
    Anywhere,
}

impl Position {
    /// Whether a match must start at the beginning of a word.
    pub fn anchored_start(self) -> bool {
        matches!(self, Position::Whole | Position::Prefix)
    }

    /// Whether a match must end at the end of a word.
    pub fn anchored_end(self) -> bool {
        matches!(self, Position::Whole | Position::Suffix)
    }
}

/// How offensive a term is. The [`crate::Policy`] maps it to an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Everyday swearing ("damn", "hell"): allowed by the default policy.
    Mild,
    /// Profanity most rooms would rather not show: masked by default.
    Moderate,
    /// Slurs and the strongest profanity: denied by default.
    Severe,
}

impl Severity {
    /// Every severity, mildest first.
    pub const ALL: [Severity; 3] = [Severity::Mild, Severity::Moderate, Severity::Severe];

    /// The name used in lists and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mild" => Ok(Severity::Mild),
            "moderate" => Ok(Severity::Moderate),
            "severe" => Ok(Severity::Severe),
            other => Err(format!(
                "unknown severity '{other}': expected mild, moderate or severe"
            )),
        }
    }
}

/// One line of a word list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The term as written, without wildcards (`fuck` for `fuck*`).
    pub term: String,
    /// Where the term may match.
    pub position: Position,
    /// The severity, if the line gave one.
    pub severity: Option<Severity>,
    /// The category, if the line gave one (lowercase letters, digits, `-`, `_`).
    pub category: Option<String>,
    /// The 1-based line number the entry came from.
    pub line: usize,
}

impl Entry {
    /// The term written back with its wildcards, as it appeared in the list.
    ///
    /// ```
    /// let list = chat_filter::WordList::parse("example", "*hole | moderate").unwrap();
    /// assert_eq!(list.entries()[0].pattern(), "*hole");
    /// ```
    pub fn pattern(&self) -> String {
        match self.position {
            Position::Whole => self.term.clone(),
            Position::Prefix => format!("{}*", self.term),
            Position::Suffix => format!("*{}", self.term),
            Position::Anywhere => format!("*{}*", self.term),
        }
    }
}

/// A parsed word list: its entries and the name of its source.
///
/// ```
/// use chat_filter::{Position, Severity, WordList};
///
/// let list = WordList::parse("my-list.txt", "# demo\nfrack* | moderate | scifi\n").unwrap();
/// let entry = &list.entries()[0];
/// assert_eq!(entry.term, "frack");
/// assert_eq!(entry.position, Position::Prefix);
/// assert_eq!(entry.severity, Some(Severity::Moderate));
/// assert_eq!(entry.category.as_deref(), Some("scifi"));
/// assert_eq!(entry.line, 2);
///
/// let err = WordList::parse("my-list.txt", "ok\nfr*ck\n").unwrap_err();
/// assert_eq!(err.to_string(), "my-list.txt:2: '*' may only stand at the start or end of a term: 'fr*ck'");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordList {
    source: String,
    entries: Vec<Entry>,
}

impl WordList {
    /// Parses `text`, naming `source` (a file name or variable) in errors.
    ///
    /// Every line is checked; the first error is returned.
    pub fn parse(source: &str, text: &str) -> Result<WordList, ListError> {
        let mut entries = Vec::new();
        for (line, content) in entry_lines(text) {
            let entry = parse_entry(content, line).map_err(|kind| ListError {
                list: source.to_string(),
                line,
                kind,
            })?;
            entries.push(entry);
        }
        Ok(WordList {
            source: source.to_string(),
            entries,
        })
    }

    /// Parses `text` as [`parse`](Self::parse) does, but collects every bad
    /// line instead of stopping at the first, and also reports the terms
    /// that normalise to nothing (which [`FilterBuilder::build`] would
    /// refuse), so a person fixing a list sees every problem in one pass.
    /// Returns the good entries and the problems, in line order.
    ///
    /// ```
    /// let (list, problems) = chat_filter::WordList::parse_all("l.txt", "ok\nbad | loud\n!!!\n");
    /// assert_eq!(list.entries().len(), 1);
    /// assert_eq!(problems.len(), 2);
    /// assert_eq!(
    ///     problems[1].to_string(),
    ///     "l.txt:3: term '!!!' holds no letters or digits once normalised, so it could never match"
    /// );
    /// ```
    ///
    /// [`FilterBuilder::build`]: crate::FilterBuilder::build
    pub fn parse_all(source: &str, text: &str) -> (WordList, Vec<ListError>) {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        let mut scratch = Normalized::default();
        for (line, content) in entry_lines(text) {
            let checked = parse_entry(content, line).and_then(|entry| {
                scratch.normalize(&entry.term);
                if scratch.can_match() {
                    Ok(entry)
                } else {
                    Err(ListErrorKind::NothingToMatch(entry.pattern()))
                }
            });
            match checked {
                Ok(entry) => entries.push(entry),
                Err(kind) => problems.push(ListError {
                    list: source.to_string(),
                    line,
                    kind,
                }),
            }
        }
        let list = WordList {
            source: source.to_string(),
            entries,
        };
        (list, problems)
    }

    /// Where the list came from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The entries, in list order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Checks that no entry carries a severity or category, as an allow-list
    /// must not.
    pub fn check_allow_list(&self) -> Result<(), ListError> {
        match self.allow_list_errors().next() {
            None => Ok(()),
            Some(error) => Err(error),
        }
    }

    /// Every entry that carries a severity or category, which an allow-list
    /// must not, in list order.
    pub fn allow_list_errors(&self) -> impl Iterator<Item = ListError> + '_ {
        self.entries
            .iter()
            .filter(|e| e.severity.is_some() || e.category.is_some())
            .map(|entry| ListError {
                list: self.source.clone(),
                line: entry.line,
                kind: ListErrorKind::AllowWithSeverity(entry.pattern()),
            })
    }
}

/// The lines of a list that hold an entry, with their numbers: the shared
/// line reader's content lines, less their trailing `# notes`.
fn entry_lines(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    content_lines(text).filter_map(|(line, content)| {
        let entry = strip_comment(content).trim();
        (!entry.is_empty()).then_some((line, entry))
    })
}

/// The line without its comment: from a `#` that starts the line or
/// follows whitespace, to the end.
fn strip_comment(line: &str) -> &str {
    let mut previous_is_space = true;
    for (at, c) in line.char_indices() {
        if c == '#' && previous_is_space {
            return &line[..at];
        }
        previous_is_space = c.is_whitespace();
    }
    line
}

fn parse_entry(line: &str, number: usize) -> Result<Entry, ListErrorKind> {
    let mut fields = line.split('|').map(str::trim);
    let raw_term = fields.next().unwrap_or_default();
    let severity = match fields.next() {
        None | Some("") => None,
        Some(text) => Some(text.parse().map_err(ListErrorKind::Severity)?),
    };
    let category = match fields.next() {
        None | Some("") => None,
        Some(text) => {
            let valid = text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !valid {
                return Err(ListErrorKind::Category(text.to_string()));
            }
            Some(text.to_string())
        }
    };
    if let Some(extra) = fields.next() {
        return Err(ListErrorKind::ExtraField(extra.to_string()));
    }

    let (prefix_star, rest) = match raw_term.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, raw_term),
    };
    let (suffix_star, core) = match rest.strip_suffix('*') {
        Some(core) => (true, core),
        None => (false, rest),
    };
    let term = core.split_whitespace().collect::<Vec<_>>().join(" ");
    if term.is_empty() {
        return Err(ListErrorKind::EmptyTerm);
    }
    if term.contains('*') {
        return Err(ListErrorKind::InnerWildcard(raw_term.to_string()));
    }
    if core.starts_with(char::is_whitespace) || core.ends_with(char::is_whitespace) {
        return Err(ListErrorKind::SpaceAtWildcard(raw_term.to_string()));
    }
    let position = match (prefix_star, suffix_star) {
        (false, false) => Position::Whole,
        (false, true) => Position::Prefix,
        (true, false) => Position::Suffix,
        (true, true) => Position::Anywhere,
    };
    Ok(Entry {
        term,
        position,
        severity,
        category,
        line: number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Entry {
        WordList::parse("t", line).unwrap().entries()[0].clone()
    }

    fn error(text: &str) -> String {
        WordList::parse("list.txt", text).unwrap_err().to_string()
    }

    #[test]
    fn every_wildcard_form() {
        assert_eq!(one("cat").position, Position::Whole);
        assert_eq!(one("cat*").position, Position::Prefix);
        assert_eq!(one("*cat").position, Position::Suffix);
        assert_eq!(one("*cat*").position, Position::Anywhere);
        for line in ["cat", "cat*", "*cat", "*cat*"] {
            assert_eq!(one(line).term, "cat");
            assert_eq!(one(line).pattern(), line);
        }
    }

    #[test]
    fn severities_categories_and_defaults() {
        let e = one("  blow   job |Severe| sexual-acts ");
        assert_eq!(e.term, "blow job");
        assert_eq!(e.severity, Some(Severity::Severe));
        assert_eq!(e.category.as_deref(), Some("sexual-acts"));
        assert_eq!(one("x | mild").severity, Some(Severity::Mild));
        assert_eq!(one("x | moderate").severity, Some(Severity::Moderate));
        assert_eq!(one("x").severity, None);
        assert_eq!(one("x | | slur").category.as_deref(), Some("slur"));
        assert_eq!(one("x | | slur").severity, None);
    }

    #[test]
    fn comments_and_blank_lines_are_skipped_and_lines_counted() {
        let list =
            WordList::parse("t", "# a comment\n\n   \nfoo\n  # indented comment\nbar*\n").unwrap();
        let lines: Vec<_> = list
            .entries()
            .iter()
            .map(|e| (e.term.as_str(), e.line))
            .collect();
        assert_eq!(lines, [("foo", 4), ("bar", 6)]);
    }

    #[test]
    fn trailing_comments_are_notes_not_fields() {
        let list = WordList::parse(
            "t",
            "# term | severity | category\n\
             fuck*         | moderate | sexual        # prefix: fuck, fucking\n\
             *hole         | moderate                 # suffix: asshole\n\
             cum laude                                # whole words\n",
        )
        .unwrap();
        let entries: Vec<_> = list
            .entries()
            .iter()
            .map(|e| (e.pattern(), e.severity, e.category.as_deref(), e.line))
            .collect();
        assert_eq!(
            entries[..3],
            [
                (
                    "fuck*".to_string(),
                    Some(Severity::Moderate),
                    Some("sexual"),
                    2
                ),
                ("*hole".to_string(), Some(Severity::Moderate), None, 3),
                ("cum laude".to_string(), None, None, 4),
            ]
        );
        // A '#' inside a field is no comment: the severity is still checked.
        assert_eq!(
            error("c# | mild#x"),
            "list.txt:1: unknown severity 'mild#x': expected mild, moderate or severe"
        );
    }

    /// The example under the README's "Word lists" heading parses as the
    /// README describes it.
    #[test]
    fn the_readme_word_list_example_parses() {
        let readme = include_str!("../../../README.md");
        let section = readme
            .split("### Word lists")
            .nth(1)
            .expect("the README has a Word lists section");
        let example = section
            .split("```text\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("the section opens with a text example");
        let list = WordList::parse("README.md", example).unwrap();
        let patterns: Vec<_> = list.entries().iter().map(Entry::pattern).collect();
        assert_eq!(patterns, ["fuck*", "*hole", "*shit*", "cum laude"]);
        assert_eq!(list.entries()[2].category.as_deref(), Some("bodily"));
    }

    #[test]
    fn errors_name_the_source_and_line() {
        assert_eq!(
            error("a\nb | loud"),
            "list.txt:2: unknown severity 'loud': expected mild, moderate or severe"
        );
        assert_eq!(error("ok\n\n*"), "list.txt:3: the term is empty");
        assert_eq!(error("**"), "list.txt:1: the term is empty");
        assert_eq!(
            error("x | mild | Bad Cat"),
            "list.txt:1: category 'Bad Cat' may hold only lowercase letters, digits, '-' and '_'"
        );
        assert_eq!(
            error("x | mild | cat | more"),
            "list.txt:1: unexpected field 'more': an entry is 'term | severity | category'"
        );
        assert_eq!(
            error("a**b"),
            "list.txt:1: '*' may only stand at the start or end of a term: 'a**b'"
        );
        assert_eq!(
            error("* cat"),
            "list.txt:1: a wildcard must touch the term, without a space: '* cat'"
        );
    }

    #[test]
    fn allow_lists_take_no_severity() {
        let list = WordList::parse("allow.txt", "ok\nscunthorpe | mild").unwrap();
        assert_eq!(
            list.check_allow_list().unwrap_err().to_string(),
            "allow.txt:2: allow-list entry 'scunthorpe' takes no severity or category"
        );
        assert!(WordList::parse("a", "x*\n*y")
            .unwrap()
            .check_allow_list()
            .is_ok());
    }
}
