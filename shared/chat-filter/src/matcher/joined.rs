//! The joined-words reading: words split into pieces (`fu.ck`, `f uc k`,
//! `f--k`, `c *nt`) and words whose last letters were written as symbols
//! (`sh!+`), read as one word.
//!
//! Whether two or three neighbouring words are one word in pieces depends
//! on the lists, so the normaliser only records what separated them (a
//! [`Gap`]) and this reading tries the joined word where it could matter:
//!
//! * **Inside one token** (`fu.ck`, `m.otherf.ucker`, `a-hole`) joining is
//!   the usual meaning, so one short piece is enough.
//! * **Across spaces** it rarely is ("pen is", "who re"), so one piece must
//!   be a fragment no word looks like ([`super::common_words`]) and the
//!   term must be the whole joined word (`fu ck`, `f uc king`, `s hit`).
//! * **Marks between two pieces** (`f--k`, `f---ing`, `f[_]cker`) may
//!   instead hide one to as many letters as there are marks, and are
//!   compared like a censoring mark ([`super::censored`]); so is a
//!   censoring mark with a space beside it (`c *nt`, `c* nt`), which joins
//!   a short first piece to the next one.
//! * **Word tails**: letter-like symbols trimmed from a word's end are read
//!   as its last letters (`sh!+`), only when the term is the whole word.
//!
//! Invariant: a joined reading counts only when a term's match uses a join
//! (or the tail), so "co-op" and "e-mail" join into nothing. Joined words
//! are built on the stack ([`Joined`], at most [`MAX_JOINED`] bytes) and run
//! through the one automaton, so a review still allocates nothing unless
//! something matches; [`window_may_join`] passes over the ordinary windows
//! of a message in a few comparisons each.

use std::ops::Range;

use super::censored::{report, CensorableTerms, Hiding};
use super::common_words::{is_common_word, is_vowelless_fragment};
use super::spellings::Spellings;
use super::view::{word_start, Joined, MAX_JOINED};
use super::{CompiledTerm, TermHit};
use crate::normalize::{Gap, Normalized, CENSORED, MAX_TAIL};

/// What the joined readings match against: the automaton for joined words,
/// the censorable terms for marks that hide letters between pieces.
#[derive(Clone, Copy)]
pub(super) struct JoinedWords<'m> {
    pub(super) terms: &'m [CompiledTerm],
    pub(super) spellings: &'m Spellings,
    pub(super) censorable: &'m CensorableTerms,
}

/// Two neighbouring words read as one, with the gap between them read as a
/// mark that hides letters.
struct MarkedJoin<'p> {
    first: &'p Range<usize>,
    second: &'p Range<usize>,
    hiding: Hiding,
    /// Whether the term must be the whole joined word but for a usual
    /// ending.
    whole: bool,
}

impl<'p> MarkedJoin<'p> {
    /// `first` and `second` with `marks` between them, which hide one to as
    /// many letters as there are marks, before a usual ending too.
    fn new(first: &'p Range<usize>, second: &'p Range<usize>, marks: u8, whole: bool) -> Self {
        let hiding = Hiding {
            min: 1,
            max: usize::from(marks),
            endings: true,
            letters: None,
        };
        MarkedJoin {
            first,
            second,
            hiding,
            whole,
        }
    }
}

