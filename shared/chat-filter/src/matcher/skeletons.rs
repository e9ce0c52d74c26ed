//! The skeleton reading: a word written without its inner vowels (`bstrd`,
//! `btch`, `nggr`, `mthrfckr`), read as the listed word whose consonants
//! it keeps.
//!
//! Dropping vowels is one of the oldest disguises, and no other reading
//! sees it: the automaton wants every letter, and a censoring mark at
//! least a mark. Writing every term's skeleton into the automaton would
//! add a pattern for most terms and a third to start-up, for words that
//! appear in few messages; so the skeletons are a hash table instead, built
//! at start-up in microseconds, and only words with no inner vowel are
//! looked up, most messages having none of four letters or more.
//!
//! Invariant: a word of the message whose bytes are lowercase letters,
//! with no vowel between its first and last letter, is read as every
//! moderate or severe single-word block term whose skeleton it is: the
//! term's first letter, its inner consonants in order, and its last letter
//! (repeats collapsed, as everywhere). A skeleton of two terms reads as
//! both. Hits go through the common check, so an allowed word that is
//! itself vowelless ("nymphs", not `nymphos`) cancels one as any allow
//! match does. Not every term has a skeleton, because English writes many
//! words without inner vowels:
//!
//! * a skeleton needs [`MIN_SKELETON`] letters, so `cunt` is not read in
//!   "cnt" (can't) nor `tits` in "tts" (text to speech), and is never a
//!   common short word;
//! * one of exactly [`MIN_SKELETON`] letters drops one vowel only: `btch`,
//!   but not `natsoc` in "NTSC";
//! * a term that starts with a vowel has none: "asks" is not `asskiss`,
//!   "Ashlee" not `asshole`.
//!
//! Measured (disguise matrix): `dropped-vowels` from 2.9 % to 34.4 %;
//! `false_positives.txt` unchanged, one more harmless item of 241,492.
//! Most misses left are the class's skeletons of three letters (`fck`,
//! `sht`, `dck`), which chat uses as often for other words.

use std::collections::HashMap;
use std::ops::Range;

use rustc_hash::FxBuildHasher;

use super::common_words::is_common_word;
use super::spellings::{check, Target};
use super::view::View;
use super::{CompiledTerm, TermHit};
use crate::list::Severity;
use crate::normalize::{Normalized, WORD_BREAK};

/// The fewest letters a skeleton may have: three-letter skeletons are
/// chat's own abbreviations ("tts", "cnt", "bbs", "hmo") too often.
const MIN_SKELETON: usize = 4;

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// `word` without the vowels between its first and last letter.
fn skeleton_of(word: &[u8]) -> Vec<u8> {
    let last = word.len() - 1;
    word.iter()
        .enumerate()
        .filter(|&(i, &b)| i == 0 || i == last || !is_vowel(b))
        .map(|(_, &b)| b)
        .collect()
}

/// The skeletons of the terms that have one, each with its terms.
#[derive(Debug, Clone, Default)]
pub(super) struct Skeletons {
    terms: HashMap<Box<[u8]>, Vec<u32>, FxBuildHasher>,
}

impl Skeletons {
    /// Adds the skeleton of `term` (its normalised `bytes`), if it has one.
    pub(super) fn add(&mut self, index: u32, term: &CompiledTerm, bytes: &[u8]) {
        if term.allow
            || term.severity < Severity::Moderate
            || bytes.len() < MIN_SKELETON
            || !bytes.iter().all(u8::is_ascii_lowercase)
            || is_vowel(bytes[0])
        {
            return;
        }
        let skeleton = skeleton_of(bytes);
        let dropped = bytes.len() - skeleton.len();
        if skeleton.len() < MIN_SKELETON
            || dropped == 0
            || (skeleton.len() == MIN_SKELETON && dropped > 1)
            || is_common_word(&skeleton)
        {
            return;
        }
        let entry = self.terms.entry(skeleton.into_boxed_slice()).or_default();
        if !entry.contains(&index) {
            entry.push(index);
        }
    }

    /// How many skeletons there are.
    pub(super) fn len(&self) -> usize {
        self.terms.len()
    }

    /// Reports the terms whose skeleton is a word of `text`.
    pub(super) fn find(
        &self,
        terms: &[CompiledTerm],
        text: &Normalized,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        if self.terms.is_empty() {
            return;
        }
        let bytes = text.as_bytes();
        let view = View::whole(text);
        let mut start = 0;
        for word in bytes.split(|&b| b == WORD_BREAK) {
            let range = start..start + word.len();
            start = range.end + 1;
            // Most words have a vowel among their first inner letters, so
            // that test comes before the one that reads every byte.
            if word.len() >= MIN_SKELETON
                && !word[1..word.len() - 1].iter().any(|&b| is_vowel(b))
                && word.iter().all(u8::is_ascii_lowercase)
            {
                self.report(terms, &view, range, on_hit);
            }
        }
    }

    fn report(
        &self,
        terms: &[CompiledTerm],
        view: &View<'_>,
        word: Range<usize>,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let Some(found) = self.terms.get(&view.bytes[word.clone()]) else {
            return;
        };
        for &term in found {
            let target = Target::unchecked(term);
            check(
                terms,
                view,
                word.clone(),
                std::slice::from_ref(&target),
                &|_, _| true,
                on_hit,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skeleton_keeps_the_first_and_last_letters_and_the_inner_consonants() {
        assert_eq!(skeleton_of(b"bastard"), b"bstrd");
        assert_eq!(
            skeleton_of(b"ashole"),
            b"ashle",
            "normalised: repeats collapsed"
        );
        assert_eq!(skeleton_of(b"motherfucker"), b"mthrfckr");
    }
}
