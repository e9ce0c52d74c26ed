//! `chatmod`: the message review, run locally.
//!
//! The deployed review handler is only as good as its word lists and
//! settings, and both are easier to get right on a laptop than in a Lambda
//! console. `chatmod` runs the handler's own code (the `message-review`
//! crate's [`message_review::review`]) with the same environment variables,
//! so what it prints is what the function would answer:
//!
//! ```text
//! chatmod review events/message-review/profane.json   # one event, or JSON Lines
//! chatmod review --text "this shit is broken" --explain
//! chatmod review - < chat-log.jsonl                   # replay, one response a line
//! chatmod lint my-block-list.txt                      # every bad line, with its number
//! chatmod lint --allow my-allow-list.txt
//! chatmod lint --rules my-rules.txt
//! chatmod lint --config rooms.json                    # a configuration document, whole
//! chatmod review --config rooms.json --room kidsRoom0001 --text "oh shit"
//! chatmod eval --expect flagged insults.txt           # recall on labelled messages
//! chatmod eval labelled.jsonl --examples 20
//! ```
//!
//! Exit codes: 0 when everything was fine; 1 when the input had problems
//! (an event that is not one, a word list with bad lines, a labelled sample
//! that does not parse) — every problem is reported and the rest is still
//! processed; 2 when the command could not run at all (bad usage, invalid
//! `REVIEW_*` configuration, a file that cannot be read).

mod eval;
mod formats;
mod input;
mod lint;
mod replay;
mod review;
mod send;
mod stream;
mod sweep;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use thiserror::Error;

/// Run the IVS Chat message review locally: review events or text, replay
/// chat logs, lint word lists, measure accuracy.
///
/// `review` and `eval` read the same REVIEW_* environment variables as the
/// deployed function.
#[derive(Debug, Parser)]
#[command(name = "chatmod", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Review events (a JSON file, JSON Lines, or stdin) or a bare message,
    /// printing one response a line.
    Review(ReviewArgs),
    /// Review a room's logged messages with the current configuration: a
    /// summary (flagged by action, category, room; top users by strikes)
    /// and, with --commands, the deleteMessage (and disconnectUser) commands
    /// for the moderation queue.
    Sweep(SweepArgs),
    /// Check word lists, allow-lists or regex rule files, reporting every bad
    /// line.
    Lint(LintArgs),
    /// Measure accuracy on labelled messages: recall, false positives, per
    /// file and per category.
    Eval(EvalArgs),
}

/// Arguments of `chatmod review`.
#[derive(Debug, Args)]
struct ReviewArgs {
    /// Inputs, read in order (`-` is stdin; gzip'd files are read as they
    /// are): review events (one JSON object, pretty-printed or not, or JSON
    /// Lines), IVS Chat logging records (CloudWatch Logs, S3, Firehose),
    /// CloudWatch Logs subscription events or exports. Records that are not
    /// messages (EVENT records) are skipped and counted.
    #[arg(conflicts_with = "text")]
    inputs: Vec<PathBuf>,
    /// Review this message instead of an event file.
    #[arg(long)]
    text: Option<String>,
    /// Also write each match (rule, list and line, category, severity,
    /// action, span, matched text) to stderr, one JSON object a line.
    #[arg(long)]
    explain: bool,
    /// Review with this configuration document (profiles per room) instead
    /// of the REVIEW_* variables; REVIEW_CONFIG_FILE does the same.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The room ARN (or id) of the `--text` message, and of logged messages
    /// whose record does not name one; it picks the profile.
    #[arg(long)]
    room: Option<String>,
    /// Start each response with the input's "File", "Line" and "MessageId",
    /// and give skipped and bad records a line of their own ("Skipped",
    /// "Error"), so that every line of output can be matched to its input.
    #[arg(long)]
    origin: bool,
    /// Worker threads (default: one per core). The output is the same, in
    /// input order, whatever the number.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Memory for remembered verdicts, in MiB (0: none): a text that comes
    /// again under the same profile is answered from memory, not reviewed
    /// again. The answers are the same either way.
    #[arg(long, value_name = "MIB", default_value_t = replay::DEFAULT_CACHE_MIB)]
    cache_mib: usize,
}

