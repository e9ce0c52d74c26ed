//! Censoring marks at a word's edges: `*ss`, `^n^l`, `stf*`, `d*ld*`.
//!
//! Step 2 trims punctuation from a word's edges, so that `(hi)`, `wow!`
//! and `*hug*` are words and not letters; but a writer who hides a word's
//! first or last vowel puts the mark there too. Whether `*ss` is "ass"
//! depends on the lists, so the normaliser records how many marks stood
//! against each edge ([`EdgeMarks`]) and the vowel-frame reading of the
//! matcher decides.
//!
//! Invariant: marks are counted only when they touch the word and stand
//! between it and whitespace (or the message's start or end, or closing
//! punctuation after the word); a `#` before a word is a hashtag and a `?`
//! after it a question, so neither counts, unless the word is censored
//! inside too (`#ssh#l#`, `scr*t?`), which no hashtag or question is.
//! Messages without a mark skip the pass. Measured: counting those took
//! `censor-symbols` from 76.8 to 77.6 %, with no harmless item more
//! flagged.

use super::Normalized;

/// Marks recorded against one word: its index among the message's words,
/// and how many marks stood before and after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EdgeMark {
    pub(crate) word: u32,
    pub(crate) before: u8,
    pub(crate) after: u8,
}

/// The words of a message with marks against their edges, in word order.
#[derive(Debug, Default, Clone)]
pub(crate) struct EdgeMarks {
    pub(crate) words: Vec<EdgeMark>,
}

impl EdgeMarks {
    pub(super) fn clear(&mut self) {
        self.words.clear();
    }

    /// The marks against word `word`, if any (`words` is sorted).
    pub(crate) fn of(&self, word: usize) -> Option<EdgeMark> {
        let at = self
            .words
            .binary_search_by_key(&(word as u32), |m| m.word)
            .ok()?;
        Some(self.words[at])
    }
}

/// Characters that censor a letter at a word's edge.
const fn is_edge_mark(b: u8) -> bool {
    matches!(b, b'*' | b'#' | b'%' | b'^' | b'&' | b'?' | b'~' | b'-')
}

/// Whether the character may follow a word's marks: whitespace or closing
/// punctuation.
const fn may_follow(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'!' | b'.' | b',' | b')' | b'"' | b'\'')
}

impl Normalized {
    /// Records the censoring marks against each word's edges in `text`.
    pub(super) fn read_edge_marks(&mut self, text: &str, mask: char) {
        let raw = text.as_bytes();
        let mask = u8::try_from(mask).ok().filter(u8::is_ascii);
        let is_mark = |b: u8| is_edge_mark(b) || Some(b) == mask;
        if !raw.iter().any(|&b| is_mark(b)) {
            return;
        }
        let len = self.bytes.len();
        // Words' ends are the recorded breaks, and the message's end.
        let ends = self.gaps.breaks.iter().map(|&b| b as usize);
        let mut start = 0usize;
        for (word, end) in ends.chain(std::iter::once(len)).enumerate() {
            if start >= len {
                break;
            }
            let from = self.spans[start].0 as usize;
            let to = self.spans[end - 1].1 as usize;
            let before = raw[..from]
                .iter()
                .rev()
                .take_while(|&&b| is_mark(b))
                .count();
            // A word with marks inside, or joined to the word before by
            // one, is censored, not a hashtag or a question (`#ssh#l#`,
            // `cl?tf?c?`).
            let censored_inside = || {
                raw[from..to].iter().any(|&b| is_mark(b))
                    || (from > 0 && is_mark(raw[from - 1]) && before == 0)
            };
            let before_ok = before > 0
                && (raw[from - before] != b'#' || censored_inside())
                && (from == before || raw[from - before - 1].is_ascii_whitespace());
            let after = raw[to..].iter().take_while(|&&b| is_mark(b)).count();
            let after_ok = after > 0
                && (raw[to] != b'?' || censored_inside())
                && raw.get(to + after).is_none_or(|&b| may_follow(b));
            if before_ok || after_ok {
                let count = |ok: bool, n: usize| if ok { n.min(3) as u8 } else { 0 };
                self.edge_marks.words.push(EdgeMark {
                    word: word as u32,
                    before: count(before_ok, before),
                    after: count(after_ok, after),
                });
            }
            start = end + 1;
        }
    }
}
