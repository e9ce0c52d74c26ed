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
//! Each shard is one open-addressed table of 32-byte entries (linear
//! probing, at most three quarters full) that hold a text of up to 16
//! bytes themselves, and the shard keeps longer texts one after another
//! beside it. A hit on a short text therefore reads one entry: on the
//! replay corpus (texts of 10 bytes on average) the memo's cost had been
//! its cache misses, three a hit through hashbrown's control bytes, its
//! bucket and the text kept elsewhere; with the entries it is one, and the
//! replay's CPU time fell by 6 % (median of 11 alternated pairs, `--jobs
//! 1`; the memo's share of the run's time, by `perf`, 22 → 14 %) for 1 %
//! more instructions.
//!
//! Memory is bounded by the budget given to [`ReviewCache::new`], whatever
//! the input: the tables, the long texts and the stored verdicts with
//! their matches are counted, and a shard that would go past its share is
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

use rustc_hash::FxHasher;

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
    /// Open addressing with linear probing, a power of two long (or empty):
    /// one [`Entry`] per remembered text, the empty ones [`Entry::EMPTY`].
    entries: Vec<Entry>,
    /// How many entries are in use.
    len: usize,
    /// The filters whose verdicts the shard holds: an entry names its
    /// filter by its index here (a replay has one filter a profile).
    filters: Vec<usize>,
    /// Texts too long to sit in their entry, one after another.
    texts: Vec<u8>,
    /// The verdicts of remembered texts that matched something (a text
    /// that matched nothing needs none stored: its verdict is empty).
    matched: Vec<Verdict<'f>>,
    /// Bytes of `matched`'s matches and masked texts, which the budget
    /// counts besides the buffers.
    matched_bytes: usize,
    stats: CacheStats,
}

/// One remembered text: 32 bytes, half a cache line, so that a hit on a
/// short text touches one place in memory. On the replay corpus the
/// lookups' cache misses, not their instructions, were the memo's cost:
/// with hashbrown's control bytes, its bucket and the text elsewhere, a
/// hit missed three times; texts average 10 bytes, so most now sit in
/// their entry and a hit misses once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    /// The key's hash, never 0 ([`Entry::EMPTY`] is 0).
    hash: u64,
    /// `Shard::matched[verdict]`, or [`EMPTY_VERDICT`].
    verdict: u32,
    /// `Shard::filters[filter]`.
    filter: u16,
    /// The text's length in bytes.
    len: u16,
    /// The text itself when it is at most [`INLINE_BYTES`] long; otherwise
    /// the first four bytes are where it starts in `Shard::texts`.
    text: [u8; INLINE_BYTES],
}

/// The longest text kept in its entry.
const INLINE_BYTES: usize = 16;

impl Entry {
    const EMPTY: Entry = Entry {
        hash: 0,
        verdict: 0,
        filter: 0,
        len: 0,
        text: [0; INLINE_BYTES],
    };
}

/// [`Entry::verdict`] of a text that matched nothing.
const EMPTY_VERDICT: u32 = u32::MAX;

/// Bytes of one entry.
const ENTRY_BYTES: usize = std::mem::size_of::<Entry>();

/// The fewest entries a shard's table starts with.
const MIN_ENTRIES: usize = 64;

impl<'f> ReviewCache<'f> {
    /// A cache that holds at most about `budget` bytes (its tables, long
    /// texts and the matches of remembered verdicts). A budget of 0
    /// remembers nothing: every review is run.
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
    /// Where the entry of `(hash, filter, text)` is, or the empty entry
    /// where it would go.
    fn probe(&self, hash: u64, filter: Option<u16>, text: &[u8]) -> Option<(usize, bool)> {
        let mask = self.entries.len().checked_sub(1)?;
        let mut at = home(hash) & mask;
        loop {
            let entry = self.entries.get(at)?;
            if entry.hash == 0 {
                return Some((at, false));
            }
            if entry.hash == hash
                && Some(entry.filter) == filter
                && usize::from(entry.len) == text.len()
                && self.text_of(entry) == Some(text)
            {
                return Some((at, true));
            }
            at = (at + 1) & mask;
        }
    }

