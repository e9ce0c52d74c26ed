//! The replay pipeline: inputs in, chunks of records reviewed on every core,
//! answers out in input order.
//!
//! One thread reads the inputs one after another and cuts them into chunks
//! of records ([`crate::stream::Records`]); `--jobs` workers handle chunks as
//! they come (a [`Work`]: `chatmod review` answers each message, `chatmod
//! sweep` counts and writes commands); one writer puts each chunk's output
//! out in the order the chunks were read. So the output is the same,
//! byte for byte, whatever the number of jobs.
//!
//! Memory is bounded by the chunks in flight, not by the input: the reader
//! takes a slot before it hands a chunk on and the writer gives the slot
//! back once the chunk is written, so at most [`SLOTS_PER_JOB`] × jobs
//! chunks (each at most [`CHUNK_RECORDS`] records or [`CHUNK_BYTES`] of
//! text) exist at once, however far a slow chunk holds the others back.
//!
//! Output is buffered and flushed at the end (one `write` per 64 KiB rather
//! than one per line); when stdout or stdin is a terminal, chunks are one
//! record long and each is flushed as soon as it is written, so an
//! interactive session sees every answer at once.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use chat_filter::ReviewCache;
use message_review::profiles::Profiles;
use message_review::source;

use crate::stream::{self, Record, Records};
use crate::CliError;

/// Records per chunk (when not interactive).
pub const CHUNK_RECORDS: usize = 1024;
/// Text per chunk: a chunk ends at the first record past this.
pub const CHUNK_BYTES: usize = 256 * 1024;
/// Chunks in flight per job.
pub const SLOTS_PER_JOB: usize = 4;
/// Memory for remembered verdicts (`--cache-mib`), shared by all jobs: on
/// the review corpus of `docs/performance.md` (24,171 distinct texts) it
/// holds every text with room to spare, and it keeps peak memory on any
/// log within the 32 MB the replay is held to.
pub const DEFAULT_CACHE_MIB: usize = 8;

/// The memo of verdicts `--cache-mib MIB` asks for (0: none).
pub fn review_cache<'f>(mib: usize) -> ReviewCache<'f> {
    ReviewCache::new(mib.saturating_mul(1 << 20))
}

/// The profiles a replay reviews with: the document `--config` names, else
/// the `REVIEW_*` variables, as the review handler reads them. They are kept
/// until the process exits: a replay uses its filters to its last record,
/// and dropping them then would free their thousands of allocations one by
/// one just before the system takes the whole memory back (callgrind:
/// 3.3 M instructions, 9 % of a run on an empty input).
pub fn profiles(config: Option<&Path>) -> Result<&'static Profiles, CliError> {
    let document = config.map(|path| path.to_string_lossy().into_owned());
    let profiles = source::local_profiles(document.as_deref(), |name| std::env::var(name).ok())?;
    Ok(Box::leak(Box::new(profiles)))
}

/// Where a record came from.
#[derive(Debug)]
pub struct InputFile {
    /// The name errors give (the path, or `<stdin>`).
    pub name: String,
    /// The room an S3 chat log object's name gives, if it is one.
    pub room: Option<String>,
}

