use arbor::prelude::*;

/// A route nested under a page's folder.
pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "handler": "profile/api GET" }))
}
