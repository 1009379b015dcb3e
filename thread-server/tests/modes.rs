//! Mode transcripts over real TCP: channel MODE (`+o +v +t +n +m +i +k +l +b`, 324/329, 367/368,
//! 482, 472, 441, 401, combined mode strings), user MODE (`+i`, `-o`, 221, 501, 502) and OPER
//! (381, 464), including an IRC operator moderating a channel where it is not an operator.
#![allow(clippy::unwrap_used)]

mod support;

use support::{TestClient, TestServer, start_server, start_with};
use thread_server::Config;

/// The 324 parameters after the channel name (mode string, then mode arguments).
fn channel_modes(c: &mut TestClient, channel: &str) -> Vec<String> {
    c.send(&format!("MODE {channel}"));
    let reply = c.expect("324");
    assert_eq!(reply.param(1), channel);
    c.expect("329");
    reply.params[2..].to_vec()
}

/// A server with one operator account, `teacher` / `hunter2`.
fn server_with_oper() -> TestServer {
    let mut config = Config::for_tests();
    config.opers = vec![("teacher".to_string(), "hunter2".to_string())];
    start_with(config)
}

#[test]
fn mode_query_gives_324_and_329_with_the_default_plus_nt() {
    let server = start_server();
    let mut alice = server.client("alice");
    let before = chrono::Utc::now().timestamp();
    alice.join("#lab");
    let after = chrono::Utc::now().timestamp();
    alice.send("MODE #lab");
    alice.expect_reply("324", &["#lab", "+nt"]);
    let created = alice.expect("329");
    assert_eq!(created.param(1), "#lab");
    // The creation time is the Unix time of the first JOIN.
    let at: i64 = created.param(2).parse().unwrap();
    assert!((before..=after).contains(&at), "{created}");
}

#[test]
fn operator_sets_flag_modes_and_members_see_them() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");

    alice.send("MODE #lab +im-nt");
    for c in [&mut alice, &mut bob] {
        let mode = c.expect("MODE");
        assert_eq!(mode.source.as_deref(), Some("alice!~alice@127.0.0.1"));
        assert_eq!(mode.params, ["#lab", "+im-nt"]);
    }
    assert_eq!(channel_modes(&mut bob, "#lab"), ["+im"]);
}

#[test]
fn setting_a_mode_that_is_already_set_changes_nothing_and_says_nothing() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.join("#lab");
    alice.send("MODE #lab +nt");
    alice.expect_silence();
}

#[test]
fn plus_o_and_plus_v_change_prefixes() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    for c in [&mut alice, &mut bob, &mut carol] {
        c.join("#lab");
    }

    alice.send("MODE #lab +o bob");
    assert_eq!(carol.expect("MODE").params, ["#lab", "+o", "bob"]);
    alice.send("MODE #lab +v carol");
    assert_eq!(carol.expect("MODE").params, ["#lab", "+v", "carol"]);
    assert_eq!(carol.names_of("#lab"), ["@alice", "@bob", "+carol"]);

    // Bob is an operator now, so he may change modes too.
    bob.send("MODE #lab -o alice");
    assert_eq!(carol.expect("MODE").params, ["#lab", "-o", "alice"]);
    assert_eq!(carol.names_of("#lab"), ["alice", "@bob", "+carol"]);
}

#[test]
fn combined_mode_string_applies_each_change_with_its_argument() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut carol = server.client("carol");
    for c in [&mut alice, &mut bob, &mut carol] {
        c.join("#lab");
    }

    alice.send("MODE #lab +ov-t bob carol");
    for c in [&mut alice, &mut bob, &mut carol] {
        assert_eq!(c.expect("MODE").params, ["#lab", "+ov-t", "bob", "carol"]);
    }
    assert_eq!(alice.names_of("#lab"), ["@alice", "@bob", "+carol"]);
    assert_eq!(channel_modes(&mut alice, "#lab"), ["+n"]);
}

#[test]
fn key_plus_k_is_shown_to_members_only_and_removed_with_minus_k() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut outsider = server.client("outsider");
    alice.join("#exam");

    alice.send("MODE #exam +k letmein");
    assert_eq!(alice.expect("MODE").params, ["#exam", "+k", "letmein"]);
    assert_eq!(channel_modes(&mut alice, "#exam"), ["+ntk", "letmein"]);
    assert_eq!(channel_modes(&mut outsider, "#exam"), ["+ntk", "*"]);

    alice.send("MODE #exam -k letmein");
    assert_eq!(alice.expect("MODE").params, ["#exam", "-k", "*"]);
    assert_eq!(channel_modes(&mut alice, "#exam"), ["+nt"]);
    outsider.join("#exam");
}

