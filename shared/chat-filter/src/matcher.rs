//! Term matching: every list term, in every reading of a message the
//! normaliser leaves open, found in one Aho-Corasick automaton.
//!
//! Each term is normalised exactly as messages are, and the normalised
//! message is then read several ways, one file each:
//!
//! * [`spellings`]: the automaton over every term's spelling, with `i`, `l`
//!   and the either-letter byte folded into one (`sh1t`, `bu11`), and the
//!   checks every hit of every reading passes (wildcard position, run
//!   lengths: `ass` needs two `s`, while "fuuuck" matches `fuck`);
//! * [`censored`]: marks that hide letters (`f*ck`, `a**hole`,
//!   `motherf*****`, `fuxk`), compared with the single-word terms of four
//!   letters or more instead of being enumerated;
//! * [`joined`]: words split into pieces (`fu.ck`, `f uc k`, `f--k`,
//!   `c *nt`) and symbols trimmed from a word's end (`sh!+`), joined only
//!   where a listed word results; [`common_words`] is the table that keeps
//!   "pen is" and "who re" apart;
//! * [`flipped`]: words written upside down (`ɹǝɓɓıu`), read upright;
//! * [`inflections`]: severe whole-word terms with a plural or verb
//!   ending (`trannys`, `spics`, `retarded`), checked where a hit would
//!   otherwise fail to end its word;
//! * [`digraphs`]: a second automaton spelling for terms with an `f`,
//!   written `ph` (`phuck`);
//! * [`skeletons`]: words written without their inner vowels (`bstrd`,
//!   `btch`), looked up in a table of the terms' skeletons.
//!
//! [`view`] holds what they all match in: the whole message, or a few of
//! its words joined on the stack.
//!
//! Invariant: every term, block and allow alike, is in the one automaton,
//! built once; a review is a single pass over the normalised bytes, plus
//! the readings above only where the normaliser recorded a hint for them
//! (a gap between words, a tail, a turned word, a mark), so an ordinary
//! message pays for the automaton pass and little else, and a review
//! allocates nothing unless something matches. Each reading borrows only
//! the parts of the [`TermMatcher`] it needs.

mod censored;
mod common_words;
mod digraphs;
mod first_byte;
mod flipped;
mod frames;
mod glued;
mod inflections;
mod joined;
mod merged_runs;
mod skeletons;
mod spellings;
mod view;

use std::ops::Range;

use crate::error::{BuildError, ListError, ListErrorKind};
use crate::list::{Entry, Position, Severity};
use crate::normalize::{fold_look_alikes, Normalized};
use censored::{Censorable, CensorableTerms};
use frames::{Framed, FramedTerms};
use joined::JoinedWords;
use merged_runs::MERGED_I_AND_L;
use skeletons::Skeletons;
use spellings::{Spellings, Target};
use view::View;

/// A term ready to match, with what a match of it means.
#[derive(Debug, Clone)]
pub(crate) struct CompiledTerm {
    /// The term as written in its list, with wildcards (`fuck*`).
    pub(crate) pattern: String,
    /// Where it may match.
    pub(crate) position: Position,
    /// How bad it is (allow-list terms: unused).
    pub(crate) severity: Severity,
    /// Its category, if any.
    pub(crate) category: Option<String>,
    /// Whether it comes from an allow-list.
    pub(crate) allow: bool,
    /// The list it came from.
    pub(crate) source: String,
    /// Its line in that list.
    pub(crate) line: usize,
}

#[cfg(test)]
impl CompiledTerm {
    /// A whole-word block term, for the readings' unit tests.
    pub(crate) fn for_test(pattern: &str, severity: Severity) -> CompiledTerm {
        CompiledTerm {
            pattern: pattern.to_string(),
            position: Position::Whole,
            severity,
            category: None,
            allow: false,
            source: "test".to_string(),
            line: 1,
        }
    }
}

/// A match of a term in normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TermHit {
    /// Index into [`TermMatcher::terms`].
    pub(crate) term: usize,
    /// Bytes of the normalised text the term's spelling matched.
    pub(crate) range: Range<usize>,
    /// The whole words the match lies in: a prefix, suffix or anywhere
    /// match masks and reports its whole word ("fucking", not "fuck").
    pub(crate) words: Range<usize>,
}

/// A term on its way into a [`TermMatcher`].
#[derive(Debug, Clone)]
pub(crate) struct TermSpec<'a> {
    /// The parsed list entry.
    pub(crate) entry: &'a Entry,
    /// The list's name.
    pub(crate) source: &'a str,
    /// The severity to use (the entry's own, or the list's default).
    pub(crate) severity: Severity,
    /// Whether it is an allow-list entry.
    pub(crate) allow: bool,
    /// The term already normalised ([`NormalizedTerm::of`]), for the
    /// built-in lists, which are normalised once per process; `None` to
    /// normalise it here.
    pub(crate) normalized: Option<&'a NormalizedTerm>,
}

/// A term's normalised bytes and minimum run lengths, as the build reads
/// them from [`Normalized`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NormalizedTerm {
    bytes: Box<[u8]>,
    runs: Box<[u8]>,
}

