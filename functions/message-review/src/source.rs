//! Where the handler's configuration comes from, and keeping it current.
//!
//! Three sources, exactly one in use:
//!
//! 1. **Environment variables** (`REVIEW_*`, [`crate::config`]): one policy
//!    for every room. The simple case, and the default.
//! 2. **A configuration document file** (`REVIEW_CONFIG_FILE`,
//!    [`crate::document`]): profiles per room, read once at init.
//! 3. **AWS AppConfig** (`REVIEW_APPCONFIG_APPLICATION`, `_ENVIRONMENT`,
//!    `_PROFILE`): the same document, served by the AppConfig Lambda
//!    extension, read at init and again at most every
//!    `REVIEW_CONFIG_POLL_SECONDS` on the invocation path.
//!
//! A document is the whole configuration: setting a filter variable
//! (`REVIEW_BLOCK_TERMS`, ...) beside one is an init error naming both, so
//! nobody is left wondering which of the two applies. A blank variable is
//! not set (the template passes every parameter, empty by default).
//!
//! Live updates ([`LiveConfig::poll`]) never make things worse: a read that
//! is slow (over `REVIEW_APPCONFIG_TIMEOUT_MS`) or fails keeps the current
//! profiles; the profiles are rebuilt only when the document's
//! `Configuration-Version` changes; a new document that does not validate is
//! logged with all its errors, counted (`ConfigRejected`), remembered so it
//! is not parsed again, and the current profiles stay.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::appconfig::{self, Endpoint, FetchError, Fetched};
use crate::config::{self, Config, ConfigError};
use crate::document::{self, DocumentError};
use crate::profiles::{Profile, Profiles, DEFAULT_PROFILE};

/// Path of a configuration document.
pub const CONFIG_FILE: &str = "REVIEW_CONFIG_FILE";
/// The AppConfig application (name or id).
pub const APPCONFIG_APPLICATION: &str = "REVIEW_APPCONFIG_APPLICATION";
/// The AppConfig environment (name or id).
pub const APPCONFIG_ENVIRONMENT: &str = "REVIEW_APPCONFIG_ENVIRONMENT";
/// The AppConfig configuration profile (name or id).
pub const APPCONFIG_PROFILE: &str = "REVIEW_APPCONFIG_PROFILE";
/// Least seconds between two reads of the extension (default 10).
pub const CONFIG_POLL_SECONDS: &str = "REVIEW_CONFIG_POLL_SECONDS";
/// Budget of one read on the invocation path, in milliseconds (default 5).
pub const APPCONFIG_TIMEOUT_MS: &str = "REVIEW_APPCONFIG_TIMEOUT_MS";
/// The extension's own port variable, which moves its endpoint.
pub const EXTENSION_PORT: &str = "AWS_APPCONFIG_EXTENSION_HTTP_PORT";

/// The poll interval unless `REVIEW_CONFIG_POLL_SECONDS` says otherwise.
pub const DEFAULT_POLL: Duration = Duration::from_secs(10);
/// The read budget unless `REVIEW_APPCONFIG_TIMEOUT_MS` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(5);
/// The budget of the read at init, where no message waits: the extension
/// may still be fetching its first copy.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(2);

/// A configuration the handler cannot start with.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A bad variable, list or rule.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A document that does not validate.
    #[error("{variable}: {error}")]
    Document {
        /// The variable that named the document.
        variable: &'static str,
        /// Every problem in it.
        error: DocumentError,
    },
    /// The document file could not be read.
    #[error("{CONFIG_FILE}: cannot read '{path}': {error}")]
    Unreadable {
        /// The path.
        path: String,
        /// What the operating system said.
        error: std::io::Error,
    },
    /// The document could not be fetched from the extension at init.
    #[error("{APPCONFIG_PROFILE}: {0}")]
    Fetch(#[from] FetchError),
    /// Settings that contradict each other.
    #[error("{0}")]
    Conflict(String),
}

