//! The deployed handler: the built profiles, the metrics and the log lines.
//!
//! [`crate::review`] is the pure decision; a [`Reviewer`] is what the Lambda
//! runs around it: it picks the room's profile, times the review, writes the
//! decision record of each DENY or masked message ([`crate::decision_record`],
//! the line the strike tracker reads), with the EMF metrics added to that
//! same line when `REVIEW_METRICS` is on, and, when the configuration is
//! live, swaps in a newly built set of profiles between messages.
//!
//! One line, not two: the record's fields are the record's own (a reader of
//! version 1 ignores members it does not know, such as `_aws`, `Moderated`
//! or `profile`), so CloudWatch reads the metrics from the very line the
//! subscription filter forwards, and a decision costs one write.
//!
//! The profiles sit behind an `RwLock<Arc<..>>`: a review clones the `Arc`
//! (one atomic increment) and works on that snapshot, so a swap is atomic
//! (a message is reviewed wholly by the old profiles or wholly by the new)
//! and never waits for a review to finish.
//!
//! Lines are written whole, one JSON object each, to the sink (stdout in the
//! Lambda, where CloudWatch Logs reads them; a buffer in tests).

use std::sync::{Arc, RwLock};
use std::time::Instant;

use ivs_chat::{ReviewEvent, ReviewResponse};
use lambda_runtime::LambdaEvent;
use serde_json::{Map, Value};

use crate::metrics::{base_line, Decision, Metrics};
use crate::profiles::Profiles;
use crate::source::{self, InitError, LiveConfig, Polled, Source};
use crate::{deciding_category, ReviewError};

/// Where whole log lines go.
pub type LineSink = Box<dyn Fn(&str) + Send + Sync>;

/// The review handler's state across invocations.
pub struct Reviewer {
    profiles: RwLock<Arc<Profiles>>,
    metrics: Option<Metrics>,
    live: Option<LiveConfig>,
    sink: LineSink,
}

impl std::fmt::Debug for Reviewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reviewer")
            .field("metrics", &self.metrics)
            .finish_non_exhaustive()
    }
}

impl Reviewer {
    /// A reviewer writing its lines to stdout.
    pub fn new(profiles: Profiles, metrics: Option<Metrics>) -> Reviewer {
        Reviewer {
            profiles: RwLock::new(Arc::new(profiles)),
            metrics,
            live: None,
            sink: Box::new(|line| println!("{line}")),
        }
    }

