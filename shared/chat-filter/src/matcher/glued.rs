//! The glued-words reading: a listed word written together with a common
//! neighbour (`ugay`, `urfag`, `thecunt`, `fuckthis`, `nigup`, `kysit`).
//!
//! A whole-word term matches only a whole word, so that "Fagin" and
//! "cumin" stay clean; but chat glues short words onto the one it means
//! ("u gay" written `ugay`). This reading splits each word where one side
//! is a word of the closed classes chat glues on ([`GLUED_BEFORE`],
//! [`GLUED_AFTER`]), and reads the other side through the automaton as a
//! word of its own.
//!
//! Invariant: a glued reading counts only for a moderate or severe
//! block-list term of three letters or more that starts the rest of the
//! word after a word glued before it (a whole-word term is all of it, or
//! its plural; a prefix term its start), or ends the word before a word
//! glued after it (a whole-word or suffix term); terms that match anywhere
//! inside a word need no split. The hit masks the
//! whole word, and an allowed word that contains the split ("peacock",
//! "cumin", listed in the allow list) cancels it as any allow match does.
//! Only words of four letters or more with such a split pay for a look-up,
//! on the stack.

use super::spellings::Spellings;
use super::view::{Joined, MAX_JOINED};
use super::{CompiledTerm, TermHit};
use crate::list::Severity;
use crate::normalize::{Normalized, WORD_BREAK};

/// Words chat glues before the one it means: pronouns, determiners and
/// intensifiers (`ufag`, `urfag`, `thecunt`, `sofat`, `bigfag`), spelled
/// out (a word's letters must match with their repeats). A closed class on purpose: a common word
/// in general is too often the start of another word ("do" + `cum` in
/// "document", "da" + `nger` in "danger").
const GLUED_BEFORE: &[&[u8]] = &[
    b"u", b"ur", b"ya", b"yo", b"my", b"the", b"so", b"big", b"lol", b"lmao", b"home", b"your",
    b"this", b"that", b"such", b"fat", b"dumb", b"ugly", b"stupid", b"dirty",
];

/// Words chat glues after a listed one: objects and particles (`fuckthis`,
/// `kysit`, `fagup`) and the heads of insult compounds (`cuntface`,
/// `spichead`), spelled out. Word endings such as "er", "an", "on" and
/// "el" are not among them: "Niger", "Japan", "button", "Nigel".
const GLUED_AFTER: &[&[u8]] = &[
    b"this", b"that", b"you", b"your", b"off", b"up", b"it", b"lol", b"lmao", b"man", b"bro",
    b"face", b"head", b"hole", b"wipe", b"lord", b"boy", b"him", b"her", b"them", b"out",
];

/// How many normalised bytes of `bytes` (with run lengths `runs`) spell
/// `word` exactly from their start, if they do (`ur` in `urfag`).
fn spelled_prefix(bytes: &[u8], runs: &[u8], word: &[u8]) -> Option<usize> {
    let mut rest = word;
    for (at, (&b, &run)) in bytes.iter().zip(runs).enumerate() {
        if rest.is_empty() {
            return Some(at);
        }
        let run = usize::from(run);
        if rest.len() < run || rest[..run].iter().any(|&c| c != b) {
            return None;
        }
        rest = &rest[run..];
    }
    rest.is_empty().then_some(bytes.len())
}

/// The letters that start a word of `words`, as a bitset over `a`..`z`.
const fn first_letters(words: &[&[u8]]) -> u32 {
    let mut bits = 0;
    let mut i = 0;
    while i < words.len() {
        bits |= 1 << (words[i][0] - b'a');
        i += 1;
    }
    bits
}

const STARTS_GLUED_BEFORE: u32 = first_letters(GLUED_BEFORE);
const STARTS_GLUED_AFTER: u32 = first_letters(GLUED_AFTER);

/// Whether `b` (a lowercase letter) starts a word of a set with first
/// letters `bits`.
fn may_start(bits: u32, b: u8) -> bool {
    b.is_ascii_lowercase() && bits & (1 << (b - b'a')) != 0
}

/// The splits of a word (`bytes`, `runs`) after a glue word of
/// [`GLUED_BEFORE`] that starts it, as a bitset of split positions: at most
/// one per glue word.
fn splits_after_glue(bytes: &[u8], runs: &[u8]) -> u64 {
    let mut splits = 0;
    if !bytes
        .first()
        .is_some_and(|&b| may_start(STARTS_GLUED_BEFORE, b))
    {
        return 0;
    }
    for word in GLUED_BEFORE {
        if word.first() == bytes.first() {
            if let Some(split) = spelled_prefix(bytes, runs, word) {
                splits |= 1 << split;
            }
        }
    }
    splits
}

/// Whether `tail` (with `runs`) spells a word of [`GLUED_AFTER`].
fn is_glued_after(tail: &[u8], runs: &[u8]) -> bool {
    tail.first()
        .is_some_and(|&b| may_start(STARTS_GLUED_AFTER, b))
        && GLUED_AFTER.iter().any(|w| {
            w.first() == tail.first()
                && w.len() >= tail.len()
                && spelled_prefix(tail, runs, w) == Some(tail.len())
        })
}

/// The first two and the last two letters of every term a glued reading
/// may find, as bitsets: a split whose other side cannot start (or end)
/// such a term is passed over without building a view or running the
/// automaton, which is what keeps this reading cheap on ordinary words.
#[derive(Debug, Clone, Default)]
pub(super) struct GlueIndex {
    starts: [u64; 12],
    ends: [u64; 12],
}

