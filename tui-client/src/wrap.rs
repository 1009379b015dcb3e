//! Wrapping styled text to a width measured in terminal cells (unicode-width), so Korean, CJK
//! and emoji (two cells each) line up and are never cut in half. Used by the message view.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// One character with its style, as produced by [`crate::sanitize::styled`].
pub type Cell = (char, Style);

/// Display width of one character (control characters never get here: they are sanitised).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width of a string.
pub fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Splits `cells` into rows at most `width` cells wide. Breaks at spaces when it can, inside a
/// word only when the word is longer than a row (URLs, Chinese text without spaces). Spaces at
/// a break are dropped so continuation rows start flush.
pub fn wrap(cells: &[Cell], width: usize) -> Vec<Vec<Cell>> {
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new()];
    if width == 0 {
        return rows;
    }
    let mut used = 0;
    for token in tokens(cells) {
        let token_width: usize = token.iter().map(|(c, _)| char_width(*c)).sum();
        let is_space = token.first().is_some_and(|(c, _)| *c == ' ');
        if is_space {
            if used + token_width <= width {
                extend(&mut rows, token);
                used += token_width;
            } else {
                rows.push(Vec::new());
                used = 0;
            }
            continue;
        }
        if used + token_width > width && token_width <= width && used > 0 {
            trim_trailing_spaces(&mut rows);
            rows.push(Vec::new());
            used = 0;
        }
        for &(c, style) in token {
            let w = char_width(c);
            if used + w > width {
                rows.push(Vec::new());
                used = 0;
            }
            extend(&mut rows, &[(c, style)]);
            used += w;
        }
    }
    trim_trailing_spaces(&mut rows);
    rows
}

/// Runs of spaces and runs of non-spaces.
fn tokens(cells: &[Cell]) -> Vec<&[Cell]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=cells.len() {
        let boundary = i == cells.len() || ((cells[i].0 == ' ') != (cells[i - 1].0 == ' '));
        if boundary && start < i {
            out.push(&cells[start..i]);
            start = i;
        }
    }
    out
}

fn extend(rows: &mut [Vec<Cell>], cells: &[Cell]) {
    if let Some(last) = rows.last_mut() {
        last.extend_from_slice(cells);
    }
}

fn trim_trailing_spaces(rows: &mut [Vec<Cell>]) {
    if let Some(last) = rows.last_mut() {
        while last.last().is_some_and(|(c, _)| *c == ' ') {
            last.pop();
        }
    }
}

/// Turns a row of cells into spans, one per run of equal style.
pub fn to_spans(row: &[Cell]) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut current: Option<Style> = None;
    for &(c, style) in row {
        if current.is_some_and(|s| s != style) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                current.unwrap_or_default(),
            ));
        }
        current = Some(style);
        text.push(c);
    }
    if let Some(style) = current {
        spans.push(Span::styled(text, style));
    }
    spans
}

/// A row of cells as a ratatui line.
pub fn to_line(row: &[Cell]) -> Line<'static> {
    Line::from(to_spans(row))
}

/// Cuts `s` to at most `width` cells, ending with `…` when something was cut.
pub fn truncate(s: &str, width: usize) -> String {
    if str_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(s: &str) -> Vec<Cell> {
        s.chars().map(|c| (c, Style::default())).collect()
    }

    fn rows(s: &str, width: usize) -> Vec<String> {
        wrap(&cells(s), width)
            .iter()
            .map(|r| r.iter().map(|(c, _)| *c).collect())
            .collect()
    }

    #[test]
    fn breaks_at_spaces() {
        assert_eq!(rows("hello big world", 9), vec!["hello big", "world"]);
        assert_eq!(rows("hello   world", 5), vec!["hello", "world"]);
    }

    #[test]
    fn wide_characters_are_never_split() {
        assert_eq!(rows("한국어입니다", 5), vec!["한국", "어입", "니다"]);
        assert_eq!(rows("ab 😀😀😀", 5), vec!["ab 😀", "😀😀"]);
        assert_eq!(rows("ab 😀😀", 5), vec!["ab", "😀😀"]);
    }

    #[test]
    fn long_words_are_cut_by_width() {
        assert_eq!(
            rows("see http://example.com/x", 10),
            vec!["see http:/", "/example.c", "om/x"]
        );
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("한국어", 4), "한…");
    }
}
