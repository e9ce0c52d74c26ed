//! Least privilege in `template.yaml`, checked on every `cargo test` (no
//! emulator, no AWS account needed).
//!
//! The template is parsed as YAML with CloudFormation's short-form tags
//! (`!Sub`, `!GetAtt`, `!Ref`, ...) kept as tagged values, and these tests fail
//! when:
//!
//! * an IAM statement anywhere in the template (function `Policies`, queue
//!   policies, any `PolicyDocument`) that grants an `ivschat`, `sqs` or `logs`
//!   action, or `*`, uses a wildcard action (`ivschat:*`, `sqs:Send*`, `*`) or
//!   a `*` resource; the one exception is `ivschat:ListRooms`, which supports
//!   no resource-level permission and so must be granted on `*`, alone in its
//!   statement;
//! * a function has no role of its own (SAM's generated role would attach
//!   `AWSLambdaBasicExecutionRole`, logs actions on every log group), or
//!   attaches a managed policy (by name or ARN: its content cannot be checked
//!   here) or a SAM policy template that is not scoped to one named resource;
//! * the `AWS::Lambda::Permission` that lets `ivschat.amazonaws.com` invoke a
//!   function lacks `SourceAccount`, or a `SourceArn` ending in `room/*`, or
//!   the room that uses the handler does not `DependsOn` it (IVS Chat checks
//!   the permission when the handler is attached);
//! * a function has no log group of its own with a retention;
//! * a `dynamodb` action is granted on anything but a table of the template
//!   (`!GetAtt <Table>.Arn`), the chat-token role may do more than
//!   `GetItem`, or the strike tracker's may delete or scan; a table is not
//!   on-demand, or lacks TTL, encryption or a point-in-time recovery setting
//!   tied to its parameter;
//! * the permission that lets CloudWatch Logs invoke the strike tracker lacks
//!   `SourceAccount` or a `SourceArn` naming the review handler's log group,
//!   or the subscription filter does not depend on it or does not select the
//!   decision records.
//!
//! The checks are plain functions over the parsed template, and each one is
//! also run against a broken copy of the template to show it catches the
//! mistake it is there for: a check that could never fail proves nothing.

use std::collections::{BTreeMap, BTreeSet};

mod sam_template;

use sam_template::{broken, get, template, text};
use serde_norway::Value;

/// A scalar or a list of scalars (`Action: x` or `Action: [x, y]`).
fn one_or_many(v: &Value) -> Vec<Value> {
    match v {
        Value::Sequence(items) => items.clone(),
        other => vec![other.clone()],
    }
}

fn resources(t: &Value) -> BTreeMap<String, Value> {
    get(t, "Resources")
        .and_then(Value::as_mapping)
        .expect("the template has Resources")
        .iter()
        .map(|(k, v)| (text(k).expect("a logical id"), v.clone()))
        .collect()
}

fn type_of(resource: &Value) -> String {
    get(resource, "Type").and_then(text).unwrap_or_default()
}

