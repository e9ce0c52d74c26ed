//! The replay benchmark's yardstick: rustrict behind the review handler's
//! contract. It reads the same review events as `chatmod review` (JSON
//! Lines, from the files given or stdin), decides with rustrict's
//! `is_inappropriate` (DENY when inappropriate, ALLOW otherwise) and writes
//! one review response a line, buffered, as `chatmod review` does.
//!
//! With `--memo` it remembers each distinct text's answer in a hash map, as
//! `chatmod review` remembers verdicts: the fair comparison on a corpus
//! whose texts repeat.
//!
//! ```text
//! cargo build --release -p chatmod --example rustrict_review
//! target/release/examples/rustrict_review corpus.jsonl > /dev/null
//! target/release/examples/rustrict_review --memo corpus.jsonl > /dev/null
//! ```

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

use ivs_chat::{ReviewEvent, ReviewResponse};
use rustrict::CensorStr;

fn main() -> io::Result<()> {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    let memo = paths.first().is_some_and(|first| first == "--memo");
    if memo {
        paths.remove(0);
    }
    let mut answers: HashMap<String, bool> = HashMap::new();
    let mut inputs: Vec<Box<dyn Read>> = Vec::new();
    if paths.is_empty() {
        inputs.push(Box::new(io::stdin()));
    }
    for path in &paths {
        inputs.push(Box::new(File::open(path)?));
    }
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut line = String::new();
    for input in inputs {
        let mut reader = BufReader::with_capacity(1 << 18, input);
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let event: ReviewEvent = match serde_json::from_str(&line) {
                Ok(event) => event,
                Err(e) => {
                    eprintln!("error: {e}");
                    continue;
                }
            };
            // The text is copied only when it is new, as chatmod's memo does.
            let inappropriate = if !memo {
                event.content.is_inappropriate()
            } else if let Some(&known) = answers.get(&event.content) {
                known
            } else {
                let answer = event.content.is_inappropriate();
                answers.insert(event.content.clone(), answer);
                answer
            };
            let response = if inappropriate {
                ReviewResponse::deny(&event, "Message blocked")
            } else {
                ReviewResponse::allow(&event, event.content.clone())
            };
            serde_json::to_writer(&mut out, &response)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
}