/// One record of a chunk, as handed to a [`Work`].
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    /// A record's text.
    Text(&'a [u8]),
    /// A value that could not be read whole, and why.
    Broken(&'a str),
    /// A blank line.
    Blank,
}

/// What a chunk's work writes: its share of stdout and of stderr.
#[derive(Debug, Default)]
pub struct Sink {
    /// Lines for stdout (or the commands file).
    pub out: Vec<u8>,
    /// Lines for stderr.
    pub err: Vec<u8>,
}

/// What a command does with each record.
pub trait Work: Sync {
    /// What the command counts, per chunk and in total.
    type Tally: Default + Send;
    /// Handles the record on `line` of `input`.
    fn record(
        &self,
        input: &InputFile,
        line: usize,
        item: Item<'_>,
        sink: &mut Sink,
        tally: &mut Self::Tally,
    );
    /// Adds a chunk's tally to the total (called in input order).
    fn merge(&self, total: &mut Self::Tally, part: Self::Tally);
}

enum Span {
    Text(Range<usize>),
    Broken(String),
    Blank,
}

/// A chunk's records: each one's line and where it is.
type ChunkRecords = Vec<(usize, Span)>;

struct Chunk {
    input: Arc<InputFile>,
    text: Vec<u8>,
    records: ChunkRecords,
}

impl Chunk {
    /// An empty chunk sized for `(records, bytes)`, so that filling it
    /// never grows (and copies) its buffers.
    fn new(input: Arc<InputFile>, (records, bytes): (usize, usize)) -> Chunk {
        Chunk {
            input,
            // A chunk ends at the first record past `bytes`.
            text: Vec::with_capacity(bytes + bytes / 16),
            records: Vec::with_capacity(records),
        }
    }

    fn run<W: Work>(&self, work: &W, spares: &Spares) -> (Sink, W::Tally) {
        // A response is about as long as the record it answers: sized so,
        // the output grows at most once or twice instead of from empty.
        let mut sink = Sink {
            out: spares.output(self.text.len()),
            err: Vec::new(),
        };
        let mut tally = W::Tally::default();
        for (line, span) in &self.records {
            let item = match span {
                Span::Text(range) => Item::Text(&self.text[range.clone()]),
                Span::Broken(message) => Item::Broken(message),
                Span::Blank => Item::Blank,
            };
            work.record(&self.input, *line, item, &mut sink, &mut tally);
        }
        (sink, tally)
    }
}

/// Buffers of chunks already written, handed on to the next chunks. A
/// chunk's text and its output are each a few hundred KiB, which the
/// allocator otherwise maps afresh for nearly every chunk (with several
/// threads, one frees what another allocated): 900 page faults more with
/// two workers than with one, on the 16 MB corpus of `docs/performance.md`.
/// The spares are at most the chunks in flight, so memory stays bounded.
#[derive(Default)]
struct Spares {
    chunks: Mutex<Vec<(Vec<u8>, ChunkRecords)>>,
    outputs: Mutex<Vec<Vec<u8>>>,
}

impl Spares {
    /// An empty chunk of `input`: a written chunk's buffers, or new ones.
    fn chunk(&self, input: Arc<InputFile>, limits: (usize, usize)) -> Chunk {
        match self.chunks.lock().ok().and_then(|mut spare| spare.pop()) {
            Some((text, records)) => Chunk {
                input,
                text,
                records,
            },
            None => Chunk::new(input, limits),
        }
    }

    fn give_chunk(&self, chunk: Chunk) {
        let Chunk {
            mut text,
            mut records,
            ..
        } = chunk;
        text.clear();
        records.clear();
        if let Ok(mut spare) = self.chunks.lock() {
            spare.push((text, records));
        }
    }

    /// An empty output buffer of at least `capacity` bytes.
    fn output(&self, capacity: usize) -> Vec<u8> {
        let mut out = self
            .outputs
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default();
        out.reserve(capacity);
        out
    }

    fn give_output(&self, mut out: Vec<u8>) {
        out.clear();
        if let Ok(mut spare) = self.outputs.lock() {
            spare.push(out);
        }
    }
}

/// How to run a replay.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads (at least 1).
    pub jobs: usize,
}

impl Options {
    /// `jobs` workers, or one per core for `None`.
    pub fn with_jobs(jobs: Option<usize>) -> Options {
        let jobs = jobs.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(1)
        });
        Options { jobs: jobs.max(1) }
    }
}

/// The writer's end: stdout (or a file) for `out`, stderr for `err`.
pub struct Outputs {
    out: BufWriter<Box<dyn Write + Send>>,
    err: BufWriter<Box<dyn Write + Send>>,
    flush_each: bool,
    /// The reader of `out` went away (`| head`): stop quietly.
    closed: bool,
}

impl Outputs {
    /// `out` and `err`, buffered; `flush_each` flushes after every chunk.
    pub fn new(out: Box<dyn Write + Send>, err: Box<dyn Write + Send>, flush_each: bool) -> Self {
        Outputs {
            out: BufWriter::with_capacity(64 * 1024, out),
            err: BufWriter::with_capacity(16 * 1024, err),
            flush_each,
            closed: false,
        }
    }

    /// stdout and stderr, flushed per chunk when stdout is a terminal.
    pub fn standard() -> Self {
        let interactive = io::stdout().is_terminal();
        Outputs::new(Box::new(io::stdout()), Box::new(io::stderr()), interactive)
    }

    fn write(&mut self, sink: &Sink) -> Result<(), CliError> {
        // Errors go first: they concern the records whose answers follow.
        if !sink.err.is_empty() {
            let _ = self.err.write_all(&sink.err);
            let _ = self.err.flush();
        }
        if self.closed || sink.out.is_empty() {
            return Ok(());
        }
        let mut result = self.out.write_all(&sink.out);
        if result.is_ok() && self.flush_each {
            result = self.out.flush();
        }
        self.check(result)
    }

    fn check(&mut self, result: io::Result<()>) -> Result<(), CliError> {
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(CliError::Write(e)),
        }
    }

    /// Flushes both streams.
    pub fn finish(&mut self) -> Result<(), CliError> {
        let _ = self.err.flush();
        if self.closed {
            return Ok(());
        }
        let result = self.out.flush();
        self.check(result)
    }

    /// Writes a line to stderr (notes and summaries).
    pub fn note(&mut self, line: &str) {
        let _ = writeln!(self.err, "{line}");
        let _ = self.err.flush();
    }

    /// Writes text to the `out` stream.
    pub fn print(&mut self, text: &str) -> Result<(), CliError> {
        if self.closed {
            return Ok(());
        }
        let result = self.out.write_all(text.as_bytes());
        self.check(result)
    }
}

