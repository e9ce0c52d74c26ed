//! CloudWatch metrics in the embedded metric format (EMF), written into the
//! handler's own log lines.
//!
//! The review handler may not call CloudWatch (no SDK, no network on the hot
//! path), but CloudWatch Logs turns any log line that carries an `_aws`
//! metadata object into metrics. So the line already written for each DENY
//! or masked message gains the metadata and the values, and the metrics cost
//! nothing but a few hundred bytes of log.
//!
//! What is emitted (namespace `REVIEW_METRICS_NAMESPACE`):
//!
//! | Metric | Unit | Dimension sets | Written |
//! |---|---|---|---|
//! | `Moderated` | Count | `[room, action]`, `[room, action, category]` | 1 on every decision line (DENY or mask) |
//! | `ReviewTime` | Milliseconds | `[function]` | every reviewed message's time, in batches of up to 100 values |
//! | `ConfigRejected` | Count | `[function]` | 1 when a new configuration document is refused |
//!
//! `room` is the room's id (the last part of its ARN), `action` is `deny` or
//! `mask`, `category` is the category of the match that decided the action
//! (`uncategorised` when it has none), `function` is the Lambda function's
//! name. Cardinality: `rooms × 2` series for the first set and
//! `rooms × 2 × categories` for the second; CloudWatch bills per series, so a
//! deployment with 1,000 rooms and the built-in lists' categories pays for at
//! most a few tens of thousands of series, and only for those that occur.
//!
//! Review times of clean messages have no line of their own to ride on
//! (clean messages write nothing): they are kept in a small buffer and
//! written as an array of values (EMF allows up to 100 a line) on the next
//! decision line, when the buffer is full, or on the first review after
//! [`FLUSH_AFTER`]. A sandbox that Lambda freezes for good loses at most one
//! buffer of samples; counts are never buffered.
//!
//! Totals are Lambda's own `Invocations` metric of the function (one per
//! reviewed message): the deny rate over a period is
//! `SUM(Moderated, action=deny) / SUM(Invocations)`, and likewise for masks.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use ivs_chat::env::parse_boolean;

use crate::config::ConfigError;

/// Whether EMF metrics are written (`true`/`false`; default `false`, on in
/// the template).
pub const METRICS: &str = "REVIEW_METRICS";
/// The CloudWatch namespace of the metrics.
pub const METRICS_NAMESPACE: &str = "REVIEW_METRICS_NAMESPACE";
/// The namespace unless `REVIEW_METRICS_NAMESPACE` says otherwise.
pub const DEFAULT_NAMESPACE: &str = "IvsChatModeration";
/// The most values EMF accepts for one metric on one line.
pub const MAX_VALUES: usize = 100;
/// How long review times may wait in the buffer for a line to ride on.
pub const FLUSH_AFTER: Duration = Duration::from_secs(60);
/// The dimension value of a decision whose match has no category.
pub const UNCATEGORISED: &str = "uncategorised";

/// The `message` of a line that carries only buffered review times.
pub const REVIEW_TIMES_MESSAGE: &str = "review times";

/// The metric names, for dashboards and tests.
pub mod names {
    /// Decisions (DENY or mask).
    pub const MODERATED: &str = "Moderated";
    /// The handler's own time per message.
    pub const REVIEW_TIME: &str = "ReviewTime";
    /// Configuration documents refused.
    pub const CONFIG_REJECTED: &str = "ConfigRejected";
}

/// One DENY or mask decision, as the metrics see it.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    /// The room's ARN (or id).
    pub room: &'a str,
    /// `deny` or `mask`.
    pub action: &'a str,
    /// The category of the deciding match.
    pub category: Option<&'a str>,
}

/// The metrics writer: configuration plus the review-time buffer.
#[derive(Debug)]
pub struct Metrics {
    namespace: String,
    function: String,
    /// The `CloudWatchMetrics` arrays, built once: only the timestamp and
    /// the values change from line to line.
    decision_directives: Value,
    review_time_directives: Value,
    rejected_directives: Value,
    pending: Mutex<Pending>,
}

#[derive(Debug, Default)]
struct Pending {
    samples: Vec<f64>,
    oldest: Option<Instant>,
}

