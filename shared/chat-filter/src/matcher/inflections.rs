//! Inflections: a severe whole-word term read with a plural ending
//! (`trannys`, `spics`, `kikes`, `fagz`), as a suffix term is read with any
//! ending.
//!
//! Lists name a slur once, as a whole word, because a prefix (`fag*`)
//! would catch innocent words that start with it ("fagus", "Fagin"); but
//! then every plural had to be listed too, and many were not: the disguise
//! matrix found 54 % of plurals flagged. Plural endings are a closed set,
//! so they are read instead of listed.
//!
//! Invariant: a severe single-word term that must end a word may instead be
//! followed by exactly one ending of [`ENDINGS`] that ends the word, when
//! the term has at least [`MIN_LETTERS`] normalised letters. The match
//! still reports and masks the whole word, and allow-list terms cancel it
//! as any other match, so an innocent plural ("spices" from `spic`) is
//! excused by listing it.
//!
//! Measured and rejected: verb endings (`-ing`, `-ed`, `-er`) and moderate
//! terms. On the development set of innocent words (`false_positives.txt`)
//! verb endings flagged 58 more lines ("butter", "cocking", "retarding",
//! "spicing", "chinking") and plurals of moderate terms 9 more ("annals",
//! "bondages", "phalluses"), past its ceiling of 30; severe plurals flag
//! one ("spicks"). Plurals went from 54 % to 60 % of the matrix's `plural`
//! class (85 % with moderate terms too).

use super::CompiledTerm;
use crate::list::{Position, Severity};

/// The endings read after a whole-word term, as normalised (repeats
/// collapsed).
const ENDINGS: &[&[u8]] = &[b"s", b"es", b"z"];

/// Terms shorter than this take no ending.
const MIN_LETTERS: usize = 3;

/// Whether `term` may be read with an ending: a severe block-list term of
/// one whole word.
pub(super) fn takes_endings(term: &CompiledTerm) -> bool {
    term.position == Position::Whole
        && !term.allow
        && term.severity == Severity::Severe
        && !term.pattern.contains([' ', '-'])
}

/// Whether `rest`, the letters between a term's end and its word's end,
/// is an ending a term of `term_len` bytes may take.
pub(super) fn is_ending(term_len: usize, rest: &[u8]) -> bool {
    term_len >= MIN_LETTERS && ENDINGS.contains(&rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_endings_after_long_enough_terms() {
        assert!(is_ending(3, b"s"));
        assert!(is_ending(4, b"es"));
        assert!(is_ending(6, b"z"));
        assert!(!is_ending(4, b"ing"));
        assert!(!is_ending(2, b"s"));
        assert!(!is_ending(4, b""));
        assert!(!is_ending(4, b"y"));
        assert!(!is_ending(4, b"ish"));
        assert!(!is_ending(4, b"ss"));
    }
}
