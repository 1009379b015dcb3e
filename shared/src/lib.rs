//! The IRC wire protocol, shared by the server (`lanchatd`) and the client (`lanchat`).
//!
//! IRC in fifteen lines: a connection carries text lines ending in CRLF. Each line is one
//! [`Message`]:
//!
//! ```text
//! @time=2026-11-22T10:00:00.000Z :alice!a@host PRIVMSG #lab :hello there
//! └── tags (IRCv3, optional) ──┘ └─ source ───┘ └ verb ┘ └─ params ───────┘
//! ```
//!
//! The verb is a command (`PRIVMSG`, `JOIN`...) or a three-digit numeric reply (`001`, `433`...).
//! Parameters are separated by spaces; the last one may start with `:` and then holds spaces.
//! A client registers with `NICK` and `USER`, the server answers `001`..`005`, and from then on
//! both sides exchange messages. Channels start with `#`; nicks and channel names compare
//! case-insensitively under the RFC 1459 case mapping (see [`names`]).

pub mod error;
pub mod message;
pub mod names;
pub mod numeric;

pub use error::ParseError;
pub use message::{Message, Tag};

/// Longest message body in bytes, CRLF included (RFC 1459 section 2.3).
pub const MAX_BODY_BYTES: usize = 512;

/// Longest tag section in bytes, without the leading `@` and the space after it (IRCv3).
pub const MAX_TAG_BYTES: usize = 4094;
