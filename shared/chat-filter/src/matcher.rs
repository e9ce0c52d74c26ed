//! Term matching: every list term, in every spelling the normaliser can
//! produce, in one Aho-Corasick automaton.
//!
//! Each term is normalised exactly as messages are. In normalised text it
//! may then appear in more than one spelling:
//!
//! * its `i`s and `l`s may each be the [`EITHER_I_OR_L`] byte (`sh1t`,
//!   `bu11`), since the normaliser cannot know which of the two a `1` meant
//!   (at most its first four, all that any but a rare term has);
//! * a word of four or more letters may have one or two inner letters
//!   self-censored ([`CENSORED`]: `f*ck`, `f**k`, `a**hole`, `as*hole`),
//!   or as many as the mark's run is long, up to its end before a usual
//!   ending (`f***ing`), unless an allowed word reads the same way.
//!
//! Neither kind of spelling is enumerated. The `i`/`l` spellings would
//! double the automaton and its build time, so the automaton holds each
//! term once, with `i`, `l` and [`EITHER_I_OR_L`] folded into one byte,
//! and runs over text folded the same way; each hit is then checked
//! against the real bytes. Terms that differ only in `i` against `l` share
//! one spelling. All terms, block and allow alike, go into that one
//! automaton, built once; a review is a single pass over the normalised
//! bytes. Self-censored spellings would outnumber all the others put
//! together, yet appear in few messages: around each [`CENSORED`] byte,
//! the text on either side is compared with the four-letter-or-longer
//! terms that start with the byte before it (bucketed by first byte). That
//! costs nothing at start-up and a few hundred short comparisons per mark.
//!
//! Each hit is then checked against the term's wildcard position (word
//! boundaries are single space bytes) and against the run lengths the term
//! spells: `ass` needs at least two `s`, so "as" is not a match, while
//! "fuuuck" matches `fuck`.

//! Some readings depend on the lists, so the normaliser leaves them to this
//! pass, which tries them only where they could matter:
//!
//! * **Joined pieces.** Two or three neighbouring words are read as one
//!   when a term matches across the join. Inside one token (`fu.ck`,
//!   `m.otherf.ucker`, `a-hole`) that is the usual meaning, so one short
//!   piece is enough; across spaces it rarely is ("pen is", "who re"), so
//!   one piece must be a fragment no word looks like and the term must be
//!   the whole joined word (`fu ck`, `f uc king`, `s hit`). Marks between
//!   two pieces (`f--k`, `f---ing`, `f[_]cker`) may instead hide one to as
//!   many letters as there are marks, and are compared like a censoring
//!   mark.
//! * **Marks beside spaces and word tails.** A censoring mark with a
//!   space beside it (`c *nt`, `c* nt`) joins a short first piece to the
//!   next one, and letter-like symbols trimmed from a word's end are read
//!   as its last letters (`sh!+`), each only when the term is the whole
//!   resulting word.
//! * **Letters that hide letters.** `x`, `@` and `$` are compared like a
//!   censoring mark hiding a vowel, `c` or `k` (`fuxk`, `dxck`, `fu@k`):
//!   never read unless a listed word results, and never a consonant such
//!   as the `n` that would make "boxer" read "boner".
//!
//! These passes work on stack buffers and run the one automaton over a few
//! short joined words, so a review still allocates nothing unless something
//! matches.

use std::collections::HashMap;
use std::ops::Range;

use rustc_hash::FxBuildHasher;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::error::{BuildError, ListError, ListErrorKind};
use crate::list::{Entry, Position, Severity};
use crate::normalize::{
    fold_i_or_l, Gap, Normalized, CENSORED, EITHER_I_OR_L, MAX_TAIL, WORD_BREAK,
};

/// The most `i`/`l` positions of one term that may be written as
/// [`EITHER_I_OR_L`]; a term with more (rare) matches leetspeak in its
/// first four only.
const MAX_WILDCARD_POSITIONS: usize = 4;

/// A term ready to match, with what a match of it means.
#[derive(Debug, Clone)]
pub struct CompiledTerm {
    /// The term as written in its list, with wildcards (`fuck*`).
    pub pattern: String,
    /// Where it may match.
    pub position: Position,
    /// How bad it is (allow-list terms: unused).
    pub severity: Severity,
    /// Its category, if any.
    pub category: Option<String>,
    /// Whether it comes from an allow-list.
    pub allow: bool,
    /// The list it came from.
    pub source: String,
    /// Its line in that list.
    pub line: usize,
}

/// One spelling's link back to its term, with the run lengths it needs.
#[derive(Debug, Clone)]
struct Target {
    term: u32,
    /// Minimum run length at each byte; empty when every byte needs one.
    runs: Box<[u8]>,
    /// The term's normalised bytes, to tell apart the `i`, `l` and
    /// [`EITHER_I_OR_L`] that the folded spelling does not; empty when it
    /// holds none of them.
    bytes: Box<[u8]>,
}

impl Target {
    fn new(term: u32, runs: &[u8], bytes: &[u8]) -> Target {
        Target {
            term,
            runs: if runs.iter().all(|&r| r <= 1) {
                Box::default()
            } else {
                runs.into()
            },
            bytes: if bytes.iter().all(|&b| fold_i_or_l(b) != EITHER_I_OR_L) {
                Box::default()
            } else {
                bytes.into()
            },
        }
    }

    /// A target for `term` that checks neither run lengths nor spelling: for
    /// readings whose letters were compared already.
    fn unchecked(term: u32) -> Target {
        Target {
            term,
            runs: Box::default(),
            bytes: Box::default(),
        }
    }

