//! Spelled-out words with mixed separators: `f*u.c+k`, `s.h*i-t+s`,
//! `s.+.f.u`, `a r s e   b a n d i t`.
//!
//! Step 3 joins three or more single-letter pieces into one word. Two
//! things kept such words in pieces before this reading:
//!
//! * a mark that may also be a letter or a censoring mark (`*`, `+`, `!`)
//!   sits between two letters without a space, so `h*i` and `c+k` were one
//!   three-unit piece each, not two letters; and a letter-like symbol
//!   standing alone between dots (`s.+.f.u`, `s.h.!.+`) was trimmed as
//!   punctuation;
//! * words spelled out one after the other (`f u c k   y o u`) ran into one
//!   word, so a term of two words never matched.
//!
//! Third round: consonants set apart by one `?` or `~` each (`v?g?n?l`,
//! `p~n~s`) are a word with its vowels hidden, so they stay in pieces for
//! the vowel-frame reading instead of being joined as letters spelled out:
//! `censor-symbols` 75.5 → 76.8 %, the harmless matrix unchanged.
//!
//! Invariant: a piece changes only where it stands beside a single-letter
//! piece, that is inside a spelled-out run, so `f*k`, `h*i`, `wow !` and
//! `x+y` alone read exactly as before; and a run is cut only at a gap of two
//! or more spaces when its letters are set one character apart.
//! Measured on the disguise matrix: `mixed-separators` went from 34 % to
//! 70 %, with no harmless item more flagged.
//!
//! Second round, for what a mix of separators still kept apart: pieces of
//! several letters with marks (`m*o*s`, `z+i*e`) split like `h*i`, a whole
//! token of them (`m*o*s`) joins a neighbour set against it by a dot or a
//! dash (`h.o.m*o*s`), and one space joins pieces when the piece across it
//! is inside a run joined by marks (`g*r o~i-d`), never a lone letter, so
//! `a f*g` and `u h*e` keep their censored words. The words' builder also
//! stopped taking a contraction's ending into the spelled word after it
//! (`that's f.e.c.k` had read as `sfeck`). `mixed-separators` 70 → 89 %,
//! `dashed` and `dotted` 88 → 95 %, `spaced` 84 → 91 %, the whole matrix
//! 89.6 → 91.0 %; the harmless matrix flagged 30 items fewer.

use std::ops::Range;

use super::fold::{Kind, Unit};
use super::is_vowel;

/// Whether the unit is one letter of a spelled-out word: a letter, a digit,
/// or a symbol that reads as a letter (`+`, `!`, `@`, `$`).
fn is_letterish(unit: &Unit) -> bool {
    match unit.kind {
        Kind::Letter(_) | Kind::OtherLetter(_) | Kind::Digit(_) => true,
        Kind::Symbol(r, _) => r.is_ascii_lowercase() || r == super::EITHER_I_OR_L,
        _ => false,
    }
}

/// Whether `piece` is letters with one mark between each two (`h*i`,
/// `c+k`, `m*o*s`): letters of a spelled-out word, when it stands beside
/// one.
fn is_letters_with_marks(units: &[Unit], piece: &Range<usize>) -> bool {
    piece.len() >= 3 && alternates_with_marks(&units[piece.clone()], is_letterish)
}

/// Whether `units` are letters (as `letter` says) with one edge mark between
/// each two, starting and ending with a letter: `f*u*c*k`, `m*o*s`.
pub(super) fn alternates_with_marks(units: &[Unit], letter: impl Fn(&Unit) -> bool) -> bool {
    units.len() % 2 == 1
        && units.iter().enumerate().all(|(i, unit)| {
            if i % 2 == 0 {
                letter(unit)
            } else {
                matches!(unit.kind, Kind::Symbol(_, true))
            }
        })
}

/// Whether the unit is a mark that sets the letters of a spelled-out word
/// apart (`f.u.c.k`, `c-o-c-k`), never a letter or a censoring mark itself.
pub(super) fn separates_letters(unit: &Unit) -> bool {
    matches!(unit.ch, b'.' | b'-' | b'_' | b'~' | b'/')
}

/// Whether the run of single-letter pieces `run` is a word with its vowels
/// hidden rather than one spelled out: consonants only (`l` among them),
/// one [`FRAME_MARKS`] mark between each (`v?g?n?l`, `p~n~s`). It stays in
/// pieces for the vowel-frame reading (`matcher/frames.rs`).
pub(super) fn is_framed_consonant_run(units: &[Unit], run: &[Range<usize>]) -> bool {
    run.len() >= 3
        && run
            .iter()
            .all(|p| matches!(units[p.start].kind, Kind::Letter(b) if !is_vowel(b)))
        && run.windows(2).all(|w| {
            let gap = &units[w[0].end.min(w[1].start)..w[1].start];
            gap.len() == 1 && FRAME_MARKS.contains(&gap[0].ch)
        })
}

/// The marks between consonants that read as hidden vowels, not as the
/// separators of letters spelled out. Not `-` or `.`: consonants spelled
/// out with those are as often a word without its vowels (`f-c-k`), and
/// reading `-` so took the `dashed` class from 94.7 to 93.4 %.
const FRAME_MARKS: &[u8] = b"?~";

/// Whether `piece` is one unit that may be a letter of a spelled-out word.
fn is_single(units: &[Unit], piece: &Range<usize>) -> bool {
    piece.len() == 1 && is_letterish(&units[piece.start])
}

