//! End-to-end runs of `lanchat_bench::run` against the in-test fan-out stub (tests/support):
//! real sockets on loopback, small N and T, checking the counts the report gives.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::atomic::Ordering;

use clap::Parser;
use lanchat_bench::{Config, Rate, run};

fn config(addr: std::net::SocketAddr, extra: &[&str]) -> Config {
    let server = addr.to_string();
    let mut args = vec![
        "lanchat-bench",
        "--server",
        &server,
        "--connect-timeout",
        "20",
    ];
    args.extend_from_slice(&["--drain", "5", "--label", "stub"]);
    args.extend_from_slice(extra);
    Config::try_parse_from(args).unwrap()
}

#[test]
fn fixed_rate_run_delivers_every_message_to_every_reader() {
    let stub = support::start_stub();
    let cfg = config(stub.addr, &["-n", "12", "-s", "3", "-r", "300", "-t", "1"]);
    let report = run(&cfg).unwrap();

    assert!(
        report.sent > 0 && report.sent <= 300,
        "sent {}",
        report.sent
    );
    assert_eq!(report.expected, report.sent * 11);
    assert_eq!(report.deliveries, report.expected);
    assert_eq!(
        (report.lost, report.duplicates, report.reordered),
        (0, 0, 0)
    );
    assert_eq!(report.readers_closed, 0);
    assert!(report.latency_p50_us > 0.0);
    assert!(report.latency_p99_us <= report.latency_max_us + 1.0);
    // Every client answered the stub's PING during registration.
    assert_eq!(stub.pongs.load(Ordering::Relaxed), 12);
    assert!(
        report
            .json()
            .contains(&format!("\"sent\":{},", report.sent))
    );
}

#[test]
fn max_rate_run_with_a_stalled_member_counts_no_loss_for_the_others() {
    let stub = support::start_stub();
    let cfg = config(
        stub.addr,
        &[
            "-n",
            "8",
            "-s",
            "2",
            "--stalled",
            "1",
            "-r",
            "max",
            "-t",
            "0.5",
            "--window",
            "8",
        ],
    );
    assert_eq!(cfg.rate, Rate::Max);
    let report = run(&cfg).unwrap();

    assert!(report.sent > 0);
    // 7 readers (the stalled member excluded); each message reaches all but its sender.
    assert_eq!(report.expected, report.sent * 6);
    assert_eq!(report.deliveries, report.expected);
    assert_eq!((report.lost, report.duplicates), (0, 0));
    assert!(report.stalled_dropped <= 1);
}

#[test]
fn idle_run_holds_connections_and_reads_server_figures() {
    let stub = support::start_stub();
    // The stub runs inside this test process, so this process is "the server" for /proc.
    let pid = std::process::id().to_string();
    let cfg = config(
        stub.addr,
        &["-n", "20", "-s", "0", "-t", "0.2", "--pid", &pid],
    );
    let report = run(&cfg).unwrap();

    assert_eq!((report.sent, report.deliveries, report.lost), (0, 0, 0));
    assert_eq!(stub.pongs.load(Ordering::Relaxed), 20);
    let server = report.server.unwrap();
    assert!(server.rss_kib > 0 && server.threads > 20);
}

#[test]
fn refuses_a_server_that_is_not_on_loopback() {
    let cfg = config("192.0.2.1:6667".parse().unwrap(), &["-n", "2", "-s", "1"]);
    let err = run(&cfg).unwrap_err();
    assert!(err.contains("not a loopback address"), "{err}");
}
