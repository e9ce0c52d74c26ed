//! The disguise matrix and the harmless matrix: labelled samples generated
//! from word lists, so accuracy is measured on every listed word in every
//! disguise, and on every harmless word written the same ways.
//!
//! - [`disguise_matrix`]: every moderate and severe term of a block list
//!   (those the default policy masks or denies) in every [`Class`], a few
//!   random applications each, inside chat sentences. A sample's category
//!   is `disguise/<class>`, so a report by category is a report by class.
//! - [`harmless_matrix`]: the words of one set (a dictionary, names,
//!   places) bare, inside greetings ("anyone from X?") and in two random
//!   disguises. Items that contain a listed word as plain letters ("Essex",
//!   "Scunthorpe") form their own `:listed` subsets, the hard part of the
//!   Scunthorpe problem.
//!
//! Invariant: a harmless sample never reads as a listed word that its
//! item does not already contain: a disguise that hides letters (`p*ss`
//! from "pass", which reads as "piss" too) or glues a neighbour on is
//! dropped and counted in [`HarmlessMatrix::dropped`], never scored.
//! Both matrices are deterministic functions of their input and seed.

use std::collections::HashSet;

use aho_corasick::AhoCorasick;

use super::disguise::{Class, Rng};
use super::Sample;
use crate::list::{Severity, WordList};

/// Chat lines a listed word is put into (`{}` stands for it).
const CHAT_LINES: &[&str] = &[
    "{}",
    "you {}",
    "what a {} lol",
    "{} this game",
    "omg {}!!",
    "stop being a {}",
    "lmao {}",
    "he called me a {}",
    "such a {} move",
    "ur a {} bro",
    "that's {} man",
    "gg {} ez",
];

/// Greetings a harmless item is put into.
const GREETINGS: &[&str] = &["anyone from {}?", "{} is my favourite"];

/// How many distinct disguises of each term each class contributes.
pub const APPLICATIONS_PER_CLASS: usize = 3;

/// The seed the tests and `chatmod eval --matrix` use.
pub const SEED: u64 = 0x2026_1201;

/// A seed for one (text, class) pair, so adding a term or class does not
/// change the disguises of the others.
fn seed_for(seed: u64, text: &str, salt: u64) -> u64 {
    // FNV-1a: stable across platforms and runs, unlike the std hasher.
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ seed ^ salt.wrapping_mul(0x100_0000_01b3);
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    hash
}

