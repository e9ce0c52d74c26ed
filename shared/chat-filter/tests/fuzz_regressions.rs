//! Every input the fuzzers found (kept in `tests/fuzz_regressions/`), run
//! through the same checks as the `review_text` fuzz target, so a fixed
//! finding stays fixed.

use chat_filter::{Action, Filter};

#[test]
fn fuzz_findings_keep_the_review_invariants() {
    let filter = Filter::with_defaults().expect("the default lists build");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz_regressions");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("the regression folder exists") {
        let path = entry.expect("a readable folder entry").path();
        let data = std::fs::read(&path).expect("a readable regression input");
        let text = String::from_utf8_lossy(&data);
        let verdict = filter.review(&text);
        for m in &verdict.matches {
            assert!(
                m.span.start < m.span.end && m.span.end <= text.len(),
                "{path:?}"
            );
            assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        }
        assert_eq!(
            verdict.masked.is_some(),
            verdict.action == Action::Mask,
            "{path:?}"
        );
        if let Some(masked) = &verdict.masked {
            assert_eq!(masked.chars().count(), text.chars().count(), "{path:?}");
            assert_eq!(filter.review(masked).action, Action::Allow, "{path:?}");
        }
        checked += 1;
    }
    assert!(checked > 0, "no regression inputs found in {dir}");
}
