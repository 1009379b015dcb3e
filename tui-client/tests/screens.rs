//! Whole-screen tests: the client drawn on a ratatui `TestBackend` at 80x24 and 40x12 with a
//! fixed clock, compared line by line with the screen a user should see.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use tui_client::app::App;

/// A class channel with a topic, joins, an action, a mention and a Korean message.
fn busy_channel() -> App {
    let mut app = joined_app("alice", "@teacher +ta_min alice bob carol dave 민수ok");
    server(
        &mut app,
        ":srv 332 alice #lab :Lab 3: sockets. Slides: http://lab.local/3",
    );
    let t = |m: u32| stamp(10, m);
    for line in [
        format!(
            "@time={} :bob!b@h PRIVMSG #lab :hi all, is the server up?",
            t(3)
        ),
        format!(
            "@time={} :teacher!t@h PRIVMSG #lab :yes, connect to lab.local port 6667",
            t(3)
        ),
        format!("@time={} :erin!e@h JOIN #lab", t(4)),
        format!(
            "@time={} :carol!c@h PRIVMSG #lab :\x01ACTION waves\x01",
            t(4)
        ),
        format!(
            "@time={} :ta_min!m@h PRIVMSG #lab :alice: your last commit broke the build",
            t(5)
        ),
        format!(
            "@time={} :dave!d@h PRIVMSG #lab :안녕하세요! 저는 데이브입니다 😀",
            t(6)
        ),
        format!("@time={} :bob!b@h QUIT :ping timeout", t(7)),
    ] {
        server(&mut app, &line);
    }
    app
}

