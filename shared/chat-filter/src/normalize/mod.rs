//! Normalisation: reading chat text the way its writer meant it to be read.
//!
//! People who want a word past a filter disguise it: `ｆｕｃｋ`, `fսck`
//! (Armenian), `f̶u̶c̶k̶`, `sh1t`, `fuuuuck`, `f.u.c.k`, `f*ck`. Matching runs on
//! a normalised copy of the message in which each of those reads `fuck`, and
//! every byte of that copy remembers the span of the original it came from,
//! so matches map back to the original for masking and reporting.
//!
//! The steps, in order:
//!
//! 1. **Fold characters** ([`fold`]): case, compatibility forms (fullwidth,
//!    mathematical, circled), diacritics and Unicode's confusables (Cyrillic and
//!    Greek look-alikes) become ASCII through one generated table; zero-width
//!    and format characters and combining marks (including strike-through
//!    overlays) are dropped, their span joined to the character before.
//! 2. **Split into words** at whitespace and punctuation. Punctuation at a
//!    word's edges (`(hi)`, `wow!`, `*hug*`) is never read as a letter.
//!    What separated each pair of neighbouring words is kept as a [`Gap`]:
//!    whether `fu.ck`, `fu ck` or `f--k` is one word in pieces or two words
//!    depends on the word lists, which the normaliser does not know, so the
//!    matcher decides, and it needs to know whether the pieces were split by
//!    spaces (usually two real words) or by marks inside one token (usually
//!    one word), and how many marks there were (`f---ing` hides three
//!    letters). An apostrophe before a contraction or possessive ending
//!    (`it's`, `Pen's`) is recorded apart: it never hides letters. So is a
//!    censoring mark beside a space (`c *nt`), which trimming would
//!    otherwise lose. Letter-like symbols trimmed from a word's end (`sh!+`)
//!    are kept as its [tail](Normalized::tails), since only the lists can
//!    tell `sh!+` from `wow!`.
//! 3. **Join spelled-out words**: three or more single letters separated by
//!    spaces or punctuation (`f u c k`, `f.u.c.k`, `s-h-1-t`, `f*u*c*k`) are
//!    one word. This needs no list, since three lone letters are rarely
//!    anything else; longer neighbours are left to the matcher, so "the
//!    assassin" stays two words.
//! 4. **Read leetspeak** only inside words that hold a letter: `sh1t`, `a$$`
//!    and `@ss` are words, while `100`, `$5` and `4:20` stay numbers; three or
//!    more symbols that all read as letters (`@$$`) are a word too, since
//!    money and emoticons are shorter or hold digits. `1`, `!` and `|` read as
//!    either `i` or `l`, so they become the wildcard byte [`EITHER_I_OR_L`],
//!    which the matcher treats as both. `*`, `#`, `^`, `&` and `%` inside a
//!    word are self-censoring and become [`CENSORED`].
//!
//!    Some letters are also look-alikes, read where the ordinary reading
//!    is implausible: an `l` between two consonants (`shlt`, `nlgger`;
//!    English rarely puts one there, except after `r` or before `s`, as in
//!    "world" and "pls") and a capital `I` after a letter (`heII`) become
//!    the wildcard, and exactly two `v`s become `w` (`tvvat`; no English
//!    word needs `vv` as two letters for a match). `x`, `@`, `$` and the
//!    digits with no vowel reading (`2`, `6`, `8`, `9`) are characters that
//!    people also use to hide a letter (`fuxk`, `fu@k`, `f$cks`, `f8ck`);
//!    which reading is meant depends on the lists, so their positions are
//!    recorded ([`Normalized::letter_marks`]) for the matcher to try both.
//!    Letters drawn with strokes beside a letter (`|\|igga`, `\/agina`)
//!    read as the letter drawn, and a `ß` that starts a word, which German
//!    never writes, as the `b` it imitates (`ß0ll0cks`).
//! 5. **Collapse repeats**: a run of one letter is kept once, with its length
//!    recorded, so `fuuuuck` matches `fuck` while `as` never matches `ass`
//!    (the matcher requires the run lengths a term spells).
//!
//! Words in the output are separated by exactly one space, so word
//! boundaries are a single byte test.
//!
//! A word written upside down (`ɹǝɓɓıu`, with letters such as `ɹ`, `ǝ` and
//! `ɓ` that only upside-down text uses) is also read turned upright and
//! reversed ([`Normalized::flipped_words`]); messages without a turned
//! letter skip that pass.

mod fold_table;

use std::ops::Range;

