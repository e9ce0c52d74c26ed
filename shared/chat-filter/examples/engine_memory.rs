//! Start-up time and memory of a built engine, in a fresh process.
//!
//! A counting global allocator wraps the system allocator and keeps the
//! bytes live and the peak, so the figures are the heap the engine itself
//! holds, not the process's resident set (measure that from outside, e.g.
//! with `/usr/bin/time -v`, against the `none` mode as the floor).
//!
//! * `chat-filter` (the default): builds `Filter::with_defaults()` and
//!   prints the build time, the heap bytes live after the build, the peak
//!   during it, and [`Filter::stats`](chat_filter::Filter::stats) (terms,
//!   automaton spellings, censorable terms); then reviews a self-censored
//!   word, which compares the text around the mark with the censorable
//!   terms (no index of censored spellings is built, at start-up or
//!   later; the only thing built on first use is a built-in rule's own
//!   regex, when it first matches), and prints that review's time and the
//!   heap live after it.
//! * `rustrict`: rustrict builds its tables lazily on the first message a
//!   process checks; prints that first check's time and heap, and a second
//!   check's time for comparison.
//! * `none`: builds nothing (the process floor for outside measurements).
//!
//! `cargo run --release -p chat-filter --example engine_memory -- [chat-filter|rustrict|none]`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes it has handed out.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    fn grow(by: usize) {
        let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
        PEAK.fetch_max(live, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }

    fn shrink(by: usize) {
        LIVE.fetch_sub(by, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only
// observe the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on to System.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            Counting::grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            Counting::grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, hence from System.
        unsafe { System.dealloc(ptr, layout) };
        Counting::shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; the caller guarantees `new_size`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            Counting::shrink(layout.size());
            Counting::grow(new_size);
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap bytes live, the peak since the last reset, and allocations made.
fn snapshot() -> (usize, usize, usize) {
    (
        LIVE.load(Ordering::Relaxed),
        PEAK.load(Ordering::Relaxed),
        ALLOCATIONS.load(Ordering::Relaxed),
    )
}

fn reset_peak() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
}

fn kib(bytes: usize) -> String {
    format!("{bytes} bytes ({:.1} KiB)", bytes as f64 / 1024.0)
}

fn main() -> ExitCode {
    let mode = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "chat-filter".to_string());
    match mode.as_str() {
        "chat-filter" => {
            reset_peak();
            let (before, _, allocs_before) = snapshot();
            let start = Instant::now();
            let filter = match chat_filter::Filter::with_defaults() {
                Ok(filter) => filter,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let elapsed = start.elapsed();
            let (after, peak, allocs_after) = snapshot();
            println!("engine: chat-filter (default lists)");
            let stats = filter.stats();
            println!("terms: {}", stats.terms);
            println!("spellings: {}", stats.spellings);
            println!("build time: {:.3} ms", elapsed.as_secs_f64() * 1e3);
            println!("heap live after build: {}", kib(after - before));
            println!("heap peak during build: {}", kib(peak - before));
            println!("allocations during build: {}", allocs_after - allocs_before);
            let verdict = filter.review(black_box("warm up the review path"));
            black_box(verdict.action);
            let (with_review, _, _) = snapshot();
            // A self-censored word takes the comparison path around marks.
            let start = Instant::now();
            let verdict = filter.review(black_box("what the f*ck"));
            let censored_elapsed = start.elapsed();
            black_box(verdict.action);
            let (after_censored, _, _) = snapshot();
            println!(
                "heap live after a first review: {}",
                kib(with_review - before)
            );
            println!(
                "first censored review: {:.3} ms",
                censored_elapsed.as_secs_f64() * 1e3
            );
            println!("censorable terms: {}", stats.censorable_terms);
            println!(
                "heap live after a censored review: {}",
                kib(after_censored - before)
            );
            black_box(&filter);
        }
        "rustrict" => {
            use rustrict::CensorStr;
            reset_peak();
            let (before, _, allocs_before) = snapshot();
            let start = Instant::now();
            let first = black_box("hello there").is_inappropriate();
            let elapsed = start.elapsed();
            let (after, peak, allocs_after) = snapshot();
            let start = Instant::now();
            let second = black_box("hello again").is_inappropriate();
            let second_elapsed = start.elapsed();
            println!("engine: rustrict (default censor)");
            println!(
                "first check (builds the tables): {:.3} ms",
                elapsed.as_secs_f64() * 1e3
            );
            println!("second check: {:.3} ms", second_elapsed.as_secs_f64() * 1e3);
            println!("heap live after first check: {}", kib(after - before));
            println!("heap peak during first check: {}", kib(peak - before));
            println!(
                "allocations during first check: {}",
                allocs_after - allocs_before
            );
            black_box((first, second));
        }
        "none" => println!("engine: none"),
        other => {
            eprintln!("unknown mode '{other}': expected chat-filter, rustrict or none");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
