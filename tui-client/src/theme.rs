//! Styles of the client: stable per-nick colours, dimmed events, highlighted mentions. Colours
//! are mid-tones readable on light and dark backgrounds; with `NO_COLOR` set only bold, dim and
//! reverse are used. Read by the renderer.

use ratatui::style::{Color, Modifier, Style};
use shared::names::irc_lower;

/// Nick colours from the 256-colour palette, chosen to read on both black and white.
const NICK_COLOURS: [u8; 14] = [31, 32, 34, 37, 61, 64, 67, 91, 94, 125, 130, 133, 136, 166];

/// The styles in use; `colour` is false when `NO_COLOR` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// May colours be used at all?
    pub colour: bool,
}

impl Theme {
    /// The theme for this environment: no colour when `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Theme {
        let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { colour: !no_colour }
    }

    /// The stable colour of `nick` (same nick, same colour, in every buffer and every run).
    pub fn nick(&self, nick: &str) -> Style {
        if !self.colour {
            return Style::default().add_modifier(Modifier::BOLD);
        }
        // FNV-1a over the case-folded nick: stable across runs, unlike std's random hasher.
        let mut hash: u32 = 0x811c_9dc5;
        for b in irc_lower(nick).bytes() {
            hash ^= u32::from(b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        let index = hash as usize % NICK_COLOURS.len();
        Style::default().fg(Color::Indexed(NICK_COLOURS[index]))
    }

    /// Timestamps, separators, join/part/quit and other events.
    pub fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    /// Ordinary text.
    pub fn plain(&self) -> Style {
        Style::default()
    }

    /// Error sentences.
    pub fn error(&self) -> Style {
        if self.colour {
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    /// The nick column of a line that mentions us.
    pub fn mention(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Title and status bars.
    pub fn bar(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    /// Unread or mentioned buffers in the list.
    pub fn unread(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// The mention marker in the buffer list.
    pub fn mention_marker(&self) -> Style {
        if self.colour {
            Style::default()
                .fg(Color::Magenta)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }
}