    /// Whether normalised `text`, which folds to the term's spelling, reads
    /// as the term: each `i` or `l` written as itself or, among the first
    /// [`MAX_WILDCARD_POSITIONS`], as [`EITHER_I_OR_L`].
    fn spelled_by(&self, text: &[u8]) -> bool {
        let mut wildcards = 0;
        self.bytes.iter().zip(text).all(|(&want, &have)| {
            if matches!(want, b'i' | b'l') {
                wildcards += 1;
                have == want || (have == EITHER_I_OR_L && wildcards <= MAX_WILDCARD_POSITIONS)
            } else {
                have == want
            }
        })
    }
}

/// A match of a term in normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit {
    /// Index into [`TermMatcher::terms`].
    pub term: usize,
    /// Bytes of the normalised text the term's spelling matched.
    pub range: Range<usize>,
    /// The whole words the match lies in: a prefix, suffix or anywhere
    /// match masks and reports its whole word ("fucking", not "fuck").
    pub words: Range<usize>,
}

/// All terms of a filter in one automaton.
#[derive(Debug, Clone)]
pub struct TermMatcher {
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, its range in `targets`.
    pattern_targets: Vec<Range<u32>>,
    targets: Vec<Target>,
    /// Terms that may be self-censored (single words of four or more
    /// letters), sorted by bytes.
    censorable: Vec<Censorable>,
    /// `censorable[by_first_byte[b]..by_first_byte[b + 1]]` start with `b`.
    by_first_byte: Box<[u32; 257]>,
    terms: Vec<CompiledTerm>,
}

/// A single-word term as normalised, compared with self-censored words.
#[derive(Debug, Clone)]
struct Censorable {
    term: u32,
    bytes: Box<[u8]>,
    runs: Box<[u8]>,
}

impl Censorable {
    /// The run length byte `i` needs (one past the term's end, for an
    /// ending's letters).
    fn run(&self, i: usize) -> u8 {
        self.runs.get(i).copied().unwrap_or(1)
    }
}

/// A term on its way into a [`TermMatcher`].
#[derive(Debug, Clone)]
pub struct TermSpec<'a> {
    /// The parsed list entry.
    pub entry: &'a Entry,
    /// The list's name.
    pub source: &'a str,
    /// The severity to use (the entry's own, or the list's default).
    pub severity: Severity,
    /// Whether it is an allow-list entry.
    pub allow: bool,
}

impl TermMatcher {
    /// Normalises every term and builds the automaton.
    pub fn build(specs: &[TermSpec<'_>]) -> Result<TermMatcher, BuildError> {
        let mut scratch = Normalized::default();
        // Every term's folded spelling, back to back in one buffer, so that
        // the automaton's patterns need no allocation of their own.
        let mut arena: Vec<u8> = Vec::new();
        let mut expanded: Vec<(Range<usize>, Target)> = Vec::new();
        let mut terms = Vec::with_capacity(specs.len());
        let mut censorable = Vec::new();

        for spec in specs {
            scratch.normalize(&spec.entry.term);
            let bytes = scratch.as_bytes().to_vec();
            let runs = scratch.run_lengths().to_vec();
            if !bytes
                .iter()
                .any(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
            {
                return Err(ListError {
                    list: spec.source.to_string(),
                    line: spec.entry.line,
                    kind: ListErrorKind::NothingToMatch(spec.entry.pattern()),
                }
                .into());
            }
            let term = terms.len() as u32;
            terms.push(CompiledTerm {
                pattern: spec.entry.pattern(),
                position: spec.entry.position,
                severity: spec.severity,
                category: spec.entry.category.clone(),
                allow: spec.allow,
                source: spec.source.to_string(),
                line: spec.entry.line,
            });
            let start = arena.len();
            arena.extend(bytes.iter().map(|&b| fold_i_or_l(b)));
            expanded.push((start..arena.len(), Target::new(term, &runs, &bytes)));
            if is_censorable(&bytes) {
                censorable.push(Censorable {
                    term,
                    bytes: bytes.into(),
                    runs: runs.into(),
                });
            }
        }

        let (order, pattern_targets, targets) = group_spellings(&arena, expanded);
        let automaton = if order.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    // Dense transitions for the start state only: with
                    // thousands of spellings, densifying the states a byte
                    // or two deeper costs more to build than it saves in
                    // a review (measured).
                    .dense_depth(1)
                    .build(&order)
                    .map_err(|e| BuildError::Automaton(e.to_string()))?,
            )
        };
        Ok(TermMatcher {
            automaton,
            pattern_targets,
            targets,
            by_first_byte: first_byte_offsets(&mut censorable),
            censorable,
            terms,
        })
    }

    /// The compiled terms, indexed by [`TermHit::term`].
    pub fn terms(&self) -> &[CompiledTerm] {
        &self.terms
    }

    /// How many (folded) spellings the automaton holds.
    pub fn spelling_count(&self) -> usize {
        self.pattern_targets.len()
    }

    /// How many terms self-censored words are compared with.
    pub fn censorable_term_count(&self) -> usize {
        self.censorable.len()
    }

