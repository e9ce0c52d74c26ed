//! `chatmod review`: the handler's decision on local events or text.
//!
//! Configuration comes from the same `REVIEW_*` variables as the function,
//! or from a configuration document (`--config FILE` or
//! `REVIEW_CONFIG_FILE`), whose profile for each event's `RoomArn` is used;
//! the decision comes from the same [`Profile::review`], so a response
//! printed here is the one the deployed function would send.
//!
//! Each input line may be a review event or a record of IVS Chat's own chat
//! logging (`{"event_timestamp", "type", "version", "payload"}`, as delivered
//! to CloudWatch Logs, Firehose or S3), so a room's real history can be
//! replayed against a new list or policy: `MESSAGE` records are reviewed as
//! the events they came from, other records (`EVENT`) are skipped.
//!
//! stdout carries only responses, one JSON object a line, so a replayed chat
//! log can be piped to `jq` or diffed against recorded answers. Everything
//! else (errors naming the input and line, and the `--explain` matches as
//! JSON lines) goes to stderr.

use std::collections::BTreeMap;

use chat_filter::{Rule, Verdict};
use ivs_chat::{ReviewEvent, Sender};
use message_review::profiles::{Profile, Profiles};
use message_review::source;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::input::{self, Output};
use crate::{CliError, Outcome, ReviewArgs};

/// Runs `chatmod review`.
pub fn run(args: &ReviewArgs) -> Result<Outcome, CliError> {
    let config = args
        .config
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    let profiles = source::local_profiles(config.as_deref(), |name| std::env::var(name).ok())?;
    let mut stdout = Output::new(std::io::stdout().lock());
    let mut stderr = Output::new(std::io::stderr().lock());

    if let Some(text) = &args.text {
        let event = ReviewEvent {
            content: text.clone(),
            room_arn: args.room.clone().unwrap_or_default(),
            ..ReviewEvent::default()
        };
        answer(
            &profiles,
            &event,
            "--text",
            args.explain,
            &mut stdout,
            &mut stderr,
        )?;
        return Ok(Outcome::Clean);
    }

    let Some(path) = &args.input else {
        return Err(CliError::Usage(
            "give an event file, '-' for stdin, or --text".into(),
        ));
    };
    let (name, text) = input::read(path)?;
    let documents = input::documents(&text);
    if documents.is_empty() {
        stderr.line(&format!("error: {name}: no events in the input"))?;
        return Ok(Outcome::Problems);
    }
    let mut outcome = Outcome::Clean;
    for document in documents {
        let location = format!("{name}:{}", document.line);
        match document.value.and_then(to_event) {
            Ok(None) => {}
            Ok(Some(event)) => {
                let open = answer(
                    &profiles,
                    &event,
                    &location,
                    args.explain,
                    &mut stdout,
                    &mut stderr,
                )?;
                if !open {
                    break;
                }
            }
            Err(message) => {
                outcome = Outcome::Problems;
                stderr.line(&format!("error: {location}: {message}"))?;
            }
        }
    }
    Ok(outcome)
}

/// A message as IVS Chat's chat logging records it (the `payload` of a
/// `MESSAGE` record): the message as clients receive it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LoggedMessage {
    content: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    attributes: Option<BTreeMap<String, String>>,
    #[serde(default)]
    sender: Option<LoggedSender>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LoggedSender {
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    attributes: Option<BTreeMap<String, String>>,
}

/// Reads a document as a review event, or as a chat logging record
/// (`None` for records that are not messages).
fn to_event(value: Value) -> Result<Option<ReviewEvent>, String> {
    let is_log_record = value.get("payload").is_some() && value.get("type").is_some();
    if !is_log_record {
        return serde_json::from_value::<ReviewEvent>(value)
            .map(Some)
            .map_err(|e| format!("not a message review event: {e}"));
    }
    if value["type"] != "MESSAGE" {
        return Ok(None);
    }
    let message: LoggedMessage = serde_json::from_value(value["payload"].clone())
        .map_err(|e| format!("not a chat log message record: {e}"))?;
    let sender = message.sender.unwrap_or(LoggedSender {
        user_id: None,
        attributes: None,
    });
    Ok(Some(ReviewEvent {
        content: message.content,
        message_id: message.id.unwrap_or_default(),
        room_arn: String::new(),
        attributes: message.attributes.unwrap_or_default(),
        sender: Sender {
            user_id: sender.user_id.unwrap_or_default(),
            ip: String::new(),
            attributes: sender.attributes.unwrap_or_default(),
        },
    }))
}

