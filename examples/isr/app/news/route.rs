use arbor::cache::Revalidate;
use arbor::prelude::*;

/// Served from the cache; once ten seconds old, served stale while it regenerates.
pub const REVALIDATE: Revalidate = Revalidate::Seconds(10);

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "headline": "Arbor caches", "at": crate::now_ms() }))
}
