//! The fan-out writer: one thread that writes every big fan-out (a channel message to more
//! than a few members), so the session that produced it can go back to reading its client.
//! Used by `Deliveries::flush` (outgoing.rs).
//!
//! Why one thread, and not the session itself? Big fan-outs used to take turns behind a lock
//! (writing them in parallel made them fight over the same sockets and the two cores), so a
//! sender spent its time waiting for its turn. Now it hands its set of outboxes over and goes
//! on; the writer merges every set handed over meanwhile and writes each outbox once, with
//! the bytes of all those senders together: fewer, larger writes for the same messages
//! (case 3 of BENCHMARKS.md: 62 deliveries per `send()` instead of 19, 2.40 -> 2.96 M/s).
//! The price: big fan-outs are written by one thread, as they were behind the lock. On a
//! machine with many cores that is the one serial stage; on a lab machine it is not the limit.
//!
//! The hand-over queue is short ([`QUEUED_SETS`]): when the writer falls behind, senders wait
//! for room, so a flood slows its sender down (TCP pushes back on it) instead of filling the
//! readers' outboxes until they are dropped for SendQ.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, OnceLock};
use std::thread;

use crate::client::IdMap;
use crate::outbox::Outbox;

/// Outboxes touched by one batch of a session, by client id.
pub type OutboxSet = IdMap<Arc<Outbox>>;

/// How many sets may wait for the writer before senders must wait too.
const QUEUED_SETS: usize = 16;

/// Hands `set` to the fan-out writer, waiting only if it is [`QUEUED_SETS`] behind. Returns
/// the set back if there is no writer (the thread could not be started): the caller then
/// writes it itself.
pub fn hand_over(set: OutboxSet) -> Result<(), OutboxSet> {
    static WRITER: OnceLock<Option<SyncSender<OutboxSet>>> = OnceLock::new();
    let writer = WRITER.get_or_init(start_writer);
    match writer {
        Some(sender) => sender.send(set).map_err(|e| e.0),
        None => Err(set),
    }
}

/// Starts the writer thread; None if the system refuses a thread.
fn start_writer() -> Option<SyncSender<OutboxSet>> {
    let (sender, receiver) = sync_channel(QUEUED_SETS);
    thread::Builder::new()
        .name("lanchatd-fan-out".to_string())
        .stack_size(64 * 1024)
        .spawn(move || write_forever(receiver))
        .ok()?;
    Some(sender)
}

/// The writer's loop: wait for a set, take every other set already waiting, write each
/// outbox once. It lives as long as the process (sessions of every server share it).
fn write_forever(sets: Receiver<OutboxSet>) {
    let mut merged = OutboxSet::default();
    while let Ok(first) = sets.recv() {
        merged.extend(first);
        while let Ok(more) = sets.try_recv() {
            merged.extend(more);
        }
        for (_, outbox) in merged.drain() {
            outbox.flush();
        }
    }
}
