//! Streaming input: files, stdin and `.gz`, cut into records with their lines.
//!
//! A month of a busy room's chat log is gigabytes, so nothing here holds more
//! than one record (and the chunk of records being reviewed) at a time:
//! memory stays flat whatever the input's size.
//!
//! * [`open`] reads a file, or stdin for `-`, and decompresses it when it
//!   starts with gzip's magic bytes (S3 chat logs and CloudWatch Logs exports
//!   are `.gz`), whatever its name. Concatenated gzip members are read as one
//!   stream, as `gzip -d` does.
//! * [`Records`] cuts the text into records. A record is one line, unless
//!   that line is the start of an unfinished JSON value (a pretty-printed
//!   event opens with `{` alone), in which case it continues over the
//!   following lines until the value is complete. The choice is made by the
//!   document itself, line by line, not by whether line one parses: a
//!   JSON Lines file whose first line is broken is still read a line at a
//!   time, and a pretty-printed event is still one record.
//! * A value that never completes, or breaks before it does, is reported as
//!   one [`Record::Broken`] at the line it started on, and reading resumes
//!   with the line where it went wrong: one broken line never takes the good
//!   lines after it down with it.
//!
//! Blank lines are counted, never reviewed.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

use crate::CliError;

/// The largest multi-line record read (a review event is a few KB): past
/// this, the value is reported unfinished rather than read on for ever.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// An open input, and the name it is reported under.
pub struct Input {
    /// The path as given, or `<stdin>`.
    pub name: String,
    /// The (decompressed) text.
    pub reader: Box<dyn BufRead + Send>,
}

/// Opens `path` (`-` for stdin), decompressing gzip.
pub fn open(path: &Path) -> Result<Input, CliError> {
    let (name, raw): (String, Box<dyn Read + Send>) = if path.as_os_str() == "-" {
        ("<stdin>".into(), Box::new(io::stdin()))
    } else {
        let name = path.display().to_string();
        match File::open(path) {
            Ok(file) => (name, Box::new(file)),
            Err(error) => return Err(CliError::Read { path: name, error }),
        }
    };
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let is_gzip = buffered
        .fill_buf()
        .map_err(|error| CliError::Read {
            path: name.clone(),
            error,
        })?
        .starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn BufRead + Send> = if is_gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    };
    Ok(Input { name, reader })
}

/// One record of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A record starting on `line`, whose text (one line, or the lines of
    /// one multi-line value) is in the buffer given to
    /// [`Records::next_record`].
    Text { line: usize },
    /// A value that could not be completed, starting on `line`.
    Broken { line: usize, message: String },
    /// A blank line.
    Blank { line: usize },
}

/// Cuts an input into [`Record`]s.
pub struct Records<R> {
    reader: R,
    /// The number of the last line read from `reader`.
    line: usize,
    /// Lines read ahead while a multi-line value was tried, to be read again.
    pending: VecDeque<(usize, Vec<u8>)>,
    done: bool,
}

impl<R: BufRead> Records<R> {
    /// Records of `reader`.
    pub fn new(reader: R) -> Self {
        Records {
            reader,
            line: 0,
            pending: VecDeque::new(),
            done: false,
        }
    }

