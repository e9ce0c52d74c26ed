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

/// Whether the normalised `bytes` with run lengths `runs` spell `word`
/// letter for letter (`of` with a doubled `f` is "off", not "of").
fn spells(bytes: &[u8], runs: &[u8], word: &[u8]) -> bool {
    let mut rest = word;
    for (&b, &run) in bytes.iter().zip(runs) {
        let run = usize::from(run);
        if rest.len() < run || rest[..run].iter().any(|&c| c != b) {
            return false;
        }
        rest = &rest[run..];
    }
    rest.is_empty()
}

/// Whether one of `words` is spelled by `bytes` and `runs`.
fn is_one_of(words: &[&[u8]], bytes: &[u8], runs: &[u8]) -> bool {
    words
        .iter()
        .any(|w| w.first() == bytes.first() && w.len() >= bytes.len() && spells(bytes, runs, w))
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
    for split in 1..bytes.len() {
        let (head, tail) = bytes.split_at(split);
        let (head_runs, tail_runs) = runs.split_at(split);
        // A doubled letter at the seam belongs to one word: "unniggard" is
        // "un" + "niggard", "tittup" is not "tit" + "up".
        // Glue words are at most six letters before and four after.
        if split <= 6
            && tail.len() >= 3
            && GlueIndex::has(&index.starts, tail[0], tail[1])
            && tail_runs[0] == 1
            && is_one_of(GLUED_BEFORE, head, head_runs)
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
            && is_one_of(GLUED_AFTER, tail, tail_runs)
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
        assert!(spells(b"of", &[1, 2], b"off"));
        assert!(!spells(b"of", &[1, 1], b"off"));
        assert!(spells(b"u", &[1], b"u"));
        assert!(!spells(b"ur", &[1, 1], b"u"));
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
