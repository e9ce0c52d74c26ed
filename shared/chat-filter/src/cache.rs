//! A bounded memo of reviews: a text reviewed before by the same filter gets
//! the verdict it got then, without being reviewed again.
//!
//! Chat repeats itself: emotes, "gg", "lol", greetings, a copied line that
//! a raid pastes a thousand times, a bot's announcement. A replay of a chat
//! log (`chatmod review`, `chatmod sweep`) reviews every one of them, and a
//! review costs thousands of instructions where looking one up costs a hash
//! of the text and one comparison. A review is a pure function of the
//! filter and the text (a [`Filter`] never changes once built), so a
//! remembered verdict *is* the verdict.
//!
//! Invariant: [`ReviewCache::review`]`(filter, text)` always equals
//! `filter.review(text)`. An entry is found by a 64-bit hash of the
//! filter's address and the text, and used only when its filter is the same
//! filter and its text the same bytes; anything else is reviewed afresh. So
//! the memo changes what a review costs, never its answer (a test compares
//! the two on every development line).
//!
//! Memory is bounded by the budget given to [`ReviewCache::new`], whatever
//! the input: the remembered texts, the entries and the matches of flagged
//! verdicts are counted, and a shard that would go past its share is
//! emptied and starts again. Emptying a generation at a time costs nothing
//! per hit, where a least-recently-used order would cost bookkeeping on
//! every hit; what chat repeats, it mostly repeats soon, which a generation
//! keeps. A text longer than [`MAX_REMEMBERED_BYTES`] is reviewed and not
//! remembered.
//!
//! The cache is shared by every thread of a replay, in [`SHARDS`] shards
//! each behind its own lock (chosen by the hash, so threads rarely wait for
//! one another; no lock is held while a text is reviewed). Rejected: one
//! cache per thread, with no lock. With two threads each repeat of a text
//! finds it only if the same thread saw it before: on a corpus where every
//! text comes three times, 1.75 reviews a text instead of 1.

use std::hash::Hasher;
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHasher};

use crate::{Action, Filter, Match, Verdict};

/// Shards of the cache, each with its own lock.
pub const SHARDS: usize = 16;

/// The longest text that is remembered (IVS Chat's messages are at most 500
/// characters, 2,000 bytes).
pub const MAX_REMEMBERED_BYTES: usize = 4096;

/// A bounded memo of [`Filter::review`]s, shared by any number of threads.
///
/// ```
/// use chat_filter::{Filter, ReviewCache};
///
/// let filter = Filter::with_defaults().unwrap();
/// let cache = ReviewCache::new(1 << 20);
/// let first = cache.review(&filter, "gg wp, that was shit");
/// let again = cache.review(&filter, "gg wp, that was shit");
/// assert_eq!(first, again);
/// assert_eq!(first, filter.review("gg wp, that was shit"));
/// assert_eq!((cache.stats().hits, cache.stats().misses), (1, 1));
/// ```
#[derive(Debug)]
pub struct ReviewCache<'f> {
    shards: Vec<Mutex<Shard<'f>>>,
    /// Each shard's share of the budget.
    shard_budget: usize,
}

/// How a [`ReviewCache`] has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Reviews answered from memory.
    pub hits: u64,
    /// Reviews that were run (and remembered, if they fitted).
    pub misses: u64,
    /// Times a shard was emptied to stay within the budget.
    pub generations: u64,
}

#[derive(Debug, Default)]
struct Shard<'f> {
    /// Hash of (filter, text) to where the text and its verdict are.
    index: FxHashMap<u64, Slot>,
    /// Each remembered text after its filter's address, one after another.
    texts: Vec<u8>,
    /// The verdicts of remembered texts that matched something (a text
    /// that matched nothing needs none stored: its verdict is empty).
    matched: Vec<Verdict<'f>>,
    /// Bytes counted against the shard's budget.
    used: usize,
    stats: CacheStats,
}

/// Where one remembered text is: its filter's address and its bytes at
/// `texts[start..start + 8 + len]`, its verdict at `matched[verdict]` or
/// [`EMPTY_VERDICT`]. Small, and the text beside its filter, so that a hit
/// touches two places in memory (the index, then the text), not four: on
/// the replay corpus the lookups' cache misses, not their instructions,
/// were the memo's cost.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: u32,
    len: u32,
    verdict: u32,
}

