//! `template.yaml` as the template tests read it, shared by
//! `template_iam.rs`, `template_local.rs` and `template_operations.rs`.
//!
//! The template is parsed with serde_norway, which keeps CloudFormation's
//! short-form tags (`!Ref`, `!Sub`, `!If`) as tagged values instead of
//! failing on them; the accessors look through a tag, so `!Sub "arn:..."`
//! reads as its text and a tagged mapping as its mapping. Every check is
//! also run on a [`broken`] copy, so each test shows that its check fails
//! when it should.
//!
//! Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::path::Path;

use serde_norway::Value;

/// A file of the workspace, by its path from the workspace root.
pub fn workspace_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The template's text.
pub fn template_text() -> String {
    workspace_file("template.yaml")
}

/// A template's text parsed, tags kept.
pub fn parse(text: &str) -> Value {
    serde_norway::from_str(text).unwrap_or_else(|e| panic!("template.yaml is not YAML: {e}"))
}

/// The template, parsed.
pub fn template() -> Value {
    parse(&template_text())
}

/// The template with the first `from` replaced by `to` (which must occur),
/// parsed: the mistake a check must catch.
pub fn broken(from: &str, to: &str) -> Value {
    let text = template_text();
    assert!(
        text.contains(from),
        "the template no longer contains {from:?}"
    );
    parse(&text.replacen(from, to, 1))
}

/// The value under `key` of a mapping, looking through a tag.
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Mapping(m) => m.get(key),
        Value::Tagged(t) => get(&t.value, key),
        _ => None,
    }
}

/// A scalar as text, looking through a tag (`!Sub "arn:...:room/*"` gives
/// `arn:...:room/*`); `None` for mappings, sequences and tagged lists.
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => text(&t.value),
        _ => None,
    }
}

/// The resource with logical id `id`.
pub fn resource<'a>(t: &'a Value, id: &str) -> Option<&'a Value> {
    get(t, "Resources").and_then(|r| get(r, id))
}

/// The template's functions, as (logical id, resource).
pub fn functions(t: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    get(t, "Resources")
        .and_then(Value::as_mapping)
        .expect("the template has Resources")
        .iter()
        .filter(|(_, r)| {
            get(r, "Type").and_then(Value::as_str) == Some("AWS::Serverless::Function")
        })
}