impl JoinedWords<'_> {
    /// Reads neighbouring words as pieces of one (`fu.ck`, `fu ck`, `f--k`)
    /// and reports the terms a joined reading holds across the join.
    ///
    /// Joining is decided per window of two or three neighbouring words, so
    /// it never needs to know the lists in the normaliser, and a joined
    /// reading only counts when it matches a term: "co-op" and "e-mail"
    /// join into nothing. Words split by spaces are ordinary text far more
    /// often than disguises, so those windows are held to stricter rules
    /// ([`space_window_may_join`]).
    pub(super) fn find(&self, text: &Normalized, on_hit: &mut impl FnMut(TermHit)) {
        let bytes = text.as_bytes();
        let gaps = &text.gaps.between[..];
        // The last three words, oldest first, and the gaps between them.
        let mut window: [Range<usize>; 3] = [0..0, 0..0, 0..0];
        // Whether each of them could be a spaced fragment
        // ([`is_vowelless_fragment`]), worked out once per word.
        let mut fragment = [false; 3];
        let mut start = 0;
        for (index, word_end) in text
            .gaps
            .breaks
            .iter()
            .map(|&i| i as usize)
            .chain(std::iter::once(bytes.len()))
            .enumerate()
        {
            window.rotate_left(1);
            window[2] = start..word_end;
            fragment.rotate_left(1);
            fragment[2] = is_vowelless_fragment(&bytes[start..word_end]);
            start = word_end + 1;
            // A spaced window must hold whole tokens: in "it's hit" the `s`
            // belongs to "it".
            let attached =
                |gap: Option<&Gap>| matches!(gap, Some(Gap::Marks { .. } | Gap::Apostrophe));
            let after = gaps.get(index);
            if index >= 1 {
                let before = index.checked_sub(2).and_then(|i| gaps.get(i));
                let whole_tokens = !attached(before) && !attached(after);
                let window_gaps = &gaps[index - 1..index];
                if window_may_join(&window[1..], &fragment[1..], window_gaps, whole_tokens) {
                    self.find_in_window(text, &window[1..], window_gaps, whole_tokens, on_hit);
                }
            }
            if index >= 2 {
                let before = index.checked_sub(3).and_then(|i| gaps.get(i));
                let whole_tokens = !attached(before) && !attached(after);
                let window_gaps = &gaps[index - 2..index];
                if window_may_join(&window, &fragment, window_gaps, whole_tokens) {
                    self.find_in_window(text, &window, window_gaps, whole_tokens, on_hit);
                }
            }
        }
    }

    /// Tries the joined readings of the words `pieces`, separated by `gaps`.
    fn find_in_window(
        &self,
        text: &Normalized,
        pieces: &[Range<usize>],
        gaps: &[Gap],
        whole_tokens: bool,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let bytes = text.as_bytes();
        let words = pieces[0].start..pieces[pieces.len() - 1].end;
        if words.len() > MAX_JOINED || pieces.iter().any(|p| p.is_empty()) {
            return;
        }
        if let ([first, second], [Gap::SpacedMarks { count }]) = (pieces, gaps) {
            // `c *nt`, `c* nt`: a short first piece, both whole tokens of
            // letters, and the term the whole joined word but for an ending.
            let letters = |p: &Range<usize>| bytes[p.clone()].iter().all(u8::is_ascii_lowercase);
            if whole_tokens && first.len() <= 2 && letters(first) && letters(second) {
                let join = MarkedJoin::new(first, second, *count, true);
                self.find_hidden_between(text, &join, on_hit);
            }
            return;
        }
        let spaced = gaps.iter().all(|g| *g == Gap::Space);
        let marked = gaps.iter().all(|g| matches!(g, Gap::Marks { .. }));
        if spaced {
            if !whole_tokens || !space_window_may_join(text, pieces) {
                return;
            }
        } else if !marked
            || !pieces.iter().any(|p| p.len() <= 2)
            || pieces.iter().any(|p| bytes[p.clone()].contains(&CENSORED))
        {
            return;
        }
        let mut joined = Joined::new(words.clone());
        if spaced
            || gaps
                .iter()
                .all(|g| matches!(g, Gap::Marks { joins: true, .. }))
        {
            for piece in pieces {
                joined.push_piece(text, piece.clone(), true);
            }
            let view = joined.view();
            // The match must use a join. Across spaces it must be the whole
            // joined word but for a usual ending (`f uc king`, `wan k er`),
            // so that "bus hit" never reads `*shit` nor "t watch" `twat*`;
            // and a block term must spell four letters or more, so that
            // "a ss" is not `ass`.
            let accept = |range: &Range<usize>, term: &CompiledTerm| {
                let seams = &joined.seams[..joined.pieces - 1];
                let crosses = |&(before_end, after_start): &(usize, usize)| {
                    range.start < before_end && range.end > after_start
                };
                let uses_join = if spaced {
                    seams.first().is_some_and(crosses)
                } else {
                    seams.iter().any(crosses)
                };
                if !uses_join {
                    return false;
                }
                term.allow
                    || (view.letters(range) >= 4 && (!spaced || view.is_word_but_ending(range)))
            };
            self.spellings.find(self.terms, &view, &accept, on_hit);
        }
        // Marks between two pieces may stand for the letters they hide
        // (`f--k`, `f---ing`, `f'ck`, `f[_]cker`): one to as many letters as
        // there are marks.
        if let ([first, second], [Gap::Marks { count, .. }]) = (pieces, gaps) {
            let join = MarkedJoin::new(first, second, *count, false);
            self.find_hidden_between(text, &join, on_hit);
        }
    }

    /// Reads the gap between the words `join.first` and `join.second` as a
    /// mark that hides letters, and reports the censorable terms that
    /// reading holds; with `join.whole`, only a term that is the whole
    /// joined word but for a usual ending.
    fn find_hidden_between(
        &self,
        text: &Normalized,
        join: &MarkedJoin<'_>,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        if self.censorable.is_empty() {
            return;
        }
        let (first, second, whole) = (join.first, join.second, join.whole);
        let mut joined = Joined::new(first.start..second.end);
        joined.push_piece(text, first.clone(), false);
        let mark = joined.len;
        joined.push_mark(first.end);
        joined.push_piece(text, second.clone(), false);
        let view = joined.view();
        let mut found = Vec::new();
        self.censorable
            .find(self.terms, &view, mark, join.hiding, &mut found);
        let accept =
            |range: &Range<usize>, _: &CompiledTerm| !whole || view.is_word_but_ending(range);
        report(self.terms, &view, &found, &accept, on_hit);
    }

    /// Reads the symbols trimmed from the end of the word ending at byte
    /// `last` as its last letters (`sh!+`), and reports the block terms that
    /// are then the whole word, of three letters or more. The symbols are
    /// not in the normalised text, so the match covers the word's letters.
    pub(super) fn find_with_tail(
        &self,
        text: &Normalized,
        last: usize,
        reading: &[u8],
        on_hit: &mut impl FnMut(TermHit),
    ) {
        if self.spellings.is_empty() {
            return;
        }
        let start = word_start(text.as_bytes(), last);
        if last + 1 - start + MAX_TAIL > MAX_JOINED {
            return;
        }
        let mut joined = Joined::new(start..last + 1);
        joined.push_piece(text, start..last + 1, false);
        for &b in reading.iter().take_while(|&&b| b != 0) {
            joined.push_repeating(b, last);
        }
        let view = joined.view();
        let accept = |range: &Range<usize>, term: &CompiledTerm| {
            term.allow
                || (range.start == 0 && range.end == view.bytes.len() && view.letters(range) >= 3)
        };
        self.spellings.find(self.terms, &view, &accept, on_hit);
    }
}