/// The byte standing for a character that reads as `i` or `l` (`1`, `!`, `|`).
pub const EITHER_I_OR_L: u8 = b'!';
/// The byte standing for a self-censoring mark inside a word (`f*ck`).
pub const CENSORED: u8 = b'*';
/// The byte between two words.
pub const WORD_BREAK: u8 = b' ';
/// The most trailing symbols read as a word's last letters (`sh!+`).
pub const MAX_TAIL: usize = 3;

/// `b` with `i`, `l` and [`EITHER_I_OR_L`] made one byte (the wildcard), so
/// that the matcher can find a term in one pass whichever of the three each
/// of its `i`s and `l`s was written as, and check which afterwards.
pub(crate) const fn fold_i_or_l(b: u8) -> u8 {
    match b {
        b'i' | b'l' => EITHER_I_OR_L,
        _ => b,
    }
}

/// How a single character of the original text reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// One to four ASCII characters (letters lowercased).
    Ascii(&'static str),
    /// A character with no ASCII reading, lowercased.
    Other(char),
    /// A character that belongs to the one before it (a combining mark) or
    /// to none (a zero-width or format character).
    Ignore,
}

/// Folds one character to what it reads as.
///
/// ```
/// use chat_filter::normalize::{fold, Fold};
///
/// assert_eq!(fold('Ｆ'), Fold::Ascii("f"));   // fullwidth
/// assert_eq!(fold('а'), Fold::Ascii("a"));    // Cyrillic a
/// assert_eq!(fold('é'), Fold::Ascii("e"));
/// assert_eq!(fold('\u{200B}'), Fold::Ignore); // zero-width space
/// assert_eq!(fold('Ж'), Fold::Other('ж'));
/// ```
pub fn fold(c: char) -> Fold {
    if c.is_ascii() {
        let i = c as usize;
        return Fold::Ascii(&ASCII_LOWER[i..i + 1]);
    }
    let code = c as u32;
    if is_ignorable(code) {
        return Fold::Ignore;
    }
    if let Ok(i) = fold_table::FOLDS.binary_search_by_key(&code, |&(k, _)| k) {
        let padded = &fold_table::FOLDS[i].1;
        let len = padded.iter().position(|&b| b == 0).unwrap_or(padded.len());
        // The generator writes ASCII only, so this never falls back.
        return Fold::Ascii(std::str::from_utf8(&padded[..len]).unwrap_or(""));
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => Fold::Other(l),
        _ => Fold::Other(c),
    }
}

/// Every ASCII character, lowercased, at its own code point's index.
static ASCII_LOWER: &str = "\0\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\
    \x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f \
    !\"#$%&'()*+,-./0123456789:;<=>?@abcdefghijklmnopqrstuvwxyz[\\]^_`\
    abcdefghijklmnopqrstuvwxyz{|}~\x7f";

/// Zero-width, format and variation-selector characters
/// (Default_Ignorable_Code_Point), and combining marks.
fn is_ignorable(code: u32) -> bool {
    const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),
        (0x034F, 0x034F),
        (0x061C, 0x061C),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x206F),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0000, 0xE0FFF),
    ];
    in_ranges(DEFAULT_IGNORABLE, code) || in_ranges(fold_table::COMBINING_MARKS, code)
}

fn in_ranges(ranges: &[(u32, u32)], code: u32) -> bool {
    let i = ranges.partition_point(|&(_, end)| end < code);
    ranges.get(i).is_some_and(|&(start, _)| start <= code)
}

/// What one folded character is, for word splitting and leetspeak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `a`–`z`.
    Letter(u8),
    /// A non-ASCII letter with no ASCII reading.
    OtherLetter(char),
    /// `0`–`9`.
    Digit(u8),
    /// A symbol that may stand for a letter inside a word (`@`, `$`, `!`...):
    /// its reading, and whether it is punctuation at a word's edge.
    Symbol(u8, bool),
    /// Punctuation and symbols that never stand for letters.
    Punct,
    /// Whitespace.
    Space,
}

/// A non-ASCII character as [`fold`] and the unit kinds read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folded {
    Ignore,
    Other(Kind),
    Ascii(&'static str),
}

impl Folded {
    fn of(c: char) -> Folded {
        match fold(c) {
            Fold::Ignore => Folded::Ignore,
            Fold::Ascii(ascii) => Folded::Ascii(ascii),
            Fold::Other(o) => Folded::Other(if o.is_whitespace() {
                Kind::Space
            } else if o.is_alphanumeric() {
                Kind::OtherLetter(o)
            } else if let Some(reading) = symbol_reading(o) {
                Kind::Symbol(reading, is_edge_punctuation(o))
            } else {
                Kind::Punct
            }),
        }
    }
}

