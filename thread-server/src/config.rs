//! `Config`: every command-line flag of `lanchatd`, with its default. One flag per limit, named
//! for what it limits. `main` parses it; tests build one with [`Config::for_tests`].

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Settings for one server, parsed from the command line.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "lanchatd",
    version,
    about = "A small IRC chat server for classrooms, labs and tmux panes.",
    after_help = "Join with: lanchat HOST   |   nc HOST 6667   |   irssi -c HOST"
)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, default_value = "0.0.0.0:6667", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,

    /// Name the server uses as the source of its replies.
    #[arg(long, default_value = "lanchat.local")]
    pub server_name: String,

    /// Network name advertised in ISUPPORT (NETWORK=).
    #[arg(long, default_value = "lanchat")]
    pub network: String,

    /// A text file shown as the message of the day after login.
    #[arg(long, value_name = "FILE")]
    pub motd_file: Option<PathBuf>,

    /// Server password: clients must send it with PASS before registering.
    #[arg(long)]
    pub password: Option<String>,

    /// An operator account as NAME:PASSWORD, for the OPER command (repeatable).
    #[arg(long = "oper", value_name = "NAME:PASSWORD", value_parser = parse_oper)]
    pub opers: Vec<(String, String)>,

    /// Lines per second a client may send before reading it is slowed down (0 = no limit).
    #[arg(long, default_value_t = 5.0, value_name = "LINES_PER_SEC")]
    pub flood_rate: f64,

    /// Lines a client may send at once, above the steady rate, before it is slowed down.
    #[arg(long, default_value_t = 25, value_name = "N")]
    pub flood_burst: u32,

    /// Most connections the server holds at once.
    #[arg(long, default_value_t = 10_000)]
    pub max_clients: usize,

    /// Most connections from one IP address (0 = no limit).
    #[arg(long, default_value_t = 10)]
    pub max_per_ip: usize,

    /// Apply --max-per-ip to loopback too (by default 127.0.0.0/8 and ::1 are exempt, so one
    /// machine can run a whole demo).
    #[arg(long)]
    pub limit_loopback: bool,

    /// Most channels one client may be in at once.
    #[arg(long, default_value_t = 50)]
    pub max_channels_per_user: usize,

    /// Most targets in one PRIVMSG, NOTICE, JOIN or PART (comma-separated list).
    #[arg(long, default_value_t = 8)]
    pub max_targets: usize,

    /// Bytes of output that may wait for a client that does not read, before it is dropped.
    #[arg(long, default_value_t = 512 * 1024, value_name = "BYTES")]
    pub max_sendq: usize,

    /// Seconds a new connection has to finish NICK/USER registration.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub registration_timeout: u64,

    /// Seconds of silence from a client before the server sends it a PING.
    #[arg(long, default_value_t = 120, value_name = "SECS")]
    pub ping_interval: u64,

    /// Seconds the server waits for any reply to its PING before dropping the client.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub ping_timeout: u64,

    /// Folder for the database of rooms and history (created if missing).
    #[arg(long, default_value = "lanchat-data", value_name = "DIR")]
    pub data_dir: PathBuf,

    /// Keep rooms and history in memory only: nothing is written to disk, all is gone on exit.
    #[arg(long)]
    pub ephemeral: bool,

    /// Messages kept per channel.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub history_limit: usize,

    /// Forget messages older than this many days (default: keep until --history-limit).
    #[arg(long, value_name = "DAYS")]
    pub history_days: Option<u32>,

    /// Messages replayed to a client when it joins a channel.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub replay: usize,
}

impl Config {
    /// A config for tests: loopback on a free port, flood control off unless a test sets it,
    /// history in memory.
    pub fn for_tests() -> Config {
        let mut config = Config::parse_from(["lanchatd", "--listen", "127.0.0.1:0"]);
        config.flood_rate = 0.0;
        config.ephemeral = true;
        config.server_name = "test.server".to_string();
        config
    }
}

fn parse_oper(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((name, pass)) if !name.is_empty() && !pass.is_empty() => {
            Ok((name.to_string(), pass.to_string()))
        }
        _ => Err(format!("expected NAME:PASSWORD, got {text:?}")),
    }
}
