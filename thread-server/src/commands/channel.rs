//! Channel commands: JOIN, PART, TOPIC, NAMES, LIST (KICK and INVITE are in `moderation.rs`).

use std::sync::Arc;

use shared::Message;
use shared::names::{irc_lower, is_valid_channel, mask_matches};
use shared::numeric::*;

use super::registration::TOPIC_MAX_LEN;
use super::{cut_to_bytes, has_params, history, playback, send_to_channel_and_sender};
use crate::channel::{Channel, Membership, Topic};
use crate::client::ClientId;
use crate::outgoing::Outgoing;
use crate::registry::Registry;
use crate::session::Session;

/// Roughly how long the list part of a 353 line may grow before another line is started.
const NAMES_LINE_BYTES: usize = 400;

/// `JOIN #a,#b [key1,key2]` or `JOIN 0` (leave every channel).
pub fn join(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 1) {
        return;
    }
    if msg.param(0) == "0" {
        let channels = s
            .server
            .lock_registry()
            .clients
            .get(&s.id)
            .map(|c| c.channels.clone())
            .unwrap_or_default();
        for folded in channels {
            part_one(s, &folded, "Left all channels");
        }
        return;
    }
    let names: Vec<&str> = msg.param(0).split(',').filter(|n| !n.is_empty()).collect();
    if names.len() > s.server.config.max_targets {
        return s.reply(ERR_TOOMANYTARGETS, &[msg.param(0), "Too many targets"]);
    }
    let keys: Vec<&str> = msg.param(1).split(',').collect();
    for (i, name) in names.iter().enumerate() {
        join_one(s, name, keys.get(i).copied().unwrap_or(""));
    }
}

fn join_one(s: &mut Session, name: &str, key: &str) {
    if !is_valid_channel(name) {
        return s.reply(ERR_NOSUCHCHANNEL, &[name, "No such channel"]);
    }
    let folded = irc_lower(name);
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let Some(client) = registry.clients.get(&s.id) else {
        return;
    };
    if client.channels.contains(&folded) {
        return;
    }
    if client.channels.len() >= server.config.max_channels_per_user {
        drop(registry);
        return s.reply(
            ERR_TOOMANYCHANNELS,
            &[name, "You have joined too many channels"],
        );
    }
    let prefix = client.prefix();
    if let Some(channel) = registry.channels.get(&folded)
        && let Some((numeric, text)) = join_refusal(channel, s.id, &prefix, key)
    {
        let display = channel.name.clone();
        drop(registry);
        return s.reply(numeric, &[&display, text]);
    }
    let now = chrono::Utc::now().timestamp();
    let channel = registry
        .channels
        .entry(folded.clone())
        .or_insert_with(|| Channel::new(name, now));
    // The first one in becomes the channel's operator.
    let op = channel.members.is_empty();
    channel
        .members
        .insert(s.id, Membership { op, voice: false });
    channel.invited.remove(&s.id);
    let display = channel.name.clone();
    if let Some(client) = registry.clients.get_mut(&s.id) {
        client.channels.push(folded.clone());
    }
    let out = Outgoing::new(Message::new("JOIN", vec![display.clone()]).with_source(prefix));
    registry.send_to_channel(&folded, &out, None, &mut s.deliveries);
    send_topic(s, &registry, &folded, false);
    send_names(s, &registry, &folded);
    let history = registry
        .channels
        .get(&folded)
        .filter(|c| c.has_history)
        .map(|c| c.last_delivered_id);
    drop(registry);
    if let Some(up_to_id) = history {
        playback::replay(s, &folded, &display, up_to_id);
    }
}

/// Why `id` may not join `channel`, as a numeric and its text.
fn join_refusal(
    channel: &Channel,
    id: ClientId,
    prefix: &str,
    key: &str,
) -> Option<(&'static str, &'static str)> {
    let invited = channel.invited.contains(&id);
    if !invited && channel.bans.iter().any(|mask| mask_matches(mask, prefix)) {
        return Some((ERR_BANNEDFROMCHAN, "Cannot join channel (+b)"));
    }
    if channel.modes.invite_only && !invited {
        return Some((ERR_INVITEONLYCHAN, "Cannot join channel (+i)"));
    }
    if channel.modes.key.as_deref().is_some_and(|k| k != key) {
        return Some((ERR_BADCHANNELKEY, "Cannot join channel (+k)"));
    }
    if channel.is_full() {
        return Some((ERR_CHANNELISFULL, "Cannot join channel (+l)"));
    }
    None
}

/// Sends 332 + 333 (or 331 when `say_none`) for channel `folded` to this client.
fn send_topic(s: &mut Session, registry: &Registry, folded: &str, say_none: bool) {
    let Some(channel) = registry.channels.get(folded) else {
        return;
    };
    match &channel.topic {
        Some(topic) => {
            s.reply(RPL_TOPIC, &[&channel.name, &topic.text]);
            s.reply(
                RPL_TOPICWHOTIME,
                &[&channel.name, &topic.set_by, &topic.set_at.to_string()],
            );
        }
        None if say_none => s.reply(RPL_NOTOPIC, &[&channel.name, "No topic is set"]),
        None => {}
    }
}