    /// Calls `on_hit` for every term that matches `text`.
    pub fn find(&self, text: &Normalized, mut on_hit: impl FnMut(TermHit)) {
        let bytes = text.as_bytes();
        let whole = View::whole(text);
        self.find_spellings(&whole, &|_, _| true, &mut on_hit);
        if !text.gaps().is_empty() {
            self.find_joined(text, &mut on_hit);
        }
        for &(last, reading) in text.tails() {
            self.find_with_tail(text, last as usize, &reading, &mut on_hit);
        }
        for (word, upright) in text.flipped_words() {
            self.find_flipped(word, upright, &mut on_hit);
        }
        for &(last, marks) in text.censored_ends() {
            self.find_censored_end(text, last as usize, usize::from(marks), &mut on_hit);
        }
        if self.censorable.is_empty() {
            return;
        }
        let mut found: Vec<CensoredReading> = Vec::new();
        for (mark, _) in bytes.iter().enumerate().filter(|(_, &b)| b == CENSORED) {
            found.clear();
            let hiding = Hiding {
                min: 0,
                max: usize::from(text.run_length(mark)).max(2),
                endings: true,
                letters: None,
            };
            self.find_censored(&whole, mark, hiding, &mut found);
            self.report_censored(&whole, &found, &|_, _| true, &mut on_hit);
        }
        for &mark in text.letter_marks() {
            let mark = mark as usize;
            found.clear();
            let hiding = Hiding {
                min: 1,
                max: usize::from(text.run_length(mark)),
                endings: true,
                letters: Some(LETTERS_A_MARK_HIDES),
            };
            self.find_censored(&whole, mark, hiding, &mut found);
            self.report_censored(&whole, &found, &|_, _| true, &mut on_hit);
        }
    }

    /// The censorable terms that start with `prefix` (not empty): one run of
    /// the first byte's bucket, since the terms are sorted by bytes.
    fn censorable_starting_with(&self, prefix: &[u8]) -> &[Censorable] {
        let first = usize::from(prefix[0]);
        let bucket = &self.censorable
            [self.by_first_byte[first] as usize..self.by_first_byte[first + 1] as usize];
        let from = bucket.partition_point(|c| &c.bytes[..] < prefix);
        let run = bucket[from..].partition_point(|c| c.bytes.starts_with(prefix));
        &bucket[from..from + run]
    }

    /// Runs the automaton over `view` and reports the terms whose spellings
    /// it finds there, if `accept` takes them.
    fn find_spellings(
        &self,
        view: &View<'_>,
        accept: &dyn Fn(&Range<usize>, &CompiledTerm) -> bool,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        for m in automaton.find_overlapping_iter(view.folded) {
            let range = &self.pattern_targets[m.pattern().as_usize()];
            let targets = &self.targets[range.start as usize..range.end as usize];
            self.check(view, m.start()..m.end(), targets, accept, on_hit);
        }
    }

    /// Reports the censored readings in `found`, except block readings of a
    /// stretch of text that an allowed word reads the same way (ambiguous).
    /// A reading that needs a usual ending ranks below one that does not:
    /// `ni**ers` is read as the listed word, not as "nigglers".
    fn report_censored(
        &self,
        view: &View<'_>,
        found: &[CensoredReading],
        accept: &dyn Fn(&Range<usize>, &CompiledTerm) -> bool,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        for reading in found {
            let allow = self.terms[reading.term].allow;
            let shadowed = found.iter().any(|other| {
                other.range == reading.range
                    && self.terms[other.term].allow != allow
                    && if allow {
                        // A listed word read without an ending outranks
                        // an allowed one that needs it.
                        reading.ending && !other.ending
                    } else {
                        !other.ending || reading.ending
                    }
            });
            if !shadowed {
                let target = Target::unchecked(reading.term as u32);
                self.check(
                    view,
                    reading.range.clone(),
                    std::slice::from_ref(&target),
                    accept,
                    on_hit,
                );
            }
        }
    }

