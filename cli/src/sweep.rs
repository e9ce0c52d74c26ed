//! `chatmod sweep`: moderate a room's history after the fact.
//!
//! A message that was delivered is in the room's chat log (IVS Chat's
//! logging to CloudWatch Logs, S3 or Firehose) even when it should not have
//! been: the review handler failed and the room's fallback let it through,
//! or a term was added to a list after it was sent. `sweep` reviews every
//! logged message with the current `REVIEW_*` configuration (or, with
//! `--config FILE` / `REVIEW_CONFIG_FILE`, the profile of the message's room
//! in a configuration document), through the same [`message_review::judge`]
//! and [`message_review::decision`] as the handler, and:
//!
//! * prints a summary: messages, flagged, by action, by category, by room,
//!   and the users with the most strikes (flagged messages), as text or
//!   `--json`;
//! * with `--commands FILE`, writes a `deleteMessage` command (the
//!   moderation queue's wire format, [`ivs_chat::Command`]) for each message
//!   that would now be denied or masked, in log order, and with
//!   `--disconnect-after N` a `disconnectUser` for each user with at least
//!   N strikes in a room, ready for the moderation queue
//!   (`aws sqs send-message-batch`, or the moderation-actions function).
//!
//! The inputs are read as `chatmod review` reads them ([`crate::formats`],
//! [`crate::replay`]): streamed, gzip'd or not, on every core. A flagged
//! message that cannot become a command (no room ARN known, an id that is not
//! 12 letters and digits) is reported by file and line, never dropped.
//! With `--send QUEUE_URL` the same commands go to the queue instead
//! ([`crate::send`]); without it the tool needs no AWS credentials or
//! network.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use chat_filter::{ReviewCache, Verdict};
use ivs_chat::chat_log::LoggedMessage;
use ivs_chat::limits::REASON_LEN;
use ivs_chat::{Command, DeleteMessage, DisconnectUser, RoomArn};
use message_review::profiles::Profiles;
use message_review::{decision, judge_by, Decision};
use serde_json::{json, Value};

use crate::formats::{self, Found, Rooms};
use crate::replay::{self, InputFile, Item, Outputs, Sink, Work};
use crate::review::{over_limit, warn_over_limit};
use crate::send::{self, Sent};
use crate::{CliError, Outcome, SweepArgs};

