//! The history database on its own: migration from the first schema, and clear refusals of a
//! data dir from a newer lanchatd or of a damaged file (nothing is changed in either case).
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Stdio;

use rusqlite::Connection;
use support::process::TempDir;
use thread_server::store::schema::{CURRENT_VERSION, MIGRATIONS};
use thread_server::store::{
    HistoryQuery, MsgRef, NewRow, RowIds, Store, StoreConfig, database_path,
};

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

    // New rows continue after the old ones, and msgids are still found (version 3 dropped
    // the msgid index).
    let answers = RowIds::new();
    let row = |msgid: &str| NewRow {
        channel: "#lab".into(),
        time_ms: 2000,
        msgid: msgid.into(),
        line: format!(":a!b@c PRIVMSG #Lab :{msgid}"),
    };
    assert!(store.send_append(vec![row("y-1"), row("y-2")], &answers));
    assert_eq!(answers.wait().unwrap(), vec![Some(2), Some(3)]);
    let rows = store
        .query(HistoryQuery::Before {
            channel: "#lab".into(),
            before: MsgRef::Msgid("y-2".into()),
            limit: 10,
        })
        .unwrap();
    let msgids: Vec<&str> = rows.iter().map(|r| r.msgid.as_str()).collect();
    assert_eq!(msgids, ["x-1", "y-1"]);
    store.close();

    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, CURRENT_VERSION);
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(indexes, ["messages_by_channel"]);
}

#[test]
fn row_ids_never_go_back_even_when_the_newest_rows_are_dropped() {
    let (store, _) = Store::open(None, config()).unwrap();
    let answers = RowIds::new();
    let row = |channel: &str, msgid: &str| NewRow {
        channel: channel.into(),
        time_ms: 1000,
        msgid: msgid.into(),
        line: format!(":a!b@c PRIVMSG {channel} :{msgid}"),
    };
    assert!(store.send_append(vec![row("#a", "1"), row("#b", "2")], &answers));
    assert_eq!(answers.wait().unwrap(), vec![Some(1), Some(2)]);
    store.drop_channel("#b");
    assert!(store.send_append(vec![row("#a", "3")], &answers));
    assert_eq!(answers.wait().unwrap(), vec![Some(3)]);
    store.close();
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
