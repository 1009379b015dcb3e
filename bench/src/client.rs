//! `Client`: one simulated IRC user on a non-blocking socket: registration, JOIN, PING
//! answers, sending benchmark messages and checking the ones it receives. Owned and driven by
//! exactly one worker thread.

use std::io::{self, Read, Write};

use mio::net::TcpStream;
use shared::Message;

use crate::payload::{Payload, privmsg_text, verb_of};
use crate::sequence::SequenceTracker;
use crate::tally::Tally;

/// Most bytes read from a stalled member when checking whether the server dropped it.
const STALLED_PROBE_LIMIT: usize = 64 << 20;
/// Nick changes tried after "nick in use" before giving up.
const NICK_RETRIES: u32 = 3;

/// What a client does in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Sends messages (with this sender number) and reads everyone else's.
    Sender(u32),
    /// Reads everything.
    Reader,
    /// Joins, then never reads again once sending starts.
    Stalled,
}

/// Where the client is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// TCP connect in progress.
    Connecting,
    /// NICK/USER sent, waiting for 001.
    Registering,
    /// JOIN sent, waiting for the end of NAMES (366).
    Joining,
    /// In the channel.
    Joined,
    /// The connection is gone; `close_reason` says why.
    Closed,
}

/// What every client of a run shares.
#[derive(Debug, Clone, Copy)]
pub struct RunInfo {
    /// The run's id (see [`Payload::run`]).
    pub id: u32,
    /// How many senders the run has.
    pub senders: usize,
}

/// One simulated user.
#[derive(Debug)]
pub struct Client {
    /// Client number in the run (0-based).
    pub index: usize,
    /// What it does.
    pub role: Role,
    /// Where it is.
    pub state: State,
    /// Why it closed, once `state` is `Closed`.
    pub close_reason: String,
    /// Per sender: what this client has received of that sender's messages.
    pub trackers: Vec<SequenceTracker>,
    /// Next sequence number to send (senders only).
    pub next_seq: u64,
    /// This run's id, written into every message and required of every message counted.
    run_id: u32,
    stream: TcpStream,
    nick: String,
    nick_retries: u32,
    /// The incomplete last line of the previous read.
    partial: Vec<u8>,
    /// Bytes not yet accepted by the socket.
    outgoing: Vec<u8>,
}

impl Client {
    /// A client whose non-blocking connect has been started.
    pub fn new(index: usize, role: Role, stream: TcpStream, nick: String, run: &RunInfo) -> Client {
        let trackers = match role {
            Role::Stalled => Vec::new(),
            _ => vec![SequenceTracker::default(); run.senders],
        };
        Client {
            index,
            role,
            state: State::Connecting,
            close_reason: String::new(),
            trackers,
            next_seq: 0,
            run_id: run.id,
            stream,
            nick,
            nick_retries: 0,
            partial: Vec::new(),
            outgoing: Vec::new(),
        }
    }

    /// The socket, for registering with the poller.
    pub fn stream_mut(&mut self) -> &mut TcpStream {
        &mut self.stream
    }

