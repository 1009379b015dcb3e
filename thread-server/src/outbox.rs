//! `Outbox`: one client's bounded queue of outgoing bytes, and the "flush combining" that
//! writes it. Every thread that sends to a client uses it; nobody writes to a socket directly.
//!
//! Why not a writer thread per client? Waking a sleeping thread for every delivery costs more
//! than the write itself (see BENCHMARKS.md). Instead a thread that is running anyway writes
//! the bytes: the producing session appends to the queue (cheap, under this outbox's small
//! lock), and later, with no lock held, it (or, for a big fan-out, the one fan-out thread of
//! fan_out.rs) calls [`Outbox::flush`]. If another thread is already writing to this client,
//! flush returns at once and that thread picks the new bytes up before it stops.
//!
//! The socket has a short send timeout. When the kernel buffer is full (the client reads
//! slowly), the flushing thread does not wait: it hands this one client to a writer thread,
//! spawned only then, which keeps writing until the queue is empty. Meanwhile the queue keeps
//! growing; past `max_sendq` bytes the client is dropped with `ERROR :SendQ exceeded`.

use std::io::{self, Write};
use std::mem;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

/// How long one write may block before the client is handed to a writer thread.
pub const SEND_TIMEOUT: Duration = Duration::from_millis(5);

/// A buffer up to this size is always kept for reuse after a flush.
const KEEP_BUFFER_BYTES: usize = 4 * 1024;

/// Largest buffer kept while the client is busy. Under load a queue fills to tens of KiB
/// between writes, and regrowing it from nothing after every write (realloc and, past the
/// 16 KiB mmap threshold, mremap and page faults) cost a sixth of lanchatd's CPU in case 3 of
/// the benchmark. Bigger buffers are freed at once. So a client holds at most two such
/// buffers (the queue and its spare), and only while it is busy.
const KEEP_BUSY_BUFFER_BYTES: usize = 64 * 1024;

/// After this many writes in a row that each fit in [`KEEP_BUFFER_BYTES`], the client is no
/// longer busy and a bigger buffer is freed. Writes vary a lot under load (a small one often
/// follows a big one), so one small write is no sign; a run of them is. (A late joiner's
/// NAMES burst is kept until then: case 4, 5000 idle clients, went from 40 to 43 KiB each.)
const CALM_WRITES: u32 = 32;

/// Whether a buffer is worth keeping for the next writes, given how many writes in a row
/// were small.
fn worth_keeping(capacity: usize, small_writes_in_a_row: u32) -> bool {
    capacity <= KEEP_BUFFER_BYTES
        || (capacity <= KEEP_BUSY_BUFFER_BYTES && small_writes_in_a_row < CALM_WRITES)
}

/// A client's outgoing queue and the write half of its socket.
pub struct Outbox {
    stream: TcpStream,
    max_sendq: usize,
    state: Mutex<State>,
    /// Writes in a row that fit in [`KEEP_BUFFER_BYTES`] (see `worth_keeping`).
    small_writes_in_a_row: AtomicU32,
}

#[derive(Default)]
struct State {
    /// Bytes waiting to be written, always whole lines.
    queue: Vec<u8>,
    /// An empty buffer kept for reuse, so flushing never frees and reallocates (swap, not take).
    spare: Vec<u8>,
    /// Some thread is writing to the socket right now.
    writing: bool,
    /// The client is being disconnected: no more bytes are accepted.
    closing: bool,
    /// Why the server closed this client, if it did (shown to others as the QUIT reason).
    close_reason: Option<String>,
}

impl Outbox {
    /// Wraps the write half of `stream` (a `try_clone` of the session's socket).
    pub fn new(stream: TcpStream, max_sendq: usize) -> io::Result<Outbox> {
        stream.set_write_timeout(Some(SEND_TIMEOUT))?;
        Ok(Outbox {
            stream,
            max_sendq,
            state: Mutex::new(State::default()),
            small_writes_in_a_row: AtomicU32::new(0),
        })
    }

