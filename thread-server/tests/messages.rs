//! Message transcripts over real TCP: PRIVMSG, NOTICE and TAGMSG to channels and nicks, their
//! errors (401, 403, 404, 407, 411, 412; none for NOTICE), the IRCv3 capabilities that shape
//! delivery (echo-message, server-time, message-tags) and AWAY (301, 305, 306).
#![allow(clippy::unwrap_used)]

mod support;

use support::{start_server, start_with};
use thread_server::Config;

/// Is `time` an IRCv3 server-time stamp, `YYYY-MM-DDThh:mm:ss.sssZ` in UTC?
fn is_server_time(time: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(time).is_ok()
        && time.len() == "2026-01-01T00:00:00.000Z".len()
        && time.ends_with('Z')
}

#[test]
fn privmsg_to_a_channel_reaches_every_member_but_the_sender() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    let mut outsider = server.client("outsider");
    for c in [&mut alice, &mut bob, &mut carol] {
        c.join("#lab");
    }

    alice.drain();
    alice.send("PRIVMSG #LAB :hello, class");
    for c in [&mut bob, &mut carol] {
        let msg = c.expect("PRIVMSG");
        assert_eq!(msg.source.as_deref(), Some("alice!~alice@127.0.0.1"));
        assert_eq!(msg.params, ["#lab", "hello, class"]);
        assert!(msg.tags.is_empty(), "no tags without caps: {msg}");
    }
    alice.expect_silence();
    outsider.expect_silence();
}

#[test]
fn privmsg_to_a_nick_reaches_only_that_nick() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");

    alice.send("PRIVMSG BOB :psst");
    let msg = bob.expect("PRIVMSG");
    assert_eq!(msg.source.as_deref(), Some("alice!~alice@127.0.0.1"));
    assert_eq!(msg.params, ["bob", "psst"]);
    alice.expect_silence();
    carol.expect_silence();
}

#[test]
fn notice_reaches_channels_and_nicks() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");

    alice.send("NOTICE #lab :class starts in 5");
    assert_eq!(bob.expect("NOTICE").params, ["#lab", "class starts in 5"]);
    alice.send("NOTICE bob :just you");
    let notice = bob.expect("NOTICE");
    assert_eq!(notice.source_nick(), "alice");
    assert_eq!(notice.params, ["bob", "just you"]);
}

#[test]
fn nick_targets_follow_the_rfc1459_case_mapping() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut helper = server.client("{helper}");
    alice.send("PRIVMSG [HELPER] :same nick under rfc1459");
    let msg = helper.expect("PRIVMSG");
    assert_eq!(msg.params, ["{helper}", "same nick under rfc1459"]);
}

#[test]
fn utf8_text_and_ctcp_action_pass_through_unchanged() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#한국어");
    bob.join("#한국어");

    alice.send("PRIVMSG #한국어 :안녕하세요 👋");
    assert_eq!(bob.expect("PRIVMSG").params, ["#한국어", "안녕하세요 👋"]);
    alice.send("PRIVMSG #한국어 :\u{1}ACTION waves\u{1}");
    assert_eq!(bob.expect("PRIVMSG").param(1), "\u{1}ACTION waves\u{1}");
}

#[test]
fn one_message_to_several_targets_reaches_each() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    alice.join("#lab");
    bob.join("#lab");

    alice.send("PRIVMSG #lab,carol :both of you");
    assert_eq!(bob.expect("PRIVMSG").params, ["#lab", "both of you"]);
    assert_eq!(carol.expect("PRIVMSG").params, ["carol", "both of you"]);
}

#[test]
fn privmsg_errors_401_403_411_412() {
    let server = start_server();
    let mut alice = server.client("alice");

    alice.send("PRIVMSG nobody :hi");
    alice.expect_reply("401", &["nobody", "No such nick/channel"]);
    alice.send("PRIVMSG #nowhere :hi");
    alice.expect_reply("403", &["#nowhere", "No such channel"]);
    alice.send("PRIVMSG");
    alice.expect_reply("411", &["No recipient given (PRIVMSG)"]);
    alice.send("PRIVMSG alice");
    alice.expect_reply("412", &["No text to send"]);
    alice.send("PRIVMSG alice :");
    alice.expect_reply("412", &["No text to send"]);
}

#[test]
fn too_many_message_targets_gets_407_and_sends_to_none() {
    let mut config = Config::for_tests();
    config.max_targets = 2;
    let server = start_with(config);
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");

    alice.send("PRIVMSG bob,bob,bob :spam");
    alice.expect_reply("407", &["bob,bob,bob", "Too many recipients"]);
    bob.expect_silence();
    alice.send("PRIVMSG bob,bob :twice is fine");
    assert_eq!(bob.expect("PRIVMSG").param(1), "twice is fine");
    assert_eq!(bob.expect("PRIVMSG").param(1), "twice is fine");
}

