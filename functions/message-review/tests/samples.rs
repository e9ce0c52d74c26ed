//! The handler on every sample event in `events/message-review/`.
//!
//! The samples are the project's documentation of what the handler does
//! (their README has the same table), so the tests read them from the repo
//! rather than keeping copies that could drift. A sample without an
//! expectation here fails the run, so none goes unchecked.

use std::path::PathBuf;

use ivs_chat::{ReviewResponse, ReviewResult};
use lambda_runtime::{Context, LambdaEvent};
use message_review::{config::DEFAULT_DENY_REASON, handle, Config};
use serde_json::Value;

/// What a sample should get under the default configuration.
enum Expected {
    /// ALLOW with the content and attributes as sent.
    Unchanged,
    /// ALLOW with the content masked: the same number of characters, the
    /// `hidden` words gone, the `kept` text intact, and exactly `content`
    /// when given.
    Masked {
        content: Option<&'static str>,
        hidden: &'static [&'static str],
        kept: &'static [&'static str],
    },
    /// DENY with the default reason.
    Denied,
}

const EXPECTATIONS: &[(&str, Expected)] = &[
    ("clean.json", Expected::Unchanged),
    ("profane.json", Expected::Denied),
    (
        "mild.json",
        Expected::Masked {
            content: Some("this **** is broken"),
            hidden: &["shit"],
            kept: &["this", "is broken"],
        },
    ),
    ("mild-swearing.json", Expected::Unchanged),
    (
        "disguised-mild.json",
        Expected::Masked {
            content: Some("what the ****, that was ****"),
            hidden: &["һell", "cr*p"],
            kept: &["what the", "that was"],
        },
    ),
    (
        "evasive.json",
        Expected::Masked {
            content: None,
            hidden: &["f.u.c.k", "sh1t"],
            kept: &["and your"],
        },
    ),
    (
        "unicode.json",
        Expected::Masked {
            content: Some("Crème brûlée à 東京 🍣 with the 👨‍👩‍👧‍👦 family, **** happens"),
            hidden: &["ｓｈｉｔ"],
            kept: &["Crème brûlée", "東京 🍣", "👨‍👩‍👧‍👦", "happens"],
        },
    ),
    ("no-attributes.json", Expected::Unchanged),
    (
        "max-length.json",
        Expected::Masked {
            content: None,
            hidden: &["shit"],
            kept: &[
                "Ünïcödé 東京 🍣",
                "this **** is broken",
                "日本語のテキスト déjà vu",
            ],
        },
    ),
    ("innocent.json", Expected::Unchanged),
];

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../events/message-review")
}

fn read_sample(name: &str) -> Value {
    let path = samples_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn check(name: &str, event: &Value, expected: &Expected, response: &ReviewResponse) {
    let content = event["Content"].as_str().unwrap();
    let attributes: std::collections::BTreeMap<String, String> =
        serde_json::from_value(event.get("Attributes").cloned().unwrap_or(Value::Null))
            .unwrap_or_default();
    match expected {
        Expected::Unchanged => {
            assert_eq!(response.review_result, ReviewResult::Allow, "{name}");
            assert_eq!(response.content, content, "{name}");
            assert_eq!(response.attributes, attributes, "{name}");
        }
        Expected::Masked {
            content: exact,
            hidden,
            kept,
        } => {
            assert_eq!(response.review_result, ReviewResult::Allow, "{name}");
            assert_eq!(response.attributes, attributes, "{name}");
            assert_eq!(
                response.content.chars().count(),
                content.chars().count(),
                "{name}: masking must keep the length"
            );
            if let Some(exact) = exact {
                assert_eq!(response.content, *exact, "{name}");
            }
            for word in *hidden {
                assert!(
                    content.contains(word),
                    "{name}: the sample should hold {word:?}"
                );
                assert!(
                    !response.content.contains(word),
                    "{name}: {word:?} was not masked"
                );
            }
            for text in *kept {
                assert!(response.content.contains(text), "{name}: {text:?} was lost");
            }
        }
        Expected::Denied => {
            assert_eq!(response.review_result, ReviewResult::Deny, "{name}");
            assert_eq!(response.content, content, "{name}");
            assert_eq!(response.attributes.len(), 1, "{name}");
            assert_eq!(response.attributes["Reason"], DEFAULT_DENY_REASON, "{name}");
        }
    }
}

#[tokio::test]
async fn every_sample_gets_its_expected_answer() {
    let config = Config::default();
    let filter = config.build_filter().unwrap();
    for (name, expected) in EXPECTATIONS {
        let event = read_sample(name);
        let response = handle(
            &filter,
            &config,
            LambdaEvent::new(event.clone(), Context::default()),
        )
        .await
        .unwrap();
        check(name, &event, expected, &response);
    }
}

#[test]
fn every_sample_has_an_expectation_and_the_readme_lists_it() {
    let readme = std::fs::read_to_string(samples_dir().join("README.md")).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(samples_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in &names {
        assert!(
            EXPECTATIONS.iter().any(|(n, _)| n == name),
            "{name} has no expectation in this test"
        );
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} is not in the README table"
        );
    }
    assert_eq!(
        names.len(),
        EXPECTATIONS.len(),
        "an expectation names a missing sample"
    );
}

#[test]
fn samples_keep_the_documented_shape() {
    let max = read_sample("max-length.json");
    let content = max["Content"].as_str().unwrap();
    assert_eq!(content.chars().count(), 500);
    assert!(
        content.len() > 500,
        "max-length.json should hold multibyte characters"
    );

    let bare = read_sample("no-attributes.json");
    assert!(bare.get("Attributes").is_none());
    assert!(bare["Sender"].get("Attributes").is_none());
    for (name, _) in EXPECTATIONS {
        let event = read_sample(name);
        for key in ["Content", "MessageId", "RoomArn", "Sender"] {
            assert!(event.get(key).is_some(), "{name} lacks {key}");
        }
        assert!(
            event["Sender"].get("UserId").is_some(),
            "{name} lacks Sender.UserId"
        );
    }
}
