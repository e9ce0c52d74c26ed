//! The two baselines the engine is measured against, built from the same
//! default block list: a plain Aho-Corasick whole-word matcher (the floor: no
//! normalisation at all) and a single regex alternation.
//!
//! Both take each entry of [`DEFAULT_BLOCK_LIST`] without its wildcards (the
//! stem of `fuck*` is `fuck`) and match it as a whole word. Neither reads
//! leetspeak, look-alike letters, spacing or self-censoring, so they are a
//! lower bound on the cost of word-list matching, not rival filters.

use aho_corasick::{AhoCorasick, MatchKind};
use chat_filter::{WordList, DEFAULT_BLOCK_LIST};
use regex::{Regex, RegexBuilder};

/// The default block list's terms, lowercased, without wildcards, in list
/// order, each once.
pub fn block_terms() -> Vec<String> {
    let list = WordList::parse("default-block.txt", DEFAULT_BLOCK_LIST)
        .expect("the default block list parses");
    let mut seen = std::collections::HashSet::new();
    list.entries()
        .iter()
        .map(|entry| entry.term.to_lowercase())
        .filter(|term| seen.insert(term.clone()))
        .collect()
}

/// Whether `b` continues a word: ASCII letters, digits and `_`, and every
/// byte of a non-ASCII character (close to what `\b` means in a regex).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Aho-Corasick over the terms, leftmost-first, on ASCII-lowercased input,
/// keeping only matches that start and end at word boundaries.
pub struct AcFloor {
    automaton: AhoCorasick,
}

impl AcFloor {
    /// Builds the automaton.
    pub fn new(terms: &[String]) -> AcFloor {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(terms)
            .expect("the block terms build an automaton");
        AcFloor { automaton }
    }

    /// Counts whole-word matches in `text`, lowercasing it into `buf`.
    #[allow(dead_code, reason = "the init bench only builds the baselines")]
    pub fn count(&self, text: &str, buf: &mut Vec<u8>) -> usize {
        buf.clear();
        buf.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        let bytes = buf.as_slice();
        self.automaton
            .find_iter(bytes)
            .filter(|m| {
                let before = m.start() == 0 || !is_word_byte(bytes[m.start() - 1]);
                let after = m.end() == bytes.len() || !is_word_byte(bytes[m.end()]);
                before && after
            })
            .count()
    }
}

/// One regex: `(?i)\b(?:term1|term2|...)\b`, terms escaped.
pub struct RegexBaseline {
    regex: Regex,
}

impl RegexBaseline {
    /// Compiles the alternation, with room for a list of this size.
    pub fn new(terms: &[String]) -> RegexBaseline {
        let alternation: Vec<String> = terms.iter().map(|t| regex::escape(t)).collect();
        let pattern = format!(r"(?i)\b(?:{})\b", alternation.join("|"));
        let regex = RegexBuilder::new(&pattern)
            .size_limit(256 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .expect("the block terms compile as one regex");
        RegexBaseline { regex }
    }

    /// Counts matches in `text`.
    #[allow(dead_code, reason = "the init bench only builds the baselines")]
    pub fn count(&self, text: &str) -> usize {
        self.regex.find_iter(text).count()
    }
}
