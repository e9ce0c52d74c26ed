//! The logging set-up every function's `main.rs` calls first.
//!
//! One JSON object a line, the event's fields at the top level, so that
//! CloudWatch Logs Insights can query them (`filter action = "DENY"`)
//! without unpacking a nested `fields` object. Lambda stamps each line with
//! its own time, so the lines carry none; spans are left out, since no
//! function's log line needs them. The level comes from `RUST_LOG` (an
//! `EnvFilter` directive), `info` when unset.
//!
//! One function for the three binaries, so their log lines cannot drift
//! apart: the end-to-end tests and the documented log queries read them the
//! same way for every function.

use std::fmt::Display;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

/// Installs the JSON-lines subscriber for this process. Call once, before
/// anything logs.
pub fn init() {
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .without_time()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
}

/// The exit code of a function whose `run` returned `result`, logging the
/// error first. The error is logged with `Display`, so an init failure
/// reads "MAX_CONCURRENCY: must be ..." in the function's log.
pub fn exit_code(result: Result<(), impl Display>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "function stopped");
            ExitCode::FAILURE
        }
    }
}