    /// Called on the first events of a connecting socket: once connected, sends NICK and USER.
    pub fn check_connected(&mut self) {
        if let Ok(Some(err)) | Err(err) = self.stream.take_error() {
            return self.close(format!("connect failed: {err}"));
        }
        match self.stream.peer_addr() {
            Ok(_) => {
                self.state = State::Registering;
                let nick = self.nick.clone();
                self.queue(&format!(
                    "NICK {nick}\r\nUSER {nick} 0 * :lanchat-bench\r\n"
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotConnected => {} // not yet
            Err(e) => self.close(format!("connect failed: {e}")),
        }
    }

    /// Marks the client closed (the socket closes when the client is dropped).
    pub fn close(&mut self, reason: String) {
        if self.state != State::Closed {
            self.state = State::Closed;
            self.close_reason = reason;
        }
    }

    /// Queues a raw line (CRLF included) for [`Client::flush`].
    pub fn queue(&mut self, text: &str) {
        self.outgoing.extend_from_slice(text.as_bytes());
    }

    /// Queues `count` benchmark messages stamped `now_ns`.
    pub fn queue_payloads(&mut self, count: u64, now_ns: u64, channel: &str, msg_bytes: usize) {
        let Role::Sender(sender) = self.role else {
            return;
        };
        for _ in 0..count {
            self.outgoing.extend_from_slice(b"PRIVMSG ");
            self.outgoing.extend_from_slice(channel.as_bytes());
            self.outgoing.extend_from_slice(b" :");
            let payload = Payload {
                run: self.run_id,
                sender,
                seq: self.next_seq,
                sent_ns: now_ns,
            };
            payload.encode_into(msg_bytes, &mut self.outgoing);
            self.outgoing.extend_from_slice(b"\r\n");
            self.next_seq += 1;
        }
    }

    /// Writes as much queued output as the socket takes now.
    pub fn flush(&mut self) {
        let mut written = 0;
        while written < self.outgoing.len() && self.state != State::Closed {
            match self.stream.write(&self.outgoing[written..]) {
                Ok(0) => self.close("server stopped accepting data".into()),
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => self.close(format!("write failed: {e}")),
            }
        }
        self.outgoing.drain(..written);
    }

    /// Reads until the socket has nothing more, handling every complete line. `scratch` is the
    /// worker's read buffer, shared by all its clients.
    pub fn read_available(
        &mut self,
        scratch: &mut [u8],
        tally: &mut Tally,
        now: impl Fn() -> u64,
        channel: &str,
    ) {
        while self.state != State::Closed {
            match self.stream.read(scratch) {
                Ok(0) => self.close("server closed the connection".into()),
                Ok(n) => {
                    self.take_bytes(&scratch[..n], now(), tally, channel);
                    // A short read emptied the socket: skip the read that would only say
                    // WouldBlock (edge-triggered epoll fires again when more data arrives).
                    // At low rates this halves the benchmark's system calls.
                    if n < scratch.len() {
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => self.close(format!("read failed: {e}")),
            }
        }
    }

    /// For a stalled member at the end: drains what is buffered and tells whether the server
    /// has closed the connection (end of stream or reset), i.e. dropped the member.
    pub fn probe_dropped(&mut self, scratch: &mut [u8]) -> bool {
        let mut total = 0;
        while total < STALLED_PROBE_LIMIT {
            match self.stream.read(scratch) {
                Ok(0) => return true,
                Ok(n) => total += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return e.kind() != io::ErrorKind::WouldBlock,
            }
        }
        false
    }

    /// Handles the complete lines in `data` (after any partial line kept from before).
    fn take_bytes(&mut self, data: &[u8], now_ns: u64, tally: &mut Tally, channel: &str) {
        if self.partial.is_empty() {
            let rest = self.handle_lines(data, now_ns, tally, channel);
            self.partial.extend_from_slice(rest);
        } else {
            let mut joined = std::mem::take(&mut self.partial);
            joined.extend_from_slice(data);
            let used = joined.len() - self.handle_lines(&joined, now_ns, tally, channel).len();
            joined.drain(..used);
            self.partial = joined;
        }
    }

    /// Handles each CRLF- (or LF-) terminated line; returns the unterminated rest.
    fn handle_lines<'d>(
        &mut self,
        mut data: &'d [u8],
        now_ns: u64,
        tally: &mut Tally,
        channel: &str,
    ) -> &'d [u8] {
        while let Some(end) = data.iter().position(|&b| b == b'\n') {
            let line = &data[..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            self.handle_line(line, now_ns, tally, channel);
            data = &data[end + 1..];
        }
        data
    }

    fn handle_line(&mut self, line: &[u8], now_ns: u64, tally: &mut Tally, channel: &str) {
        // The hot path: a benchmark message. Checked by scanning bytes, without allocating.
        if let Some(text) = privmsg_text(line) {
            if let Some(p) = Payload::decode(text)
                && p.run == self.run_id
                && let Some(tracker) = self.trackers.get_mut(p.sender as usize)
            {
                tracker.observe(p.seq);
                tally.record(&p, now_ns);
            }
            return;
        }
        // Everything else the benchmark acts on is rare: parse it properly. Other lines (JOIN
        // echoes, NAMES, MOTD, the many numerics after 001...) are skipped unparsed.
        let verb = verb_of(line);
        let wanted: &[&[u8]] = &[b"PING", b"001", b"366", b"432", b"433", b"ERROR"];
        let maybe_join_error = verb.starts_with(b"4") && self.state == State::Joining;
        if !wanted.contains(&verb) && !maybe_join_error {
            return;
        }
        let text = String::from_utf8_lossy(line);
        let Ok(msg) = Message::parse(&text) else {
            return;
        };
        // An error about our channel (471 full, 474 banned...); other 4xx numerics that follow
        // 001, such as 422 "no MOTD", are not about the JOIN.
        let join_refused = maybe_join_error && shared::names::irc_eq(msg.param(1), channel);
        match msg.verb().as_str() {
            "PING" => self.queue(&format!("PONG :{}\r\n", msg.param(0))),
            "001" if self.state == State::Registering => {
                self.state = State::Joining;
                self.queue(&format!("JOIN {channel}\r\n"));
            }
            "366"
                if self.state == State::Joining && shared::names::irc_eq(msg.param(1), channel) =>
            {
                self.state = State::Joined;
            }
            "432" | "433" if self.state == State::Registering => self.retry_nick(&text),
            "ERROR" => self.close(format!("server sent {text}")),
            _ if join_refused => self.close(format!("JOIN refused: {text}")),
            _ => {}
        }
    }

    /// The nick was refused (often a leftover of the previous run): try a variant.
    fn retry_nick(&mut self, reply: &str) {
        self.nick_retries += 1;
        if self.nick_retries > NICK_RETRIES {
            return self.close(format!("nick refused: {reply}"));
        }
        self.nick.push('_');
        let nick = self.nick.clone();
        self.queue(&format!("NICK {nick}\r\n"));
    }
}