#[test]
fn outsiders_cannot_send_to_a_plus_n_channel_but_can_without_it() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut outsider = server.client("outsider");
    alice.join("#lab");

    // New channels are +n.
    outsider.send("PRIVMSG #lab :let me in");
    outsider.expect_reply("404", &["#lab", "Cannot send to channel"]);
    alice.expect_silence();

    alice.send("MODE #lab -n");
    alice.expect("MODE");
    outsider.send("PRIVMSG #lab :from outside");
    let msg = alice.expect("PRIVMSG");
    assert_eq!(msg.source_nick(), "outsider");
    assert_eq!(msg.params, ["#lab", "from outside"]);
}

#[test]
fn unvoiced_members_cannot_speak_in_a_moderated_channel() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    for c in [&mut alice, &mut bob, &mut carol] {
        c.join("#exam");
    }
    alice.send("MODE #exam +mv carol");
    bob.expect("MODE");
    carol.expect("MODE");

    bob.send("PRIVMSG #exam :can I talk?");
    bob.expect_reply("404", &["#exam", "Cannot send to channel"]);
    carol.send("PRIVMSG #exam :voiced, so yes");
    assert_eq!(bob.expect("PRIVMSG").param(1), "voiced, so yes");
    alice.send("PRIVMSG #exam :operators too");
    assert_eq!(bob.expect("PRIVMSG").param(1), "operators too");
    assert_eq!(carol.expect("PRIVMSG").param(1), "operators too");
}

#[test]
fn notice_never_gets_an_error_reply() {
    let mut config = Config::for_tests();
    config.max_targets = 1;
    let server = start_with(config);
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#closed");
    alice.send("MODE #closed +m");
    alice.expect("MODE");
    bob.join("#closed");
    alice.drain();

    for line in [
        "NOTICE nobody :hi",
        "NOTICE #nowhere :hi",
        "NOTICE",
        "NOTICE alice",
        "NOTICE alice,alice :too many",
        "NOTICE #closed :moderated",
    ] {
        bob.send(line);
    }
    bob.expect_silence();
    alice.expect_silence();
}

#[test]
fn echo_message_returns_the_senders_own_messages() {
    let server = start_server();
    let mut echo = server.client_with_caps("echo", "echo-message");
    let mut bob = server.client("bob");
    echo.join("#lab");
    bob.join("#lab");

    echo.send("PRIVMSG #lab :to the room");
    let own = echo.expect("PRIVMSG");
    assert_eq!(own.source.as_deref(), Some("echo!~echo@127.0.0.1"));
    assert_eq!(own.params, ["#lab", "to the room"]);
    assert_eq!(bob.expect("PRIVMSG").params, ["#lab", "to the room"]);

    echo.send("NOTICE bob :to bob");
    assert_eq!(echo.expect("NOTICE").params, ["bob", "to bob"]);
    assert_eq!(bob.expect("NOTICE").params, ["bob", "to bob"]);

    // A message to oneself arrives once, not twice.
    echo.send("PRIVMSG echo :note to self");
    assert_eq!(echo.expect("PRIVMSG").params, ["echo", "note to self"]);
    echo.expect_silence();
}

#[test]
fn server_time_stamps_messages_with_a_time_tag() {
    let server = start_server();
    let mut timed = server.client_with_caps("timed", "server-time");
    let mut plain = server.client("plain");
    timed.join("#lab");
    plain.join("#lab");

    plain.send("PRIVMSG #lab :what time is it?");
    let msg = timed.expect("PRIVMSG");
    let time = msg
        .tag("time")
        .unwrap_or_else(|| panic!("no time tag: {msg}"));
    assert!(is_server_time(time), "bad time tag {time:?}");
    assert_eq!(msg.tag("msgid"), None, "msgid needs message-tags: {msg}");

    timed.send("PRIVMSG #lab :now");
    let msg = plain.expect("PRIVMSG");
    assert!(msg.tags.is_empty(), "plain clients get no tags: {msg}");
}

#[test]
fn message_tags_forwards_client_tags_and_adds_a_shared_msgid() {
    let server = start_server();
    let mut sender = server.client_with_caps("sender", "message-tags echo-message");
    let mut tagged = server.client_with_caps("tagged", "message-tags");
    let mut plain = server.client("plain");
    for c in [&mut sender, &mut tagged, &mut plain] {
        c.join("#lab");
    }

    sender.send("@+draft/reply=abc;+example.org/mood=happy\\sday PRIVMSG #lab :reply");
    let got = tagged.expect("PRIVMSG");
    assert_eq!(got.tag("+draft/reply"), Some("abc"), "{got}");
    assert_eq!(got.tag("+example.org/mood"), Some("happy day"), "{got}");
    assert!(is_server_time(got.tag("time").unwrap_or("")), "{got}");
    let msgid = got
        .tag("msgid")
        .unwrap_or_else(|| panic!("no msgid: {got}"));
    assert!(!msgid.is_empty());

    // The echo carries the same msgid, so the sender can match replies to it.
    let echo = sender.expect("PRIVMSG");
    assert_eq!(echo.tag("msgid"), Some(msgid));
    assert_eq!(echo.tag("+draft/reply"), Some("abc"));

    let bare = plain.expect("PRIVMSG");
    assert!(bare.tags.is_empty(), "plain clients get no tags: {bare}");
    assert_eq!(bare.params, ["#lab", "reply"]);

    // Every message gets its own msgid.
    sender.send("PRIVMSG #lab :another");
    let next = tagged.expect("PRIVMSG");
    assert_ne!(next.tag("msgid"), Some(msgid));
}

