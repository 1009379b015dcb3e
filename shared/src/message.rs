//! `Message`: one IRC line split into tags, source, command and parameters, and back again.
//! The server parses every line a client sends with it; the client parses every server line.

use std::fmt;
use std::str::FromStr;

use crate::error::ParseError;

/// One IRCv3 message tag: `key` or `key=value`. An empty `value` means "no value".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Tag name, possibly with a vendor prefix or a leading `+` for client-only tags.
    pub key: String,
    /// Unescaped value; empty when the tag had no value.
    pub value: String,
}

/// One IRC message, without its CRLF.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    /// IRCv3 tags in the order they appeared.
    pub tags: Vec<Tag>,
    /// Who sent it (`nick!user@host` or a server name), without the leading `:`.
    pub source: Option<String>,
    /// The verb (`PRIVMSG`) or a three-digit numeric (`001`), exactly as written.
    pub command: String,
    /// Parameters; the last one may contain spaces.
    pub params: Vec<String>,
}

impl Message {
    /// A message with no tags and no source.
    pub fn new(command: impl Into<String>, params: Vec<String>) -> Message {
        Message {
            tags: Vec::new(),
            source: None,
            command: command.into(),
            params,
        }
    }

    /// The same message with `source` set.
    pub fn with_source(mut self, source: impl Into<String>) -> Message {
        self.source = Some(source.into());
        self
    }

    /// The same message with one more tag (`value` may be empty).
    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Message {
        self.tags.push(Tag {
            key: key.into(),
            value: value.into(),
        });
        self
    }

    /// Parses one line. A trailing CRLF or LF is ignored; a CR, LF or NUL inside is an error.
    pub fn parse(line: &str) -> Result<Message, ParseError> {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(bad) = line.chars().find(|c| matches!(c, '\0' | '\r' | '\n')) {
            return Err(ParseError::ForbiddenByte(bad));
        }
        let mut rest = line.trim_start_matches(' ');
        if rest.is_empty() {
            return Err(ParseError::Empty);
        }

        let mut tags = Vec::new();
        if let Some(after_at) = rest.strip_prefix('@') {
            let (tag_text, after) = split_word(after_at);
            tags = parse_tags(tag_text);
            rest = after;
        }

        let mut source = None;
        if let Some(after_colon) = rest.strip_prefix(':') {
            let (src, after) = split_word(after_colon);
            source = Some(src.to_string());
            rest = after;
        }

        let (command, mut rest) = split_word(rest);
        if command.is_empty() {
            return Err(ParseError::MissingCommand);
        }
        if !is_valid_command(command) {
            return Err(ParseError::InvalidCommand(command.to_string()));
        }

        let mut params = Vec::new();
        while !rest.is_empty() {
            if let Some(trailing) = rest.strip_prefix(':') {
                params.push(trailing.to_string());
                break;
            }
            let (param, after) = split_word(rest);
            params.push(param.to_string());
            rest = after;
        }

        Ok(Message {
            tags,
            source,
            command: command.to_string(),
            params,
        })
    }

    /// The value of tag `key`, if present (empty string for a tag without value).
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.value.as_str())
    }

    /// Parameter `index`, or `""` when there are not that many.
    pub fn param(&self, index: usize) -> &str {
        self.params.get(index).map(String::as_str).unwrap_or("")
    }

    /// The nick part of the source (`alice` in `alice!a@host`), or `""`.
    pub fn source_nick(&self) -> &str {
        self.source
            .as_deref()
            .map(|s| crate::names::split_userhost(s).0)
            .unwrap_or("")
    }

    /// The command upper-cased, for dispatch (`privmsg` and `PRIVMSG` are the same verb).
    pub fn verb(&self) -> String {
        self.command.to_ascii_uppercase()
    }

    /// The message as it goes on the wire, CRLF included.
    pub fn to_wire(&self) -> String {
        let mut out = self.to_string();
        out.push_str("\r\n");
        out
    }
}

impl FromStr for Message {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Message, ParseError> {
        Message::parse(s)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Plain write_str calls, not write!: servers format every message they relay, and
        // the formatting machinery cost more than the copying.
        write_tag_prefix(f, &self.tags)?;
        if let Some(source) = &self.source {
            f.write_str(":")?;
            f.write_str(source)?;
            f.write_str(" ")?;
        }
        f.write_str(&self.command)?;
        let last = self.params.len().saturating_sub(1);
        for (i, param) in self.params.iter().enumerate() {
            // Only the last parameter may hold spaces, be empty or start with ':'.
            let needs_colon = param.is_empty() || param.contains(' ') || param.starts_with(':');
            f.write_str(if i == last && needs_colon { " :" } else { " " })?;
            f.write_str(param)?;
        }
        Ok(())
    }
}

