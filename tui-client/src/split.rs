//! Splitting long messages so each fits in one 512-byte IRC line, without cutting a UTF-8
//! character. Used by `App` for everything it says on the user's behalf.

/// Splits `text` into pieces of at most `max_bytes` bytes without cutting a UTF-8 character,
/// preferring to break after a space. Used so a long message never exceeds the 512-byte line.
pub fn split_text(text: &str, max_bytes: usize) -> Vec<String> {
    let max_bytes = max_bytes.max(4);
    let mut pieces = Vec::new();
    let mut rest = text;
    while rest.len() > max_bytes {
        let mut cut = max_bytes;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if let Some(space) = rest[..cut].rfind(' ').filter(|&i| i > cut / 2) {
            cut = space + 1;
        }
        pieces.push(rest[..cut].trim_end().to_string());
        rest = &rest[cut..];
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(rest.to_string());
    }
    pieces
}

/// Bytes left for the text of a `PRIVMSG target :text` line, allowing for the longest source
/// prefix (`:nick!user@host `) the server prepends when relaying it.
pub fn text_budget(target: &str, nick: &str) -> usize {
    const USER_AND_HOST: usize = 10 + 63;
    let relayed_prefix = 1 + nick.len().max(shared::names::NICK_MAX_LEN) + 2 + USER_AND_HOST + 1;
    let command = "PRIVMSG ".len() + target.len() + " :".len();
    shared::MAX_BODY_BYTES.saturating_sub(2 + relayed_prefix + command + "\x01ACTION \x01".len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_without_cutting_characters() {
        let text = "가".repeat(300); // 900 bytes
        let pieces = split_text(&text, 400);
        assert!(pieces.iter().all(|p| p.len() <= 400));
        assert_eq!(pieces.concat(), text);
        let words = split_text("aaaa bbbb cccc", 10);
        assert_eq!(words, vec!["aaaa bbbb", "cccc"]);
    }
}
