//! Channel transcripts over real TCP: JOIN (lists, keys, `JOIN 0`), PART, TOPIC, NAMES, LIST,
//! KICK, INVITE, who becomes operator, and every refusal to join (471, 473, 474, 475, 403, 405,
//! 407). Run by `cargo test`; each test starts its own server on `127.0.0.1:0`.
#![allow(clippy::unwrap_used)]

mod support;

use support::{TestClient, start_server, start_with};
use thread_server::Config;

#[test]
fn first_joiner_becomes_operator_and_everyone_sees_the_join() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");

    alice.send("JOIN #lab");
    let join = alice.expect("JOIN");
    assert_eq!(join.source.as_deref(), Some("alice!~alice@127.0.0.1"));
    assert_eq!(join.params, ["#lab"]);
    alice.expect_reply("353", &["=", "#lab", "@alice"]);
    alice.expect_reply("366", &["#lab", "End of /NAMES list"]);

    bob.send("JOIN #LAB");
    // The channel keeps the name it was created with.
    assert_eq!(bob.expect("JOIN").params, ["#lab"]);
    bob.expect_reply("353", &["=", "#lab", "@alice bob"]);
    bob.expect("366");
    let seen = alice.expect("JOIN");
    assert_eq!(seen.source.as_deref(), Some("bob!~bob@127.0.0.1"));
}

#[test]
fn join_takes_a_list_of_channels_with_keys_in_order() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#k1");
    alice.join("#k2");
    alice.join("#open");
    alice.send("MODE #k1 +k one");
    alice.expect("MODE");
    alice.send("MODE #k2 +k two");
    alice.expect("MODE");

    bob.send("JOIN #k1,#k2,#open one,two");
    for channel in ["#k1", "#k2", "#open"] {
        assert_eq!(bob.expect("JOIN").params, [channel]);
        bob.expect_reply("366", &[channel, "End of /NAMES list"]);
    }
    assert_eq!(bob.names_of("#k2"), ["@alice", "bob"]);
}

#[test]
fn join_with_a_wrong_or_missing_key_gets_475() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#exam");
    alice.send("MODE #exam +k secret");
    alice.expect("MODE");

    bob.send("JOIN #exam");
    bob.expect_reply("475", &["#exam", "Cannot join channel (+k)"]);
    bob.send("JOIN #exam wrong");
    bob.expect_reply("475", &["#exam", "Cannot join channel (+k)"]);
    bob.send("JOIN #exam secret");
    assert_eq!(bob.expect("JOIN").params, ["#exam"]);
}

#[test]
fn join_0_parts_every_channel() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#a");
    alice.join("#b");
    bob.join("#a");
    bob.join("#b");

    bob.send("JOIN 0");
    let mut parted = Vec::new();
    for _ in 0..2 {
        let part = bob.expect("PART");
        assert_eq!(part.source_nick(), "bob");
        parted.push(part.param(0).to_string());
    }
    parted.sort();
    assert_eq!(parted, ["#a", "#b"]);
    assert_eq!(alice.expect("PART").source_nick(), "bob");
    assert_eq!(alice.expect("PART").source_nick(), "bob");
    assert_eq!(alice.names_of("#a"), ["@alice"]);
    assert_eq!(alice.names_of("#b"), ["@alice"]);
}

#[test]
fn part_with_a_reason_is_seen_by_members() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");

    bob.send("PART #lab :lunch time");
    let own = bob.expect("PART");
    assert_eq!(own.params, ["#lab", "lunch time"]);
    let seen = alice.expect("PART");
    assert_eq!(seen.source.as_deref(), Some("bob!~bob@127.0.0.1"));
    assert_eq!(seen.params, ["#lab", "lunch time"]);
    assert_eq!(alice.names_of("#lab"), ["@alice"]);
}

#[test]
fn part_errors_403_no_such_channel_and_442_not_on_channel() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");

    // Errors name the channel as the client wrote it.
    bob.send("PART #NoWhere");
    bob.expect_reply("403", &["#NoWhere", "No such channel"]);
    bob.send("PART #lab");
    bob.expect_reply("442", &["#lab", "You're not on that channel"]);
    bob.send("PART");
    bob.expect_reply("461", &["PART", "Not enough parameters"]);
    alice.expect_silence();
}

