//! History, the writing side: a channel event is committed to the store *before* it is
//! delivered (`defer` + `settle` for messages, `record` for topic changes and kicks), and the
//! channel remembers what was delivered. Used by the message and channel commands.

use std::sync::Arc;

use crate::log;
use crate::outgoing::{Outgoing, OutgoingRun};
use crate::registry::Registry;
use crate::session::Session;
use crate::store::NewRow;

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

/// Keeps a channel message until [`settle`] commits it to the history and then delivers it:
/// so whatever a client has received is in the history, even after `kill -9`. A session
/// defers all the messages of one read and settles them together, so a burst of lines costs
/// one trip to the store and one registry lock, not one per line.
pub fn defer(s: &mut Session, folded: &str, out: Outgoing, echo: bool) {
    s.undelivered.push(Undelivered {
        folded: folded.to_string(),
        out,
        echo,
    });
}

/// Commits every deferred message, waits for the commit, then delivers them in order. Call
/// with no lock held: before any other command (to keep order) and before a flush.
pub fn settle(s: &mut Session) {
    if s.undelivered.is_empty() {
        return;
    }
    let pending = std::mem::take(&mut s.undelivered);
    let rows = pending.iter().map(|u| row_for(&u.folded, &u.out)).collect();
    let ids = commit(s, rows, pending.len());
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    // Consecutive messages to the same channel go to each member in one push.
    let mut rest = &pending[..];
    let mut ids = &ids[..];
    while let Some(first) = rest.first() {
        let len = rest
            .iter()
            .take_while(|u| u.folded == first.folded && u.echo == first.echo)
            .count();
        let mut run = OutgoingRun::default();
        for u in &rest[..len] {
            run.push(&u.out);
        }
        fan_out(s, &mut registry, first, &run);
        let newest = ids[..len].iter().flatten().max().copied();
        delivered(s, &mut registry, &first.folded, newest);
        rest = &rest[len..];
        ids = &ids[len..];
    }
}

/// Writes rows and waits for their commit; returns their ids. If the store fails or is closed
/// (shutting down), the ids are None: the class goes on, the messages are still delivered,
/// and the log says why the history lacks them.
fn commit(s: &mut Session, rows: Vec<NewRow>, count: usize) -> Vec<Option<i64>> {
    if !s.server.store.send_append(rows, &s.store_answer) {
        return vec![None; count];
    }
    match s.store_answer.wait() {
        Ok(ids) => ids,
        Err(e) => {
            log!("history: could not record {count} message(s): {e}");
            vec![None; count]
        }
    }
}

/// Queues a run of committed messages, all like `first`, to the channel's members (and back
/// to their sender if asked).
fn fan_out(s: &mut Session, registry: &mut Registry, first: &Undelivered, run: &OutgoingRun) {
    let Some(channel) = registry.channels.get(&first.folded) else {
        return;
    };
    for member_id in channel.members.keys() {
        if *member_id == s.id && !first.echo {
            continue;
        }
        if let Some(member) = registry.clients.get(member_id) {
            s.deliveries.send_run(member, run);
        }
    }
}

/// Commits a rare channel event (a topic change, a kick) and returns its row id, *before* the
/// caller delivers it. Call with no lock held. If the store fails, the event still happens.
pub fn record(s: &mut Session, folded: &str, out: &Outgoing) -> Option<i64> {
    settle(s);
    commit(s, vec![row_for(folded, out)], 1)
        .into_iter()
        .next()
        .flatten()
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
