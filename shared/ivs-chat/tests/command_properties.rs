//! Command validation accepts exactly what the API's limits accept, checked
//! on generated values around every limit (`limits.rs` is the source of
//! truth; this restates the rules independently).

use ivs_chat::limits::{EVENT_NAME_LEN, MESSAGE_ID_LEN, REASON_LEN, USER_ID_LEN};
use ivs_chat::Command;
use proptest::prelude::*;
use serde_json::json;

const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

fn accepted(value: serde_json::Value) -> bool {
    Command::from_json(&value).is_ok()
}

fn in_range(n: usize, (min, max): (usize, usize)) -> bool {
    (min..=max).contains(&n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn user_ids_and_reasons_by_length(user in "\\PC{0,140}", reason in "\\PC{0,270}") {
        let command = json!({"action": "disconnectUser", "roomArn": ROOM, "userId": user, "reason": reason});
        let expected = in_range(user.chars().count(), USER_ID_LEN)
            && in_range(reason.chars().count(), REASON_LEN);
        prop_assert_eq!(accepted(command), expected);
    }

    #[test]
    fn message_ids_are_exactly_twelve_alphanumerics(id in "[a-zA-Z0-9!é _-]{0,16}") {
        let command = json!({"action": "deleteMessage", "roomArn": ROOM, "messageId": id});
        let expected = id.chars().count() == MESSAGE_ID_LEN
            && id.chars().all(|c| c.is_ascii_alphanumeric());
        prop_assert_eq!(accepted(command), expected);
    }

    #[test]
    fn event_names_by_length(name in "\\PC{0,110}") {
        let command = json!({"action": "sendEvent", "roomArn": ROOM, "eventName": name});
        prop_assert_eq!(accepted(command), in_range(name.chars().count(), EVENT_NAME_LEN));
    }

    #[test]
    fn room_arns_match_the_pattern(id in "[a-zA-Z0-9/_.-]{0,90}", region in "[a-z0-9-]{0,12}") {
        let arn = format!("arn:aws:ivschat:{region}:123456789012:room/{id}");
        let command = json!({"action": "sendEvent", "roomArn": arn, "eventName": "e"});
        let expected = !region.is_empty()
            && !id.is_empty()
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && arn.chars().count() <= 128;
        prop_assert_eq!(accepted(command), expected);
    }
}
