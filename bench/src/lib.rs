//! lanchat-bench: a load generator that measures any IRC server on loopback. The binary
//! (`main.rs`) parses a [`Config`] and calls [`run`]; the integration test calls [`run`] too.
//!
//! ```text
//!  run (orchestrator) ── phases ──> worker 0 ─┐ epoll over clients 0, T, 2T...
//!   samples /proc                 worker 1 ─┤ epoll over clients 1, T+1...
//!   sums results <─ WorkerResult ─  ...     ─┘
//!                                    │ NICK/USER, JOIN, PRIVMSG "lb SENDER SEQ NANOS", PONG
//!                                    v
//!                              IRC server under test (127.0.0.1)
//! ```
//!
//! Each message carries its sender, a per-sender sequence number and its send time, so every
//! reader checks loss, duplication and order and measures latency on one shared clock.

pub mod client;
pub mod config;
pub mod coordination;
pub mod histogram;
pub mod json;
pub mod pacing;
pub mod payload;
pub mod procstat;
pub mod report;
pub mod run;
pub mod sequence;
pub mod tally;
pub mod worker;

pub use config::{Config, Rate};
pub use report::Report;
pub use run::run;
