//! `App` state tests for the connection and the server's side: registration, server lines,
//! errors, members, lag, disconnect and reconnect. Events in, state and IRC messages out.
#![allow(clippy::unwrap_used)]

mod support;

use shared::Message;
use support::*;
use tui_client::app::{ConnState, Quit};
use tui_client::buffer::LineKind;
use tui_client::event::Event;

#[test]
fn registration_negotiates_caps_and_retries_a_taken_nick() {
    let mut app = new_app("alice");
    let out = app.handle(Event::Connected(1));
    assert_eq!(
        wire(&out),
        ["CAP LS 302", "NICK alice", "USER alice 0 * :lanchat user"]
    );
    let out = server(
        &mut app,
        ":srv CAP * LS :echo-message server-time multi-prefix sasl",
    );
    assert_eq!(wire(&out), ["CAP REQ :server-time multi-prefix"]);
    let out = server(&mut app, ":srv CAP * ACK :server-time multi-prefix");
    assert_eq!(wire(&out), ["CAP END"]);
    let out = server(&mut app, ":srv 433 * alice :Nickname is already in use");
    assert_eq!(wire(&out), ["NICK alice_"]);
    let out = server(&mut app, ":srv 433 * alice_ :Nickname is already in use");
    assert_eq!(wire(&out), ["NICK alice2"]);
    assert_eq!(app.conn, ConnState::Registering);
    let out = server(&mut app, ":srv 001 alice2 :Welcome to lanchat");
    assert_eq!(wire(&out), ["JOIN #lab"]);
    assert_eq!(app.nick, "alice2");
    assert_eq!(app.conn, ConnState::Online);
    server(&mut app, ":alice2!u@h JOIN #lab");
    assert_eq!(
        app.current().name,
        "#lab",
        "an autojoined channel comes into view"
    );
}

#[test]
fn server_errors_become_sentences_in_the_buffer_they_concern() {
    let mut app = joined_app("alice", "alice");
    server(&mut app, ":srv 324 alice #lab +ntl 30");
    server(&mut app, ":alice!u@h PART #lab");
    app.switch_to(0);
    let cases = [
        (
            ":srv 471 alice #lab :Cannot join channel (+l)",
            "#lab is full (limit 30)",
        ),
        (
            ":srv 473 alice #lab :Cannot join channel (+i)",
            "#lab is invite-only: ask an operator to /invite you",
        ),
        (
            ":srv 474 alice #lab :Cannot join channel (+b)",
            "You are banned from #lab",
        ),
        (
            ":srv 475 alice #lab :Cannot join channel (+k)",
            "#lab needs a key: /join #lab KEY",
        ),
        (
            ":srv 482 alice #lab :You're not channel operator",
            "You need to be an operator in #lab to do that",
        ),
        (
            ":srv 404 alice #lab :Cannot send to channel",
            "Your message did not reach #lab: the channel is moderated or you are not in it",
        ),
    ];
    let lab = app.find("#lab").unwrap();
    for (line, sentence) in cases {
        server(&mut app, line);
        let last = app.buffers[lab].lines.last().unwrap();
        assert_eq!((last.kind, last.text.as_str()), (LineKind::Error, sentence));
    }
    server(&mut app, ":srv 401 alice nobody :No such nick/channel");
    assert_eq!(
        app.buffers[0].lines.last().unwrap().text,
        "There is no one called nobody here"
    );
}

#[test]
fn server_time_tags_give_replayed_lines_their_original_time() {
    let mut app = joined_app("alice", "alice bob");
    server(
        &mut app,
        &format!("@time={} :bob!b@h PRIVMSG #lab :from earlier", stamp(9, 15)),
    );
    assert_eq!(app.current().lines.last().unwrap().time, local(9, 15));
    server(&mut app, "@time=garbage :bob!b@h PRIVMSG #lab :now");
    assert_eq!(app.current().lines.last().unwrap().time, clock());
}

#[test]
fn members_follow_names_joins_modes_nicks_and_quits() {
    let mut app = joined_app("alice", "@+teacher!t@h +bob!b@h alice!a@h");
    let nicks = |app: &tui_client::app::App| -> Vec<String> {
        app.current()
            .members
            .iter()
            .map(|m| format!("{}{}", m.prefix(), m.nick))
            .collect()
    };
    assert_eq!(nicks(&app), ["@teacher", "+bob", "alice"]);
    server(&mut app, ":teacher!t@h MODE #lab +o-v bob bob");
    server(&mut app, ":carol!c@h JOIN #lab");
    server(&mut app, ":bob!b@h NICK robert");
    assert_eq!(nicks(&app), ["@robert", "@teacher", "alice", "carol"]);
    server(&mut app, ":carol!c@h QUIT :bye");
    server(&mut app, ":teacher!t@h KICK #lab robert :spam");
    assert_eq!(nicks(&app), ["@teacher", "alice"]);
    let texts: Vec<&str> = app
        .current()
        .lines
        .iter()
        .rev()
        .take(2)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["robert was kicked by teacher (spam)", "carol quit (bye)"]
    );
}

