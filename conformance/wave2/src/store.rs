//! The process-wide store of `lib/store.ts`: what the proxy, the handlers and the
//! instrumentation record, read back by the log routes.

use std::sync::Mutex;

static PROXY_CALLS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records a run of the proxy.
pub fn proxy_called(call: String) {
    PROXY_CALLS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(call);
}

/// The proxy's runs since the last call, cleared.
pub fn take_proxy_calls() -> Vec<String> {
    std::mem::take(&mut *PROXY_CALLS.lock().unwrap_or_else(|p| p.into_inner()))
}
