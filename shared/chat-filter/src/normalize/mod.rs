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
//! 1. **Fold characters** (`fold.rs`): case, compatibility forms (fullwidth,
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
//!    are kept as its tail ([`WordEnds`]), since only the lists can
//!    tell `sh!+` from `wow!`.
//! 3. **Join spelled-out words**: three or more single letters separated by
//!    spaces or punctuation (`f u c k`, `f.u.c.k`, `s-h-1-t`, `f*u*c*k`) are
//!    one word. This needs no list, since three lone letters are rarely
//!    anything else; longer neighbours are left to the matcher, so "the
//!    assassin" stays two words. A leading `a`, `i` or `u` set apart by a
//!    space is the word before, not the first letter (`such a c u n t`,
//!    `what a f.u.c.k`), when the letters after it are set apart by marks,
//!    or are four or more not starting with a doubled letter (`a s s e s`
//!    and `a n a l` keep theirs). Measured on the disguise matrix: spaced
//!    and dotted words went from 46-48 % to 76-79 % flagged.
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
//!    recorded (`Normalized::letter_marks`) for the matcher to try both.
//!    Letters drawn with strokes beside a letter (`|\|igga`, `\/agina`)
//!    read as the letter drawn, and a `ß` that starts a word, which German
//!    never writes, as the `b` it imitates (`ß0ll0cks`).
//! 5. **Collapse repeats**: a run of one letter is kept once, with its length
//!    recorded (a capital `I` read as either letter joins a run of small
//!    `i` beside it: `SHIiit` is one run of `i`), so `fuuuuck` matches `fuck` while `as` never matches `ass`
//!    (the matcher requires the run lengths a term spells).
//!
//! Words in the output are separated by exactly one space, so word
//! boundaries are a single byte test.
//!
//! A word written upside down (`ɹǝɓɓıu`, with letters such as `ɹ`, `ǝ` and
//! `ɓ` that only upside-down text uses) is also read turned upright and
//! reversed ([`FlippedWords`]); messages without a turned
//! letter skip that pass.
//!
//! One file per step: step 1 in `fold.rs` (characters, the fold cache, and
//! the generated `fold_table.rs`); steps 2 to 5 in `words.rs` (units,
//! word building, tails); the gaps of step 2 in `gaps.rs`; letters drawn
//! with strokes (step 4) and turned upside down in `shapes.rs`. A message
//! of ASCII letters and spaces only, most chat lines, takes the fast path
//! in `plain.rs` instead, which gives exactly what the steps would. This
//! module keeps [`Normalized`] and the mapping of its bytes back to the
//! original text.

mod fold;
mod fold_table;
mod gaps;
mod marks;
mod numbers;
mod plain;
mod shapes;
mod spelled;
mod words;

use std::ops::Range;

pub use fold::{fold, Fold};
pub(crate) use gaps::{Gap, Gaps};
pub(crate) use marks::EdgeMarks;
pub(crate) use shapes::FlippedWords;
pub(crate) use words::WordEnds;

use fold::{FoldCache, Unit};

/// The byte standing for a character that reads as `i` or `l` (`1`, `!`, `|`).
pub const EITHER_I_OR_L: u8 = b'!';
/// The byte standing for a self-censoring mark inside a word (`f*ck`).
pub const CENSORED: u8 = b'*';
/// The byte between two words.
pub const WORD_BREAK: u8 = b' ';
/// The most trailing symbols read as a word's last letters (`sh!+`).
pub const MAX_TAIL: usize = 3;

/// Whether `b` is a vowel: `a`, `e`, `i`, `o`, `u` and `y`, the letters a
/// censoring mark or a vowel frame may hide (`m*th*rf*ck*r`, `n*gg*r`) and
/// that a word written without them lacks.
pub(crate) const fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// `b` as the matcher's automaton reads it: `i`, `l` and [`EITHER_I_OR_L`]
/// made one byte (the wildcard), `z` read as `s` and `v` as `u`, so that
/// one pass finds a term whichever of its look-alike letters each position
/// was written as (`sh1t`, `azzhole`, `fvck`), and the matcher checks
/// afterwards which substitutions the term allows (`spellings::Target`).
pub(crate) const fn fold_look_alikes(b: u8) -> u8 {
    match b {
        b'i' | b'l' => EITHER_I_OR_L,
        b'z' => b's',
        b'v' => b'u',
        _ => b,
    }
}
/// A normalised message: bytes to match, and where each came from.
///
/// ```
/// use chat_filter::Normalized;
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
    /// `bytes` through [`fold_look_alikes`], what the matcher's automaton reads.
    folded: Vec<u8>,

    // Hints: readings that depend on the lists, recorded for the matcher
    // to try only where they could matter.
    /// The word breaks and what separated each pair of neighbouring words.
    pub(crate) gaps: Gaps,
    /// Bytes read from a letter that may stand for a hidden one (`x` in
    /// `fuxk`, `@` in `fu@k`, `$`), ascending.
    pub(crate) letter_marks: Vec<u32>,
    /// Symbols and censoring marks after a word's letters (`sh!+`,
    /// `motherf*****`).
    pub(crate) word_ends: WordEnds,
    /// Words written upside down (`ɹǝɓɓıu`), read upright.
    pub(crate) flipped: FlippedWords,
    /// Censoring marks against words' edges (`*ss`, `stf*`).
    pub(crate) edge_marks: EdgeMarks,

    /// Scratch space kept between messages so normalising allocates nothing
    /// once the buffers have grown to the longest message seen.
    units: Vec<Unit>,
    pieces: Vec<Range<usize>>,
    folds: FoldCache,
    /// The unit the last byte was read from: the gap before the next word
    /// runs from after it.
    last_unit: usize,
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
        self.read(text, mask, true);
    }

    /// Normalises `text`, through the plain-text fast path where it applies
    /// and `fast_paths` allows it (tests compare the two).
    fn read(&mut self, text: &str, mask: char, fast_paths: bool) {
        self.bytes.clear();
        self.spans.clear();
        self.runs.clear();
        self.gaps.clear();
        self.letter_marks.clear();
        self.word_ends.clear();
        self.flipped.clear();
        self.edge_marks.clear();
        self.last_unit = 0;
        if !(fast_paths && self.normalize_plain(text, mask)) {
            self.normalize_general(text, mask);
        }
        self.read_edge_marks(text, mask);
        self.folded.clear();
        self.folded
            .extend(self.bytes.iter().map(|&b| fold_look_alikes(b)));
    }

    /// Steps 1 to 5 for any text, into cleared buffers.
    fn normalize_general(&mut self, text: &str, mask: char) {
        self.fold_units(text, mask);
        self.build_words();
        if self.flipped.saw_turned {
            self.read_flipped_words(text);
        }
    }

    /// The normalised bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The normalised bytes with `i` and `l` read as [`EITHER_I_OR_L`]
    /// ([`fold_look_alikes`]).
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

    /// Whether the text holds a letter or digit once normalised: a list
    /// term that does not could never match.
    pub(crate) fn can_match(&self) -> bool {
        self.bytes
            .iter()
            .any(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
    }

    /// The span of the original text that normalised bytes `range` came from.
    /// `range` must be non-empty and within [`as_bytes`](Self::as_bytes).
    pub fn original_span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.spans[range.start].0 as usize;
        let end = self.spans[range.end - 1].1 as usize;
        start..end
    }
}

#[cfg(test)]
mod tests;
