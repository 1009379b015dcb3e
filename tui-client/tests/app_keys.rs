//! `App` tests for keys, mouse and paste: editing, history, completion, buffer switching,
//! scrolling, and pastes that ask first and go out at a steady pace.
#![allow(clippy::unwrap_used)]

mod support;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use support::*;
use tui_client::event::Event;

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
    key_with(&mut app, KeyCode::Left, KeyModifiers::CONTROL);
    key_with(&mut app, KeyCode::Left, KeyModifiers::CONTROL);
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.input.text(), "bobby: xsee #lab ");
    key(&mut app, KeyCode::Backspace);
    key_with(&mut app, KeyCode::Right, KeyModifiers::CONTROL);
    key_with(&mut app, KeyCode::Right, KeyModifiers::CONTROL);
    assert_eq!(app.input.cursor(), "bobby: see #lab".chars().count());
    key(&mut app, KeyCode::End);
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
fn nick_completion_offers_the_latest_speaker_first() {
    let mut app = joined_app("alice", "alice bob bobby");
    server(&mut app, ":bobby!b@h PRIVMSG #lab :first");
    server(&mut app, ":bob!b@h PRIVMSG #lab :second");
    server(&mut app, ":bobby!b@h PRIVMSG #lab :third");
    for c in "thanks b".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.input.text(), "thanks bobby ");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.input.text(), "thanks bob ");
}
