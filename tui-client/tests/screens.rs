//! Whole-screen tests at 80x24: the client drawn on a ratatui `TestBackend` with a fixed
//! clock, compared line by line with the screen a user should see; plus styles and tiny sizes.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;

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
            "          │Ctrl-Left/Right     word left / right                     │in",
            "          │Ctrl-W / U / K      delete word / to start / to end       │수ok",
            "          │PgUp / PgDn, wheel  scroll (past the top: older history)  │",
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
            " alice │ online",
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

#[test]
fn offline_the_status_says_so_and_typed_lines_show_as_queued() {
    let mut app = joined_app("alice", "alice bob");
    server(
        &mut app,
        &format!("@time={} :bob!b@h PRIVMSG #lab :brb", stamp(10, 1)),
    );
    app.handle(tui_client::event::Event::Lost {
        reason: "connection reset by peer".into(),
        unsent: Vec::new(),
    });
    type_line(&mut app, "are you back?");
    let screen = render(&mut app, 80, 24);
    let want = expected(
        80,
        &[
            " #lab",
            " 1 127.0.0.1  │10:02   --> │ You joined #lab                     │ (offline)",
            " 2 #lab       │10:01   bob │ brb                                 │",
            "              │10:02    !! │ Disconnected: connection reset by   │",
            "              │            │ peer. Reconnecting...               │",
            "              │10:02 alice │ are you back?                       │",
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
            " alice │ disconnected, reconnecting... │ 1 queued",
            ">",
        ],
    );
    assert_eq!(text_only(&screen), want);
    let lines = rows(&screen);
    let row = lines
        .iter()
        .position(|r| r.contains("are you back?"))
        .unwrap();
    let x = lines[row].chars().position(|c| c == '?').unwrap() as u16;
    let style = screen[(x, row as u16)].style();
    assert!(
        style
            .add_modifier
            .contains(ratatui::style::Modifier::ITALIC),
        "queued lines are dimmed"
    );
}
