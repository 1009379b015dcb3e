//! History over real TCP: replay on JOIN for batch and plain clients, CHATHISTORY paging and
//! its edge cases, kept channels (LIST, DROP), --history-limit; and over real processes:
//! restart keeps topic, modes and history, and after `kill -9` every message a client
//! received is still there.
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Stdio;

use shared::Message;
use support::process::{TempDir, signal, spawn_server, wait_exit};
use support::{TestClient, TestServer, start_server, start_with};
use thread_server::Config;

/// Reads one `chathistory` batch (after a JOIN or a CHATHISTORY) and returns its lines.
fn read_batch(c: &mut TestClient) -> Vec<Message> {
    let start = c.expect("BATCH");
    let id = start.param(0).strip_prefix('+').unwrap().to_string();
    assert_eq!(start.param(1), "chathistory");
    let mut lines = Vec::new();
    loop {
        let msg = c.recv();
        if msg.command == "BATCH" {
            assert_eq!(msg.param(0), format!("-{id}"));
            return lines;
        }
        assert_eq!(
            msg.tag("batch"),
            Some(id.as_str()),
            "{msg} outside its batch"
        );
        lines.push(msg);
    }
}

fn texts(lines: &[Message]) -> Vec<&str> {
    lines.iter().map(|m| m.param(1)).collect()
}

/// A client that asked for everything history needs.
fn history_client(server: &TestServer, nick: &str) -> TestClient {
    server.client_with_caps(nick, "batch server-time message-tags draft/chathistory")
}

/// `alice` says `count` numbered lines in `#lab`; returns their msgids in order.
fn say(alice: &mut TestClient, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            alice.send(&format!("PRIVMSG #lab :line {i}"));
            let echo = alice.expect("PRIVMSG");
            echo.tag("msgid").unwrap().to_string()
        })
        .collect()
}

fn talker(server: &TestServer) -> TestClient {
    let mut alice = server.client_with_caps("alice", "echo-message message-tags");
    alice.join("#lab");
    alice
}

#[test]
fn joiner_with_batch_gets_the_last_messages_in_a_chathistory_batch() {
    let mut config = Config::for_tests();
    config.replay = 3;
    let server = start_with(config);
    let mut alice = talker(&server);
    let ids = say(&mut alice, 5);
    let mut bob = history_client(&server, "bob");
    bob.join("#lab");
    let lines = read_batch(&mut bob);
    assert_eq!(texts(&lines), vec!["line 2", "line 3", "line 4"]);
    let got: Vec<&str> = lines.iter().map(|m| m.tag("msgid").unwrap()).collect();
    assert_eq!(got, ids[2..].iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        lines
            .iter()
            .all(|m| m.tag("time").is_some_and(|t| t.ends_with('Z')))
    );
    assert!(lines.iter().all(|m| m.source_nick() == "alice"));
    // Live traffic follows the replay, once.
    alice.send("PRIVMSG #lab :live");
    assert_eq!(bob.expect("PRIVMSG").param(1), "live");
}

#[test]
fn plain_client_gets_the_backlog_between_two_notices() {
    let server = start_server();
    let mut alice = talker(&server);
    say(&mut alice, 2);
    alice.send("TOPIC #lab :Lab 3");
    alice.expect("TOPIC");
    let mut nc = server.client("ncuser");
    nc.join("#lab");
    let mut lines = Vec::new();
    loop {
        let msg = nc.recv();
        lines.push(msg.to_string());
        if msg.param(1) == "--- end of history ---" {
            break;
        }
    }
    assert_eq!(
        lines,
        vec![
            ":test.server NOTICE #lab :--- last 3 messages of #lab ---",
            ":alice!~alice@127.0.0.1 PRIVMSG #lab :line 0",
            ":alice!~alice@127.0.0.1 PRIVMSG #lab :line 1",
            ":test.server NOTICE #lab :alice changed the topic to: Lab 3",
            ":test.server NOTICE #lab :--- end of history ---",
        ]
    );
}

