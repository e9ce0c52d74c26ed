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
//! All spellings of all terms, block and allow alike, go into one automaton,
//! built once; a review is a single pass over the normalised bytes. Each
//! automaton hit is then checked against the term's wildcard position (word
//! boundaries are single space bytes) and against the run lengths the term
//! spells: `ass` needs at least two `s`, so "as" is not a match, while
//! "fuuuck" matches `fuck`.

use std::collections::HashMap;
use std::ops::Range;

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
    terms: Vec<CompiledTerm>,
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
        let mut spellings: HashMap<Vec<u8>, Vec<Target>> = HashMap::new();
        let mut order: Vec<Vec<u8>> = Vec::new();
        let mut terms = Vec::with_capacity(specs.len());
        let mut censored: Vec<(Vec<u8>, Target)> = Vec::new();

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
            let target = |runs: &[u8]| Target {
                term,
                runs: if runs.iter().all(|&r| r <= 1) {
                    Box::default()
                } else {
                    runs.into()
                },
            };
            for spelling in wildcard_spellings(&bytes) {
                add_spelling(&mut spellings, &mut order, spelling, target(&runs));
            }
            if !spec.allow {
                for (spelling, spelling_runs) in censored_spellings(&bytes, &runs) {
                    censored.push((spelling, target(&spelling_runs)));
                }
            }
        }
        // A self-censored spelling that an allowed word also has ("sh*t"
        // could be "shot" if "shot" were listed) is ambiguous: leave it out.
        for (spelling, target) in censored {
            let ambiguous = spellings.get(&spelling).is_some_and(|targets| {
                targets.iter().any(|t| terms[t.term as usize].allow)
            });
            if !ambiguous {
                add_spelling(&mut spellings, &mut order, spelling, target);
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

    /// Calls `on_hit` for every term that matches `text`, in order of the
    /// match's end.
    pub fn find(&self, text: &Normalized, mut on_hit: impl FnMut(TermHit)) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let bytes = text.as_bytes();
        let runs = text.run_lengths();
        for m in automaton.find_overlapping_iter(bytes) {
            let (start, end) = (m.start(), m.end());
            let range = &self.pattern_targets[m.pattern().as_usize()];
            for target in &self.targets[range.start as usize..range.end as usize] {
                let term = &self.terms[target.term as usize];
                if term.position.anchored_start() && start > 0 && bytes[start - 1] != WORD_BREAK {
                    continue;
                }
                if term.position.anchored_end() && end < bytes.len() && bytes[end] != WORD_BREAK {
                    continue;
                }
                let runs_ok = target
                    .runs
                    .iter()
                    .zip(&runs[start..end])
                    .all(|(need, have)| have >= need);
                if runs_ok {
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
    }
}

fn add_spelling(
    spellings: &mut HashMap<Vec<u8>, Vec<Target>>,
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

/// Self-censored spellings of a single word of four or more letters: one or
/// two inner letters replaced by [`CENSORED`], keeping the first and last
/// letters and at least two letters in all. Returns each spelling with its
/// run lengths.
fn censored_spellings(bytes: &[u8], runs: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let n = bytes.len();
    if n < 4 || !bytes.iter().all(u8::is_ascii_lowercase) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for width in 1..=2 {
        for at in 1..n - width {
            if at + width > n - 1 || n - width < 2 {
                continue;
            }
            let mut spelling = Vec::with_capacity(n - width + 1);
            spelling.extend_from_slice(&bytes[..at]);
            spelling.push(CENSORED);
            spelling.extend_from_slice(&bytes[at + width..]);
            let mut spelling_runs = Vec::with_capacity(spelling.len());
            spelling_runs.extend_from_slice(&runs[..at]);
            spelling_runs.push(1);
            spelling_runs.extend_from_slice(&runs[at + width..]);
            out.push((spelling, spelling_runs));
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
        assert!(censored_spellings(b"ass", &[1, 2]).is_empty());
        assert!(censored_spellings(b"blow job", &[1; 8]).is_empty());
    }
}
