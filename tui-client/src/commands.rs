//! What the user typed, parsed: a plain message or one of the slash commands. Parsing only; the
//! `App` decides what each command does in the buffer in view. Also the help text.

/// Every command the client knows, for completion and `/help`.
pub const COMMANDS: &[(&str, &str)] = &[
    ("/join", "#chan[,#chan2] [key]  join channels"),
    ("/part", "[#chan] [reason]  leave a channel"),
    ("/msg", "nick|#chan text  send one message"),
    ("/query", "nick [text]  open a private chat"),
    ("/me", "text  describe an action"),
    ("/nick", "newnick  change your nick"),
    ("/topic", "[text]  show or set the topic"),
    ("/names", "[#chan]  list members"),
    ("/list", "list channels"),
    ("/whois", "nick  who is this?"),
    ("/away", "[reason]  set or clear away"),
    ("/kick", "nick [reason]  remove from channel"),
    ("/mode", "[target] modes [args]  change modes"),
    ("/op", "nick...  give operator (+o)"),
    ("/deop", "nick...  take operator (-o)"),
    ("/voice", "nick...  give voice (+v)"),
    ("/invite", "nick [#chan]  invite to a channel"),
    ("/close", "close this buffer (parts a channel)"),
    ("/clear", "clear this buffer's lines"),
    ("/raw", "LINE  send a raw IRC line"),
    ("/help", "[command]  show keys and commands"),
    ("/quit", "[reason]  leave lanchat"),
];

/// The keys, for `/help`.
pub const KEYS: &[(&str, &str)] = &[
    ("Enter", "send the line"),
    ("Up / Down", "input history"),
    ("Tab", "complete nick, command, channel"),
    ("Ctrl-A/E, Home/End", "start / end of line"),
    ("Ctrl-Left/Right", "word left / right"),
    ("Ctrl-W / U / K", "delete word / to start / to end"),
    ("PgUp / PgDn, wheel", "scroll (past the top: older history)"),
    ("Alt-1..9, Ctrl-N/P", "switch buffer"),
    ("Alt-A", "next buffer with unread"),
    ("F2", "show / hide the member list"),
    ("F1", "this help; any key closes it"),
    ("Ctrl-C", "quit"),
];

/// The usage line of `command` (`"/join"` or `"join"`), if it is one we know.
pub fn usage(command: &str) -> Option<String> {
    let name = format!("/{}", command.trim_start_matches('/').to_ascii_lowercase());
    COMMANDS
        .iter()
        .find(|(c, _)| *c == name)
        .map(|(c, help)| format!("{c} {help}"))
}

/// One parsed input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Plain text for the buffer in view (also `//text` to send a text starting with `/`).
    Say(String),
    /// `/join #a,#b [key]`.
    Join {
        /// Comma-separated channel names.
        channels: String,
        /// The channel key (`+k`), if any.
        key: Option<String>,
    },
    /// `/part [#chan] [reason]`.
    Part {
        /// The channel; the one in view when `None`.
        channel: Option<String>,
        /// Shown to the others.
        reason: Option<String>,
    },
    /// `/msg target text`.
    Msg {
        /// A nick or a channel.
        target: String,
        /// The message.
        text: String,
    },
    /// `/query nick [text]`.
    Query {
        /// Who to talk to.
        nick: String,
        /// A first message, if given.
        text: Option<String>,
    },
    /// `/me text`.
    Me(String),
    /// `/nick newnick`.
    Nick(String),
    /// `/topic [#chan] [text]`.
    Topic {
        /// The channel; the one in view when `None`.
        channel: Option<String>,
        /// The new topic; `None` asks for the current one.
        text: Option<String>,
    },
    /// `/names [#chan]`.
    Names(Option<String>),
    /// `/list`.
    List,
    /// `/whois nick`.
    Whois(String),
    /// `/away [reason]`: no reason clears it.
    Away(Option<String>),
    /// `/kick nick [reason]` in the channel in view.
    Kick {
        /// Who to remove.
        nick: String,
        /// Shown to everyone.
        reason: Option<String>,
    },
    /// `/mode [target] modes args`: the target defaults to the channel in view.
    Mode(Vec<String>),
    /// `/op`, `/deop`, `/voice`: a mode like `+o` for each nick.
    PrefixMode {
        /// `+o`, `-o`, `+v` or `-v`.
        mode: &'static str,
        /// The nicks it applies to.
        nicks: Vec<String>,
    },
    /// `/invite nick [#chan]`.
    Invite {
        /// Who to invite.
        nick: String,
        /// The channel; the one in view when `None`.
        channel: Option<String>,
    },
    /// `/close`.
    Close,
    /// `/clear`.
    Clear,
    /// `/raw LINE`.
    Raw(String),
    /// `/help [command]`.
    Help(Option<String>),
    /// `/quit [reason]`.
    Quit(Option<String>),
}

