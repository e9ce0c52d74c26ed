//! The review handler's configuration, read from environment variables.
//!
//! Everything is read, parsed and checked once, at init, so that a mistake in
//! a word list or a setting stops the function from starting (with a message
//! naming the variable, and the file and line where a list is at fault)
//! instead of surfacing as failed reviews under traffic, which IVS Chat would
//! silently answer with the room's fallback result.
//!
//! Parsing never touches the process environment directly: [`Config::from_lookup`]
//! takes any `name -> value` function, so tests and tools can configure the
//! handler from a map; [`Config::from_env`] is the same over `std::env`.
//!
//! A variable set to an empty or blank value is the same as one not set: the
//! template passes every parameter (empty by default), and so does
//! `sam local`.
//!
//! | Variable | Default | Meaning |
//! |---|---|---|
//! | `REVIEW_WORD_LISTS` | none | Comma-separated paths of block-list files in the chat-filter word-list format (`term \| severity \| category` a line). Relative paths are relative to the working directory (`/var/task` on Lambda). |
//! | `REVIEW_BLOCK_TERMS` | none | Inline block list: entries in the same syntax, separated by newlines or `;`. Errors give the entry number as the line (`REVIEW_BLOCK_TERMS:2: ...`). |
//! | `REVIEW_ALLOW_LISTS` | none | Comma-separated paths of allow-list files: terms that cancel the block matches they overlap (no severity or category). |
//! | `REVIEW_ALLOW_TERMS` | none | Inline allow-list, entries separated by newlines or `;`. |
//! | `REVIEW_DEFAULT_LISTS` | `true` | Whether the built-in block and allow lists are used (a boolean: see below). |
//! | `REVIEW_DEFAULT_RULES` | the value of `REVIEW_DEFAULT_LISTS` | Whether the built-in regex rules (ASCII art, sexual emoji pairs, hate symbols) are used. Same values as `REVIEW_DEFAULT_LISTS`. |
//! | `REVIEW_REGEX_RULES` | none | Inline regex rules, one `name \| action \| pattern` a line (newlines only: patterns may contain `;`). Actions: `mask`, `deny`, or `allow` (cancels the word-list matches it overlaps). Rules see the original text; use `(?i)` for case-insensitivity. |
//! | `REVIEW_REGEX_RULES_FILE` | none | Path of a regex rule file in the same format. |
//! | `REVIEW_POLICY` | `mild=allow,moderate=mask,severe=deny,disguised-mild=mask` | The action for each severity, and (`disguised-mild`) for mild words written in disguise; keys left out keep their default. |
//! | `REVIEW_DEFAULT_SEVERITY` | `severe` | Severity of list entries that give none: `mild`, `moderate` or `severe`. |
//! | `REVIEW_DENY_REASON` | `Message blocked by the room's moderation rules` | `Attributes.Reason` of a DENY, shown to the sender. Blank is the default; at most 1018 bytes (the response attributes' 1 KB limit). |
//! | `REVIEW_MASK_CHAR` | `*` | The character that replaces masked characters: exactly one character, not whitespace or a control character. |
//! | `REVIEW_LOG_CONTENT` | `false` | Whether the log line written for each DENY or masked message includes the message text. Same values as `REVIEW_DEFAULT_LISTS`. |
//! | `REVIEW_STRIKE_WEIGHTS` | `mask=1,deny=1` | Strikes each action is worth in the decision record (0..=10); see [`crate::decision_record`]. |
//! | `REVIEW_EXEMPT_SENDERS` | none | Senders not reviewed, by token attribute: `role=moderator\|broadcaster`; see [`crate::senders`]. |
//! | `REVIEW_STRICT_SENDERS` | none | Senders judged by `REVIEW_STRICT_POLICY`, by token attribute: `account=new`. |
//! | `REVIEW_STRICT_POLICY` | none (required with `REVIEW_STRICT_SENDERS`) | The stricter policy, in `REVIEW_POLICY`'s syntax; each severity gets the stricter of the two. |
//!
//! Unset and empty list variables mean "no list". A boolean, severity or mask
//! variable that is set must hold a valid value, even an empty one: a typo
//! must not silently fall back to the default. Booleans are read as every
//! function reads them ([`ivs_chat::env::parse_boolean`]: `true`/`false`,
//! `1`/`0`, `yes`/`no`, `on`/`off`).
//!
//! The lists, rules and settings of the filter go straight into a
//! [`FilterBuilder`], which holds them until [`Config::build_filter`]; lists
//! are read with [`WordList::parse_all`] and rules with
//! [`RegexRule::parse_list`], whose errors carry their list and line, so an
//! error names the variable, the file and the line without this module
//! reading a list itself.