/// Runs `chatmod sweep`.
pub fn run(args: &SweepArgs) -> Result<Outcome, CliError> {
    let profiles = replay::profiles(args.config.as_deref())?;
    if let Some(room) = &args.room {
        RoomArn::parse("--room", room).map_err(|e| CliError::Usage(e.to_string()))?;
    }
    let reason = match &args.reason {
        Some(reason) => reason.clone(),
        None => profiles
            .default_profile()
            .config
            .deny_reason
            .chars()
            .take(REASON_LEN.1)
            .collect(),
    };
    // Checked once here, so a bad --reason is a usage error, not one error
    // per message.
    let check_room = RoomArn::parse(
        "roomArn",
        "arn:aws:ivschat:us-east-1:000000000000:room/check",
    )
    .map_err(|e| CliError::Usage(e.to_string()))?;
    DeleteMessage::new(check_room, "AAAAAAAAAAAA", Some(reason.clone()))
        .map_err(|e| CliError::Usage(format!("--reason: {e}")))?;

    if args.disconnect_after.is_some() && args.commands.is_none() && args.send.is_none() {
        return Err(CliError::Usage(
            "--disconnect-after needs --commands or --send".into(),
        ));
    }
    let commands_to_stdout = args
        .commands
        .as_deref()
        .is_some_and(|p| p.as_os_str() == "-");
    // For --send the commands are kept (only flagged messages have one) and
    // sent once the sweep is done.
    let to_send = Collected::default();
    let commands: Box<dyn Write + Send> = match &args.commands {
        None if args.send.is_some() => Box::new(to_send.clone()),
        None => Box::new(io::sink()),
        Some(path) if path.as_os_str() == "-" => Box::new(io::stdout()),
        Some(path) => Box::new(File::create(path).map_err(|error| CliError::Read {
            path: path.display().to_string(),
            error,
        })?),
    };
    let mut outputs = Outputs::new(commands, Box::new(io::stderr()), false);
    let sweeper = Sweeper {
        profiles,
        cache: replay::review_cache(args.cache_mib),
        reason: &reason,
        room: args.room.as_deref(),
        region: std::env::var("AWS_REGION").ok(),
        write_commands: args.commands.is_some() || args.send.is_some(),
    };
    let options = replay::Options::with_jobs(args.jobs.map(usize::from));
    let mut tally = replay::run(&sweeper, &args.inputs, &options, &mut outputs)?;

    if let Some(threshold) = args.disconnect_after {
        let mut repeat: Vec<(&(String, String), &u64)> = tally
            .strikes
            .iter()
            .filter(|(_, strikes)| **strikes >= u64::from(threshold))
            .collect();
        repeat.sort();
        let mut lines = String::new();
        for ((room, user), _) in repeat {
            let command = RoomArn::parse("roomArn", room)
                .and_then(|room| DisconnectUser::new(room, user.as_str(), Some(reason.clone())));
            match command {
                Ok(command) => {
                    tally.disconnects += 1;
                    lines.push_str(&Command::DisconnectUser(command).to_json().to_string());
                    lines.push('\n');
                }
                Err(e) => {
                    tally.uncommanded += 1;
                    outputs.note(&format!(
                        "error: cannot disconnect user {user:?} of room {room:?}: {e}"
                    ));
                }
            }
        }
        if args.commands.is_some() || args.send.is_some() {
            outputs.print(&lines)?;
        }
    }
    outputs.finish()?;
    if let Some(url) = &args.send {
        let bytes = to_send.take();
        let commands: Vec<String> = String::from_utf8_lossy(&bytes)
            .lines()
            .map(str::to_string)
            .collect();
        let sent = send::send(url, &commands, &args.unsent, &mut outputs)?;
        tally.sent = Some(sent);
        outputs.finish()?;
    }

    let summary = tally.summary(args.top);
    let text = if args.json {
        format!("{summary:#}\n")
    } else {
        render(&summary)
    };
    let mut out: Box<dyn Write> = if commands_to_stdout {
        Box::new(io::stderr())
    } else {
        Box::new(io::stdout())
    };
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(CliError::Write(e)),
    }
    let unsent = tally.sent.map_or(0, |s| s.unsent);
    if tally.bad + tally.uncommanded > 0 || unsent > 0 {
        Ok(Outcome::Problems)
    } else {
        Ok(Outcome::Clean)
    }
}

/// What a sweep counts.
#[derive(Debug, Default)]
pub struct Tally {
    messages: u64,
    flagged: u64,
    by_action: BTreeMap<&'static str, u64>,
    by_category: BTreeMap<String, u64>,
    /// Messages and flagged messages per room.
    by_room: BTreeMap<String, (u64, u64)>,
    /// Flagged messages per (room, user).
    strikes: HashMap<(String, String), u64>,
    skipped: u64,
    blank: u64,
    bad: u64,
    over_limit: u64,
    deletes: u64,
    disconnects: u64,
    /// Flagged messages or users no command could be written for.
    uncommanded: u64,
    /// What `--send` did.
    sent: Option<Sent>,
}

impl Tally {
    fn merge(&mut self, part: Tally) {
        self.messages += part.messages;
        self.flagged += part.flagged;
        for (k, v) in part.by_action {
            *self.by_action.entry(k).or_default() += v;
        }
        for (k, v) in part.by_category {
            *self.by_category.entry(k).or_default() += v;
        }
        for (k, (m, f)) in part.by_room {
            let room = self.by_room.entry(k).or_default();
            room.0 += m;
            room.1 += f;
        }
        for (k, v) in part.strikes {
            *self.strikes.entry(k).or_default() += v;
        }
        self.skipped += part.skipped;
        self.blank += part.blank;
        self.bad += part.bad;
        self.over_limit += part.over_limit;
        self.deletes += part.deletes;
        self.uncommanded += part.uncommanded;
    }