/// Replays `paths` through `work`, writing to `outputs`; answers the total
/// tally. An input that cannot be opened or read stops the replay with
/// [`CliError::Read`] (what was read before it is still written).
pub fn run<W: Work>(
    work: &W,
    paths: &[PathBuf],
    options: &Options,
    outputs: &mut Outputs,
) -> Result<W::Tally, CliError> {
    let interactive = io::stdin().is_terminal() || outputs.flush_each;
    let limits = if interactive {
        (1, 1)
    } else {
        (CHUNK_RECORDS, CHUNK_BYTES)
    };
    let mut total = W::Tally::default();
    let spares = Spares::default();
    if options.jobs == 1 {
        let mut failure = None;
        read_chunks(paths, limits, &AtomicBool::new(false), &spares, |chunk| {
            let (sink, tally) = chunk.run(work, &spares);
            spares.give_chunk(chunk);
            work.merge(&mut total, tally);
            let written = outputs.write(&sink);
            spares.give_output(sink.out);
            match written {
                Ok(()) => !outputs.closed,
                Err(e) => {
                    failure = Some(e);
                    false
                }
            }
        })?;
        return failure.map_or(Ok(total), Err);
    }

    let stop = AtomicBool::new(false);
    let slots = options.jobs * SLOTS_PER_JOB;
    let (slot_give, slot_take) = mpsc::sync_channel::<()>(slots);
    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Chunk)>(slots);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(u64, Sink, W::Tally)>();
    let spares = &spares;
    std::thread::scope(|scope| {
        for _ in 0..options.jobs {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || loop {
                let next = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((index, chunk)) = next else { return };
                let (sink, tally) = chunk.run(work, spares);
                spares.give_chunk(chunk);
                if done_tx.send((index, sink, tally)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let stop = &stop;
        let total = &mut total;
        let writer = scope.spawn(move || -> Result<(), CliError> {
            let mut waiting = BTreeMap::new();
            let mut next = 0u64;
            let mut failure = None;
            for (index, sink, tally) in done_rx {
                waiting.insert(index, (sink, tally));
                while let Some((sink, tally)) = waiting.remove(&next) {
                    next += 1;
                    let _ = slot_take.recv();
                    work.merge(total, tally);
                    if failure.is_none() {
                        if let Err(e) = outputs.write(&sink) {
                            failure = Some(e);
                        }
                    }
                    spares.give_output(sink.out);
                    if failure.is_some() || outputs.closed {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            }
            failure.map_or(Ok(()), Err)
        });
        let mut index = 0u64;
        let read = read_chunks(paths, limits, stop, spares, |chunk| {
            if slot_give.send(()).is_err() || work_tx.send((index, chunk)).is_err() {
                return false;
            }
            index += 1;
            !stop.load(Ordering::Relaxed)
        });
        drop(work_tx);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(CliError::Usage("the output thread stopped".into())));
        read.and(written)
    })?;
    Ok(total)
}

/// Reads `paths` in order and hands each chunk to `each`, which answers
/// whether to go on.
fn read_chunks(
    paths: &[PathBuf],
    limits: (usize, usize),
    stop: &AtomicBool,
    spares: &Spares,
    mut each: impl FnMut(Chunk) -> bool,
) -> Result<(), CliError> {
    let mut buf = Vec::new();
    for path in paths {
        let input = stream::open(path)?;
        let file = Arc::new(InputFile {
            room: ivs_chat::chat_log::room_from_s3_key(&input.name),
            name: input.name,
        });
        let mut records = Records::new(input.reader);
        let (max_records, max_bytes) = limits;
        let mut chunk = spares.chunk(file.clone(), limits);
        loop {
            let next = records
                .next_record(&mut buf)
                .map_err(|error| CliError::Read {
                    path: file.name.clone(),
                    error,
                })?;
            let Some(record) = next else { break };
            match record {
                Record::Text { line } => {
                    let from = chunk.text.len();
                    chunk.text.extend_from_slice(&buf);
                    chunk
                        .records
                        .push((line, Span::Text(from..chunk.text.len())));
                }
                Record::Broken { line, message } => {
                    chunk.records.push((line, Span::Broken(message)))
                }
                Record::Blank { line } => chunk.records.push((line, Span::Blank)),
            }
            if chunk.records.len() >= max_records || chunk.text.len() >= max_bytes {
                let full = std::mem::replace(&mut chunk, spares.chunk(file.clone(), limits));
                if !each(full) || stop.load(Ordering::Relaxed) {
                    return Ok(());
                }
            }
        }
        if !chunk.records.is_empty() && !each(chunk) {
            return Ok(());
        }
    }
    Ok(())
}
