//! lanchat, the terminal chat client. Four threads, one channel:
//!
//! ```text
//!  input thread (crossterm) ──Key/Mouse/Paste/Resize──┐
//!  receive thread (socket) ───────Server(Message)─────┤  one mpsc channel of Event
//!  send thread (owns the socket) ─Connected/Lost──────┤
//!                                                      v
//!        UI loop: out = app.handle(event); if app.dirty { draw(&app) }
//!                   │ out: Vec<Message>
//!                   └──────────────> send thread ──> socket
//! ```
//!
//! `App` holds all state and knows nothing about terminals or sockets; `ui::render` draws it
//! without changing it. `run` wires the threads together; `main` only parses arguments.

pub mod app;
pub mod args;
pub mod buffer;
pub mod commands;
pub mod error;
pub mod event;
pub mod input;
pub mod net;
pub mod sanitize;
pub mod split;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod wrap;

use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use app::{App, Quit, Settings};
use args::Args;
use error::ClientError;
use event::Event;
use net::{Backoff, Network};
use terminal::TerminalGuard;
use theme::Theme;

/// How often `Event::Tick` is delivered while nothing else happens.
const TICK: Duration = Duration::from_millis(200);

/// Most events handled between two redraws, so the screen still moves under a flood.
const BATCH_MAX: usize = 500;

/// How long the first connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs the client until the user quits or the server refuses us.
pub fn run(args: Args) -> Result<(), ClientError> {
    let address = args.address();
    let stream = net::connect(&address, CONNECT_TIMEOUT).map_err(|source| {
        if source.kind() == std::io::ErrorKind::InvalidInput
            || source.kind() == std::io::ErrorKind::NotFound
        {
            ClientError::BadAddress(format!("{address}: {source}"))
        } else {
            ClientError::Connect {
                address: address.clone(),
                source,
            }
        }
    })?;
    let settings = Settings {
        server: address.clone(),
        nick: args.nick(),
        password: args.password.clone(),
        autojoin: args.join.clone(),
        theme: Theme::from_env(),
    };
    let (events_tx, events) = channel();
    let network = Network::start(stream, address, Backoff::default(), events_tx.clone())?;
    let mut guard = TerminalGuard::enter()?;
    terminal::spawn_input(events_tx)?;

    let mut app = App::new(settings);
    let mut connection = 0;
    let mut last_tick = Instant::now();
    let result = loop {
        // A resize that lands before the input thread listens for SIGWINCH sends no event, so
        // the real size is checked here too (one ioctl, no output).
        let size = guard.terminal.size()?;
        if (size.width, size.height) != app.size {
            app.handle(Event::Resize(size.width, size.height));
        }
        if app.dirty {
            guard.terminal.draw(|frame| ui::render(&app, frame))?;
            app.dirty = false;
        }
        if app.bell {
            guard.bell();
            app.bell = false;
        }
        if let Some(quit) = app.quit.clone() {
            break match quit {
                Quit::User => Ok(()),
                Quit::Refused(why) => Err(ClientError::Refused(why)),
            };
        }
        let first = match events.recv_timeout(TICK) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => Event::Tick,
            Err(RecvTimeoutError::Disconnected) => break Ok(()),
        };
        // Handle everything already waiting before drawing once: a busy channel (or a long
        // paste) costs one redraw per batch, not one per line.
        let waiting = events.try_iter().take(BATCH_MAX);
        for event in std::iter::once(first).chain(waiting) {
            if let Event::Connected(n) = event {
                connection = n;
            }
            let out = app.handle(event);
            network.send(connection, out);
            if app.quit.is_some() {
                break;
            }
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            network.send(connection, app.handle(Event::Tick));
        }
    };
    drop(guard);
    network.shutdown();
    result
}
