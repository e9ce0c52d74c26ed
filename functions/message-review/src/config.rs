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
//! | Variable | Default | Meaning |
//! |---|---|---|
//! | `REVIEW_WORD_LISTS` | none | Comma-separated paths of block-list files in the chat-filter word-list format (`term \| severity \| category` a line). Relative paths are relative to the working directory (`/var/task` on Lambda). |
//! | `REVIEW_BLOCK_TERMS` | none | Inline block list: entries in the same syntax, separated by newlines or `;`. Errors give the entry number as the line (`REVIEW_BLOCK_TERMS:2: ...`). |
//! | `REVIEW_ALLOW_LISTS` | none | Comma-separated paths of allow-list files: terms that cancel the block matches they overlap (no severity or category). |
//! | `REVIEW_ALLOW_TERMS` | none | Inline allow-list, entries separated by newlines or `;`. |
//! | `REVIEW_DEFAULT_LISTS` | `true` | Whether the built-in block and allow lists are used. `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`. |
//! | `REVIEW_DEFAULT_RULES` | the value of `REVIEW_DEFAULT_LISTS` | Whether the built-in regex rules (ASCII art, sexual emoji pairs, hate symbols) are used. Same values as `REVIEW_DEFAULT_LISTS`. |
//! | `REVIEW_REGEX_RULES` | none | Inline regex rules, one `name \| action \| pattern` a line (newlines only: patterns may contain `;`). Actions: `mask`, `deny`, or `allow` (cancels the word-list matches it overlaps). Rules see the original text; use `(?i)` for case-insensitivity. |
//! | `REVIEW_REGEX_RULES_FILE` | none | Path of a regex rule file in the same format. |
//! | `REVIEW_POLICY` | `mild=allow,moderate=mask,severe=deny,disguised-mild=mask` | The action for each severity, and (`disguised-mild`) for mild words written in disguise; keys left out keep their default. |
//! | `REVIEW_DEFAULT_SEVERITY` | `severe` | Severity of list entries that give none: `mild`, `moderate` or `severe`. |
//! | `REVIEW_DENY_REASON` | `Message blocked by the room's moderation rules` | `Attributes.Reason` of a DENY, shown to the sender. Must not be empty; at most 1018 bytes (the response attributes' 1 KB limit). |
//! | `REVIEW_MASK_CHAR` | `*` | The character that replaces masked characters: exactly one character, not whitespace or a control character. |
//! | `REVIEW_LOG_CONTENT` | `false` | Whether the log line written for each DENY or masked message includes the message text. Same values as `REVIEW_DEFAULT_LISTS`. |
//! | `REVIEW_STRIKE_WEIGHTS` | `mask=1,deny=1` | Strikes each action is worth in the decision record (0..=10); see [`crate::decision_record`]. |
//! | `REVIEW_EXEMPT_SENDERS` | none | Senders not reviewed, by token attribute: `role=moderator\|broadcaster`; see [`crate::senders`]. |
//! | `REVIEW_STRICT_SENDERS` | none | Senders judged by `REVIEW_STRICT_POLICY`, by token attribute: `account=new`. |
//! | `REVIEW_STRICT_POLICY` | none (required with `REVIEW_STRICT_SENDERS`) | The stricter policy, in `REVIEW_POLICY`'s syntax; each severity gets the stricter of the two. |
//!
//! Unset and empty list variables mean "no list". A boolean, severity or mask
//! variable that is set must hold a valid value, even an empty one: a typo
//! must not silently fall back to the default.

use std::path::Path;

