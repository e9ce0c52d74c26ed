//! The operations part of `template.yaml`, checked on every `cargo test`:
//! the dashboard, the alarms and the AppConfig resources.
//!
//! cfn-lint checks that the resources are well formed; these check what it
//! cannot: that the dashboard body is JSON once CloudFormation has
//! substituted it and plots the metrics the review handler writes
//! (`Moderated`, `ReviewTime`, `ConfigRejected`, in `MetricsNamespace`), that
//! the three alarms watch what the docs say and notify the optional topic,
//! that the AppConfig validator is a JSON schema, and that the function's
//! AppConfig access is limited to its own configuration profile. Each check
//! is also run on a broken copy, so it is shown to fail when it should.

mod sam_template;

use sam_template::{broken, get, parse, resource, template_text, text};
use serde_norway::Value;

/// The dashboard body with every `${...}` replaced as CloudFormation would
/// (by a placeholder), parsed as JSON.
fn dashboard(t: &Value) -> Result<serde_json::Value, String> {
    let body = resource(t, "OperationsDashboard")
        .and_then(|r| get(r, "Properties"))
        .and_then(|p| get(p, "DashboardBody"))
        .and_then(text)
        .ok_or("no OperationsDashboard DashboardBody")?;
    let mut substituted = String::new();
    let mut rest = body.as_str();
    while let Some(at) = rest.find("${") {
        substituted.push_str(&rest[..at]);
        let end = rest[at..].find('}').ok_or("unclosed ${")? + at;
        let name = &rest[at + 2..end];
        substituted.push_str(if name.ends_with("Ms") { "100" } else { "X" });
        rest = &rest[end + 1..];
    }
    substituted.push_str(rest);
    serde_json::from_str(&substituted).map_err(|e| format!("the dashboard body is not JSON: {e}"))
}

fn dashboard_problems(t: &Value) -> Vec<String> {
    let body = match dashboard(t) {
        Ok(body) => body,
        Err(e) => return vec![e],
    };
    let all = body.to_string();
    let mut problems = Vec::new();
    for metric in [
        "Moderated",
        "ReviewTime",
        "ConfigRejected",
        "Errors",
        "Throttles",
        "Invocations",
        "ApproximateNumberOfMessagesVisible",
    ] {
        if !all.contains(metric) {
            problems.push(format!("the dashboard does not plot {metric}"));
        }
    }
    for stat in ["\"p50\"", "\"p99\""] {
        if !all.contains(stat) {
            problems.push(format!("the dashboard has no {stat} review time"));
        }
    }
    if !all.contains("\"value\":200") {
        problems.push("the dashboard does not draw the 200 ms deadline".into());
    }
    // Every function of the template has its failures on the dashboard:
    // a room function added later must not be left off it.
    let raw = resource(t, "OperationsDashboard")
        .and_then(|r| get(r, "Properties"))
        .and_then(|p| get(p, "DashboardBody"))
        .and_then(text)
        .unwrap_or_default();
    if let Some(Value::Mapping(resources)) = get(t, "Resources") {
        for (id, r) in resources {
            let is_function =
                get(r, "Type").and_then(text).as_deref() == Some("AWS::Serverless::Function");
            if let (true, Some(id)) = (is_function, text(id)) {
                if !raw.contains(&format!("\"${{{id}}}\"")) {
                    problems.push(format!("the dashboard does not plot {id}'s failures"));
                }
            }
        }
    }
    problems
}

fn alarm_problems(t: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for (id, watched) in [
        ("ReviewErrorsAlarm", "Throttles"),
        ("ReviewTimeP99Alarm", "ReviewTime"),
        ("DeadLetterQueueAlarm", "ApproximateNumberOfMessagesVisible"),
    ] {
        let Some(alarm) = resource(t, id) else {
            problems.push(format!("{id} is missing"));
            continue;
        };
        let yaml = serde_norway::to_string(&get(alarm, "Properties")).unwrap_or_default();
        if !yaml.contains(watched) {
            problems.push(format!("{id} does not watch {watched}"));
        }
        if !yaml.contains("AlarmTopicArn") {
            problems.push(format!("{id} does not notify AlarmTopicArn"));
        }
    }
    problems
}

fn appconfig_problems(t: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let schema = resource(t, "ReviewConfigProfile")
        .and_then(|r| get(r, "Properties"))
        .and_then(|p| get(p, "Validators"))
        .and_then(|v| match v {
            Value::Sequence(items) => items
                .iter()
                .find(|i| get(i, "Type").and_then(text).as_deref() == Some("JSON_SCHEMA")),
            _ => None,
        })
        .and_then(|v| get(v, "Content"))
        .and_then(text);
    match schema {
        None => problems.push("the configuration profile has no JSON_SCHEMA validator".into()),
        Some(schema) => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&schema) {
                problems.push(format!("the JSON schema is not JSON: {e}"));
            }
        }
    }
    let role = serde_norway::to_string(&resource(t, "MessageReviewRole")).unwrap_or_default();
    if !role.contains("appconfig:GetLatestConfiguration") {
        problems.push("the review role cannot read its configuration".into());
    }
    if role.contains("appconfig:*") || !role.contains("configuration/${ReviewConfigProfile}") {
        problems
            .push("the review role's AppConfig access is not limited to its own profile".into());
    }
    problems
}