    fn text_of<'s>(&'s self, entry: &'s Entry) -> Option<&'s [u8]> {
        let len = usize::from(entry.len);
        if len <= INLINE_BYTES {
            return entry.text.get(..len);
        }
        let [a, b, c, d, ..] = entry.text;
        let start = u32::from_ne_bytes([a, b, c, d]) as usize;
        self.texts.get(start..start + len)
    }

    fn filter_index(&self, filter: &Filter) -> Option<u16> {
        let address = address(filter);
        let index = self.filters.iter().position(|&f| f == address)?;
        u16::try_from(index).ok()
    }

    fn find(&self, hash: u64, filter: &Filter, text: &str) -> Option<Verdict<'f>> {
        let hash = nonzero(hash);
        let (at, found) = self.probe(hash, self.filter_index(filter), text.as_bytes())?;
        if !found {
            return None;
        }
        match self.entries.get(at)?.verdict {
            EMPTY_VERDICT => Some(Verdict {
                action: Action::Allow,
                matches: Vec::new(),
                masked: None,
            }),
            index => self.matched.get(index as usize).cloned(),
        }
    }

    /// Bytes counted against the budget: the table, the long texts, the
    /// stored verdicts and their matches.
    fn used(&self) -> usize {
        self.entries.len() * ENTRY_BYTES
            + self.texts.len()
            + self.matched.len() * std::mem::size_of::<Verdict<'static>>()
            + self.matched_bytes
    }

    /// Starts a new generation: the shard forgets everything. Capacity is
    /// kept: the next generation fills the same buffers.
    fn clear(&mut self) {
        self.entries.fill(Entry::EMPTY);
        self.len = 0;
        self.filters.clear();
        self.texts.clear();
        self.matched.clear();
        self.matched_bytes = 0;
        self.stats.generations += 1;
    }

    /// Whether one more entry would fill the table past three quarters.
    fn is_full(&self) -> bool {
        (self.len + 1) * 4 > self.entries.len() * 3
    }

    /// Doubles the table (or makes its first one), keeping every entry.
    fn grow(&mut self) {
        let size = (self.entries.len() * 2).max(MIN_ENTRIES);
        let old = std::mem::replace(&mut self.entries, vec![Entry::EMPTY; size]);
        let mask = size - 1;
        for entry in old.into_iter().filter(|e| e.hash != 0) {
            let mut at = home(entry.hash) & mask;
            while self.entries[at].hash != 0 {
                at = (at + 1) & mask;
            }
            self.entries[at] = entry;
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
        let hash = nonzero(hash);
        let bytes = text.as_bytes();
        // A text already here (another thread reviewed it meanwhile) keeps
        // its entry, and empties nothing.
        if let Some((_, true)) = self.probe(hash, self.filter_index(filter), bytes) {
            return;
        }
        let matched_bytes = verdict.matches.len() * std::mem::size_of::<Match<'static>>()
            + verdict.masked.as_ref().map_or(0, String::len);
        let stored_text = if bytes.len() > INLINE_BYTES {
            bytes.len()
        } else {
            0
        };
        let empty = verdict.action == Action::Allow
            && verdict.matches.is_empty()
            && verdict.masked.is_none();
        let stored_verdict = if empty {
            0
        } else {
            std::mem::size_of::<Verdict<'static>>() + matched_bytes
        };
        // The table grows when it would pass three quarters full.
        let table = |entries: usize| entries * ENTRY_BYTES;
        let table_after = if self.is_full() {
            table((self.entries.len() * 2).max(MIN_ENTRIES))
        } else {
            table(self.entries.len())
        };
        let extra = stored_text + stored_verdict;
        let others = self.used() - table(self.entries.len());
        if table_after + others + extra > budget {
            // A new generation keeps its table, which must then hold this
            // text alone.
            if table(self.entries.len().max(MIN_ENTRIES)) + extra > budget {
                return;
            }
            self.clear();
        }
        if self.is_full() {
            self.grow();
        }
        let filter_index = match self.filter_index(filter) {
            Some(index) => index,
            None => {
                let Ok(index) = u16::try_from(self.filters.len()) else {
                    return;
                };
                self.filters.push(address(filter));
                index
            }
        };
        let (Ok(len), Ok(stored)) = (
            u16::try_from(bytes.len()),
            u32::try_from(self.matched.len()),
        ) else {
            return;
        };
        let mut entry = Entry {
            hash,
            verdict: EMPTY_VERDICT,
            filter: filter_index,
            len,
            text: [0; INLINE_BYTES],
        };
        if bytes.len() <= INLINE_BYTES {
            entry.text[..bytes.len()].copy_from_slice(bytes);
        } else {
            let Ok(start) = u32::try_from(self.texts.len()) else {
                return;
            };
            entry.text[..4].copy_from_slice(&start.to_ne_bytes());
            self.texts.extend_from_slice(bytes);
        }
        if !empty {
            self.matched.push(verdict.clone());
            self.matched_bytes += matched_bytes;
            entry.verdict = stored;
        }
        let Some((at, _)) = self.probe(hash, Some(filter_index), bytes) else {
            return;
        };
        self.entries[at] = entry;
        self.len += 1;
    }
}

