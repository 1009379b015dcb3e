//! `App` state tests: events in (keys, server lines, connection changes), state and outgoing
//! IRC messages out. No terminal, no socket: exactly what the UI loop would do.
#![allow(clippy::unwrap_used)]

mod support;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
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
fn typing_sends_to_the_channel_in_view_and_shows_the_line() {
    let mut app = joined_app("alice", "alice bob");
    let out = type_line(&mut app, "hello 세계");
    assert_eq!(wire(&out), ["PRIVMSG #lab :hello 세계"]);
    let last = app.current().lines.last().unwrap();
    assert_eq!(
        (last.nick.as_str(), last.text.as_str()),
        ("alice", "hello 세계")
    );
    assert_eq!(last.time, clock());
    assert!(app.input.is_empty());
}

#[test]
fn commands_become_irc_messages() {
    let mut app = joined_app("alice", "@alice bob");
    let cases = [
        ("/me waves", vec!["PRIVMSG #lab :\x01ACTION waves\x01"]),
        ("/msg #lab hi all", vec!["PRIVMSG #lab :hi all"]),
        ("/join #help,#os key", vec!["JOIN #help,#os key"]),
        ("/nick al", vec!["NICK al"]),
        ("/topic Lab 4 today", vec!["TOPIC #lab :Lab 4 today"]),
        ("/names", vec!["NAMES #lab"]),
        ("/list", vec!["LIST"]),
        ("/whois bob", vec!["WHOIS bob"]),
        ("/away lunch", vec!["AWAY lunch"]),
        ("/away", vec!["AWAY"]),
        ("/kick bob too loud", vec!["KICK #lab bob :too loud"]),
        ("/op bob carol", vec!["MODE #lab +oo bob carol"]),
        ("/deop bob", vec!["MODE #lab -o bob"]),
        ("/voice bob", vec!["MODE #lab +v bob"]),
        ("/mode +m", vec!["MODE #lab +m"]),
        ("/mode #lab +l 30", vec!["MODE #lab +l 30"]),
        ("/invite dave", vec!["INVITE dave #lab"]),
        ("/raw PRIVMSG bob :raw text", vec!["PRIVMSG bob :raw text"]),
        ("//slash at start", vec!["PRIVMSG #lab :/slash at start"]),
        ("/part", vec!["PART #lab"]),
    ];
    for (typed, want) in cases {
        app.switch_to(1);
        assert_eq!(wire(&type_line(&mut app, typed)), want, "{typed}");
    }
    let out = type_line(&mut app, "/quit bye all");
    assert_eq!(wire(&out), ["QUIT :bye all"]);
    assert_eq!(app.quit, Some(Quit::User));
}

#[test]
fn query_opens_a_private_buffer() {
    let mut app = joined_app("alice", "alice bob");
    let out = type_line(&mut app, "/query bob are you there?");
    assert_eq!(wire(&out), ["PRIVMSG bob :are you there?"]);
    assert_eq!(app.current().name, "bob");
    let out = type_line(&mut app, "/close");
    assert!(out.is_empty());
    assert!(app.find("bob").is_none());
    server(&mut app, ":bob!b@h PRIVMSG alice :psst");
    let i = app.find("bob").unwrap();
    assert_eq!(app.buffers[i].unread, 1);
    assert!(
        app.buffers[i].mention,
        "a private message counts as a mention"
    );
}

#[test]
fn bad_commands_explain_themselves_and_send_nothing() {
    let mut app = joined_app("alice", "alice");
    assert!(type_line(&mut app, "/frobnicate now").is_empty());
    assert!(type_line(&mut app, "/msg bob").is_empty());
    assert!(type_line(&mut app, "/raw :bad\0").is_empty());
    let texts: Vec<&str> = app
        .current()
        .lines
        .iter()
        .rev()
        .take(3)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        texts[2],
        "Unknown command /frobnicate. /help lists the commands."
    );
    assert_eq!(texts[1], "Usage: /msg nick|#chan text");
    assert!(texts[0].starts_with("Not a valid IRC line"), "{}", texts[0]);
    app.switch_to(0);
    assert!(
        type_line(&mut app, "hello?").is_empty(),
        "the server buffer is not a chat"
    );
    assert_eq!(app.current().lines.last().unwrap().kind, LineKind::Error);
}

#[test]
fn long_messages_are_split_under_512_bytes_without_cutting_characters() {
    let mut app = joined_app("alice", "alice");
    let text = "가나다라마바사 ".repeat(60); // 1320 bytes
    let out = type_line(&mut app, &text);
    assert!(out.len() >= 3, "{} pieces", out.len());
    let mut rebuilt = String::new();
    for msg in &out {
        // What other clients receive, with the longest source prefix the server adds.
        let relayed = format!(
            ":{}!{}@{} {}",
            "a".repeat(30),
            "u".repeat(10),
            "h".repeat(63),
            msg.to_wire()
        );
        assert!(relayed.len() <= 512, "{} bytes", relayed.len());
        rebuilt.push_str(msg.param(1));
        rebuilt.push(' ');
    }
    assert_eq!(
        rebuilt.split_whitespace().collect::<Vec<_>>(),
        text.split_whitespace().collect::<Vec<_>>()
    );
}

#[test]
fn carriage_returns_and_newlines_never_reach_the_wire() {
    let mut app = joined_app("alice", "alice");
    app.handle(Event::Paste("one\r\n".into()));
    type_line(&mut app, "");
    app.handle(Event::Paste("a\rb".into()));
    assert!(app.paste_prompt.is_some(), "a lone CR splits lines too");
    key(&mut app, KeyCode::Esc);
    assert!(app.paste_prompt.is_none());
    for c in ['x', '\r', '\n', 'y'] {
        key(&mut app, KeyCode::Char(c));
    }
    let out = key(&mut app, KeyCode::Enter);
    assert_eq!(wire(&out), ["PRIVMSG #lab :x  y"]);
}

