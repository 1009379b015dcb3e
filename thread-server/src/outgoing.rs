//! `Outgoing`: a message serialized once for a whole broadcast, and `Deliveries`: the set of
//! outboxes a session must flush once it has finished its current batch of lines.
//!
//! Recipients differ only in which tags they asked for, so a message is rendered at most three
//! times (no tags, `time` only, all tags) and the same bytes are copied into every queue.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use shared::message::tag_prefix;
use shared::{Message, Tag};

use crate::client::{Caps, Client, ClientId};
use crate::fan_out::{self, OutboxSet};
use crate::outbox::Outbox;

/// A message ready to be queued to many clients.
pub struct Outgoing {
    /// The message as each [`Kind`] of recipient gets it, CRLF included.
    rendered: [Vec<u8>; 3],
    /// The `msgid` tag given to this message (the same for every recipient and in history).
    pub msgid: String,
    /// The `time` tag, as Unix milliseconds.
    pub time_ms: i64,
}

/// Which tags a recipient gets; an index into [`Outgoing`]'s renderings.
#[derive(Clone, Copy)]
enum Kind {
    /// No tags.
    Plain = 0,
    /// Only `time` (`server-time` without `message-tags`).
    WithTime = 1,
    /// `time`, `msgid` and the sender's client-only tags (`message-tags`).
    AllTags = 2,
}

impl Kind {
    fn of(caps: Caps) -> Kind {
        if caps.message_tags {
            Kind::AllTags
        } else if caps.server_time {
            Kind::WithTime
        } else {
            Kind::Plain
        }
    }
}

static NEXT_MSGID: AtomicU64 = AtomicU64::new(1);
static MSGID_PREFIX: OnceLock<String> = OnceLock::new();

/// A new `msgid`: the server's start time and a counter, so ids stay unique across restarts
/// (history keeps them).
fn next_msgid() -> String {
    let prefix =
        MSGID_PREFIX.get_or_init(|| format!("{:x}", chrono::Utc::now().timestamp_millis()));
    format!("{prefix}-{:x}", NEXT_MSGID.fetch_add(1, Ordering::Relaxed))
}

