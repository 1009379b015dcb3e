//! `Channel`: one chat room's state (members and their `@`/`+`, topic, modes, invites, bans).
//! Pure data with no I/O; the registry owns every channel and the command handlers change them.

use std::collections::{BTreeMap, HashSet};

use shared::names::mask_matches;

use crate::client::ClientId;
use crate::store::ChannelRecord;

/// A member's rank in one channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Membership {
    /// Channel operator (`@`, mode `+o`): may kick, set the topic and modes.
    pub op: bool,
    /// Voiced (`+`, mode `+v`): may speak in a moderated channel.
    pub voice: bool,
}

impl Membership {
    /// The highest prefix (`@`, `+` or nothing), or all of them for `multi-prefix` clients.
    pub fn prefix(self, multi_prefix: bool) -> &'static str {
        match (self.op, self.voice, multi_prefix) {
            (true, true, true) => "@+",
            (true, _, _) => "@",
            (false, true, _) => "+",
            (false, false, _) => "",
        }
    }
}

/// A topic and who set it when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The topic text.
    pub text: String,
    /// `nick!user@host` of whoever set it.
    pub set_by: String,
    /// Unix time it was set.
    pub set_at: i64,
}

/// Channel modes (`+imntkl`). Member modes `+o +v` live in [`Membership`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelModes {
    /// `+i`: joining needs an INVITE.
    pub invite_only: bool,
    /// `+m`: only operators and voiced members may speak.
    pub moderated: bool,
    /// `+n`: only members may send to the channel.
    pub no_external: bool,
    /// `+t`: only operators may change the topic.
    pub topic_locked: bool,
    /// `+k`: the key needed to join.
    pub key: Option<String>,
    /// `+l`: the most members the channel holds.
    pub limit: Option<usize>,
}

impl ChannelModes {
    /// The parameterless modes that are on, as letters (`imnt`), as the store saves them.
    pub fn flag_letters(&self) -> String {
        [
            (self.invite_only, 'i'),
            (self.moderated, 'm'),
            (self.no_external, 'n'),
            (self.topic_locked, 't'),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, letter)| *letter)
        .collect()
    }

    /// The mode string and its parameters, as `324` shows them (`+ntk`, `secret`).
    /// The key is shown only to members.
    pub fn describe(&self, show_key: bool) -> Vec<String> {
        let mut flags = format!("+{}", self.flag_letters());
        let mut params = Vec::new();
        if let Some(key) = &self.key {
            flags.push('k');
            params.push(if show_key {
                key.clone()
            } else {
                "*".to_string()
            });
        }
        if let Some(limit) = self.limit {
            flags.push('l');
            params.push(limit.to_string());
        }
        let mut out = vec![flags];
        out.extend(params);
        out
    }
}

/// One chat room.
#[derive(Debug, Clone)]
pub struct Channel {
    /// The name as first written (`#Lab`); the registry keys channels by its folded form.
    pub name: String,
    /// Members in order of arrival (client ids only grow).
    pub members: BTreeMap<ClientId, Membership>,
    /// The topic, if one is set.
    pub topic: Option<Topic>,
    /// Channel modes.
    pub modes: ChannelModes,
    /// Clients invited since the last time they joined (lets them past `+i`).
    pub invited: HashSet<ClientId>,
    /// Ban masks (`+b nick!user@host` patterns).
    pub bans: Vec<String>,
    /// Unix time the channel was created.
    pub created_at: i64,
    /// Has the store any history for it? A channel with history or a topic is kept (and
    /// listed) when empty, and survives restarts.
    pub has_history: bool,
    /// Id of the newest history row delivered to members: a joiner's replay stops there,
    /// since anything newer reaches it live.
    pub last_delivered_id: i64,
}

impl Channel {
    /// A new, empty channel with the usual defaults `+nt`.
    pub fn new(name: &str, created_at: i64) -> Channel {
        Channel {
            name: name.to_string(),
            members: BTreeMap::new(),
            topic: None,
            modes: ChannelModes {
                no_external: true,
                topic_locked: true,
                ..ChannelModes::default()
            },
            invited: HashSet::new(),
            bans: Vec::new(),
            created_at,
            has_history: false,
            last_delivered_id: 0,
        }
    }

    /// Is the channel kept when its last member leaves (it has a topic or history)?
    pub fn is_kept(&self) -> bool {
        self.topic.is_some() || self.has_history
    }

