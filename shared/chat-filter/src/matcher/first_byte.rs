//! Where the terms that start with each byte lie, in a list of terms sorted
//! by their bytes.
//!
//! Invariant: built from the first bytes of terms already sorted by bytes, so
//! the terms that start with `b` are one run, [`FirstByteBuckets::range`]`(b)`.
//! The self-censoring and vowel-frame readings compare a word only with the
//! terms of its first byte; within a bucket a prefix is one more
//! `partition_point`, since the terms stay sorted. 257 bounds (1 KiB) are
//! cheaper to build and read than a map.

use std::ops::Range;

/// The bucket bounds: the terms starting with `b` are `bounds[b]..bounds[b + 1]`.
#[derive(Debug, Clone)]
pub(super) struct FirstByteBuckets(Box<[u32; 257]>);

impl FirstByteBuckets {
    /// The buckets of terms whose first bytes, in sorted order, are
    /// `first_bytes`.
    pub(super) fn new(first_bytes: impl Iterator<Item = u8>) -> FirstByteBuckets {
        let mut bounds = Box::new([0u32; 257]);
        for b in first_bytes {
            bounds[usize::from(b) + 1] += 1;
        }
        for b in 1..257 {
            bounds[b] += bounds[b - 1];
        }
        FirstByteBuckets(bounds)
    }

    /// The positions of the terms that start with `first`.
    #[inline]
    pub(super) fn range(&self, first: u8) -> Range<usize> {
        let first = usize::from(first);
        self.0[first] as usize..self.0[first + 1] as usize
    }
}

/// No terms: every bucket is empty.
impl Default for FirstByteBuckets {
    fn default() -> FirstByteBuckets {
        FirstByteBuckets(Box::new([0; 257]))
    }
}