#[test]
fn ping_is_answered_and_lag_is_measured() {
    let mut app = joined_app("alice", "alice");
    assert_eq!(wire(&server(&mut app, "PING :abc")), ["PONG abc"]);
    let out = app.handle(Event::Tick);
    assert_eq!(wire(&out), ["PING lanchat-lag"]);
    advance(250);
    server(&mut app, ":srv PONG srv :lanchat-lag");
    assert_eq!(app.lag.map(|l| l.num_milliseconds()), Some(250));
    assert!(
        app.handle(Event::Tick).is_empty(),
        "no second ping within 30 s"
    );
}

#[test]
fn disconnect_queues_typing_then_reconnect_restores_everything() {
    let mut app = joined_app("alice", "alice bob");
    type_line(&mut app, "/away in the lab");
    let out = app.handle(Event::Lost {
        reason: "connection reset".into(),
        unsent: vec![Message::new(
            "PRIVMSG",
            vec!["#lab".into(), "lost in flight".into()],
        )],
    });
    assert!(out.is_empty());
    assert!(matches!(app.conn, ConnState::Lost(_)));
    assert!(type_line(&mut app, "typed while offline").is_empty());
    assert_eq!(app.queued(), 2);
    assert!(app.current().lines.last().unwrap().queued);

    let out = app.handle(Event::Connected(2));
    assert_eq!(
        wire(&out),
        ["CAP LS 302", "NICK alice", "USER alice 0 * :lanchat user"]
    );
    server(&mut app, ":srv CAP * LS :server-time");
    server(&mut app, ":srv CAP * ACK :server-time");
    let out = server(&mut app, ":srv 001 alice :Welcome back");
    assert_eq!(
        wire(&out),
        [
            "JOIN #lab",
            "AWAY :in the lab",
            "PRIVMSG #lab :lost in flight"
        ]
    );
    advance(500);
    let out = app.handle(Event::Tick);
    assert_eq!(
        wire(&out),
        ["PING lanchat-lag", "PRIVMSG #lab :typed while offline"]
    );
    assert_eq!(app.queued(), 0);
    assert!(app.current().lines.iter().all(|l| !l.queued));
}

#[test]
fn refusals_stop_the_client_with_a_clear_reason() {
    let mut app = new_app("alice");
    app.handle(Event::Connected(1));
    server(&mut app, ":srv 464 alice :Password incorrect");
    assert_eq!(
        app.quit,
        Some(Quit::Refused(
            "wrong or missing server password (give it with --password)".into()
        ))
    );
    let mut app = new_app("alice");
    app.handle(Event::Connected(1));
    server(&mut app, "ERROR :Closing link: server full (10000 clients)");
    assert_eq!(
        app.quit,
        Some(Quit::Refused(
            "the server refused us: Closing link: server full (10000 clients)".into()
        ))
    );
}

#[test]
fn redraw_is_needed_only_when_something_visible_changed() {
    let mut app = joined_app("alice", "alice");
    app.dirty = false;
    app.handle(Event::Tick);
    advance(100);
    app.handle(Event::Tick);
    assert!(!app.dirty, "an idle tick changes nothing visible");
    server(&mut app, "PING :x");
    assert!(!app.dirty, "answering a PING changes nothing visible");
    server(&mut app, ":bob!b@h PRIVMSG #lab :hi");
    assert!(app.dirty);
}

#[test]
fn an_unchanged_lag_does_not_redraw() {
    let mut app = joined_app("alice", "alice");
    app.handle(Event::Tick);
    server(&mut app, ":srv PONG srv :lanchat-lag");
    app.dirty = false;
    advance(31_000);
    assert_eq!(wire(&app.handle(Event::Tick)), ["PING lanchat-lag"]);
    advance(20);
    server(&mut app, ":srv PONG srv :lanchat-lag");
    assert!(!app.dirty, "lag 0.0s both times: nothing to redraw");
    app.handle(Event::Tick);
    advance(31_000);
    app.handle(Event::Tick);
    advance(1500);
    server(&mut app, ":srv PONG srv :lanchat-lag");
    assert!(app.dirty, "lag went to 1.5s");
}

#[test]
fn hostile_or_truncated_server_lines_never_panic() {
    let verbs: Vec<String> = [
        "PING", "PONG", "CAP", "ERROR", "JOIN", "PART", "QUIT", "KICK", "NICK", "TOPIC", "MODE",
        "PRIVMSG", "NOTICE", "INVITE", "WALLOPS",
    ]
    .iter()
    .map(|v| v.to_string())
    .chain((1..1000).map(|n| format!("{n:03}")))
    .collect();
    let params: [&[&str]; 6] = [
        &[],
        &[""],
        &["alice"],
        &["alice", "#lab"],
        &["#lab", "+ol-v+kb", "x"],
        &["alice", "#lab", "\u{1}ACTION", "@+!x", "=", "PREFIX=(ov"],
    ];
    for verb in &verbs {
        for p in params {
            // A fresh client each time, registered or not, in a channel: every state.
            for registered in [false, true] {
                let mut app = if registered {
                    joined_app("alice", "alice @bob")
                } else {
                    new_app("alice")
                };
                let msg = Message::new(verb.clone(), p.iter().map(|s| s.to_string()).collect())
                    .with_source("evil!e@h");
                app.handle(Event::Server(msg.clone()));
                app.handle(Event::Server(Message {
                    source: None,
                    ..msg
                }));
            }
        }
    }
}