#[test]
fn chathistory_pages_before_after_latest_around_between() {
    let server = start_server();
    let mut alice = talker(&server);
    let ids = say(&mut alice, 10);
    let mut bob = history_client(&server, "bob");
    bob.join("#lab");
    read_batch(&mut bob);

    bob.send(&format!("CHATHISTORY BEFORE #lab msgid={} 3", ids[5]));
    assert_eq!(
        texts(&read_batch(&mut bob)),
        vec!["line 2", "line 3", "line 4"]
    );
    bob.send(&format!("CHATHISTORY AFTER #lab msgid={} 2", ids[5]));
    assert_eq!(texts(&read_batch(&mut bob)), vec!["line 6", "line 7"]);
    bob.send("CHATHISTORY LATEST #lab * 2");
    assert_eq!(texts(&read_batch(&mut bob)), vec!["line 8", "line 9"]);
    bob.send(&format!("CHATHISTORY LATEST #lab msgid={} 5", ids[7]));
    assert_eq!(texts(&read_batch(&mut bob)), vec!["line 8", "line 9"]);
    bob.send(&format!("CHATHISTORY AROUND #lab msgid={} 3", ids[5]));
    assert_eq!(
        texts(&read_batch(&mut bob)),
        vec!["line 4", "line 5", "line 6"]
    );
    bob.send(&format!(
        "CHATHISTORY BETWEEN #lab msgid={} msgid={} 10",
        ids[1], ids[4]
    ));
    assert_eq!(texts(&read_batch(&mut bob)), vec!["line 2", "line 3"]);
    bob.send(&format!(
        "CHATHISTORY BETWEEN #lab msgid={} msgid={} 1",
        ids[4], ids[1]
    ));
    assert_eq!(texts(&read_batch(&mut bob)), vec!["line 3"]);
    // Paging back past the start ends with an empty batch.
    bob.send(&format!("CHATHISTORY BEFORE #lab msgid={} 50", ids[0]));
    assert!(read_batch(&mut bob).is_empty());
    // Timestamps work as references too.
    let first = read_first_time(&mut bob);
    bob.send(&format!("CHATHISTORY AFTER #lab timestamp={first} 1"));
    assert!(read_batch(&mut bob).len() <= 1);
}

fn read_first_time(c: &mut TestClient) -> String {
    c.send("CHATHISTORY LATEST #lab * 100");
    let lines = read_batch(c);
    lines[0].tag("time").unwrap().to_string()
}

#[test]
fn chathistory_edge_cases() {
    let server = start_server();
    let mut alice = talker(&server);
    let mut bob = history_client(&server, "bob");
    bob.join("#empty");
    // An empty channel: an empty batch.
    bob.send("CHATHISTORY LATEST #empty * 10");
    assert!(read_batch(&mut bob).is_empty());
    say(&mut alice, 2);
    // Limit 0: an empty batch, nothing else.
    bob.send("CHATHISTORY LATEST #lab * 0");
    assert!(read_batch(&mut bob).is_empty());
    // An unknown msgid: an empty batch.
    bob.send("CHATHISTORY BEFORE #lab msgid=nope 10");
    assert!(read_batch(&mut bob).is_empty());
    // Malformed references and limits: INVALID_PARAMS.
    for bad in [
        "CHATHISTORY BEFORE #lab banana 10",
        "CHATHISTORY BEFORE #lab * 10",
        "CHATHISTORY LATEST #lab * -1",
        "CHATHISTORY AFTER #lab timestamp=yesterday 5",
    ] {
        bob.send(bad);
        let fail = bob.expect("FAIL");
        assert_eq!(
            (fail.param(0), fail.param(1)),
            ("CHATHISTORY", "INVALID_PARAMS"),
            "{bad}"
        );
    }
    // Unknown channel and nick targets: INVALID_TARGET.
    for target in ["#nowhere", "alice"] {
        bob.send(&format!("CHATHISTORY LATEST {target} * 10"));
        let fail = bob.expect("FAIL");
        assert_eq!(
            fail.params,
            [
                "CHATHISTORY",
                "INVALID_TARGET",
                "LATEST",
                target,
                "No such channel or no access"
            ]
        );
    }
    bob.send("CHATHISTORY LATEST");
    assert_eq!(bob.expect("FAIL").param(1), "NEED_MORE_PARAMS");
    bob.send("CHATHISTORY TARGETS x y 1");
    assert_eq!(bob.expect("FAIL").param(1), "UNKNOWN_COMMAND");
}

