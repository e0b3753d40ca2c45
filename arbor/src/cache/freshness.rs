//! What makes a cached entry fresh, stale or expired, and the one regeneration per key: the
//! cache as the request path and `#[cache]` use it, over a [`CacheStore`].

use std::collections::{HashMap, HashSet};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::sync::futures::OwnedNotified;
use tokio::sync::Notify;
use tokio_util::task::TaskTracker;

use super::store::{CacheEntry, CacheStore};
use crate::url::canonical_path;

/// How long after its revalidate time an entry may still be served stale (Next.js's
/// `expireTime`: a year). Past it, a read waits for a fresh render.
pub(crate) const EXPIRE_SECONDS: u64 = 31_536_000;

/// Next.js's `Cache-Control` for a cached route (`getCacheControlHeader`): `s-maxage` of the
/// revalidate time (a year when never), and `stale-while-revalidate` for the rest of the
/// expire time when there is some left.
pub(crate) fn cache_control(revalidate: Option<u64>) -> String {
    match revalidate {
        Some(seconds) if seconds < EXPIRE_SECONDS => format!(
            "s-maxage={seconds}, stale-while-revalidate={}",
            EXPIRE_SECONDS - seconds
        ),
        Some(seconds) => format!("s-maxage={seconds}"),
        None => format!("s-maxage={EXPIRE_SECONDS}"),
    }
}

/// The implicit tag of a path, as `revalidate_path` marks it: one tag for every spelling of
/// the path (`/caf%c3%a9`, `/caf%C3%A9` and `/café` are one path).
pub(crate) fn path_tag(path: &str) -> String {
    format!("_N_T_{}", canonical_path(path))
}

/// Microseconds since the Unix epoch: fine enough that an entry rendered right after a
/// revalidation never shares its instant.
pub(crate) fn now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or_default()
}

/// How usable an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Freshness {
    Fresh,
    Stale,
    Expired,
}

/// The store, the regenerations in flight, and the first computations in flight; with the
/// app's background tracker, which the handler scope (`handler_scope`) runs `after()` work on.
pub(crate) struct Cache {
    pub(crate) store: Arc<dyn CacheStore>,
    pub(crate) background: TaskTracker,
    inflight: Mutex<HashSet<String>>,
    /// Keys being computed for want of any usable entry: later callers wait for it.
    computing: Mutex<HashMap<String, Arc<Notify>>>,
}

/// Who computes a missing entry.
pub(crate) enum Computation {
    /// This caller: the others wait until the guard is dropped.
    Lead(Computing),
    /// Another caller already is: wait for it, then read the store.
    Wait(Pin<Box<OwnedNotified>>),
}

/// The right to compute one missing key; the callers waiting are woken when it is dropped.
pub(crate) struct Computing {
    cache: Arc<Cache>,
    key: String,
}

impl Drop for Computing {
    fn drop(&mut self) {
        let waiting = self
            .cache
            .computing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
        if let Some(notify) = waiting {
            notify.notify_waiters();
        }
    }
}

impl Cache {
    pub(crate) fn new(store: Arc<dyn CacheStore>, background: TaskTracker) -> Self {
        Cache {
            store,
            background,
            inflight: Mutex::new(HashSet::new()),
            computing: Mutex::new(HashMap::new()),
        }
    }

    /// Leads the computation of a missing `key`, or joins the one under way (Next.js's
    /// `'use cache'` shares one computation between concurrent misses).
    pub(crate) fn compute(self: &Arc<Self>, key: &str) -> Computation {
        let mut computing = self.computing.lock().unwrap_or_else(|p| p.into_inner());
        match computing.get(key) {
            Some(notify) => {
                // Registered before the lock is released: a wake-up after it is not missed.
                let mut notified = Box::pin(notify.clone().notified_owned());
                notified.as_mut().enable();
                Computation::Wait(notified)
            }
            None => {
                computing.insert(key.to_owned(), Arc::new(Notify::new()));
                Computation::Lead(Computing {
                    cache: self.clone(),
                    key: key.to_owned(),
                })
            }
        }
    }

