//! `App`: the whole state of the client and the one place it changes. `handle(Event)` takes an
//! event in and gives back the IRC messages to send; it knows nothing of terminals or sockets,
//! so tests drive it with plain events. Keys, server lines and commands live in submodules.

mod commands;
mod connection;
mod history;
mod incoming;
mod keys;
mod numerics;
mod registration;
mod replies;

use std::collections::VecDeque;

use chrono::{DateTime, Local, TimeDelta};
use shared::Message;

use crate::buffer::{Buffer, BufferKind, Line, LineKind};
use crate::event::Event;
use crate::input::InputLine;
use crate::theme::Theme;

/// Time between two queued messages (paste, queue after reconnect): slow enough for the
/// server's flood limit, fast enough that a 20-line paste takes a few seconds.
pub const PACE: TimeDelta = TimeDelta::milliseconds(400);

/// How often the client measures lag with a PING.
pub const PING_EVERY: TimeDelta = TimeDelta::seconds(30);

/// Parameters from `index` on; empty when there are fewer (server lines are untrusted).
fn params_from(msg: &Message, index: usize) -> &[String] {
    msg.params.get(index..).unwrap_or(&[])
}

/// Where the connection stands, shown in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnState {
    /// Waiting for the first connection.
    Connecting,
    /// Connected, NICK/USER sent, waiting for `001`.
    Registering,
    /// Registered: messages flow.
    Online,
    /// Connection lost; the network thread is reconnecting.
    Lost(String),
}

/// Why the UI loop should stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quit {
    /// The user asked (`/quit`, Ctrl-C).
    User,
    /// The server refused us for good (wrong password, server full): the sentence to print.
    Refused(String),
}

/// Whether the member list is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberPanel {
    /// Shown when the terminal is wide enough.
    Auto,
    /// Shown whenever it fits at all (toggled on with F2).
    Shown,
    /// Hidden (toggled off with F2).
    Hidden,
}

/// How the client was started.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Server address as given, shown as the server buffer's name.
    pub server: String,
    /// The nick we want.
    pub nick: String,
    /// Server password, if any.
    pub password: Option<String>,
    /// Channels to join after the first registration.
    pub autojoin: Vec<String>,
    /// Colours or not.
    pub theme: Theme,
}

/// Tab-completion state between two Tab presses.
#[derive(Debug, Clone)]
struct Completion {
    start: usize,
    candidates: Vec<String>,
    index: usize,
}

/// The client's state.
pub struct App {
    /// Server buffer first, then channels and queries in the order they were opened.
    pub buffers: Vec<Buffer>,
    /// Index of the buffer in view.
    pub active: usize,
    /// The line being typed.
    pub input: InputLine,
    /// Our nick as the server knows it.
    pub nick: String,
    /// Connection state for the status line.
    pub conn: ConnState,
    /// Last measured round trip.
    pub lag: Option<TimeDelta>,
    /// Our away message, restored after a reconnect.
    pub away: Option<String>,
    /// Lines of a multi-line paste waiting for confirmation.
    pub paste_prompt: Option<Vec<String>>,
    /// Member list visibility.
    pub members_panel: MemberPanel,
    /// Is the help overlay shown?
    pub show_help: bool,
    /// Terminal size (width, height).
    pub size: (u16, u16),
    /// Set when the UI loop should stop.
    pub quit: Option<Quit>,
    /// Set when the terminal bell should ring; the UI loop rings it and clears it.
    pub bell: bool,
    /// Set when something visible changed; the UI loop redraws and clears it.
    pub dirty: bool,
    /// Colours or not.
    pub theme: Theme,
    /// Where "now" comes from; tests put a fixed clock here.
    pub clock: fn() -> DateTime<Local>,
    /// Capabilities the server acknowledged.
    pub caps: Vec<String>,
    settings: Settings,
    wanted_nick: String,
    nick_attempt: u32,
    registered: bool,
    ever_registered: bool,
    cap_ls: Vec<String>,
    /// Mode letter -> prefix symbol pairs from ISUPPORT `PREFIX`, e.g. `('o', '@')`.
    prefixes: Vec<(char, char)>,
    /// Messages waiting to go out, one per [`PACE`]: pastes and what was typed offline.
    outbox: VecDeque<Message>,
    last_paced: Option<DateTime<Local>>,
    ping_sent: Option<DateTime<Local>>,
    last_ping: Option<DateTime<Local>>,
    /// Channels the user asked to join, so their buffers come into view when joined.
    requested_joins: Vec<String>,
    completion: Option<Completion>,
    /// Set by `/names` so the next complete member list is also printed.
    names_requested: bool,
    /// Open `BATCH`es and the server's `CHATHISTORY` limit.
    history: history::HistoryState,
}