/// The piece for a token that trimming left empty (`!`, `+`): the symbol
/// itself when it is one letter-like symbol, which [`spread`] keeps only
/// inside a spelled-out run (`s.+.f.u`), else nothing.
pub(super) fn lone_symbol_piece(units: &[Unit], start: usize, end: usize) -> Range<usize> {
    // Not a bracket: `f()()k` hides letters behind its marks.
    let lone = end == start + 1
        && units[start].ch != b'('
        && matches!(units[start].kind, Kind::Symbol(r, true) if r.is_ascii_lowercase() || r == super::EITHER_I_OR_L);
    if lone {
        start..end
    } else {
        start..start
    }
}

/// Splits `h*i`-like pieces that stand beside a single letter into their
/// letters, and drops lone symbols that do not stand between two letters.
/// Works in place, from the last piece back, so a review still allocates
/// nothing once the buffer has grown.
pub(super) fn spread(units: &[Unit], pieces: &mut Vec<Range<usize>>) {
    let is_lone_symbol = |p: &Range<usize>| {
        p.len() == 1 && matches!(units[p.start].kind, Kind::Symbol(r, true) if r != super::CENSORED)
    };
    let needs_work = pieces
        .iter()
        .any(|p| is_lone_symbol(p) || is_letters_with_marks(units, p));
    if !needs_work {
        return;
    }
    // A neighbour counts inside the same token, set apart by marks that
    // separate letters: in `a f*g` the article is a word of its own, and in
    // `f?t*s` the `?` hides a letter of one censored word.
    let marks_between = |a: &Range<usize>, b: &Range<usize>| {
        let gap = &units[a.end.min(b.start)..b.start];
        !gap.is_empty() && gap.iter().all(separates_letters)
    };
    let spells = |p: &Range<usize>| is_single(units, p) || is_letters_with_marks(units, p);
    // Piece `j` spells letters beside another by marks: it is inside a
    // spelled-out run whatever stands across a space from it.
    let in_marked_run = |pieces: &[Range<usize>], j: usize| {
        let piece = &pieces[j];
        let marked =
            |a: &Range<usize>, b: &Range<usize>| spells(a) && spells(b) && marks_between(a, b);
        j.checked_sub(1).is_some_and(|b| marked(&pieces[b], piece))
            || pieces.get(j + 1).is_some_and(|a| marked(piece, a))
    };
    // Across one space, a neighbour counts only when it is itself inside a
    // marked run (`g*r o~i-d`), so `a f*g` and `u h*e` keep their censored
    // words.
    let one_space = |a: &Range<usize>, b: &Range<usize>| {
        b.start == a.end + 1 && units[a.end].kind == Kind::Space
    };
    for k in (0..pieces.len()).rev() {
        let piece = pieces[k].clone();
        let before = k
            .checked_sub(1)
            .is_some_and(|b| spells(&pieces[b]) && marks_between(&pieces[b], &piece));
        let after = pieces
            .get(k + 1)
            .is_some_and(|a| spells(a) && marks_between(&piece, a));
        if is_lone_symbol(&piece) {
            // At a run's end only a symbol that is one letter (`s.h.!.+`),
            // not an exclamation mark (`c.u.n.t.!`).
            let ends_run = before
                && !after
                && !matches!(
                    units[piece.start].kind,
                    Kind::Symbol(super::EITHER_I_OR_L, _)
                );
            if !(ends_run || before && after) {
                pieces[k] = piece.start..piece.start;
            }
        } else if is_letters_with_marks(units, &piece)
            && (before
                || after
                || k.checked_sub(1)
                    .is_some_and(|b| one_space(&pieces[b], &piece) && in_marked_run(pieces, b))
                || pieces
                    .get(k + 1)
                    .is_some_and(|a| one_space(&piece, a) && in_marked_run(pieces, k + 1)))
        {
            pieces.splice(k..=k, piece.clone().step_by(2).map(|at| at..at + 1));
        }
    }
}

/// Whether the last piece of `run` (single-letter pieces) starts a new
/// spelled-out word: it is set apart by two or more spaces, while the
/// run's first two letters are one character apart (`f u c k   y o u`).
pub(super) fn starts_new_word(units: &[Unit], run: &[Range<usize>]) -> bool {
    let n = run.len();
    if n < 4 {
        return false;
    }
    let gap = |a: &Range<usize>, b: &Range<usize>| &units[a.end.min(b.start)..b.start];
    let first = gap(&run[0], &run[1]);
    let last = gap(&run[n - 2], &run[n - 1]);
    first.len() == 1 && last.len() >= 2 && last.iter().all(|u| u.kind == Kind::Space)
}

/// Where the run of single-letter pieces `pieces[start..end]` must end: at
/// `end`, unless it crossed a space into a token that goes on past the run
/// (`a r-t-rd`, `such a c~nt`). Such a token is a word broken or censored
/// by its marks, not spelled out, so the run stops before it and the
/// token's pieces stay apart for the joined readings (`r-t-rd` reads as
/// `retard`, not `art` and `rd`).
pub(super) fn cut_before_broken_token(
    units: &[Unit],
    pieces: &[Range<usize>],
    start: usize,
    end: usize,
) -> usize {
    let gap = |k: usize| &units[pieces[k - 1].end.min(pieces[k].start)..pieces[k].start];
    let has_space = |k: usize| gap(k).iter().any(|u| u.kind == Kind::Space);
    let token_goes_on = end < pieces.len()
        && end > start
        && pieces[end].len() > 1
        && !gap(end).is_empty()
        && !has_space(end);
    if !token_goes_on {
        return end;
    }
    (start + 1..end)
        .rev()
        .find(|&k| has_space(k))
        .unwrap_or(end)
}
