//! Keys, mouse and paste: what each does to the `App` (editing, history, completion, buffer
//! switching, scrolling, paste confirmation).

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use shared::Message;
use shared::names::irc_lower;

use super::{App, Completion, MemberPanel};
use crate::buffer::BufferKind;
use crate::commands::COMMANDS;

/// Rows the mouse wheel scrolls per notch.
const WHEEL_ROWS: usize = 3;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Message> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        if ctrl && key.code == KeyCode::Char('c') {
            return self.quit_with(None);
        }
        if self.show_help {
            // Any key closes the help; it is not also typed.
            self.show_help = false;
            self.dirty = true;
            return Vec::new();
        }
        if self.paste_prompt.is_some() {
            return self.on_paste_answer(key.code);
        }
        if key.code != KeyCode::Tab {
            self.completion = None;
        }
        self.dirty = true;
        match key.code {
            KeyCode::Enter => return self.submit(),
            KeyCode::Tab => self.complete(),
            KeyCode::Char(c) if alt => self.alt_key(c),
            KeyCode::Char(c) if ctrl => match c {
                'a' => self.input.home(),
                'e' => self.input.end(),
                'w' => self.input.delete_word_before(),
                'u' => self.input.delete_to_start(),
                'k' => self.input.delete_to_end(),
                // Some terminals send Backspace as Ctrl-H.
                'h' => self.input.backspace(),
                'n' => self.switch_to((self.active + 1) % self.buffers.len()),
                'p' => self.switch_to((self.active + self.buffers.len() - 1) % self.buffers.len()),
                'l' => {}
                _ => self.dirty = false,
            },
            KeyCode::Char(c) => self.input.insert(c),
            KeyCode::Backspace => self.input.backspace(),
            KeyCode::Delete => self.input.delete(),
            KeyCode::Left if ctrl || alt => self.input.word_left(),
            KeyCode::Right if ctrl || alt => self.input.word_right(),
            KeyCode::Left => self.input.left(),
            KeyCode::Right => self.input.right(),
            KeyCode::Home => self.input.home(),
            KeyCode::End => self.input.end(),
            KeyCode::Up => self.input.history_up(),
            KeyCode::Down => self.input.history_down(),
            KeyCode::PageUp => return self.scroll_up(self.page_rows()),
            KeyCode::PageDown => self.scroll_by(-(self.page_rows() as isize)),
            KeyCode::F(1) => self.show_help = true,
            KeyCode::F(2) => {
                self.members_panel = if self.members_visible() {
                    MemberPanel::Hidden
                } else {
                    MemberPanel::Shown
                };
            }
            _ => self.dirty = false,
        }
        Vec::new()
    }

    /// Alt-1..9 (and Alt-0 for the tenth) pick a buffer; Alt-A the next one with unread lines.
    fn alt_key(&mut self, c: char) {
        if let Some(d) = c.to_digit(10) {
            let index = if d == 0 { 9 } else { d as usize - 1 };
            self.switch_to(index);
        } else if c == 'a' {
            self.next_unread();
        } else if c == 'b' {
            self.input.word_left();
        } else if c == 'f' {
            self.input.word_right();
        }
    }

    /// Switches to the next buffer with a mention, else with unread lines.
    pub fn next_unread(&mut self) {
        let n = self.buffers.len();
        let order = (1..n).map(|k| (self.active + k) % n);
        let mentioned = order.clone().find(|&i| self.buffers[i].mention);
        let unread = order.clone().find(|&i| self.buffers[i].unread > 0);
        if let Some(i) = mentioned.or(unread) {
            self.switch_to(i);
        }
    }

    /// Rows a PgUp/PgDn moves: most of the message area.
    fn page_rows(&self) -> usize {
        let rows = crate::ui::layout::areas(self).messages.height as usize;
        rows.saturating_sub(2).max(1)
    }

    /// Scrolls the view `rows` up (positive) or down, within the buffer's lines.
    pub fn scroll_by(&mut self, rows: isize) {
        let areas = crate::ui::layout::areas(self);
        let total = crate::ui::messages::total_rows(self, areas.messages.width as usize);
        let max = total.saturating_sub(areas.messages.height as usize);
        let buffer = &mut self.buffers[self.active];
        let wanted = buffer.scroll as isize + rows;
        buffer.scroll = wanted.clamp(0, max as isize) as usize;
        self.dirty = true;
    }

    /// Scrolls `rows` up; trying to go past the oldest line asks the server for older ones.
    fn scroll_up(&mut self, rows: usize) -> Vec<Message> {
        let wanted = self.current().scroll + rows;
        self.scroll_by(rows as isize);
        if self.current().scroll < wanted {
            self.request_older()
        } else {
            Vec::new()
        }
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Message> {
        match mouse.kind {
            MouseEventKind::ScrollUp => return self.scroll_up(WHEEL_ROWS),
            MouseEventKind::ScrollDown => self.scroll_by(-(WHEEL_ROWS as isize)),
            MouseEventKind::Down(MouseButton::Left) => {
                let areas = crate::ui::layout::areas(self);
                if let Some(sidebar) = areas.sidebar {
                    let inside = mouse.column >= sidebar.x
                        && mouse.column < sidebar.x + sidebar.width
                        && mouse.row >= sidebar.y
                        && mouse.row < sidebar.y + sidebar.height;
                    if inside {
                        self.switch_to(usize::from(mouse.row - sidebar.y));
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Bracketed paste: one line goes into the input; several lines ask for confirmation.
    pub(super) fn on_paste(&mut self, text: &str) -> Vec<Message> {
        let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        let lines: Vec<String> = normalized
            .trim_end_matches('\n')
            .split('\n')
            .map(|l| l.replace('\t', "    "))
            .collect();
        self.dirty = true;
        if lines.len() <= 1 {
            self.input
                .insert_str(lines.first().map(String::as_str).unwrap_or(""));
        } else {
            self.paste_prompt = Some(lines);
        }
        Vec::new()
    }

    /// Enter or `y` sends the pasted lines one by one at [`super::PACE`]; Esc or `n` cancels.
    fn on_paste_answer(&mut self, code: KeyCode) -> Vec<Message> {
        match code {
            KeyCode::Enter | KeyCode::Char('y') | KeyCode::Char('Y') => {
                let lines = self.paste_prompt.take().unwrap_or_default();
                self.dirty = true;
                let index = self.active;
                let mut out = Vec::new();
                for line in lines.into_iter().filter(|l| !l.trim().is_empty()) {
                    out.extend(self.say_queued(index, &line));
                }
                out
            }
            KeyCode::Esc | KeyCode::Char('n') | KeyCode::Char('N') => {
                self.paste_prompt = None;
                self.dirty = true;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Tab: completes the word before the cursor, cycling through candidates on repeats.
    fn complete(&mut self) {
        if let Some(state) = &mut self.completion {
            state.index = (state.index + 1) % state.candidates.len();
            let (start, choice) = (state.start, state.candidates[state.index].clone());
            self.input.replace_before_cursor(start, &choice);
            return;
        }
        let (start, word) = self.input.word_before_cursor();
        let folded = irc_lower(&word);
        let at_start = start == 0;
        let mut candidates: Vec<String> = if word.starts_with('/') && at_start {
            COMMANDS
                .iter()
                .filter(|(c, _)| c.starts_with(&word.to_ascii_lowercase()))
                .map(|(c, _)| format!("{c} "))
                .collect()
        } else if word.starts_with('#') {
            self.buffers
                .iter()
                .filter(|b| {
                    b.kind == BufferKind::Channel && irc_lower(&b.name).starts_with(&folded)
                })
                .map(|b| format!("{} ", b.name))
                .collect()
        } else {
            let suffix = if at_start { ": " } else { " " };
            let buffer = self.current();
            let mut nicks: Vec<String> = buffer.members.iter().map(|m| m.nick.clone()).collect();
            if buffer.kind == BufferKind::Query {
                nicks.push(buffer.name.clone());
            }
            // Whoever spoke last comes first: that is usually who you answer.
            let recency = |nick: &str| {
                buffer
                    .lines
                    .iter()
                    .rev()
                    .position(|l| shared::names::irc_eq(&l.nick, nick))
                    .unwrap_or(usize::MAX)
            };
            let mut nicks: Vec<String> = nicks
                .into_iter()
                .filter(|n| !word.is_empty() && irc_lower(n).starts_with(&folded))
                .filter(|n| !shared::names::irc_eq(n, &self.nick))
                .collect();
            nicks.sort_by_key(|n| (recency(n), irc_lower(n)));
            nicks.into_iter().map(|n| format!("{n}{suffix}")).collect()
        };
        candidates.dedup();
        if let Some(first) = candidates.first().cloned() {
            self.input.replace_before_cursor(start, &first);
            self.completion = Some(Completion {
                start,
                candidates,
                index: 0,
            });
        }
    }
}