#[test]
fn chathistory_of_a_closed_channel_needs_membership() {
    let server = start_server();
    let mut alice = talker(&server);
    say(&mut alice, 1);
    let mut bob = history_client(&server, "bob");
    // Open channel: readable without joining.
    bob.send("CHATHISTORY LATEST #lab * 10");
    assert_eq!(texts(&read_batch(&mut bob)), vec!["line 0"]);
    // Invite-only: not for outsiders, and it looks just like an unknown channel.
    alice.send("MODE #lab +i");
    alice.expect("MODE");
    bob.send("CHATHISTORY LATEST #lab * 10");
    assert_eq!(bob.expect("FAIL").param(1), "INVALID_TARGET");
}

#[test]
fn a_channel_with_a_topic_or_history_is_kept_and_listed_until_dropped() {
    let server = start_server();
    let mut alice = talker(&server);
    say(&mut alice, 1);
    alice.send("PART #lab");
    alice.expect("PART");
    alice.send("LIST");
    alice.expect_reply("322", &["#lab", "0", ""]);
    // The next one in finds the history and becomes operator of the kept channel.
    let mut bob = history_client(&server, "bob");
    bob.join("#lab");
    assert_eq!(texts(&read_batch(&mut bob)), vec!["line 0"]);
    bob.send("NAMES #lab");
    bob.expect_reply("353", &["=", "#lab", "@bob"]);
    // Only an operator may drop it; then it is gone once empty.
    alice.send("DROP #lab");
    alice.expect_reply("482", &["#lab", "You're not channel operator"]);
    bob.send("DROP #lab");
    let notice = bob.expect("NOTICE");
    assert_eq!(notice.param(1), "bob dropped the topic and history of #lab");
    bob.send("PART #lab");
    bob.expect("PART");
    bob.send("LIST");
    bob.expect_reply("323", &["End of /LIST"]);
}

#[test]
fn history_limit_keeps_the_newest_messages() {
    let mut config = Config::for_tests();
    config.history_limit = 3;
    let server = start_with(config);
    let mut alice = talker(&server);
    say(&mut alice, 6);
    let mut bob = history_client(&server, "bob");
    bob.send("CHATHISTORY LATEST #lab * 100");
    assert_eq!(
        texts(&read_batch(&mut bob)),
        vec!["line 3", "line 4", "line 5"]
    );
}

#[test]
fn history_limit_holds_exactly_for_readers_while_writes_trim_in_steps() {
    // The store lets a channel run a quarter over its limit between trims (here 8 + 2) and
    // trims exactly before any read, so no reader ever sees more than the limit.
    let mut config = Config::for_tests();
    config.history_limit = 8;
    let server = start_with(config);
    let mut alice = talker(&server);
    let ids = say(&mut alice, 10);
    let mut bob = history_client(&server, "bob");
    bob.send("CHATHISTORY LATEST #lab * 100");
    let expected: Vec<String> = (2..10).map(|i| format!("line {i}")).collect();
    assert_eq!(texts(&read_batch(&mut bob)), expected);
    bob.send(&format!("CHATHISTORY BEFORE #lab msgid={} 100", ids[2]));
    assert_eq!(texts(&read_batch(&mut bob)), Vec::<&str>::new());

    // Past the slack, writes trim the channel in one go; the read still gets exactly 8.
    say(&mut alice, 15);
    bob.send("CHATHISTORY LATEST #lab * 100");
    let expected: Vec<String> = (7..15).map(|i| format!("line {i}")).collect();
    assert_eq!(texts(&read_batch(&mut bob)), expected);
}

