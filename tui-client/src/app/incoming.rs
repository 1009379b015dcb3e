//! What the client does with each line the server sends: registration, channel traffic,
//! membership and topic changes, and numeric replies (errors go to `numerics`).

use chrono::{DateTime, Local};
use shared::Message;
use shared::names::{irc_eq, irc_lower, is_channel_name};

use super::{App, Quit};
use crate::buffer::{BufferKind, Line, LineKind};
use crate::sanitize::plain;

impl App {
    /// Dispatches one server message.
    pub(super) fn on_server(&mut self, msg: Message) -> Vec<Message> {
        let Some(msg) = self.hold_if_batched(msg) else {
            return Vec::new();
        };
        let time = self.stamp(&msg);
        let from = msg.source_nick().to_string();
        let me = irc_eq(&from, &self.nick);
        match msg.verb().as_str() {
            "PING" => return vec![Message::new("PONG", vec![msg.param(0).to_string()])],
            "PONG" => {
                if let Some(sent) = self.ping_sent.take() {
                    // Redraw only when the shown figure (tenths of a second) changes, so an
                    // idle chat stays quiet for tmux's monitor-activity.
                    let lag = self.now() - sent;
                    let tenths = |l: chrono::TimeDelta| l.num_milliseconds() / 100;
                    if self.lag.map(tenths) != Some(tenths(lag)) {
                        self.dirty = true;
                    }
                    self.lag = Some(lag);
                }
            }
            "CAP" => return self.on_cap(&msg),
            "001" => {
                self.nick = msg.param(0).to_string();
                self.wanted_nick = self.nick.clone();
                self.note(0, LineKind::Info, msg.param(1));
                return self.on_registered();
            }
            "005" => self.on_isupport(&msg),
            "433" | "432" if !self.registered => return self.next_nick(&msg),
            "464" => {
                self.quit = Some(Quit::Refused(
                    "wrong or missing server password (give it with --password)".into(),
                ));
            }
            "ERROR" => {
                let text = plain(msg.param(0));
                if !self.ever_registered {
                    self.quit = Some(Quit::Refused(format!("the server refused us: {text}")));
                } else {
                    self.note(0, LineKind::Error, format!("Server: {text}"));
                }
            }
            "JOIN" => self.on_join(&msg, &from, me, time),
            "PART" => {
                let Some(i) = self.find(msg.param(0)) else {
                    return Vec::new();
                };
                let reason = reason_suffix(msg.param(1));
                if me {
                    self.buffers[i].joined = false;
                    self.buffers[i].members.clear();
                    self.event(
                        i,
                        time,
                        LineKind::Part,
                        format!("You left {}{reason}", msg.param(0)),
                    );
                } else {
                    self.buffers[i].remove_member(&from);
                    let text = format!("{from} left{reason}");
                    self.event(i, time, LineKind::Part, text);
                }
            }
            "QUIT" => {
                let text = format!("{from} quit{}", reason_suffix(msg.param(0)));
                for i in 0..self.buffers.len() {
                    let b = &mut self.buffers[i];
                    if b.remove_member(&from) || (b.kind == BufferKind::Query && b.is(&from)) {
                        self.event(i, time, LineKind::Part, text.clone());
                    }
                }
            }
            "KICK" => {
                let Some(i) = self.find(msg.param(0)) else {
                    return Vec::new();
                };
                let victim = msg.param(1).to_string();
                let reason = reason_suffix(msg.param(2));
                self.buffers[i].remove_member(&victim);
                let text = if irc_eq(&victim, &self.nick) {
                    self.buffers[i].joined = false;
                    self.buffers[i].members.clear();
                    format!("You were kicked by {from}{reason}")
                } else {
                    format!("{victim} was kicked by {from}{reason}")
                };
                self.stored_event(i, &msg, time, LineKind::Part, text);
            }
            "NICK" => self.on_nick(&from, msg.param(0), time),
            "TOPIC" => {
                let i = self.open(msg.param(0));
                self.buffers[i].topic = msg.param(1).to_string();
                let text = format!("{from} changed the topic to: {}", msg.param(1));
                self.stored_event(i, &msg, time, LineKind::Info, text);
            }
            "MODE" => self.on_mode(&msg, &from, time),
            "PRIVMSG" | "NOTICE" => {
                if let Some((index, line)) = self.chat_line(&msg, &from, time) {
                    self.push_line(index, line);
                }
            }
            "BATCH" => return self.on_batch(&msg),
            "FAIL" => self.on_fail(&msg),
            "INVITE" => {
                let text = format!("{from} invites you to {} (/join {0})", msg.param(1));
                self.note_here(LineKind::Info, text);
            }
            verb if shared::numeric::is_numeric(verb) => self.on_numeric(&msg, time),
            _ => {}
        }
        Vec::new()
    }

