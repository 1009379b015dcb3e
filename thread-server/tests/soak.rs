//! Soak, bounded in count and time: 10,000 connect/disconnect cycles must leak no threads
//! and no memory. In a file of its own so that no other test shares the process it measures.
#![allow(clippy::unwrap_used)]

mod support;

use std::thread;
use std::time::{Duration, Instant};

use support::{TestClient, start_server};

fn proc_status(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn ten_thousand_connect_disconnect_cycles_leak_no_threads_or_memory() {
    const CYCLES: usize = 10_000;
    const WORKERS: usize = 4;
    let server = start_server();
    // Warm up allocator and thread caches before taking the baseline.
    for i in 0..200 {
        let mut c = server.client(&format!("warm{i}"));
        c.send("QUIT");
        c.read_until_closed();
    }
    let threads_before = proc_status("Threads:");
    let rss_before = proc_status("VmRSS:");

    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let addr = server.addr;
            thread::spawn(move || {
                for i in 0..CYCLES / WORKERS {
                    let mut c = TestClient::connect(addr);
                    c.register(&format!("c{w}x{i}"));
                    c.send("JOIN #churn");
                    c.send("QUIT :bye");
                    c.read_until_closed();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    // Session threads finish just after the client sees EOF; give them a bounded moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    while proc_status("Threads:") > threads_before && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    assert!(
        proc_status("Threads:") <= threads_before,
        "session threads leaked"
    );
    let rss_after = proc_status("VmRSS:");
    assert!(
        rss_after < rss_before + 16 * 1024,
        "RSS grew from {rss_before} KiB to {rss_after} KiB"
    );
    // And the registry is empty again: only the asking client is left.
    let mut probe = server.client("probe");
    probe.send("LUSERS");
    probe.expect_reply("251", &["There are 1 users and 0 invisible on 1 servers"]);
    probe.expect_reply("253", &["0", "unknown connection(s)"]);
    probe.expect_reply("254", &["0", "channels formed"]);
}
