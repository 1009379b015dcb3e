//! `LineReader`: splits a client's byte stream into lines, with a fixed-size buffer so a
//! client that never sends a newline cannot make the server use more memory. Used by sessions.

use std::io::{self, Read};

/// Most bytes buffered without a newline before the client is disconnected. A valid line is at
/// most 4096 bytes of tags plus a 512-byte body, so this leaves room for two.
pub const MAX_BUFFERED: usize = 8 * 1024;

/// What the reader found in the buffer.
pub enum Next<'a> {
    /// One line, without its LF (a CR before the LF is also removed).
    Line(&'a [u8]),
    /// No complete line is buffered; read more.
    NeedMore,
    /// The buffer is full and holds no newline: the client is misbehaving.
    Overflow,
}

/// Bytes a new connection's buffer starts with: enough for typical lines. It doubles when a
/// longer line arrives, up to [`MAX_BUFFERED`]; idle connections stay small (BENCHMARKS.md).
const INITIAL_BUFFER: usize = 1024;

/// A line splitter over any reader.
pub struct LineReader {
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Default for LineReader {
    fn default() -> Self {
        LineReader {
            buf: vec![0; INITIAL_BUFFER],
            start: 0,
            end: 0,
        }
    }
}

impl LineReader {
    /// The next complete line already in the buffer, if any. Never reads.
    pub fn next_line(&mut self) -> Next<'_> {
        let pending = &self.buf[self.start..self.end];
        match pending.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let line_start = self.start;
                self.start += i + 1;
                let mut line = &self.buf[line_start..line_start + i];
                if let [rest @ .., b'\r'] = line {
                    line = rest;
                }
                Next::Line(line)
            }
            None if pending.len() == MAX_BUFFERED => Next::Overflow,
            None => Next::NeedMore,
        }
    }

    /// Does the buffer hold the start of another line (but not a full one)?
    pub fn has_partial(&self) -> bool {
        self.start < self.end
    }

    /// Reads more bytes from `source` (blocking, as the socket's timeout allows).
    /// Returns 0 at end of stream.
    pub fn fill(&mut self, source: &mut impl Read) -> io::Result<usize> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let bigger = (self.buf.len() * 2).min(MAX_BUFFERED);
            self.buf.resize(bigger, 0);
        }
        let n = source.read(&mut self.buf[self.end..])?;
        self.end += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(reader: &mut LineReader) -> Vec<String> {
        let mut out = Vec::new();
        while let Next::Line(l) = reader.next_line() {
            out.push(String::from_utf8_lossy(l).into_owned());
        }
        out
    }

    #[test]
    fn splits_crlf_and_lf_and_keeps_partial_lines() {
        let mut r = LineReader::default();
        let mut input: &[u8] = b"NICK a\r\nUSER a 0 * :A\nJOI";
        r.fill(&mut input).unwrap();
        assert_eq!(lines(&mut r), vec!["NICK a", "USER a 0 * :A"]);
        assert!(r.has_partial());
        let mut more: &[u8] = b"N #x\r\n";
        r.fill(&mut more).unwrap();
        assert_eq!(lines(&mut r), vec!["JOIN #x"]);
    }

    #[test]
    fn grows_for_long_lines_and_reports_overflow_without_newline() {
        let mut r = LineReader::default();
        let long = format!("{}\n", "b".repeat(3000));
        let mut input: &[u8] = long.as_bytes();
        while !matches!(r.next_line(), Next::Line(_)) {
            r.fill(&mut input).unwrap();
        }
        let big = vec![b'a'; MAX_BUFFERED + 10];
        let mut input: &[u8] = &big;
        while matches!(r.next_line(), Next::NeedMore) {
            r.fill(&mut input).unwrap();
        }
        assert!(matches!(r.next_line(), Next::Overflow));
    }
}