#[test]
fn limit_plus_l_is_shown_and_removed_and_checked() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.join("#small");

    alice.send("MODE #small +l 5");
    assert_eq!(alice.expect("MODE").params, ["#small", "+l", "5"]);
    assert_eq!(channel_modes(&mut alice, "#small"), ["+ntl", "5"]);
    alice.send("MODE #small +l many");
    alice.expect_reply("696", &["#small", "l", "many", "Invalid limit"]);
    alice.send("MODE #small -l");
    assert_eq!(alice.expect("MODE").params, ["#small", "-l"]);
    assert_eq!(channel_modes(&mut alice, "#small"), ["+nt"]);
}

#[test]
fn modes_that_need_an_argument_get_461_without_one() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.join("#lab");
    alice.send("MODE #lab +k");
    alice.expect_reply(
        "461",
        &["MODE", "You must specify a parameter for the k mode"],
    );
    alice.send("MODE #lab +o");
    alice.expect_reply(
        "461",
        &["MODE", "You must specify a parameter for the o mode"],
    );
}

#[test]
fn ban_list_is_shown_with_367_and_368_and_bans_are_removed_with_minus_b() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");

    alice.send("MODE #lab +b bob!*@*");
    assert_eq!(alice.expect("MODE").params, ["#lab", "+b", "bob!*@*"]);
    alice.send("MODE #lab +b *!*@10.0.0.*");
    alice.expect("MODE");
    // Anyone may look at the list.
    bob.send("MODE #lab +b");
    bob.expect_reply("367", &["#lab", "bob!*@*"]);
    bob.expect_reply("367", &["#lab", "*!*@10.0.0.*"]);
    bob.expect_reply("368", &["#lab", "End of channel ban list"]);

    alice.send("MODE #lab -b bob!*@*");
    assert_eq!(alice.expect("MODE").params, ["#lab", "-b", "bob!*@*"]);
    bob.join("#lab");
}

#[test]
fn non_operators_get_482_and_nothing_changes() {
    let server = start_server();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    alice.join("#lab");
    bob.join("#lab");
    alice.drain();

    bob.send("MODE #lab +m");
    bob.expect_reply("482", &["#lab", "You're not channel operator"]);
    bob.send("MODE #lab +o bob");
    bob.expect_reply("482", &["#lab", "You're not channel operator"]);
    alice.expect_silence();
    assert_eq!(channel_modes(&mut bob, "#lab"), ["+nt"]);
    assert_eq!(bob.names_of("#lab"), ["@alice", "bob"]);
}

#[test]
fn unknown_channel_mode_gets_472_and_the_known_ones_still_apply() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.join("#lab");
    alice.send("MODE #lab +zm");
    assert_eq!(alice.expect("MODE").params, ["#lab", "+m"]);
    alice.expect_reply("472", &["z", "is unknown mode char to me"]);
}

#[test]
fn op_or_voice_for_someone_absent_gets_441_or_401() {
    let server = start_server();
    let mut alice = server.client("alice");
    let _outsider = server.client("outsider");
    alice.join("#lab");

    alice.send("MODE #lab +o outsider");
    alice.expect_reply("441", &["outsider", "#lab", "They aren't on that channel"]);
    alice.send("MODE #lab +v nobody");
    alice.expect_reply("401", &["nobody", "No such nick/channel"]);
    alice.send("MODE #nowhere +m");
    alice.expect_reply("403", &["#nowhere", "No such channel"]);
}

#[test]
fn user_mode_plus_i_is_set_and_shown_with_221() {
    let server = start_server();
    let mut alice = server.client("alice");
    alice.send("MODE alice");
    alice.expect_reply("221", &["+"]);

    alice.send("MODE alice +i");
    let mode = alice.expect("MODE");
    assert_eq!(mode.source.as_deref(), Some("alice"));
    assert_eq!(mode.params, ["alice", "+i"]);
    alice.send("MODE alice");
    alice.expect_reply("221", &["+i"]);

    alice.send("MODE alice -i");
    assert_eq!(alice.expect("MODE").params, ["alice", "-i"]);
    alice.send("MODE alice");
    alice.expect_reply("221", &["+"]);
}

