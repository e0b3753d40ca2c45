//! Static and incremental caching of GET route handlers, and a data cache for functions.
//!
//! A GET route is static when its file says so with segment config, read at build time as
//! Next.js reads its exports:
//!
//! ```
//! use arbor::cache::{Dynamic, Revalidate};
//!
//! pub const DYNAMIC: Dynamic = Dynamic::ForceStatic; // rendered once, served from the cache
//! pub const REVALIDATE: Revalidate = Revalidate::Seconds(60); // ... and regenerated after 60 s
//! ```
//!
//! A static GET is rendered before the server takes traffic, with an empty request (no
//! headers, cookies or query), and served with `x-nextjs-cache: HIT | STALE | MISS` and
//! Next.js's `Cache-Control`. Past its revalidate time it is served stale while one
//! regeneration runs. [`revalidate_path`] and [`revalidate_tag`] invalidate on demand, from any
//! handler. Other methods of the file are never cached and run with the real request.

mod freshness;
mod scope;
mod store;

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use store::{CacheEntry, CacheStore, MemoryStore, StoreError, TagMarks};

pub(crate) use freshness::{cache_control, now_us, path_tag, Cache, Computation, Freshness};

/// `export const dynamic`: whether and how GET is rendered statically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dynamic {
    /// Static only with `REVALIDATE` or `generate_static_params` (the default).
    #[default]
    Auto,
    /// Never cached: the handler runs for every request.
    ForceDynamic,
    /// Static, and a handler that reads the request fails start-up, naming what it read.
    Error,
    /// Static, rendered with an empty request.
    ForceStatic,
}

/// `export const revalidate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revalidate {
    /// `false`: rendered once, cached until revalidated on demand.
    Never,
    /// `n`: regenerated in the background once `n` seconds old; `0` means never cached.
    Seconds(u32),
}

/// How a tag is revalidated ([`revalidate_tag`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `'max'`: the next read is served stale while it refreshes in the background.
    Max,
    /// `{ expire: 0 }`: the next read waits for fresh data.
    Expire,
}

/// A route's segment config, as generated from its file's constants.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentConfig {
    pub dynamic: Dynamic,
    pub revalidate: Option<Revalidate>,
    pub dynamic_params: bool,
    pub generates_params: bool,
}

impl SegmentConfig {
    /// Next.js's `isStaticGenEnabled`: whether GET is rendered statically and cached.
    pub fn is_static(&self) -> bool {
        matches!(self.dynamic, Dynamic::ForceStatic | Dynamic::Error)
            || matches!(
                self.revalidate,
                Some(Revalidate::Never) | Some(Revalidate::Seconds(1..))
            )
            || self.generates_params
    }

    /// Seconds before an entry is stale; `None` for never.
    pub(crate) fn revalidate_seconds(&self) -> Option<u64> {
        match self.revalidate {
            Some(Revalidate::Seconds(n)) if n > 0 => Some(u64::from(n)),
            _ => None,
        }
    }
}

pub(crate) use scope::{with_registered, Entered};

fn current() -> Option<Arc<Cache>> {
    scope::current()
}

/// Invalidates the cached response of a route path (`revalidatePath`): the next request
/// renders it afresh (`x-nextjs-cache: MISS`), then it is cached again. The path may be
/// written decoded (`/café`) or encoded in any case (`/caf%c3%a9`): it names one entry.
///
/// ```
/// use arbor::prelude::*;
///
/// pub async fn POST() -> Response {
///     arbor::cache::revalidate_path("/posts").await;
///     Response::json(&serde_json::json!({ "revalidated": true }))
/// }
/// ```
pub async fn revalidate_path(path: &str) {
    mark(
        &path_tag(path),
        TagMarks {
            stale_us: None,
            expired_us: Some(now_us()),
        },
    )
    .await;
}

/// Invalidates everything cached with `tag` (`revalidateTag(tag, profile)`): with
/// [`Profile::Max`] the next read is served stale while it refreshes, with
/// [`Profile::Expire`] it waits for fresh data.
pub async fn revalidate_tag(tag: &str, profile: Profile) {
    let now = Some(now_us());
    let marks = match profile {
        Profile::Max => TagMarks {
            stale_us: now,
            expired_us: None,
        },
        Profile::Expire => TagMarks {
            stale_us: None,
            expired_us: now,
        },
    };
    mark(tag, marks).await;
}

async fn mark(tag: &str, marks: TagMarks) {
    let Some(cache) = current() else {
        tracing::warn!(
            tag,
            "revalidation outside a handler has no cache to revalidate"
        );
        return;
    };
    if let Err(err) = cache.store.mark_tag(tag, marks).await {
        tracing::error!(error = %err, tag, "revalidation failed");
    }
}

/// The key `#[cache]` stores a call under: the function's path and its serialised arguments.
#[doc(hidden)]
pub fn cache_key<A: Serialize + ?Sized>(name: &str, args: &A) -> Option<String> {
    serde_json::to_string(args)
        .ok()
        .map(|args| format!("fn:{name}:{args}"))
}

/// What `#[cache]` expands to: the cached result of `compute` under `key`, with `tags` and a
/// lifetime in seconds. Fresh: returned as stored. Stale: returned as stored while one
/// regeneration runs. Expired or absent: computed now. Outside a handler, without a key, or
/// when the store fails: computed, uncached.
#[doc(hidden)]
pub async fn memoize<T, F>(
    key: Option<String>,
    tags: &'static [&'static str],
    revalidate: Option<u64>,
    compute: F,
) -> T
where
    T: Serialize + DeserializeOwned + Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let (Some(cache), Some(key)) = (current(), key) else {
        return compute.await;
    };
    let stored = match cache.store.get(&key).await {
        Ok(stored) => stored,
        Err(err) => {
            tracing::warn!(error = %err, "cache store unavailable; computing uncached");
            return compute.await;
        }
    };
    let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
    if let Some(entry) = stored {
        if let Ok(value) = serde_json::from_slice::<T>(&entry.body) {
            match cache.freshness(&entry).await {
                Freshness::Fresh => return value,
                Freshness::Stale => {
                    if let Some(claim) = cache.claim(&key) {
                        let cache = cache.clone();
                        tokio::spawn(async move {
                            let body = serde_json::to_vec(&compute.await);
                            store_value(&cache, &key, body, tags, revalidate).await;
                            drop(claim);
                        });
                    }
                    return value;
                }
                Freshness::Expired => {}
            }
        }
    }
    // Missing or expired: one caller computes, the others at the same time wait for its
    // value, then read it from the store (or compute it themselves if it was not stored).
    match cache.compute(&key) {
        Computation::Lead(computing) => {
            let value = compute.await;
            store_value(&cache, &key, serde_json::to_vec(&value), tags, revalidate).await;
            drop(computing);
            value
        }
        Computation::Wait(notified) => {
            notified.await;
            if let Ok(Some(entry)) = cache.store.get(&key).await {
                if let Ok(value) = serde_json::from_slice::<T>(&entry.body) {
                    return value;
                }
            }
            compute.await
        }
    }
}

async fn store_value(
    cache: &Cache,
    key: &str,
    body: serde_json::Result<Vec<u8>>,
    tags: Vec<String>,
    revalidate: Option<u64>,
) {
    let Ok(body) = body else {
        return;
    };
    let entry = CacheEntry {
        status: 0,
        headers: Vec::new(),
        body: Bytes::from(body),
        created_us: now_us(),
        revalidate,
        tags,
    };
    if let Err(err) = cache.store.set(key, entry).await {
        tracing::warn!(error = %err, "cache store unavailable; value not cached");
    }
}
