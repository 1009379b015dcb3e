//! The one `Event` type the UI loop receives on its one `mpsc` channel, from the input thread
//! (keys, mouse, paste, resize), the receive thread (server messages) and the send thread
//! (connection made or lost). `App::handle` consumes them.

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use shared::Message;

/// Something that happened, in the order the UI loop received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A key press.
    Key(KeyEvent),
    /// A mouse wheel or click.
    Mouse(MouseEvent),
    /// Text pasted with bracketed paste (may hold newlines).
    Paste(String),
    /// The terminal is now `width` x `height`.
    Resize(u16, u16),
    /// One line from the server.
    Server(Message),
    /// A connection is up (numbered from 1); registration should start.
    Connected(u64),
    /// The connection went down; `unsent` are messages the send thread could not write.
    Lost {
        /// Why, in words ("connection reset by peer").
        reason: String,
        /// Messages written for the dead connection, handed back so nothing is dropped.
        unsent: Vec<Message>,
    },
    /// Messages written for a connection that is gone, handed back so they can be resent.
    Unsent(Vec<Message>),
    /// Time passes (about every quarter second when nothing else happens): pings, paste pacing.
    Tick,
}