/// Where the handler's AppConfig names and the created resources' names
/// part, or live configuration could be on without its extension.
fn live_configuration_problems(t: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let is_name_ref = |v: Option<&Value>| matches!(v, Some(Value::Tagged(tag)) if tag.tag == "!Ref" && text(&tag.value).as_deref() == Some("ReviewConfigName"));
    let variables = resource(t, "MessageReviewFunction")
        .and_then(|r| get(r, "Properties"))
        .and_then(|p| get(p, "Environment"))
        .and_then(|e| get(e, "Variables"));
    for variable in [
        "REVIEW_APPCONFIG_APPLICATION",
        "REVIEW_APPCONFIG_ENVIRONMENT",
        "REVIEW_APPCONFIG_PROFILE",
    ] {
        if !is_name_ref(variables.and_then(|v| get(v, variable))) {
            problems.push(format!("{variable} is not !Ref ReviewConfigName"));
        }
    }
    for id in [
        "ReviewConfigApplication",
        "ReviewConfigEnvironment",
        "ReviewConfigProfile",
    ] {
        let name = resource(t, id)
            .and_then(|r| get(r, "Properties"))
            .and_then(|p| get(p, "Name"));
        if !is_name_ref(name) {
            problems.push(format!(
                "{id} is not named ReviewConfigName, the name the handler reads it by"
            ));
        }
    }
    let rules = serde_norway::to_string(&get(t, "Rules")).unwrap_or_default();
    for (rule, needs) in [
        (
            "LiveConfigurationNeedsTheExtension",
            "AppConfigExtensionLayerArn",
        ),
        ("TheExtensionNeedsLiveConfiguration", "ReviewConfigName"),
    ] {
        let assertion = get(t, "Rules").and_then(|r| get(r, rule));
        let assertion = serde_norway::to_string(&assertion).unwrap_or_default();
        if !rules.contains(rule) || !assertion.contains(needs) {
            problems.push(format!("no rule {rule} asserting {needs}"));
        }
    }
    problems
}

#[test]
fn the_dashboard_is_json_and_plots_the_handlers_metrics() {
    assert_eq!(
        dashboard_problems(&parse(&template_text())),
        Vec::<String>::new()
    );
    let broken_json = broken("\"widgets\": [", "\"widgets\": [[");
    assert!(dashboard_problems(&broken_json)[0].contains("not JSON"));
    let renamed = broken(
        "\"ReviewTime\", \"function\"",
        "\"ReviewLatency\", \"function\"",
    );
    assert_eq!(
        dashboard_problems(&renamed),
        ["the dashboard does not plot ReviewTime"]
    );
    // Both of chat-token's lines (errors and throttles) taken off.
    let line = "[\"...\", \"${ChatTokenFunction}\", {\"stat\": \"Sum\"}],";
    assert_eq!(template_text().matches(line).count(), 2);
    let left_off = parse(&template_text().replace(line, ""));
    assert_eq!(
        dashboard_problems(&left_off),
        ["the dashboard does not plot ChatTokenFunction's failures"]
    );
}

#[test]
fn the_alarms_watch_errors_latency_and_the_dead_letter_queue() {
    assert_eq!(
        alarm_problems(&parse(&template_text())),
        Vec::<String>::new()
    );
    let no_topic = broken(
        "      AlarmActions: !If [HasAlarmTopic, [!Ref AlarmTopicArn], !Ref AWS::NoValue]\n      OKActions: !If [HasAlarmTopic, [!Ref AlarmTopicArn], !Ref AWS::NoValue]\n\n  ReviewTimeP99Alarm:",
        "\n  ReviewTimeP99Alarm:",
    );
    assert_eq!(
        alarm_problems(&no_topic),
        ["ReviewErrorsAlarm does not notify AlarmTopicArn"]
    );
}

#[test]
fn appconfig_has_a_schema_and_the_role_reads_only_its_profile() {
    assert_eq!(
        appconfig_problems(&parse(&template_text())),
        Vec::<String>::new()
    );
    let wide = broken("configuration/${ReviewConfigProfile}", "configuration/*");
    assert_eq!(
        appconfig_problems(&wide),
        ["the review role's AppConfig access is not limited to its own profile"]
    );
    let not_json = broken(
        "\"title\": \"message-review configuration document\",",
        "title: x,",
    );
    assert!(appconfig_problems(&not_json)[0].starts_with("the JSON schema is not JSON"));
}

#[test]
fn live_configuration_is_named_once_and_needs_its_extension() {
    assert_eq!(
        live_configuration_problems(&parse(&template_text())),
        Vec::<String>::new()
    );
    let renamed = broken(
        "      ApplicationId: !Ref ReviewConfigApplication\n      Name: !Ref ReviewConfigName\n      Description: The rooms",
        "      ApplicationId: !Ref ReviewConfigApplication\n      Name: live\n      Description: The rooms",
    );
    assert_eq!(
        live_configuration_problems(&renamed),
        ["ReviewConfigEnvironment is not named ReviewConfigName, the name the handler reads it by"]
    );
    let unguarded = broken("  TheExtensionNeedsLiveConfiguration:", "  SomethingElse:");
    assert_eq!(
        live_configuration_problems(&unguarded),
        ["no rule TheExtensionNeedsLiveConfiguration asserting ReviewConfigName"]
    );
}
