//! Registration details: IRCv3 capability negotiation (`CAP LS 302` / `REQ` / `END`), the
//! ISUPPORT tokens the client uses (`PREFIX`), and picking another nick when ours is taken.

use shared::Message;

use super::{App, Quit};
use crate::buffer::LineKind;

/// Capabilities the client asks for when the server offers them.
/// `batch`, `message-tags` and `draft/chathistory` bring the channel's history on join.
const WANTED_CAPS: &[&str] = &[
    "batch",
    "server-time",
    "message-tags",
    "draft/chathistory",
    "multi-prefix",
    "userhost-in-names",
];

impl App {
    pub(super) fn on_cap(&mut self, msg: &Message) -> Vec<Message> {
        let end = || Message::new("CAP", vec!["END".into()]);
        match msg.param(1).to_ascii_uppercase().as_str() {
            "LS" => {
                // A "*" before the list means more LS lines follow.
                let more = msg.params.len() > 3 && msg.param(2) == "*";
                let list = msg.params.last().map(String::as_str).unwrap_or("");
                self.cap_ls.extend(
                    list.split(' ')
                        .map(|c| c.split('=').next().unwrap_or("").to_string()),
                );
                if more || self.registered {
                    return Vec::new();
                }
                let wanted: Vec<&str> = WANTED_CAPS
                    .iter()
                    .copied()
                    .filter(|w| self.cap_ls.iter().any(|c| c == w))
                    .collect();
                if wanted.is_empty() {
                    vec![end()]
                } else {
                    vec![Message::new("CAP", vec!["REQ".into(), wanted.join(" ")])]
                }
            }
            "ACK" => {
                self.caps.extend(
                    msg.param(2)
                        .split(' ')
                        .filter(|c| !c.is_empty())
                        .map(str::to_string),
                );
                if self.registered {
                    Vec::new()
                } else {
                    vec![end()]
                }
            }
            "NAK" if !self.registered => vec![end()],
            _ => Vec::new(),
        }
    }

    pub(super) fn on_isupport(&mut self, msg: &Message) {
        // Tokens sit between our nick and the trailing "are supported" text.
        let tokens = msg
            .params
            .get(1..msg.params.len().saturating_sub(1))
            .unwrap_or(&[]);
        for token in tokens {
            if let Some(value) = token.strip_prefix("PREFIX=(")
                && let Some((modes, symbols)) = value.split_once(')')
            {
                self.prefixes = modes.chars().zip(symbols.chars()).collect();
            }
            if let Some(value) = token.strip_prefix("CHATHISTORY=") {
                self.set_chathistory_limit(value);
            }
        }
    }

    /// Our nick is taken during registration: try `nick_`, then `nick2`, `nick3`...
    pub(super) fn next_nick(&mut self, msg: &Message) -> Vec<Message> {
        self.nick_attempt += 1;
        if self.nick_attempt > 50 {
            self.quit = Some(Quit::Refused("no free nick found; try --nick".into()));
            return Vec::new();
        }
        let base = &self.settings.nick;
        let suffix = match self.nick_attempt {
            1 => "_".to_string(),
            n => n.to_string(),
        };
        let keep = shared::names::NICK_MAX_LEN.saturating_sub(suffix.len());
        let base: String = base.chars().take(keep).collect();
        let candidate = if msg.verb() == "432" {
            format!("student{}", self.nick_attempt)
        } else {
            format!("{base}{suffix}")
        };
        let text = format!("Nick {} is taken; trying {candidate}", msg.param(1));
        self.note(0, LineKind::Info, text);
        self.wanted_nick = candidate.clone();
        vec![Message::new("NICK", vec![candidate])]
    }
}