impl Metrics {
    /// A writer for `namespace`, naming `function` in the `function`
    /// dimension.
    pub fn new(namespace: impl Into<String>, function: impl Into<String>) -> Metrics {
        let namespace = namespace.into();
        let review_time = json!({
            "Namespace": namespace,
            "Dimensions": [["function"]],
            "Metrics": [{"Name": names::REVIEW_TIME, "Unit": "Milliseconds"}],
        });
        Metrics {
            decision_directives: json!([
                {
                    "Namespace": namespace,
                    "Dimensions": [["room", "action"], ["room", "action", "category"]],
                    "Metrics": [{"Name": names::MODERATED, "Unit": "Count"}],
                },
                review_time,
            ]),
            review_time_directives: json!([review_time]),
            rejected_directives: json!([{
                "Namespace": namespace,
                "Dimensions": [["function"]],
                "Metrics": [{"Name": names::CONFIG_REJECTED, "Unit": "Count"}],
            }]),
            namespace,
            function: function.into(),
            pending: Mutex::new(Pending::default()),
        }
    }

    /// Reads `REVIEW_METRICS` and `REVIEW_METRICS_NAMESPACE` (and Lambda's
    /// `AWS_LAMBDA_FUNCTION_NAME`) through `lookup`; `None` when metrics are
    /// off.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Metrics>, ConfigError> {
        let enabled = match lookup(METRICS) {
            Some(value) => parse_boolean(&value).map_err(|message| ConfigError::Invalid {
                variable: METRICS,
                message,
            })?,
            None => false,
        };
        if !enabled {
            return Ok(None);
        }
        let namespace = lookup(METRICS_NAMESPACE)
            .map(|n| n.trim().to_string())
            .unwrap_or_else(|| DEFAULT_NAMESPACE.to_string());
        check_namespace(&namespace)?;
        let function = lookup("AWS_LAMBDA_FUNCTION_NAME")
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| "message-review".to_string());
        Ok(Some(Metrics::new(namespace, function)))
    }

    /// The namespace metrics are written to.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Adds the EMF members of a decision to its log line: the `_aws`
    /// metadata, the `room`, `category` and `function` dimension values
    /// (`action` is the line's own field), `Moderated` and the buffered
    /// review times with this message's.
    pub fn decision(&self, line: &mut Map<String, Value>, decision: Decision<'_>, review_ms: f64) {
        let samples = {
            let mut pending = self.lock();
            pending.samples.push(review_ms);
            pending.oldest = None;
            std::mem::take(&mut pending.samples)
        };
        line.insert("_aws".into(), metadata(&self.decision_directives));
        line.insert("room".into(), room_id(decision.room).into());
        line.insert("action".into(), decision.action.into());
        line.insert(
            "category".into(),
            decision
                .category
                .filter(|c| !c.is_empty())
                .unwrap_or(UNCATEGORISED)
                .into(),
        );
        line.insert("function".into(), self.function.clone().into());
        line.insert(names::MODERATED.into(), 1.into());
        line.insert(names::REVIEW_TIME.into(), values(samples));
    }

    /// Records the review time of a message that wrote no line; returns a
    /// line of buffered times to write when the buffer is full or its oldest
    /// value has waited [`FLUSH_AFTER`].
    pub fn review_time(&self, review_ms: f64, now: Instant) -> Option<Map<String, Value>> {
        let samples = {
            let mut pending = self.lock();
            pending.samples.push(review_ms);
            let oldest = *pending.oldest.get_or_insert(now);
            let due = pending.samples.len() >= MAX_VALUES
                || now.saturating_duration_since(oldest) >= FLUSH_AFTER;
            if !due {
                return None;
            }
            pending.oldest = None;
            std::mem::take(&mut pending.samples)
        };
        let mut line = base_line(REVIEW_TIMES_MESSAGE);
        line.insert("_aws".into(), metadata(&self.review_time_directives));
        line.insert("function".into(), self.function.clone().into());
        line.insert(names::REVIEW_TIME.into(), values(samples));
        Some(line)
    }

    /// Adds `ConfigRejected` to the line that reports a refused
    /// configuration document.
    pub fn config_rejected(&self, line: &mut Map<String, Value>) {
        line.insert("_aws".into(), metadata(&self.rejected_directives));
        line.insert("function".into(), self.function.clone().into());
        line.insert(names::CONFIG_REJECTED.into(), 1.into());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        // The buffer holds plain numbers: a panic elsewhere cannot leave it
        // inconsistent, so a poisoned lock is still usable.
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A log line's fixed members, as the handler's other lines have them.
pub fn base_line(message: &str) -> Map<String, Value> {
    let mut line = Map::new();
    line.insert("level".into(), "INFO".into());
    line.insert("message".into(), message.into());
    line
}

/// The id of a room from its ARN (`arn:aws:ivschat:...:room/ID`); anything
/// else is returned as it is.
pub fn room_id(room: &str) -> &str {
    room.rsplit_once(":room/").map_or(room, |(_, id)| id)
}

fn metadata(directives: &Value) -> Value {
    let mut metadata = Map::with_capacity(2);
    metadata.insert("Timestamp".into(), now_ms().into());
    metadata.insert("CloudWatchMetrics".into(), directives.clone());
    Value::Object(metadata)
}

fn values(samples: Vec<f64>) -> Value {
    match samples.as_slice() {
        [one] => json!(round(*one)),
        _ => Value::Array(samples.into_iter().map(|s| json!(round(s))).collect()),
    }
}

/// Microsecond precision is all a millisecond metric needs, and keeps the
/// line short.
fn round(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// CloudWatch namespaces: 1 to 255 characters of letters, digits and
/// `. - _ / # :`, not starting with `AWS/`.
fn check_namespace(namespace: &str) -> Result<(), ConfigError> {
    let bad = namespace
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || ".-_/#: ".contains(*c)));
    let problem = if namespace.is_empty() || namespace.len() > 255 {
        Some(format!("'{namespace}' must be 1 to 255 characters long"))
    } else if let Some(c) = bad {
        Some(format!(
            "'{namespace}' holds {c:?}; a namespace may hold letters, digits, spaces and . - _ / # :"
        ))
    } else if namespace.starts_with("AWS/") {
        Some(format!(
            "'{namespace}' starts with AWS/, which is reserved for AWS services"
        ))
    } else {
        None
    };
    match problem {
        Some(message) => Err(ConfigError::Invalid {
            variable: METRICS_NAMESPACE,
            message,
        }),
        None => Ok(()),
    }
}

