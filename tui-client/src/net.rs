//! The network side: a send thread that owns the socket's write half, connects and reconnects
//! with backoff and jitter, and a receive thread per connection that turns lines into
//! `Event::Server`. Both report to the UI loop through the one `Event` channel; the UI never
//! touches the socket.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use shared::Message;

use crate::event::Event;

/// Longest line the receive thread accepts before it cuts the line (a hostile server could
/// otherwise grow our memory without bound). IRCv3 tags plus the 512-byte body fit easily.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// A connection that lasted this long was a real one: the next reconnect starts the backoff
/// from its first, short wait again.
pub const STABLE_CONNECTION: Duration = Duration::from_secs(10);

/// Silence after which the link counts as dead. The client pings every 30 s once registered,
/// so a live server always says something well within this.
pub const READ_TIMEOUT: Duration = Duration::from_secs(75);

/// Longest a single write may block (a server that stopped reading): then the link is dropped
/// and remade rather than freezing the send thread.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How reconnecting waits between attempts.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// Wait before the first retry.
    pub first: Duration,
    /// Longest wait; doubling stops here.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            first: Duration::from_millis(500),
            max: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// The wait before attempt `n` (0-based): doubling from `first` up to `max`, with up to
    /// ±25% jitter so a classroom of clients does not reconnect in lockstep.
    pub fn delay(&self, attempt: u32) -> Duration {
        let base = self
            .first
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        // A cheap varying fraction in [0.75, 1.25): plenty for spreading reconnects out.
        let fraction = 0.75 + f64::from(nanos % 1000) / 2000.0;
        base.mul_f64(fraction)
    }
}

/// What the send thread receives.
#[derive(Debug)]
enum Outgoing {
    /// A message for connection number `.0`; stale ones are handed back, never written late.
    Send(u64, Message),
    /// The receive thread of connection `.0` saw it close.
    Closed(u64, String),
    /// Stop: write nothing more, close the socket.
    Shutdown,
}