    /// Reads the symbols trimmed from the end of the word ending at byte
    /// `last` as its last letters (`sh!+`), and reports the block terms that
    /// are then the whole word, of three letters or more. The symbols are
    /// not in the normalised text, so the match covers the word's letters.
    fn find_with_tail(
        &self,
        text: &Normalized,
        last: usize,
        reading: &[u8],
        on_hit: &mut impl FnMut(TermHit),
    ) {
        if self.automaton.is_none() {
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
        self.find_spellings(&view, &accept, on_hit);
    }

    /// Reports the block terms that a word written upside down is, read
    /// upright (`ɹǝɓɓıu`): the whole word but for a usual ending, of three
    /// letters or more, and masked as the whole word.
    fn find_flipped(&self, word: Range<usize>, upright: &[u8], on_hit: &mut impl FnMut(TermHit)) {
        if self.automaton.is_none() || upright.len() > MAX_JOINED || word.is_empty() {
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
        self.find_spellings(&view, &accept, on_hit);
    }

    /// Reads the censoring marks after the word ending at byte `last` as
    /// the end of a term, hiding exactly as many letters as there are marks
    /// (`motherf*****`, `mother******`). The visible part must be four
    /// letters or more and the whole term's start, and no allowed word may
    /// read the same way, so that `f***` and `hell***` stay unread.
    fn find_censored_end(
        &self,
        text: &Normalized,
        last: usize,
        marks: usize,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let bytes = text.as_bytes();
        let start = word_start(bytes, last);
        let visible = &bytes[start..=last];
        if visible.len() < 4 || !visible.iter().all(u8::is_ascii_lowercase) {
            return;
        }
        let hides_the_rest = |c: &&Censorable| {
            let hidden: usize = (visible.len()..c.bytes.len())
                .map(|i| usize::from(c.run(i)))
                .sum();
            hidden == marks && (0..visible.len()).all(|i| text.run_length(start + i) >= c.run(i))
        };
        let readings = self
            .censorable_starting_with(visible)
            .iter()
            .filter(hides_the_rest);
        if readings.clone().any(|c| self.terms[c.term as usize].allow) {
            return;
        }
        for reading in readings {
            on_hit(TermHit {
                term: reading.term as usize,
                range: start..last + 1,
                words: start..last + 1,
            });
        }
    }

    /// Reads neighbouring words as pieces of one (`fu.ck`, `fu ck`, `f--k`)
    /// and reports the terms a joined reading holds across the join.
    ///
    /// Joining is decided per window of two or three neighbouring words, so
    /// it never needs to know the lists in the normaliser, and a joined
    /// reading only counts when it matches a term: "co-op" and "e-mail"
    /// join into nothing. Words split by spaces are ordinary text far more
    /// often than disguises, so those windows are held to stricter rules
    /// ([`space_window_may_join`]).
    fn find_joined(&self, text: &Normalized, on_hit: &mut impl FnMut(TermHit)) {
        let bytes = text.as_bytes();
        let gaps = text.gaps();
        // The last three words, oldest first, and the gaps between them.
        let mut window: [Range<usize>; 3] = [0..0, 0..0, 0..0];
        // Whether each of them could be a spaced fragment
        // ([`is_vowelless_fragment`]), worked out once per word.
        let mut fragment = [false; 3];
        let mut start = 0;
        for (index, word_end) in text
            .word_breaks()
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
                let hiding = Hiding {
                    min: 1,
                    max: usize::from(*count),
                    endings: true,
                    letters: None,
                };
                self.find_hidden_between(text, first, second, words, hiding, true, on_hit);
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
            self.find_spellings(&view, &accept, on_hit);
        }
        // Marks between two pieces may stand for the letters they hide
        // (`f--k`, `f---ing`, `f'ck`, `f[_]cker`): one to as many letters as
        // there are marks.
        if let ([first, second], [Gap::Marks { count, .. }]) = (pieces, gaps) {
            let hiding = Hiding {
                min: 1,
                max: usize::from(*count),
                endings: true,
                letters: None,
            };
            self.find_hidden_between(text, first, second, words, hiding, false, on_hit);
        }
    }

    /// Reads the gap between the words `first` and `second` as a mark that
    /// hides letters, and reports the censorable terms that reading holds;
    /// with `whole`, only a term that is the whole joined word but for a
    /// usual ending.
    #[allow(clippy::too_many_arguments)]
    fn find_hidden_between(
        &self,
        text: &Normalized,
        first: &Range<usize>,
        second: &Range<usize>,
        words: Range<usize>,
        hiding: Hiding,
        whole: bool,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        if self.censorable.is_empty() {
            return;
        }
        let mut joined = Joined::new(words);
        joined.push_piece(text, first.clone(), false);
        let mark = joined.len;
        joined.push_mark(first.end);
        joined.push_piece(text, second.clone(), false);
        let view = joined.view();
        let mut found = Vec::new();
        self.find_censored(&view, mark, hiding, &mut found);
        let accept =
            |range: &Range<usize>, _: &CompiledTerm| !whole || view.is_word_but_ending(range);
        self.report_censored(&view, &found, &accept, on_hit);
    }

    /// Collects the censorable terms the text around the mark at `mark` can
    /// be read as: the text before the mark starts the term, the text after
    /// it ends it, and the mark hides as many inner letters as `hiding`
    /// allows, or one copy of a doubled letter (`as*hole`). With
    /// `hiding.endings`, the mark may also hide the end of a term followed
    /// by a usual ending (`f***ing`, `f---ers`). Run lengths are checked
    /// here; word positions by the caller.
    fn find_censored(
        &self,
        view: &View<'_>,
        mark: usize,
        hiding: Hiding,
        found: &mut Vec<CensoredReading>,
    ) {
        let bytes = view.bytes;
        let runs = view.runs;
        let word_end = word_end(bytes, mark);
        for start in word_start(bytes, mark)..mark {
            let left = &bytes[start..mark];
            let left_has_either = left.contains(&EITHER_I_OR_L);
            let firsts: &[u8] = match bytes[start] {
                EITHER_I_OR_L => b"il",
                _ => std::slice::from_ref(&bytes[start]),
            };
            for &first in firsts {
                // A wildcard in `left` rules out the binary search: compare
                // every term that starts with the first letter.
                let candidates = if left_has_either {
                    self.censorable_starting_with(&[first])
                } else {
                    self.censorable_starting_with(left)
                };
                for candidate in candidates {
                    let term = &candidate.bytes;
                    if term.len() <= left.len() {
                        continue;
                    }
                    let prefix = &term[..left.len()];
                    if !(prefix == left || (left_has_either && reads_as(left, prefix))) {
                        continue;
                    }
                    // An ending needs the mark to reach the term's end.
                    let endings: &[&[u8]] = if hiding.endings
                        && term.len() - left.len() <= hiding.max
                        && !self.terms[candidate.term as usize].position.anchored_end()
                    {
                        ENDINGS
                    } else {
                        &[]
                    };
                    for ending in std::iter::once(&b""[..]).chain(endings.iter().copied()) {
                        let full = Spelled {
                            term: candidate,
                            ending,
                        };
                        self.match_hidden(bytes, runs, start, mark, word_end, &full, hiding, found);
                    }
                }
            }
        }
    }

    /// Matches `full` (a term, perhaps with an ending) around the mark at
    /// `mark`, with every allowed number of hidden letters.
    #[allow(clippy::too_many_arguments)]
    fn match_hidden(
        &self,
        bytes: &[u8],
        runs: &[u8],
        start: usize,
        mark: usize,
        word_end: usize,
        full: &Spelled<'_>,
        hiding: Hiding,
        found: &mut Vec<CensoredReading>,
    ) {
        let left_len = mark - start;
        let term = &full.term.bytes;
        let full_len = full.len();
        let doubled_before = full.run(left_len - 1) >= 2;
        let doubled_after = full.run(left_len) >= 2;
        for hidden in hiding.min..=hiding.max {
            let right_start = left_len + hidden;
            // The last letter is always kept.
            if right_start >= full_len {
                break;
            }
            // An ending is only read when the mark hides the term's end.
            if !full.ending.is_empty() && right_start < term.len() {
                continue;
            }
            // With nothing hidden, the mark stands for one copy of a
            // doubled letter beside it.
            if hidden == 0 && !(doubled_before || doubled_after) {
                continue;
            }
            if let Some(letters) = hiding.letters {
                if !(left_len..right_start).all(|i| letters.contains(&full.byte(i))) {
                    continue;
                }
            }
            let right_len = full_len - right_start;
            let end = mark + 1 + right_len;
            if end > word_end
                || !(0..right_len)
                    .all(|i| reads_as_byte(bytes[mark + 1 + i], full.byte(right_start + i)))
            {
                continue;
            }
            let kept_needs = (0..left_len)
                .chain(right_start..full_len)
                .map(|i| full.run(i));
            let kept_has = runs[start..mark].iter().chain(&runs[mark + 1..end]);
            let runs_ok = kept_has
                .zip(kept_needs)
                .enumerate()
                .all(|(i, (has, need))| {
                    // The doubled letter beside the mark shows one copy.
                    let beside = hidden == 0
                        && ((doubled_before && i + 1 == left_len)
                            || (!doubled_before && i == left_len));
                    *has >= if beside { 1 } else { need }
                });
            if runs_ok {
                found.push(CensoredReading {
                    term: full.term.term as usize,
                    range: start..end,
                    ending: !full.ending.is_empty(),
                });
            }
        }
    }

    /// Reports each of `targets` whose position and run lengths fit the
    /// spelling found at `found` in `view`, and that `accept` takes.
    fn check(
        &self,
        view: &View<'_>,
        found: Range<usize>,
        targets: &[Target],
        accept: &dyn Fn(&Range<usize>, &CompiledTerm) -> bool,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let bytes = view.bytes;
        let runs = view.runs;
        let (start, end) = (found.start, found.end);
        let starts_word = start == 0 || bytes[start - 1] == WORD_BREAK;
        let ends_word = end == bytes.len() || bytes[end] == WORD_BREAK;
        for target in targets {
            if !target.spelled_by(&bytes[start..end]) {
                continue;
            }
            let term = &self.terms[target.term as usize];
            if (term.position.anchored_start() && !starts_word)
                || (term.position.anchored_end() && !ends_word)
            {
                continue;
            }
            let runs_ok = target
                .runs
                .iter()
                .zip(&runs[start..end])
                .all(|(need, have)| have >= need);
            if !runs_ok || !accept(&found, term) {
                continue;
            }
            let (range, words) = match &view.joined {
                Some(origin) => (
                    origin.sources[start].0 as usize..origin.sources[end - 1].1 as usize + 1,
                    origin.words.clone(),
                ),
                None => (start..end, word_start(bytes, start)..word_end(bytes, end)),
            };
            on_hit(TermHit {
                term: target.term as usize,
                range,
                words,
            });
        }
    }
}

/// Merges equal spellings (`arena[range]` for each of `expanded`): the
/// distinct spellings in order of first appearance, and for each its range
/// of the targets, which keep the order they were expanded in.
fn group_spellings(
    arena: &[u8],
    expanded: Vec<(Range<usize>, Target)>,
) -> (Vec<&[u8]>, Vec<Range<u32>>, Vec<Target>) {
    let mut index: HashMap<&[u8], u32, FxBuildHasher> =
        HashMap::with_capacity_and_hasher(expanded.len(), FxBuildHasher);
    let mut order: Vec<&[u8]> = Vec::new();
    let slots: Vec<u32> = expanded
        .iter()
        .map(|(range, _)| {
            let spelling = &arena[range.clone()];
            *index.entry(spelling).or_insert_with(|| {
                order.push(spelling);
                order.len() as u32 - 1
            })
        })
        .collect();
    // A counting sort by spelling, stable so that targets keep their order.
    let mut starts = vec![0u32; order.len() + 1];
    for &slot in &slots {
        starts[slot as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let pattern_targets = starts.windows(2).map(|w| w[0]..w[1]).collect();
    let mut targets = vec![Target::unchecked(0); expanded.len()];
    for (slot, (_, target)) in slots.into_iter().zip(expanded) {
        let next = &mut starts[slot as usize];
        targets[*next as usize] = target;
        *next += 1;
    }
    (order, pattern_targets, targets)
}

/// Whether a normalised term is a single word of four or more letters, the
/// only terms whose self-censored spellings are unambiguous enough to match.
fn is_censorable(bytes: &[u8]) -> bool {
    bytes.len() >= 4
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b == EITHER_I_OR_L)
}

/// Sorts `censorable` (by bytes, so that the terms sharing a prefix are one
/// run) and returns where each first byte's run starts (with a final end
/// entry).
fn first_byte_offsets(censorable: &mut [Censorable]) -> Box<[u32; 257]> {
    censorable.sort_by(|a, b| a.bytes.cmp(&b.bytes));
    let mut offsets = Box::new([0u32; 257]);
    for c in censorable.iter() {
        offsets[usize::from(c.bytes[0]) + 1] += 1;
    }
    for b in 1..257 {
        offsets[b] += offsets[b - 1];
    }
    offsets
}

/// The most bytes a joined reading of neighbouring words may hold.
const MAX_JOINED: usize = 40;

/// Endings a mark may stand beside once it hides the end of a term
/// (`f---ing`, `f***ers`, `f__kin`).
const ENDINGS: &[&[u8]] = &[b"s", b"es", b"ed", b"er", b"ers", b"in", b"ing", b"ings"];

/// The letters a letter used as a mark (`x`, `@`, `$`) may hide: vowels and
/// the `c` and `k` of `fuxk` and `bitxh`. Keeping to these is what stops
/// "boxer" reading as "boner".
const LETTERS_A_MARK_HIDES: &[u8] = b"aeiouck";

/// The commonest English words of one to three letters, as normalised
/// (repeats collapsed: "all" is `al`, "too" is `to`), sorted. Words split by
/// spaces are only joined when at least one piece is not one of these, so
/// "pen is", "is hit" and "an al" stay apart.
const COMMON_WORDS: &[&[u8]] = &[
    b"a", b"ad", b"ado", b"ago", b"ah", b"aha", b"aid", b"aim", b"air", b"al", b"am", b"an",
    b"and", b"ant", b"any", b"ape", b"apt", b"arc", b"are", b"ark", b"arm", b"art", b"as", b"ash",
    b"ask", b"at", b"ate", b"aw", b"awe", b"ax", b"axe", b"aye", b"bad", b"bag", b"ban", b"bar",
    b"bat", b"bay", b"bc", b"be", b"bed", b"beg", b"bet", b"bf", b"bi", b"bib", b"bid", b"big",
    b"bin", b"bit", b"bo", b"bob", b"bog", b"bop", b"bow", b"box", b"boy", b"bra", b"brb", b"bro",
    b"btw", b"bud", b"bug", b"bum", b"bun", b"bus", b"but", b"buy", b"by", b"bye", b"can", b"cap",
    b"car", b"cat", b"cm", b"co", b"cod", b"cog", b"con", b"cop", b"cot", b"cow", b"coy", b"cry",
    b"cu", b"cub", b"cud", b"cue", b"cup", b"cur", b"cut", b"da", b"dab", b"dad", b"dam", b"day",
    b"de", b"den", b"dew", b"did", b"die", b"dig", b"dim", b"din", b"dip", b"dm", b"do", b"doe",
    b"dog", b"don", b"dot", b"dr", b"dry", b"dub", b"due", b"dug", b"duh", b"duo", b"dye", b"e",
    b"ear", b"eat", b"eg", b"ego", b"eh", b"el", b"elf", b"elk", b"elm", b"em", b"emu", b"end",
    b"eon", b"er", b"era", b"ere", b"erm", b"eve", b"ewe", b"ex", b"eye", b"fad", b"fan", b"far",
    b"fat", b"fax", b"fe", b"fed", b"few", b"fib", b"fig", b"fin", b"fir", b"fit", b"fix", b"flu",
    b"fly", b"fob", b"foe", b"fog", b"for", b"fox", b"fro", b"fry", b"fun", b"fur", b"g", b"gab",
    b"gag", b"gal", b"gap", b"gas", b"gel", b"gem", b"get", b"gf", b"gig", b"gin", b"go", b"god",
    b"got", b"gum", b"gun", b"gut", b"guy", b"gym", b"ha", b"had", b"hag", b"ham", b"has", b"hat",
    b"hay", b"he", b"hem", b"hen", b"her", b"hew", b"hey", b"hi", b"hid", b"him", b"hip", b"his",
    b"hit", b"hm", b"ho", b"hob", b"hog", b"hop", b"hot", b"how", b"hr", b"hub", b"hue", b"hug",
    b"huh", b"hum", b"hut", b"i", b"ice", b"icy", b"id", b"if", b"il", b"ilk", b"im", b"imp",
    b"in", b"ink", b"ion", b"ire", b"irk", b"is", b"it", b"its", b"ivy", b"jab", b"jam", b"jar",
    b"jaw", b"jay", b"jet", b"jig", b"jk", b"job", b"jog", b"jot", b"joy", b"jug", b"keg", b"key",
    b"kg", b"kid", b"kin", b"kit", b"km", b"lab", b"lad", b"lag", b"lap", b"law", b"lay", b"le",
    b"led", b"leg", b"let", b"lid", b"lie", b"lip", b"lit", b"lmk", b"lo", b"lob", b"log", b"lol",
    b"lot", b"low", b"m", b"ma", b"mad", b"man", b"map", b"mar", b"mat", b"maw", b"may", b"me",
    b"men", b"met", b"mid", b"mix", b"mob", b"mod", b"mom", b"mop", b"mow", b"mr", b"ms", b"mu",
    b"mud", b"mug", b"mum", b"my", b"nab", b"nag", b"nah", b"nan", b"nap", b"nay", b"nd", b"net",
    b"new", b"ngl", b"nib", b"nil", b"nip", b"nit", b"no", b"nod", b"nor", b"not", b"now", b"nu",
    b"nun", b"nut", b"nvm", b"o", b"oaf", b"oak", b"oar", b"oat", b"od", b"ode", b"of", b"oft",
    b"oh", b"oil", b"ok", b"old", b"on", b"one", b"opt", b"or", b"orb", b"ore", b"our", b"out",
    b"ova", b"owe", b"owl", b"own", b"ox", b"pa", b"pad", b"pal", b"pan", b"pap", b"par", b"pat",
    b"paw", b"pay", b"pc", b"pea", b"peg", b"pen", b"pep", b"per", b"pet", b"pew", b"pi", b"pie",
    b"pig", b"pin", b"pit", b"pl", b"pls", b"ply", b"plz", b"pm", b"pod", b"pop", b"pot", b"pow",
    b"pro", b"pry", b"pub", b"pug", b"pun", b"pup", b"pus", b"put", b"rag", b"ram", b"ran", b"rap",
    b"rat", b"raw", b"ray", b"rd", b"red", b"rem", b"rep", b"rib", b"rid", b"rig", b"rim", b"rip",
    b"rn", b"rob", b"rod", b"roe", b"rot", b"row", b"rub", b"rug", b"rum", b"run", b"rut", b"rye",
    b"sac", b"sad", b"sag", b"sap", b"sat", b"saw", b"say", b"se", b"sea", b"set", b"sew", b"she",
    b"shy", b"sin", b"sip", b"sir", b"sis", b"sit", b"six", b"ski", b"sky", b"sly", b"smh", b"so",
    b"sob", b"sod", b"son", b"sop", b"sow", b"soy", b"spa", b"spy", b"st", b"sty", b"sub", b"sue",
    b"sum", b"sun", b"sup", b"tab", b"tad", b"tag", b"tan", b"tap", b"tar", b"tax", b"tbh", b"te",
    b"tea", b"ted", b"ten", b"th", b"the", b"thx", b"thy", b"tic", b"tie", b"tin", b"tip", b"to",
    b"toe", b"ton", b"top", b"tot", b"tow", b"toy", b"try", b"tub", b"tug", b"tv", b"two", b"u",
    b"uh", b"up", b"ur", b"us", b"use", b"van", b"vat", b"vet", b"via", b"vie", b"vow", b"vs",
    b"wad", b"wag", b"war", b"was", b"wax", b"way", b"we", b"web", b"wed", b"wet", b"who", b"why",
    b"wig", b"win", b"wit", b"wo", b"woe", b"wok", b"won", b"wow", b"wtf", b"y", b"ya", b"yak",
    b"yam", b"yap", b"yaw", b"ye", b"yea", b"yen", b"yes", b"yet", b"yew", b"yo", b"you", b"yum",
    b"zap", b"zen", b"zip", b"zo",
];

/// A word of one to three lowercase letters as a number below 27³ (each
/// letter one base-27 digit from 1), unique per word; `None` for others.
const fn common_key(word: &[u8]) -> Option<usize> {
    if word.is_empty() || word.len() > 3 {
        return None;
    }
    let mut key = 0;
    let mut i = 0;
    while i < word.len() {
        let b = word[i];
        if !b.is_ascii_lowercase() {
            return None;
        }
        key = key * 27 + (b - b'a' + 1) as usize;
        i += 1;
    }
    Some(key)
}

/// [`COMMON_WORDS`] as a bitset over [`common_key`], for O(1) look-ups.
static COMMON_BITS: [u64; 27 * 27 * 27 / 64 + 1] = {
    let mut bits = [0u64; 27 * 27 * 27 / 64 + 1];
    let mut i = 0;
    while i < COMMON_WORDS.len() {
        match common_key(COMMON_WORDS[i]) {
            Some(key) => bits[key / 64] |= 1 << (key % 64),
            None => panic!("COMMON_WORDS holds one to three lowercase letters"),
        }
        i += 1;
    }
    bits
};

/// Whether `word` is one of [`COMMON_WORDS`].
fn is_common_word(word: &[u8]) -> bool {
    common_key(word).is_some_and(|key| COMMON_BITS[key / 64] & (1 << (key % 64)) != 0)
}

/// Whether `word` is lowercase letters with no vowel and not a common word:
/// a fragment, if it is a single letter or a spaced window's last piece.
fn is_vowelless_fragment(word: &[u8]) -> bool {
    word.iter()
        .all(|&b| b.is_ascii_lowercase() && !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y'))
        && !is_common_word(word)
}

/// A cheap test that [`TermMatcher::find_in_window`] may read the window
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

/// Whether normalised text bytes read as term bytes, where the byte for
/// `1`, `!` and `|` reads as `i` or `l`.
fn reads_as(text: &[u8], term: &[u8]) -> bool {
    text.len() == term.len() && text.iter().zip(term).all(|(&t, &u)| reads_as_byte(t, u))
}

fn reads_as_byte(text: u8, term: u8) -> bool {
    let either = |a: u8, b: u8| a == EITHER_I_OR_L && matches!(b, b'i' | b'l');
    text == term || either(text, term) || either(term, text)
}

/// How many letters a mark may hide, and which.
#[derive(Debug, Clone, Copy)]
struct Hiding {
    /// Fewest hidden letters; 0 lets the mark be one copy of a doubled
    /// letter beside it (`as*hole`).
    min: usize,
    /// Most hidden letters.
    max: usize,
    /// Whether the mark may hide a term's end before a usual ending.
    endings: bool,
    /// The only letters it may hide, if restricted.
    letters: Option<&'static [u8]>,
}

/// A reading of a self-censored stretch of text as a term.
#[derive(Debug, Clone)]
struct CensoredReading {
    term: usize,
    /// The normalised bytes read.
    range: Range<usize>,
    /// Whether the reading adds a usual ending to the term (`f***ing`).
    ending: bool,
}

/// A censorable term followed by an ending (perhaps none), read byte by
/// byte without building it.
struct Spelled<'a> {
    term: &'a Censorable,
    ending: &'a [u8],
}

impl Spelled<'_> {
    fn len(&self) -> usize {
        self.term.bytes.len() + self.ending.len()
    }

    fn byte(&self, i: usize) -> u8 {
        let n = self.term.bytes.len();
        if i < n {
            self.term.bytes[i]
        } else {
            self.ending[i - n]
        }
    }

    fn run(&self, i: usize) -> u8 {
        self.term.run(i)
    }
}

/// Normalised bytes to match in: a whole message, or a joined reading of
/// neighbouring words.
struct View<'a> {
    bytes: &'a [u8],
    /// `bytes` through [`fold_i_or_l`], for the automaton.
    folded: &'a [u8],
    runs: &'a [u8],
    /// For a joined reading: where its bytes came from.
    joined: Option<JoinedOrigin<'a>>,
}

