//! Untrusted server text made safe to show: mIRC formatting codes become styles, every other
//! control character (C0, DEL, C1, ESC sequences) and bidi override becomes a visible
//! placeholder, so nothing a server or another user sends can drive the terminal.
//! Used by the renderer for every field: nicks, topics, reasons, messages, the MOTD.

use ratatui::style::{Color, Modifier, Style};

/// mIRC bold toggle.
const BOLD: char = '\x02';
/// mIRC colour: `\x03FG[,BG]` with one or two digits each; a bare `\x03` resets colours.
const COLOUR: char = '\x03';
/// Hex colour `\x04RRGGBB[,RRGGBB]` (ignored: few clients agree on it, we drop it safely).
const HEX_COLOUR: char = '\x04';
/// mIRC reset of every style.
const RESET: char = '\x0f';
/// Monospace toggle (a terminal is already monospace: ignored).
const MONOSPACE: char = '\x11';
/// Reverse video toggle.
const REVERSE: char = '\x16';
/// Italic toggle.
const ITALIC: char = '\x1d';
/// Strikethrough toggle.
const STRIKE: char = '\x1e';
/// Underline toggle.
const UNDERLINE: char = '\x1f';

/// The 16 standard mIRC colours as terminal colours.
const MIRC_COLOURS: [Color; 16] = [
    Color::White,
    Color::Black,
    Color::Blue,
    Color::Green,
    Color::LightRed,
    Color::Red,
    Color::Magenta,
    Color::Indexed(208),
    Color::Yellow,
    Color::LightGreen,
    Color::Cyan,
    Color::LightCyan,
    Color::LightBlue,
    Color::LightMagenta,
    Color::DarkGray,
    Color::Gray,
];

/// The placeholder shown for `c` when it must not reach the terminal, or `None` when `c` is
/// safe. C0 controls become their Unicode "control picture" (`␛` for ESC), DEL becomes `␡`, C1
/// controls, bidi overrides and line separators become `�`. A tab becomes a space.
pub fn placeholder(c: char) -> Option<char> {
    match c {
        '\t' => Some(' '),
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32),
        '\x7f' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}' => Some('\u{fffd}'),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Some('\u{fffd}'),
        '\u{2028}' | '\u{2029}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// `text` with every unsafe character replaced by its placeholder and formatting codes shown
/// as placeholders too. For fields where styles make no sense: nicks, channel names.
pub fn clean(text: &str) -> String {
    text.chars().map(|c| placeholder(c).unwrap_or(c)).collect()
}

/// `text` with mIRC codes removed and unsafe characters replaced: for plain-text contexts.
pub fn plain(text: &str) -> String {
    styled(text, Style::default(), false)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// Splits `text` into characters with their styles, starting from `base`. mIRC codes change
/// the style and are not shown; colours are applied only when `colour` is true (`NO_COLOR`).
pub fn styled(text: &str, base: Style, colour: bool) -> Vec<(char, Style)> {
    let mut out = Vec::with_capacity(text.len());
    let mut style = base;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            BOLD => style = toggle(style, Modifier::BOLD),
            ITALIC => style = toggle(style, Modifier::ITALIC),
            UNDERLINE => style = toggle(style, Modifier::UNDERLINED),
            STRIKE => style = toggle(style, Modifier::CROSSED_OUT),
            REVERSE => style = toggle(style, Modifier::REVERSED),
            RESET => style = base,
            MONOSPACE => {}
            COLOUR => {
                let fg = take_number(&mut chars);
                let mut bg = None;
                if fg.is_some() && chars.peek() == Some(&',') {
                    let mut ahead = chars.clone();
                    ahead.next();
                    if ahead.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                        bg = take_number(&mut chars);
                    }
                }
                match (fg, colour) {
                    (None, _) => {
                        style.fg = base.fg;
                        style.bg = base.bg;
                    }
                    (Some(fg), true) => {
                        style.fg = mirc_colour(fg).or(base.fg);
                        if let Some(bg) = bg {
                            style.bg = mirc_colour(bg).or(base.bg);
                        }
                    }
                    (Some(_), false) => {}
                }
            }
            HEX_COLOUR => {
                // Skip up to "RRGGBB,RRGGBB": the codes are consumed, never shown.
                for _ in 0..6 {
                    if chars.next_if(char::is_ascii_hexdigit).is_none() {
                        break;
                    }
                }
                if chars.peek() == Some(&',') {
                    chars.next();
                    for _ in 0..6 {
                        if chars.next_if(char::is_ascii_hexdigit).is_none() {
                            break;
                        }
                    }
                }
            }
            other => match placeholder(other) {
                Some(p) => out.push((p, style.add_modifier(Modifier::DIM))),
                None => out.push((other, style)),
            },
        }
    }
    out
}

/// Flips `modifier` in `style` (mIRC codes are toggles: the second `\x02` ends bold).
fn toggle(style: Style, modifier: Modifier) -> Style {
    if style.add_modifier.contains(modifier) {
        style.remove_modifier(modifier)
    } else {
        style.add_modifier(modifier)
    }
}

/// Reads one or two ASCII digits.
fn take_number(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<u8> {
    let first = chars.next_if(char::is_ascii_digit)?;
    let mut n = first.to_digit(10).unwrap_or(0) as u8;
    if let Some(second) = chars.next_if(char::is_ascii_digit) {
        n = n * 10 + second.to_digit(10).unwrap_or(0) as u8;
    }
    Some(n)
}

/// The terminal colour for mIRC colour number `n`; 99 and the extended range mean "default".
fn mirc_colour(n: u8) -> Option<Color> {
    MIRC_COLOURS.get(usize::from(n)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cells: &[(char, Style)]) -> String {
        cells.iter().map(|(c, _)| *c).collect()
    }

    #[test]
    fn controls_become_placeholders() {
        assert_eq!(clean("a\x1b[2Jb"), "a\u{241b}[2Jb");
        assert_eq!(clean("x\u{202e}y\u{2066}"), "x\u{fffd}y\u{fffd}");
        assert_eq!(clean("\u{9b}31m\x07"), "\u{fffd}31m\u{2407}");
        assert_eq!(plain("\x02bold\x02 \x0304red\x03"), "bold red");
    }

    #[test]
    fn mirc_codes_become_styles() {
        let cells = styled("a\x02b\x0304,01c\x0fd", Style::default(), true);
        assert_eq!(text(&cells), "abcd");
        assert!(!cells[0].1.add_modifier.contains(Modifier::BOLD));
        assert!(cells[1].1.add_modifier.contains(Modifier::BOLD));
        assert_eq!(cells[2].1.fg, Some(Color::LightRed));
        assert_eq!(cells[2].1.bg, Some(Color::Black));
        assert_eq!(cells[3].1, Style::default());
        let no_colour = styled("\x0304red", Style::default(), false);
        assert_eq!(no_colour[0].1.fg, None);
    }

    #[test]
    fn colour_code_keeps_a_following_comma_that_is_text() {
        assert_eq!(plain("\x0304,hi"), ",hi");
        assert_eq!(plain("\x04ff0000,00ff00x"), "x");
    }
}
