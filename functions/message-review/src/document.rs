//! The configuration document: everything the review handler is configured
//! with, for many rooms, in one JSON file.
//!
//! Environment variables configure one policy for every room. A document
//! holds a `default` profile and named `profiles`, each selected by the
//! rooms it lists (ARN or id, exactly or with `*`; see [`crate::profiles`]
//! for which wins), and each holding the same settings as the variables:
//!
//! ```json
//! {
//!   "default": { "policy": { "mild": "allow" } },
//!   "profiles": {
//!     "kids": {
//!       "rooms": ["arn:aws:ivschat:us-west-2:123456789012:room/kidsRoom0001", "kids-*"],
//!       "policy": { "mild": "mask", "moderate": "deny" },
//!       "block_terms": ["frack | moderate | scifi"],
//!       "exempt_senders": ["role=moderator|broadcaster"],
//!       "strict_senders": ["account=new"],
//!       "strict_policy": { "mild": "deny" }
//!     }
//!   }
//! }
//! ```
//!
//! | Field | Type | Variable it mirrors |
//! |---|---|---|
//! | `rooms` | array of selectors (named profiles only, at least one) | — |
//! | `default_lists`, `default_rules` | boolean | `REVIEW_DEFAULT_LISTS`, `REVIEW_DEFAULT_RULES` |
//! | `word_lists`, `allow_lists` | array of file paths | `REVIEW_WORD_LISTS`, `REVIEW_ALLOW_LISTS` |
//! | `block_terms`, `allow_terms` | array of entries (`term \| severity \| category`) | `REVIEW_BLOCK_TERMS`, `REVIEW_ALLOW_TERMS` |
//! | `regex_rules` | array of `name \| action \| pattern` | `REVIEW_REGEX_RULES` |
//! | `regex_rules_file` | file path | `REVIEW_REGEX_RULES_FILE` |
//! | `policy` | object: `mild`, `moderate`, `severe`, `disguised-mild` → `allow`/`mask`/`deny` | `REVIEW_POLICY` |
//! | `default_severity` | `mild`/`moderate`/`severe` | `REVIEW_DEFAULT_SEVERITY` |
//! | `deny_reason` | string | `REVIEW_DENY_REASON` |
//! | `mask_char` | one-character string | `REVIEW_MASK_CHAR` |
//! | `log_content` | boolean | `REVIEW_LOG_CONTENT` |
//! | `strike_weights` | object: `mask`, `deny` → 0..=10 | `REVIEW_STRIKE_WEIGHTS` |
//! | `exempt_senders` | array of token-attribute matchers (`role=moderator\|broadcaster`), delivered unreviewed | `REVIEW_EXEMPT_SENDERS` |
//! | `strict_senders` | array of token-attribute matchers (`account=new`) | `REVIEW_STRICT_SENDERS` |
//! | `strict_policy` | object, as `policy` (required with `strict_senders`) | `REVIEW_STRICT_POLICY` |
//!
//! Each profile stands alone: a field it leaves out has the built-in
//! default, not the `default` profile's value, so a profile reads the same
//! wherever it is moved.
//!
//! The document is validated whole before anything uses it: every profile is
//! parsed and its filter built, and every problem found is reported, each
//! with the field's path and, for lists, the entry (`profiles.kids.policy.mild:
//! unknown action 'ban'`, `profiles.kids.block_terms[1] 'bad | loud': unknown
//! severity 'loud'`). The settings themselves are read by the same code as
//! the variables ([`Config::from_lookup`]): a document can say nothing the
//! variables cannot, and is checked by the same rules. In particular sender
//! exemptions are one concept whichever way they are given: a profile's
//! `exempt_senders` and `strict_senders` are the entries of
//! `REVIEW_EXEMPT_SENDERS` and `REVIEW_STRICT_SENDERS`, read into the same
//! [`crate::senders::Senders`] and applied by the same [`crate::judge`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;

use crate::config::{self, Config, ConfigError};
use crate::decision_record::{self, StrikeWeights};
use crate::profiles::{Profile, Profiles, Selector, DEFAULT_PROFILE};
use crate::senders::{self, AttributeMatch};

