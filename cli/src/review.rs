//! `chatmod review`: the handler's decision on local events or text.
//!
//! Configuration comes from the same `REVIEW_*` variables as the function,
//! and the decision from the same [`message_review::review_verdict`], so a
//! response printed here is the one the deployed function would send.
//!
//! stdout carries only responses, one JSON object a line, so a replayed chat
//! log can be piped to `jq` or diffed against recorded answers. Everything
//! else (errors naming the input and line, and the `--explain` matches as
//! JSON lines) goes to stderr.

use chat_filter::{Filter, Rule, Verdict};
use ivs_chat::ReviewEvent;
use message_review::{review_verdict, Config};
use serde_json::{json, Value};

use crate::input::{self, Output};
use crate::{CliError, Outcome, ReviewArgs};

/// Runs `chatmod review`.
pub fn run(args: &ReviewArgs) -> Result<Outcome, CliError> {
    let config = Config::from_env()?;
    let filter = config.build_filter()?;
    let mut stdout = Output::new(std::io::stdout().lock());
    let mut stderr = Output::new(std::io::stderr().lock());

    if let Some(text) = &args.text {
        let event = ReviewEvent {
            content: text.clone(),
            ..ReviewEvent::default()
        };
        answer(
            &filter,
            &config,
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
        let event = document.value.and_then(|value| {
            serde_json::from_value::<ReviewEvent>(value)
                .map_err(|e| format!("not a message review event: {e}"))
        });
        match event {
            Ok(event) => {
                let open = answer(
                    &filter,
                    &config,
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

/// Reviews one event and prints the response (and its matches with
/// `--explain`). Returns `false` once stdout's reader has gone away.
fn answer(
    filter: &Filter,
    config: &Config,
    event: &ReviewEvent,
    location: &str,
    explain: bool,
    stdout: &mut Output<impl std::io::Write>,
    stderr: &mut Output<impl std::io::Write>,
) -> Result<bool, CliError> {
    let reviewed = review_verdict(filter, config, event);
    if explain {
        for line in explanation(&reviewed.verdict, &event.content, location) {
            stderr.line(&line.to_string())?;
        }
    }
    let response = serde_json::to_string(&reviewed.response)
        .map_err(|e| CliError::Write(std::io::Error::other(e)))?;
    stdout.line(&response)
}

/// One JSON object per match: what matched, where it is listed, and the
/// original text it covered.
fn explanation(verdict: &Verdict<'_>, content: &str, location: &str) -> Vec<Value> {
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
                "rule": m.rule.name(),
                "kind": if matches!(m.rule, Rule::Regex(_)) { "regex" } else { "term" },
                "list": list,
                "list_line": line,
                "category": m.category,
                "severity": m.severity.map(|s| s.as_str()),
                "action": m.action.as_str(),
                "span": [m.span.start, m.span.end],
                "text": content.get(m.span.clone()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let lines = explanation(&verdict, text, "x:1");
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            json!({
                "input": "x:1", "rule": "frack*", "kind": "term",
                "list": "REVIEW_BLOCK_TERMS", "list_line": 1,
                "category": "scifi", "severity": "moderate", "action": "mask",
                "span": [5, 13], "text": "FRACKING"
            })
        );
        assert_eq!(lines[1]["rule"], "digits");
        assert_eq!(lines[1]["kind"], "regex");
        assert_eq!(lines[1]["list"], Value::Null);
        assert_eq!(lines[1]["action"], "deny");
        assert_eq!(lines[1]["text"], "1234");
    }
}