/// Arguments of `chatmod sweep`.
#[derive(Debug, Args)]
struct SweepArgs {
    /// Chat logs, read as `chatmod review` reads them (`-` is stdin; gzip'd
    /// files are read as they are): S3 objects, CloudWatch Logs exports or
    /// subscription events, Firehose output, review events.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Write the moderation commands here as JSON Lines (`-`: stdout, and
    /// the summary goes to stderr): a deleteMessage for each message that
    /// would now be denied or masked, in log order.
    #[arg(long)]
    commands: Option<PathBuf>,
    /// Also write a disconnectUser for each user with at least this many
    /// strikes (flagged messages) in a room, after the deleteMessage
    /// commands.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    disconnect_after: Option<u32>,
    /// Send the commands to this SQS queue (the moderation queue) instead of
    /// writing them: batches of ten, with the AWS SDK's retries and its
    /// usual credentials, region and endpoint settings.
    #[arg(long, value_name = "QUEUE_URL", conflicts_with = "commands")]
    send: Option<String>,
    /// With --send: where the commands the queue did not take are written
    /// (each is also reported on stderr).
    #[arg(long, default_value = "unsent-commands.jsonl", requires = "send")]
    unsent: PathBuf,
    /// The room of messages whose record does not say (records from S3
    /// objects and CloudWatch Logs subscription events do).
    #[arg(long)]
    room: Option<String>,
    /// The reason the commands give (1..=256 characters; default: the
    /// first 256 characters of REVIEW_DENY_REASON).
    #[arg(long)]
    reason: Option<String>,
    /// How many users to list by strikes.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Memory for remembered verdicts, in MiB (0: none): a text that comes
    /// again under the same profile is answered from memory, not reviewed
    /// again. The answers are the same either way.
    #[arg(long, value_name = "MIB", default_value_t = replay::DEFAULT_CACHE_MIB)]
    cache_mib: usize,
    /// Review with this configuration document (profiles per room) instead
    /// of the REVIEW_* variables; REVIEW_CONFIG_FILE does the same.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// The kind of file `chatmod lint` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Block,
    Allow,
    Rules,
}

/// Arguments of `chatmod lint`.
#[derive(Debug, Args)]
struct LintArgs {
    /// The files to check.
    #[arg(required_unless_present = "config")]
    files: Vec<PathBuf>,
    /// Check a configuration document instead: every profile is read and
    /// built, and every problem reported with its field path.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["files", "allow", "rules"])]
    config: Option<PathBuf>,
    /// The files are allow-lists (no severities or categories).
    #[arg(long, conflicts_with = "rules")]
    allow: bool,
    /// The files are regex rule lists (`name | action | pattern`).
    #[arg(long)]
    rules: bool,
}

impl LintArgs {
    fn kind(&self) -> ListKind {
        match (self.allow, self.rules) {
            (true, _) => ListKind::Allow,
            (_, true) => ListKind::Rules,
            _ => ListKind::Block,
        }
    }
}

/// What the messages of a plain-text data set should get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Expect {
    /// Every message should be masked or denied.
    Flagged,
    /// No message should be.
    Clean,
}

/// Arguments of `chatmod eval`.
#[derive(Debug, Args)]
struct EvalArgs {
    /// Data sets: `.jsonl` files of `{"text": ..., "flagged": true|false,
    /// "category": ...}` lines, or plain text files of one message a line
    /// (which need `--expect`).
    #[arg(required_unless_present = "matrix")]
    files: Vec<PathBuf>,
    /// The label of every message in the plain-text files.
    #[arg(long, value_enum)]
    expect: Option<Expect>,
    /// How many mistakes to show per file.
    #[arg(long, default_value_t = 10)]
    examples: usize,
    /// Also measure the disguise matrix (every moderate and severe term of
    /// the built-in block list in every disguise class) and the harmless
    /// matrix of the word files (`*.txt`, one item a line) in this folder,
    /// reported by class. `english.txt` there, if present, also serves as the
    /// common words that `dropped-vowels` must not read as.
    #[arg(long, value_name = "DIR")]
    matrix: Option<PathBuf>,
    /// Exit with 1 when the recall over every sample to flag is below this
    /// percentage.
    #[arg(long, value_name = "PERCENT", value_parser = percentage)]
    min_recall: Option<f64>,
    /// Exit with 1 when more than this percentage of the clean samples is
    /// flagged.
    #[arg(long, value_name = "PERCENT", value_parser = percentage)]
    max_flagged: Option<f64>,
}

/// A percentage from 0 to 100 (a trailing `%` is allowed).
fn percentage(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%').trim();
    match number.parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(value),
        _ => Err(format!("'{text}' is not a percentage from 0 to 100")),
    }
}

/// A failure that stops a command.
#[derive(Debug, Error)]
enum CliError {
    /// The `REVIEW_*` variables do not make a valid configuration.
    #[error("invalid configuration: {0}")]
    Config(#[from] message_review::ConfigError),
    /// The configuration document or its source variables are not usable.
    #[error("invalid configuration: {0}")]
    Init(#[from] message_review::source::InitError),
    /// A file (or stdin) that cannot be read.
    #[error("cannot read '{path}': {error}")]
    Read { path: String, error: std::io::Error },
    /// Arguments that make no sense together.
    #[error("{0}")]
    Usage(String),
    /// The output could not be written (other than a closed pipe).
    #[error("cannot write the output: {0}")]
    Write(std::io::Error),
}

/// How a command that ran went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Everything was fine.
    Clean,
    /// Problems were found in the input and reported.
    Problems,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Review(args) => review::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Eval(args) => eval::run(&args),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(error) => {
            // Not eprintln!, which panics if stderr is gone.
            let _ = writeln!(std::io::stderr(), "error: {error}");
            ExitCode::from(2)
        }
    }
}
