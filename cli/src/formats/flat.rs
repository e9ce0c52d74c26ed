//! The review event fast path: a flat review event read in one pass,
//! without serde.
//!
//! Nearly every record a replay reads is a review event of one shape:
//! `{"Content": "...", "MessageId": "...", "RoomArn": "...", "Attributes":
//! {...}, "Sender": {"UserId": "...", "Attributes": {...}, ...}}`, every
//! value a string or a map of strings, with no escapes. Read through serde,
//! such a record cost more than reviewing its message (about 4,000
//! instructions: each key and value goes through several layers of generic
//! visitors, and each string is scanned twice). Here the record is checked
//! once, many bytes a step, for a backslash or a control character; with
//! neither, each string ends at its next quote, and the rest is one pass.
//!
//! Invariant: [`review_event`] answers only for a record that serde reads
//! as the same fields of an [`super::Envelope`], and answers `None` for
//! anything else (a record with an escape or a control character anywhere,
//! tabs and line ends between its tokens included, `null`, a number, a
//! nested value under an unknown key, a duplicate field, a chat log
//! record's or CloudWatch Logs event's fields, anything after the object),
//! which then goes the general way. So
//! the fast path never changes an answer or an error, only its cost; a test
//! compares the two on every shape it declines and accepts.

use ivs_chat::chat_log::{Attributes, LoggedSender, Text};

use super::ReviewFields;

/// The fields of `text` if it is a flat review event (see the module
/// docs), read exactly as serde reads them.
pub(super) fn review_event(text: &str) -> Option<ReviewFields<'_>> {
    // With neither, every string of the record ends at its next quote.
    if has_escape_or_control(text.as_bytes()) {
        return None;
    }
    let mut cursor = Cursor { text, at: 0 };
    let mut event = ReviewFields::default();
    cursor.object(|cursor, key| match key {
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
    // Only spaces may follow.
    let rest = &text.as_bytes()[cursor.at.min(text.len())..];
    cursor.at += rest.iter().take_while(|&&b| b == b' ').count();
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
    /// The next byte after whitespace (only spaces: the record holds no
    /// control character), consumed if it is `byte`.
    #[inline(always)]
    fn eat(&mut self, byte: u8) -> bool {
        let bytes = self.text.as_bytes();
        while let Some(&next) = bytes.get(self.at) {
            if next != b' ' {
                let found = next == byte;
                self.at += usize::from(found);
                return found;
            }
            self.at += 1;
        }
        false
    }

    /// A string, borrowed: the record holds no escape and no control
    /// character ([`has_escape_or_control`]), so it ends at the next quote.
    #[inline(always)]
    fn str(&mut self) -> Option<&'a str> {
        if !self.eat(b'"') {
            return None;
        }
        let len = quote_at(self.text.as_bytes().get(self.at..)?)?;
        // `"` is ASCII, so both ends are character boundaries.
        let s = self.text.get(self.at..self.at + len)?;
        self.at += len + 1;
        Some(s)
    }

    /// [`Cursor::str`] as a value.
    #[inline(always)]
    fn plain_str(&mut self) -> Option<Text<'a>> {
        self.str().map(|s| Text(s.into()))
    }

    /// An object, handing each key to `field` to read its value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.str()?;
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
            map.insert(Text(key.into()), value);
            Some(())
        })?;
        Some(map)
    }

    /// The sender: `UserId` and `Attributes`, other string fields ignored.
    fn sender(&mut self) -> Option<LoggedSender<'a>> {
        let mut sender = LoggedSender::default();
        self.object(|cursor, key| match key {
            "UserId" => once(&mut sender.user_id, cursor.plain_str()?),
            "Attributes" => once(&mut sender.attributes, cursor.attributes()?),
            _ => cursor.plain_str().map(drop),
        })?;
        Some(sender)
    }
}

/// Whether `bytes` holds a `\\` or a control character (which includes
/// JSON's whitespace other than the space: such a record goes the general
/// way). Without early exit, so that the check runs many bytes a step.
fn has_escape_or_control(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(false, |any, &b| any | (b < 0x20) | (b == b'\\'))
}

/// Where the first `"` of `bytes` is, eight bytes a step: a byte at a
/// time, finding strings' ends was the fast path's largest cost.
#[inline(always)]
fn quote_at(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b'"'));
        // The lowest flagged byte is exact (a borrow only flags bytes
        // above a true match), so it is the first quote.
        let quotes = x.wrapping_sub(ONES) & !x & HIGH;
        if quotes != 0 {
            return Some(at + quotes.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let tail = chunks.remainder();
    tail.iter().position(|&b| b == b'"').map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_at_finds_the_first_quote() {
        for at in 0..20 {
            let mut bytes = "aé✓ bcdefghijklmnopqrstuvwxyz".as_bytes().to_vec();
            bytes.insert(at, b'"');
            // A later quote never hides the first.
            bytes.push(b'"');
            assert_eq!(quote_at(&bytes), Some(at), "at {at}");
        }
        assert_eq!(quote_at(b"no quote here at all \x7f"), None);
        assert_eq!(quote_at(b""), None);
    }

    #[test]
    fn escapes_and_control_characters_anywhere_are_found() {
        for stop in [b'\\', 0x00, 0x1f, b'\n', b'\t', b'\r'] {
            for at in 0..40 {
                let mut bytes = br#"{"Content":"a long enough text"}"#.to_vec();
                bytes.insert(at.min(bytes.len()), stop);
                assert!(has_escape_or_control(&bytes), "{stop} at {at}");
            }
        }
        assert!(!has_escape_or_control(
            "{\"Content\":\"café ✓ \x7f\"}".as_bytes()
        ));
    }
}
