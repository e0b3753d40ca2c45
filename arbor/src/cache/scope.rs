//! The cache of the app whose handler is running, for [`revalidate_path`],
//! [`revalidate_tag`] and `#[cache]` functions.
//!
//! Those are free functions called from any depth of a handler, as Next.js's `revalidatePath`
//! and `unstable_cache` are, so the cache cannot reach them as an argument: it is the one
//! thing Arbor keeps in an ambient scope. The scope is a thread-local set while the handler's
//! future is polled (see the request path's `Run`), which is what a tokio task-local does,
//! without a wrapper future per request.
//!
//! [`revalidate_path`]: super::revalidate_path
//! [`revalidate_tag`]: super::revalidate_tag

use std::cell::Cell;
use std::sync::Arc;

use super::freshness::Cache;

thread_local! {
    /// The cache of the handler being polled on this thread, if any.
    static CURRENT: Cell<Option<Arc<Cache>>> = const { Cell::new(None) };
}

/// The cache of the handler being polled; `None` outside a handler.
pub(crate) fn current() -> Option<Arc<Cache>> {
    CURRENT.with(|current| {
        let cache = current.take();
        current.set(cache.clone());
        cache
    })
}

/// Puts a handler's cache in place for one poll and takes it back afterwards, even if the
/// poll panics.
pub(crate) struct Entered<'a> {
    slot: &'a mut Option<Arc<Cache>>,
    previous: Option<Arc<Cache>>,
}

impl<'a> Entered<'a> {
    pub(crate) fn new(slot: &'a mut Option<Arc<Cache>>) -> Self {
        let previous = CURRENT.with(|current| current.replace(slot.take()));
        Entered { slot, previous }
    }
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        let previous = self.previous.take();
        *self.slot = CURRENT.with(|current| current.replace(previous));
    }
}
