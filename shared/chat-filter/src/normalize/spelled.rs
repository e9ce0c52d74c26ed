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
//! Invariant: a piece changes only where it stands beside a single-letter
//! piece, that is inside a spelled-out run, so `f*k`, `h*i`, `wow !` and
//! `x+y` alone read exactly as before; and a run is cut only at a gap of two
//! or more spaces when its letters are set one character apart.
//! Measured on the disguise matrix: `mixed-separators` went from 34 % to
//! the figure in the README's accuracy table, with no harmless item more
//! flagged.

use std::ops::Range;

use super::fold::{Kind, Unit};

/// Whether the unit is one letter of a spelled-out word: a letter, a digit,
/// or a symbol that reads as a letter (`+`, `!`, `@`, `$`).
fn is_letterish(unit: &Unit) -> bool {
    match unit.kind {
        Kind::Letter(_) | Kind::OtherLetter(_) | Kind::Digit(_) => true,
        Kind::Symbol(r, _) => r.is_ascii_lowercase() || r == super::EITHER_I_OR_L,
        _ => false,
    }
}

/// Whether `piece` is a letter and a mark and a letter (`h*i`, `c+k`): two
/// letters of a spelled-out word, when it stands beside one.
fn is_two_letters_with_mark(units: &[Unit], piece: &Range<usize>) -> bool {
    piece.len() == 3
        && is_letterish(&units[piece.start])
        && matches!(units[piece.start + 1].kind, Kind::Symbol(_, true))
        && is_letterish(&units[piece.start + 2])
}

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
        .any(|p| is_lone_symbol(p) || is_two_letters_with_mark(units, p));
    if !needs_work {
        return;
    }
    // A neighbour counts only inside the same token, set apart by marks
    // that separate letters: in `a f*g` the article is a word of its own,
    // and in `f?t*s` the `?` hides a letter of one censored word.
    let attached = |a: &Range<usize>, b: &Range<usize>| {
        let gap = &units[a.end.min(b.start)..b.start];
        !gap.is_empty()
            && gap
                .iter()
                .all(|u| matches!(u.ch, b'.' | b'-' | b'_' | b'~' | b'/'))
    };
    let letterish = |p: Option<&Range<usize>>, joined: bool| {
        joined && p.is_some_and(|p| is_single(units, p) || is_two_letters_with_mark(units, p))
    };
    for k in (0..pieces.len()).rev() {
        let piece = pieces[k].clone();
        let before = k.checked_sub(1).and_then(|b| pieces.get(b));
        let after = pieces.get(k + 1);
        let before = letterish(before, before.is_some_and(|b| attached(b, &piece)));
        let after = letterish(after, after.is_some_and(|a| attached(&piece, a)));
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
        } else if is_two_letters_with_mark(units, &piece) && (before || after) {
            pieces[k] = piece.start..piece.start + 1;
            pieces.insert(k + 1, piece.start + 2..piece.end);
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