    fn summary(&self, top: usize) -> Value {
        let mut users: Vec<(&(String, String), &u64)> = self.strikes.iter().collect();
        users.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let top_users: Vec<Value> = users
            .into_iter()
            .take(top)
            .map(|((room, user), strikes)| json!({"userId": user, "roomArn": room, "strikes": strikes}))
            .collect();
        let by_room: serde_json::Map<String, Value> = self
            .by_room
            .iter()
            .map(|(room, (m, f))| (room.clone(), json!({"messages": m, "flagged": f})))
            .collect();
        let mut commands = json!({"deleteMessage": self.deletes, "disconnectUser": self.disconnects, "notWritten": self.uncommanded});
        if let Some(sent) = self.sent {
            commands["sent"] = sent.sent.into();
            commands["unsent"] = sent.unsent.into();
        }
        json!({
            "messages": self.messages,
            "flagged": self.flagged,
            "byAction": self.by_action,
            "byCategory": self.by_category,
            "byRoom": by_room,
            "topUsers": top_users,
            "records": {"skipped": self.skipped, "bad": self.bad, "blank": self.blank, "overLimit": self.over_limit},
            "commands": commands,
        })
    }
}

/// The summary as aligned text.
fn render(summary: &Value) -> String {
    let count = |v: &Value| v.as_u64().unwrap_or_default();
    let pairs = |v: &Value| -> String {
        let Some(map) = v.as_object() else {
            return String::new();
        };
        if map.is_empty() {
            return "-".into();
        }
        let mut items: Vec<(&String, u64)> = map.iter().map(|(k, v)| (k, count(v))).collect();
        items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        items
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let messages = count(&summary["messages"]);
    let flagged = count(&summary["flagged"]);
    let share = if messages == 0 {
        0.0
    } else {
        flagged as f64 * 100.0 / messages as f64
    };
    let records = &summary["records"];
    let mut text = format!(
        "messages     {messages}\nflagged      {flagged} ({share:.2}%)\nby action    {}\nby category  {}\n",
        pairs(&summary["byAction"]),
        pairs(&summary["byCategory"]),
    );
    text.push_str("by room\n");
    if let Some(rooms) = summary["byRoom"].as_object() {
        for (room, counts) in rooms {
            text.push_str(&format!(
                "  {room}  {} messages, {} flagged\n",
                count(&counts["messages"]),
                count(&counts["flagged"])
            ));
        }
    }
    text.push_str("top users by strikes\n");
    if let Some(users) = summary["topUsers"].as_array() {
        for user in users {
            text.push_str(&format!(
                "  {}  {}  ({})\n",
                user["userId"].as_str().unwrap_or_default(),
                count(&user["strikes"]),
                user["roomArn"].as_str().unwrap_or_default()
            ));
        }
    }
    text.push_str(&format!(
        "records      {} skipped (no message), {} bad, {} blank, {} over 500 characters\n",
        count(&records["skipped"]),
        count(&records["bad"]),
        count(&records["blank"]),
        count(&records["overLimit"]),
    ));
    let commands = &summary["commands"];
    text.push_str(&format!(
        "commands     {} deleteMessage, {} disconnectUser, {} not written (reported above)\n",
        count(&commands["deleteMessage"]),
        count(&commands["disconnectUser"]),
        count(&commands["notWritten"]),
    ));
    if let Some(sent) = commands["sent"].as_u64() {
        text.push_str(&format!(
            "queue        {sent} sent, {} not queued (reported above)\n",
            count(&commands["unsent"])
        ));
    }
    text
}

/// A writer whose bytes are kept for later (the commands `--send` sends).
#[derive(Debug, Clone, Default)]
struct Collected(Arc<Mutex<Vec<u8>>>);

impl Collected {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut bytes| std::mem::take(&mut *bytes))
            .unwrap_or_default()
    }
}

