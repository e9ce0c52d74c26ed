//! Pacing and bounded concurrency for bursts of room operations.
//!
//! IVS Chat allows 100 requests/s per operation, account and region, shared
//! by every sender. A function that acts on many rooms at once therefore
//! needs two limits: how many requests are in flight ([`run_bounded`]'s
//! `concurrency`) and how many start per second ([`RateLimiter`]). The rate
//! limiter hands out evenly spaced start times instead of bursting, so the
//! service never sees more than the configured rate within any second.

use std::future::Future;
use std::time::Duration;

use futures::stream::{self, StreamExt};
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Spaces the start of requests evenly: at most `per_second` starts in any
/// one-second window.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// A limiter for `per_second` starts per second (at least 1).
    pub fn per_second(per_second: u32) -> Self {
        RateLimiter {
            interval: Duration::from_secs(1) / per_second.max(1),
            next: Mutex::new(None),
        }
    }

    /// Waits until the caller may start its request.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = match *next {
                Some(at) if at > now => at,
                _ => now,
            };
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// Runs `task` on every item with at most `concurrency` tasks in flight, each
/// started through `limiter`, and answers the results in the items' order.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// use ivs_chat::pace::{run_bounded, RateLimiter};
/// let limiter = RateLimiter::per_second(100);
/// let doubled = run_bounded(vec![1, 2, 3], 2, &limiter, |n| async move { n * 2 }).await;
/// assert_eq!(doubled, vec![2, 4, 6]);
/// # });
/// ```
pub async fn run_bounded<T, R, F, Fut>(
    items: Vec<T>,
    concurrency: usize,
    limiter: &RateLimiter,
    task: F,
) -> Vec<R>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = R>,
{
    let task = &task;
    let mut results: Vec<(usize, R)> = stream::iter(items.into_iter().enumerate())
        .map(|(i, item)| async move {
            limiter.acquire().await;
            (i, task(item).await)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_by_the_rate() {
        let limiter = RateLimiter::per_second(10);
        let start = Instant::now();
        let times = run_bounded((0..25).collect(), 25, &limiter, |_| async {
            Instant::now()
        })
        .await;
        let offsets: Vec<u128> = times.iter().map(|t| (*t - start).as_millis()).collect();
        assert_eq!(offsets[0], 0);
        assert_eq!(offsets[10], 1000);
        assert_eq!(offsets[24], 2400);
        // No one-second window holds more than 10 starts.
        for (i, t) in offsets.iter().enumerate() {
            let in_window = offsets[i..].iter().filter(|u| **u < t + 1000).count();
            assert!(in_window <= 10, "{offsets:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn concurrency_is_bounded_and_order_kept() {
        let limiter = RateLimiter::per_second(1000);
        let in_flight = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let out = run_bounded((0..20).collect(), 3, &limiter, |n: u64| {
            let in_flight = &in_flight;
            let peak = &peak;
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50 - 2 * n)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                n
            }
        })
        .await;
        assert_eq!(out, (0..20).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), 3);
    }
}
