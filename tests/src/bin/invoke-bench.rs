//! Cold and warm invocations of the `message-review` bootstrap under AWS's
//! Lambda Runtime Interface Emulator: the figures that decide whether a
//! review fits IVS Chat's 200 ms deadline.
//!
//! * cold: from starting the emulator (which starts the bootstrap) to the
//!   first response, so process start, configuration, list parsing and the
//!   automaton build are all inside it; the median of five, with the part
//!   spent before the emulator listens shown apart;
//! * warm: the latency of each of N invocations, cycling through the sample
//!   events, as p50 / p99 / max (each includes the emulator's HTTP round
//!   trip, which the real Lambda service replaces with its own);
//! * the bootstrap's peak resident memory (VmHWM).
//!
//! ```text
//! cargo build --release -p message-review
//! E2E_RIE=<path to aws-lambda-rie-x86_64> E2E_BIN_DIR=target/release \
//!   cargo run --release -p e2e-tests --bin invoke-bench -- 10000
//! ```

use std::process::ExitCode;
use std::time::{Duration, Instant};

use e2e_tests::lambda::{paths, sample, samples, Emulator};
use serde_json::Value;

fn main() -> ExitCode {
    let count = match std::env::args().nth(1).map(|n| n.parse::<usize>()) {
        None => 10_000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: invoke-bench [WARM_INVOCATIONS (default 10000)]");
            return ExitCode::from(2);
        }
    };
    let Some(paths) = paths(&["message-review"]) else {
        eprintln!("set E2E_RIE and E2E_BIN_DIR (see the module documentation)");
        return ExitCode::from(2);
    };
    let events: Vec<Value> = samples("message-review")
        .iter()
        .map(|p| sample(p))
        .collect();

    // Cold starts: five fresh emulator processes; the median is reported,
    // split into the emulator's own start (until it listens) and the rest
    // (bootstrap start, init and the first review).
    let mut colds = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let emulator = Emulator::start(&paths, "message-review", &[]);
        let listening = started.elapsed();
        let first = emulator.invoke(&events[0]);
        let cold = started.elapsed();
        if first.get("ReviewResult").is_none() {
            eprintln!("the first response is not a review response: {first}");
            return ExitCode::FAILURE;
        }
        colds.push((cold, listening));
    }
    colds.sort();
    let (cold, listening) = colds[colds.len() / 2];
    let emulator = Emulator::start(&paths, "message-review", &[]);

    let mut latencies: Vec<Duration> = Vec::with_capacity(count);
    for i in 0..count {
        let event = &events[i % events.len()];
        let start = Instant::now();
        let response = emulator.invoke(event);
        latencies.push(start.elapsed());
        if response.get("ReviewResult").is_none() {
            eprintln!("invocation {i} failed: {response}");
            return ExitCode::FAILURE;
        }
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let micros = |d: Duration| d.as_secs_f64() * 1e6;

    println!(
        "cold start to first response (median of 5): {:.1} ms, of which the emulator's own start {:.1} ms",
        cold.as_secs_f64() * 1e3,
        listening.as_secs_f64() * 1e3
    );
    println!(
        "warm, {count} invocations: p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        micros(at(0.50)),
        micros(at(0.99)),
        micros(at(1.0))
    );
    match peak_rss_kib(&paths.bin_dir.join("message-review")) {
        Some(kib) => println!(
            "bootstrap peak resident memory: {:.1} MB",
            kib as f64 / 1024.0
        ),
        None => println!("bootstrap peak resident memory: not found in /proc"),
    }
    ExitCode::SUCCESS
}

/// The peak resident set (VmHWM, KiB) of the running process whose command
/// line starts with `binary`.
fn peak_rss_kib(binary: &std::path::Path) -> Option<u64> {
    let wanted = binary.to_string_lossy().into_owned();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let dir = entry.path();
        let Ok(cmdline) = std::fs::read(dir.join("cmdline")) else {
            continue;
        };
        let argv0 = cmdline.split(|&b| b == 0).next().unwrap_or_default();
        if String::from_utf8_lossy(argv0) != wanted {
            continue;
        }
        let status = std::fs::read_to_string(dir.join("status")).ok()?;
        return status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
    }
    None
}
