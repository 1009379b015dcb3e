//! Whole-screen tests at 40x12, a narrow tmux pane: side lists hidden, wrapping of Korean,
//! Japanese and emoji by display width, scrolling, day separators, the input cursor.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;

#[test]
fn channel_view_at_40x12_hides_the_side_lists() {
    let mut app = busy_channel();
    let screen = render(&mut app, 40, 12);
    let want = expected(
        40,
        &[
            " #lab │ Lab 3: sockets. Slides: http://l",
            "10:03 teacher │ yes, connect to",
            "              │ lab.local port 6667",
            "10:04     --> │ erin joined",
            "10:04       * │ carol waves",
            "10:05  ta_min │ alice: your last commit",
            "              │ broke the build",
            "10:06    dave │ 안녕하세요! 저는",
            "              │ 데이브입니다 😀",
            "10:07     <-- │ bob quit (ping timeout)",
            " alice │ online │ [2:#lab]",
            ">",
        ],
    );
    assert_eq!(text_only(&screen), want);
}

#[test]
fn korean_and_emoji_wrap_by_display_width_at_40x12() {
    let mut app = joined_app("alice", "alice minjun yuki");
    let t = stamp(10, 3);
    server(
        &mut app,
        &format!(
            "@time={t} :minjun!m@h PRIVMSG #lab :오늘 실습은 소켓 프로그래밍입니다. 질문 있으면 말해 주세요"
        ),
    );
    server(
        &mut app,
        &format!("@time={t} :yuki!y@h PRIVMSG #lab :日本語のテキストは空白なしで折り返されます"),
    );
    server(
        &mut app,
        &format!("@time={t} :bob!b@h PRIVMSG #lab :🎉🎉🎉 done 👍👍 ok"),
    );
    let screen = render(&mut app, 40, 12);
    let want = expected(
        40,
        &[
            " #lab",
            "10:02    --> │ You joined #lab",
            "10:03 minjun │ 오늘 실습은 소켓",
            "             │ 프로그래밍입니다. 질문",
            "             │ 있으면 말해 주세요",
            "10:03   yuki │ 日本語のテキストは空白な",
            "             │ しで折り返されます",
            "10:03    bob │ 🎉🎉🎉 done 👍👍 ok",
            "",
            "",
            " alice │ online │ [2:#lab]",
            ">",
        ],
    );
    assert_eq!(text_only(&screen), want);
}

#[test]
fn scrolled_up_view_says_more_below() {
    let mut app = joined_app("alice", "alice bob");
    for i in 0..40 {
        server(
            &mut app,
            &format!("@time={} :bob!b@h PRIVMSG #lab :line {i}", stamp(10, 10)),
        );
    }
    render(&mut app, 40, 12);
    key(&mut app, ratatui::crossterm::event::KeyCode::PageUp);
    let screen = render(&mut app, 40, 12);
    let want = expected(
        40,
        &[
            " #lab",
            "10:10 bob │ line 24",
            "10:10 bob │ line 25",
            "10:10 bob │ line 26",
            "10:10 bob │ line 27",
            "10:10 bob │ line 28",
            "10:10 bob │ line 29",
            "10:10 bob │ line 30",
            "10:10 bob │ line 31",
            "10:10 bob │ line 32",
            " alice │ online │ ↓ more │ [2:#lab]",
            ">",
        ],
    );
    assert_eq!(text_only(&screen), want);
}

#[test]
fn the_input_cursor_is_right_after_wide_characters_and_long_input_scrolls() {
    let mut app = joined_app("alice", "alice");
    for c in "안녕 😀".chars() {
        key(&mut app, ratatui::crossterm::event::KeyCode::Char(c));
    }
    // "> " then 4 + 1 + 2 cells of text.
    assert_eq!(cursor(&mut app, 40, 12), (9, 11));
    for _ in 0..40 {
        key(&mut app, ratatui::crossterm::event::KeyCode::Char('가'));
    }
    let (x, y) = cursor(&mut app, 40, 12);
    assert_eq!(
        (x, y),
        (38, 11),
        "the cursor stays on screen at the right edge"
    );
    let screen = render(&mut app, 40, 12);
    assert_eq!(rows(&screen)[11], format!("> {}  ", "가".repeat(18)));
}

#[test]
fn a_day_separator_divides_days_at_40x12() {
    let mut app = joined_app("alice", "alice bob");
    let yesterday = |h, m| {
        (local(h, m) - chrono::TimeDelta::days(1))
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    };
    app.buffers[1].lines.clear();
    server(
        &mut app,
        &format!(
            "@time={} :bob!b@h PRIVMSG #lab :late night",
            yesterday(23, 58)
        ),
    );
    server(
        &mut app,
        &format!("@time={} :bob!b@h PRIVMSG #lab :good morning", stamp(8, 1)),
    );
    let screen = render(&mut app, 40, 12);
    let want = expected(
        40,
        &[
            " #lab",
            "23:58 bob │ late night",
            "─────── Monday 23 November 2026 ────────",
            "08:01 bob │ good morning",
            "",
            "",
            "",
            "",
            "",
            "",
            " alice │ online │ [2:#lab]",
            ">",
        ],
    );
    assert_eq!(text_only(&screen), want);
}