/// [`Slot::verdict`] of a text that matched nothing.
const EMPTY_VERDICT: u32 = u32::MAX;

/// Bytes of the filter's address before each remembered text.
const ADDRESS_BYTES: usize = std::mem::size_of::<usize>();

/// What one entry costs besides its text and its verdict's matches: its
/// slot in the index (a `u64` key and a [`Slot`], with hashbrown's control
/// byte, rounded up), the filter's address, and a stored verdict.
const ENTRY_OVERHEAD: usize = 24 + ADDRESS_BYTES + std::mem::size_of::<Verdict<'static>>();

impl<'f> ReviewCache<'f> {
    /// A cache that holds at most about `budget` bytes (texts, entries and
    /// the matches of remembered verdicts). A budget of 0 remembers
    /// nothing: every review is run.
    pub fn new(budget: usize) -> ReviewCache<'f> {
        ReviewCache {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            shard_budget: budget / SHARDS,
        }
    }

    /// `filter.review(text)`, from memory when this filter reviewed this
    /// text before.
    pub fn review(&self, filter: &'f Filter, text: &str) -> Verdict<'f> {
        if self.shard_budget == 0 || text.len() > MAX_REMEMBERED_BYTES {
            return filter.review(text);
        }
        let hash = key(filter, text);
        let shard = &self.shards[shard_of(hash)];
        if let Ok(mut shard) = shard.lock() {
            if let Some(verdict) = shard.find(hash, filter, text) {
                shard.stats.hits += 1;
                return verdict;
            }
        }
        // Reviewed without holding the lock, so other threads go on.
        let verdict = filter.review(text);
        if let Ok(mut shard) = shard.lock() {
            shard.stats.misses += 1;
            shard.remember(hash, filter, text, &verdict, self.shard_budget);
        }
        verdict
    }

    /// Hits, misses and generations so far, over all shards.
    pub fn stats(&self) -> CacheStats {
        let mut total = CacheStats::default();
        for shard in &self.shards {
            if let Ok(shard) = shard.lock() {
                total.hits += shard.stats.hits;
                total.misses += shard.stats.misses;
                total.generations += shard.stats.generations;
            }
        }
        total
    }
}

impl<'f> Shard<'f> {
    fn find(&self, hash: u64, filter: &Filter, text: &str) -> Option<Verdict<'f>> {
        let slot = *self.index.get(&hash)?;
        let start = slot.start as usize;
        let stored = self
            .texts
            .get(start..start + ADDRESS_BYTES + slot.len as usize)?;
        let (address_bytes, stored_text) = stored.split_at(ADDRESS_BYTES);
        if address_bytes != address(filter).to_ne_bytes() || stored_text != text.as_bytes() {
            return None;
        }
        match slot.verdict {
            EMPTY_VERDICT => Some(Verdict {
                action: Action::Allow,
                matches: Vec::new(),
                masked: None,
            }),
            index => self.matched.get(index as usize).cloned(),
        }
    }

    fn remember(
        &mut self,
        hash: u64,
        filter: &Filter,
        text: &str,
        verdict: &Verdict<'f>,
        budget: usize,
    ) {
        let cost = text.len()
            + ENTRY_OVERHEAD
            + verdict.matches.len() * std::mem::size_of::<Match<'static>>()
            + verdict.masked.as_ref().map_or(0, String::len);
        // A text already here under this hash (another thread reviewed it
        // meanwhile, or a collision) keeps its entry, and empties nothing.
        if cost > budget || self.index.contains_key(&hash) {
            return;
        }
        if self.used + cost > budget {
            // Capacity is kept: the next generation fills the same buffers.
            self.index.clear();
            self.texts.clear();
            self.matched.clear();
            self.used = 0;
            self.stats.generations += 1;
        }
        let empty = verdict.action == Action::Allow
            && verdict.matches.is_empty()
            && verdict.masked.is_none();
        let (Ok(start), Ok(len), Ok(stored)) = (
            u32::try_from(self.texts.len()),
            u32::try_from(text.len()),
            u32::try_from(self.matched.len()),
        ) else {
            return;
        };
        self.texts.extend_from_slice(&address(filter).to_ne_bytes());
        self.texts.extend_from_slice(text.as_bytes());
        let verdict = if empty {
            EMPTY_VERDICT
        } else {
            self.matched.push(verdict.clone());
            stored
        };
        self.index.insert(
            hash,
            Slot {
                start,
                len,
                verdict,
            },
        );
        self.used += cost;
    }
}

