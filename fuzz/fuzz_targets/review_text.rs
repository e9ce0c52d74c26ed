//! Arbitrary UTF-8 through the normaliser, matcher and masker, checking the
//! invariants the review handler relies on.
#![no_main]

use std::sync::OnceLock;

use chat_filter::{Action, Filter};
use libfuzzer_sys::fuzz_target;

fn filter() -> &'static Filter {
    static FILTER: OnceLock<Filter> = OnceLock::new();
    FILTER.get_or_init(|| Filter::with_defaults().expect("the default lists build"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verdict = filter().review(text);
    for m in &verdict.matches {
        assert!(m.span.start < m.span.end && m.span.end <= text.len());
        assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
    }
    assert_eq!(verdict.masked.is_some(), verdict.action == Action::Mask);
    if let Some(masked) = &verdict.masked {
        assert_eq!(masked.chars().count(), text.chars().count());
        // Masking leaves nothing to mask or deny (allowed mild words remain).
        let again = filter().review(masked);
        assert_eq!(again.action, Action::Allow, "{text:?} -> {masked:?}");
    }
});
