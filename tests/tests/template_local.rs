//! What `sam local` needs from `template.yaml`, checked on every `cargo test`.
//!
//! `sam local invoke` and `sam local start-lambda` resolve only part of
//! CloudFormation: a variable written `!If [Cond, !Ref P, !Ref AWS::NoValue]`
//! reaches the function as an empty string whatever `--parameter-overrides`
//! says, and only variables the template declares can be set with
//! `--env-vars`. These tests fail when:
//!
//! * a function's environment variable is anything but a literal or a plain
//!   `!Ref` of a parameter (so every override reaches the function);
//! * a review parameter is not passed to the review handler;
//! * a room function does not declare its endpoint variables (empty, which
//!   the functions read as unset), so they cannot be pointed at a local API;
//! * a function's `Layers` is anything but a list (`Layers: !If [...]`
//!   reaches `sam local` as a layer named `Fn::If`, and no invoke starts);
//! * a function is not built from its own directory (`CodeUri:
//!   functions/<binary>`): from the workspace root Cargo unifies features
//!   across every member, and the review handler's build compiles the AWS SDK;
//! * `.aws-sam/` (what `sam build` writes) is not ignored by git.
//!
//! Each check also runs against a broken copy, to show it catches the
//! mistake it is there for.

use std::collections::BTreeMap;

mod sam_template;

use sam_template::{broken, functions, get, parse, workspace_file};
use serde_norway::Value;

/// Each function's environment variables, by logical id.
fn variables(t: &Value) -> BTreeMap<String, BTreeMap<String, Value>> {
    functions(t)
        .map(|(id, r)| {
            let vars = get(r, "Properties")
                .and_then(|p| get(p, "Environment"))
                .and_then(|e| get(e, "Variables"))
                .and_then(Value::as_mapping)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            (id.as_str().unwrap_or_default().to_string(), vars)
        })
        .collect()
}

