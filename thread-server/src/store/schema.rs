//! The database schema and its migrations. Opening a data dir brings an older schema up to
//! date, and refuses, with a clear error, a newer or damaged one (never silent loss).

use std::path::Path;

use rusqlite::Connection;

use super::StoreError;

/// The schema, one migration per version: `MIGRATIONS[0]` creates version 1, and so on.
/// Never edit a published migration; add a new one.
pub const MIGRATIONS: [&str; 3] = [
    // Version 1: channels and their message history.
    "CREATE TABLE channels (
         name       TEXT PRIMARY KEY,   -- folded (irc_lower) name
         display    TEXT NOT NULL,      -- the name as first written
         topic      TEXT,
         topic_by   TEXT,
         topic_at   INTEGER,
         modes      TEXT NOT NULL,      -- flags like 'imnt'
         key        TEXT,
         user_limit INTEGER,
         created_at INTEGER NOT NULL
     );
     CREATE TABLE messages (
         id      INTEGER PRIMARY KEY AUTOINCREMENT,
         channel TEXT NOT NULL,         -- folded name
         time_ms INTEGER NOT NULL,      -- Unix time in milliseconds
         msgid   TEXT NOT NULL UNIQUE,
         line    TEXT NOT NULL          -- ':nick!user@host PRIVMSG #chan :text', no tags
     );",
    // Version 2: ban lists survive restarts; paging a channel's history uses an index.
    "ALTER TABLE channels ADD COLUMN bans TEXT NOT NULL DEFAULT '';
     CREATE INDEX messages_by_channel ON messages (channel, id);",
    // Version 3: `messages` without the UNIQUE index on msgid and without AUTOINCREMENT.
    // Each dirtied one more page in every commit (its index leaf, the `sqlite_sequence` row);
    // a msgid is now looked up among its channel's rows, which --history-limit bounds, and
    // the store thread hands out ids itself so that they still never go back.
    "CREATE TABLE messages_v3 (
         id      INTEGER PRIMARY KEY,
         channel TEXT NOT NULL,         -- folded name
         time_ms INTEGER NOT NULL,      -- Unix time in milliseconds
         msgid   TEXT NOT NULL,
         line    TEXT NOT NULL          -- ':nick!user@host PRIVMSG #chan :text', no tags
     );
     INSERT INTO messages_v3 (id, channel, time_ms, msgid, line)
         SELECT id, channel, time_ms, msgid, line FROM messages;
     DROP TABLE messages;
     ALTER TABLE messages_v3 RENAME TO messages;
     CREATE INDEX messages_by_channel ON messages (channel, id);",
];

/// Log pages after which a commit also copies the log into the database file.
const WAL_CHECKPOINT_PAGES: i64 = 100;

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the database file at `path` and migrates it.
pub fn open_file(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| StoreError::Open(path.to_path_buf(), e))?;
    let corrupt = |e| StoreError::Corrupt(path.to_path_buf(), e);
    // Fails on a file that is not an SQLite database at all.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(corrupt)?;
    if version > CURRENT_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: CURRENT_VERSION,
        });
    }
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(corrupt)?;
    if check != "ok" {
        return Err(StoreError::Damaged(path.to_path_buf(), check));
    }
    // WAL with synchronous=NORMAL: a commit is a write to the log, not an fsync, so it
    // survives the process being killed (kill -9) but not a power cut (see README).
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(corrupt)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(corrupt)?;
    // SQLite copies the log into the database file inside a commit once the log holds this
    // many pages, and that commit (so every message waiting on it) takes as long as the copy.
    // Small, frequent copies keep the wait short: lanchat-bench case 1 p99 latency was
    // 5.1-5.6 ms with SQLite's default of 1000 pages, 2.8-2.9 ms with 100, 29-31 ms with
    // 10000, and throughput (case 3) the same within noise.
    conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)
        .map_err(corrupt)?;
    migrate(&conn, version).map_err(|e| StoreError::Migrate(path.to_path_buf(), e))?;
    Ok(conn)
}

/// An in-memory database for `--ephemeral`, with the current schema.
pub fn open_memory() -> Result<Connection, StoreError> {
    let conn = Connection::open_in_memory().map_err(StoreError::Memory)?;
    migrate(&conn, 0).map_err(StoreError::Memory)?;
    Ok(conn)
}

/// Applies every migration after `from`, each in its own transaction with its version bump.
fn migrate(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let version = index as i64 + 1;
        conn.execute_batch(&format!(
            "BEGIN; {sql}; PRAGMA user_version = {version}; COMMIT;"
        ))?;
    }
    Ok(())
}
