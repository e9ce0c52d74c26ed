//! `chatmod review`: the handler's decision on local events, chat logs or text.
//!
//! Configuration comes from the same `REVIEW_*` variables as the function,
//! or from a configuration document (`--config FILE` or
//! `REVIEW_CONFIG_FILE`), whose profile for each message's room is used
//! ([`Profiles::select`], as the function picks it); the decision comes from
//! the same [`message_review::judge`] and [`message_review::decision`], so a
//! response printed here is the one the deployed function would send (a test
//! checks it byte for byte against [`message_review::review`]). The profile
//! is chosen per message inside the streaming work item, so a document costs
//! no memory per input line.
//!
//! Inputs are streamed ([`crate::replay`]): any number of files, `-` for
//! stdin, gzip'd or not, in any of the formats of [`crate::formats`] (review
//! events, chat logging records from CloudWatch Logs, S3 or Firehose,
//! CloudWatch Logs subscription events and exports). Each message is
//! answered in input order, whatever `--jobs` is.
//!
//! stdout carries only responses, one JSON object a line, so a replayed chat
//! log can be piped to `jq` or diffed against recorded answers. Records that
//! hold no message (`EVENT` records) and bad records get no response line;
//! bad ones are reported on stderr as `error: FILE:LINE: ...`, and a note at
//! the end counts what was skipped. With `--origin` every line instead
//! carries `File`, `Line` and `MessageId`, and skipped and bad records get a
//! line of their own (`Skipped` / `Error`), so every answer can be matched to
//! its input. A message over IVS Chat's 500-character limit is reviewed all
//! the same, with a warning (and `OverLimit` with `--origin`): IVS Chat
//! would have refused it, so a log that holds one was not written by it.

use std::io::Write;

use chat_filter::{ReviewCache, Rule, Verdict};
use ivs_chat::chat_log::{Attributes, LoggedMessage, Text};
use ivs_chat::limits::MESSAGE_MAX_CHARS;
use ivs_chat::limits::RESPONSE_ATTRIBUTES_MAX_BYTES;
use ivs_chat::review::{truncate_to_bytes, REASON_ATTRIBUTE};
use ivs_chat::ReviewResult;
use message_review::profiles::Profiles;
use message_review::{decision, judge_by, Decision};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{json, Value};

use crate::formats::{self, Found, Rooms};
use crate::replay::{self, InputFile, Item, Outputs, Sink, Work};
use crate::{CliError, Outcome, ReviewArgs};

/// Runs `chatmod review`.
pub fn run(args: &ReviewArgs) -> Result<Outcome, CliError> {
    let profiles = replay::profiles(args.config.as_deref())?;
    let work = Reviewer::new(profiles, args.explain, args.origin)
        .room(args.room.as_deref())
        .cache_mib(args.cache_mib);
    let mut outputs = Outputs::standard();

    if let Some(text) = &args.text {
        let message = LoggedMessage {
            content: Text(text.as_str().into()),
            room_arn: args.room.as_deref().map(|room| Text(room.into())),
            ..LoggedMessage::default()
        };
        let input = InputFile {
            name: "--text".into(),
            room: None,
        };
        let mut sink = Sink::default();
        let mut counts = Counts::default();
        // Line 0: a bare message has no line to name.
        work.answer(&input, 0, &message, &mut sink, &mut counts);
        outputs.print(std::str::from_utf8(&sink.out).unwrap_or_default())?;
        if !sink.err.is_empty() {
            outputs.note(String::from_utf8_lossy(&sink.err).trim_end());
        }
        outputs.finish()?;
        return Ok(Outcome::Clean);
    }
    if args.inputs.is_empty() {
        return Err(CliError::Usage(
            "give event or log files, '-' for stdin, or --text".into(),
        ));
    }
    let options = replay::Options::with_jobs(args.jobs.map(usize::from));
    let counts = replay::run(&work, &args.inputs, &options, &mut outputs)?;
    let outcome = counts.report(args.origin, &mut outputs);
    outputs.finish()?;
    Ok(outcome)
}