impl App {
    /// A fresh client state with only the server buffer.
    pub fn new(settings: Settings) -> App {
        App {
            buffers: vec![Buffer::new(settings.server.clone(), BufferKind::Server)],
            active: 0,
            input: InputLine::default(),
            nick: settings.nick.clone(),
            conn: ConnState::Connecting,
            lag: None,
            away: None,
            paste_prompt: None,
            members_panel: MemberPanel::Auto,
            show_help: false,
            size: (80, 24),
            quit: None,
            bell: false,
            dirty: true,
            theme: settings.theme,
            clock: Local::now,
            caps: Vec::new(),
            wanted_nick: settings.nick.clone(),
            nick_attempt: 0,
            registered: false,
            ever_registered: false,
            cap_ls: Vec::new(),
            prefixes: vec![('o', '@'), ('v', '+')],
            outbox: VecDeque::new(),
            last_paced: None,
            ping_sent: None,
            last_ping: None,
            requested_joins: Vec::new(),
            completion: None,
            names_requested: false,
            history: history::HistoryState::default(),
            settings,
        }
    }

    /// Handles one event; returns the messages to send to the server, in order.
    pub fn handle(&mut self, event: Event) -> Vec<Message> {
        let mut out = match event {
            Event::Key(key) => self.on_key(key),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Paste(text) => self.on_paste(&text),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.dirty = true;
                Vec::new()
            }
            Event::Server(msg) => self.on_server(msg),
            Event::Connected(_) => self.on_connected(),
            Event::Lost { reason, unsent } => self.on_lost(reason, unsent),
            Event::Unsent(unsent) => {
                self.requeue(unsent);
                Vec::new()
            }
            Event::Tick => self.on_tick(),
        };
        out.extend(self.pump_outbox());
        out
    }

    /// The buffer in view.
    pub fn current(&self) -> &Buffer {
        &self.buffers[self.active]
    }

    /// Is the client registered and able to send?
    pub fn online(&self) -> bool {
        self.conn == ConnState::Online
    }

    /// How many messages wait in the outbox.
    pub fn queued(&self) -> usize {
        self.outbox.len()
    }

    /// The current time from [`App::clock`].
    pub fn now(&self) -> DateTime<Local> {
        (self.clock)()
    }

    /// Index of the buffer called `name`, if open.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.buffers.iter().position(|b| b.is(name))
    }

    /// Index of the buffer called `name`, opening it (channel or query by its name) if needed.
    pub fn open(&mut self, name: &str) -> usize {
        if let Some(i) = self.find(name) {
            return i;
        }
        let kind = if shared::names::is_channel_name(name) {
            BufferKind::Channel
        } else {
            BufferKind::Query
        };
        self.buffers.push(Buffer::new(name, kind));
        self.dirty = true;
        self.buffers.len() - 1
    }

    /// Brings buffer `index` into view and marks it read.
    pub fn switch_to(&mut self, index: usize) {
        if index < self.buffers.len() {
            self.active = index;
            self.buffers[index].unread = 0;
            self.buffers[index].mention = false;
            self.dirty = true;
        }
    }

    /// Appends `line` to buffer `index`, counting it unread and ringing the bell for a mention
    /// when the buffer is not in view (once, until it is viewed).
    pub fn push_line(&mut self, index: usize, line: Line) {
        let in_view = index == self.active;
        let Some(buffer) = self.buffers.get_mut(index) else {
            return;
        };
        if line.msgid.as_deref().is_some_and(|id| buffer.has_msgid(id)) {
            // Already shown (from a replay, or before a reconnect): not new, not unread.
            return;
        }
        let counts = matches!(
            line.kind,
            LineKind::Message | LineKind::Action | LineKind::Notice
        ) && !shared::names::irc_eq(&line.nick, &self.nick);
        if !in_view && counts {
            buffer.unread += 1;
            if line.mention && !buffer.mention {
                buffer.mention = true;
                self.bell = true;
            }
        }
        if buffer.scroll > 0 {
            // Keep the view still while the user reads older lines.
            buffer.scroll += 1;
        }
        buffer.push(line);
        self.dirty = true;
    }

    /// Appends an information line of `kind` to buffer `index`, stamped now.
    pub fn note(&mut self, index: usize, kind: LineKind, text: impl Into<String>) {
        let line = Line::new(self.now(), kind, text);
        self.push_line(index, line);
    }

    /// Appends an information line to the buffer in view.
    pub fn note_here(&mut self, kind: LineKind, text: impl Into<String>) {
        self.note(self.active, kind, text);
    }

    /// Is the member list visible at the current width?
    pub fn members_visible(&self) -> bool {
        let wide_enough = match self.members_panel {
            MemberPanel::Auto => self.size.0 >= 70,
            MemberPanel::Shown => self.size.0 >= 40,
            MemberPanel::Hidden => false,
        };
        wide_enough && self.current().kind == BufferKind::Channel
    }
}
