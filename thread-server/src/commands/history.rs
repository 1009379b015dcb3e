//! History: recording channel events before they are delivered, the replay on JOIN, the
//! IRCv3 `CHATHISTORY` command, and `DROP` (an operator forgets a channel's topic and history).

use std::sync::Arc;

use shared::Message;
use shared::names::{irc_lower, is_channel_name, mask_matches};
use shared::numeric::{ERR_CHANOPRIVSNEEDED, ERR_NOSUCHCHANNEL};

use super::has_params;
use crate::log;
use crate::outgoing::{Outgoing, format_time};
use crate::registry::Registry;
use crate::session::Session;
use crate::store::{HistoryQuery, HistoryRow, MsgRef, NewRow};

/// Most messages one CHATHISTORY request returns (ISUPPORT `CHATHISTORY`).
pub const MAX_LIMIT: usize = 100;

/// A channel message handed to the store but not delivered yet (see [`defer`]).
pub struct Undelivered {
    /// Folded channel name.
    folded: String,
    /// The message, rendered once.
    out: Outgoing,
    /// Also send it back to its sender (`echo-message`).
    echo: bool,
}

fn row_for(folded: &str, out: &Outgoing) -> NewRow {
    NewRow {
        channel: folded.to_string(),
        time_ms: out.time_ms,
        msgid: out.msgid.clone(),
        line: out.line().to_string(),
    }
}

/// Hands a channel message to the store and keeps it until [`settle`] delivers it, once it is
/// committed: so whatever a client has received is in the history, even after `kill -9`.
/// A session defers all the messages of one read and settles them together, so a burst of
/// lines costs one wait for the store and one registry lock, not one per line.
pub fn defer(s: &mut Session, folded: &str, out: Outgoing, echo: bool) {
    if s.server
        .store
        .send_append(row_for(folded, &out), &s.store_answer)
    {
        s.undelivered.push(Undelivered {
            folded: folded.to_string(),
            out,
            echo,
        });
    } else {
        // Store closed (shutting down): deliver without history rather than lose it.
        let server = Arc::clone(&s.server);
        let mut registry = server.lock_registry();
        let undelivered = Undelivered {
            folded: folded.to_string(),
            out,
            echo,
        };
        fan_out(s, &mut registry, &undelivered, None);
    }
}

/// Waits until the store has committed every deferred message, then delivers them in order.
/// Call with no lock held: before any other command (to keep order) and before a flush.
pub fn settle(s: &mut Session) {
    if s.undelivered.is_empty() {
        return;
    }
    let pending = std::mem::take(&mut s.undelivered);
    let ids: Vec<Option<i64>> = pending
        .iter()
        .map(|u| match s.store_answer.wait() {
            Ok(id) => Some(id),
            Err(e) => {
                // The class goes on: deliver anyway, and say why history lacks it.
                log!("history: could not record a message in {}: {e}", u.folded);
                None
            }
        })
        .collect();
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    for (u, id) in pending.iter().zip(ids) {
        fan_out(s, &mut registry, u, id);
    }
}

/// Queues one committed message to the channel's members (and back to its sender if asked).
fn fan_out(s: &mut Session, registry: &mut Registry, u: &Undelivered, id: Option<i64>) {
    if let Some(channel) = registry.channels.get(&u.folded) {
        for member_id in channel.members.keys() {
            if *member_id == s.id && !u.echo {
                continue;
            }
            if let Some(member) = registry.clients.get(member_id) {
                s.deliveries.send(member, &u.out);
            }
        }
    }
    delivered(s, registry, &u.folded, id);
}

/// Commits a rare channel event (a topic change, a kick) and returns its row id, *before* the
/// caller delivers it. Call with no lock held. If the store fails, the event still happens.
pub fn record(s: &mut Session, folded: &str, out: &Outgoing) -> Option<i64> {
    settle(s);
    if !s
        .server
        .store
        .send_append(row_for(folded, out), &s.store_answer)
    {
        return None;
    }
    match s.store_answer.wait() {
        Ok(id) => Some(id),
        Err(e) => {
            log!("history: could not record an event in {folded}: {e}");
            None
        }
    }
}

