//! Registration transcripts: NICK/USER, CAP negotiation, PASS, the welcome burst, PING/PONG,
//! nick errors and changes, 451 before registration, 421 for unknown commands.
#![allow(clippy::unwrap_used)]

mod support;

use support::{TestClient, start_server, start_with};
use thread_server::Config;

#[test]
fn welcome_burst_has_001_to_005_lusers_and_motd() {
    let server = start_server();
    let mut c = TestClient::connect(server.addr);
    c.send("NICK alice");
    c.send("USER alice 0 * :Alice Example");
    let welcome = c.expect("001");
    assert_eq!(welcome.source.as_deref(), Some("test.server"));
    assert_eq!(welcome.param(0), "alice");
    assert!(
        welcome.param(1).ends_with("alice!~alice@127.0.0.1"),
        "{welcome}"
    );
    c.expect("002");
    c.expect("003");
    let myinfo = c.expect("004");
    assert_eq!(
        &myinfo.params[1..],
        ["test.server", "lanchatd-0.1.0", "io", "biklmnotv", "bklov"]
    );
    let isupport = c.expect("005");
    for token in [
        "CASEMAPPING=rfc1459",
        "CHANTYPES=#",
        "CHANMODES=b,k,l,imnt",
        "PREFIX=(ov)@+",
        "NICKLEN=30",
        "CHANNELLEN=50",
        "TOPICLEN=390",
        "CHANLIMIT=#:50",
        "NETWORK=lanchat",
    ] {
        assert!(
            isupport.params.iter().any(|p| p == token),
            "005 lacks {token}: {isupport}"
        );
    }
    c.expect_reply("251", &["There are 1 users and 0 invisible on 1 servers"]);
    c.expect_reply("252", &["0", "operator(s) online"]);
    c.expect_reply("253", &["0", "unknown connection(s)"]);
    c.expect_reply("254", &["0", "channels formed"]);
    c.expect_reply("255", &["I have 1 clients and 0 servers"]);
    c.expect_reply("422", &["MOTD File is missing"]);
}

