//! `chatmod sweep --send`: the sweep's commands, sent to the moderation queue.
//!
//! Commands go in `SendMessageBatch` calls of ten (the API's most) with the
//! AWS SDK's standard retries; the credentials, region and endpoint are the
//! usual AWS SDK settings (`AWS_PROFILE`, `AWS_REGION`,
//! `AWS_ENDPOINT_URL_SQS`, ...). A command the queue did not take, after the
//! retries, is reported on stderr with the reason and written, one a line, to
//! the unsent file, so that nothing is lost: send that file again with
//! `--send` once the cause is fixed (`chatmod sweep` reads commands back only
//! through the AWS CLI or `moderation-actions`, so it is plain JSON Lines).
//!
//! The SDK is behind the `sqs` feature (on by default): a build without it
//! (`--no-default-features`) has no AWS dependency at all and refuses
//! `--send` with a message saying so.

use std::path::Path;

use crate::replay::Outputs;
use crate::CliError;

/// The most entries in one `SendMessageBatch` call.
#[cfg(feature = "sqs")]
pub const BATCH: usize = 10;

/// What a send did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// Commands the queue took.
    pub sent: usize,
    /// Commands it did not (each reported and written to the unsent file).
    pub unsent: usize,
}

/// Sends `commands` (JSON texts) to the queue at `url`.
#[cfg(feature = "sqs")]
pub fn send(
    url: &str,
    commands: &[String],
    unsent_path: &Path,
    outputs: &mut Outputs,
) -> Result<Sent, CliError> {
    use aws_config::BehaviorVersion;
    use aws_sdk_sqs::types::SendMessageBatchRequestEntry;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start the AWS client: {e}")))?;
    let mut unsent: Vec<&str> = Vec::new();
    let mut sent = 0;
    runtime.block_on(async {
        let aws = aws_config::defaults(BehaviorVersion::latest()).load().await;
        let client = aws_sdk_sqs::Client::new(&aws);
        for batch in commands.chunks(BATCH) {
            let mut request = client.send_message_batch().queue_url(url);
            for (i, body) in batch.iter().enumerate() {
                match SendMessageBatchRequestEntry::builder()
                    .id(format!("c{i}"))
                    .message_body(body)
                    .build()
                {
                    Ok(entry) => request = request.entries(entry),
                    Err(e) => {
                        outputs.note(&format!("error: command not sent: {e}: {body}"));
                        unsent.push(body);
                    }
                }
            }
            match request.send().await {
                Ok(output) => {
                    let failed: Vec<(usize, String)> = output
                        .failed()
                        .iter()
                        .filter_map(|f| {
                            let index = f.id().strip_prefix('c')?.parse::<usize>().ok()?;
                            Some((
                                index,
                                format!("{}: {}", f.code(), f.message().unwrap_or("no message")),
                            ))
                        })
                        .collect();
                    sent += batch.len() - failed.len();
                    for (index, error) in failed {
                        if let Some(body) = batch.get(index) {
                            outputs.note(&format!("error: command not queued: {error}: {body}"));
                            unsent.push(body);
                        }
                    }
                }
                Err(e) => {
                    let error = aws_sdk_sqs::error::DisplayErrorContext(e).to_string();
                    for body in batch {
                        outputs.note(&format!("error: command not queued: {error}: {body}"));
                        unsent.push(body);
                    }
                }
            }
        }
    });
    if !unsent.is_empty() {
        let mut text = unsent.join("\n");
        text.push('\n');
        std::fs::write(unsent_path, text).map_err(|error| CliError::Read {
            path: unsent_path.display().to_string(),
            error,
        })?;
        outputs.note(&format!(
            "error: {} of {} commands were not queued; they are in {}",
            unsent.len(),
            commands.len(),
            unsent_path.display()
        ));
    }
    Ok(Sent {
        sent,
        unsent: unsent.len(),
    })
}

/// Without the `sqs` feature there is no queue client.
#[cfg(not(feature = "sqs"))]
pub fn send(
    _url: &str,
    _commands: &[String],
    _unsent_path: &Path,
    _outputs: &mut Outputs,
) -> Result<Sent, CliError> {
    Err(CliError::Usage(
        "--send needs chatmod built with the `sqs` feature (on by default); write the commands with --commands instead".into(),
    ))
}