/// Where the bytes of a joined reading came from in the message.
struct JoinedOrigin<'a> {
    /// The first and last message byte behind each joined byte.
    sources: &'a [(u32, u32)],
    /// The message's words the reading spans.
    words: Range<usize>,
}

impl<'a> View<'a> {
    fn whole(text: &'a Normalized) -> View<'a> {
        View {
            bytes: text.as_bytes(),
            folded: text.folded_bytes(),
            runs: text.run_lengths(),
            joined: None,
        }
    }

    /// How many letters the bytes `range` stand for, repeats counted.
    fn letters(&self, range: &Range<usize>) -> usize {
        self.runs[range.clone()]
            .iter()
            .map(|&r| usize::from(r))
            .sum()
    }

    /// Whether `range` is the whole view but for a usual ending
    /// (`f uc king`, `f***ers`).
    fn is_word_but_ending(&self, range: &Range<usize>) -> bool {
        range.start == 0
            && (range.end == self.bytes.len() || ENDINGS.contains(&&self.bytes[range.end..]))
    }
}

/// Where the word holding byte `at` of normalised `bytes` starts.
fn word_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at]
        .iter()
        .rposition(|&b| b == WORD_BREAK)
        .map_or(0, |i| i + 1)
}

/// Where the word holding byte `at` of normalised `bytes` ends (its break,
/// or the end of the text).
fn word_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == WORD_BREAK)
        .map_or(bytes.len(), |i| at + i)
}