#[test]
fn user_mode_errors_501_502_401_and_no_self_granted_oper() {
    let server = start_server();
    let mut alice = server.client("alice");
    let _bob = server.client("bob");

    alice.send("MODE alice +x");
    alice.expect_reply("501", &["Unknown MODE flag"]);
    alice.send("MODE bob +i");
    alice.expect_reply("502", &["Cant change mode for other users"]);
    alice.send("MODE nobody +i");
    alice.expect_reply("401", &["nobody", "No such nick/channel"]);
    // +o comes only from OPER: asking for it changes nothing.
    alice.send("MODE alice +o");
    alice.expect_silence();
    alice.send("MODE alice");
    alice.expect_reply("221", &["+"]);
}

#[test]
fn oper_with_the_right_password_gets_381_and_plus_o() {
    let server = server_with_oper();
    let mut alice = server.client("alice");
    alice.send("OPER teacher hunter2");
    alice.expect_reply("381", &["You are now an IRC operator"]);
    assert_eq!(alice.expect("MODE").params, ["alice", "+o"]);
    alice.send("MODE alice");
    alice.expect_reply("221", &["+o"]);

    alice.send("MODE alice -o");
    assert_eq!(alice.expect("MODE").params, ["alice", "-o"]);
    alice.send("MODE alice");
    alice.expect_reply("221", &["+"]);
}

#[test]
fn oper_with_a_wrong_name_or_password_gets_464() {
    let server = server_with_oper();
    let mut alice = server.client("alice");
    alice.send("OPER teacher wrong");
    alice.expect_reply("464", &["Password incorrect"]);
    alice.send("OPER student hunter2");
    alice.expect_reply("464", &["Password incorrect"]);
    alice.send("OPER teacher");
    alice.expect_reply("461", &["OPER", "Not enough parameters"]);
    alice.send("MODE alice");
    alice.expect_reply("221", &["+"]);
}

#[test]
fn irc_operator_may_kick_set_topic_and_modes_from_outside_the_channel() {
    let server = server_with_oper();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut teacher = server.client("teacher");
    alice.join("#lab");
    bob.join("#lab");
    teacher.send("OPER teacher hunter2");
    teacher.expect("381");

    // The operator is not in #lab, yet sees the result of each command like the members do.
    teacher.send("TOPIC #lab :Be kind");
    for c in [&mut alice, &mut teacher] {
        let topic = c.expect("TOPIC");
        assert_eq!(topic.source_nick(), "teacher");
        assert_eq!(topic.params, ["#lab", "Be kind"]);
    }
    teacher.send("MODE #lab +m");
    for c in [&mut alice, &mut teacher] {
        assert_eq!(c.expect("MODE").params, ["#lab", "+m"]);
    }
    teacher.send("KICK #lab alice :channel reset");
    for c in [&mut alice, &mut bob, &mut teacher] {
        let kick = c.expect("KICK");
        assert_eq!(kick.source_nick(), "teacher");
        assert_eq!(kick.params, ["#lab", "alice", "channel reset"]);
    }
    assert_eq!(bob.names_of("#lab"), ["bob"]);
}

#[test]
fn irc_operator_may_moderate_as_a_plain_member() {
    let server = server_with_oper();
    let mut alice = server.client("alice");
    let mut bob = server.client("bob");
    let mut teacher = server.client("teacher");
    alice.join("#lab");
    bob.join("#lab");
    teacher.join("#lab");

    // Before OPER the teacher is a member like any other.
    teacher.send("MODE #lab +m");
    teacher.expect_reply("482", &["#lab", "You're not channel operator"]);
    teacher.send("OPER teacher hunter2");
    teacher.expect("381");
    teacher.send("MODE #lab +m");
    assert_eq!(bob.expect("MODE").params, ["#lab", "+m"]);
    teacher.send("TOPIC #lab :Quiet please");
    assert_eq!(bob.expect("TOPIC").params, ["#lab", "Quiet please"]);
    teacher.send("KICK #lab alice");
    assert_eq!(bob.expect("KICK").params, ["#lab", "alice", "teacher"]);
    assert_eq!(bob.names_of("#lab"), ["bob", "teacher"]);
    // Bob, a plain member without OPER, may do none of this.
    bob.send("MODE #lab -m");
    bob.expect_reply("482", &["#lab", "You're not channel operator"]);
}