/// A cheap test that [`JoinedWords::find_in_window`] may read the window
/// `pieces` (with `fragment` from [`is_vowelless_fragment`] for each) as
/// joined: false only for windows it would pass over, so that the ordinary
/// windows of a message cost a few comparisons each.
fn window_may_join(
    pieces: &[Range<usize>],
    fragment: &[bool],
    gaps: &[Gap],
    whole_tokens: bool,
) -> bool {
    if gaps.iter().all(|g| *g == Gap::Space) {
        let last = pieces.len() - 1;
        return whole_tokens
            && pieces
                .iter()
                .zip(fragment)
                .enumerate()
                .any(|(i, (p, &f))| f && (p.len() == 1 || i == last));
    }
    gaps.iter().all(|g| matches!(g, Gap::Marks { .. })) || matches!(gaps, [Gap::SpacedMarks { .. }])
}

/// Whether words split by spaces may be pieces of one word.
///
/// Ordinary pairs of words join into block terms far too often ("pen is",
/// "who re", "peer vs"), so every piece must be letters, and one piece must
/// be a fragment no word or abbreviation looks like: no vowel, not a common
/// word, and either a single letter or the last piece (`fu ck`, `f uck`,
/// `s hit`, `wan k er`). Two consonants before another piece read as the
/// start of a word too often ("sl ut", "sch long", "nz is"). Three pieces
/// need two that are not common words ("do u ch"), and no piece may be one
/// repeated letter ("tt wat", "ff king").
fn space_window_may_join(text: &Normalized, pieces: &[Range<usize>]) -> bool {
    let bytes = text.as_bytes();
    let words = || pieces.iter().map(|p| &bytes[p.clone()]);
    let common = is_common_word;
    // Cheapest and most selective first: almost every window of ordinary
    // text has no vowel-less fragment.
    let last = pieces.len() - 1;
    let is_fragment =
        |(i, word): (usize, &[u8])| (word.len() == 1 || i == last) && is_vowelless_fragment(word);
    if !words().enumerate().any(is_fragment) {
        return false;
    }
    if !words().all(|w| w.iter().all(u8::is_ascii_lowercase)) {
        return false;
    }
    if pieces
        .iter()
        .any(|p| p.len() == 1 && text.run_length(p.start) >= 2)
    {
        return false;
    }
    words().filter(|w| !common(w)).count() + 1 >= pieces.len()
}