/// Neighbouring words read as one, on the stack.
struct Joined {
    bytes: [u8; MAX_JOINED],
    folded: [u8; MAX_JOINED],
    runs: [u8; MAX_JOINED],
    sources: [(u32, u32); MAX_JOINED],
    len: usize,
    words: Range<usize>,
    /// How many pieces it holds.
    pieces: usize,
    /// For each join: where the piece before it ends and the piece after
    /// it starts (one byte earlier when a repeated letter merged).
    seams: [(usize, usize); 2],
}

impl Joined {
    fn new(words: Range<usize>) -> Joined {
        Joined {
            bytes: [0; MAX_JOINED],
            folded: [0; MAX_JOINED],
            runs: [0; MAX_JOINED],
            sources: [(0, 0); MAX_JOINED],
            len: 0,
            words,
            pieces: 0,
            seams: [(0, 0); 2],
        }
    }

    /// Appends the message bytes `piece`; with `merge`, a letter repeating
    /// the one before the join collapses into it (`sh hit`).
    fn push_piece(&mut self, text: &Normalized, piece: Range<usize>, merge: bool) {
        let starts_at = self.len;
        let mut seam = (self.len, self.len);
        for i in piece {
            let (b, run) = (text.as_bytes()[i], text.run_length(i));
            if merge && self.len == starts_at && self.len > 0 && self.bytes[self.len - 1] == b {
                let last = self.len - 1;
                self.runs[last] = self.runs[last].saturating_add(run);
                self.sources[last].1 = i as u32;
                seam.1 = last;
                continue;
            }
            self.push(b, run, i);
        }
        if let Some(slot) = self
            .pieces
            .checked_sub(1)
            .and_then(|at| self.seams.get_mut(at))
        {
            *slot = seam;
        }
        self.pieces += 1;
    }

