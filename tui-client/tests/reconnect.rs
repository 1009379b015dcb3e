//! The network threads over real TCP: a tiny throwaway IRC listener on 127.0.0.1:0 accepts
//! the client, drops it, and accepts it again; the client must reconnect by itself, rejoin,
//! and send what was typed during the outage. Also the error for a refused first connection.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Sender, channel};
use std::thread;
use std::time::Duration;

use support::*;
use tui_client::app::ConnState;
use tui_client::error::ClientError;
use tui_client::net::{self, Backoff, Network};

/// Reads lines from `reader` until one starts with `prefix`; sends every line to `seen`.
fn read_until(reader: &mut BufReader<TcpStream>, prefix: &str, seen: &Sender<String>) {
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).unwrap();
        assert!(n > 0, "client closed before sending {prefix:?}");
        let line = line.trim_end().to_string();
        seen.send(line.clone()).unwrap();
        if line.starts_with(prefix) {
            return;
        }
    }
}

/// Registers the client on `stream` the way a minimal server would.
fn welcome(stream: &mut TcpStream, reader: &mut BufReader<TcpStream>, seen: &Sender<String>) {
    read_until(reader, "USER", seen);
    stream.write_all(b":fake CAP * LS :\r\n").unwrap();
    read_until(reader, "CAP END", seen);
    stream.write_all(b":fake 001 alice :Welcome\r\n").unwrap();
    read_until(reader, "JOIN #lab", seen);
    stream.write_all(b":alice!a@h JOIN #lab\r\n").unwrap();
}

/// The fake server: two connections, the first dropped after "before" arrives.
fn fake_server(listener: TcpListener, seen: Sender<String>) {
    for round in 0..2 {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        seen.send(format!("-- connection {round}")).unwrap();
        welcome(&mut stream, &mut reader, &seen);
        let last = if round == 0 {
            "PRIVMSG #lab before"
        } else {
            "PRIVMSG #lab during"
        };
        read_until(&mut reader, last, &seen);
        // Dropping the stream closes the connection, as a crashed server would.
    }
}

#[test]
fn the_client_reconnects_rejoins_and_sends_what_was_typed_offline() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (seen_tx, seen) = channel();
    let server = thread::spawn(move || fake_server(listener, seen_tx));

    let (events_tx, events) = channel();
    let stream = net::connect(&address, Duration::from_secs(2)).unwrap();
    let backoff = Backoff {
        first: Duration::from_millis(100),
        max: Duration::from_millis(400),
    };
    let network = Network::start(stream, address, backoff, events_tx).unwrap();
    let mut app = new_app("alice");
    let mut connection = 0;

    drive(&mut app, &events, &network, &mut connection, |a| {
        a.online() && a.current().name == "#lab"
    });
    let out = type_line(&mut app, "before");
    network.send(connection, out);
    drive(&mut app, &events, &network, &mut connection, |a| {
        matches!(a.conn, ConnState::Lost(_))
    });
    // Typed while the link is down: queued, shown as queued, never dropped.
    let out = type_line(&mut app, "during");
    assert!(out.is_empty());
    assert_eq!(app.queued(), 1);
    drive(&mut app, &events, &network, &mut connection, |a| {
        a.online() && a.queued() == 0
    });
    assert_eq!(connection, 2);
    server.join().unwrap();
    network.shutdown();

    let lines: Vec<String> = seen.try_iter().collect();
    let second = lines.iter().position(|l| l == "-- connection 1").unwrap();
    let after: Vec<&str> = lines[second..]
        .iter()
        .map(String::as_str)
        .filter(|l| !l.starts_with("PING"))
        .collect();
    assert_eq!(
        after,
        [
            "-- connection 1",
            "CAP LS 302",
            "NICK alice",
            "USER alice 0 * :lanchat user",
            "CAP END",
            "JOIN #lab",
            "PRIVMSG #lab during",
        ]
    );
    assert!(lines[..second].contains(&"PRIVMSG #lab before".to_string()));
}

#[test]
fn a_refused_first_connection_is_one_clear_sentence() {
    // Bind then drop a listener so the port is (almost certainly) closed.
    let address = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let source = net::connect(&address, Duration::from_secs(2)).unwrap_err();
    let error = ClientError::Connect {
        address: address.clone(),
        source,
    };
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("cannot connect to {address}: ")),
        "{text}"
    );
    assert!(text.ends_with("(is lanchatd running there?)"), "{text}");
}

#[test]
fn backoff_doubles_with_jitter_and_stops_at_the_maximum() {
    let backoff = Backoff {
        first: Duration::from_millis(400),
        max: Duration::from_secs(5),
    };
    for attempt in 0..10 {
        let base = (400u64 << attempt).min(5000) as f64;
        let delay = backoff.delay(attempt).as_millis() as f64;
        assert!(
            delay >= base * 0.75 && delay <= base * 1.25,
            "attempt {attempt}: {delay} ms"
        );
    }
}
