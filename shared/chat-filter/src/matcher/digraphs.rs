//! Digraphs: two letters written for the one a term spells, `ph` for `f`
//! (`phuck`, `phag`, `motherphucker`).
//!
//! Unlike the one-letter respellings, which the automaton reads by folding
//! (`super::spellings`), a digraph changes a term's length, so it cannot be
//! folded into the text; and replacing `ph` by `f` while normalising would
//! rewrite every innocent "phone" and "graph" for the sake of a few terms.
//! So the terms that have an `f` get a second spelling in the automaton
//! instead, with each `f` written `ph`: one more pattern for about one term
//! in ten, and no cost to a review that contains no such spelling.
//!
//! Invariant: a moderate or severe block term of four letters or more, one
//! word or a phrase, whose normalised bytes hold an `f` has exactly one
//! digraph spelling, every `f` as `ph` (a doubled `f` as `phph`), each `p`
//! and `h` needing one letter. It is checked like any spelling; its hits
//! report the term.
//!
//! Measured (disguise matrix): phrases (`hang yourselph`, `phils de pute`)
//! and doubled `f`s (`muphph diver`, `whack ophph`) took `ph-for-f` from
//! 65.0 % to 94.2 % (the matrix 91.40 → 91.46 %), with no test line or harmless item more
//! flagged.

use super::CompiledTerm;
use crate::list::Severity;
use crate::normalize::WORD_BREAK;

/// The fewest normalised letters a term needs for its digraph spelling:
/// `fag` written `phag` would be read in "phage" words too often.
const MIN_LETTERS: usize = 4;

/// The digraph spelling of `term` (its normalised `bytes`): bytes and the
/// run length each needs, or `None` when it has none.
pub(super) fn ph_for_f(
    term: &CompiledTerm,
    bytes: &[u8],
    runs: &[u8],
) -> Option<(Vec<u8>, Vec<u8>)> {
    if term.allow
        || term.severity < Severity::Moderate
        || bytes.len() < MIN_LETTERS
        || !bytes.contains(&b'f')
        || !bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b == WORD_BREAK)
    {
        return None;
    }
    let mut spelled = Vec::with_capacity(bytes.len() + 4);
    let mut spelled_runs = Vec::with_capacity(bytes.len() + 4);
    for (&b, &run) in bytes.iter().zip(runs) {
        if b == b'f' {
            // `ff` is `phph` (`muphph`): each `f` its own digraph.
            for _ in 0..run {
                spelled.extend_from_slice(b"ph");
                spelled_runs.extend_from_slice(&[1, 1]);
            }
        } else {
            spelled.push(b);
            spelled_runs.push(run);
        }
    }
    Some((spelled, spelled_runs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(severity: Severity) -> CompiledTerm {
        CompiledTerm::for_test("x", severity)
    }

    #[test]
    fn every_f_is_written_ph() {
        let (bytes, runs) =
            ph_for_f(&term(Severity::Severe), b"mfucker", &[1, 1, 1, 1, 1, 1, 1]).unwrap();
        assert_eq!(bytes, b"mphucker");
        assert_eq!(runs.len(), bytes.len());
        assert!(ph_for_f(&term(Severity::Severe), b"fag", &[1, 1, 1]).is_none());
        assert!(ph_for_f(&term(Severity::Mild), b"fudge", &[1; 5]).is_none());
        assert!(ph_for_f(&term(Severity::Severe), b"cunt", &[1; 4]).is_none());
        let (bytes, _) = ph_for_f(&term(Severity::Moderate), b"snuf", &[1, 1, 1, 2]).unwrap();
        assert_eq!(bytes, b"snuphph", "a doubled f");
        let phrase = [b"hang".as_slice(), &[WORD_BREAK], b"yourself"].concat();
        let (bytes, _) = ph_for_f(&term(Severity::Severe), &phrase, &[1; 13]).unwrap();
        assert_eq!(&bytes[5..], b"yourselph", "a phrase");
    }
}
