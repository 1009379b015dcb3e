//! `Config`: what one benchmark run does, parsed from the command line by clap and checked by
//! [`Config::validate`] before anything connects. Used by `main` and by the integration test.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use clap::Parser;

/// Most clients one run may open: bounded so a typo cannot exhaust the machine.
pub const MAX_CLIENTS: usize = 20_000;
/// Longest send phase, seconds.
pub const MAX_DURATION_S: f64 = 600.0;
/// Longest drain or connect wait, seconds.
pub const MAX_WAIT_S: f64 = 600.0;

/// How fast the senders send, all senders together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// This many messages per second in total, spread evenly over the senders.
    PerSecond(u32),
    /// As fast as the server takes them: each sender keeps at most `--window` messages that
    /// have not yet reached every reader, so the figure measures the server, not buffering.
    Max,
}

impl FromStr for Rate {
    type Err = String;
    fn from_str(s: &str) -> Result<Rate, String> {
        if s.eq_ignore_ascii_case("max") {
            return Ok(Rate::Max);
        }
        match s.parse::<u32>() {
            Ok(n) if n > 0 => Ok(Rate::PerSecond(n)),
            _ => Err(format!(
                "rate must be a positive number or `max`, not {s:?}"
            )),
        }
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rate::PerSecond(n) => write!(f, "{n}"),
            Rate::Max => f.write_str("max"),
        }
    }
}

/// Drives an IRC server on loopback with N clients in one channel and reports what it measured.
#[derive(Debug, Clone, Parser)]
#[command(name = "lanchat-bench", version)]
pub struct Config {
    /// Server address; must be a loopback address.
    #[arg(long, default_value = "127.0.0.1:6667")]
    pub server: SocketAddr,
    /// Clients to connect, register and join (N).
    #[arg(long, short = 'n', default_value_t = 100)]
    pub clients: usize,
    /// How many of them send (S); 0 means an idle run that only holds the connections.
    #[arg(long, short = 's', default_value_t = 10)]
    pub senders: usize,
    /// Total messages per second over all senders (R), or `max`.
    #[arg(long, short = 'r', default_value = "1000")]
    pub rate: Rate,
    /// Seconds of sending (T), or of holding the connections in an idle run.
    #[arg(long, short = 't', default_value_t = 10.0)]
    pub duration: f64,
    /// Longest wait, after sending stops, for messages still on their way (seconds).
    #[arg(long, default_value_t = 5.0)]
    pub drain: f64,
    /// Longest wait for every client to connect, register and join (seconds).
    #[arg(long, default_value_t = 120.0)]
    pub connect_timeout: f64,
    /// Members (the last K clients) that stop reading when sending starts; not senders, and
    /// their missing messages are not counted as loss.
    #[arg(long, default_value_t = 0)]
    pub stalled: usize,
    /// With `--rate max`: messages per sender not yet delivered to every reader. Large enough
    /// to keep a server busy (64 x 10 senders x 99 readers = 63 360 deliveries in flight),
    /// small enough to stay inside ngIRCd's 32 KiB per-client write buffer plus the kernel's.
    #[arg(long, default_value_t = 64)]
    pub window: u64,
    /// Event-loop threads of the benchmark itself.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Registrations in progress at once per thread, so the server's accept queue never fills
    /// (ngIRCd listens with a backlog of 10).
    #[arg(long, default_value_t = 4)]
    pub connect_batch: usize,
    /// Length of each message text in bytes (padded).
    #[arg(long, default_value_t = 64)]
    pub msg_bytes: usize,
    /// Channel everyone joins.
    #[arg(long, default_value = "#bench")]
    pub channel: String,
    /// Nicks are this prefix followed by the client number (keep it short: many servers allow
    /// only 9 characters).
    #[arg(long, default_value = "lb")]
    pub nick_prefix: String,
    /// Server process to watch: CPU seconds and RSS from /proc/PID.
    #[arg(long)]
    pub pid: Option<u32>,
    /// Name of the server, copied into the report.
    #[arg(long, default_value = "server")]
    pub label: String,
}

impl Config {
    /// Checks the limits that keep every run bounded and on loopback.
    pub fn validate(&self) -> Result<(), String> {
        if !self.server.ip().is_loopback() {
            return Err(format!("{} is not a loopback address", self.server));
        }
        if self.clients == 0 || self.clients > MAX_CLIENTS {
            return Err(format!("--clients must be 1..={MAX_CLIENTS}"));
        }
        if self.stalled + self.senders > self.clients {
            return Err("--senders plus --stalled must not exceed --clients".into());
        }
        if self.senders > 0 && self.senders + self.stalled >= self.clients {
            return Err("need at least one reader besides the senders and stalled members".into());
        }
        if !(self.duration > 0.0 && self.duration <= MAX_DURATION_S) {
            return Err(format!("--duration must be in (0, {MAX_DURATION_S}]"));
        }
        for (name, value) in [
            ("drain", self.drain),
            ("connect-timeout", self.connect_timeout),
        ] {
            if !(value > 0.0 && value <= MAX_WAIT_S) {
                return Err(format!("--{name} must be in (0, {MAX_WAIT_S}]"));
            }
        }
        if self.threads == 0 || self.threads > 64 || self.connect_batch == 0 || self.window == 0 {
            return Err("--threads (1..=64), --connect-batch and --window must be positive".into());
        }
        if self.msg_bytes > 400 {
            return Err("--msg-bytes must be at most 400 (IRC lines are 512 bytes)".into());
        }
        if !shared::names::is_valid_channel(&self.channel) {
            return Err(format!("{:?} is not a valid channel name", self.channel));
        }
        let longest_nick = format!("{}{}", self.nick_prefix, self.clients - 1);
        if !shared::names::is_valid_nick(&longest_nick) {
            return Err(format!("nick {longest_nick:?} would be invalid"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        let mut all = vec!["lanchat-bench"];
        all.extend_from_slice(args);
        Config::try_parse_from(all).unwrap()
    }

    #[test]
    fn defaults_are_valid() {
        let c = parse(&[]);
        assert_eq!(c.rate, Rate::PerSecond(1000));
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(parse(&["--rate", "MAX"]).rate, Rate::Max);
        assert!(Config::try_parse_from(["x", "--rate", "0"]).is_err());
    }

    #[test]
    fn refuses_unsafe_runs() {
        assert!(parse(&["--server", "10.0.0.1:6667"]).validate().is_err());
        assert!(parse(&["--clients", "100000"]).validate().is_err());
        assert!(parse(&["-n", "10", "-s", "10"]).validate().is_err());
        assert!(
            parse(&["-n", "10", "-s", "5", "--stalled", "5"])
                .validate()
                .is_err()
        );
        assert!(parse(&["--duration", "0"]).validate().is_err());
        assert!(parse(&["--channel", "bench"]).validate().is_err());
        assert!(
            parse(&["--server", "[::1]:6667", "-n", "5", "-s", "0"])
                .validate()
                .is_ok()
        );
    }
}
