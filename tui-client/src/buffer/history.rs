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

    /// Merges replayed `lines` (ascending time) among the lines already here by time, skipping
    /// those whose `msgid` is already present. Each goes after every line that is not newer,
    /// so history lands above the live lines that followed it. Returns how many were added
    /// and how many of those went below some existing line (rather than above them all).
    pub fn insert_history(&mut self, lines: Vec<Line>) -> (usize, usize) {
        let mut fresh: Vec<Line> = Vec::new();
        for line in lines {
            if self.claim_id(&line) {
                continue;
            }
            if self.remember(&line) {
                fresh.push(line);
            }
        }
        fresh.sort_by_key(|l| l.time); // stable: equal times keep the server's order
        let added = fresh.len();
        let old = std::mem::take(&mut self.lines);
        let mut merged = Vec::with_capacity(old.len() + added);
        let mut old = old.into_iter().peekable();
        let mut below = 0;
        let mut passed_existing = false;
        for line in fresh {
            while let Some(existing) = old.next_if(|e| e.time <= line.time) {
                merged.push(existing);
                passed_existing = true;
            }
            if passed_existing {
                below += 1;
            }
            merged.push(line);
        }
        merged.extend(old);
        self.lines = merged;
        self.trim();
        (added, below)
    }

    /// Is replayed `line` one shown here without an id (what we said ourselves, a topic
    /// change seen live)? Then that line takes its id and true is returned: the same
    /// message, same sender, same text, close in time, seen live before.
    fn claim_id(&mut self, line: &Line) -> bool {
        let Some(id) = &line.msgid else {
            return false;
        };
        if self.msgids.contains(id) {
            return false;
        }
        let same = self.lines.iter_mut().find(|e| {
            e.msgid.is_none()
                && !e.queued
                && e.kind == line.kind
                && shared::names::irc_eq(&e.nick, &line.nick)
                && e.text == line.text
                && (e.time - line.time).abs() <= SAME_MESSAGE_WINDOW
        });
        match same {
            Some(existing) => {
                existing.msgid = Some(id.clone());
                self.msgids.insert(id.clone());
                true
            }
            None => false,
        }
    }
}
