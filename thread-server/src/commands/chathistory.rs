//! `CHATHISTORY` (IRCv3 `draft/chathistory`: a client pages back through a channel) and
//! `DROP` (an operator forgets a channel's topic and history).

use std::sync::Arc;

use shared::Message;
use shared::names::{irc_lower, is_channel_name, mask_matches};
use shared::numeric::{ERR_CHANOPRIVSNEEDED, ERR_NOSUCHCHANNEL};

use super::has_params;
use super::playback::{notice, send_rows};
use crate::log;
use crate::outgoing::Outgoing;
use crate::session::Session;
use crate::store::{HistoryQuery, MsgRef};

/// Most messages one CHATHISTORY request returns (ISUPPORT `CHATHISTORY`).
pub const MAX_LIMIT: usize = 100;

/// `CHATHISTORY <LATEST|BEFORE|AFTER|AROUND|BETWEEN> <#channel> <ref> [<ref>] <limit>`.
pub fn chathistory(s: &mut Session, msg: &Message) {
    let sub = msg.param(0).to_ascii_uppercase();
    let fail = |s: &mut Session, code: &str, extra: &[&str], text: &str| {
        let mut params = vec!["CHATHISTORY".to_string(), code.to_string()];
        params.extend(extra.iter().map(|p| p.to_string()));
        params.push(text.to_string());
        let name = s.server.config.server_name.clone();
        s.send_own(&Message::new("FAIL", params).with_source(name));
    };
    if !matches!(
        sub.as_str(),
        "LATEST" | "BEFORE" | "AFTER" | "AROUND" | "BETWEEN"
    ) {
        return fail(s, "UNKNOWN_COMMAND", &[msg.param(0)], "Unknown subcommand");
    }
    let wanted = if sub == "BETWEEN" { 5 } else { 4 };
    if msg.params.len() < wanted {
        return fail(s, "NEED_MORE_PARAMS", &[&sub], "Missing parameters");
    }
    let target = msg.param(1).to_string();
    let folded = irc_lower(&target);
    let refs: Result<Vec<MsgRef>, ()> = msg.params[2..wanted - 1]
        .iter()
        .map(|r| parse_ref(r, sub == "LATEST"))
        .collect();
    let limit = msg.params[wanted - 1].parse::<usize>();
    let (Ok(refs), Ok(limit)) = (refs, limit) else {
        return fail(
            s,
            "INVALID_PARAMS",
            &[&sub],
            "Invalid message reference or limit",
        );
    };
    let Some(display) = readable_channel(s, &target) else {
        // Unknown and forbidden look the same, so nobody learns which channels exist.
        return fail(
            s,
            "INVALID_TARGET",
            &[&sub, &target],
            "No such channel or no access",
        );
    };
    let limit = limit.min(MAX_LIMIT);
    let mut refs = refs.into_iter();
    let mut next_ref = || refs.next().unwrap_or(MsgRef::Now);
    let channel = folded.clone();
    let query = match sub.as_str() {
        "LATEST" => HistoryQuery::Latest {
            channel,
            after: next_ref(),
            limit,
        },
        "BEFORE" => HistoryQuery::Before {
            channel,
            before: next_ref(),
            limit,
        },
        "AFTER" => HistoryQuery::After {
            channel,
            after: next_ref(),
            limit,
        },
        "AROUND" => HistoryQuery::Around {
            channel,
            around: next_ref(),
            limit,
        },
        _ => HistoryQuery::Between {
            channel,
            from: next_ref(),
            to: next_ref(),
            limit,
        },
    };
    let rows = if limit == 0 {
        Ok(Vec::new())
    } else {
        s.server.store.query(query)
    };
    match rows {
        Ok(rows) => send_rows(s, &display, &rows, false),
        Err(e) => {
            log!("history: CHATHISTORY on {folded} failed: {e}");
            fail(
                s,
                "MESSAGE_ERROR",
                &[&sub, &target],
                "Messages could not be retrieved",
            );
        }
    }
}

/// `msgid=...`, `timestamp=YYYY-MM-DDThh:mm:ss.sssZ`, or (LATEST only) `*`.
fn parse_ref(text: &str, star_allowed: bool) -> Result<MsgRef, ()> {
    if text == "*" && star_allowed {
        return Ok(MsgRef::Now);
    }
    if let Some(id) = text.strip_prefix("msgid=").filter(|id| !id.is_empty()) {
        return Ok(MsgRef::Msgid(id.to_string()));
    }
    let time = text.strip_prefix("timestamp=").ok_or(())?;
    let parsed = chrono::DateTime::parse_from_rfc3339(time).map_err(|_| ())?;
    Ok(MsgRef::Time(parsed.timestamp_millis()))
}

/// The channel's display name if this client may read its history: members always; others
/// only for channels without `+i`, `+k` or a ban on them.
fn readable_channel(s: &Session, target: &str) -> Option<String> {
    if !is_channel_name(target) {
        return None;
    }
    let registry = s.server.lock_registry();
    let channel = registry.channel(target)?;
    if channel.has(s.id) {
        return Some(channel.name.clone());
    }
    let me = registry.clients.get(&s.id)?;
    let banned = channel.bans.iter().any(|m| mask_matches(m, &me.prefix()));
    let closed = channel.modes.invite_only || channel.modes.key.is_some() || banned;
    (!closed || me.oper).then(|| channel.name.clone())
}

/// `DROP #channel`: a channel operator or IRC operator forgets the channel's topic and history
/// (a lanchatd command: stock clients send it with `/quote DROP #channel`).
pub fn drop_channel(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 1) {
        return;
    }
    let name = msg.param(0);
    let folded = irc_lower(name);
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let is_oper = registry.clients.get(&s.id).is_some_and(|c| c.oper);
    let Some(channel) = registry.channels.get_mut(&folded) else {
        drop(registry);
        return s.reply(ERR_NOSUCHCHANNEL, &[name, "No such channel"]);
    };
    let display = channel.name.clone();
    if !channel.is_op(s.id) && !is_oper {
        drop(registry);
        return s.reply(
            ERR_CHANOPRIVSNEEDED,
            &[&display, "You're not channel operator"],
        );
    }
    channel.topic = None;
    channel.has_history = false;
    let empty = channel.members.is_empty();
    if empty {
        registry.channels.remove(&folded);
    }
    server.store.drop_channel(&folded);
    let text = format!("{} dropped the topic and history of {display}", s.nick);
    let out = Outgoing::new(notice(&server.config.server_name, &display, &text));
    registry.send_to_channel(&folded, &out, None, &mut s.deliveries);
    drop(registry);
    if empty {
        let name = server.config.server_name.clone();
        s.send_own(&notice(&name, &s.nick.clone(), &text));
    }
    log!("{text}");
}
