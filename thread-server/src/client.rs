//! `Client`: what the server knows about one connection (nick, user, host, capabilities, away,
//! modes) and the handle to its outbox. Stored in the registry; read by every command handler.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::IpAddr;
use std::sync::Arc;

use crate::outbox::Outbox;

/// A connection's id, unique for the life of the server; ids only grow.
pub type ClientId = u64;

/// A map keyed by client id. Ids are sequential numbers the server picks, never input from a
/// client, so they need none of SipHash's protection against crafted keys; hashing them as
/// they are is several times cheaper, and these maps are on every broadcast's path.
pub type IdMap<V> = HashMap<ClientId, V, BuildHasherDefault<IdHasher>>;

/// The hasher behind [`IdMap`]: the id itself, spread by one multiplication.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; this path exists to satisfy the trait.
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, id: u64) {
        // Fibonacci hashing: spreads sequential ids over the high bits hashbrown uses.
        self.0 = id.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// IRCv3 capabilities a client negotiated with `CAP REQ`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Caps {
    /// `multi-prefix`: NAMES and WHO show every prefix (`@+nick`).
    pub multi_prefix: bool,
    /// `userhost-in-names`: NAMES shows `nick!user@host`.
    pub userhost_in_names: bool,
    /// `server-time`: messages carry a `time` tag.
    pub server_time: bool,
    /// `echo-message`: the sender gets its own PRIVMSG/NOTICE back.
    pub echo_message: bool,
    /// `message-tags`: client-only tags (`+typing`...) and `msgid` are forwarded.
    pub message_tags: bool,
    /// `batch`: history comes wrapped in a `chathistory` batch.
    pub batch: bool,
    /// `draft/chathistory`: the client may page back with CHATHISTORY.
    pub chathistory: bool,
}

/// Every capability the server offers, as `CAP LS` lists them.
pub const SUPPORTED_CAPS: [&str; 7] = [
    "batch",
    "draft/chathistory",
    "echo-message",
    "message-tags",
    "multi-prefix",
    "server-time",
    "userhost-in-names",
];

impl Caps {
    /// Turns one capability on or off by name; false if the server does not know it.
    pub fn set(&mut self, name: &str, on: bool) -> bool {
        let flag = match name {
            "multi-prefix" => &mut self.multi_prefix,
            "userhost-in-names" => &mut self.userhost_in_names,
            "server-time" => &mut self.server_time,
            "echo-message" => &mut self.echo_message,
            "message-tags" => &mut self.message_tags,
            "batch" => &mut self.batch,
            "draft/chathistory" => &mut self.chathistory,
            _ => return false,
        };
        *flag = on;
        true
    }

    /// The enabled capabilities, space-separated, for `CAP LIST`.
    pub fn names(&self) -> String {
        let on = [
            self.batch,
            self.chathistory,
            self.echo_message,
            self.message_tags,
            self.multi_prefix,
            self.server_time,
            self.userhost_in_names,
        ];
        SUPPORTED_CAPS
            .iter()
            .zip(on)
            .filter(|(_, on)| *on)
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One connection, registered or not.
pub struct Client {
    /// Its id.
    pub id: ClientId,
    /// Current nick; empty until the first valid NICK.
    pub nick: String,
    /// User name from USER (shown as `~user` like other servers, since there is no ident).
    pub user: String,
    /// Real name from USER.
    pub realname: String,
    /// Host shown to others: the peer's IP address.
    pub host: String,
    /// Peer IP, for the per-IP limit.
    pub ip: IpAddr,
    /// Finished NICK/USER (and CAP, PASS) registration.
    pub registered: bool,
    /// Negotiated capabilities.
    pub caps: Caps,
    /// User mode `+i`.
    pub invisible: bool,
    /// User mode `+o`: an IRC operator (OPER), may moderate any channel.
    pub oper: bool,
    /// Away message, if away.
    pub away: Option<String>,
    /// Folded names of the channels it is in.
    pub channels: Vec<String>,
    /// Unix time it connected.
    pub signon: i64,
    /// Unix time it last sent a message (for WHOIS idle).
    pub last_message_at: i64,
    /// Where its output goes.
    pub outbox: Arc<Outbox>,
}

impl Client {
    /// `nick!user@host`, the source of everything this client sends.
    pub fn prefix(&self) -> String {
        format!("{}!{}@{}", self.nick, self.user, self.host)
    }

    /// Its user modes as `+io` text.
    pub fn mode_string(&self) -> String {
        let mut s = String::from("+");
        if self.invisible {
            s.push('i');
        }
        if self.oper {
            s.push('o');
        }
        s
    }
}
