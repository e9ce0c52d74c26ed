//! Letter shapes: letters drawn with strokes (`|\|` is `n`, `\/` is `v`)
//! and letters turned upside down (`ɹǝɓɓıu`).
//!
//! Both are letters made of the shapes of other characters rather than
//! look-alike code points, so no Unicode table knows them. Strokes are read
//! as the letter drawn only beside a letter (`|\|igga`, `ca\/\/`): strokes
//! alone (`/\/\/`, a shrug's `\/`) stay symbols. A word written upside
//! down is recognised by a letter only upside-down text uses (`ɹ`, `ǝ`,
//! `ɓ`), and then also read turned upright and reversed
//! ([`FlippedWords`]); messages without a turned letter skip that pass.

use std::ops::Range;

use super::{fold, Fold, Normalized};

/// The words of a message written upside down, read upright.
#[derive(Debug, Default, Clone)]
pub(crate) struct FlippedWords {
    /// Each word's byte range and the range of its upright reading in
    /// `upright`.
    words: Vec<(Range<u32>, Range<u32>)>,
    upright: Vec<u8>,
    /// Whether the message holds a turned letter at all.
    pub(super) saw_turned: bool,
}

impl FlippedWords {
    pub(super) fn clear(&mut self) {
        self.words.clear();
        self.upright.clear();
        self.saw_turned = false;
    }

    /// The words written upside down (with a turned letter such as `ɹ`,
    /// `ǝ` or `ɓ`): each word's byte range and its reading turned upright
    /// and in order (`ɹǝɓɓıu` reads `nigger`). Their ordinary reading is
    /// in [`Normalized::as_bytes`] as for every word.
    pub(crate) fn words(&self) -> impl Iterator<Item = (Range<usize>, &[u8])> + '_ {
        self.words.iter().map(|(word, reading)| {
            (
                word.start as usize..word.end as usize,
                &self.upright[reading.start as usize..reading.end as usize],
            )
        })
    }
}

impl Normalized {
    /// Records the upright reading of every word that holds a turned
    /// letter and reads as letters throughout.
    pub(super) fn read_flipped_words(&mut self, text: &str) {
        let ends = self.gaps.breaks.iter().map(|&b| b as usize);
        let starts = std::iter::once(0).chain(ends.clone().map(|b| b + 1));
        for (start, end) in starts.zip(ends.chain(std::iter::once(self.bytes.len()))) {
            if start >= end {
                continue;
            }
            let span = self.spans[start].0 as usize..self.spans[end - 1].1 as usize;
            let original = text.get(span).unwrap_or_default();
            if !original.contains(is_turned_letter) {
                continue;
            }
            let from = self.flipped.upright.len();
            let mut readable = true;
            for c in original
                .chars()
                .rev()
                .filter(|&c| !matches!(fold(c), Fold::Ignore))
            {
                match upright_letter(c) {
                    Some(b) => self.flipped.upright.push(b),
                    None => {
                        readable = false;
                        break;
                    }
                }
            }
            if readable {
                self.flipped.words.push((
                    start as u32..end as u32,
                    from as u32..self.flipped.upright.len() as u32,
                ));
            } else {
                // A character with no upright reading: not an upside-down word.
                self.flipped.upright.truncate(from);
            }
        }
    }
}

/// Letters that upside-down text generators write, turned back upright:
/// IPA and other turned letters that no ordinary word uses for themselves
/// (`ɹ` is a turned `r`, `ǝ` an `e`, `ɓ` and `ƃ` a `g`), and the capitals
/// of the same alphabets.
const TURNED_LETTERS: [(char, u8); 23] = [
    ('ɐ', b'a'),
    ('ɔ', b'c'),
    ('ǝ', b'e'),
    ('ɟ', b'f'),
    ('ƃ', b'g'),
    ('ɓ', b'g'),
    ('ɥ', b'h'),
    ('ᴉ', b'i'),
    ('ɾ', b'j'),
    ('ʞ', b'k'),
    ('ɯ', b'm'),
    ('ɹ', b'r'),
    ('ʇ', b't'),
    ('ʌ', b'v'),
    ('ʍ', b'w'),
    ('ʎ', b'y'),
    ('∀', b'a'),
    ('Ɐ', b'a'),
    ('Ǝ', b'e'),
    ('Ⅎ', b'f'),
    ('⅁', b'g'),
    ('Ɥ', b'h'),
    ('⅄', b'y'),
];

/// Whether `c` is a letter only upside-down text uses.
pub(super) fn is_turned_letter(c: char) -> bool {
    !c.is_ascii() && TURNED_LETTERS.iter().any(|&(t, _)| t == c)
}

/// What `c` reads as in upside-down text: a turned letter upright, the
/// ASCII letters that are each other turned (`u`/`n`, `p`/`d`, `b`/`q`)
/// swapped, `ı` (dotless) as `i`, and any other letter as it folds.
fn upright_letter(c: char) -> Option<u8> {
    if let Some(&(_, upright)) = TURNED_LETTERS.iter().find(|&&(t, _)| t == c) {
        return Some(upright);
    }
    let folded = match fold(c) {
        Fold::Ascii(ascii) if ascii.len() == 1 => ascii.as_bytes()[0],
        _ if c == 'ı' => b'i',
        _ => return None,
    };
    Some(match folded {
        b'u' => b'n',
        b'n' => b'u',
        b'p' => b'd',
        b'd' => b'p',
        b'b' => b'q',
        b'q' => b'b',
        b'a'..=b'z' => folded,
        _ => return None,
    })
}

/// Letters drawn with strokes, longest first: `|\|` is `N`, `\/` is `V`.
const STROKE_LETTERS: [(&str, u8); 7] = [
    ("|\\/|", b'm'),
    ("/\\/\\", b'm'),
    ("\\/\\/", b'w'),
    ("|\\|", b'n'),
    ("/\\/", b'n'),
    ("/\\|", b'n'),
    ("\\/", b'v'),
];

/// The letter that `rest` starts drawing with strokes, and how many bytes
/// it takes, if it is drawn beside a letter (`|\|igga`, `\/agina`,
/// `ca\/\/`): strokes alone (`/\/\/`, `\/` in a shrug) stay symbols.
pub(super) fn stroke_letter(rest: &str, after_letter: bool) -> Option<(u8, usize)> {
    if !matches!(rest.as_bytes().first(), Some(b'|' | b'/' | b'\\')) {
        return None;
    }
    let (drawn, letter) = STROKE_LETTERS
        .iter()
        .find(|(drawn, _)| rest.starts_with(drawn))?;
    let before_letter = rest[drawn.len()..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic());
    (after_letter || before_letter).then_some((*letter, drawn.len()))
}