fn address(filter: &Filter) -> usize {
    filter as *const Filter as usize
}

fn key(filter: &Filter, text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_usize(address(filter));
    hasher.write(text.as_bytes());
    hasher.finish()
}

fn shard_of(hash: u64) -> usize {
    // The index hashes the key again; the shard takes other bits of it.
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60) as usize % SHARDS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FilterBuilder;

    const LINES: &str = include_str!("../testdata/test_positive.txt");

    #[test]
    fn a_remembered_verdict_is_the_review() {
        let filter = Filter::with_defaults().unwrap();
        let cache = ReviewCache::new(1 << 20);
        for pass in 0..2 {
            for line in LINES.lines().take(400) {
                assert_eq!(cache.review(&filter, line), filter.review(line), "{line}");
            }
            let stats = cache.stats();
            assert_eq!(stats.generations, 0);
            if pass == 1 {
                assert!(stats.hits >= 380, "{stats:?}");
            }
        }
    }

    #[test]
    fn only_verdicts_with_matches_are_stored() {
        let filter = Filter::with_defaults().unwrap();
        let cache = ReviewCache::new(1 << 20);
        let texts = ["hello there", "gg wp", "this shit is broken", "you cunt"];
        for _ in 0..3 {
            for text in texts {
                assert_eq!(cache.review(&filter, text), filter.review(text), "{text}");
            }
        }
        let stored: usize = cache
            .shards
            .iter()
            .map(|shard| shard.lock().unwrap().matched.len())
            .sum();
        assert_eq!(stored, 2);
        assert_eq!((cache.stats().hits, cache.stats().misses), (8, 4));
    }

    #[test]
    fn a_text_already_remembered_empties_no_shard() {
        let filter = Filter::with_defaults().unwrap();
        let text = "gg wp";
        let verdict = filter.review(text);
        let mut shard = Shard::default();
        let hash = key(&filter, text);
        // A budget the entry fills: remembering it again (as a second
        // thread that reviewed it meanwhile would) must not start a new
        // generation.
        let budget = text.len() + ENTRY_OVERHEAD;
        shard.remember(hash, &filter, text, &verdict, budget);
        shard.remember(hash, &filter, text, &verdict, budget);
        assert_eq!(shard.stats.generations, 0);
        assert_eq!(shard.find(hash, &filter, text), Some(verdict));
    }

    #[test]
    fn each_filter_has_its_own_verdicts() {
        let defaults = Filter::with_defaults().unwrap();
        let none = FilterBuilder::new().default_lists(false).build().unwrap();
        let cache = ReviewCache::new(1 << 20);
        let text = "what the fuck";
        assert_eq!(
            cache.review(&defaults, text).action,
            defaults.review(text).action
        );
        assert_eq!(cache.review(&none, text), none.review(text));
        assert_ne!(cache.review(&defaults, text), cache.review(&none, text));
        assert_eq!(cache.stats().misses, 2);
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let filter = Filter::with_defaults().unwrap();
        let budget = 64 * 1024;
        let cache = ReviewCache::new(budget);
        for i in 0..5000 {
            let text = format!("message number {i} from the chat, fuck");
            assert_eq!(cache.review(&filter, &text), filter.review(&text));
        }
        let stats = cache.stats();
        assert!(stats.generations > 0, "{stats:?}");
        for shard in &cache.shards {
            let shard = shard.lock().unwrap();
            assert!(shard.used <= budget / SHARDS, "{}", shard.used);
        }
    }

    #[test]
    fn no_budget_and_long_texts_are_always_reviewed() {
        let filter = Filter::with_defaults().unwrap();
        let off = ReviewCache::new(0);
        off.review(&filter, "hi");
        off.review(&filter, "hi");
        assert_eq!(off.stats(), CacheStats::default());
        let cache = ReviewCache::new(1 << 20);
        let long = "shit ".repeat(1000);
        assert_eq!(cache.review(&filter, &long), filter.review(&long));
        cache.review(&filter, &long);
        assert_eq!(cache.stats(), CacheStats::default());
    }
}