/// Notes (under the registry lock, after delivery) that row `id` reached the members of
/// `folded`; the first history of a channel makes it a kept channel, so its state is saved.
pub fn delivered(s: &Session, registry: &mut Registry, folded: &str, id: Option<i64>) {
    let Some(id) = id else {
        return;
    };
    let Some(channel) = registry.channels.get_mut(folded) else {
        return;
    };
    channel.last_delivered_id = channel.last_delivered_id.max(id);
    if !channel.has_history {
        channel.has_history = true;
        s.server.store.save_channel(channel.record(folded));
    }
}

/// Saves (or, when it is no longer worth keeping, forgets) a channel's state after a change.
pub fn save_state(s: &Session, registry: &Registry, folded: &str) {
    match registry.channels.get(folded) {
        Some(channel) if channel.is_kept() => s.server.store.save_channel(channel.record(folded)),
        _ => s.server.store.drop_channel(folded),
    }
}

/// Sends a joiner the channel's latest messages up to row `up_to_id` (newer ones reach it
/// live). Call with no lock held.
pub fn replay(s: &mut Session, folded: &str, display: &str, up_to_id: i64) {
    let limit = s.server.config.replay;
    if limit == 0 {
        return;
    }
    let query = HistoryQuery::Replay {
        channel: folded.to_string(),
        up_to_id,
        limit,
    };
    match s.server.store.query(query) {
        Ok(rows) if !rows.is_empty() => send_rows(s, display, &rows, true),
        Ok(_) => {}
        Err(e) => log!("history: replay of {folded} failed: {e}"),
    }
}

/// Sends history rows: in a `chathistory` batch to clients that negotiated `batch`, else as
/// plain lines between two NOTICEs (so irssi and `nc` users see the backlog too).
fn send_rows(s: &mut Session, display: &str, rows: &[HistoryRow], frame_plain: bool) {
    let caps = s
        .server
        .lock_registry()
        .clients
        .get(&s.id)
        .map(|c| c.caps)
        .unwrap_or_default();
    let server_name = s.server.config.server_name.clone();
    let batch_id = caps.batch.then(|| {
        s.batches_sent += 1;
        format!("h{}", s.batches_sent)
    });
    match &batch_id {
        Some(id) => s.send_own(
            &Message::new(
                "BATCH",
                vec![format!("+{id}"), "chathistory".into(), display.into()],
            )
            .with_source(&server_name),
        ),
        None if frame_plain => {
            let text = format!("--- last {} messages of {display} ---", rows.len());
            s.send_own(&notice(&server_name, display, &text));
        }
        None => {}
    }
    for row in rows {
        let Some(mut msg) = as_playback(row, &server_name) else {
            continue;
        };
        if let Some(id) = &batch_id {
            msg = msg.with_tag("batch", id.as_str());
        }
        if batch_id.is_some() || caps.server_time || caps.message_tags {
            msg = msg.with_tag("time", format_time(row.time_ms));
        }
        if batch_id.is_some() || caps.message_tags {
            msg = msg.with_tag("msgid", row.msgid.as_str());
        }
        s.send_own(&msg);
    }
    match &batch_id {
        Some(id) => {
            s.send_own(&Message::new("BATCH", vec![format!("-{id}")]).with_source(&server_name))
        }
        None if frame_plain => {
            s.send_own(&notice(&server_name, display, "--- end of history ---"));
        }
        None => {}
    }
}

fn notice(server_name: &str, target: &str, text: &str) -> Message {
    Message::new("NOTICE", vec![target.to_string(), text.to_string()]).with_source(server_name)
}

/// A stored line as it is played back. Clients that did not ask for event playback may only
/// get PRIVMSG and NOTICE (IRCv3), so topic changes and kicks become server NOTICEs that say
/// what happened. None for a line that cannot be read back.
fn as_playback(row: &HistoryRow, server_name: &str) -> Option<Message> {
    let msg = Message::parse(&row.line).ok()?;
    let nick = msg.source_nick().to_string();
    let channel = msg.param(0).to_string();
    let text = match msg.command.as_str() {
        "PRIVMSG" | "NOTICE" => return Some(msg),
        "TOPIC" if msg.param(1).is_empty() => format!("{nick} cleared the topic"),
        "TOPIC" => format!("{nick} changed the topic to: {}", msg.param(1)),
        "KICK" => format!("{nick} kicked {} ({})", msg.param(1), msg.param(2)),
        _ => return None,
    };
    Some(notice(server_name, &channel, &text))
}

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