/// Two bytes as a number below 27², `i`, `l` and the either-letter byte as
/// one letter; `None` for anything but letters.
fn pair_key(a: u8, b: u8) -> Option<usize> {
    let code = |c: u8| match c {
        b'l' | crate::normalize::EITHER_I_OR_L => Some(usize::from(b'i' - b'a')),
        b'a'..=b'z' => Some(usize::from(c - b'a')),
        _ => None,
    };
    Some(code(a)? * 27 + code(b)?)
}

impl GlueIndex {
    /// Records term `term`, normalised as `bytes`, if a glued reading may
    /// find it.
    pub(super) fn add(&mut self, term: &CompiledTerm, bytes: &[u8]) {
        if term.allow || term.severity < Severity::Moderate || bytes.len() < 3 {
            return;
        }
        let set = |bits: &mut [u64; 12], key: Option<usize>| {
            if let Some(k) = key {
                bits[k / 64] |= 1 << (k % 64);
            }
        };
        if term.position.anchored_start() {
            set(&mut self.starts, pair_key(bytes[0], bytes[1]));
        }
        if term.position.anchored_end() {
            let n = bytes.len();
            set(&mut self.ends, pair_key(bytes[n - 2], bytes[n - 1]));
        }
    }

    fn has(bits: &[u64; 12], a: u8, b: u8) -> bool {
        pair_key(a, b).is_some_and(|k| bits[k / 64] & (1 << (k % 64)) != 0)
    }
}

/// Reports the terms glued to a common word in the words of `text`.
pub(super) fn find(
    index: &GlueIndex,
    spellings: &Spellings,
    terms: &[CompiledTerm],
    text: &Normalized,
    on_hit: &mut impl FnMut(TermHit),
) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == WORD_BREAK)
            .map_or(bytes.len(), |i| start + i);
        let word = &bytes[start..end];
        if word.len() >= 4 && word.len() <= MAX_JOINED && word.iter().all(u8::is_ascii_lowercase) {
            find_in_word(index, spellings, terms, text, start..end, on_hit);
        }
        start = end + 1;
    }
}

fn find_in_word(
    index: &GlueIndex,
    spellings: &Spellings,
    terms: &[CompiledTerm],
    text: &Normalized,
    word: std::ops::Range<usize>,
    on_hit: &mut impl FnMut(TermHit),
) {
    let bytes = &text.as_bytes()[word.clone()];
    let runs = &text.run_lengths()[word.clone()];
    let counts = |term: &CompiledTerm| {
        !term.allow && term.severity >= Severity::Moderate && !term.pattern.contains(' ')
    };
    // A word has at most one split after each glue word before it, so
    // those splits are found from the glue words once per word rather
    // than by comparing every split with every glue word (measured: the
    // reading was 7 % of a replay's instructions before).
    let after_glue = splits_after_glue(bytes, runs);
    for split in 1..bytes.len() {
        let (head, tail) = bytes.split_at(split);
        let (head_runs, tail_runs) = runs.split_at(split);
        // A doubled letter at the seam belongs to one word: "unniggard" is
        // "un" + "niggard", "tittup" is not "tit" + "up".
        // Glue words are at most six letters before and four after.
        if after_glue & (1 << split) != 0
            && tail.len() >= 3
            && GlueIndex::has(&index.starts, tail[0], tail[1])
            && tail_runs[0] == 1
        {
            let rest = word.start + split..word.end;
            let mut joined = Joined::new(word.clone());
            joined.push_piece(text, rest, false);
            let accept = |range: &std::ops::Range<usize>, term: &CompiledTerm| {
                counts(term) && range.start == 0 && term.position.anchored_start()
            };
            spellings.find(terms, &joined.view(), &accept, on_hit);
        }
        if tail.len() <= 4
            && head.len() >= 3
            && GlueIndex::has(&index.ends, head[split - 2], head[split - 1])
            && head_runs[split - 1] == 1
            && is_glued_after(tail, tail_runs)
        {
            let rest = word.start..word.start + split;
            let len = rest.len();
            let mut joined = Joined::new(word.clone());
            joined.push_piece(text, rest, false);
            let accept = |range: &std::ops::Range<usize>, term: &CompiledTerm| {
                counts(term) && range.end == len && term.position.anchored_end()
            };
            spellings.find(terms, &joined.view(), &accept, on_hit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Action, Filter};

    #[test]
    fn glue_words_are_spelled_with_their_repeats() {
        assert_eq!(spelled_prefix(b"of", &[1, 2], b"off"), Some(2));
        assert_eq!(spelled_prefix(b"of", &[1, 1], b"off"), None);
        assert_eq!(spelled_prefix(b"u", &[1], b"u"), Some(1));
        assert_eq!(spelled_prefix(b"ur", &[1, 1], b"u"), Some(1));
        assert_eq!(spelled_prefix(b"urfag", &[1; 5], b"ur"), Some(2));
    }

    #[test]
    fn splits_are_found_from_the_glue_words() {
        assert_eq!(splits_after_glue(b"urfag", &[1; 5]), 1 << 1 | 1 << 2);
        assert_eq!(splits_after_glue(b"fagot", &[1; 5]), 0);
        assert!(is_glued_after(b"this", &[1; 4]));
        assert!(is_glued_after(b"of", &[1, 2]));
        assert!(!is_glued_after(b"of", &[1, 1]));
        assert!(!is_glued_after(b"on", &[1, 1]));
    }

    #[test]
    fn listed_words_glued_to_a_neighbour_are_read() {
        let filter = Filter::with_defaults().unwrap();
        for text in ["ufag", "urfag", "thecunt", "fuckthis", "cuntface lol"] {
            assert_ne!(filter.review(text).action, Action::Allow, "{text}");
        }
        for text in [
            "Nigel",
            "Japan",
            "button",
            "unniggardly",
            "tittup",
            "document",
        ] {
            assert_eq!(filter.review(text).action, Action::Allow, "{text}");
        }
    }
}