fn parameters(t: &Value) -> Vec<String> {
    get(t, "Parameters")
        .and_then(Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Variables whose value `sam local` may not resolve.
fn unresolvable_values(t: &Value) -> Vec<String> {
    let params = parameters(t);
    let mut problems = Vec::new();
    for (function, vars) in variables(t) {
        for (name, value) in vars {
            let fine = match &value {
                Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
                Value::Tagged(tagged) if tagged.tag == "!Ref" => tagged
                    .value
                    .as_str()
                    .is_some_and(|p| params.iter().any(|q| q == p) || !p.starts_with("AWS::")),
                _ => false,
            };
            if !fine {
                problems.push(format!(
                    "{function}: {name} is not a literal or a plain !Ref (sam local passes it empty)"
                ));
            }
        }
    }
    problems
}

/// Review parameters that do not reach the handler as a plain reference.
fn unpassed_review_parameters(t: &Value) -> Vec<String> {
    let vars = variables(t);
    let review = vars
        .get("MessageReviewFunction")
        .expect("the template has MessageReviewFunction");
    [
        ("ReviewDenyReason", "REVIEW_DENY_REASON"),
        ("ReviewWordLists", "REVIEW_WORD_LISTS"),
        ("ReviewBlockTerms", "REVIEW_BLOCK_TERMS"),
        ("ReviewPolicy", "REVIEW_POLICY"),
    ]
    .into_iter()
    .filter(|(param, var)| {
        !matches!(review.get(*var), Some(Value::Tagged(t)) if t.tag == "!Ref" && t.value.as_str() == Some(param))
    })
    .map(|(param, var)| format!("MessageReviewFunction: {var} is not !Ref {param}"))
    .collect()
}

/// Endpoint variables a room function must declare, empty.
fn undeclared_endpoints(t: &Value) -> Vec<String> {
    let vars = variables(t);
    let wanted = [
        ("ModerationActionsFunction", "AWS_ENDPOINT_URL_IVSCHAT"),
        ("ScheduledEventsFunction", "AWS_ENDPOINT_URL_IVSCHAT"),
        ("ScheduledEventsFunction", "AWS_ENDPOINT_URL_SQS"),
    ];
    wanted
        .into_iter()
        .filter(|(function, var)| {
            vars.get(*function).and_then(|v| v.get(*var)) != Some(&Value::String(String::new()))
        })
        .map(|(function, var)| format!("{function}: {var} is not declared empty"))
        .collect()
}

#[test]
fn every_variable_is_a_value_sam_local_resolves() {
    let t = parse(&workspace_file("template.yaml"));
    assert_eq!(unresolvable_values(&t), Vec::<String>::new());
    assert_eq!(unpassed_review_parameters(&t), Vec::<String>::new());
}

/// Functions whose `Layers` `sam local` cannot read.
fn unreadable_layers(t: &Value) -> Vec<String> {
    functions(t)
        .filter_map(|(id, r)| {
            let layers = get(r, "Properties").and_then(|p| get(p, "Layers"))?;
            (!matches!(layers, Value::Sequence(_))).then(|| {
                format!(
                    "{}: Layers is not a list (sam local reads a condition there as a layer named Fn::If)",
                    id.as_str().unwrap_or_default()
                )
            })
        })
        .collect()
}

#[test]
fn every_layer_list_is_one_sam_local_reads() {
    let t = parse(&workspace_file("template.yaml"));
    assert_eq!(unreadable_layers(&t), Vec::<String>::new());
    let t = broken(
        "      Layers:\n        - !If [UseAppConfig, !Ref AppConfigExtensionLayerArn, !Ref AWS::NoValue]",
        "      Layers: !If [UseAppConfig, [!Ref AppConfigExtensionLayerArn], !Ref AWS::NoValue]",
    );
    assert_eq!(
        unreadable_layers(&t),
        ["MessageReviewFunction: Layers is not a list (sam local reads a condition there as a layer named Fn::If)"]
    );
}

#[test]
fn room_functions_declare_their_endpoint_variables() {
    let t = parse(&workspace_file("template.yaml"));
    assert_eq!(undeclared_endpoints(&t), Vec::<String>::new());
}

/// Functions not built from `functions/<their binary>`.
fn shared_build_roots(t: &Value) -> Vec<String> {
    functions(t)
        .filter_map(|(id, r)| {
            let binary = get(r, "Metadata")
                .and_then(|m| get(m, "BuildProperties"))
                .and_then(|b| get(b, "Binary"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let code_uri = get(r, "Properties")
                .and_then(|p| get(p, "CodeUri"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            (code_uri != format!("functions/{binary}")).then(|| {
                format!(
                    "{}: CodeUri is {code_uri:?}, not functions/{binary}",
                    id.as_str().unwrap_or_default()
                )
            })
        })
        .collect()
}

#[test]
fn every_function_is_built_from_its_own_directory() {
    let t = parse(&workspace_file("template.yaml"));
    assert_eq!(shared_build_roots(&t), Vec::<String>::new());
}

#[test]
fn a_shared_build_root_is_caught() {
    let t = broken("CodeUri: functions/message-review", "CodeUri: .");
    assert_eq!(
        shared_build_roots(&t),
        ["MessageReviewFunction: CodeUri is \".\", not functions/message-review"]
    );
}

#[test]
fn sam_build_output_is_ignored_by_git() {
    let ignored = workspace_file(".gitignore");
    assert!(
        ignored
            .lines()
            .any(|l| l.trim() == "/.aws-sam" || l.trim() == ".aws-sam/"),
        ".gitignore must list /.aws-sam"
    );
}

#[test]
fn a_conditional_variable_is_caught() {
    let t = broken(
        "REVIEW_BLOCK_TERMS: !Ref ReviewBlockTerms",
        "REVIEW_BLOCK_TERMS: !If [HasBlockTerms, !Ref ReviewBlockTerms, !Ref AWS::NoValue]",
    );
    assert_eq!(
        unresolvable_values(&t),
        ["MessageReviewFunction: REVIEW_BLOCK_TERMS is not a literal or a plain !Ref (sam local passes it empty)"]
    );
    assert_eq!(
        unpassed_review_parameters(&t),
        ["MessageReviewFunction: REVIEW_BLOCK_TERMS is not !Ref ReviewBlockTerms"]
    );
}

#[test]
fn a_missing_endpoint_variable_is_caught() {
    let t = broken("          AWS_ENDPOINT_URL_SQS: \"\"\n", "");
    assert_eq!(
        undeclared_endpoints(&t),
        ["ScheduledEventsFunction: AWS_ENDPOINT_URL_SQS is not declared empty"]
    );
}