impl Write for Collected {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("the command buffer was poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The room messages without a room of their own are counted under.
const UNKNOWN_ROOM: &str = "(unknown room)";

struct Sweeper<'c> {
    /// Each message is judged by its room's profile, as the handler would.
    profiles: &'c Profiles,
    /// Verdicts remembered for texts that come again (`--cache-mib`).
    cache: ReviewCache<'c>,
    reason: &'c str,
    room: Option<&'c str>,
    region: Option<String>,
    write_commands: bool,
}

impl Sweeper<'_> {
    fn message(
        &self,
        input: &InputFile,
        line: usize,
        message: &LoggedMessage<'_>,
        sink: &mut Sink,
        tally: &mut Tally,
    ) {
        tally.messages += 1;
        if let Some(chars) = over_limit(&message.content) {
            tally.over_limit += 1;
            warn_over_limit(input, line, message, chars, sink);
        }
        let room = message.room_arn.as_deref().or(self.room);
        let room_key = room.unwrap_or(UNKNOWN_ROOM);
        let profile = self.profiles.select(room.unwrap_or_default());
        let verdict = judge_by(
            &profile.config,
            &message.content,
            &message.sender_attributes,
            |text| self.cache.review(&profile.filter, text),
        );
        let action = match decision(&verdict) {
            Decision::Allow => "allow",
            Decision::Mask(_) => "mask",
            Decision::Deny => "deny",
        };
        *tally.by_action.entry(action).or_default() += 1;
        if let Some(counts) = tally.by_room.get_mut(room_key) {
            counts.0 += 1;
        } else {
            tally.by_room.insert(room_key.to_string(), (1, 0));
        }
        if action == "allow" {
            return;
        }
        tally.flagged += 1;
        if let Some(counts) = tally.by_room.get_mut(room_key) {
            counts.1 += 1;
        }
        for category in categories(&verdict) {
            *tally.by_category.entry(category.to_string()).or_default() += 1;
        }
        let user = if message.user_id.is_empty() {
            "(unknown user)"
        } else {
            &message.user_id
        };
        *tally
            .strikes
            .entry((room_key.to_string(), user.to_string()))
            .or_default() += 1;
        if !self.write_commands {
            return;
        }
        let command = match room {
            None => Err(format!(
                "cannot delete message {:?}: the record names no room; give --room",
                &*message.id
            )),
            Some(room) => RoomArn::parse("roomArn", room)
                .and_then(|room| DeleteMessage::new(room, &*message.id, Some(self.reason.into())))
                .map_err(|e| format!("cannot delete message {:?}: {e}", &*message.id)),
        };
        match command {
            Ok(command) => {
                tally.deletes += 1;
                sink.out.extend_from_slice(
                    Command::DeleteMessage(command)
                        .to_json()
                        .to_string()
                        .as_bytes(),
                );
                sink.out.push(b'\n');
            }
            Err(problem) => {
                tally.uncommanded += 1;
                sink.err.extend_from_slice(
                    format!("error: {}:{line}: {problem}\n", input.name).as_bytes(),
                );
            }
        }
    }
}

/// The distinct categories a verdict's matches name (`(none)` if none do).
fn categories<'v>(verdict: &'v Verdict<'_>) -> Vec<&'v str> {
    let mut categories: Vec<&str> = verdict.matches.iter().filter_map(|m| m.category).collect();
    categories.sort_unstable();
    categories.dedup();
    if categories.is_empty() {
        categories.push("(none)");
    }
    categories
}

impl Work for Sweeper<'_> {
    type Tally = Tally;

    fn record(
        &self,
        input: &InputFile,
        line: usize,
        item: Item<'_>,
        sink: &mut Sink,
        tally: &mut Tally,
    ) {
        let bad = |problem: &str, sink: &mut Sink, tally: &mut Tally| {
            tally.bad += 1;
            sink.err
                .extend_from_slice(format!("error: {}:{line}: {problem}\n", input.name).as_bytes());
        };
        match item {
            Item::Blank => tally.blank += 1,
            Item::Broken(problem) => bad(problem, sink, tally),
            Item::Text(text) => {
                let rooms = Rooms {
                    fallback: input.room.as_deref().or(self.room),
                    region: self.region.as_deref(),
                };
                formats::read(text, rooms, &mut |found| match found {
                    Found::Message(message) => self.message(input, line, &message, sink, tally),
                    Found::Skipped(_) => tally.skipped += 1,
                    Found::Error(problem) => bad(&problem, sink, tally),
                });
            }
        }
    }

    fn merge(&self, total: &mut Tally, part: Tally) {
        total.merge(part);
    }
}
