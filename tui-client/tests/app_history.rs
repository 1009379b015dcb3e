//! `App` state tests for server-side history: capability negotiation, `chathistory` batches
//! merged by time above live lines, repeats dropped by `msgid` (within a replay, against live
//! lines, across a reconnect), other batch types, and bounds on what a batch may hold.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use tui_client::buffer::LineKind;
use tui_client::event::Event;

#[test]
fn history_caps_are_requested_when_offered_and_not_needed_otherwise() {
    let mut app = new_app("alice");
    app.handle(Event::Connected(1));
    let out = server(
        &mut app,
        ":srv CAP * LS :draft/chathistory batch echo-message message-tags multi-prefix server-time userhost-in-names",
    );
    assert_eq!(
        wire(&out),
        [
            "CAP REQ :batch server-time message-tags draft/chathistory multi-prefix userhost-in-names"
        ]
    );
    let mut plain = new_app("bob");
    plain.handle(Event::Connected(1));
    assert_eq!(wire(&server(&mut plain, ":srv CAP * LS :")), ["CAP END"]);
}

#[test]
fn a_chathistory_batch_waits_for_its_end_then_goes_above_live_lines_in_time_order() {
    let mut app = history_app("alice", "alice bob");
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    server(&mut app, &replayed("r1", "bob", 9, 0, "m1", "good morning"));
    server(
        &mut app,
        &replayed("r1", "carol", 9, 1, "m2", "\x01ACTION waves\x01"),
    );
    assert_eq!(
        texts(&app, "#lab"),
        ["You joined #lab"],
        "a batch's lines wait for BATCH -"
    );
    // A live line in the middle of the batch shows at once.
    server(
        &mut app,
        &format!(
            "@time={};msgid=m9 :bob!b@h PRIVMSG #lab :live",
            stamp(10, 3)
        ),
    );
    server(
        &mut app,
        &format!(
            "@batch=r1;time={};msgid=m3 :srv NOTICE #lab :bob changed the topic to: sockets",
            stamp(9, 2)
        ),
    );
    server(&mut app, ":srv BATCH -r1");
    assert_eq!(
        texts(&app, "#lab"),
        [
            "good morning",
            "waves",
            "bob changed the topic to: sockets",
            "You joined #lab",
            "live"
        ]
    );
    let lines = &app.current().lines;
    let shown: Vec<(LineKind, &str, bool)> = lines
        .iter()
        .map(|l| (l.kind, l.nick.as_str(), l.history))
        .collect();
    assert_eq!(
        shown,
        [
            (LineKind::Message, "bob", true),
            (LineKind::Action, "carol", true),
            (LineKind::Info, "", true),
            (LineKind::Join, "", false),
            (LineKind::Message, "bob", false),
        ]
    );
    assert_eq!(lines[0].time, local(9, 0), "replayed lines keep their time");
    assert_eq!(lines[2].time, local(9, 2));
}

#[test]
fn a_message_seen_twice_is_shown_once() {
    let mut app = history_app("alice", "alice bob");
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    server(&mut app, &replayed("r1", "bob", 9, 0, "m1", "one"));
    server(&mut app, &replayed("r1", "bob", 9, 0, "m1", "one"));
    // The live copy arrives first, then the same message inside the replay.
    server(&mut app, &replayed("", "bob", 10, 3, "m2", "two"));
    server(&mut app, &replayed("r1", "bob", 10, 3, "m2", "two"));
    server(&mut app, ":srv BATCH -r1");
    // And a live repeat of a replayed message.
    server(&mut app, &replayed("", "bob", 9, 0, "m1", "one"));
    assert_eq!(texts(&app, "#lab"), ["one", "You joined #lab", "two"]);
    assert!(!app.current().lines[2].history, "the live copy stays live");
    // Lines without an id are never taken for repeats.
    server(&mut app, ":bob!b@h PRIVMSG #lab :same");
    server(&mut app, ":bob!b@h PRIVMSG #lab :same");
    assert_eq!(texts(&app, "#lab").len(), 5);
}

