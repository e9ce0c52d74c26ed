//! The automaton reading: every term's spelling in one Aho-Corasick
//! automaton, and the checks every hit of every reading passes.
//!
//! A term's `i`s and `l`s may each be written as the [`EITHER_I_OR_L`] byte
//! (`sh1t`, `bu11`), since the normaliser cannot know which of the two a
//! `1` meant; and some letters are written as a look-alike respelling:
//! `l` for `i` (`prlck`), `z` for `s` (`azzhole`), `v` for `u` (`fvck`).
//! Enumerating those spellings would multiply the automaton and its build
//! time, so the automaton holds each term once, folded
//! ([`fold_look_alikes`]: `i`, `l` and [`EITHER_I_OR_L`] one byte, `z` as
//! `s`, `v` as `u`), and runs over text folded the same way; each hit is
//! then checked against the real bytes ([`Target::spelled_by`]). Terms that
//! differ only in folded letters share one spelling, and block and allow
//! terms share the one automaton, so a review is a single pass over the
//! normalised bytes.
//!
//! A respelled hit is read more strictly than one as written, because
//! every respelled letter is also an ordinary letter of other words: it
//! needs a few letters ([`Respelling::min_letters`]: `piss*` would read
//! "pizza"), words as written (not pieces joined, "pack kl"), for `l` in a
//! term of several words a severe term (threats such as `kill yourself`)
//! or two `l`s written for `i` in a moderate one (one may be another word:
//! "jail balt" is not `jail bait`, while `jall balt` is), no inflection
//! ending ("packless"), and
//! one kind of respelling (`pussie` is not "puzzle", which needs two); and
//! each kind is read one way only: a term's `u` may be written `v`, never
//! its `v` as `u`, or `perv` would read "Peru"; its `s` may be `z` (`jizz`
//! is not "jiss"), its `i` may be `l`, not its `l` an `i`. The wildcard is
//! read only at a term's first [`MAX_WILDCARD_POSITIONS`] `i`/`l` positions,
//! however each of those is written.
//!
//! Invariant: [`check`] is the only place a hit becomes a [`TermHit`]. It
//! tests the term's spelling as above, its wildcard position (word
//! boundaries are single [`WORD_BREAK`] bytes) and the run lengths the term
//! spells (`ass` needs two `s`, so "as" is not a match, while "fuuuck"
//! matches `fuck`; a chain of adjacent `i`/`l` positions written with the
//! wildcard needs its letters in all, `k!1l` being `kill`), then maps a
//! joined reading's bytes back to the message. Every other reading builds
//! a [`View`] and ends here.
//!
//! Measured (the disguise matrix, `tests/matrix.rs`): reading the three
//! respellings took `z-for-s` from 8.6 % to 97.9 %, `v-for-u` from 2.0 %
//! to 98.9 % and `l-for-i` from 51 % to 83.3 %.
//!
//! [`fold_look_alikes`]: crate::normalize::fold_look_alikes

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxBuildHasher;

use super::merged_runs::{chains, letters, Merged, MERGED_I_AND_L};
use super::view::{word_end, word_start, View};
use super::{inflections, CompiledTerm, TermHit};
use crate::error::BuildError;
use crate::list::Severity;
use crate::normalize::{EITHER_I_OR_L, WORD_BREAK};

/// The most `i`/`l` positions of one term that may be written as
/// [`EITHER_I_OR_L`]; a term with more (rare) matches leetspeak in its
/// first four only.
const MAX_WILDCARD_POSITIONS: usize = 4;

/// One spelling's link back to its term, with the run lengths it needs.
#[derive(Debug, Clone)]
pub(super) struct Target {
    term: u32,
    /// Minimum run length at each byte; empty when every byte needs one.
    runs: Box<[u8]>,
    /// The term's normalised bytes, to tell apart the letters that the
    /// folded spelling does not ([`fold_look_alikes`]); empty when it holds
    /// none of them.
    ///
    /// [`fold_look_alikes`]: crate::normalize::fold_look_alikes
    bytes: Box<[u8]>,
    /// How many of the term's positions a merged spelling took away
    /// ([`merged_runs`](super::merged_runs)), so that a hit's length is
    /// still counted in the term's letters; 0 for every other spelling.
    removed: u8,
}

