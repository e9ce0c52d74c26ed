//! Inflections: a severe whole-word term read with a plural or verb ending
//! (`trannys`, `spics`, `fagz`, `retards`, `chinks`, `faggoted`), as a
//! suffix term is read with any ending.
//!
//! Lists name a slur once, as a whole word, because a prefix (`fag*`)
//! would catch innocent words that start with it ("fagus", "Fagin"); but
//! then every inflected form had to be listed too, and most were not.
//! Endings are a closed set, so they are read instead of listed.
//!
//! Invariant: a severe term that must end a word may instead be followed by
//! exactly one ending that ends the word: a plural ending
//! ([`PLURAL_ENDINGS`]) after a single-word term of at least
//! [`MIN_LETTERS_PLURAL`]
//! normalised letters, a verb ending ([`VERB_ENDINGS`]) after one of at
//! least [`MIN_LETTERS_VERB`]. An ending is written as it is spelled, but
//! for its last letter ("faggotsss"): "squawweed" is not `squaw` + `ed`.
//! The match still reports and masks the whole word, and allow-list terms
//! cancel it as any other match, so an innocent inflected word ("spiced",
//! "chinked") is excused by listing it; the lists' dictionary pass
//! (`lists/README.md`) finds them.
//!
//! A severe phrase takes the verb endings on its last word too (`gas the
//! jewsing`, `kill yourselfer`), but no plural ending: "lady boys" and "go
//! dies" are innocent in other filters' test sets.
//!
//! Measured (disguise matrix; `false_positives.txt`, ceiling 30 lines):
//! verb endings took the `suffixed` class from 32 % to 42 % for one more
//! line ("chinker"); verb endings on severe phrases took it from 41.7 % to
//! 47.7 % (the matrix 91.07 → 91.30 %) with no line or harmless item more
//! flagged, where plural endings on them would have flagged two more
//! lines for 84 more messages caught. Rejected: any ending on moderate terms (`suffixed`
//! 72 %, `plural` 84 %, but 15 more lines, nearly all plurals and verb
//! forms of sexual vocabulary: "bondages", "phalluses", "perverting",
//! "nakeder", "brotheler"), and verb endings on three-letter terms, which
//! too many English words end in ("titter", "japing", "faker", "Niger",
//! "hoeing").

use super::CompiledTerm;
use crate::list::{Position, Severity};

/// Plural endings, as normalised (repeats collapsed).
const PLURAL_ENDINGS: &[&[u8]] = &[b"s", b"es", b"z"];

/// Verb endings, as normalised (`fuckin`, `fuckers`).
const VERB_ENDINGS: &[&[u8]] = &[b"ing", b"in", b"er", b"ers", b"ed"];

/// Terms shorter than this take no plural ending.
const MIN_LETTERS_PLURAL: usize = 3;

/// Terms shorter than this take no verb ending.
const MIN_LETTERS_VERB: usize = 4;

/// Whether `rest`, the letters between the end of a hit of `term` that is
/// `term_len` normalised bytes long and its word's end, is an ending the
/// term may take. `rest_runs` are their repeat counts: an ending is
/// written as it is spelled, but for its last letter ("faggotsss"), so
/// "squawweed" and "millfeed" (`ed` after `squaw`, `milf`) are not read.
pub(super) fn is_inflection(
    term: &CompiledTerm,
    term_len: usize,
    rest: &[u8],
    rest_runs: &[u8],
) -> bool {
    let Some((_, inner)) = rest_runs.split_last() else {
        return false;
    };
    if inner.iter().any(|&run| run > 1)
        || term.position != Position::Whole
        || term.allow
        || term.severity != Severity::Severe
    {
        return false;
    }
    if PLURAL_ENDINGS.contains(&rest) {
        // "lady boys", "go dies": a phrase's plural is too often innocent.
        term_len >= MIN_LETTERS_PLURAL && !term.pattern.contains([' ', '-'])
    } else {
        VERB_ENDINGS.contains(&rest) && term_len >= MIN_LETTERS_VERB
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: [u8; 8] = [1; 8];

    fn term(pattern: &str, severity: Severity) -> CompiledTerm {
        CompiledTerm::for_test(pattern, severity)
    }

    #[test]
    fn endings_by_severity_and_length() {
        let severe3 = term("fag", Severity::Severe);
        assert!(is_inflection(&severe3, 3, b"s", &ONE[..1]));
        assert!(is_inflection(&severe3, 3, b"z", &ONE[..1]));
        assert!(
            !is_inflection(&severe3, 3, b"ing", &ONE[..3]),
            "three letters: no verb endings"
        );
        let severe4 = term("spic", Severity::Severe);
        assert!(is_inflection(&severe4, 4, b"es", &ONE[..2]));
        assert!(is_inflection(&severe4, 4, b"ed", &ONE[..2]));
        let moderate = term("twat", Severity::Moderate);
        assert!(!is_inflection(&moderate, 4, b"s", &ONE[..1]));
        assert!(!is_inflection(&moderate, 4, b"ers", &ONE[..3]));
        assert!(!is_inflection(
            &term("tit", Severity::Moderate),
            3,
            b"s",
            &ONE[..1]
        ));
        assert!(!is_inflection(
            &term("damn", Severity::Mild),
            4,
            b"ed",
            &ONE[..2]
        ));
        assert!(!is_inflection(
            &term("jail bait", Severity::Severe),
            8,
            b"s",
            &ONE[..1]
        ));
        assert!(is_inflection(
            &term("gas the jews", Severity::Severe),
            10,
            b"ing",
            &ONE[..3]
        ));
        for rest in [&b""[..], b"y", b"ish", b"ss", b"ings"] {
            assert!(
                !is_inflection(&severe4, 4, rest, &ONE[..rest.len()]),
                "{rest:?}"
            );
        }
        assert!(
            is_inflection(&severe4, 4, b"es", &[1, 3]),
            "the last letter repeated"
        );
        assert!(
            !is_inflection(&severe4, 4, b"ed", &[2, 1]),
            "weed is not ed"
        );
    }
}
