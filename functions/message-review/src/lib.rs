//! The Amazon IVS Chat message review handler.
//!
//! IVS Chat calls this function synchronously for every message sent to a
//! room, with a 200 ms deadline, and delivers, rewrites or rejects the
//! message according to the answer. The work is split so that the decision
//! can run anywhere:
//!
//! * [`review`] is the whole decision: a pure function from a built
//!   [`Filter`], the [`Config`] and a [`ReviewEvent`] to a [`ReviewResponse`].
//!   The `chatmod` CLI calls it too, so a local run answers exactly as the
//!   deployed function does.
//! * [`handle`] adapts it to the Lambda runtime: it reads the event (with an
//!   error naming the bad field) and returns the response.
//! * [`config`] reads the environment once, at init; `main.rs` builds the
//!   [`Reviewer`] (and so every filter) once and shares it across
//!   invocations.
//!
//! * [`Reviewer`] is the deployed handler's state: the built profiles
//!   ([`profiles`]: one handler, many rooms, each with its own rules), the
//!   EMF metrics ([`metrics`]) and the live configuration.
//!
//! The review itself does no I/O and links no AWS SDK (a live
//! configuration is read between messages, within a few milliseconds: see
//! [`source`]). A DENY or a masked message writes one decision record
//! ([`decision_record`]: room, user, message id, action, severity,
//! categories, rules, strike weight) as its log line, which the strike
//! tracker reads; with `REVIEW_METRICS` the same line carries the EMF
//! metrics. Clean messages write nothing. Senders can be exempted or judged
//! more strictly by their token attributes ([`senders`]), in every profile.
//!
//! ```
//! use ivs_chat::{ReviewEvent, ReviewResult};
//! use message_review::{config::Config, review};
//!
//! let config = Config::default();
//! let filter = config.build_filter().unwrap();
//! let event = ReviewEvent { content: "this shit is broken".into(), ..Default::default() };
//! let response = review(&filter, &config, &event);
//! assert_eq!(response.review_result, ReviewResult::Allow);
//! assert_eq!(response.content, "this **** is broken");
//! ```

pub mod appconfig;
pub mod config;
pub mod decision_record;
pub mod document;
pub mod metrics;
pub mod profiles;
pub mod reviewer;
pub mod senders;
pub mod source;

use chat_filter::{Action, Filter, Verdict};
use ivs_chat::chat_log::AttributeLookup;
use ivs_chat::{ReviewEvent, ReviewResponse};
use lambda_runtime::{Diagnostic, LambdaEvent};
use serde_json::Value;
use thiserror::Error;

pub use config::{Config, ConfigError};
pub use reviewer::Reviewer;

/// Why an invocation could not be answered.
///
/// IVS Chat applies the room's `FallbackResult` when the handler fails, so
/// the only failure is an event that is not a review event at all; every
/// message that is one gets an ALLOW or a DENY.
#[derive(Debug, Error)]
pub enum ReviewError {
    /// The payload is not a message review event (for example, no `Content`).
    #[error("not a message review event: {0}")]
    InvalidEvent(#[from] serde_json::Error),
}

impl ReviewError {
    /// The error type reported to Lambda, for filtering logs and metrics.
    pub fn error_type(&self) -> &'static str {
        match self {
            ReviewError::InvalidEvent(_) => "MessageReview.InvalidEvent",
        }
    }
}

impl From<ReviewError> for Diagnostic {
    fn from(error: ReviewError) -> Diagnostic {
        Diagnostic {
            error_type: error.error_type().to_string(),
            error_message: error.to_string(),
        }
    }
}

/// A review's answer together with the verdict it came from, for callers
/// that explain decisions (the CLI's `--explain`).
#[derive(Debug, Clone)]
pub struct Reviewed<'f> {
    /// The answer to send to IVS Chat.
    pub response: ReviewResponse,
    /// What the filter found.
    pub verdict: Verdict<'f>,
    /// The decision record written for it (`None` for an ALLOW).
    pub record: Option<sanctions::DecisionRecord>,
}

/// Reviews one message: ALLOW with the original content when nothing
/// matched (or only allowed severities did), ALLOW with the masked content
/// when the strongest match masks, DENY with the configured reason when it
/// denies.
///
/// Pure: the decision record for a DENY or mask comes back in [`Reviewed`]
/// and is written by the deployed handler ([`Reviewer`]) or by [`handle`].
pub fn review(filter: &Filter, config: &Config, event: &ReviewEvent) -> ReviewResponse {
    review_verdict(filter, config, event).response
}