/// One problem in a document: the field's path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `profiles.kids.policy.mild`, `default.block_terms[2]`, ...
    pub path: String,
    /// What is wrong and what is expected.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A document that cannot be used, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {}", .errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct DocumentError {
    /// Where the document came from (its path, or its AppConfig address).
    pub origin: String,
    /// Every problem, in document order.
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    /// Editors' schema hint; ignored.
    #[serde(default, rename = "$schema")]
    _schema: Option<String>,
    #[serde(default)]
    default: Option<ProfileDocument>,
    #[serde(default)]
    profiles: BTreeMap<String, ProfileDocument>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileDocument {
    rooms: Option<Vec<String>>,
    default_lists: Option<bool>,
    default_rules: Option<bool>,
    word_lists: Option<Vec<String>>,
    block_terms: Option<Vec<String>>,
    allow_lists: Option<Vec<String>>,
    allow_terms: Option<Vec<String>>,
    regex_rules: Option<Vec<String>>,
    regex_rules_file: Option<String>,
    policy: Option<BTreeMap<String, String>>,
    default_severity: Option<String>,
    deny_reason: Option<String>,
    mask_char: Option<String>,
    log_content: Option<bool>,
    strike_weights: Option<BTreeMap<String, u32>>,
    exempt_senders: Option<Vec<String>>,
    strict_senders: Option<Vec<String>>,
    strict_policy: Option<BTreeMap<String, String>>,
}

/// Reads, validates and builds a document: the profiles it describes, or
/// every problem in it. `source` names it in the error.
pub fn load(source: &str, text: &str) -> Result<Profiles, DocumentError> {
    let fail = |errors: Vec<FieldError>| DocumentError {
        origin: source.to_string(),
        errors,
    };
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let document: Document = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        // serde_json appends the position; the path already says where.
        let message = inner.to_string();
        let message = match message.rfind(" at line ") {
            Some(at) if inner.line() > 0 => message[..at].to_string(),
            _ => message,
        };
        fail(vec![FieldError {
            path: if path == "." {
                "(document)".into()
            } else {
                path
            },
            message: format!(
                "{message} (line {}, column {})",
                inner.line(),
                inner.column()
            ),
        }])
    })?;

    let mut errors = Vec::new();
    let default = document.default.unwrap_or_default();
    if default.rooms.is_some() {
        errors.push(FieldError {
            path: "default.rooms".into(),
            message:
                "the default profile serves every room no other profile selects; it takes no rooms"
                    .into(),
        });
    }
    let default = build_profile(DEFAULT_PROFILE, "default", default, &mut errors);
    let mut named = Vec::new();
    for (name, profile) in document.profiles {
        let path = format!("profiles.{name}");
        if name.trim().is_empty() || name == DEFAULT_PROFILE {
            errors.push(FieldError {
                path,
                message: format!(
                    "'{name}' cannot name a profile: use the top-level \"default\" for the default profile, and a non-empty name otherwise"
                ),
            });
            continue;
        }
        let selectors = selectors(&path, profile.rooms.as_deref(), &mut errors);
        if let Some(built) = build_profile(&name, &path, profile, &mut errors) {
            named.push((built, selectors));
        }
    }
    match (default, errors.is_empty()) {
        (Some(default), true) => Profiles::new(default, named).map_err(|duplicate| {
            fail(vec![FieldError {
                path: format!("profiles.{}.rooms", duplicate.second),
                message: format!(
                    "'{}' is also a room of profiles.{}; each selector may belong to one profile",
                    duplicate.selector, duplicate.first
                ),
            }])
        }),
        _ => Err(fail(errors)),
    }
}

fn selectors(path: &str, rooms: Option<&[String]>, errors: &mut Vec<FieldError>) -> Vec<Selector> {
    let Some(rooms) = rooms.filter(|r| !r.is_empty()) else {
        errors.push(FieldError {
            path: format!("{path}.rooms"),
            message: "a profile needs at least one room: a room ARN or id, or a pattern with '*'"
                .into(),
        });
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, room) in rooms.iter().enumerate() {
        if room.trim().is_empty() || room.trim() != room {
            errors.push(FieldError {
                path: format!("{path}.rooms[{i}]"),
                message: format!("{room:?} is empty or has spaces around it"),
            });
        } else {
            out.push(Selector::new(room.clone()));
        }
    }
    out
}

