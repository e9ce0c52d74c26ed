//! Disguises: the ways chat writers hide a word from a filter, as a
//! seeded, deterministic generator.
//!
//! A filter tuned line by line on one test set learns that set's spellings,
//! not the disguises behind them. This module names each disguise as a
//! [`Class`] and applies it to any word, so every listed term can be tried in
//! every disguise (the disguise matrix) and every harmless word too (the
//! harmless matrix), and a regression names the class it broke.
//!
//! Invariant: the same word, class and [`Rng`] state give the same text on
//! every machine and every run (the generator draws only from [`Rng`], a
//! SplitMix64 with a fixed seed, never from the clock or the hash seed), so
//! the figures the tests assert are reproducible.
//!
//! Each class changes only ASCII letters and keeps everything else, and
//! returns `None` where it does not apply (`ph` for `f` in a word without
//! `f`), so a class is never counted on a word it left unchanged.
//! [`Class::reading`] says what the disguised text means with the hidden
//! letters unknown (`?`), which is what a harmless word must not read as.

use std::fmt;

/// A tiny seeded pseudo-random generator (SplitMix64): deterministic,
/// dependency-free and good enough to choose disguises.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (which must not be 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The family a disguise class belongs to, as the README's accuracy table
/// groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Letters set apart by spaces or punctuation.
    Separators,
    /// Letters hidden behind censor marks.
    Censored,
    /// Letters of other scripts, styles or with marks that look the same.
    LookAlikes,
    /// Characters that are not seen at all.
    Invisible,
    /// A word written together with a neighbour.
    Glued,
    /// Other letters or digits that sound or look the same.
    Respellings,
    /// Leetspeak, repeated letters and mixed case.
    Leet,
    /// Plurals and verb forms.
    Inflections,
    /// Two disguises at once.
    Combinations,
}

impl Family {
    /// The family's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::Separators => "separators",
            Family::Censored => "censored",
            Family::LookAlikes => "look-alikes",
            Family::Invisible => "invisible",
            Family::Glued => "glued",
            Family::Respellings => "respellings",
            Family::Leet => "leet",
            Family::Inflections => "inflections",
            Family::Combinations => "combinations",
        }
    }
}

macro_rules! classes {
    ($($variant:ident => $name:literal, $family:ident;)*) => {
        /// One way of disguising a word.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Class {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl Class {
            /// Every class, in report order.
            pub const ALL: &'static [Class] = &[$(Class::$variant),*];

            /// The class's name in reports.
            pub fn name(self) -> &'static str {
                match self {
                    $(Class::$variant => $name,)*
                }
            }

            /// The family it belongs to.
            pub fn family(self) -> Family {
                match self {
                    $(Class::$variant => Family::$family,)*
                }
            }
        }
    };
}

