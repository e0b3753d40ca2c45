//! `/cors-explicit`: an `OPTIONS` export answers preflights itself.

use arbor::prelude::*;

pub async fn OPTIONS() -> Response {
    Response::empty()
        .with_status(StatusCode::NO_CONTENT)
        .with_header("access-control-allow-origin", "https://allowed.example")
        .with_header("access-control-allow-methods", "GET, POST, OPTIONS")
        .with_header("access-control-allow-headers", "content-type, x-custom")
        .with_header("access-control-max-age", "600")
        .with_header("vary", "origin")
}

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "route": "cors-explicit" }))
        .with_header("access-control-allow-origin", "https://allowed.example")
}