/// Builds one profile, adding its problems to `errors`.
fn build_profile(
    name: &str,
    path: &str,
    profile: ProfileDocument,
    errors: &mut Vec<FieldError>,
) -> Option<Profile> {
    let before = errors.len();
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    let mut set_bool = |var, value: Option<bool>| {
        if let Some(value) = value {
            vars.insert(var, value.to_string());
        }
    };
    set_bool(config::DEFAULT_LISTS, profile.default_lists);
    set_bool(config::DEFAULT_RULES, profile.default_rules);
    set_bool(config::LOG_CONTENT, profile.log_content);

    let mut entries =
        |var: &'static str, f: &str, list: &Option<Vec<String>>, separators: &[char]| {
            let Some(list) = list else { return };
            for (i, entry) in list.iter().enumerate() {
                if let Some(c) = entry.chars().find(|c| separators.contains(c)) {
                    errors.push(FieldError {
                        path: format!("{path}.{f}[{i}]"),
                        message: format!(
                            "{entry:?} holds {c:?}: give each entry its own array element"
                        ),
                    });
                }
            }
            vars.insert(var, list.join("\n"));
        };
    entries(
        config::BLOCK_TERMS,
        "block_terms",
        &profile.block_terms,
        &[';', '\n'],
    );
    entries(
        config::ALLOW_TERMS,
        "allow_terms",
        &profile.allow_terms,
        &[';', '\n'],
    );
    entries(
        config::REGEX_RULES,
        "regex_rules",
        &profile.regex_rules,
        &['\n'],
    );
    entries(
        config::WORD_LISTS,
        "word_lists",
        &profile.word_lists,
        &[','],
    );
    entries(
        config::ALLOW_LISTS,
        "allow_lists",
        &profile.allow_lists,
        &[','],
    );
    // Path lists are comma-separated in their variables.
    for var in [config::WORD_LISTS, config::ALLOW_LISTS] {
        if let Some(v) = vars.get_mut(var) {
            *v = v.replace('\n', ",");
        }
    }
    if let Some(file) = &profile.regex_rules_file {
        vars.insert(config::REGEX_RULES_FILE, file.clone());
    }
    for (var, field, policy) in [
        (config::POLICY, "policy", &profile.policy),
        (
            senders::STRICT_POLICY,
            "strict_policy",
            &profile.strict_policy,
        ),
    ] {
        let Some(policy) = policy else { continue };
        let mut parts = Vec::new();
        for (key, action) in policy {
            let part = format!("{key}={action}");
            match part.parse::<chat_filter::Policy>() {
                Ok(_) => parts.push(part),
                Err(message) => errors.push(FieldError {
                    path: format!("{path}.{field}.{key}"),
                    message: message.to_string(),
                }),
            }
        }
        vars.insert(var, parts.join(","));
    }
    if let Some(weights) = &profile.strike_weights {
        let mut parts = Vec::new();
        for (key, weight) in weights {
            let part = format!("{key}={weight}");
            match StrikeWeights::parse(&part) {
                Ok(_) => parts.push(part),
                Err(error) => errors.push(FieldError {
                    path: format!("{path}.strike_weights.{key}"),
                    message: config_message(error),
                }),
            }
        }
        vars.insert(decision_record::STRIKE_WEIGHTS, parts.join(","));
    }
    // Each matcher is one entry of the variable's comma-separated list,
    // checked on its own so that the error names the entry.
    for (var, field, list) in [
        (
            senders::EXEMPT_SENDERS,
            "exempt_senders",
            &profile.exempt_senders,
        ),
        (
            senders::STRICT_SENDERS,
            "strict_senders",
            &profile.strict_senders,
        ),
    ] {
        let Some(list) = list else { continue };
        let mut entries_ok = true;
        for (i, entry) in list.iter().enumerate() {
            let problem = if entry.contains(',') {
                Some(format!(
                    "{entry:?} holds ',': give each matcher its own array element"
                ))
            } else if entry.trim().is_empty() {
                Some("is empty: a matcher is attribute=value|value (role=moderator)".to_string())
            } else {
                AttributeMatch::parse(var, entry).err().map(|error| {
                    let message = config_message(error);
                    // One entry is one matcher: the variable's numbering
                    // ("matcher 1") would only confuse here.
                    message
                        .strip_prefix("matcher 1 ")
                        .map_or(message.clone(), str::to_string)
                })
            };
            if let Some(message) = problem {
                entries_ok = false;
                errors.push(FieldError {
                    path: format!("{path}.{field}[{i}]"),
                    message,
                });
            }
        }
        if entries_ok {
            vars.insert(var, list.join(","));
        }
    }
    if profile.strict_senders.is_some() && profile.strict_policy.is_none() {
        errors.push(FieldError {
            path: format!("{path}.strict_policy"),
            message: "is required with strict_senders: the policy those senders get ({\"mild\": \"mask\", \"moderate\": \"deny\"})".into(),
        });
    }
    for (var, value) in [
        (config::DEFAULT_SEVERITY, &profile.default_severity),
        (config::DENY_REASON, &profile.deny_reason),
        (config::MASK_CHAR, &profile.mask_char),
    ] {
        match value {
            // A variable left blank means "the default"; a field written
            // blank in a document is a mistake: leaving it out says that.
            Some(value) if value.trim().is_empty() => errors.push(FieldError {
                path: format!("{path}.{}", field_of(var)),
                message: "is blank; leave the field out for the default".into(),
            }),
            Some(value) => {
                vars.insert(var, value.clone());
            }
            None => {}
        }
    }
    // Each setting on its own first, so that one bad field does not hide
    // the next: the variables' reader stops at its first error.
    for variable in config::VARIABLES {
        let Some(value) = vars.get(variable) else {
            continue;
        };
        // Strict senders need a policy to be read at all; a missing one is
        // reported above, a bad one under its own field.
        let alone = |name: &str| {
            if name == variable {
                Some(value.clone())
            } else if variable == senders::STRICT_SENDERS && name == senders::STRICT_POLICY {
                Some("severe=deny".to_string())
            } else {
                None
            }
        };
        if let Err(error) = Config::from_lookup(alone) {
            errors.push(field_error(path, &profile, error));
        }
    }
    if errors.len() > before {
        return None;
    }

    let built = Config::from_lookup(|name| vars.get(name).cloned())
        .and_then(|config| Profile::build(name, config));
    match built {
        Ok(profile) => Some(profile),
        Err(error) => {
            errors.push(field_error(path, &profile, error));
            None
        }
    }
}

