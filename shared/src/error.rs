//! Why a line could not be parsed as an IRC message. Used by both binaries to answer bad input.

use std::fmt;

/// What was wrong with a line handed to [`Message::parse`](crate::Message::parse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The line was empty or held only spaces.
    Empty,
    /// Tags or a source were present, but no verb followed them.
    MissingCommand,
    /// The verb held characters other than letters, or was a numeric that is not three digits.
    InvalidCommand(String),
    /// The line contained a NUL, CR or LF byte inside it.
    ForbiddenByte(char),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => write!(f, "empty line"),
            ParseError::MissingCommand => write!(f, "no command after tags or source"),
            ParseError::InvalidCommand(c) => write!(f, "invalid command {c:?}"),
            ParseError::ForbiddenByte(b) => write!(f, "forbidden character {:?} in line", b),
        }
    }
}

impl std::error::Error for ParseError {}
