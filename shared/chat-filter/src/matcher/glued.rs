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
use crate::normalize::Normalized;

/// Words chat glues before the one it means: pronouns, determiners and
/// intensifiers (`ufag`, `urfag`, `thecunt`, `sofat`, `bigfag`), spelled
/// out (a word's letters must match with their repeats). A closed class on purpose: a common word
/// in general is too often the start of another word ("do" + `cum` in
/// "document", "da" + `nger` in "danger").
///
/// Sorted, so that the glue words of one first letter are one range of it
/// ([`GLUED_BEFORE_BY_LETTER`]); a unit test checks the order.
const GLUED_BEFORE: &[&[u8]] = &[
    b"big", b"dirty", b"dumb", b"fat", b"home", b"lmao", b"lol", b"my", b"so", b"stupid", b"such",
    b"that", b"the", b"this", b"u", b"ugly", b"ur", b"ya", b"yo", b"your",
];

/// Words chat glues after a listed one: objects and particles (`fuckthis`,
/// `kysit`, `fagup`) and the heads of insult compounds (`cuntface`,
/// `spichead`), spelled out. Word endings such as "er", "an", "on" and
/// "el" are not among them: "Niger", "Japan", "button", "Nigel".
///
/// Sorted, as [`GLUED_BEFORE`] is.
const GLUED_AFTER: &[&[u8]] = &[
    b"boy", b"bro", b"face", b"head", b"her", b"him", b"hole", b"it", b"lmao", b"lol", b"lord",
    b"man", b"off", b"out", b"that", b"them", b"this", b"up", b"wipe", b"you", b"your",
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

/// For each letter `a`..`z`, the range of the sorted `words` that start
/// with it.
const fn by_first_letter(words: &[&[u8]]) -> [(u8, u8); 26] {
    let mut ranges = [(0u8, 0u8); 26];
    let mut i = 0;
    while i < words.len() {
        let letter = (words[i][0] - b'a') as usize;
        if ranges[letter].1 == 0 {
            ranges[letter].0 = i as u8;
        }
        ranges[letter].1 = i as u8 + 1;
        i += 1;
    }
    ranges
}

const GLUED_BEFORE_BY_LETTER: [(u8, u8); 26] = by_first_letter(GLUED_BEFORE);
const GLUED_AFTER_BY_LETTER: [(u8, u8); 26] = by_first_letter(GLUED_AFTER);

/// The words of `words` (indexed by `ranges`) that start with `first`.
fn starting_with<'w>(words: &'w [&'w [u8]], ranges: &[(u8, u8); 26], first: u8) -> &'w [&'w [u8]] {
    match ranges.get(usize::from(first.wrapping_sub(b'a'))) {
        Some(&(from, to)) => &words[usize::from(from)..usize::from(to)],
        None => &[],
    }
}

/// The splits of a word (`bytes`, `runs`) after a glue word of
/// [`GLUED_BEFORE`] that starts it, as a bitset of split positions: at most
/// one per glue word.
fn splits_after_glue(bytes: &[u8], runs: &[u8]) -> u64 {
    let mut splits = 0;
    for word in starting_with(GLUED_BEFORE, &GLUED_BEFORE_BY_LETTER, bytes[0]) {
        if let Some(split) = spelled_prefix(bytes, runs, word) {
            splits |= 1 << split;
        }
    }
    splits
}

/// Whether `tail` (with `runs`) spells a word of [`GLUED_AFTER`].
fn is_glued_after(tail: &[u8], runs: &[u8]) -> bool {
    starting_with(GLUED_AFTER, &GLUED_AFTER_BY_LETTER, tail[0])
        .iter()
        .any(|w| w.len() >= tail.len() && spelled_prefix(tail, runs, w) == Some(tail.len()))
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
    // The normaliser records every word break, so words' ends need no scan.
    let ends = text.gaps.breaks.iter().map(|&b| b as usize);
    let mut start = 0;
    for end in ends.chain(std::iter::once(bytes.len())) {
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
    // Only a few splits can be worth a look: those right after a glue word
    // that starts the word (at most one per glue word, found from the glue
    // words), and the last four, before a glue word that may end it, with
    // three letters or more before them. Trying every split against every
    // glue word made this reading 7 % of a replay's instructions.
    // Words are at least four bytes and at most `MAX_JOINED`, so the bits
    // fit and the last four start at split 3 or later.
    let len = bytes.len();
    let inside = (1u64 << len) - 2;
    let last_four = (1u64 << len) - (1u64 << len.saturating_sub(4).max(3));
    let after_glue = splits_after_glue(bytes, runs) & inside;
    let mut splits = after_glue | last_four;
    while splits != 0 {
        let split = splits.trailing_zeros() as usize;
        splits &= splits - 1;
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
        if last_four & (1 << split) != 0
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
    fn glue_words_are_sorted_so_each_letter_is_one_range() {
        for words in [GLUED_BEFORE, GLUED_AFTER] {
            assert!(words.windows(2).all(|w| w[0] < w[1]), "{words:?}");
        }
        assert_eq!(
            starting_with(GLUED_BEFORE, &GLUED_BEFORE_BY_LETTER, b'u'),
            [&b"u"[..], b"ugly", b"ur"]
        );
        assert!(starting_with(GLUED_AFTER, &GLUED_AFTER_BY_LETTER, b'z').is_empty());
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