/// The message of an error from checking one setting, without the
/// variable's name (the field path replaces it).
fn config_message(error: ConfigError) -> String {
    match error {
        ConfigError::Invalid { message, .. } => message,
        other => other.to_string(),
    }
}

/// The document field a configuration variable is written as.
fn field_of(var: &str) -> &'static str {
    match var {
        config::WORD_LISTS => "word_lists",
        config::BLOCK_TERMS => "block_terms",
        config::ALLOW_LISTS => "allow_lists",
        config::ALLOW_TERMS => "allow_terms",
        config::DEFAULT_LISTS => "default_lists",
        config::DEFAULT_RULES => "default_rules",
        config::REGEX_RULES => "regex_rules",
        config::REGEX_RULES_FILE => "regex_rules_file",
        config::POLICY => "policy",
        config::DEFAULT_SEVERITY => "default_severity",
        config::DENY_REASON => "deny_reason",
        config::MASK_CHAR => "mask_char",
        config::LOG_CONTENT => "log_content",
        decision_record::STRIKE_WEIGHTS => "strike_weights",
        senders::EXEMPT_SENDERS => "exempt_senders",
        senders::STRICT_SENDERS => "strict_senders",
        senders::STRICT_POLICY => "strict_policy",
        _ => "",
    }
}

