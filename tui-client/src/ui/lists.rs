//! The two side lists: buffers on the left (number for Alt-N, name, unread count, mention
//! marker) and channel members on the right (`@`/`+` prefixes, member count).

use ratatui::buffer::Buffer as ScreenBuffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use crate::app::App;
use crate::buffer::BufferKind;
use crate::sanitize::clean;
use crate::wrap::{str_width, truncate};

/// Draws the buffer list.
pub fn buffers(app: &App, area: Rect, buf: &mut ScreenBuffer) {
    let theme = &app.theme;
    let width = area.width as usize;
    for (i, buffer) in app.buffers.iter().enumerate().take(area.height as usize) {
        let y = area.y + i as u16;
        let count = match (buffer.unread, buffer.mention) {
            (0, _) => String::new(),
            (n, true) => format!("{n}!"),
            (n, false) => n.to_string(),
        };
        let number = format!("{:>2} ", i + 1);
        let name_width =
            width.saturating_sub(3 + str_width(&count) + usize::from(!count.is_empty()));
        // The server buffer is named by its address; the host alone reads better here.
        let shown = match buffer.kind {
            BufferKind::Server => buffer
                .name
                .rsplit_once(':')
                .map_or(&*buffer.name, |(h, _)| h),
            _ => &buffer.name,
        };
        let name = truncate(&clean(shown), name_width);
        let mut style = if buffer.mention {
            theme.mention_marker()
        } else if buffer.unread > 0 {
            theme.unread()
        } else if buffer.kind == BufferKind::Channel && !buffer.joined {
            theme.dim()
        } else {
            Style::default()
        };
        if i == app.active {
            style = style.add_modifier(Modifier::REVERSED);
            buf.set_style(Rect::new(area.x, y, area.width, 1), style);
        }
        buf.set_stringn(area.x, y, &number, width, style.add_modifier(Modifier::DIM));
        buf.set_stringn(area.x + 3, y, &name, name_width, style);
        if !count.is_empty() {
            let x = area.x + (width - str_width(&count)) as u16;
            buf.set_string(x, y, &count, style);
        }
    }
}

/// Draws the member list of the channel in view.
pub fn members(app: &App, area: Rect, buf: &mut ScreenBuffer) {
    let channel = app.current();
    let width = area.width as usize;
    if area.height == 0 {
        return;
    }
    let header = match channel.members.len() {
        // The list is cleared on a disconnect and refilled by the rejoin.
        _ if !app.online() => " (offline)".to_string(),
        1 => " 1 member".to_string(),
        n => format!(" {n} members"),
    };
    buf.set_stringn(area.x, area.y, &header, width, app.theme.dim());
    let rows = area.height as usize - 1;
    let shown = channel.members.len().min(rows);
    for (i, member) in channel.members.iter().take(shown).enumerate() {
        let y = area.y + 1 + i as u16;
        let is_last_row = i + 1 == rows && channel.members.len() > rows;
        if is_last_row {
            let more = format!(" +{} more", channel.members.len() - rows + 1);
            buf.set_stringn(area.x, y, &more, width, app.theme.dim());
            break;
        }
        let prefix = format!("{:>1}", member.prefix());
        let x = area.x + 1;
        buf.set_stringn(
            x,
            y,
            &prefix,
            1,
            Style::default().add_modifier(Modifier::BOLD),
        );
        let nick = truncate(&clean(&member.nick), width.saturating_sub(2));
        buf.set_stringn(
            x + 1,
            y,
            &nick,
            width.saturating_sub(2),
            app.theme.nick(&member.nick),
        );
    }
}
