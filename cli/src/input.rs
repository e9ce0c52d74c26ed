//! Reading small inputs whole and writing results, for the subcommands that
//! read word lists and labelled samples (`lint`, `eval`).
//!
//! Events and chat logs, which can be gigabytes, are streamed instead
//! ([`crate::stream`], [`crate::replay`]). Output goes through [`Output`],
//! which stops quietly when the reader of a pipe goes away (`chatmod eval
//! ... | head`) instead of panicking as `println!` would.

use std::io::{self, Read, Write};
use std::path::Path;

use crate::CliError;

/// Reads a file, or stdin for `-`, returning the name to use in messages
/// and the text.
pub fn read(path: &Path) -> Result<(String, String), CliError> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|error| CliError::Read {
                path: "<stdin>".into(),
                error,
            })?;
        return Ok(("<stdin>".into(), text));
    }
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((name, text)),
        Err(error) => Err(CliError::Read { path: name, error }),
    }
}

/// A writer that reports a closed pipe as "stop" rather than an error.
pub struct Output<W: Write> {
    writer: W,
    closed: bool,
}

impl<W: Write> Output<W> {
    /// Wraps `writer`.
    pub fn new(writer: W) -> Self {
        Output {
            writer,
            closed: false,
        }
    }

    /// Writes one line. Returns `Ok(false)` once the reader has gone away.
    pub fn line(&mut self, text: &str) -> Result<bool, CliError> {
        if self.closed {
            return Ok(false);
        }
        match writeln!(self.writer, "{text}").and_then(|()| self.writer.flush()) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(false)
            }
            Err(error) => Err(CliError::Write(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_lines_end_with_newlines() {
        let mut buffer = Vec::new();
        let mut output = Output::new(&mut buffer);
        assert!(output.line("a").unwrap());
        assert!(output.line("b").unwrap());
        assert_eq!(buffer, b"a\nb\n");
    }
}
