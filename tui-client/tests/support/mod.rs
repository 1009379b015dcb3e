//! Helpers for the client's tests: an `App` with a controllable clock, server lines and keys
//! fed as events, and the screen rendered on a ratatui `TestBackend` as plain text.
#![allow(dead_code, clippy::unwrap_used)]

use std::cell::Cell;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shared::Message;
use tui_client::app::{App, Settings};
use tui_client::event::Event;
use tui_client::net::Network;
use tui_client::theme::Theme;
use unicode_width::UnicodeWidthStr;

thread_local! {
    /// Milliseconds added to the fixed start time; each test runs on its own thread.
    static OFFSET_MS: Cell<i64> = const { Cell::new(0) };
}

/// Local time `h:m` on Monday 23 November 2026.
pub fn local(h: u32, m: u32) -> DateTime<Local> {
    Local
        .with_ymd_and_hms(2026, 11, 23, h, m, 0)
        .earliest()
        .unwrap()
}

/// The test clock: 10:02 local time plus whatever [`advance`] added.
pub fn clock() -> DateTime<Local> {
    local(10, 2) + TimeDelta::milliseconds(OFFSET_MS.with(Cell::get))
}

/// Moves the test clock forward.
pub fn advance(ms: i64) {
    OFFSET_MS.with(|o| o.set(o.get() + ms));
}

