use arbor::prelude::*;

/// `%5F` escapes the private-folder rule: served at `/_escaped`.
pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "handler": "%5Fescaped GET" }))
}
