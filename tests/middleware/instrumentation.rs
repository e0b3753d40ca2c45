//! Records `register()` and every `on_request_error()` report, for the tests to read.

use arbor::instrumentation::{ErrorContext, ErrorRequest, RequestError};

pub fn register() {
    crate::REGISTERED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

pub async fn on_request_error(error: RequestError, request: ErrorRequest, context: ErrorContext) {
    let revalidate = context.revalidate_reason.map(|reason| format!("{reason:?}"));
    let test = match request.headers.get("x-test").and_then(|v| v.to_str().ok()) {
        Some(test) => test.to_owned(),
        // A regeneration in the background has no request headers.
        None if revalidate.is_some() => "background".to_owned(),
        None => return,
    };
    let report = crate::Reported {
        test,
        revalidate,
        message: error.message,
        panicked: error.panicked,
        path: request.path,
        route_path: context.route_path,
        route_type: context.route_type.as_str(),
    };
    crate::REPORTS.lock().unwrap_or_else(|p| p.into_inner()).push(report);
}
