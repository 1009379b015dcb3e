//! `Session`: one client connection, run on its own thread. Reads lines, applies the size,
//! encoding, flood and timeout rules, hands each message to `commands::dispatch`, and flushes
//! what the batch queued. Its `Drop` is the one place a client is cleaned up, so no path
//! (QUIT, error, timeout, panic) can leave a nick or a channel seat behind.

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use shared::{MAX_BODY_BYTES, MAX_TAG_BYTES, Message};

use crate::client::ClientId;
use crate::commands;
use crate::commands::history::{self, Undelivered};
use crate::flood::TokenBucket;
use crate::line_reader::{LineReader, Next};
use crate::log;
use crate::outbox::{Outbox, is_timeout};
use crate::outgoing::{Deliveries, Outgoing};
use crate::server::Server;
use crate::store::RowIds;

/// Where a connection is in NICK/USER/CAP/PASS registration.
#[derive(Debug, Default)]
pub struct Registration {
    /// PASS matched the server password (or none is set).
    pub password_ok: bool,
    /// USER was given.
    pub user_given: bool,
    /// CAP LS/REQ started and CAP END has not come yet: registration waits for it.
    pub cap_negotiating: bool,
    /// Registration finished; the welcome burst was sent.
    pub done: bool,
}

/// One connected client, as its own thread sees it.
pub struct Session {
    /// The whole server's shared state.
    pub server: Arc<Server>,
    /// This client's id in the registry.
    pub id: ClientId,
    /// Current nick, or `*` before one is accepted (used as the target of numerics).
    pub nick: String,
    /// This client's own outbox (replies go here).
    pub outbox: Arc<Outbox>,
    /// Outboxes to flush after the current batch of lines.
    pub deliveries: Deliveries,
    /// Registration progress.
    pub registration: Registration,
    /// The peer's address.
    pub peer: SocketAddr,
    /// Set when the session should end after this line; the text is the QUIT reason.
    pub quit_reason: Option<String>,
    /// Where the store answers this session's history writes (reused for every message).
    pub store_answer: RowIds,
    /// Channel messages waiting for their commit before delivery (see `history::defer`).
    pub undelivered: Vec<Undelivered>,
    /// Counter for naming this session's `BATCH` ids.
    pub batches_sent: u64,
}

impl Session {
    /// Creates the session for an accepted connection (already in the registry as `id`).
    pub fn new(server: Arc<Server>, id: ClientId, outbox: Arc<Outbox>, peer: SocketAddr) -> Self {
        let password_ok = server.config.password.is_none();
        Session {
            server,
            id,
            nick: "*".to_string(),
            outbox,
            deliveries: Deliveries::default(),
            registration: Registration {
                password_ok,
                ..Registration::default()
            },
            peer,
            quit_reason: None,
            store_answer: RowIds::new(),
            undelivered: Vec::new(),
            batches_sent: 0,
        }
    }

    /// Queues a numeric reply to this client: `:server NUMERIC nick params...`.
    pub fn reply(&mut self, numeric: &str, params: &[&str]) {
        let mut all = Vec::with_capacity(params.len() + 1);
        all.push(self.nick.clone());
        all.extend(params.iter().map(|p| p.to_string()));
        let msg = Message::new(numeric, all).with_source(&self.server.config.server_name);
        self.send_own(&msg);
    }

    /// Queues any message to this client only.
    pub fn send_own(&mut self, msg: &Message) {
        self.deliveries
            .push(self.id, &self.outbox, msg.to_wire().as_bytes());
    }

    /// Sends `ERROR :text` and ends the session after this line.
    pub fn close_with_error(&mut self, text: &str, quit_reason: &str) {
        self.send_own(&Message::new("ERROR", vec![text.to_string()]));
        self.quit_reason = Some(quit_reason.to_string());
    }

