//! A Redis [`CacheStore`] for Arbor: cached routes, `#[cache]` data and tag revalidations live
//! in Redis, so every instance sharing it sees what any of them cached or revalidated.
//!
//! ```no_run
//! # async fn run(app: arbor::App) -> std::io::Result<()> {
//! let store = arbor_redis::RedisStore::new("redis://127.0.0.1:6379/")
//!     .map_err(std::io::Error::other)?;
//! arbor::serve(app.cache_store(store)).await
//! # }
//! ```
//!
//! Entries are stored under `arbor:entry:<key>`, tag marks in the hash `arbor:tags`, and every
//! revalidation is also published on the channel `arbor:revalidated`. The connection is made
//! on first use and remade after a failure; while Redis cannot be reached, operations fail
//! fast, and the server serves uncached and logs.

#![warn(missing_docs)]

use std::time::Duration;

use arbor::cache::{CacheEntry, CacheStore, StoreError, TagMarks};
use futures_util::future::BoxFuture;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::AsyncCommands;
use tokio::sync::Mutex;

const TAGS: &str = "arbor:tags";
const CHANNEL: &str = "arbor:revalidated";

/// A cache store in Redis.
pub struct RedisStore {
    client: redis::Client,
    connection: Mutex<Option<ConnectionManager>>,
    timeout: Duration,
}

impl RedisStore {
    /// A store for the Redis at `url` (`redis://host:port/db`); nothing is connected yet.
    pub fn new(url: &str) -> Result<RedisStore, StoreError> {
        let client = redis::Client::open(url).map_err(|e| StoreError(e.to_string()))?;
        Ok(RedisStore {
            client,
            connection: Mutex::new(None),
            timeout: Duration::from_millis(500),
        })
    }

    /// How long one operation may take before it counts as a failure (default 500 ms).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn connection(&self) -> Result<ConnectionManager, StoreError> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(self.timeout)
            .set_response_timeout(self.timeout)
            .set_number_of_retries(0);
        let connection = tokio::time::timeout(
            self.timeout,
            ConnectionManager::new_with_config(self.client.clone(), config),
        )
        .await
        .map_err(|_| StoreError("redis: connection timed out".to_owned()))?
        .map_err(|e| StoreError(format!("redis: {e}")))?;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    async fn run<T>(
        &self,
        op: impl AsyncFnOnce(&mut ConnectionManager) -> redis::RedisResult<T>,
    ) -> Result<T, StoreError> {
        let mut connection = self.connection().await?;
        match tokio::time::timeout(self.timeout, op(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => {
                if err.is_connection_dropped() || err.is_io_error() {
                    *self.connection.lock().await = None;
                }
                Err(StoreError(format!("redis: {err}")))
            }
            Err(_) => Err(StoreError("redis: operation timed out".to_owned())),
        }
    }
}

fn entry_key(key: &str) -> String {
    format!("arbor:entry:{key}")
}

impl CacheStore for RedisStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<CacheEntry>, StoreError>> {
        Box::pin(async move {
            let raw: Option<Vec<u8>> = self.run(async |c| c.get(entry_key(key)).await).await?;
            Ok(raw.and_then(|raw| serde_json::from_slice(&raw).ok()))
        })
    }

    fn set<'a>(&'a self, key: &'a str, entry: CacheEntry) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let raw = serde_json::to_vec(&entry).map_err(|e| StoreError(e.to_string()))?;
            self.run(async |c| c.set::<_, _, ()>(entry_key(key), raw).await)
                .await
        })
    }

    fn mark_tag<'a>(
        &'a self,
        tag: &'a str,
        marks: TagMarks,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let current: Option<String> = self.run(async |c| c.hget(TAGS, tag).await).await?;
            let mut merged: TagMarks = current
                .and_then(|raw| serde_json::from_str(&raw).ok())
                .unwrap_or_default();
            merged.stale_us = merged.stale_us.max(marks.stale_us);
            merged.expired_us = merged.expired_us.max(marks.expired_us);
            let raw = serde_json::to_string(&merged).map_err(|e| StoreError(e.to_string()))?;
            self.run(async |c| {
                c.hset::<_, _, _, ()>(TAGS, tag, raw).await?;
                c.publish::<_, _, ()>(CHANNEL, tag).await
            })
            .await
        })
    }

    fn tag_marks<'a>(&'a self, tags: &'a [String]) -> BoxFuture<'a, Result<TagMarks, StoreError>> {
        Box::pin(async move {
            if tags.is_empty() {
                return Ok(TagMarks::default());
            }
            let raw: Vec<Option<String>> = self
                .run(async |c| redis::cmd("HMGET").arg(TAGS).arg(tags).query_async(c).await)
                .await?;
            let mut out = TagMarks::default();
            for marks in raw.into_iter().flatten() {
                if let Ok(marks) = serde_json::from_str::<TagMarks>(&marks) {
                    out.stale_us = out.stale_us.max(marks.stale_us);
                    out.expired_us = out.expired_us.max(marks.expired_us);
                }
            }
            Ok(out)
        })
    }
}
