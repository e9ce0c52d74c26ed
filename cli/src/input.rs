//! Reading inputs and writing results, shared by the subcommands.
//!
//! Inputs are small enough to read whole, which lets an event file be either
//! one (possibly pretty-printed) JSON object or JSON Lines without a flag to
//! say which. Output goes through [`Output`], which stops quietly when the
//! reader of a pipe goes away (`chatmod review log.jsonl | head`) instead of
//! panicking as `println!` would.

use std::io::{self, Read, Write};
use std::path::Path;

use serde_json::Value;

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

/// One JSON document found in an input, with the line it starts on.
#[derive(Debug)]
pub struct Document {
    /// The 1-based line the document starts on.
    pub line: usize,
    /// The document, or why it is not valid JSON.
    pub value: Result<Value, String>,
}

/// Splits an input into JSON documents.
///
/// If the first non-blank line is a complete JSON value on its own, the input
/// is read as JSON Lines: every non-blank line is one document, and a bad
/// line does not stop the others. Otherwise the whole input is one document
/// (a pretty-printed event), and a syntax error gives its line and column.
pub fn documents(text: &str) -> Vec<Document> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .peekable();
    let Some(&(first_index, first_line)) = lines.peek() else {
        return Vec::new();
    };
    if serde_json::from_str::<Value>(first_line).is_ok() {
        lines
            .map(|(index, line)| Document {
                line: index + 1,
                value: serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}")),
            })
            .collect()
    } else {
        vec![Document {
            line: first_index + 1,
            value: serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}")),
        }]
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
    fn a_pretty_printed_object_is_one_document() {
        let docs = documents("\n{\n  \"Content\": \"hi\"\n}\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].line, 2);
        assert_eq!(docs[0].value.as_ref().unwrap()["Content"], "hi");
    }

    #[test]
    fn json_lines_are_one_document_a_line_and_bad_lines_stand_alone() {
        let docs = documents("{\"Content\": \"a\"}\n\n{oops\n{\"Content\": \"b\"}\n");
        let lines: Vec<usize> = docs.iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 3, 4]);
        assert!(docs[0].value.is_ok());
        assert!(docs[1]
            .value
            .as_ref()
            .unwrap_err()
            .starts_with("invalid JSON: "));
        assert_eq!(docs[2].value.as_ref().unwrap()["Content"], "b");
    }

    #[test]
    fn a_broken_document_reports_where() {
        let docs = documents("{\n  \"Content\": \n}\n");
        assert_eq!(docs.len(), 1);
        let error = docs[0].value.as_ref().unwrap_err();
        assert!(error.contains("line 3"), "{error}");
    }

    #[test]
    fn blank_input_has_no_documents() {
        assert!(documents(" \n\n").is_empty());
    }

    #[test]
    fn output_lines_end_with_newlines() {
        let mut buffer = Vec::new();
        let mut output = Output::new(&mut buffer);
        assert!(output.line("a").unwrap());
        assert!(output.line("b").unwrap());
        assert_eq!(buffer, b"a\nb\n");
    }
}