/// [`review`], also returning the verdict.
pub fn review_verdict<'f>(
    filter: &'f Filter,
    config: &Config,
    event: &ReviewEvent,
) -> Reviewed<'f> {
    let verdict = judge(filter, config, &event.content, &event.sender.attributes);
    let response = match decision(&verdict) {
        Decision::Allow => ReviewResponse::allow(event, event.content.clone()),
        Decision::Mask(masked) => ReviewResponse::allow(event, masked.to_string()),
        Decision::Deny => ReviewResponse::deny(event, &config.deny_reason),
    };
    let record = decision_record::build(config, event, &verdict);
    Reviewed {
        response,
        verdict,
        record,
    }
}

/// The filter's verdict on `content` from a sender with these token
/// attributes: exempt senders are allowed whatever they write, strictly
/// reviewed ones are graded with the strict policy, everyone else with the
/// room's.
pub fn judge<'f>(
    filter: &'f Filter,
    config: &Config,
    content: &str,
    sender_attributes: &(impl AttributeLookup + ?Sized),
) -> Verdict<'f> {
    judge_by(config, content, sender_attributes, |text| {
        filter.review(text)
    })
}

/// [`judge`], with `review` standing for `filter.review` (a
/// [`chat_filter::ReviewCache`] in front of the filter, when a replay
/// reviews texts that repeat): an exempt sender's message is not reviewed
/// at all.
pub fn judge_by<'f>(
    config: &Config,
    content: &str,
    sender_attributes: &(impl AttributeLookup + ?Sized),
    review: impl FnOnce(&str) -> Verdict<'f>,
) -> Verdict<'f> {
    match config.senders.classify(sender_attributes) {
        senders::Speaker::Exempt => Verdict {
            action: Action::Allow,
            matches: Vec::new(),
            masked: None,
        },
        senders::Speaker::Strict => senders::regrade(
            review(content),
            content,
            &config.senders.strict_policy,
            config.filter.configured_mask(),
        ),
        senders::Speaker::Normal => review(content),
    }
}

/// The answer a verdict calls for, before it is written as a response.
///
/// [`review_verdict`] turns it into a [`ReviewResponse`]; the CLI's replay and
/// the log-review function use it directly, so they decide exactly as the
/// handler does without copying a message they only need to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'v> {
    /// Deliver the message unchanged.
    Allow,
    /// Deliver this masked text instead.
    Mask(&'v str),
    /// Reject the message with the configured reason.
    Deny,
}

/// The [`Decision`] for `verdict`.
pub fn decision<'v>(verdict: &'v Verdict<'_>) -> Decision<'v> {
    match (verdict.action, &verdict.masked) {
        (Action::Allow, _) => Decision::Allow,
        (Action::Mask, Some(masked)) => Decision::Mask(masked),
        // A mask verdict always carries the masked text; were it ever
        // missing, delivering the unmasked message would be the worse error.
        (Action::Mask, None) | (Action::Deny, _) => Decision::Deny,
    }
}

/// The category of the match that decided the verdict's action: the first
/// match with that action.
pub fn deciding_category<'f>(verdict: &Verdict<'f>) -> Option<&'f str> {
    verdict
        .matches
        .iter()
        .find(|m| m.action == verdict.action)
        .and_then(|m| m.category)
}