#[test]
fn a_multi_line_paste_asks_first_then_goes_out_at_a_steady_pace() {
    let mut app = joined_app("alice", "alice");
    let out = app.handle(Event::Paste(
        "fn main() {\n    println!(\"hi\");\n}\n".into(),
    ));
    assert!(out.is_empty());
    assert_eq!(app.paste_prompt.as_ref().unwrap().len(), 3);
    let mut sent = wire(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        app.current().lines.iter().filter(|l| l.queued).count(),
        3 - sent.len()
    );
    for _ in 0..10 {
        // Ticks also measure lag; only the chat lines matter here.
        let out = app.handle(Event::Tick);
        sent.extend(wire(&out).into_iter().filter(|l| l.starts_with("PRIVMSG")));
        advance(100);
    }
    assert_eq!(
        sent,
        [
            "PRIVMSG #lab :fn main() {",
            "PRIVMSG #lab :    println!(\"hi\");",
            "PRIVMSG #lab }"
        ]
    );
    assert_eq!(app.current().lines.iter().filter(|l| l.queued).count(), 0);
}

#[test]
fn editing_keys_history_and_completion() {
    let mut app = joined_app("alice", "alice @bob bobby carol");
    for c in "b".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.input.text(), "bob: ");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.input.text(), "bobby: ");
    for c in "see #l".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.input.text(), "bobby: see #lab ");
    key_with(&mut app, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(app.input.text(), "bobby: see ");
    key_with(&mut app, KeyCode::Char('a'), KeyModifiers::CONTROL);
    key_with(&mut app, KeyCode::Char('k'), KeyModifiers::CONTROL);
    assert!(app.input.is_empty());
    for c in "/jo".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.input.text(), "/join ");
    key_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_line(&mut app, "first");
    type_line(&mut app, "second");
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    assert_eq!(app.input.text(), "first");
    key(&mut app, KeyCode::Down);
    assert_eq!(app.input.text(), "second");
}

#[test]
fn buffers_switch_with_alt_digits_ctrl_n_p_and_alt_a() {
    let mut app = joined_app("alice", "alice bob");
    server(&mut app, ":alice!u@h JOIN #help");
    server(&mut app, ":alice!u@h JOIN #os");
    key_with(&mut app, KeyCode::Char('1'), KeyModifiers::ALT);
    assert_eq!(app.active, 0);
    key_with(&mut app, KeyCode::Char('p'), KeyModifiers::CONTROL);
    assert_eq!(app.current().name, "#os");
    key_with(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
    assert_eq!(app.active, 0);
    server(&mut app, ":bob!b@h PRIVMSG #help :anyone?");
    server(&mut app, ":bob!b@h PRIVMSG #os :alice: ping");
    key_with(&mut app, KeyCode::Char('a'), KeyModifiers::ALT);
    assert_eq!(app.current().name, "#os", "mentions come first");
    assert_eq!((app.current().unread, app.current().mention), (0, false));
    key_with(&mut app, KeyCode::Char('a'), KeyModifiers::ALT);
    assert_eq!(app.current().name, "#help");
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
fn scrolling_with_page_keys_and_the_wheel_stays_in_bounds() {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let mut app = joined_app("alice", "alice bob");
    app.handle(Event::Resize(40, 12));
    for i in 0..30 {
        server(&mut app, &format!(":bob!b@h PRIVMSG #lab :line {i}"));
    }
    let wheel = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 20,
            row: 5,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.handle(wheel(MouseEventKind::ScrollUp));
    assert_eq!(app.current().scroll, 3);
    server(&mut app, ":bob!b@h PRIVMSG #lab :new line");
    assert_eq!(
        app.current().scroll,
        4,
        "the view stays on what the user reads"
    );
    for _ in 0..20 {
        key(&mut app, KeyCode::PageUp);
    }
    // 32 rows (our join and 31 lines) minus 9 visible rows.
    assert_eq!(app.current().scroll, 32 - 9);
    for _ in 0..20 {
        key(&mut app, KeyCode::PageDown);
    }
    assert_eq!(app.current().scroll, 0);
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
fn names_and_list_answers_appear_where_they_were_asked() {
    let mut app = joined_app("alice", "alice bob");
    assert_eq!(wire(&type_line(&mut app, "/names")), ["NAMES #lab"]);
    server(&mut app, ":srv 353 alice = #lab :@alice bob +carol");
    server(&mut app, ":srv 366 alice #lab :End of /NAMES list.");
    assert_eq!(
        app.current().lines.last().unwrap().text,
        "Members (3): @alice +carol bob"
    );
    assert_eq!(wire(&type_line(&mut app, "/list")), ["LIST"]);
    server(&mut app, ":srv 322 alice #lab 3 :Lab 3");
    server(&mut app, ":srv 323 alice :End of /LIST");
    let texts: Vec<&str> = app
        .current()
        .lines
        .iter()
        .rev()
        .take(2)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(texts, ["End of channel list", "#lab (3): Lab 3"]);
}

#[test]
fn join_adds_the_hash_and_a_parted_channel_refuses_chat() {
    let mut app = joined_app("alice", "alice");
    assert_eq!(
        wire(&type_line(&mut app, "/join help,#os")),
        ["JOIN #help,#os"]
    );
    server(&mut app, ":alice!u@h PART #lab");
    app.switch_to(1);
    assert!(type_line(&mut app, "anyone?").is_empty());
    let last = app.current().lines.last().unwrap();
    assert_eq!(last.text, "You are not in #lab: /join #lab first");
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
