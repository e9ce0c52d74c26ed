//! Numbers stay numbers: `45s`, `1980s`, `10am`, `a$5`, `$55`.
//!
//! Step 4 reads digits and `$` as letters inside a word that holds a
//! letter (`sh1t`, `a$$`), which is what leetspeak needs but turns a
//! number with a unit into a word: `45s` read `ass`, and `a$5 shirt` (a
//! price glued to the article) read `as`. Two shapes are numbers far more
//! often than disguises, and are read literally:
//!
//! * two or more digits followed by a unit of a closed list ([`UNITS`]:
//!   `45s`, `1980s`, `10am`, `60fps`): the digits stay digits, while
//!   `57fu` and `8307ch` are still leetspeak;
//! * a `$` after at most two letters and followed only by digits to the
//!   word's end (`a$5`, `us$20`): the price is a number, and the `$` a
//!   currency sign.
//!
//! Invariant: a word's reading changes only from the first unit of such a
//! number on; a word with a letter after its digits (`5h1t`, `a55hole`)
//! or a `$` before letters (`a$$`, `fu$k`) reads as before.

use super::fold::{Kind, Unit};

/// What follows the digits of a number in chat: plurals and ordinals,
/// times, sizes and rates (`45s`, `21st`, `10am`, `5k`, `1080p`, `60fps`).
const UNITS: &[&[u8]] = &[
    b"s", b"st", b"nd", b"rd", b"th", b"am", b"pm", b"k", b"m", b"h", b"x", b"p", b"kg", b"km",
    b"cm", b"mm", b"ft", b"hz", b"gb", b"mb", b"tb", b"fps", b"mph", b"yo", b"min", b"hrs",
];

/// The position, in `indices` order, from which the word's digits and
/// symbols are read literally; `usize::MAX` if none.
pub(super) fn literal_from(units: &[Unit], indices: impl Iterator<Item = usize> + Clone) -> usize {
    // Most words hold no digit: one pass settles them.
    if !indices
        .clone()
        .any(|i| matches!(units[i].kind, Kind::Digit(_)))
    {
        return usize::MAX;
    }
    let kinds = indices.map(|i| (units[i].kind, units[i].ch));
    // Two or more leading digits, then letters only.
    let digits = kinds
        .clone()
        .take_while(|(k, _)| matches!(k, Kind::Digit(_)))
        .count();
    if digits >= 2 {
        let mut unit = [0u8; 4];
        let mut len = 0;
        for (kind, _) in kinds.clone().skip(digits) {
            match kind {
                Kind::Letter(b) if len < unit.len() => {
                    unit[len] = b;
                    len += 1;
                }
                _ => {
                    len = usize::MAX;
                    break;
                }
            }
        }
        if len != usize::MAX && UNITS.contains(&&unit[..len]) {
            return 0;
        }
    }
    // A `$` followed only by digits to the end.
    // A `$` after at most two plain letters (`a$5`, `us$20`), followed
    // only by digits: `my4$5` and `c0nnnn4ssss$3` stay leetspeak.
    let (mut from, mut digits_after, mut letters) = (usize::MAX, false, 0);
    for (at, (kind, ch)) in kinds.enumerate() {
        match kind {
            Kind::Letter(_) if from == usize::MAX => letters += 1,
            Kind::Symbol(..) if ch == b'$' && from == usize::MAX && letters <= 2 => from = at,
            Kind::Digit(_) if from != usize::MAX => digits_after = true,
            _ => return usize::MAX,
        }
    }
    if digits_after {
        from
    } else {
        usize::MAX
    }
}