/// What the environment says to read.
#[derive(Debug)]
pub enum Source {
    /// The `REVIEW_*` variables.
    Environment,
    /// A document file.
    File(String),
    /// The AppConfig extension.
    AppConfig(LiveConfig),
}

impl Source {
    /// Reads the source variables through `lookup`, refusing a document
    /// beside filter variables.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Source, InitError> {
        let set = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let file = set(CONFIG_FILE);
        let appconfig: Vec<_> = [
            APPCONFIG_APPLICATION,
            APPCONFIG_ENVIRONMENT,
            APPCONFIG_PROFILE,
        ]
        .into_iter()
        .map(|name| (name, set(name)))
        .collect();
        let named = appconfig.iter().filter(|(_, v)| v.is_some()).count();
        if named != 0 && named != 3 {
            let missing: Vec<_> = appconfig
                .iter()
                .filter(|(_, v)| v.is_none())
                .map(|(n, _)| *n)
                .collect();
            return Err(InitError::Conflict(format!(
                "{}: AppConfig needs the application, environment and configuration profile; set these too",
                missing.join(", ")
            )));
        }
        let document_variable = match (&file, named) {
            (Some(_), 3) => {
                return Err(InitError::Conflict(format!(
                    "{CONFIG_FILE} and {APPCONFIG_PROFILE} are both set; the document comes from one place, so unset one"
                )))
            }
            (Some(_), _) => Some(CONFIG_FILE),
            (None, 3) => Some(APPCONFIG_PROFILE),
            _ => None,
        };
        if let Some(document_variable) = document_variable {
            let also: Vec<_> = config::VARIABLES
                .into_iter()
                .filter(|name| set(name).is_some())
                .collect();
            if !also.is_empty() {
                return Err(InitError::Conflict(format!(
                    "{} set beside {document_variable}: a configuration document is the whole configuration; move the setting into the document or unset it",
                    also.join(", ")
                )));
            }
        }
        if let Some(path) = file {
            return Ok(Source::File(path.trim().to_string()));
        }
        if named == 3 {
            let value = |name| set(name).unwrap_or_default();
            let port = match lookup(EXTENSION_PORT) {
                Some(port) => port.trim().parse().map_err(|_| {
                    InitError::Conflict(format!("{EXTENSION_PORT}: '{port}' is not a port number"))
                })?,
                None => appconfig::DEFAULT_PORT,
            };
            let poll = match lookup(CONFIG_POLL_SECONDS) {
                Some(v) => Duration::from_secs(number(CONFIG_POLL_SECONDS, &v, 0, 86_400)?),
                None => DEFAULT_POLL,
            };
            let budget = match lookup(APPCONFIG_TIMEOUT_MS) {
                Some(v) => Duration::from_millis(number(APPCONFIG_TIMEOUT_MS, &v, 1, 100)?),
                None => DEFAULT_TIMEOUT,
            };
            let endpoint = Endpoint::new(
                port,
                &value(APPCONFIG_APPLICATION),
                &value(APPCONFIG_ENVIRONMENT),
                &value(APPCONFIG_PROFILE),
            );
            return Ok(Source::AppConfig(LiveConfig::new(endpoint, poll, budget)));
        }
        Ok(Source::Environment)
    }
}

fn number(variable: &'static str, value: &str, min: u64, max: u64) -> Result<u64, InitError> {
    match value.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(InitError::Config(ConfigError::Invalid {
            variable,
            message: format!("'{value}' is not a whole number from {min} to {max}"),
        })),
    }
}

