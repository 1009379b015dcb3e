//! The message view: one buffer's lines as `HH:MM  nick │ text` rows, wrapped by display
//! width with continuation rows indented under the text, day separators between days, and the
//! scroll position applied. Lines replayed from the server's history use a dashed separator
//! (`┆`) and an italic time; a row at the top says when older ones are loading or there are
//! none. Also counts rows so `App` can bound scrolling.

use chrono::Datelike;
use ratatui::buffer::Buffer as ScreenBuffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line as TextLine, Span};

use crate::app::App;
use crate::buffer::{Line, LineKind, Older};
use crate::sanitize::{clean, styled};
use crate::wrap::{str_width, to_spans, truncate, wrap};

/// Widest the nick column gets; longer nicks are cut with `…`.
pub const NICK_COLUMN_MAX: usize = 10;
/// Width of `HH:MM `.
const TIME_WIDTH: usize = 6;
/// Between the nick column and the text.
const SEPARATOR: &str = " │ ";
/// The same for lines replayed from history: dashed, so it shows without colour too.
const HISTORY_SEPARATOR: &str = " ┆ ";

/// The last rows of the buffer in view at `width` (at least `needed` of them when the buffer
/// has that many), oldest first. Only the lines that can show are wrapped, so drawing costs the
/// same with 20 lines of history or 2000.
fn rows_from_bottom(app: &App, width: usize, needed: usize) -> Vec<TextLine<'static>> {
    let lines = &app.current().lines;
    let nick_width = nick_column(app, width);
    let day = |line: &Line| (line.time.year(), line.time.ordinal());
    let mut reversed = Vec::new();
    let mut reached_top = true;
    for i in (0..lines.len()).rev() {
        reversed.extend(
            line_rows(app, &lines[i], nick_width, width)
                .into_iter()
                .rev(),
        );
        if i > 0 && day(&lines[i - 1]) != day(&lines[i]) {
            reversed.push(day_separator(app, &lines[i], width));
        }
        if i > 0 && reversed.len() >= needed {
            reached_top = false;
            break;
        }
    }
    if reached_top && let Some(row) = top_marker(app, width) {
        reversed.push(row);
    }
    reversed.reverse();
    reversed
}

/// How many rows the buffer in view takes at `width` (for scroll bounds).
pub fn total_rows(app: &App, width: usize) -> usize {
    rows_from_bottom(app, width, usize::MAX).len()
}

/// Draws the buffer in view into `area`.
pub fn render(app: &App, area: Rect, buf: &mut ScreenBuffer) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let height = area.height as usize;
    let wanted_scroll = app.current().scroll;
    let rows = rows_from_bottom(app, area.width as usize, height + wanted_scroll);
    let scroll = wanted_scroll.min(rows.len().saturating_sub(height));
    let end = rows.len() - scroll;
    let start = end.saturating_sub(height);
    for (y, row) in rows[start..end].iter().enumerate() {
        buf.set_line(area.x, area.y + y as u16, row, area.width);
    }
}

/// Width of the nick column for this buffer: its longest nick, within bounds.
fn nick_column(app: &App, width: usize) -> usize {
    let cap = if width < 50 { 8 } else { NICK_COLUMN_MAX };
    app.current()
        .lines
        .iter()
        .map(|l| str_width(&marker(l)))
        .max()
        .unwrap_or(3)
        .clamp(3, cap)
}

/// What the nick column shows for a line.
fn marker(line: &Line) -> String {
    match line.kind {
        LineKind::Message => clean(&line.nick),
        LineKind::Notice => format!("-{}-", clean(&line.nick)),
        LineKind::Action => "*".to_string(),
        LineKind::Join => "-->".to_string(),
        LineKind::Part => "<--".to_string(),
        LineKind::Info => "--".to_string(),
        LineKind::Error => "!!".to_string(),
    }
}

/// One line as rows: the first with time and nick, continuations indented under the text.
fn line_rows(app: &App, line: &Line, nick_width: usize, width: usize) -> Vec<TextLine<'static>> {
    let theme = &app.theme;
    let dim = theme.dim();
    let (marker_style, mut text_style) = match line.kind {
        LineKind::Message | LineKind::Notice => (theme.nick(&line.nick), Style::default()),
        LineKind::Action => (theme.nick(&line.nick), Style::default()),
        LineKind::Join | LineKind::Part | LineKind::Info => (dim, dim),
        LineKind::Error => (theme.error(), theme.error()),
    };
    let marker_style = if line.mention {
        theme.mention()
    } else {
        marker_style
    };
    if line.mention {
        text_style = text_style.add_modifier(Modifier::BOLD);
    }
    if line.queued {
        text_style = text_style.add_modifier(Modifier::DIM | Modifier::ITALIC);
    }
    let mut cells = Vec::new();
    if line.kind == LineKind::Action {
        cells.extend(
            clean(&line.nick)
                .chars()
                .map(|c| (c, theme.nick(&line.nick))),
        );
        cells.push((' ', text_style));
    }
    cells.extend(styled(&line.text, text_style, theme.colour));

    let indent = TIME_WIDTH + nick_width + str_width(SEPARATOR);
    let text_width = width.saturating_sub(indent).max(1);
    let marker = truncate(&marker(line), nick_width);
    let pad = nick_width.saturating_sub(str_width(&marker));
    let time = line.time.format("%H:%M ").to_string();
    let (separator, time_style) = if line.history {
        (HISTORY_SEPARATOR, dim.add_modifier(Modifier::ITALIC))
    } else {
        (SEPARATOR, dim)
    };
    wrap(&cells, text_width)
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut spans = if i == 0 {
                vec![
                    Span::styled(time.clone(), time_style),
                    Span::raw(" ".repeat(pad)),
                    Span::styled(marker.clone(), marker_style),
                    Span::styled(separator, dim),
                ]
            } else {
                vec![
                    Span::raw(" ".repeat(TIME_WIDTH + nick_width)),
                    Span::styled(separator, dim),
                ]
            };
            spans.extend(to_spans(row));
            TextLine::from(spans)
        })
        .collect()
}

/// `───── Monday 23 November 2026 ─────`, centred.
fn day_separator(app: &App, line: &Line, width: usize) -> TextLine<'static> {
    let label = format!(" {} ", line.time.format("%A %-d %B %Y"));
    centred(&label, '─', width, app.theme.dim())
}

/// The row above the oldest line: older history loading, or none left to load.
fn top_marker(app: &App, width: usize) -> Option<TextLine<'static>> {
    let label = match app.current().older {
        Older::Loading => " loading older messages… ",
        Older::NoMore => " no older messages ",
        Older::MayExist | Older::Failed => return None,
    };
    let style = app.theme.dim().add_modifier(Modifier::ITALIC);
    Some(centred(label, '┄', width, style))
}

/// `label` centred in `width` cells between runs of `fill`.
fn centred(label: &str, fill: char, width: usize, style: Style) -> TextLine<'static> {
    let label_width = str_width(label);
    if label_width >= width {
        return TextLine::styled(truncate(label, width), style);
    }
    let left = (width - label_width) / 2;
    let right = width - label_width - left;
    let fill = fill.to_string();
    let text = format!("{}{label}{}", fill.repeat(left), fill.repeat(right));
    TextLine::styled(text, style)
}
