//! An app whose `proxy.rs` uses every middleware capability; `tests/` requests it over HTTP.

use std::sync::atomic::AtomicUsize;

arbor::app!(pub);

/// Work finished by `wait_until` after its response was sent.
pub static BACKGROUND_DONE: AtomicUsize = AtomicUsize::new(0);

/// Work finished by the proxy's `after()` once its response was sent.
pub static AFTER_DONE: AtomicUsize = AtomicUsize::new(0);

/// How many times `instrumentation.rs`'s `register()` ran (once per server started).
pub static REGISTERED: AtomicUsize = AtomicUsize::new(0);

/// What `on_request_error()` was told of a request that carried `x-test`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub test: String,
    pub message: String,
    pub panicked: bool,
    pub path: String,
    pub route_path: String,
    pub route_type: &'static str,
    /// `Some("Stale")` for a background regeneration.
    pub revalidate: Option<String>,
}

/// Every report, in order.
pub static REPORTS: std::sync::Mutex<Vec<Reported>> = std::sync::Mutex::new(Vec::new());

/// How many `/parity/stream` streams were dropped (their client went away).
pub static STREAMS_DROPPED: AtomicUsize = AtomicUsize::new(0);

/// Counts in [`STREAMS_DROPPED`] when dropped.
pub struct StreamGuard;

impl Drop for StreamGuard {
    fn drop(&mut self) {
        STREAMS_DROPPED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}
