//! The benchmark message text (`lb RUN SENDER SEQ NANOS ...`) and the cheap line scanning the hot
//! receive path uses. Used by the worker threads on every line they read.
//!
//! Every delivered PRIVMSG goes through here, often a million times a second, so these helpers
//! look at bytes without allocating. Lines the benchmark acts on otherwise (PING, 001, 366...)
//! are rare and go through `shared::Message::parse`.

/// The first word of every benchmark message, so stray PRIVMSGs are not mistaken for ours.
const MARKER: &str = "lb";

/// What a benchmark PRIVMSG carries: who sent it, its place in that sender's sequence, and when
/// it was written to the socket (nanoseconds since the run's shared `Instant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payload {
    /// Which run sent it: a server that replays channel history on JOIN may hand a reader
    /// messages of an earlier run, and those must not count.
    pub run: u32,
    /// Index of the sending client (0-based; senders are clients 0..S).
    pub sender: u32,
    /// Sequence number within that sender, starting at 0.
    pub seq: u64,
    /// Send time in nanoseconds since the run's origin.
    pub sent_ns: u64,
}

impl Payload {
    /// Appends the message text to `out`, padded with `.` up to `min_len` bytes.
    pub fn encode_into(&self, min_len: usize, out: &mut Vec<u8>) {
        use std::io::Write;
        let start = out.len();
        // Writing into a Vec cannot fail.
        let _ = write!(
            out,
            "{MARKER} {} {} {} {}",
            self.run, self.sender, self.seq, self.sent_ns
        );
        let written = out.len() - start;
        if written < min_len {
            out.push(b' ');
            out.resize(start + min_len.max(written + 2), b'.');
        }
    }

    /// Reads a message text written by [`Payload::encode_into`]; `None` for any other text.
    pub fn decode(text: &[u8]) -> Option<Payload> {
        let mut words = text.split(|&b| b == b' ');
        if words.next()? != MARKER.as_bytes() {
            return None;
        }
        let run = parse_u64(words.next()?)?;
        let sender = parse_u64(words.next()?)?;
        let seq = parse_u64(words.next()?)?;
        let sent_ns = parse_u64(words.next()?)?;
        Some(Payload {
            run: u32::try_from(run).ok()?,
            sender: u32::try_from(sender).ok()?,
            seq,
            sent_ns,
        })
    }
}

/// Parses plain ASCII decimal digits (no sign, no spaces), refusing overflow.
fn parse_u64(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |acc, &b| {
        let digit = b.checked_sub(b'0').filter(|d| *d < 10)?;
        acc.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Skips the optional `@tags` and `:source` words; returns the rest, starting at the verb.
fn skip_prefix(mut line: &[u8]) -> &[u8] {
    for lead in [b'@', b':'] {
        if line.first() == Some(&lead) {
            line = match line.iter().position(|&b| b == b' ') {
                Some(space) => trim_spaces(&line[space..]),
                None => &[],
            };
        }
    }
    line
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let first = s.iter().position(|&b| b != b' ').unwrap_or(s.len());
    &s[first..]
}

/// The verb of a raw line (`PRIVMSG`, `001`...), without parsing the rest.
pub fn verb_of(line: &[u8]) -> &[u8] {
    let rest = skip_prefix(line);
    let end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
    &rest[..end]
}

/// The text of a raw `PRIVMSG target :text` line, or `None` if the line is another verb.
pub fn privmsg_text(line: &[u8]) -> Option<&[u8]> {
    let rest = skip_prefix(line);
    let after_verb = rest.strip_prefix(b"PRIVMSG ")?;
    let after_verb = trim_spaces(after_verb);
    let space = after_verb.iter().position(|&b| b == b' ')?;
    let text = trim_spaces(&after_verb[space..]);
    Some(text.strip_prefix(b":").unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_padding() {
        let p = Payload {
            run: 42,
            sender: 7,
            seq: 123_456,
            sent_ns: 987_654_321_000,
        };
        let mut out = Vec::new();
        p.encode_into(64, &mut out);
        assert_eq!(out.len(), 64);
        assert_eq!(Payload::decode(&out), Some(p));
        let mut short = Vec::new();
        p.encode_into(0, &mut short);
        assert_eq!(short, b"lb 42 7 123456 987654321000");
        assert_eq!(Payload::decode(&short), Some(p));
    }

    #[test]
    fn refuses_other_text() {
        assert_eq!(Payload::decode(b"hello there"), None);
        assert_eq!(Payload::decode(b"lb 9 1 2"), None);
        assert_eq!(Payload::decode(b"lb 9 1 -2 3"), None);
        assert_eq!(Payload::decode(b"lb 9 1 2 99999999999999999999999"), None);
        assert_eq!(Payload::decode(b"lb 9 99999999999 2 3"), None);
        assert_eq!(Payload::decode(b"lb 99999999999 1 2 3"), None);
    }

    #[test]
    fn finds_the_text_of_a_privmsg() {
        let line = b"@time=x :b1!u@h PRIVMSG #bench :lb 1 2 3 ...";
        assert_eq!(privmsg_text(line), Some(&b"lb 1 2 3 ..."[..]));
        assert_eq!(privmsg_text(b"PRIVMSG #c word"), Some(&b"word"[..]));
        assert_eq!(privmsg_text(b":s NOTICE #c :lb 1 2 3"), None);
        assert_eq!(privmsg_text(b":s PRIVMSG"), None);
    }

    #[test]
    fn finds_the_verb() {
        assert_eq!(verb_of(b":irc.x 001 b1 :Welcome"), b"001");
        assert_eq!(verb_of(b"PING :token"), b"PING");
        assert_eq!(verb_of(b"@a=b :src  JOIN #c"), b"JOIN");
        assert_eq!(verb_of(b":only-source"), b"");
    }
}