/// Names the field (and entry) a configuration error came from.
fn field_error(path: &str, profile: &ProfileDocument, error: ConfigError) -> FieldError {
    let paths_of = |var: &str| match var {
        config::WORD_LISTS => profile.word_lists.as_deref().unwrap_or_default(),
        config::ALLOW_LISTS => profile.allow_lists.as_deref().unwrap_or_default(),
        _ => &[],
    };
    let entries_of = |var: &str| match var {
        config::BLOCK_TERMS => profile.block_terms.as_deref().unwrap_or_default(),
        config::ALLOW_TERMS => profile.allow_terms.as_deref().unwrap_or_default(),
        config::REGEX_RULES => profile.regex_rules.as_deref().unwrap_or_default(),
        _ => &[],
    };
    let (field, message) = match error {
        ConfigError::Invalid { variable, message } => (field_of(variable).to_string(), message),
        ConfigError::Unreadable {
            variable,
            path: file,
            error,
        } => {
            let field = field_of(variable);
            let field = match paths_of(variable).iter().position(|p| p.trim() == file) {
                Some(i) => format!("{field}[{i}]"),
                None => field.to_string(),
            };
            (field, format!("cannot read '{file}': {error}"))
        }
        ConfigError::Line {
            variable,
            list,
            line,
            message,
        } => {
            let field = field_of(variable);
            if list == variable {
                // An inline list: its lines are the array's entries.
                match line.and_then(|l| entries_of(variable).get(l - 1).map(|e| (l - 1, e))) {
                    Some((i, entry)) => (format!("{field}[{i}] '{entry}'"), message),
                    None => (field.to_string(), message),
                }
            } else {
                let at = match paths_of(variable).iter().position(|p| p.trim() == list) {
                    Some(i) => format!("{field}[{i}]"),
                    None => field.to_string(),
                };
                let location = match line {
                    Some(line) => format!("{list}:{line}"),
                    None => list,
                };
                (at, format!("{location}: {message}"))
            }
        }
        ConfigError::Build { error, .. } => (String::new(), error.to_string()),
    };
    FieldError {
        path: if field.is_empty() {
            path.to_string()
        } else {
            format!("{path}.{field}")
        },
        message,
    }
}

#[cfg(test)]
mod tests {
    use chat_filter::Action;

    use super::*;

    const KIDS: &str = "arn:aws:ivschat:us-west-2:123456789012:room/kidsRoom0001";
    const ADULT: &str = "arn:aws:ivschat:us-west-2:123456789012:room/adultRoom001";

