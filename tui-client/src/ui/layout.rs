//! Where each part of the screen goes for a given terminal size. Shared by the renderer and by
//! `App` (scrolling and mouse clicks need the same rectangles). Never panics on tiny sizes.

use ratatui::buffer::Buffer as ScreenBuffer;
use ratatui::layout::Rect;

use crate::app::App;

/// Width of the buffer list.
pub const SIDEBAR_WIDTH: u16 = 14;
/// Narrowest terminal that still shows the buffer list.
pub const SIDEBAR_MIN_TERMINAL: u16 = 60;
/// Width of the member list.
pub const MEMBERS_WIDTH: u16 = 14;

/// The rectangles of one screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// Channel name and topic.
    pub title: Rect,
    /// Everything between the title and the status line.
    pub body: Rect,
    /// Buffer list, when wide enough.
    pub sidebar: Option<Rect>,
    /// The one-column line right of the buffer list.
    pub sidebar_separator: Rect,
    /// Messages.
    pub messages: Rect,
    /// Member list, when shown.
    pub members: Option<Rect>,
    /// The one-column line left of the member list.
    pub members_separator: Rect,
    /// Status line.
    pub status: Rect,
    /// Input line.
    pub input: Rect,
}

/// The areas for the app's own idea of the terminal size.
pub fn areas(app: &App) -> Areas {
    areas_in(Rect::new(0, 0, app.size.0, app.size.1), app)
}

/// The areas inside `area`.
pub fn areas_in(area: Rect, app: &App) -> Areas {
    let mut out = Areas::default();
    let row = |y: u16| Rect::new(area.x, y, area.width, 1);
    if area.height == 0 || area.width == 0 {
        return out;
    }
    out.input = row(area.y + area.height - 1);
    if area.height >= 2 {
        out.status = row(area.y + area.height - 2);
    }
    if area.height >= 3 {
        out.title = row(area.y);
    }
    let body_height = area.height.saturating_sub(3);
    out.body = Rect::new(area.x, area.y + 1, area.width, body_height);
    let mut messages = out.body;
    if area.width >= SIDEBAR_MIN_TERMINAL {
        out.sidebar = Some(Rect::new(
            messages.x,
            messages.y,
            SIDEBAR_WIDTH,
            body_height,
        ));
        out.sidebar_separator = Rect::new(messages.x + SIDEBAR_WIDTH, messages.y, 1, body_height);
        messages.x += SIDEBAR_WIDTH + 1;
        messages.width -= SIDEBAR_WIDTH + 1;
    }
    if app.members_visible() && messages.width > MEMBERS_WIDTH + 20 {
        let x = messages.x + messages.width - MEMBERS_WIDTH;
        out.members = Some(Rect::new(x, messages.y, MEMBERS_WIDTH, body_height));
        out.members_separator = Rect::new(x - 1, messages.y, 1, body_height);
        messages.width -= MEMBERS_WIDTH + 1;
    }
    out.messages = messages;
    out
}

/// Draws a vertical separator line.
pub fn separator(area: Rect, buf: &mut ScreenBuffer, app: &App) {
    for y in area.y..area.y + area.height {
        buf.set_string(area.x, y, "│", app.theme.dim());
    }
}