use std::path::Path;

use chat_filter::{BuildError, Filter, FilterBuilder, RegexRule, WordList};
use ivs_chat::env::parse_boolean;
use ivs_chat::limits::RESPONSE_ATTRIBUTES_MAX_BYTES;
use ivs_chat::review::REASON_ATTRIBUTE;
use thiserror::Error;

/// Comma-separated paths of block-list files.
pub const WORD_LISTS: &str = "REVIEW_WORD_LISTS";
/// Inline block list, entries separated by newlines or `;`.
pub const BLOCK_TERMS: &str = "REVIEW_BLOCK_TERMS";
/// Comma-separated paths of allow-list files.
pub const ALLOW_LISTS: &str = "REVIEW_ALLOW_LISTS";
/// Inline allow-list, entries separated by newlines or `;`.
pub const ALLOW_TERMS: &str = "REVIEW_ALLOW_TERMS";
/// Whether the built-in lists are used.
pub const DEFAULT_LISTS: &str = "REVIEW_DEFAULT_LISTS";
/// Whether the built-in regex rules are used (default: as the lists).
pub const DEFAULT_RULES: &str = "REVIEW_DEFAULT_RULES";
/// Inline regex rules, one `name | action | pattern` a line.
pub const REGEX_RULES: &str = "REVIEW_REGEX_RULES";
/// Path of a regex rule file.
pub const REGEX_RULES_FILE: &str = "REVIEW_REGEX_RULES_FILE";
/// The action for each severity.
pub const POLICY: &str = "REVIEW_POLICY";
/// Severity of list entries that give none.
pub const DEFAULT_SEVERITY: &str = "REVIEW_DEFAULT_SEVERITY";
/// The reason sent with a DENY.
pub const DENY_REASON: &str = "REVIEW_DENY_REASON";
/// The mask character.
pub const MASK_CHAR: &str = "REVIEW_MASK_CHAR";
/// Whether log lines include the message text.
pub const LOG_CONTENT: &str = "REVIEW_LOG_CONTENT";

/// Every variable the handler reads, in the order of the table above.
pub const VARIABLES: [&str; 17] = [
    WORD_LISTS,
    BLOCK_TERMS,
    ALLOW_LISTS,
    ALLOW_TERMS,
    DEFAULT_LISTS,
    DEFAULT_RULES,
    REGEX_RULES,
    REGEX_RULES_FILE,
    POLICY,
    DEFAULT_SEVERITY,
    DENY_REASON,
    MASK_CHAR,
    LOG_CONTENT,
    crate::decision_record::STRIKE_WEIGHTS,
    crate::senders::EXEMPT_SENDERS,
    crate::senders::STRICT_SENDERS,
    crate::senders::STRICT_POLICY,
];

/// The variables that contribute lists and rules, named together when the
/// filter fails to build for a reason no single line explains.
const LIST_VARIABLES: [&str; 8] = [
    WORD_LISTS,
    BLOCK_TERMS,
    ALLOW_LISTS,
    ALLOW_TERMS,
    DEFAULT_LISTS,
    DEFAULT_RULES,
    REGEX_RULES,
    REGEX_RULES_FILE,
];

/// The reason sent with a DENY unless `REVIEW_DENY_REASON` says otherwise.
pub const DEFAULT_DENY_REASON: &str = "Message blocked by the room's moderation rules";