use chat_filter::{
    BuildError, Filter, FilterBuilder, ListError, Policy, RegexRule, Severity, WordList,
};
use ivs_chat::review::{MAX_RESPONSE_ATTRIBUTES_BYTES, REASON_ATTRIBUTE};
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
pub const MAX_DENY_REASON_BYTES: usize = MAX_RESPONSE_ATTRIBUTES_BYTES - REASON_ATTRIBUTE.len();

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
    /// Whether the built-in lists are used (`REVIEW_DEFAULT_LISTS`).
    pub default_lists: bool,
    /// Whether the built-in regex rules are used (`REVIEW_DEFAULT_RULES`);
    /// `None` follows `default_lists`.
    pub default_rules: Option<bool>,
    /// Block lists from `REVIEW_WORD_LISTS` and `REVIEW_BLOCK_TERMS`.
    pub block_lists: Vec<WordList>,
    /// Allow-lists from `REVIEW_ALLOW_LISTS` and `REVIEW_ALLOW_TERMS`.
    pub allow_lists: Vec<WordList>,
    /// Regex rules from `REVIEW_REGEX_RULES` and `REVIEW_REGEX_RULES_FILE`.
    pub rules: Vec<RegexRule>,
    /// The action for each severity and for disguised mild words
    /// (`REVIEW_POLICY`).
    pub policy: Policy,
    /// Severity of entries that give none (`REVIEW_DEFAULT_SEVERITY`).
    pub default_severity: Severity,
    /// `Attributes.Reason` of a DENY (`REVIEW_DENY_REASON`).
    pub deny_reason: String,
    /// The mask character (`REVIEW_MASK_CHAR`).
    pub mask_char: char,
    /// Whether log lines include the message text (`REVIEW_LOG_CONTENT`).
    pub log_content: bool,
    /// Strikes per action in the decision record (`REVIEW_STRIKE_WEIGHTS`).
    pub strike_weights: crate::decision_record::StrikeWeights,
    /// Exempt and strictly reviewed senders (`REVIEW_EXEMPT_SENDERS`,
    /// `REVIEW_STRICT_SENDERS`, `REVIEW_STRICT_POLICY`).
    pub senders: crate::senders::Senders,
    /// Which variable each list was read from, to name it in build errors.
    origins: Vec<(String, &'static str)>,
}

impl Default for Config {
    /// The configuration with no variable set: built-in lists, default
    /// policy, `*` masks.
    fn default() -> Self {
        Config {
            default_lists: true,
            default_rules: None,
            block_lists: Vec::new(),
            allow_lists: Vec::new(),
            rules: Vec::new(),
            policy: Policy::default(),
            default_severity: Severity::Severe,
            deny_reason: DEFAULT_DENY_REASON.to_string(),
            mask_char: chat_filter::DEFAULT_MASK,
            log_content: false,
            strike_weights: Default::default(),
            senders: Default::default(),
            origins: Vec::new(),
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
    /// assert_eq!(config.mask_char, '#');
    /// assert_eq!(config.block_lists[0].entries().len(), 2);
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
        let mut config = Config {
            strike_weights: crate::decision_record::StrikeWeights::from_lookup(&lookup)?,
            senders: crate::senders::Senders::from_lookup(&lookup)?,
            ..Config::default()
        };

        if let Some(value) = lookup(DEFAULT_RULES) {
            config.default_rules = Some(parse_bool(DEFAULT_RULES, &value)?);
        }
        if let Some(value) = lookup(DEFAULT_LISTS) {
            config.default_lists = parse_bool(DEFAULT_LISTS, &value)?;
        }
        if let Some(value) = lookup(LOG_CONTENT) {
            config.log_content = parse_bool(LOG_CONTENT, &value)?;
        }
        if let Some(value) = lookup(POLICY) {
            config.policy = value.parse().map_err(|message| invalid(POLICY, message))?;
        }
        if let Some(value) = lookup(DEFAULT_SEVERITY) {
            config.default_severity = value
                .parse()
                .map_err(|message| invalid(DEFAULT_SEVERITY, message))?;
        }
        if let Some(value) = lookup(DENY_REASON) {
            config.deny_reason = parse_deny_reason(&value)?;
        }
        if let Some(value) = lookup(MASK_CHAR) {
            config.mask_char = parse_mask_char(&value)?;
        }

        for (variable, text) in read_files(WORD_LISTS, lookup(WORD_LISTS))? {
            let list = parse_list(WORD_LISTS, &variable, &text)?;
            config.add_block_list(list, WORD_LISTS);
        }
        if let Some(value) = lookup(BLOCK_TERMS) {
            let list = parse_list(BLOCK_TERMS, BLOCK_TERMS, &inline_entries(&value))?;
            config.add_block_list(list, BLOCK_TERMS);
        }
        for (path, text) in read_files(ALLOW_LISTS, lookup(ALLOW_LISTS))? {
            let list = parse_allow_list(ALLOW_LISTS, &path, &text)?;
            config.add_allow_list(list, ALLOW_LISTS);
        }
        if let Some(value) = lookup(ALLOW_TERMS) {
            let list = parse_allow_list(ALLOW_TERMS, ALLOW_TERMS, &inline_entries(&value))?;
            config.add_allow_list(list, ALLOW_TERMS);
        }

        if let Some(value) = lookup(REGEX_RULES) {
            config
                .rules
                .extend(parse_rules(REGEX_RULES, REGEX_RULES, &value)?);
        }
        if let Some(path) = lookup(REGEX_RULES_FILE).filter(|p| !p.trim().is_empty()) {
            let path = path.trim();
            let text = read_file(REGEX_RULES_FILE, path)?;
            let rules = parse_rules(REGEX_RULES_FILE, path, &text)?;
            for rule in rules {
                if config.rules.iter().any(|r| r.name() == rule.name()) {
                    return Err(invalid(
                        REGEX_RULES_FILE,
                        format!(
                            "rule name '{}' is also used in {REGEX_RULES}; names must be unique",
                            rule.name()
                        ),
                    ));
                }
                config.rules.push(rule);
            }
        }
        Ok(config)
    }

    /// Builds the filter this configuration describes. Expensive: call it
    /// once, at init.
    ///
    /// Errors found only while building (a term that normalises to nothing,
    /// for instance) are reported with the variable the list came from.
    pub fn build_filter(&self) -> Result<Filter, ConfigError> {
        let mut builder = FilterBuilder::new()
            .default_lists(self.default_lists)
            .default_rules(self.default_rules.unwrap_or(self.default_lists))
            .policy(self.policy)
            .default_severity(self.default_severity)
            .mask(self.mask_char);
        for list in &self.block_lists {
            builder = builder.block_list(list.clone());
        }
        for list in &self.allow_lists {
            builder = builder.allow_list(list.clone());
        }
        for rule in &self.rules {
            builder = builder.rule(rule.clone());
        }
        builder.build().map_err(|error| match error {
            BuildError::List(list_error) => {
                let variable = self
                    .origins
                    .iter()
                    .find(|(source, _)| *source == list_error.list)
                    .map_or(DEFAULT_LISTS, |(_, variable)| *variable);
                list_line_error(variable, list_error)
            }
            error => ConfigError::Build {
                variables: LIST_VARIABLES.join("/"),
                error,
            },
        })
    }

    fn add_block_list(&mut self, list: WordList, variable: &'static str) {
        self.origins.push((list.source().to_string(), variable));
        self.block_lists.push(list);
    }

    fn add_allow_list(&mut self, list: WordList, variable: &'static str) {
        self.origins.push((list.source().to_string(), variable));
        self.allow_lists.push(list);
    }
}

fn invalid(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        variable,
        message: message.into(),
    }
}