#[test]
fn a_replay_after_reconnecting_adds_only_what_was_missed_in_place() {
    let mut app = history_app("alice", "alice bob");
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    for (m, id) in [(0, "m1"), (1, "m2")] {
        server(&mut app, &replayed("r1", "bob", 9, m, id, id));
    }
    server(&mut app, ":srv BATCH -r1");
    server(&mut app, &replayed("", "bob", 10, 3, "m3", "m3"));
    advance(8 * 60 * 1000); // 10:10
    app.handle(Event::Lost {
        reason: "connection reset".into(),
        unsent: Vec::new(),
    });
    advance(3 * 60 * 1000); // 10:13
    app.handle(Event::Connected(2));
    server(&mut app, ":srv CAP * LS :batch server-time message-tags");
    server(&mut app, ":srv CAP * ACK :batch server-time message-tags");
    let out = server(&mut app, ":srv 001 alice :Welcome back");
    assert_eq!(wire(&out), ["JOIN #lab"]);
    server(&mut app, ":alice!u@127.0.0.1 JOIN #lab");
    server(&mut app, ":srv BATCH +r2 chathistory #lab");
    for (h, m, id) in [(9, 1, "m2"), (10, 3, "m3"), (10, 11, "m4"), (10, 12, "m5")] {
        server(&mut app, &replayed("r2", "bob", h, m, id, id));
    }
    server(&mut app, ":srv BATCH -r2");
    assert_eq!(
        texts(&app, "#lab"),
        [
            "m1",
            "m2",
            "You joined #lab",
            "m3",
            "Disconnected: connection reset. Reconnecting...",
            "m4",
            "m5",
            "You joined #lab"
        ]
    );
}

#[test]
fn replayed_lines_elsewhere_are_not_unread_and_do_not_ring() {
    let mut app = history_app("alice", "alice bob");
    app.switch_to(0);
    app.bell = false;
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    server(&mut app, &replayed("r1", "bob", 9, 0, "m1", "alice: hello"));
    server(&mut app, ":srv BATCH -r1");
    let lab = app.find("#lab").unwrap();
    assert_eq!(app.buffers[lab].lines[0].text, "alice: hello");
    assert_eq!((app.buffers[lab].unread, app.bell), (0, false));
}

#[test]
fn lines_of_other_batch_types_show_as_if_live() {
    let mut app = history_app("alice", "alice bob");
    server(&mut app, ":srv BATCH +n1 netsplit irc.a irc.b");
    server(&mut app, "@batch=n1 :bob!b@h QUIT :irc.a irc.b");
    assert!(app.current().has_member("bob"), "held until the batch ends");
    server(&mut app, ":srv BATCH -n1");
    assert!(!app.current().has_member("bob"));
    // A tag naming no open batch is not held back.
    server(&mut app, "@batch=zz :carol!c@h PRIVMSG #lab :hi");
    assert_eq!(texts(&app, "#lab").last().unwrap(), "hi");
}

#[test]
fn a_batch_that_never_ends_holds_a_bounded_number_of_lines() {
    let mut app = history_app("alice", "alice bob");
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    let total = tui_client::buffer::MAX_LINES + 50;
    for i in 0..total {
        let text = format!("old {i}");
        server(
            &mut app,
            &replayed("r1", "bob", 9, 0, &format!("m{i}"), &text),
        );
    }
    server(&mut app, ":srv BATCH -r1");
    let texts = texts(&app, "#lab");
    assert_eq!(texts.len(), tui_client::buffer::MAX_LINES);
    assert_eq!(texts[0], "old 51", "the oldest held lines made room");
    assert_eq!(texts.last().unwrap(), "You joined #lab");
    // Opening batches without end stops being honoured: their lines show at once.
    for n in 0..40 {
        server(&mut app, &format!(":srv BATCH +x{n} chathistory #lab"));
    }
    server(
        &mut app,
        &replayed("x39", "bob", 10, 5, "late", "shown live"),
    );
    assert_eq!(last_text(&app), "shown live");
}

