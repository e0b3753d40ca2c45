use arbor::prelude::*;

/// Runs on every request.
pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "time": crate::echo::now_ms() }))
}
