//! `ClientError`: why `lanchat` could not start or had to stop, as one clear line for the user.
//! Returned by `run` and printed by `main` after the terminal is restored.

use std::fmt;
use std::io;

/// A reason the client stops with an error.
#[derive(Debug)]
pub enum ClientError {
    /// The server address could not be understood or resolved.
    BadAddress(String),
    /// The first connection failed (refused, unreachable, timed out).
    Connect {
        /// The address we tried.
        address: String,
        /// What the system said.
        source: io::Error,
    },
    /// The terminal could not be set up or drawn to.
    Terminal(io::Error),
    /// The server refused us for good (wrong password, server full, banned).
    Refused(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::BadAddress(why) => write!(f, "bad server address: {why}"),
            ClientError::Connect { address, source } => {
                let why = match source.kind() {
                    io::ErrorKind::ConnectionRefused => {
                        "connection refused (is lanchatd running there?)".to_string()
                    }
                    io::ErrorKind::TimedOut => {
                        "no answer (is the host up and reachable?)".to_string()
                    }
                    io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                        "the host cannot be reached from here".to_string()
                    }
                    _ => source.to_string(),
                };
                write!(f, "cannot connect to {address}: {why}")
            }
            ClientError::Terminal(e) => write!(f, "terminal error: {e}"),
            ClientError::Refused(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Connect { source, .. } | ClientError::Terminal(source) => Some(source),
            _ => None,
        }
    }
}

impl From<io::Error> for ClientError {
    fn from(e: io::Error) -> ClientError {
        ClientError::Terminal(e)
    }
}