/// An RFC 3339 UTC stamp for local time `h:m`, for `@time=` tags (independent of `TZ`).
pub fn stamp(h: u32, m: u32) -> String {
    local(h, m)
        .with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// A client for nick `nick` on 127.0.0.1:6667 with the fixed clock, colours on.
pub fn new_app(nick: &str) -> App {
    let settings = Settings {
        server: "127.0.0.1:6667".into(),
        nick: nick.into(),
        password: None,
        autojoin: vec!["#lab".into()],
        theme: Theme { colour: true },
    };
    let mut app = App::new(settings);
    app.clock = clock;
    app
}

/// Feeds one raw server line.
pub fn server(app: &mut App, line: &str) -> Vec<Message> {
    app.handle(Event::Server(Message::parse(line).unwrap()))
}

/// A client registered as `nick` and joined to `#lab` with the given members.
pub fn joined_app(nick: &str, members: &str) -> App {
    let mut app = new_app(nick);
    app.handle(Event::Connected(1));
    server(&mut app, ":srv CAP * LS :server-time multi-prefix");
    server(&mut app, ":srv CAP * ACK :server-time multi-prefix");
    server(&mut app, &format!(":srv 001 {nick} :Welcome to lanchat"));
    server(
        &mut app,
        &format!(":srv 005 {nick} PREFIX=(ov)@+ CHANTYPES=# :are supported"),
    );
    server(&mut app, &format!(":{nick}!u@127.0.0.1 JOIN #lab"));
    server(&mut app, &format!(":srv 353 {nick} = #lab :{members}"));
    server(
        &mut app,
        &format!(":srv 366 {nick} #lab :End of /NAMES list."),
    );
    app
}

/// A key press.
pub fn key(app: &mut App, code: KeyCode) -> Vec<Message> {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// A key press with modifiers.
pub fn key_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Message> {
    app.handle(Event::Key(KeyEvent::new(code, modifiers)))
}

/// Types `text` and presses Enter; returns what was sent.
pub fn type_line(app: &mut App, text: &str) -> Vec<Message> {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter)
}

/// The messages as wire lines without CRLF, for readable assertions.
pub fn wire(messages: &[Message]) -> Vec<String> {
    messages.iter().map(|m| m.to_string()).collect()
}

/// Renders `app` on a `width` x `height` test terminal and returns the screen buffer.
pub fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    app.handle(Event::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| tui_client::ui::render(app, frame))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Where the terminal cursor is after drawing `app` at `width` x `height`.
pub fn cursor(app: &mut App, width: u16, height: u16) -> (u16, u16) {
    app.handle(Event::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| tui_client::ui::render(app, frame))
        .unwrap();
    let position = terminal.get_cursor_position().unwrap();
    (position.x, position.y)
}

/// The same screen with every style removed, to compare text only.
pub fn text_only(screen: &Buffer) -> Buffer {
    let mut plain = Buffer::empty(screen.area);
    for (to, from) in plain.content.iter_mut().zip(screen.content.iter()) {
        to.set_symbol(from.symbol());
    }
    plain
}

/// The expected screen from `lines`, each padded with spaces to `width` cells.
pub fn expected(width: u16, lines: &[&str]) -> Buffer {
    let padded: Vec<String> = lines
        .iter()
        .map(|l| {
            let pad = (width as usize).saturating_sub(l.width());
            format!("{l}{}", " ".repeat(pad))
        })
        .collect();
    Buffer::with_lines(padded)
}

/// The screen's rows as strings (wide characters once, hidden cells skipped).
pub fn rows(screen: &Buffer) -> Vec<String> {
    let width = screen.area.width as usize;
    screen
        .content
        .chunks(width)
        .map(|row| {
            let mut out = String::new();
            let mut skip = 0;
            for cell in row {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                out.push_str(cell.symbol());
                skip = cell.symbol().width().saturating_sub(1);
            }
            out
        })
        .collect()
}

/// A class channel with a topic, joins, an action, a mention and a Korean message.
pub fn busy_channel() -> App {
    let mut app = joined_app("alice", "@teacher +ta_min alice bob carol dave 민수ok");
    server(
        &mut app,
        ":srv 332 alice #lab :Lab 3: sockets. Slides: http://lab.local/3",
    );
    let t = |m: u32| stamp(10, m);
    for line in [
        format!(
            "@time={} :bob!b@h PRIVMSG #lab :hi all, is the server up?",
            t(3)
        ),
        format!(
            "@time={} :teacher!t@h PRIVMSG #lab :yes, connect to lab.local port 6667",
            t(3)
        ),
        format!("@time={} :erin!e@h JOIN #lab", t(4)),
        format!(
            "@time={} :carol!c@h PRIVMSG #lab :\x01ACTION waves\x01",
            t(4)
        ),
        format!(
            "@time={} :ta_min!m@h PRIVMSG #lab :alice: your last commit broke the build",
            t(5)
        ),
        format!(
            "@time={} :dave!d@h PRIVMSG #lab :안녕하세요! 저는 데이브입니다 😀",
            t(6)
        ),
        format!("@time={} :bob!b@h QUIT :ping timeout", t(7)),
    ] {
        server(&mut app, &line);
    }
    app
}

/// A client for `nick` that negotiated the history capabilities (`batch`, `server-time`,
/// `message-tags`, `draft/chathistory`) with a server saying `CHATHISTORY=100`, joined to
/// `#lab` with `members`. The join's replay batch is left to the test.
pub fn history_app(nick: &str, members: &str) -> App {
    let mut app = new_app(nick);
    app.handle(Event::Connected(1));
    let caps = "batch server-time message-tags draft/chathistory";
    server(&mut app, &format!(":srv CAP * LS :{caps} echo-message"));
    server(&mut app, &format!(":srv CAP * ACK :{caps}"));
    server(&mut app, &format!(":srv 001 {nick} :Welcome to lanchat"));
    server(
        &mut app,
        &format!(
            ":srv 005 {nick} PREFIX=(ov)@+ CHATHISTORY=100 MSGREFTYPES=msgid,timestamp :are supported"
        ),
    );
    server(&mut app, &format!(":{nick}!u@127.0.0.1 JOIN #lab"));
    server(&mut app, &format!(":srv 353 {nick} = #lab :{members}"));
    server(
        &mut app,
        &format!(":srv 366 {nick} #lab :End of /NAMES list."),
    );
    app
}

/// A `#lab` message line as the server replays it: inside batch `batch` (none when empty),
/// said by `nick` at local time `h:m`, with id `msgid`.
pub fn replayed(batch: &str, nick: &str, h: u32, m: u32, msgid: &str, text: &str) -> String {
    let batch_tag = if batch.is_empty() {
        String::new()
    } else {
        format!("batch={batch};")
    };
    format!(
        "@{batch_tag}time={};msgid={msgid} :{nick}!{nick}@127.0.0.1 PRIVMSG #lab :{text}",
        stamp(h, m)
    )
}

/// The texts of the buffer called `name`, oldest first.
pub fn texts(app: &App, name: &str) -> Vec<String> {
    let index = app.find(name).unwrap();
    app.buffers[index]
        .lines
        .iter()
        .map(|l| l.text.clone())
        .collect()
}

/// Everything in the network tests must finish well within this.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// Runs the UI loop's job without a terminal until `done(&app)` or the deadline.
pub fn drive(
    app: &mut App,
    events: &Receiver<Event>,
    network: &Network,
    connection: &mut u64,
    done: impl Fn(&App) -> bool,
) {
    let start = Instant::now();
    while !done(app) {
        assert!(
            start.elapsed() < DEADLINE,
            "timed out; state {:?}",
            app.conn
        );
        let event = match events.recv_timeout(Duration::from_millis(50)) {
            Ok(event) => event,
            Err(_) => Event::Tick,
        };
        if let Event::Connected(n) = event {
            *connection = n;
        }
        let out = app.handle(event);
        network.send(*connection, out);
    }
}