/// Whether a term is made of lowercase ASCII words, the alphabet the
/// disguise classes act on.
fn is_plain_ascii(term: &str) -> bool {
    !term.is_empty()
        && term
            .split(' ')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

fn in_line(template: &str, word: &str) -> String {
    template.replacen("{}", word, 1)
}

/// Every moderate and severe plain-ASCII term of `list` in every disguise
/// class, [`APPLICATIONS_PER_CLASS`] distinct disguises each, each in a
/// chat line. Entries without a severity count as `default_severity`.
/// `common_words` (a dictionary) keeps `dropped-vowels` off terms whose
/// skeleton is a common word or a common word's skeleton (`bstrd` is
/// tried, `sht` is not, "shot" and "shut" read the same).
pub fn disguise_matrix(
    list: &WordList,
    default_severity: Severity,
    common_words: &[&str],
    seed: u64,
) -> Vec<Sample> {
    let common: HashSet<String> = common_words
        .iter()
        .flat_map(|w| {
            let w = w.to_lowercase();
            let skeleton = Class::DroppedVowels.apply(&w, &mut Rng::new(0));
            std::iter::once(w).chain(skeleton)
        })
        .collect();
    let mut terms: Vec<&str> = Vec::new();
    for entry in list.entries() {
        let severity = entry.severity.unwrap_or(default_severity);
        if severity >= Severity::Moderate
            && is_plain_ascii(&entry.term)
            && !terms.contains(&entry.term.as_str())
        {
            terms.push(&entry.term);
        }
    }
    let mut samples = Vec::new();
    for term in terms {
        for (salt, &class) in Class::ALL.iter().enumerate() {
            let mut rng = Rng::new(seed_for(seed, term, salt as u64));
            let mut seen = HashSet::new();
            for _ in 0..APPLICATIONS_PER_CLASS * 3 {
                if seen.len() == APPLICATIONS_PER_CLASS {
                    break;
                }
                let Some(text) = class.apply(term, &mut rng) else {
                    break;
                };
                if class == Class::DroppedVowels && common.contains(&text) {
                    break;
                }
                if seen.insert(text.clone()) {
                    samples.push(Sample {
                        text: in_line(CHAT_LINES[rng.below(CHAT_LINES.len())], &text),
                        should_flag: true,
                        category: Some(format!("disguise/{class}")),
                    });
                }
            }
        }
    }
    samples
}

/// The terms of the block lists as plain letters, to tell which harmless
/// items contain a listed word and which disguises read as one.
#[derive(Debug, Clone)]
pub struct ListedTerms {
    /// The terms themselves.
    plain: AhoCorasick,
    /// The terms with every vowel as `?` (what a censored word shows).
    frames: AhoCorasick,
    /// The terms with inner vowels dropped.
    skeletons: AhoCorasick,
}

impl ListedTerms {
    /// Every term of `lists`, of every severity (a harmless word must not
    /// read as a mild one either: disguised, it is masked).
    pub fn new<'a>(lists: impl IntoIterator<Item = &'a WordList>) -> ListedTerms {
        let mut plain: Vec<String> = Vec::new();
        for list in lists {
            for entry in list.entries() {
                let term = entry.term.to_lowercase();
                if !plain.contains(&term) {
                    plain.push(term);
                }
            }
        }
        let frames: Vec<String> = plain
            .iter()
            .map(|t| {
                t.chars()
                    .map(|c| if "aeiou".contains(c) { '?' } else { c })
                    .collect()
            })
            .collect();
        let skeletons: Vec<String> = plain
            .iter()
            .map(|t| {
                Class::DroppedVowels
                    .apply(t, &mut Rng::new(0))
                    .unwrap_or_else(|| t.clone())
            })
            .collect();
        let build = |patterns: &[String]| {
            AhoCorasick::new(patterns).expect("list terms are short enough for an automaton")
        };
        ListedTerms {
            plain: build(&plain),
            frames: build(&frames),
            skeletons: build(&skeletons),
        }
    }

    fn found(automaton: &AhoCorasick, text: &str) -> HashSet<usize> {
        automaton
            .find_overlapping_iter(text)
            .map(|m| m.pattern().as_usize())
            .collect()
    }

    /// Whether `item`, lowercased, contains a listed term as plain letters.
    pub fn contains_listed(&self, item: &str) -> bool {
        self.plain.is_match(&item.to_lowercase())
    }

    /// Whether `disguised` (the class's disguise of `item`) may read as a
    /// listed word that `item` itself does not contain.
    pub fn reads_as_new_term(&self, class: Class, item: &str, disguised: &str) -> bool {
        let item = item.to_lowercase();
        let Some(reading) = class.reading(&item, disguised) else {
            return false;
        };
        let own = Self::found(&self.plain, &item);
        let read = match class {
            Class::VowelsCensored | Class::CensorSymbols => Self::found(&self.frames, &reading),
            Class::DroppedVowels => Self::found(&self.skeletons, &reading),
            Class::OneVowelCensored | Class::CensoredCapitals => {
                let mut read = HashSet::new();
                for vowel in ['a', 'e', 'i', 'o', 'u', 'y'] {
                    let filled = reading.replace('?', &vowel.to_string());
                    read.extend(Self::found(&self.plain, &filled));
                }
                read
            }
            _ => Self::found(&self.plain, &reading.to_lowercase()),
        };
        read.difference(&own).next().is_some()
    }
}

/// One harmless set's samples.
#[derive(Debug, Clone, Default)]
pub struct HarmlessMatrix {
    /// The samples, all labelled clean.
    pub samples: Vec<Sample>,
    /// Disguised samples left out because they read as a listed word.
    pub dropped: usize,
}

