//! When a sender may send its next message: a fixed schedule for `--rate R`, or a window of
//! undelivered messages for `--rate max`. Pure arithmetic, used by the worker threads.
//!
//! Fixed rate: time is cut into slots of 1/R seconds, slot `i` belongs to sender `i % S`, so the
//! S senders interleave evenly instead of all firing at once. The run has `floor(T * R)` slots.

/// Number of the slot that `elapsed_ns` after the start falls in, at `rate` slots per second.
pub fn slots_elapsed(elapsed_ns: u64, rate: u32) -> u64 {
    (u128::from(elapsed_ns) * u128::from(rate) / 1_000_000_000) as u64
}

/// How many messages `sender` (of `senders`) should have sent once `slots_elapsed` slots have
/// begun, never more than its share of `total_slots`.
pub fn due_count(slots_elapsed: u64, sender: u64, senders: u64, total_slots: u64) -> u64 {
    let own = |slots: u64| {
        if slots > sender {
            (slots - sender - 1) / senders + 1
        } else {
            0
        }
    };
    // Slot `slots_elapsed` itself has begun, so it counts: `slots_elapsed + 1` slots are open.
    own(slots_elapsed.saturating_add(1)).min(own(total_slots))
}

/// With `--rate max`: how many messages a sender may have sent, given how many deliveries of
/// its messages readers have counted and how many readers (besides itself) expect each one.
pub fn window_limit(delivered: u64, other_readers: u64, window: u64) -> u64 {
    let fully_delivered = delivered / other_readers.max(1);
    fully_delivered + window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_follow_the_rate() {
        assert_eq!(slots_elapsed(0, 1000), 0);
        assert_eq!(slots_elapsed(999_999, 1000), 0);
        assert_eq!(slots_elapsed(1_000_000, 1000), 1);
        assert_eq!(slots_elapsed(10_000_000_000, 200), 2000);
    }

    #[test]
    fn senders_interleave_and_stop_at_the_end() {
        // 3 senders, 10 slots: sender 0 owns 0,3,6,9; sender 1 owns 1,4,7; sender 2 owns 2,5,8.
        assert_eq!(due_count(0, 0, 3, 10), 1);
        assert_eq!(due_count(0, 1, 3, 10), 0);
        assert_eq!(due_count(1, 1, 3, 10), 1);
        assert_eq!(due_count(5, 2, 3, 10), 2);
        assert_eq!(due_count(1_000, 0, 3, 10), 4);
        assert_eq!(due_count(1_000, 1, 3, 10), 3);
        assert_eq!(due_count(1_000, 2, 3, 10), 3);
        let total: u64 = (0..3).map(|s| due_count(u64::MAX, s, 3, 10)).sum();
        assert_eq!(total, 10);
    }

    #[test]
    fn window_counts_fully_delivered_messages() {
        assert_eq!(window_limit(0, 99, 32), 32);
        assert_eq!(window_limit(99 * 5 + 98, 99, 32), 37);
        assert_eq!(window_limit(7, 0, 4), 11);
    }
}