/// The last text of `#lab`.
fn last_text(app: &tui_client::app::App) -> String {
    texts(app, "#lab").last().unwrap().clone()
}

#[test]
fn what_we_said_and_saw_live_without_an_id_is_not_replayed_twice() {
    let mut app = history_app("alice", "alice bob");
    let out = type_line(&mut app, "my answer");
    assert_eq!(wire(&out), ["PRIVMSG #lab :my answer"]);
    server(&mut app, ":bob!b@h TOPIC #lab :Lab 5");
    server(&mut app, ":bob!b@h PRIVMSG #lab :my answer");
    app.handle(Event::Lost {
        reason: "reset".into(),
        unsent: Vec::new(),
    });
    app.handle(Event::Connected(2));
    server(&mut app, ":srv 001 alice :Welcome back");
    server(&mut app, ":alice!u@127.0.0.1 JOIN #lab");
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    // The server's clock is a few minutes ahead of ours.
    server(&mut app, &replayed("r1", "alice", 10, 5, "m1", "my answer"));
    server(
        &mut app,
        &format!(
            "@batch=r1;time={};msgid=m2 :srv NOTICE #lab :bob changed the topic to: Lab 5",
            stamp(10, 5)
        ),
    );
    server(&mut app, &replayed("r1", "bob", 10, 6, "m3", "my answer"));
    server(&mut app, ":srv BATCH -r1");
    assert_eq!(
        texts(&app, "#lab"),
        [
            "You joined #lab",
            "my answer",
            "bob changed the topic to: Lab 5",
            "my answer",
            "Disconnected: reset. Reconnecting...",
            "You joined #lab"
        ]
    );
    let ids: Vec<Option<&str>> = app.current().lines[1..4]
        .iter()
        .map(|l| l.msgid.as_deref())
        .collect();
    assert_eq!(ids, [Some("m1"), Some("m2"), Some("m3")]);
}

#[test]
fn a_kick_seen_live_is_not_replayed_again_in_other_words() {
    let mut app = history_app("alice", "@teacher alice bob");
    server(
        &mut app,
        &format!(
            "@time={};msgid=k1 :teacher!t@h KICK #lab bob :spam",
            stamp(10, 3)
        ),
    );
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    server(
        &mut app,
        &format!(
            "@batch=r1;time={};msgid=k1 :srv NOTICE #lab :teacher kicked bob (spam)",
            stamp(10, 3)
        ),
    );
    server(&mut app, ":srv BATCH -r1");
    assert_eq!(
        texts(&app, "#lab"),
        ["You joined #lab", "bob was kicked by teacher (spam)"]
    );
}

#[test]
fn a_replay_of_a_burst_goes_after_the_last_line_already_seen() {
    // m1..m4 share one millisecond; m1 and m2 were seen live before the link dropped.
    let mut app = history_app("alice", "alice bob");
    server(&mut app, &replayed("", "bob", 10, 2, "m1", "m1"));
    server(&mut app, &replayed("", "bob", 10, 2, "m2", "m2"));
    app.handle(Event::Lost {
        reason: "reset".into(),
        unsent: Vec::new(),
    });
    app.handle(Event::Connected(2));
    server(&mut app, ":srv 001 alice :Welcome back");
    server(
        &mut app,
        &format!("@time={} :alice!u@127.0.0.1 JOIN #lab", stamp(10, 2)),
    );
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    for id in ["m1", "m2", "m3", "m4"] {
        server(&mut app, &replayed("r1", "bob", 10, 2, id, id));
    }
    server(&mut app, ":srv BATCH -r1");
    assert_eq!(
        texts(&app, "#lab"),
        [
            "You joined #lab",
            "m1",
            "m2",
            "m3",
            "m4",
            "Disconnected: reset. Reconnecting...",
            "You joined #lab"
        ]
    );
}
