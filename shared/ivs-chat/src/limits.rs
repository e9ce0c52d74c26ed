//! The limits of the IVS Chat API, in one place.
//!
//! Every number and pattern that IVS Chat enforces on the room operations this
//! project calls (`SendEvent`, `DisconnectUser`, `DeleteMessage`,
//! `CreateChatToken`) and on the review handler's response is written down
//! here once. Command validation ([`crate::command`]), the tests and the
//! documentation all read these constants, so a change in the API is a change
//! in one file. Lengths are counted in characters (Unicode scalar values), as
//! the API models them; attribute sizes are counted in UTF-8 bytes.

/// The literal prefix of every IVS Chat room ARN.
pub const ROOM_ARN_PREFIX: &str = "arn:aws:ivschat:";

/// The pattern a room identifier must match (anchored at both ends).
pub const ROOM_ARN_PATTERN: &str = "^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$";

/// Room identifier (ARN) length, in characters.
pub const ROOM_IDENTIFIER_LEN: (usize, usize) = (1, 128);

/// Event name length, in characters.
pub const EVENT_NAME_LEN: (usize, usize) = (1, 100);

/// The total size of an event's attributes: the UTF-8 bytes of every key and
/// value. The SDK models say 1 KB; one API page says 4 KB; the stricter wins.
pub const ATTRIBUTES_MAX_BYTES: usize = 1024;

/// The total size of a review response's attributes, measured the same way:
/// AWS documents the same 1 KB limit for the attribute map the review
/// handler returns as for `SendEvent`'s.
pub const RESPONSE_ATTRIBUTES_MAX_BYTES: usize = ATTRIBUTES_MAX_BYTES;

/// User id length, in characters.
pub const USER_ID_LEN: (usize, usize) = (1, 128);

/// A message id is exactly this many ASCII letters and digits.
pub const MESSAGE_ID_LEN: usize = 12;

/// Reason length (`DisconnectUser`, `DeleteMessage`), in characters.
pub const REASON_LEN: (usize, usize) = (1, 256);

/// The longest message a room accepts (`maximumMessageLength`, 1..=500,
/// default 500), in characters.
pub const MESSAGE_MAX_CHARS: usize = 500;

/// Requests per second that IVS Chat accepts for each of `SendEvent`,
/// `DisconnectUser` and `DeleteMessage`, per account and region (not
/// adjustable). Every sender in the account shares it.
pub const ROOM_ACTION_REQUESTS_PER_SECOND: u32 = 100;

/// `CreateChatToken`'s session duration, in minutes (the API's default is 60).
pub const SESSION_DURATION_MINUTES: (u32, u32) = (1, 180);

/// The session duration `CreateChatToken` uses when none is asked for.
pub const DEFAULT_SESSION_DURATION_MINUTES: u32 = 60;

/// The capabilities a chat token may grant (`CreateChatToken`).
pub const CAPABILITIES: [&str; 3] = ["SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"];

/// How long a chat token can be used to connect, in seconds: one minute,
/// fixed by the service. A disconnected user needs a new token to return.
pub const TOKEN_VALIDITY_SECONDS: u64 = 60;

/// The largest page `ListRooms` returns.
pub const LIST_ROOMS_MAX_RESULTS: i32 = 50;

/// Whether `s` matches [`ROOM_ARN_PATTERN`].
///
/// ```
/// use ivs_chat::limits::is_room_arn;
/// assert!(is_room_arn("arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh"));
/// assert!(!is_room_arn("arn:aws:ivschat:us-west-2:123456789012:room/"));
/// assert!(!is_room_arn("arn:aws:ivs:us-west-2:123456789012:channel/abc"));
/// ```
pub fn is_room_arn(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(ROOM_ARN_PREFIX) else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let (Some(region), Some(account), Some(resource)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Some(id) = resource.strip_prefix("room/") else {
        return false;
    };
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !account.is_empty()
        && account.bytes().all(|b| b.is_ascii_digit())
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Whether `s` is a well-formed message id: [`MESSAGE_ID_LEN`] ASCII letters
/// and digits.
///
/// ```
/// assert!(ivs_chat::limits::is_message_id("AbCdEf123456"));
/// assert!(!ivs_chat::limits::is_message_id("AbCdEf12345-"));
/// ```
pub fn is_message_id(s: &str) -> bool {
    s.len() == MESSAGE_ID_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The size [`ATTRIBUTES_MAX_BYTES`] is measured in: the UTF-8 bytes of all
/// keys and values.
pub fn attributes_bytes<'a, I>(attributes: I) -> usize
where
    I: IntoIterator<Item = (&'a String, &'a String)>,
{
    attributes.into_iter().map(|(k, v)| k.len() + v.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_arn_pattern_accepts_and_rejects() {
        for ok in [
            "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh",
            "arn:aws:ivschat:eu-central-1:1:room/a-b-C",
        ] {
            assert!(is_room_arn(ok), "{ok}");
        }
        for bad in [
            "",
            "arn:aws:ivschat:US-west-2:123456789012:room/abc",
            "arn:aws:ivschat::123456789012:room/abc",
            "arn:aws:ivschat:us-west-2::room/abc",
            "arn:aws:ivschat:us-west-2:12a:room/abc",
            "arn:aws:ivschat:us-west-2:123456789012:room/",
            "arn:aws:ivschat:us-west-2:123456789012:room/a_b",
            "arn:aws:ivschat:us-west-2:123456789012:room/a/b",
            "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/abc",
            "arn:aws-cn:ivschat:cn-north-1:123456789012:room/abc",
            " arn:aws:ivschat:us-west-2:123456789012:room/abc",
        ] {
            assert!(!is_room_arn(bad), "{bad}");
        }
    }

    #[test]
    fn message_id_is_twelve_alphanumerics() {
        assert!(is_message_id("abcdefABCDEF"));
        assert!(is_message_id("012345678901"));
        assert!(!is_message_id("abcdefABCDE"));
        assert!(!is_message_id("abcdefABCDEFG"));
        assert!(!is_message_id("abcdéfABCDE"));
    }

    #[test]
    fn attribute_size_counts_keys_and_values_in_bytes() {
        let map: std::collections::BTreeMap<String, String> =
            [("ab".to_string(), "é".to_string())].into();
        assert_eq!(attributes_bytes(&map), 4);
    }
}
