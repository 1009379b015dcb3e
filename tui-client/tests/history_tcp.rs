//! History over real TCP and the client's real network threads: a small scripted IRCv3 server
//! on 127.0.0.1:0 replays `#lab` in a `chathistory` batch, answers the client's
//! `CHATHISTORY BEFORE`, drops the client, and replays again after it reconnects (one message
//! new, the rest already seen). The client must show each message once, in order.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Sender, channel};
use std::thread;
use std::time::Duration;

use ratatui::crossterm::event::KeyCode;
use support::*;
use tui_client::app::ConnState;
use tui_client::buffer::Older;
use tui_client::net::{self, Backoff, Network};

/// Reads lines until one starts with `prefix`; sends each to `seen`.
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

/// Writes server lines, each with CRLF.
fn say(stream: &mut TcpStream, lines: &[String]) {
    for line in lines {
        stream.write_all(format!("{line}\r\n").as_bytes()).unwrap();
    }
}

/// A replayed `#lab` line inside batch `batch`.
fn line(batch: &str, h: u32, m: u32, id: &str) -> String {
    replayed(batch, "bob", h, m, id, &format!("message {id}"))
}

/// Registration with the history capabilities, then the join of `#lab`.
fn welcome(stream: &mut TcpStream, reader: &mut BufReader<TcpStream>, seen: &Sender<String>) {
    read_until(reader, "USER", seen);
    say(
        stream,
        &[":fake CAP * LS :batch server-time message-tags draft/chathistory".into()],
    );
    read_until(reader, "CAP REQ", seen);
    say(
        stream,
        &[":fake CAP * ACK :batch server-time message-tags draft/chathistory".into()],
    );
    read_until(reader, "CAP END", seen);
    say(
        stream,
        &[
            ":fake 001 alice :Welcome".into(),
            ":fake 005 alice CHATHISTORY=100 MSGREFTYPES=msgid,timestamp :are supported".into(),
        ],
    );
    read_until(reader, "JOIN #lab", seen);
    say(
        stream,
        &[
            ":alice!a@127.0.0.1 JOIN #lab".into(),
            ":fake 353 alice = #lab :alice bob".into(),
            ":fake 366 alice #lab :End of /NAMES list.".into(),
        ],
    );
}

/// The scripted server: first connection replays m2 m3, sends m4 live, answers the page
/// request with m1, then drops the client; the second replays m3 m4 m5 and waits for QUIT.
fn scripted_server(listener: TcpListener, seen: Sender<String>) {
    for round in 0..2 {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        seen.send(format!("-- connection {round}")).unwrap();
        welcome(&mut stream, &mut reader, &seen);
        if round == 0 {
            say(
                &mut stream,
                &[
                    ":fake BATCH +j chathistory #lab".into(),
                    line("j", 9, 2, "m2"),
                    line("j", 9, 3, "m3"),
                    ":fake BATCH -j".into(),
                    line("", 10, 4, "m4"),
                ],
            );
            read_until(&mut reader, "CHATHISTORY", &seen);
            say(
                &mut stream,
                &[
                    ":fake BATCH +p chathistory #lab".into(),
                    line("p", 9, 1, "m1"),
                    ":fake BATCH -p".into(),
                ],
            );
            read_until(&mut reader, "PRIVMSG #lab :got it", &seen);
            // Dropping the stream closes the connection, as a crashed server would.
        } else {
            say(
                &mut stream,
                &[
                    ":fake BATCH +k chathistory #lab".into(),
                    line("k", 9, 3, "m3"),
                    line("k", 10, 4, "m4"),
                    line("k", 10, 5, "m5"),
                    ":fake BATCH -k".into(),
                ],
            );
            read_until(&mut reader, "QUIT", &seen);
        }
    }
}

#[test]
fn history_pages_back_and_a_reconnect_replay_adds_only_the_missed_message() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (seen_tx, seen) = channel();
    let server = thread::spawn(move || scripted_server(listener, seen_tx));

    let (events_tx, events) = channel();
    let stream = net::connect(&address, Duration::from_secs(2)).unwrap();
    let backoff = Backoff {
        first: Duration::from_millis(100),
        max: Duration::from_millis(400),
    };
    let network = Network::start(stream, address, backoff, events_tx).unwrap();
    let mut app = new_app("alice");
    let mut connection = 0;
    let has = |id: &'static str| {
        move |a: &tui_client::app::App| {
            a.find("#lab").is_some_and(|i| {
                a.buffers[i]
                    .lines
                    .iter()
                    .any(|l| l.msgid.as_deref() == Some(id))
            })
        }
    };

    drive(&mut app, &events, &network, &mut connection, has("m4"));
    let out = key(&mut app, KeyCode::PageUp);
    network.send(connection, out);
    drive(&mut app, &events, &network, &mut connection, has("m1"));
    assert_eq!(app.current().older, Older::MayExist);
    let out = type_line(&mut app, "got it");
    network.send(connection, out);
    drive(&mut app, &events, &network, &mut connection, |a| {
        matches!(a.conn, ConnState::Lost(_))
    });
    drive(&mut app, &events, &network, &mut connection, has("m5"));
    assert_eq!(connection, 2);
    let out = type_line(&mut app, "/quit");
    network.send(connection, out);
    network.shutdown();
    server.join().unwrap();

    let ids: Vec<&str> = app
        .current()
        .lines
        .iter()
        .filter_map(|l| l.msgid.as_deref())
        .collect();
    assert_eq!(ids, ["m1", "m2", "m3", "m4", "m5"]);
    let lines: Vec<String> = seen.try_iter().collect();
    let requests: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("CHATHISTORY"))
        .collect();
    assert_eq!(requests, ["CHATHISTORY BEFORE #lab msgid=m2 50"]);
    assert!(
        lines.contains(&"CAP REQ :batch server-time message-tags draft/chathistory".to_string()),
        "{lines:?}"
    );
}
