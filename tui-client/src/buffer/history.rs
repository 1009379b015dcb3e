//! A buffer's side of server-side history: where paging back stands ([`Older`]), and
//! merging replayed lines among the live ones by time without showing a message twice.

use chrono::TimeDelta;

use super::{Buffer, Line};

/// How far apart our own clock and the server's may put the same message: classroom machines'
/// clocks are often minutes off.
const SAME_MESSAGE_WINDOW: TimeDelta = TimeDelta::minutes(10);

/// Where paging back through a channel's server-side history stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Older {
    /// Older messages may exist; scrolling past the top asks for them.
    MayExist,
    /// A `CHATHISTORY BEFORE` request is on its way; the view shows a loading marker.
    Loading,
    /// The server said there is nothing older; the view shows where history begins.
    NoMore,
    /// The server refused the request; asking again would only fail again.
    Failed,
}

impl Buffer {
    /// The `msgid` of the oldest line that has one: where paging back continues from.
    pub fn oldest_msgid(&self) -> Option<&str> {
        self.lines.iter().find_map(|l| l.msgid.as_deref())
    }

    /// Merges replayed `lines` (in the server's order, oldest first) among the lines already
    /// here, skipping those whose `msgid` is already present. A replayed line already here
    /// pins where the following ones go (just after it); otherwise a line goes before the
    /// first line that is not older, so history lands above the live lines that followed it
    /// (times are often equal to the millisecond, so the server's order must win over them).
    /// Returns how many were added and how many of those went below some line that was
    /// already here (rather than above them all).
    pub fn insert_history(&mut self, lines: Vec<Line>) -> (usize, usize) {
        let (mut added, mut below) = (0, 0);
        // Lines before `cursor` come before the next replayed line in any case.
        let mut cursor = 0;
        for line in lines {
            if let Some(id) = &line.msgid
                && self.msgids.contains(id)
            {
                if let Some(at) = self.position_of(id) {
                    cursor = cursor.max(at + 1);
                }
                continue;
            }
            if let Some(at) = self.claim_id(&line, cursor) {
                cursor = at + 1;
                continue;
            }
            self.remember(&line);
            let at = self.lines[cursor..]
                .iter()
                .position(|e| e.time >= line.time)
                .map_or(self.lines.len(), |offset| cursor + offset);
            // Above everything that was here: only replayed lines before it.
            if at > added {
                below += 1;
            }
            self.lines.insert(at, line);
            added += 1;
            cursor = at + 1;
        }
        self.trim();
        (added, below)
    }

    /// Index of the line with this `msgid`.
    fn position_of(&self, id: &str) -> Option<usize> {
        self.lines
            .iter()
            .position(|l| l.msgid.as_deref() == Some(id))
    }

    /// Is replayed `line` one shown here (at `from` or later) without an id: what we said
    /// ourselves, a topic change seen live? Then that line takes its id and its index is
    /// returned: same sender, same text, close in time, seen live before.
    fn claim_id(&mut self, line: &Line, from: usize) -> Option<usize> {
        let id = line.msgid.as_ref()?;
        let at = self.lines.get(from..)?.iter().position(|e| {
            e.msgid.is_none()
                && !e.queued
                && e.kind == line.kind
                && shared::names::irc_eq(&e.nick, &line.nick)
                && e.text == line.text
                && (e.time - line.time).abs() <= SAME_MESSAGE_WINDOW
        })? + from;
        self.lines[at].msgid = Some(id.clone());
        self.msgids.insert(id.clone());
        Some(at)
    }
}
