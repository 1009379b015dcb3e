//! `Report`: the figures of one run, printed as a readable table and as one JSON line (written
//! by hand: a flat object of numbers and two strings does not justify a serde dependency).
//! Filled by `run`, printed by `main`, read by `scripts/bench-compare.sh` (with `jq`).

use std::fmt::Write;

use crate::config::Config;
use crate::json::{JsonLine, json_string};

/// What the watched server process (`--pid`) used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerFigures {
    /// CPU seconds (user + system) from the start of sending to the end of the drain.
    pub cpu_seconds: f64,
    /// CPU seconds spent while the clients connected, registered and joined.
    pub connect_cpu_seconds: f64,
    /// RSS before the first client connected, KiB.
    pub rss_before_kib: u64,
    /// RSS at the end of the run with every client still connected, KiB.
    pub rss_kib: u64,
    /// Peak RSS of the process's life, KiB.
    pub peak_rss_kib: u64,
    /// Threads at the end of the run.
    pub threads: u64,
}

impl ServerFigures {
    /// RSS added per connected client, KiB.
    pub fn rss_per_client_kib(&self, clients: usize) -> f64 {
        self.rss_kib.saturating_sub(self.rss_before_kib) as f64 / clients.max(1) as f64
    }
}

/// Everything one run measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// `--label`.
    pub label: String,
    /// Clients, senders, stalled members, rate (`max` or a number), seconds of sending.
    pub clients: usize,
    /// Senders (0: idle run).
    pub senders: usize,
    /// Members that never read.
    pub stalled: usize,
    /// The rate asked for.
    pub rate: String,
    /// Seconds of sending asked for.
    pub duration: f64,
    /// Seconds from the first connect until every client had joined.
    pub connect_seconds: f64,
    /// Seconds the drain took (short when everything arrived quickly).
    pub drain_seconds: f64,
    /// Seconds from the start of sending to the end of the drain.
    pub wall_seconds: f64,
    /// Messages sent, all senders.
    pub sent: u64,
    /// Deliveries expected: each message to every reader but its sender.
    pub expected: u64,
    /// Deliveries read (duplicates included).
    pub deliveries: u64,
    /// Deliveries per second, from the start of sending to the last delivery.
    pub deliveries_per_second: f64,
    /// When the last delivery was read, ns since the run's origin.
    pub last_delivery_ns: u64,
    /// Latency percentiles and maximum, microseconds.
    pub latency_p50_us: f64,
    /// 99th percentile latency, microseconds.
    pub latency_p99_us: f64,
    /// Largest latency, microseconds.
    pub latency_max_us: f64,
    /// (reader, message) pairs that never arrived, stalled members excluded.
    pub lost: u64,
    /// Deliveries that arrived twice.
    pub duplicates: u64,
    /// Deliveries that arrived after a later message of the same sender.
    pub reordered: u64,
    /// Readers whose connection the server closed during the run.
    pub readers_closed: u64,
    /// Why the first of them was closed.
    pub first_close_reason: Option<String>,
    /// Stalled members the server had dropped by the end.
    pub stalled_dropped: u64,
    /// CPU seconds this benchmark used from the start of sending to the end of the drain.
    pub tool_cpu_seconds: f64,
    /// CPU seconds this benchmark used while its clients connected and joined.
    pub tool_connect_cpu_seconds: f64,
    /// Server process figures, with `--pid`.
    pub server: Option<ServerFigures>,
}

impl Report {
    /// An empty report describing `config`.
    pub fn new(config: &Config) -> Report {
        Report {
            label: config.label.clone(),
            clients: config.clients,
            senders: config.senders,
            stalled: config.stalled,
            rate: config.rate.to_string(),
            duration: config.duration,
            ..Report::default()
        }
    }

    /// Connections registered and joined per second.
    pub fn connects_per_second(&self) -> f64 {
        self.clients as f64 / self.connect_seconds.max(1e-9)
    }

    /// Cores the benchmark itself kept busy on average (1.0 = one core).
    pub fn tool_cores(&self) -> f64 {
        self.tool_cpu_seconds / self.wall_seconds.max(1e-9)
    }

