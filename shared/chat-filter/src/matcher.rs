//! Term matching: every list term, in every spelling the normaliser can
//! produce, in one Aho-Corasick automaton.
//!
//! Each term is normalised exactly as messages are, then expanded into the
//! few byte strings it may appear as in normalised text:
//!
//! * its `i`s and `l`s may each be the [`EITHER_I_OR_L`] byte (`sh1t`,
//!   `bu11`), since the normaliser cannot know which of the two a `1` meant;
//! * a word of four or more letters may have one or two inner letters
//!   self-censored ([`CENSORED`]: `f*ck`, `f**k`, `a**hole`), unless that
//!   spelling is also an allowed word's.
//!
//! All plain and wildcard spellings of all terms, block and allow alike, go
//! into one automaton, built once; a review is a single pass over the
//! normalised bytes. Self-censored spellings outnumber all the others put
//! together, yet appear in few messages, so they live in a hash map instead,
//! built the first time a message holds a [`CENSORED`] byte and then looked
//! up around such bytes only. This keeps the automaton several times smaller
//! and start-up free of work most processes never need.
//!
//! Each hit is then checked against the term's wildcard position (word
//! boundaries are single space bytes) and against the run lengths the term
//! spells: `ass` needs at least two `s`, so "as" is not a match, while
//! "fuuuck" matches `fuck`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

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
    /// Terms that may be self-censored: single words of four or more letters.
    censorable: Vec<Censorable>,
    /// Self-censored spellings (`f*ck`), built on first use.
    censored: OnceLock<CensoredIndex>,
    terms: Vec<CompiledTerm>,
}

/// A single-word term as normalised, kept to derive censored spellings.
#[derive(Debug, Clone)]
struct Censorable {
    term: u32,
    bytes: Box<[u8]>,
    runs: Box<[u8]>,
}

/// Every self-censored spelling of the block terms.
#[derive(Debug, Clone, Default)]
struct CensoredIndex {
    spellings: HashMap<Box<[u8]>, Vec<Target>, FxBuildHasher>,
    /// The longest spelling, which bounds the windows tried around a mark.
    reach: usize,
}

impl CensoredIndex {
    /// Derives the censored spellings of block terms, leaving out any that an
    /// allowed word also has ("sh*t" is not a match if "shot" is allowed).
    fn build(censorable: &[Censorable], terms: &[CompiledTerm]) -> CensoredIndex {
        let is_allowed = |c: &&Censorable| terms[c.term as usize].allow;
        let allowed: rustc_hash::FxHashSet<Vec<u8>> = censorable
            .iter()
            .filter(is_allowed)
            .flat_map(|c| censored_spellings(&c.bytes, &c.runs))
            .map(|(spelling, _)| spelling)
            .collect();
        let mut index = CensoredIndex::default();
        for c in censorable.iter().filter(|c| !is_allowed(c)) {
            for (spelling, runs) in censored_spellings(&c.bytes, &c.runs) {
                if allowed.contains(&spelling) {
                    continue;
                }
                index.reach = index.reach.max(spelling.len());
                index
                    .spellings
                    .entry(spelling.into())
                    .or_default()
                    .push(Target::new(c.term, &runs));
            }
        }
        index
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
            if !bytes.iter().any(|b| b.is_ascii_alphanumeric() || *b >= 0x80) {
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
                add_spelling(&mut spellings, &mut order, spelling, Target::new(term, &runs));
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
            censorable,
            censored: OnceLock::new(),
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

    /// How many self-censored spellings are looked up around censored bytes
    /// (building them if no message has needed them yet).
    pub fn censored_spelling_count(&self) -> usize {
        self.censored_index().spellings.len()
    }

    fn censored_index(&self) -> &CensoredIndex {
        self.censored
            .get_or_init(|| CensoredIndex::build(&self.censorable, &self.terms))
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
        let index = self.censored_index();
        // Around each censored byte, every window that keeps at least one
        // byte on each side within one word is a candidate spelling.
        for (mark, _) in bytes.iter().enumerate().filter(|(_, &b)| b == CENSORED) {
            let word_start = bytes[..mark]
                .iter()
                .rposition(|&b| b == WORD_BREAK)
                .map_or(0, |i| i + 1);
            let word_end = bytes[mark..]
                .iter()
                .position(|&b| b == WORD_BREAK)
                .map_or(bytes.len(), |i| mark + i);
            let lowest = word_start.max(mark.saturating_sub(index.reach));
            let highest = word_end.min(mark + 1 + index.reach);
            for start in lowest..mark {
                for end in mark + 2..=highest {
                    if let Some(targets) = index.spellings.get(&bytes[start..end]) {
                        self.check(text, start..end, targets, &mut on_hit);
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

/// Self-censored spellings of a single word of four or more letters, each
/// with its run lengths:
///
/// * one or two inner letters replaced by [`CENSORED`], keeping the first
///   and last letters (`f*ck`, `f**k`);
/// * one letter of a doubled letter replaced (`a*shole`, `as*hole`), since
///   the doubled letter is a single byte once repeats collapse.
fn censored_spellings(bytes: &[u8], runs: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    if !is_censorable(bytes) {
        return Vec::new();
    }
    let n = bytes.len();
    let mut out = Vec::new();
    let mut push = |before: usize, letter_runs: Option<(usize, bool)>, after: usize| {
        let mut spelling = Vec::with_capacity(n + 1);
        let mut spelling_runs = Vec::with_capacity(n + 1);
        spelling.extend_from_slice(&bytes[..before]);
        spelling_runs.extend_from_slice(&runs[..before]);
        match letter_runs {
            // A doubled letter at `at`, with the mark before or after it.
            Some((at, mark_first)) => {
                if mark_first {
                    spelling.extend_from_slice(&[CENSORED, bytes[at]]);
                } else {
                    spelling.extend_from_slice(&[bytes[at], CENSORED]);
                }
                spelling_runs.extend_from_slice(&[1, 1]);
            }
            None => {
                spelling.push(CENSORED);
                spelling_runs.push(1);
            }
        }
        spelling.extend_from_slice(&bytes[after..]);
        spelling_runs.extend_from_slice(&runs[after..]);
        out.push((spelling, spelling_runs));
    };
    for width in 1..=2 {
        // Keep the first and the last letter.
        for at in 1..n - width {
            push(at, None, at + width);
        }
    }
    for (at, &run) in runs.iter().enumerate() {
        if run >= 2 {
            push(at, Some((at, true)), at + 1);
            push(at, Some((at, false)), at + 1);
        }
    }
    out
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

    #[test]
    fn censored_spellings_keep_first_and_last_letters() {
        let got: Vec<String> = censored_spellings(b"fuck", &[1, 1, 1, 1])
            .into_iter()
            .map(|(s, _)| String::from_utf8(s).unwrap())
            .collect();
        assert_eq!(got, ["f*ck", "fu*k", "f*k"]);
        let got: Vec<String> = censored_spellings(b"ashole", &[1, 2, 1, 1, 1, 1])
            .into_iter()
            .map(|(s, _)| String::from_utf8(s).unwrap())
            .collect();
        assert!(got.contains(&"a*shole".to_string()) && got.contains(&"as*hole".to_string()));
        assert!(censored_spellings(b"ass", &[1, 2]).is_empty());
        assert!(censored_spellings(b"blow job", &[1; 8]).is_empty());
    }
}
