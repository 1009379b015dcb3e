//! One chat buffer (the server log, a channel or a private chat): its lines, members, topic,
//! unread count and scroll position. Pure state, changed by `App` and read by the renderer.

use std::collections::HashSet;

use chrono::{DateTime, Local};
use shared::names::irc_lower;

pub use history::Older;

mod history;

/// How many lines a buffer keeps; older ones are dropped so memory stays bounded all day.
pub const MAX_LINES: usize = 2000;

/// What a buffer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BufferKind {
    /// Server notices, the MOTD, replies that belong nowhere else.
    Server,
    /// A `#channel`.
    Channel,
    /// A private conversation with one nick.
    Query,
}

/// What a line is, which decides its marker and style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A normal message from `nick`.
    Message,
    /// A `/me` action by `nick`.
    Action,
    /// A notice from `nick`.
    Notice,
    /// Someone joined (shown dimmed).
    Join,
    /// Someone left: part, quit or kick (shown dimmed).
    Part,
    /// Nick, topic and mode changes, server information (shown dimmed).
    Info,
    /// An error sentence.
    Error,
}

/// One line of a buffer, stored raw: the renderer sanitises and wraps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// When it was said (the `server-time` tag when present), in local time.
    pub time: DateTime<Local>,
    /// What kind of line this is.
    pub kind: LineKind,
    /// Who said it; empty for events and information.
    pub nick: String,
    /// The text, untrusted: it may hold mIRC codes and control characters.
    pub text: String,
    /// Does the text mention our nick?
    pub mention: bool,
    /// Typed while disconnected and not sent yet.
    pub queued: bool,
    /// The server's id for this message (`msgid` tag), used to drop repeats.
    pub msgid: Option<String>,
    /// Replayed from the server's history rather than seen live.
    pub history: bool,
}

impl Line {
    /// A line of `kind` with no nick, not a mention, not queued.
    pub fn new(time: DateTime<Local>, kind: LineKind, text: impl Into<String>) -> Line {
        Line {
            time,
            kind,
            nick: String::new(),
            text: text.into(),
            mention: false,
            queued: false,
            msgid: None,
            history: false,
        }
    }

    /// The same line said by `nick`.
    pub fn by(mut self, nick: impl Into<String>) -> Line {
        self.nick = nick.into();
        self
    }
}

/// One channel member with its channel modes (`o` operator, `v` voice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The member's nick.
    pub nick: String,
    /// Prefix mode letters the member holds, e.g. `"ov"`.
    pub modes: String,
}

impl Member {
    /// The highest prefix to show before the nick: `@`, `+` or nothing.
    pub fn prefix(&self) -> &'static str {
        if self.modes.contains('o') {
            "@"
        } else if self.modes.contains('v') {
            "+"
        } else {
            ""
        }
    }

    /// Sort key: operators, then voiced, then everyone, each alphabetical.
    fn rank(&self) -> (u8, String) {
        let rank = match self.prefix() {
            "@" => 0,
            "+" => 1,
            _ => 2,
        };
        (rank, irc_lower(&self.nick))
    }
}

/// One buffer of the client.
#[derive(Debug, Clone)]
pub struct Buffer {
    /// Channel name, nick of the other side, or the server address.
    pub name: String,
    /// Server, channel or query.
    pub kind: BufferKind,
    /// Lines, oldest first, at most [`MAX_LINES`].
    pub lines: Vec<Line>,
    /// Messages that arrived while the buffer was not in view.
    pub unread: usize,
    /// Did a line mention us while the buffer was not in view?
    pub mention: bool,
    /// Channel members, sorted operators first.
    pub members: Vec<Member>,
    /// Channel topic (untrusted text).
    pub topic: String,
    /// Are we in this channel right now? (Rejoined after a reconnect when true.)
    pub joined: bool,
    /// How many screen rows the view is scrolled up from the bottom; 0 follows new lines.
    pub scroll: usize,
    /// The channel's user limit (`+l`), when known.
    pub limit: Option<u32>,
    /// Members collected from `353` replies until `366` ends the list.
    pub names_in_progress: Option<Vec<Member>>,
    /// Whether older history can still be asked for (scrolling past the top line).
    pub older: Older,
    /// The `msgid`s of the lines held, so a message seen twice is shown once.
    msgids: HashSet<String>,
}

