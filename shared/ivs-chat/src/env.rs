//! Reading configuration from environment variables, failing by name.
//!
//! Functions read their configuration once, at init. Every helper here takes
//! a lookup function instead of reading the process environment directly, so
//! configuration parsing is unit-tested without touching global state, and
//! every error names the variable and says what was expected.
//!
//! **Booleans** have one grammar in every function ([`parse_boolean`]):
//! `true`/`false`, `1`/`0`, `yes`/`no` or `on`/`off`, in any case, with
//! surrounding spaces ignored. An unset variable takes its default; a
//! variable that is set must hold one of those, even when it is blank, so
//! that a typo or an empty template parameter never silently falls back to
//! the default.

use std::str::FromStr;

/// A configuration variable with a value that cannot be used.
///
/// ```
/// let lookup = |name: &str| (name == "MAX_CONCURRENCY").then(|| "zero".to_string());
/// let err = ivs_chat::env::number(&lookup, "MAX_CONCURRENCY", 10u32, 1..=100).unwrap_err();
/// assert_eq!(err.to_string(), "MAX_CONCURRENCY: must be a whole number in 1..=100, got \"zero\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    /// The environment variable.
    pub name: String,
    /// What is wrong with it.
    pub problem: String,
}

impl ConfigError {
    /// A configuration error on variable `name`.
    pub fn new(name: impl Into<String>, problem: impl Into<String>) -> Self {
        ConfigError {
            name: name.into(),
            problem: problem.into(),
        }
    }
}

/// Reads the process environment (the lookup used outside tests).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The variable's value, `None` when unset or blank (after trimming).
pub fn optional(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A number within `range`, or `default` when unset.
pub fn number<T>(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let Some(raw) = optional(lookup, name) else {
        return Ok(default);
    };
    match raw.parse::<T>() {
        Ok(v) if range.contains(&v) => Ok(v),
        _ => Err(ConfigError::new(
            name,
            format!(
                "must be a whole number in {}..={}, got {raw:?}",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// Reads a boolean in the one grammar of every function's variables (see
/// the [module docs](self)); the error says what was expected.
///
/// ```
/// use ivs_chat::env::parse_boolean;
///
/// assert_eq!(parse_boolean(" Yes "), Ok(true));
/// assert_eq!(parse_boolean("off"), Ok(false));
/// assert!(parse_boolean("maybe").is_err());
/// assert_eq!(
///     parse_boolean("").unwrap_err(),
///     "'' is not a boolean: expected true/false, 1/0, yes/no or on/off"
/// );
/// ```
pub fn parse_boolean(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!(
            "'{value}' is not a boolean: expected true/false, 1/0, yes/no or on/off"
        )),
    }
}

/// A boolean ([`parse_boolean`]), or `default` when unset.
pub fn boolean(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
    default: bool,
) -> Result<bool, ConfigError> {
    match lookup(name) {
        None => Ok(default),
        Some(raw) => parse_boolean(&raw).map_err(|problem| ConfigError::new(name, problem)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(name: &'static str, value: &'static str) -> impl Fn(&str) -> Option<String> {
        move |n| (n == name).then(|| value.to_string())
    }

    #[test]
    fn numbers() {
        assert_eq!(number(&one("X", "7"), "X", 3u32, 1..=10), Ok(7));
        assert_eq!(number(&one("Y", "7"), "X", 3u32, 1..=10), Ok(3));
        assert_eq!(number(&one("X", "  "), "X", 3u32, 1..=10), Ok(3));
        assert_eq!(
            number(&one("X", "11"), "X", 3u32, 1..=10).unwrap_err().name,
            "X"
        );
        assert!(number(&one("X", "-1"), "X", 3u32, 1..=10).is_err());
    }

    #[test]
    fn booleans() {
        assert_eq!(boolean(&one("B", "TRUE"), "B", false), Ok(true));
        assert_eq!(boolean(&one("B", "0"), "B", true), Ok(false));
        assert_eq!(boolean(&one("C", "0"), "B", true), Ok(true));
        let err = boolean(&one("B", "maybe"), "B", true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "B: 'maybe' is not a boolean: expected true/false, 1/0, yes/no or on/off"
        );
    }
}