    /// The next line, without its line ending, or `None` at the end.
    fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<usize>> {
        if let Some((line, text)) = self.pending.pop_front() {
            *buf = text;
            return Ok(Some(line));
        }
        if self.done {
            return Ok(None);
        }
        buf.clear();
        if read_line(&mut self.reader, buf)? == 0 {
            self.done = true;
            return Ok(None);
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        self.line += 1;
        Ok(Some(self.line))
    }

    /// The next record into `buf` (reused between calls, so a run of
    /// one-line records allocates nothing), or `None` at the end.
    pub fn next_record(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Record>> {
        let Some(line) = self.next_line(buf)? else {
            return Ok(None);
        };
        let trimmed = buf.trim_ascii();
        if trimmed.is_empty() {
            return Ok(Some(Record::Blank { line }));
        }
        if !opens_unfinished_value(trimmed) {
            return Ok(Some(Record::Text { line }));
        }
        let first = std::mem::take(buf);
        self.multi_line(line, first, buf).map(Some)
    }

    /// Reads on from `first` (which opens an unfinished value) until the
    /// value completes or breaks.
    fn multi_line(
        &mut self,
        start: usize,
        first: Vec<u8>,
        out: &mut Vec<u8>,
    ) -> io::Result<Record> {
        let mut document = first;
        let mut taken: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        let mut next = Vec::new();
        loop {
            let Some(line) = self.next_line(&mut next)? else {
                self.give_back(&document, taken);
                return Ok(Record::Broken {
                    line: start,
                    message: "invalid JSON: the value that starts here is not finished at the end of the input".into(),
                });
            };
            document.push(b'\n');
            let from = document.len();
            document.extend_from_slice(&next);
            taken.push((line, from..document.len()));
            if document.len() > MAX_DOCUMENT_BYTES {
                self.give_back(&document, taken);
                return Ok(Record::Broken {
                    line: start,
                    message: format!(
                        "invalid JSON: the value that starts here is not finished within {} bytes",
                        MAX_DOCUMENT_BYTES
                    ),
                });
            }
            match serde_json::from_slice::<serde::de::IgnoredAny>(&document) {
                Ok(_) => {
                    *out = document;
                    return Ok(Record::Text { line: start });
                }
                Err(e) if e.is_eof() => continue,
                Err(e) => {
                    // Read again from the line where it went wrong (the
                    // lines before it belong to the broken value).
                    let failed_at = start + e.line().saturating_sub(1);
                    let keep: Vec<_> = taken
                        .into_iter()
                        .filter(|(line, _)| *line >= failed_at)
                        .collect();
                    self.give_back(&document, keep);
                    return Ok(Record::Broken {
                        line: start,
                        message: format!("invalid JSON: {}", without_position(&e)),
                    });
                }
            }
        }
    }

    fn give_back(&mut self, document: &[u8], lines: Vec<(usize, std::ops::Range<usize>)>) {
        for (line, range) in lines.into_iter().rev() {
            self.pending.push_front((line, document[range].to_vec()));
        }
    }
}

/// `BufRead::read_until(b'\n')`, with the line's end found by the
/// `memchr` crate's vectorised search rather than the standard library's
/// portable one (1.4 instructions a byte): 1.5 % fewer instructions for a
/// whole replay of the 74,201-event corpus (callgrind).
fn read_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut read = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (done, used) = match memchr::memchr(b'\n', available) {
            Some(at) => {
                buf.extend_from_slice(&available[..=at]);
                (true, at + 1)
            }
            None => {
                buf.extend_from_slice(available);
                (available.is_empty(), available.len())
            }
        };
        reader.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

/// Whether a (trimmed, non-blank) line opens a JSON value it does not finish.
///
/// A line that ends the way it opens is taken as a whole record (and, if it
/// is broken, reported as one bad line); only a line that opens a value and
/// does not close it is checked by the parser, which tells an unfinished
/// value (more lines may complete it) from a broken one.
fn opens_unfinished_value(line: &[u8]) -> bool {
    let opens = matches!(line.first(), Some(b'{' | b'['));
    let closes = matches!(line.last(), Some(b'}' | b']'));
    if !opens || closes {
        return false;
    }
    matches!(serde_json::from_slice::<serde::de::IgnoredAny>(line), Err(e) if e.is_eof())
}

/// A serde_json error's message without its " at line L column C", for
/// messages that give the position themselves.
pub fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records as `(record, its text)`.
    fn records(text: &str) -> Vec<(Record, String)> {
        let mut records = Records::new(text.as_bytes());
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(record) = records.next_record(&mut buf).unwrap() {
            let text = match record {
                Record::Text { .. } => String::from_utf8(buf.clone()).unwrap(),
                _ => String::new(),
            };
            out.push((record, text));
        }
        out
    }

    fn text(line: usize, s: &str) -> (Record, String) {
        (Record::Text { line }, s.to_string())
    }

    fn blank(line: usize) -> (Record, String) {
        (Record::Blank { line }, String::new())
    }

    #[test]
    fn json_lines_are_one_record_a_line_and_blank_lines_are_counted() {
        assert_eq!(
            records("{\"a\":1}\r\n\n{oops}\n{\"b\":2}"),
            vec![
                text(1, "{\"a\":1}"),
                blank(2),
                text(3, "{oops}"),
                text(4, "{\"b\":2}")
            ]
        );
    }

    #[test]
    fn a_pretty_printed_value_is_one_record() {
        assert_eq!(
            records("\n{\n  \"Content\": \"hi\"\n}\n{\"b\":2}\n"),
            vec![
                blank(1),
                text(2, "{\n  \"Content\": \"hi\"\n}"),
                text(5, "{\"b\":2}")
            ]
        );
    }

    #[test]
    fn a_truncated_first_line_does_not_take_the_next_lines_with_it() {
        let got =
            records("{\"Content\": \"hel\n{\"Content\":\"b\"}\n{\"Content\": \"x\",\n{\"c\":3}\n");
        assert!(
            matches!(&got[0].0, Record::Broken { line: 1, message } if message.starts_with("invalid JSON: ")),
            "{got:?}"
        );
        assert_eq!(got[1], text(2, "{\"Content\":\"b\"}"));
        assert!(
            matches!(&got[2].0, Record::Broken { line: 3, .. }),
            "{got:?}"
        );
        assert_eq!(got[3], text(4, "{\"c\":3}"));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn an_unfinished_value_at_the_end_is_reported_and_its_lines_read_again() {
        let got = records("{\n\"a\": 1,\n");
        assert!(
            matches!(&got[0].0, Record::Broken { line: 1, message } if message.contains("not finished")),
            "{got:?}"
        );
        assert_eq!(got[1], text(2, "\"a\": 1,"));
    }

    #[test]
    fn lines_longer_than_the_read_buffer_are_read_whole() {
        let reader = BufReader::with_capacity(3, "abcdefg\r\n\nhi\nlast".as_bytes());
        let mut records = Records::new(reader);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(record) = records.next_record(&mut buf).unwrap() {
            got.push((record, String::from_utf8(buf.clone()).unwrap()));
        }
        assert_eq!(
            got,
            vec![
                text(1, "abcdefg"),
                (Record::Blank { line: 2 }, String::new()),
                text(3, "hi"),
                text(4, "last")
            ]
        );
    }

    #[test]
    fn gzip_is_read_transparently() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("chatmod-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("log.txt");
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b"{\"a\":1}\n").unwrap();
        let mut bytes = encoder.finish().unwrap();
        // A second member, as `cat a.gz b.gz` makes.
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b"{\"b\":2}\n").unwrap();
        bytes.extend(encoder.finish().unwrap());
        std::fs::write(&path, bytes).unwrap();
        let input = open(&path).unwrap();
        let mut records = Records::new(input.reader);
        let mut buf = Vec::new();
        assert_eq!(
            records.next_record(&mut buf).unwrap(),
            Some(Record::Text { line: 1 })
        );
        assert_eq!(buf, b"{\"a\":1}");
        assert_eq!(
            records.next_record(&mut buf).unwrap(),
            Some(Record::Text { line: 2 })
        );
        assert_eq!(buf, b"{\"b\":2}");
        assert_eq!(records.next_record(&mut buf).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