/// What a replay found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Messages answered.
    pub answered: u64,
    /// Records that hold no message.
    pub skipped: u64,
    /// Blank lines.
    pub blank: u64,
    /// Records that could not be read (each reported).
    pub bad: u64,
    /// Messages over IVS Chat's length limit (each reported).
    pub over_limit: u64,
}

impl Counts {
    /// Adds `other`.
    pub fn add(&mut self, other: &Counts) {
        self.answered += other.answered;
        self.skipped += other.skipped;
        self.blank += other.blank;
        self.bad += other.bad;
        self.over_limit += other.over_limit;
    }

    /// Notes on stderr what got no answer line, and the outcome.
    fn report(&self, origin: bool, outputs: &mut Outputs) -> Outcome {
        if self.answered + self.skipped + self.bad == 0 {
            outputs.note("error: no events in the input");
            return Outcome::Problems;
        }
        if !origin && self.skipped + self.bad > 0 {
            outputs.note(&format!(
                "note: {} messages answered; {} records skipped (no message in them) and {} \
                 bad records (reported above) have no response line: use --origin to match \
                 each response to its input",
                self.answered, self.skipped, self.bad
            ));
        }
        if self.bad > 0 {
            Outcome::Problems
        } else {
            Outcome::Clean
        }
    }
}

/// `chatmod review`'s [`Work`]: one response per message, from the profile
/// of the message's room.
pub struct Reviewer<'c> {
    profiles: &'c Profiles,
    cache: ReviewCache<'c>,
    room: Option<&'c str>,
    explain: bool,
    origin: bool,
    region: Option<String>,
}

impl<'c> Reviewer<'c> {
    /// A reviewer answering as the handler configured with `profiles` would.
    pub fn new(profiles: &'c Profiles, explain: bool, origin: bool) -> Self {
        Reviewer {
            profiles,
            cache: replay::review_cache(replay::DEFAULT_CACHE_MIB),
            room: None,
            explain,
            origin,
            region: std::env::var("AWS_REGION").ok(),
        }
    }

    /// The same reviewer, taking `room` (`--room`) as the room of messages
    /// whose input does not name one.
    pub fn room(mut self, room: Option<&'c str>) -> Self {
        self.room = room;
        self
    }

    /// The same reviewer, remembering verdicts in `mib` MiB (0: none).
    pub fn cache_mib(mut self, mib: usize) -> Self {
        self.cache = replay::review_cache(mib);
        self
    }

    /// Reviews one message and writes its response.
    fn answer(
        &self,
        input: &InputFile,
        line: usize,
        message: &LoggedMessage<'_>,
        sink: &mut Sink,
        counts: &mut Counts,
    ) {
        counts.answered += 1;
        let over_limit = over_limit(&message.content);
        if let Some(chars) = over_limit {
            counts.over_limit += 1;
            warn_over_limit(input, line, message, chars, sink);
        }
        let room = message
            .room_arn
            .as_deref()
            .or(self.room)
            .unwrap_or_default();
        let profile = self.profiles.select(room);
        let verdict = judge_by(
            &profile.config,
            &message.content,
            &message.sender_attributes,
            |text| self.cache.review(&profile.filter, text),
        );
        if self.explain {
            let location = match line {
                0 => input.name.clone(),
                _ => format!("{}:{line}", input.name),
            };
            for explained in explanation(&verdict, &message.content, &location, &profile.name) {
                sink.err.extend_from_slice(explained.to_string().as_bytes());
                sink.err.push(b'\n');
            }
        }
        let (review_result, content, attributes) = match decision(&verdict) {
            Decision::Allow => (
                ReviewResult::Allow,
                &*message.content,
                AnswerAttributes::Echo(&message.attributes),
            ),
            Decision::Mask(masked) => (
                ReviewResult::Allow,
                masked,
                AnswerAttributes::Echo(&message.attributes),
            ),
            Decision::Deny => (
                ReviewResult::Deny,
                &*message.content,
                // The reason as `ReviewResponse::deny` cuts it.
                AnswerAttributes::Reason(truncate_to_bytes(
                    &profile.config.deny_reason,
                    RESPONSE_ATTRIBUTES_MAX_BYTES - REASON_ATTRIBUTE.len(),
                )),
            ),
        };
        let answer = Answer {
            file: self.origin.then_some(input.name.as_str()),
            line: self.origin.then_some(line),
            message_id: self.origin.then_some(&*message.id),
            over_limit: over_limit.filter(|_| self.origin),
            review_result,
            content,
            attributes,
        };
        answer.write_line(&mut sink.out);
    }

