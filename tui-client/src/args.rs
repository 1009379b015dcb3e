//! Command-line arguments of `lanchat` (clap derive) and the address parsing they need.

use clap::Parser;

/// The IRC port used when the address has none.
pub const DEFAULT_PORT: u16 = 6667;

/// lanchat: a terminal chat client for lanchatd (and any IRC server).
#[derive(Debug, Clone, Parser)]
#[command(
    version,
    about,
    after_help = "Inside: F1 or /help lists keys and commands; Alt-1..9 switch buffers; Ctrl-C quits.\nSet NO_COLOR=1 for a colourless screen."
)]
pub struct Args {
    /// Server as HOST or HOST:PORT ([::1]:6667 for IPv6).
    #[arg(default_value = "127.0.0.1:6667")]
    pub server: String,
    /// Nick to use (default: $USER); a suffix is added by itself when it is taken.
    #[arg(long, short)]
    pub nick: Option<String>,
    /// Channels to join once connected, comma-separated: --join '#lab,#help'.
    #[arg(long, short, value_delimiter = ',')]
    pub join: Vec<String>,
    /// Server password (PASS).
    #[arg(long, short)]
    pub password: Option<String>,
}

impl Args {
    /// `server` with the default port added when missing.
    pub fn address(&self) -> String {
        with_default_port(&self.server)
    }

    /// The nick to ask for: `--nick`, else `$USER` made valid, else `student`.
    pub fn nick(&self) -> String {
        let wanted = self
            .nick
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_default();
        let cleaned: String = wanted
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "[]\\`_^{|}-".contains(*c))
            .take(shared::names::NICK_MAX_LEN)
            .collect();
        if shared::names::is_valid_nick(&cleaned) {
            cleaned
        } else {
            "student".to_string()
        }
    }
}

/// `host` -> `host:6667`; `host:port` and `[v6]:port` unchanged; a bare IPv6 gets brackets.
pub fn with_default_port(server: &str) -> String {
    if server.starts_with('[') {
        if server.contains("]:") {
            server.to_string()
        } else {
            format!("{server}:{DEFAULT_PORT}")
        }
    } else if server.matches(':').count() > 1 {
        format!("[{server}]:{DEFAULT_PORT}")
    } else if server.contains(':') {
        server.to_string()
    } else {
        format!("{server}:{DEFAULT_PORT}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_port_is_added() {
        assert_eq!(with_default_port("lab-pc"), "lab-pc:6667");
        assert_eq!(with_default_port("10.0.0.2:7000"), "10.0.0.2:7000");
        assert_eq!(with_default_port("::1"), "[::1]:6667");
        assert_eq!(with_default_port("[::1]:7000"), "[::1]:7000");
    }
}