#[test]
fn last_member_leaving_deletes_a_channel_without_topic_or_history() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    alice.send("MODE #lab +m");
    alice.expect("MODE");
    alice.send("PART #lab");
    alice.expect("PART");

    // A new channel of the same name starts fresh: bob is its operator, default modes.
    bob.send("JOIN #lab");
    bob.expect("JOIN");
    bob.expect_reply("353", &["=", "#lab", "@bob"]);
    bob.send("MODE #lab");
    bob.expect_reply("324", &["#lab", "+nt"]);
}

#[test]
fn topic_shows_331_then_is_set_and_shown_with_332_and_333() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");

    alice.send("TOPIC #lab");
    alice.expect_reply("331", &["#lab", "No topic is set"]);

    alice.send("TOPIC #lab :Week 3: sockets");
    for c in [&mut alice, &mut bob] {
        let topic = c.expect("TOPIC");
        assert_eq!(topic.source.as_deref(), Some("alice!~alice@127.0.0.1"));
        assert_eq!(topic.params, ["#lab", "Week 3: sockets"]);
    }

    bob.send("TOPIC #lab");
    bob.expect_reply("332", &["#lab", "Week 3: sockets"]);
    let who_time = bob.expect("333");
    assert_eq!(&who_time.params[1..3], ["#lab", "alice!~alice@127.0.0.1"]);
    assert!(who_time.param(3).parse::<i64>().unwrap() > 0, "{who_time}");

    // A newcomer gets the topic as part of joining.
    let mut carol = server.client("carol");
    carol.send("JOIN #lab");
    carol.expect("JOIN");
    carol.expect_reply("332", &["#lab", "Week 3: sockets"]);
    carol.expect("333");
    carol.expect("366");
}

#[test]
fn topic_is_for_operators_under_plus_t_and_for_all_without_it() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");

    // New channels are +t.
    bob.send("TOPIC #lab :mine now");
    bob.expect_reply("482", &["#lab", "You're not channel operator"]);

    alice.send("MODE #lab -t");
    bob.expect("MODE");
    bob.send("TOPIC #lab :mine now");
    assert_eq!(alice.expect("TOPIC").params, ["#lab", "mine now"]);

    // An empty text clears the topic.
    bob.send("TOPIC #lab :");
    assert_eq!(alice.expect("TOPIC").params, ["#lab", ""]);
    alice.send("TOPIC #lab");
    alice.expect_reply("331", &["#lab", "No topic is set"]);
}

#[test]
fn topic_is_cut_to_topiclen() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.join("#lab");
    let long = "t".repeat(450);
    alice.send(&format!("TOPIC #lab :{long}"));
    let topic = alice.expect("TOPIC");
    // TOPICLEN=390 in ISUPPORT, counted in bytes.
    assert_eq!(topic.param(1), &long[..390]);

    // Multi-byte text is cut at a character boundary at or below 390 bytes (130 × 3).
    let korean = "한".repeat(160);
    alice.send(&format!("TOPIC #lab :{korean}"));
    assert_eq!(alice.expect("TOPIC").param(1), "한".repeat(130));
}

#[test]
fn kick_reason_is_cut_to_kicklen() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");
    let long = "r".repeat(300);
    alice.send(&format!("KICK #lab bob :{long}"));
    // KICKLEN=255 in ISUPPORT.
    assert_eq!(bob.expect("KICK").param(2), &long[..255]);
}

#[test]
fn topic_errors_403_and_442_for_outsiders() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    alice.send("TOPIC #lab :hello");
    alice.expect("TOPIC");

    bob.send("TOPIC #nowhere");
    bob.expect_reply("403", &["#nowhere", "No such channel"]);
    bob.send("TOPIC #lab :hijack");
    bob.expect_reply("442", &["#lab", "You're not on that channel"]);
    // Looking is allowed from outside.
    bob.send("TOPIC #lab");
    bob.expect_reply("332", &["#lab", "hello"]);
    alice.expect_silence();
}

#[test]
fn names_shows_the_highest_prefix_or_all_with_multi_prefix() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");
    alice.send("MODE #lab +ov bob bob");
    alice.expect("MODE");

    let mut plain = server.client("plain");
    assert_eq!(plain.names_of("#lab"), ["@alice", "@bob"]);
    let mut multi = server.client_with_caps("multi", "multi-prefix");
    assert_eq!(multi.names_of("#lab"), ["@alice", "@+bob"]);
}

#[test]
fn names_with_userhost_in_names_shows_full_masks() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.join("#lab");
    let mut uh = server.client_with_caps("uh", "userhost-in-names");
    uh.send("JOIN #lab");
    uh.expect("JOIN");
    assert_eq!(
        uh.read_names(),
        ["@alice!~alice@127.0.0.1", "uh!~uh@127.0.0.1"]
    );
}

