//! The one-row bars: the title (buffer name and topic), the status line (nick, connection,
//! lag, queue, activity, "more below") and the input line with its scrolled view and cursor.

use ratatui::buffer::Buffer as ScreenBuffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use crate::app::{App, ConnState};
use crate::buffer::BufferKind;
use crate::sanitize::{clean, styled};
use crate::wrap::{char_width, to_line};

/// The prompt before the input text.
const PROMPT: &str = "> ";

/// Draws the title bar.
pub fn title(app: &App, area: Rect, buf: &mut ScreenBuffer) {
    if area.height == 0 {
        return;
    }
    let bar = app.theme.bar();
    buf.set_style(area, bar);
    let buffer = app.current();
    let name = clean(&buffer.name);
    let mut cells: Vec<(char, Style)> = format!(" {name}")
        .chars()
        .map(|c| (c, bar.add_modifier(Modifier::BOLD)))
        .collect();
    let detail = match buffer.kind {
        BufferKind::Channel if !buffer.joined => "(not joined: /join to come back)".to_string(),
        BufferKind::Channel if !buffer.topic.is_empty() => buffer.topic.clone(),
        BufferKind::Channel => String::new(),
        BufferKind::Query => "private chat".to_string(),
        BufferKind::Server => "server messages".to_string(),
    };
    if !detail.is_empty() {
        cells.extend(" │ ".chars().map(|c| (c, bar)));
        cells.extend(styled(&detail, bar, app.theme.colour));
    }
    let line = to_line(&cells);
    buf.set_line(area.x, area.y, &line, area.width);
}

/// Draws the status line.
pub fn status(app: &App, area: Rect, buf: &mut ScreenBuffer) {
    if area.height == 0 {
        return;
    }
    let bar = app.theme.bar();
    buf.set_style(area, bar);
    if let Some(lines) = &app.paste_prompt {
        let text = format!(
            " Send {} pasted lines to {}? Enter: yes  Esc: no",
            lines.len(),
            clean(&app.current().name)
        );
        buf.set_stringn(
            area.x,
            area.y,
            text,
            area.width as usize,
            bar.add_modifier(Modifier::BOLD),
        );
        return;
    }
    let narrow = area.width < crate::ui::layout::SIDEBAR_MIN_TERMINAL;
    let mut parts = vec![format!(" {}", clean(&app.nick))];
    if app.away.is_some() {
        parts.push("away".to_string());
    }
    parts.push(match &app.conn {
        ConnState::Connecting => "connecting...".to_string(),
        ConnState::Registering => "registering...".to_string(),
        // Narrow panes show the lag only when it is worth noticing.
        ConnState::Online => match app.lag {
            Some(lag) if !narrow || lag.num_milliseconds() >= 1000 => {
                format!("online, lag {:.1}s", lag.num_milliseconds() as f64 / 1000.0)
            }
            _ => "online".to_string(),
        },
        ConnState::Lost(_) => "disconnected, reconnecting...".to_string(),
    });
    if app.current().scroll > 0 {
        parts.push("↓ more".to_string());
    }
    if app.queued() > 0 {
        parts.push(format!("{} queued", app.queued()));
    }
    if narrow {
        parts.push(format!(
            "[{}:{}]",
            app.active + 1,
            clean(&app.current().name)
        ));
        let activity: Vec<String> = app
            .buffers
            .iter()
            .enumerate()
            .filter(|(_, b)| b.unread > 0)
            .map(|(i, b)| format!("{}{}", i + 1, if b.mention { "!" } else { "" }))
            .collect();
        if !activity.is_empty() {
            parts.push(format!("act {}", activity.join(",")));
        }
    }
    let text = parts.join(" │ ");
    buf.set_stringn(area.x, area.y, text, area.width as usize, bar);
}

/// Draws the input line, scrolled so the cursor is visible; returns the cursor position.
pub fn input(app: &App, area: Rect, buf: &mut ScreenBuffer) -> Option<(u16, u16)> {
    if area.height == 0 || area.width as usize <= PROMPT.len() {
        return None;
    }
    buf.set_string(
        area.x,
        area.y,
        PROMPT,
        Style::default().add_modifier(Modifier::BOLD),
    );
    let room = area.width as usize - PROMPT.len();
    let cursor_width = app.input.width_before_cursor();
    // Scroll by whole characters so the cursor always has a cell to sit in.
    let need_hidden = (cursor_width + 1).saturating_sub(room);
    let mut hidden = 0;
    let mut first = 0;
    let chars = app.input.chars();
    while hidden < need_hidden && first < chars.len() {
        hidden += char_width(chars[first]);
        first += 1;
    }
    let visible: String = chars[first..].iter().collect();
    let safe = clean(&visible);
    let mut x = area.x + PROMPT.len() as u16;
    let mut used = 0;
    for c in safe.chars() {
        let w = char_width(c);
        if used + w > room {
            break;
        }
        buf.set_string(x, area.y, c.to_string(), Style::default());
        x += w as u16;
        used += w;
    }
    let cursor_x = area.x + (PROMPT.len() + cursor_width - hidden) as u16;
    Some((cursor_x, area.y))
}
