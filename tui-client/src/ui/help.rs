//! The help overlay (F1 or `/help`): keys and commands in a box over the message area.

use ratatui::buffer::Buffer as ScreenBuffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::App;
use crate::commands::{COMMANDS, KEYS};

/// Draws the help box centred in `area`.
pub fn render(app: &App, area: Rect, buf: &mut ScreenBuffer) {
    let width = area.width.min(64);
    let height = area.height.min((KEYS.len() + COMMANDS.len() + 4) as u16);
    if width < 10 || height < 3 {
        return;
    }
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
    let mut rows: Vec<(String, String)> = KEYS
        .iter()
        .map(|(k, d)| (k.to_string(), d.to_string()))
        .collect();
    rows.push((String::new(), String::new()));
    rows.extend(COMMANDS.iter().map(|(c, d)| (c.to_string(), d.to_string())));
    let key_width = 20.min(inner.width / 2);
    for (i, (key, text)) in rows.iter().enumerate().take(inner.height as usize) {
        let row_y = inner.y + i as u16;
        buf.set_stringn(inner.x, row_y, key, key_width as usize, bold);
        let rest = inner.width.saturating_sub(key_width) as usize;
        buf.set_stringn(
            inner.x + key_width,
            row_y,
            text,
            rest,
            app.theme.dim().remove_modifier(Modifier::DIM),
        );
    }
}