impl Target {
    pub(super) fn new(term: u32, runs: &[u8], bytes: &[u8]) -> Target {
        Target {
            term,
            runs: if runs.iter().all(|&r| r <= 1) {
                Box::default()
            } else {
                runs.into()
            },
            bytes: if bytes.iter().any(|&b| folds_with_another(b)) {
                bytes.into()
            } else {
                Box::default()
            },
            removed: 0,
        }
    }

    /// A target for `term`'s merged spelling: always checked against its
    /// bytes, since every merged position must be read ([`spelled_by`]).
    ///
    /// [`spelled_by`]: Target::spelled_by
    pub(super) fn merged(term: u32, merged: &Merged) -> Target {
        Target {
            bytes: merged.bytes.as_slice().into(),
            removed: merged.removed,
            ..Target::new(term, &merged.runs, &[])
        }
    }

    /// A target for `term` that checks neither run lengths nor spelling: for
    /// readings whose letters were compared already.
    pub(super) fn unchecked(term: u32) -> Target {
        Target {
            term,
            runs: Box::default(),
            bytes: Box::default(),
            removed: 0,
        }
    }

    /// Whether normalised `text`, which folds to the term's spelling, reads
    /// as the term: each letter written as itself or as a respelling the
    /// module doc allows, and each `i` or `l` among the first
    /// [`MAX_WILDCARD_POSITIONS`] also as [`EITHER_I_OR_L`].
    fn spelled_by(&self, text: &[u8]) -> Option<Spelling> {
        let mut wildcards = 0;
        let mut respelled = None;
        let spelled = self.bytes.iter().zip(text).all(|(&want, &have)| {
            if want == MERGED_I_AND_L {
                // A chain holds an `i`, so `l` is its respelling; as the
                // wildcard it is two of the wildcard positions (a chain of
                // three, `ili`, is rare enough to count as two).
                wildcards += 2;
                return match have {
                    EITHER_I_OR_L => wildcards <= MAX_WILDCARD_POSITIONS,
                    b'l' => *respelled.get_or_insert(Respelling::LForI) == Respelling::LForI,
                    _ => false,
                };
            }
            if matches!(want, b'i' | b'l') {
                wildcards += 1;
            }
            if have == want {
                return true;
            }
            if matches!(want, b'i' | b'l') && have == EITHER_I_OR_L {
                return wildcards <= MAX_WILDCARD_POSITIONS;
            }
            match Respelling::of(want, have) {
                Some(kind) => *respelled.get_or_insert(kind) == kind,
                None => false,
            }
        });
        match (spelled, respelled) {
            (false, _) => None,
            (true, None) => Some(Spelling::AsWritten),
            (true, Some(kind)) => Some(Spelling::Respelled(kind)),
        }
    }
}

impl Target {
    /// Whether the run lengths of normalised `text` (which
    /// [`Target::spelled_by`] reads as the term) fit the term when each
    /// chain of the term's adjacent `i`/`l` positions may share its letters
    /// among its positions: `k!1l` is `k`, wildcard×2, `l`, where `kill` is
    /// `k`, `i`, `l`×2. Only a chain written with the wildcard shares, since
    /// a `1` or `!` may be either letter; every other position needs its
    /// own run.
    fn chain_runs_fit(&self, text: &[u8], runs: &[u8]) -> bool {
        if self.runs.is_empty() || !text.contains(&EITHER_I_OR_L) {
            return false;
        }
        self.bytes.len() == self.runs.len()
            && chains(&self.bytes).all(|chain| {
                let (need, have) = (&self.runs[chain.clone()], &runs[chain.clone()]);
                if chain.len() > 1 && text[chain].contains(&EITHER_I_OR_L) {
                    letters(have) >= letters(need)
                } else {
                    need.iter().zip(have).all(|(n, h)| h >= n)
                }
            })
    }

    /// How many of the term's letters `text` (which [`Target::spelled_by`]
    /// reads as respelled) writes as another letter.
    fn respelled_letters(&self, text: &[u8]) -> usize {
        self.bytes
            .iter()
            .zip(text)
            .filter(|&(&want, &have)| {
                (want == MERGED_I_AND_L && have == b'l') || Respelling::of(want, have).is_some()
            })
            .count()
    }
}

/// How a hit spells its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelling {
    /// Each letter as itself or as the wildcard.
    AsWritten,
    /// With one kind of respelled letter.
    Respelled(Respelling),
}