    fn errors(text: &str) -> Vec<String> {
        match load("test.json", text) {
            Ok(_) => panic!("expected errors for {text}"),
            Err(e) => e.errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn profiles_give_each_room_its_own_rules() {
        let profiles = load(
            "test.json",
            r##"{
              "default": {"deny_reason": "Not here", "block_terms": ["frack | severe"]},
              "profiles": {
                "kids": {
                  "rooms": ["kids*"],
                  "policy": {"mild": "mask", "moderate": "deny"},
                  "mask_char": "#",
                  "exempt_senders": ["role=moderator"]
                }
              }
            }"##,
        )
        .unwrap();
        let kids = profiles.select(KIDS);
        assert_eq!(kids.name, "kids");
        assert_eq!(kids.filter.review("oh shit").action, Action::Deny);
        let moderator: std::collections::BTreeMap<String, String> =
            [("role".to_string(), "moderator".to_string())].into();
        assert_eq!(
            kids.config.senders.classify(&moderator),
            crate::senders::Speaker::Exempt
        );
        assert_eq!(
            kids.filter.review("oh damn").masked.as_deref(),
            Some("oh ####")
        );
        // A profile stands alone: the default's terms are not the kids'.
        assert_eq!(kids.filter.review("frack").action, Action::Allow);
        let adult = profiles.select(ADULT);
        assert_eq!(adult.name, DEFAULT_PROFILE);
        assert_eq!(adult.filter.review("frack").action, Action::Deny);
        assert_eq!(adult.config.deny_reason, "Not here");
        assert_eq!(adult.filter.review("oh shit").action, Action::Mask);
    }

    #[test]
    fn every_problem_is_reported_with_its_path_and_entry() {
        let found = errors(
            r#"{
              "default": {"rooms": ["x"], "mask_char": "**"},
              "profiles": {
                "kids": {"rooms": ["kids*"], "policy": {"mild": "ban", "severe": "deny"}},
                "teens": {"rooms": ["teen*"], "block_terms": ["ok", "bad | loud"]},
                "nobody": {},
                "files": {"rooms": ["f*"], "word_lists": ["no/such/list.txt"]},
                "users": {"rooms": ["u*"], "exempt_senders": ["role=mod", "", "role"]},
                "strict": {"rooms": ["s*"], "strict_senders": ["account=new"], "strike_weights": {"kick": 1, "deny": 11}},
                "joined": {"rooms": ["j*"], "allow_terms": ["a; b"]}
              }
            }"#,
        );
        assert_eq!(
            found,
            [
                "default.rooms: the default profile serves every room no other profile selects; it takes no rooms",
                "default.mask_char: '**' is 2 characters; exactly one is expected (such as '*')",
                "profiles.files.word_lists[0]: cannot read 'no/such/list.txt': No such file or directory (os error 2)",
                "profiles.joined.allow_terms[0]: \"a; b\" holds ';': give each entry its own array element",
                "profiles.kids.policy.mild: unknown action 'ban': expected allow, mask or deny",
                "profiles.nobody.rooms: a profile needs at least one room: a room ARN or id, or a pattern with '*'",
                "profiles.strict.strike_weights.deny: weight '11' must be a whole number in 0..=10",
                "profiles.strict.strike_weights.kick: unknown action 'kick': expected mask or deny",
                "profiles.strict.strict_policy: is required with strict_senders: the policy those senders get ({\"mild\": \"mask\", \"moderate\": \"deny\"})",
                "profiles.teens.block_terms[1] 'bad | loud': unknown severity 'loud': expected mild, moderate or severe",
                "profiles.users.exempt_senders[1]: is empty: a matcher is attribute=value|value (role=moderator)",
                "profiles.users.exempt_senders[2]: 'role' is not attribute=value|value (role=moderator)",
            ]
        );
    }

    #[test]
    fn shape_errors_name_the_path() {
        assert_eq!(
            errors(r#"{"profiles": {"kids": {"rooms": ["k"], "polcy": {}}}}"#)[0]
                .split(" (line")
                .next()
                .unwrap(),
            "profiles.kids.polcy: unknown field `polcy`, expected one of `rooms`, `default_lists`, `default_rules`, `word_lists`, `block_terms`, `allow_lists`, `allow_terms`, `regex_rules`, `regex_rules_file`, `policy`, `default_severity`, `deny_reason`, `mask_char`, `log_content`, `strike_weights`, `exempt_senders`, `strict_senders`, `strict_policy`"
        );
        let found = errors(r#"{"default": {"log_content": "yes"}}"#);
        assert!(
            found[0].starts_with(
                "default.log_content: invalid type: string \"yes\", expected a boolean"
            ),
            "{found:?}"
        );
        let eof = errors("{");
        assert!(eof[0].contains("EOF while parsing"), "{eof:?}");
        assert!(
            errors(r#"{"default": {"regex_rules": ["a | mask | ("]}}"#)[0]
                .starts_with("default.regex_rules[0] 'a | mask | (': regex rule 'a': ")
        );
    }

    #[test]
    fn a_blank_field_is_refused_not_read_as_the_default() {
        assert_eq!(
            errors(r#"{"default": {"deny_reason": "  ", "mask_char": " "}}"#),
            [
                "default.deny_reason: is blank; leave the field out for the default",
                "default.mask_char: is blank; leave the field out for the default",
            ]
        );
    }

    #[test]
    fn a_selector_may_belong_to_one_profile() {
        assert_eq!(
            errors(r#"{"profiles": {"a": {"rooms": ["k*"]}, "b": {"rooms": ["k*"]}}}"#),
            ["profiles.b.rooms: 'k*' is also a room of profiles.a; each selector may belong to one profile"]
        );
    }

    #[test]
    fn an_empty_document_is_the_defaults() {
        let profiles = load("t", "{}").unwrap();
        assert_eq!(profiles.iter().count(), 1);
        assert_eq!(
            profiles.select(KIDS).filter.review("oh shit").action,
            Action::Mask
        );
    }
}
