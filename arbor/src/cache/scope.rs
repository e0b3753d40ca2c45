//! The scope of the handler being polled: its app's cache, for [`revalidate_path`],
//! [`revalidate_tag`] and `#[cache]` functions, and what it registers for after its answer
//! (`after()` futures, its abort signal; see `handler_scope`).
//!
//! Those are free functions called from any depth of a handler, as Next.js's `revalidatePath`,
//! `unstable_cache` and `after()` are, so they cannot reach the request as an argument: this
//! is what Arbor keeps in an ambient scope. The scope is one thread-local set while the
//! handler's future is polled (see the request path's `Run`), which is what a tokio
//! task-local does, without a wrapper future per request.
//!
//! [`revalidate_path`]: super::revalidate_path
//! [`revalidate_tag`]: super::revalidate_tag

use std::cell::Cell;
use std::sync::Arc;

use super::freshness::Cache;
use crate::registered::{Held, Registered};

/// A handler's scope: its app's cache (none for the middleware, which cannot revalidate, as
/// Next.js's proxy cannot) and what it registered.
struct Scoped {
    cache: Option<Arc<Cache>>,
    held: Held,
}

thread_local! {
    /// The scope of the handler being polled on this thread, if any.
    static CURRENT: Cell<Option<Scoped>> = const { Cell::new(None) };
}

/// The cache of the handler being polled; `None` outside a handler.
pub(crate) fn current() -> Option<Arc<Cache>> {
    CURRENT.with(|current| {
        let scoped = current.take()?;
        let cache = scoped.cache.clone();
        current.set(Some(scoped));
        cache
    })
}

/// Runs `f` on what the handler being polled registered; `None` outside a handler.
pub(crate) fn with_registered<R>(f: impl FnOnce(&mut Registered) -> R) -> Option<R> {
    CURRENT.with(|current| {
        let mut scoped = current.take()?;
        let out = f(scoped.held.0.get_or_insert_with(Box::default));
        current.set(Some(scoped));
        Some(out)
    })
}

/// Puts a handler's scope in place for one poll and takes it back afterwards, even if the
/// poll panics.
pub(crate) struct Entered<'a> {
    cache: &'a mut Option<Arc<Cache>>,
    held: &'a mut Held,
    previous: Option<Scoped>,
}

impl<'a> Entered<'a> {
    pub(crate) fn new(cache: &'a mut Option<Arc<Cache>>, held: &'a mut Held) -> Self {
        let scoped = Scoped {
            cache: cache.take(),
            held: std::mem::take(held),
        };
        let previous = CURRENT.with(|current| current.replace(Some(scoped)));
        Entered {
            cache,
            held,
            previous,
        }
    }
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        let previous = self.previous.take();
        if let Some(scoped) = CURRENT.with(|current| current.replace(previous)) {
            *self.cache = scoped.cache;
            *self.held = scoped.held;
        }
    }
}