    /// The line's time: the `server-time` tag when present and valid, else now.
    pub(super) fn stamp(&self, msg: &Message) -> DateTime<Local> {
        msg.tag("time")
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Local))
            .unwrap_or_else(|| self.now())
    }

    /// Appends an event line (join, part, info) stamped `time`.
    pub(super) fn event(&mut self, i: usize, time: DateTime<Local>, kind: LineKind, text: String) {
        self.push_line(i, Line::new(time, kind, text));
    }

    /// An event the server keeps in its history (topic change, kick): with its `msgid`, so
    /// the replayed copy after a reconnect is known as the same one.
    fn stored_event(
        &mut self,
        i: usize,
        msg: &Message,
        time: DateTime<Local>,
        kind: LineKind,
        text: String,
    ) {
        let mut line = Line::new(time, kind, text);
        line.msgid = msg.tag("msgid").map(str::to_string);
        self.push_line(i, line);
    }

    fn on_join(&mut self, msg: &Message, from: &str, me: bool, time: DateTime<Local>) {
        let channel = msg.param(0).to_string();
        let i = self.open(&channel);
        if me {
            self.buffers[i].joined = true;
            self.buffers[i].members.clear();
            let folded = irc_lower(&channel);
            if let Some(pos) = self.requested_joins.iter().position(|c| *c == folded) {
                self.requested_joins.remove(pos);
                self.switch_to(i);
            }
            self.event(i, time, LineKind::Join, format!("You joined {channel}"));
        } else {
            self.buffers[i].add_member(from, "");
            self.event(i, time, LineKind::Join, format!("{from} joined"));
        }
    }

    fn on_nick(&mut self, from: &str, new: &str, time: DateTime<Local>) {
        let me = irc_eq(from, &self.nick);
        if me {
            self.nick = new.to_string();
            self.wanted_nick = new.to_string();
            self.dirty = true;
        }
        let text = if me {
            format!("You are now known as {new}")
        } else {
            format!("{from} is now known as {new}")
        };
        for i in 0..self.buffers.len() {
            let b = &mut self.buffers[i];
            let in_it = match b.member_mut(from) {
                Some(m) => {
                    m.nick = new.to_string();
                    true
                }
                None => false,
            };
            if in_it {
                b.sort_members();
            }
            if b.kind == BufferKind::Query && b.is(from) {
                b.name = new.to_string();
            }
            if in_it || (me && i == 0) {
                self.event(i, time, LineKind::Info, text.clone());
            }
        }
    }

    fn on_mode(&mut self, msg: &Message, from: &str, time: DateTime<Local>) {
        let target = msg.param(0);
        let change = super::params_from(msg, 1).join(" ");
        if !is_channel_name(target) {
            self.note(0, LineKind::Info, format!("Mode {change} for {target}"));
            return;
        }
        let i = self.open(target);
        let mut args = msg.params.iter().skip(2);
        let mut adding = true;
        for c in msg.param(1).chars() {
            match c {
                '+' => adding = true,
                '-' => adding = false,
                'l' if adding => {
                    self.buffers[i].limit = args.next().and_then(|n| n.parse().ok());
                }
                'l' => self.buffers[i].limit = None,
                'k' | 'b' | 'e' | 'I' => {
                    args.next();
                }
                mode if self.prefixes.iter().any(|(m, _)| *m == mode) => {
                    let Some(nick) = args.next() else { continue };
                    if let Some(member) = self.buffers[i].member_mut(nick) {
                        member.modes.retain(|m| m != mode);
                        if adding {
                            member.modes.push(mode);
                        }
                    }
                    self.buffers[i].sort_members();
                }
                _ => {}
            }
        }
        let who = if from.is_empty() { "The server" } else { from };
        self.event(i, time, LineKind::Info, format!("{who} sets mode {change}"));
    }

    /// The buffer (opened if needed) and line for a PRIVMSG or NOTICE; `None` for CTCP
    /// requests other than `/me`, which are not shown.
    pub(super) fn chat_line(
        &mut self,
        msg: &Message,
        from: &str,
        time: DateTime<Local>,
    ) -> Option<(usize, Line)> {
        let target = msg.param(0);
        let mut text = msg.param(1).to_string();
        let notice = msg.verb() == "NOTICE";
        let from_server = !msg.source.as_deref().unwrap_or("").contains('!');
        let mut kind = if notice {
            LineKind::Notice
        } else {
            LineKind::Message
        };
        if let Some(ctcp) = text.strip_prefix('\x01') {
            let ctcp = ctcp.strip_suffix('\x01').unwrap_or(ctcp);
            match ctcp.split_once(' ') {
                Some(("ACTION", action)) => {
                    kind = LineKind::Action;
                    text = action.to_string();
                }
                _ if ctcp == "ACTION" => {
                    kind = LineKind::Action;
                    text = String::new();
                }
                _ => return None, // other CTCP requests are not shown
            }
        }
        // A channel message, or our own private message echoed back: the target's buffer.
        let index = if is_channel_name(target) || irc_eq(from, &self.nick) {
            self.open(target)
        } else if from_server || (notice && self.find(from).is_none()) {
            if self.registered { self.active } else { 0 }
        } else {
            self.open(from)
        };
        let private = !is_channel_name(target) && !from_server;
        let mention = !irc_eq(from, &self.nick) && (private || mentions(&text, &self.nick));
        let mut line = Line::new(time, kind, text).by(from);
        line.mention = mention;
        line.msgid = msg.tag("msgid").map(str::to_string);
        Some((index, line))
    }
}

/// `" (reason)"`, or nothing when the reason is empty.
fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    }
}

/// Does `text` mention `nick` as a whole word (case-insensitively)?
pub fn mentions(text: &str, nick: &str) -> bool {
    if nick.is_empty() {
        return false;
    }
    let text = irc_lower(text);
    let nick = irc_lower(nick);
    let is_nick_char = |c: char| c.is_ascii_alphanumeric() || "[]\\`_^{|}-".contains(c);
    text.match_indices(&nick).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + nick.len()..].chars().next();
        !before.is_some_and(is_nick_char) && !after.is_some_and(is_nick_char)
    })
}
