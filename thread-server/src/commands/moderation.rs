//! Moderation in a channel: KICK (operators remove a member) and INVITE (lets someone past
//! `+i`). Split from `channel.rs`, which holds joining, leaving and looking at channels.

use std::sync::Arc;

use shared::Message;
use shared::names::irc_lower;
use shared::numeric::*;

use super::registration::KICK_MAX_LEN;
use super::{cut_to_bytes, has_params, history, send_to_channel_and_sender};
use crate::outgoing::Outgoing;
use crate::session::Session;

/// `KICK #c nick[,nick] [:reason]`: channel operators (and IRC operators) remove members.
pub fn kick(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 2) {
        return;
    }
    let name = msg.param(0);
    let folded = irc_lower(name);
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let Some(channel) = registry.channels.get(&folded) else {
        drop(registry);
        return s.reply(ERR_NOSUCHCHANNEL, &[name, "No such channel"]);
    };
    let display = channel.name.clone();
    let Some(me) = registry.clients.get(&s.id) else {
        return;
    };
    let (prefix, is_oper) = (me.prefix(), me.oper);
    if !channel.has(s.id) && !is_oper {
        drop(registry);
        return s.reply(ERR_NOTONCHANNEL, &[&display, "You're not on that channel"]);
    }
    if !channel.is_op(s.id) && !is_oper {
        drop(registry);
        return s.reply(
            ERR_CHANOPRIVSNEEDED,
            &[&display, "You're not channel operator"],
        );
    }
    let reason = match msg.param(2) {
        "" => s.nick.clone(),
        r => cut_to_bytes(r, KICK_MAX_LEN).to_string(),
    };
    for victim_nick in msg.param(1).split(',').filter(|n| !n.is_empty()) {
        let victim = registry
            .find_nick(victim_nick)
            .map(|c| (c.id, c.nick.clone()));
        let on_channel = victim
            .as_ref()
            .is_some_and(|(id, _)| registry.channels.get(&folded).is_some_and(|c| c.has(*id)));
        let (Some((victim_id, victim_nick)), true) = (victim, on_channel) else {
            s.reply(
                ERR_USERNOTINCHANNEL,
                &[victim_nick, &display, "They aren't on that channel"],
            );
            continue;
        };
        let kick = Message::new("KICK", vec![display.clone(), victim_nick, reason.clone()]);
        let out = Outgoing::new(kick.with_source(prefix.clone()));
        // Into the history first, then delivered (see `history::record`).
        drop(registry);
        let row = history::record(s, &folded, &out);
        registry = server.lock_registry();
        send_to_channel_and_sender(s, &registry, &folded, &out);
        history::delivered(s, &mut registry, &folded, row);
        registry.leave_channel(victim_id, &folded);
    }
}

/// `INVITE nick #c`: lets `nick` past `+i` (only operators may invite to a `+i` channel).
pub fn invite(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 2) {
        return;
    }
    let (target_nick, name) = (msg.param(0), msg.param(1));
    let folded = irc_lower(name);
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let Some(target) = registry.find_nick(target_nick) else {
        drop(registry);
        return s.reply(ERR_NOSUCHNICK, &[target_nick, "No such nick/channel"]);
    };
    let (target_id, target_nick) = (target.id, target.nick.clone());
    let Some(me) = registry.clients.get(&s.id) else {
        return;
    };
    let (prefix, is_oper) = (me.prefix(), me.oper);
    let mut display = name.to_string();
    if let Some(channel) = registry.channels.get_mut(&folded) {
        display = channel.name.clone();
        let refusal = if !channel.has(s.id) && !is_oper {
            Some((ERR_NOTONCHANNEL, "You're not on that channel"))
        } else if channel.modes.invite_only && !channel.is_op(s.id) && !is_oper {
            Some((ERR_CHANOPRIVSNEEDED, "You're not channel operator"))
        } else if channel.has(target_id) {
            Some((ERR_USERONCHANNEL, "is already on channel"))
        } else {
            None
        };
        if let Some((numeric, text)) = refusal {
            drop(registry);
            if numeric == ERR_USERONCHANNEL {
                return s.reply(numeric, &[&target_nick, &display, text]);
            }
            return s.reply(numeric, &[&display, text]);
        }
        channel.invited.insert(target_id);
    }
    let out = Outgoing::new(
        Message::new("INVITE", vec![target_nick.clone(), display.clone()]).with_source(prefix),
    );
    if let Some(target) = registry.clients.get(&target_id) {
        s.deliveries.send(target, &out);
    }
    drop(registry);
    s.reply(RPL_INVITING, &[&target_nick, &display]);
}