classes! {
    Spaced => "spaced", Separators;
    Dotted => "dotted", Separators;
    Dashed => "dashed", Separators;
    MixedSeparators => "mixed-separators", Separators;
    SingleBreak => "single-break", Separators;
    VowelsCensored => "vowels-censored", Censored;
    OneVowelCensored => "one-vowel-censored", Censored;
    CensorSymbols => "censor-symbols", Censored;
    Cyrillic => "cyrillic", LookAlikes;
    Greek => "greek", LookAlikes;
    GreekWord => "greek-word", LookAlikes;
    Mathematical => "mathematical", LookAlikes;
    Fullwidth => "fullwidth", LookAlikes;
    Enclosed => "enclosed", LookAlikes;
    SmallCapitals => "small-capitals", LookAlikes;
    WiderConfusables => "wider-confusables", LookAlikes;
    Accents => "accents", LookAlikes;
    ZeroWidth => "zero-width", Invisible;
    CombiningMarks => "combining-marks", Invisible;
    GluedBefore => "glued-before", Glued;
    GluedAfter => "glued-after", Glued;
    PhForF => "ph-for-f", Respellings;
    ZForS => "z-for-s", Respellings;
    VForU => "v-for-u", Respellings;
    LForI => "l-for-i", Respellings;
    SevenForT => "7-for-t", Respellings;
    DroppedVowels => "dropped-vowels", Respellings;
    Leetspeak => "leetspeak", Leet;
    Repeats => "repeats", Leet;
    MixedCase => "mixed-case", Leet;
    Plural => "plural", Inflections;
    Suffixed => "suffixed", Inflections;
    LeetSeparators => "leet+separators", Combinations;
    RepeatsMixedCase => "repeats+mixed-case", Combinations;
    LookAlikesZeroWidth => "look-alikes+zero-width", Combinations;
    LeetRepeats => "leet+repeats", Combinations;
    LookAlikesSeparators => "look-alikes+separators", Combinations;
    CensoredCapitals => "censored+capitals", Combinations;
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

const VOWELS: &[u8] = b"aeiou";

/// Words chat glues in front of a listed one (`ufag`, `homefag`).
const GLUED_BEFORE: &[&str] = &["u", "ur", "my", "the", "so", "big", "lol", "home", "ya"];
/// Words chat glues after one (`fuckthis`).
const GLUED_AFTER: &[&str] = &["this", "you", "off", "lol", "face", "up", "it", "man"];

impl Class {
    /// Whether the class hides letters, so that its text may read as words
    /// other than the one disguised (`p*ss` from "pass").
    pub fn hides_letters(self) -> bool {
        matches!(
            self,
            Class::VowelsCensored
                | Class::OneVowelCensored
                | Class::CensorSymbols
                | Class::CensoredCapitals
                | Class::DroppedVowels
        )
    }

    /// `text` (lowercase words separated by single spaces) in this
    /// disguise, or `None` where the class does not apply to it.
    pub fn apply(self, text: &str, rng: &mut Rng) -> Option<String> {
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return None;
        }
        let out = match self {
            Class::Spaced => join_letters(&words, |_| " "),
            Class::Dotted => join_letters(&words, |_| "."),
            Class::Dashed => join_letters(&words, |_| "-"),
            Class::MixedSeparators => {
                const MARKS: &[&str] = &[" ", ".", "-", "_", "~", "*", "/", "+"];
                join_letters(&words, |_| *rng.pick(MARKS))
            }
            Class::SingleBreak => single_break(&words, rng)?,
            Class::VowelsCensored => censor_vowels(text, |_| '*')?,
            Class::OneVowelCensored => censor_one_vowel(text, rng)?,
            Class::CensorSymbols => {
                const MARKS: &[char] = &['#', '%', '^', '&', '?', '-', '~'];
                let mark = *rng.pick(MARKS);
                censor_vowels(text, |_| mark)?
            }
            Class::Cyrillic => replace_some(text, rng, 60, cyrillic)?,
            Class::Greek => replace_some(text, rng, 60, greek)?,
            Class::GreekWord => replace_some(text, rng, 100, greek)?,
            Class::Mathematical => {
                // Styles whose small letters have no holes in the block.
                const STYLES: &[u32] = &[
                    0x1D41A, 0x1D482, 0x1D4EA, 0x1D586, 0x1D5BA, 0x1D5EE, 0x1D622, 0x1D68A,
                ];
                let base = *rng.pick(STYLES);
                map_letters(text, |c| char::from_u32(base + u32::from(c - b'a')))
            }
            Class::Fullwidth => map_letters(text, |c| char::from_u32(0xFF41 + u32::from(c - b'a'))),
            Class::Enclosed => {
                // Circled small, parenthesised small, negative squared capitals.
                const BASES: &[u32] = &[0x24D0, 0x249C, 0x1F170];
                let base = *rng.pick(BASES);
                map_letters(text, |c| char::from_u32(base + u32::from(c - b'a')))
            }
            Class::SmallCapitals => replace_some(text, rng, 100, small_capital)?,
            Class::WiderConfusables => replace_some(text, rng, 60, wider_confusable)?,
            Class::Accents => replace_some(text, rng, 50, accented)?,
            Class::ZeroWidth => {
                const INVISIBLE: &[char] = &['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}'];
                insert_between(text, rng, |rng| Some(*rng.pick(INVISIBLE)))?
            }
            Class::CombiningMarks => {
                const MARKS: &[char] = &['\u{0336}', '\u{0335}', '\u{0332}', '\u{0301}'];
                let mark = *rng.pick(MARKS);
                let mut out = String::new();
                for c in text.chars() {
                    out.push(c);
                    if c.is_ascii_alphabetic() {
                        out.push(mark);
                    }
                }
                out
            }
            Class::GluedBefore if words.len() == 1 => format!("{}{text}", rng.pick(GLUED_BEFORE)),
            Class::GluedAfter if words.len() == 1 => format!("{text}{}", rng.pick(GLUED_AFTER)),
            Class::GluedBefore | Class::GluedAfter => return None,
            Class::PhForF => respell(text, 'f', "ph")?,
            Class::ZForS => respell(text, 's', "z")?,
            Class::VForU => respell(text, 'u', "v")?,
            Class::LForI => respell(text, 'i', "l")?,
            Class::SevenForT => respell(text, 't', "7")?,
            Class::DroppedVowels => drop_vowels(text)?,
            Class::Leetspeak => replace_some(text, rng, 70, leet)?,
            Class::Repeats => repeat_letters(text, rng)?,
            Class::MixedCase => mixed_case(text, rng)?,
            Class::Plural => inflect(text, "s")?,
            Class::Suffixed => {
                let suffix = *rng.pick(&["ing", "er", "ed", "ers"]);
                inflect(text, suffix)?
            }
            Class::LeetSeparators => {
                let leet = replace_some(text, rng, 70, leet)?;
                let words: Vec<&str> = leet.split(' ').collect();
                join_letters(&words, |_| ".")
            }
            Class::RepeatsMixedCase => mixed_case(&repeat_letters(text, rng)?, rng)?,
            Class::LookAlikesZeroWidth => {
                let looks = replace_some(text, rng, 60, cyrillic)?;
                insert_between(&looks, rng, |_| Some('\u{200B}'))?
            }
            Class::LeetRepeats => repeat_letters(&replace_some(text, rng, 70, leet)?, rng)?,
            Class::LookAlikesSeparators => {
                let looks = replace_some(text, rng, 60, cyrillic)?;
                let words: Vec<&str> = looks.split(' ').collect();
                join_letters(&words, |_| " ")
            }
            Class::CensoredCapitals => censor_one_vowel(text, rng)?.to_uppercase(),
        };
        (out != text).then_some(out)
    }

    /// What the disguise of `text` says, lowercase, with each hidden letter
    /// as `?` (for classes that hide letters), the consonant skeleton for
    /// dropped vowels, and `text` with its neighbour for glued words; `None`
    /// for classes whose text reads exactly as `text` does.
    pub fn reading(self, text: &str, disguised: &str) -> Option<String> {
        match self {
            Class::VowelsCensored | Class::CensorSymbols => censor_vowels(text, |_| '?'),
            Class::OneVowelCensored | Class::CensoredCapitals => {
                // Which vowel was hidden is in the disguised text.
                let hidden: String = text
                    .chars()
                    .zip(disguised.to_lowercase().chars())
                    .map(|(plain, seen)| if plain == seen { plain } else { '?' })
                    .collect();
                Some(hidden)
            }
            Class::DroppedVowels => Some(disguised.to_string()),
            Class::GluedBefore | Class::GluedAfter => Some(disguised.to_string()),
            _ => None,
        }
    }
}

