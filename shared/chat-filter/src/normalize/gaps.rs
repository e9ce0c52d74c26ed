//! Gaps between pieces: what separated two neighbouring words.
//!
//! Whether `fu.ck`, `fu ck` or `f--k` is one word in pieces or two words
//! depends on the word lists, which the normaliser does not know, so it
//! records the gap and the matcher decides. The matcher needs to know
//! whether the pieces were split by spaces (usually two real words) or by
//! marks inside one token (usually one word), and how many marks there were
//! (`f---ing` hides three letters). An apostrophe before a contraction or
//! possessive ending (`it's`, `Pen's`) is recorded apart: it never hides
//! letters. So is a censoring mark beside a space (`c *nt`), which trimming
//! would otherwise lose.
//!
//! Invariant: there is exactly one [`Gap`] per [`WORD_BREAK`] byte, in
//! order ([`Gaps`]).

use super::fold::{Kind, Unit};
use super::CENSORED;
#[cfg(doc)]
use super::WORD_BREAK;

/// The word breaks of a normalised message and what each stands for.
#[derive(Debug, Default, Clone)]
pub(crate) struct Gaps {
    /// Index of each [`WORD_BREAK`] byte, ascending.
    pub(crate) breaks: Vec<u32>,
    /// What separated each pair of neighbouring words: the `n`th gap is at
    /// the `n`th break.
    pub(crate) between: Vec<Gap>,
}

impl Gaps {
    pub(super) fn clear(&mut self) {
        self.breaks.clear();
        self.between.clear();
    }
}

/// What separated two neighbouring words in the original text.
///
/// The normaliser cannot know whether `fu.ck`, `fu ck` or `f--k` is one
/// word in pieces or two words, since that depends on the word lists; it
/// records the gap so that the matcher can try the joined reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Whitespace only: `fu ck`, but also every ordinary pair of words.
    Space,
    /// Marks inside one token, with no whitespace: `fu.ck`, `f--k`,
    /// `f[_]cker`, `f'ck`.
    Marks {
        /// How many marks (at most 255).
        count: u8,
        /// Whether every mark is one that splits a word without hiding
        /// letters (`.`, `-`, `_`, `~`: `fu.ck`, `a-hole`), rather than
        /// only a mark that may hide letters (`'`, `>`, brackets).
        joins: bool,
    },
    /// Whitespace and censoring marks (`c *nt`, `c* nt`, `f ***ing`): a
    /// self-censored word with a space beside its mark.
    SpacedMarks {
        /// How many censoring marks (at most 255).
        count: u8,
    },
    /// An apostrophe before a contraction or possessive ending (`it's`,
    /// `we'll`): the words belong together, and the ending hides nothing.
    Apostrophe,
    /// Anything else, such as other punctuation or punctuation and spaces.
    Other,
}

/// Marks inside a token that may split a word in two (`fu.ck`).
const fn is_joiner(c: u8) -> bool {
    matches!(c, b'.' | b'-' | b'_' | b'~')
}

/// Marks inside a token that may stand for hidden letters (`f--k`, `f'ck`,
/// `f>>k`, `f()()k`, `f[_]cker`, `f?ck`).
const fn is_hiding_mark(c: u8) -> bool {
    is_joiner(c) || matches!(c, b'\'' | b'>' | b'(' | b')' | b'[' | b']' | b'?')
}

/// What the units between two words make of the gap.
pub(super) fn classify_gap(between: &[Unit]) -> Gap {
    if between.is_empty() {
        return Gap::Other;
    }
    if between.iter().all(|u| u.kind == Kind::Space) {
        return Gap::Space;
    }
    let is_mark =
        |u: &Unit| matches!(u.kind, Kind::Punct | Kind::Symbol(_, true)) && is_hiding_mark(u.ch);
    if between.iter().all(is_mark) {
        return Gap::Marks {
            count: u8::try_from(between.len()).unwrap_or(u8::MAX),
            joins: between.iter().all(|u| is_joiner(u.ch)),
        };
    }
    let is_censoring = |u: &Unit| matches!(u.kind, Kind::Symbol(CENSORED, _));
    let marks = between.iter().filter(|u| is_censoring(u)).count();
    if marks > 0
        && between
            .iter()
            .all(|u| u.kind == Kind::Space || is_censoring(u))
    {
        return Gap::SpacedMarks {
            count: u8::try_from(marks).unwrap_or(u8::MAX),
        };
    }
    Gap::Other
}

/// Whether an apostrophe in `between` starts a contraction or possessive
/// ending in `after` (`it's`, `don't`, `we'll`, `Pen's`): those letters
/// end the word before, they never hide letters of it.
pub(super) fn is_contraction(between: &[Unit], after: &[Unit]) -> bool {
    if !between.iter().any(|u| u.ch == b'\'') {
        return false;
    }
    let mut ending = [0u8; 3];
    let mut len = 0;
    for unit in after {
        match unit.kind {
            Kind::Letter(b) if len < ending.len() => {
                ending[len] = b;
                len += 1;
            }
            Kind::Letter(_) => return false,
            _ => break,
        }
    }
    matches!(
        &ending[..len],
        b"s" | b"t" | b"d" | b"m" | b"ll" | b"re" | b"ve" | b"em" | b"n" | b"all"
    )
}