    fn rooms<'i>(&'i self, input: &'i InputFile) -> Rooms<'i> {
        Rooms {
            fallback: input.room.as_deref().or(self.room),
            region: self.region.as_deref(),
        }
    }

    fn not_answered(
        &self,
        input: &InputFile,
        line: usize,
        problem: Result<&str, &str>,
        sink: &mut Sink,
        counts: &mut Counts,
    ) {
        match problem {
            Ok(skipped) => {
                counts.skipped += 1;
                if self.origin {
                    let origin = json!({"File": input.name, "Line": line, "Skipped": skipped});
                    write_line(&mut sink.out, &origin);
                }
            }
            Err(error) => {
                counts.bad += 1;
                sink.err.extend_from_slice(
                    format!("error: {}:{line}: {error}\n", input.name).as_bytes(),
                );
                if self.origin {
                    let origin = json!({"File": input.name, "Line": line, "Error": error});
                    write_line(&mut sink.out, &origin);
                }
            }
        }
    }
}

impl Work for Reviewer<'_> {
    type Tally = Counts;

    fn record(
        &self,
        input: &InputFile,
        line: usize,
        item: Item<'_>,
        sink: &mut Sink,
        counts: &mut Counts,
    ) {
        match item {
            Item::Blank => counts.blank += 1,
            Item::Broken(message) => self.not_answered(input, line, Err(message), sink, counts),
            Item::Text(text) => formats::read(text, self.rooms(input), &mut |found| match found {
                Found::Message(message) => self.answer(input, line, &message, sink, counts),
                Found::Skipped(why) => self.not_answered(input, line, Ok(why), sink, counts),
                Found::Error(error) => self.not_answered(input, line, Err(&error), sink, counts),
            }),
        }
    }

    fn merge(&self, total: &mut Counts, part: Counts) {
        total.add(&part);
    }
}

/// The number of characters of `content` when it is over IVS Chat's limit.
pub fn over_limit(content: &str) -> Option<usize> {
    // A text of at most 500 bytes has at most 500 characters: most messages
    // are never counted.
    if content.len() <= MESSAGE_MAX_CHARS {
        return None;
    }
    let chars = content.chars().count();
    (chars > MESSAGE_MAX_CHARS).then_some(chars)
}

/// Warns that a message is longer than IVS Chat allows.
pub fn warn_over_limit(
    input: &InputFile,
    line: usize,
    message: &LoggedMessage<'_>,
    chars: usize,
    sink: &mut Sink,
) {
    let id = if message.id.is_empty() {
        String::new()
    } else {
        format!(" {}", &*message.id)
    };
    sink.err.extend_from_slice(
        format!(
            "warning: {}:{line}: message{id} has {chars} characters, over IVS Chat's \
             {MESSAGE_MAX_CHARS}-character limit (IVS Chat refuses such a message); reviewed anyway\n",
            input.name
        )
        .as_bytes(),
    );
}

fn write_line(out: &mut Vec<u8>, value: &impl Serialize) {
    // Serialising these types into memory cannot fail: every map key is a
    // string.
    if serde_json::to_writer(&mut *out, value).is_ok() {
        out.push(b'\n');
    }
}

