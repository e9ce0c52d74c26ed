//! The vowel-frame reading: words written with their vowels hidden behind
//! marks (`b*st*rd`, `m*th*rf*ck*r`, `n*gg*r`, `t~ss~r`, `c%ckm%ng%r`,
//! `f#q`), read as the terms whose consonants they show.
//!
//! The censored reading ([`super::censored`]) reads one mark at a time: the
//! text before it must start a term and the text after it end it, so a
//! second mark in the same word (`b*st*rd`) leaves nothing to compare, and
//! it only reads terms of four letters or more. Writers who hide every
//! vowel show the word's frame instead, and a frame is unambiguous enough
//! to read whole: every visible letter is the term's own, and every mark
//! stands for exactly one vowel.
//!
//! A frame is one token: a word and its neighbours joined to it by marks
//! inside the token (`t~ss~r`, `f-ck`, `f?k`), each gap read as as many
//! hidden letters as it has marks, with the censoring marks inside words
//! (`*`, `#`, `%`, `^`, `&`) and against its edges (`*ss`, `stf*`, the
//! normaliser's `EdgeMarks`) read the same way, one letter per mark.
//!
//! A single mark that splits words (`.`, `-`, `_`, `~`) may instead stand
//! between two letters and hide nothing (`sod_omy`, `cockwe-asel`): one
//! break inserted into a word, read as such when the word without it
//! spells a term of four letters or more. A censoring mark never is:
//! `c*unty` is "county" with a vowel hidden far more often than `cunty`
//! with a star inserted (measured: reading `*` so flagged 100 more items
//! of the harmless matrix, 0.34 -> 0.38 %).
//!
//! A token of consonants and single censoring marks (`n*z*s`, `r#p#r`) is
//! a frame too: the normaliser no longer reads it as letters spelled out
//! (as it does `f*u*c*k`, which shows a vowel), and the censored reading
//! leaves a word with several marks and no vowel shown to this one, so
//! that "step" written `s*t*p` is not `shit*`. Measured: `vowels-censored`
//! 80.3 → 83.3 %, `censor-symbols` 73.1 → 74.9 %, the disguise matrix
//! 91.46 → 91.56 %, and the harmless matrix 783 → 687 items flagged
//! (0.32 → 0.28 %), nearly all of them vowel-censored harmless words the
//! censored reading had read as prefix terms (`*m*r*c*` as `mfer*`).
//!
//! Invariant: a frame reads as a term only when every hidden letter is a
//! vowel (`a`, `e`, `i`, `o`, `u` or `y`), at least two letters are shown
//! (three when a joiner is among the marks: `T_T` is an emoticon) and no
//! fewer than are hidden, the term is a single word of three letters
//! or more, and the term's position holds on the token (a whole-word term
//! is the whole token). Allowed words are read the same way, and an
//! allowed word with the same frame over the same bytes shadows the listed
//! one; frames never report an allowed word themselves, so a frame cannot
//! cancel a listed word read plainly elsewhere in its token. Messages without a mark pay one scan
//! of their bytes and gaps.

use std::ops::Range;

use super::first_byte::FirstByteBuckets;
use super::view::MAX_JOINED;
use super::{CompiledTerm, TermHit};
use crate::normalize::{is_vowel, Gap, Normalized, CENSORED, EITHER_I_OR_L};

/// The frame byte for marks between two pieces of a token that split words
/// (`.`, `-`, `_`, `~`): they hide a vowel or separate two letters, while
/// [`CENSORED`] marks only hide.
const JOINER: u8 = b'-';

/// Whether a frame byte is a mark.
const fn is_mark(b: u8) -> bool {
    b == CENSORED || b == JOINER
}

/// A single-word term as normalised, compared with frames.
#[derive(Debug, Clone)]
pub(super) struct Framed {
    term: u32,
    bytes: Box<[u8]>,
    runs: Box<[u8]>,
}

/// The terms frames are compared with, sorted by bytes and bucketed by
/// first byte.
#[derive(Debug, Clone, Default)]
pub(super) struct FramedTerms {
    terms: Vec<Framed>,
    by_first_byte: FirstByteBuckets,
}

impl Framed {
    /// The framable form of term `term`, normalised as `bytes` with run
    /// lengths `runs`, if it is one: a single word of three letters or more
    /// with a vowel to hide.
    pub(super) fn new(term: u32, bytes: &[u8], runs: &[u8]) -> Option<Framed> {
        let framable = bytes.len() >= 3
            && bytes.len() <= MAX_JOINED
            && bytes
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b == EITHER_I_OR_L)
            && bytes.iter().any(|&b| is_vowel(b));
        framable.then(|| Framed {
            term,
            bytes: bytes.into(),
            runs: runs.into(),
        })
    }
}

impl FramedTerms {
    /// The framable terms, in term order.
    pub(super) fn new(mut terms: Vec<Framed>) -> FramedTerms {
        // Terms arrive in term order: breaking ties by term gives the order
        // a stable sort would, without the stable sort's buffer.
        terms.sort_unstable_by(|a, b| a.bytes.cmp(&b.bytes).then(a.term.cmp(&b.term)));
        let by_first_byte = FirstByteBuckets::new(terms.iter().map(|t| t.bytes[0]));
        FramedTerms {
            terms,
            by_first_byte,
        }
    }