    /// The channel's state as the store saves it.
    pub fn record(&self, folded: &str) -> ChannelRecord {
        let m = &self.modes;
        let modes = m.flag_letters();
        ChannelRecord {
            name: folded.to_string(),
            display: self.name.clone(),
            topic: self
                .topic
                .as_ref()
                .map(|t| (t.text.clone(), t.set_by.clone(), t.set_at)),
            modes,
            key: m.key.clone(),
            limit: m.limit,
            bans: self.bans.clone(),
            created_at: self.created_at,
            newest_history_id: self.has_history.then_some(self.last_delivered_id),
        }
    }

    /// A channel as saved by the store, with no members.
    pub fn from_record(record: &ChannelRecord) -> Channel {
        let mut channel = Channel::new(&record.display, record.created_at);
        let flag = |letter| record.modes.contains(letter);
        channel.modes = ChannelModes {
            invite_only: flag('i'),
            moderated: flag('m'),
            no_external: flag('n'),
            topic_locked: flag('t'),
            key: record.key.clone(),
            limit: record.limit,
        };
        channel.topic = record.topic.as_ref().map(|(text, by, at)| Topic {
            text: text.clone(),
            set_by: by.clone(),
            set_at: *at,
        });
        channel.bans = record.bans.clone();
        channel.has_history = record.newest_history_id.is_some();
        channel.last_delivered_id = record.newest_history_id.unwrap_or(0);
        channel
    }

    /// Is `id` a member?
    pub fn has(&self, id: ClientId) -> bool {
        self.members.contains_key(&id)
    }

    /// Is `id` a channel operator here?
    pub fn is_op(&self, id: ClientId) -> bool {
        self.members.get(&id).is_some_and(|m| m.op)
    }

    /// May `id`, known as `prefix` (`nick!user@host`), send a message here? `+n` keeps
    /// outsiders out, `+m` keeps the unvoiced quiet, and a ban silences all but op and voice.
    pub fn may_speak(&self, id: ClientId, prefix: &str) -> bool {
        let banned = || self.bans.iter().any(|mask| mask_matches(mask, prefix));
        match self.members.get(&id) {
            None => !self.modes.no_external && !self.modes.moderated && !banned(),
            Some(m) => m.op || m.voice || (!self.modes.moderated && !banned()),
        }
    }

    /// Is the channel at its `+l` limit?
    pub fn is_full(&self) -> bool {
        self.modes.limit.is_some_and(|l| self.members.len() >= l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_describe_and_speak_rules() {
        let mut c = Channel::new("#lab", 0);
        assert_eq!(c.modes.describe(true), vec!["+nt"]);
        c.modes.key = Some("pw".into());
        c.modes.limit = Some(2);
        assert_eq!(c.modes.describe(true), vec!["+ntkl", "pw", "2"]);
        assert_eq!(c.modes.describe(false), vec!["+ntkl", "*", "2"]);

        c.members.insert(
            1,
            Membership {
                op: true,
                voice: false,
            },
        );
        c.members.insert(2, Membership::default());
        assert!(c.is_full());
        assert!(!c.may_speak(3, "x!x@h"), "+n keeps outsiders out");
        c.bans.push("bad!*@*".into());
        assert!(!c.may_speak(2, "bad!u@h") && c.may_speak(2, "good!u@h"));
        c.modes.moderated = true;
        assert!(c.may_speak(1, "op!u@h") && !c.may_speak(2, "good!u@h"));
        assert_eq!(
            Membership {
                op: true,
                voice: true
            }
            .prefix(true),
            "@+"
        );
        assert_eq!(
            Membership {
                op: true,
                voice: true
            }
            .prefix(false),
            "@"
        );
    }

    #[test]
    fn record_round_trip_keeps_everything_but_members() {
        let mut c = Channel::new("#Lab", 42);
        c.modes.moderated = true;
        c.modes.key = Some("k".into());
        c.modes.limit = Some(30);
        c.bans.push("x!*@*".into());
        c.topic = Some(Topic {
            text: "hi".into(),
            set_by: "t!u@h".into(),
            set_at: 7,
        });
        c.members.insert(1, Membership::default());
        let back = Channel::from_record(&c.record("#lab"));
        assert_eq!(back.modes, c.modes);
        assert_eq!(back.topic, c.topic);
        assert_eq!(back.bans, c.bans);
        assert_eq!((back.name.as_str(), back.created_at), ("#Lab", 42));
        assert!(back.members.is_empty());
    }
}
