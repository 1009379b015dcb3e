//! History, the reading side: how stored lines are played back to one client, on JOIN and
//! for CHATHISTORY, in a `chathistory` batch or as plain lines.

use shared::Message;

use crate::log;
use crate::outgoing::format_time;
use crate::session::Session;
use crate::store::{HistoryQuery, HistoryRow};

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
pub fn send_rows(s: &mut Session, display: &str, rows: &[HistoryRow], frame_plain: bool) {
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

/// A NOTICE from the server.
pub fn notice(server_name: &str, target: &str, text: &str) -> Message {
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