    /// Records a write of `written` bytes; returns how many writes in a row were small.
    fn note_write(&self, written: usize) -> u32 {
        // Only the thread writing (one at a time) uses this counter.
        if written > KEEP_BUFFER_BYTES {
            self.small_writes_in_a_row.store(0, Ordering::Relaxed);
            0
        } else {
            let count = self
                .small_writes_in_a_row
                .load(Ordering::Relaxed)
                .saturating_add(1);
            self.small_writes_in_a_row.store(count, Ordering::Relaxed);
            count
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the queue half-updated in a way that
        // matters (it is plain bytes), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends whole lines to the queue. Returns false if the client is closing or if this
    /// push took it past its SendQ limit (it is then closed; the next flush drops it).
    /// Cheap and I/O-free, so callers may hold the registry lock.
    pub fn push(&self, bytes: &[u8]) -> bool {
        let mut state = self.lock();
        if state.closing {
            return false;
        }
        if state.queue.len() + bytes.len() > self.max_sendq {
            state.closing = true;
            state.close_reason = Some("SendQ exceeded".to_string());
            state.queue.clear();
            // Starts with CRLF: if a line was cut by a partial write, this ends it, so the
            // client still reads a clean ERROR line (an empty line is ignored by clients).
            state
                .queue
                .extend_from_slice(b"\r\nERROR :SendQ exceeded\r\n");
            return false;
        }
        state.queue.extend_from_slice(bytes);
        true
    }

    /// Writes everything queued, unless another thread is already doing it. Never blocks for
    /// longer than [`SEND_TIMEOUT`]: a slow client is handed to a writer thread instead.
    pub fn flush(self: &Arc<Outbox>) {
        let buf = {
            let mut state = self.lock();
            if state.writing || state.queue.is_empty() {
                return;
            }
            state.writing = true;
            let spare = mem::take(&mut state.spare);
            mem::replace(&mut state.queue, spare)
        };
        self.write_until_empty(buf, false);
    }

    /// The writer's loop: write `buf`, then whatever was queued meanwhile, until nothing is
    /// left. The caller has set `writing`; this clears it when it stops.
    fn write_until_empty(self: &Arc<Outbox>, mut buf: Vec<u8>, in_writer_thread: bool) {
        loop {
            match self.write_some(&buf) {
                Ok(()) => {
                    let small_in_a_row = self.note_write(buf.len());
                    buf.clear();
                    if !worth_keeping(buf.capacity(), small_in_a_row) {
                        buf = Vec::new();
                    }
                    let mut state = self.lock();
                    if state.queue.is_empty() {
                        state.writing = false;
                        state.spare = buf;
                        let closing = state.closing;
                        drop(state);
                        if closing {
                            self.shutdown_socket();
                        }
                        return;
                    }
                    buf = mem::replace(&mut state.queue, buf);
                }
                Err(WriteStall::Blocked(written)) => {
                    buf.drain(..written);
                    if self.is_closing() {
                        // A client being dropped gets no more waiting on its behalf.
                        self.close_now(None);
                        return;
                    }
                    if !in_writer_thread {
                        self.hand_to_writer_thread(buf);
                        return;
                    }
                    // In the writer thread: the timed-out write was the wait; try again.
                }
                Err(WriteStall::Broken) => {
                    self.close_now(None);
                    return;
                }
            }
        }
    }

    /// Writes `buf` with the short send timeout; on a stall, says how much got through.
    fn write_some(&self, buf: &[u8]) -> Result<(), WriteStall> {
        let mut written = 0;
        while written < buf.len() {
            match (&self.stream).write(&buf[written..]) {
                Ok(0) => return Err(WriteStall::Broken),
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => {
                    return Err(WriteStall::Blocked(written));
                }
                Err(_) => return Err(WriteStall::Broken),
            }
        }
        Ok(())
    }

    /// Keeps writing to a slow client on a thread of its own, until its queue is empty or it
    /// is closed. Only slow clients ever get such a thread.
    fn hand_to_writer_thread(self: &Arc<Outbox>, buf: Vec<u8>) {
        let outbox = Arc::clone(self);
        let spawned = thread::Builder::new()
            .name("lanchatd-writer".to_string())
            .stack_size(64 * 1024)
            .spawn(move || outbox.write_until_empty(buf, true));
        if spawned.is_err() {
            // Out of threads: better to drop this slow client than to stall everyone.
            self.close_now(Some("Server out of resources"));
        }
    }

    /// Marks the client closed and shuts its socket down, which also wakes its reader thread
    /// so the session ends and cleans up.
    pub fn close_now(&self, reason: Option<&str>) {
        {
            let mut state = self.lock();
            state.closing = true;
            state.writing = false;
            if let (None, Some(r)) = (&state.close_reason, reason) {
                state.close_reason = Some(r.to_string());
            }
        }
        self.shutdown_socket();
    }

    /// Queues a final line (an ERROR), writes what it can and closes the connection.
    pub fn close_with(self: &Arc<Outbox>, last_line: &[u8]) {
        let writing = {
            let mut state = self.lock();
            if !state.closing {
                state.queue.extend_from_slice(last_line);
                state.closing = true;
            }
            state.writing
        };
        if writing {
            // The current writer sees `closing` and shuts the socket when it is done.
            return;
        }
        self.flush();
        if !self.lock().writing {
            self.shutdown_socket();
        }
    }

    /// Why the server closed this client (e.g. "SendQ exceeded"), if it did.
    pub fn close_reason(&self) -> Option<String> {
        self.lock().close_reason.clone()
    }

    /// Is this client being disconnected?
    pub fn is_closing(&self) -> bool {
        self.lock().closing
    }

    fn shutdown_socket(&self) {
        // Errors here mean the socket is already gone, which is what we wanted.
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// Did a socket read or write stop at its timeout? (Unix reports it as WouldBlock, Windows
/// as TimedOut.) Used by the outbox for writes and by sessions for reads.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

enum WriteStall {
    /// The send buffer is full; this many bytes were written first.
    Blocked(usize),
    /// The connection is gone.
    Broken,
}

#[cfg(test)]
mod tests {
    use super::{CALM_WRITES, worth_keeping};

    #[test]
    fn small_buffers_are_kept_busy_ones_while_busy_bursts_never() {
        assert!(worth_keeping(4096, CALM_WRITES + 100), "small: always kept");
        assert!(worth_keeping(32 * 1024, 0), "busy: regrowing it costs");
        assert!(
            worth_keeping(32 * 1024, CALM_WRITES - 1),
            "one small write is no sign"
        );
        assert!(
            !worth_keeping(32 * 1024, CALM_WRITES),
            "traffic calmed down: freed"
        );
        assert!(!worth_keeping(128 * 1024, 0), "a burst is not kept");
    }
}
