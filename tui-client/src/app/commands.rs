//! Carrying out what the user typed: plain text goes to the buffer in view, slash commands
//! become IRC messages or local actions. Long text is split below the 512-byte line limit.

use shared::Message;
use shared::names::is_channel_name;

use super::{App, Quit};
use crate::buffer::{BufferKind, Line, LineKind};
use crate::commands::{Command, parse};
use crate::split::{split_text, text_budget};

impl App {
    /// Enter: takes the input line and carries it out.
    pub(super) fn submit(&mut self) -> Vec<Message> {
        let text = self.input.submit();
        if text.trim().is_empty() {
            return Vec::new();
        }
        match parse(&text) {
            Ok(command) => self.execute(command),
            Err(sentence) => {
                self.note_here(LineKind::Error, sentence);
                Vec::new()
            }
        }
    }

    /// Sends `/quit` (when online) and asks the UI loop to stop.
    pub(super) fn quit_with(&mut self, reason: Option<String>) -> Vec<Message> {
        self.quit = Some(Quit::User);
        let reason = reason.unwrap_or_else(|| "lanchat".to_string());
        if self.online() {
            vec![Message::new("QUIT", vec![reason])]
        } else {
            Vec::new()
        }
    }

    fn execute(&mut self, command: Command) -> Vec<Message> {
        let here = self.current().name.clone();
        let in_channel = self.current().kind == BufferKind::Channel;
        let channel_or = |c: Option<String>| c.unwrap_or_else(|| here.clone());
        match command {
            Command::Say(text) => self.say(self.active, &text, false),
            Command::Me(text) => self.say(self.active, &text, true),
            Command::Msg { target, text } => {
                let index = if is_channel_name(&target) {
                    self.find(&target)
                } else {
                    Some(self.open(&target))
                };
                match index {
                    Some(i) => self.say(i, &text, false),
                    None => {
                        let msg = Message::new("PRIVMSG", vec![target, text]);
                        self.send_or_queue(msg)
                    }
                }
            }
            Command::Query { nick, text } => {
                let i = self.open(&nick);
                self.switch_to(i);
                match text {
                    Some(text) => self.say(i, &text, false),
                    None => Vec::new(),
                }
            }
            Command::Join { channels, key } => {
                // "/join lab" means #lab: the only channel type this server has.
                let channels = channels
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(|c| {
                        if is_channel_name(c) {
                            c.to_string()
                        } else {
                            format!("#{c}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                for chan in channels.split(',') {
                    self.requested_joins.push(shared::names::irc_lower(chan));
                    if let Some(i) = self.find(chan) {
                        self.switch_to(i);
                    }
                }
                let mut params = vec![channels];
                params.extend(key);
                self.send_or_queue(Message::new("JOIN", params))
            }
            Command::Part { channel, reason } => {
                let channel = channel_or(channel);
                if !is_channel_name(&channel) {
                    return self.usage_error("/part works in a channel, or name one: /part #lab");
                }
                if let Some(i) = self.find(&channel) {
                    self.buffers[i].joined = false;
                }
                let mut params = vec![channel];
                params.extend(reason);
                self.send_or_queue(Message::new("PART", params))
            }
            Command::Nick(nick) => {
                self.wanted_nick = nick.clone();
                self.send_or_queue(Message::new("NICK", vec![nick]))
            }
            Command::Topic { channel, text } => {
                let channel = channel_or(channel);
                let mut params = vec![channel];
                params.extend(text);
                self.send_or_queue(Message::new("TOPIC", params))
            }
            Command::Names(channel) => {
                let channel = channel_or(channel);
                self.names_requested = true;
                self.send_or_queue(Message::new("NAMES", vec![channel]))
            }
            Command::List => self.send_or_queue(Message::new("LIST", vec![])),
            Command::Whois(nick) => self.send_or_queue(Message::new("WHOIS", vec![nick])),
            Command::Away(reason) => {
                self.away = reason.clone();
                self.dirty = true;
                self.send_or_queue(Message::new("AWAY", reason.into_iter().collect()))
            }
            Command::Kick { nick, reason } => {
                if !in_channel {
                    return self.usage_error("/kick works in a channel");
                }
                let mut params = vec![here, nick];
                params.extend(reason);
                self.send_or_queue(Message::new("KICK", params))
            }
            Command::Mode(mut words) => {
                let first = words.first().map(String::as_str).unwrap_or("");
                if first.starts_with('+') || first.starts_with('-') {
                    words.insert(0, here);
                }
                self.send_or_queue(Message::new("MODE", words))
            }
            Command::PrefixMode { mode, nicks } => {
                if !in_channel {
                    return self.usage_error("/op, /deop and /voice work in a channel");
                }
                let letters = format!("{}{}", &mode[..1], mode[1..].repeat(nicks.len()));
                let mut params = vec![here, letters];
                params.extend(nicks);
                self.send_or_queue(Message::new("MODE", params))
            }
            Command::Invite { nick, channel } => {
                let channel = channel_or(channel);
                self.send_or_queue(Message::new("INVITE", vec![nick, channel]))
            }
            Command::Close => self.close_current(),
            Command::Clear => {
                let buffer = &mut self.buffers[self.active];
                // Their ids stay known, so a replay after a reconnect does not bring them back.
                buffer.lines.clear();
                buffer.scroll = 0;
                self.dirty = true;
                Vec::new()
            }
            Command::Raw(line) => match Message::parse(&line) {
                Ok(msg) => self.send_or_queue(msg),
                Err(e) => self.usage_error(&format!("Not a valid IRC line: {e}")),
            },
            Command::Help(None) => {
                self.show_help = true;
                self.dirty = true;
                Vec::new()
            }
            Command::Help(Some(name)) => {
                let text = crate::commands::usage(&name)
                    .unwrap_or_else(|| format!("No command {name}; /help lists them all"));
                self.note_here(LineKind::Info, text);
                Vec::new()
            }
            Command::Quit(reason) => self.quit_with(reason),
        }
    }

    fn usage_error(&mut self, text: &str) -> Vec<Message> {
        self.note_here(LineKind::Error, text);
        Vec::new()
    }

    /// `/close`: parts a joined channel and removes the buffer; the server buffer stays.
    fn close_current(&mut self) -> Vec<Message> {
        if self.active == 0 {
            return self.usage_error("The server buffer cannot be closed; /quit leaves lanchat");
        }
        let buffer = self.buffers.remove(self.active);
        let target = self.active.min(self.buffers.len() - 1);
        self.switch_to(target);
        if buffer.kind == BufferKind::Channel && buffer.joined {
            self.send_or_queue(Message::new("PART", vec![buffer.name]))
        } else {
            Vec::new()
        }
    }

    /// Says `text` in buffer `index` (a `/me` action when `action`), split into pieces that fit
    /// in one IRC line.
    fn say(&mut self, index: usize, text: &str, action: bool) -> Vec<Message> {
        let buffer = &self.buffers[index];
        if buffer.kind == BufferKind::Server {
            return self
                .usage_error("This is the server buffer: /join #channel or /query nick first");
        }
        if buffer.kind == BufferKind::Channel && !buffer.joined {
            let text = format!("You are not in {0}: /join {0} first", buffer.name);
            return self.usage_error(&text);
        }
        let target = buffer.name.clone();
        let mut out = Vec::new();
        for piece in split_text(text, text_budget(&target, &self.nick)) {
            let (body, kind) = if action {
                (format!("\x01ACTION {piece}\x01"), LineKind::Action)
            } else {
                (piece.clone(), LineKind::Message)
            };
            let msg = Message::new("PRIVMSG", vec![target.clone(), body]);
            let line = Line::new(self.now(), kind, piece).by(self.nick.clone());
            out.extend(self.send_chat(index, msg, line));
        }
        out
    }

    /// Like [`App::say`] but always through the paced outbox (pasted lines).
    pub(super) fn say_queued(&mut self, index: usize, text: &str) -> Vec<Message> {
        if self.buffers[index].kind == BufferKind::Server {
            return self
                .usage_error("This is the server buffer: /join #channel or /query nick first");
        }
        let target = self.buffers[index].name.clone();
        for piece in split_text(text, text_budget(&target, &self.nick)) {
            let mut line =
                Line::new(self.now(), LineKind::Message, piece.clone()).by(self.nick.clone());
            line.queued = true;
            self.push_line(index, line);
            self.outbox
                .push_back(Message::new("PRIVMSG", vec![target.clone(), piece]));
        }
        Vec::new()
    }
}