/// Each word's letters joined by `separator`, words by three spaces.
fn join_letters<'a>(words: &[&str], mut separator: impl FnMut(usize) -> &'a str) -> String {
    let mut out = String::new();
    for (w, word) in words.iter().enumerate() {
        if w > 0 {
            out.push_str("   ");
        }
        for (i, c) in word.chars().enumerate() {
            if i > 0 {
                out.push_str(separator(i));
            }
            out.push(c);
        }
    }
    out
}

/// One break inside the longest word (`fu ck`, `f*aggot`).
fn single_break(words: &[&str], rng: &mut Rng) -> Option<String> {
    const BREAKS: &[&str] = &[" ", "*", ".", "-", "_"];
    let (longest, word) = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.len())
        .filter(|(_, w)| w.len() >= 3 && w.is_ascii())?;
    let at = 1 + rng.below(word.len() - 1);
    let broken = format!("{}{}{}", &word[..at], rng.pick(BREAKS), &word[at..]);
    let mut parts: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    parts[longest] = broken;
    Some(parts.join(" "))
}

fn is_vowel(c: char) -> bool {
    c.is_ascii() && VOWELS.contains(&(c as u8))
}

/// Every vowel replaced by `mark`; `None` without vowels, or when nothing
/// but marks would be left of a word.
fn censor_vowels(text: &str, mut mark: impl FnMut(char) -> char) -> Option<String> {
    if !text.chars().any(is_vowel) {
        return None;
    }
    let all_vowels = text
        .split(' ')
        .any(|w| !w.is_empty() && w.chars().all(is_vowel));
    if all_vowels {
        return None;
    }
    Some(
        text.chars()
            .map(|c| if is_vowel(c) { mark(c) } else { c })
            .collect(),
    )
}