/// The items of `words` (one a line; blank lines and `#` comments
/// skipped), bare, in two greetings ("anyone from X?", "X is my
/// favourite") and in two disguises, labelled clean,
/// with categories `harmless/<set>[:listed]/<bare|sentence|disguised>`.
pub fn harmless_matrix(set: &str, words: &str, listed: &ListedTerms, seed: u64) -> HarmlessMatrix {
    let mut matrix = HarmlessMatrix::default();
    for item in words.lines().map(str::trim) {
        if item.is_empty() || item.starts_with('#') {
            continue;
        }
        let subset = if listed.contains_listed(item) {
            format!("harmless/{set}:listed")
        } else {
            format!("harmless/{set}")
        };
        let mut push = |text: String, form: &str| {
            matrix.samples.push(Sample {
                text,
                should_flag: false,
                category: Some(format!("{subset}/{form}")),
            });
        };
        push(item.to_string(), "bare");
        for greeting in GREETINGS {
            push(in_line(greeting, item), "sentence");
        }
        let mut rng = Rng::new(seed_for(seed, item, 0));
        let lower = item.to_lowercase();
        let mut disguised = 0;
        for _ in 0..8 {
            if disguised == 2 {
                break;
            }
            let class = *rng.pick(Class::ALL);
            let Some(text) = class.apply(&lower, &mut rng) else {
                continue;
            };
            disguised += 1;
            if listed.reads_as_new_term(class, &lower, &text) {
                matrix.dropped += 1;
                continue;
            }
            push(text, "disguised");
        }
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> WordList {
        WordList::parse("t", text).unwrap()
    }

    #[test]
    fn every_class_is_tried_on_every_moderate_and_severe_term() {
        let list = list("fuck | moderate\nbastard | severe\nhell | mild\nпизда | severe");
        let samples = disguise_matrix(&list, Severity::Severe, &[], SEED);
        assert!(samples.iter().all(|s| s.should_flag));
        assert!(!samples.iter().any(|s| s.text.contains("hell")));
        let classes: HashSet<_> = samples.iter().map(|s| s.category.clone()).collect();
        assert!(classes.len() >= 30, "{classes:?}");
        let again = disguise_matrix(&list, Severity::Severe, &[], SEED);
        assert_eq!(samples, again);
    }

    #[test]
    fn dropped_vowels_skip_terms_that_read_as_common_words() {
        let list = list("shit | moderate\nbastard | moderate");
        let samples = disguise_matrix(&list, Severity::Severe, &["shot", "shut"], SEED);
        let dropped: Vec<_> = samples
            .iter()
            .filter(|s| s.category.as_deref() == Some("disguise/dropped-vowels"))
            .map(|s| s.text.as_str())
            .collect();
        assert!(dropped.iter().all(|t| t.contains("bstrd")), "{dropped:?}");
        assert!(!dropped.is_empty());
    }

    #[test]
    fn harmless_disguises_that_read_as_listed_words_are_dropped() {
        let listed = ListedTerms::new([&list("piss\nass*")]);
        assert!(listed.contains_listed("Passover"));
        assert!(listed.reads_as_new_term(Class::OneVowelCensored, "pass", "p*ss"));
        assert!(!listed.reads_as_new_term(Class::Leetspeak, "pass", "p@$$"));
        assert!(!listed.reads_as_new_term(Class::OneVowelCensored, "class", "cl*ss"));
        let matrix = harmless_matrix("t", "pass\nEssex\n\n# note\n", &listed, SEED);
        let categories: HashSet<_> = matrix
            .samples
            .iter()
            .filter_map(|s| s.category.as_deref())
            .collect();
        assert!(
            categories.contains("harmless/t:listed/bare"),
            "{categories:?}"
        );
        assert!(categories.contains("harmless/t/sentence"), "{categories:?}");
        assert!(matrix.samples.iter().all(|s| !s.should_flag));
        assert!(matrix
            .samples
            .iter()
            .any(|s| s.text == "anyone from Essex?"));
    }
}
