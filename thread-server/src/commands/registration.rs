//! Registration and connection commands: PASS, NICK, USER, CAP, QUIT, and the welcome burst
//! (001-005, LUSERS 251-255, MOTD 375/372/376 or 422) sent when registration completes.

use shared::Message;
use shared::names::{CHANNEL_MAX_LEN, NICK_MAX_LEN, is_valid_nick};
use shared::numeric::*;

use super::has_params;
use crate::client::{Caps, SUPPORTED_CAPS};
use crate::outgoing::Outgoing;
use crate::session::Session;

/// Longest topic accepted, in bytes (TOPICLEN).
pub const TOPIC_MAX_LEN: usize = 390;
/// Longest KICK reason kept, in bytes (KICKLEN).
pub const KICK_MAX_LEN: usize = 255;
/// The version string shown in 002 and 004.
const VERSION: &str = concat!("lanchatd-", env!("CARGO_PKG_VERSION"));

/// `PASS password`: must match `--password` before NICK/USER complete.
pub fn pass(s: &mut Session, msg: &Message) {
    if s.registration.done {
        return s.reply(ERR_ALREADYREGISTERED, &["You may not reregister"]);
    }
    if !has_params(s, msg, 1) {
        return;
    }
    s.registration.password_ok = s.server.config.password.as_deref() == Some(msg.param(0))
        || s.server.config.password.is_none();
}

/// `NICK newnick`: sets the nick at registration or changes it later (seen by everyone who
/// shares a channel).
pub fn nick(s: &mut Session, msg: &Message) {
    let wanted = msg.param(0);
    if wanted.is_empty() {
        return s.reply(ERR_NONICKNAMEGIVEN, &["No nickname given"]);
    }
    if !is_valid_nick(wanted) {
        return s.reply(ERR_ERRONEUSNICKNAME, &[wanted, "Erroneous nickname"]);
    }
    if wanted == s.nick {
        return;
    }
    let server = std::sync::Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let old_prefix = registry.clients.get(&s.id).map(|c| c.prefix());
    if !registry.set_nick(s.id, wanted) {
        drop(registry);
        return s.reply(ERR_NICKNAMEINUSE, &[wanted, "Nickname is already in use"]);
    }
    if s.registration.done
        && let Some(old_prefix) = old_prefix
    {
        let out =
            Outgoing::new(Message::new("NICK", vec![wanted.to_string()]).with_source(old_prefix));
        registry.send_to_neighbours(s.id, &out, true, &mut s.deliveries);
    }
    drop(registry);
    s.nick = wanted.to_string();
    try_complete(s);
}

/// `USER user mode unused :realname`.
pub fn user(s: &mut Session, msg: &Message) {
    if s.registration.done {
        return s.reply(ERR_ALREADYREGISTERED, &["You may not reregister"]);
    }
    if !has_params(s, msg, 4) {
        return;
    }
    // No ident lookup is done, so the user name gets the customary `~`. Keep it short and
    // free of characters that would break `nick!user@host`.
    let user: String = msg
        .param(0)
        .chars()
        .filter(|c| c.is_ascii_graphic() && !matches!(c, '!' | '@' | ':'))
        .take(10)
        .collect();
    let user = if user.is_empty() {
        "user".to_string()
    } else {
        user
    };
    {
        let mut registry = s.server.lock_registry();
        if let Some(client) = registry.clients.get_mut(&s.id) {
            client.user = format!("~{user}");
            client.realname = msg.param(3).chars().take(64).collect();
        }
    }
    s.registration.user_given = true;
    try_complete(s);
}

/// `CAP LS [302] | REQ :caps | LIST | END`: IRCv3 capability negotiation.
pub fn cap(s: &mut Session, msg: &Message) {
    let sub = msg.param(0).to_ascii_uppercase();
    let me = s.nick.clone();
    let server_name = s.server.config.server_name.clone();
    let cap_reply = |sub: &str, text: String| {
        Message::new("CAP", vec![me.clone(), sub.to_string(), text]).with_source(&server_name)
    };
    match sub.as_str() {
        "LS" => {
            if !s.registration.done {
                s.registration.cap_negotiating = true;
            }
            s.send_own(&cap_reply("LS", SUPPORTED_CAPS.join(" ")));
        }
        "REQ" => {
            if !s.registration.done {
                s.registration.cap_negotiating = true;
            }
            let requested = msg.param(1).to_string();
            let mut registry = s.server.lock_registry();
            let Some(client) = registry.clients.get_mut(&s.id) else {
                return;
            };
            // All or nothing: apply to a copy, keep it only if every name was known.
            let mut caps: Caps = client.caps;
            let all_known = requested
                .split_whitespace()
                .all(|name| match name.strip_prefix('-') {
                    Some(name) => caps.set(name, false),
                    None => caps.set(name, true),
                });
            if all_known {
                client.caps = caps;
            }
            drop(registry);
            let sub = if all_known { "ACK" } else { "NAK" };
            s.send_own(&cap_reply(sub, requested));
        }
        "LIST" => {
            let enabled = s
                .server
                .lock_registry()
                .clients
                .get(&s.id)
                .map(|c| c.caps.names())
                .unwrap_or_default();
            s.send_own(&cap_reply("LIST", enabled));
        }
        "END" => {
            s.registration.cap_negotiating = false;
            try_complete(s);
        }
        _ => s.reply(ERR_INVALIDCAPCMD, &[msg.param(0), "Invalid CAP command"]),
    }
}

