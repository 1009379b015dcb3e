//! The store thread's loop: take every waiting request, apply the writes in one transaction,
//! commit once, then answer. That is the group commit: one commit for a whole batch.

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use rusqlite::{Connection, Transaction};

use super::{Op, Reply, StoreConfig, query, records};
use crate::log;

/// Most requests handled in one transaction; bounds how long the first one waits.
const MAX_BATCH: usize = 512;

/// How often `--history-days` pruning runs.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// Rows per channel, counted once and then kept up to date, so keeping a channel to
/// `--history-limit` deletes just the oldest rows over it, found from the start of the
/// index, instead of counting the whole channel on every commit.
///
/// Writes let a channel run a little over its limit ([`slack`]) and then trim it in one go:
/// deleting a quarter of the limit at once rewrites a few pages once, where deleting the one
/// or two oldest rows in every commit rewrote the same pages every time. Reads never see the
/// extra rows: a channel is trimmed exactly before any query on it, and at close.
#[derive(Default)]
struct RowCounts(HashMap<String, usize>);

/// How far over the limit a channel may run between trims.
fn slack(limit: usize) -> usize {
    limit / 4
}

impl RowCounts {
    /// Adds `added` rows to `channel`'s count; returns how many oldest rows to delete now:
    /// none until the channel is more than [`slack`] over `limit`, then all the excess.
    fn add(&mut self, tx: &Transaction, channel: &str, added: usize, limit: usize) -> usize {
        let count = self.before(tx, channel, added) + added;
        let excess = if count > limit + slack(limit) {
            count - limit
        } else {
            0
        };
        self.set(channel, count - excess);
        excess
    }

    /// How many rows to delete so that `channel` has at most `limit`; exact, for reads.
    fn excess(&mut self, tx: &Transaction, channel: &str, limit: usize) -> usize {
        let count = self.before(tx, channel, 0);
        let excess = count.saturating_sub(limit);
        self.set(channel, count - excess);
        excess
    }

    /// `channel`'s count before this batch's `added` rows. Counted in the database the first
    /// time, where the transaction already holds those rows.
    fn before(&self, tx: &Transaction, channel: &str, added: usize) -> usize {
        match self.0.get(channel) {
            Some(&count) => count,
            None => records::count(tx, channel)
                .unwrap_or(0)
                .saturating_sub(added),
        }
    }

    fn set(&mut self, channel: &str, count: usize) {
        // Looked up by &str first: a known channel (every commit) allocates no key.
        match self.0.get_mut(channel) {
            Some(known) => *known = count,
            None => {
                self.0.insert(channel.to_string(), count);
            }
        }
    }
}

/// Runs until the server closes the store (or every handle is gone). `next_id` is the id the
/// next history row gets (`records::next_id`).
pub fn run(mut conn: Connection, ops: Receiver<Op>, config: StoreConfig, mut next_id: i64) {
    let mut last_prune = Instant::now() - PRUNE_EVERY;
    let mut counts = RowCounts::default();
    loop {
        let first = match ops.recv_timeout(PRUNE_EVERY) {
            Ok(op) => op,
            Err(RecvTimeoutError::Timeout) => {
                prune_old(&mut conn, &config, &mut last_prune);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match ops.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        if !handle_batch(&mut conn, batch, &config, &mut counts, &mut next_id) {
            return; // closed
        }
        if prune_old(&mut conn, &config, &mut last_prune) {
            counts.0.clear(); // recounted when next needed
        }
    }
}

/// Applies a batch: writes in one transaction, then answers, then runs the reads (which so
/// see every write before them). Returns false when the batch asked to close.
///
/// Row ids come from `next_id`, which only goes up while the server runs (a failed write
/// just leaves a gap): ids order a channel's history and tell a joiner's replay from live
/// traffic, so none may be given twice, even after the newest rows were deleted (a plain
/// SQLite rowid would then be reused).
fn handle_batch(
    conn: &mut Connection,
    batch: Vec<Op>,
    config: &StoreConfig,
    counts: &mut RowCounts,
    next_id: &mut i64,
) -> bool {
    // Each Append's answer channel with the ids of its rows, answered after the commit.
    type Ids = Vec<Option<i64>>;
    let mut appended: Vec<(Reply<Ids>, Ids)> = Vec::new();
    let mut reads = Vec::new();
    let mut close = None;
    let mut touched: BTreeMap<String, usize> = BTreeMap::new();

    let result = (|| -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        for op in batch {
            match op {
                Op::Append(rows, reply) => {
                    let mut ids = Vec::with_capacity(rows.len());
                    for row in rows {
                        let id = *next_id;
                        *next_id += 1;
                        match records::append(&tx, id, &row) {
                            Ok(()) => ids.push(Some(id)),
                            Err(e) => {
                                log!("history store: cannot write a row of {}: {e}", row.channel);
                                ids.push(None);
                            }
                        }
                        *touched.entry(row.channel).or_insert(0) += 1;
                    }
                    appended.push((reply, ids));
                }
                Op::SaveChannel(record) => records::save_channel(&tx, &record)?,
                Op::DropChannel(name) => {
                    records::drop_channel(&tx, &name)?;
                    counts.0.remove(&name);
                }
                Op::Query(q, reply) => reads.push((q, reply)),
                Op::Close(done) => close = Some(done),
            }
        }
        let limit = config.history_limit;
        for (channel, added) in &touched {
            let excess = counts.add(&tx, channel, *added, limit);
            trim(&tx, channel, excess)?;
        }
        for (q, _) in &reads {
            let excess = counts.excess(&tx, q.channel(), limit);
            trim(&tx, q.channel(), excess)?;
        }
        if close.is_some() {
            let channels: Vec<String> = counts.0.keys().cloned().collect();
            for channel in &channels {
                let excess = counts.excess(&tx, channel, limit);
                trim(&tx, channel, excess)?;
            }
        }
        tx.commit()
    })();

    // Only now, committed, may the sessions deliver their messages.
    for (reply, ids) in appended {
        let answer = match &result {
            Ok(()) => Ok(ids),
            Err(e) => Err(format!("commit failed: {e}")),
        };
        let _ = reply.send(answer);
    }
    if let Err(e) = &result {
        log!("history store: {e}");
    }
    for (q, reply) in reads {
        let _ = reply.send(query::run(conn, &q).map_err(|e| e.to_string()));
    }
    if let Some(done) = close {
        // Fold the write-ahead log into the main file so the data dir is one tidy file.
        let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        let _ = done.send(());
        return false;
    }
    true
}

/// Deletes the `excess` oldest rows of `channel`, if any.
fn trim(tx: &Transaction, channel: &str, excess: usize) -> rusqlite::Result<()> {
    if excess > 0 {
        records::delete_oldest(tx, channel, excess)?;
    }
    Ok(())
}

/// Deletes rows older than `--history-days`, at most once per [`PRUNE_EVERY`]; true if it ran.
fn prune_old(conn: &mut Connection, config: &StoreConfig, last: &mut Instant) -> bool {
    let Some(days) = config.history_days else {
        return false;
    };
    if last.elapsed() < PRUNE_EVERY {
        return false;
    }
    *last = Instant::now();
    let cutoff = chrono::Utc::now().timestamp_millis() - i64::from(days) * 86_400_000;
    let result = conn
        .transaction()
        .and_then(|tx| records::prune_older_than(&tx, cutoff).and_then(|()| tx.commit()));
    if let Err(e) = result {
        log!("history store: pruning failed: {e}");
    }
    true
}
