//! The scheduled-events function: send an event to chosen IVS Chat rooms on a schedule.
//!
//! EventBridge Scheduler invokes it with the schedule's `Input`:
//!
//! ```json
//! {"rooms": ["arn:aws:ivschat:...:room/..."], "roomTags": {"show": "nightly"},
//!  "eventName": "app:ANNOUNCEMENT", "attributes": {"text": "..."}, "dryRun": false}
//! ```
//!
//! The target rooms are the ones named in `rooms` plus every room whose tags
//! include all of `roomTags` (all `ListRooms` pages), each once. A plain
//! EventBridge scheduled-event envelope (or an empty input) takes the same
//! target from environment variables instead ([`Config`]).
//!
//! Delivery is at most once per room per invocation, and every failure is
//! recoverable:
//!
//! * everything that can be checked is checked before the first send (input,
//!   limits, room ARNs, the tag lookup); if that fails, the invocation fails
//!   having sent nothing, so retrying it is safe;
//! * once sending starts the function never fails: the sends run
//!   concurrently, paced under the API quota, each retried by the SDK on
//!   transient errors; a room that still fails is logged (room, error class,
//!   error type) and handed to the recovery queue (the moderation-actions
//!   queue) as a `sendEvent` command for that room alone, so rooms that got
//!   the event never get it again;
//! * if even the hand-over fails, the log line carries the full command for a
//!   manual replay.
//!
//! `dryRun` logs what would be sent and calls nothing: no `ListRooms`, no
//! `SendEvent`, no queue.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use ivs_chat::command::{check_attributes, check_event_name, string_map};
use ivs_chat::env::{self, ConfigError};
use ivs_chat::pace::{run_bounded, RateLimiter};
use ivs_chat::{rooms_tagged, Command, RoomArn, RoomClient, RoomError, SendEvent, ValidationError};
use lambda_runtime::{Diagnostic, LambdaEvent};
use serde_json::{json, Map, Value};

/// Variable: room ARNs for the envelope target, separated by commas.
pub const ROOMS_VAR: &str = "ROOMS";
/// Variable: a JSON object of tags for the envelope target.
pub const ROOM_TAGS_VAR: &str = "ROOM_TAGS";
/// Variable: the event name for the envelope target.
pub const EVENT_NAME_VAR: &str = "EVENT_NAME";
/// Variable: a JSON object of event attributes for the envelope target.
pub const EVENT_ATTRIBUTES_VAR: &str = "EVENT_ATTRIBUTES";
/// Variable: `true` to make the envelope target a dry run.
pub const DRY_RUN_VAR: &str = "DRY_RUN";
/// Variable: the URL of the SQS queue failed sends are handed to.
pub const RECOVERY_QUEUE_URL_VAR: &str = "RECOVERY_QUEUE_URL";
/// Variable: the most sends in flight at once (1..=100, default 10).
pub const MAX_CONCURRENCY_VAR: &str = "MAX_CONCURRENCY";
/// Variable: the most sends started per second (1..=100, default 50).
pub const RATE_LIMIT_VAR: &str = "RATE_LIMIT_PER_SECOND";

/// The input fields, for error messages.
pub const INPUT_FIELDS: [&str; 5] = ["rooms", "roomTags", "eventName", "attributes", "dryRun"];

/// What to send, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Rooms named directly.
    pub rooms: Vec<RoomArn>,
    /// Tags a room must all carry to be included.
    pub room_tags: BTreeMap<String, String>,
    /// The event name.
    pub event_name: String,
    /// The event's attributes.
    pub attributes: BTreeMap<String, String>,
    /// Log instead of sending.
    pub dry_run: bool,
}

