//! The comments table, on an embedded SQLite database.
//!
//! SQLite calls block, so they run on a fixed set of threads the database owns: one writer
//! (SQLite allows one at a time) and a few readers, each with its own connection, fed by
//! bounded queues. Under a flood of requests, requests wait in the queues (memory, not
//! threads), and the process keeps the same handful of threads.
//!
//! Durability: the database is in WAL mode with `synchronous = FULL`, so a write is
//! answered only once it is committed and on disk: an acknowledged comment survives the
//! process being killed and the machine losing power.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use schemars::JsonSchema;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

/// Reader threads (and connections) of a database file.
const READERS: usize = 4;

/// Queries that may wait for a thread, per queue, before callers wait to queue theirs.
const QUEUE: usize = 1024;

/// One comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Comment {
    /// Its id, from 1.
    pub id: i64,
    /// What it says.
    pub text: String,
}

/// The database handlers share, through `State<Db>`.
#[derive(Clone)]
pub struct Db {
    writer: Workers,
    readers: Workers,
}

/// A database failure: `?` in a handler turns it into a 500, and arbor logs it.
#[derive(Debug)]
pub enum DbError {
    /// SQLite refused.
    Sqlite(rusqlite::Error),
    /// The database's threads have stopped (the query panicked, or the process is ending).
    Stopped,
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Sqlite(err) => write!(f, "database error: {err}"),
            DbError::Stopped => f.write_str("the database stopped before answering"),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Sqlite(err) => Some(err),
            DbError::Stopped => None,
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(err: rusqlite::Error) -> Self {
        DbError::Sqlite(err)
    }
}

type Job = Box<dyn FnOnce(&Connection) + Send>;

/// Threads that each own a connection and take queries from one bounded queue.
#[derive(Clone)]
struct Workers {
    queue: mpsc::Sender<Job>,
}

impl Workers {
    fn start(connections: Vec<Connection>, name: &str) -> Result<Workers, DbError> {
        let (queue, jobs) = mpsc::channel::<Job>(QUEUE);
        let jobs = Arc::new(Mutex::new(jobs));
        for (i, conn) in connections.into_iter().enumerate() {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("db-{name}-{i}"))
                .spawn(move || loop {
                    let job = jobs
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .blocking_recv();
                    let Some(job) = job else { break };
                    // A panicking query fails its own request (its reply is dropped), not
                    // the thread.
                    let _ = catch_unwind(AssertUnwindSafe(|| job(&conn)));
                })
                .map_err(|_| DbError::Stopped)?;
        }
        Ok(Workers { queue })
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, DbError> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = reply.send(f(conn));
        });
        self.queue.send(job).await.map_err(|_| DbError::Stopped)?;
        answer
            .await
            .map_err(|_| DbError::Stopped)?
            .map_err(DbError::Sqlite)
    }
}

fn connect(path: &str, flags: OpenFlags) -> Result<Connection, DbError> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

impl Db {
    /// Opens (or creates) the database at `path` (`:memory:` for one in memory; a
    /// `sqlite://` prefix is accepted), creating the table with three comments if it is new.
    pub fn open(path: &str) -> Result<Db, DbError> {
        let path = path.strip_prefix("sqlite://").unwrap_or(path);
        let conn = connect(path, OpenFlags::default())?;
        let in_memory = path == ":memory:" || path.is_empty();
        if !in_memory {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL);",
        )?;
        let count: i64 = conn.query_row("SELECT COUNT(*) FROM comments", [], |r| r.get(0))?;
        if count == 0 {
            for text in [
                "This is the first comment",
                "This is the second comment",
                "This is the third comment",
            ] {
                conn.execute("INSERT INTO comments (text) VALUES (?1)", params![text])?;
            }
        }
        let writer = Workers::start(vec![conn], "writer")?;
        // An in-memory database lives in its one connection: the writer reads too.
        let readers = if in_memory {
            writer.clone()
        } else {
            let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let connections = (0..READERS)
                .map(|_| connect(path, read_only))
                .collect::<Result<Vec<_>, _>>()?;
            Workers::start(connections, "reader")?
        };
        Ok(Db { writer, readers })
    }

    /// Every comment, oldest first; only those containing `query` when given.
    pub async fn list(&self, query: Option<String>) -> Result<Vec<Comment>, DbError> {
        self.readers
            .run(move |conn| {
                let mut stmt = conn.prepare(
                "SELECT id, text FROM comments WHERE ?1 IS NULL OR instr(text, ?1) > 0 ORDER BY id",
            )?;
                let rows = stmt.query_map(params![query], row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .await
    }

    /// One comment.
    pub async fn find(&self, id: i64) -> Result<Option<Comment>, DbError> {
        self.readers
            .run(move |conn| {
                conn.query_row(
                    "SELECT id, text FROM comments WHERE id = ?1",
                    params![id],
                    row,
                )
                .optional()
            })
            .await
    }

    /// Adds a comment.
    pub async fn insert(&self, text: String) -> Result<Comment, DbError> {
        self.writer
            .run(move |conn| {
                conn.execute("INSERT INTO comments (text) VALUES (?1)", params![text])?;
                Ok(Comment {
                    id: conn.last_insert_rowid(),
                    text,
                })
            })
            .await
    }

    /// Changes a comment's text; `None` when there is no such comment.
    pub async fn update(&self, id: i64, text: String) -> Result<Option<Comment>, DbError> {
        self.writer
            .run(move |conn| {
                let changed = conn.execute(
                    "UPDATE comments SET text = ?1 WHERE id = ?2",
                    params![text, id],
                )?;
                Ok((changed > 0).then_some(Comment { id, text }))
            })
            .await
    }

    /// Deletes a comment and returns it; `None` when there is no such comment.
    pub async fn delete(&self, id: i64) -> Result<Option<Comment>, DbError> {
        self.writer
            .run(move |conn| {
                let found = conn
                    .query_row(
                        "SELECT id, text FROM comments WHERE id = ?1",
                        params![id],
                        row,
                    )
                    .optional()?;
                if found.is_some() {
                    conn.execute("DELETE FROM comments WHERE id = ?1", params![id])?;
                }
                Ok(found)
            })
            .await
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: r.get(0)?,
        text: r.get(1)?,
    })
}
