//! The comments table, on an embedded SQLite database.

use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// One comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// Its id, from 1.
    pub id: i64,
    /// What it says.
    pub text: String,
}

/// The database handlers share, through `State<Db>`.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

/// A database failure: `?` in a handler turns it into a 500, and arbor logs it.
#[derive(Debug)]
pub enum DbError {
    /// SQLite refused.
    Sqlite(rusqlite::Error),
    /// The query's thread panicked.
    Task(tokio::task::JoinError),
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Sqlite(err) => write!(f, "database error: {err}"),
            DbError::Task(err) => write!(f, "database task failed: {err}"),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Sqlite(err) => Some(err),
            DbError::Task(err) => Some(err),
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(err: rusqlite::Error) -> Self {
        DbError::Sqlite(err)
    }
}

impl Db {
    /// Opens (or creates) the database at `path` (`:memory:` for one in memory; a
    /// `sqlite://` prefix is accepted), creating the table with three comments if it is new.
    pub fn open(path: &str) -> Result<Db, DbError> {
        let path = path.strip_prefix("sqlite://").unwrap_or(path);
        let conn = Connection::open(path)?;
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
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection, off the async threads.
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, DbError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&conn)
        })
        .await
        .map_err(DbError::Task)?
        .map_err(DbError::Sqlite)
    }

    /// Every comment, oldest first; only those containing `query` when given.
    pub async fn list(&self, query: Option<String>) -> Result<Vec<Comment>, DbError> {
        self.with(move |conn| {
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
        self.with(move |conn| {
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
        self.with(move |conn| {
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
        self.with(move |conn| {
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
        self.with(move |conn| {
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