#[test]
fn restart_brings_back_topic_modes_and_history() {
    let dir = TempDir::new("restart");
    let args = ["--data-dir", dir.arg()];
    let (mut first, addr) = spawn_server(&args, Stdio::null());
    let mut alice = TestClient::connect(addr);
    alice.register("alice");
    alice.join("#lab");
    alice.send("TOPIC #lab :Lab 3: sockets");
    alice.send("MODE #lab +mk-t secret");
    alice.send("MODE #lab +b troll!*@*");
    alice.send("PRIVMSG #lab :remember me");
    alice.send("PRIVMSG #lab :\u{c548}\u{b155} 🎉");
    alice.drain();
    signal(&first, "TERM");
    assert_eq!(wait_exit(&mut first), Some(0));

    let (mut second, addr) = spawn_server(&args, Stdio::null());
    let mut bob = TestClient::connect(addr);
    bob.register("bob");
    bob.send("LIST");
    bob.expect_reply("322", &["#lab", "0", "Lab 3: sockets"]);
    bob.send("JOIN #lab");
    bob.expect_reply("475", &["#lab", "Cannot join channel (+k)"]);
    bob.send("JOIN #lab secret");
    bob.expect_reply("332", &["#lab", "Lab 3: sockets"]);
    let who_when = bob.expect("333");
    assert_eq!(who_when.param(2), "alice!~alice@127.0.0.1");
    bob.expect("366");
    bob.expect("NOTICE"); // --- last 4 messages ---
    assert_eq!(
        bob.expect("NOTICE").param(1),
        "alice changed the topic to: Lab 3: sockets"
    );
    assert_eq!(bob.expect("PRIVMSG").param(1), "remember me");
    assert_eq!(bob.expect("PRIVMSG").param(1), "\u{c548}\u{b155} 🎉");
    bob.send("MODE #lab");
    bob.expect_reply("324", &["#lab", "+mnk", "secret"]);
    bob.send("MODE #lab b");
    bob.expect_reply("367", &["#lab", "troll!*@*"]);
    signal(&second, "TERM");
    wait_exit(&mut second);
}

#[test]
fn after_kill_9_every_received_message_is_in_the_history() {
    let dir = TempDir::new("kill9");
    let args = ["--data-dir", dir.arg(), "--flood-rate", "0"];
    let (mut server, addr) = spawn_server(&args, Stdio::null());
    let mut reader = TestClient::connect(addr);
    reader.send("CAP REQ :message-tags");
    reader.send("CAP END");
    reader.register("reader");
    reader.join("#lab");
    let mut writer = TestClient::connect(addr);
    writer.register("writer");
    writer.join("#lab");
    // Far more than the reader reads before the kill: the server is busy when it dies.
    let burst: String = (0..900)
        .map(|i| format!("PRIVMSG #lab :m{i}\r\n"))
        .collect();
    writer.send_raw(burst.as_bytes());
    let mut received = Vec::new();
    while received.len() < 300 {
        let msg = reader.recv();
        if msg.command == "PRIVMSG" {
            received.push(msg.tag("msgid").unwrap().to_string());
        }
    }
    signal(&server, "KILL");
    assert_eq!(wait_exit(&mut server), None, "killed by the signal");

    let (mut again, addr) = spawn_server(&args, Stdio::null());
    let mut check = TestClient::connect(addr);
    check.send("CAP REQ :batch message-tags draft/chathistory");
    check.send("CAP END");
    check.register("check");
    let mut stored = Vec::new();
    // Page through everything with CHATHISTORY AFTER (100 at a time).
    let mut after = "timestamp=2000-01-01T00:00:00.000Z".to_string();
    loop {
        check.send(&format!("CHATHISTORY AFTER #lab {after} 100"));
        let page = read_batch(&mut check);
        let Some(last) = page.last() else { break };
        after = format!("msgid={}", last.tag("msgid").unwrap());
        stored.extend(page.iter().map(|m| m.tag("msgid").unwrap().to_string()));
    }
    let missing: Vec<&String> = received.iter().filter(|id| !stored.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "received but not in history: {missing:?}"
    );
    signal(&again, "TERM");
    wait_exit(&mut again);
}
