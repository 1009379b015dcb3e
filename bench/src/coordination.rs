//! `Shared`: the few counters the orchestrating thread (`run`) and the worker threads share:
//! the current phase, how many clients have joined, and per-sender sent/delivered counts.
//! Everything is an atomic, so no thread ever waits on another's lock in the hot path.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Where the run is; the orchestrator moves it forward, workers follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Clients connect, register and join the channel.
    Connecting = 0,
    /// Senders send (or, in an idle run, everyone holds).
    Sending = 1,
    /// Sending has stopped; readers collect what is still on its way.
    Draining = 2,
    /// The run is over: workers check stalled members, say QUIT and return their results.
    Done = 3,
}

impl Phase {
    fn from_u8(value: u8) -> Phase {
        match value {
            0 => Phase::Connecting,
            1 => Phase::Sending,
            2 => Phase::Draining,
            _ => Phase::Done,
        }
    }
}

/// State shared by all threads of one run.
#[derive(Debug)]
pub struct Shared {
    /// Time zero of the run: every timestamp in a message is nanoseconds since this.
    pub origin: Instant,
    /// A number that differs between runs (clock and process id), carried by every message.
    pub run_id: u32,
    phase: AtomicU8,
    /// When the send phase started, nanoseconds since `origin`.
    pub send_start_ns: AtomicU64,
    /// Clients that have seen the end of their own JOIN (366).
    pub joined: AtomicUsize,
    /// Per sender: messages written so far (the next sequence number).
    pub sent: Vec<AtomicU64>,
    /// Per sender: deliveries of its messages counted by all readers together.
    pub delivered: Vec<AtomicU64>,
    /// Readers still connected (they and only they are expected to get every message).
    pub live_readers: AtomicUsize,
    /// The first fatal problem a worker met (for example a refused registration).
    pub failure: Mutex<Option<String>>,
}

impl Shared {
    /// Fresh state for `senders` senders and `readers` reading clients.
    pub fn new(senders: usize, readers: usize) -> Shared {
        let clock = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos() ^ d.as_secs() as u32);
        Shared {
            origin: Instant::now(),
            run_id: clock ^ std::process::id().rotate_left(16),
            phase: AtomicU8::new(Phase::Connecting as u8),
            send_start_ns: AtomicU64::new(0),
            joined: AtomicUsize::new(0),
            sent: (0..senders).map(|_| AtomicU64::new(0)).collect(),
            delivered: (0..senders).map(|_| AtomicU64::new(0)).collect(),
            live_readers: AtomicUsize::new(readers),
            failure: Mutex::new(None),
        }
    }

    /// Nanoseconds since `origin`: the clock every message timestamp uses.
    pub fn now_ns(&self) -> u64 {
        self.origin.elapsed().as_nanos() as u64
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        Phase::from_u8(self.phase.load(Ordering::Acquire))
    }

    /// Moves to `phase`.
    pub fn set_phase(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Release);
    }

    /// Records a fatal problem (the first one wins) and ends the run.
    pub fn fail(&self, why: String) {
        if let Ok(mut slot) = self.failure.lock() {
            slot.get_or_insert(why);
        }
        self.set_phase(Phase::Done);
    }

    /// The recorded fatal problem, if any.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|slot| slot.clone())
    }

    /// Total messages sent by all senders.
    pub fn total_sent(&self) -> u64 {
        self.sent.iter().map(|s| s.load(Ordering::Relaxed)).sum()
    }

    /// Total deliveries counted by all readers.
    pub fn total_delivered(&self) -> u64 {
        self.delivered
            .iter()
            .map(|d| d.load(Ordering::Relaxed))
            .sum()
    }

    /// Deliveries still expected: each message goes to every live reader except its sender
    /// (senders are readers too).
    pub fn expected_deliveries(&self) -> u64 {
        let others = self.live_readers.load(Ordering::Relaxed).saturating_sub(1) as u64;
        self.total_sent() * others
    }
}
