//! The plain-text fast path: a message of ASCII letters and spaces only,
//! normalised without building units.
//!
//! Most chat lines are words and spaces (934 of the 2,000 lines of the
//! short benchmark corpus, 2,164 of the 2,819 of `test_positive.txt`, all
//! but 95 of the 20,809 of `false_positives.txt`). For them the five steps
//! come down to little: folding is lowercasing, every gap is
//! [`Gap::Space`], no word has a tail, a digit or a symbol, and the only
//! readings left are repeats, `vv` read as `w`, an `l` between consonants
//! read as either letter and `x` recorded as a letter mark. This module
//! does exactly that, a byte at a time, and declines every message it
//! cannot read exactly as the general path would.
//!
//! Invariant: for every message it accepts, the result is identical, field
//! for field, to that of the general path (`fold.rs`, `words.rs`), which
//! `tests.rs` checks on every message of the test sets and on generated
//! ones. It declines, before writing anything, a message with any other
//! byte, a capital `I` after a letter (which the general path reads as a
//! symbol, `heII`), three single-letter words in a row (a spelled-out
//! word, step 3) or a mask that is a space.
//!
//! Measured with callgrind (`examples/review_passes.rs`, instructions per
//! review of the short benchmark corpus, half of whose lines are plain):
//! 10,163 before, 9,133 after (-10.1 %). A wider path taking punctuation
//! too was rejected: it would add 59 lines of those 2,000, and each
//! punctuation mark brings a gap, a trimmed edge or a contraction of its
//! own to reproduce.

use super::fold::{Kind, Unit};
use super::gaps::Gap;
use super::words::{l_reads_as_either, may_hide_letters};
use super::{Normalized, EITHER_I_OR_L};

/// Whether `text` is plain: ASCII letters and spaces, with no capital `I`
/// right after a letter and no three single-letter words in a row.
fn is_plain(text: &[u8]) -> bool {
    let mut after_letter = false;
    let mut word_len = 0usize;
    let mut single_letter_words = 0;
    for &b in text {
        if b.is_ascii_alphabetic() {
            if b == b'I' && after_letter {
                return false;
            }
            after_letter = true;
            word_len += 1;
        } else if b == b' ' {
            if after_letter {
                single_letter_words = if word_len == 1 {
                    single_letter_words + 1
                } else {
                    0
                };
                if single_letter_words == 3 {
                    return false;
                }
            }
            after_letter = false;
            word_len = 0;
        } else {
            return false;
        }
    }
    !(word_len == 1 && single_letter_words == 2)
}

/// The letter at `at` of the lowercased `text`, if it is one.
fn letter_at(text: &[u8], at: Option<usize>) -> Option<u8> {
    let b = *text.get(at?)?;
    b.is_ascii_alphabetic().then(|| b.to_ascii_lowercase())
}

/// [`super::words`]'s `vv` test on plain text: the `v` at `at` and the next
/// are exactly two `v`s.
fn is_double_v(text: &[u8], at: usize) -> bool {
    let is_v = |i: Option<usize>| letter_at(text, i) == Some(b'v');
    is_v(Some(at + 1)) && !is_v(Some(at + 2)) && !is_v(at.checked_sub(1))
}

/// [`super::words`]'s test for an `l` between consonants on plain text.
fn is_between_consonants(text: &[u8], at: usize) -> bool {
    let is_l = |b: &u8| b.eq_ignore_ascii_case(&b'l');
    let before = text[..at].iter().rposition(|b| !is_l(b));
    let after = text[at + 1..]
        .iter()
        .position(|b| !is_l(b))
        .map(|i| at + 1 + i);
    l_reads_as_either(letter_at(text, before), letter_at(text, after))
}

impl Normalized {
    /// Normalises `text` if it is plain (see the module doc), into buffers
    /// the caller has cleared; returns whether it did. Edge marks and the
    /// folded bytes are left to the caller, as for the general path.
    pub(super) fn normalize_plain(&mut self, text: &str, mask: char) -> bool {
        let text = text.as_bytes();
        if mask == ' ' || !is_plain(text) {
            return false;
        }
        let mut at = 0;
        while at < text.len() {
            let b = text[at].to_ascii_lowercase();
            if b == b' ' {
                at += 1;
                continue;
            }
            let word_start = at == 0 || text[at - 1] == b' ';
            if word_start && !self.bytes.is_empty() {
                self.push_break(Gap::Space);
            }
            let (out, len) = match b {
                b'v' if is_double_v(text, at) => (b'w', 2),
                b'l' if is_between_consonants(text, at) => (EITHER_I_OR_L, 1),
                _ => (b, 1),
            };
            // A word starts after a break (or the message's start), so a
            // run never collapses across one.
            let unit = Unit {
                kind: Kind::Letter(b),
                ch: b,
                start: at as u32,
                end: (at + len) as u32,
            };
            self.push(out, unit, true);
            if may_hide_letters(b) && out != EITHER_I_OR_L {
                self.record_letter_mark();
            }
            at += len;
        }
        true
    }
}
