//! Whole-screen tests for server-side history with a fixed clock: replayed lines marked with a
//! dashed separator and an italic time (at 80x24, in colour and with `NO_COLOR`), and the
//! "loading older messages" row while paging back, with the view kept on what was read.
#![allow(clippy::unwrap_used)]

mod support;

use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use support::*;

/// `#lab` after a join replay of three lines (09:00-09:02) and one live line at 10:03.
fn replayed_channel() -> tui_client::app::App {
    let mut app = history_app("alice", "@teacher alice bob carol");
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    server(
        &mut app,
        &replayed("r1", "bob", 9, 0, "m1", "is the lab open today?"),
    );
    server(
        &mut app,
        &replayed("r1", "carol", 9, 1, "m2", "\x01ACTION waves\x01"),
    );
    server(
        &mut app,
        &format!(
            "@batch=r1;time={};msgid=m3 :srv NOTICE #lab :teacher changed the topic to: Lab 4",
            stamp(9, 2)
        ),
    );
    server(&mut app, ":srv BATCH -r1");
    server(
        &mut app,
        &format!(
            "@time={};msgid=m4 :bob!b@h PRIVMSG #lab :thanks!",
            stamp(10, 3)
        ),
    );
    app
}

#[test]
fn replayed_lines_are_marked_as_history_at_80x24() {
    let mut app = replayed_channel();
    let screen = render(&mut app, 80, 24);
    let mut want = vec![
        " #lab",
        " 1 127.0.0.1  │09:00 bob ┆ is the lab open today?                │ 4 members",
        " 2 #lab       │09:01   * ┆ carol waves                           │ @teacher",
        "              │09:02  -- ┆ teacher changed the topic to: Lab 4   │  alice",
        "              │10:02 --> │ You joined #lab                       │  bob",
        "              │10:03 bob │ thanks!                               │  carol",
    ];
    let empty = "              │                                                  │";
    want.extend(std::iter::repeat_n(empty, 16));
    want.extend([" alice │ online", ">"]);
    assert_eq!(text_only(&screen), expected(80, &want));
    // The time of a replayed line is italic; a live line's is not.
    let italic = |row: u16| screen[(15, row)].modifier.contains(Modifier::ITALIC);
    assert!(italic(1) && italic(2) && italic(3));
    assert!(!italic(4) && !italic(5));
}

#[test]
fn history_marking_needs_no_colour() {
    let mut app = replayed_channel();
    app.theme.colour = false;
    let screen = render(&mut app, 80, 24);
    for cell in screen.content.iter() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    let rows = rows(&screen);
    let marked: Vec<bool> = rows[1..6].iter().map(|r| r.contains(" ┆ ")).collect();
    assert_eq!(marked, [true, true, true, false, false]);
}

/// The expected 40x12 screen of `#lab` scrolled up: `top`, then bob's lines `first..first+8`.
fn scrolled_screen(top: &str, first: u32) -> ratatui::buffer::Buffer {
    let lines: Vec<String> = (first..first + 8)
        .map(|m| format!("09:{m:02} bob ┆ line {m}"))
        .collect();
    let mut want = vec![" #lab", top];
    want.extend(lines.iter().map(String::as_str));
    want.extend([" alice │ online │ ↓ more │ [2:#lab]", ">"]);
    expected(40, &want)
}

#[test]
fn paging_back_shows_a_loading_row_then_keeps_the_view_on_what_was_read() {
    let mut app = history_app("alice", "alice bob");
    server(&mut app, ":srv BATCH +r1 chathistory #lab");
    for m in 10..30 {
        let text = format!("line {m}");
        server(
            &mut app,
            &replayed("r1", "bob", 9, m, &format!("m{m}"), &text),
        );
    }
    server(&mut app, ":srv BATCH -r1");
    render(&mut app, 40, 12);
    assert!(
        key(&mut app, KeyCode::PageUp).is_empty(),
        "not at the top yet"
    );
    let out = key(&mut app, KeyCode::PageUp);
    assert_eq!(wire(&out), ["CHATHISTORY BEFORE #lab msgid=m10 50"]);
    let loading = "┄┄┄┄┄┄┄ loading older messages… ┄┄┄┄┄┄┄┄";
    let screen = render(&mut app, 40, 12);
    assert_eq!(text_only(&screen), scrolled_screen(loading, 10));
    assert!(screen[(8, 1)].modifier.contains(Modifier::DIM));

    server(&mut app, ":srv BATCH +r2 chathistory #lab");
    for m in 5..10 {
        let text = format!("line {m}");
        server(
            &mut app,
            &replayed("r2", "bob", 9, m, &format!("m{m}"), &text),
        );
    }
    server(&mut app, ":srv BATCH -r2");
    // The rows that were in view stay where they were; the newest loaded line takes the
    // loading row's place.
    let screen = render(&mut app, 40, 12);
    assert_eq!(
        text_only(&screen),
        scrolled_screen("09:09 bob ┆ line 9", 10)
    );

    // A page up goes past the four rows left above: the next page; an empty answer ends it.
    let out = key(&mut app, KeyCode::PageUp);
    assert_eq!(wire(&out), ["CHATHISTORY BEFORE #lab msgid=m5 50"]);
    server(&mut app, ":srv BATCH +r3 chathistory #lab");
    server(&mut app, ":srv BATCH -r3");
    assert!(key(&mut app, KeyCode::PageUp).is_empty());
    let screen = render(&mut app, 40, 12);
    let none = "┄┄┄┄┄┄┄┄┄┄ no older messages ┄┄┄┄┄┄┄┄┄┄┄";
    assert_eq!(text_only(&screen), scrolled_screen(none, 5));
}