#[test]
fn server_tags_sent_by_a_client_are_not_forwarded() {
    let server = start_server();
    let mut sender = server.client("sender");
    let mut tagged = server.client_with_caps("tagged", "message-tags");

    sender.send("@time=1999-01-01T00:00:00.000Z;msgid=forged PRIVMSG tagged :hi");
    let got = tagged.expect("PRIVMSG");
    assert_ne!(got.tag("time"), Some("1999-01-01T00:00:00.000Z"), "{got}");
    assert_ne!(got.tag("msgid"), Some("forged"), "{got}");
}

#[test]
fn tagmsg_goes_only_to_message_tags_clients() {
    let server = start_server();
    let mut typist = server.client_with_caps("typist", "message-tags");
    let mut tagged = server.client_with_caps("tagged", "message-tags");
    let mut plain = server.client("plain");
    for c in [&mut typist, &mut tagged, &mut plain] {
        c.join("#lab");
    }

    typist.send("@+typing=active TAGMSG #lab");
    let got = tagged.expect("TAGMSG");
    assert_eq!(got.source_nick(), "typist");
    assert_eq!(got.params, ["#lab"]);
    assert_eq!(got.tag("+typing"), Some("active"));
    plain.expect_silence();

    typist.send("@+typing=paused TAGMSG plain");
    plain.expect_silence();
    typist.send("@+typing=paused TAGMSG tagged");
    assert_eq!(tagged.expect("TAGMSG").tag("+typing"), Some("paused"));
}

#[test]
fn tagmsg_is_not_echoed_to_a_sender_without_message_tags() {
    let server = start_server();
    let mut echo = server.client_with_caps("echo", "echo-message");
    let mut tagged = server.client_with_caps("tagged", "message-tags");
    echo.join("#lab");
    tagged.join("#lab");
    echo.drain();

    echo.send("@+typing=active TAGMSG tagged");
    assert_eq!(tagged.expect("TAGMSG").tag("+typing"), Some("active"));
    echo.send("@+typing=active TAGMSG #lab");
    assert_eq!(tagged.expect("TAGMSG").params, ["#lab"]);
    echo.expect_silence();
}

#[test]
fn away_sets_306_and_back_305_and_privmsg_gets_301() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");

    bob.send("AWAY :at lunch");
    bob.expect_reply("306", &["You have been marked as being away"]);

    alice.send("PRIVMSG bob :are you there?");
    alice.expect_reply("301", &["bob", "at lunch"]);
    // The message is still delivered.
    assert_eq!(bob.expect("PRIVMSG").param(1), "are you there?");
    // NOTICE never triggers automatic replies, RPL_AWAY included.
    alice.send("NOTICE bob :fyi");
    bob.expect("NOTICE");
    alice.expect_silence();

    bob.send("AWAY");
    bob.expect_reply("305", &["You are no longer marked as being away"]);
    alice.send("PRIVMSG bob :back?");
    bob.expect("PRIVMSG");
    alice.expect_silence();
}

#[test]
fn away_message_is_cut_to_awaylen() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    // AWAYLEN=200 in ISUPPORT, counted in bytes: 66 three-byte characters fit.
    bob.send(&format!("AWAY :{}", "한".repeat(100)));
    bob.expect("306");
    alice.send("PRIVMSG bob :hi");
    alice.expect_reply("301", &["bob", &"한".repeat(66)]);
}

#[test]
fn banned_member_cannot_speak_but_voiced_one_can() {
    let server = start_server();
    let mut op = server.client("op");
    let mut troll = server.client("troll");
    op.join("#lab");
    troll.join("#lab");
    op.send("MODE #lab +b troll!*@*");
    troll.expect("MODE");
    troll.send("PRIVMSG #lab :spam");
    troll.expect_reply("404", &["#lab", "Cannot send to channel"]);
    op.send("MODE #lab +v troll");
    troll.expect("MODE");
    troll.send("PRIVMSG #lab :sorry");
    assert_eq!(op.expect("PRIVMSG").param(1), "sorry");
}