/// The profiles a local tool reviews with: the document at `file` (or in
/// `REVIEW_CONFIG_FILE`) when there is one, else the `REVIEW_*` variables as
/// the one profile. The same rules as the function: a document beside filter
/// variables is refused. AppConfig documents are not fetched: tools are
/// given the document as a file.
pub fn local_profiles(
    file: Option<&str>,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Profiles, InitError> {
    let lookup = |name: &str| match (name, file) {
        (CONFIG_FILE, Some(file)) => Some(file.to_string()),
        _ => lookup(name),
    };
    match Source::from_lookup(&lookup)? {
        Source::Environment => environment_profiles(&lookup),
        Source::File(path) => load_file(&path),
        Source::AppConfig(live) => Err(InitError::Conflict(format!(
            "{APPCONFIG_PROFILE}: the document is in AppConfig ({}); give it as a file with --config or {CONFIG_FILE}",
            live.url()
        ))),
    }
}

/// The `REVIEW_*` variables as the one (default) profile.
pub fn environment_profiles(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<Profiles, InitError> {
    let config = Config::from_lookup(lookup)?;
    let profile = Profile::build(DEFAULT_PROFILE, config)?;
    Ok(Profiles::single(profile))
}

/// Reads and builds a document file.
pub fn load_file(path: &str) -> Result<Profiles, InitError> {
    let text = std::fs::read_to_string(path).map_err(|error| InitError::Unreadable {
        path: path.to_string(),
        error,
    })?;
    document::load(path, &text).map_err(|error| InitError::Document {
        variable: CONFIG_FILE,
        error,
    })
}

/// The AppConfig document, read through the extension and kept current.
#[derive(Debug)]
pub struct LiveConfig {
    endpoint: Endpoint,
    interval: Duration,
    budget: Duration,
    state: Mutex<PollState>,
}

#[derive(Debug, Default)]
struct PollState {
    /// When the next read is due (`None`: now).
    next: Option<Instant>,
    /// The version the profiles were built from.
    version: Option<String>,
    /// The last version refused, not to be parsed again.
    rejected: Option<String>,
}

/// What one poll did.
#[derive(Debug)]
pub enum Polled {
    /// Not due yet, or the version was the current (or a refused) one.
    Unchanged,
    /// A new document, validated and built.
    Updated {
        /// Its version.
        version: String,
        /// The profiles built from it (boxed: they are large, the other
        /// outcomes small).
        profiles: Box<Profiles>,
        /// How long validating and building took.
        rebuild: Duration,
    },
    /// A new document that does not validate; the current one stays.
    Rejected {
        /// Its version.
        version: String,
        /// Every problem in it.
        error: DocumentError,
    },
    /// The read failed or ran out of time; the current document stays.
    Failed(FetchError),
}

impl LiveConfig {
    /// Polls `endpoint` at most every `interval`, each read within `budget`.
    pub fn new(endpoint: Endpoint, interval: Duration, budget: Duration) -> LiveConfig {
        LiveConfig {
            endpoint,
            interval,
            budget,
            state: Mutex::new(PollState::default()),
        }
    }

    /// The extension URL read.
    pub fn url(&self) -> String {
        self.endpoint.url()
    }

    /// The least time between reads.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The read at init: the document must be there and valid.
    pub fn load_initial(&self) -> Result<(String, Profiles), InitError> {
        let (version, body) = match appconfig::fetch(&self.endpoint, None, INIT_TIMEOUT)? {
            Fetched::New { version, body } => (version, body),
            // Only a read that names a current version can find it unchanged.
            Fetched::Unchanged => {
                return Err(InitError::Conflict(format!(
                    "{APPCONFIG_PROFILE}: {} answered without a document",
                    self.url()
                )))
            }
        };
        let profiles = document::load(&self.describe(&version), &body).map_err(|error| {
            InitError::Document {
                variable: APPCONFIG_PROFILE,
                error,
            }
        })?;
        let mut state = self.lock();
        state.version = Some(version.clone());
        state.next = Some(Instant::now() + self.interval);
        Ok((version, profiles))
    }

    /// Reads the extension if a read is due at `now`, and builds the
    /// document if it is new.
    pub fn poll(&self, now: Instant) -> Polled {
        let current = {
            let mut state = self.lock();
            if state.next.is_some_and(|next| now < next) {
                return Polled::Unchanged;
            }
            state.next = Some(now + self.interval);
            state.version.clone()
        };
        let (version, body) =
            match appconfig::fetch(&self.endpoint, current.as_deref(), self.budget) {
                Ok(Fetched::Unchanged) => return Polled::Unchanged,
                Ok(Fetched::New { version, body }) => (version, body),
                Err(error) => return Polled::Failed(error),
            };
        {
            let state = self.lock();
            let seen = Some(version.as_str());
            if state.version.as_deref() == seen || state.rejected.as_deref() == seen {
                return Polled::Unchanged;
            }
        }
        let started = Instant::now();
        match document::load(&self.describe(&version), &body) {
            Ok(profiles) => {
                let rebuild = started.elapsed();
                let mut state = self.lock();
                state.version = Some(version.clone());
                state.rejected = None;
                Polled::Updated {
                    version,
                    profiles: Box::new(profiles),
                    rebuild,
                }
            }
            Err(error) => {
                self.lock().rejected = Some(version.clone());
                Polled::Rejected { version, error }
            }
        }
    }

    fn describe(&self, version: &str) -> String {
        format!("{} (version {version})", self.endpoint.url())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PollState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn source(vars: &[(&str, &str)]) -> Result<Source, InitError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Source::from_lookup(&|name: &str| vars.get(name).cloned())
    }

    #[test]
    fn the_source_is_one_of_three() {
        assert!(matches!(source(&[]), Ok(Source::Environment)));
        assert!(matches!(
            source(&[(CONFIG_FILE, "rooms.json")]),
            Ok(Source::File(p)) if p == "rooms.json"
        ));
        let Ok(Source::AppConfig(live)) = source(&[
            (APPCONFIG_APPLICATION, "chat"),
            (APPCONFIG_ENVIRONMENT, "prod"),
            (APPCONFIG_PROFILE, "review"),
            (CONFIG_POLL_SECONDS, "30"),
        ]) else {
            panic!("expected AppConfig");
        };
        assert_eq!(
            live.url(),
            "http://localhost:2772/applications/chat/environments/prod/configurations/review"
        );
        assert_eq!(live.interval(), Duration::from_secs(30));
    }

    #[test]
    fn blank_variables_are_unset_as_the_template_passes_them() {
        // The template passes every parameter, empty by default: blank
        // AppConfig names keep the environment, and blank filter variables
        // beside a document do not contradict it.
        let blank_names = [
            (APPCONFIG_APPLICATION, ""),
            (APPCONFIG_ENVIRONMENT, ""),
            (APPCONFIG_PROFILE, ""),
            (CONFIG_POLL_SECONDS, "10"),
        ];
        assert!(matches!(source(&blank_names), Ok(Source::Environment)));
        assert!(matches!(
            source(&[
                (APPCONFIG_APPLICATION, "chat"),
                (APPCONFIG_ENVIRONMENT, "chat"),
                (APPCONFIG_PROFILE, "chat"),
                ("REVIEW_DENY_REASON", ""),
                ("REVIEW_BLOCK_TERMS", " "),
                ("REVIEW_EXEMPT_SENDERS", ""),
            ]),
            Ok(Source::AppConfig(_))
        ));
    }

    #[test]
    fn contradictions_are_init_errors_naming_the_variables() {
        let message = |vars: &[(&str, &str)]| source(vars).unwrap_err().to_string();
        assert_eq!(
            message(&[(CONFIG_FILE, "a.json"), ("REVIEW_BLOCK_TERMS", "x")]),
            "REVIEW_BLOCK_TERMS set beside REVIEW_CONFIG_FILE: a configuration document is the whole configuration; move the setting into the document or unset it"
        );
        assert_eq!(
            message(&[(APPCONFIG_APPLICATION, "chat")]),
            "REVIEW_APPCONFIG_ENVIRONMENT, REVIEW_APPCONFIG_PROFILE: AppConfig needs the application, environment and configuration profile; set these too"
        );
        let all = [
            (APPCONFIG_APPLICATION, "a"),
            (APPCONFIG_ENVIRONMENT, "b"),
            (APPCONFIG_PROFILE, "c"),
        ];
        let mut both = all.to_vec();
        both.push((CONFIG_FILE, "x.json"));
        assert!(message(&both).starts_with("REVIEW_CONFIG_FILE and REVIEW_APPCONFIG_PROFILE"));
        let mut bad = all.to_vec();
        bad.push((APPCONFIG_TIMEOUT_MS, "500"));
        assert_eq!(
            message(&bad),
            "REVIEW_APPCONFIG_TIMEOUT_MS: '500' is not a whole number from 1 to 100"
        );
        let mut bad = all.to_vec();
        bad.push((CONFIG_POLL_SECONDS, "soon"));
        assert!(message(&bad).starts_with("REVIEW_CONFIG_POLL_SECONDS: 'soon'"));
    }

    #[test]
    fn a_missing_or_invalid_file_names_the_variable() {
        let error = load_file("no/such/rooms.json").unwrap_err().to_string();
        assert!(
            error.starts_with("REVIEW_CONFIG_FILE: cannot read 'no/such/rooms.json'"),
            "{error}"
        );
        let path = std::env::temp_dir().join(format!("review-doc-{}.json", std::process::id()));
        std::fs::write(&path, r#"{"default": {"mask_char": ""}}"#).unwrap();
        let error = load_file(path.to_str().unwrap()).unwrap_err().to_string();
        let _ = std::fs::remove_file(&path);
        assert!(
            error.starts_with("REVIEW_CONFIG_FILE: ") && error.contains(": default.mask_char: "),
            "{error}"
        );
    }

    /// A stand-in extension answering `versions` in turn, one per connection.
    fn extension(versions: Vec<(&'static str, &'static str)>) -> Endpoint {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for (version, body) in versions {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                    line.clear();
                }
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nConfiguration-Version: {version}\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Endpoint::new(port, "a", "e", "p")
    }

    #[test]
    fn polls_rebuild_only_new_valid_versions_and_refuse_bad_ones_once() {
        let endpoint = extension(vec![
            ("1", r#"{"default": {}}"#),
            ("1", r#"{"default": {}}"#),
            ("2", r#"{"default": {"mask_char": ""}}"#),
            ("2", r#"{"default": {"mask_char": ""}}"#),
            ("3", r#"{"default": {"block_terms": ["frack"]}}"#),
        ]);
        let live = LiveConfig::new(endpoint, Duration::from_secs(60), Duration::from_secs(2));
        let (version, _) = live.load_initial().unwrap();
        assert_eq!(version, "1");
        let start = Instant::now();
        // Not due: no read at all (the stand-in would answer version 1).
        assert!(matches!(live.poll(start), Polled::Unchanged));
        let mut at = start + Duration::from_secs(61);
        let mut next = || {
            at += Duration::from_secs(61);
            live.poll(at)
        };
        assert!(matches!(next(), Polled::Unchanged));
        match next() {
            Polled::Rejected { version, error } => {
                assert_eq!(version, "2");
                assert!(
                    error.errors[0].path.starts_with("default.mask_char"),
                    "{error}"
                );
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        // The same bad version again: not parsed, not reported again.
        assert!(matches!(next(), Polled::Unchanged));
        match next() {
            Polled::Updated {
                version, profiles, ..
            } => {
                assert_eq!(version, "3");
                let verdict = profiles.default_profile().filter.review("frack");
                assert_eq!(verdict.action, chat_filter::Action::Deny);
            }
            other => panic!("expected an update, got {other:?}"),
        }
        // The stand-in is gone: the read fails and says so.
        assert!(matches!(next(), Polled::Failed(_)));
    }
}
