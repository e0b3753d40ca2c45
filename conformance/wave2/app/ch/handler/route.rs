//! `/ch/handler`: the config's headers set `x-shared`, `cache-control` and `content-type`
//! here too, and win over these.

use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "route": "ch/handler" }))
        .with_header("x-shared", "from-handler")
        .with_header("cache-control", "no-store")
        .with_header("x-handler-only", "yes")
}