/// Parses one submitted line. An error is a sentence for the user (usage or unknown command).
pub fn parse(line: &str) -> Result<Command, String> {
    let Some(rest) = line.strip_prefix('/') else {
        return Ok(Command::Say(line.to_string()));
    };
    if rest.starts_with('/') {
        return Ok(Command::Say(rest.to_string()));
    }
    let (name, args) = rest.split_once(' ').unwrap_or((rest, ""));
    let args = args.trim();
    let words: Vec<String> = args.split_whitespace().map(str::to_string).collect();
    let first = words.first().cloned();
    let tail = |n: usize| -> Option<String> {
        let text = args.splitn(n + 1, ' ').nth(n).unwrap_or("").trim();
        (!text.is_empty()).then(|| text.to_string())
    };
    let usage = |cmd: &str| -> String {
        let help = COMMANDS
            .iter()
            .find(|(c, _)| *c == cmd)
            .map(|(_, h)| *h)
            .unwrap_or("");
        let args = help.split("  ").next().unwrap_or("");
        format!("Usage: {cmd} {args}")
    };
    let command = match name.to_ascii_lowercase().as_str() {
        "join" | "j" => Command::Join {
            channels: first.ok_or_else(|| usage("/join"))?,
            key: words.get(1).cloned(),
        },
        "part" | "leave" => match first {
            Some(c) if c.starts_with('#') => Command::Part {
                channel: Some(c),
                reason: tail(1),
            },
            _ => Command::Part {
                channel: None,
                reason: tail(0),
            },
        },
        "msg" => match (first, tail(1)) {
            (Some(target), Some(text)) => Command::Msg { target, text },
            _ => return Err(usage("/msg")),
        },
        "query" | "q" => Command::Query {
            nick: first.ok_or_else(|| usage("/query"))?,
            text: tail(1),
        },
        "me" => Command::Me(tail(0).ok_or_else(|| usage("/me"))?),
        "nick" => Command::Nick(first.ok_or_else(|| usage("/nick"))?),
        "topic" => match first {
            Some(c) if c.starts_with('#') => Command::Topic {
                channel: Some(c),
                text: tail(1),
            },
            _ => Command::Topic {
                channel: None,
                text: tail(0),
            },
        },
        "names" => Command::Names(first),
        "list" => Command::List,
        "whois" | "wi" => Command::Whois(first.ok_or_else(|| usage("/whois"))?),
        "away" => Command::Away(tail(0)),
        "kick" | "k" => Command::Kick {
            nick: first.ok_or_else(|| usage("/kick"))?,
            reason: tail(1),
        },
        "mode" => {
            if words.is_empty() {
                return Err(usage("/mode"));
            }
            Command::Mode(words)
        }
        "op" | "deop" | "voice" | "devoice" => {
            if words.is_empty() {
                return Err(usage(&format!("/{name}")));
            }
            let mode = match name {
                "op" => "+o",
                "deop" => "-o",
                "voice" => "+v",
                _ => "-v",
            };
            Command::PrefixMode { mode, nicks: words }
        }
        "invite" => Command::Invite {
            nick: first.ok_or_else(|| usage("/invite"))?,
            channel: words.get(1).cloned(),
        },
        "close" | "wc" => Command::Close,
        "clear" => Command::Clear,
        "raw" | "quote" => Command::Raw(tail(0).ok_or_else(|| usage("/raw"))?),
        "help" => Command::Help(first),
        "quit" | "exit" => Command::Quit(tail(0)),
        _ => {
            return Err(format!(
                "Unknown command /{name}. /help lists the commands."
            ));
        }
    };
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands() {
        assert_eq!(parse("hi /there"), Ok(Command::Say("hi /there".into())));
        assert_eq!(parse("//etc"), Ok(Command::Say("/etc".into())));
        assert_eq!(
            parse("/msg bob hello  there"),
            Ok(Command::Msg {
                target: "bob".into(),
                text: "hello  there".into()
            })
        );
        assert_eq!(
            parse("/part #lab bye now"),
            Ok(Command::Part {
                channel: Some("#lab".into()),
                reason: Some("bye now".into())
            })
        );
        assert_eq!(parse("/msg bob"), Err("Usage: /msg nick|#chan text".into()));
        assert!(
            parse("/frob")
                .unwrap_err()
                .contains("Unknown command /frob")
        );
    }
}
