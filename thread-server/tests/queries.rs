//! Query transcripts over real TCP: WHO (352/315 with H/G/*/@/+ flags), WHOIS (311, 319, 312,
//! 301, 313, 317, 318; 401), ISON (303), USERHOST (302), LUSERS (251-255) and MOTD on demand.
#![allow(clippy::unwrap_used)]

mod support;

use support::{TestClient, TestServer, start_server, start_with};
use thread_server::Config;

/// A server with one operator account, `teacher` / `hunter2`.
fn server_with_oper() -> TestServer {
    let mut config = Config::for_tests();
    config.opers = vec![("teacher".to_string(), "hunter2".to_string())];
    start_with(config)
}

/// Sends `WHO mask` and returns each 352's parameters after the asker's nick, up to 315.
fn who(c: &mut TestClient, mask: &str) -> Vec<Vec<String>> {
    c.send(&format!("WHO {mask}"));
    let mut rows = Vec::new();
    loop {
        let msg = c.recv();
        match msg.command.as_str() {
            "352" => rows.push(msg.params[1..].to_vec()),
            "315" => {
                assert_eq!(msg.params[1..], [mask, "End of WHO list"]);
                return rows;
            }
            _ => {}
        }
    }
}

/// One expected 352 row: channel, user, host, server, nick, flags, `hopcount realname`.
fn who_row(channel: &str, nick: &str, flags: &str) -> Vec<String> {
    let user = format!("~{nick}");
    let realname = format!("0 Test {nick}");
    [
        channel,
        &user,
        "127.0.0.1",
        "test.server",
        nick,
        flags,
        &realname,
    ]
    .map(str::to_string)
    .to_vec()
}

#[test]
fn who_channel_lists_members_with_here_gone_and_prefix_flags() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    for c in [&mut alice, &mut bob, &mut carol] {
        c.join("#lab");
    }
    alice.send("MODE #lab +v bob");
    bob.expect("MODE");
    carol.send("AWAY :brb");
    carol.expect("306");

    assert_eq!(
        who(&mut alice, "#lab"),
        [
            who_row("#lab", "alice", "H@"),
            who_row("#lab", "bob", "H+"),
            who_row("#lab", "carol", "G"),
        ]
    );
}

#[test]
fn who_shows_every_prefix_to_multi_prefix_clients() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.join("#lab");
    alice.send("MODE #lab +v alice");
    alice.expect("MODE");
    let mut multi = server.client_with_caps("multi", "multi-prefix");
    assert_eq!(who(&mut multi, "#lab"), [who_row("#lab", "alice", "H@+")]);
}

#[test]
fn who_nick_gives_one_row_and_marks_irc_operators() {
    let server = server_with_oper();
    let mut alice = server.client("alice");
    let mut teacher = server.client("teacher");
    teacher.send("OPER teacher hunter2");
    teacher.expect("381");

    assert_eq!(who(&mut alice, "TEACHER"), [who_row("*", "teacher", "H*")]);
    assert_eq!(who(&mut alice, "nobody"), Vec::<Vec<String>>::new());
    assert_eq!(who(&mut alice, "#nowhere"), Vec::<Vec<String>>::new());
}

#[test]
fn whois_gives_user_channels_server_idle_and_end() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    bob.join("#lab");
    bob.join("#games");

    alice.send("WHOIS Bob");
    alice.expect_reply("311", &["bob", "~bob", "127.0.0.1", "*", "Test bob"]);
    let channels = alice.expect("319");
    assert_eq!(channels.param(1), "bob");
    let mut listed: Vec<&str> = channels.param(2).split(' ').collect();
    listed.sort();
    assert_eq!(listed, ["@#games", "@#lab"]);
    alice.expect_reply("312", &["bob", "test.server", "lanchat"]);
    let idle = alice.expect("317");
    assert_eq!(idle.param(1), "bob");
    assert!(idle.param(2).parse::<u64>().is_ok(), "idle seconds: {idle}");
    assert!(idle.param(3).parse::<i64>().unwrap() > 0, "signon: {idle}");
    assert_eq!(idle.param(4), "seconds idle, signon time");
    alice.expect_reply("318", &["bob", "End of /WHOIS list"]);
}