    fn starting_with(&self, first: u8) -> &[Framed] {
        &self.terms[self.by_first_byte.range(first)]
    }

    /// Reports every term a token of `text` reads as once its marks are
    /// read as hidden vowels.
    pub(super) fn find(
        &self,
        terms: &[CompiledTerm],
        text: &Normalized,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let bytes = text.as_bytes();
        let gaps = &text.gaps.between[..];
        let inner_gap = |g: &Gap| matches!(g, Gap::Marks { .. });
        let marked = bytes.contains(&CENSORED)
            || !text.edge_marks.words.is_empty()
            || gaps.iter().any(inner_gap);
        if self.terms.is_empty() || !marked {
            return;
        }
        let breaks = &text.gaps.breaks[..];
        let mut token_start_word = 0;
        let word_count = breaks.len() + 1;
        let bounds = WordBounds {
            breaks,
            len: bytes.len(),
        };
        for w in 0..word_count {
            let joined_to_next = gaps.get(w).is_some_and(inner_gap);
            if joined_to_next {
                continue;
            }
            let words = token_start_word..w + 1;
            token_start_word = w + 1;
            if let Some(frame) = Frame::of(text, &bounds, gaps, words.clone()) {
                let span = bounds.start(words.start)..bounds.end(words.end - 1);
                self.find_in(terms, &frame, span, on_hit);
            }
        }
    }

    fn find_in(
        &self,
        terms: &[CompiledTerm],
        frame: &Frame,
        span: Range<usize>,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let n = frame.len;
        // Readings start at the token's start, or at a letter beside a
        // mark (`m*th*rf*ck*r`): any other start reads what the automaton
        // already read, and trying every start costs a comparison per
        // candidate term and byte.
        let beside_mark = |i: usize| {
            (i > 0 && is_mark(frame.bytes[i - 1])) || (i + 1 < n && is_mark(frame.bytes[i + 1]))
        };
        for start in (0..n).filter(|&i| i == 0 || beside_mark(i)) {
            let first = frame.bytes[start];
            let firsts: &[u8] = match first {
                CENSORED | JOINER => b"aeiouy",
                EITHER_I_OR_L => b"il",
                b if b.is_ascii_lowercase() => std::slice::from_ref(&frame.bytes[start]),
                _ => continue,
            };
            // Readings from this start: listed ones, and where allowed
            // ones end, which shadow a listed reading of the same bytes.
            let mut listed = [(0u32, 0usize); 16];
            let mut allowed = [0usize; 16];
            let (mut nl, mut na) = (0, 0);
            for &f in firsts {
                for candidate in self.starting_with(f) {
                    let term = &terms[candidate.term as usize];
                    if start > 0 && term.position.anchored_start() {
                        continue;
                    }
                    // A separating mark is read only across the whole
                    // token (`sod_omy`), never inside a longer one.
                    let read = frame.read(start, candidate, Marks::HideVowels).or_else(|| {
                        frame
                            .read(start, candidate, Marks::Separate)
                            .filter(|&end| start == 0 && end == n)
                    });
                    let Some(end) = read else {
                        continue;
                    };
                    if end < n && term.position.anchored_end() {
                        continue;
                    }
                    if term.allow && na < allowed.len() {
                        allowed[na] = end;
                        na += 1;
                    } else if !term.allow && nl < listed.len() {
                        listed[nl] = (candidate.term, end);
                        nl += 1;
                    }
                }
            }
            for &(term, end) in &listed[..nl] {
                if allowed[..na].contains(&end) {
                    continue;
                }
                let range = frame.sources[start].0..frame.sources[end - 1].1 + 1;
                on_hit(TermHit {
                    term: term as usize,
                    range,
                    words: span.clone(),
                });
            }
        }
    }
}

/// Where each word of a normalised message starts and ends.
struct WordBounds<'a> {
    breaks: &'a [u32],
    len: usize,
}

impl WordBounds<'_> {
    fn start(&self, word: usize) -> usize {
        word.checked_sub(1)
            .map_or(0, |w| self.breaks[w] as usize + 1)
    }

    fn end(&self, word: usize) -> usize {
        self.breaks.get(word).map_or(self.len, |&b| b as usize)
    }
}

/// One token's bytes with its inner gaps as marks, on the stack.
struct Frame {
    bytes: [u8; MAX_JOINED],
    runs: [u8; MAX_JOINED],
    /// The first and last message byte behind each frame byte.
    sources: [(usize, usize); MAX_JOINED],
    len: usize,
}

