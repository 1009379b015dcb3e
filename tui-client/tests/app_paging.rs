//! `App` state tests for paging back through a channel's history: scrolling past the top
//! sends `CHATHISTORY BEFORE` once, an empty answer ends it, the server's limit is respected,
//! and `FAIL` replies become sentences and stop the paging.
#![allow(clippy::unwrap_used)]

mod support;

use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseEvent, MouseEventKind};
use support::*;
use tui_client::buffer::{LineKind, Older};
use tui_client::event::Event;

/// `app` with `#lab` holding the replay m10..m12 (09:10-09:12), drawn at 80x24.
fn paged_app() -> tui_client::app::App {
    let mut app = history_app("alice", "alice bob");
    app.handle(Event::Resize(80, 24));
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    for m in 10..13 {
        server(
            &mut app,
            &replayed("r1", "bob", 9, m, &format!("m{m}"), "x"),
        );
    }
    server(&mut app, ":srv BATCH -r1");
    app
}

#[test]
fn scrolling_past_the_top_asks_for_the_page_before_the_oldest_line_once() {
    let mut app = paged_app();
    let out = key(&mut app, KeyCode::PageUp);
    assert_eq!(wire(&out), ["CHATHISTORY BEFORE #lab msgid=m10 50"]);
    assert_eq!(app.current().older, Older::Loading);
    // Not again while the answer is on its way, by key or by wheel.
    assert!(key(&mut app, KeyCode::PageUp).is_empty());
    let wheel = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: 30,
        row: 5,
        modifiers: KeyModifiers::NONE,
    });
    assert!(app.handle(wheel.clone()).is_empty());
    server(&mut app, ":srv BATCH +r2 chathistory #lab");
    for m in 7..10 {
        server(
            &mut app,
            &replayed("r2", "bob", 9, m, &format!("m{m}"), "y"),
        );
    }
    server(&mut app, ":srv BATCH -r2");
    assert_eq!(app.current().older, Older::MayExist);
    assert_eq!(app.current().lines[0].msgid.as_deref(), Some("m7"));
    let out = app.handle(wheel.clone());
    assert_eq!(wire(&out), ["CHATHISTORY BEFORE #lab msgid=m7 50"]);
    // An empty batch: the channel's history ends here; no more requests.
    server(&mut app, ":srv BATCH +r3 chathistory #lab");
    server(&mut app, ":srv BATCH -r3");
    assert_eq!(app.current().older, Older::NoMore);
    assert!(key(&mut app, KeyCode::PageUp).is_empty());
    assert!(app.handle(wheel).is_empty());
}

#[test]
fn paging_respects_the_server_limit_and_needs_history_support() {
    let mut app = paged_app();
    server(&mut app, ":srv 005 alice CHATHISTORY=20 :are supported");
    let out = key(&mut app, KeyCode::PageUp);
    assert_eq!(wire(&out), ["CHATHISTORY BEFORE #lab msgid=m10 20"]);
    // A server without draft/chathistory: scrolling up stays local.
    let mut old = joined_app("alice", "alice bob");
    server(&mut old, &replayed("", "bob", 9, 0, "m1", "tagged anyway"));
    assert!(key(&mut old, KeyCode::PageUp).is_empty());
    assert_eq!(old.current().older, Older::MayExist);
    // Nor does the server buffer page back.
    app.switch_to(0);
    assert!(key(&mut app, KeyCode::PageUp).is_empty());
}

#[test]
fn fail_replies_become_sentences_and_stop_the_paging() {
    let mut app = paged_app();
    key(&mut app, KeyCode::PageUp);
    server(
        &mut app,
        ":srv FAIL CHATHISTORY MESSAGE_ERROR BEFORE #lab :Unknown message id",
    );
    let last = app.current().lines.last().unwrap();
    assert_eq!(
        (last.kind, last.text.as_str()),
        (
            LineKind::Error,
            "The server could not read the history of #lab (Unknown message id)"
        )
    );
    assert_eq!(app.current().older, Older::Failed);
    assert!(key(&mut app, KeyCode::PageUp).is_empty(), "not asked again");
    let cases = [
        (
            ":srv FAIL CHATHISTORY INVALID_TARGET BEFORE #secret :No such channel",
            "The server keeps no history of #secret you may read (No such channel)",
        ),
        (
            ":srv FAIL CHATHISTORY UNKNOWN_COMMAND SIDEWAYS :Unknown subcommand",
            "The server cannot page back through history (Unknown subcommand)",
        ),
        (
            ":srv FAIL CHATHISTORY INVALID_PARAMS BEFORE #lab :Bad limit",
            "The server refused the request for older messages of #lab (Bad limit)",
        ),
        (
            ":srv FAIL METADATA KEY_INVALID bad!key :Invalid key",
            "METADATA failed (Invalid key)",
        ),
    ];
    for (line, sentence) in cases {
        server(&mut app, line);
        assert_eq!(app.current().lines.last().unwrap().text, sentence);
    }
    // After a reconnect the server gets another chance.
    app.handle(Event::Lost {
        reason: "gone".into(),
        unsent: Vec::new(),
    });
    assert_eq!(app.current().older, Older::MayExist);
}

#[test]
fn a_page_of_messages_sent_in_the_same_millisecond_keeps_the_server_order() {
    // A burst: every line has the same time, so only the server's order tells them apart.
    let mut app = history_app("alice", "alice bob");
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    for n in 3..6 {
        let id = format!("m{n}");
        server(&mut app, &replayed("r1", "bob", 9, 0, &id, &id));
    }
    server(&mut app, ":srv BATCH -r1");
    let out = key(&mut app, KeyCode::PageUp);
    assert_eq!(wire(&out), ["CHATHISTORY BEFORE #lab msgid=m3 50"]);
    server(&mut app, ":srv BATCH +r2 chathistory #lab");
    for n in 0..3 {
        let id = format!("m{n}");
        server(&mut app, &replayed("r2", "bob", 9, 0, &id, &id));
    }
    server(&mut app, ":srv BATCH -r2");
    assert_eq!(
        texts(&app, "#lab"),
        ["m0", "m1", "m2", "m3", "m4", "m5", "You joined #lab"]
    );
}
