//! Names on IRC: nick and channel validation, RFC 1459 case mapping, `nick!user@host`
//! splitting, hostname checks and `*`/`?` mask matching. Used by the server to accept or refuse
//! names and by the client to compare them.

/// Longest nick the server accepts (advertised as `NICKLEN`).
pub const NICK_MAX_LEN: usize = 30;

/// Longest channel name the server accepts, `#` included (advertised as `CHANNELLEN`).
pub const CHANNEL_MAX_LEN: usize = 50;

/// Characters RFC 2812 allows in nicks besides letters and digits.
const NICK_SPECIALS: &str = "[]\\`_^{|}";

/// Is `nick` a valid nickname? A letter or special first, then letters, digits, specials or `-`,
/// at most [`NICK_MAX_LEN`] bytes (RFC 2812 section 2.3.1).
pub fn is_valid_nick(nick: &str) -> bool {
    let mut chars = nick.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let special = |c: char| NICK_SPECIALS.contains(c);
    nick.len() <= NICK_MAX_LEN
        && (first.is_ascii_alphabetic() || special(first))
        && chars.all(|c| c.is_ascii_alphanumeric() || special(c) || c == '-')
}

/// Is `name` a valid channel name? `#` then at least one character, none of space, comma,
/// BELL, colon or control characters, at most [`CHANNEL_MAX_LEN`] bytes. UTF-8 is allowed, so
/// `#한국어` is a channel.
pub fn is_valid_channel(name: &str) -> bool {
    name.len() > 1
        && name.len() <= CHANNEL_MAX_LEN
        && name.starts_with('#')
        && !name
            .chars()
            .any(|c| c == ' ' || c == ',' || c == ':' || c.is_control())
}

/// Does `target` name a channel (rather than a nick)?
pub fn is_channel_name(target: &str) -> bool {
    target.starts_with('#')
}

/// Lower-cases `name` under the RFC 1459 case mapping, where `[]\~` are the upper-case forms
/// of `{}|^`. Two nicks or channels are the same when their folded forms are equal.
pub fn irc_lower(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '[' => '{',
            ']' => '}',
            '\\' => '|',
            '~' => '^',
            other => other,
        })
        .collect()
}

/// Do two names match under the RFC 1459 case mapping?
pub fn irc_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && irc_lower(a) == irc_lower(b)
}

/// Splits `nick!user@host` into its three parts; a missing part is `""`.
pub fn split_userhost(source: &str) -> (&str, &str, &str) {
    let (before_at, host) = source.split_once('@').unwrap_or((source, ""));
    let (nick, user) = before_at.split_once('!').unwrap_or((before_at, ""));
    (nick, user, host)
}

/// Is `host` a valid DNS hostname? Dot-separated labels of letters, digits and inner `-`, at
/// least two labels; a single trailing dot is allowed (`services.`).
pub fn is_valid_hostname(host: &str) -> bool {
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    if !host.contains('.') || host.len() > 253 {
        return false;
    }
    trimmed.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Does `text` match the IRC `mask`, where `*` is any run of characters and `?` exactly one?
/// Every other character, `[` included, stands for itself. Comparison uses [`irc_lower`].
pub fn mask_matches(mask: &str, text: &str) -> bool {
    let mask: Vec<char> = irc_lower(mask).chars().collect();
    let text: Vec<char> = irc_lower(text).chars().collect();
    // Iterative glob with one backtrack point: linear in practice, no recursion to blow up.
    let (mut m, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if m < mask.len() && (mask[m] == '?' || mask[m] == text[t]) {
            m += 1;
            t += 1;
        } else if m < mask.len() && mask[m] == '*' {
            star = Some((m, t));
            m += 1;
        } else if let Some((star_m, star_t)) = star {
            m = star_m + 1;
            t = star_t + 1;
            star = Some((star_m, star_t + 1));
        } else {
            return false;
        }
    }
    mask[m..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicks() {
        assert!(is_valid_nick("alice"));
        assert!(is_valid_nick("[bot]_2"));
        assert!(!is_valid_nick("2alice"));
        assert!(!is_valid_nick("-x"));
        assert!(!is_valid_nick(""));
        assert!(!is_valid_nick("민수"));
        assert!(!is_valid_nick(&"a".repeat(NICK_MAX_LEN + 1)));
    }

    #[test]
    fn channels() {
        assert!(is_valid_channel("#lab"));
        assert!(is_valid_channel("#한국어"));
        assert!(!is_valid_channel("#"));
        assert!(!is_valid_channel("lab"));
        assert!(!is_valid_channel("#a,b"));
        assert!(!is_valid_channel("#a\x07"));
    }

    #[test]
    fn case_mapping() {
        assert_eq!(irc_lower("Alice[]\\~"), "alice{}|^");
        assert!(irc_eq("#LAB", "#lab"));
        assert!(!irc_eq("alice", "alicf"));
    }
}