impl NormalizedTerm {
    /// `entry`'s term normalised; `None` when it holds nothing to match
    /// (which the build reports as an error).
    pub(crate) fn of(scratch: &mut Normalized, entry: &Entry) -> Option<NormalizedTerm> {
        scratch.normalize(&entry.term);
        scratch.can_match().then(|| NormalizedTerm {
            bytes: scratch.as_bytes().into(),
            runs: scratch.run_lengths().into(),
        })
    }
}

/// All terms of a filter, ready for every reading.
#[derive(Debug, Clone)]
pub(crate) struct TermMatcher {
    spellings: Spellings,
    censorable: CensorableTerms,
    framed: FramedTerms,
    glue_index: glued::GlueIndex,
    skeletons: Skeletons,
    terms: Vec<CompiledTerm>,
}

impl TermMatcher {
    /// Normalises every term and builds the automaton.
    pub(crate) fn build(specs: &[TermSpec<'_>]) -> Result<TermMatcher, BuildError> {
        let mut scratch = Normalized::default();
        // Every term's folded spelling, back to back in one buffer, so that
        // the automaton's patterns need no allocation of their own.
        let mut arena: Vec<u8> = Vec::new();
        let mut expanded: Vec<(Range<usize>, Target)> = Vec::new();
        let mut terms = Vec::with_capacity(specs.len());
        let mut censorable = Vec::new();
        let mut framable = Vec::new();
        let mut glue_index = glued::GlueIndex::default();
        let mut skeletons = Skeletons::default();

        for spec in specs {
            let (bytes, runs) = match spec.normalized {
                Some(term) => (&term.bytes[..], &term.runs[..]),
                None => {
                    scratch.normalize(&spec.entry.term);
                    if !scratch.can_match() {
                        return Err(ListError {
                            list: spec.source.to_string(),
                            line: spec.entry.line,
                            kind: ListErrorKind::NothingToMatch(spec.entry.pattern()),
                        }
                        .into());
                    }
                    (scratch.as_bytes(), scratch.run_lengths())
                }
            };
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
            arena.extend(bytes.iter().map(|&b| fold_look_alikes(b)));
            expanded.push((start..arena.len(), Target::new(term, runs, bytes)));
            if let Some(compiled) = terms.last() {
                if let Some((spelled, spelled_runs)) = digraphs::ph_for_f(compiled, bytes, runs) {
                    let start = arena.len();
                    arena.extend(spelled.iter().map(|&b| fold_look_alikes(b)));
                    expanded.push((
                        start..arena.len(),
                        Target::new(term, &spelled_runs, &spelled),
                    ));
                }
                if let Some(merged) = merged_runs::merge_i_and_l(compiled, bytes, runs) {
                    let start = arena.len();
                    arena.extend(merged.bytes.iter().map(|&b| match b {
                        MERGED_I_AND_L => fold_look_alikes(b'l'),
                        b => fold_look_alikes(b),
                    }));
                    expanded.push((start..arena.len(), Target::merged(term, &merged)));
                }
            }
            censorable.extend(Censorable::new(term, bytes, runs, spec.allow));
            framable.extend(Framed::new(term, bytes, runs));
            if let Some(compiled) = terms.last() {
                glue_index.add(compiled, bytes);
                skeletons.add(term, compiled, bytes);
            }
        }

        Ok(TermMatcher {
            spellings: Spellings::build(&arena, expanded)?,
            censorable: CensorableTerms::new(censorable),
            framed: FramedTerms::new(framable),
            glue_index,
            skeletons,
            terms,
        })
    }

    /// The compiled terms, indexed by [`TermHit::term`].
    pub(crate) fn terms(&self) -> &[CompiledTerm] {
        &self.terms
    }

    /// How many (folded) spellings the automaton holds.
    pub(crate) fn spelling_count(&self) -> usize {
        self.spellings.len()
    }

    /// How many skeletons (words without their inner vowels) are read.
    pub(crate) fn skeleton_count(&self) -> usize {
        self.skeletons.len()
    }

    /// How many terms self-censored words are compared with.
    pub(crate) fn censorable_term_count(&self) -> usize {
        self.censorable.len()
    }

    /// Calls `on_hit` for every term that matches `text`: the automaton
    /// over the whole message, then each reading the normaliser left a hint
    /// for.
    pub(crate) fn find(&self, text: &Normalized, mut on_hit: impl FnMut(TermHit)) {
        let terms = &self.terms[..];
        self.spellings
            .find(terms, &View::whole(text), &|_, _| true, &mut on_hit);
        let joined = JoinedWords {
            terms,
            spellings: &self.spellings,
            censorable: &self.censorable,
        };
        if !text.gaps.between.is_empty() {
            joined.find(text, &mut on_hit);
        }
        for &(last, reading) in &text.word_ends.tails {
            joined.find_with_tail(text, last as usize, &reading, &mut on_hit);
        }
        for (word, upright) in text.flipped.words() {
            flipped::find(&self.spellings, terms, word, upright, &mut on_hit);
        }
        for &(last, marks) in &text.word_ends.censored {
            self.censorable
                .find_end(terms, text, last as usize, usize::from(marks), &mut on_hit);
        }
        self.censorable.find_marked(terms, text, &mut on_hit);
        self.framed.find(terms, text, &mut on_hit);
        glued::find(&self.glue_index, &self.spellings, terms, text, &mut on_hit);
        self.skeletons.find(terms, text, &mut on_hit);
    }
}
