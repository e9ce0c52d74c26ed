//! Term matching: every list term, in every spelling the normaliser can
//! produce, in one Aho-Corasick automaton.
//!
//! Each term is normalised exactly as messages are, then expanded into the
//! few byte strings it may appear as in normalised text:
//!
//! * its `i`s and `l`s may each be the [`EITHER_I_OR_L`] byte (`sh1t`,
//!   `bu11`), since the normaliser cannot know which of the two a `1` meant;
//! * a word of four or more letters may have one or two inner letters
//!   self-censored ([`CENSORED`]: `f*ck`, `f**k`, `a**hole`, `as*hole`),
//!   unless an allowed word reads the same way.
//!
//! All plain and wildcard spellings of all terms, block and allow alike, go
//! into one automaton, built once; a review is a single pass over the
//! normalised bytes. Self-censored spellings would outnumber all the others
//! put together, yet appear in few messages, so they are never enumerated:
//! around each [`CENSORED`] byte, the text on either side is compared with
//! the four-letter-or-longer terms that start with the byte before it
//! (bucketed by first byte). That costs nothing at start-up and a few
//! hundred short comparisons per mark.
//!
//! Each hit is then checked against the term's wildcard position (word
//! boundaries are single space bytes) and against the run lengths the term
//! spells: `ass` needs at least two `s`, so "as" is not a match, while
//! "fuuuck" matches `fuck`.

use std::collections::HashMap;
use std::ops::Range;

use rustc_hash::FxBuildHasher;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::error::{BuildError, ListError, ListErrorKind};
use crate::list::{Entry, Position, Severity};
use crate::normalize::{Normalized, CENSORED, EITHER_I_OR_L, WORD_BREAK};

/// The most `i`/`l` positions of one term that get wildcard spellings; a
/// term with more (rare) matches leetspeak in its first four only.
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
}

