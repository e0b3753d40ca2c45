//! An app whose `proxy.rs` uses every middleware capability; `tests/` requests it over HTTP.

use std::sync::atomic::AtomicUsize;

arbor::app!(pub);

/// Work finished by `wait_until` after its response was sent.
pub static BACKGROUND_DONE: AtomicUsize = AtomicUsize::new(0);

/// Work finished by the proxy's `after()` once its response was sent.
pub static AFTER_DONE: AtomicUsize = AtomicUsize::new(0);