/// The longest deny reason that fits the response attributes' size limit
/// beside its `Reason` key.
pub const MAX_DENY_REASON_BYTES: usize = RESPONSE_ATTRIBUTES_MAX_BYTES - REASON_ATTRIBUTE.len();

/// A configuration the handler cannot start with.
///
/// Every variant names the variable at fault; list and rule errors also name
/// the file (or the variable, for inline lists) and the line.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// A setting that does not parse (boolean, policy, severity, mask, reason).
    #[error("{variable}: {message}")]
    Invalid {
        /// The variable at fault.
        variable: &'static str,
        /// What is wrong and what is expected.
        message: String,
    },
    /// A list or rule file that could not be read.
    #[error("{variable}: cannot read '{path}': {error}")]
    Unreadable {
        /// The variable that named the file.
        variable: &'static str,
        /// The path as given.
        path: String,
        /// What the operating system said.
        error: std::io::Error,
    },
    /// A bad line in a word list, allow-list or rule list.
    #[error("{}", located(.variable, .list, .line, .message))]
    Line {
        /// The variable the list came from.
        variable: &'static str,
        /// The list's name: its path, or the variable for inline lists.
        list: String,
        /// The 1-based line (entry number for inline lists), when known.
        line: Option<usize>,
        /// What is wrong with it.
        message: String,
    },
    /// The filter could not be built for a reason no single line explains.
    #[error("{variables}: {error}")]
    Build {
        /// The variables whose lists went into the filter.
        variables: String,
        /// What the filter builder said.
        error: BuildError,
    },
}

/// Formats `VARIABLE: list:line: message`, leaving out the variable when the
/// list is named after it (inline lists), so it is not said twice.
fn located(variable: &str, list: &str, line: &Option<usize>, message: &str) -> String {
    let prefix = if list == variable {
        String::new()
    } else {
        format!("{variable}: ")
    };
    match line {
        Some(line) => format!("{prefix}{list}:{line}: {message}"),
        None => format!("{prefix}{list}: {message}"),
    }
}

/// The handler's settings and the lists and rules it filters with.
#[derive(Debug, Clone)]
pub struct Config {
    /// The filter to build: the lists and rules of `REVIEW_WORD_LISTS`,
    /// `REVIEW_BLOCK_TERMS`, `REVIEW_ALLOW_LISTS`, `REVIEW_ALLOW_TERMS`,
    /// `REVIEW_REGEX_RULES` and `REVIEW_REGEX_RULES_FILE`, and the settings
    /// of `REVIEW_DEFAULT_LISTS`, `REVIEW_DEFAULT_RULES`, `REVIEW_POLICY`,
    /// `REVIEW_DEFAULT_SEVERITY` and `REVIEW_MASK_CHAR`.
    pub filter: FilterBuilder,
    /// `Attributes.Reason` of a DENY (`REVIEW_DENY_REASON`).
    pub deny_reason: String,
    /// Whether log lines include the message text (`REVIEW_LOG_CONTENT`).
    pub log_content: bool,
    /// Strikes per action in the decision record (`REVIEW_STRIKE_WEIGHTS`).
    pub strike_weights: crate::decision_record::StrikeWeights,
    /// Exempt and strictly reviewed senders (`REVIEW_EXEMPT_SENDERS`,
    /// `REVIEW_STRICT_SENDERS`, `REVIEW_STRICT_POLICY`).
    pub senders: crate::senders::Senders,
}