/// A review response, written from borrowed parts: the same JSON as
/// [`ivs_chat::ReviewResponse`] (fields in the same order, attributes in
/// key order), preceded by the origin fields when asked for.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    over_limit: Option<usize>,
    review_result: ReviewResult,
    content: &'a str,
    attributes: AnswerAttributes<'a>,
}

impl Answer<'_> {
    /// Writes the answer and a newline: the bytes `serde_json` writes for
    /// it (a test checks), but with each string copied whole when it needs
    /// no escape, as nearly every one does. Writing through `serde_json`
    /// checked every byte against its escape table one at a time, the
    /// largest cost of a clean response.
    fn write_line(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        if let Some(file) = self.file {
            out.extend_from_slice(b"\"File\":");
            write_json_str(out, file);
            out.push(b',');
        }
        if let Some(line) = self.line {
            let _ = write!(out, "\"Line\":{line},");
        }
        if let Some(id) = self.message_id {
            out.extend_from_slice(b"\"MessageId\":");
            write_json_str(out, id);
            out.push(b',');
        }
        if let Some(chars) = self.over_limit {
            let _ = write!(out, "\"OverLimit\":{chars},");
        }
        out.extend_from_slice(match self.review_result {
            ReviewResult::Allow => b"\"ReviewResult\":\"ALLOW\",\"Content\":",
            ReviewResult::Deny => b"\"ReviewResult\":\"DENY\",\"Content\":",
        });
        write_json_str(out, self.content);
        out.extend_from_slice(b",\"Attributes\":{");
        match self.attributes {
            AnswerAttributes::Echo(attributes) => {
                for (i, (key, value)) in attributes.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_json_str(out, key);
                    out.push(b':');
                    write_json_str(out, value);
                }
            }
            AnswerAttributes::Reason(reason) => {
                write_json_str(out, REASON_ATTRIBUTE);
                out.push(b':');
                write_json_str(out, reason);
            }
        }
        out.extend_from_slice(b"}}\n");
    }
}