impl Frame {
    /// The frame of the token made of message words `words`, if it holds a
    /// mark and fits.
    fn of(
        text: &Normalized,
        bounds: &WordBounds<'_>,
        gaps: &[Gap],
        words: Range<usize>,
    ) -> Option<Frame> {
        let bytes = text.as_bytes();
        let edges = (
            text.edge_marks.of(words.start).map_or(0, |m| m.before),
            text.edge_marks.of(words.end - 1).map_or(0, |m| m.after),
        );
        // Most tokens of a marked message hold no mark of their own: they
        // are passed over before a frame (728 bytes, zeroed, then copied
        // out) is built. A token of several words is joined by marks.
        let span = bounds.start(words.start)..bounds.end(words.end - 1);
        if edges == (0, 0) && words.len() == 1 && !bytes[span].contains(&CENSORED) {
            return None;
        }
        let mut frame = Frame {
            bytes: [0; MAX_JOINED],
            runs: [0; MAX_JOINED],
            sources: [(0, 0); MAX_JOINED],
            len: 0,
        };
        let mut marks = false;
        if edges.0 > 0 {
            let at = bounds.start(words.start);
            frame.push(CENSORED, edges.0, (at, at))?;
            marks = true;
        }
        for w in words.clone() {
            if w > words.start {
                let Gap::Marks { count, joins } = gaps[w - 1] else {
                    return None;
                };
                let at = bounds.start(w) - 1;
                frame.push(if joins { JOINER } else { CENSORED }, count, (at, at))?;
                marks = true;
            }
            let word = bounds.start(w)..bounds.end(w);
            for (i, &b) in word.clone().zip(&bytes[word]) {
                marks |= b == CENSORED;
                frame.push(b, text.run_length(i), (i, i))?;
            }
        }
        if edges.1 > 0 {
            let at = bounds.end(words.end - 1) - 1;
            frame.push(CENSORED, edges.1, (at, at))?;
            marks = true;
        }
        marks.then_some(frame)
    }

    fn push(&mut self, b: u8, run: u8, source: (usize, usize)) -> Option<()> {
        if self.len == MAX_JOINED {
            return None;
        }
        if self.len > 0 && self.bytes[self.len - 1] == b && is_mark(b) {
            let last = self.len - 1;
            self.runs[last] = self.runs[last].saturating_add(run);
            self.sources[last].1 = source.1;
            return Some(());
        }
        self.bytes[self.len] = b;
        self.runs[self.len] = run;
        self.sources[self.len] = source;
        self.len += 1;
        Some(())
    }

    /// Reads `term` from frame byte `start`: every shown letter the term's
    /// own (repeats allowed), every mark one hidden vowel. Returns the
    /// frame byte after the reading, when the term ends on a byte boundary,
    /// at least one letter was hidden, and at least two letters, and no
    /// fewer than were hidden, are shown.
    fn read(&self, start: usize, term: &Framed, mode: Marks) -> Option<usize> {
        let (t, r) = (&term.bytes, &term.runs);
        let mut ti = 0;
        let mut left = usize::from(r[0]);
        let (mut shown, mut hidden, mut skipped) = (0usize, 0usize, 0usize);
        let mut fi = start;
        while ti < t.len() {
            if fi == self.len {
                return None;
            }
            let (b, run) = (self.bytes[fi], usize::from(self.runs[fi]));
            if b == CENSORED && mode == Marks::Separate {
                return None;
            } else if b == JOINER && mode == Marks::Separate {
                skipped += run;
            } else if is_mark(b) {
                for _ in 0..run {
                    if ti == t.len() || !is_vowel(t[ti]) {
                        return None;
                    }
                    hidden += 1;
                    left -= 1;
                    if left == 0 {
                        ti += 1;
                        left = r.get(ti).map_or(0, |&x| usize::from(x));
                    }
                }
            } else {
                let reads = b == t[ti]
                    || (b == EITHER_I_OR_L && matches!(t[ti], b'i' | b'l'))
                    || (t[ti] == EITHER_I_OR_L && matches!(b, b'i' | b'l'));
                if !reads {
                    return None;
                }
                shown += 1;
                if run >= left {
                    ti += 1;
                    left = r.get(ti).map_or(0, |&x| usize::from(x));
                } else {
                    // The rest of this letter's run must be hidden next,
                    // or follow the separating mark (`nig*ga`).
                    left -= run;
                    if !self.bytes.get(fi + 1).is_some_and(|&b| is_mark(b)) || fi + 1 >= self.len {
                        return None;
                    }
                }
            }
            fi += 1;
        }
        let ok = match mode {
            // Two letters around a joiner are an emoticon (`T_T`, `o-o`).
            Marks::HideVowels => {
                hidden > 0
                    && shown >= 2
                    && shown >= hidden
                    && (shown > 2 || !self.bytes[start..fi].contains(&JOINER))
            }
            Marks::Separate => skipped == 1 && t.len() >= 4,
        };
        ok.then_some(fi)
    }
}

/// How a frame's marks are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marks {
    /// Each mark hides one vowel (`b*st*rd`).
    HideVowels,
    /// A single mark that splits words separates two letters and hides
    /// nothing (`sod_omy`, `cockwe-asel`, `nig.ga`), in a term of four
    /// letters or more. Not a censoring mark: `c*unty` is "county".
    Separate,
}
