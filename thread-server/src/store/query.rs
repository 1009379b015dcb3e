//! History queries: what `CHATHISTORY` and the replay on JOIN ask the store for, and the SQL
//! that answers them. Every query works on one channel and returns rows oldest first.

use rusqlite::{Connection, OptionalExtension, params};

use super::records::HistoryRow;

/// A point in a channel's history, as a client names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MsgRef {
    /// `msgid=...`: a message the client has seen.
    Msgid(String),
    /// `timestamp=...`: a moment, in Unix milliseconds.
    Time(i64),
    /// `*`: now (the end of the history).
    Now,
}

/// One request for history rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryQuery {
    /// The newest `limit` rows after `after` (or simply the newest, with `MsgRef::Now`).
    Latest {
        /// Folded channel name.
        channel: String,
        /// Lower bound (exclusive).
        after: MsgRef,
        /// Most rows returned.
        limit: usize,
    },
    /// The `limit` rows just before `before` (exclusive).
    Before {
        /// Folded channel name.
        channel: String,
        /// Upper bound (exclusive).
        before: MsgRef,
        /// Most rows returned.
        limit: usize,
    },
    /// The `limit` rows just after `after` (exclusive).
    After {
        /// Folded channel name.
        channel: String,
        /// Lower bound (exclusive).
        after: MsgRef,
        /// Most rows returned.
        limit: usize,
    },
    /// About `limit / 2` rows before `around`, then it and the rows after it.
    Around {
        /// Folded channel name.
        channel: String,
        /// The middle.
        around: MsgRef,
        /// Most rows returned.
        limit: usize,
    },
    /// Rows strictly between two points, in either order; at most `limit`, taken from the
    /// side of `from`.
    Between {
        /// Folded channel name.
        channel: String,
        /// Where to start.
        from: MsgRef,
        /// Where to stop.
        to: MsgRef,
        /// Most rows returned.
        limit: usize,
    },
    /// The replay on JOIN: the newest `limit` rows with an id up to `up_to_id`.
    Replay {
        /// Folded channel name.
        channel: String,
        /// Highest row id already delivered live before the client joined.
        up_to_id: i64,
        /// Most rows returned.
        limit: usize,
    },
}

impl HistoryQuery {
    /// The folded name of the channel this query reads.
    pub fn channel(&self) -> &str {
        match self {
            HistoryQuery::Latest { channel, .. }
            | HistoryQuery::Before { channel, .. }
            | HistoryQuery::After { channel, .. }
            | HistoryQuery::Around { channel, .. }
            | HistoryQuery::Between { channel, .. }
            | HistoryQuery::Replay { channel, .. } => channel,
        }
    }
}

/// Runs a query. An unknown msgid gives no rows.
pub fn run(conn: &Connection, query: &HistoryQuery) -> rusqlite::Result<Vec<HistoryRow>> {
    match query {
        HistoryQuery::Latest {
            channel,
            after,
            limit,
        } => {
            let Some(lo) = lower(conn, channel, after)? else {
                return Ok(Vec::new());
            };
            rows(conn, channel, lo, i64::MAX, *limit, Take::Newest)
        }
        HistoryQuery::Before {
            channel,
            before,
            limit,
        } => {
            let Some(hi) = upper(conn, channel, before)? else {
                return Ok(Vec::new());
            };
            rows(conn, channel, 0, hi, *limit, Take::Newest)
        }
        HistoryQuery::After {
            channel,
            after,
            limit,
        } => {
            let Some(lo) = lower(conn, channel, after)? else {
                return Ok(Vec::new());
            };
            rows(conn, channel, lo, i64::MAX, *limit, Take::Oldest)
        }
        HistoryQuery::Around {
            channel,
            around,
            limit,
        } => {
            let Some(mid) = upper(conn, channel, around)? else {
                return Ok(Vec::new());
            };
            let mut out = rows(conn, channel, 0, mid, limit / 2, Take::Newest)?;
            let rest = limit - out.len();
            out.extend(rows(conn, channel, mid - 1, i64::MAX, rest, Take::Oldest)?);
            Ok(out)
        }
        HistoryQuery::Between {
            channel,
            from,
            to,
            limit,
        } => {
            let (Some(a), Some(b)) = (lower(conn, channel, from)?, lower(conn, channel, to)?)
            else {
                return Ok(Vec::new());
            };
            if a <= b {
                let hi = upper(conn, channel, to)?.unwrap_or(b + 1);
                rows(conn, channel, a, hi, *limit, Take::Oldest)
            } else {
                let hi = upper(conn, channel, from)?.unwrap_or(a + 1);
                rows(conn, channel, b, hi, *limit, Take::Newest)
            }
        }
        HistoryQuery::Replay {
            channel,
            up_to_id,
            limit,
        } => rows(
            conn,
            channel,
            0,
            up_to_id.saturating_add(1),
            *limit,
            Take::Newest,
        ),
    }
}

