//! The input line: editing (Emacs-style keys), history, and the display-width cursor position
//! the renderer needs so the cursor stays right after Korean or emoji. Owned by `App`.

use crate::wrap::char_width;

/// How many submitted lines the history keeps.
const HISTORY_MAX: usize = 200;

/// The text being typed, its cursor and the history of submitted lines.
#[derive(Debug, Clone, Default)]
pub struct InputLine {
    chars: Vec<char>,
    /// Cursor position as a char index (0 = before the first char).
    cursor: usize,
    history: Vec<String>,
    /// Position while browsing history; `None` when editing a new line.
    history_pos: Option<usize>,
    /// The unfinished line saved when history browsing started.
    draft: String,
}

impl InputLine {
    /// The current text.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Cursor position as a char index.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Is the line empty?
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The characters, for rendering.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Display width of the text before the cursor, in terminal cells.
    pub fn width_before_cursor(&self) -> usize {
        self.chars[..self.cursor]
            .iter()
            .map(|c| char_width(*c))
            .sum()
    }

    /// Replaces the text and puts the cursor at char index `cursor` (clamped).
    pub fn set(&mut self, text: &str, cursor: usize) {
        self.chars = text.chars().collect();
        self.cursor = cursor.min(self.chars.len());
    }

    /// Inserts one character at the cursor. CR and LF become spaces: they never reach the wire.
    pub fn insert(&mut self, c: char) {
        let c = if c == '\r' || c == '\n' { ' ' } else { c };
        if c.is_control() {
            return;
        }
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    /// Inserts text at the cursor.
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(c);
        }
    }

    /// Deletes the character before the cursor (Backspace).
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    /// Deletes the character under the cursor (Delete).
    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    /// Moves one character left.
    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    /// Moves one character right.
    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    /// Moves to the start of the word before the cursor (Ctrl-Left, Alt-B).
    pub fn word_left(&mut self) {
        while self.cursor > 0 && self.chars[self.cursor - 1] == ' ' {
            self.cursor -= 1;
        }
        while self.cursor > 0 && self.chars[self.cursor - 1] != ' ' {
            self.cursor -= 1;
        }
    }

    /// Moves past the end of the word after the cursor (Ctrl-Right, Alt-F).
    pub fn word_right(&mut self) {
        let len = self.chars.len();
        while self.cursor < len && self.chars[self.cursor] == ' ' {
            self.cursor += 1;
        }
        while self.cursor < len && self.chars[self.cursor] != ' ' {
            self.cursor += 1;
        }
    }

    /// Moves to the start (Home, Ctrl-A).
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves to the end (End, Ctrl-E).
    pub fn end(&mut self) {
        self.cursor = self.chars.len();
    }

    /// Deletes the word before the cursor, and the spaces after it (Ctrl-W).
    pub fn delete_word_before(&mut self) {
        let mut start = self.cursor;
        while start > 0 && self.chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && self.chars[start - 1] != ' ' {
            start -= 1;
        }
        self.chars.drain(start..self.cursor);
        self.cursor = start;
    }

    /// Deletes everything before the cursor (Ctrl-U).
    pub fn delete_to_start(&mut self) {
        self.chars.drain(..self.cursor);
        self.cursor = 0;
    }

    /// Deletes everything from the cursor on (Ctrl-K).
    pub fn delete_to_end(&mut self) {
        self.chars.truncate(self.cursor);
    }

    /// Takes the text out, leaving the line empty, and remembers it in the history.
    pub fn submit(&mut self) -> String {
        let text = self.text();
        self.chars.clear();
        self.cursor = 0;
        self.history_pos = None;
        if !text.trim().is_empty() && self.history.last() != Some(&text) {
            self.history.push(text.clone());
            if self.history.len() > HISTORY_MAX {
                self.history.remove(0);
            }
        }
        text
    }

    /// Shows the previous history entry (Up).
    pub fn history_up(&mut self) {
        let pos = match self.history_pos {
            None if self.history.is_empty() => return,
            None => {
                self.draft = self.text();
                self.history.len() - 1
            }
            Some(0) => return,
            Some(p) => p - 1,
        };
        self.history_pos = Some(pos);
        let entry = self.history[pos].clone();
        self.set(&entry, usize::MAX);
    }

    /// Shows the next history entry, or the unfinished line after the last one (Down).
    pub fn history_down(&mut self) {
        let Some(pos) = self.history_pos else {
            return;
        };
        if pos + 1 < self.history.len() {
            self.history_pos = Some(pos + 1);
            let entry = self.history[pos + 1].clone();
            self.set(&entry, usize::MAX);
        } else {
            self.history_pos = None;
            let draft = std::mem::take(&mut self.draft);
            self.set(&draft, usize::MAX);
        }
    }

    /// The word before the cursor and its start (char index), for completion.
    pub fn word_before_cursor(&self) -> (usize, String) {
        let mut start = self.cursor;
        while start > 0 && self.chars[start - 1] != ' ' {
            start -= 1;
        }
        (start, self.chars[start..self.cursor].iter().collect())
    }

    /// Replaces chars `start..cursor` with `with`, leaving the cursor after it.
    pub fn replace_before_cursor(&mut self, start: usize, with: &str) {
        let start = start.min(self.cursor);
        let new: Vec<char> = with.chars().collect();
        let len = new.len();
        self.chars.splice(start..self.cursor, new);
        self.cursor = start + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_keys() {
        let mut line = InputLine::default();
        line.insert_str("hello big world");
        line.delete_word_before();
        assert_eq!(line.text(), "hello big ");
        line.home();
        line.right();
        line.delete_to_end();
        assert_eq!(line.text(), "h");
        line.insert_str("i\r\nthere");
        assert_eq!(line.text(), "hi  there");
        line.left();
        line.delete_to_start();
        assert_eq!((line.text(), line.cursor()), ("e".to_string(), 0));
    }

    #[test]
    fn cursor_width_counts_wide_characters() {
        let mut line = InputLine::default();
        line.insert_str("한국a😀");
        assert_eq!(line.width_before_cursor(), 7);
        line.left();
        assert_eq!(line.width_before_cursor(), 5);
    }

    #[test]
    fn history_keeps_the_draft() {
        let mut line = InputLine::default();
        line.insert_str("one");
        line.submit();
        line.insert_str("two");
        line.submit();
        line.insert_str("dra");
        line.history_up();
        assert_eq!(line.text(), "two");
        line.history_up();
        line.history_up();
        assert_eq!(line.text(), "one");
        line.history_down();
        line.history_down();
        assert_eq!(line.text(), "dra");
    }
}
