//! Records `register()` and every `on_request_error()` report, for the tests to read.

use arbor::instrumentation::{ErrorContext, ErrorRequest, RequestError};

pub fn register() {
    crate::REGISTERED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

pub async fn on_request_error(error: RequestError, request: ErrorRequest, context: ErrorContext) {
    let Some(test) = request.headers.get("x-test").and_then(|v| v.to_str().ok()) else {
        return;
    };
    let report = crate::Reported {
        test: test.to_owned(),
        message: error.message,
        panicked: error.panicked,
        path: request.path,
        route_path: context.route_path,
        route_type: context.route_type.as_str(),
    };
    crate::REPORTS.lock().unwrap_or_else(|p| p.into_inner()).push(report);
}