#[test]
fn channel_view_at_80x24() {
    let mut app = busy_channel();
    let screen = render(&mut app, 80, 24);
    let want = expected(
        80,
        &[
            " #lab │ Lab 3: sockets. Slides: http://lab.local/3",
            " 1 127.0.0.1  │10:02     --> │ You joined #lab                   │ 7 members",
            " 2 #lab       │10:02      -- │ Topic: Lab 3: sockets. Slides:    │ @teacher",
            "              │              │ http://lab.local/3                │ +ta_min",
            "              │10:03     bob │ hi all, is the server up?         │  alice",
            "              │10:03 teacher │ yes, connect to lab.local port    │  carol",
            "              │              │ 6667                              │  dave",
            "              │10:04     --> │ erin joined                       │  erin",
            "              │10:04       * │ carol waves                       │  민수ok",
            "              │10:05  ta_min │ alice: your last commit broke the │",
            "              │              │ build                             │",
            "              │10:06    dave │ 안녕하세요! 저는 데이브입니다 😀  │",
            "              │10:07     <-- │ bob quit (ping timeout)           │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            " alice │ online",
            ">",
        ],
    );
    assert_eq!(text_only(&screen), want);
}

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
fn a_mention_elsewhere_marks_the_buffer_and_rings_once() {
    let mut app = joined_app("alice", "alice bob");
    server(&mut app, ":alice!u@h JOIN #help");
    app.switch_to(2);
    app.bell = false;
    server(
        &mut app,
        &format!(
            "@time={} :bob!b@h PRIVMSG #lab :ALICE, look at this",
            stamp(10, 5)
        ),
    );
    assert!(app.bell, "a mention in a buffer not in view rings the bell");
    app.bell = false;
    server(
        &mut app,
        &format!("@time={} :bob!b@h PRIVMSG #lab :alice? again", stamp(10, 5)),
    );
    assert!(!app.bell, "the bell rings once until the buffer is viewed");
    server(
        &mut app,
        &format!(
            "@time={} :bob!b@h PRIVMSG #lab :talice is not a mention",
            stamp(10, 6)
        ),
    );
    let screen = render(&mut app, 80, 24);
    let lines = rows(&screen);
    assert!(lines[2].starts_with(" 2 #lab     3!│"), "{:?}", lines[2]);
    // Back in #lab the mention lines have a highlighted nick column.
    app.switch_to(1);
    let screen = render(&mut app, 80, 24);
    let lines = rows(&screen);
    let row = lines
        .iter()
        .position(|r| r.contains("ALICE, look"))
        .unwrap();
    let nick_x = lines[row].chars().take_while(|c| *c != 'b').count() as u16;
    let style = screen[(nick_x, row as u16)].style();
    assert!(
        style
            .add_modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
    let plain_row = lines.iter().position(|r| r.contains("talice")).unwrap();
    let style = screen[(nick_x, plain_row as u16)].style();
    assert!(
        !style
            .add_modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn hostile_control_characters_never_reach_the_terminal() {
    let mut app = joined_app("alice", "alice");
    server(
        &mut app,
        ":srv 332 alice #lab :\x1b[2J\x1b]0;pwned\x07topic\u{202e}txet",
    );
    server(
        &mut app,
        &format!(
            "@time={} :ev\x1bil!e@h PRIVMSG #lab :a\x1b[31mred\u{9b}1m\u{2066}x\r",
            stamp(10, 4)
        ),
    );
    server(
        &mut app,
        &format!(
            "@time={} :mal!m@h PART #lab :bye\x08\x08\x08\x7f",
            stamp(10, 5)
        ),
    );
    let screen = render(&mut app, 80, 24);
    for cell in screen.content.iter() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "control character {:?} on screen",
            cell.symbol()
        );
    }
    let want = expected(
        80,
        &[
            " #lab │ ␛[2J␛]0;pwned␇topic�txet",
            " 1 127.0.0.1  │10:02   --> │ You joined #lab                     │ 1 member",
            " 2 #lab       │10:02    -- │ Topic: ␛[2J␛]0;pwned␇topic�txet     │  alice",
            "              │10:04 ev␛il │ a␛[31mred�1m�x                      │",
            "              │10:05   <-- │ mal left (bye␈␈␈␡)                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            "              │                                                  │",
            " alice │ online",
            ">",
        ],
    );
    assert_eq!(text_only(&screen), want);
}

#[test]
fn tiny_and_odd_sizes_never_panic() {
    let mut app = busy_channel();
    app.show_help = false;
    for width in 0..=45 {
        for height in 0..=12 {
            render(&mut app, width, height);
        }
    }
    app.show_help = true;
    for (width, height) in [(1, 1), (12, 4), (40, 10), (200, 60)] {
        render(&mut app, width, height);
    }
}

#[test]
fn help_overlay_at_80x24() {
    let mut app = busy_channel();
    type_line(&mut app, "/help");
    let screen = render(&mut app, 80, 24);
    let want = expected(
        80,
        &[
            " #lab │ Lab 3: sockets. Slides: http://lab.local/3",
            " 1 127.0.0.1  │10:02     --> │ You joined #lab                   │ 7 members",
            " 2 #lab   ┌ Help: any key closes ────────────────────────────────────┐acher",
            "          │Enter               send the line                         │_min",
            "          │Up / Down           input history                         │ice",
            "          │Tab                 complete nick, command, channel       │rol",
            "          │Ctrl-A/E, Home/End  start / end of line                   │ve",
            "          │Ctrl-W / U / K      delete word / to start / to end       │in",
            "          │PgUp / PgDn, wheel  scroll messages                       │수ok",
            "          │Alt-1..9, Ctrl-N/P  switch buffer                         │",
            "          │Alt-A               next buffer with unread               │",
            "          │F2                  show / hide the member list           │",
            "          │F1                  this help; any key closes it          │",
            "          │Ctrl-C              quit                                  │",
            "          │                                                          │",
            "          │/join /part /msg /query /me /nick /topic /names /list     │",
            "          │/whois /away /kick /mode /op /deop /voice /invite /close  │",
            "          │/clear /raw /help /quit                                   │",
            "          │                    /help COMMAND shows its arguments     │",
            "          └──────────────────────────────────────────────────────────┘",
            "              │                                                  │",
            "              │                                                  │",
            " alice │ online",
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

#[test]
fn no_color_uses_no_colours_at_all() {
    let mut app = busy_channel();
    app.theme.colour = false;
    server(
        &mut app,
        ":bob!b@h PRIVMSG #lab :\x0304,01red on black\x03 and \x02bold\x02",
    );
    let screen = render(&mut app, 80, 24);
    for cell in screen.content.iter() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{:?}", cell);
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{:?}", cell);
    }
    let rows = rows(&screen);
    assert!(rows.iter().any(|r| r.contains("red on black and bold")));
}
