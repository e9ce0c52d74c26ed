//! The upside-down reading: a word written turned (`ʞɔnɟ`, `ɹǝɓɓıu`), read
//! upright.
//!
//! The normaliser reads the turned letters upright and reverses the word
//! ([`Normalized`]'s flipped words, from `normalize/shapes.rs`); this
//! reading runs that upright word through the automaton. Invariant: it
//! reports only block terms that are the whole word but for a usual ending,
//! of three letters or more, masked as the whole word, since the reading
//! runs backwards through the word and no byte of it maps to one letter.

use std::ops::Range;

use super::spellings::Spellings;
use super::view::{Joined, MAX_JOINED};
use super::{CompiledTerm, TermHit};
#[cfg(doc)]
use crate::normalize::Normalized;

/// Reports the block terms that a word written upside down is, read
/// upright (`ɹǝɓɓıu`): the whole word but for a usual ending, of three
/// letters or more, and masked as the whole word.
pub(super) fn find(
    spellings: &Spellings,
    terms: &[CompiledTerm],
    word: Range<usize>,
    upright: &[u8],
    on_hit: &mut impl FnMut(TermHit),
) {
    if spellings.is_empty() || upright.len() > MAX_JOINED || word.is_empty() {
        return;
    }
    let mut joined = Joined::new(word.clone());
    for &b in upright {
        joined.push_repeating(b, word.start);
    }
    // The reading runs backwards through the word: every byte of it
    // stands for the whole word.
    for source in &mut joined.sources[..joined.len] {
        *source = (word.start as u32, word.end as u32 - 1);
    }
    let view = joined.view();
    let accept = |range: &Range<usize>, term: &CompiledTerm| {
        term.allow || (view.letters(range) >= 3 && view.is_word_but_ending(range))
    };
    spellings.find(terms, &view, &accept, on_hit);
}
