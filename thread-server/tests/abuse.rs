//! Bad input: oversize lines and tags, endless lines, invalid UTF-8, NUL and bare CR, random
//! binary, vanished peers, floods and connection limits. Each must give a clear reply or a
//! clean disconnect, never a panic, and never disturb anyone else.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::Write;
use std::net::TcpStream;

use support::{TestClient, start_server, start_with};
use thread_server::Config;

/// A bystander in #lab who must see nothing odd while someone misbehaves.
fn bystander_still_fine(b: &mut TestClient, other: &mut TestClient) {
    other.send("PRIVMSG #lab :still working");
    let msg = b.expect("PRIVMSG");
    assert_eq!(msg.param(1), "still working");
}

#[test]
fn oversize_body_gets_417_and_the_client_stays() {
    let server = start_server();
    let mut c = server.client("big");
    c.join("#lab");
    // 512 bytes with CRLF is the limit: 510 bytes of line are fine, 511 are not.
    let fits = format!("PRIVMSG #lab :{}", "a".repeat(510 - "PRIVMSG #lab :".len()));
    assert_eq!(fits.len(), 510);
    c.send(&fits);
    c.expect_silence();
    c.send(&format!("{fits}b"));
    c.expect_reply("417", &["Input line too long: over 512 bytes"]);
    c.send("PING :alive");
    assert_eq!(c.expect("PONG").param(1), "alive");
}

#[test]
fn oversize_tags_get_417() {
    let server = start_server();
    let mut c = server.client("tags");
    let tags = format!("@+x={}", "v".repeat(4095));
    c.send(&format!("{tags} PING :a"));
    c.expect_reply("417", &["Input line too long: tags over 4094 bytes"]);
    // 4094 bytes of tags are still accepted.
    let fits = format!("@+x={}", "v".repeat(4094 - 3));
    c.send(&format!("{fits} PING :b"));
    assert_eq!(c.expect("PONG").param(1), "b");
}

#[test]
fn endless_line_without_newline_disconnects() {
    let server = start_server();
    let mut b = server.client("bystander");
    let mut talker = server.client("talker");
    b.join("#lab");
    talker.join("#lab");
    let mut c = server.client("endless");
    c.send_raw(&vec![b'x'; 9 * 1024]);
    let lines = c.read_until_closed();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ERROR") && l.contains("no newline")),
        "{lines:?}"
    );
    bystander_still_fine(&mut b, &mut talker);
}

#[test]
fn invalid_utf8_nul_and_bare_cr_get_a_notice() {
    let server = start_server();
    let mut b = server.client("bystander");
    let mut c = server.client("sender");
    b.join("#lab");
    c.join("#lab");
    b.expect("JOIN");

    c.send_raw(b"PRIVMSG #lab :caf\xe9 latin-1\r\n");
    let notice = c.expect("NOTICE");
    assert!(notice.param(1).contains("not valid UTF-8"), "{notice}");
    c.send_raw(b"PRIVMSG #lab :nul\0byte\r\n");
    let notice = c.expect("NOTICE");
    assert!(notice.param(1).contains("forbidden character"), "{notice}");
    c.send_raw(b"PRIVMSG #lab :bare\rcarriage\r\n");
    let notice = c.expect("NOTICE");
    assert!(notice.param(1).contains("forbidden character"), "{notice}");
    // None of those reached the channel; the next good line does.
    bystander_still_fine(&mut b, &mut c);
}

#[test]
fn random_binary_does_not_hurt_the_server() {
    let server = start_server();
    let mut b = server.client("bystander");
    let mut talker = server.client("talker");
    b.join("#lab");
    talker.join("#lab");
    // A fixed pseudo-random stream (xorshift), so a failure is reproducible.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut noise = Vec::with_capacity(64 * 1024);
    for _ in 0..64 * 1024 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        noise.push((state & 0xFF) as u8);
    }
    for _ in 0..8 {
        let mut raw = TcpStream::connect(server.addr).unwrap();
        // The server may close on us mid-way (endless line): that is a fine outcome.
        let _ = raw.write_all(&noise);
        state = state.rotate_left(5);
        noise.rotate_left((state % 1000) as usize);
    }
    bystander_still_fine(&mut b, &mut talker);
}

#[test]
fn eof_mid_line_frees_nick_and_seat_at_once() {
    let server = start_server();
    let mut b = server.client("bystander");
    b.join("#lab");
    let mut gone = server.client("gone");
    gone.join("#lab");
    gone.send_raw(b"PRIVMSG #lab :half a li");
    drop(gone);
    let quit = b.expect("QUIT");
    assert_eq!(quit.source_nick(), "gone");
    assert_eq!(quit.param(0), "Connection closed mid-line");
    b.send("NAMES #lab");
    b.expect_reply("353", &["=", "#lab", "@bystander"]);
    let _again = server.client("gone");
}

#[test]
fn connection_reset_frees_nick_and_seat() {
    let server = start_server();
    let mut b = server.client("bystander");
    b.join("#lab");
    let mut reset = TestClient::connect(server.addr);
    reset.send("NICK resetter");
    reset.send("USER r 0 * :R");
    reset.send("JOIN #lab");
    b.expect("JOIN");
    // Closing a socket with unread data in it makes the kernel send RST instead of FIN; peek
    // (without reading) until the server's replies are there.
    reset.stream.peek(&mut [0u8; 1]).unwrap();
    drop(reset);
    let quit = b.expect("QUIT");
    assert_eq!(quit.source_nick(), "resetter");
    assert_eq!(quit.param(0), "Read error: connection reset");
    let _again = server.client("resetter");
}

#[test]
fn flooding_client_is_slowed_not_dropped_and_others_are_unaffected() {
    let mut config = Config::for_tests();
    config.flood_rate = 20.0;
    config.flood_burst = 5;
    let server = start_with(config);
    let mut b = server.client("bystander");
    let mut other = server.client("other");
    b.join("#lab");
    other.join("#lab");
    let mut flooder = server.client("flooder");
    flooder.join("#lab");
    let burst: String = (0..40)
        .map(|i| format!("PRIVMSG #lab :flood {i}\r\n"))
        .collect();
    flooder.send_raw(burst.as_bytes());
    // While the flooder is being slowed down, others talk normally.
    other.send("PING :responsive");
    assert_eq!(other.expect("PONG").param(1), "responsive");
    // Every flood line arrives, in order, and the flooder is still connected.
    for i in 0..40 {
        let msg = b.expect("PRIVMSG");
        assert_eq!(msg.param(1), format!("flood {i}"));
    }
    flooder.send("PING :ok");
    assert_eq!(flooder.expect("PONG").param(1), "ok");
}

#[test]
fn max_clients_refuses_with_error() {
    let mut config = Config::for_tests();
    config.max_clients = 2;
    let server = start_with(config);
    let _a = server.client("a");
    let _b = server.client("b");
    let mut c = TestClient::connect(server.addr);
    let lines = c.read_until_closed();
    assert_eq!(lines, vec!["ERROR :Server full: too many connections"]);
}

#[test]
fn max_per_ip_applies_to_loopback_only_when_asked() {
    let mut config = Config::for_tests();
    config.max_per_ip = 2;
    let exempt = start_with(config.clone());
    let _clients: Vec<_> = (0..4).map(|i| exempt.client(&format!("u{i}"))).collect();

    config.limit_loopback = true;
    let limited = start_with(config);
    let _a = limited.client("a");
    let _b = limited.client("b");
    let mut c = TestClient::connect(limited.addr);
    let lines = c.read_until_closed();
    assert_eq!(
        lines,
        vec!["ERROR :Too many connections from your IP address"]
    );
}
