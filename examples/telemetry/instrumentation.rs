//! `instrumentation.ts`, the Rust way: `register()` sets OpenTelemetry up before the server
//! takes traffic (an error stops start-up), `on_request_error()` reports failures.

use arbor::instrumentation::{ErrorContext, ErrorRequest, RequestError};

pub fn register() -> Result<(), tracing_subscriber::util::TryInitError> {
    crate::telemetry::install()
}

pub async fn on_request_error(error: RequestError, request: ErrorRequest, context: ErrorContext) {
    // An event inside the request's span: exported with it.
    tracing::error!(
        error = error.message,
        panicked = error.panicked,
        path = request.path,
        route = context.route_path,
        route_type = %context.route_type,
        "request failed"
    );
}