#[test]
fn names_splits_a_long_member_list_over_several_353_lines() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.join("#big");
    let nicks: Vec<String> = (0..30)
        .map(|i| format!("student_{i:02}_long_nickname"))
        .collect();
    let _members: Vec<TestClient> = nicks
        .iter()
        .map(|nick| {
            let mut c = server.client(nick);
            c.join("#big");
            c
        })
        .collect();

    alice.send("NAMES #big");
    let mut listed = Vec::new();
    let mut lines = 0;
    loop {
        let line = alice.recv_line().unwrap();
        assert!(line.len() + 2 <= 512, "353 over 512 bytes: {line}");
        let msg = shared::Message::parse(&line).unwrap();
        match msg.command.as_str() {
            "353" => {
                lines += 1;
                listed.extend(msg.param(3).split(' ').map(str::to_string));
            }
            "366" => break,
            _ => {}
        }
    }
    assert!(lines > 1, "{} names fit in one line?", listed.len());
    let mut expected = vec!["@alice".to_string()];
    expected.extend(nicks);
    assert_eq!(listed, expected);
}

#[test]
fn names_without_a_channel_or_for_an_unknown_one_ends_at_once() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.send("NAMES");
    alice.expect_reply("366", &["*", "End of /NAMES list"]);
    alice.send("NAMES #NoWhere");
    let end = alice.recv();
    assert_eq!(
        end.command, "366",
        "no 353 for a channel that does not exist"
    );
    assert_eq!(end.params[1..], ["#NoWhere", "End of /NAMES list"]);
}

#[test]
fn list_shows_member_counts_and_topics() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");
    alice.send("TOPIC #lab :Week 3");
    alice.expect("TOPIC");
    bob.join("#quiet");

    alice.send("LIST");
    alice.expect_reply("321", &["Channel", "Users  Name"]);
    alice.expect_reply("322", &["#lab", "2", "Week 3"]);
    alice.expect_reply("322", &["#quiet", "1", ""]);
    alice.expect_reply("323", &["End of /LIST"]);

    alice.send("LIST #quiet");
    alice.expect("321");
    alice.expect_reply("322", &["#quiet", "1", ""]);
    let end = alice.recv();
    assert_eq!(end.command, "323", "only the channel asked for: {end}");
}

#[test]
fn operator_kicks_a_member_and_everyone_sees_it() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    for c in [&mut alice, &mut bob, &mut carol] {
        c.join("#lab");
    }

    alice.send("KICK #lab bob :be nice");
    for c in [&mut alice, &mut bob, &mut carol] {
        let kick = c.expect("KICK");
        assert_eq!(kick.source.as_deref(), Some("alice!~alice@127.0.0.1"));
        assert_eq!(kick.params, ["#lab", "bob", "be nice"]);
    }
    assert_eq!(carol.names_of("#lab"), ["@alice", "carol"]);
    // Bob is out: he cannot speak there any more (+n).
    bob.send("PRIVMSG #lab :hey");
    bob.expect_reply("404", &["#lab", "Cannot send to channel"]);
}

#[test]
fn kick_takes_a_list_of_nicks() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    for c in [&mut alice, &mut bob, &mut carol] {
        c.join("#lab");
    }
    alice.send("KICK #lab bob,carol :cleanup");
    assert_eq!(alice.expect("KICK").params, ["#lab", "bob", "cleanup"]);
    assert_eq!(alice.expect("KICK").params, ["#lab", "carol", "cleanup"]);
    assert_eq!(alice.names_of("#lab"), ["@alice"]);
}

#[test]
fn kick_without_a_reason_uses_the_kickers_nick() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");
    alice.send("KICK #lab bob");
    assert_eq!(bob.expect("KICK").params, ["#lab", "bob", "alice"]);
}

#[test]
fn kick_errors_441_442_482_403() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut outsider = server.client("outsider");
    alice.join("#lab");
    bob.join("#lab");

    alice.send("KICK #lab outsider");
    alice.expect_reply("441", &["outsider", "#lab", "They aren't on that channel"]);
    bob.send("KICK #lab alice");
    bob.expect_reply("482", &["#lab", "You're not channel operator"]);
    outsider.send("KICK #lab bob");
    outsider.expect_reply("442", &["#lab", "You're not on that channel"]);
    outsider.send("KICK #nowhere bob");
    outsider.expect_reply("403", &["#nowhere", "No such channel"]);
    outsider.send("KICK #lab");
    outsider.expect_reply("461", &["KICK", "Not enough parameters"]);
    // Nobody was kicked.
    assert_eq!(bob.names_of("#lab"), ["@alice", "bob"]);
}