/// Formats Unix milliseconds as an IRCv3 `time` tag value (`2026-11-22T10:00:00.000Z`).
pub fn format_time(time_ms: i64) -> String {
    // The RFC 3339 writer, not `format("%Y-...")`: that one parses its format string on
    // every call, and this runs for every message.
    chrono::DateTime::from_timestamp_millis(time_ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Outgoing {
    /// Renders `msg` (whose own tags are the sender's client-only tags, if any) for every kind
    /// of recipient, stamping it with the current time and a fresh `msgid`.
    pub fn new(mut msg: Message) -> Outgoing {
        let client_tags = std::mem::take(&mut msg.tags);
        let plain = msg.to_wire().into_bytes();
        let time_ms = chrono::Utc::now().timestamp_millis();
        let msgid = next_msgid();
        // The tagged renderings are a tag prefix (`@time=...;msgid=... `) before the plain
        // line: only the prefix is formatted again, not the whole message.
        let mut tags = vec![Tag {
            key: "time".to_string(),
            value: format_time(time_ms),
        }];
        let with_time = prefixed(&tags, &plain);
        tags.push(Tag {
            key: "msgid".to_string(),
            value: msgid.clone(),
        });
        tags.extend(client_tags);
        let with_all_tags = prefixed(&tags, &plain);
        Outgoing {
            rendered: [plain, with_time, with_all_tags],
            msgid,
            time_ms,
        }
    }

    /// The message without tags and without CRLF, as history stores it.
    pub fn line(&self) -> &str {
        let plain = &self.rendered[Kind::Plain as usize];
        let line = plain.strip_suffix(b"\r\n").unwrap_or(plain);
        // Rendered from a String, so always UTF-8.
        std::str::from_utf8(line).unwrap_or_default()
    }

    /// The bytes a client with these capabilities should get.
    pub fn bytes_for(&self, caps: Caps) -> &[u8] {
        &self.rendered[Kind::of(caps) as usize]
    }
}

/// `line` with `tags` written before it.
fn prefixed(tags: &[Tag], line: &[u8]) -> Vec<u8> {
    let prefix = tag_prefix(tags);
    let mut out = Vec::with_capacity(prefix.len() + line.len());
    out.extend_from_slice(prefix.as_bytes());
    out.extend_from_slice(line);
    out
}

/// Several messages for the same recipients, each kind of rendering concatenated, so a
/// recipient's outbox is locked and appended to once for all of them. A session delivers the
/// channel messages of one read this way: in case 3 of the benchmark a read holds about ten,
/// and pushing them one by one was the biggest cost after the socket writes (BENCHMARKS.md).
#[derive(Default)]
pub struct OutgoingRun {
    rendered: [Vec<u8>; 3],
}

impl OutgoingRun {
    /// Appends `out` after the messages already in the run.
    pub fn push(&mut self, out: &Outgoing) {
        for (all, one) in self.rendered.iter_mut().zip(&out.rendered) {
            all.extend_from_slice(one);
        }
    }

    /// The bytes a client with these capabilities should get.
    pub fn bytes_for(&self, caps: Caps) -> &[u8] {
        &self.rendered[Kind::of(caps) as usize]
    }
}

/// Flushes touching at most this many clients are written by the session itself.
const SMALL_FLUSH: usize = 8;

/// Outboxes that got new bytes and must be flushed once the current batch of input lines is
/// handled. Filled under the registry lock, flushed after it is released.
#[derive(Default)]
pub struct Deliveries {
    pending: OutboxSet,
}

impl Deliveries {
    /// Queues `out` to `client` and remembers to flush it.
    pub fn send(&mut self, client: &Client, out: &Outgoing) {
        self.send_bytes(client, out.bytes_for(client.caps));
    }

    /// Queues a whole run of messages to `client` and remembers to flush it.
    pub fn send_run(&mut self, client: &Client, run: &OutgoingRun) {
        self.send_bytes(client, run.bytes_for(client.caps));
    }

    /// Queues raw wire bytes to `client` and remembers to flush it.
    pub fn send_bytes(&mut self, client: &Client, bytes: &[u8]) {
        self.push(client.id, &client.outbox, bytes);
    }

    /// Queues raw wire bytes to the outbox of client `id` and remembers to flush it.
    pub fn push(&mut self, id: ClientId, outbox: &Arc<Outbox>, bytes: &[u8]) {
        outbox.push(bytes);
        self.pending.entry(id).or_insert_with(|| Arc::clone(outbox));
    }

    /// Is nothing waiting to be flushed?
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Writes every touched outbox. Call with no lock held: this is where socket I/O happens.
    ///
    /// A big fan-out is handed to the fan-out writer thread (fan_out.rs), which writes it
    /// together with the other senders' fan-outs while this session goes back to reading.
    /// Small flushes (a client's own replies, a private message) are written here and now.
    pub fn flush(&mut self) {
        if self.pending.len() > SMALL_FLUSH {
            // Swapped for an empty map: the full one travels to the writer. (One JOIN to a
            // 5,000-member channel grows it to 5,000 entries; keeping that capacity in every
            // idle session cost ~80 KiB per connection, BENCHMARKS.md, case 4. Starting the
            // new map at the old one's size, up to 256, was measured too: case 4 went from
            // 43.7 to 50.9 KiB per connection, and case 3 gained nothing measurable.)
            let set = std::mem::take(&mut self.pending);
            match fan_out::hand_over(set) {
                Ok(()) => return,
                Err(set) => self.pending = set,
            }
        }
        for (_, outbox) in self.pending.drain() {
            outbox.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn time_tags_have_milliseconds_and_a_z() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_time(1_795_000_000_123), "2026-11-18T11:06:40.123Z");
    }
}
