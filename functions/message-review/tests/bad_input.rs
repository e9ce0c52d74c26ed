//! Bad and hostile input, as tabled in SECURITY.md: each gets a verdict per
//! the contract or a clear error naming the field, never a panic.

use ivs_chat::{ReviewResponse, ReviewResult};
use lambda_runtime::{Context, LambdaEvent};
use message_review::{handle, Config, ReviewError};
use serde_json::{json, Value};

async fn answer(payload: Value) -> Result<ReviewResponse, ReviewError> {
    let config = Config::default();
    let filter = config
        .build_filter()
        .expect("the default configuration builds");
    handle(
        &filter,
        &config,
        LambdaEvent::new(payload, Context::default()),
    )
    .await
}

async fn error_text(payload: Value) -> String {
    match answer(payload).await {
        Ok(response) => panic!("expected an error, got {response:?}"),
        Err(error) => error.to_string(),
    }
}

fn event(content: Value) -> Value {
    json!({
        "Content": content,
        "MessageId": "AbCdEf123456",
        "RoomArn": "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh",
        "Attributes": {"message_type": "MESSAGE"},
        "Sender": {"UserId": "u1", "Ip": "203.0.113.7", "Attributes": {}}
    })
}

#[tokio::test]
async fn malformed_and_mistyped_events_name_the_field() {
    assert!(error_text(json!("not an object"))
        .await
        .contains("invalid type"));
    assert!(error_text(json!({})).await.contains("Content"));
    assert!(error_text(json!({"Content": null}))
        .await
        .contains("invalid type"));
    assert!(error_text(json!({"Content": 42}))
        .await
        .contains("invalid type"));
    let text = error_text(json!({"Content": "hi", "Attributes": {"k": 1}})).await;
    assert!(text.contains("invalid type"), "{text}");
    let text = error_text(json!({"Content": "hi", "Sender": "bob"})).await;
    assert!(text.contains("invalid type"), "{text}");
}

#[tokio::test]
async fn missing_and_null_optional_fields_are_accepted() {
    for payload in [
        json!({"Content": "hello"}),
        json!({"Content": "hello", "Attributes": null, "Sender": null, "MessageId": null, "RoomArn": null}),
        json!({"Content": "hello", "Sender": {"UserId": null, "Attributes": null}}),
    ] {
        let response = answer(payload).await.expect("a verdict");
        assert_eq!(response.review_result, ReviewResult::Allow);
        assert_eq!(response.content, "hello");
    }
}

#[tokio::test]
async fn a_one_megabyte_message_is_reviewed() {
    let mut content = "clean words ".repeat(87_382);
    content.push_str("fuck");
    assert!(content.len() > 1 << 20);
    let response = answer(event(json!(content))).await.expect("a verdict");
    assert_eq!(response.review_result, ReviewResult::Allow);
    assert!(response.content.ends_with("****"));
    assert_eq!(response.content.chars().count(), content.chars().count());
}

#[tokio::test]
async fn ten_thousand_attributes_are_echoed_untouched() {
    let attributes: serde_json::Map<String, Value> = (0..10_000)
        .map(|i| (format!("k{i}"), json!(format!("v{i}"))))
        .collect();
    let mut payload = event(json!("hello"));
    payload["Attributes"] = Value::Object(attributes);
    let response = answer(payload).await.expect("a verdict");
    assert_eq!(response.review_result, ReviewResult::Allow);
    assert_eq!(response.attributes.len(), 10_000);
}

#[tokio::test]
async fn control_bidi_surrogate_and_emoji_content_gets_a_verdict() {
    let cases = [
        "\u{0}\u{1}\u{7}\u{1b}[31mred\u{7f}",
        "\u{202E}kcuf\u{202C} and \u{2066}isolate\u{2069}",
        "👨‍👩‍👧‍👦 🏳️‍🌈 👍🏽",
        "f\u{200D}u\u{200D}c\u{200D}k",
        "\u{FEFF}\u{FFFD}\u{10FFFF}",
    ];
    for content in cases {
        let response = answer(event(json!(content))).await.expect("a verdict");
        assert_eq!(
            response.content.chars().count(),
            content.chars().count(),
            "{content:?}"
        );
    }
    // JSON lone surrogates cannot reach the handler as text: the parser
    // rejects them, and the error says where.
    let lone: Result<Value, _> = serde_json::from_str(r#"{"Content": "\ud800"}"#);
    assert!(lone.is_err());
}

#[tokio::test]
async fn a_profanity_behind_zero_width_joiners_is_masked() {
    let response = answer(event(json!("f\u{200D}u\u{200D}c\u{200D}k off")))
        .await
        .expect("a verdict");
    assert_eq!(response.review_result, ReviewResult::Allow);
    assert!(
        response.content.ends_with(" off") && response.content.starts_with('*'),
        "{}",
        response.content
    );
}