/// The tag section that starts a line: `@key=value;key2 ` (values escaped, one space after),
/// or nothing when there are no tags. A server that sends one message to many clients with
/// different tags renders the rest of the line once and puts this before it.
pub fn tag_prefix(tags: &[Tag]) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_tag_prefix(&mut out, tags);
    out
}

fn write_tag_prefix(out: &mut impl fmt::Write, tags: &[Tag]) -> fmt::Result {
    if tags.is_empty() {
        return Ok(());
    }
    out.write_str("@")?;
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            out.write_str(";")?;
        }
        out.write_str(&tag.key)?;
        if !tag.value.is_empty() {
            out.write_str("=")?;
            write_escaped_tag_value(out, &tag.value)?;
        }
    }
    out.write_str(" ")
}

/// Splits off the first space-separated word; runs of spaces count as one separator.
fn split_word(s: &str) -> (&str, &str) {
    match s.find(' ') {
        Some(i) => (&s[..i], s[i..].trim_start_matches(' ')),
        None => (s, ""),
    }
}

/// A verb is letters only, or a numeric of exactly three digits.
fn is_valid_command(command: &str) -> bool {
    let all_alpha = command.bytes().all(|b| b.is_ascii_alphabetic());
    let numeric = command.len() == 3 && command.bytes().all(|b| b.is_ascii_digit());
    all_alpha || numeric
}

/// Splits `a=1;b;c=x` into tags. A tag without a name (`;=x;`) is dropped: it could not be
/// written back (found by the fuzzer).
fn parse_tags(text: &str) -> Vec<Tag> {
    text.split(';')
        .map(|t| t.split_once('=').unwrap_or((t, "")))
        .filter(|(key, _)| !key.is_empty())
        .map(|(key, value)| Tag {
            key: key.to_string(),
            value: unescape_tag_value(value),
        })
        .collect()
}

/// Undoes IRCv3 tag escaping: `\:` `;`, `\s` space, `\\` `\`, `\r` CR, `\n` LF; any other
/// escaped character stands for itself and a lone trailing `\` is dropped.
fn unescape_tag_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(':') => out.push(';'),
            Some('s') => out.push(' '),
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn write_escaped_tag_value(out: &mut impl fmt::Write, value: &str) -> fmt::Result {
    for c in value.chars() {
        match c {
            ';' => out.write_str("\\:")?,
            ' ' => out.write_str("\\s")?,
            '\\' => out.write_str("\\\\")?,
            '\r' => out.write_str("\\r")?,
            '\n' => out.write_str("\\n")?,
            other => out.write_char(other)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_privmsg() {
        let line = "@time=2026-11-22T10:00:00.000Z :alice!a@h PRIVMSG #lab :hello there";
        let msg = Message::parse(line).unwrap();
        assert_eq!(msg.tag("time"), Some("2026-11-22T10:00:00.000Z"));
        assert_eq!(msg.source_nick(), "alice");
        assert_eq!(msg.params, vec!["#lab", "hello there"]);
        assert_eq!(msg.to_string(), line);
    }

    #[test]
    fn tag_prefix_is_what_display_puts_before_the_line() {
        assert_eq!(tag_prefix(&[]), "");
        let msg = Message::parse("@a=1\\s2;b :n PRIVMSG #c :hi").unwrap();
        assert_eq!(tag_prefix(&msg.tags), "@a=1\\s2;b ");
        let mut plain = msg.clone();
        plain.tags.clear();
        assert_eq!(format!("{}{plain}", tag_prefix(&msg.tags)), msg.to_string());
    }

    #[test]
    fn drops_tags_without_a_name() {
        let msg = Message::parse("@a;=x;;b=1 PING").unwrap();
        let keys: Vec<&str> = msg.tags.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, vec!["a", "b"]);
        assert_eq!(msg.to_string(), "@a;b=1 PING");
    }

    #[test]
    fn rejects_bad_lines() {
        assert_eq!(Message::parse("   "), Err(ParseError::Empty));
        assert_eq!(Message::parse("@a=b "), Err(ParseError::MissingCommand));
        assert_eq!(
            Message::parse("PRIV\0MSG x"),
            Err(ParseError::ForbiddenByte('\0'))
        );
        assert!(matches!(
            Message::parse("12 x"),
            Err(ParseError::InvalidCommand(_))
        ));
    }
}