/// `QUIT [:reason]`: the client leaves; others see `Quit: reason`.
pub fn quit(s: &mut Session, msg: &Message) {
    let reason = match msg.param(0) {
        "" => "Quit".to_string(),
        text => format!("Quit: {text}"),
    };
    s.close_with_error("Bye", &reason);
}

/// Finishes registration once NICK and USER are in and CAP negotiation (if any) has ended.
fn try_complete(s: &mut Session) {
    let r = &s.registration;
    if r.done || s.nick == "*" || !r.user_given || r.cap_negotiating {
        return;
    }
    if !r.password_ok {
        s.reply(ERR_PASSWDMISMATCH, &["Password incorrect"]);
        s.close_with_error("Bad password", "Bad password");
        return;
    }
    s.registration.done = true;
    let prefix = {
        let mut registry = s.server.lock_registry();
        match registry.clients.get_mut(&s.id) {
            Some(client) => {
                client.registered = true;
                client.prefix()
            }
            None => return,
        }
    };
    crate::log!("registered {} as {}", s.peer, prefix);
    send_welcome(s, &prefix);
}

fn send_welcome(s: &mut Session, prefix: &str) {
    let config = s.server.config.clone();
    let name = config.server_name.as_str();
    s.reply(
        RPL_WELCOME,
        &[&format!(
            "Welcome to the {} IRC Network {prefix}",
            config.network
        )],
    );
    s.reply(
        RPL_YOURHOST,
        &[&format!("Your host is {name}, running version {VERSION}")],
    );
    let created = s.server.started.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    s.reply(
        RPL_CREATED,
        &[&format!("This server was created {created}")],
    );
    s.reply(RPL_MYINFO, &[name, VERSION, "io", "biklmnotv", "bklov"]);
    let isupport = [
        "AWAYLEN=200".to_string(),
        "CASEMAPPING=rfc1459".to_string(),
        format!("CHANLIMIT=#:{}", config.max_channels_per_user),
        format!("CHATHISTORY={}", super::chathistory::MAX_LIMIT),
        "CHANMODES=b,k,l,imnt".to_string(),
        format!("CHANNELLEN={CHANNEL_MAX_LEN}"),
        "CHANTYPES=#".to_string(),
        format!("KICKLEN={KICK_MAX_LEN}"),
        format!("MAXTARGETS={}", config.max_targets),
        "MSGREFTYPES=msgid,timestamp".to_string(),
        format!("NETWORK={}", config.network),
        format!("NICKLEN={NICK_MAX_LEN}"),
        "PREFIX=(ov)@+".to_string(),
        format!(
            "TARGMAX=PRIVMSG:{0},NOTICE:{0},JOIN:{0},PART:{0},KICK:1,WHOIS:1,NAMES:1",
            config.max_targets
        ),
        format!("TOPICLEN={TOPIC_MAX_LEN}"),
        "UTF8ONLY".to_string(),
    ];
    let mut params: Vec<&str> = isupport.iter().map(String::as_str).collect();
    params.push("are supported by this server");
    s.reply(RPL_ISUPPORT, &params);
    send_lusers(s);
    send_motd(s);
}

/// `LUSERS`: 251-255, counts of users, operators, unknown connections and channels.
pub fn send_lusers(s: &mut Session) {
    let (users, invisible, opers, unknown, channels) = {
        let registry = s.server.lock_registry();
        let (users, opers, unknown) = registry.counts();
        let invisible = registry
            .clients
            .values()
            .filter(|c| c.registered && c.invisible)
            .count();
        (users, invisible, opers, unknown, registry.channels.len())
    };
    // 251 splits the users into visible and invisible (+i) ones; 255 counts them all.
    let visible = users - invisible;
    s.reply(
        RPL_LUSERCLIENT,
        &[&format!(
            "There are {visible} users and {invisible} invisible on 1 servers"
        )],
    );
    s.reply(RPL_LUSEROP, &[&opers.to_string(), "operator(s) online"]);
    s.reply(
        RPL_LUSERUNKNOWN,
        &[&unknown.to_string(), "unknown connection(s)"],
    );
    s.reply(
        RPL_LUSERCHANNELS,
        &[&channels.to_string(), "channels formed"],
    );
    s.reply(
        RPL_LUSERME,
        &[&format!("I have {users} clients and 0 servers")],
    );
}

/// `MOTD`: 375, one 372 per line, 376; or 422 when there is none.
pub fn send_motd(s: &mut Session) {
    let server = std::sync::Arc::clone(&s.server);
    let Some(lines) = &server.motd else {
        return s.reply(ERR_NOMOTD, &["MOTD File is missing"]);
    };
    let name = &server.config.server_name;
    s.reply(RPL_MOTDSTART, &[&format!("- {name} Message of the day - ")]);
    for line in lines {
        s.reply(RPL_MOTD, &[&format!("- {line}")]);
    }
    s.reply(RPL_ENDOFMOTD, &["End of /MOTD command."]);
}
