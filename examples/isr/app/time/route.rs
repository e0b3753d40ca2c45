use arbor::cache::Dynamic;
use arbor::prelude::*;

/// Rendered once, before the server takes traffic.
pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "renderedAt": crate::now_ms() }))
}
