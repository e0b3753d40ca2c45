//! `/after/log`: what handlers, the proxy and their `after()` work recorded, then cleared.

use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "events": crate::store::take_after_events() }))
}
