//! An Arbor app composed with tower and axum, both ways:
//!
//! - [`layered`]: tower-http's CORS and timeout layers around the whole app;
//! - [`arbor_inside_axum`]: an axum router with routes of its own, serving the app for the
//!   rest (`fallback_service`), and under a prefix (`nest_service`);
//! - [`axum_behind_arbor`]: the app answering what `app/` has, an existing axum router the
//!   rest (`App::fallback_service`), while a team moves routes over one by one.

use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use arbor::http::StatusCode;
use axum::routing::get;
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;

arbor::app!(pub);

/// Requests of `/inflight` running now.
pub static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
/// The most requests of `/inflight` that ran at once.
pub static MOST_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// The app with CORS for every origin, and requests cut at `timeout` with 408.
pub fn layered(timeout: Duration) -> arbor::App {
    app::router()
        .layer(CorsLayer::permissive())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
}

/// The service a team already runs, in axum.
pub fn legacy() -> axum::Router {
    axum::Router::new()
        .route("/legacy", get(|| async { "hello from axum" }))
        .route("/old", get(|| async { "an old axum route" }))
}

/// An axum router with its own routes; the Arbor app answers everything else, and again
/// under `/api`.
pub fn arbor_inside_axum() -> axum::Router {
    axum::Router::new()
        .route("/legacy", get(|| async { "hello from axum" }))
        .nest_service("/api", app::router())
        .fallback_service(app::router())
}

/// The Arbor app, with the axum router behind it for the URLs `app/` does not have.
pub fn axum_behind_arbor() -> arbor::App {
    app::router().fallback_service(legacy())
}
