//! Drawing: `render(&App, &mut Frame)` paints the whole screen from the state and never
//! changes it. Title bar on top, buffer list left, messages middle, members right, status and
//! input lines at the bottom. Each part has its own file.

pub mod bars;
pub mod help;
pub mod layout;
pub mod lists;
pub mod messages;

use ratatui::Frame;
use ratatui::buffer::Buffer as ScreenBuffer;
use ratatui::layout::Rect;

use crate::app::App;

/// Paints the whole screen for `app`.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let cursor = draw(app, area, frame.buffer_mut());
    if let Some((x, y)) = cursor {
        frame.set_cursor_position((x, y));
    }
}

/// Paints into a screen buffer; returns where the text cursor belongs, if anywhere.
pub fn draw(app: &App, area: Rect, buf: &mut ScreenBuffer) -> Option<(u16, u16)> {
    let areas = layout::areas_in(area, app);
    bars::title(app, areas.title, buf);
    if let Some(sidebar) = areas.sidebar {
        lists::buffers(app, sidebar, buf);
        layout::separator(areas.sidebar_separator, buf, app);
    }
    messages::render(app, areas.messages, buf);
    if let Some(members) = areas.members {
        lists::members(app, members, buf);
        layout::separator(areas.members_separator, buf, app);
    }
    bars::status(app, areas.status, buf);
    let cursor = bars::input(app, areas.input, buf);
    if app.show_help {
        help::render(app, areas.body, buf);
        return None;
    }
    cursor
}