impl Target {
    /// Reads and validates a scheduler `Input`; errors name the field.
    ///
    /// ```
    /// let err = scheduled_events::Target::from_input(&serde_json::json!({
    ///     "rooms": ["arn:aws:ivschat:us-west-2:123456789012:room/abc"],
    ///     "eventName": "",
    /// }))
    /// .unwrap_err();
    /// assert_eq!(err.to_string(), "eventName: must be 1..=100 characters long, got 0");
    /// ```
    pub fn from_input(input: &Value) -> Result<Target, ValidationError> {
        let Value::Object(map) = input else {
            return Err(ValidationError::new("input", "must be a JSON object"));
        };
        if let Some(unknown) = map.keys().find(|k| !INPUT_FIELDS.contains(&k.as_str())) {
            return Err(ValidationError::new(
                unknown.as_str(),
                format!(
                    "is not an input field (expected one of {})",
                    INPUT_FIELDS.join(", ")
                ),
            ));
        }
        let rooms = match map.get("rooms") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => RoomArn::parse(&format!("rooms[{i}]"), s),
                    _ => Err(ValidationError::new(
                        format!("rooms[{i}]"),
                        "must be a string",
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(ValidationError::new(
                    "rooms",
                    "must be an array of room ARNs",
                ))
            }
        };
        let room_tags = string_map("roomTags", map.get("roomTags"))?;
        let event_name = match map.get("eventName") {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) => {
                return Err(ValidationError::new("eventName", "is required"))
            }
            Some(_) => return Err(ValidationError::new("eventName", "must be a string")),
        };
        let attributes = string_map("attributes", map.get("attributes"))?;
        let dry_run = match map.get("dryRun") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(ValidationError::new("dryRun", "must be true or false")),
        };
        Target::new(rooms, room_tags, event_name, attributes, dry_run)
    }

    fn new(
        rooms: Vec<RoomArn>,
        room_tags: BTreeMap<String, String>,
        event_name: String,
        attributes: BTreeMap<String, String>,
        dry_run: bool,
    ) -> Result<Target, ValidationError> {
        check_event_name("eventName", &event_name)?;
        check_attributes("attributes", &attributes)?;
        if rooms.is_empty() && room_tags.is_empty() {
            return Err(ValidationError::new(
                "rooms",
                "no target: give rooms, roomTags or both",
            ));
        }
        Ok(Target {
            rooms,
            room_tags,
            event_name,
            attributes,
            dry_run,
        })
    }

    /// Reads the envelope target from `ROOMS`, `ROOM_TAGS`, `EVENT_NAME`,
    /// `EVENT_ATTRIBUTES` and `DRY_RUN`; `None` when none of the first four
    /// is set. Errors name the variable.
    pub fn from_lookup(
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Target>, ConfigError> {
        let rooms_raw = env::optional(lookup, ROOMS_VAR);
        let tags_raw = env::optional(lookup, ROOM_TAGS_VAR);
        let name_raw = env::optional(lookup, EVENT_NAME_VAR);
        let attrs_raw = env::optional(lookup, EVENT_ATTRIBUTES_VAR);
        if rooms_raw.is_none() && tags_raw.is_none() && name_raw.is_none() && attrs_raw.is_none() {
            return Ok(None);
        }
        let rooms = rooms_raw
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .enumerate()
            .map(|(i, s)| {
                RoomArn::parse(&format!("{ROOMS_VAR}[{i}]"), s)
                    .map_err(|e| ConfigError::new(ROOMS_VAR, e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let json_map =
            |name: &str, raw: Option<&str>| -> Result<BTreeMap<String, String>, ConfigError> {
                let Some(raw) = raw else {
                    return Ok(BTreeMap::new());
                };
                let value: Value = serde_json::from_str(raw).map_err(|e| {
                    ConfigError::new(name, format!("must be a JSON object of strings: {e}"))
                })?;
                string_map(name, Some(&value)).map_err(|e| ConfigError::new(name, e.to_string()))
            };
        let room_tags = json_map(ROOM_TAGS_VAR, tags_raw.as_deref())?;
        let attributes = json_map(EVENT_ATTRIBUTES_VAR, attrs_raw.as_deref())?;
        let event_name = name_raw.ok_or_else(|| {
            ConfigError::new(
                EVENT_NAME_VAR,
                format!("is required when {ROOMS_VAR} or {ROOM_TAGS_VAR} is set"),
            )
        })?;
        let dry_run = env::boolean(lookup, DRY_RUN_VAR, false)?;
        Target::new(rooms, room_tags, event_name, attributes, dry_run)
            .map(Some)
            .map_err(|e| {
                let var = match e.field.as_str() {
                    "eventName" => EVENT_NAME_VAR,
                    "attributes" => EVENT_ATTRIBUTES_VAR,
                    _ => ROOMS_VAR,
                };
                ConfigError::new(var, e.to_string())
            })
    }
}

/// The function's configuration, read once at init.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The target used for envelope (or empty) inputs.
    pub envelope_target: Option<Target>,
    /// Where failed sends are handed over, if anywhere.
    pub recovery_queue_url: Option<String>,
    /// Sends in flight at once.
    pub max_concurrency: usize,
    /// Sends started per second (IVS Chat allows 100/s per account for
    /// `SendEvent`, shared with every other sender).
    pub rate_per_second: u32,
}

impl Config {
    /// Reads the configuration through `lookup`; errors name the variable.
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        Ok(Config {
            envelope_target: Target::from_lookup(lookup)?,
            recovery_queue_url: env::optional(lookup, RECOVERY_QUEUE_URL_VAR),
            max_concurrency: env::number(lookup, MAX_CONCURRENCY_VAR, 10, 1..=100)?,
            rate_per_second: env::number(lookup, RATE_LIMIT_VAR, 50, 1..=100)?,
        })
    }
}

/// Where failed sends go to be retried (the moderation-actions queue).
pub trait RecoveryQueue: Send + Sync {
    /// Enqueues one command (its JSON text); the error says why it could not.
    fn enqueue(&self, body: String) -> impl Future<Output = Result<(), String>> + Send;
}

/// [`RecoveryQueue`] on Amazon SQS.
#[derive(Debug, Clone)]
pub struct SqsRecoveryQueue {
    client: aws_sdk_sqs::Client,
    url: String,
}

impl SqsRecoveryQueue {
    /// A queue at `url`.
    pub fn new(client: aws_sdk_sqs::Client, url: String) -> Self {
        SqsRecoveryQueue { client, url }
    }
}

impl RecoveryQueue for SqsRecoveryQueue {
    async fn enqueue(&self, body: String) -> Result<(), String> {
        self.client
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())
    }
}

/// Why an invocation failed. Every variant happens before the first send.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// The input is invalid; the error names the field.
    #[error("invalid input: {0}")]
    Invalid(#[from] ValidationError),
    /// An envelope arrived but no envelope target is configured.
    #[error("a scheduled-event envelope needs {EVENT_NAME_VAR} and {ROOMS_VAR} or {ROOM_TAGS_VAR} to be set")]
    NoEnvelopeTarget,
    /// Rooms could not be listed to resolve `roomTags`; nothing was sent.
    #[error("ListRooms failed, nothing was sent: {0}")]
    ListRooms(RoomError),
}

impl From<ScheduleError> for Diagnostic {
    fn from(err: ScheduleError) -> Diagnostic {
        let error_type = match &err {
            ScheduleError::Invalid(_) => "ValidationError".to_string(),
            ScheduleError::NoEnvelopeTarget => "NoEnvelopeTarget".to_string(),
            ScheduleError::ListRooms(e) => format!("ListRooms.{}", e.kind.as_str()),
        };
        Diagnostic {
            error_type,
            error_message: err.to_string(),
        }
    }
}

/// Whether `input` is an EventBridge envelope (or empty), whose target
/// comes from the configuration.
pub fn is_envelope(input: &Value) -> bool {
    match input {
        Value::Null => true,
        Value::Object(map) => {
            map.is_empty() || (map.contains_key("detail-type") && map.contains_key("source"))
        }
        _ => false,
    }
}

/// The scheduled-events handler.
pub struct Handler<C, Q> {
    client: C,
    queue: Option<Q>,
    config: Config,
    limiter: RateLimiter,
}

impl<C: RoomClient, Q: RecoveryQueue> Handler<C, Q> {
    /// A handler over `client`, handing failures to `queue` if given.
    pub fn new(client: C, queue: Option<Q>, config: Config) -> Self {
        let limiter = RateLimiter::per_second(config.rate_per_second);
        Handler {
            client,
            queue,
            config,
            limiter,
        }
    }

    /// The room client.
    pub fn client(&self) -> &C {
        &self.client
    }

    /// The recovery queue.
    pub fn queue(&self) -> Option<&Q> {
        self.queue.as_ref()
    }

    /// Handles one invocation and answers a summary:
    /// `{"eventName", "dryRun", "rooms": n, "sent": [{"roomArn", "eventId"}],
    /// "failed": [{"roomArn", "errorClass", "errorType", "error", "recovery"}]}`
    /// (a dry run answers `"wouldSend"` and `"roomTags"` instead).
    pub async fn handle(&self, event: LambdaEvent<Value>) -> Result<Value, ScheduleError> {
        let target = if is_envelope(&event.payload) {
            self.config
                .envelope_target
                .clone()
                .ok_or(ScheduleError::NoEnvelopeTarget)?
        } else {
            Target::from_input(&event.payload).inspect_err(|e| {
                tracing::error!(field = %e.field, error = %e, error_class = "permanent", "invalid input, nothing sent");
            })?
        };
        if target.dry_run {
            return Ok(self.dry_run(&target));
        }
        let rooms = self.resolve(&target).await?;
        let commands: Vec<SendEvent> = rooms
            .into_iter()
            .map(|room| SendEvent::new(room, target.event_name.clone(), target.attributes.clone()))
            .collect::<Result<_, _>>()?;
        let count = commands.len();
        if count == 0 {
            tracing::warn!(event_name = %target.event_name, "no room matched the target, nothing sent");
        }
        let results = run_bounded(
            commands,
            self.config.max_concurrency,
            &self.limiter,
            |command| async move {
                let result = self.client.send_event(&command).await;
                (command, result)
            },
        )
        .await;
        let mut sent = Vec::new();
        let mut failed = Vec::new();
        for (command, result) in results {
            match result {
                Ok(id) => {
                    tracing::info!(room_arn = %command.room(), event_name = command.event_name(), event_id = %id, "event sent");
                    sent.push(json!({"roomArn": command.room().as_str(), "eventId": id}));
                }
                Err(e) => failed.push(self.recover(command, e).await),
            }
        }
        tracing::info!(event_name = %target.event_name, rooms = count, sent = sent.len(), failed = failed.len(), "schedule done");
        Ok(json!({
            "eventName": target.event_name,
            "dryRun": false,
            "rooms": count,
            "sent": sent,
            "failed": failed,
        }))
    }

    fn dry_run(&self, target: &Target) -> Value {
        let would: Vec<&str> = target.rooms.iter().map(RoomArn::as_str).collect();
        for room in &would {
            tracing::info!(dry_run = true, room_arn = %room, event_name = %target.event_name, attributes = ?target.attributes, "would send event");
        }
        if !target.room_tags.is_empty() {
            tracing::info!(dry_run = true, room_tags = ?target.room_tags, event_name = %target.event_name, attributes = ?target.attributes, "would also send to every room with these tags (not listed: a dry run calls nothing)");
        }
        let tags: Map<String, Value> = target
            .room_tags
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let attributes: Map<String, Value> = target
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        json!({
            "eventName": target.event_name,
            "attributes": attributes,
            "dryRun": true,
            "wouldSend": would,
            "roomTags": tags,
        })
    }

    /// The rooms named directly, then the tagged ones, each once.
    async fn resolve(&self, target: &Target) -> Result<Vec<RoomArn>, ScheduleError> {
        let mut seen = BTreeSet::new();
        let mut rooms: Vec<RoomArn> = target
            .rooms
            .iter()
            .filter(|r| seen.insert(r.as_str().to_string()))
            .cloned()
            .collect();
        if !target.room_tags.is_empty() {
            let tagged = rooms_tagged(&self.client, &target.room_tags).await.map_err(|e| {
                tracing::error!(error_class = e.class().as_str(), error_type = e.kind.as_str(), error = %e.message, "ListRooms failed, nothing sent");
                ScheduleError::ListRooms(e)
            })?;
            for arn in tagged {
                if !seen.insert(arn.clone()) {
                    continue;
                }
                match RoomArn::parse("ListRooms.arn", &arn) {
                    Ok(room) => rooms.push(room),
                    Err(e) => {
                        tracing::error!(room_arn = %arn, error = %e, error_class = "permanent", "ListRooms returned an unusable room ARN, skipped")
                    }
                }
            }
        }
        Ok(rooms)
    }

    async fn recover(&self, command: SendEvent, e: RoomError) -> Value {
        let room = command.room().to_string();
        let body = Command::SendEvent(command).to_json().to_string();
        let recovery = match &self.queue {
            Some(queue) => match queue.enqueue(body.clone()).await {
                Ok(()) => "queued".to_string(),
                Err(q) => {
                    tracing::error!(room_arn = %room, recovery_command = %body, error = %q, "could not hand the failed send to the recovery queue: replay recovery_command by hand");
                    "logged".to_string()
                }
            },
            None => "logged".to_string(),
        };
        tracing::error!(
            room_arn = %room,
            error_class = e.class().as_str(),
            error_type = e.kind.as_str(),
            error = %e.message,
            recovery = %recovery,
            recovery_command = %body,
            "send failed"
        );
        json!({
            "roomArn": room,
            "errorClass": e.class().as_str(),
            "errorType": e.kind.as_str(),
            "error": e.message,
            "recovery": recovery,
        })
    }
}

#[cfg(test)]
mod tests;