#[test]
fn motd_file_is_sent_as_375_372_376() {
    let dir = std::env::temp_dir().join(format!("lanchat-motd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("motd.txt");
    std::fs::write(&path, "Welcome to CS101\n안녕하세요\n").unwrap();
    let mut config = Config::for_tests();
    config.motd_file = Some(path);
    let server = start_with(config);
    let mut c = TestClient::connect(server.addr);
    c.send("NICK bob");
    c.send("USER bob 0 * :Bob");
    c.expect("375");
    c.expect_reply("372", &["- Welcome to CS101"]);
    c.expect_reply("372", &["- 안녕하세요"]);
    c.expect_reply("376", &["End of /MOTD command."]);
}

#[test]
fn commands_before_registration_get_451_and_unknown_get_421() {
    let server = start_server();
    let mut c = TestClient::connect(server.addr);
    c.send("JOIN #lab");
    c.expect_reply("451", &["You have not registered"]);
    c.register("carol");
    c.send("FROBNICATE x");
    c.expect_reply("421", &["FROBNICATE", "Unknown command"]);
    c.send("USER again 0 * :x");
    c.expect_reply("462", &["You may not reregister"]);
}

#[test]
fn cap_negotiation_holds_registration_until_end() {
    let server = start_server();
    let mut c = TestClient::connect(server.addr);
    c.send("CAP LS 302");
    let ls = c.expect("CAP");
    assert_eq!(ls.param(1), "LS");
    for cap in [
        "multi-prefix",
        "userhost-in-names",
        "server-time",
        "echo-message",
        "message-tags",
    ] {
        assert!(ls.param(2).split(' ').any(|c| c == cap), "LS lacks {cap}");
    }
    c.send("NICK dave");
    c.send("USER dave 0 * :Dave");
    c.send("CAP REQ :multi-prefix server-time");
    let ack = c.expect("CAP");
    assert_eq!(
        (ack.param(1), ack.param(2)),
        ("ACK", "multi-prefix server-time")
    );
    c.send("CAP REQ :server-time bogus-cap");
    let nak = c.expect("CAP");
    assert_eq!(
        (nak.param(1), nak.param(2)),
        ("NAK", "server-time bogus-cap")
    );
    c.send("CAP LIST");
    let list = c.expect("CAP");
    assert_eq!(
        (list.param(1), list.param(2)),
        ("LIST", "multi-prefix server-time")
    );
    // Still negotiating: no welcome yet. PING proves the server has read everything above.
    c.send("PING :x");
    assert_eq!(c.expect("PONG").param(1), "x");
    c.send("CAP END");
    c.expect("001");
}

#[test]
fn password_is_checked_with_464() {
    let mut config = Config::for_tests();
    config.password = Some("s3cret".to_string());
    let server = start_with(config);

    let mut wrong = TestClient::connect(server.addr);
    wrong.send("PASS nope");
    wrong.send("NICK eve");
    wrong.send("USER eve 0 * :Eve");
    wrong.expect_reply("464", &["Password incorrect"]);
    let rest = wrong.read_until_closed();
    assert!(rest.iter().any(|l| l.starts_with("ERROR")), "{rest:?}");

    let mut missing = TestClient::connect(server.addr);
    missing.send("NICK eve2");
    missing.send("USER eve 0 * :Eve");
    missing.expect("464");

    let mut right = TestClient::connect(server.addr);
    right.send("PASS s3cret");
    right.register("frank");
}

#[test]
fn nick_errors_432_433_431() {
    let server = start_server();
    let _alice = server.client("alice");
    let mut c = TestClient::connect(server.addr);
    c.send("NICK");
    c.expect_reply("431", &["No nickname given"]);
    c.send("NICK 9lives");
    c.expect_reply("432", &["9lives", "Erroneous nickname"]);
    c.send("NICK ALICE");
    c.expect_reply("433", &["ALICE", "Nickname is already in use"]);
    c.register("alice_");
}

#[test]
fn nick_change_is_seen_by_channel_neighbours() {
    let server = start_server();
    let mut a = server.client("alice");
    let mut b = server.client("bob");
    let mut loner = server.client("loner");
    a.join("#lab");
    b.join("#lab");
    a.send("NICK alicia");
    let seen_by_self = a.expect("NICK");
    assert_eq!(
        seen_by_self.source.as_deref(),
        Some("alice!~alice@127.0.0.1")
    );
    assert_eq!(seen_by_self.param(0), "alicia");
    assert_eq!(b.expect("NICK").param(0), "alicia");
    loner.expect_silence();
    // The old nick is free again, the new one is taken.
    b.send("NICK alicia");
    b.expect("433");
    let mut c = TestClient::connect(server.addr);
    c.register("alice");
}

#[test]
fn ping_is_answered_and_409_without_origin() {
    let server = start_server();
    let mut c = server.client("pinger");
    c.send("PING :abc 123");
    let pong = c.expect("PONG");
    assert_eq!(pong.params, vec!["test.server", "abc 123"]);
    c.send("PING");
    c.expect_reply("409", &["No origin specified"]);
}

#[test]
fn server_pings_idle_clients_and_drops_silent_ones() {
    let mut config = Config::for_tests();
    config.ping_interval = 1;
    config.ping_timeout = 1;
    let server = start_with(config);
    let mut polite = server.client("polite");
    let mut silent = server.client("silent");
    let ping = polite.expect("PING");
    polite.send(&format!("PONG :{}", ping.param(0)));

    silent.expect("PING");
    let rest = silent.read_until_closed();
    assert!(
        rest.iter()
            .any(|l| l.contains("ERROR") && l.contains("Ping timeout")),
        "{rest:?}"
    );
    // The one that answers is still here (it answers any further PING while we wait).
    polite.send("PING :still-here");
    loop {
        let msg = polite.recv();
        match msg.command.as_str() {
            "PING" => polite.send(&format!("PONG :{}", msg.param(0))),
            "PONG" => break assert_eq!(msg.param(1), "still-here"),
            _ => {}
        }
    }
}

#[test]
fn registration_timeout_disconnects() {
    let mut config = Config::for_tests();
    config.registration_timeout = 1;
    let server = start_with(config);
    let mut c = TestClient::connect(server.addr);
    c.send("NICK slowpoke");
    let rest = c.read_until_closed();
    assert!(
        rest.iter().any(|l| l.contains("Registration timed out")),
        "{rest:?}"
    );
}

#[test]
fn quit_tells_channel_neighbours_and_frees_the_nick() {
    let server = start_server();
    let mut a = server.client("alice");
    let mut b = server.client("bob");
    a.join("#lab");
    b.join("#lab");
    a.send("QUIT :see you");
    let lines = a.read_until_closed();
    assert!(lines.iter().any(|l| l.starts_with("ERROR")), "{lines:?}");
    let quit = b.expect("QUIT");
    assert_eq!(quit.source_nick(), "alice");
    assert_eq!(quit.param(0), "Quit: see you");
    let _again = server.client("alice");
}

#[test]
fn shutdown_sends_error_to_every_client() {
    let server = start_server();
    let mut a = server.client("alice");
    server.shutdown();
    let lines = a.read_until_closed();
    assert!(
        lines.iter().any(|l| l == "ERROR :Server shutting down"),
        "{lines:?}"
    );
}
