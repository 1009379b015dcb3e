//! Numeric replies that are not errors: topic, names, modes, whois, list, away, MOTD and the
//! welcome text. Each goes to the buffer it concerns; errors are turned into sentences by
//! `numerics`.

use chrono::{DateTime, Local};
use shared::Message;
use shared::names::split_userhost;

use super::App;
use crate::buffer::{LineKind, Member};

impl App {
    pub(super) fn on_numeric(&mut self, msg: &Message, time: DateTime<Local>) {
        let verb = msg.command.as_str();
        match verb {
            "332" => {
                let i = self.open(msg.param(1));
                self.buffers[i].topic = msg.param(2).to_string();
                let text = format!("Topic: {}", msg.param(2));
                self.event(i, time, LineKind::Info, text);
            }
            "333" | "366" | "329" | "315" | "318" | "321" | "375" | "376" => {
                if verb == "366"
                    && let Some(i) = self.find(msg.param(1))
                    && let Some(names) = self.buffers[i].names_in_progress.take()
                {
                    self.buffers[i].members = names;
                    self.buffers[i].sort_members();
                    if self.names_requested {
                        // Asked for with /names: list them; after a JOIN the panel is enough.
                        self.names_requested = false;
                        let list: Vec<String> = self.buffers[i]
                            .members
                            .iter()
                            .map(|m| format!("{}{}", m.prefix(), m.nick))
                            .collect();
                        let text = format!("Members ({}): {}", list.len(), list.join(" "));
                        self.event(i, time, LineKind::Info, text);
                    }
                }
            }
            "353" => {
                let i = self.open(msg.param(2));
                let prefixes = self.prefixes.clone();
                let list = self.buffers[i]
                    .names_in_progress
                    .get_or_insert_with(Vec::new);
                for entry in msg.param(3).split(' ').filter(|e| !e.is_empty()) {
                    let mut modes = String::new();
                    let mut rest = entry;
                    while let Some(c) = rest.chars().next() {
                        match prefixes.iter().find(|(_, p)| *p == c) {
                            Some((mode, _)) => {
                                modes.push(*mode);
                                rest = &rest[c.len_utf8()..];
                            }
                            None => break,
                        }
                    }
                    let nick = split_userhost(rest).0.to_string();
                    list.push(Member { nick, modes });
                }
            }
            "324" => {
                if let Some(i) = self.find(msg.param(1)) {
                    let modes = super::params_from(msg, 2).join(" ");
                    if let Some(limit) = parse_limit(super::params_from(msg, 2)) {
                        self.buffers[i].limit = Some(limit);
                    }
                    self.event(i, time, LineKind::Info, format!("Modes: {modes}"));
                }
            }
            "301" => {
                let i = self.find(msg.param(1)).unwrap_or(self.active);
                let text = format!("{} is away: {}", msg.param(1), msg.param(2));
                self.event(i, time, LineKind::Info, text);
            }
            "305" | "306" => self.note_here(LineKind::Info, msg.param(1)),
            "311" => self.note_here(
                LineKind::Info,
                format!(
                    "{} is {}@{} ({})",
                    msg.param(1),
                    msg.param(2),
                    msg.param(3),
                    msg.param(5)
                ),
            ),
            "319" => self.note_here(
                LineKind::Info,
                format!("{} is in {}", msg.param(1), msg.param(2)),
            ),
            "312" => self.note_here(
                LineKind::Info,
                format!("{} is on {} ({})", msg.param(1), msg.param(2), msg.param(3)),
            ),
            "317" => {
                let idle: i64 = msg.param(2).parse().unwrap_or(0);
                let mut text = format!("{} has been idle {}", msg.param(1), duration(idle));
                let signon = msg.param(3).parse().ok();
                if let Some(at) = signon.and_then(|s| DateTime::from_timestamp(s, 0)) {
                    let at = at.with_timezone(&Local).format("%H:%M");
                    text.push_str(&format!(", here since {at}"));
                }
                self.note_here(LineKind::Info, text);
            }
            "313" | "330" | "671" => {
                let text = format!("{} {}", msg.param(1), super::params_from(msg, 2).join(" "));
                self.note_here(LineKind::Info, text);
            }
            "322" => {
                // Where /list was typed, so the answer is in view.
                let text = format!("{} ({}): {}", msg.param(1), msg.param(2), msg.param(3));
                self.note_here(LineKind::Info, text);
            }
            "323" => self.note_here(LineKind::Info, "End of channel list"),
            "422" => self.note(0, LineKind::Info, "There is no message of the day"),
            "341" => self.note_here(
                LineKind::Info,
                format!("Invited {} to {}", msg.param(1), msg.param(2)),
            ),
            _ if shared::numeric::is_error(verb) => {
                let (target, text) = super::numerics::sentence(msg, self);
                let i = target.and_then(|t| self.find(&t)).unwrap_or(self.active);
                self.event(i, time, LineKind::Error, text);
            }
            _ => {
                // Welcome text, MOTD, LUSERS: the server buffer, without our own nick.
                let text = msg
                    .params
                    .iter()
                    .skip(1)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                if verb != "005" && verb != "004" && !text.is_empty() {
                    self.event(0, time, LineKind::Info, text);
                }
            }
        }
    }
}

/// The `+l` limit in a `324` mode list like `["+nl", "30"]`.
fn parse_limit(modes: &[String]) -> Option<u32> {
    let letters = modes.first()?;
    let mut args = modes.iter().skip(1);
    for c in letters.chars() {
        match c {
            'l' => return args.next()?.parse().ok(),
            'k' => {
                args.next();
            }
            _ => {}
        }
    }
    None
}

/// `75` -> "1 min 15 s"; `5` -> "5 s"; hours when long.
fn duration(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}