#[test]
fn invite_sends_341_and_an_invite_that_opens_plus_i() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#exam");
    alice.send("MODE #exam +i");
    alice.expect("MODE");

    bob.send("JOIN #exam");
    bob.expect_reply("473", &["#exam", "Cannot join channel (+i)"]);

    alice.send("INVITE bob #exam");
    alice.expect_reply("341", &["bob", "#exam"]);
    let invite = bob.expect("INVITE");
    assert_eq!(invite.source.as_deref(), Some("alice!~alice@127.0.0.1"));
    assert_eq!(invite.params, ["bob", "#exam"]);

    bob.send("JOIN #exam");
    assert_eq!(bob.expect("JOIN").params, ["#exam"]);
    // The invitation was used up: after leaving, bob is locked out again.
    bob.send("PART #exam");
    bob.expect("PART");
    bob.send("JOIN #exam");
    bob.expect_reply("473", &["#exam", "Cannot join channel (+i)"]);
}

#[test]
fn invite_errors_443_442_482_401() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    alice.join("#lab");
    bob.join("#lab");

    alice.send("INVITE bob #lab");
    alice.expect_reply("443", &["bob", "#lab", "is already on channel"]);
    carol.send("INVITE alice #lab");
    carol.expect_reply("442", &["#lab", "You're not on that channel"]);
    alice.send("INVITE nobody #lab");
    alice.expect_reply("401", &["nobody", "No such nick/channel"]);

    // Any member may invite to an open channel, only operators to a +i one.
    bob.send("INVITE carol #lab");
    bob.expect_reply("341", &["carol", "#lab"]);
    assert_eq!(carol.expect("INVITE").params, ["carol", "#lab"]);
    alice.send("MODE #lab +i");
    bob.expect("MODE");
    bob.send("INVITE carol #lab");
    bob.expect_reply("482", &["#lab", "You're not channel operator"]);
}

#[test]
fn limit_plus_l_refuses_joins_with_471() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    alice.join("#small");
    alice.send("MODE #small +l 2");
    alice.expect("MODE");
    bob.join("#small");

    carol.send("JOIN #small");
    carol.expect_reply("471", &["#small", "Cannot join channel (+l)"]);
    bob.send("PART #small");
    bob.expect("PART");
    carol.join("#small");
}

#[test]
fn ban_plus_b_refuses_matching_joins_with_474() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    alice.join("#lab");
    alice.send("MODE #lab +b bob!*@*");
    alice.expect("MODE");

    bob.send("JOIN #lab");
    bob.expect_reply("474", &["#lab", "Cannot join channel (+b)"]);
    carol.join("#lab");
    // An invitation gets past a ban.
    alice.send("INVITE bob #lab");
    alice.expect("341");
    bob.expect("INVITE");
    bob.join("#lab");
}

#[test]
fn join_of_an_invalid_channel_name_gets_403() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.send("JOIN lab");
    alice.expect_reply("403", &["lab", "No such channel"]);
    alice.send("JOIN #");
    alice.expect_reply("403", &["#", "No such channel"]);
    alice.send("JOIN");
    alice.expect_reply("461", &["JOIN", "Not enough parameters"]);
}

#[test]
fn too_many_channels_per_user_gets_405() {
    let mut config = Config::for_tests();
    config.max_channels_per_user = 2;
    let server = start_with(config);
    let mut alice = server.client("alice");
    alice.join("#one");
    alice.join("#two");
    alice.send("JOIN #three");
    alice.expect_reply("405", &["#three", "You have joined too many channels"]);
    alice.send("PART #one");
    alice.expect("PART");
    alice.join("#three");
}

#[test]
fn too_many_join_targets_gets_407_and_joins_none() {
    let mut config = Config::for_tests();
    config.max_targets = 2;
    let server = start_with(config);
    let mut alice = server.client("alice");
    alice.send("JOIN #a,#b,#c");
    alice.expect_reply("407", &["#a,#b,#c", "Too many targets"]);
    alice.send("LIST");
    alice.expect("321");
    let end = alice.recv();
    assert_eq!(end.command, "323", "no channel was created: {end}");
}