impl Default for Config {
    /// The configuration with no variable set: built-in lists, default
    /// policy, `*` masks.
    fn default() -> Self {
        Config {
            filter: FilterBuilder::new(),
            deny_reason: DEFAULT_DENY_REASON.to_string(),
            log_content: false,
            strike_weights: Default::default(),
            senders: Default::default(),
        }
    }
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, which returns a variable's
    /// value or `None` when it is unset.
    ///
    /// ```
    /// use message_review::config::Config;
    ///
    /// let config = Config::from_lookup(|name| match name {
    ///     "REVIEW_BLOCK_TERMS" => Some("frack* | moderate; gorram".to_string()),
    ///     "REVIEW_MASK_CHAR" => Some("#".to_string()),
    ///     _ => None,
    /// })
    /// .unwrap();
    /// assert_eq!(config.filter.configured_mask(), '#');
    /// assert_eq!(config.filter.block_lists()[0].entries().len(), 2);
    ///
    /// let err = Config::from_lookup(|name| {
    ///     (name == "REVIEW_BLOCK_TERMS").then(|| "ok; bad | loud".to_string())
    /// })
    /// .unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "REVIEW_BLOCK_TERMS:2: unknown severity 'loud': expected mild, moderate or severe"
    /// );
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        // The template passes every parameter, empty by default, and `sam
        // local` passes what it cannot resolve as empty: blank is unset.
        let lookup = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut config = Config {
            strike_weights: crate::decision_record::StrikeWeights::from_lookup(&lookup)?,
            senders: crate::senders::Senders::from_lookup(&lookup)?,
            ..Config::default()
        };
        let mut filter = FilterBuilder::new();

        if let Some(value) = lookup(DEFAULT_RULES) {
            filter = filter.default_rules(parse_bool(DEFAULT_RULES, &value)?);
        }
        if let Some(value) = lookup(DEFAULT_LISTS) {
            filter = filter.default_lists(parse_bool(DEFAULT_LISTS, &value)?);
        }
        if let Some(value) = lookup(LOG_CONTENT) {
            config.log_content = parse_bool(LOG_CONTENT, &value)?;
        }
        if let Some(value) = lookup(POLICY) {
            filter = filter.policy(value.parse().map_err(|message| invalid(POLICY, message))?);
        }
        if let Some(value) = lookup(DEFAULT_SEVERITY) {
            filter = filter.default_severity(
                value
                    .parse()
                    .map_err(|message| invalid(DEFAULT_SEVERITY, message))?,
            );
        }
        if let Some(value) = lookup(DENY_REASON) {
            config.deny_reason = parse_deny_reason(&value)?;
        }
        if let Some(value) = lookup(MASK_CHAR) {
            filter = filter.mask(parse_mask_char(&value)?);
        }

        for (path, text) in read_files(WORD_LISTS, lookup(WORD_LISTS))? {
            filter = filter.block_list(parse_list(WORD_LISTS, &path, &text)?);
        }
        if let Some(value) = lookup(BLOCK_TERMS) {
            let list = parse_list(BLOCK_TERMS, BLOCK_TERMS, &inline_entries(&value))?;
            filter = filter.block_list(list);
        }
        for (path, text) in read_files(ALLOW_LISTS, lookup(ALLOW_LISTS))? {
            filter = filter.allow_list(parse_allow_list(ALLOW_LISTS, &path, &text)?);
        }
        if let Some(value) = lookup(ALLOW_TERMS) {
            let list = parse_allow_list(ALLOW_TERMS, ALLOW_TERMS, &inline_entries(&value))?;
            filter = filter.allow_list(list);
        }

        if let Some(value) = lookup(REGEX_RULES) {
            for rule in parse_rules(REGEX_RULES, REGEX_RULES, &value)? {
                filter = filter.rule(rule);
            }
        }
        if let Some(path) = lookup(REGEX_RULES_FILE).filter(|p| !p.trim().is_empty()) {
            let path = path.trim();
            let text = read_file(REGEX_RULES_FILE, path)?;
            for rule in parse_rules(REGEX_RULES_FILE, path, &text)? {
                if filter.rules().iter().any(|r| r.name() == rule.name()) {
                    return Err(invalid(
                        REGEX_RULES_FILE,
                        format!(
                            "rule name '{}' is also used in {REGEX_RULES}; names must be unique",
                            rule.name()
                        ),
                    ));
                }
                filter = filter.rule(rule);
            }
        }
        config.filter = filter;
        Ok(config)
    }

    /// Builds the filter this configuration describes. Expensive: call it
    /// once, at init.
    ///
    /// Every list and rule was checked line by line when it was read, so
    /// what can still fail here (the built-in lists, or rules that do not
    /// compile together) is reported with all the variables that feed the
    /// filter.
    pub fn build_filter(&self) -> Result<Filter, ConfigError> {
        self.filter
            .clone()
            .build()
            .map_err(|error| ConfigError::Build {
                variables: LIST_VARIABLES.join("/"),
                error,
            })
    }
}