/// A letter written as another that looks or sounds like it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Respelling {
    /// `l` for `i` (`prlck`).
    LForI,
    /// `z` for `s` (`azzhole`).
    ZForS,
    /// `v` for `u` (`fvck`).
    VForU,
}

impl Respelling {
    /// The kind a term's letter `want` written as `have` is, if any.
    fn of(want: u8, have: u8) -> Option<Respelling> {
        match (want, have) {
            (b'i', b'l') => Some(Respelling::LForI),
            (b's', b'z') => Some(Respelling::ZForS),
            (b'u', b'v') => Some(Respelling::VForU),
            _ => None,
        }
    }

    /// The fewest normalised letters a hit respelled this way needs. `l`
    /// and `z` are common letters next to any other: `piss` would read
    /// "pizz" and "plss" (please), so they need four (`zhit`, `prlck`); a
    /// `v` where a `u` belongs reads as no English word (`fvk`, `cvm`).
    fn min_letters(self) -> usize {
        match self {
            Respelling::LForI | Respelling::ZForS => 4,
            Respelling::VForU => 3,
        }
    }
}

/// Whether `b` shares its folded byte with another ([`fold_look_alikes`]),
/// so that a hit must be checked against the real bytes.
///
/// [`fold_look_alikes`]: crate::normalize::fold_look_alikes
fn folds_with_another(b: u8) -> bool {
    matches!(b, b'i' | b'l' | EITHER_I_OR_L | b's' | b'z' | b'u' | b'v')
}

/// Which hits a reading keeps: given the bytes matched in its view and the
/// term, whether the reading counts.
pub(super) type Accept<'a> = dyn Fn(&Range<usize>, &CompiledTerm) -> bool + 'a;

/// The automaton over every term's folded spelling, and for each spelling
/// the terms it may be.
#[derive(Debug, Clone)]
pub(super) struct Spellings {
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, its range in `targets`.
    pattern_targets: Vec<Range<u32>>,
    targets: Vec<Target>,
}

impl Spellings {
    /// Builds the automaton over `arena[range]` for each of `expanded`.
    pub(super) fn build(
        arena: &[u8],
        expanded: Vec<(Range<usize>, Target)>,
    ) -> Result<Spellings, BuildError> {
        let (order, pattern_targets, targets) = group_spellings(arena, expanded);
        let automaton = if order.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    // Dense transitions for the states one byte deep and
                    // the start state: measured with callgrind, depth 2
                    // costs 0.34 M instructions more to build (of 35 M for
                    // a process that builds and exits) and 71 KiB, and
                    // saves 1.6 % of a short line's review and 2 % of a
                    // 500-character message's, which a sandbox earns back
                    // within its first few thousand messages. Depth 3 was
                    // not measured; a DFA (every state dense) costs 130 M
                    // to build and 5.3 MiB.
                    .dense_depth(2)
                    .build(&order)
                    .map_err(|e| BuildError::Automaton(e.to_string()))?,
            )
        };
        Ok(Spellings {
            automaton,
            pattern_targets,
            targets,
        })
    }

    /// Whether there is no term at all to find.
    pub(super) fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// How many (folded) spellings the automaton holds.
    pub(super) fn len(&self) -> usize {
        self.pattern_targets.len()
    }

    /// Runs the automaton over `view` and reports the terms whose spellings
    /// it finds there, if `accept` takes them.
    pub(super) fn find(
        &self,
        terms: &[CompiledTerm],
        view: &View<'_>,
        accept: &Accept<'_>,
        on_hit: &mut impl FnMut(TermHit),
    ) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        for m in automaton.find_overlapping_iter(view.folded) {
            let range = &self.pattern_targets[m.pattern().as_usize()];
            let targets = &self.targets[range.start as usize..range.end as usize];
            check(terms, view, m.start()..m.end(), targets, accept, on_hit);
        }
    }
}

