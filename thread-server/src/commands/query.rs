//! Queries and presence: PING, WHO, WHOIS, AWAY, ISON, USERHOST.

use std::sync::Arc;

use shared::Message;
use shared::names::{irc_lower, is_channel_name};
use shared::numeric::*;

use super::{cut_to_bytes, has_params};
use crate::client::Client;
use crate::session::Session;

/// Longest away message kept, in bytes (AWAYLEN).
const AWAY_MAX_LEN: usize = 200;
/// Most bytes of channel list in one 319 line; a longer list takes several lines, so no reply
/// passes the 512-byte line limit.
const WHOIS_CHANNELS_LINE_BYTES: usize = 400;

/// `PING token`: answered with `PONG server :token`.
pub fn ping(s: &mut Session, msg: &Message) {
    if msg.param(0).is_empty() {
        return s.reply(ERR_NOORIGIN, &["No origin specified"]);
    }
    let name = s.server.config.server_name.clone();
    let pong = Message::new("PONG", vec![name.clone(), msg.param(0).to_string()]).with_source(name);
    s.send_own(&pong);
}

/// WHO flags: `H` here or `G` gone (away), `*` for IRC operators, then the channel prefix.
fn who_flags(client: &Client, prefix: &str) -> String {
    let mut flags = String::from(if client.away.is_some() { "G" } else { "H" });
    if client.oper {
        flags.push('*');
    }
    flags.push_str(prefix);
    flags
}

/// `WHO #channel` or `WHO nick`: one 352 per match, then 315.
pub fn who(s: &mut Session, msg: &Message) {
    let mask = msg.param(0).to_string();
    let server = Arc::clone(&s.server);
    let registry = server.lock_registry();
    let multi_prefix = registry
        .clients
        .get(&s.id)
        .is_some_and(|c| c.caps.multi_prefix);
    let mut rows: Vec<(String, String)> = Vec::new(); // (channel shown, client id as flags)
    let mut clients: Vec<&Client> = Vec::new();
    if is_channel_name(&mask) {
        if let Some(channel) = registry.channels.get(&irc_lower(&mask)) {
            for (id, membership) in &channel.members {
                if let Some(c) = registry.clients.get(id) {
                    rows.push((
                        channel.name.clone(),
                        who_flags(c, membership.prefix(multi_prefix)),
                    ));
                    clients.push(c);
                }
            }
        }
    } else if let Some(c) = registry.find_nick(&mask) {
        rows.push(("*".to_string(), who_flags(c, "")));
        clients.push(c);
    }
    let name = server.config.server_name.clone();
    let lines: Vec<Vec<String>> = rows
        .into_iter()
        .zip(clients)
        .map(|((chan, flags), c)| {
            vec![
                chan,
                c.user.clone(),
                c.host.clone(),
                name.clone(),
                c.nick.clone(),
                flags,
                format!("0 {}", c.realname),
            ]
        })
        .collect();
    drop(registry);
    for line in lines {
        let params: Vec<&str> = line.iter().map(String::as_str).collect();
        s.reply(RPL_WHOREPLY, &params);
    }
    let shown = if mask.is_empty() { "*" } else { &mask };
    s.reply(RPL_ENDOFWHO, &[shown, "End of WHO list"]);
}

/// `WHOIS nick`: 311, 319, 312, 301, 313, 317, then 318 (or 401 and 318).
pub fn whois(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 1) {
        return;
    }
    // `WHOIS server nick` is allowed; the nick is always the last parameter.
    let wanted = msg.params.last().cloned().unwrap_or_default();
    let server = Arc::clone(&s.server);
    let registry = server.lock_registry();
    let Some(c) = registry.find_nick(&wanted) else {
        drop(registry);
        s.reply(ERR_NOSUCHNICK, &[&wanted, "No such nick/channel"]);
        return s.reply(RPL_ENDOFWHOIS, &[&wanted, "End of /WHOIS list"]);
    };
    let channels: Vec<String> = c
        .channels
        .iter()
        .filter_map(|f| registry.channels.get(f))
        .map(|ch| {
            let prefix = ch.members.get(&c.id).map(|m| m.prefix(false)).unwrap_or("");
            format!("{prefix}{}", ch.name)
        })
        .collect();
    let now = chrono::Utc::now().timestamp();
    let (nick, user, host, realname) = (
        c.nick.clone(),
        c.user.clone(),
        c.host.clone(),
        c.realname.clone(),
    );
    let (away, oper, idle, signon) = (c.away.clone(), c.oper, now - c.last_message_at, c.signon);
    drop(registry);
    s.reply(RPL_WHOISUSER, &[&nick, &user, &host, "*", &realname]);
    let mut line = String::new();
    for channel in &channels {
        if !line.is_empty() && line.len() + 1 + channel.len() > WHOIS_CHANNELS_LINE_BYTES {
            s.reply(RPL_WHOISCHANNELS, &[&nick, &line]);
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(channel);
    }
    if !line.is_empty() {
        s.reply(RPL_WHOISCHANNELS, &[&nick, &line]);
    }
    let network = server.config.network.clone();
    s.reply(
        RPL_WHOISSERVER,
        &[&nick, &server.config.server_name, &network],
    );
    if let Some(away) = away {
        s.reply(RPL_AWAY, &[&nick, &away]);
    }
    if oper {
        s.reply(RPL_WHOISOPERATOR, &[&nick, "is an IRC operator"]);
    }
    s.reply(
        RPL_WHOISIDLE,
        &[
            &nick,
            &idle.to_string(),
            &signon.to_string(),
            "seconds idle, signon time",
        ],
    );
    s.reply(RPL_ENDOFWHOIS, &[&nick, "End of /WHOIS list"]);
}

/// `AWAY :message` marks the client away (306); `AWAY` alone marks it back (305).
pub fn away(s: &mut Session, msg: &Message) {
    let text = cut_to_bytes(msg.param(0), AWAY_MAX_LEN).to_string();
    if let Some(client) = s.server.lock_registry().clients.get_mut(&s.id) {
        client.away = (!text.is_empty()).then(|| text.clone());
    }
    if text.is_empty() {
        s.reply(RPL_UNAWAY, &["You are no longer marked as being away"]);
    } else {
        s.reply(RPL_NOWAWAY, &["You have been marked as being away"]);
    }
}

/// `ISON nick nick...`: which of these nicks are online (303).
pub fn ison(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 1) {
        return;
    }
    let online: Vec<String> = {
        let registry = s.server.lock_registry();
        msg.params
            .iter()
            .flat_map(|p| p.split(' '))
            .filter_map(|n| registry.find_nick(n).map(|c| c.nick.clone()))
            .collect()
    };
    s.reply(RPL_ISON, &[&online.join(" ")]);
}

/// `USERHOST nick...`: `nick=+user@host` for up to five nicks (302).
pub fn userhost(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 1) {
        return;
    }
    let found: Vec<String> = {
        let registry = s.server.lock_registry();
        msg.params
            .iter()
            .take(5)
            .filter_map(|n| registry.find_nick(n))
            .map(|c| {
                let oper = if c.oper { "*" } else { "" };
                let away = if c.away.is_some() { '-' } else { '+' };
                format!("{}{oper}={away}{}@{}", c.nick, c.user, c.host)
            })
            .collect()
    };
    s.reply(RPL_USERHOST, &[&found.join(" ")]);
}
