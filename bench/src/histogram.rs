//! `LatencyHistogram`: a fixed-size log-linear histogram of nanosecond latencies, precise to
//! under 1%. Each worker thread fills its own; the run merges them and reads percentiles.
//!
//! Keeping every sample would cost gigabytes at a million deliveries a second; 7 424 counters
//! (128 per power of two) cost 58 KiB per worker and make recording a shift and an increment.

/// Counters per power of two; the relative error of a reported value is below 1 / this.
const SUB_BUCKETS: u64 = 128;
/// log2 of [`SUB_BUCKETS`].
const SUB_BITS: u32 = 7;
/// Enough buckets for any `u64`: values below 256 are exact, then 128 per power of two.
const BUCKETS: usize = ((64 - SUB_BITS as usize) * SUB_BUCKETS as usize) + SUB_BUCKETS as usize;

/// Counts of latencies in log-linear buckets, plus the exact maximum.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram::new()
    }
}

impl LatencyHistogram {
    /// An empty histogram.
    pub fn new() -> LatencyHistogram {
        LatencyHistogram {
            counts: vec![0; BUCKETS],
            total: 0,
            max: 0,
        }
    }

    /// Records one latency in nanoseconds.
    pub fn record(&mut self, nanos: u64) {
        self.counts[bucket_of(nanos)] += 1;
        self.total += 1;
        self.max = self.max.max(nanos);
    }

    /// Adds every sample of `other` into `self`.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    /// How many samples were recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The largest sample, exact.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The value below which a fraction `q` (0.0..=1.0) of samples fall, within 1%; 0 if empty.
    pub fn percentile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        // The rank of the sample we want, 1-based: ceil(q * total), at least the first.
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return middle_of(index).min(self.max);
            }
        }
        self.max
    }
}

/// Which counter a value goes to: exact below 256, then 128 counters per power of two.
fn bucket_of(value: u64) -> usize {
    if value < 2 * SUB_BUCKETS {
        return value as usize;
    }
    let exponent = 63 - value.leading_zeros(); // >= 8 here
    let mantissa = value >> (exponent - SUB_BITS); // in 128..256
    ((exponent - SUB_BITS) as u64 * SUB_BUCKETS + mantissa) as usize
}

/// The middle of the range of values that land in counter `index`.
fn middle_of(index: usize) -> u64 {
    let index = index as u64;
    if index < 2 * SUB_BUCKETS {
        return index;
    }
    let exponent = index / SUB_BUCKETS + SUB_BITS as u64 - 1;
    let mantissa = index % SUB_BUCKETS + SUB_BUCKETS;
    let width = 1u64 << (exponent - SUB_BITS as u64);
    (mantissa << (exponent - SUB_BITS as u64)) + width / 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_are_exact() {
        let mut h = LatencyHistogram::new();
        for v in 1..=100 {
            h.record(v);
        }
        assert_eq!(h.count(), 100);
        assert_eq!(h.percentile(0.5), 50);
        assert_eq!(h.percentile(0.99), 99);
        assert_eq!(h.percentile(1.0), 100);
        assert_eq!(h.max(), 100);
    }

    #[test]
    fn large_values_are_within_one_percent() {
        let mut h = LatencyHistogram::new();
        // 1 us .. 10 ms in 1 us steps: p50 is 5 ms, p99 is 9.9 ms.
        for us in 1..=10_000u64 {
            h.record(us * 1000);
        }
        let p50 = h.percentile(0.5) as f64;
        let p99 = h.percentile(0.99) as f64;
        assert!((p50 - 5_000_000.0).abs() / 5_000_000.0 < 0.01, "p50 {p50}");
        assert!((p99 - 9_900_000.0).abs() / 9_900_000.0 < 0.01, "p99 {p99}");
        assert_eq!(h.max(), 10_000_000);
    }

    #[test]
    fn every_bucket_maps_back_inside_its_range() {
        for value in [256u64, 300, 1 << 20, (1 << 40) + 12345, u64::MAX] {
            let middle = middle_of(bucket_of(value));
            let error = (middle as f64 - value as f64).abs() / value as f64;
            assert!(error < 1.0 / SUB_BUCKETS as f64, "{value} -> {middle}");
        }
        assert_eq!(bucket_of(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn merge_adds_counts_and_keeps_max() {
        let mut a = LatencyHistogram::new();
        let mut b = LatencyHistogram::new();
        a.record(10);
        b.record(20);
        b.record(30);
        a.merge(&b);
        assert_eq!(a.count(), 3);
        assert_eq!(a.max(), 30);
        assert_eq!(a.percentile(0.5), 20);
        assert_eq!(LatencyHistogram::new().percentile(0.5), 0);
    }
}
