//! The store thread's loop: take every waiting request, apply the writes in one transaction,
//! commit once, then answer. That is the group commit: one commit for a whole batch.

use std::collections::BTreeSet;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::{Op, Reply, StoreConfig, query, records};
use crate::log;

/// Most requests handled in one transaction; bounds how long the first one waits.
const MAX_BATCH: usize = 512;

/// How often `--history-days` pruning runs.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// Runs until the server closes the store (or every handle is gone).
pub fn run(mut conn: Connection, ops: Receiver<Op>, config: StoreConfig) {
    let mut last_prune = Instant::now() - PRUNE_EVERY;
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
        if !handle_batch(&mut conn, batch, &config) {
            return; // closed
        }
        prune_old(&mut conn, &config, &mut last_prune);
    }
}

/// Applies a batch: writes in one transaction, then answers, then runs the reads (which so
/// see every write before them). Returns false when the batch asked to close.
fn handle_batch(conn: &mut Connection, batch: Vec<Op>, config: &StoreConfig) -> bool {
    let mut appended: Vec<(Reply<i64>, Result<i64, String>)> = Vec::new();
    let mut reads = Vec::new();
    let mut close = None;
    let mut touched = BTreeSet::new();

    let result = (|| -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        for op in batch {
            match op {
                Op::Append(row, reply) => {
                    let id = records::append(&tx, &row).map_err(|e| e.to_string());
                    touched.insert(row.channel);
                    appended.push((reply, id));
                }
                Op::SaveChannel(record) => records::save_channel(&tx, &record)?,
                Op::DropChannel(name) => records::drop_channel(&tx, &name)?,
                Op::Query(q, reply) => reads.push((q, reply)),
                Op::Close(done) => close = Some(done),
            }
        }
        for channel in &touched {
            records::prune_to(&tx, channel, config.history_limit)?;
        }
        tx.commit()
    })();

    // Only now, committed, may the sessions deliver their messages.
    for (reply, id) in appended {
        let answer = match (&result, id) {
            (Ok(()), id) => id,
            (Err(e), _) => Err(format!("commit failed: {e}")),
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

/// Deletes rows older than `--history-days`, at most once per [`PRUNE_EVERY`].
fn prune_old(conn: &mut Connection, config: &StoreConfig, last: &mut Instant) {
    let Some(days) = config.history_days else {
        return;
    };
    if last.elapsed() < PRUNE_EVERY {
        return;
    }
    *last = Instant::now();
    let cutoff = chrono::Utc::now().timestamp_millis() - i64::from(days) * 86_400_000;
    let result = conn
        .transaction()
        .and_then(|tx| records::prune_older_than(&tx, cutoff).and_then(|()| tx.commit()));
    if let Err(e) = result {
        log!("history store: pruning failed: {e}");
    }
}
