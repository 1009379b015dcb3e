//! The connection's life as the `App` sees it: registration after connecting, what happens
//! when the link drops (nothing typed is lost), rejoining after `001`, lag pings, and the paced
//! outbox that holds pasted lines and everything typed while offline.

use shared::Message;

use super::{App, ConnState, PACE, PING_EVERY};
use crate::buffer::{BufferKind, Line, LineKind};

impl App {
    /// A new connection: start registration (CAP negotiation, PASS, NICK, USER).
    pub(super) fn on_connected(&mut self) -> Vec<Message> {
        self.conn = ConnState::Registering;
        self.registered = false;
        self.nick_attempt = 0;
        self.cap_ls.clear();
        self.caps.clear();
        self.dirty = true;
        self.note(
            0,
            LineKind::Info,
            format!("Connected to {}", self.settings.server),
        );
        let mut out = vec![Message::new("CAP", vec!["LS".into(), "302".into()])];
        if let Some(password) = &self.settings.password {
            out.push(Message::new("PASS", vec![password.clone()]));
        }
        out.push(Message::new("NICK", vec![self.wanted_nick.clone()]));
        out.push(Message::new(
            "USER",
            vec![
                self.wanted_nick.clone(),
                "0".into(),
                "*".into(),
                "lanchat user".into(),
            ],
        ));
        out
    }

    /// The connection dropped: say so, keep every channel for the rejoin, and take back what
    /// the send thread could not write so it goes out after the reconnect.
    pub(super) fn on_lost(&mut self, reason: String, unsent: Vec<Message>) -> Vec<Message> {
        if !matches!(self.conn, ConnState::Lost(_)) {
            let text = format!("Disconnected: {reason}. Reconnecting...");
            for i in 0..self.buffers.len() {
                if i == 0 || self.buffers[i].joined {
                    self.note(i, LineKind::Error, text.clone());
                }
            }
        }
        self.conn = ConnState::Lost(reason);
        self.registered = false;
        self.lag = None;
        self.ping_sent = None;
        for buffer in &mut self.buffers {
            buffer.members.clear();
        }
        self.forget_history_requests();
        self.requeue(unsent);
        self.dirty = true;
        Vec::new()
    }

    /// Puts messages that never reached the server back at the front of the outbox, except
    /// those the next registration sends again by itself.
    pub(super) fn requeue(&mut self, unsent: Vec<Message>) {
        let resend = unsent.into_iter().filter(|m| {
            !matches!(
                m.verb().as_str(),
                "CAP" | "PASS" | "NICK" | "USER" | "PING" | "PONG" | "JOIN" | "AWAY" | "QUIT"
            )
        });
        for (i, msg) in resend.enumerate() {
            self.outbox.insert(i, msg);
        }
    }

    /// Registration finished (`001`): rejoin channels, restore away, let the queue flow.
    pub(super) fn on_registered(&mut self) -> Vec<Message> {
        self.conn = ConnState::Online;
        self.registered = true;
        let mut channels: Vec<String> = self
            .buffers
            .iter()
            .filter(|b| b.kind == BufferKind::Channel && b.joined)
            .map(|b| b.name.clone())
            .collect();
        if !self.ever_registered {
            // The first autojoined channel comes into view; the others wait in the list.
            if let Some(first) = self.settings.autojoin.first() {
                self.requested_joins.push(shared::names::irc_lower(first));
            }
            for chan in &self.settings.autojoin {
                if !channels.iter().any(|c| shared::names::irc_eq(c, chan)) {
                    channels.push(chan.clone());
                }
            }
        }
        self.ever_registered = true;
        let mut out = Vec::new();
        if !channels.is_empty() {
            out.push(Message::new("JOIN", vec![channels.join(",")]));
        }
        if let Some(away) = &self.away {
            out.push(Message::new("AWAY", vec![away.clone()]));
        }
        out
    }

    /// Time passes: measure lag now and then.
    pub(super) fn on_tick(&mut self) -> Vec<Message> {
        let now = self.now();
        if !self.online() || self.ping_sent.is_some() {
            return Vec::new();
        }
        if self.last_ping.is_some_and(|t| now - t < PING_EVERY) {
            return Vec::new();
        }
        self.last_ping = Some(now);
        self.ping_sent = Some(now);
        vec![Message::new("PING", vec!["lanchat-lag".into()])]
    }

    /// Sends a chat message now when nothing is waiting, else queues it behind the others.
    /// The line shows at once, marked queued until it really goes out.
    pub(super) fn send_chat(&mut self, index: usize, msg: Message, mut line: Line) -> Vec<Message> {
        if self.online() && self.outbox.is_empty() {
            self.push_line(index, line);
            vec![msg]
        } else {
            line.queued = true;
            self.push_line(index, line);
            self.outbox.push_back(msg);
            Vec::new()
        }
    }

    /// Sends a command message now when online, else queues it.
    pub(super) fn send_or_queue(&mut self, msg: Message) -> Vec<Message> {
        if self.online() && self.outbox.is_empty() {
            vec![msg]
        } else {
            self.outbox.push_back(msg);
            self.dirty = true;
            Vec::new()
        }
    }

    /// Releases at most one queued message per [`PACE`] while online.
    pub(super) fn pump_outbox(&mut self) -> Vec<Message> {
        if !self.online() || self.outbox.is_empty() {
            return Vec::new();
        }
        let now = self.now();
        if self.last_paced.is_some_and(|t| now - t < PACE) {
            return Vec::new();
        }
        self.last_paced = Some(now);
        let Some(msg) = self.outbox.pop_front() else {
            return Vec::new();
        };
        // Lines of one buffer leave in order, so the oldest queued line is this one.
        if (msg.verb() == "PRIVMSG" || msg.verb() == "NOTICE")
            && let Some(i) = self.find(msg.param(0))
            && let Some(line) = self.buffers[i].lines.iter_mut().find(|l| l.queued)
        {
            line.queued = false;
        }
        self.dirty = true;
        vec![msg]
    }
}
