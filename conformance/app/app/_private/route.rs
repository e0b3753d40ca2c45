use arbor::prelude::*;

/// Inside a private folder: never routed.
pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "handler": "_private GET (should never be reachable)" }))
}
