//! `Store`: rooms and message history in SQLite, owned by one store thread. Sessions hand it
//! work through a channel; it commits in batches (group commit): while it commits one batch,
//! the next one queues up, so many messages share one commit.
//!
//! The ordering rule that makes history trustworthy: a chat message is committed *before* it
//! is delivered (see `commands::history::record`), so after `kill -9` every message any
//! client received is in the history. The registry lock is never held while waiting here.

mod query;
mod records;
pub mod schema;
mod thread;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread as std_thread;

pub use query::{HistoryQuery, MsgRef};
pub use records::{ChannelRecord, HistoryRow, NewRow};

/// Where the store thread sends an answer: a value, or what went wrong.
type Reply<T> = Sender<Result<T, String>>;

/// What a session or the server asks of the store thread.
enum Op {
    /// Write history rows; once committed, answer with each row's id (None for a row that
    /// could not be written).
    Append(Vec<NewRow>, Reply<Vec<Option<i64>>>),
    /// Insert or replace a channel's saved state.
    SaveChannel(ChannelRecord),
    /// Forget a channel and its history.
    DropChannel(String),
    /// Read history.
    Query(HistoryQuery, Reply<Vec<HistoryRow>>),
    /// Commit everything and close the database; answer when done.
    Close(SyncSender<()>),
}

/// Why the store could not start. Each says where and what to do.
#[derive(Debug)]
pub enum StoreError {
    /// The data directory could not be created.
    DataDir(PathBuf, std::io::Error),
    /// The database file could not be opened.
    Open(PathBuf, rusqlite::Error),
    /// The file is not a readable SQLite database.
    Corrupt(PathBuf, rusqlite::Error),
    /// SQLite's integrity check found damage.
    Damaged(PathBuf, String),
    /// The data dir was written by a newer lanchatd.
    TooNew {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// Bringing an older schema up to date failed.
    Migrate(PathBuf, rusqlite::Error),
    /// The in-memory database (`--ephemeral`) could not be set up.
    Memory(rusqlite::Error),
    /// Loading the saved channels failed.
    Load(rusqlite::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::DataDir(p, e) => {
                write!(f, "cannot create the data dir {}: {e}", p.display())
            }
            StoreError::Open(p, e) => write!(f, "cannot open {}: {e}", p.display()),
            StoreError::Corrupt(p, e) => write!(
                f,
                "{} is not a readable lanchat database ({e}); move it away to start fresh \
                 (nothing was changed)",
                p.display()
            ),
            StoreError::Damaged(p, e) => write!(
                f,
                "{} is damaged (SQLite says: {e}); move it away to start fresh or repair it \
                 with the sqlite3 .recover command (nothing was changed)",
                p.display()
            ),
            StoreError::TooNew { path, found, known } => write!(
                f,
                "{} was written by a newer lanchatd (schema version {found}, this one knows up \
                 to {known}); upgrade lanchatd or use another --data-dir (nothing was changed)",
                path.display()
            ),
            StoreError::Migrate(p, e) => write!(f, "cannot upgrade {}: {e}", p.display()),
            StoreError::Memory(e) => write!(f, "cannot set up the in-memory store: {e}"),
            StoreError::Load(e) => write!(f, "cannot read the saved channels: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Settings the store thread needs.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// Rows kept per channel.
    pub history_limit: usize,
    /// Rows older than this many days are deleted, if set.
    pub history_days: Option<u32>,
}

/// A handle to the store thread. Cheap to share: every session holds the same one.
pub struct Store {
    ops: Sender<Op>,
}

/// Where the store keeps its file, for the start-up message.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("lanchat.db")
}

impl Store {
    /// Opens the database (in `data_dir`, or in memory when `data_dir` is None), loads the
    /// saved channels and starts the store thread.
    pub fn open(
        data_dir: Option<&Path>,
        config: StoreConfig,
    ) -> Result<(Store, Vec<ChannelRecord>), StoreError> {
        let conn = match data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::DataDir(dir.to_path_buf(), e))?;
                schema::open_file(&database_path(dir))?
            }
            None => schema::open_memory()?,
        };
        let channels = records::load_channels(&conn).map_err(StoreError::Load)?;
        let next_id = records::next_id(&conn).map_err(StoreError::Load)?;
        let (ops, receiver) = mpsc::channel();
        std_thread::Builder::new()
            .name("lanchatd-store".to_string())
            .spawn(move || thread::run(conn, receiver, config, next_id))
            .map_err(|e| StoreError::DataDir(PathBuf::from("(store thread)"), e))?;
        Ok((Store { ops }, channels))
    }

    /// Hands history rows to the store without waiting; their ids arrive on `answers` once
    /// they are committed. A session sends all the rows of one read at once: one wake-up of
    /// the store thread and one answer per read, not per message. False if the store is
    /// closed (no answer will come).
    pub fn send_append(&self, rows: Vec<NewRow>, answers: &RowIds) -> bool {
        self.ops.send(Op::Append(rows, answers.0.clone())).is_ok()
    }

    /// Saves a channel's state (no waiting: losing a mode change to a crash is acceptable).
    pub fn save_channel(&self, record: ChannelRecord) {
        let _ = self.ops.send(Op::SaveChannel(record));
    }

    /// Forgets a channel and its history (no waiting).
    pub fn drop_channel(&self, folded: &str) {
        let _ = self.ops.send(Op::DropChannel(folded.to_string()));
    }

    /// Runs a history query and waits for the rows.
    pub fn query(&self, query: HistoryQuery) -> Result<Vec<HistoryRow>, String> {
        let answer = Answer::new();
        self.ops
            .send(Op::Query(query, answer.0.clone()))
            .map_err(|_| "the store is closed".to_string())?;
        answer.wait()
    }

    /// Commits everything and closes the database; returns when it is done.
    pub fn close(&self) {
        let (done, wait) = mpsc::sync_channel(1);
        if self.ops.send(Op::Close(done)).is_ok() {
            let _ = wait.recv();
        }
    }
}

/// Where a session gets the ids of the rows it sent (see [`Store::send_append`]).
pub type RowIds = Answer<Vec<Option<i64>>>;

/// A reusable channel on which the store thread answers, in order. A session keeps one, so
/// sending a message does not allocate a new channel each time.
pub struct Answer<T>(Reply<T>, Receiver<Result<T, String>>);

impl<T> Answer<T> {
    /// A new answer channel.
    pub fn new() -> Answer<T> {
        let (tx, rx) = mpsc::channel();
        Answer(tx, rx)
    }

    /// Waits for the next answer.
    pub fn wait(&self) -> Result<T, String> {
        self.1
            .recv()
            .unwrap_or_else(|_| Err("the store thread stopped".to_string()))
    }
}

impl<T> Default for Answer<T> {
    fn default() -> Self {
        Answer::new()
    }
}
