//! The bytes a reading matches in: a whole normalised message, or a few of
//! its words joined into one on the stack.
//!
//! Every reading ends in the same check ([`super::spellings::check`]),
//! which needs the bytes, their run lengths and, for a joined reading, where
//! each byte came from in the message. [`View`] carries exactly that, so one
//! check serves the whole message and every joined, tailed or flipped
//! reading alike. [`Joined`] holds at most [`MAX_JOINED`] bytes in fixed
//! arrays: a review that matches nothing allocates nothing.

use std::ops::Range;

use super::censored::ENDINGS;
use crate::normalize::{fold_look_alikes, Normalized, CENSORED, WORD_BREAK};

/// The most bytes a joined reading of neighbouring words may hold.
pub(super) const MAX_JOINED: usize = 40;

/// Normalised bytes to match in: a whole message, or a joined reading of
/// neighbouring words.
pub(super) struct View<'a> {
    pub(super) bytes: &'a [u8],
    /// `bytes` through [`fold_look_alikes`], for the automaton.
    pub(super) folded: &'a [u8],
    pub(super) runs: &'a [u8],
    /// For a joined reading: where its bytes came from.
    pub(super) joined: Option<JoinedOrigin<'a>>,
}

/// Where the bytes of a joined reading came from in the message.
pub(super) struct JoinedOrigin<'a> {
    /// The first and last message byte behind each joined byte.
    pub(super) sources: &'a [(u32, u32)],
    /// The message's words the reading spans.
    pub(super) words: Range<usize>,
}

impl<'a> View<'a> {
    pub(super) fn whole(text: &'a Normalized) -> View<'a> {
        View {
            bytes: text.as_bytes(),
            folded: text.folded_bytes(),
            runs: text.run_lengths(),
            joined: None,
        }
    }

    /// How many letters the bytes `range` stand for, repeats counted.
    pub(super) fn letters(&self, range: &Range<usize>) -> usize {
        self.runs[range.clone()]
            .iter()
            .map(|&r| usize::from(r))
            .sum()
    }

    /// Whether `range` is the whole view but for a usual ending
    /// (`f uc king`, `f***ers`).
    pub(super) fn is_word_but_ending(&self, range: &Range<usize>) -> bool {
        range.start == 0
            && (range.end == self.bytes.len() || ENDINGS.contains(&&self.bytes[range.end..]))
    }
}

/// Where the word holding byte `at` of normalised `bytes` starts.
pub(super) fn word_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at]
        .iter()
        .rposition(|&b| b == WORD_BREAK)
        .map_or(0, |i| i + 1)
}

/// Where the word holding byte `at` of normalised `bytes` ends (its break,
/// or the end of the text).
pub(super) fn word_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == WORD_BREAK)
        .map_or(bytes.len(), |i| at + i)
}

/// Neighbouring words read as one, on the stack.
pub(super) struct Joined {
    pub(super) bytes: [u8; MAX_JOINED],
    pub(super) folded: [u8; MAX_JOINED],
    pub(super) runs: [u8; MAX_JOINED],
    pub(super) sources: [(u32, u32); MAX_JOINED],
    pub(super) len: usize,
    pub(super) words: Range<usize>,
    /// How many pieces it holds.
    pub(super) pieces: usize,
    /// For each join: where the piece before it ends and the piece after
    /// it starts (one byte earlier when a repeated letter merged).
    pub(super) seams: [(usize, usize); 2],
}

impl Joined {
    pub(super) fn new(words: Range<usize>) -> Joined {
        Joined {
            bytes: [0; MAX_JOINED],
            folded: [0; MAX_JOINED],
            runs: [0; MAX_JOINED],
            sources: [(0, 0); MAX_JOINED],
            len: 0,
            words,
            pieces: 0,
            seams: [(0, 0); 2],
        }
    }

    /// Appends the message bytes `piece`; with `merge`, a letter repeating
    /// the one before the join collapses into it (`sh hit`).
    pub(super) fn push_piece(&mut self, text: &Normalized, piece: Range<usize>, merge: bool) {
        let starts_at = self.len;
        let mut seam = (self.len, self.len);
        for i in piece {
            let (b, run) = (text.as_bytes()[i], text.run_length(i));
            if merge && self.len == starts_at && self.len > 0 && self.bytes[self.len - 1] == b {
                let last = self.len - 1;
                self.runs[last] = self.runs[last].saturating_add(run);
                self.sources[last].1 = i as u32;
                seam.1 = last;
                continue;
            }
            self.push(b, run, i);
        }
        if let Some(slot) = self
            .pieces
            .checked_sub(1)
            .and_then(|at| self.seams.get_mut(at))
        {
            *slot = seam;
        }
        self.pieces += 1;
    }

    /// Appends `b`, read from message byte `source`, as one more copy of
    /// the last byte if it repeats it.
    pub(super) fn push_repeating(&mut self, b: u8, source: usize) {
        if self.len > 0 && self.bytes[self.len - 1] == b {
            self.runs[self.len - 1] = self.runs[self.len - 1].saturating_add(1);
        } else {
            self.push(b, 1, source);
        }
    }

    /// Appends a mark standing for the gap at message byte `at`.
    pub(super) fn push_mark(&mut self, at: usize) {
        self.push(CENSORED, 1, at);
    }

    fn push(&mut self, b: u8, run: u8, source: usize) {
        if self.len < MAX_JOINED {
            self.bytes[self.len] = b;
            self.folded[self.len] = fold_look_alikes(b);
            self.runs[self.len] = run;
            self.sources[self.len] = (source as u32, source as u32);
            self.len += 1;
        }
    }

    pub(super) fn view(&self) -> View<'_> {
        View {
            bytes: &self.bytes[..self.len],
            folded: &self.folded[..self.len],
            runs: &self.runs[..self.len],
            joined: Some(JoinedOrigin {
                sources: &self.sources[..self.len],
                words: self.words.clone(),
            }),
        }
    }
}