    /// Appends `b`, read from message byte `source`, as one more copy of
    /// the last byte if it repeats it.
    fn push_repeating(&mut self, b: u8, source: usize) {
        if self.len > 0 && self.bytes[self.len - 1] == b {
            self.runs[self.len - 1] = self.runs[self.len - 1].saturating_add(1);
        } else {
            self.push(b, 1, source);
        }
    }

    /// Appends a mark standing for the gap at message byte `at`.
    fn push_mark(&mut self, at: usize) {
        self.push(CENSORED, 1, at);
    }

    fn push(&mut self, b: u8, run: u8, source: usize) {
        if self.len < MAX_JOINED {
            self.bytes[self.len] = b;
            self.folded[self.len] = fold_i_or_l(b);
            self.runs[self.len] = run;
            self.sources[self.len] = (source as u32, source as u32);
            self.len += 1;
        }
    }

    fn view(&self) -> View<'_> {
        View {
            bytes: &self.bytes[..self.len],
            folded: &self.folded[..self.len],
            runs: &self.runs[..self.len],
            joined: Some(JoinedOrigin {
                sources: &self.sources[..self.len],
                words: self.words.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_spellings_read_each_i_or_l_either_way() {
        let lil = Target::new(0, &[1, 1, 1], b"lil");
        for text in [&b"lil"[..], b"!i!", b"!!!", b"li!"] {
            assert!(lil.spelled_by(text), "{text:?}");
        }
        for text in [&b"iil"[..], b"lli", b"!l!"] {
            assert!(!lil.spelled_by(text), "{text:?}");
        }
        // Only the first four may be the wildcard.
        let long = Target::new(0, &[1; 5], b"lilil");
        assert!(long.spelled_by(b"!!!!l"));
        assert!(!long.spelled_by(b"!!!!!"));
        // A wildcard in the term reads only as itself.
        assert!(Target::new(0, &[1, 1], b"a!").spelled_by(b"a!"));
        assert!(!Target::new(0, &[1, 1], b"a!").spelled_by(b"al"));
    }

    #[test]
    fn common_word_bitset_agrees_with_the_list() {
        let mut word = Vec::new();
        for len in 0..=4 {
            for n in 0..28usize.pow(len) {
                word.clear();
                let mut n = n;
                for _ in 0..len {
                    word.push(b"abcdefghijklmnopqrstuvwxyz!*"[n % 28]);
                    n /= 28;
                }
                assert_eq!(
                    is_common_word(&word),
                    COMMON_WORDS.binary_search(&&word[..]).is_ok(),
                    "{word:?}"
                );
            }
        }
    }
}