fn list_line_error(variable: &'static str, error: ListError) -> ConfigError {
    ConfigError::Line {
        variable,
        list: error.list,
        line: Some(error.line),
        message: error.kind.to_string(),
    }
}

/// Reads a boolean the way people write them in templates and consoles.
///
/// ```
/// use message_review::config::parse_bool;
///
/// assert!(parse_bool("REVIEW_LOG_CONTENT", " Yes ").unwrap());
/// assert!(!parse_bool("REVIEW_LOG_CONTENT", "off").unwrap());
/// assert!(parse_bool("REVIEW_LOG_CONTENT", "maybe").is_err());
/// ```
pub fn parse_bool(variable: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(invalid(
            variable,
            format!("'{value}' is not a boolean: expected true/false, 1/0, yes/no or on/off"),
        )),
    }
}

fn parse_deny_reason(value: &str) -> Result<String, ConfigError> {
    let reason = value.trim();
    if reason.is_empty() {
        return Err(invalid(
            DENY_REASON,
            "the reason is empty; IVS Chat shows it to the sender, so say why the message was blocked",
        ));
    }
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

fn parse_list(variable: &'static str, source: &str, text: &str) -> Result<WordList, ConfigError> {
    WordList::parse(source, text).map_err(|error| list_line_error(variable, error))
}

fn parse_allow_list(
    variable: &'static str,
    source: &str,
    text: &str,
) -> Result<WordList, ConfigError> {
    let list = parse_list(variable, source, text)?;
    list.check_allow_list()
        .map_err(|error| list_line_error(variable, error))?;
    Ok(list)
}

fn parse_rules(
    variable: &'static str,
    source: &str,
    text: &str,
) -> Result<Vec<RegexRule>, ConfigError> {
    RegexRule::parse_list(source, text).map_err(|error| match error {
        BuildError::RuleSyntax {
            list,
            line,
            message,
        } => ConfigError::Line {
            variable,
            list,
            line: Some(line),
            message,
        },
        // The regex compiler's errors name the rule but not its line: find it.
        error @ BuildError::Regex { .. } => {
            let line = match &error {
                BuildError::Regex { name, .. } => rule_line(text, name),
                _ => None,
            };
            ConfigError::Line {
                variable,
                list: source.to_string(),
                line,
                message: error.to_string(),
            }
        }
        error => ConfigError::Line {
            variable,
            list: source.to_string(),
            line: None,
            message: error.to_string(),
        },
    })
}

/// The 1-based line of the first rule called `name` in a rule list.
fn rule_line(text: &str, name: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim();
            !line.starts_with('#') && line.split('|').next().map(str::trim) == Some(name)
        })
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::Write;

    use chat_filter::Action;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    fn error(vars: &[(&str, &str)]) -> String {
        match config(vars).and_then(|c| c.build_filter().map(|_| c)) {
            Ok(_) => panic!("expected a configuration error for {vars:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// A temporary file that removes itself.
    struct TempFile(std::path::PathBuf);

    impl TempFile {
        fn new(name: &str, text: &str) -> TempFile {
            let path = std::env::temp_dir().join(format!(
                "message-review-config-{}-{name}",
                std::process::id()
            ));
            let mut file = std::fs::File::create(&path).unwrap();
            file.write_all(text.as_bytes()).unwrap();
            TempFile(path)
        }

        fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn nothing_set_gives_the_defaults() {
        let config = config(&[]).unwrap();
        assert!(config.default_lists);
        assert!(!config.log_content);
        assert_eq!(config.policy, Policy::default());
        assert_eq!(config.default_severity, Severity::Severe);
        assert_eq!(config.deny_reason, DEFAULT_DENY_REASON);
        assert_eq!(config.mask_char, '*');
        assert!(config.block_lists.is_empty() && config.allow_lists.is_empty());
        assert!(config.rules.is_empty());
        config.build_filter().unwrap();
    }

    #[test]
    fn every_setting_is_read() {
        let block = TempFile::new("every-block.txt", "frack* | moderate | scifi\n");
        let allow = TempFile::new("every-allow.txt", "frackle\n");
        let rules = TempFile::new("every-rules.txt", "phone | mask | \\d{3}-\\d{4}\n");
        let config = config(&[
            (WORD_LISTS, block.path()),
            (BLOCK_TERMS, "gorram; smeg | mild"),
            (ALLOW_LISTS, allow.path()),
            (ALLOW_TERMS, "gorramit"),
            (DEFAULT_LISTS, "no"),
            (REGEX_RULES, "links | deny | https?://\\S+;x"),
            (REGEX_RULES_FILE, rules.path()),
            (POLICY, "mild=mask"),
            (DEFAULT_SEVERITY, "moderate"),
            (DENY_REASON, "  Not in this room  "),
            (MASK_CHAR, "#"),
            (LOG_CONTENT, "on"),
        ])
        .unwrap();
        assert!(!config.default_lists);
        assert!(config.log_content);
        assert_eq!(config.policy.action(Severity::Mild), Action::Mask);
        assert_eq!(config.default_severity, Severity::Moderate);
        assert_eq!(config.deny_reason, "Not in this room");
        assert_eq!(config.mask_char, '#');
        assert_eq!(config.block_lists.len(), 2);
        assert_eq!(config.block_lists[1].source(), BLOCK_TERMS);
        assert_eq!(config.block_lists[1].entries().len(), 2);
        assert_eq!(config.allow_lists.len(), 2);
        let names: Vec<_> = config.rules.iter().map(|r| r.name()).collect();
        assert_eq!(names, ["links", "phone"]);

        let filter = config.build_filter().unwrap();
        let verdict = filter.review("gorram it, frack, smeg, but frackle is fine");
        assert_eq!(verdict.action, Action::Mask);
        assert_eq!(
            verdict.masked.as_deref(),
            Some("###### it, #####, ####, but frackle is fine")
        );
        // The pattern kept its ';': the rule is one line, not split.
        assert_eq!(
            filter.review("see https://a.example;x").action,
            Action::Deny
        );
        assert_eq!(
            filter.review("call 555-1234").masked.as_deref(),
            Some("call ########")
        );
        // Built-in lists are off.
        assert_eq!(filter.review("cunt").action, Action::Allow);
    }

    #[test]
    fn booleans_accept_the_usual_spellings_and_name_the_variable() {
        for (text, expected) in [
            ("true", true),
            ("TRUE", true),
            ("1", true),
            ("yes", true),
            ("on", true),
            ("false", false),
            ("0", false),
            ("No", false),
            ("off", false),
        ] {
            assert_eq!(
                config(&[(DEFAULT_LISTS, text)]).unwrap().default_lists,
                expected
            );
            assert_eq!(
                config(&[(LOG_CONTENT, text)]).unwrap().log_content,
                expected
            );
        }
        assert_eq!(
            error(&[(DEFAULT_LISTS, "sometimes")]),
            "REVIEW_DEFAULT_LISTS: 'sometimes' is not a boolean: expected true/false, 1/0, yes/no or on/off"
        );
        assert!(error(&[(LOG_CONTENT, "")]).starts_with("REVIEW_LOG_CONTENT: '' is not a boolean"));
    }

    #[test]
    fn default_rules_follow_the_lists_unless_set() {
        let art = "nice 8====D";
        let review = |vars: &[(&str, &str)]| {
            config(vars)
                .unwrap()
                .build_filter()
                .unwrap()
                .review(art)
                .action
        };
        assert_eq!(review(&[]), Action::Mask);
        assert_eq!(review(&[(DEFAULT_RULES, "off")]), Action::Allow);
        assert_eq!(review(&[(DEFAULT_LISTS, "false")]), Action::Allow);
        assert_eq!(
            review(&[(DEFAULT_LISTS, "false"), (DEFAULT_RULES, "true")]),
            Action::Mask
        );
        let lists_only = config(&[(DEFAULT_RULES, "0")])
            .unwrap()
            .build_filter()
            .unwrap();
        assert_eq!(lists_only.review("fuck").action, Action::Mask);
        assert_eq!(
            error(&[(DEFAULT_RULES, "maybe")]),
            "REVIEW_DEFAULT_RULES: 'maybe' is not a boolean: expected true/false, 1/0, yes/no or on/off"
        );
    }

    #[test]
    fn policy_sets_the_disguised_mild_action() {
        let config = config(&[(POLICY, "mild=allow, disguised-mild=allow")]).unwrap();
        assert_eq!(config.policy.disguised_mild(), Action::Allow);
        let filter = config.build_filter().unwrap();
        assert_eq!(filter.review("what the һell").action, Action::Allow);
        let default = Config::default().build_filter().unwrap();
        assert_eq!(default.review("what the һell").action, Action::Mask);
        assert_eq!(
            error(&[(POLICY, "sneaky=deny")]),
            "REVIEW_POLICY: unknown severity 'sneaky': expected mild, moderate or severe (or disguised-mild)"
        );
    }

    #[test]
    fn policy_and_severity_errors_name_the_variable() {
        assert_eq!(
            error(&[(POLICY, "severe=ban")]),
            "REVIEW_POLICY: unknown action 'ban': expected allow, mask or deny"
        );
        assert_eq!(
            error(&[(DEFAULT_SEVERITY, "awful")]),
            "REVIEW_DEFAULT_SEVERITY: unknown severity 'awful': expected mild, moderate or severe"
        );
    }

    #[test]
    fn deny_reason_must_say_something_and_fit() {
        assert!(
            error(&[(DENY_REASON, "  ")]).starts_with("REVIEW_DENY_REASON: the reason is empty")
        );
        let long = "x".repeat(MAX_DENY_REASON_BYTES + 1);
        assert_eq!(
            error(&[(DENY_REASON, &long)]),
            "REVIEW_DENY_REASON: the reason is 1019 bytes long; the response attributes leave room for 1018"
        );
        let longest = "x".repeat(MAX_DENY_REASON_BYTES);
        assert_eq!(
            config(&[(DENY_REASON, &longest)]).unwrap().deny_reason,
            longest
        );
    }

    #[test]
    fn mask_char_is_exactly_one_visible_character() {
        assert_eq!(config(&[(MASK_CHAR, "•")]).unwrap().mask_char, '•');
        assert_eq!(
            error(&[(MASK_CHAR, "**")]),
            "REVIEW_MASK_CHAR: '**' is 2 characters; exactly one is expected (such as '*')"
        );
        assert!(error(&[(MASK_CHAR, "")]).starts_with("REVIEW_MASK_CHAR: '' is 0 characters"));
        assert!(error(&[(MASK_CHAR, " ")]).starts_with("REVIEW_MASK_CHAR: ' ' would hide"));
    }

    #[test]
    fn inline_list_errors_name_the_variable_and_entry() {
        assert_eq!(
            error(&[(BLOCK_TERMS, "ok\nfine; bad | loud")]),
            "REVIEW_BLOCK_TERMS:3: unknown severity 'loud': expected mild, moderate or severe"
        );
        assert_eq!(
            error(&[(ALLOW_TERMS, "scunthorpe; essex | mild")]),
            "REVIEW_ALLOW_TERMS:2: allow-list entry 'essex' takes no severity or category"
        );
        // Found only when the filter is built.
        assert_eq!(
            error(&[(BLOCK_TERMS, "fine; !!!")]),
            "REVIEW_BLOCK_TERMS:2: term '!!!' holds no letters or digits once normalised, so it could never match"
        );
    }

    #[test]
    fn file_list_errors_name_the_variable_file_and_line() {
        let block = TempFile::new("bad-block.txt", "# header\nfine\nfr*ck\n");
        assert_eq!(
            error(&[(WORD_LISTS, block.path())]),
            format!(
                "REVIEW_WORD_LISTS: {}:3: '*' may only stand at the start or end of a term: 'fr*ck'",
                block.path()
            )
        );
        let allow = TempFile::new("bad-allow.txt", "fine\nessex | | place\n");
        assert_eq!(
            error(&[(ALLOW_LISTS, &format!(" {} , ", allow.path()))]),
            format!(
                "REVIEW_ALLOW_LISTS: {}:2: allow-list entry 'essex' takes no severity or category",
                allow.path()
            )
        );
        let empty_term = TempFile::new("empty-term.txt", "fine\n\n?!\n");
        assert_eq!(
            error(&[(WORD_LISTS, empty_term.path())]),
            format!(
                "REVIEW_WORD_LISTS: {}:3: term '?!' holds no letters or digits once normalised, so it could never match",
                empty_term.path()
            )
        );
    }

    #[test]
    fn unreadable_files_name_the_variable_the_path_and_the_os_error() {
        for variable in [WORD_LISTS, ALLOW_LISTS, REGEX_RULES_FILE] {
            let message = error(&[(variable, "no/such/list.txt")]);
            assert!(
                message.starts_with(&format!("{variable}: cannot read 'no/such/list.txt': ")),
                "{message}"
            );
            assert!(message.contains("No such file"), "{message}");
        }
        let good = TempFile::new("good.txt", "frack\n");
        let message = error(&[(WORD_LISTS, &format!("{},missing.txt", good.path()))]);
        assert!(
            message.starts_with("REVIEW_WORD_LISTS: cannot read 'missing.txt'"),
            "{message}"
        );
    }

    #[test]
    fn rule_errors_name_the_variable_file_and_line() {
        assert_eq!(
            error(&[(REGEX_RULES, "a | mask | x\nb | ban | y")]),
            "REVIEW_REGEX_RULES:2: unknown action 'ban': expected allow, mask or deny"
        );
        let message = error(&[(REGEX_RULES, "# c\na | mask | x\nbroken | deny | (")]);
        assert!(
            message.starts_with("REVIEW_REGEX_RULES:3: regex rule 'broken': "),
            "{message}"
        );
        let file = TempFile::new("rules.txt", "a | mask | x\na | deny | y\n");
        assert_eq!(
            error(&[(REGEX_RULES_FILE, file.path())]),
            format!(
                "REVIEW_REGEX_RULES_FILE: {}:2: rule name 'a' is used twice",
                file.path()
            )
        );
        let file = TempFile::new("rules-dup.txt", "a | deny | y\n");
        assert_eq!(
            error(&[(REGEX_RULES, "a | mask | x"), (REGEX_RULES_FILE, file.path())]),
            "REVIEW_REGEX_RULES_FILE: rule name 'a' is also used in REVIEW_REGEX_RULES; names must be unique"
        );
    }

    #[test]
    fn empty_list_variables_mean_no_list() {
        let config = config(&[
            (WORD_LISTS, ""),
            (ALLOW_LISTS, " , "),
            (REGEX_RULES_FILE, ""),
        ])
        .unwrap();
        assert!(config.block_lists.is_empty());
        assert!(config.allow_lists.is_empty());
        assert!(config.rules.is_empty());
    }

    #[test]
    fn rule_line_skips_comments() {
        assert_eq!(rule_line("# a | x\n\na | mask | y", "a"), Some(3));
        assert_eq!(rule_line("a | mask | y", "b"), None);
    }
}