    /// The reviewer the environment describes ([`crate::source`]): the
    /// configuration variables as the one profile, a document file, or the
    /// AppConfig document (read now and kept current); and the metrics.
    pub fn from_env() -> Result<Reviewer, InitError> {
        Reviewer::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Reviewer::from_env`] over any `name -> value` lookup.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Reviewer, InitError> {
        let metrics = Metrics::from_lookup(&lookup)?;
        match Source::from_lookup(&lookup)? {
            Source::Environment => Ok(Reviewer::new(
                source::environment_profiles(&lookup)?,
                metrics,
            )),
            Source::File(path) => Ok(Reviewer::new(source::load_file(&path)?, metrics)),
            Source::AppConfig(live) => {
                let (version, profiles) = live.load_initial()?;
                let reviewer = Reviewer::new(profiles, metrics).live(live);
                let mut line = base_line("configuration loaded");
                line.insert("version".into(), version.into());
                reviewer.write_line(line);
                Ok(reviewer)
            }
        }
    }

    /// The same reviewer, keeping its profiles current from `live`.
    pub fn live(mut self, live: LiveConfig) -> Reviewer {
        self.live = Some(live);
        self
    }

    /// Reads the live configuration if a read is due, swapping in a new
    /// valid document and logging what happened.
    pub fn refresh(&self, now: Instant) {
        let Some(live) = &self.live else { return };
        match live.poll(now) {
            Polled::Unchanged => {}
            Polled::Updated {
                version,
                profiles,
                rebuild,
            } => {
                let count = profiles.iter().count();
                self.swap(*profiles);
                let mut line = base_line("configuration updated");
                line.insert("version".into(), version.into());
                line.insert("profiles".into(), count.into());
                line.insert("rebuild_ms".into(), (rebuild.as_secs_f64() * 1000.0).into());
                self.write_line(line);
            }
            Polled::Rejected { version, error } => {
                let mut line = base_line("configuration rejected");
                line.insert("level".into(), "ERROR".into());
                line.insert("version".into(), version.into());
                line.insert("source".into(), error.origin.clone().into());
                let errors: Vec<Value> =
                    error.errors.iter().map(|e| e.to_string().into()).collect();
                line.insert("errors".into(), errors.into());
                if let Some(metrics) = &self.metrics {
                    metrics.config_rejected(&mut line);
                }
                self.write_line(line);
            }
            Polled::Failed(error) => {
                let mut line = base_line("configuration read failed");
                line.insert("level".into(), "WARN".into());
                line.insert("error".into(), error.to_string().into());
                self.write_line(line);
            }
        }
    }

    /// The same reviewer writing its lines to `sink`.
    pub fn with_sink(mut self, sink: LineSink) -> Reviewer {
        self.sink = sink;
        self
    }

    /// The profiles messages are reviewed with now.
    pub fn profiles(&self) -> Arc<Profiles> {
        // A poisoned lock still holds a whole `Arc`: the swap is one store.
        let guard = self
            .profiles
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(&guard)
    }

    /// Replaces the profiles; reviews already running finish on the old.
    pub fn swap(&self, profiles: Profiles) {
        let mut guard = self
            .profiles
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = Arc::new(profiles);
    }

    /// The metrics writer, when metrics are on.
    pub fn metrics(&self) -> Option<&Metrics> {
        self.metrics.as_ref()
    }

    /// Writes one line.
    pub fn write_line(&self, line: Map<String, Value>) {
        (self.sink)(&Value::Object(line).to_string());
    }

    /// Reviews one message with its room's profile, writing the decision
    /// record (with the metrics) it calls for. `started` is when the handler got
    /// the event, so the reported review time includes reading it.
    pub fn review(&self, event: &ReviewEvent, started: Instant) -> ReviewResponse {
        let profiles = self.profiles();
        let profile = profiles.select(&event.room_arn);
        let reviewed = profile.review(event);
        let Some(record) = &reviewed.record else {
            self.review_time(started);
            return reviewed.response;
        };
        let mut line = match serde_json::to_value(record) {
            Ok(Value::Object(line)) => line,
            // A struct of strings, numbers and arrays is always an object.
            _ => Map::new(),
        };
        line.insert("profile".into(), profile.name.clone().into());
        if let Some(metrics) = &self.metrics {
            let decision = Decision {
                room: &event.room_arn,
                action: record.action.as_str(),
                category: deciding_category(&reviewed.verdict),
            };
            metrics.decision(&mut line, decision, elapsed_ms(started));
        }
        self.write_line(line);
        reviewed.response
    }

    fn review_time(&self, started: Instant) {
        if let Some(metrics) = &self.metrics {
            let now = Instant::now();
            if let Some(line) = metrics.review_time(ms_between(started, now), now) {
                self.write_line(line);
            }
        }
    }

    /// The Lambda handler: reads the review event from the raw payload (an
    /// error names the field at fault) and answers it.
    pub async fn handle(&self, event: LambdaEvent<Value>) -> Result<ReviewResponse, ReviewError> {
        let started = Instant::now();
        self.refresh(started);
        let review_event: ReviewEvent = serde_json::from_value(event.payload)?;
        Ok(self.review(&review_event, started))
    }
}

fn elapsed_ms(started: Instant) -> f64 {
    ms_between(started, Instant::now())
}

fn ms_between(start: Instant, end: Instant) -> f64 {
    end.saturating_duration_since(start).as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use ivs_chat::ReviewResult;
    use lambda_runtime::Context;
    use serde_json::json;

    use super::*;
    use crate::metrics::check_emf;
    use crate::profiles::{Profile, Selector, DEFAULT_PROFILE};
    use crate::Config;

    const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

    fn event(room: &str, content: &str) -> ReviewEvent {
        ReviewEvent {
            content: content.to_string(),
            message_id: "AbCdEf123456".to_string(),
            room_arn: room.to_string(),
            attributes: BTreeMap::new(),
            sender: ivs_chat::Sender {
                user_id: "alice-1".to_string(),
                ..Default::default()
            },
        }
    }

    fn capturing(reviewer: Reviewer) -> (Reviewer, Arc<Mutex<Vec<Value>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let reviewer = reviewer.with_sink(Box::new(move |line| {
            sink.lock()
                .unwrap()
                .push(serde_json::from_str(line).unwrap());
        }));
        (reviewer, lines)
    }

    fn default_profile(config: Config) -> Profile {
        Profile::build(DEFAULT_PROFILE, config).unwrap()
    }

    #[test]
    fn deny_and_mask_write_one_decision_record_without_the_text_and_clean_messages_none() {
        let reviewer = Reviewer::new(Profiles::single(default_profile(Config::default())), None);
        let (reviewer, lines) = capturing(reviewer);
        let now = Instant::now();
        reviewer.review(&event(ROOM, "hello there"), now);
        let masked = reviewer.review(&event(ROOM, "this shit is broken"), now);
        assert_eq!(masked.content, "this **** is broken");
        let denied = reviewer.review(&event(ROOM, "you cunt"), now);
        assert_eq!(denied.review_result, ReviewResult::Deny);
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 2, "{lines:?}");
        let masked = &lines[0];
        assert_eq!(masked["record"], "moderation-decision");
        assert_eq!(masked["version"], 1);
        assert_eq!(masked["message"], "message moderated");
        assert_eq!(masked["level"], "INFO");
        assert_eq!(masked["action"], "mask");
        assert_eq!(masked["strike_weight"], 1);
        assert!(masked["rules"].to_string().contains("shit"));
        assert_eq!(masked["room_arn"], ROOM);
        assert_eq!(masked["user_id"], "alice-1");
        assert_eq!(masked["message_id"], "AbCdEf123456");
        assert_eq!(masked["profile"], DEFAULT_PROFILE);
        assert!(masked.get("categories").is_some());
        assert!(masked.get("_aws").is_none(), "metrics are off");
        assert_eq!(lines[1]["action"], "deny");
        for line in lines.iter() {
            assert!(line.get("content").is_none(), "{line}");
            assert!(!line.to_string().contains("broken"), "{line}");
            sanctions::DecisionRecord::from_line(&line.to_string()).unwrap();
        }
    }

    /// The line's fields come in the order of the record, then the review
    /// handler's own: a reader grepping `{"record":"moderation-decision"`
    /// and the committed `awslogs` sample rely on it, whichever crates a
    /// build unifies serde_json's features with.
    #[test]
    fn the_decision_line_opens_with_the_record_fields_in_their_order() {
        let raw = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&raw);
        let reviewer = Reviewer::new(Profiles::single(default_profile(Config::default())), None)
            .with_sink(Box::new(move |line| {
                sink.lock().unwrap().push(line.to_string())
            }));
        reviewer.review(&event(ROOM, "you cunt"), Instant::now());
        let raw = raw.lock().unwrap();
        assert!(
            raw[0].starts_with(
                r#"{"record":"moderation-decision","version":1,"level":"INFO","message":"message moderated","room_arn":"#
            ),
            "{}",
            raw[0]
        );
        assert!(
            raw[0].ends_with(r#","strike_weight":1,"profile":"default"}"#),
            "{}",
            raw[0]
        );
    }

    #[test]
    fn log_content_adds_the_text_and_categories_are_listed_once() {
        let mut config = Config::from_lookup(|name| {
            (name == "REVIEW_BLOCK_TERMS")
                .then(|| "frack | moderate | scifi; gorram | moderate | scifi".to_string())
        })
        .unwrap();
        config.log_content = true;
        let (reviewer, lines) = capturing(Reviewer::new(
            Profiles::single(default_profile(config)),
            None,
        ));
        reviewer.review(&event(ROOM, "frack gorram frack"), Instant::now());
        let lines = lines.lock().unwrap();
        assert_eq!(lines[0]["content"], "frack gorram frack");
        assert_eq!(lines[0]["categories"], json!(["scifi"]));
        assert_eq!(lines[0]["rules"], json!(["frack", "gorram"]));
    }

    #[test]
    fn with_metrics_each_decision_record_is_valid_emf_and_still_a_record() {
        let config = Config::from_lookup(|name| {
            (name == "REVIEW_BLOCK_TERMS").then(|| "frack | severe | scifi".to_string())
        })
        .unwrap();
        let metrics = Metrics::new("Chat/Test", "review");
        let (reviewer, lines) = capturing(Reviewer::new(
            Profiles::single(default_profile(config)),
            Some(metrics),
        ));
        let now = Instant::now();
        reviewer.review(&event(ROOM, "hello"), now);
        reviewer.review(&event(ROOM, "frack off"), now);
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        check_emf(line).unwrap();
        assert_eq!(line["action"], "deny");
        assert_eq!(line["room"], "abcdABCDefgh");
        assert_eq!(line["category"], "scifi");
        // The clean message's time rode on the decision's line.
        assert_eq!(line["ReviewTime"].as_array().map(Vec::len), Some(2));
        // The strike tracker reads the same line as the record it is.
        let record = sanctions::DecisionRecord::from_line(&line.to_string()).unwrap();
        assert_eq!(record.action, sanctions::DecisionAction::Deny);
        assert_eq!(record.room_arn, ROOM);
        assert_eq!(record.categories, ["scifi"]);
        assert_eq!(record.message_id, "AbCdEf123456");
    }

    #[test]
    fn each_room_is_reviewed_with_its_profile_and_exempt_senders_pass() {
        let strict = Config::from_lookup(|name| match name {
            "REVIEW_POLICY" => Some("moderate=deny".to_string()),
            "REVIEW_EXEMPT_SENDERS" => Some("role=moderator".to_string()),
            _ => None,
        })
        .unwrap();
        let kids = Profile::build("kids", strict).unwrap();
        let profiles = Profiles::new(
            default_profile(Config::default()),
            vec![(kids, vec![Selector::new("kids*")])],
        )
        .unwrap();
        let reviewer = Reviewer::new(profiles, None).with_sink(Box::new(|_| {}));
        let kids_room = "arn:aws:ivschat:us-west-2:123456789012:room/kidsA";
        let now = Instant::now();
        assert_eq!(
            reviewer
                .review(&event(kids_room, "oh shit"), now)
                .review_result,
            ReviewResult::Deny
        );
        assert_eq!(
            reviewer.review(&event(ROOM, "oh shit"), now).content,
            "oh ****"
        );
        let mut from_mod = event(kids_room, "oh shit");
        from_mod
            .sender
            .attributes
            .insert("role".into(), "moderator".into());
        assert_eq!(reviewer.review(&from_mod, now).content, "oh shit");
        // The exemption is the kids profile's: elsewhere a moderator is
        // reviewed like anyone.
        from_mod.room_arn = ROOM.into();
        assert_eq!(reviewer.review(&from_mod, now).content, "oh ****");

        reviewer.swap(Profiles::single(default_profile(Config::default())));
        assert_eq!(
            reviewer.review(&event(kids_room, "oh shit"), now).content,
            "oh ****"
        );
    }

    #[tokio::test]
    async fn the_handler_rejects_non_events_by_field() {
        let reviewer = Reviewer::new(Profiles::single(default_profile(Config::default())), None)
            .with_sink(Box::new(|_| {}));
        let response = reviewer
            .handle(LambdaEvent::new(
                json!({"Content": "this shit is broken", "MessageId": "x", "Sender": {"UserId": "bob"}}),
                Context::default(),
            ))
            .await
            .unwrap();
        assert_eq!(response.content, "this **** is broken");
        let error = reviewer
            .handle(LambdaEvent::new(
                json!({"MessageId": "x"}),
                Context::default(),
            ))
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("missing field `Content`"),
            "{error}"
        );
    }
}