/// Checks a line against the EMF specification's structural rules (root
/// `_aws` object with a numeric `Timestamp` and a `CloudWatchMetrics` array;
/// each directive with a `Namespace`, `Dimensions` of string arrays (at most
/// 30 keys) naming root members with string values, and `Metrics` naming
/// root members with a number or an array of at most 100 numbers).
///
/// Returns what is wrong; used by tests here and end to end.
pub fn check_emf(line: &Value) -> Result<(), String> {
    let root = line.as_object().ok_or("the line is not a JSON object")?;
    let aws = root
        .get("_aws")
        .and_then(Value::as_object)
        .ok_or("no _aws object")?;
    aws.get("Timestamp")
        .and_then(Value::as_u64)
        .ok_or("_aws.Timestamp is not a number of milliseconds")?;
    let directives = aws
        .get("CloudWatchMetrics")
        .and_then(Value::as_array)
        .ok_or("_aws.CloudWatchMetrics is not an array")?;
    for (i, directive) in directives.iter().enumerate() {
        let namespace = directive.get("Namespace").and_then(Value::as_str);
        if !namespace.is_some_and(|n| !n.is_empty() && n.len() <= 255) {
            return Err(format!("directive {i}: Namespace missing or invalid"));
        }
        let sets = directive
            .get("Dimensions")
            .and_then(Value::as_array)
            .ok_or(format!("directive {i}: Dimensions is not an array"))?;
        for set in sets {
            let keys = set
                .as_array()
                .ok_or(format!("directive {i}: a dimension set is not an array"))?;
            if keys.len() > 30 {
                return Err(format!("directive {i}: more than 30 dimensions"));
            }
            for key in keys {
                let key = key
                    .as_str()
                    .ok_or(format!("directive {i}: a dimension key is not a string"))?;
                match root.get(key).and_then(Value::as_str) {
                    Some(v) if !v.is_empty() && v.len() <= 1024 => {}
                    _ => return Err(format!("dimension '{key}' has no string value")),
                }
            }
        }
        let metrics = directive
            .get("Metrics")
            .and_then(Value::as_array)
            .ok_or(format!("directive {i}: Metrics is not an array"))?;
        if metrics.len() > 100 {
            return Err(format!("directive {i}: more than 100 metrics"));
        }
        for metric in metrics {
            let name = metric
                .get("Name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty() && n.len() <= 255)
                .ok_or(format!("directive {i}: a metric has no Name"))?;
            let ok = match root.get(name) {
                Some(Value::Number(_)) => true,
                Some(Value::Array(values)) => {
                    values.len() <= MAX_VALUES && values.iter().all(Value::is_number)
                }
                _ => false,
            };
            if !ok {
                return Err(format!(
                    "metric '{name}' has no number or array of at most {MAX_VALUES} numbers"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

    fn metrics() -> Metrics {
        Metrics::new("Test/Chat", "review-fn")
    }

    #[test]
    fn a_decision_line_is_valid_emf_with_the_buffered_times() {
        let metrics = metrics();
        let start = Instant::now();
        assert!(metrics.review_time(0.25, start).is_none());
        assert!(metrics.review_time(0.5, start).is_none());
        let mut line = base_line("message moderated");
        metrics.decision(
            &mut line,
            Decision {
                room: ROOM,
                action: "deny",
                category: Some("slur"),
            },
            1.0,
        );
        let line = Value::Object(line);
        check_emf(&line).unwrap();
        assert_eq!(line["room"], "abcdABCDefgh");
        assert_eq!(line["category"], "slur");
        assert_eq!(line["Moderated"], 1);
        assert_eq!(line["ReviewTime"], json!([0.25, 0.5, 1.0]));
        assert_eq!(
            line["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "Test/Chat"
        );
        // The buffer was emptied.
        let mut next = base_line("message moderated");
        metrics.decision(
            &mut next,
            Decision {
                room: "plain-id",
                action: "mask",
                category: None,
            },
            2.0,
        );
        assert_eq!(next["ReviewTime"], json!(2.0));
        assert_eq!(next["category"], UNCATEGORISED);
        assert_eq!(next["room"], "plain-id");
    }

    #[test]
    fn review_times_flush_when_full_or_old() {
        let metrics = metrics();
        let start = Instant::now();
        for _ in 0..MAX_VALUES - 1 {
            assert!(metrics.review_time(0.1, start).is_none());
        }
        let line = Value::Object(metrics.review_time(0.1, start).unwrap());
        check_emf(&line).unwrap();
        assert_eq!(line["message"], REVIEW_TIMES_MESSAGE);
        assert_eq!(line["ReviewTime"].as_array().unwrap().len(), MAX_VALUES);

        assert!(metrics.review_time(0.1, start).is_none());
        let later = start + FLUSH_AFTER;
        let line = Value::Object(metrics.review_time(0.2, later).unwrap());
        assert_eq!(line["ReviewTime"], json!([0.1, 0.2]));
    }

    #[test]
    fn the_variables_switch_metrics_and_name_the_namespace() {
        let off = Metrics::from_lookup(|_| None).unwrap();
        assert!(off.is_none());
        let on = Metrics::from_lookup(|name| match name {
            METRICS => Some("on".into()),
            "AWS_LAMBDA_FUNCTION_NAME" => Some("stack-message-review".into()),
            _ => None,
        })
        .unwrap()
        .unwrap();
        assert_eq!(on.namespace(), DEFAULT_NAMESPACE);
        assert_eq!(on.function, "stack-message-review");
        let error = Metrics::from_lookup(|name| (name == METRICS).then(|| "perhaps".into()))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("REVIEW_METRICS: 'perhaps' is not a boolean"),
            "{error}"
        );
        for (namespace, expected) in [
            ("AWS/Lambda", "reserved"),
            ("", "1 to 255"),
            ("a|b", "holds '|'"),
        ] {
            let error = Metrics::from_lookup(|name| match name {
                METRICS => Some("true".into()),
                METRICS_NAMESPACE => Some(namespace.into()),
                _ => None,
            })
            .unwrap_err()
            .to_string();
            assert!(error.starts_with("REVIEW_METRICS_NAMESPACE: "), "{error}");
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn a_rejected_config_counts_and_the_checker_catches_bad_lines() {
        let metrics = metrics();
        let mut line = base_line("configuration rejected");
        metrics.config_rejected(&mut line);
        let line = Value::Object(line);
        check_emf(&line).unwrap();
        assert_eq!(line["ConfigRejected"], 1);

        let mut missing_dimension = line.clone();
        missing_dimension
            .as_object_mut()
            .unwrap()
            .remove("function");
        assert!(check_emf(&missing_dimension).is_err());
        let mut bad_value = line.clone();
        bad_value["ConfigRejected"] = "1".into();
        assert!(check_emf(&bad_value).is_err());
        assert!(check_emf(&json!({"message": "x"})).is_err());
    }
}