/// Recently read non-ASCII characters with their [`Folded`] reading and
/// whether they are turned letters. Reading one takes several table
/// searches, and a message in a non-Latin script repeats few characters
/// many times, so a small direct-mapped cache kept between messages
/// answers most of them.
#[derive(Default, Clone)]
struct FoldCache {
    /// `FOLD_CACHE_SLOTS` slots once used; a slot keyed `'\0'` (ASCII,
    /// never cached) is empty.
    slots: Vec<(char, Folded, bool)>,
}

const FOLD_CACHE_SLOTS: usize = 256;

impl FoldCache {
    fn get(&mut self, c: char) -> (Folded, bool) {
        if self.slots.is_empty() {
            self.slots = vec![('\0', Folded::Ignore, false); FOLD_CACHE_SLOTS];
        }
        let code = c as usize;
        let slot = (code ^ (code >> 7)) % FOLD_CACHE_SLOTS;
        match self.slots[slot] {
            (key, folded, turned) if key == c => (folded, turned),
            _ => {
                let entry = (c, Folded::of(c), is_turned_letter(c));
                self.slots[slot] = entry;
                (entry.1, entry.2)
            }
        }
    }
}

impl std::fmt::Debug for FoldCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FoldCache").finish_non_exhaustive()
    }
}

/// One folded character with the original bytes it came from.
#[derive(Debug, Clone, Copy)]
struct Unit {
    kind: Kind,
    /// The folded ASCII character (lowercased), or 0: what a gap between
    /// words is made of, and which letters may hide others.
    ch: u8,
    start: u32,
    end: u32,
}

impl Unit {
    fn is_letter(&self) -> bool {
        matches!(self.kind, Kind::Letter(_) | Kind::OtherLetter(_))
    }

    /// Whether this unit may be part of a word (before leetspeak is decided).
    fn is_wordish(&self) -> bool {
        !matches!(self.kind, Kind::Punct | Kind::Space)
    }
}

/// The letter a digit reads as inside a word, if any.
fn digit_as_letter(d: u8) -> Option<u8> {
    match d {
        b'0' => Some(b'o'),
        b'1' => Some(EITHER_I_OR_L),
        b'3' => Some(b'e'),
        b'4' => Some(b'a'),
        b'5' => Some(b's'),
        b'7' => Some(b't'),
        b'8' => Some(b'b'),
        b'9' => Some(b'g'),
        _ => None,
    }
}

/// How each ASCII character reads once lowercased: the per-character
/// classification of the common case, as one table look-up.
static ASCII_KINDS: [Kind; 128] = {
    let mut kinds = [Kind::Punct; 128];
    let mut i = 0;
    while i < 128 {
        let b = (i as u8).to_ascii_lowercase();
        kinds[i] = match b {
            b'a'..=b'z' => Kind::Letter(b),
            b'0'..=b'9' => Kind::Digit(b),
            _ if b.is_ascii_whitespace() || b < 0x20 || b == 0x7f => Kind::Space,
            _ => match symbol_reading(b as char) {
                Some(reading) => Kind::Symbol(reading, is_edge_punctuation(b as char)),
                None => Kind::Punct,
            },
        };
        i += 1;
    }
    kinds
};

/// The reading of a symbol that may stand for a letter, if it is one.
const fn symbol_reading(c: char) -> Option<u8> {
    Some(match c {
        '@' => b'a',
        '$' | '§' => b's',
        '!' | '|' | '¡' => EITHER_I_OR_L,
        '(' | '<' | '¢' => b'c',
        '+' => b't',
        '€' => b'e',
        '£' => b'l',
        '*' | '#' | '^' | '&' | '%' => CENSORED,
        _ => return None,
    })
}

/// Symbols that are punctuation, not letters, at the edge of a word
/// (`(fuck)`, `wow!`, `*hug*`, `#tag`, `+1`); `$`, `@`, `<` and `€` at an
/// edge still read as letters (`a$$`, `@ss`, `<unt`).
const fn is_edge_punctuation(c: char) -> bool {
    matches!(
        c,
        '!' | '|' | '¡' | '(' | '¢' | '+' | '*' | '#' | '^' | '&' | '%'
    )
}