    /// A readable multi-line table.
    pub fn table(&self) -> String {
        let mut t = String::new();
        let mut row = |name: &str, value: String| {
            let _ = writeln!(t, "  {name:<22} {value}");
        };
        row("server", self.label.clone());
        row(
            "clients / senders",
            format!(
                "{} / {} (stalled {})",
                self.clients, self.senders, self.stalled
            ),
        );
        row(
            "rate, duration",
            format!("{} msg/s, {} s", self.rate, self.duration),
        );
        row(
            "connect",
            format!(
                "{:.2} s ({:.0} clients/s), bench CPU {:.2} s, server CPU {}",
                self.connect_seconds,
                self.connects_per_second(),
                self.tool_connect_cpu_seconds,
                self.server
                    .as_ref()
                    .map_or("-".into(), |s| format!("{:.2} s", s.connect_cpu_seconds)),
            ),
        );
        row(
            "sent",
            format!(
                "{} ({:.0} msg/s)",
                self.sent,
                self.sent as f64 / self.duration
            ),
        );
        row(
            "deliveries",
            format!("{} of {} expected", self.deliveries, self.expected),
        );
        row("deliveries/s", format!("{:.0}", self.deliveries_per_second));
        row(
            "latency p50/p99/max",
            format!(
                "{:.0} / {:.0} / {:.0} us",
                self.latency_p50_us, self.latency_p99_us, self.latency_max_us
            ),
        );
        row(
            "lost / dup / reordered",
            format!("{} / {} / {}", self.lost, self.duplicates, self.reordered),
        );
        let reason = self.first_close_reason.as_deref().unwrap_or("-");
        row(
            "readers closed",
            format!("{} (first: {reason})", self.readers_closed),
        );
        row(
            "stalled dropped",
            format!("{} of {}", self.stalled_dropped, self.stalled),
        );
        row("drain", format!("{:.2} s", self.drain_seconds));
        row(
            "bench CPU",
            format!(
                "{:.2} s = {:.2} cores over {:.1} s",
                self.tool_cpu_seconds,
                self.tool_cores(),
                self.wall_seconds
            ),
        );
        if let Some(s) = &self.server {
            row(
                "server CPU",
                format!(
                    "{:.2} s = {:.2} cores",
                    s.cpu_seconds,
                    s.cpu_seconds / self.wall_seconds.max(1e-9)
                ),
            );
            row(
                "server RSS",
                format!(
                    "{} KiB (before {}, peak {}), {:.1} KiB/client, {} threads",
                    s.rss_kib,
                    s.rss_before_kib,
                    s.peak_rss_kib,
                    s.rss_per_client_kib(self.clients),
                    s.threads
                ),
            );
        }
        t
    }

    /// One line of JSON with every figure (server figures are `null` without `--pid`).
    pub fn json(&self) -> String {
        let mut j = JsonLine::default();
        let mut field = |name: &str, value: String| j.raw(name, &value);
        field("label", json_string(&self.label));
        field("clients", self.clients.to_string());
        field("senders", self.senders.to_string());
        field("stalled", self.stalled.to_string());
        field("rate", json_string(&self.rate));
        field("duration_s", self.duration.to_string());
        field("connect_s", format!("{:.3}", self.connect_seconds));
        field(
            "connects_per_s",
            format!("{:.1}", self.connects_per_second()),
        );
        field("sent", self.sent.to_string());
        field("expected", self.expected.to_string());
        field("deliveries", self.deliveries.to_string());
        field(
            "deliveries_per_s",
            format!("{:.1}", self.deliveries_per_second),
        );
        field("p50_us", format!("{:.1}", self.latency_p50_us));
        field("p99_us", format!("{:.1}", self.latency_p99_us));
        field("max_us", format!("{:.1}", self.latency_max_us));
        field("lost", self.lost.to_string());
        field("duplicates", self.duplicates.to_string());
        field("reordered", self.reordered.to_string());
        field("readers_closed", self.readers_closed.to_string());
        field("stalled_dropped", self.stalled_dropped.to_string());
        field("drain_s", format!("{:.3}", self.drain_seconds));
        field("wall_s", format!("{:.3}", self.wall_seconds));
        field("bench_cpu_s", format!("{:.2}", self.tool_cpu_seconds));
        field(
            "bench_connect_cpu_s",
            format!("{:.2}", self.tool_connect_cpu_seconds),
        );
        let s = self.server.as_ref();
        let or_null = |v: Option<String>| v.unwrap_or_else(|| "null".into());
        field(
            "server_cpu_s",
            or_null(s.map(|s| format!("{:.2}", s.cpu_seconds))),
        );
        field(
            "server_connect_cpu_s",
            or_null(s.map(|s| format!("{:.2}", s.connect_cpu_seconds))),
        );
        field("server_rss_kib", or_null(s.map(|s| s.rss_kib.to_string())));
        field(
            "server_rss_before_kib",
            or_null(s.map(|s| s.rss_before_kib.to_string())),
        );
        field(
            "server_peak_rss_kib",
            or_null(s.map(|s| s.peak_rss_kib.to_string())),
        );
        field(
            "server_rss_per_client_kib",
            or_null(s.map(|s| format!("{:.2}", s.rss_per_client_kib(self.clients)))),
        );
        field("server_threads", or_null(s.map(|s| s.threads.to_string())));
        j.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_one_line_with_nulls_without_server() {
        let mut r = Report {
            label: "x".into(),
            clients: 4,
            sent: 10,
            ..Report::default()
        };
        let j = r.json();
        assert!(j.starts_with("{\"label\":\"x\",\"clients\":4,"));
        assert!(j.contains("\"sent\":10,"));
        assert!(j.contains("\"server_rss_kib\":null"));
        assert!(!j.contains('\n'));
        r.server = Some(ServerFigures {
            rss_before_kib: 100,
            rss_kib: 500,
            ..Default::default()
        });
        assert!(r.json().contains("\"server_rss_per_client_kib\":100.00"));
    }
}
