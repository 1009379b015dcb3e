//! `run`: one benchmark run from start to finish. Starts the worker threads, moves them through
//! the phases (connect, send, drain, done) with hard deadlines, samples the server's and its
//! own `/proc` counters around the send phase, and sums everything into a `Report`.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use crate::config::{Config, Rate};
use crate::coordination::{Phase, Shared};
use crate::histogram::LatencyHistogram;
use crate::procstat::{self, ProcSample};
use crate::report::Report;
use crate::worker::{WorkerResult, run_worker};

/// How often the orchestrating thread looks at the shared counters.
const TICK: Duration = Duration::from_millis(1);
/// Longest wait for the senders' last scheduled messages after the send phase ends.
const LAST_SLOT_GRACE: Duration = Duration::from_millis(200);

/// Runs the benchmark described by `config` against a live server. Returns the report, or a
/// readable reason why the run could not be completed (nothing is measured then).
pub fn run(config: &Config) -> Result<Report, String> {
    config.validate()?;
    let server = |what: &str| -> Result<Option<ProcSample>, String> {
        config
            .pid
            .map(|pid| procstat::sample(Some(pid)))
            .transpose()
            .map_err(|e| format!("cannot read /proc of the server {what}: {e}"))
    };
    let server_idle = server("before the run")?;
    let own_idle = procstat::sample(None).map_err(|e| e.to_string())?;
    let readers = config.clients - config.stalled;
    let shared = Arc::new(Shared::new(config.senders, readers));
    let _stop_workers = StopOnDrop(Arc::clone(&shared));

    let mut workers = Vec::new();
    for worker in 0..config.threads {
        let (config, shared) = (config.clone(), Arc::clone(&shared));
        let handle = thread::Builder::new()
            .name(format!("bench-worker-{worker}"))
            .spawn(move || {
                run_worker(worker, &config, &shared).inspect_err(|e| {
                    shared.fail(format!("worker {worker}: {e}"));
                })
            })
            .map_err(|e| format!("cannot start a worker thread: {e}"))?;
        workers.push(handle);
    }

    // Phase 1: everyone connects, registers and joins, within the connect timeout.
    let connect_started = Instant::now();
    let connect_deadline = connect_started + Duration::from_secs_f64(config.connect_timeout);
    while shared.joined.load(Ordering::Relaxed) < config.clients && shared.failure().is_none() {
        if Instant::now() > connect_deadline {
            let joined = shared.joined.load(Ordering::Relaxed);
            shared.fail(format!(
                "only {joined} of {} clients joined within {} s",
                config.clients, config.connect_timeout
            ));
        }
        thread::sleep(TICK);
    }
    let connect_seconds = connect_started.elapsed().as_secs_f64();

    // Phase 2: send (or hold, when idle) for the configured duration.
    let server_start = server("at the start")?;
    let own_start = procstat::sample(None).map_err(|e| e.to_string())?;
    let send_start_ns = shared.now_ns();
    shared.send_start_ns.store(send_start_ns, Ordering::Relaxed);
    if shared.failure().is_none() {
        shared.set_phase(Phase::Sending);
    }
    let send_end = Instant::now() + Duration::from_secs_f64(config.duration);
    while Instant::now() < send_end && shared.failure().is_none() {
        thread::sleep(TICK.max(Duration::from_millis(10)));
    }
    // At a fixed rate the last slots fall due just before the end; give their senders (which
    // wake at least every millisecond) a moment to write them, so a run sends exactly T x R.
    if let Rate::PerSecond(rate) = config.rate {
        let slots = (config.duration * f64::from(rate)) as u64;
        let grace = Instant::now() + LAST_SLOT_GRACE;
        while config.senders > 0 && shared.total_sent() < slots && Instant::now() < grace {
            thread::sleep(TICK);
        }
    }

    // Phase 3: drain until every expected delivery arrived or the drain time is up.
    if shared.failure().is_none() {
        shared.set_phase(Phase::Draining);
    }
    let drain_started = Instant::now();
    let drain_deadline = drain_started + Duration::from_secs_f64(config.drain);
    while config.senders > 0 && shared.failure().is_none() && Instant::now() < drain_deadline {
        if shared.total_delivered() >= shared.expected_deliveries() {
            break;
        }
        thread::sleep(TICK);
    }
    let drain_seconds = drain_started.elapsed().as_secs_f64();
    let wall_seconds = (shared.now_ns() - send_start_ns) as f64 / 1e9;
    let server_end = server("at the end")?;
    let own_end = procstat::sample(None).map_err(|e| e.to_string())?;

    shared.set_phase(Phase::Done);
    let mut results = Vec::new();
    for handle in workers {
        match handle.join() {
            Ok(Ok(result)) => results.push(result),
            Ok(Err(_)) => {} // already recorded by `fail`
            Err(_) => shared.fail("a worker thread panicked".into()),
        }
    }
    if let Some(why) = shared.failure() {
        return Err(why);
    }

    let sent: Vec<u64> = shared
        .sent
        .iter()
        .map(|s| s.load(Ordering::Relaxed))
        .collect();
    let mut report = summarize(config, &sent, &results);
    report.connect_seconds = connect_seconds;
    report.drain_seconds = drain_seconds;
    report.wall_seconds = wall_seconds;
    report.deliveries_per_second = if report.last_delivery_ns > send_start_ns {
        report.deliveries as f64 / ((report.last_delivery_ns - send_start_ns) as f64 / 1e9)
    } else {
        0.0
    };
    report.tool_cpu_seconds = own_end.cpu_seconds - own_start.cpu_seconds;
    report.tool_connect_cpu_seconds = own_start.cpu_seconds - own_idle.cpu_seconds;
    if let (Some(idle), Some(start), Some(end)) = (server_idle, server_start, server_end) {
        report.server = Some(crate::report::ServerFigures {
            cpu_seconds: end.cpu_seconds - start.cpu_seconds,
            connect_cpu_seconds: start.cpu_seconds - idle.cpu_seconds,
            rss_before_kib: idle.rss_kib,
            rss_kib: end.rss_kib,
            peak_rss_kib: end.peak_rss_kib,
            threads: end.threads,
        });
    }
    Ok(report)
}