/// A normalised message: bytes to match, and where each came from.
///
/// ```
/// use chat_filter::normalize::Normalized;
///
/// let mut n = Normalized::default();
/// n.normalize("Ｆ.u.c.k  thé $5 SH1T!");
/// assert_eq!(n.as_bytes(), b"fuck the 5 sh!t");
/// // Every byte maps back to the original text.
/// assert_eq!(n.original_span(0..4), 0..9);
/// ```
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    bytes: Vec<u8>,
    /// Original byte span of each normalised byte.
    spans: Vec<(u32, u32)>,
    /// How many times each byte was repeated in the original (1..=255).
    runs: Vec<u8>,
    /// What separated each pair of neighbouring words, one per word break.
    gaps: Vec<Gap>,
    /// Index of each [`WORD_BREAK`] byte, ascending.
    breaks: Vec<u32>,
    /// Bytes read from a letter that may stand for a hidden one (`x`, `@`,
    /// `$`), ascending.
    letter_marks: Vec<u32>,
    /// Symbols trimmed from the end of a word that read as letters
    /// (`sh!+`): the index of the word's last byte and their reading.
    tails: Vec<(u32, [u8; MAX_TAIL])>,
    /// Words written upside down (`ɹǝɓɓıu`): each word's byte range and the
    /// range of its upright reading in `upright`.
    flipped: Vec<(Range<u32>, Range<u32>)>,
    upright: Vec<u8>,
    /// Whether the message holds a turned letter at all.
    saw_turned: bool,
    /// Words followed by censoring marks (`motherf*****`): the index of the
    /// word's last byte and how many marks follow it.
    censored_ends: Vec<(u32, u8)>,
    /// `bytes` through [`fold_i_or_l`], what the matcher's automaton reads.
    folded: Vec<u8>,
    /// Scratch space kept between messages so normalising allocates nothing
    /// once the buffers have grown to the longest message seen.
    units: Vec<Unit>,
    pieces: Vec<Range<usize>>,
    folds: FoldCache,
    /// The unit the last byte was read from: the gap before the next word
    /// runs from after it.
    last_unit: usize,
}

/// What separated two neighbouring words in the original text.
///
/// The normaliser cannot know whether `fu.ck`, `fu ck` or `f--k` is one
/// word in pieces or two words, since that depends on the word lists; it
/// records the gap so that the matcher can try the joined reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Whitespace only: `fu ck`, but also every ordinary pair of words.
    Space,
    /// Marks inside one token, with no whitespace: `fu.ck`, `f--k`,
    /// `f[_]cker`, `f'ck`.
    Marks {
        /// How many marks (at most 255).
        count: u8,
        /// Whether every mark is one that splits a word without hiding
        /// letters (`.`, `-`, `_`, `~`: `fu.ck`, `a-hole`), rather than
        /// only a mark that may hide letters (`'`, `>`, brackets).
        joins: bool,
    },
    /// Whitespace and censoring marks (`c *nt`, `c* nt`, `f ***ing`): a
    /// self-censored word with a space beside its mark.
    SpacedMarks {
        /// How many censoring marks (at most 255).
        count: u8,
    },
    /// An apostrophe before a contraction or possessive ending (`it's`,
    /// `we'll`): the words belong together, and the ending hides nothing.
    Apostrophe,
    /// Anything else, such as other punctuation or punctuation and spaces.
    Other,
}

/// Marks inside a token that may split a word in two (`fu.ck`).
const fn is_joiner(c: u8) -> bool {
    matches!(c, b'.' | b'-' | b'_' | b'~')
}

/// Marks inside a token that may stand for hidden letters (`f--k`, `f'ck`,
/// `f>>k`, `f()()k`, `f[_]cker`).
const fn is_hiding_mark(c: u8) -> bool {
    is_joiner(c) || matches!(c, b'\'' | b'>' | b'(' | b')' | b'[' | b']')
}

/// Letters, letter-like symbols and digits that people also use to hide a
/// letter (`fuxk`, `dxck`, `fu@k`, `f$cks`, `f8ck`, `b2tch`). The digits are
/// those with no vowel reading of their own; inside a word they still read
/// as their letter first (`8` as `b`), and hide one only where a listed word
/// results.
const fn may_hide_letters(c: u8) -> bool {
    matches!(c, b'x' | b'@' | b'$' | b'2' | b'6' | b'8' | b'9')
}

/// Consonants, for reading `l` between two of them as `i` (`shlt`,
/// `nlgger`); `y` counts as a vowel, `l` as neither.
const fn is_consonant(b: u8) -> bool {
    b.is_ascii_lowercase() && !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'l')
}

impl Normalized {
    /// Normalises `text` into this buffer, reusing its allocations.
    pub fn normalize(&mut self, text: &str) {
        self.normalize_masked(text, '*');
    }

    /// Normalises `text`, reading `mask` (the filter's mask character) as a
    /// self-censoring mark, so that a word the filter masked stays a word of
    /// its own when masked text is reviewed again: `f ***** you` must not
    /// read as `f you`.
    pub fn normalize_masked(&mut self, text: &str, mask: char) {
        self.bytes.clear();
        self.spans.clear();
        self.runs.clear();
        self.gaps.clear();
        self.breaks.clear();
        self.letter_marks.clear();
        self.tails.clear();
        self.flipped.clear();
        self.upright.clear();
        self.saw_turned = false;
        self.censored_ends.clear();
        self.last_unit = 0;
        self.fold_units(text, mask);
        self.build_words();
        if self.saw_turned {
            self.read_flipped_words(text);
        }
        self.folded.clear();
        self.folded
            .extend(self.bytes.iter().map(|&b| fold_i_or_l(b)));
    }

