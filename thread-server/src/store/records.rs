//! The rows the store keeps: a channel's saved state (`ChannelRecord`) and one history line
//! (`NewRow` going in, `HistoryRow` coming out), with the SQL that reads and writes them.

use rusqlite::{Connection, Transaction, params};

/// A channel's state as saved: everything but its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRecord {
    /// Folded name (the key).
    pub name: String,
    /// The name as first written.
    pub display: String,
    /// Topic text, who set it and when (Unix seconds).
    pub topic: Option<(String, String, i64)>,
    /// Flag modes as letters (`imnt`).
    pub modes: String,
    /// `+k` key.
    pub key: Option<String>,
    /// `+l` limit.
    pub limit: Option<usize>,
    /// Ban masks.
    pub bans: Vec<String>,
    /// Unix time the channel was created.
    pub created_at: i64,
    /// Id of its newest history row, if it has history. (Filled in when loading; ignored
    /// when saving.)
    pub newest_history_id: Option<i64>,
}

/// A history line to write.
#[derive(Debug, Clone)]
pub struct NewRow {
    /// Folded channel name.
    pub channel: String,
    /// Unix time in milliseconds (the same as the `time` tag sent live).
    pub time_ms: i64,
    /// The `msgid` tag sent live.
    pub msgid: String,
    /// The message without tags, e.g. `:alice!~a@host PRIVMSG #lab :hi`.
    pub line: String,
}

/// A history line read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// Row id: increases with every message stored.
    pub id: i64,
    /// Unix time in milliseconds.
    pub time_ms: i64,
    /// The message's `msgid`.
    pub msgid: String,
    /// The message without tags.
    pub line: String,
}

/// Every saved channel, for the registry at start-up.
pub fn load_channels(conn: &Connection) -> rusqlite::Result<Vec<ChannelRecord>> {
    let mut stmt = conn.prepare(
        "SELECT name, display, topic, topic_by, topic_at, modes, key, user_limit, bans,
                created_at, (SELECT MAX(id) FROM messages m WHERE m.channel = c.name)
         FROM channels c ORDER BY name",
    )?;
    let rows = stmt.query_map([], |row| {
        let topic: Option<String> = row.get(2)?;
        let topic_by: Option<String> = row.get(3)?;
        let topic_at: Option<i64> = row.get(4)?;
        let bans: String = row.get(8)?;
        let limit: Option<i64> = row.get(7)?;
        Ok(ChannelRecord {
            name: row.get(0)?,
            display: row.get(1)?,
            topic: topic.map(|t| (t, topic_by.unwrap_or_default(), topic_at.unwrap_or(0))),
            modes: row.get(5)?,
            key: row.get(6)?,
            limit: limit.and_then(|l| usize::try_from(l).ok()),
            bans: bans
                .split(' ')
                .filter(|b| !b.is_empty())
                .map(str::to_string)
                .collect(),
            created_at: row.get(9)?,
            newest_history_id: row.get(10)?,
        })
    })?;
    rows.collect()
}

/// Inserts or replaces a channel's saved state.
pub fn save_channel(tx: &Transaction, c: &ChannelRecord) -> rusqlite::Result<()> {
    let (topic, topic_by, topic_at) = match &c.topic {
        Some((t, by, at)) => (Some(t.as_str()), Some(by.as_str()), Some(*at)),
        None => (None, None, None),
    };
    tx.execute(
        "INSERT OR REPLACE INTO channels
             (name, display, topic, topic_by, topic_at, modes, key, user_limit, bans, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            c.name,
            c.display,
            topic,
            topic_by,
            topic_at,
            c.modes,
            c.key,
            c.limit.map(|l| l as i64),
            c.bans.join(" "),
            c.created_at
        ],
    )?;
    Ok(())
}

/// Forgets a channel and its history.
pub fn drop_channel(tx: &Transaction, name: &str) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM messages WHERE channel = ?1", [name])?;
    tx.execute("DELETE FROM channels WHERE name = ?1", [name])?;
    Ok(())
}

/// Writes one history row with the given id (see `thread.rs`: the store hands ids out).
pub fn append(tx: &Transaction, id: i64, row: &NewRow) -> rusqlite::Result<()> {
    // Cached: this runs for every message, and parsing the SQL each time was a tenth of the
    // store thread's time.
    tx.prepare_cached(
        "INSERT INTO messages (id, channel, time_ms, msgid, line) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, row.channel, row.time_ms, row.msgid, row.line])?;
    Ok(())
}

/// The id after the highest one in the history (1 for an empty history).
pub fn next_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM messages", [], |row| {
        row.get(0)
    })
}

/// How many history rows `channel` has.
pub fn count(tx: &Transaction, channel: &str) -> rusqlite::Result<usize> {
    tx.query_row(
        "SELECT COUNT(*) FROM messages WHERE channel = ?1",
        [channel],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n as usize)
}

/// Deletes the `n` oldest rows of `channel`.
pub fn delete_oldest(tx: &Transaction, channel: &str, n: usize) -> rusqlite::Result<()> {
    // One range of the (channel, id) index: everything below the (n+1)-th oldest id. The
    // obvious `id IN (SELECT ... LIMIT n)` builds a temporary table on every call, which
    // cost the store thread more than the inserts did (BENCHMARKS.md, optimisation log).
    tx.prepare_cached(
        "DELETE FROM messages WHERE channel = ?1 AND id < COALESCE(
             (SELECT id FROM messages WHERE channel = ?1 ORDER BY id ASC LIMIT 1 OFFSET ?2),
             9223372036854775807)",
    )?
    .execute(params![channel, n as i64])?;
    Ok(())
}

/// Deletes rows older than `time_ms`.
pub fn prune_older_than(tx: &Transaction, time_ms: i64) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM messages WHERE time_ms < ?1", [time_ms])?;
    Ok(())
}
