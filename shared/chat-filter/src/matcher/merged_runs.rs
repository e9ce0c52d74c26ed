//! Merged runs: a term's `i` beside an `l` (`kill`, `clit`, `dildo`),
//! both written with the same letter (`klll`, `cllt`, `k!11`), is one run
//! in the normalised text.
//!
//! The normaliser collapses a run of one byte into that byte and its length
//! (`fuuuck` is `f`, `u`×3, `c`, `k`), which is what lets one spelling of a
//! term match any number of repeats. But when `l` is written for `i`, or
//! `1` and `!` for both (the wildcard [`EITHER_I_OR_L`]), the two letters
//! become one byte repeated, so `klll` is `k`, `l`×3, and no spelling of
//! `kill` (`k`, `i`, `l`×2) is that long. The folded automaton
//! (`super::spellings`) cannot see it either: it folds bytes one for one.
//! So a term whose bytes hold such a chain (adjacent `i`/`l` positions; they
//! alternate, since the term's own runs are collapsed too) gets a second
//! spelling with the chain as one [`MERGED_I_AND_L`] position, needing a run
//! as long as the chain's letters together. Collapsing a chain in the text
//! instead would shift every later byte for the sake of a few terms.
//!
//! Invariant: a moderate or severe block term, of at least
//! [`MIN_LETTERS`] normalised bytes, with at least one such chain has
//! exactly one merged spelling, every chain merged. A merged position reads
//! only as `l` (the `l`-for-`i` respelling, with its stricter checks) or as
//! the wildcard, never as `i` (`kiiil` is not a chain written alike) and
//! never as a look-alike of another letter.
//!
//! Only whole chains merge: a chain written with `l` and the wildcard mixed
//! (`ll1` for `ili`) is not read; it takes two disguises at once and would
//! need a spelling for each way to split a chain.
//!
//! Measured (disguise matrix, `tests/matrix.rs`): `l-for-i` 78.1 → 91.4 %,
//! `leetspeak` 88.9 → 92.1 %, `leet+repeats` 89.5 → 92.5 %,
//! `leet+separators` 85.1 → 88.2 % (the matrix 91.56 → 91.97 %), with no
//! harmless item or development-set line more flagged. The cost is in
//! `docs/performance.md` ("sixth round").
//!
//! [`EITHER_I_OR_L`]: crate::normalize::EITHER_I_OR_L

use std::ops::Range;

use super::CompiledTerm;
use crate::list::Severity;

/// The byte a merged chain of `i`s and `l`s stands as in a spelling's
/// [`Target`](super::spellings::Target) bytes. It is never a normalised
/// byte; `Target::spelled_by` reads it first.
pub(super) const MERGED_I_AND_L: u8 = b'I';

/// The fewest normalised bytes a term needs for a merged spelling: `lil`
/// merged is one byte, and `kil` would read every `kl`.
pub(super) const MIN_LETTERS: usize = 4;

/// The positions of a term's normalised `bytes`, each maximal stretch of
/// adjacent `i`/`l` positions (a chain) as one range and every other
/// position alone, in order.
pub(super) fn chains(bytes: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let is_chain_letter = |b: &u8| matches!(b, b'i' | b'l');
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at;
        let first = bytes.get(start)?;
        at += 1;
        if is_chain_letter(first) {
            at += bytes[at..]
                .iter()
                .take_while(|b| is_chain_letter(b))
                .count();
        }
        Some(start..at)
    })
}

/// How many letters `runs` stand for, all told.
pub(super) fn letters(runs: &[u8]) -> u32 {
    runs.iter().map(|&r| u32::from(r)).sum()
}

/// A merged spelling: its bytes (chains as [`MERGED_I_AND_L`]), the run each
/// position needs, and how many positions the merging took away.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Merged {
    pub(super) bytes: Vec<u8>,
    pub(super) runs: Vec<u8>,
    pub(super) removed: u8,
}

/// The merged spelling of `term` (its normalised `bytes` and `runs`), or
/// `None` when it has no chain or does not qualify.
pub(super) fn merge_i_and_l(term: &CompiledTerm, bytes: &[u8], runs: &[u8]) -> Option<Merged> {
    if term.allow || term.severity < Severity::Moderate || bytes.len() < MIN_LETTERS {
        return None;
    }
    if !chains(bytes).any(|chain| chain.len() > 1) {
        return None;
    }
    let mut merged = Merged {
        bytes: Vec::with_capacity(bytes.len()),
        runs: Vec::with_capacity(bytes.len()),
        removed: 0,
    };
    for chain in chains(bytes) {
        if chain.len() > 1 {
            merged.bytes.push(MERGED_I_AND_L);
            merged
                .runs
                .push(u8::try_from(letters(&runs[chain.clone()])).unwrap_or(u8::MAX));
            merged.removed = merged
                .removed
                .saturating_add(u8::try_from(chain.len() - 1).unwrap_or(u8::MAX));
        } else {
            merged.bytes.push(bytes[chain.start]);
            merged.runs.push(runs[chain.start]);
        }
    }
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(severity: Severity) -> CompiledTerm {
        CompiledTerm::for_test("x", severity)
    }

    #[test]
    fn each_chain_is_one_run_as_long_as_its_letters() {
        let kill = merge_i_and_l(
            &term(Severity::Severe),
            b"kil yourself",
            &[1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        )
        .unwrap();
        assert_eq!(&kill.bytes[..3], b"kI ");
        assert_eq!(&kill.runs[..2], &[1, 3], "i once and l twice");
        assert_eq!(kill.removed, 1);
        let cunnilingus = merge_i_and_l(
            &term(Severity::Moderate),
            b"cunilingus",
            &[1, 1, 2, 1, 1, 1, 1, 1, 1, 1],
        )
        .unwrap();
        assert_eq!(cunnilingus.bytes, b"cunIngus");
        assert_eq!(cunnilingus.runs[3], 3);
        assert_eq!(cunnilingus.removed, 2);
    }

    #[test]
    fn chains_are_maximal_stretches_of_i_and_l() {
        let ranges: Vec<_> = chains(b"cunilingus").collect();
        assert_eq!(ranges[3], 3..6);
        assert_eq!(ranges.len(), 8);
        assert!(chains(b"").next().is_none());
    }

    #[test]
    fn terms_without_a_chain_or_too_short_have_none() {
        assert!(merge_i_and_l(&term(Severity::Severe), b"shit", &[1; 4]).is_none());
        assert!(merge_i_and_l(&term(Severity::Severe), b"kil", &[1, 1, 2]).is_none());
        assert!(merge_i_and_l(&term(Severity::Mild), b"dildo", &[1; 5]).is_none());
    }
}