    /// The normalised bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The normalised bytes with `i` and `l` read as [`EITHER_I_OR_L`]
    /// ([`fold_i_or_l`]).
    pub(crate) fn folded_bytes(&self) -> &[u8] {
        &self.folded
    }

    /// How many times the byte at `index` was repeated in the original.
    pub fn run_length(&self, index: usize) -> u8 {
        self.runs[index]
    }

    /// The run lengths of the normalised bytes.
    pub fn run_lengths(&self) -> &[u8] {
        &self.runs
    }

    /// What separated each pair of neighbouring words: the `n`th gap is the
    /// `n`th [`WORD_BREAK`] byte.
    pub fn gaps(&self) -> &[Gap] {
        &self.gaps
    }

    /// Indices of the [`WORD_BREAK`] bytes, ascending: the `n`th is where
    /// the `n`th gap stands.
    pub fn word_breaks(&self) -> &[u32] {
        &self.breaks
    }

    /// Indices of the bytes read from a letter that may stand for hidden
    /// letters (`x` in `fuxk`, `@` in `fu@k`), ascending.
    pub fn letter_marks(&self) -> &[u32] {
        &self.letter_marks
    }

    /// Symbols trimmed from the end of a word that may read as its last
    /// letters (`sh!+`, `shi+`): the index of the word's last byte, and
    /// their reading (at most [`MAX_TAIL`] bytes, padded with zeros).
    /// Whether `wow!` ends in a letter depends on the lists: the matcher
    /// reads the tail only where the whole token then spells a term.
    pub fn tails(&self) -> &[(u32, [u8; MAX_TAIL])] {
        &self.tails
    }

    /// Words followed by two or more censoring marks, which may hide their
    /// end (`motherf*****`, `mother******`): the index of each word's last
    /// byte and how many marks follow it. The marks are not in
    /// [`as_bytes`](Self::as_bytes).
    pub fn censored_ends(&self) -> &[(u32, u8)] {
        &self.censored_ends
    }

