//! `Tally`: what one worker's readers have seen, summed over its clients: the latency
//! histogram and delivery counts. Filled by `Client` on every benchmark line it reads, flushed
//! to `Shared` by the worker after each poll round, handed to `run` at the end.

use crate::histogram::LatencyHistogram;
use crate::payload::Payload;

/// What a worker's readers saw, summed over its clients, flushed to `Shared` now and then.
#[derive(Debug)]
pub struct Tally {
    /// Latency of every benchmark message received.
    pub histogram: LatencyHistogram,
    /// Per sender: deliveries not yet added to `Shared::delivered`.
    pub unflushed: Vec<u64>,
    /// All deliveries, duplicates included.
    pub deliveries: u64,
    /// When the last delivery was read (ns since origin).
    pub last_delivery_ns: u64,
}

impl Tally {
    /// An empty tally for `senders` senders.
    pub fn new(senders: usize) -> Tally {
        Tally {
            histogram: LatencyHistogram::new(),
            unflushed: vec![0; senders],
            deliveries: 0,
            last_delivery_ns: 0,
        }
    }

    /// Counts one delivery of `payload`, read at `now_ns`.
    pub fn record(&mut self, payload: &Payload, now_ns: u64) {
        self.histogram
            .record(now_ns.saturating_sub(payload.sent_ns));
        self.unflushed[payload.sender as usize] += 1;
        self.deliveries += 1;
        self.last_delivery_ns = now_ns;
    }
}
