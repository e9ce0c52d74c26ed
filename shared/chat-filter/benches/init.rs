//! Start-up cost: parsing the default lists and building every automaton.
//!
//! A Lambda builds its [`Filter`] once per cold start, and a cold start
//! counts against IVS Chat's 200 ms review deadline, so the build is measured
//! on its own: [`Filter::with_defaults`] (parse both default lists, normalise
//! and expand every term, build the Aho-Corasick automaton), the same plus
//! the first review of a self-censored word (`f*ck`), to show that no lazy
//! work is left for the first message, its parsing step alone, and for scale
//! the build of the two baselines from `review.rs`. Dropping what was built
//! is left out of the timings.
//!
//! The built-in lists are parsed and normalised, and the built-in rules
//! compiled, once per process (`src/builtins.rs`), so from its second
//! iteration `with_defaults` measures a *rebuild*: what a sandbox pays for
//! each new configuration document. The first build of a process, the cold
//! start, is timed in a fresh process by `examples/engine_memory.rs` and
//! counted in instructions by `examples/review_passes.rs` (0 passes).
//!
//! rustrict builds its tables lazily, once per process, on first use, so it
//! cannot be measured by repetition here; `examples/engine_memory.rs` times
//! that first use in a fresh process (see docs/performance.md).
//!
//! `cargo bench -p chat-filter --bench init`

mod common;

use std::hint::black_box;
use std::time::Duration;

use chat_filter::{Filter, WordList, DEFAULT_ALLOW_LIST, DEFAULT_BLOCK_LIST};
use common::{block_terms, AcFloor, RegexBaseline};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};

fn init(c: &mut Criterion) {
    let mut group = c.benchmark_group("init");
    group.sample_size(30);
    // The regex build takes tens of milliseconds: equal iteration counts per
    // sample keep the run short.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("chat-filter/with_defaults", |b| {
        b.iter_with_large_drop(|| Filter::with_defaults().expect("the default lists build"))
    });
    group.bench_function("chat-filter/with_defaults+first-censored-review", |b| {
        b.iter_with_large_drop(|| {
            let filter = Filter::with_defaults().expect("the default lists build");
            black_box(filter.review(black_box("what the f*ck")).action);
            filter
        })
    });
    group.bench_function("chat-filter/parse-lists", |b| {
        b.iter(|| {
            let block = WordList::parse("default-block.txt", black_box(DEFAULT_BLOCK_LIST));
            let allow = WordList::parse("default-allow.txt", black_box(DEFAULT_ALLOW_LIST));
            (
                block.expect("the default block list parses"),
                allow.expect("the default allow-list parses"),
            )
        })
    });
    let terms = block_terms();
    group.bench_function("aho-corasick-floor/build", |b| {
        b.iter_with_large_drop(|| AcFloor::new(black_box(&terms)))
    });
    group.bench_function("regex-alternation/build", |b| {
        b.iter_with_large_drop(|| RegexBaseline::new(black_box(&terms)))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = init
}
criterion_main!(benches);
