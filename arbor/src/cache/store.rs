//! Where cached responses and data live: the [`CacheStore`] trait and the in-memory store.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

/// One cached value: a rendered response, or a `#[cache]` function's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The response status (0 for data).
    pub status: u16,
    /// The response headers (empty for data).
    pub headers: Vec<(String, String)>,
    /// The body, or the serialised data.
    pub body: Bytes,
    /// When it was produced, in microseconds since the Unix epoch.
    pub created_us: u64,
    /// Seconds until it is stale; `None` for never.
    pub revalidate: Option<u64>,
    /// Tags it can be revalidated by.
    pub tags: Vec<String>,
}

impl CacheEntry {
    fn size(&self) -> usize {
        self.body.len()
            + self
                .headers
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
            + self.tags.iter().map(String::len).sum::<usize>()
            + 64
    }
}

/// When a tag was last revalidated: entries older than `stale_us` are served stale while they
/// regenerate, entries older than `expired_us` are regenerated before they are served.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagMarks {
    /// `revalidate_tag(tag, Profile::Max)`.
    pub stale_us: Option<u64>,
    /// `revalidate_tag(tag, Profile::Expire)` and `revalidate_path`.
    pub expired_us: Option<u64>,
}

/// Why the store failed. The server serves uncached and logs it.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cache store: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// A place for cache entries and tag marks. In memory by default ([`MemoryStore`]); Redis for
/// several instances that must see each other's revalidations.
pub trait CacheStore: Send + Sync + 'static {
    /// The entry under `key`.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<CacheEntry>, StoreError>>;
    /// Stores `entry` under `key`.
    fn set<'a>(&'a self, key: &'a str, entry: CacheEntry) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Marks a tag revalidated now: stale, or expired.
    fn mark_tag<'a>(
        &'a self,
        tag: &'a str,
        marks: TagMarks,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// The marks of these tags, merged (the latest of each).
    fn tag_marks<'a>(&'a self, tags: &'a [String]) -> BoxFuture<'a, Result<TagMarks, StoreError>>;
}

/// The default store: in memory, bounded by bytes, least recently used entries evicted first.
///
/// ```
/// use arbor::cache::MemoryStore;
///
/// let store = MemoryStore::new(64 * 1024 * 1024);
/// # let _ = store;
/// ```
pub struct MemoryStore {
    inner: Mutex<Memory>,
    capacity: usize,
}

struct Memory {
    entries: lru::LruCache<String, CacheEntry>,
    bytes: usize,
    tags: HashMap<String, TagMarks>,
}

impl MemoryStore {
    /// A store holding at most `capacity` bytes of entries.
    pub fn new(capacity: usize) -> Self {
        MemoryStore {
            inner: Mutex::new(Memory {
                entries: lru::LruCache::unbounded(),
                bytes: 0,
                tags: HashMap::new(),
            }),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Default for MemoryStore {
    /// 64 MiB.
    fn default() -> Self {
        Self::new(64 * 1024 * 1024)
    }
}

pub(crate) fn merge_marks(into: &mut TagMarks, other: TagMarks) {
    into.stale_us = into.stale_us.max(other.stale_us);
    into.expired_us = into.expired_us.max(other.expired_us);
}

impl CacheStore for MemoryStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<CacheEntry>, StoreError>> {
        let found = self.lock().entries.get(key).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn set<'a>(&'a self, key: &'a str, entry: CacheEntry) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut memory = self.lock();
        let size = entry.size();
        if size <= self.capacity {
            if let Some(old) = memory.entries.put(key.to_owned(), entry) {
                memory.bytes -= old.size();
            }
            memory.bytes += size;
            while memory.bytes > self.capacity {
                match memory.entries.pop_lru() {
                    Some((_, evicted)) => memory.bytes -= evicted.size(),
                    None => break,
                }
            }
        }
        Box::pin(async { Ok(()) })
    }

    fn mark_tag<'a>(
        &'a self,
        tag: &'a str,
        marks: TagMarks,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        merge_marks(self.lock().tags.entry(tag.to_owned()).or_default(), marks);
        Box::pin(async { Ok(()) })
    }

    fn tag_marks<'a>(&'a self, tags: &'a [String]) -> BoxFuture<'a, Result<TagMarks, StoreError>> {
        let memory = self.lock();
        let mut out = TagMarks::default();
        for tag in tags {
            if let Some(marks) = memory.tags.get(tag) {
                merge_marks(&mut out, *marks);
            }
        }
        Box::pin(async move { Ok(out) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: usize) -> CacheEntry {
        CacheEntry {
            status: 200,
            headers: Vec::new(),
            body: Bytes::from(vec![0u8; body]),
            created_us: 0,
            revalidate: None,
            tags: Vec::new(),
        }
    }

    #[tokio::test]
    async fn evicts_least_recently_used_past_its_bytes() {
        let store = MemoryStore::new(1000);
        store.set("a", entry(400)).await.unwrap();
        store.set("b", entry(400)).await.unwrap();
        store.get("a").await.unwrap();
        store.set("c", entry(400)).await.unwrap();
        assert!(store.get("a").await.unwrap().is_some());
        assert!(store.get("b").await.unwrap().is_none());
        assert!(store.get("c").await.unwrap().is_some());
        store.set("huge", entry(5000)).await.unwrap();
        assert!(store.get("huge").await.unwrap().is_none());
    }
}