/// Reviews one event with its room's profile and prints the response (and
/// its matches with `--explain`). Returns `false` once stdout's reader has
/// gone away.
fn answer(
    profiles: &Profiles,
    event: &ReviewEvent,
    location: &str,
    explain: bool,
    stdout: &mut Output<impl std::io::Write>,
    stderr: &mut Output<impl std::io::Write>,
) -> Result<bool, CliError> {
    let profile: &Profile = profiles.select(&event.room_arn);
    let reviewed = profile.review(event);
    if explain {
        for line in explanation(&reviewed.verdict, &event.content, location, &profile.name) {
            stderr.line(&line.to_string())?;
        }
    }
    let response = serde_json::to_string(&reviewed.response)
        .map_err(|e| CliError::Write(std::io::Error::other(e)))?;
    stdout.line(&response)
}

/// One JSON object per match: what matched, where it is listed, and the
/// original text it covered.
fn explanation(verdict: &Verdict<'_>, content: &str, location: &str, profile: &str) -> Vec<Value> {
    verdict
        .matches
        .iter()
        .map(|m| {
            let (list, line) = match m.rule {
                Rule::Term { source, line, .. } => (Some(source), Some(line)),
                Rule::Regex(_) => (None, None),
            };
            json!({
                "input": location,
                "profile": profile,
                "rule": m.rule.name(),
                "kind": if matches!(m.rule, Rule::Regex(_)) { "regex" } else { "term" },
                "list": list,
                "list_line": line,
                "category": m.category,
                "severity": m.severity.map(|s| s.as_str()),
                "action": m.action.as_str(),
                "disguised": m.disguised,
                "span": [m.span.start, m.span.end],
                "text": content.get(m.span.clone()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use message_review::Config;

    use super::*;

    #[test]
    fn chat_log_message_records_become_events_and_other_records_are_skipped() {
        let record = json!({
            "event_timestamp": "2026-11-22T02:00:00.000Z",
            "type": "MESSAGE",
            "version": "1.0",
            "payload": {
                "Type": "MESSAGE", "Id": "AbCdEf123456", "RequestId": "r",
                "Attributes": {"k": "v"}, "Content": "hi", "SendTime": "2026-11-22T02:00:00.000Z",
                "Sender": {"UserId": "alice", "Attributes": null}
            }
        });
        let event = to_event(record).unwrap().unwrap();
        assert_eq!(event.content, "hi");
        assert_eq!(event.message_id, "AbCdEf123456");
        assert_eq!(event.attributes["k"], "v");
        assert_eq!(event.sender.user_id, "alice");
        assert!(event.sender.attributes.is_empty());

        let other = json!({"event_timestamp": "t", "type": "EVENT", "version": "1.0", "payload": {"EventName": "app:x"}});
        assert!(to_event(other).unwrap().is_none());

        let broken = json!({"type": "MESSAGE", "payload": {"Id": "x"}});
        let error = to_event(broken).unwrap_err();
        assert!(
            error.starts_with("not a chat log message record: missing field `Content`"),
            "{error}"
        );

        let event = to_event(json!({"Content": "plain"})).unwrap().unwrap();
        assert_eq!(event.content, "plain");
    }

    #[test]
    fn explanations_name_the_rule_list_and_matched_text() {
        let config = Config::from_lookup(|name| match name {
            "REVIEW_BLOCK_TERMS" => Some("frack* | moderate | scifi".into()),
            "REVIEW_REGEX_RULES" => Some("digits | deny | \\d{4}".into()),
            "REVIEW_DEFAULT_LISTS" => Some("false".into()),
            _ => None,
        })
        .unwrap();
        let filter = config.build_filter().unwrap();
        let text = "Ça, FRACKING 1234";
        let verdict = filter.review(text);
        let lines = explanation(&verdict, text, "x:1", "default");
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            json!({
                "input": "x:1", "profile": "default", "rule": "frack*", "kind": "term",
                "list": "REVIEW_BLOCK_TERMS", "list_line": 1,
                "category": "scifi", "severity": "moderate", "action": "mask",
                "disguised": false, "span": [5, 13], "text": "FRACKING"
            })
        );
        assert_eq!(lines[1]["rule"], "digits");
        assert_eq!(lines[1]["kind"], "regex");
        assert_eq!(lines[1]["list"], Value::Null);
        assert_eq!(lines[1]["action"], "deny");
        assert_eq!(lines[1]["text"], "1234");
    }
}