/// Which end of a range to keep when it holds more than `limit` rows.
enum Take {
    Oldest,
    Newest,
}

/// Rows of `channel` with `lo < id < hi`, at most `limit` from one end, oldest first.
fn rows(
    conn: &Connection,
    channel: &str,
    lo: i64,
    hi: i64,
    limit: usize,
    take: Take,
) -> rusqlite::Result<Vec<HistoryRow>> {
    let order = match take {
        Take::Oldest => "ASC",
        Take::Newest => "DESC",
    };
    let sql = format!(
        "SELECT id, time_ms, msgid, line FROM messages
         WHERE channel = ?1 AND id > ?2 AND id < ?3 ORDER BY id {order} LIMIT ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let found = stmt.query_map(params![channel, lo, hi, limit as i64], |row| {
        Ok(HistoryRow {
            id: row.get(0)?,
            time_ms: row.get(1)?,
            msgid: row.get(2)?,
            line: row.get(3)?,
        })
    })?;
    let mut out: Vec<HistoryRow> = found.collect::<rusqlite::Result<_>>()?;
    if let Take::Newest = take {
        out.reverse();
    }
    Ok(out)
}

/// The id just below `point` for "after" queries: rows with a greater id come after it.
/// None when a msgid is unknown.
fn lower(conn: &Connection, channel: &str, point: &MsgRef) -> rusqlite::Result<Option<i64>> {
    match point {
        MsgRef::Msgid(msgid) => msgid_row(conn, channel, msgid),
        MsgRef::Time(ms) => conn
            .query_row(
                "SELECT COALESCE(MAX(id), 0) FROM messages WHERE channel = ?1 AND time_ms <= ?2",
                params![channel, ms],
                |row| row.get(0),
            )
            .map(Some),
        // Only LATEST accepts `*`: "the newest rows", with no lower bound.
        MsgRef::Now => Ok(Some(0)),
    }
}

/// The id just above `point` for "before" queries: rows with a smaller id come before it.
/// None when a msgid is unknown.
fn upper(conn: &Connection, channel: &str, point: &MsgRef) -> rusqlite::Result<Option<i64>> {
    match point {
        MsgRef::Msgid(msgid) => msgid_row(conn, channel, msgid),
        MsgRef::Time(ms) => conn
            .query_row(
                "SELECT MIN(id) FROM messages WHERE channel = ?1 AND time_ms >= ?2",
                params![channel, ms],
                |row| row.get::<_, Option<i64>>(0),
            )
            .map(|id| Some(id.unwrap_or(i64::MAX))),
        MsgRef::Now => Ok(Some(i64::MAX)),
    }
}

fn msgid_row(conn: &Connection, channel: &str, msgid: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM messages WHERE channel = ?1 AND msgid = ?2",
        params![channel, msgid],
        |row| row.get(0),
    )
    .optional()
}
