//! Reads CPU time and memory of a process from `/proc`: the server under test (`--pid`) and the
//! benchmark itself, so the report shows both sides' cost. Used by `run`.

use std::fs;
use std::io;

/// Clock ticks per second in `/proc/PID/stat`. Linux fixes USER_HZ at 100 in its user-space ABI
/// on every architecture we run on, so this needs no `sysconf` call.
const TICKS_PER_SECOND: f64 = 100.0;

/// One reading of a process's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcSample {
    /// User plus system CPU time of all its threads, in seconds (10 ms resolution).
    pub cpu_seconds: f64,
    /// Resident set size now (`VmRSS`), KiB.
    pub rss_kib: u64,
    /// Peak resident set size so far (`VmHWM`), KiB.
    pub peak_rss_kib: u64,
    /// Number of threads.
    pub threads: u64,
}

/// Reads the counters of process `pid`, or of this process when `pid` is `None`.
pub fn sample(pid: Option<u32>) -> io::Result<ProcSample> {
    let dir = match pid {
        Some(pid) => format!("/proc/{pid}"),
        None => "/proc/self".to_string(),
    };
    let stat = fs::read_to_string(format!("{dir}/stat"))?;
    let status = fs::read_to_string(format!("{dir}/status"))?;
    let cpu_seconds = cpu_seconds_from_stat(&stat).ok_or_else(|| bad_data(&dir, "stat"))?;
    Ok(ProcSample {
        cpu_seconds,
        rss_kib: status_field(&status, "VmRSS:").unwrap_or(0),
        peak_rss_kib: status_field(&status, "VmHWM:").unwrap_or(0),
        threads: status_field(&status, "Threads:").unwrap_or(0),
    })
}

fn bad_data(dir: &str, file: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("cannot read {dir}/{file}"),
    )
}

/// utime + stime (fields 14 and 15) of a `/proc/PID/stat` line, in seconds. The command name
/// (field 2) may hold spaces and parentheses, so fields are counted after its last `)`.
fn cpu_seconds_from_stat(stat: &str) -> Option<f64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11); // field 3 is the first here
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / TICKS_PER_SECOND)
}

/// The number after `name` in `/proc/PID/status` (`VmRSS:   1234 kB` gives 1234).
fn status_field(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat_with_awkward_name() {
        let stat = "42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 3 0";
        assert_eq!(cpu_seconds_from_stat(stat), Some(3.25));
        assert_eq!(cpu_seconds_from_stat("garbage"), None);
    }

    #[test]
    fn parses_status_fields() {
        let status = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t3\n";
        assert_eq!(status_field(status, "VmRSS:"), Some(1024));
        assert_eq!(status_field(status, "VmHWM:"), Some(2048));
        assert_eq!(status_field(status, "Threads:"), Some(3));
        assert_eq!(status_field(status, "VmSwap:"), None);
    }

    #[test]
    fn reads_this_process() {
        let me = sample(None).unwrap();
        assert!(me.rss_kib > 0);
        assert!(me.threads >= 1);
        assert!(me.peak_rss_kib >= me.rss_kib);
    }
}