/// Sends 353 lines and 366 for channel `name` (any case), honouring multi-prefix and
/// userhost-in-names. An unknown channel gets just the 366, naming it as the client wrote it.
fn send_names(s: &mut Session, registry: &Registry, name: &str) {
    let folded = irc_lower(name);
    let folded = folded.as_str();
    let caps = registry
        .clients
        .get(&s.id)
        .map(|c| c.caps)
        .unwrap_or_default();
    if let Some(channel) = registry.channels.get(folded) {
        let mut line = String::new();
        for (id, membership) in &channel.members {
            let Some(member) = registry.clients.get(id) else {
                continue;
            };
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(membership.prefix(caps.multi_prefix));
            if caps.userhost_in_names {
                line.push_str(&member.prefix());
            } else {
                line.push_str(&member.nick);
            }
            if line.len() > NAMES_LINE_BYTES {
                s.reply(RPL_NAMREPLY, &["=", &channel.name, &line]);
                line.clear();
            }
        }
        if !line.is_empty() {
            s.reply(RPL_NAMREPLY, &["=", &channel.name, &line]);
        }
    }
    let shown = registry.channels.get(folded).map(|c| c.name.as_str());
    let shown = shown.unwrap_or(name).to_string();
    s.reply(RPL_ENDOFNAMES, &[&shown, "End of /NAMES list"]);
}

/// `PART #a,#b [:reason]`.
pub fn part(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 1) {
        return;
    }
    let reason = msg.param(1).to_string();
    for name in msg.param(0).split(',').filter(|n| !n.is_empty()) {
        part_one(s, name, &reason);
    }
}

/// Leaves channel `name` (any case); errors name it as the client wrote it.
fn part_one(s: &mut Session, name: &str, reason: &str) {
    let folded = irc_lower(name);
    let folded = folded.as_str();
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let Some(channel) = registry.channels.get(folded) else {
        drop(registry);
        return s.reply(ERR_NOSUCHCHANNEL, &[name, "No such channel"]);
    };
    let display = channel.name.clone();
    if !channel.has(s.id) {
        drop(registry);
        return s.reply(ERR_NOTONCHANNEL, &[&display, "You're not on that channel"]);
    }
    let Some(prefix) = registry.clients.get(&s.id).map(|c| c.prefix()) else {
        return;
    };
    let mut params = vec![display];
    if !reason.is_empty() {
        params.push(reason.to_string());
    }
    let out = Outgoing::new(Message::new("PART", params).with_source(prefix));
    registry.send_to_channel(folded, &out, None, &mut s.deliveries);
    registry.leave_channel(s.id, folded);
}

/// `TOPIC #c` shows the topic; `TOPIC #c :text` sets it (`+t`: operators only).
pub fn topic(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 1) {
        return;
    }
    let name = msg.param(0);
    let folded = irc_lower(name);
    let server = Arc::clone(&s.server);
    let registry = server.lock_registry();
    let Some(channel) = registry.channels.get(&folded) else {
        drop(registry);
        return s.reply(ERR_NOSUCHCHANNEL, &[name, "No such channel"]);
    };
    if msg.params.len() < 2 {
        return send_topic(s, &registry, &folded, true);
    }
    let display = channel.name.clone();
    let is_oper = registry.clients.get(&s.id).is_some_and(|c| c.oper);
    if !channel.has(s.id) && !is_oper {
        drop(registry);
        return s.reply(ERR_NOTONCHANNEL, &[&display, "You're not on that channel"]);
    }
    if channel.modes.topic_locked && !channel.is_op(s.id) && !is_oper {
        drop(registry);
        return s.reply(
            ERR_CHANOPRIVSNEEDED,
            &[&display, "You're not channel operator"],
        );
    }
    let Some(prefix) = registry.clients.get(&s.id).map(|c| c.prefix()) else {
        return;
    };
    drop(registry);
    let text = cut_to_bytes(msg.param(1), TOPIC_MAX_LEN).to_string();
    let topic = Message::new("TOPIC", vec![display, text.clone()]).with_source(&prefix);
    let out = Outgoing::new(topic);
    // Into the history first, then the change and its delivery (see `history::record`).
    let row = history::record(s, &folded, &out);
    let mut registry = server.lock_registry();
    if let Some(channel) = registry.channels.get_mut(&folded) {
        channel.topic = (!text.is_empty()).then_some(Topic {
            text,
            set_by: prefix,
            set_at: out.time_ms / 1000,
        });
    }
    send_to_channel_and_sender(s, &registry, &folded, &out);
    history::delivered(s, &mut registry, &folded, row);
    history::save_state(s, &registry, &folded);
}

/// `NAMES #c[,#d]`: the members of channels; with no channel, just the end marker.
pub fn names(s: &mut Session, msg: &Message) {
    let server = Arc::clone(&s.server);
    let registry = server.lock_registry();
    if msg.param(0).is_empty() {
        drop(registry);
        return s.reply(RPL_ENDOFNAMES, &["*", "End of /NAMES list"]);
    }
    for name in msg.param(0).split(',').filter(|n| !n.is_empty()) {
        send_names(s, &registry, name);
    }
}

/// `LIST [#a,#b]`: channels with their member count and topic.
pub fn list(s: &mut Session, msg: &Message) {
    let server = Arc::clone(&s.server);
    let registry = server.lock_registry();
    let wanted: Vec<String> = msg
        .param(0)
        .split(',')
        .filter(|n| !n.is_empty())
        .map(irc_lower)
        .collect();
    let mut rows: Vec<(String, usize, String)> = registry
        .channels
        .iter()
        .filter(|(folded, _)| wanted.is_empty() || wanted.contains(folded))
        .map(|(_, c)| {
            let topic = c.topic.as_ref().map(|t| t.text.clone()).unwrap_or_default();
            (c.name.clone(), c.members.len(), topic)
        })
        .collect();
    drop(registry);
    rows.sort();
    s.reply(RPL_LISTSTART, &["Channel", "Users  Name"]);
    for (name, count, topic) in rows {
        s.reply(RPL_LIST, &[&name, &count.to_string(), &topic]);
    }
    s.reply(RPL_LISTEND, &["End of /LIST"]);
}