/// One vowel, not a word's first letter, replaced by `*` (`f*ck`).
fn censor_one_vowel(text: &str, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let candidates: Vec<usize> = (1..chars.len())
        .filter(|&i| is_vowel(chars[i]) && chars[i - 1] != ' ')
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let at = *rng.pick(&candidates);
    Some(
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| if i == at { '*' } else { c })
            .collect(),
    )
}

/// Each ASCII letter mapped through `map` (letters it has no form for stay).
fn map_letters(text: &str, map: impl Fn(u8) -> Option<char>) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                map(c as u8).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Each letter `table` has a form for replaced with probability `percent`,
/// at least one; `None` when no letter has one.
fn replace_some(
    text: &str,
    rng: &mut Rng,
    percent: u64,
    table: fn(u8, &mut Rng) -> Option<&'static str>,
) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let replaceable: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_ascii_lowercase() && table(chars[i] as u8, rng).is_some())
        .collect();
    if replaceable.is_empty() {
        return None;
    }
    let forced = *rng.pick(&replaceable);
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let replace = replaceable.contains(&i) && (i == forced || rng.chance(percent));
        match replace.then(|| table(c as u8, rng)).flatten() {
            Some(form) => out.push_str(form),
            None => out.push(c),
        }
    }
    Some(out)
}

fn cyrillic(c: u8, _: &mut Rng) -> Option<&'static str> {
    Some(match c {
        b'a' => "а",
        b'c' => "с",
        b'e' => "е",
        b'o' => "о",
        b'p' => "р",
        b'x' => "х",
        b'y' => "у",
        b'i' => "і",
        b's' => "ѕ",
        b'j' => "ј",
        b'h' => "һ",
        b'k' => "к",
        b'd' => "ԁ",
        b'l' => "ӏ",
        b'w' => "ԝ",
        b'q' => "ԛ",
        b'g' => "ɡ",
        _ => return None,
    })
}

fn greek(c: u8, _: &mut Rng) -> Option<&'static str> {
    Some(match c {
        b'a' => "α",
        b'b' => "β",
        b'c' => "ς",
        b'e' => "ε",
        b'i' => "ι",
        b'k' => "κ",
        b'n' => "η",
        b'o' => "ο",
        b'p' => "ρ",
        b't' => "τ",
        b'u' => "υ",
        b'v' => "ν",
        b'w' => "ω",
        b'x' => "χ",
        b'y' => "γ",
        _ => return None,
    })
}