impl Buffer {
    /// An empty buffer.
    pub fn new(name: impl Into<String>, kind: BufferKind) -> Buffer {
        Buffer {
            name: name.into(),
            kind,
            lines: Vec::new(),
            unread: 0,
            mention: false,
            members: Vec::new(),
            topic: String::new(),
            joined: false,
            scroll: 0,
            limit: None,
            names_in_progress: None,
            older: Older::MayExist,
            msgids: HashSet::new(),
        }
    }

    /// Appends a line, dropping the oldest beyond [`MAX_LINES`]. Returns false (and keeps
    /// nothing) when a line with the same `msgid` is already here.
    pub fn push(&mut self, line: Line) -> bool {
        if !self.remember(&line) {
            return false;
        }
        self.lines.push(line);
        self.trim();
        true
    }

    /// Is a line with this `msgid` already here?
    pub fn has_msgid(&self, msgid: &str) -> bool {
        self.msgids.contains(msgid)
    }

    /// Records `line`'s `msgid`; false when it was already known.
    fn remember(&mut self, line: &Line) -> bool {
        match &line.msgid {
            Some(id) => self.msgids.insert(id.clone()),
            None => true,
        }
    }

    /// Drops the oldest lines beyond [`MAX_LINES`] (and forgets their ids).
    fn trim(&mut self) {
        if self.lines.len() > MAX_LINES {
            let extra = self.lines.len() - MAX_LINES;
            for line in self.lines.drain(..extra) {
                if let Some(id) = line.msgid {
                    self.msgids.remove(&id);
                }
            }
        }
    }

    /// Is this buffer named `name` (IRC case-insensitively)?
    pub fn is(&self, name: &str) -> bool {
        shared::names::irc_eq(&self.name, name)
    }

    /// The member called `nick`, if present.
    pub fn member_mut(&mut self, nick: &str) -> Option<&mut Member> {
        self.members
            .iter_mut()
            .find(|m| shared::names::irc_eq(&m.nick, nick))
    }

    /// Is `nick` a member?
    pub fn has_member(&self, nick: &str) -> bool {
        self.members
            .iter()
            .any(|m| shared::names::irc_eq(&m.nick, nick))
    }

    /// Adds `nick` (if absent) with `modes`, keeping the list sorted.
    pub fn add_member(&mut self, nick: &str, modes: &str) {
        if !self.has_member(nick) {
            self.members.push(Member {
                nick: nick.to_string(),
                modes: modes.to_string(),
            });
            self.sort_members();
        }
    }

    /// Removes `nick`; returns whether it was a member.
    pub fn remove_member(&mut self, nick: &str) -> bool {
        let before = self.members.len();
        self.members
            .retain(|m| !shared::names::irc_eq(&m.nick, nick));
        before != self.members.len()
    }

    /// Sorts members: operators, voiced, others; alphabetical within each group.
    pub fn sort_members(&mut self) {
        self.members.sort_by_key(Member::rank);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn history_is_bounded_and_members_sorted() {
        let time = Local
            .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
            .earliest()
            .unwrap();
        let mut buffer = Buffer::new("#lab", BufferKind::Channel);
        for i in 0..MAX_LINES + 10 {
            buffer.push(Line::new(time, LineKind::Message, i.to_string()));
        }
        assert_eq!(buffer.lines.len(), MAX_LINES);
        assert_eq!(buffer.lines[0].text, "10");
        buffer.add_member("zed", "");
        buffer.add_member("Amy", "v");
        buffer.add_member("bob", "o");
        buffer.add_member("BOB", "");
        let shown: Vec<String> = buffer
            .members
            .iter()
            .map(|m| format!("{}{}", m.prefix(), m.nick))
            .collect();
        assert_eq!(shown, ["@bob", "+Amy", "zed"]);
        assert!(buffer.remove_member("Zed"));
        assert!(!buffer.remove_member("zed"));
    }
}
