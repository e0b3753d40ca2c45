//! The scope of the handler being polled: its app's cache, for [`revalidate_path`],
//! [`revalidate_tag`] and `#[cache]` functions, and what it registers for after its answer
//! (`after()` futures, its abort signal; see `handler_scope`).
//!
//! Those are free functions called from any depth of a handler, as Next.js's `revalidatePath`,
//! `unstable_cache` and `after()` are, so they cannot reach the request as an argument: this
//! is what Arbor keeps in an ambient scope. The scope is a thread-local pair set while the
//! handler's future is polled (see the request path's `Run`), which is what a tokio
//! task-local does, without a wrapper future per request.
//!
//! [`revalidate_path`]: super::revalidate_path
//! [`revalidate_tag`]: super::revalidate_tag

use std::cell::Cell;
use std::sync::Arc;

use super::freshness::Cache;
use crate::registered::{Held, Registered};

thread_local! {
    /// The cache of the handler being polled on this thread; `None` outside a handler. Its
    /// presence is what marks a handler's scope.
    static CACHE: Cell<Option<Arc<Cache>>> = const { Cell::new(None) };
    /// What that handler registered so far (nothing, until it registers something).
    static HELD: Cell<Held> = const { Cell::new(Held(None)) };
}

/// The cache of the handler being polled; `None` outside a handler.
pub(crate) fn current() -> Option<Arc<Cache>> {
    CACHE.with(|current| {
        let cache = current.take();
        current.set(cache.clone());
        cache
    })
}

/// Runs `f` on what the handler being polled registered; `None` outside a handler.
pub(crate) fn with_registered<R>(f: impl FnOnce(&mut Registered) -> R) -> Option<R> {
    current()?;
    HELD.with(|held| {
        let mut registered = held.take();
        let out = f(registered.0.get_or_insert_with(Box::default));
        held.set(registered);
        Some(out)
    })
}

/// Puts a handler's scope in place for one poll and takes it back afterwards, even if the
/// poll panics.
pub(crate) struct Entered<'a> {
    cache: &'a mut Option<Arc<Cache>>,
    held: &'a mut Held,
    previous: (Option<Arc<Cache>>, Held),
}

impl<'a> Entered<'a> {
    #[inline(always)]
    pub(crate) fn new(cache: &'a mut Option<Arc<Cache>>, held: &'a mut Held) -> Self {
        let previous = (
            CACHE.with(|current| current.replace(cache.take())),
            HELD.with(|current| current.replace(std::mem::take(held))),
        );
        Entered {
            cache,
            held,
            previous,
        }
    }
}

impl Drop for Entered<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        let (cache, held) = std::mem::take(&mut self.previous);
        *self.cache = CACHE.with(|current| current.replace(cache));
        *self.held = HELD.with(|current| current.replace(held));
    }
}