fn small_capital(c: u8, _: &mut Rng) -> Option<&'static str> {
    const FORMS: [&str; 26] = [
        "ᴀ", "ʙ", "ᴄ", "ᴅ", "ᴇ", "ꜰ", "ɢ", "ʜ", "ɪ", "ᴊ", "ᴋ", "ʟ", "ᴍ", "ɴ", "ᴏ", "ᴘ", "ꞯ", "ʀ",
        "ꜱ", "ᴛ", "ᴜ", "ᴠ", "ᴡ", "x", "ʏ", "ᴢ",
    ];
    FORMS.get(usize::from(c.wrapping_sub(b'a'))).copied()
}

fn wider_confusable(c: u8, _: &mut Rng) -> Option<&'static str> {
    Some(match c {
        b'a' => "ɑ",
        b'b' => "ƅ",
        b'c' => "ϲ",
        b'd' => "ԁ",
        b'e' => "ҽ",
        b'g' => "ɡ",
        b'h' => "հ",
        b'i' => "ı",
        b'j' => "ϳ",
        b'l' => "ℓ",
        b'm' => "ⅿ",
        b'n' => "ո",
        b'o' => "օ",
        b'q' => "ԛ",
        b's' => "ꜱ",
        b'u' => "ս",
        b'v' => "ѵ",
        b'w' => "ԝ",
        b'x' => "ⅹ",
        b'y' => "ү",
        b'z' => "ᴢ",
        _ => return None,
    })
}

fn accented(c: u8, rng: &mut Rng) -> Option<&'static str> {
    let forms: &[&str] = match c {
        b'a' => &["á", "à", "ä", "â", "ã"],
        b'c' => &["ç", "ć"],
        b'e' => &["é", "è", "ë", "ê"],
        b'i' => &["í", "ï", "î"],
        b'n' => &["ñ", "ń"],
        b'o' => &["ó", "ö", "ô", "õ"],
        b's' => &["š", "ś"],
        b'u' => &["ú", "ü", "û"],
        b'y' => &["ý", "ÿ"],
        b'z' => &["ž", "ź"],
        _ => return None,
    };
    Some(*rng.pick(forms))
}

fn leet(c: u8, rng: &mut Rng) -> Option<&'static str> {
    let forms: &[&str] = match c {
        b'a' => &["4", "@"],
        b'b' => &["8"],
        b'e' => &["3"],
        b'g' => &["9"],
        b'i' => &["1", "!"],
        b'l' => &["1"],
        b'o' => &["0"],
        b's' => &["5", "$"],
        b't' => &["7", "+"],
        _ => return None,
    };
    Some(*rng.pick(forms))
}

/// An invisible character inserted between some letters, at least one.
fn insert_between(
    text: &str,
    rng: &mut Rng,
    mut mark: impl FnMut(&mut Rng) -> Option<char>,
) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let gaps: Vec<usize> = (1..chars.len())
        .filter(|&i| chars[i] != ' ' && chars[i - 1] != ' ')
        .collect();
    if gaps.is_empty() {
        return None;
    }
    let forced = *rng.pick(&gaps);
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if gaps.contains(&i) && (i == forced || rng.chance(40)) {
            out.extend(mark(rng));
        }
        out.push(c);
    }
    Some(out)
}

/// Every `from` written as `to`.
fn respell(text: &str, from: char, to: &str) -> Option<String> {
    text.contains(from).then(|| text.replace(from, to))
}

/// Vowels dropped inside words (first and last letters kept): `fck`,
/// `bstrd`. `None` when a word would keep fewer than three letters.
fn drop_vowels(text: &str) -> Option<String> {
    let mut words = Vec::new();
    for word in text.split(' ') {
        let chars: Vec<char> = word.chars().collect();
        let kept: String = chars
            .iter()
            .enumerate()
            .filter(|&(i, &c)| i == 0 || i + 1 == chars.len() || !is_vowel(c))
            .map(|(_, &c)| c)
            .collect();
        if kept.chars().count() < 3 && kept != word {
            return None;
        }
        words.push(kept);
    }
    Some(words.join(" "))
}

/// One or two letters repeated three to six times (`fuuuuck`).
fn repeat_letters(text: &str, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let letters: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    if letters.is_empty() {
        return None;
    }
    let first = *rng.pick(&letters);
    let second = *rng.pick(&letters);
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let times = if i == first || i == second {
            3 + rng.below(4)
        } else {
            1
        };
        out.extend(std::iter::repeat_n(c, times));
    }
    Some(out)
}