#[test]
fn whois_splits_a_long_channel_list_over_several_319_lines() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let channels: Vec<String> = (0..20)
        .map(|i| format!("#a-rather-long-channel-name-number-{i:02}"))
        .collect();
    for channel in &channels {
        bob.join(channel);
    }

    alice.send("WHOIS bob");
    let mut listed = Vec::new();
    loop {
        let line = alice.recv_line().unwrap();
        assert!(line.len() + 2 <= 512, "line over 512 bytes: {line}");
        let msg = shared::Message::parse(&line).unwrap();
        match msg.command.as_str() {
            "319" => listed.extend(msg.param(2).split(' ').map(str::to_string)),
            "318" => break,
            _ => {}
        }
    }
    listed.sort();
    let expected: Vec<String> = channels.iter().map(|c| format!("@{c}")).collect();
    assert_eq!(listed, expected);
}

#[test]
fn whois_shows_away_and_operator_status() {
    let server = server_with_oper();
    let mut alice = server.client("alice");
    let mut teacher = server.client("teacher");
    teacher.send("OPER teacher hunter2");
    teacher.expect("381");
    teacher.send("AWAY :grading");
    teacher.expect("306");

    alice.send("WHOIS teacher");
    alice.expect("311");
    // Not in any channel: no 319.
    let next = alice.recv();
    assert_eq!(next.command, "312", "{next}");
    alice.expect_reply("301", &["teacher", "grading"]);
    alice.expect_reply("313", &["teacher", "is an IRC operator"]);
    alice.expect("317");
    alice.expect_reply("318", &["teacher", "End of /WHOIS list"]);
}

#[test]
fn whois_of_an_unknown_nick_gives_401_then_318() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.send("WHOIS ghost");
    alice.expect_reply("401", &["ghost", "No such nick/channel"]);
    alice.expect_reply("318", &["ghost", "End of /WHOIS list"]);
    alice.send("WHOIS");
    alice.expect_reply("461", &["WHOIS", "Not enough parameters"]);
}

#[test]
fn ison_lists_the_nicks_that_are_online() {
    let server = start_server();
    let mut alice = server.client("alice");
    let _bob = server.client("bob");
    alice.send("ISON BOB ghost alice");
    alice.expect_reply("303", &["bob alice"]);
    alice.send("ISON :ghost bob");
    alice.expect_reply("303", &["bob"]);
    alice.send("ISON ghost");
    alice.expect_reply("303", &[""]);
}

#[test]
fn userhost_shows_operator_and_away_markers() {
    let server = server_with_oper();
    let mut alice = server.client("alice");
    let mut teacher = server.client("teacher");
    teacher.send("OPER teacher hunter2");
    teacher.expect("381");
    teacher.send("AWAY :out");
    teacher.expect("306");

    alice.send("USERHOST alice ghost teacher");
    alice.expect_reply(
        "302",
        &["alice=+~alice@127.0.0.1 teacher*=-~teacher@127.0.0.1"],
    );
}

#[test]
fn lusers_counts_users_invisible_operators_unknown_and_channels() {
    let server = server_with_oper();
    let mut alice = server.client("alice");
    let mut hidden = server.client("hidden");
    let mut teacher = server.client("teacher");
    hidden.send("MODE hidden +i");
    hidden.expect("MODE");
    teacher.send("OPER teacher hunter2");
    teacher.expect("381");
    alice.join("#lab");
    alice.join("#games");
    // A connection that has not registered yet; PONG proves the server has seen it.
    let mut unknown = TestClient::connect(server.addr);
    unknown.send("PING :here");
    unknown.expect("PONG");

    alice.send("LUSERS");
    alice.expect_reply("251", &["There are 2 users and 1 invisible on 1 servers"]);
    alice.expect_reply("252", &["1", "operator(s) online"]);
    alice.expect_reply("253", &["1", "unknown connection(s)"]);
    alice.expect_reply("254", &["2", "channels formed"]);
    alice.expect_reply("255", &["I have 3 clients and 0 servers"]);
}

#[test]
fn motd_command_resends_the_message_of_the_day() {
    let dir = std::env::temp_dir().join(format!("lanchat-motd-query-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("motd.txt");
    std::fs::write(&path, "Lab rules:\nbe kind\n").unwrap();
    let mut config = Config::for_tests();
    config.motd_file = Some(path);
    let server = start_with(config);
    let mut alice = server.client("alice");

    alice.send("MOTD");
    alice.expect_reply("375", &["- test.server Message of the day - "]);
    alice.expect_reply("372", &["- Lab rules:"]);
    alice.expect_reply("372", &["- be kind"]);
    alice.expect_reply("376", &["End of /MOTD command."]);
}

#[test]
fn motd_command_without_a_file_gets_422() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.send("MOTD");
    alice.expect_reply("422", &["MOTD File is missing"]);
}