/// Reports each of `targets` whose position and run lengths fit the
/// spelling found at `found` in `view`, and that `accept` takes.
pub(super) fn check(
    terms: &[CompiledTerm],
    view: &View<'_>,
    found: Range<usize>,
    targets: &[Target],
    accept: &Accept<'_>,
    on_hit: &mut impl FnMut(TermHit),
) {
    let bytes = view.bytes;
    let runs = view.runs;
    let (start, end) = (found.start, found.end);
    let starts_word = start == 0 || bytes[start - 1] == WORD_BREAK;
    let ends_word = end == bytes.len() || bytes[end] == WORD_BREAK;
    for target in targets {
        let Some(spelling) = target.spelled_by(&bytes[start..end]) else {
            continue;
        };
        let term = &terms[target.term as usize];
        let letters = end - start + usize::from(target.removed);
        let ends_word_or_inflected = ends_word || {
            let rest = end..word_end(bytes, end);
            inflections::is_inflection(term, letters, &bytes[rest.clone()], &runs[rest])
        };
        if (term.position.anchored_start() && !starts_word)
            || (term.position.anchored_end() && !ends_word_or_inflected)
        {
            continue;
        }
        if let Spelling::Respelled(kind) = spelling {
            if letters < kind.min_letters()
                || view.joined.is_some()
                || (term.position.anchored_end() && !ends_word)
                || (kind == Respelling::LForI
                    && term.pattern.contains([' ', '-'])
                    && (term.severity == Severity::Mild
                        || (term.severity == Severity::Moderate
                            && target.respelled_letters(&bytes[start..end]) < 2)))
            {
                continue;
            }
        }
        let runs_ok = target
            .runs
            .iter()
            .zip(&runs[start..end])
            .all(|(need, have)| have >= need)
            || target.chain_runs_fit(&bytes[start..end], &runs[start..end]);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merged_position_reads_as_l_or_the_wildcard_only() {
        let merged = Merged {
            bytes: b"cIt".to_vec(),
            runs: vec![1, 2, 1],
            removed: 1,
        };
        let clit = Target::merged(0, &merged);
        assert_eq!(
            clit.spelled_by(b"clt"),
            Some(Spelling::Respelled(Respelling::LForI))
        );
        assert_eq!(clit.spelled_by(b"c!t"), Some(Spelling::AsWritten));
        assert_eq!(clit.spelled_by(b"cit"), None, "a run of i is no chain");
        assert_eq!(clit.removed, 1);
    }

    #[test]
    fn folded_spellings_read_each_i_or_l_either_way() {
        let lil = Target::new(0, &[1, 1, 1], b"lil");
        for text in [&b"lil"[..], b"!i!", b"!!!", b"li!", b"!l!", b"lll"] {
            assert!(lil.spelled_by(text).is_some(), "{text:?}");
        }
        for text in [&b"iil"[..], b"lli", b"ili"] {
            assert!(lil.spelled_by(text).is_none(), "{text:?}");
        }
        // Only the first four may be the wildcard.
        let long = Target::new(0, &[1; 5], b"lilil");
        assert!(long.spelled_by(b"!!!!l").is_some());
        assert!(long.spelled_by(b"!!!!!").is_none());
        // A wildcard in the term reads only as itself.
        assert!(Target::new(0, &[1, 1], b"a!").spelled_by(b"a!").is_some());
        assert!(Target::new(0, &[1, 1], b"a!").spelled_by(b"al").is_none());
    }

    #[test]
    fn respellings_are_read_one_way_only() {
        let ass = Target::new(0, &[1, 2], b"as");
        assert!(ass.spelled_by(b"az").is_some());
        let jizz = Target::new(0, &[1, 1, 2], b"jiz");
        assert!(jizz.spelled_by(b"jis").is_none());
        let fuck = Target::new(0, &[1; 4], b"fuck");
        assert!(fuck.spelled_by(b"fvck").is_some());
        let perv = Target::new(0, &[1; 4], b"perv");
        assert!(
            perv.spelled_by(b"peru").is_none(),
            "a term's v is not read as u"
        );
        let prick = Target::new(0, &[1; 5], b"prick");
        assert!(prick.spelled_by(b"prlck").is_some());
        let pussie = Target::new(0, &[1, 1, 2, 1, 1], b"pusie");
        assert_eq!(
            pussie.spelled_by(b"puzie"),
            Some(Spelling::Respelled(Respelling::ZForS))
        );
        assert_eq!(
            pussie.spelled_by(b"pusle"),
            Some(Spelling::Respelled(Respelling::LForI))
        );
        assert_eq!(pussie.spelled_by(b"puzle"), None, "one kind a match");
        assert_eq!(pussie.spelled_by(b"pusie"), Some(Spelling::AsWritten));
    }
}
