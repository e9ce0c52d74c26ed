//! Bad moderation commands, as tabled in SECURITY.md: each is refused with
//! an error naming the field, and the API's limits are accepted exactly.

use ivs_chat::Command;

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

fn field_of(json: &str) -> String {
    match Command::from_json_str(json) {
        Ok(command) => panic!("{json} was accepted as {command:?}"),
        Err(error) => error.field,
    }
}

fn accepted(json: String) -> bool {
    Command::from_json_str(&json).is_ok()
}

#[test]
fn malformed_and_unknown_commands_name_the_field() {
    assert_eq!(field_of("not json"), "command");
    assert_eq!(field_of("[1, 2]"), "command");
    assert_eq!(field_of("{}"), "action");
    assert_eq!(
        field_of(r#"{"action": "banUser", "roomArn": "x"}"#),
        "action"
    );
    assert_eq!(field_of(r#"{"action": 7}"#), "action");
    assert_eq!(
        field_of(
            r#"{"action": "deleteMessage", "roomArn": "room/1", "messageId": "AbCdEf123456"}"#
        ),
        "roomArn"
    );
    assert_eq!(
        field_of(&format!(
            r#"{{"action": "disconnectUser", "roomArn": "{ROOM}"}}"#
        )),
        "userId"
    );
    assert_eq!(
        field_of(&format!(
            r#"{{"action": "disconnectUser", "roomArn": "{ROOM}", "userId": 12}}"#
        )),
        "userId"
    );
    assert_eq!(
        field_of(&format!(
            r#"{{"action": "sendEvent", "roomArn": "{ROOM}", "eventName": "x", "attributes": {{"k": 1}}}}"#
        )),
        "attributes.k"
    );
    assert_eq!(
        field_of(&format!(
            r#"{{"action": "sendEvent", "roomArn": "{ROOM}", "eventName": "x", "surprise": 1}}"#
        )),
        "surprise"
    );
}

#[test]
fn limits_are_accepted_exactly() {
    let disconnect = |user: &str, reason: &str| {
        format!(
            r#"{{"action": "disconnectUser", "roomArn": "{ROOM}", "userId": "{user}", "reason": "{reason}"}}"#
        )
    };
    assert!(accepted(disconnect(&"u".repeat(128), &"r".repeat(256))));
    assert!(!accepted(disconnect(&"u".repeat(129), "r")));
    assert!(!accepted(disconnect("", "r")));
    assert!(!accepted(disconnect("u", &"r".repeat(257))));
    assert!(!accepted(disconnect("u", "")));

    let delete = |id: &str| {
        format!(r#"{{"action": "deleteMessage", "roomArn": "{ROOM}", "messageId": "{id}"}}"#)
    };
    assert!(accepted(delete("AbCdEf123456")));
    assert!(!accepted(delete("AbCdEf12345")));
    assert!(!accepted(delete("AbCdEf1234567")));
    assert!(!accepted(delete("AbCdEf12345!")));

    let send = |name: &str| {
        format!(r#"{{"action": "sendEvent", "roomArn": "{ROOM}", "eventName": "{name}"}}"#)
    };
    assert!(accepted(send(&"e".repeat(100))));
    assert!(!accepted(send(&"e".repeat(101))));
    assert!(!accepted(send("")));

    let long_room = format!(
        "arn:aws:ivschat:us-west-2:123456789012:room/{}",
        "a".repeat(128)
    );
    assert!(!accepted(format!(
        r#"{{"action": "sendEvent", "roomArn": "{long_room}", "eventName": "e"}}"#
    )));
}

#[test]
fn oversized_attributes_are_refused() {
    let big = "v".repeat(1100);
    let json = format!(
        r#"{{"action": "sendEvent", "roomArn": "{ROOM}", "eventName": "e", "attributes": {{"k": "{big}"}}}}"#
    );
    assert_eq!(field_of(&json), "attributes");
}
