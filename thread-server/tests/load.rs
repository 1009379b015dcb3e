//! Load, bounded in count and time: 200 clients in one room, and a member that never reads.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Barrier};
use std::thread;

use shared::Message;
use support::{TestClient, start_server, start_with};
use thread_server::Config;

/// Reads PRIVMSGs until `count` arrived; checks each sender's sequence numbers come in order.
/// Returns how many came from each sender, and the other messages seen meanwhile.
fn read_in_order(c: &mut TestClient, count: usize) -> (HashMap<String, u32>, Vec<Message>) {
    let mut next = HashMap::new();
    let others = read_in_order_from(c, count, &mut next);
    (next, others)
}

/// [`read_in_order`], continuing from the sequence numbers already in `next`; returns the
/// other messages seen meanwhile.
fn read_in_order_from(
    c: &mut TestClient,
    count: usize,
    next: &mut HashMap<String, u32>,
) -> Vec<Message> {
    let mut others = Vec::new();
    let mut got = 0;
    while got < count {
        let msg = c.recv();
        if msg.command != "PRIVMSG" {
            others.push(msg);
            continue;
        }
        let mut words = msg.param(1).split(' ');
        let (sender, seq) = (words.next().unwrap(), words.next().unwrap());
        let seq: u32 = seq.parse().unwrap();
        let expected = next.entry(sender.to_string()).or_insert(0);
        assert_eq!(
            seq, *expected,
            "{}: message from {sender} out of order",
            c.nick
        );
        *expected += 1;
        got += 1;
    }
    others
}

#[test]
fn two_hundred_clients_each_get_every_message_in_order() {
    const CLIENTS: usize = 200;
    const MESSAGES: u32 = 20;
    let server = start_server();
    let mut clients: Vec<TestClient> = (0..CLIENTS)
        .map(|i| {
            let mut c = TestClient::connect(server.addr);
            c.send("CAP REQ :echo-message");
            c.send("CAP END");
            c.register(&format!("s{i}"));
            c.join("#class");
            c
        })
        .collect();
    // Everyone has joined; now all talk at once.
    let start = Arc::new(Barrier::new(CLIENTS));
    let threads: Vec<_> = clients
        .drain(..)
        .map(|mut c| {
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                let lines: String = (0..MESSAGES)
                    .map(|seq| format!("PRIVMSG #class :{} {seq}\r\n", c.nick))
                    .collect();
                c.send_raw(lines.as_bytes());
                read_in_order(&mut c, CLIENTS * MESSAGES as usize).0
            })
        })
        .collect();
    for t in threads {
        let per_sender = t.join().unwrap();
        assert_eq!(per_sender.len(), CLIENTS);
        assert!(per_sender.values().all(|&n| n == MESSAGES));
    }
}

#[test]
fn member_that_never_reads_is_dropped_and_nobody_else_loses_anything() {
    const TALKERS: usize = 4;
    const MESSAGES: u32 = 4000;
    let mut config = Config::for_tests();
    config.max_sendq = 256 * 1024;
    let server = start_with(config);
    let mut stalled = server.client("stalled");
    stalled.join("#lab");
    let mut talkers: Vec<TestClient> = (0..TALKERS)
        .map(|i| {
            let mut c = TestClient::connect(server.addr);
            c.send("CAP REQ :echo-message");
            c.send("CAP END");
            c.register(&format!("t{i}"));
            c.join("#lab");
            c
        })
        .collect();
    // Each line is ~450 bytes: about 7 MB goes to every member, 29 MB in all. Talkers send in
    // batches and wait for their own echo, so a member that reads never falls far behind,
    // however busy the machine is; the one that never reads falls behind without bound.
    const BATCH: u32 = 100;
    let padding = "x".repeat(420);
    let threads: Vec<_> = talkers
        .drain(..)
        .map(|mut c| {
            let padding = padding.clone();
            thread::spawn(move || {
                let mut next: HashMap<String, u32> = HashMap::new();
                let mut others = Vec::new();
                for batch in 0..MESSAGES / BATCH {
                    let lines: String = (batch * BATCH..(batch + 1) * BATCH)
                        .map(|seq| format!("PRIVMSG #lab :{} {seq} {padding}\r\n", c.nick))
                        .collect();
                    c.send_raw(lines.as_bytes());
                    let nick = c.nick.clone();
                    while next.get(&nick).copied().unwrap_or(0) < (batch + 1) * BATCH {
                        others.extend(read_in_order_from(&mut c, 1, &mut next));
                    }
                }
                // Then read what the others still send.
                while next.values().sum::<u32>() < TALKERS as u32 * MESSAGES {
                    others.extend(read_in_order_from(&mut c, 1, &mut next));
                }
                // The stalled member was dropped for SendQ, and everyone was told why.
                if !others.iter().any(|m| m.command == "QUIT") {
                    others.push(c.expect("QUIT"));
                }
                let quit = others.iter().find(|m| m.command == "QUIT").unwrap();
                assert_eq!(
                    (quit.source_nick(), quit.param(0)),
                    ("stalled", "SendQ exceeded")
                );
                next
            })
        })
        .collect();
    for t in threads {
        let seen = t.join().unwrap();
        assert_eq!(seen.len(), TALKERS);
        assert!(seen.values().all(|&n| n == MESSAGES));
    }
    // The stalled client's connection was closed (whatever it had buffered, then EOF).
    let lines = stalled.read_until_closed();
    assert!(lines.len() < TALKERS * MESSAGES as usize);
}