/// Every IAM statement in the template (a mapping with `Effect` and
/// `Action`), with the logical id of the resource holding it.
fn statements(t: &Value) -> Vec<(String, Value)> {
    fn walk(v: &Value, owner: &str, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Mapping(m) => {
                if m.contains_key("Effect") && m.contains_key("Action") {
                    out.push((owner.to_string(), v.clone()));
                }
                for child in m.values() {
                    walk(child, owner, out);
                }
            }
            Value::Sequence(items) => items.iter().for_each(|i| walk(i, owner, out)),
            Value::Tagged(tagged) => walk(&tagged.value, owner, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (id, resource) in resources(t) {
        walk(&resource, &id, &mut out);
    }
    out
}

const CHECKED_SERVICES: [&str; 4] = ["ivschat", "sqs", "logs", "dynamodb"];

/// What is wrong with the template's IAM statements (empty: nothing).
fn statement_problems(t: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for (owner, statement) in statements(t) {
        let sid = get(&statement, "Sid").and_then(text).unwrap_or_default();
        let at = format!("{owner} statement {sid:?}");
        if get(&statement, "NotAction").is_some() || get(&statement, "NotResource").is_some() {
            problems.push(format!("{at}: NotAction/NotResource grant everything else"));
        }
        let actions: Vec<String> = get(&statement, "Action")
            .map(one_or_many)
            .unwrap_or_default()
            .iter()
            .map(|a| text(a).unwrap_or_else(|| format!("{a:?}")))
            .collect();
        let checked: Vec<&String> = actions
            .iter()
            .filter(|a| {
                *a == "*"
                    || a.split_once(':').is_some_and(|(service, _)| {
                        CHECKED_SERVICES.contains(&service.to_ascii_lowercase().as_str())
                    })
            })
            .collect();
        if checked.is_empty() {
            continue;
        }
        for action in &checked {
            if action.contains('*') {
                problems.push(format!("{at}: wildcard action {action}"));
            }
        }
        let list_rooms_only = actions.iter().all(|a| a == "ivschat:ListRooms");
        let resources = get(&statement, "Resource").map(one_or_many);
        let Some(resources) = resources else {
            // Queue policies name their principal and resource; a statement
            // without a Resource is only valid in resource-based policies.
            if get(&statement, "Principal").is_none() {
                problems.push(format!("{at}: no Resource"));
            }
            continue;
        };
        for resource in &resources {
            match text(resource) {
                Some(r) if r.trim() == "*" && !list_rooms_only => problems.push(format!(
                    "{at}: resource * for {}",
                    checked
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Some(r) if r.trim() == "*" => {}
                // The streams of one of the stack's own log groups.
                Some(r) if r.contains(":log-group:${") && r.ends_with(":log-stream:*") => {}
                Some(r) if r.ends_with(":*") || r.ends_with(":*:*") => {
                    problems.push(format!("{at}: resource {r} covers every resource"))
                }
                _ => {}
            }
        }
    }
    problems
}

/// SAM policy templates that grant on one named resource, with the
/// parameter that names it.
const SCOPED_POLICY_TEMPLATES: [(&str, &str); 4] = [
    ("SQSSendMessagePolicy", "QueueName"),
    ("SQSPollerPolicy", "QueueName"),
    ("LambdaInvokePolicy", "FunctionName"),
    ("CloudWatchPutMetricPolicy", ""),
];

/// What is wrong with the functions' `Policies` entries besides inline
/// statements (checked by [`statement_problems`]).
fn policy_entry_problems(t: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for (id, resource) in resources(t) {
        if type_of(&resource) != "AWS::Serverless::Function" {
            continue;
        }
        // Without a role of its own, SAM generates one with
        // AWSLambdaBasicExecutionRole: logs actions on every log group.
        if get(&resource, "Properties")
            .and_then(|p| get(p, "Role"))
            .is_none()
        {
            problems.push(format!(
                "{id}: no explicit Role (SAM's generated role allows logs actions on every log group)"
            ));
        }
        let Some(policies) = get(&resource, "Properties").and_then(|p| get(p, "Policies")) else {
            continue;
        };
        for entry in one_or_many(policies) {
            match &entry {
                Value::Mapping(m) if m.contains_key("Statement") => {}
                Value::Mapping(m) => {
                    for (name, params) in m {
                        let name = text(name).unwrap_or_default();
                        match SCOPED_POLICY_TEMPLATES.iter().find(|(n, _)| *n == name) {
                            None => problems.push(format!(
                                "{id}: policy template {name} is not known to be scoped to one resource"
                            )),
                            Some((_, "")) => {}
                            Some((_, param)) => {
                                let value = get(params, param);
                                let ok = value.is_some_and(|v| {
                                    matches!(v, Value::Tagged(_))
                                        || text(v).is_some_and(|s| !s.is_empty() && !s.contains('*'))
                                });
                                if !ok {
                                    problems.push(format!("{id}: {name} without a specific {param}"));
                                }
                            }
                        }
                    }
                }
                other => problems.push(format!(
                    "{id}: managed policy {} cannot be checked for least privilege",
                    text(other).unwrap_or_else(|| format!("{other:?}"))
                )),
            }
        }
    }
    problems
}

/// What is wrong with IVS Chat's permission to invoke the review handler.
fn invoke_permission_problems(t: &Value) -> Vec<String> {
    let all = resources(t);
    let permissions: Vec<(&String, &Value)> = all
        .iter()
        .filter(|(_, r)| type_of(r) == "AWS::Lambda::Permission")
        .filter(|(_, r)| {
            get(r, "Properties")
                .and_then(|p| get(p, "Principal"))
                .and_then(text)
                .is_some_and(|p| p == "ivschat.amazonaws.com")
        })
        .collect();
    let mut problems = Vec::new();
    if permissions.is_empty() {
        problems.push("no AWS::Lambda::Permission for ivschat.amazonaws.com".to_string());
    }
    for (id, permission) in &permissions {
        let props = get(permission, "Properties").expect("Properties");
        if get(props, "Action").and_then(text).as_deref() != Some("lambda:InvokeFunction") {
            problems.push(format!("{id}: Action must be lambda:InvokeFunction"));
        }
        if get(props, "SourceAccount").is_none() {
            problems.push(format!("{id}: no SourceAccount"));
        }
        match get(props, "SourceArn").and_then(text) {
            Some(arn) if arn.ends_with(":room/*") && arn.contains(":ivschat:") => {}
            other => problems.push(format!(
                "{id}: SourceArn must be the account's ivschat rooms (…:room/*), got {other:?}"
            )),
        }
    }
    let rooms: Vec<(&String, &Value)> = all
        .iter()
        .filter(|(_, r)| type_of(r) == "AWS::IVSChat::Room")
        .filter(|(_, r)| {
            get(r, "Properties")
                .and_then(|p| get(p, "MessageReviewHandler"))
                .is_some()
        })
        .collect();
    if rooms.is_empty() {
        problems.push("no AWS::IVSChat::Room with a MessageReviewHandler".to_string());
    }
    for (id, room) in rooms {
        let depends: BTreeSet<String> = get(room, "DependsOn")
            .map(one_or_many)
            .unwrap_or_default()
            .iter()
            .filter_map(text)
            .collect();
        if !permissions.iter().any(|(p, _)| depends.contains(*p)) {
            problems.push(format!(
                "{id}: must DependsOn the ivschat invoke permission, has {depends:?}"
            ));
        }
    }
    problems
}

/// What is wrong with the functions' log groups.
fn log_group_problems(t: &Value) -> Vec<String> {
    let all = resources(t);
    let mut problems = Vec::new();
    let mut used = BTreeMap::<String, String>::new();
    let functions: Vec<(&String, &Value)> = all
        .iter()
        .filter(|(_, r)| {
            matches!(
                type_of(r).as_str(),
                "AWS::Serverless::Function" | "AWS::Lambda::Function"
            )
        })
        .collect();
    if functions.is_empty() {
        problems.push("no functions".to_string());
    }
    for (id, function) in functions {
        let group = get(function, "Properties")
            .and_then(|p| get(p, "LoggingConfig"))
            .and_then(|l| get(l, "LogGroup"));
        let target = match group {
            Some(Value::Tagged(t)) if t.tag == "Ref" => text(&t.value),
            Some(Value::Mapping(m)) => m.get("Ref").and_then(text),
            _ => None,
        };
        let Some(target) = target else {
            problems.push(format!(
                "{id}: LoggingConfig.LogGroup must !Ref a log group of the template"
            ));
            continue;
        };
        match all.get(&target) {
            Some(g) if type_of(g) == "AWS::Logs::LogGroup" => {
                if get(g, "Properties")
                    .and_then(|p| get(p, "RetentionInDays"))
                    .is_none()
                {
                    problems.push(format!("{id}: log group {target} has no RetentionInDays"));
                }
            }
            _ => problems.push(format!("{id}: {target} is not an AWS::Logs::LogGroup")),
        }
        if let Some(other) = used.insert(target.clone(), id.clone()) {
            problems.push(format!("{id} and {other} share the log group {target}"));
        }
    }
    problems
}

fn all_problems(t: &Value) -> Vec<String> {
    let mut p = statement_problems(t);
    p.extend(policy_entry_problems(t));
    p.extend(invoke_permission_problems(t));
    p.extend(log_group_problems(t));
    p.extend(sanctions_problems(t));
    p
}

/// The DynamoDB actions each role may have at most.
const DYNAMODB_ALLOWED: [(&str, &[&str]); 3] = [
    ("ChatTokenRole", &["dynamodb:GetItem"]),
    (
        "StrikeTrackingRole",
        &[
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:Query",
        ],
    ),
    (
        "ModerationActionsRole",
        &[
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:Query",
            "dynamodb:DeleteItem",
        ],
    ),
];

/// What is wrong with the strike loop's table, permissions and subscription.
fn sanctions_problems(t: &Value) -> Vec<String> {
    let all = resources(t);
    let mut problems = Vec::new();
    let tables: Vec<&String> = all
        .iter()
        .filter(|(_, r)| type_of(r) == "AWS::DynamoDB::Table")
        .map(|(id, _)| id)
        .collect();
    for (owner, statement) in statements(t) {
        let actions: Vec<String> = get(&statement, "Action")
            .map(one_or_many)
            .unwrap_or_default()
            .iter()
            .filter_map(text)
            .filter(|a| a.to_ascii_lowercase().starts_with("dynamodb:"))
            .collect();
        if actions.is_empty() {
            continue;
        }
        let allowed = DYNAMODB_ALLOWED
            .iter()
            .find(|(role, _)| *role == owner)
            .map_or(&[][..], |(_, a)| *a);
        for action in &actions {
            if !allowed.contains(&action.as_str()) {
                problems.push(format!("{owner}: {action} is more than it needs"));
            }
        }
        for resource in get(&statement, "Resource")
            .map(one_or_many)
            .unwrap_or_default()
        {
            let on_table = matches!(&resource, Value::Tagged(tag) if tag.tag == "GetAtt"
                && text(&tag.value).is_some_and(|v| tables.iter().any(|t| v == format!("{t}.Arn"))));
            if !on_table {
                problems.push(format!(
                    "{owner}: dynamodb actions must be granted on !GetAtt <Table>.Arn, got {resource:?}"
                ));
            }
        }
    }
    for id in &tables {
        let props = all.get(*id).and_then(|r| get(r, "Properties"));
        let prop = |k: &str| props.and_then(|p| get(p, k));
        if prop("BillingMode").and_then(text).as_deref() != Some("PAY_PER_REQUEST") {
            problems.push(format!(
                "{id}: BillingMode must be PAY_PER_REQUEST (on-demand)"
            ));
        }
        let ttl = prop("TimeToLiveSpecification");
        if ttl
            .and_then(|s| get(s, "Enabled"))
            .and_then(text)
            .as_deref()
            != Some("true")
        {
            problems.push(format!("{id}: TTL must be enabled"));
        }
        let sse = prop("SSESpecification");
        if sse
            .and_then(|s| get(s, "SSEEnabled"))
            .and_then(text)
            .as_deref()
            != Some("true")
        {
            problems.push(format!("{id}: SSESpecification.SSEEnabled must be true"));
        }
        let pitr = prop("PointInTimeRecoverySpecification")
            .and_then(|p| get(p, "PointInTimeRecoveryEnabled"));
        if !matches!(pitr, Some(Value::Tagged(tag)) if tag.tag == "If") {
            problems.push(format!(
                "{id}: point-in-time recovery must follow its parameter (!If)"
            ));
        }
    }
    let log_permissions: Vec<(&String, &Value)> = all
        .iter()
        .filter(|(_, r)| type_of(r) == "AWS::Lambda::Permission")
        .filter(|(_, r)| {
            get(r, "Properties")
                .and_then(|p| get(p, "Principal"))
                .and_then(text)
                .is_some_and(|p| p == "logs.amazonaws.com")
        })
        .collect();
    for (id, permission) in &log_permissions {
        let props = get(permission, "Properties").expect("Properties");
        if get(props, "SourceAccount").is_none() {
            problems.push(format!("{id}: no SourceAccount"));
        }
        let source = get(props, "SourceArn");
        let from_log_group = matches!(source, Some(Value::Tagged(tag)) if tag.tag == "GetAtt"
            && text(&tag.value).is_some_and(|v| v.strip_suffix(".Arn").is_some_and(|g| all.get(g).is_some_and(|r| type_of(r) == "AWS::Logs::LogGroup"))));
        if !from_log_group {
            problems.push(format!(
                "{id}: SourceArn must be !GetAtt <LogGroup>.Arn, got {source:?}"
            ));
        }
    }
    // The decision records' subscription is the one that feeds strike-tracking
    // (the room's chat log has another, checked by chat_log_problems).
    let filters: Vec<(&String, &Value)> = all
        .iter()
        .filter(|(_, r)| type_of(r) == "AWS::Logs::SubscriptionFilter")
        .filter(|(_, r)| {
            get(r, "Properties")
                .and_then(|p| get(p, "DestinationArn"))
                .is_some_and(|d| format!("{d:?}").contains("StrikeTrackingFunction"))
        })
        .collect();
    if !tables.is_empty() && filters.is_empty() {
        problems.push("no subscription filter feeds the strike tracker".to_string());
    }
    for (id, filter) in filters {
        let depends = get(filter, "DependsOn")
            .map(one_or_many)
            .unwrap_or_default();
        if !depends
            .iter()
            .filter_map(text)
            .any(|d| log_permissions.iter().any(|(p, _)| **p == d))
        {
            problems.push(format!(
                "{id}: must DependsOn the logs.amazonaws.com invoke permission"
            ));
        }
        let pattern = get(filter, "Properties")
            .and_then(|p| get(p, "FilterPattern"))
            .and_then(text)
            .unwrap_or_default();
        if !pattern.contains("moderation-decision") {
            problems.push(format!(
                "{id}: FilterPattern must select the decision records, got {pattern:?}"
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------- the template

#[test]
fn the_template_parses_with_its_custom_tags() {
    let t = template();
    let all = resources(&t);
    // Tags are kept, not dropped: the permission's SourceArn is a !Sub.
    let arn = get(&all["MessageReviewInvokePermission"], "Properties")
        .and_then(|p| get(p, "SourceArn"))
        .cloned();
    assert!(
        matches!(&arn, Some(Value::Tagged(t)) if t.tag == "Sub"),
        "{arn:?}"
    );
    // And the statements the checks look at are found.
    let sids: BTreeSet<String> = statements(&t)
        .iter()
        .filter_map(|(_, s)| get(s, "Sid").and_then(text))
        .collect();
    for sid in ["RoomActions", "SendToRooms", "FindRoomsByTag"] {
        assert!(sids.contains(sid), "statement {sid} not found in {sids:?}");
    }
}

#[test]
fn iam_statements_use_no_wildcard_for_ivschat_sqs_or_logs() {
    assert_eq!(statement_problems(&template()), Vec::<String>::new());
}

#[test]
fn functions_attach_no_managed_or_unscoped_policies() {
    assert_eq!(policy_entry_problems(&template()), Vec::<String>::new());
}

#[test]
fn ivschat_invoke_permission_is_bound_to_the_account_and_its_rooms() {
    assert_eq!(
        invoke_permission_problems(&template()),
        Vec::<String>::new()
    );
}

#[test]
fn every_function_has_its_own_log_group_with_retention() {
    assert_eq!(log_group_problems(&template()), Vec::<String>::new());
}

// ---------------------------------------------------------------- the checks catch mistakes

fn assert_caught(t: &Value, expected: &str) {
    let problems = all_problems(t);
    assert!(
        problems.iter().any(|p| p.contains(expected)),
        "expected a problem containing {expected:?}, got {problems:?}"
    );
}

#[test]
fn a_wildcard_action_is_caught() {
    assert_caught(
        &broken(
            "                - ivschat:DeleteMessage\n",
            "                - ivschat:*\n",
        ),
        "wildcard action ivschat:*",
    );
    assert_caught(
        &broken("Action: ivschat:SendEvent", "Action: \"*\""),
        "wildcard action *",
    );
    assert_caught(
        &broken(
            "            Action: sqs:SendMessage\n",
            "            Action: sqs:*\n",
        ),
        "wildcard action sqs:*",
    );
}

#[test]
fn a_wildcard_resource_is_caught_except_for_list_rooms() {
    assert_caught(
        &broken(
            "                Action: ivschat:SendEvent\n                Resource: !Sub arn:${AWS::Partition}:ivschat:${AWS::Region}:${AWS::AccountId}:room/*",
            "                Action: ivschat:SendEvent\n                Resource: \"*\"",
        ),
        "resource * for ivschat:SendEvent",
    );
    // ListRooms may have `*`, but nothing may share its statement.
    assert_caught(
        &broken(
            "                Action: ivschat:ListRooms\n",
            "                Action: [ivschat:ListRooms, ivschat:SendEvent]\n",
        ),
        "resource * for ivschat:ListRooms, ivschat:SendEvent",
    );
    // A logs statement added on `*`.
    assert_caught(
        &broken(
            "              - Sid: RoomActions\n",
            "              - Sid: Logs\n                Effect: Allow\n                Action: logs:PutLogEvents\n                Resource: \"*\"\n              - Sid: RoomActions\n",
        ),
        "resource * for logs:PutLogEvents",
    );
}

#[test]
fn managed_and_unscoped_policy_templates_are_caught() {
    assert_caught(
        &broken(
            "      Role: !GetAtt ModerationActionsRole.Arn\n",
            "      Role: !GetAtt ModerationActionsRole.Arn\n      Policies:\n        - AmazonSQSFullAccess\n",
        ),
        "managed policy AmazonSQSFullAccess",
    );
    assert_caught(
        &broken(
            "      Role: !GetAtt ModerationActionsRole.Arn\n",
            "      Role: !GetAtt ModerationActionsRole.Arn\n      Policies:\n        - AmazonIVSChatFullAccessPolicy: {}\n",
        ),
        "policy template AmazonIVSChatFullAccessPolicy",
    );
}

#[test]
fn a_function_without_its_own_role_is_caught() {
    assert_caught(
        &broken("      Role: !GetAtt ScheduledEventsRole.Arn\n", ""),
        "ScheduledEventsFunction: no explicit Role",
    );
    assert_caught(
        &broken(
            ":log-group:${MessageReviewLogGroup}:log-stream:*",
            ":log-group:*:log-stream:*",
        ),
        "covers every resource",
    );
}

#[test]
fn a_loose_invoke_permission_is_caught() {
    assert_caught(
        &broken("      SourceAccount: !Ref AWS::AccountId\n", ""),
        "no SourceAccount",
    );
    assert_caught(
        &broken(
            ":${AWS::AccountId}:room/*\n\n  Room:",
            ":${AWS::AccountId}:*\n\n  Room:",
        ),
        "SourceArn must be",
    );
    assert_caught(
        &broken("    DependsOn: MessageReviewInvokePermission\n", ""),
        "must DependsOn the ivschat invoke permission",
    );
}

#[test]
fn a_missing_log_group_or_retention_is_caught() {
    assert_caught(
        &broken(
            "      LogGroupName: !Sub /aws/lambda/${AWS::StackName}-scheduled-events\n      RetentionInDays: !Ref LogRetentionInDays\n",
            "      LogGroupName: !Sub /aws/lambda/${AWS::StackName}-scheduled-events\n",
        ),
        "ScheduledEventsFunction: log group ScheduledEventsLogGroup has no RetentionInDays",
    );
    assert_caught(
        &broken(
            "        LogGroup: !Ref ModerationActionsLogGroup\n",
            "        LogGroup: !Ref MessageReviewLogGroup\n",
        ),
        "share the log group MessageReviewLogGroup",
    );
}

#[test]
fn the_sanctions_table_roles_and_subscription_are_least_privilege() {
    let problems = sanctions_problems(&template());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn loose_sanctions_resources_are_caught() {
    assert_caught(
        &broken(
            "                Action: dynamodb:GetItem\n",
            "                Action: [dynamodb:GetItem, dynamodb:Scan]\n",
        ),
        "ChatTokenRole: dynamodb:Scan is more than it needs",
    );
    assert_caught(
        &broken(
            "                  - dynamodb:Query\n                Resource: !GetAtt SanctionsTable.Arn",
            "                  - dynamodb:Query\n                Resource: \"*\"",
        ),
        "dynamodb actions must be granted on !GetAtt <Table>.Arn",
    );
    assert_caught(
        &broken(
            "      BillingMode: PAY_PER_REQUEST",
            "      BillingMode: PROVISIONED",
        ),
        "on-demand",
    );
    assert_caught(
        &broken("        SSEEnabled: true", "        SSEEnabled: false"),
        "SSEEnabled must be true",
    );
    assert_caught(
        &broken(
            "        PointInTimeRecoveryEnabled: !If [SanctionsPitr, true, false]",
            "        PointInTimeRecoveryEnabled: false",
        ),
        "point-in-time recovery",
    );
    assert_caught(
        &broken(
            "      SourceArn: !GetAtt MessageReviewLogGroup.Arn",
            "      SourceArn: !Sub arn:aws:logs:*",
        ),
        "SourceArn must be !GetAtt <LogGroup>.Arn",
    );
    assert_caught(
        &broken("    DependsOn: StrikeTrackingInvokePermission\n", ""),
        "must DependsOn the logs.amazonaws.com invoke permission",
    );
    assert_caught(
        &broken("$.record = \"moderation-decision\"", "$.level = \"INFO\""),
        "FilterPattern must select the decision records",
    );
}

// ---------------------------------------------------------------- chat log review

/// What is wrong with the chat log's subscription: the function it invokes
/// must be allowed by a permission for `logs.amazonaws.com` bound to the
/// account and to the subscribed log group, which the filter `DependsOn`
/// (CloudWatch Logs checks it when the filter is created); the log group
/// must be the room's chat logging destination; and the function must review
/// with exactly the review handler's `REVIEW_*` variables.
fn chat_log_problems(t: &Value) -> Vec<String> {
    let all = resources(t);
    let mut problems = Vec::new();
    // The chat log's subscription is the one that feeds chat-log-review (the
    // review handler's own log group has another, checked with the sanctions).
    let filters: Vec<(&String, &Value)> = all
        .iter()
        .filter(|(_, r)| type_of(r) == "AWS::Logs::SubscriptionFilter")
        .filter(|(_, r)| {
            get(r, "Properties")
                .and_then(|p| get(p, "DestinationArn"))
                .is_some_and(|d| format!("{d:?}").contains("ChatLogReviewFunction"))
        })
        .collect();
    if filters.is_empty() {
        problems.push("no AWS::Logs::SubscriptionFilter on the chat log".to_string());
    }
    let ref_of = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::Tagged(t) if t.tag == "Ref" => text(&t.value),
            Value::Tagged(t) if t.tag == "GetAtt" => {
                text(&t.value).map(|s| s.split('.').next().unwrap_or_default().to_string())
            }
            _ => None,
        }
    };
    for (id, filter) in filters {
        let props = get(filter, "Properties").expect("Properties");
        let group = ref_of(get(props, "LogGroupName")).unwrap_or_default();
        let function = ref_of(get(props, "DestinationArn")).unwrap_or_default();
        let depends: BTreeSet<String> = get(filter, "DependsOn")
            .map(one_or_many)
            .unwrap_or_default()
            .iter()
            .filter_map(text)
            .collect();
        let permission = all.iter().find(|(pid, p)| {
            type_of(p) == "AWS::Lambda::Permission"
                && get(p, "Properties")
                    .and_then(|pp| get(pp, "Principal"))
                    .and_then(text)
                    .is_some_and(|pr| pr == "logs.amazonaws.com")
                && ref_of(get(get(p, "Properties").unwrap(), "FunctionName")).as_deref()
                    == Some(function.as_str())
                && depends.contains(*pid)
        });
        match permission {
            None => problems.push(format!(
                "{id}: must DependsOn a logs.amazonaws.com invoke permission for {function}"
            )),
            Some((pid, p)) => {
                let pp = get(p, "Properties").unwrap();
                if get(pp, "SourceAccount").is_none() {
                    problems.push(format!("{pid}: no SourceAccount"));
                }
                if ref_of(get(pp, "SourceArn")).as_deref() != Some(group.as_str()) {
                    problems.push(format!(
                        "{pid}: SourceArn must be the subscribed log group {group}"
                    ));
                }
            }
        }
        let logged = all.values().any(|r| {
            type_of(r) == "AWS::IVSChat::LoggingConfiguration"
                && get(r, "Properties")
                    .and_then(|p| get(p, "DestinationConfiguration"))
                    .and_then(|d| get(d, "CloudWatchLogs"))
                    .and_then(|c| ref_of(get(c, "LogGroupName")))
                    .as_deref()
                    == Some(group.as_str())
        });
        if !logged {
            problems.push(format!(
                "{id}: {group} is no chat logging configuration's log group"
            ));
        }
        let review_vars = |function: &str| -> BTreeMap<String, String> {
            all.get(function)
                .and_then(|f| get(f, "Properties"))
                .and_then(|p| get(p, "Environment"))
                .and_then(|e| get(e, "Variables"))
                .and_then(Value::as_mapping)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((text(k)?, format!("{v:?}"))))
                        .filter(|(k, _)| {
                            k.starts_with("REVIEW_")
                                && !HANDLER_ONLY.iter().any(|h| k.starts_with(h))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        if review_vars(&function) != review_vars("MessageReviewFunction") {
            problems.push(format!(
                "{function}: its REVIEW_* variables differ from MessageReviewFunction's"
            ));
        }
    }
    let rooms_logging = all.values().any(|r| {
        type_of(r) == "AWS::IVSChat::Room"
            && get(r, "Properties")
                .and_then(|p| get(p, "LoggingConfigurationIdentifiers"))
                .is_some()
    });
    if !rooms_logging {
        problems.push("the room has no LoggingConfigurationIdentifiers".to_string());
    }
    problems
}

/// The review handler's variables that are not its review configuration:
/// metrics and where a configuration document comes from.
const HANDLER_ONLY: [&str; 3] = ["REVIEW_METRICS", "REVIEW_APPCONFIG_", "REVIEW_CONFIG_"];

#[test]
fn the_chat_log_subscription_is_bound_and_reviews_as_the_handler_does() {
    assert_eq!(chat_log_problems(&template()), Vec::<String>::new());
}

#[test]
fn a_loose_chat_log_subscription_is_caught() {
    let caught = |t: &Value, expected: &str| {
        let problems = chat_log_problems(t);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "expected {expected:?}, got {problems:?}"
        );
    };
    caught(
        &broken("    DependsOn: ChatLogReviewInvokePermission\n", ""),
        "must DependsOn a logs.amazonaws.com invoke permission",
    );
    caught(
        &broken(
            "      SourceArn: !GetAtt ChatLogGroup.Arn\n",
            "      SourceArn: !GetAtt MessageReviewLogGroup.Arn\n",
        ),
        "SourceArn must be the subscribed log group ChatLogGroup",
    );
    caught(
        &broken(
            "          LogGroupName: !Ref ChatLogGroup\n",
            "          LogGroupName: !Ref MessageReviewLogGroup\n",
        ),
        "ChatLogGroup is no chat logging configuration's log group",
    );
    caught(
        &broken(
            "          # The review handler's own configuration (kept equal by a test).\n          REVIEW_DENY_REASON: !Ref ReviewDenyReason\n",
            "          # The review handler's own configuration (kept equal by a test).\n",
        ),
        "REVIEW_* variables differ",
    );
    caught(
        &broken("      LoggingConfigurationIdentifiers:\n        - !GetAtt ChatLoggingConfiguration.Arn\n", ""),
        "no LoggingConfigurationIdentifiers",
    );
}
