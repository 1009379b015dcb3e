//! The help overlay (F1 or `/help`): the keys, then every command, in a box over the body.

use ratatui::buffer::Buffer as ScreenBuffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::App;
use crate::commands::{COMMANDS, KEYS};
use crate::wrap::{str_width, truncate};

/// Width of the key column.
const KEY_COLUMN: usize = 20;

/// The help text as rows of (bold part, plain part) for a box `width` cells wide.
fn rows(width: usize) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = KEYS
        .iter()
        .map(|(k, d)| (k.to_string(), d.to_string()))
        .collect();
    rows.push((String::new(), String::new()));
    // Commands as a wrapped paragraph: they all fit even at 80x24.
    let mut line = String::new();
    for (command, _) in COMMANDS {
        if !line.is_empty() && str_width(&line) + 1 + command.len() > width {
            rows.push((std::mem::take(&mut line), String::new()));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(command);
    }
    rows.push((line, String::new()));
    rows.push((String::new(), "/help COMMAND shows its arguments".into()));
    rows
}

/// Draws the help box centred in `area`.
pub fn render(app: &App, area: Rect, buf: &mut ScreenBuffer) {
    let width = area.width.min(60);
    if width < 12 || area.height < 3 {
        return;
    }
    let inner_width = width as usize - 2;
    let rows = rows(inner_width);
    let height = area.height.min(rows.len() as u16 + 2);
    let x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height - height) / 2;
    let frame = Rect::new(x, y, width, height);
    Clear.render(frame, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Help: any key closes ");
    let inner = block.inner(frame);
    block.render(frame, buf);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let key_width = KEY_COLUMN.min(inner_width / 2);
    for (i, (key, text)) in rows.iter().enumerate().take(inner.height as usize) {
        let row_y = inner.y + i as u16;
        if text.is_empty() {
            buf.set_string(inner.x, row_y, truncate(key, inner_width), bold);
            continue;
        }
        buf.set_string(inner.x, row_y, truncate(key, key_width), bold);
        let rest = inner_width.saturating_sub(key_width);
        buf.set_string(
            inner.x + key_width as u16,
            row_y,
            truncate(text, rest),
            app.theme.plain(),
        );
    }
}
