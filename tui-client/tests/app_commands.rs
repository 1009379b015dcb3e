//! `App` tests for what the user types: plain text and every slash command in, IRC messages
//! and buffer lines out. No terminal, no socket: exactly what the UI loop would do.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use tui_client::app::Quit;
use tui_client::buffer::LineKind;

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
fn whois_answers_read_as_sentences() {
    let mut app = joined_app("alice", "alice bob");
    assert_eq!(wire(&type_line(&mut app, "/whois bob")), ["WHOIS bob"]);
    let signon = local(9, 30).timestamp();
    for line in [
        ":srv 311 alice bob ~b 127.0.0.1 * :Bob Kim".to_string(),
        ":srv 319 alice bob :@#lab".to_string(),
        ":srv 312 alice bob lanchat.local :lanchat".to_string(),
        format!(":srv 317 alice bob 75 {signon} :seconds idle, signon time"),
        ":srv 318 alice bob :End of /WHOIS list".to_string(),
    ] {
        server(&mut app, &line);
    }
    let texts: Vec<&str> = app
        .current()
        .lines
        .iter()
        .rev()
        .take(4)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "bob has been idle 1 min 15 s, here since 09:30",
            "bob is on lanchat.local (lanchat)",
            "bob is in @#lab",
            "bob is ~b@127.0.0.1 (Bob Kim)",
        ]
    );
}