    /// An entry's state against the clock and its tags' marks.
    pub(crate) async fn freshness(&self, entry: &CacheEntry) -> Freshness {
        let marks = match self.store.tag_marks(&entry.tags).await {
            Ok(marks) => marks,
            Err(err) => {
                tracing::warn!(error = %err, "cache tags unreadable; treating the entry as expired");
                return Freshness::Expired;
            }
        };
        if marks.expired_us.is_some_and(|at| at >= entry.created_us) {
            return Freshness::Expired;
        }
        let age_us = now_us().saturating_sub(entry.created_us);
        if let Some(seconds) = entry.revalidate {
            if age_us > (seconds + EXPIRE_SECONDS) * 1_000_000 {
                return Freshness::Expired;
            }
            if age_us >= seconds * 1_000_000 {
                return Freshness::Stale;
            }
        }
        if marks.stale_us.is_some_and(|at| at >= entry.created_us) {
            return Freshness::Stale;
        }
        Freshness::Fresh
    }

    /// Claims the one regeneration of `key`; `None` when one is already running.
    pub(crate) fn claim(self: &Arc<Self>, key: &str) -> Option<Claim> {
        let mut inflight = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
        inflight.insert(key.to_owned()).then(|| Claim {
            cache: self.clone(),
            key: key.to_owned(),
        })
    }
}

/// The right to regenerate one key; released when dropped.
pub(crate) struct Claim {
    cache: Arc<Cache>,
    key: String,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.cache
            .inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::store::{MemoryStore, TagMarks};
    use bytes::Bytes;

    fn entry(age_seconds: u64, revalidate: Option<u64>, tags: &[&str]) -> CacheEntry {
        CacheEntry {
            status: 200,
            headers: Vec::new(),
            body: Bytes::new(),
            created_us: now_us() - age_seconds * 1_000_000,
            revalidate,
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    #[test]
    fn cache_control_as_next_writes_it() {
        assert_eq!(
            cache_control(Some(2)),
            "s-maxage=2, stale-while-revalidate=31535998"
        );
        assert_eq!(cache_control(None), "s-maxage=31536000");
        // A revalidate time of a year or more leaves no stale time (and no underflow).
        assert_eq!(cache_control(Some(EXPIRE_SECONDS)), "s-maxage=31536000");
        assert_eq!(
            cache_control(Some(u64::from(u32::MAX))),
            "s-maxage=4294967295"
        );
    }

    #[tokio::test]
    async fn freshness_by_age_and_by_tag() {
        let cache = Cache::new(Arc::new(MemoryStore::default()), TaskTracker::new());
        assert_eq!(
            cache.freshness(&entry(5, None, &[])).await,
            Freshness::Fresh
        );
        assert_eq!(
            cache.freshness(&entry(5, Some(10), &[])).await,
            Freshness::Fresh
        );
        assert_eq!(
            cache.freshness(&entry(11, Some(10), &[])).await,
            Freshness::Stale
        );
        let past_expiry = EXPIRE_SECONDS + 11;
        assert_eq!(
            cache.freshness(&entry(past_expiry, Some(10), &[])).await,
            Freshness::Expired,
            "past its expiry an entry waits for a fresh render"
        );
        let tagged = entry(1, None, &["t"]);
        cache
            .store
            .mark_tag(
                "t",
                TagMarks {
                    stale_us: Some(now_us()),
                    expired_us: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(cache.freshness(&tagged).await, Freshness::Stale);
        cache
            .store
            .mark_tag(
                "t",
                TagMarks {
                    stale_us: None,
                    expired_us: Some(now_us()),
                },
            )
            .await
            .unwrap();
        assert_eq!(cache.freshness(&tagged).await, Freshness::Expired);
        assert_eq!(
            cache.freshness(&entry(0, None, &["t"])).await,
            Freshness::Fresh
        );
    }
}