impl Target {
    fn new(term: u32, runs: &[u8]) -> Target {
        Target {
            term,
            runs: if runs.iter().all(|&r| r <= 1) {
                Box::default()
            } else {
                runs.into()
            },
        }
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
    /// letters), sorted by first byte.
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
    /// Normalises and expands every term and builds the automaton.
    pub fn build(specs: &[TermSpec<'_>]) -> Result<TermMatcher, BuildError> {
        let mut scratch = Normalized::default();
        let mut spellings: HashMap<Vec<u8>, Vec<Target>, FxBuildHasher> = HashMap::default();
        let mut order: Vec<Vec<u8>> = Vec::new();
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
            for spelling in wildcard_spellings(&bytes) {
                add_spelling(
                    &mut spellings,
                    &mut order,
                    spelling,
                    Target::new(term, &runs),
                );
            }
            if is_censorable(&bytes) {
                censorable.push(Censorable {
                    term,
                    bytes: bytes.into(),
                    runs: runs.into(),
                });
            }
        }

        let mut pattern_targets = Vec::with_capacity(order.len());
        let mut targets = Vec::new();
        for spelling in &order {
            let start = targets.len() as u32;
            targets.extend(spellings.remove(spelling).unwrap_or_default());
            pattern_targets.push(start..targets.len() as u32);
        }
        let automaton = if order.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
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

    /// How many spellings the automaton holds.
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
        if let Some(automaton) = &self.automaton {
            for m in automaton.find_overlapping_iter(bytes) {
                let range = &self.pattern_targets[m.pattern().as_usize()];
                let targets = &self.targets[range.start as usize..range.end as usize];
                self.check(text, m.start()..m.end(), targets, &mut on_hit);
            }
        }
        if self.censorable.is_empty() || !bytes.contains(&CENSORED) {
            return;
        }
        let mut found: Vec<(usize, Range<usize>)> = Vec::new();
        for (mark, _) in bytes.iter().enumerate().filter(|(_, &b)| b == CENSORED) {
            found.clear();
            self.find_censored(text, mark, &mut found);
            // A reading that an allowed word shares is ambiguous: drop the
            // block readings of that same stretch of text.
            for (term, range) in &found {
                let shadowed = !self.terms[*term].allow
                    && found
                        .iter()
                        .any(|(other, r)| r == range && self.terms[*other].allow);
                if !shadowed {
                    let target = Target {
                        term: *term as u32,
                        runs: Box::default(),
                    };
                    self.check(
                        text,
                        range.clone(),
                        std::slice::from_ref(&target),
                        &mut on_hit,
                    );
                }
            }
        }
    }

    /// Collects the censorable terms the text around the mark at `mark` can
    /// be read as: the text before the mark starts the term, the text after
    /// it ends it, and the mark hides one or two inner letters, or one copy
    /// of a doubled letter (`as*hole`). Run lengths are checked here; word
    /// positions by the caller.
    fn find_censored(
        &self,
        text: &Normalized,
        mark: usize,
        found: &mut Vec<(usize, Range<usize>)>,
    ) {
        let bytes = text.as_bytes();
        let runs = text.run_lengths();
        let word_start = bytes[..mark]
            .iter()
            .rposition(|&b| b == WORD_BREAK)
            .map_or(0, |i| i + 1);
        let word_end = bytes[mark..]
            .iter()
            .position(|&b| b == WORD_BREAK)
            .map_or(bytes.len(), |i| mark + i);
        for start in word_start..mark {
            let left = &bytes[start..mark];
            let first = usize::from(bytes[start]);
            let bucket = self.by_first_byte[first] as usize..self.by_first_byte[first + 1] as usize;
            for candidate in &self.censorable[bucket] {
                let term = &candidate.bytes;
                if term.len() <= left.len() + 1 || !term.starts_with(left) {
                    continue;
                }
                let doubled_before = candidate.runs[left.len() - 1] >= 2;
                let doubled_after = candidate.runs[left.len()] >= 2;
                for hidden in 0..=2 {
                    let right_start = left.len() + hidden;
                    // The last letter is always kept.
                    if right_start >= term.len() {
                        break;
                    }
                    // With nothing hidden, the mark stands for one copy of a
                    // doubled letter beside it.
                    if hidden == 0 && !(doubled_before || doubled_after) {
                        continue;
                    }
                    let right = &term[right_start..];
                    let end = mark + 1 + right.len();
                    if end > word_end || bytes[mark + 1..end] != *right {
                        continue;
                    }
                    let kept_needs = candidate.runs[..left.len()]
                        .iter()
                        .chain(&candidate.runs[right_start..]);
                    let kept_has = runs[start..mark].iter().chain(&runs[mark + 1..end]);
                    let runs_ok = kept_has
                        .zip(kept_needs)
                        .enumerate()
                        .all(|(i, (has, need))| {
                            // The doubled letter beside the mark shows one copy.
                            let beside = hidden == 0
                                && ((doubled_before && i + 1 == left.len())
                                    || (!doubled_before && i == left.len()));
                            *has >= if beside { 1 } else { *need }
                        });
                    if runs_ok {
                        found.push((candidate.term as usize, start..end));
                    }
                }
            }
        }
    }

    /// Reports each of `targets` whose position and run lengths fit the
    /// spelling found at `start..end`.
    fn check(
        &self,
        text: &Normalized,
        found: Range<usize>,
        targets: &[Target],
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let bytes = text.as_bytes();
        let runs = text.run_lengths();
        let (start, end) = (found.start, found.end);
        let starts_word = start == 0 || bytes[start - 1] == WORD_BREAK;
        let ends_word = end == bytes.len() || bytes[end] == WORD_BREAK;
        for target in targets {
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
            if !runs_ok {
                continue;
            }
            let word_start = bytes[..start]
                .iter()
                .rposition(|&b| b == WORD_BREAK)
                .map_or(0, |i| i + 1);
            let word_end = bytes[end..]
                .iter()
                .position(|&b| b == WORD_BREAK)
                .map_or(bytes.len(), |i| end + i);
            on_hit(TermHit {
                term: target.term as usize,
                range: start..end,
                words: word_start..word_end,
            });
        }
    }
}

fn add_spelling(
    spellings: &mut HashMap<Vec<u8>, Vec<Target>, FxBuildHasher>,
    order: &mut Vec<Vec<u8>>,
    spelling: Vec<u8>,
    target: Target,
) {
    let targets = spellings.entry(spelling).or_insert_with_key(|key| {
        order.push(key.clone());
        Vec::new()
    });
    targets.push(target);
}

/// The term's spellings with each subset of its first few `i`/`l` bytes
/// read as [`EITHER_I_OR_L`].
fn wildcard_spellings(bytes: &[u8]) -> Vec<Vec<u8>> {
    let positions: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'i' | b'l'))
        .map(|(i, _)| i)
        .take(MAX_WILDCARD_POSITIONS)
        .collect();
    (0u32..1 << positions.len())
        .map(|mask| {
            let mut spelling = bytes.to_vec();
            for (bit, &at) in positions.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    spelling[at] = EITHER_I_OR_L;
                }
            }
            spelling
        })
        .collect()
}

/// Whether a normalised term is a single word of four or more letters, the
/// only terms whose self-censored spellings are unambiguous enough to match.
fn is_censorable(bytes: &[u8]) -> bool {
    bytes.len() >= 4 && bytes.iter().all(u8::is_ascii_lowercase)
}

/// Sorts `censorable` by first byte and returns where each byte's run
/// starts (with a final end entry).
fn first_byte_offsets(censorable: &mut [Censorable]) -> Box<[u32; 257]> {
    censorable.sort_by_key(|c| c.bytes[0]);
    let mut offsets = Box::new([0u32; 257]);
    for c in censorable.iter() {
        offsets[usize::from(c.bytes[0]) + 1] += 1;
    }
    for b in 1..257 {
        offsets[b] += offsets[b - 1];
    }
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_spellings_cover_every_subset() {
        let mut got = wildcard_spellings(b"lil");
        got.sort();
        assert_eq!(got.len(), 8);
        assert!(got.contains(&b"!i!".to_vec()));
        assert_eq!(wildcard_spellings(b"cat"), vec![b"cat".to_vec()]);
    }
}
