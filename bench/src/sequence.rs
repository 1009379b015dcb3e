//! `SequenceTracker`: checks one sender's messages as seen by one receiver, counting missing,
//! duplicated and late (reordered) messages. One per (receiver, sender) pair in the workers.
//!
//! TCP and a single server should deliver each sender's messages in order, so the common case
//! is "the next number": one comparison. Gaps are kept as ranges, so even heavy loss costs
//! little memory, and a late message that fills a gap counts as reordered rather than lost.

use std::ops::Range;

/// What one receiver has seen of one sender's sequence numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SequenceTracker {
    /// The number after the highest one seen so far.
    next: u64,
    /// Numbers below `next` that have not arrived (yet), as sorted, disjoint ranges.
    missing: Vec<Range<u64>>,
    /// Messages that arrived a second time.
    duplicates: u64,
    /// Messages that arrived after a higher number from the same sender.
    reordered: u64,
}

impl SequenceTracker {
    /// Records the arrival of sequence number `seq`.
    pub fn observe(&mut self, seq: u64) {
        if seq == self.next {
            self.next += 1;
        } else if seq > self.next {
            self.missing.push(self.next..seq);
            self.next = seq + 1;
        } else if let Some(i) = self.missing.iter().position(|r| r.contains(&seq)) {
            // A late arrival fills its gap: split the range around it.
            let gap = self.missing.remove(i);
            let (before, after) = (gap.start..seq, seq + 1..gap.end);
            for part in [after, before] {
                if !part.is_empty() {
                    self.missing.insert(i, part);
                }
            }
            self.reordered += 1;
        } else {
            self.duplicates += 1;
        }
    }

    /// How many distinct sequence numbers arrived.
    pub fn received(&self) -> u64 {
        let holes: u64 = self.missing.iter().map(|r| r.end - r.start).sum();
        self.next - holes
    }

    /// How many of the `sent` messages (numbers `0..sent`) never arrived.
    pub fn lost(&self, sent: u64) -> u64 {
        sent.saturating_sub(self.received())
    }

    /// Messages that arrived more than once.
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Messages that arrived after a higher-numbered one.
    pub fn reordered(&self) -> u64 {
        self.reordered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker_after(seqs: &[u64]) -> SequenceTracker {
        let mut t = SequenceTracker::default();
        for &s in seqs {
            t.observe(s);
        }
        t
    }

    #[test]
    fn in_order_is_clean() {
        let t = tracker_after(&[0, 1, 2, 3, 4]);
        assert_eq!(
            (t.received(), t.lost(5), t.duplicates(), t.reordered()),
            (5, 0, 0, 0)
        );
        // Messages sent but not yet seen at the end count as lost.
        assert_eq!(t.lost(7), 2);
    }

    #[test]
    fn gaps_are_losses_until_filled() {
        let t = tracker_after(&[0, 3, 4, 8]);
        assert_eq!(t.received(), 4);
        assert_eq!(t.lost(9), 5);
        let t = tracker_after(&[0, 3, 4, 8, 2, 6, 1]);
        assert_eq!(t.received(), 7);
        assert_eq!(t.lost(9), 2); // 5 and 7
        assert_eq!(t.reordered(), 3);
        assert_eq!(t.duplicates(), 0);
    }

    #[test]
    fn repeats_are_duplicates() {
        let t = tracker_after(&[0, 1, 1, 2, 0, 5, 5]);
        assert_eq!(t.duplicates(), 3);
        assert_eq!(t.received(), 4);
        assert_eq!(t.lost(6), 2);
        assert_eq!(t.reordered(), 0);
    }
}
