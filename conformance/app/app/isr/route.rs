use arbor::prelude::*;

// Static in Next.js (see `nextapp/`): its segment config is written here once Arbor caches.
pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "time": crate::echo::now_ms() }))
}