/// A Lambda handler over one filter and configuration: reads the review
/// event from the raw payload and answers it with [`review`]. The deployed
/// function runs [`Reviewer::handle`], which adds profiles, metrics and
/// live updates around the same decision.
///
/// The payload is taken as JSON and read here, rather than by the runtime,
/// so that a malformed event fails with [`ReviewError::InvalidEvent`] naming
/// the field at fault.
pub async fn handle(
    filter: &Filter,
    config: &Config,
    event: LambdaEvent<Value>,
) -> Result<ReviewResponse, ReviewError> {
    let review_event: ReviewEvent = serde_json::from_value(event.payload)?;
    let reviewed = review_verdict(filter, config, &review_event);
    // Written here, by the Lambda handler, so that the CLI (which calls
    // `review` and prints answers on stdout) never mixes records into them.
    if let Some(record) = &reviewed.record {
        decision_record::emit(record);
    }
    Ok(reviewed.response)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ivs_chat::ReviewResult;
    use lambda_runtime::Context;
    use serde_json::json;

    use super::*;

    fn defaults() -> (Filter, Config) {
        let config = Config::default();
        let filter = config.build_filter().unwrap();
        (filter, config)
    }

    fn event(content: &str) -> ReviewEvent {
        let mut attributes = BTreeMap::new();
        attributes.insert("message_type".to_string(), "MESSAGE".to_string());
        ReviewEvent {
            content: content.to_string(),
            message_id: "AbCdEf123456".to_string(),
            room_arn: "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh".to_string(),
            attributes,
            sender: ivs_chat::Sender {
                user_id: "alice-1".to_string(),
                ..Default::default()
            },
        }
    }

    #[test]
    fn clean_messages_are_allowed_unchanged_with_their_attributes() {
        let (filter, config) = defaults();
        let event = event("hello world");
        let response = review(&filter, &config, &event);
        assert_eq!(
            response,
            ReviewResponse::allow(&event, "hello world".into())
        );
        assert_eq!(response.attributes["message_type"], "MESSAGE");
    }

    #[test]
    fn moderate_words_are_masked_and_severe_ones_denied() {
        let (filter, config) = defaults();
        let masked = review(&filter, &config, &event("this shit is broken"));
        assert_eq!(masked.review_result, ReviewResult::Allow);
        assert_eq!(masked.content, "this **** is broken");
        assert_eq!(masked.attributes["message_type"], "MESSAGE");

        let denied = review(&filter, &config, &event("you cunt"));
        assert_eq!(denied.review_result, ReviewResult::Deny);
        assert_eq!(denied.content, "you cunt");
        assert_eq!(
            denied.attributes,
            BTreeMap::from([(
                "Reason".to_string(),
                config::DEFAULT_DENY_REASON.to_string()
            )])
        );
    }

    #[test]
    fn the_configuration_shapes_the_answer() {
        let config = Config::from_lookup(|name| match name {
            "REVIEW_DENY_REASON" => Some("Keep it civil".into()),
            "REVIEW_MASK_CHAR" => Some("#".into()),
            "REVIEW_POLICY" => Some("moderate=deny".into()),
            "REVIEW_BLOCK_TERMS" => Some("frack | moderate".into()),
            _ => None,
        })
        .unwrap();
        let filter = config.build_filter().unwrap();
        let denied = review(&filter, &config, &event("frack"));
        assert_eq!(denied.review_result, ReviewResult::Deny);
        assert_eq!(denied.attributes["Reason"], "Keep it civil");

        let mut config = Config::default();
        config.filter = config.filter.mask('#');
        let filter = config.build_filter().unwrap();
        assert_eq!(
            review(&filter, &config, &event("oh shit")).content,
            "oh ####"
        );
    }

    #[test]
    fn the_verdict_comes_with_the_response() {
        let (filter, config) = defaults();
        let reviewed = review_verdict(&filter, &config, &event("oh shit"));
        assert_eq!(reviewed.verdict.action, Action::Mask);
        assert_eq!(reviewed.verdict.matches[0].span, 3..7);
        assert_eq!(reviewed.response.content, "oh ****");
    }

    fn record(filter: &Filter, config: &Config, event: &ReviewEvent) -> Option<Value> {
        review_verdict(filter, config, event)
            .record
            .map(|r| serde_json::from_str(&r.to_line()).unwrap())
    }

    #[test]
    fn deny_and_mask_write_a_decision_record_without_the_text_and_clean_messages_none() {
        let (filter, config) = defaults();
        assert_eq!(record(&filter, &config, &event("hello there")), None);
        let masked = record(&filter, &config, &event("this shit is broken")).unwrap();
        assert_eq!(masked["record"], "moderation-decision");
        assert_eq!(masked["version"], 1);
        assert_eq!(masked["message"], "message moderated");
        assert_eq!(masked["action"], "mask");
        assert_eq!(masked["strike_weight"], 1);
        // The built-in list names the term; which of its entries matched is
        // the list's business.
        let rules = masked["rules"].to_string();
        assert!(rules.contains("shit"), "{rules}");
        assert_eq!(
            masked["room_arn"],
            "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh"
        );
        assert_eq!(masked["user_id"], "alice-1");
        assert_eq!(masked["message_id"], "AbCdEf123456");
        assert!(masked["categories"].is_array());
        assert_eq!(masked["severity"], "moderate");
        let denied = record(&filter, &config, &event("you cunt")).unwrap();
        assert_eq!(denied["action"], "deny");
        assert_eq!(denied["severity"], "severe");
        for line in [&masked, &denied] {
            assert!(line.get("content").is_none(), "{line}");
            assert!(!line.to_string().contains("broken"), "{line}");
            // What the strike tracker reads back.
            sanctions::DecisionRecord::from_line(&line.to_string()).unwrap();
        }
    }

    #[test]
    fn log_content_adds_the_text_to_the_record() {
        let config = Config {
            log_content: true,
            ..Config::default()
        };
        let filter = config.build_filter().unwrap();
        let line = record(&filter, &config, &event("this shit is broken")).unwrap();
        assert_eq!(line["content"], "this shit is broken");
    }

    #[test]
    fn categories_are_recorded_once_each_and_weights_follow_the_variable() {
        let config = Config::from_lookup(|name| match name {
            "REVIEW_BLOCK_TERMS" => {
                Some("frack | moderate | scifi; gorram | severe | scifi".to_string())
            }
            "REVIEW_STRIKE_WEIGHTS" => Some("deny=3".to_string()),
            _ => None,
        })
        .unwrap();
        let filter = config.build_filter().unwrap();
        let line = record(&filter, &config, &event("frack gorram frack")).unwrap();
        assert_eq!(line["categories"], json!(["scifi"]));
        assert_eq!(line["rules"], json!(["frack", "gorram"]));
        assert_eq!(line["strike_weight"], 3);
        let err = Config::from_lookup(|name| {
            (name == "REVIEW_STRIKE_WEIGHTS").then(|| "kick=1".to_string())
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "REVIEW_STRIKE_WEIGHTS: unknown action 'kick': expected mask or deny"
        );
    }

    fn from(attributes: &[(&str, &str)], content: &str) -> ReviewEvent {
        let mut e = event(content);
        e.sender.attributes = attributes
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        e
    }

    #[test]
    fn exempt_senders_pass_unreviewed_and_strict_ones_get_the_stricter_policy() {
        let config = Config::from_lookup(|name| match name {
            "REVIEW_EXEMPT_SENDERS" => Some("role=moderator|broadcaster".to_string()),
            "REVIEW_STRICT_SENDERS" => Some("account=new".to_string()),
            "REVIEW_STRICT_POLICY" => Some("moderate=deny,severe=mask".to_string()),
            _ => None,
        })
        .unwrap();
        let filter = config.build_filter().unwrap();
        let text = "this shit is broken";
        let moderator = review_verdict(&filter, &config, &from(&[("role", "moderator")], text));
        assert_eq!(moderator.response.content, text);
        assert_eq!(moderator.response.review_result, ReviewResult::Allow);
        assert!(moderator.record.is_none());
        let viewer = review(&filter, &config, &from(&[("role", "viewer")], text));
        assert_eq!(viewer.content, "this **** is broken");
        let newcomer = review(&filter, &config, &from(&[("account", "new")], text));
        assert_eq!(newcomer.review_result, ReviewResult::Deny);
        // The strict policy only adds strictness: severe stays denied.
        let severe = review(&filter, &config, &from(&[("account", "new")], "you cunt"));
        assert_eq!(severe.review_result, ReviewResult::Deny);
        // Exemption wins over strictness.
        let both = review(
            &filter,
            &config,
            &from(&[("account", "new"), ("role", "broadcaster")], "you cunt"),
        );
        assert_eq!(both.review_result, ReviewResult::Allow);

        let err = Config::from_lookup(|name| {
            (name == "REVIEW_STRICT_SENDERS").then(|| "account=new".to_string())
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("REVIEW_STRICT_POLICY: is required"),
            "{err}"
        );
        let err = Config::from_lookup(|name| {
            (name == "REVIEW_EXEMPT_SENDERS").then(|| "moderator".to_string())
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("REVIEW_EXEMPT_SENDERS: matcher 1"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn the_handler_answers_events_and_rejects_non_events_by_field() {
        let (filter, config) = defaults();
        let payload = json!({
            "Content": "this shit is broken",
            "MessageId": "AbCdEf123456",
            "Attributes": null,
            "Sender": {"UserId": "bob"},
            "SomethingNew": true
        });
        let response = handle(
            &filter,
            &config,
            LambdaEvent::new(payload, Context::default()),
        )
        .await
        .unwrap();
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({"ReviewResult": "ALLOW", "Content": "this **** is broken", "Attributes": {}})
        );

        let error = handle(
            &filter,
            &config,
            LambdaEvent::new(json!({"MessageId": "x"}), Context::default()),
        )
        .await
        .unwrap_err();
        assert!(
            error.to_string().contains("missing field `Content`"),
            "{error}"
        );
        let diagnostic = Diagnostic::from(error);
        assert_eq!(diagnostic.error_type, "MessageReview.InvalidEvent");
        assert!(diagnostic
            .error_message
            .starts_with("not a message review event"));

        let error = handle(
            &filter,
            &config,
            LambdaEvent::new(json!({"Content": 42}), Context::default()),
        )
        .await
        .unwrap_err();
        assert!(error.to_string().contains("invalid type"), "{error}");
    }
}