    /// Reads and handles lines until the client leaves or is dropped.
    pub fn run(&mut self, mut stream: TcpStream) {
        let server = Arc::clone(&self.server);
        let config = &server.config;
        let mut bucket = TokenBucket::new(config.flood_rate, config.flood_burst);
        let mut reader = LineReader::default();
        let connected = Instant::now();
        let mut ping_sent: Option<Instant> = None;
        let mut current_timeout = None;

        while self.quit_reason.is_none() {
            // Handle every complete line already buffered; flush once when none is left.
            match reader.next_line() {
                Next::Line(line) => {
                    ping_sent = None;
                    let wait = bucket.take(Instant::now());
                    if !wait.is_zero() {
                        // Flooding: deliver what is done, then simply wait. Not reading is
                        // what slows the client down (TCP pushes back on it).
                        self.finish_batch();
                        thread::sleep(wait);
                    }
                    self.handle_line(line);
                    continue;
                }
                Next::Overflow => {
                    self.close_with_error(
                        "Line too long: no newline in 8 KiB",
                        "Excess input without newline",
                    );
                    break;
                }
                Next::NeedMore => {}
            }
            self.finish_batch();

            let timeout = self.read_timeout(connected, ping_sent);
            if current_timeout != Some(timeout) {
                if stream.set_read_timeout(Some(timeout)).is_err() {
                    self.quit_reason = Some("Connection error".to_string());
                    break;
                }
                current_timeout = Some(timeout);
            }
            match reader.fill(&mut stream) {
                Ok(0) => {
                    let reason = if reader.has_partial() {
                        "Connection closed mid-line"
                    } else {
                        "Connection closed"
                    };
                    self.quit_reason = Some(reason.to_string());
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => {
                    self.on_silence(connected, &mut ping_sent);
                }
                Err(e) => self.quit_reason = Some(format!("Read error: {}", e.kind())),
            }
        }
        self.finish_batch();
    }

    /// Ends a batch of input lines: delivers the committed channel messages, then writes
    /// every touched outbox. Called with no lock held.
    fn finish_batch(&mut self) {
        history::settle(self);
        self.deliveries.flush();
    }

    /// How long the next read may wait before a timer (registration, ping) is due.
    fn read_timeout(&self, connected: Instant, ping_sent: Option<Instant>) -> Duration {
        let config = &self.server.config;
        let min = Duration::from_millis(10);
        if !self.registration.done {
            let deadline = connected + Duration::from_secs(config.registration_timeout);
            return deadline.saturating_duration_since(Instant::now()).max(min);
        }
        match ping_sent {
            Some(sent) => {
                let deadline = sent + Duration::from_secs(config.ping_timeout);
                deadline.saturating_duration_since(Instant::now()).max(min)
            }
            None => Duration::from_secs(config.ping_interval.max(1)),
        }
    }

    /// The client said nothing for as long as the timers allow: time out or ping it.
    fn on_silence(&mut self, connected: Instant, ping_sent: &mut Option<Instant>) {
        let config = &self.server.config;
        let now = Instant::now();
        if !self.registration.done {
            if now >= connected + Duration::from_secs(config.registration_timeout) {
                self.close_with_error("Registration timed out", "Registration timed out");
            }
            return;
        }
        match *ping_sent {
            Some(sent) if now >= sent + Duration::from_secs(config.ping_timeout) => {
                let reason = format!("Ping timeout: {} seconds", config.ping_timeout);
                self.close_with_error(&reason, &reason);
            }
            Some(_) => {}
            None => {
                let name = self.server.config.server_name.clone();
                self.send_own(&Message::new("PING", vec![name]));
                *ping_sent = Some(now);
            }
        }
    }

    /// Checks one raw line against the size and encoding rules, then dispatches it.
    fn handle_line(&mut self, line: &[u8]) {
        if line.iter().all(|&b| b == b' ') {
            return; // Empty lines are allowed and ignored (RFC 1459).
        }
        if let Some(problem) = size_problem(line) {
            self.reply(shared::numeric::ERR_INPUTTOOLONG, &[problem]);
            return;
        }
        let Ok(text) = std::str::from_utf8(line) else {
            self.send_own(&self.server.notice_to(
                &self.nick,
                "Line dropped: it is not valid UTF-8. Set your client's encoding to UTF-8.",
            ));
            return;
        };
        match Message::parse(text) {
            Ok(msg) => commands::dispatch(self, msg),
            Err(e) => {
                let text = format!("Line dropped: {e}");
                self.send_own(&self.server.notice_to(&self.nick, &text));
            }
        }
    }
}

/// Why a line breaks the IRC size limits, if it does: a body over 512 bytes with CRLF, or
/// tags over 4094 bytes.
fn size_problem(line: &[u8]) -> Option<&'static str> {
    let (tags_len, body) = match line.strip_prefix(b"@") {
        Some(rest) => {
            let end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
            let body = &rest[end..];
            let leading = body.iter().take_while(|&&b| b == b' ').count();
            (end, &body[leading..])
        }
        None => (0, line),
    };
    if tags_len > MAX_TAG_BYTES {
        Some("Input line too long: tags over 4094 bytes")
    } else if body.len() + 2 > MAX_BODY_BYTES {
        Some("Input line too long: over 512 bytes")
    } else {
        None
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let reason = self
            .outbox
            .close_reason()
            .or_else(|| self.quit_reason.clone())
            .unwrap_or_else(|| "Connection closed".to_string());
        history::settle(self);
        let removed = {
            let mut registry = self.server.lock_registry();
            let quit = registry
                .clients
                .get(&self.id)
                .filter(|c| c.registered)
                .map(|c| {
                    Outgoing::new(
                        Message::new("QUIT", vec![reason.clone()]).with_source(c.prefix()),
                    )
                });
            registry.remove(self.id, quit.as_ref(), &mut self.deliveries)
        };
        self.deliveries.flush();
        // Write what is still queued (the ERROR line, a QUIT echo), then close the socket.
        self.outbox.close_with(b"");
        if let Some(client) = removed {
            log!("disconnect {} ({}): {}", self.peer, client.nick, reason);
        }
    }
}