/// Letters in random case, at least one capital and one small.
fn mixed_case(text: &str, rng: &mut Rng) -> Option<String> {
    let lower = text.to_lowercase();
    let letters = lower.chars().filter(|c| c.is_ascii_lowercase()).count();
    if letters < 2 {
        return None;
    }
    for _ in 0..8 {
        let out: String = lower
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() && rng.chance(50) {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        let upper = out.chars().filter(|c| c.is_ascii_uppercase()).count();
        if upper > 0 && upper < letters {
            return Some(out);
        }
    }
    None
}

/// The last word with `suffix` (a final `e` dropped before a vowel).
fn inflect(text: &str, suffix: &str) -> Option<String> {
    let last = text.rsplit(' ').next()?;
    if !last.chars().all(|c| c.is_ascii_lowercase()) || last.len() < 2 {
        return None;
    }
    let stem = if last.ends_with('e') && suffix.starts_with(['e', 'i']) {
        &text[..text.len() - 1]
    } else {
        text
    };
    Some(format!("{stem}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn once(class: Class, text: &str) -> Option<String> {
        class.apply(text, &mut Rng::new(7))
    }

    #[test]
    fn there_are_at_least_thirty_classes_with_unique_names() {
        assert!(Class::ALL.len() >= 30);
        let mut names: Vec<_> = Class::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Class::ALL.len());
    }

    #[test]
    fn the_same_seed_gives_the_same_disguise() {
        for &class in Class::ALL {
            let a = class.apply("bastard", &mut Rng::new(42));
            let b = class.apply("bastard", &mut Rng::new(42));
            assert_eq!(a, b, "{class}");
            if let Some(text) = a {
                assert_ne!(text, "bastard", "{class}");
            }
        }
    }

    #[test]
    fn classes_do_what_their_names_say() {
        assert_eq!(once(Class::Spaced, "cunt").as_deref(), Some("c u n t"));
        assert_eq!(
            once(Class::Dotted, "blow job").as_deref(),
            Some("b.l.o.w   j.o.b")
        );
        assert_eq!(
            once(Class::VowelsCensored, "retard").as_deref(),
            Some("r*t*rd")
        );
        assert_eq!(once(Class::PhForF, "fuck").as_deref(), Some("phuck"));
        assert_eq!(once(Class::PhForF, "shit"), None);
        assert_eq!(once(Class::SevenForT, "shit").as_deref(), Some("shi7"));
        assert_eq!(
            once(Class::DroppedVowels, "bastard").as_deref(),
            Some("bstrd")
        );
        assert_eq!(once(Class::DroppedVowels, "ass"), None);
        assert_eq!(once(Class::Plural, "tranny").as_deref(), Some("trannys"));
        assert_eq!(once(Class::Fullwidth, "fag").as_deref(), Some("ｆａｇ"));
        assert_eq!(once(Class::GreekWord, "cock").as_deref(), Some("ςοςκ"));
        assert_eq!(once(Class::GluedBefore, "blow job"), None);
        let glued = once(Class::GluedAfter, "fuck").unwrap();
        assert!(glued.starts_with("fuck") && glued.len() > 4, "{glued}");
        let one = once(Class::OneVowelCensored, "motherfucker").unwrap();
        assert_eq!(one.matches('*').count(), 1, "{one}");
    }

    #[test]
    fn readings_hide_what_the_disguise_hides() {
        let class = Class::OneVowelCensored;
        let text = class.apply("pass", &mut Rng::new(1)).unwrap();
        assert_eq!(text, "p*ss");
        assert_eq!(class.reading("pass", &text).as_deref(), Some("p?ss"));
        assert_eq!(
            Class::VowelsCensored.reading("pass", "p*ss").as_deref(),
            Some("p?ss")
        );
        assert_eq!(Class::Leetspeak.reading("pass", "p455"), None);
    }
}