fn invalid(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        variable,
        message: message.into(),
    }
}

/// A list or rule error at its place, from the variable that named the list.
fn line_error(variable: &'static str, error: impl Into<BuildError>) -> ConfigError {
    let error = error.into();
    ConfigError::Line {
        variable,
        list: error
            .place()
            .map_or_else(String::new, |(list, _)| list.to_string()),
        line: error.place().map(|(_, line)| line),
        message: error.message(),
    }
}

/// Reads a boolean variable ([`ivs_chat::env::parse_boolean`]), naming the
/// variable when it is not one.
fn parse_bool(variable: &'static str, value: &str) -> Result<bool, ConfigError> {
    parse_boolean(value).map_err(|message| invalid(variable, message))
}

fn parse_deny_reason(value: &str) -> Result<String, ConfigError> {
    // Never blank: a blank variable is unset, and a document refuses a
    // blank field.
    let reason = value.trim();
    if reason.len() > MAX_DENY_REASON_BYTES {
        return Err(invalid(
            DENY_REASON,
            format!(
                "the reason is {} bytes long; the response attributes leave room for {MAX_DENY_REASON_BYTES}",
                reason.len()
            ),
        ));
    }
    Ok(reason.to_string())
}

fn parse_mask_char(value: &str) -> Result<char, ConfigError> {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_whitespace() && !c.is_control() => Ok(c),
        (Some(c), None) => Err(invalid(
            MASK_CHAR,
            format!("{c:?} would hide masked words without showing that anything was masked; use a visible character such as '*'"),
        )),
        _ => Err(invalid(
            MASK_CHAR,
            format!(
                "'{value}' is {} characters; exactly one is expected (such as '*')",
                value.chars().count()
            ),
        )),
    }
}

/// Turns `;`-separated inline entries into one entry a line, so that entry
/// numbers become line numbers in errors.
fn inline_entries(value: &str) -> String {
    value.replace(';', "\n")
}

/// Reads every file named in a comma-separated path list, returning each
/// path (trimmed, as written) with its text.
fn read_files(
    variable: &'static str,
    value: Option<String>,
) -> Result<Vec<(String, String)>, ConfigError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    value
        .split(',')
        .map(str::trim)
        .filter(|path| !path.is_empty())
        .map(|path| Ok((path.to_string(), read_file(variable, path)?)))
        .collect()
}

fn read_file(variable: &'static str, path: &str) -> Result<String, ConfigError> {
    std::fs::read_to_string(Path::new(path)).map_err(|error| ConfigError::Unreadable {
        variable,
        path: path.to_string(),
        error,
    })
}

/// Reads a word list, failing on its first problem ([`WordList::parse_all`]:
/// syntax, or a term that normalises to nothing).
fn parse_list(variable: &'static str, source: &str, text: &str) -> Result<WordList, ConfigError> {
    let (list, problems) = WordList::parse_all(source, text);
    match problems.into_iter().next() {
        Some(error) => Err(line_error(variable, error)),
        None => Ok(list),
    }
}

fn parse_allow_list(
    variable: &'static str,
    source: &str,
    text: &str,
) -> Result<WordList, ConfigError> {
    let list = parse_list(variable, source, text)?;
    list.check_allow_list()
        .map_err(|error| line_error(variable, error))?;
    Ok(list)
}

fn parse_rules(
    variable: &'static str,
    source: &str,
    text: &str,
) -> Result<Vec<RegexRule>, ConfigError> {
    RegexRule::parse_list(source, text).map_err(|error| match error.place() {
        Some(_) => line_error(variable, error),
        None => ConfigError::Line {
            variable,
            list: source.to_string(),
            line: None,
            message: error.message(),
        },
    })
}

#[cfg(test)]
mod tests;