/// Writes `s` as `serde_json` writes a string: quoted, with `"`, `\\` and
/// control characters escaped (and nothing else).
fn write_json_str(out: &mut Vec<u8>, s: &str) {
    // Without early exit, so that the check runs many bytes a step.
    let needs_escape = s.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if !needs_escape {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Serialising a string into memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

#[derive(Debug)]
enum AnswerAttributes<'a> {
    /// The message's own attributes (on ALLOW).
    Echo(&'a Attributes<'a>),
    /// `{"Reason": ...}` (on DENY).
    Reason(&'a str),
}

impl Serialize for AnswerAttributes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AnswerAttributes::Echo(attributes) => attributes.serialize(serializer),
            AnswerAttributes::Reason(reason) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(REASON_ATTRIBUTE, reason)?;
                map.end()
            }
        }
    }
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
    use message_review::profiles::{Profile, DEFAULT_PROFILE};
    use message_review::Config;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
        .unwrap()
    }

    /// The handler's own response, and this module's, for `event`.
    fn both(config: &Config, event: &Value, origin: bool) -> (String, String) {
        let filter = config.build_filter().unwrap();
        let review_event: ivs_chat::ReviewEvent = serde_json::from_value(event.clone()).unwrap();
        let handler =
            serde_json::to_string(&message_review::review(&filter, config, &review_event)).unwrap();
        let profiles = Profiles::single(Profile::build(DEFAULT_PROFILE, config.clone()).unwrap());
        let reviewer = Reviewer::new(&profiles, false, origin);
        let input = InputFile {
            name: "in.jsonl".into(),
            room: None,
        };
        let mut sink = Sink::default();
        let mut counts = Counts::default();
        let text = event.to_string();
        reviewer.record(
            &input,
            7,
            Item::Text(text.as_bytes()),
            &mut sink,
            &mut counts,
        );
        assert_eq!(counts.answered, 1);
        let ours = String::from_utf8(sink.out).unwrap();
        (handler, ours.trim_end().to_string())
    }

    #[test]
    fn senders_are_judged_by_their_token_attributes_as_the_handler_does() {
        let config = config(&[
            ("REVIEW_EXEMPT_SENDERS", "role=moderator"),
            ("REVIEW_STRICT_SENDERS", "tier=new"),
            ("REVIEW_STRICT_POLICY", "moderate=deny"),
        ]);
        for (event, expected) in [
            (
                json!({"Content": "you cunt", "Sender": {"UserId": "m", "Attributes": {"role": "moderator"}}}),
                "ALLOW",
            ),
            (
                json!({"Content": "you cunt", "Sender": {"UserId": "u", "Attributes": {"role": "viewer"}}}),
                "DENY",
            ),
            (
                json!({"Content": "this shit is broken", "Sender": {"UserId": "n", "Attributes": {"tier": "new"}}}),
                "DENY",
            ),
        ] {
            let (handler, ours) = both(&config, &event, false);
            assert_eq!(handler, ours, "{event}");
            assert!(ours.contains(expected), "{event}: {ours}");
        }
    }

    #[test]
    fn responses_are_the_handlers_byte_for_byte() {
        let config = config(&[("REVIEW_DENY_REASON", "No \"slurs\" here")]);
        for event in [
            json!({"Content": "hello world", "Attributes": {"z": "1", "a": "2"}}),
            json!({"Content": "this shit is broken", "Attributes": {"k": "v\"q"}}),
            json!({"Content": "you cunt", "MessageId": "AbCdEf123456"}),
            json!({"Content": "caf\u{e9} \n tab\t", "Attributes": null}),
        ] {
            let (handler, ours) = both(&config, &event, false);
            assert_eq!(handler, ours, "{event}");
        }
    }

    #[test]
    fn answers_are_written_as_serde_json_writes_them() {
        let attributes: Attributes<'_> =
            [("z", "1"), ("a\"q", "tab\there"), ("k", "\u{1}\\ \u{7f} é")]
                .into_iter()
                .map(|(k, v)| (Text(k.into()), Text(v.into())))
                .collect();
        let empty = Attributes::new();
        for content in ["hi", "", "caf\u{e9} \"x\" \\ \n\r\u{1f}", "\u{7f}\u{2028}"] {
            for review_result in [ReviewResult::Allow, ReviewResult::Deny] {
                for origin in [false, true] {
                    for attributes in [
                        AnswerAttributes::Echo(&attributes),
                        AnswerAttributes::Echo(&empty),
                        AnswerAttributes::Reason("No \"slurs\""),
                    ] {
                        let answer = Answer {
                            file: origin.then_some("dir/in \"1\".jsonl"),
                            line: origin.then_some(12),
                            message_id: origin.then_some("AbC\\d"),
                            over_limit: origin.then_some(501),
                            review_result,
                            content,
                            attributes,
                        };
                        let mut ours = Vec::new();
                        answer.write_line(&mut ours);
                        let mut theirs = serde_json::to_vec(&answer).unwrap();
                        theirs.push(b'\n');
                        assert_eq!(
                            String::from_utf8(ours).unwrap(),
                            String::from_utf8(theirs).unwrap()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn origin_adds_file_line_and_message_id_first() {
        let (_, ours) = both(
            &Config::default(),
            &json!({"Content": "hi", "MessageId": "AbCdEf123456"}),
            true,
        );
        assert_eq!(
            ours,
            r#"{"File":"in.jsonl","Line":7,"MessageId":"AbCdEf123456","ReviewResult":"ALLOW","Content":"hi","Attributes":{}}"#
        );
    }

    #[test]
    fn long_messages_are_reviewed_and_reported() {
        assert_eq!(over_limit(&"é".repeat(300)), None);
        assert_eq!(over_limit(&"a".repeat(501)), Some(501));
        let (_, ours) = both(
            &Config::default(),
            &json!({"Content": "b".repeat(600)}),
            true,
        );
        let value: Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(value["OverLimit"], 600);
        assert_eq!(value["ReviewResult"], "ALLOW");
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
