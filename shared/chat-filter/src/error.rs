//! Errors raised while building a filter.
//!
//! Every error names what was wrong and where: the list and line, the rule,
//! the setting. A filter that fails to build is a configuration problem to be
//! fixed before traffic arrives, so these errors are meant to be read by the
//! person deploying, and they say what to change.

use std::fmt;

use thiserror::Error;

/// A line of a list: where an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLine {
    /// The list's name: its file, or the variable it came from.
    pub list: String,
    /// The 1-based line number.
    pub line: usize,
}

impl fmt::Display for ListLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.list, self.line)
    }
}

/// A word list that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{list}:{line}: {kind}")]
pub struct ListError {
    /// The list's name: its file, or the variable it came from.
    pub list: String,
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong with that line.
    pub kind: ListErrorKind,
}

/// What is wrong with a word-list line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ListErrorKind {
    /// A severity that is not mild, moderate or severe.
    #[error("{0}")]
    Severity(String),
    /// A category with characters outside `[a-z0-9_-]`.
    #[error("category '{0}' may hold only lowercase letters, digits, '-' and '_'")]
    Category(String),
    /// More than three `|`-separated fields.
    #[error("unexpected field '{0}': an entry is 'term | severity | category'")]
    ExtraField(String),
    /// Nothing left once wildcards are removed.
    #[error("the term is empty")]
    EmptyTerm,
    /// A `*` inside the term.
    #[error("'*' may only stand at the start or end of a term: '{0}'")]
    InnerWildcard(String),
    /// `* cat` or `cat *`.
    #[error("a wildcard must touch the term, without a space: '{0}'")]
    SpaceAtWildcard(String),
    /// An allow-list entry with a severity or category.
    #[error("allow-list entry '{0}' takes no severity or category")]
    AllowWithSeverity(String),
    /// A term that holds no letters or digits once normalised.
    #[error("term '{0}' holds no letters or digits once normalised, so it could never match")]
    NothingToMatch(String),
}

/// A filter that could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BuildError {
    /// A word list or allow-list with a bad line.
    #[error(transparent)]
    List(#[from] ListError),
    /// A regex rule that is malformed or too large.
    #[error("{}regex rule '{name}': {message}", at.as_ref().map(|at| format!("{at}: ")).unwrap_or_default())]
    Regex {
        /// The rule list line it came from, when it came from a list.
        at: Option<ListLine>,
        /// The rule's name.
        name: String,
        /// What the regex compiler said.
        message: String,
    },
    /// A regex rule line that is not `name | action | pattern`.
    #[error("{list}:{line}: {message}")]
    RuleSyntax {
        /// The rule list's name: its file, or the variable it came from.
        list: String,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A policy string that could not be read.
    #[error("policy: {0}")]
    Policy(String),
    /// The automaton could not be built (far too many patterns).
    #[error("building the matcher failed: {0}")]
    Automaton(String),
}

impl BuildError {
    /// The list and line at fault, when one line explains the error.
    pub fn place(&self) -> Option<(&str, usize)> {
        match self {
            BuildError::List(error) => Some((&error.list, error.line)),
            BuildError::RuleSyntax { list, line, .. } => Some((list, *line)),
            BuildError::Regex { at: Some(at), .. } => Some((&at.list, at.line)),
            _ => None,
        }
    }

    /// What is wrong, without the [`place`](Self::place): for tools that
    /// print the place their own way.
    ///
    /// ```
    /// let err = chat_filter::RegexRule::parse_list("r.txt", "a | mask | (").unwrap_err();
    /// assert_eq!(err.place(), Some(("r.txt", 1)));
    /// assert!(err.to_string().starts_with("r.txt:1: regex rule 'a': "));
    /// assert!(err.message().starts_with("regex rule 'a': "));
    /// ```
    pub fn message(&self) -> String {
        match self {
            BuildError::List(error) => error.kind.to_string(),
            BuildError::RuleSyntax { message, .. } => message.clone(),
            BuildError::Regex { name, message, .. } => format!("regex rule '{name}': {message}"),
            error => error.to_string(),
        }
    }
}