    /// The words written upside down (with a turned letter such as `ɹ`,
    /// `ǝ` or `ɓ`): each word's byte range and its reading turned upright
    /// and in order (`ɹǝɓɓıu` reads `nigger`). Their ordinary reading is
    /// in [`as_bytes`](Self::as_bytes) as for every word.
    pub fn flipped_words(&self) -> impl Iterator<Item = (Range<usize>, &[u8])> + '_ {
        self.flipped.iter().map(|(word, reading)| {
            (
                word.start as usize..word.end as usize,
                &self.upright[reading.start as usize..reading.end as usize],
            )
        })
    }

    /// Records the upright reading of every word that holds a turned
    /// letter and reads as letters throughout.
    fn read_flipped_words(&mut self, text: &str) {
        let ends = self.breaks.iter().map(|&b| b as usize);
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
            let from = self.upright.len();
            let mut readable = true;
            for c in original
                .chars()
                .rev()
                .filter(|&c| !matches!(fold(c), Fold::Ignore))
            {
                match upright_letter(c) {
                    Some(b) => self.upright.push(b),
                    None => {
                        readable = false;
                        break;
                    }
                }
            }
            if readable {
                self.flipped.push((
                    start as u32..end as u32,
                    from as u32..self.upright.len() as u32,
                ));
            } else {
                // A character with no upright reading: not an upside-down word.
                self.upright.truncate(from);
            }
        }
    }

    /// The span of the original text that normalised bytes `range` came from.
    /// `range` must be non-empty and within [`as_bytes`](Self::as_bytes).
    pub fn original_span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.spans[range.start].0 as usize;
        let end = self.spans[range.end - 1].1 as usize;
        start..end
    }

    /// Step 1: fold every character into units.
    fn fold_units(&mut self, text: &str, mask: char) {
        self.units.clear();
        self.units.reserve(text.len());
        // Whether the previous character was an ASCII letter: a capital `I`
        // after one may be a lower-case `l` (`heII`).
        let mut after_letter = false;
        // The end of a letter drawn with several strokes (`|\|`), whose
        // characters have been read already.
        let mut drawn_until = 0;
        for (offset, c) in text.char_indices() {
            if offset < drawn_until {
                continue;
            }
            let start = offset as u32;
            let was_after_letter = std::mem::replace(&mut after_letter, c.is_ascii_alphabetic());
            if let Some((letter, len)) = stroke_letter(&text[offset..], was_after_letter) {
                drawn_until = offset + len;
                after_letter = true;
                self.units.push(Unit {
                    kind: Kind::Letter(letter),
                    ch: letter,
                    start,
                    end: drawn_until as u32,
                });
                continue;
            }
            if c == 'ß' && !self.units.last().is_some_and(Unit::is_wordish) {
                // German never starts a word with ß; evaders use it for
                // `B` (`ß0ll0cks`).
                self.units.push(Unit {
                    kind: Kind::Letter(b'b'),
                    ch: b'b',
                    start,
                    end: start + c.len_utf8() as u32,
                });
                continue;
            }
            if c == mask && !mask.is_alphanumeric() {
                let end = (offset + c.len_utf8()) as u32;
                let kind = Kind::Symbol(CENSORED, true);
                self.units.push(Unit {
                    kind,
                    ch: 0,
                    start,
                    end,
                });
                continue;
            }
            if c.is_ascii() {
                let kind = if c == 'I' && was_after_letter {
                    Kind::Symbol(EITHER_I_OR_L, false)
                } else {
                    ASCII_KINDS[c as usize]
                };
                self.units.push(Unit {
                    kind,
                    ch: c.to_ascii_lowercase() as u8,
                    start,
                    end: start + 1,
                });
                continue;
            }
            let end = (offset + c.len_utf8()) as u32;
            let (folded, turned) = self.folds.get(c);
            self.saw_turned |= turned;
            match folded {
                Folded::Ignore => {
                    // A mark belongs to the character before it, so masking
                    // that character masks its overlay too.
                    after_letter = was_after_letter;
                    if let Some(last) = self.units.last_mut() {
                        if last.end == start {
                            last.end = end;
                        }
                    }
                }
                Folded::Other(kind) => {
                    self.units.push(Unit {
                        kind,
                        ch: 0,
                        start,
                        end,
                    });
                }
                Folded::Ascii(ascii) => {
                    for b in ascii.bytes() {
                        let kind = ASCII_KINDS[usize::from(b & 0x7f)];
                        self.units.push(Unit {
                            kind,
                            ch: b,
                            start,
                            end,
                        });
                    }
                }
            }
        }
    }

    /// Steps 2 to 5: split, join, read leetspeak, collapse, emit.
    fn build_words(&mut self) {
        let units = std::mem::take(&mut self.units);
        let mut pieces = std::mem::take(&mut self.pieces);
        pieces.clear();
        let mut i = 0;
        // Pieces are maximal runs of word-ish units; a run of three or more
        // one-unit pieces forms one word.
        while i < units.len() {
            if !units[i].is_wordish() {
                i += 1;
                continue;
            }
            let start = i;
            while i < units.len() && units[i].is_wordish() {
                i += 1;
            }
            let (s, e) = trim_edge_punctuation(&units, start, i);
            if is_spelled_out_with_marks(&units[s..e]) {
                // `f*u*c*k`, `f!u!c!k`: the marks separate single letters.
                // The empty pieces around them keep this word from joining
                // its neighbours.
                pieces.push(s..s);
                pieces.extend((s..e).step_by(2).map(|at| at..at + 1));
                pieces.push(e..e);
            } else if s < e {
                pieces.push(s..e);
            } else if units[start..i]
                .iter()
                .any(|u| matches!(u.kind, Kind::Symbol(CENSORED, _)))
            {
                // Censoring marks alone (`***`, a masked word) are a word
                // of their own: `f u *** k` is not `fuk`, `f *** you` not
                // `f you`.
                pieces.push(start..i);
            } else {
                // Other marks alone (`!!!`) still keep single letters apart.
                pieces.push(start..start);
            }
        }
        let mut p = 0;
        while p < pieces.len() {
            let mut q = p;
            while q < pieces.len() && pieces[q].len() == 1 {
                q += 1;
            }
            if q - p >= 3 {
                self.emit_word(&units, pieces[p..q].iter().map(|r| r.start));
                p = q;
            } else {
                let r = pieces[p].clone();
                let (end, emitted) = (r.end, self.bytes.len());
                self.emit_word(&units, r);
                if self.bytes.len() > emitted {
                    self.record_tail(&units[end..]);
                }
                p += 1;
            }
        }
        self.units = units;
        self.pieces = pieces;
    }

    /// Records the letter-like symbols at the start of `after` (those trimmed
    /// from the end of the word just emitted) as its tail.
    fn record_tail(&mut self, after: &[Unit]) {
        let mut reading = [0u8; MAX_TAIL];
        let mut len = 0;
        let mut marks = 0u8;
        for unit in after {
            match unit.kind {
                Kind::Symbol(CENSORED, true) if len == 0 => marks = marks.saturating_add(1),
                Kind::Symbol(r, true) if r != CENSORED && len < MAX_TAIL && marks == 0 => {
                    reading[len] = r;
                    len += 1;
                }
                Kind::Symbol(_, true) => return,
                _ => break,
            }
        }
        let last = self.bytes.len() - 1;
        if self.bytes[last].is_ascii_lowercase() {
            if len > 0 {
                self.tails.push((last as u32, reading));
            } else if marks >= 2 {
                self.censored_ends.push((last as u32, marks));
            }
        }
    }

    /// Emits one word from the units at `indices`, reading leetspeak only if
    /// the word holds a letter; a symbol that is not read as a letter splits
    /// the word.
    fn emit_word(&mut self, units: &[Unit], indices: impl Iterator<Item = usize> + Clone) {
        let has_letter = indices.clone().any(|i| units[i].is_letter());
        let all_edge_marks = indices
            .clone()
            .all(|i| matches!(units[i].kind, Kind::Symbol(_, true)));
        if !has_letter && all_edge_marks {
            if let (Some(first), Some(last)) = (indices.clone().next(), indices.clone().last()) {
                // A censored word: one mark byte spanning it.
                self.begin_word(true, units, first);
                let unit = Unit {
                    kind: Kind::Symbol(CENSORED, true),
                    ch: 0,
                    start: units[first].start,
                    end: units[last].end,
                };
                self.push(CENSORED, unit, false);
                self.last_unit = last;
            }
            return;
        }
        // Three or more symbols that all read as letters (`@$$`) are a word
        // written in symbols alone.
        let read_symbols = has_letter
            || (indices.clone().nth(2).is_some()
                && indices.clone().all(
                    |i| matches!(units[i].kind, Kind::Symbol(r, _) if r.is_ascii_lowercase()),
                ));
        let mut word_start = true;
        let mut skip = None;
        for i in indices {
            if skip == Some(i) {
                continue;
            }
            let mut unit = units[i];
            let out = match unit.kind {
                Kind::Letter(b'v') if is_double_v(units, i) => {
                    // `vv` reads `w` (`tvvat`).
                    skip = Some(i + 1);
                    unit.end = units[i + 1].end;
                    Some(b'w')
                }
                Kind::Letter(b'l') if is_between_consonants(units, i) => Some(EITHER_I_OR_L),
                Kind::Letter(b) => Some(b),
                Kind::Digit(d) if has_letter => Some(digit_as_letter(d).unwrap_or(d)),
                Kind::Digit(d) => Some(d),
                Kind::Symbol(reading, _) if read_symbols => Some(reading),
                Kind::OtherLetter(c) => {
                    self.begin_word(word_start, units, i);
                    word_start = false;
                    let mut buf = [0u8; 4];
                    for &b in c.encode_utf8(&mut buf).as_bytes() {
                        self.push(b, unit, false);
                    }
                    self.last_unit = i;
                    continue;
                }
                _ => None,
            };
            match out {
                Some(b) => {
                    self.begin_word(word_start, units, i);
                    word_start = false;
                    self.push(b, unit, true);
                    self.last_unit = skip.filter(|&s| s == i + 1).unwrap_or(i);
                    if may_hide_letters(unit.ch) && b != EITHER_I_OR_L {
                        let at = (self.bytes.len() - 1) as u32;
                        if self.letter_marks.last() != Some(&at) {
                            self.letter_marks.push(at);
                        }
                    }
                }
                None => word_start = true,
            }
        }
    }

    /// Writes the word break before a new word (not before the first), and
    /// records the gap between the last unit read and unit `next`.
    fn begin_word(&mut self, word_start: bool, units: &[Unit], next: usize) {
        if word_start && !self.bytes.is_empty() {
            let at = self.spans.last().map_or(0, |s| s.1);
            self.breaks.push(self.bytes.len() as u32);
            self.bytes.push(WORD_BREAK);
            self.spans.push((at, at));
            self.runs.push(1);
            let between = units.get(self.last_unit + 1..next).unwrap_or(&[]);
            let gap = if is_contraction(between, &units[next..]) {
                Gap::Apostrophe
            } else {
                classify_gap(between)
            };
            self.gaps.push(gap);
        }
    }

    fn push(&mut self, b: u8, unit: Unit, collapsible: bool) {
        if collapsible && self.bytes.last() == Some(&b) && b != WORD_BREAK {
            let last = self.bytes.len() - 1;
            self.runs[last] = self.runs[last].saturating_add(1);
            self.spans[last].1 = unit.end;
            return;
        }
        self.bytes.push(b);
        self.spans.push((unit.start, unit.end));
        self.runs.push(1);
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
fn is_turned_letter(c: char) -> bool {
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
fn stroke_letter(rest: &str, after_letter: bool) -> Option<(u8, usize)> {
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

/// What the units between two words make of the gap.
fn classify_gap(between: &[Unit]) -> Gap {
    if between.is_empty() {
        return Gap::Other;
    }
    if between.iter().all(|u| u.kind == Kind::Space) {
        return Gap::Space;
    }
    let is_mark =
        |u: &Unit| matches!(u.kind, Kind::Punct | Kind::Symbol(_, true)) && is_hiding_mark(u.ch);
    if between.iter().all(is_mark) {
        return Gap::Marks {
            count: u8::try_from(between.len()).unwrap_or(u8::MAX),
            joins: between.iter().all(|u| is_joiner(u.ch)),
        };
    }
    let is_censoring = |u: &Unit| matches!(u.kind, Kind::Symbol(CENSORED, _));
    let marks = between.iter().filter(|u| is_censoring(u)).count();
    if marks > 0
        && between
            .iter()
            .all(|u| u.kind == Kind::Space || is_censoring(u))
    {
        return Gap::SpacedMarks {
            count: u8::try_from(marks).unwrap_or(u8::MAX),
        };
    }
    Gap::Other
}

/// Whether an apostrophe in `between` starts a contraction or possessive
/// ending in `after` (`it's`, `don't`, `we'll`, `Pen's`): those letters
/// end the word before, they never hide letters of it.
fn is_contraction(between: &[Unit], after: &[Unit]) -> bool {
    if !between.iter().any(|u| u.ch == b'\'') {
        return false;
    }
    let mut ending = [0u8; 3];
    let mut len = 0;
    for unit in after {
        match unit.kind {
            Kind::Letter(b) if len < ending.len() => {
                ending[len] = b;
                len += 1;
            }
            Kind::Letter(_) => return false,
            _ => break,
        }
    }
    matches!(
        &ending[..len],
        b"s" | b"t" | b"d" | b"m" | b"ll" | b"re" | b"ve" | b"em" | b"n" | b"all"
    )
}

/// Whether unit `i` and the next are exactly two `v`s (`tvvat`).
fn is_double_v(units: &[Unit], i: usize) -> bool {
    let is_v = |at: Option<usize>| {
        at.and_then(|at| units.get(at))
            .is_some_and(|u| u.kind == Kind::Letter(b'v'))
    };
    is_v(Some(i + 1)) && !is_v(Some(i + 2)) && !is_v(i.checked_sub(1))
}

/// Whether the `l` (or run of `l`s) at unit `i` sits between two
/// consonants, where English rarely puts one and a disguised `i` often
/// stands (`shlt`, `nlgger`).
fn is_between_consonants(units: &[Unit], i: usize) -> bool {
    let is_l = |u: &Unit| u.kind == Kind::Letter(b'l');
    let before = units[..i].iter().rev().find(|u| !is_l(u));
    let after = units[i + 1..].iter().find(|u| !is_l(u));
    let letter = |u: Option<&Unit>| match u {
        Some(Unit {
            kind: Kind::Letter(b),
            ..
        }) => Some(*b),
        _ => None,
    };
    let (before, after) = (letter(before), letter(after));
    // Not before `s` or `z` ("pls", "plz" and "plss" are "please"), nor
    // after `r` ("world", "Carlton").
    before.is_some_and(|b| is_consonant(b) && b != b'r')
        && after.is_some_and(|b| is_consonant(b) && !matches!(b, b's' | b'z'))
}

/// Whether `units` are three or more single letters each separated by one
/// mark that is punctuation at a word's edge (`f*u*c*k`, `s!h!i!t`).
fn is_spelled_out_with_marks(units: &[Unit]) -> bool {
    units.len() >= 5
        && units.len() % 2 == 1
        && units.iter().enumerate().all(|(i, unit)| {
            if i % 2 == 0 {
                unit.is_letter() || matches!(unit.kind, Kind::Digit(_))
            } else {
                matches!(unit.kind, Kind::Symbol(_, true))
            }
        })
}

/// Narrows `start..end` past symbols that are punctuation at a word's edge.
fn trim_edge_punctuation(units: &[Unit], mut start: usize, mut end: usize) -> (usize, usize) {
    let is_edge = |u: &Unit| matches!(u.kind, Kind::Symbol(_, true));
    while start < end && is_edge(&units[start]) {
        start += 1;
    }
    while end > start && is_edge(&units[end - 1]) {
        end -= 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests;
