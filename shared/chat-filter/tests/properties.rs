//! Properties that must hold for every message, checked on generated ones.
//!
//! Hand-written cases show the behaviours we thought of; these show the
//! invariants the handler relies on hold for text we did not think of:
//! arbitrary Unicode, mixed scripts, invisible characters, separators and
//! the look-alikes evaders use.

use chat_filter::{mask, Action, Filter, Normalized};
use proptest::prelude::*;
use std::sync::OnceLock;

fn filter() -> &'static Filter {
    static FILTER: OnceLock<Filter> = OnceLock::new();
    FILTER.get_or_init(|| Filter::with_defaults().expect("the default lists build"))
}

/// Text built from the pieces evasions are made of, plus arbitrary Unicode.
fn chat_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("fuck".to_string()),
        Just("sh1t".to_string()),
        Just("a$$".to_string()),
        Just("f.u.c.k".to_string()),
        Just("ｃｕｎｔ".to_string()),
        Just("b̶i̶t̶c̶h̶".to_string()),
        Just("f*ck".to_string()),
        Just("Scunthorpe".to_string()),
        Just("damn".to_string()),
        // Disguises read by joining words or hiding letters.
        Just("fu.ck".to_string()),
        Just("f uc k".to_string()),
        Just("f---ing".to_string()),
        Just("f[_]cker".to_string()),
        Just("fuxk".to_string()),
        Just("c *nt".to_string()),
        Just("sh!+".to_string()),
        Just("tvvat".to_string()),
        Just("shlt".to_string()),
        Just("it's".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{202E}".to_string()),
        Just("👨‍👩‍👧".to_string()),
        Just(" ".to_string()),
        Just("é".to_string()),
        "[a-z]{1,8}",
        "[ -~]{1,6}",
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn is_boundary(text: &str, i: usize) -> bool {
    text.is_char_boundary(i)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalised_spans_fall_on_character_boundaries(text in chat_text()) {
        let mut n = Normalized::default();
        n.normalize(&text);
        prop_assert_eq!(n.as_bytes().len(), n.run_lengths().len());
        for i in 0..n.as_bytes().len() {
            let span = n.original_span(i..i + 1);
            prop_assert!(span.start <= span.end && span.end <= text.len());
            prop_assert!(is_boundary(&text, span.start) && is_boundary(&text, span.end));
        }
    }

    #[test]
    fn verdict_spans_are_non_empty_and_on_boundaries(text in chat_text()) {
        for m in filter().review(&text).matches {
            prop_assert!(m.span.start < m.span.end && m.span.end <= text.len());
            prop_assert!(is_boundary(&text, m.span.start) && is_boundary(&text, m.span.end));
        }
    }

    #[test]
    fn masking_keeps_unmatched_characters_and_the_length(text in chat_text()) {
        let verdict = filter().review(&text);
        if let Some(masked) = &verdict.masked {
            prop_assert_eq!(masked.chars().count(), text.chars().count());
            let spans: Vec<_> = verdict
                .matches
                .iter()
                .filter(|m| m.action == Action::Mask)
                .map(|m| m.span.clone())
                .collect();
            for ((offset, original), replaced) in text.char_indices().zip(masked.chars()) {
                let inside = spans.iter().any(|s| s.contains(&offset));
                if !inside || original.is_whitespace() {
                    prop_assert_eq!(original, replaced);
                } else {
                    prop_assert_eq!(replaced, '*');
                }
            }
        }
    }

    #[test]
    fn masked_output_reviews_clean(text in chat_text()) {
        let verdict = filter().review(&text);
        if let Some(masked) = verdict.masked {
            // Nothing is left to mask or deny; allowed mild words remain.
            let again = filter().review(&masked);
            prop_assert!(
                again.action == Action::Allow,
                "{:?} masked to {:?} still matches {:?}",
                text,
                masked,
                again.rule_names()
            );
        }
    }

    #[test]
    fn masking_never_exceeds_the_message_limit(text in "\\PC{0,500}") {
        let masked = mask(&text, std::iter::once(0..text.len()), '█');
        prop_assert_eq!(masked.chars().count(), text.chars().count());
        prop_assert!(masked.chars().count() <= chat_filter::MAX_MESSAGE_CHARS);
    }
}