/// Ends the run when dropped, so an early return can never leave worker threads running.
struct StopOnDrop(Arc<Shared>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.set_phase(Phase::Done);
    }
}

/// Adds up the workers' results: loss is counted per (reader, sender) against what was sent.
fn summarize(config: &Config, sent: &[u64], results: &[WorkerResult]) -> Report {
    let mut report = Report::new(config);
    let mut histogram = LatencyHistogram::new();
    report.sent = sent.iter().sum();
    let readers = (config.clients - config.stalled) as u64;
    report.expected = report.sent * readers.saturating_sub(1);
    for result in results {
        histogram.merge(&result.histogram);
        report.deliveries += result.deliveries;
        report.last_delivery_ns = report.last_delivery_ns.max(result.last_delivery_ns);
        report.readers_closed += result.readers_closed;
        report.stalled_dropped += result.stalled_dropped;
        if report.first_close_reason.is_none() {
            report
                .first_close_reason
                .clone_from(&result.first_close_reason);
        }
        for (reader, trackers) in &result.readers {
            for (sender, tracker) in trackers.iter().enumerate() {
                if sender == *reader {
                    continue; // a sender does not receive its own messages
                }
                report.lost += tracker.lost(sent[sender]);
                report.duplicates += tracker.duplicates();
                report.reordered += tracker.reordered();
            }
        }
    }
    report.latency_p50_us = histogram.percentile(0.50) as f64 / 1e3;
    report.latency_p99_us = histogram.percentile(0.99) as f64 / 1e3;
    report.latency_max_us = histogram.max() as f64 / 1e3;
    report
}
