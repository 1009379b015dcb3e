//! The history database on its own: migration from the first schema, and clear refusals of a
//! data dir from a newer lanchatd or of a damaged file (nothing is changed in either case).
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Stdio;

use rusqlite::Connection;
use support::process::TempDir;
use thread_server::store::schema::{CURRENT_VERSION, MIGRATIONS};
use thread_server::store::{HistoryQuery, MsgRef, Store, StoreConfig, database_path};

fn config() -> StoreConfig {
    StoreConfig {
        history_limit: 1000,
        history_days: None,
    }
}

#[test]
fn a_data_dir_with_the_first_schema_is_migrated_and_keeps_its_data() {
    let dir = TempDir::new("migrate");
    let path = database_path(&dir.0);
    {
        // Exactly what the first release wrote.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO channels (name, display, topic, topic_by, topic_at, modes, created_at)
                 VALUES ('#lab', '#Lab', 'old topic', 'a!b@c', 5, 'nt', 1);
             INSERT INTO messages (channel, time_ms, msgid, line)
                 VALUES ('#lab', 1000, 'x-1', ':a!b@c PRIVMSG #Lab :hello from v1');",
        )
        .unwrap();
    }
    let (store, channels) = Store::open(Some(&dir.0), config()).unwrap();
    assert_eq!(channels.len(), 1);
    let lab = &channels[0];
    assert_eq!((lab.display.as_str(), lab.modes.as_str()), ("#Lab", "nt"));
    assert_eq!(lab.topic, Some(("old topic".into(), "a!b@c".into(), 5)));
    assert!(
        lab.bans.is_empty(),
        "the column added in version 2 has its default"
    );
    assert_eq!(lab.newest_history_id, Some(1));
    let rows = store
        .query(HistoryQuery::Latest {
            channel: "#lab".into(),
            after: MsgRef::Now,
            limit: 10,
        })
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, ":a!b@c PRIVMSG #Lab :hello from v1");
    store.close();
    let version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, CURRENT_VERSION);
}

#[test]
fn a_data_dir_from_a_newer_version_is_refused_and_left_alone() {
    let dir = TempDir::new("newer");
    let path = database_path(&dir.0);
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let error = Store::open(Some(&dir.0), config())
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("written by a newer lanchatd (schema version 99"),
        "{error}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file must not change"
    );
}

#[test]
fn a_corrupt_file_is_a_clear_error_from_the_binary() {
    let dir = TempDir::new("corrupt");
    let path = database_path(&dir.0);
    let garbage = b"this is not an sqlite database, it is a student's essay".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lanchatd"))
        .args(["--listen", "127.0.0.1:0", "--data-dir", dir.arg()])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("lanchatd: ") && stderr.contains("is not a readable lanchat database"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        garbage,
        "the file must not change"
    );
}
