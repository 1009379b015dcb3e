//! Messages: PRIVMSG, NOTICE and TAGMSG to channels and nicks. The hot path of the server: the
//! message is serialized once ([`Outgoing`]) and the bytes are queued to every recipient.

use std::sync::Arc;

use shared::Message;
use shared::names::{irc_lower, is_channel_name};
use shared::numeric::*;

use super::history;
use crate::outgoing::Outgoing;
use crate::session::Session;

/// `PRIVMSG target[,target] :text` (also NOTICE and TAGMSG, which differ only in replies).
pub fn privmsg(s: &mut Session, msg: &Message, verb: &str) {
    // NOTICE must never trigger automatic error replies (RFC 2812 section 3.3.2).
    let quiet = verb == "NOTICE";
    let targets = msg.param(0);
    if targets.is_empty() {
        if !quiet {
            s.reply(ERR_NORECIPIENT, &[&format!("No recipient given ({verb})")]);
        }
        return;
    }
    let text = msg.param(1);
    if verb != "TAGMSG" && text.is_empty() {
        if !quiet {
            s.reply(ERR_NOTEXTTOSEND, &["No text to send"]);
        }
        return;
    }
    let targets: Vec<&str> = targets.split(',').filter(|t| !t.is_empty()).collect();
    if targets.len() > s.server.config.max_targets {
        if !quiet {
            s.reply(ERR_TOOMANYTARGETS, &[msg.param(0), "Too many recipients"]);
        }
        return;
    }
    // Only client-only tags (`+draft/reply`...) travel from one client to another.
    let client_tags: Vec<_> = msg
        .tags
        .iter()
        .filter(|t| t.key.starts_with('+'))
        .cloned()
        .collect();
    for target in targets {
        send_one(s, target, text, verb, &client_tags, quiet);
    }
}

fn send_one(
    s: &mut Session,
    target: &str,
    text: &str,
    verb: &str,
    client_tags: &[shared::Tag],
    quiet: bool,
) {
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let Some(me) = registry.clients.get_mut(&s.id) else {
        return;
    };
    me.last_message_at = chrono::Utc::now().timestamp();
    let (prefix, caps, is_oper) = (me.prefix(), me.caps, me.oper);

    let mut params = vec![target.to_string()];
    if verb != "TAGMSG" {
        params.push(text.to_string());
    }
    let mut message = Message::new(verb, params).with_source(prefix);
    message.tags = client_tags.to_vec();
    // TAGMSG carries nothing but tags: only clients that asked for message-tags get it.
    let wants = |c: &crate::client::Client| verb != "TAGMSG" || c.caps.message_tags;

    if is_channel_name(target) {
        let folded = irc_lower(target);
        let Some(channel) = registry.channels.get(&folded) else {
            drop(registry);
            if !quiet {
                s.reply(ERR_NOSUCHCHANNEL, &[target, "No such channel"]);
            }
            return;
        };
        let speaker = message.source.as_deref().unwrap_or_default();
        if !channel.may_speak(s.id, speaker) && !is_oper {
            let name = channel.name.clone();
            drop(registry);
            if !quiet {
                s.reply(ERR_CANNOTSENDTOCHAN, &[&name, "Cannot send to channel"]);
            }
            return;
        }
        message.params[0] = channel.name.clone();
        let out = Outgoing::new(message);
        if verb == "TAGMSG" {
            // Typing notices and the like are not history: deliver them now.
            for id in channel.members.keys() {
                if *id == s.id && !caps.echo_message {
                    continue;
                }
                if let Some(member) = registry.clients.get(id).filter(|c| wants(c)) {
                    s.deliveries.send(member, &out);
                }
            }
            return;
        }
        drop(registry);
        // Into the history first; delivered once committed (see `history::defer`).
        history::defer(s, &folded, out, caps.echo_message);
        return;
    }

    let Some(recipient) = registry.find_nick(target) else {
        drop(registry);
        if !quiet {
            s.reply(ERR_NOSUCHNICK, &[target, "No such nick/channel"]);
        }
        return;
    };
    message.params[0] = recipient.nick.clone();
    let away = recipient.away.clone().map(|a| (recipient.nick.clone(), a));
    let out = Outgoing::new(message);
    if wants(recipient) {
        s.deliveries.send(recipient, &out);
    }
    // The echo follows the same rule: no bare TAGMSG to a sender without message-tags.
    if caps.echo_message
        && recipient.id != s.id
        && let Some(me) = registry.clients.get(&s.id).filter(|c| wants(c))
    {
        s.deliveries.send(me, &out);
    }
    drop(registry);
    if let (Some((nick, away)), "PRIVMSG") = (away, verb) {
        s.reply(RPL_AWAY, &[&nick, &away]);
    }
}
