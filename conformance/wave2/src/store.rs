//! The process-wide store of `lib/store.ts`: what the proxy, the handlers, their `after()`
//! work and the instrumentation record, read back by the log routes.

use std::sync::Mutex;

use serde_json::Value;

static PROXY_CALLS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static AFTER: Mutex<Vec<Value>> = Mutex::new(Vec::new());

fn take<T>(list: &Mutex<Vec<T>>) -> Vec<T> {
    std::mem::take(&mut *list.lock().unwrap_or_else(|p| p.into_inner()))
}

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    list.lock().unwrap_or_else(|p| p.into_inner()).push(item);
}

/// Records a run of the proxy.
pub fn proxy_called(call: String) {
    push(&PROXY_CALLS, call);
}

/// The proxy's runs since the last call, cleared.
pub fn take_proxy_calls() -> Vec<String> {
    take(&PROXY_CALLS)
}

/// Records an event of the `after` group.
pub fn after_event(event: Value) {
    push(&AFTER, event);
}

/// The `after` group's events since the last call, cleared.
pub fn take_after_events() -> Vec<Value> {
    take(&AFTER)
}

static ERRORS: Mutex<Vec<Value>> = Mutex::new(Vec::new());
static REGISTERED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Records a run of `register()`.
pub fn registered() {
    REGISTERED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// How many times `register()` ran.
pub fn registrations() -> usize {
    REGISTERED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Records a report of `on_request_error()`.
pub fn request_error(report: Value) {
    push(&ERRORS, report);
}

/// The reports since the last call, cleared.
pub fn take_request_errors() -> Vec<Value> {
    take(&ERRORS)
}