/// The UI loop's handle on the network threads.
pub struct Network {
    tx: Sender<Outgoing>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Network {
    /// Starts the send thread with an already connected `stream` (connection 1); it reports
    /// `Event::Connected(1)` at once and reconnects to `address` whenever the link drops.
    pub fn start(
        stream: TcpStream,
        address: String,
        backoff: Backoff,
        events: Sender<Event>,
    ) -> std::io::Result<Network> {
        let (tx, rx) = channel();
        let to_self = tx.clone();
        let thread = thread::Builder::new()
            .name("lanchat-send".into())
            .spawn(move || send_loop(stream, address, backoff, rx, to_self, events))?;
        Ok(Network {
            tx,
            thread: Some(thread),
        })
    }

    /// Queues `messages` for connection number `connection`.
    pub fn send(&self, connection: u64, messages: Vec<Message>) {
        for msg in messages {
            let _ = self.tx.send(Outgoing::Send(connection, msg));
        }
    }

    /// Stops the threads after what is queued has been written (bounded by the OS buffers).
    pub fn shutdown(mut self) {
        let _ = self.tx.send(Outgoing::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Connects to `address`, trying each resolved address with a timeout.
pub fn connect(address: &str, timeout: Duration) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address found");
    for addr in address.to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn send_loop(
    first: TcpStream,
    address: String,
    backoff: Backoff,
    rx: Receiver<Outgoing>,
    to_self: Sender<Outgoing>,
    events: Sender<Event>,
) {
    let mut stream = Some(first);
    let mut connection: u64 = 0;
    let mut attempt: u32 = 0;
    loop {
        let Some(mut writer) = stream.take() else {
            // Disconnected: wait, then try again, handing back anything queued meanwhile.
            thread::sleep(backoff.delay(attempt));
            attempt = attempt.saturating_add(1);
            if !hand_back_stale(&rx, &events) {
                return;
            }
            stream = connect(&address, Duration::from_secs(5)).ok();
            continue;
        };
        connection += 1;
        let connected_at = Instant::now();
        let _ = writer.set_write_timeout(Some(WRITE_TIMEOUT));
        if let Err(e) = spawn_reader(&writer, connection, &to_self, &events) {
            let _ = events.send(Event::Lost {
                reason: e.to_string(),
                unsent: Vec::new(),
            });
            continue;
        }
        if events.send(Event::Connected(connection)).is_err() {
            return;
        }
        let reason = loop {
            match rx.recv() {
                Ok(Outgoing::Send(conn, msg)) if conn == connection => {
                    if let Err(e) = writer.write_all(msg.to_wire().as_bytes()) {
                        let _ = events.send(Event::Lost {
                            reason: e.to_string(),
                            unsent: vec![msg],
                        });
                        break None;
                    }
                }
                Ok(Outgoing::Send(_, msg)) => {
                    let _ = events.send(Event::Unsent(vec![msg]));
                }
                Ok(Outgoing::Closed(conn, reason)) if conn == connection => break Some(reason),
                Ok(Outgoing::Closed(..)) => {}
                Ok(Outgoing::Shutdown) | Err(_) => {
                    let _ = writer.flush();
                    let _ = writer.shutdown(Shutdown::Both);
                    return;
                }
            }
        };
        let _ = writer.shutdown(Shutdown::Both);
        // Only a connection that lasted resets the backoff: a server that accepts and closes
        // at once must not be hammered every half second.
        if connected_at.elapsed() >= STABLE_CONNECTION {
            attempt = 0;
        }
        if let Some(reason) = reason {
            let _ = events.send(Event::Lost {
                reason,
                unsent: Vec::new(),
            });
        }
    }
}

/// Hands messages meant for a dead connection back to the UI (so they get requeued); returns
/// false when the client is shutting down.
fn hand_back_stale(rx: &Receiver<Outgoing>, events: &Sender<Event>) -> bool {
    let mut unsent = Vec::new();
    loop {
        match rx.try_recv() {
            Ok(Outgoing::Send(_, msg)) => unsent.push(msg),
            Ok(Outgoing::Closed(..)) => {}
            Ok(Outgoing::Shutdown) => return false,
            Err(std::sync::mpsc::TryRecvError::Empty) => break,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => return false,
        }
    }
    if !unsent.is_empty() {
        return events.send(Event::Unsent(unsent)).is_ok();
    }
    true
}

/// Starts the receive thread for one connection.
fn spawn_reader(
    stream: &TcpStream,
    connection: u64,
    to_send_thread: &Sender<Outgoing>,
    events: &Sender<Event>,
) -> std::io::Result<()> {
    let reader = stream.try_clone()?;
    reader.set_read_timeout(Some(READ_TIMEOUT))?;
    let to_send_thread = to_send_thread.clone();
    let events = events.clone();
    thread::Builder::new()
        .name(format!("lanchat-recv-{connection}"))
        .spawn(move || {
            let reason = read_lines(reader, &events);
            let _ = to_send_thread.send(Outgoing::Closed(connection, reason));
        })?;
    Ok(())
}

/// Reads lines until the connection ends; returns why it ended.
fn read_lines(stream: TcpStream, events: &Sender<Event>) -> String {
    let mut reader = BufReader::new(stream);
    let mut bytes = Vec::with_capacity(1024);
    loop {
        bytes.clear();
        let mut limited = (&mut reader).take(MAX_LINE_BYTES as u64);
        match limited.read_until(b'\n', &mut bytes) {
            Ok(0) => return "the server closed the connection".into(),
            Ok(_) => {
                // Invalid UTF-8 is shown with replacement characters rather than dropped.
                let line = String::from_utf8_lossy(&bytes);
                let line = line.trim_end_matches(['\r', '\n']);
                if line.is_empty() {
                    continue;
                }
                // A line that does not parse is dropped: it cannot mean anything to us.
                if let Ok(msg) = Message::parse(line)
                    && events.send(Event::Server(msg)).is_err()
                {
                    return "client stopping".into();
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return format!("no answer from the server for {} s", READ_TIMEOUT.as_secs());
            }
            Err(e) => return e.to_string(),
        }
    }
}
