use arbor::cache::Dynamic;
use arbor::prelude::*;

pub const DYNAMIC: Dynamic = Dynamic::ForceDynamic;

/// `unstable_cache(async () => Date.now(), ['cached-fn-time'], { tags: ['fn-tag'] })`
#[arbor::cache(tags = ["fn-tag"])]
async fn cached_time() -> u64 {
    crate::echo::now_ms()
}

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "cached": cached_time().await, "now": crate::echo::now_ms() }))
}