/// Where an entry's probe starts: the hash mixed again, since the shard
/// was chosen by its top bits.
fn home(hash: u64) -> usize {
    ((hash ^ (hash >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 32) as usize
}

/// The hash as an entry stores it: 0 marks an empty entry.
fn nonzero(hash: u64) -> u64 {
    hash.max(1)
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
    // An entry's probe starts at the hash mixed again (`home`); the shard
    // takes the top bits of another mix.
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
        let budget = MIN_ENTRIES * ENTRY_BYTES;
        shard.remember(hash, &filter, text, &verdict, budget);
        shard.remember(hash, &filter, text, &verdict, budget);
        assert_eq!(shard.stats.generations, 0);
        assert_eq!(shard.find(hash, &filter, text), Some(verdict));
    }

    #[test]
    fn texts_sharing_a_hash_keep_their_own_verdicts() {
        let filter = Filter::with_defaults().unwrap();
        let mut shard = Shard::default();
        // Short and long texts (kept in the entry and beside the table),
        // clean and flagged, all under one hash, as a collision would be.
        let texts = [
            "gg",
            "you cunt",
            "exactly sixteen!",
            "seventeen bytes!!",
            "a much longer clean message about the weather today",
            "a much longer message that says fuck in the middle",
        ];
        for text in texts {
            shard.remember(42, &filter, text, &filter.review(text), 1 << 20);
        }
        for text in texts {
            assert_eq!(
                shard.find(42, &filter, text),
                Some(filter.review(text)),
                "{text}"
            );
        }
        assert_eq!(shard.find(42, &filter, "not remembered"), None);
        assert_eq!(shard.len, texts.len());
    }

    #[test]
    fn a_growing_table_keeps_every_entry() {
        let filter = Filter::with_defaults().unwrap();
        let cache = ReviewCache::new(64 << 20);
        let texts: Vec<String> = (0..20_000).map(|i| format!("line {i} shit")).collect();
        for text in &texts {
            cache.review(&filter, text);
        }
        for text in texts.iter().step_by(97) {
            assert_eq!(cache.review(&filter, text), filter.review(text), "{text}");
        }
        let stats = cache.stats();
        assert_eq!((stats.misses, stats.generations), (20_000, 0), "{stats:?}");
        assert_eq!(stats.hits, texts.iter().step_by(97).count() as u64);
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
            assert!(shard.used() <= budget / SHARDS, "{}", shard.used());
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
