//! `TokenBucket`: flood control for one client. A flooding client is not disconnected; its
//! session thread simply waits before reading its next line, which slows it to the set rate.

use std::time::{Duration, Instant};

/// A token bucket: `burst` lines at once, then `rate` lines per second.
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket. A `rate` of 0 turns flood control off.
    pub fn new(rate: f64, burst: u32) -> TokenBucket {
        let burst = f64::from(burst.max(1));
        TokenBucket {
            rate,
            burst,
            tokens: burst,
            last: Instant::now(),
        }
    }

    /// Takes a token for one line, at time `now`; returns how long the caller must wait before
    /// handling that line (zero when the client is within its allowance).
    pub fn take(&mut self, now: Instant) -> Duration {
        if self.rate <= 0.0 {
            return Duration::ZERO;
        }
        let refill = now.saturating_duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst) - 1.0;
        self.last = now;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_rate() {
        let t0 = Instant::now();
        let mut bucket = TokenBucket::new(2.0, 3);
        for _ in 0..3 {
            assert_eq!(bucket.take(t0), Duration::ZERO);
        }
        assert_eq!(bucket.take(t0), Duration::from_millis(500));
        // After waiting what it was told, the next line waits another half second.
        let t1 = t0 + Duration::from_millis(500);
        assert_eq!(bucket.take(t1), Duration::from_millis(500));
        // A second of silence earns two lines back.
        let t2 = t1 + Duration::from_millis(1500);
        assert_eq!(bucket.take(t2), Duration::ZERO);
    }

    #[test]
    fn rate_zero_is_off() {
        let mut bucket = TokenBucket::new(0.0, 1);
        let now = Instant::now();
        for _ in 0..1000 {
            assert_eq!(bucket.take(now), Duration::ZERO);
        }
    }
}
