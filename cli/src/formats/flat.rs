//! The review event fast path: a flat review event read in one pass,
//! without serde.
//!
//! Nearly every record a replay reads is a review event of one shape:
//! `{"Content": "...", "MessageId": "...", "RoomArn": "...", "Attributes":
//! {...}, "Sender": {"UserId": "...", "Attributes": {...}, ...}}`, every
//! value a string or a map of strings, with no escapes. Read through serde,
//! such a record cost more than reviewing its message (about 4,000
//! instructions: each key and value goes through several layers of generic
//! visitors, and each string is scanned twice); read here it is one scan.
//!
//! Invariant: [`review_event`] answers only for a record that serde reads
//! as the same [`Envelope`], and answers `None` for anything else (a string
//! with an escape, `null`, a number, a nested value under an unknown key,
//! a duplicate field, a chat log record's or CloudWatch Logs event's
//! fields, anything after the object), which then goes the general way. So
//! the fast path never changes an answer or an error, only its cost; a test
//! compares the two on every shape it declines and accepts.

use ivs_chat::chat_log::{Attributes, LoggedSender, Text};

use super::Envelope;

/// The envelope of `text` if it is a flat review event (see the module
/// docs), read exactly as serde reads it.
pub(super) fn review_event(text: &str) -> Option<Envelope<'_>> {
    let mut cursor = Cursor { text, at: 0 };
    let mut event = Envelope::default();
    cursor.object(|cursor, key| match &*key {
        "Content" => once(&mut event.content, cursor.plain_str()?),
        "MessageId" => once(&mut event.message_id, cursor.plain_str()?),
        "RoomArn" => once(&mut event.room_arn, cursor.plain_str()?),
        "Attributes" => once(&mut event.attributes, cursor.attributes()?),
        "Sender" => once(&mut event.sender, cursor.sender()?),
        // The other formats' fields: read by serde.
        "type" | "payload" | "awslogs" | "messageType" | "owner" | "logStream" | "logEvents"
        | "events" => None,
        // Unknown fields are ignored, as serde ignores them.
        _ => cursor.plain_str().map(drop),
    })?;
    cursor.skip_whitespace();
    // Content is what makes it a review event; without it, serde says why not.
    (cursor.at == text.len() && event.content.is_some()).then_some(event)
}

/// Fills `slot`, which must be empty: serde refuses a duplicate field.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// Skips JSON's whitespace (exactly serde_json's four bytes).
    fn skip_whitespace(&mut self) {
        let bytes = self.text.as_bytes();
        while matches!(bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, consumed if it is `byte`.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let found = self.text.as_bytes().get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    /// A string with no escape and no control character, borrowed.
    fn plain_str(&mut self) -> Option<Text<'a>> {
        if !self.eat(b'"') {
            return None;
        }
        let rest = &self.text.as_bytes()[self.at..];
        let len = plain_len(rest);
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        // `"` is ASCII, so both ends are character boundaries.
        let s = self.text.get(self.at..self.at + len)?;
        self.at += len + 1;
        Some(Text(s.into()))
    }

    /// An object, handing each key to `field` to read its value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, Text<'a>) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.plain_str()?;
            if !self.eat(b':') {
                return None;
            }
            field(self, key)?;
            if self.eat(b'}') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// A map of strings; a repeated key keeps its last value, as serde's
    /// map does.
    fn attributes(&mut self) -> Option<Attributes<'a>> {
        let mut map = Attributes::new();
        self.object(|cursor, key| {
            let value = cursor.plain_str()?;
            map.insert(key, value);
            Some(())
        })?;
        Some(map)
    }

    /// The sender: `UserId` and `Attributes`, other string fields ignored.
    fn sender(&mut self) -> Option<LoggedSender<'a>> {
        let mut sender = LoggedSender::default();
        self.object(|cursor, key| match &*key {
            "UserId" => once(&mut sender.user_id, cursor.plain_str()?),
            "Attributes" => once(&mut sender.attributes, cursor.attributes()?),
            _ => cursor.plain_str().map(drop),
        })?;
        Some(sender)
    }
}

/// The length of the start of `bytes` that holds no `"`, `\\` or control
/// character, eight bytes a step (as serde_json scans a string): a byte
/// at a time, the scan was the fast path's largest cost.
fn plain_len(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    let has_byte = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x
    };
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        let control = word.wrapping_sub(ONES * 0x20) & !word;
        // The lowest flagged byte is exact (a borrow only flags bytes
        // above a true match), so it is the first stop.
        let stops = (control | has_byte(word, b'"') | has_byte(word, b'\\')) & HIGH;
        if stops != 0 {
            return at + stops.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(bytes.len() - at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_len_stops_at_the_first_quote_backslash_or_control_byte() {
        for stop in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
            for at in 0..20 {
                let mut bytes = "aé✓ bcdefghijklmnopqrstuvwxyz".as_bytes().to_vec();
                bytes.insert(at, stop);
                // A later stop never hides the first.
                bytes.push(b'"');
                assert_eq!(plain_len(&bytes), at, "{stop} at {at}");
            }
        }
        assert_eq!(plain_len(b"no stop here at all \x7f"), 21);
        assert_eq!(plain_len(b""), 0);
    }
}
